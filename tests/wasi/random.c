// Random bytes: getentropy (random_get in wasm) fills buffers with bytes that
// are not all zero and differ between calls.
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifndef __wasi__
#include <sys/random.h>
#endif

#include "common.h"

int main(void) {
  unsigned char a[256], b[256];
  memset(a, 0, sizeof a);
  memset(b, 0, sizeof b);
  REPORT(getentropy(a, sizeof a));
  REPORT(getentropy(b, sizeof b));
  int nonzero = 0;
  for (size_t i = 0; i < sizeof a; ++i) nonzero += a[i] != 0;
  printf("non-zero bytes: %s\n", nonzero > 200 ? "most" : "too few");
  printf("two calls differ: %s\n", memcmp(a, b, sizeof a) != 0 ? "yes" : "no");
  return 0;
}
