// Clocks and sleeping (nanosleep and clock_nanosleep are poll_oneoff with a
// clock subscription in wasi-libc). Prints only what both builds agree on.
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "common.h"

static int64_t ns(struct timespec ts) { return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec; }

static int64_t now(clockid_t clock) {
  struct timespec ts;
  if (clock_gettime(clock, &ts) != 0) return -1;
  return ns(ts);
}

int main(void) {
  int64_t real = now(CLOCK_REALTIME);
  printf("realtime after 2020: %s\n", real > 1577836800LL * 1000000000 ? "yes" : "no");
  time_t t = time(NULL);
  printf("time() agrees: %s\n", t >= real / 1000000000 - 1 && t <= real / 1000000000 + 5 ? "yes" : "no");

  int64_t m1 = now(CLOCK_MONOTONIC), m2 = now(CLOCK_MONOTONIC);
  printf("monotonic: %s\n", m1 > 0 && m2 >= m1 ? "non-decreasing" : "broken");

  struct timespec res;
  REPORT(clock_getres(CLOCK_MONOTONIC, &res));
  printf("monotonic resolution at most 1ms: %s\n", ns(res) > 0 && ns(res) <= 1000000 ? "yes" : "no");
  REPORT(clock_getres(CLOCK_REALTIME, &res));
  printf("cputime: %s\n", now(CLOCK_PROCESS_CPUTIME_ID) >= 0 ? "readable" : "unreadable");

  // Relative sleep.
  struct timespec sleep = {0, 50 * 1000000};
  int64_t before = now(CLOCK_MONOTONIC);
  REPORT(nanosleep(&sleep, NULL));
  int64_t slept = now(CLOCK_MONOTONIC) - before;
  printf("nanosleep(50ms) took 50ms..5s: %s\n", slept >= 50000000 && slept < 5000000000LL ? "yes" : "no");

  // Absolute sleep on the monotonic clock.
  before = now(CLOCK_MONOTONIC);
  struct timespec until = {(before + 30000000) / 1000000000, (before + 30000000) % 1000000000};
  int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
  printf("clock_nanosleep(abs): %s\n", errno_name(r));
  slept = now(CLOCK_MONOTONIC) - before;
  printf("absolute sleep reached its deadline: %s\n", slept >= 30000000 && slept < 5000000000LL ? "yes" : "no");

  // Absolute sleep on the realtime clock, to a time already past.
  struct timespec past = {1, 0};
  r = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &past, NULL);
  printf("clock_nanosleep(past): %s\n", errno_name(r));
  return 0;
}
