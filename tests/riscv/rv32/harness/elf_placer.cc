#include "tests/riscv/rv32/harness/elf_placer.h"

#include <stddef.h>
#include <stdint.h>

#include "loader/elf/elf_format.h"
#include "loader/elf/relocate.h"
#include "tests/riscv/rv32/harness/system.h"

namespace rivet::rv32 {

using namespace rivet::elf;  // NOLINT: the ELF constants and relocation core

namespace {

enum Segment : int { kCodeSegment = 0, kReadOnlySegment = 1, kDataSegment = 2, kSegmentCount = 3 };

constexpr uint32_t kNone = 0xffffffffu;
// Objects larger than this are refused (a module's code is far smaller);
// the bound keeps a corrupt NOBITS size from asking for the address space.
constexpr uint32_t kMaxImageSize = 64u << 20;

struct Section {
  uint32_t name, type, flags, offset, size, link, info, alignment;
  Segment segment;
  bool placed;
  uint32_t image_offset;  // within the image, when placed
};

uint32_t AlignUp(uint32_t value, uint32_t alignment) {
  return (value + alignment - 1) & ~(alignment - 1);
}

class Placer {
 public:
  Placer(const uint8_t* object, size_t size, SymbolResolver resolve, void* context,
         PlacedImage& image, Text& error)
      : object_(object),
        size_(size),
        resolve_(resolve),
        context_(context),
        image_(image),
        error_(error) {}

  bool Place() {
    return ReadHeader() && ReadSections() && SelectSections() && PlanStubsAndGot() && Layout() &&
           ResolveSymbols() && WriteStubsAndGot() && ApplyRelocations() && Protect();
  }

 private:
  // Appends `message` to whatever the error already says (where).
  bool Fail(const char* message) {
    error_.Add(message);
    return false;
  }
  bool Within(uint32_t offset, uint32_t length) const {
    return offset <= size_ && length <= size_ - offset;
  }
  const char* SectionName(uint32_t index) const {
    const Section& names = sections_[shstrndx_];
    const uint32_t name = sections_[index].name;
    return name < names.size ? reinterpret_cast<const char*>(object_ + names.offset + name) : "?";
  }
  Text& DescribeSection(uint32_t index) {
    return error_.Add("section ").Add(SectionName(index)).Add(" (#").Decimal(index).Add(")");
  }
  const uint8_t* SymbolAt(uint32_t index) const { return object_ + symtab_ + index * kSym32Size; }
  const char* SymbolName(uint32_t index, size_t& length) const {
    const uint32_t name = ReadLe32(SymbolAt(index));
    if (name >= strtab_size_) {
      length = 0;
      return "";
    }
    const char* text = reinterpret_cast<const char*>(object_ + strtab_ + name);
    length = 0;
    while (name + length < strtab_size_ && text[length] != '\0') ++length;
    return text;
  }

  bool ReadHeader() {
    if (size_ < kEhdr32Size || object_[0] != kElfMagic[0] || object_[1] != kElfMagic[1] ||
        object_[2] != kElfMagic[2] || object_[3] != kElfMagic[3]) {
      return Fail("not an ELF file");
    }
    if (object_[kEiClass] != kElfClass32 || object_[kEiData] != kElfData2Lsb) {
      return Fail("not a little-endian ELF32 object (the harness loads rv32 code)");
    }
    if (ReadLe16(object_ + 16) != kEtRel || ReadLe16(object_ + 18) != kEmRiscv) {
      return Fail("not a RISC-V relocatable object (ET_REL, EM_RISCV)");
    }
    image_.elf_flags = ReadLe32(object_ + 36);
    shoff_ = ReadLe32(object_ + 32);
    section_count_ = ReadLe16(object_ + 48);
    shstrndx_ = ReadLe16(object_ + 50);
    if (ReadLe16(object_ + 46) != kShdr32Size || section_count_ == 0 ||
        !Within(shoff_, section_count_ * kShdr32Size) || shstrndx_ >= section_count_) {
      return Fail("the section header table is missing or out of bounds");
    }
    return true;
  }

