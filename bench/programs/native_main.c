// Native driver for a benchmark program: calls run(N) once, timing only the
// call, and prints
//   checksum <run's result as a signed 32-bit decimal>
//   seconds <wall-clock seconds of the call>
//
//   gcc -O2 -o NAME.native NAME.c native_main.c -lm
//   ./NAME.native N
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int32_t run(int32_t n);

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s N\n", argv[0]);
    return 2;
  }
  char* end;
  long n = strtol(argv[1], &end, 10);
  if (*end != '\0' || n < 0 || n > INT32_MAX) {
    fprintf(stderr, "%s: bad N: %s\n", argv[0], argv[1]);
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  int32_t result = run((int32_t)n);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
  printf("checksum %d\nseconds %.6f\n", (int)result, seconds);
  return 0;
}
