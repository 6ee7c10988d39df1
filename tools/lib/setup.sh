# shellcheck shell=bash
# Machine set-up shared by tools/rivet and tools/test (sourced, not executed).
#
# rivet builds only from Debian packages (see ../shared/docs/bazel-offline.md): a
# fresh machine or CI runner may lack some of them, and on such a machine the
# package lists may be empty or stale, so an install needs `apt-get update` first.
# That costs minutes, so it happens only when something is actually missing; when
# everything is installed this prints nothing.

rivet_required_packages=(
  bazel-bootstrap # Bazel 4.2.3, the build tool
  libabsl-dev     # Abseil, //third_party/absl
  googletest      # GoogleTest sources; libgtest-dev depends on it
  libgtest-dev    # GoogleTest libraries, //third_party/gtest
  llvm-19-dev     # LLVM 19, @llvm (the AOT compiler)
  clang-19        # compiles C to wasm for tests
  lld-19          # wasm-ld and ld.lld
  wabt            # wat2wasm, wast2json
  wasi-libc       # libc for C compiled to wasm32-wasi
  binaryen        # wasm-opt -ttf: random modules for tests/differential
  g++-riscv64-linux-gnu # the riscv64 cross build (tools/rivet --arch=riscv64)
  qemu-user       # qemu-riscv64 runs it
  gcc-riscv64-unknown-elf # the freestanding rv32 AOT harness (tests/riscv/rv32)
)

# Installs whichever of rivet_required_packages is missing. Returns non-zero if
# they cannot be installed.
rivet_setup() {
  local installed missing=() p
  # One dpkg call for all packages (~10 ms; one call per package costs ~60 ms).
  # `dpkg -s` also succeeds for removed-but-not-purged packages, so read each
  # stanza's Status line rather than trusting the exit code.
  installed=" $(dpkg -s "${rivet_required_packages[@]}" 2>/dev/null |
    awk '/^Package:/ { p = $2 } /^Status: install ok installed/ { printf "%s ", p }')"
  for p in "${rivet_required_packages[@]}"; do
    case "$installed" in
      *" $p "*) ;;
      *) missing+=("$p") ;;
    esac
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  local sudo=()
  if [ "$EUID" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "setup: missing packages (${missing[*]}); run as root or install sudo" >&2
      return 1
    fi
    sudo=(sudo)
  fi
  # Progress goes to stderr so that tools/rivet's stdout stays the program's own.
  echo "setup: installing missing packages: ${missing[*]}" >&2
  if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q update &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q install -y "${missing[@]}"; } >&2; then
    echo "setup: failed to install: ${missing[*]}" >&2
    return 1
  fi
}