  bool ReadSections() {
    sections_ = AllocateArray<Section>(section_count_);
    if (sections_ == nullptr) return Fail("out of memory");
    for (uint32_t i = 0; i < section_count_; ++i) {
      const uint8_t* header = object_ + shoff_ + i * kShdr32Size;
      Section& section = sections_[i];
      section.name = ReadLe32(header);
      section.type = ReadLe32(header + 4);
      section.flags = ReadLe32(header + 8);
      section.offset = ReadLe32(header + 16);
      section.size = ReadLe32(header + 20);
      section.link = ReadLe32(header + 24);
      section.info = ReadLe32(header + 28);
      section.alignment = ReadLe32(header + 32);
      if (section.alignment == 0) section.alignment = 1;
      if (section.type != kShtNobits && section.type != kShtNull &&
          !Within(section.offset, section.size)) {
        DescribeSection(i).Add(": ");
        return Fail("its contents lie outside the object");
      }
      if (section.type == kShtSymtab) {
        if (symtab_ != 0) return Fail("more than one symbol table");
        symtab_ = section.offset;
        symbol_count_ = section.size / kSym32Size;
        symtab_link_ = section.link;
      }
    }
    if (symtab_ == 0 || symtab_link_ >= section_count_ ||
        sections_[symtab_link_].type != kShtStrtab) {
      return Fail("no symbol table with a string table");
    }
    strtab_ = sections_[symtab_link_].offset;
    strtab_size_ = sections_[symtab_link_].size;
    if (sections_[shstrndx_].type != kShtStrtab) return Fail("no section name table");
    return true;
  }

  bool SelectSections() {
    for (uint32_t i = 1; i < section_count_; ++i) {
      Section& section = sections_[i];
      if ((section.flags & kShfAlloc) == 0 || section.type == kShtNote) continue;
      if (section.type != kShtProgbits && section.type != kShtNobits) {
        DescribeSection(i).Add(" has type ").Hex(section.type).Add(", which is not loaded: ");
        return Fail("constructors and the like are not supported");
      }
      if ((section.flags & kShfTls) != 0) {
        DescribeSection(i).Add(": ");
        return Fail("thread-local data, which AOT code may not use");
      }
      const bool writable = (section.flags & kShfWrite) != 0;
      const bool executable = (section.flags & kShfExecinstr) != 0;
      if (writable && executable) {
        DescribeSection(i).Add(": ");
        return Fail("both writable and executable");
      }
      if (section.size > kMaxImageSize || (section.alignment & (section.alignment - 1)) != 0 ||
          section.alignment > kPageSize) {
        DescribeSection(i).Add(": ");
        return Fail("too large, or aligned to more than a page or not to a power of two");
      }
      section.segment = executable ? kCodeSegment : writable ? kDataSegment : kReadOnlySegment;
      section.placed = true;
    }
    for (uint32_t i = 1; i < section_count_; ++i) {
      const Section& section = sections_[i];
      const bool relocates_placed = section.info < section_count_ && sections_[section.info].placed;
      if (section.type == kShtRel && relocates_placed) {
        DescribeSection(i).Add(": ");
        return Fail("SHT_REL relocations (RISC-V objects use SHT_RELA)");
      }
      if (section.type != kShtRela || !relocates_placed) continue;
      if (sections_[section.info].type == kShtNobits) {
        DescribeSection(i).Add(": ");
        return Fail("relocates a section without contents (SHT_NOBITS)");
      }
      if (section.link != symtab_section()) {
        DescribeSection(i).Add(": ");
        return Fail("uses a symbol table other than the object's");
      }
    }
    return true;
  }

  uint32_t symtab_section() const {
    for (uint32_t i = 0; i < section_count_; ++i) {
      if (sections_[i].type == kShtSymtab) return i;
    }
    return kNone;
  }

  // Calls each loaded RELA entry's `visit(section index of the RELA,
  // entry index, offset, symbol, type, addend)`; stops at the first false.
  template <typename Visit>
  bool ForEachRelocation(Visit visit) const {
    for (uint32_t i = 1; i < section_count_; ++i) {
      const Section& rela = sections_[i];
      if (rela.type != kShtRela || rela.info >= section_count_ || !sections_[rela.info].placed)
        continue;
      for (uint32_t entry = 0; entry < rela.size / kRela32Size; ++entry) {
        const uint8_t* at = object_ + rela.offset + entry * kRela32Size;
        const uint32_t info = ReadLe32(at + 4);
        if (!visit(i, ReadLe32(at), Rela32Symbol(info), Rela32Type(info),
                   static_cast<int32_t>(ReadLe32(at + 8)))) {
          return false;
        }
      }
    }
    return true;
  }

