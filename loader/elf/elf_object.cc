#include "loader/elf/elf_object.h"

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loader/elf/elf_format.h"
#include "loader/result.h"

namespace rivet::elf {
namespace {

std::string Hex(uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof(text), "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

Error ObjectError(std::string message) { return Error{"in the AOT object: " + std::move(message)}; }

// True if [offset, offset + size) lies within `limit` bytes, without overflow.
bool Within(uint64_t offset, uint64_t size, uint64_t limit) {
  return offset <= limit && size <= limit - offset;
}

// Field readers for the two ELF classes: `Word` reads a field that is 32 bits
// in ELF32 and 64 in ELF64.
struct FieldReader {
  const uint8_t* base;
  bool is_64_bit;
  uint64_t Word(size_t offset) const {
    return is_64_bit ? ReadLe64(base + offset) : ReadLe32(base + offset);
  }
  uint32_t U32(size_t offset) const { return ReadLe32(base + offset); }
  uint16_t U16(size_t offset) const { return ReadLe16(base + offset); }
};

// A NUL-terminated string at `offset` of a string table section.
Result<std::string_view> StringAt(std::span<const uint8_t> table, uint64_t offset,
                                  const char* what) {
  if (offset >= table.size()) {
    return ObjectError(std::string(what) + " name offset " + Hex(offset) +
                       " is past the end of its string table (" + Hex(table.size()) + " bytes)");
  }
  const char* begin = reinterpret_cast<const char*>(table.data()) + offset;
  const size_t room = table.size() - offset;
  size_t length = 0;
  while (length < room && begin[length] != '\0') ++length;
  if (length == room) {
    return ObjectError(std::string(what) + " name at offset " + Hex(offset) +
                       " is not terminated within its string table");
  }
  return std::string_view(begin, length);
}

}  // namespace

std::string ElfObject::Describe(const ElfSection& section) const {
  return "section #" + std::to_string(section.index) + " (" +
         (section.name.empty() ? std::string("unnamed") : std::string(section.name)) + ")";
}

std::string ElfObject::Describe(uint32_t section_index) const {
  if (section_index < sections_.size()) return Describe(sections_[section_index]);
  return "section #" + std::to_string(section_index);
}

Result<ElfObject> ElfObject::Parse(std::span<const uint8_t> bytes) {
  ElfObject object;
  object.bytes_ = bytes;
  if (bytes.size() < kEiNident) {
    return ObjectError("the object is " + std::to_string(bytes.size()) +
                       " bytes, too short for an ELF identification");
  }
  for (size_t i = 0; i < 4; ++i) {
    if (bytes[i] != kElfMagic[i])
      return ObjectError("the object does not start with the ELF magic number");
  }
  if (bytes[kEiClass] != kElfClass32 && bytes[kEiClass] != kElfClass64) {
    return ObjectError("unknown ELF class " + std::to_string(bytes[kEiClass]));
  }
  object.is_64_bit_ = bytes[kEiClass] == kElfClass64;
  if (bytes[kEiData] != kElfData2Lsb) {
    return ObjectError("the object is not little-endian (EI_DATA " +
                       std::to_string(bytes[kEiData]) + ")");
  }
  if (bytes[kEiVersion] != kEvCurrent) {
    return ObjectError("unknown ELF version " + std::to_string(bytes[kEiVersion]));
  }
  const size_t header_size = object.is_64_bit_ ? kEhdr64Size : kEhdr32Size;
  if (bytes.size() < header_size) {
    return ObjectError("the object is " + std::to_string(bytes.size()) +
                       " bytes, too short for its ELF header (" + std::to_string(header_size) +
                       ")");
  }
  const FieldReader header{bytes.data(), object.is_64_bit_};
  const uint16_t type = header.U16(16);
  if (type != kEtRel) {
    return ObjectError("e_type is " + std::to_string(type) +
                       ", not a relocatable object (ET_REL, 1)");
  }
  object.machine_ = header.U16(18);
  object.flags_ = header.U32(object.is_64_bit_ ? 48 : 36);
  if (Status status = object.ParseSections(); !status.ok()) return status.error();
  for (const ElfSection& section : object.sections_) {
    if (section.type != kShtSymtab) continue;
    if (object.symtab_index_ != 0) {
      return ObjectError("more than one symbol table (" + object.Describe(object.symtab_index_) +
                         " and " + object.Describe(section) + ")");
    }
    object.symtab_index_ = section.index;
    if (Status status = object.ParseSymbols(section); !status.ok()) return status.error();
  }
  for (const ElfSection& section : object.sections_) {
    if (section.type == kShtRel) {
      return ObjectError(object.Describe(section) +
                         " holds REL relocations; only RELA is supported");
    }
    if (section.type != kShtRela) continue;
    if (Status status = object.CheckRelocations(section); !status.ok()) return status.error();
  }
  return object;
}

Status ElfObject::ParseSections() {
  const FieldReader header{bytes_.data(), is_64_bit_};
  const uint64_t section_offset = header.Word(is_64_bit_ ? 40 : 32);
  const uint16_t entry_size = header.U16(is_64_bit_ ? 58 : 46);
  uint64_t count = header.U16(is_64_bit_ ? 60 : 48);
  uint32_t names_index = header.U16(is_64_bit_ ? 62 : 50);
  const size_t expected_entry_size = is_64_bit_ ? kShdr64Size : kShdr32Size;
  if (section_offset == 0) return ObjectError("the object has no section header table");
  if (entry_size != expected_entry_size) {
    return ObjectError("e_shentsize is " + std::to_string(entry_size) + ", expected " +
                       std::to_string(expected_entry_size));
  }
  if (!Within(section_offset, expected_entry_size, bytes_.size())) {
    return ObjectError("the section header table at " + Hex(section_offset) +
                       " is past the end of the object");
  }
  // Section 0 carries the real count and name table index when they do not
  // fit the header's 16-bit fields.
  const FieldReader first{bytes_.data() + section_offset, is_64_bit_};
  if (count == 0) count = first.Word(is_64_bit_ ? 32 : 20);
  if (names_index == kShnXindex) names_index = first.U32(is_64_bit_ ? 40 : 24);
  if (count > (bytes_.size() - section_offset) / expected_entry_size) {
    return ObjectError("the section header table (" + std::to_string(count) + " entries at " +
                       Hex(section_offset) + ") extends past the end of the object");
  }
  if (names_index == 0 || names_index >= count) {
    return ObjectError("the section name table index " + std::to_string(names_index) +
                       " is not a section");
  }
  sections_.resize(count);
  for (uint32_t i = 0; i < count; ++i) {
    const FieldReader entry{bytes_.data() + section_offset + i * expected_entry_size, is_64_bit_};
    ElfSection& section = sections_[i];
    section.index = i;
    section.type = entry.U32(4);
    section.flags = entry.Word(8);
    section.offset = entry.Word(is_64_bit_ ? 24 : 16);
    section.size = entry.Word(is_64_bit_ ? 32 : 20);
    section.link = entry.U32(is_64_bit_ ? 40 : 24);
    section.info = entry.U32(is_64_bit_ ? 44 : 28);
    section.alignment = entry.Word(is_64_bit_ ? 48 : 32);
    section.entry_size = entry.Word(is_64_bit_ ? 56 : 36);
    if (section.alignment == 0) section.alignment = 1;
    if ((section.alignment & (section.alignment - 1)) != 0) {
      return ObjectError(Describe(i) + " has alignment " + Hex(section.alignment) +
                         ", not a power of two");
    }
    if (section.type != kShtNobits && section.type != kShtNull &&
        !Within(section.offset, section.size, bytes_.size())) {
      return ObjectError(Describe(i) + ": its " + Hex(section.size) + " bytes at offset " +
                         Hex(section.offset) + " extend past the end of the object (" +
                         Hex(bytes_.size()) + " bytes)");
    }
  }
  const ElfSection& names = sections_[names_index];
  if (names.type != kShtStrtab) {
    return ObjectError("the section name table (section #" + std::to_string(names_index) +
                       ") is not a string table");
  }
  for (uint32_t i = 1; i < count; ++i) {
    const uint32_t name_offset =
        FieldReader{bytes_.data() + section_offset + i * expected_entry_size, is_64_bit_}.U32(0);
    Result<std::string_view> name =
        StringAt(Contents(names), name_offset, ("section #" + std::to_string(i)).c_str());
    if (!name.ok()) return name.error();
    sections_[i].name = *name;
  }
  return {};
}

Status ElfObject::ParseSymbols(const ElfSection& symtab) {
  const size_t entry_size = is_64_bit_ ? kSym64Size : kSym32Size;
  if (symtab.entry_size != entry_size || symtab.size % entry_size != 0) {
    return ObjectError(Describe(symtab) + " has entry size " + std::to_string(symtab.entry_size) +
                       " and size " + Hex(symtab.size) + "; expected entries of " +
                       std::to_string(entry_size) + " bytes");
  }
  if (symtab.link == 0 || symtab.link >= sections_.size() ||
      sections_[symtab.link].type != kShtStrtab) {
    return ObjectError(Describe(symtab) + " links to " + Describe(symtab.link) +
                       ", which is not a string table");
  }
  const std::span<const uint8_t> names = Contents(sections_[symtab.link]);
  // Extended section indices, if any: a SHT_SYMTAB_SHNDX section linked to
  // this symbol table, one 32-bit word per symbol.
  std::span<const uint8_t> extended_indices;
  for (const ElfSection& section : sections_) {
    if (section.type == kShtSymtabShndx && section.link == symtab.index)
      extended_indices = Contents(section);
  }
  const std::span<const uint8_t> entries = Contents(symtab);
  const size_t count = entries.size() / entry_size;
  symbols_.resize(count);
  for (size_t i = 0; i < count; ++i) {
    const uint8_t* entry = entries.data() + i * entry_size;
    ElfSymbol& symbol = symbols_[i];
    const uint32_t name_offset = ReadLe32(entry);
    uint16_t section_index;
    uint8_t info;
    if (is_64_bit_) {
      info = entry[4];
      section_index = ReadLe16(entry + 6);
      symbol.value = ReadLe64(entry + 8);
      symbol.size = ReadLe64(entry + 16);
    } else {
      symbol.value = ReadLe32(entry + 4);
      symbol.size = ReadLe32(entry + 8);
      info = entry[12];
      section_index = ReadLe16(entry + 14);
    }
    symbol.binding = SymbolBinding(info);
    symbol.type = SymbolType(info);
    Result<std::string_view> name =
        StringAt(names, name_offset, ("symbol #" + std::to_string(i)).c_str());
    if (!name.ok()) return name.error();
    symbol.name = *name;
    if (section_index == kShnXindex) {
      if ((i + 1) * 4 > extended_indices.size()) {
        return ObjectError("symbol #" + std::to_string(i) +
                           " has an extended section index, but there is no " +
                           "SHT_SYMTAB_SHNDX entry for it");
      }
      symbol.section = ReadLe32(extended_indices.data() + i * 4);
    } else {
      symbol.section = section_index;
    }
    const bool special = symbol.section == kShnAbs || symbol.section == kShnCommon;
    if (!special && symbol.section >= sections_.size()) {
      return ObjectError("symbol #" + std::to_string(i) + " ('" + std::string(symbol.name) +
                         "') is defined in " + Describe(symbol.section) + ", which does not exist");
    }
  }
  return {};
}

Status ElfObject::CheckRelocations(const ElfSection& rela) const {
  const size_t entry_size = is_64_bit_ ? kRela64Size : kRela32Size;
  if (rela.entry_size != entry_size || rela.size % entry_size != 0) {
    return ObjectError(Describe(rela) + " has entry size " + std::to_string(rela.entry_size) +
                       " and size " + Hex(rela.size) + "; expected entries of " +
                       std::to_string(entry_size) + " bytes");
  }
  if (symtab_index_ == 0 || rela.link != symtab_index_) {
    return ObjectError(Describe(rela) + " links to " + Describe(rela.link) +
                       ", not to the symbol table");
  }
  if (rela.info == 0 || rela.info >= sections_.size()) {
    return ObjectError(Describe(rela) + " applies to " + Describe(rela.info) +
                       ", which does not exist");
  }
  for (const ElfRelocation& relocation : Relocations(rela)) {
    if (relocation.symbol >= symbols_.size()) {
      return ObjectError(Describe(rela) + ": the relocation at offset " + Hex(relocation.offset) +
                         " names symbol #" + std::to_string(relocation.symbol) + " of " +
                         std::to_string(symbols_.size()));
    }
  }
  return {};
}

std::vector<ElfRelocation> ElfObject::Relocations(const ElfSection& rela) const {
  const size_t entry_size = is_64_bit_ ? kRela64Size : kRela32Size;
  const std::span<const uint8_t> entries = Contents(rela);
  std::vector<ElfRelocation> relocations(entries.size() / entry_size);
  for (size_t i = 0; i < relocations.size(); ++i) {
    const uint8_t* entry = entries.data() + i * entry_size;
    ElfRelocation& relocation = relocations[i];
    if (is_64_bit_) {
      relocation.offset = ReadLe64(entry);
      const uint64_t info = ReadLe64(entry + 8);
      relocation.symbol = Rela64Symbol(info);
      relocation.type = Rela64Type(info);
      relocation.addend = static_cast<int64_t>(ReadLe64(entry + 16));
    } else {
      relocation.offset = ReadLe32(entry);
      const uint32_t info = ReadLe32(entry + 4);
      relocation.symbol = Rela32Symbol(info);
      relocation.type = Rela32Type(info);
      relocation.addend = static_cast<int32_t>(ReadLe32(entry + 8));
    }
  }
  return relocations;
}

}  // namespace rivet::elf
