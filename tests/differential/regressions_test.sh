#!/usr/bin/env bash
# The reduced modules of the bugs tests/differential/run found
# (regressions/*.wat), in every engine configuration the campaign compares:
# the interpreter, and AOT code at -O0 and -O2 with explicit bounds checks
# and with guard pages. Each file lists the output every engine must print
# (the driver's, normalised as `run` does) in ";; expect: " lines, which
# wabt's wasm-interp, when installed, must print too.
#
#   regressions_test.sh DRIVER FILE.wat...
set -uo pipefail
driver=$1
shift
tmp=${TEST_TMPDIR:-$(mktemp -d)}

normalize() {
  sed -E 's/=> error: .*/=> error/; s/-nan/nan/g; s/(funcref|externref):[0-9]+/\1:ref/g'
}

configs=(
  "--engine=interp"
  "--engine=aot -O0 --bounds-checks=explicit"
  "--engine=aot -O2 --bounds-checks=explicit"
  "--engine=aot -O2 --bounds-checks=guard-pages"
  "--engine=aot -O0 --bounds-checks=guard-pages"
)

failed=0
checked=0
for wat in "$@"; do
  name=$(basename "$wat" .wat)
  wasm="$tmp/$name.wasm"
  if ! wat2wasm --enable-all "$wat" -o "$wasm"; then
    echo "FAIL $name: wat2wasm refused it"
    failed=$((failed + 1))
    continue
  fi
  sed -n 's/^;; expect: //p' "$wat" >"$tmp/$name.expected"
  if [ ! -s "$tmp/$name.expected" ]; then
    echo "FAIL $name: no ';; expect: ' lines"
    failed=$((failed + 1))
    continue
  fi
  for config in "${configs[@]}"; do
    read -ra flags <<<"$config"
    status=0
    timeout 60 "$driver" "${flags[@]}" "$wasm" >"$tmp/$name.raw" 2>&1 || status=$?
    [ "$status" -gt 1 ] && echo "driver exit status $status" >>"$tmp/$name.raw"
    normalize <"$tmp/$name.raw" >"$tmp/$name.out"
    checked=$((checked + 1))
    if ! cmp -s "$tmp/$name.expected" "$tmp/$name.out"; then
      echo "FAIL $name ($config):"
      diff "$tmp/$name.expected" "$tmp/$name.out"
      failed=$((failed + 1))
    fi
  done
  if command -v wasm-interp >/dev/null; then
    wasm-interp --enable-all --dummy-import-func --run-all-exports "$wasm" 2>&1 |
      grep -v '^called host' | normalize >"$tmp/$name.wabt"
    if ! cmp -s "$tmp/$name.expected" "$tmp/$name.wabt"; then
      echo "FAIL $name: wasm-interp disagrees with the expected output:"
      diff "$tmp/$name.expected" "$tmp/$name.wabt"
      failed=$((failed + 1))
    fi
  fi
done
echo "regressions: $# modules, $checked runs, $failed failed"
[ "$failed" -eq 0 ] && [ "$checked" -gt 0 ]
