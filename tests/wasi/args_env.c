// Arguments, environment and exit codes: prints its arguments (not argv[0],
// whose text differs between the native and the wasm run), the WASI_TEST_*
// variables in sorted order, then exits as its arguments say:
//   exit N    calls exit(N);   return N    returns N from main
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

extern char** environ;

static int compare(const void* a, const void* b) {
  return strcmp(*(const char* const*)a, *(const char* const*)b);
}

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  printf("argv[0] is %s\n", argv[0] && argv[0][0] ? "set" : "empty");
  for (int i = 1; i < argc; ++i) printf("argv[%d]=[%s]\n", i, argv[i]);

  const char* vars[64];
  int count = 0;
  for (char** e = environ; *e && count < 64; ++e) {
    if (strncmp(*e, "WASI_TEST_", 10) == 0) vars[count++] = *e;
  }
  qsort(vars, count, sizeof vars[0], compare);
  for (int i = 0; i < count; ++i) printf("env %s\n", vars[i]);
  const char* a = getenv("WASI_TEST_A");
  printf("getenv(WASI_TEST_A)=%s\n", a ? a : "(unset)");
  const char* unset = getenv("WASI_TEST_UNSET");
  printf("getenv(WASI_TEST_UNSET)=%s\n", unset ? unset : "(unset)");
  fflush(stdout);
  fprintf(stderr, "to stderr\n");

  for (int i = 1; i + 1 < argc; ++i) {
    if (strcmp(argv[i], "exit") == 0) exit(atoi(argv[i + 1]));
    if (strcmp(argv[i], "return") == 0) return atoi(argv[i + 1]);
  }
  return 0;
}
