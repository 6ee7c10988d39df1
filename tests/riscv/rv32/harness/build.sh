#!/bin/bash
# Builds the freestanding rv32 AOT harness with riscv64-unknown-elf-g++ for
# one ABI: rv32i/ilp32 (no M, A, F, D, C) or rv32imafdc/ilp32d. No C
# library, no libstdc++: only the compiler's freestanding headers, the
# harness, rivet's relocation core and helper table, and libgcc for the
# harness's own arithmetic (AOT code never binds to libgcc: its symbols are
# resolved from rivet's helper table only).
# Usage: build.sh OUTPUT MARCH MABI SOURCE...   (run from the workspace root)
set -euo pipefail
output=$1
march=$2
mabi=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
compiler=/usr/bin/riscv64-unknown-elf-g++
flags=(-march="$march" -mabi="$mabi" -std=c++20 -O2 -ffreestanding -fno-exceptions -fno-rtti
       -fno-asynchronous-unwind-tables -fno-threadsafe-statics -nostdlib -Wall -Wextra -Werror
       -Wno-unused-parameter -I.)
objects=()
for source in "$@"; do
  object="$work/$(echo "$source" | tr / _).o"
  "$compiler" "${flags[@]}" -c "$source" -o "$object"
  objects+=("$object")
done
"$compiler" -march="$march" -mabi="$mabi" -nostdlib -static -Wl,--no-relax -Wl,--no-warn-rwx-segments -o "$output" \
  "${objects[@]}" -lgcc
