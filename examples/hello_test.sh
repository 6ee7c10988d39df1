#!/usr/bin/env bash
# The README's first command, as a test: rivet runs the WASI hello program,
# with and without arguments and environment, and it exits 0.
set -euo pipefail
rivet=cli/rivet
hello=examples/hello.wasm
expect() {
  if [ "$1" != "$2" ]; then
    echo "expected: $2"
    echo "got:      $1"
    exit 1
  fi
}
expect "$("$rivet" run "$hello")" "Hello, world! (from WebAssembly, run by rivet)"
expect "$("$rivet" run --env GREETING=Hej "$hello" you)" "Hej, you! (from WebAssembly, run by rivet)"
echo "hello_test: ok"
