// A trap in the middle of a WASI program: what it printed before stays
// printed, and rivet run reports the trap and exits with status 3.
#include <stdio.h>

int main(void) {
  printf("before the trap\n");
  fflush(stdout);
  __builtin_trap();
}
