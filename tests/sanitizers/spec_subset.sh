#!/usr/bin/env bash
# Runs a subset of the spec suite through `rivet` built with --config=asan
# (AddressSanitizer + UndefinedBehaviorSanitizer), interpreter engine:
#
#   tests/sanitizers/spec_subset.sh [TESTSUITE]  (default ../shared/wasm-testsuite)
#
# The scripts below cover the decoder's malformed and invalid modules, every
# kind of control flow, calls, memory and table operations with their traps,
# SIMD, and the proposals (threads, tail calls, multi-memory). The whole
# suite under ASan takes several minutes on two cores; this part under one.
# Any sanitizer report aborts rivet, which fails the script.
set -euo pipefail
root=$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd -P)
testsuite=${1:-$(dirname "$root")/shared/wasm-testsuite}
cd "$root"
bazel build --config=asan //cli:rivet >/dev/null 2>"${TMPDIR:-/tmp}/rivet-asan-build.$$" || {
  cat "${TMPDIR:-/tmp}/rivet-asan-build.$$" >&2
  rm -f "${TMPDIR:-/tmp}/rivet-asan-build.$$"
  exit 1
}
rm -f "${TMPDIR:-/tmp}/rivet-asan-build.$$"
rivet="$(bazel info --config=asan bazel-bin 2>/dev/null)/cli/rivet"
scripts=(binary binary-leb128 block br br_if br_table call call_indirect conversions
  custom data elem exports float_exprs global i32 i64 if imports left-to-right linking
  load local_tee loop memory memory_copy memory_fill memory_grow memory_init
  memory_trap names return select stack start store table table_copy table_fill
  table_grow table_init traps unreachable unwind simd_lane simd_load simd_store
  simd_i32x4_arith proposals/threads/atomic proposals/tail-call/return_call
  proposals/tail-call/return_call_indirect proposals/multi-memory/data
  proposals/multi-memory/imports)
files=()
for script in "${scripts[@]}"; do
  [ -f "$testsuite/$script.wast" ] && files+=("$testsuite/$script.wast")
done
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  "$rivet" wast --engine=interp "${files[@]}"
