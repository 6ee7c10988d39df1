#!/bin/bash
# The relocation core must build freestanding for rv32 firmware: no C++
# standard library headers (-nostdinc++), no system C headers (-nostdlibinc
# leaves only the compiler's freestanding ones: <stdint.h>, <stddef.h>), no
# exceptions or RTTI, and no calls into any runtime (no undefined symbols:
# not even memcpy).
set -euo pipefail

clang=/usr/lib/llvm-19/bin/clang
nm=/usr/lib/llvm-19/bin/llvm-nm
out="${TEST_TMPDIR:-$(mktemp -d)}"
status=0
for source in loader/elf/relocate_riscv.cc loader/elf/relocate_x86_64.cc; do
  object="$out/$(basename "$source" .cc).o"
  if ! "$clang" --target=riscv32-unknown-elf -march=rv32imac -mabi=ilp32 -ffreestanding \
      -fno-exceptions -fno-rtti -nostdinc++ -nostdlibinc -std=c++20 -O2 -Wall -Wextra -Werror \
      -I. -c "$source" -o "$object"; then
    echo "FAIL: $source does not compile freestanding for rv32imac"
    status=1
    continue
  fi
  undefined="$("$nm" --undefined-only "$object")"
  if [[ -n "$undefined" ]]; then
    echo "FAIL: $source needs symbols from a runtime:"
    echo "$undefined"
    status=1
  fi
done
[[ $status -eq 0 ]] && echo "PASS: the relocation core builds freestanding for rv32imac"
exit $status
