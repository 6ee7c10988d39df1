// The AOT compiler: WebAssembly to native code through LLVM 19.
#ifndef RIVET_AOT_COMPILER_H_
#define RIVET_AOT_COMPILER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "loader/aot_section.h"
#include "loader/module.h"

namespace rivet::aot {

// What to compile for: `rivet compile`'s target options.
struct TargetOptions {
  std::string target = "x86_64";  // x86_64 | riscv64 | riscv32; "host" is x86_64 here
  std::string abi;                // empty: the target's default (lp64d, ilp32, sysv)
  std::string cpu;                // empty: "generic" (riscv) or "x86-64"
  std::string features;           // "+m,+a,-c": applied over the CPU's own
  uint32_t opt_level = 2;         // 0..3
  uint32_t size_level = 0;        // 0..2
  bool guard_pages = false;       // omit bounds checks (64-bit targets only)
};

// A target resolved and checked against LLVM's tables.
struct ResolvedTarget {
  AotMachine machine;
  std::string triple;
  std::string abi;
  std::string cpu;
  std::string features;  // effective, sorted, signed: "+a,+c,+d,+f,+m"
  bool has_simd = false;  // the target has 128-bit vector registers
  uint32_t pointer_bits = 64;
};

// Checks `options`: unknown targets, ABIs, CPUs or features, and ABIs the
// features cannot support (ilp32d without +d), are errors listing what is
// valid.
absl::StatusOr<ResolvedTarget> ResolveTarget(const TargetOptions& options);

// Compiles every function of `module` for `options`: returns the payload of
// the rivet.aot section that carries the object code (EncodeAotSection).
// Deterministic: the same module and options give the same bytes.
absl::StatusOr<std::vector<uint8_t>> CompileModule(const Module& module,
                                                   const TargetOptions& options);

}  // namespace rivet::aot

#endif  // RIVET_AOT_COMPILER_H_
