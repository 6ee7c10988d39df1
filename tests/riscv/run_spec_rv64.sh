#!/usr/bin/env bash
# The WebAssembly spec suite through AOT code on riscv64, under qemu-riscv64.
#
#   tests/riscv/run_spec_rv64.sh [TESTSUITE_DIR]
#
# rivet's riscv64 build has no compiler, so for each configuration below the
# host's rivet-compiler first compiles every module the scripts instantiate
# (`wast --engine=aot --target=riscv64 --aot-out=DIR`, one file per module
# code hash), then the riscv64 rivet runs the scripts from that code through
# the module manager in strict aot mode (`wast --engine=aot --aot-dir=DIR`).
# The results must equal the host interpreter's on the same scripts: the
# same numbers passed and skipped, none failed.
#
# Prints one summary line per configuration; exits 0 iff both match.
set -uo pipefail

root=$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd -P)
testsuite=${1:-${RIVET_TESTSUITE:-$(dirname "$root")/shared/wasm-testsuite}}

# name, then the --cpu-features of the code (both lp64d: glibc, and so the
# riscv64 rivet itself, needs rv64gc; the second configuration's code calls
# __muldi3, __atomic_* and friends from rivet's helper table instead of using
# M and A).
configurations=(
  "rv64gc +m,+a,+f,+d,+c"
  "rv64-no-mac -m,-a,-c,+f,+d"
)

die() {
  echo "run_spec_rv64: $*" >&2
  exit 1
}

[ -d "$testsuite" ] || die "no spec test suite at $testsuite"
# tools/rivet refreshes out/bin/rivet and out/bin/rivet-compiler from Bazel.
"$root/tools/rivet" help >/dev/null || die "cannot build the host rivet"
"$root/tools/lib/cross_build_riscv64.sh" || die "cannot cross-build rivet for riscv64"
compiler=$root/out/bin/rivet-compiler
rivet_rv64=$root/out/riscv64/rivet

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The compiled code is a cache across runs (out/riscv64/spec-aot/NAME),
# cleared whenever the compiler is newer than it: the files are keyed by
# module, target and options, not by the compiler that made them.
cache=$root/out/riscv64/spec-aot

