#!/bin/bash
# Runs an example host and compares its standard output with the expected one.
#
#   run_example_test.sh BINARY EXPECTED [WASM]
#
# Runs BINARY WASM (or BINARY alone, to check its default module path) from
# the test's runfiles directory, checks that it exits with status 0 and that
# its stdout is exactly EXPECTED; on a difference prints a unified diff.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: $0 BINARY EXPECTED [WASM]" >&2
  exit 2
fi
binary=$1
expected=$2
args=("${@:3}")

actual="${TEST_TMPDIR:-$(mktemp -d)}/actual_output.txt"
status=0
"$binary" "${args[@]}" >"$actual" || status=$?
if [[ $status -ne 0 ]]; then
  echo "FAIL: $binary ${args[*]} exited with status $status; its output:" >&2
  cat "$actual" >&2
  exit 1
fi
if ! diff -u "$expected" "$actual"; then
  echo "FAIL: the output of $binary ${args[*]} differs from $expected (diff above)" >&2
  exit 1
fi
echo "PASS: $binary ${args[*]}"
