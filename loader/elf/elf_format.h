// The parts of the ELF format that rivet's AOT loader reads: identification,
// file header, section headers, symbols and RELA relocations, for ELF32 and
// ELF64 little-endian relocatable objects (ET_REL).
//
// These are rivet's own definitions (not <elf.h>, which firmware toolchains
// may lack). The header is freestanding: only <stdint.h>/<stddef.h>, so the
// relocation core can use it on rv32 firmware.
//
// Structures are never read by casting a pointer into the object (the bytes
// may be unaligned and the host may be big-endian); the loader decodes them
// field by field with the little-endian accessors at the end, after checking
// that the whole structure lies within the object.
#ifndef RIVET_LOADER_ELF_ELF_FORMAT_H_
#define RIVET_LOADER_ELF_ELF_FORMAT_H_

#include <stddef.h>
#include <stdint.h>

namespace rivet::elf {

// e_ident.
inline constexpr uint8_t kElfMagic[4] = {0x7f, 'E', 'L', 'F'};
inline constexpr size_t kEiClass = 4;
inline constexpr size_t kEiData = 5;
inline constexpr size_t kEiVersion = 6;
inline constexpr size_t kEiNident = 16;
inline constexpr uint8_t kElfClass32 = 1;
inline constexpr uint8_t kElfClass64 = 2;
inline constexpr uint8_t kElfData2Lsb = 1;
inline constexpr uint8_t kEvCurrent = 1;

// e_type, e_machine.
inline constexpr uint16_t kEtRel = 1;
inline constexpr uint16_t kEmX86_64 = 62;
inline constexpr uint16_t kEmRiscv = 243;

// RISC-V e_flags.
inline constexpr uint32_t kEfRiscvRvc = 0x0001;
inline constexpr uint32_t kEfRiscvFloatAbiMask = 0x0006;
inline constexpr uint32_t kEfRiscvFloatAbiSoft = 0x0000;
inline constexpr uint32_t kEfRiscvFloatAbiSingle = 0x0002;
inline constexpr uint32_t kEfRiscvFloatAbiDouble = 0x0004;
inline constexpr uint32_t kEfRiscvFloatAbiQuad = 0x0006;
inline constexpr uint32_t kEfRiscvRve = 0x0008;

// Special section indices.
inline constexpr uint16_t kShnUndef = 0;
inline constexpr uint16_t kShnLoreserve = 0xff00;
inline constexpr uint16_t kShnAbs = 0xfff1;
inline constexpr uint16_t kShnCommon = 0xfff2;
inline constexpr uint16_t kShnXindex = 0xffff;

// sh_type.
inline constexpr uint32_t kShtNull = 0;
inline constexpr uint32_t kShtProgbits = 1;
inline constexpr uint32_t kShtSymtab = 2;
inline constexpr uint32_t kShtStrtab = 3;
inline constexpr uint32_t kShtRela = 4;
inline constexpr uint32_t kShtNote = 7;
inline constexpr uint32_t kShtNobits = 8;
inline constexpr uint32_t kShtRel = 9;
inline constexpr uint32_t kShtInitArray = 14;
inline constexpr uint32_t kShtFiniArray = 15;
inline constexpr uint32_t kShtPreinitArray = 16;
inline constexpr uint32_t kShtGroup = 17;
inline constexpr uint32_t kShtSymtabShndx = 18;
inline constexpr uint32_t kShtX86_64Unwind = 0x70000001;
inline constexpr uint32_t kShtRiscvAttributes = 0x70000003;

// sh_flags.
inline constexpr uint64_t kShfWrite = 0x1;
inline constexpr uint64_t kShfAlloc = 0x2;
inline constexpr uint64_t kShfExecinstr = 0x4;
inline constexpr uint64_t kShfMerge = 0x10;
inline constexpr uint64_t kShfStrings = 0x20;
inline constexpr uint64_t kShfInfoLink = 0x40;
inline constexpr uint64_t kShfGroup = 0x200;
inline constexpr uint64_t kShfTls = 0x400;

// Symbol binding and type (st_info), visibility (st_other).
inline constexpr uint8_t kStbLocal = 0;
inline constexpr uint8_t kStbGlobal = 1;
inline constexpr uint8_t kStbWeak = 2;
inline constexpr uint8_t kSttNotype = 0;
inline constexpr uint8_t kSttObject = 1;
inline constexpr uint8_t kSttFunc = 2;
inline constexpr uint8_t kSttSection = 3;
inline constexpr uint8_t kSttFile = 4;
inline constexpr uint8_t kSttCommon = 5;
inline constexpr uint8_t kSttTls = 6;
inline constexpr uint8_t SymbolBinding(uint8_t info) { return info >> 4; }
inline constexpr uint8_t SymbolType(uint8_t info) { return info & 0xf; }

// Sizes of the on-disk structures.
inline constexpr size_t kEhdr32Size = 52;
inline constexpr size_t kEhdr64Size = 64;
inline constexpr size_t kShdr32Size = 40;
inline constexpr size_t kShdr64Size = 64;
inline constexpr size_t kSym32Size = 16;
inline constexpr size_t kSym64Size = 24;
inline constexpr size_t kRela32Size = 12;
inline constexpr size_t kRela64Size = 24;

// RELA r_info: symbol index and relocation type.
inline constexpr uint32_t Rela64Symbol(uint64_t info) { return static_cast<uint32_t>(info >> 32); }
inline constexpr uint32_t Rela64Type(uint64_t info) { return static_cast<uint32_t>(info); }
inline constexpr uint32_t Rela32Symbol(uint32_t info) { return info >> 8; }
inline constexpr uint32_t Rela32Type(uint32_t info) { return info & 0xff; }

// x86-64 relocation types (System V AMD64 psABI, table 4.9).
enum X86_64Reloc : uint32_t {
  kR_X86_64_NONE = 0,
  kR_X86_64_64 = 1,
  kR_X86_64_PC32 = 2,
  kR_X86_64_GOT32 = 3,
  kR_X86_64_PLT32 = 4,
  kR_X86_64_COPY = 5,
  kR_X86_64_GLOB_DAT = 6,
  kR_X86_64_JUMP_SLOT = 7,
  kR_X86_64_RELATIVE = 8,
  kR_X86_64_GOTPCREL = 9,
  kR_X86_64_32 = 10,
  kR_X86_64_32S = 11,
  kR_X86_64_16 = 12,
  kR_X86_64_PC16 = 13,
  kR_X86_64_8 = 14,
  kR_X86_64_PC8 = 15,
  kR_X86_64_DTPMOD64 = 16,
  kR_X86_64_DTPOFF64 = 17,
  kR_X86_64_TPOFF64 = 18,
  kR_X86_64_TLSGD = 19,
  kR_X86_64_TLSLD = 20,
  kR_X86_64_DTPOFF32 = 21,
  kR_X86_64_GOTTPOFF = 22,
  kR_X86_64_TPOFF32 = 23,
  kR_X86_64_PC64 = 24,
  kR_X86_64_GOTOFF64 = 25,
  kR_X86_64_GOTPC32 = 26,
  kR_X86_64_GOT64 = 27,
  kR_X86_64_GOTPCREL64 = 28,
  kR_X86_64_GOTPC64 = 29,
  kR_X86_64_GOTPLT64 = 30,
  kR_X86_64_PLTOFF64 = 31,
  kR_X86_64_SIZE32 = 32,
  kR_X86_64_SIZE64 = 33,
  kR_X86_64_GOTPC32_TLSDESC = 34,
  kR_X86_64_TLSDESC_CALL = 35,
  kR_X86_64_TLSDESC = 36,
  kR_X86_64_IRELATIVE = 37,
  kR_X86_64_RELATIVE64 = 38,
  kR_X86_64_GOTPCRELX = 41,
  kR_X86_64_REX_GOTPCRELX = 42,
};

// RISC-V relocation types (RISC-V ELF psABI, "Relocations").
enum RiscvReloc : uint32_t {
  kR_RISCV_NONE = 0,
  kR_RISCV_32 = 1,
  kR_RISCV_64 = 2,
  kR_RISCV_RELATIVE = 3,
  kR_RISCV_COPY = 4,
  kR_RISCV_JUMP_SLOT = 5,
  kR_RISCV_TLS_DTPMOD32 = 6,
  kR_RISCV_TLS_DTPMOD64 = 7,
  kR_RISCV_TLS_DTPREL32 = 8,
  kR_RISCV_TLS_DTPREL64 = 9,
  kR_RISCV_TLS_TPREL32 = 10,
  kR_RISCV_TLS_TPREL64 = 11,
  kR_RISCV_TLSDESC = 12,
  kR_RISCV_BRANCH = 16,
  kR_RISCV_JAL = 17,
  kR_RISCV_CALL = 18,
  kR_RISCV_CALL_PLT = 19,
  kR_RISCV_GOT_HI20 = 20,
  kR_RISCV_TLS_GOT_HI20 = 21,
  kR_RISCV_TLS_GD_HI20 = 22,
  kR_RISCV_PCREL_HI20 = 23,
  kR_RISCV_PCREL_LO12_I = 24,
  kR_RISCV_PCREL_LO12_S = 25,
  kR_RISCV_HI20 = 26,
  kR_RISCV_LO12_I = 27,
  kR_RISCV_LO12_S = 28,
  kR_RISCV_TPREL_HI20 = 29,
  kR_RISCV_TPREL_LO12_I = 30,
  kR_RISCV_TPREL_LO12_S = 31,
  kR_RISCV_TPREL_ADD = 32,
  kR_RISCV_ADD8 = 33,
  kR_RISCV_ADD16 = 34,
  kR_RISCV_ADD32 = 35,
  kR_RISCV_ADD64 = 36,
  kR_RISCV_SUB8 = 37,
  kR_RISCV_SUB16 = 38,
  kR_RISCV_SUB32 = 39,
  kR_RISCV_SUB64 = 40,
  kR_RISCV_GOT32_PCREL = 41,
  kR_RISCV_ALIGN = 43,
  kR_RISCV_RVC_BRANCH = 44,
  kR_RISCV_RVC_JUMP = 45,
  kR_RISCV_RELAX = 51,
  kR_RISCV_SUB6 = 52,
  kR_RISCV_SET6 = 53,
  kR_RISCV_SET8 = 54,
  kR_RISCV_SET16 = 55,
  kR_RISCV_SET32 = 56,
  kR_RISCV_32_PCREL = 57,
  kR_RISCV_IRELATIVE = 58,
  kR_RISCV_PLT32 = 59,
  kR_RISCV_SET_ULEB128 = 60,
  kR_RISCV_SUB_ULEB128 = 61,
};

// Little-endian accessors. The caller has checked that `bytes` holds enough
// bytes; these only assemble or spread them, whatever the host's byte order
// and alignment.
inline uint16_t ReadLe16(const uint8_t* bytes) {
  return static_cast<uint16_t>(bytes[0] | (bytes[1] << 8));
}
inline uint32_t ReadLe32(const uint8_t* bytes) {
  return static_cast<uint32_t>(bytes[0]) | (static_cast<uint32_t>(bytes[1]) << 8) |
         (static_cast<uint32_t>(bytes[2]) << 16) | (static_cast<uint32_t>(bytes[3]) << 24);
}
inline uint64_t ReadLe64(const uint8_t* bytes) {
  return static_cast<uint64_t>(ReadLe32(bytes)) |
         (static_cast<uint64_t>(ReadLe32(bytes + 4)) << 32);
}
inline void WriteLe16(uint8_t* bytes, uint16_t value) {
  bytes[0] = static_cast<uint8_t>(value);
  bytes[1] = static_cast<uint8_t>(value >> 8);
}
inline void WriteLe32(uint8_t* bytes, uint32_t value) {
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<uint8_t>(value >> (8 * i));
}
inline void WriteLe64(uint8_t* bytes, uint64_t value) {
  for (int i = 0; i < 8; ++i) bytes[i] = static_cast<uint8_t>(value >> (8 * i));
}

}  // namespace rivet::elf

#endif  // RIVET_LOADER_ELF_ELF_FORMAT_H_
