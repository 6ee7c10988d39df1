// poll(): readiness of stdin (data waiting) and stdout, a timeout with no
// descriptors (a clock subscription in wasm), a regular file and a bad
// descriptor.
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void show(const char* what, int r, struct pollfd* p) {
  printf("%s: %d in=%d out=%d nval=%d\n", what, r, !!(p->revents & POLLIN),
         !!(p->revents & POLLOUT), !!(p->revents & POLLNVAL));
}

int main(void) {
  struct pollfd p = {0, POLLIN, 0};
  show("stdin", poll(&p, 1, 5000), &p);
  struct pollfd q = {1, POLLOUT, 0};
  show("stdout", poll(&q, 1, 5000), &q);

  int64_t start = now_ms();
  int r = poll(NULL, 0, 40);
  int64_t waited = now_ms() - start;
  printf("timeout: %d, waited 40ms..5s: %s\n", r, waited >= 40 && waited < 5000 ? "yes" : "no");

  int fd = open("poll.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644);
  write(fd, "data", 4);
  lseek(fd, 0, SEEK_SET);
  struct pollfd f[2] = {{fd, POLLIN, 0}, {fd, POLLOUT, 0}};
  r = poll(f, 2, 5000);
  printf("file: %d in=%d out=%d\n", r, !!(f[0].revents & POLLIN), !!(f[1].revents & POLLOUT));
  close(fd);
  unlink("poll.tmp");

  struct pollfd bad = {97, POLLIN, 0};
  show("bad fd", poll(&bad, 1, 5000), &bad);
  return 0;
}