# --- The scripts, converted on the host. ----------------------------------------
# rivet would run wast2json itself, but from inside qemu that is a fork of a
# multi-threaded qemu-user process, and qemu 7.2's child can deadlock before
# its exec. So wast2json runs here, into a tree that mirrors the suite's, so
# that scripts under proposals/NAME/ still run with that proposal (the flags
# are cli/wast.cc's kProposals). The host compiles and the riscv64 rivet runs
# the same JSON.
proposal_flag() {
  case "$1" in
    proposals/threads/*) echo --enable-threads ;;
    proposals/tail-call/*) echo --enable-tail-call ;;
    proposals/extended-const/*) echo --enable-extended-const ;;
    proposals/multi-memory/*) echo --enable-multi-memory ;;
    proposals/*) return 1 ;;
  esac
}
mapfile -t scripts < <(cd "$testsuite" && find . -name '*.wast' -type f | sed 's|^\./||' | sort)
[ ${#scripts[@]} -gt 0 ] || die "no .wast scripts under $testsuite"
for script in "${scripts[@]}"; do
  flag=$(proposal_flag "$script") || die "$script: a proposal this test does not know"
  mkdir -p "$work/json/$(dirname "$script")"
  # No trailing blank: xargs -L would join the next line to this one.
  echo "$script ${script%.wast}.json${flag:+ $flag}"
done >"$work/conversions"
convert_one() {
  cd "$testsuite" && wast2json ${3:+"$3"} "$1" -o "$work/json/$2"
}
export -f convert_one
export testsuite work
xargs -P "$(nproc)" -L 1 bash -c 'convert_one "$@"' convert_one <"$work/conversions" ||
  die "wast2json failed"
jsons=()
for script in "${scripts[@]}"; do jsons+=("$work/json/${script%.wast}.json"); done

# --- The host's reference, and the modules compiled for each configuration. ---
# These run on the host in parallel with each other.
"$root/out/bin/rivet" wast --engine=interp "$testsuite" >"$work/reference.log" 2>&1 &
reference_pid=$!
compile_pids=()
for configuration in "${configurations[@]}"; do
  read -r name features <<<"$configuration"
  dir=$cache/$name
  if [ -d "$dir" ] && [ "$compiler" -nt "$dir/.stamp" ]; then
    rm -rf "$dir"
  fi
  mkdir -p "$dir"
  touch "$dir/.stamp"
  "$compiler" wast --engine=aot --target=riscv64 --target-abi=lp64d --cpu-features="$features" \
    --aot-out="$dir" "${jsons[@]}" >"$work/compile-$name.log" 2>&1 &
  compile_pids+=($!)
done
compile_failed=0
for i in "${!configurations[@]}"; do
  read -r name _ <<<"${configurations[$i]}"
  if ! wait "${compile_pids[$i]}"; then
    cat "$work/compile-$name.log" >&2
    echo "run_spec_rv64: $name: compiling the scripts' modules failed" >&2
    rm -f "$cache/$name/.stamp"
    compile_failed=1
  fi
done
[ "$compile_failed" -eq 0 ] || exit 1

# --- Each configuration's scripts, in one qemu process each. -------------------
# Both at once: each process runs its scripts on worker threads, which qemu
# runs in parallel too.
#
# Under a 4 GiB address-space cap, as a guard: qemu-user 7.2 books large
# reservations page by page and never gives them back (~30 MB of its RSS per
# 8 GiB guard region). rivet reserves guard regions only for code compiled
# for guard pages, which this script does not compile; should one be asked
# for anyway, the reservation fails under the cap and the runtime falls back
# to a plain allocation instead of qemu growing past 20 GB.
run_pids=()
for configuration in "${configurations[@]}"; do
  read -r name _ <<<"$configuration"
  (
    ulimit -v $((4 << 20))
    exec timeout 600 qemu-riscv64 -L /usr/riscv64-linux-gnu "$rivet_rv64" wast --engine=aot \
      --aot-dir="$cache/$name" "${jsons[@]}"
  ) >"$work/run-$name.log" 2>&1 &
  run_pids+=($!)
done
for pid in "${run_pids[@]}"; do
  wait "$pid" # the log says what happened; a crash leaves no summary line
done

wait "$reference_pid"
reference=$(tail -n 1 "$work/reference.log")
if ! [[ $reference =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
  cat "$work/reference.log" >&2
  die "the host interpreter's run gave no summary"
fi
want_passed=${BASH_REMATCH[1]}
want_skipped=${BASH_REMATCH[3]}

# --- Summaries. ---------------------------------------------------------------
status=0
for configuration in "${configurations[@]}"; do
  read -r name features <<<"$configuration"
  log=$work/run-$name.log
  last=$(tail -n 1 "$log")
  if [[ $last =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
    passed=${BASH_REMATCH[1]} failed=${BASH_REMATCH[2]} skipped=${BASH_REMATCH[3]}
    head -n -1 "$log" | sed "s|$work/json/||" | head -n 50 # failure lines, if any
  else
    echo "$name: the riscv64 rivet ended without a summary:"
    tail -n 20 "$log" | sed 's/^/  /'
    passed=0 failed=1 skipped=0
  fi
  verdict=ok
  if [ "$failed" -ne 0 ] || [ "$passed" -ne "$want_passed" ] || [ "$skipped" -ne "$want_skipped" ]; then
    verdict="MISMATCH (interpreter: $want_passed passed, $want_skipped skipped)"
    status=1
  fi
  echo "riscv64 aot $name ($features): $passed passed, $failed failed, $skipped skipped: $verdict"
done
exit "$status"
