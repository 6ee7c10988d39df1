// What a machine can run: its architecture, float ABI and ISA extensions.
//
// The module manager uses AOT code only when the code's needs fit the
// profile of the machine it runs on: DetectHostProfile() probes it (cpuid on
// x86-64; on RISC-V Linux the kernel's hwprobe or /proc/cpuinfo, never less
// than what rivet itself was compiled for), and an embedder on bare metal,
// or `rivet inspect --host=...`, names one instead:
//   riscv32:rv32imac:ilp32    riscv64:rv64gc:lp64d    x86_64:+sse4.1,+popcnt
#ifndef RIVET_RUNTIME_HOST_PROFILE_H_
#define RIVET_RUNTIME_HOST_PROFILE_H_

#include <set>
#include <string>
#include <string_view>

#include "loader/aot_section.h"
#include "loader/result.h"

namespace rivet {

struct HostProfile {
  aot::AotMachine machine = aot::AotMachine::kX86_64;
  // The float ABI the runtime itself uses, which AOT code must share
  // ("sysv" on x86-64; lp64/lp64f/lp64d/ilp32/ilp32f/ilp32d on RISC-V).
  std::string abi;
  // ISA extensions present, in LLVM's feature names ("m", "a", "zbb",
  // "sse4.1", "avx2", ...).
  std::set<std::string> extensions;
  // Where the facts came from, for explanations ("cpuid", "/proc/cpuinfo",
  // "profile riscv32:rv32imac:ilp32", ...).
  std::string source;

  bool Has(std::string_view extension) const { return extensions.count(std::string(extension)) > 0; }
  std::string ToString() const;  // "riscv32:rv32imac:ilp32" style
};

// The machine rivet is running on, or an error on machines rivet has no AOT
// support for (AOT code is then never used).
Result<HostProfile> DetectHostProfile();

// Parses "ARCH:ISA:ABI" (RISC-V: an ISA string such as rv64gc or
// rv32imac_zbb; x86_64: a comma-separated feature list, optional ABI sysv).
Result<HostProfile> ParseHostProfile(std::string_view text);

// Parses a RISC-V ISA string ("rv64gc", "rv32imafdc_zicsr_zbb") into LLVM
// extension names; `xlen` gets 32 or 64.
Result<std::set<std::string>> ParseRiscvIsa(std::string_view isa, unsigned* xlen);

}  // namespace rivet

#endif  // RIVET_RUNTIME_HOST_PROFILE_H_
