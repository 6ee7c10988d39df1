#!/bin/bash
# Runs the rv32i known-answer driver under qemu user mode; it exits nonzero
# and names each wrong result if any helper is wrong.
set -euo pipefail
exec /usr/bin/qemu-riscv32 "$1"
