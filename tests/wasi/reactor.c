// A WASI reactor (no _start): rivet run --invoke=shout runs _initialize
// (which runs the constructor) before calling shout.
#include <stdio.h>

static int counter;

__attribute__((constructor)) static void init(void) { counter = 100; }

__attribute__((export_name("shout"))) int shout(int n) {
  printf("shout %d, counter %d\n", n, counter++);
  fflush(stdout);
  return n * 2;
}
