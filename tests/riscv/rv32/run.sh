#!/bin/bash
# Compiles each test module for rv32 three ways, describes it with rivet's
# interpreter, and runs every build in the freestanding harness under
# qemu-riscv32 with the core's missing extensions switched off, so that an
# instruction the core lacks kills the run.
#
# Usage: run.sh --compiler=RIVET --describe=DESCRIBE_MODULE
#               --harness-ilp32=ELF --harness-ilp32d=ELF
#               [--builds=rv32i,rv32imac,rv32imafdc]
#               MODULE.wasm:MODULE.calls[:HELPER,HELPER...]...
# The helpers after a module are ones its rv32i build must call (the
# harness checks that the rivet.aot section lists them and that they bound).
set -uo pipefail

builds=rv32i,rv32imac,rv32imafdc
modules=()
for argument in "$@"; do
  case "$argument" in
    --compiler=*) compiler=${argument#*=} ;;
    --describe=*) describe=${argument#*=} ;;
    --harness-ilp32=*) harness_ilp32=${argument#*=} ;;
    --harness-ilp32d=*) harness_ilp32d=${argument#*=} ;;
    --builds=*) builds=${argument#*=} ;;
    --*) echo "run.sh: unknown option $argument" >&2; exit 2 ;;
    *) modules+=("$argument") ;;
  esac
done
qemu=/usr/bin/qemu-riscv32
for tool in "$compiler" "$describe" "$harness_ilp32" "$harness_ilp32d" "$qemu"; do
  [[ -x "$tool" || -f "$tool" ]] || { echo "run.sh: missing $tool" >&2; exit 2; }
done
work=${TEST_TMPDIR:-$(mktemp -d)}

# build name -> rivet compile options, harness, qemu CPU (extensions it lacks off)
compile_options() {
  case "$1" in
    rv32i) echo "--target=riscv32 --cpu=generic-rv32 --target-abi=ilp32" ;;
    rv32imac) echo "--target=riscv32 --cpu=generic-rv32 --target-abi=ilp32 --cpu-features=+m,+a,+c" ;;
    rv32imafdc) echo "--target=riscv32 --cpu=generic-rv32 --target-abi=ilp32d --cpu-features=+m,+a,+f,+d,+c" ;;
  esac
}
harness_for() { [[ "$1" == rv32imafdc ]] && echo "$harness_ilp32d" || echo "$harness_ilp32"; }
qemu_cpu() {
  case "$1" in
    rv32i) echo "rv32,m=false,a=false,f=false,d=false,c=false" ;;
    rv32imac) echo "rv32,f=false,d=false" ;;
    rv32imafdc) echo "rv32" ;;
  esac
}

passed=0
failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
[[ ${#modules[@]} -gt 0 ]] || { echo "run.sh: no modules" >&2; exit 2; }
for module in "${modules[@]}"; do
  IFS=: read -r wasm calls expect_rv32i_helpers <<<"$module"
  name=$(basename "$wasm" .wasm)
  if ! "$describe" "$wasm" "$calls" >"$work/$name.desc"; then
    fail "$name: describe_module failed"
    continue
  fi
  for build in ${builds//,/ }; do
    options=$(compile_options "$build")
    [[ -n "$options" ]] || { echo "run.sh: unknown build $build" >&2; exit 2; }
    compiled="$work/$name.$build.wasm"
    # shellcheck disable=SC2086 # the options are words
    if ! "$compiler" compile $options -o "$compiled" "$wasm"; then
      fail "$name ($build): rivet compile failed"
      continue
    fi
    flags=()
    [[ "$build" == rv32i && -n "$expect_rv32i_helpers" ]] &&
      flags+=("--expect-helpers=$expect_rv32i_helpers")
    echo "==== $name, $build: qemu-riscv32 -cpu $(qemu_cpu "$build")"
    harness=$(realpath "$(harness_for "$build")")
    (cd "$work" && "$qemu" -cpu "$(qemu_cpu "$build")" "$harness" "$name.desc" \
      "$(basename "$compiled")" "${flags[@]}")
    status=$?
    if [[ $status -eq 0 ]]; then
      passed=$((passed + 1))
    else
      fail "$name ($build): the harness exited with status $status"
    fi
  done
done
echo "rv32 AOT: $passed runs passed, $failed failed"
[[ $failed -eq 0 ]]
