// A parsed, bounds-checked view of an ELF32/ELF64 little-endian relocatable
// object (ET_REL): its sections, symbols and RELA relocations. Parsing checks
// every offset, size, index and string against the object's bytes, so that
// the loader can use the result without checking again; nothing is copied
// except the small per-section and per-symbol records.
#ifndef RIVET_LOADER_ELF_ELF_OBJECT_H_
#define RIVET_LOADER_ELF_ELF_OBJECT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "loader/result.h"

namespace rivet::elf {

struct ElfSection {
  uint32_t index = 0;
  std::string_view name;  // into the object's section name table
  uint32_t type = 0;
  uint64_t flags = 0;
  uint64_t offset = 0;  // within the object; checked for all but SHT_NOBITS
  uint64_t size = 0;
  uint64_t alignment = 1;  // a power of two (0 in the file reads as 1)
  uint32_t link = 0;
  uint32_t info = 0;
  uint64_t entry_size = 0;
};

struct ElfSymbol {
  std::string_view name;  // into the symbol string table
  uint64_t value = 0;
  uint64_t size = 0;
  uint8_t binding = 0;
  uint8_t type = 0;
  // The defining section's index (< section count), or kShnUndef, kShnAbs or
  // kShnCommon; extended indices (SHN_XINDEX) are already resolved.
  uint32_t section = 0;
};

struct ElfRelocation {
  uint64_t offset = 0;  // within the section it applies to
  uint32_t type = 0;
  uint32_t symbol = 0;  // < symbol count (checked)
  int64_t addend = 0;
};

class ElfObject {
 public:
  // Parses and checks `bytes`, which must outlive the object.
  static Result<ElfObject> Parse(std::span<const uint8_t> bytes);

  bool is_64_bit() const { return is_64_bit_; }
  uint16_t machine() const { return machine_; }
  uint32_t flags() const { return flags_; }
  const std::vector<ElfSection>& sections() const { return sections_; }
  const std::vector<ElfSymbol>& symbols() const { return symbols_; }

  // The bytes of a section that is not SHT_NOBITS.
  std::span<const uint8_t> Contents(const ElfSection& section) const {
    return bytes_.subspan(section.offset, section.size);
  }

  // The entries of a SHT_RELA section (checked when parsing: entry size,
  // symbol table link, target section, symbol indices).
  std::vector<ElfRelocation> Relocations(const ElfSection& rela) const;

  // "section #3 (.text.foo)", for error messages.
  std::string Describe(const ElfSection& section) const;
  std::string Describe(uint32_t section_index) const;

 private:
  Status ParseSections();
  Status ParseSymbols(const ElfSection& symtab);
  Status CheckRelocations(const ElfSection& rela) const;

  std::span<const uint8_t> bytes_;
  bool is_64_bit_ = false;
  uint16_t machine_ = 0;
  uint32_t flags_ = 0;
  std::vector<ElfSection> sections_;
  std::vector<ElfSymbol> symbols_;
  uint32_t symtab_index_ = 0;  // 0: no symbol table
};

}  // namespace rivet::elf

#endif  // RIVET_LOADER_ELF_ELF_OBJECT_H_
