// x86-64 relocations (System V AMD64 psABI, section 4.4). Freestanding: see
// relocate.h.
#include <stddef.h>
#include <stdint.h>

#include "loader/elf/elf_format.h"
#include "loader/elf/relocate.h"

namespace rivet::elf {
namespace {

constexpr RelocOutcome Fail(RelocStatus status, const char* message) {
  return RelocOutcome{status, message};
}

bool FitsInt32(int64_t value) { return value >= INT32_MIN && value <= INT32_MAX; }

// Writes a 32-bit PC-relative or sign-extended value, checking its range.
RelocOutcome WriteSigned32(const Relocation& r, uint64_t value, const char* range_message) {
  if (r.room < 4)
    return Fail(RelocStatus::kFieldOutOfBounds, "the 4-byte field extends past the section");
  if (!FitsInt32(static_cast<int64_t>(value))) return Fail(RelocStatus::kOutOfRange, range_message);
  WriteLe32(r.field, static_cast<uint32_t>(value));
  return {};
}

}  // namespace

uint32_t X86_64RelocationTraits(uint32_t type) {
  switch (type) {
    case kR_X86_64_NONE:
      return kRelocSupported | kRelocIgnored;
    case kR_X86_64_64:
    case kR_X86_64_32:
    case kR_X86_64_32S:
    case kR_X86_64_PC64:
      return kRelocSupported;
    case kR_X86_64_PC32:
    case kR_X86_64_PLT32:
      return kRelocSupported | kRelocCall;
    case kR_X86_64_GOTPCREL:
    case kR_X86_64_GOTPCRELX:
    case kR_X86_64_REX_GOTPCRELX:
      return kRelocSupported | kRelocUsesGot;
    default:
      return 0;
  }
}

RelocOutcome ApplyX86_64Relocation(const Relocation& r) {
  const uint64_t absolute = r.symbol + static_cast<uint64_t>(r.addend);
  const uint64_t pc_relative = absolute - r.place;
  switch (r.type) {
    case kR_X86_64_NONE:
      return {};
    case kR_X86_64_64:
      if (r.room < 8)
        return Fail(RelocStatus::kFieldOutOfBounds, "the 8-byte field extends past the section");
      WriteLe64(r.field, absolute);
      return {};
    case kR_X86_64_PC64:
      if (r.room < 8)
        return Fail(RelocStatus::kFieldOutOfBounds, "the 8-byte field extends past the section");
      WriteLe64(r.field, pc_relative);
      return {};
    case kR_X86_64_32:
      if (r.room < 4)
        return Fail(RelocStatus::kFieldOutOfBounds, "the 4-byte field extends past the section");
      if (absolute > UINT32_MAX) {
        return Fail(
            RelocStatus::kOutOfRange,
            "the address does not fit in 32 unsigned bits (code compiled for the small code "
            "model must be loaded below 4 GiB)");
      }
      WriteLe32(r.field, static_cast<uint32_t>(absolute));
      return {};
    case kR_X86_64_32S:
      return WriteSigned32(
          r, absolute,
          "the address does not fit in 32 signed bits (code compiled for the small "
          "code model must be loaded below 2 GiB)");
    case kR_X86_64_PC32:
    case kR_X86_64_PLT32:
      return WriteSigned32(r, pc_relative, "the target is more than 2 GiB away");
    case kR_X86_64_GOTPCREL:
    case kR_X86_64_GOTPCRELX:
    case kR_X86_64_REX_GOTPCRELX:
      // No GOT relaxation: loading the address from the slot is always correct.
      return WriteSigned32(r, r.got_slot + static_cast<uint64_t>(r.addend) - r.place,
                           "the GOT slot is more than 2 GiB away");
    default:
      return Fail(RelocStatus::kUnsupported, "unsupported relocation type");
  }
}

const char* X86_64RelocationName(uint32_t type) {
  switch (type) {
#define RIVET_X86_64_RELOC_NAME(name) \
  case kR_X86_64_##name:              \
    return "R_X86_64_" #name;
    RIVET_X86_64_RELOC_NAME(NONE)
    RIVET_X86_64_RELOC_NAME(64)
    RIVET_X86_64_RELOC_NAME(PC32)
    RIVET_X86_64_RELOC_NAME(GOT32)
    RIVET_X86_64_RELOC_NAME(PLT32)
    RIVET_X86_64_RELOC_NAME(COPY)
    RIVET_X86_64_RELOC_NAME(GLOB_DAT)
    RIVET_X86_64_RELOC_NAME(JUMP_SLOT)
    RIVET_X86_64_RELOC_NAME(RELATIVE)
    RIVET_X86_64_RELOC_NAME(GOTPCREL)
    RIVET_X86_64_RELOC_NAME(32)
    RIVET_X86_64_RELOC_NAME(32S)
    RIVET_X86_64_RELOC_NAME(16)
    RIVET_X86_64_RELOC_NAME(PC16)
    RIVET_X86_64_RELOC_NAME(8)
    RIVET_X86_64_RELOC_NAME(PC8)
    RIVET_X86_64_RELOC_NAME(DTPMOD64)
    RIVET_X86_64_RELOC_NAME(DTPOFF64)
    RIVET_X86_64_RELOC_NAME(TPOFF64)
    RIVET_X86_64_RELOC_NAME(TLSGD)
    RIVET_X86_64_RELOC_NAME(TLSLD)
    RIVET_X86_64_RELOC_NAME(DTPOFF32)
    RIVET_X86_64_RELOC_NAME(GOTTPOFF)
    RIVET_X86_64_RELOC_NAME(TPOFF32)
    RIVET_X86_64_RELOC_NAME(PC64)
    RIVET_X86_64_RELOC_NAME(GOTOFF64)
    RIVET_X86_64_RELOC_NAME(GOTPC32)
    RIVET_X86_64_RELOC_NAME(GOT64)
    RIVET_X86_64_RELOC_NAME(GOTPCREL64)
    RIVET_X86_64_RELOC_NAME(GOTPC64)
    RIVET_X86_64_RELOC_NAME(GOTPLT64)
    RIVET_X86_64_RELOC_NAME(PLTOFF64)
    RIVET_X86_64_RELOC_NAME(SIZE32)
    RIVET_X86_64_RELOC_NAME(SIZE64)
    RIVET_X86_64_RELOC_NAME(GOTPC32_TLSDESC)
    RIVET_X86_64_RELOC_NAME(TLSDESC_CALL)
    RIVET_X86_64_RELOC_NAME(TLSDESC)
    RIVET_X86_64_RELOC_NAME(IRELATIVE)
    RIVET_X86_64_RELOC_NAME(RELATIVE64)
    RIVET_X86_64_RELOC_NAME(GOTPCRELX)
    RIVET_X86_64_RELOC_NAME(REX_GOTPCRELX)
#undef RIVET_X86_64_RELOC_NAME
    default:
      return "unknown";
  }
}

void WriteX86_64Stub(uint8_t* stub, uint64_t target) {
  // jmp *2(%rip): the slot starts 2 bytes after this 6-byte instruction, at
  // offset 8, so that it is naturally aligned.
  const uint8_t jump[6] = {0xff, 0x25, 0x02, 0x00, 0x00, 0x00};
  for (size_t i = 0; i < 6; ++i) stub[i] = jump[i];
  stub[6] = 0xcc;  // int3: never executed
  stub[7] = 0xcc;
  WriteLe64(stub + 8, target);
}

}  // namespace rivet::elf
