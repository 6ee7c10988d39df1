// The relocation core: applies one ELF relocation of x86-64 or RISC-V (rv32,
// rv64) to bytes the loader has already laid out, and writes the stubs through
// which calls reach targets that are out of a branch's reach.
//
// Freestanding on purpose (the same code relocates AOT code on rv32 firmware):
// no heap, no exceptions, no RTTI, no standard library; only <stdint.h> and
// <stddef.h>. Errors are returned as a status plus a static message, never
// asserted; the caller adds where (section, offset, type name).
//
// What the caller decides, and this core does not: symbol values (S), the
// run-time address of each field (P), GOT slots, and the pairing of RISC-V
// PCREL_LO12 relocations with their HI20 (whose value the caller computes
// with RiscvHiValue and passes in Relocation::pcrel_hi). When a call is out of
// range the core reports kOutOfRange; the caller then retries with the
// address of a stub (see RelocationTraits' kRelocCall).
#ifndef RIVET_LOADER_ELF_RELOCATE_H_
#define RIVET_LOADER_ELF_RELOCATE_H_

#include <stddef.h>
#include <stdint.h>

namespace rivet::elf {

enum class RelocStatus : uint8_t {
  kOk = 0,
  kUnsupported,       // a relocation type this core does not implement
  kOutOfRange,        // the value does not fit the field
  kMisaligned,        // the value is not a multiple of the field's unit
  kFieldOutOfBounds,  // the field extends past the end of its section
  kBadEncoding,       // the bytes in place are not what the type patches
};

struct RelocOutcome {
  RelocStatus status = RelocStatus::kOk;
  const char* message = "";  // static text; empty when status is kOk

  bool ok() const { return status == RelocStatus::kOk; }
};

// One relocation, with everything resolved to addresses.
struct Relocation {
  uint32_t type = 0;
  uint8_t* field = nullptr;  // the first byte patched, in the loader's buffer
  uint64_t room = 0;         // bytes from `field` to the end of its section
  uint64_t place = 0;        // P: the run-time address of `field`
  uint64_t symbol = 0;       // S: the run-time address of the symbol
  int64_t addend = 0;        // A
  uint64_t got_slot = 0;     // run-time address of S's GOT slot (GOT types)
  uint64_t pcrel_hi = 0;     // RISC-V PCREL_LO12_*: the paired HI20's value
};

// What the loader must prepare for a relocation type.
enum RelocTraits : uint32_t {
  kRelocSupported = 1u << 0,  // Apply*Relocation implements it
  kRelocIgnored = 1u << 1,    // nothing to do (NONE, RISC-V RELAX and ALIGN)
  kRelocUsesGot = 1u << 2,    // needs Relocation::got_slot
  kRelocCall = 1u << 3,       // a call or jump: may go through a stub
  kRelocPcrelHi = 1u << 4,    // RISC-V: an AUIPC a PCREL_LO12 may refer to
  kRelocPcrelLo = 1u << 5,    // RISC-V: needs Relocation::pcrel_hi
};

// x86-64.
RelocOutcome ApplyX86_64Relocation(const Relocation& relocation);
uint32_t X86_64RelocationTraits(uint32_t type);
// "R_X86_64_PC32"; "unknown" for types without a name.
const char* X86_64RelocationName(uint32_t type);

// RISC-V; `rv64` selects XLEN (address arithmetic wraps at 2^32 on rv32).
RelocOutcome ApplyRiscvRelocation(const Relocation& relocation, bool rv64);
uint32_t RiscvRelocationTraits(uint32_t type);
const char* RiscvRelocationName(uint32_t type);
// The value a HI20-type relocation (PCREL_HI20: S+A-P, GOT_HI20: GOT slot+A-P)
// puts in its AUIPC: what the PCREL_LO12 relocations naming it complete.
uint64_t RiscvHiValue(const Relocation& hi, bool rv64);

// Stubs: an indirect jump to `target` through an address slot inside the stub,
// so that it reaches anywhere. `stub` is the stub's bytes in the loader's
// buffer (kX86_64StubSize / kRiscvStubSize of them).
//   x86-64:  jmp *8(%rip) ... ; .quad target
//   RISC-V:  auipc t3, 0; l[w|d] t3, 16(t3); jr t3; nop; .dword/.word target
// t3 is a register the psABI lets PLT code clobber, so calls may go through it.
inline constexpr size_t kX86_64StubSize = 16;
inline constexpr size_t kRiscvStubSize = 24;
inline constexpr size_t kStubAlignment = 8;
void WriteX86_64Stub(uint8_t* stub, uint64_t target);
void WriteRiscvStub(uint8_t* stub, uint64_t target, bool rv64);

}  // namespace rivet::elf

#endif  // RIVET_LOADER_ELF_RELOCATE_H_
