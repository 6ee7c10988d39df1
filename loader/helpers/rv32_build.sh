#!/bin/bash
# Builds the rv32 known-answer driver with the helpers, freestanding for
# rv32i/ilp32 (no M, A, F, D), and links it with nothing else: no libgcc, no
# compiler-rt, no libc, so any helper call the compiler emitted would be an
# undefined symbol and fail the link.
# Usage: rv32_build.sh OUTPUT VECTORS_INC DRIVER_CC HELPER_CC...
set -euo pipefail
output="$1"
vectors="$2"
driver="$3"
shift 3
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
flags=(--target=riscv32-unknown-elf -march=rv32i -mabi=ilp32 -std=c++20 -O2
       -ffreestanding -fno-builtin -fno-exceptions -fno-rtti -nostdlib -nostdinc++
       -Wall -Werror -I. -I"$(dirname "$vectors")")
objects=()
for source in "$driver" "$@"; do
  object="$work/$(basename "$source" .cc).o"
  /usr/bin/clang-19 "${flags[@]}" -c "$source" -o "$object"
  objects+=("$object")
done
/usr/lib/llvm-19/bin/ld.lld -static --no-undefined -e _start -o "$output" "${objects[@]}"
