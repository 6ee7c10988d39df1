// RISC-V relocations for rv32 and rv64 (RISC-V ELF psABI, "Relocations").
// Freestanding: see relocate.h.
//
// No linker relaxation is done: R_RISCV_RELAX only permits it, so ignoring it
// is always correct; R_RISCV_ALIGN marks padding NOPs the assembler emitted for
// an alignment that relaxation might disturb, and since nothing moves, the
// NOPs stay and the code stays aligned as long as the section is placed at its
// sh_addralign (the loader guarantees that).
#include <stddef.h>
#include <stdint.h>

#include "loader/elf/elf_format.h"
#include "loader/elf/relocate.h"

namespace rivet::elf {
namespace {

constexpr RelocOutcome Fail(RelocStatus status, const char* message) {
  return RelocOutcome{status, message};
}

// The signed distance or value a relocation computes, at XLEN: on rv32
// addresses wrap at 2^32, so a value is its low 32 bits, sign-extended.
int64_t AtXlen(uint64_t value, bool rv64) {
  return rv64 ? static_cast<int64_t>(value) : static_cast<int64_t>(static_cast<int32_t>(value));
}

bool FitsSigned(int64_t value, int bits) {
  const int64_t limit = int64_t{1} << (bits - 1);
  return value >= -limit && value < limit;
}

uint32_t Bits(uint64_t value, int high, int low) {
  return static_cast<uint32_t>((value >> low) & ((uint64_t{1} << (high - low + 1)) - 1));
}

// Instruction immediates. Each returns `instruction` with its immediate
// field(s) replaced by the corresponding bits of `value`.
uint32_t SetITypeImmediate(uint32_t instruction, uint64_t value) {
  return (instruction & 0x000fffffu) | (Bits(value, 11, 0) << 20);
}
uint32_t SetSTypeImmediate(uint32_t instruction, uint64_t value) {
  return (instruction & 0x01fff07fu) | (Bits(value, 11, 5) << 25) | (Bits(value, 4, 0) << 7);
}
uint32_t SetUTypeImmediate(uint32_t instruction, uint64_t value) {
  return (instruction & 0x00000fffu) | (Bits(value, 31, 12) << 12);
}
uint32_t SetBTypeImmediate(uint32_t instruction, uint64_t value) {
  return (instruction & 0x01fff07fu) | (Bits(value, 12, 12) << 31) | (Bits(value, 10, 5) << 25) |
         (Bits(value, 4, 1) << 8) | (Bits(value, 11, 11) << 7);
}
uint32_t SetJTypeImmediate(uint32_t instruction, uint64_t value) {
  return (instruction & 0x00000fffu) | (Bits(value, 20, 20) << 31) | (Bits(value, 10, 1) << 21) |
         (Bits(value, 11, 11) << 20) | (Bits(value, 19, 12) << 12);
}
// c.beqz / c.bnez: offset[8|4:3] in bits 12:10, offset[7:6|2:1|5] in 6:2.
uint16_t SetCbTypeImmediate(uint16_t instruction, uint64_t value) {
  return static_cast<uint16_t>((instruction & 0xe383u) | (Bits(value, 8, 8) << 12) |
                               (Bits(value, 4, 3) << 10) | (Bits(value, 7, 6) << 5) |
                               (Bits(value, 2, 1) << 3) | (Bits(value, 5, 5) << 2));
}
// c.j / c.jal: offset[11|4|9:8|10|6|7|3:1|5] in bits 12:2.
uint16_t SetCjTypeImmediate(uint16_t instruction, uint64_t value) {
  return static_cast<uint16_t>(
      (instruction & 0xe003u) | (Bits(value, 11, 11) << 12) | (Bits(value, 4, 4) << 11) |
      (Bits(value, 9, 8) << 9) | (Bits(value, 10, 10) << 8) | (Bits(value, 6, 6) << 7) |
      (Bits(value, 7, 7) << 6) | (Bits(value, 3, 1) << 3) | (Bits(value, 5, 5) << 2));
}

// The upper 20 bits that, with a sign-extended low 12 bits added, give
// `value`: the rounding the AUIPC/LUI + ADDI/LOAD/STORE pairs rely on. On
// rv64 the pair reaches only values within 32 signed bits of rounding.
RelocOutcome CheckHi20Range(int64_t value, bool rv64) {
  // Rounded in unsigned arithmetic: a value near INT64_MAX (a corrupt
  // addend) wraps to a large negative one, which is out of range too.
  const int64_t rounded = static_cast<int64_t>(static_cast<uint64_t>(value) + 0x800);
  if (rv64 && !FitsSigned(rounded, 32)) {
    return Fail(RelocStatus::kOutOfRange,
                "the value is out of the +-2 GiB reach of a HI20/LO12 pair");
  }
  return {};
}

RelocOutcome Patch32(const Relocation& r, uint32_t (*set)(uint32_t, uint64_t), uint64_t value) {
  if (r.room < 4)
    return Fail(RelocStatus::kFieldOutOfBounds, "the instruction extends past the section");
  WriteLe32(r.field, set(ReadLe32(r.field), value));
  return {};
}

// Branch and jump offsets: signed `bits` wide, multiples of 2.
RelocOutcome CheckBranch(int64_t offset, int bits, const char* range_message) {
  if (!FitsSigned(offset, bits)) return Fail(RelocStatus::kOutOfRange, range_message);
  if ((offset & 1) != 0)
    return Fail(RelocStatus::kMisaligned, "the branch target is not 2-byte aligned");
  return {};
}

// Data fields of `size` bytes, read-modify-written for ADD/SUB.
uint64_t ReadData(const uint8_t* field, size_t size) {
  switch (size) {
    case 1:
      return field[0];
    case 2:
      return ReadLe16(field);
    case 4:
      return ReadLe32(field);
    default:
      return ReadLe64(field);
  }
}
void WriteData(uint8_t* field, size_t size, uint64_t value) {
  switch (size) {
    case 1:
      field[0] = static_cast<uint8_t>(value);
      break;
    case 2:
      WriteLe16(field, static_cast<uint16_t>(value));
      break;
    case 4:
      WriteLe32(field, static_cast<uint32_t>(value));
      break;
    default:
      WriteLe64(field, value);
      break;
  }
}
RelocOutcome WriteDataField(const Relocation& r, size_t size, uint64_t value) {
  if (r.room < size)
    return Fail(RelocStatus::kFieldOutOfBounds, "the data field extends past the section");
  WriteData(r.field, size, value);
  return {};
}
RelocOutcome AddToDataField(const Relocation& r, size_t size, uint64_t value, bool subtract) {
  if (r.room < size)
    return Fail(RelocStatus::kFieldOutOfBounds, "the data field extends past the section");
  const uint64_t old_value = ReadData(r.field, size);
  WriteData(r.field, size, subtract ? old_value - value : old_value + value);
  return {};
}

// SET_ULEB128 / SUB_ULEB128 rewrite a ULEB128 in place, keeping its length
// (nothing moves). Like the ADD/SUB pairs they compute modulo the field's
// width, 7 bits per byte: SET stores an address, SUB subtracts another, and
// only the difference must fit, as in lld and JITLink.
RelocOutcome PatchUleb128(const Relocation& r, uint64_t value, bool subtract) {
  size_t length = 0;
  while (true) {
    if (length >= r.room)
      return Fail(RelocStatus::kFieldOutOfBounds, "the ULEB128 field extends past the section");
    if (length >= 10)
      return Fail(RelocStatus::kBadEncoding, "the ULEB128 field is longer than 10 bytes");
    if ((r.field[length++] & 0x80) == 0) break;
  }
  uint64_t old_value = 0;
  for (size_t i = 0; i < length; ++i)
    old_value |= static_cast<uint64_t>(r.field[i] & 0x7f) << (7 * i);
  uint64_t result = subtract ? old_value - value : value;
  for (size_t i = 0; i < length; ++i) {
    const uint8_t continuation = (i + 1 < length) ? 0x80 : 0;
    r.field[i] = static_cast<uint8_t>((result & 0x7f) | continuation);
    result >>= 7;
  }
  return {};
}

}  // namespace

uint32_t RiscvRelocationTraits(uint32_t type) {
  switch (type) {
    case kR_RISCV_NONE:
    case kR_RISCV_RELAX:
    case kR_RISCV_ALIGN:
      return kRelocSupported | kRelocIgnored;
    case kR_RISCV_JAL:
    case kR_RISCV_CALL:
    case kR_RISCV_CALL_PLT:
      return kRelocSupported | kRelocCall;
    case kR_RISCV_PCREL_HI20:
      return kRelocSupported | kRelocPcrelHi;
    case kR_RISCV_GOT_HI20:
      return kRelocSupported | kRelocPcrelHi | kRelocUsesGot;
    case kR_RISCV_PCREL_LO12_I:
    case kR_RISCV_PCREL_LO12_S:
      return kRelocSupported | kRelocPcrelLo;
    case kR_RISCV_32:
    case kR_RISCV_64:
    case kR_RISCV_BRANCH:
    case kR_RISCV_HI20:
    case kR_RISCV_LO12_I:
    case kR_RISCV_LO12_S:
    case kR_RISCV_RVC_BRANCH:
    case kR_RISCV_RVC_JUMP:
    case kR_RISCV_ADD8:
    case kR_RISCV_ADD16:
    case kR_RISCV_ADD32:
    case kR_RISCV_ADD64:
    case kR_RISCV_SUB6:
    case kR_RISCV_SUB8:
    case kR_RISCV_SUB16:
    case kR_RISCV_SUB32:
    case kR_RISCV_SUB64:
    case kR_RISCV_SET6:
    case kR_RISCV_SET8:
    case kR_RISCV_SET16:
    case kR_RISCV_SET32:
    case kR_RISCV_SET_ULEB128:
    case kR_RISCV_SUB_ULEB128:
    case kR_RISCV_32_PCREL:
      return kRelocSupported;
    default:
      return 0;
  }
}

uint64_t RiscvHiValue(const Relocation& hi, bool rv64) {
  const uint64_t base = hi.type == kR_RISCV_GOT_HI20 ? hi.got_slot : hi.symbol;
  const uint64_t value = base + static_cast<uint64_t>(hi.addend) - hi.place;
  return static_cast<uint64_t>(AtXlen(value, rv64));
}

RelocOutcome ApplyRiscvRelocation(const Relocation& r, bool rv64) {
  const uint64_t absolute = r.symbol + static_cast<uint64_t>(r.addend);
  const int64_t pc_relative = AtXlen(absolute - r.place, rv64);
  switch (r.type) {
    case kR_RISCV_NONE:
    case kR_RISCV_RELAX:
    case kR_RISCV_ALIGN:
      return {};

    case kR_RISCV_32:
      if (rv64 && absolute > UINT32_MAX && !FitsSigned(static_cast<int64_t>(absolute), 32)) {
        return Fail(RelocStatus::kOutOfRange, "the value does not fit in 32 bits");
      }
      return WriteDataField(r, 4, absolute);
    case kR_RISCV_64:
      return WriteDataField(r, 8, absolute);
    case kR_RISCV_32_PCREL:
      if (!FitsSigned(pc_relative, 32))
        return Fail(RelocStatus::kOutOfRange, "the target is more than 2 GiB away");
      return WriteDataField(r, 4, static_cast<uint64_t>(pc_relative));

    case kR_RISCV_BRANCH: {
      RelocOutcome range =
          CheckBranch(pc_relative, 13, "the branch target is more than 4 KiB away");
      if (!range.ok()) return range;
      return Patch32(r, SetBTypeImmediate, static_cast<uint64_t>(pc_relative));
    }
    case kR_RISCV_JAL: {
      RelocOutcome range = CheckBranch(pc_relative, 21, "the jump target is more than 1 MiB away");
      if (!range.ok()) return range;
      return Patch32(r, SetJTypeImmediate, static_cast<uint64_t>(pc_relative));
    }
    case kR_RISCV_RVC_BRANCH: {
      RelocOutcome range =
          CheckBranch(pc_relative, 9, "the compressed branch target is more than 256 bytes away");
      if (!range.ok()) return range;
      if (r.room < 2)
        return Fail(RelocStatus::kFieldOutOfBounds, "the instruction extends past the section");
      WriteLe16(r.field, SetCbTypeImmediate(ReadLe16(r.field), static_cast<uint64_t>(pc_relative)));
      return {};
    }
    case kR_RISCV_RVC_JUMP: {
      RelocOutcome range =
          CheckBranch(pc_relative, 12, "the compressed jump target is more than 2 KiB away");
      if (!range.ok()) return range;
      if (r.room < 2)
        return Fail(RelocStatus::kFieldOutOfBounds, "the instruction extends past the section");
      WriteLe16(r.field, SetCjTypeImmediate(ReadLe16(r.field), static_cast<uint64_t>(pc_relative)));
      return {};
    }
    case kR_RISCV_CALL:
    case kR_RISCV_CALL_PLT: {
      // AUIPC + JALR: the pair reaches +-2 GiB.
      RelocOutcome range = CheckHi20Range(pc_relative, rv64);
      if (!range.ok())
        return Fail(RelocStatus::kOutOfRange, "the call target is more than 2 GiB away");
      if (r.room < 8)
        return Fail(RelocStatus::kFieldOutOfBounds, "the AUIPC+JALR pair extends past the section");
      const uint64_t value = static_cast<uint64_t>(pc_relative);
      WriteLe32(r.field, SetUTypeImmediate(ReadLe32(r.field), value + 0x800));
      WriteLe32(r.field + 4, SetITypeImmediate(ReadLe32(r.field + 4), value));
      return {};
    }

    case kR_RISCV_PCREL_HI20:
    case kR_RISCV_GOT_HI20: {
      const int64_t value = static_cast<int64_t>(RiscvHiValue(r, rv64));
      RelocOutcome range = CheckHi20Range(value, rv64);
      if (!range.ok()) return range;
      return Patch32(r, SetUTypeImmediate, static_cast<uint64_t>(value) + 0x800);
    }
    case kR_RISCV_PCREL_LO12_I:
      return Patch32(r, SetITypeImmediate, r.pcrel_hi);
    case kR_RISCV_PCREL_LO12_S:
      return Patch32(r, SetSTypeImmediate, r.pcrel_hi);
    case kR_RISCV_HI20: {
      const int64_t value = AtXlen(absolute, rv64);
      RelocOutcome range = CheckHi20Range(value, rv64);
      if (!range.ok()) return range;
      return Patch32(r, SetUTypeImmediate, static_cast<uint64_t>(value) + 0x800);
    }
    case kR_RISCV_LO12_I:
      return Patch32(r, SetITypeImmediate, absolute);
    case kR_RISCV_LO12_S:
      return Patch32(r, SetSTypeImmediate, absolute);

    case kR_RISCV_ADD8:
      return AddToDataField(r, 1, absolute, false);
    case kR_RISCV_ADD16:
      return AddToDataField(r, 2, absolute, false);
    case kR_RISCV_ADD32:
      return AddToDataField(r, 4, absolute, false);
    case kR_RISCV_ADD64:
      return AddToDataField(r, 8, absolute, false);
    case kR_RISCV_SUB8:
      return AddToDataField(r, 1, absolute, true);
    case kR_RISCV_SUB16:
      return AddToDataField(r, 2, absolute, true);
    case kR_RISCV_SUB32:
      return AddToDataField(r, 4, absolute, true);
    case kR_RISCV_SUB64:
      return AddToDataField(r, 8, absolute, true);
    case kR_RISCV_SET8:
      return WriteDataField(r, 1, absolute);
    case kR_RISCV_SET16:
      return WriteDataField(r, 2, absolute);
    case kR_RISCV_SET32:
      return WriteDataField(r, 4, absolute);
    case kR_RISCV_SUB6:
    case kR_RISCV_SET6: {
      // The low 6 bits of a byte (a DW_CFA_advance_loc's delta).
      if (r.room < 1)
        return Fail(RelocStatus::kFieldOutOfBounds, "the data field extends past the section");
      const uint8_t old_value = r.field[0];
      const uint64_t low = r.type == kR_RISCV_SET6 ? absolute : old_value - absolute;
      r.field[0] = static_cast<uint8_t>((old_value & 0xc0) | (low & 0x3f));
      return {};
    }
    case kR_RISCV_SET_ULEB128:
      return PatchUleb128(r, absolute, false);
    case kR_RISCV_SUB_ULEB128:
      return PatchUleb128(r, absolute, true);

    default:
      return Fail(RelocStatus::kUnsupported, "unsupported relocation type");
  }
}

const char* RiscvRelocationName(uint32_t type) {
  switch (type) {
#define RIVET_RISCV_RELOC_NAME(name) \
  case kR_RISCV_##name:              \
    return "R_RISCV_" #name;
    RIVET_RISCV_RELOC_NAME(NONE)
    RIVET_RISCV_RELOC_NAME(32)
    RIVET_RISCV_RELOC_NAME(64)
    RIVET_RISCV_RELOC_NAME(RELATIVE)
    RIVET_RISCV_RELOC_NAME(COPY)
    RIVET_RISCV_RELOC_NAME(JUMP_SLOT)
    RIVET_RISCV_RELOC_NAME(TLS_DTPMOD32)
    RIVET_RISCV_RELOC_NAME(TLS_DTPMOD64)
    RIVET_RISCV_RELOC_NAME(TLS_DTPREL32)
    RIVET_RISCV_RELOC_NAME(TLS_DTPREL64)
    RIVET_RISCV_RELOC_NAME(TLS_TPREL32)
    RIVET_RISCV_RELOC_NAME(TLS_TPREL64)
    RIVET_RISCV_RELOC_NAME(TLSDESC)
    RIVET_RISCV_RELOC_NAME(BRANCH)
    RIVET_RISCV_RELOC_NAME(JAL)
    RIVET_RISCV_RELOC_NAME(CALL)
    RIVET_RISCV_RELOC_NAME(CALL_PLT)
    RIVET_RISCV_RELOC_NAME(GOT_HI20)
    RIVET_RISCV_RELOC_NAME(TLS_GOT_HI20)
    RIVET_RISCV_RELOC_NAME(TLS_GD_HI20)
    RIVET_RISCV_RELOC_NAME(PCREL_HI20)
    RIVET_RISCV_RELOC_NAME(PCREL_LO12_I)
    RIVET_RISCV_RELOC_NAME(PCREL_LO12_S)
    RIVET_RISCV_RELOC_NAME(HI20)
    RIVET_RISCV_RELOC_NAME(LO12_I)
    RIVET_RISCV_RELOC_NAME(LO12_S)
    RIVET_RISCV_RELOC_NAME(TPREL_HI20)
    RIVET_RISCV_RELOC_NAME(TPREL_LO12_I)
    RIVET_RISCV_RELOC_NAME(TPREL_LO12_S)
    RIVET_RISCV_RELOC_NAME(TPREL_ADD)
    RIVET_RISCV_RELOC_NAME(ADD8)
    RIVET_RISCV_RELOC_NAME(ADD16)
    RIVET_RISCV_RELOC_NAME(ADD32)
    RIVET_RISCV_RELOC_NAME(ADD64)
    RIVET_RISCV_RELOC_NAME(SUB8)
    RIVET_RISCV_RELOC_NAME(SUB16)
    RIVET_RISCV_RELOC_NAME(SUB32)
    RIVET_RISCV_RELOC_NAME(SUB64)
    RIVET_RISCV_RELOC_NAME(GOT32_PCREL)
    RIVET_RISCV_RELOC_NAME(ALIGN)
    RIVET_RISCV_RELOC_NAME(RVC_BRANCH)
    RIVET_RISCV_RELOC_NAME(RVC_JUMP)
    RIVET_RISCV_RELOC_NAME(RELAX)
    RIVET_RISCV_RELOC_NAME(SUB6)
    RIVET_RISCV_RELOC_NAME(SET6)
    RIVET_RISCV_RELOC_NAME(SET8)
    RIVET_RISCV_RELOC_NAME(SET16)
    RIVET_RISCV_RELOC_NAME(SET32)
    RIVET_RISCV_RELOC_NAME(32_PCREL)
    RIVET_RISCV_RELOC_NAME(IRELATIVE)
    RIVET_RISCV_RELOC_NAME(PLT32)
    RIVET_RISCV_RELOC_NAME(SET_ULEB128)
    RIVET_RISCV_RELOC_NAME(SUB_ULEB128)
#undef RIVET_RISCV_RELOC_NAME
    default:
      return "unknown";
  }
}

void WriteRiscvStub(uint8_t* stub, uint64_t target, bool rv64) {
  constexpr uint32_t kT3 = 28;
  const uint32_t auipc_t3 = (kT3 << 7) | 0x17;  // auipc t3, 0
  const uint32_t load_funct3 = rv64 ? 3 : 2;    // ld : lw
  const uint32_t load_t3 = (16u << 20) | (kT3 << 15) | (load_funct3 << 12) | (kT3 << 7) | 0x03;
  const uint32_t jr_t3 = (kT3 << 15) | 0x67;  // jalr x0, 0(t3)
  const uint32_t nop = 0x13;                  // addi x0, x0, 0
  WriteLe32(stub, auipc_t3);
  WriteLe32(stub + 4, load_t3);
  WriteLe32(stub + 8, jr_t3);
  WriteLe32(stub + 12, nop);
  if (rv64) {
    WriteLe64(stub + 16, target);
  } else {
    WriteLe32(stub + 16, static_cast<uint32_t>(target));
    WriteLe32(stub + 20, 0);
  }
}

}  // namespace rivet::elf