  bool PlanStubsAndGot() {
    stub_of_ = AllocateArray<uint32_t>(symbol_count_ + 1);
    got_of_ = AllocateArray<uint32_t>(symbol_count_ + 1);
    address_ = AllocateArray<uintptr_t>(symbol_count_ + 1);
    unusable_ = AllocateArray<const char*>(symbol_count_ + 1);
    if (stub_of_ == nullptr || got_of_ == nullptr || address_ == nullptr || unusable_ == nullptr)
      return Fail("out of memory");
    for (uint32_t i = 0; i < symbol_count_; ++i) stub_of_[i] = got_of_[i] = kNone;
    return ForEachRelocation([&](uint32_t rela, uint32_t, uint32_t symbol, uint32_t type, int32_t) {
      if (symbol >= symbol_count_) {
        DescribeSection(rela).Add(": ");
        return Fail("a relocation names a symbol past the symbol table");
      }
      const uint32_t traits = RiscvRelocationTraits(type);
      if ((traits & kRelocUsesGot) != 0 && got_of_[symbol] == kNone) got_of_[symbol] = got_count_++;
      const uint16_t shndx = ReadLe16(SymbolAt(symbol) + 14);
      const bool external = shndx == kShnUndef || shndx == kShnAbs;
      if ((traits & kRelocCall) != 0 && external && symbol != 0 && stub_of_[symbol] == kNone) {
        stub_of_[symbol] = stub_count_++;
      }
      ++image_.relocation_count;
      return true;
    });
  }

  bool Layout() {
    uint32_t offset = 0;
    for (int segment = 0; segment < kSegmentCount; ++segment) {
      offset = AlignUp(offset, kPageSize);
      segment_begin_[segment] = offset;
      for (uint32_t i = 1; i < section_count_; ++i) {
        Section& section = sections_[i];
        if (!section.placed || section.segment != segment) continue;
        offset = AlignUp(offset, section.alignment);
        section.image_offset = offset;
        offset += section.size;
        ++image_.section_count;
        if (offset > kMaxImageSize) return Fail("the image would be larger than 64 MiB");
      }
      if (segment == kCodeSegment) {
        offset = AlignUp(offset, kStubAlignment);
        stubs_offset_ = offset;
        offset += stub_count_ * kRiscvStubSize;
      } else if (segment == kReadOnlySegment) {
        offset = AlignUp(offset, 4);
        got_offset_ = offset;
        // Slot 0 is the psABI's reserved header slot, as in the hosted loader.
        offset += got_count_ == 0 ? 0 : (got_count_ + 1) * 4;
      }
      segment_end_[segment] = offset;
    }
    image_.size = AlignUp(offset == 0 ? 1 : offset, kPageSize);
    image_.base = MapPages(image_.size);
    if (image_.base == nullptr) return Fail("cannot map memory for the image");
    for (uint32_t i = 1; i < section_count_; ++i) {
      const Section& section = sections_[i];
      if (!section.placed || section.type == kShtNobits) continue;
      memcpy(image_.base + section.image_offset, object_ + section.offset, section.size);
    }
    image_.stub_count = stub_count_;
    return true;
  }

  uintptr_t Address(uint32_t image_offset) const {
    return reinterpret_cast<uintptr_t>(image_.base) + image_offset;
  }

  bool ResolveSymbols() {
    size_t unresolved = 0;
    Text names;
    for (uint32_t i = 1; i < symbol_count_; ++i) {
      const uint8_t* symbol = SymbolAt(i);
      const uint32_t value = ReadLe32(symbol + 4);
      const uint8_t info = symbol[12];
      const uint16_t shndx = ReadLe16(symbol + 14);
      size_t length = 0;
      const char* name = SymbolName(i, length);
      if (SymbolType(info) == kSttTls) {
        unusable_[i] = "it is thread-local, which AOT code may not use";
      } else if (shndx == kShnUndef) {
        if (length == 0) {
          unusable_[i] = "it is undefined and has no name";
          continue;
        }
        address_[i] = resolve_(name, length, context_);
        if (address_[i] != 0) {
          ++image_.resolved_symbols;
        } else if (SymbolBinding(info) != kStbWeak) {  // an unresolved weak symbol is 0
          names.Add(unresolved == 0 ? "" : ", ").Add(name, length);
          ++unresolved;
        }
      } else if (shndx == kShnAbs) {
        address_[i] = value;
      } else if (shndx == kShnCommon) {
        unusable_[i] = "it is a common symbol (compile with -fno-common)";
      } else if (shndx < section_count_ && sections_[shndx].placed) {
        address_[i] = Address(sections_[shndx].image_offset) + value;
      } else {
        unusable_[i] = "it is defined in a section that is not loaded";
      }
    }
    if (unresolved != 0) {
      error_.Decimal(unresolved).Add(" unresolved symbol");
      error_.Add(unresolved == 1 ? ": " : "s: ").Add(names.c_str());
      return false;
    }
    image_.object = object_;
    image_.object_size = size_;
    image_.symtab_offset = symtab_;
    image_.symbol_count = symbol_count_;
    image_.strtab_offset = strtab_;
    image_.strtab_size = strtab_size_;
    image_.symbol_address = address_;
    return true;
  }

