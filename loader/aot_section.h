// The `rivet.aot` custom section: one target's compiled code and what the
// loader and the module manager must know about it.
//
// Layout (all integers unsigned LEB128, strings a LEB128 length then UTF-8
// bytes, as in the wasm binary format):
//   abi_version        kAotAbiVersion the code was compiled against
//   machine            AotMachine (x86_64, riscv64, riscv32)
//   abi                "sysv" for x86_64; lp64/lp64f/lp64d/ilp32/ilp32f/ilp32d
//   cpu                the --cpu name ("generic" when none was given)
//   features           the effective ISA features, sorted, comma-separated,
//                      each with its sign ("+a,+c,+d,+f,+m,-zbb")
//   flags              AotFlags bits
//   opt_level, size_level
//   code_hash          8 bytes little-endian, not LEB128: ModuleCodeHash()
//   helpers            count, then each undefined symbol the object calls
//   object             length, then the ELF relocatable object
//
// Everything after `abi_version` is only read when the version matches, so a
// later version may change it.
#ifndef RIVET_LOADER_AOT_SECTION_H_
#define RIVET_LOADER_AOT_SECTION_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "loader/result.h"

namespace rivet::aot {

enum class AotMachine : uint8_t { kX86_64 = 1, kRiscv64 = 2, kRiscv32 = 3 };
std::string_view MachineName(AotMachine machine);  // "x86_64", "riscv64", "riscv32"

enum AotFlags : uint32_t {
  // Linear-memory accesses are not bounds-checked: the code relies on the
  // runtime reserving guard pages (8 GiB per memory) on 64-bit hosts.
  kAotFlagGuardPages = 1u << 0,
};

struct AotSection {
  uint32_t abi_version = 0;
  AotMachine machine = AotMachine::kX86_64;
  std::string abi;
  std::string cpu;
  std::string features;
  uint32_t flags = 0;
  uint32_t opt_level = 2;
  uint32_t size_level = 0;
  uint64_t code_hash = 0;
  std::vector<std::string> helpers;
  std::span<const uint8_t> object;  // into the bytes it was parsed from

  bool guard_pages() const { return (flags & kAotFlagGuardPages) != 0; }
};

// Serialises `section` (its `object` included) into a custom section's
// payload (without the section id, size and name).
std::vector<uint8_t> EncodeAotSection(const AotSection& section);

// Parses a payload. Errors name the field and its offset within the payload;
// an abi_version other than kAotAbiVersion is an error saying both versions.
Result<AotSection> DecodeAotSection(std::span<const uint8_t> payload);

// A 64-bit hash of everything in `wasm` except custom sections (section ids,
// sizes and contents, in order): AOT code is valid only for the module whose
// hash it records. `wasm` is a whole module binary; errors if it is not
// well-formed at the section level.
Result<uint64_t> ModuleCodeHash(std::span<const uint8_t> wasm);

// Returns `wasm` with every rivet.aot section whose machine, abi, cpu and
// features equal those of `section` removed, and `section` appended as a new
// custom section. (Compiling into an existing output replaces that target's
// code and keeps the others.)
Result<std::vector<uint8_t>> AddAotSection(std::span<const uint8_t> wasm, const AotSection& section);

}  // namespace rivet::aot

#endif  // RIVET_LOADER_AOT_SECTION_H_
