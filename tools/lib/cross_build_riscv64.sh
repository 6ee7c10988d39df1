#!/usr/bin/env bash
# Cross-builds the portable rivet (the sources of //cli:rivet: no LLVM, no
# Abseil) for riscv64 Linux into out/riscv64/rivet, rebuilding only what changed.
#
#   tools/lib/cross_build_riscv64.sh [-v]
#
# Quiet on success (tools/rivet's stdout belongs to the program it runs); -v
# shows the compiler commands. Run the result with
#   qemu-riscv64 -L /usr/riscv64-linux-gnu out/riscv64/rivet ...
#
# Why not Bazel: Debian 12 has no riscv64 -dev packages, and a cc_toolchain
# switch (--crosstool_top/--cpu) discards the analysis cache of the Bazel
# server that everyone on this machine shares. Bazel still decides *what* is
# built: the source list comes from `bazel query` over //cli:rivet, so a new
# source file is never forgotten, and the query runs again only when a BUILD
# file or a folder (a file added or removed) changed. Make does the rest:
# one object per .cc, rebuilt when the .cc or a header it includes changes
# (-MMD depfiles), so a no-op call costs a few milliseconds.
set -euo pipefail

root=$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd -P)
out=$root/out/riscv64
sources_file=$out/sources.mk
target=//cli:rivet

verbose=0
[ "${1-}" = "-v" ] && verbose=1

# Prints the build's log and fails.
die() {
  echo "cross_build_riscv64: $*" >&2
  exit 1
}

for tool in riscv64-linux-gnu-g++ make; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (tools/lib/setup.sh installs it)"
done

# Whether the source list must be asked from Bazel again: a BUILD file or a
# folder (files added, removed, renamed) changed since it was written.
sources_stale() {
  [ -f "$sources_file" ] || return 0
  local d dirs=()
  for d in loader runtime interp cli; do
    [ -d "$root/$d" ] && dirs+=("$root/$d")
  done
  [ -n "$(find "${dirs[@]}" "$root/tools/lib/cross_build_riscv64.sh" \
      \( -type d -o -name BUILD -o -name BUILD.bazel -o -name '*.bzl' \
         -o -name cross_build_riscv64.sh \) \
      -newer "$sources_file" -print -quit 2>/dev/null)" ]
}

write_sources() {
  local query_log started
  mkdir -p "$out"
  started=$(mktemp "$out/sources.started.XXXXXX")
  query_log=$(mktemp)
  trap 'rm -f "$started" "$query_log"' RETURN

  # Flags a BUILD file sets on these targets would be silently missing here,
  # and generated sources would not exist: refuse both rather than build
  # something that differs from //cli:rivet.
  local flagged
  if ! flagged=$(cd "$root" && bazel query \
      "attr(defines, '\[.+\]', deps($target)) + attr(local_defines, '\[.+\]', deps($target)) +
       attr(copts, '\[.+\]', deps($target)) + attr(includes, '\[.+\]', deps($target)) +
       kind('generated file', deps($target))" 2>"$query_log"); then
    cat "$query_log" >&2
    die "bazel query over $target failed"
  fi
  flagged=$(grep '^//' <<<"$flagged" || true)
  if [ -n "$flagged" ]; then
    die "these deps of $target set defines, copts or includes, or are generated, which" \
      "this build does not mirror; teach tools/lib/riscv64.mk about them: $flagged"
  fi

  local labels
  if ! labels=$(cd "$root" && bazel query "kind('source file', deps($target))" 2>"$query_log"); then
    cat "$query_log" >&2
    die "bazel query over $target failed"
  fi
  # //cli:main.cc -> cli/main.cc; only this repository's .cc files compile
  # (headers come in through the depfiles; @bazel_tools files are Bazel's).
  local sources
  sources=$(grep '^//.*\.cc$' <<<"$labels" | sed -e 's|^//||' -e 's|:|/|' | sort)
  [ -n "$sources" ] || die "bazel query found no .cc sources for $target"
  {
    echo "# Written by tools/lib/cross_build_riscv64.sh from bazel query; do not edit."
    echo "RIVET_SOURCES := \\"
    sed -e 's/^/  /' -e 's/$/ \\/' <<<"$sources"
    echo ""
  } >"$sources_file.tmp"
  # Sources edited while the query ran must trigger the next one.
  touch -r "$started" "$sources_file.tmp"
  mv -f "$sources_file.tmp" "$sources_file"
}

if sources_stale; then
  write_sources
fi

make_args=(-f "$root/tools/lib/riscv64.mk" -j"$(nproc)" ROOT="$root" OUT="$out"
  SOURCES_FILE="$sources_file")
if [ "$verbose" -eq 1 ]; then
  make "${make_args[@]}"
else
  if ! log=$(make -s "${make_args[@]}" 2>&1); then
    printf '%s\n' "$log" >&2
    die "the riscv64 build failed"
  fi
fi