  bool WriteStubsAndGot() {
    for (uint32_t i = 0; i < symbol_count_; ++i) {
      if (stub_of_[i] != kNone) {
        WriteRiscvStub(image_.base + stubs_offset_ + stub_of_[i] * kRiscvStubSize, address_[i],
                       /*rv64=*/false);
      }
      if (got_of_[i] != kNone) {
        WriteLe32(image_.base + got_offset_ + (got_of_[i] + 1) * 4,
                  static_cast<uint32_t>(address_[i]));
      }
    }
    return true;
  }

  // The relocation with addresses, or false (error_ says why).
  bool Resolve(uint32_t rela, uint32_t offset, uint32_t symbol, uint32_t type, int32_t addend,
               Relocation& relocation) {
    const Section& target = sections_[sections_[rela].info];
    if (offset >= target.size) {
      Where(rela, offset, symbol, type);
      return Fail("the offset is past the end of the section");
    }
    if (symbol != 0 && unusable_[symbol] != nullptr) {
      Where(rela, offset, symbol, type);
      error_.Add("cannot use the symbol: ");
      return Fail(unusable_[symbol]);
    }
    relocation.type = type;
    relocation.place = Address(target.image_offset + offset);
    relocation.field = image_.base + target.image_offset + offset;
    relocation.room = target.size - offset;
    relocation.symbol = address_[symbol];
    relocation.addend = addend;
    if ((RiscvRelocationTraits(type) & kRelocUsesGot) != 0) {
      relocation.got_slot = Address(got_offset_ + (got_of_[symbol] + 1) * 4);
    }
    return true;
  }

  void Where(uint32_t rela, uint32_t offset, uint32_t symbol, uint32_t type) {
    size_t length = 0;
    const char* name = SymbolName(symbol, length);
    error_.Add(RiscvRelocationName(type)).Add(" (type ").Decimal(type).Add(") at offset ");
    error_.Hex(offset).Add(" of ");
    DescribeSection(sections_[rela].info).Add(", against ");
    if (length != 0) {
      error_.Add("'").Add(name, length).Add("'");
    } else {
      error_.Add("symbol #").Decimal(symbol);
    }
    error_.Add(": ");
  }

  // PCREL_LO12_*: the HI20 relocation at the label the LO12's symbol names
  // (same section, the label's value as offset) holds the value.
  bool PairedHiValue(uint32_t rela, uint32_t lo_offset, uint32_t lo_symbol, uint32_t lo_type,
                     uint64_t& value) {
    const uint8_t* label = SymbolAt(lo_symbol);
    const uint32_t label_section = ReadLe16(label + 14);
    const uint32_t label_offset = ReadLe32(label + 4);
    bool found = false;
    bool ok = true;
    ForEachRelocation(
        [&](uint32_t hi_rela, uint32_t offset, uint32_t symbol, uint32_t type, int32_t addend) {
          if (sections_[hi_rela].info != label_section || offset != label_offset ||
              (RiscvRelocationTraits(type) & kRelocPcrelHi) == 0) {
            return true;
          }
          Relocation hi;
          ok = Resolve(hi_rela, offset, symbol, type, addend, hi);
          if (ok) value = RiscvHiValue(hi, /*rv64=*/false);
          found = true;
          return false;
        });
    if (!ok) return false;
    if (!found) {
      Where(rela, lo_offset, lo_symbol, lo_type);
      return Fail("there is no PCREL_HI20 or GOT_HI20 relocation at its label");
    }
    return true;
  }

