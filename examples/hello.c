// The smallest WASI program: prints a greeting (to the first argument, if
// any) and the environment it was given, then exits with status 0.
//
//   tools/rivet run out/examples/hello.wasm
//   tools/rivet run --env GREETING=Hej out/examples/hello.wasm you
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  const char* greeting = getenv("GREETING");
  fputs(greeting ? greeting : "Hello", stdout);
  fputs(", ", stdout);
  fputs(argc > 1 ? argv[1] : "world", stdout);
  fputs("! (from WebAssembly, run by rivet)\n", stdout);
  return 0;
}
