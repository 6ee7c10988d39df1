#!/usr/bin/env bash
# Regenerates the seed corpora under tests/fuzz/corpus/ (checked in; run by
# hand when the format or the interesting modules change):
#
#   tests/fuzz/gen_corpus.sh [TESTSUITE]      (default ../shared/wasm-testsuite)
#
#   decode/     modules of a few spec scripts, valid and malformed (wast2json
#               writes every module of a script, asserted-malformed and
#               asserted-invalid ones included), at most 4 KiB each
#   execute/    valid modules of scripts that exercise control flow, calls,
#               memory, tables and traps
#   aot_image/  the rivet.aot payloads of fac and memory_fill compiled by
#               `rivet compile` for x86_64, riscv64 (lp64d, sifive-u74) and riscv32
#               (ilp32, generic: no extensions, so it calls compiler helpers)
# Crash reproducers found later live beside the seeds as crash-<what>, and
# are kept by this script.
set -euo pipefail
root=$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd -P)
testsuite=${1:-$(dirname "$root")/shared/wasm-testsuite}
corpus=$root/tests/fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Converts SCRIPT.wast into $tmp/SCRIPT/ and prints its module files, smallest
# first, that are at most 4 KiB; KIND is "valid" (modules the script
# instantiates) or "any".
modules_of() {
  local script=$1 kind=$2 dir=$tmp/${1##*/}
  mkdir -p "$dir"
  wast2json --enable-all "$testsuite/$script.wast" -o "$dir/${script##*/}.json" >/dev/null 2>&1 ||
    wast2json "$testsuite/$script.wast" -o "$dir/${script##*/}.json" >/dev/null
  if [ "$kind" = valid ]; then
    python3 -c '
import json, sys
for c in json.load(open(sys.argv[1]))["commands"]:
    if c["type"] == "module" and c.get("module_type", "binary") == "binary":
        print(c["filename"])' "$dir/${script##*/}.json"
  else
    (cd "$dir" && ls ./*.wasm | sed 's|^\./||')
  fi | while read -r f; do
    size=$(stat -c %s "$dir/$f")
    if [ "$size" -le 4096 ]; then echo "$size $dir/$f"; fi
  done | sort -n | cut -d' ' -f2-
}

# Copies the first COUNT files of stdin into DIR as PREFIX-N.wasm.
take() {
  local count=$1 dir=$2 prefix=$3 n=0 f
  while read -r f && [ "$n" -lt "$count" ]; do
    cp "$f" "$dir/$prefix-$n.wasm"
    n=$((n + 1))
  done
  return 0
}

for target in decode execute aot_image; do
  mkdir -p "$corpus/$target"
  find "$corpus/$target" -type f ! -name 'crash-*' -delete
done

for script in binary binary-leb128 custom names; do
  modules_of "$script" any | take 4 "$corpus/decode" "$script"
done
for script in block br_table call_indirect memory_grow table_grow simd_lane; do
  modules_of "$script" any | take 2 "$corpus/decode" "$script"
done

for script in fac loop br_table call_indirect memory_grow memory_fill memory_copy \
    table_grow table_fill bulk proposals/tail-call/return_call traps conversions select \
    global; do
  modules_of "$script" valid | tail -n 2 | take 2 "$corpus/execute" "${script##*/}"
done

# AOT sections: compile, then cut each rivet.aot custom section's payload
# (after its name) out of the output module.
compiler=$root/out/bin/rivet-compiler
[ -x "$compiler" ] || "$root/tools/rivet" --version >/dev/null 2>&1 || true
for module in fac memory_fill; do
  wasm=$(modules_of "$module" valid | tail -n 1)
  for target in "x86_64" "riscv64 --cpu=sifive-u74" "riscv32"; do
    name=${target%% *}
    # shellcheck disable=SC2086  # the target's options are separate words
    "$compiler" compile --target=$target -o "$tmp/$module.$name.wasm" "$wasm"
    python3 - "$tmp/$module.$name.wasm" "$corpus/aot_image/$module-$name.aot" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
def leb(pos):
    value = shift = 0
    while True:
        byte = data[pos]; pos += 1
        value |= (byte & 0x7f) << shift; shift += 7
        if byte < 0x80: return value, pos
pos = 8
while pos < len(data):
    section_id = data[pos]
    size, pos = leb(pos + 1)
    end = pos + size
    if section_id == 0:
        name_len, p = leb(pos)
        if data[p:p + name_len] == b"rivet.aot":
            open(sys.argv[2], "wb").write(data[p + name_len:end])
            sys.exit(0)
    pos = end
sys.exit("no rivet.aot section in " + sys.argv[1])
PY
  done
done
for target in decode execute aot_image; do
  echo "$target: $(find "$corpus/$target" -type f | wc -l) files," \
    "$(du -sk "$corpus/$target" | cut -f1) KiB"
done