  bool ApplyRelocations() {
    return ForEachRelocation(
        [&](uint32_t rela, uint32_t offset, uint32_t symbol, uint32_t type, int32_t addend) {
          const uint32_t traits = RiscvRelocationTraits(type);
          if ((traits & kRelocSupported) == 0) {
            Where(rela, offset, symbol, type);
            return Fail("unsupported relocation type");
          }
          if ((traits & kRelocIgnored) != 0) return true;
          Relocation relocation;
          if (!Resolve(rela, offset, symbol, type, addend, relocation)) return false;
          if ((traits & kRelocPcrelLo) != 0 &&
              !PairedHiValue(rela, offset, symbol, type, relocation.pcrel_hi)) {
            return false;
          }
          RelocOutcome outcome = ApplyRiscvRelocation(relocation, /*rv64=*/false);
          if (outcome.status == RelocStatus::kOutOfRange && (traits & kRelocCall) != 0 &&
              stub_of_[symbol] != kNone && addend == 0) {
            relocation.symbol = Address(stubs_offset_ + stub_of_[symbol] * kRiscvStubSize);
            outcome = ApplyRiscvRelocation(relocation, /*rv64=*/false);
            if (outcome.ok()) ++image_.calls_through_stubs;
          }
          if (!outcome.ok()) {
            Where(rela, offset, symbol, type);
            return Fail(outcome.message);
          }
          return true;
        });
  }

  // W^X: code read+execute, read-only data read-only, data read+write.
  bool Protect() {
    const long protections[2] = {kProtRead | kProtExec, kProtRead};
    for (int segment = kCodeSegment; segment <= kReadOnlySegment; ++segment) {
      const uint32_t begin = segment_begin_[segment];
      const uint32_t end = AlignUp(segment_end_[segment], kPageSize);
      if (end > begin && !ProtectPages(image_.base + begin, end - begin, protections[segment])) {
        return Fail(segment == kCodeSegment ? "cannot make the code executable"
                                            : "cannot make the read-only data read-only");
      }
    }
    // fence.i (Zifencei), spelled as .insn so that -march needs no _zifencei:
    // instruction fetch must see the code just written.
    asm volatile(".insn i 0x0f, 1, x0, x0, 0" ::: "memory");
    return true;
  }

  const uint8_t* object_;
  size_t size_;
  SymbolResolver resolve_;
  void* context_;
  PlacedImage& image_;
  Text& error_;

  uint32_t shoff_ = 0, section_count_ = 0, shstrndx_ = 0;
  Section* sections_ = nullptr;
  uint32_t symtab_ = 0, symbol_count_ = 0, symtab_link_ = kNone, strtab_ = 0, strtab_size_ = 0;
  uint32_t* stub_of_ = nullptr;  // per symbol: its stub's number, or kNone
  uint32_t* got_of_ = nullptr;   // per symbol: its GOT slot's number, or kNone
  uintptr_t* address_ = nullptr;
  const char** unusable_ = nullptr;  // per symbol: why it cannot be used
  uint32_t stub_count_ = 0, got_count_ = 0;
  uint32_t stubs_offset_ = 0, got_offset_ = 0;
  uint32_t segment_begin_[kSegmentCount] = {};
  uint32_t segment_end_[kSegmentCount] = {};
};

}  // namespace

bool PlaceObject(const uint8_t* object, size_t size, SymbolResolver resolve, void* context,
                 PlacedImage& image, Text& error) {
  return Placer(object, size, resolve, context, image, error).Place();
}

void* FindSymbol(const PlacedImage& image, const char* name) {
  for (uint32_t i = 1; i < image.symbol_count; ++i) {
    const uint8_t* symbol = image.object + image.symtab_offset + i * kSym32Size;
    const uint8_t binding = SymbolBinding(symbol[12]);
    const uint16_t shndx = ReadLe16(symbol + 14);
    const uint32_t name_offset = ReadLe32(symbol);
    if ((binding != kStbGlobal && binding != kStbWeak) || shndx == kShnUndef ||
        name_offset >= image.strtab_size) {
      continue;
    }
    const char* candidate =
        reinterpret_cast<const char*>(image.object + image.strtab_offset + name_offset);
    size_t length = 0;
    while (name_offset + length < image.strtab_size && candidate[length] != '\0') ++length;
    if (Equal(candidate, length, name)) {
      return reinterpret_cast<void*>(image.symbol_address[i]);
    }
  }
  return nullptr;
}

}  // namespace rivet::rv32
