#include "loader/elf/aot_image.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loader/aot_section.h"
#include "loader/elf/elf_format.h"
#include "loader/elf/elf_object.h"
#include "loader/elf/relocate.h"
#include "loader/result.h"

namespace rivet::elf {

using aot::AotMachine;

namespace {

// Images larger than this are refused: no module's code comes near it, and
// the bound keeps a corrupt SHT_NOBITS size from asking for terabytes.
constexpr uint64_t kMaxImageSize = uint64_t{1} << 30;
constexpr uint64_t kScratchPageSize = 4096;

std::string Hex(uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof(text), "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

Error LoadError(std::string message) { return Error{"in the AOT object: " + std::move(message)}; }

uint64_t AlignUp(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) & ~(alignment - 1);
}

std::optional<AotMachine> HostMachine() {
#if defined(__x86_64__)
  return AotMachine::kX86_64;
#elif defined(__riscv) && __riscv_xlen == 64
  return AotMachine::kRiscv64;
#elif defined(__riscv) && __riscv_xlen == 32
  return AotMachine::kRiscv32;
#else
  return std::nullopt;
#endif
}

enum Segment : int { kCodeSegment = 0, kReadOnlySegment = 1, kDataSegment = 2, kSegmentCount = 3 };

}  // namespace

// The image's sections placed and relocated, with the bookkeeping that only
// loading needs.
class ImageBuilder {
 public:
  ImageBuilder(const ElfObject& object, const SymbolResolver& resolve, uint64_t scratch_base,
               AotImage& image)
      : object_(object), resolve_(resolve), scratch_base_(scratch_base), image_(image) {}

  Status Build() {
    if (Status status = CheckMachine(); !status.ok()) return status;
    if (Status status = SelectSections(); !status.ok()) return status;
    if (Status status = PlanGotAndStubs(); !status.ok()) return status;
    if (Status status = Layout(); !status.ok()) return status;
    if (Status status = Allocate(); !status.ok()) return status;
    if (Status status = ResolveSymbols(); !status.ok()) return status;
    WriteGotAndStubs();
    if (Status status = ApplyRelocations(); !status.ok()) return status;
    return Protect();
  }

 private:
  // A loaded section's relocations.
  struct RelocationList {
    uint32_t target;  // the ELF index of the section they apply to
    const ElfSection* rela;
    std::vector<ElfRelocation> entries;
  };

  bool is_riscv() const { return image_.machine_ != AotMachine::kX86_64; }
  bool is_rv64() const { return image_.machine_ == AotMachine::kRiscv64; }
  uint64_t pointer_size() const { return image_.machine_ == AotMachine::kRiscv32 ? 4 : 8; }
  // The RISC-V psABI's GOT starts with a reserved slot (for the dynamic
  // linker); the loader keeps it, zero, so that its GOT is laid out like
  // lld's. x86-64 keeps its reserved slots in .got.plt, which has no
  // counterpart here.
  uint64_t got_header_slots() const { return is_riscv() ? 1 : 0; }
  uint64_t stub_size() const { return is_riscv() ? kRiscvStubSize : kX86_64StubSize; }
  uint32_t Traits(uint32_t type) const {
    return is_riscv() ? RiscvRelocationTraits(type) : X86_64RelocationTraits(type);
  }
  const char* TypeName(uint32_t type) const {
    return is_riscv() ? RiscvRelocationName(type) : X86_64RelocationName(type);
  }
  std::string SymbolName(uint32_t index) const {
    const ElfSymbol& symbol = object_.symbols()[index];
    if (!symbol.name.empty()) return "'" + std::string(symbol.name) + "'";
    if (symbol.type == kSttSection)
      return "the section symbol of " + object_.Describe(symbol.section);
    return "symbol #" + std::to_string(index);
  }
  std::string Where(const RelocationList& list, const ElfRelocation& relocation) const {
    const char* name = TypeName(relocation.type);
    std::string type = std::strcmp(name, "unknown") == 0
                           ? "relocation type " + std::to_string(relocation.type)
                           : std::string(name);
    return type + " at offset " + Hex(relocation.offset) + " of " + object_.Describe(list.target) +
           ", against " + SymbolName(relocation.symbol);
  }
  uint8_t* Bytes(uint64_t address) const { return image_.memory_ + (address - image_.base_); }

  Status CheckMachine() {
    const bool want_64_bit = image_.machine_ != AotMachine::kRiscv32;
    const uint16_t want_machine = is_riscv() ? kEmRiscv : kEmX86_64;
    if (object_.machine() != want_machine || object_.is_64_bit() != want_64_bit) {
      return LoadError("the object is for e_machine " + std::to_string(object_.machine()) +
                       " (ELF" + (object_.is_64_bit() ? "64" : "32") + "), not " +
                       std::string(aot::MachineName(image_.machine_)));
    }
    if (image_.mode_ == LoadMode::kExecute && HostMachine() != image_.machine_) {
      return LoadError("cannot execute " + std::string(aot::MachineName(image_.machine_)) +
                       " code on this host; load it in scratch mode to inspect it");
    }
    return {};
  }

  Status SelectSections() {
    placed_.assign(object_.sections().size(), -1);
    for (const ElfSection& section : object_.sections()) {
      if ((section.flags & kShfAlloc) == 0 || section.index == 0) continue;
      // Alloc notes (.note.gnu.property) describe the object; nothing refers to them.
      if (section.type == kShtNote) continue;
      if (section.type != kShtProgbits && section.type != kShtNobits &&
          section.type != kShtX86_64Unwind) {
        return LoadError(
            object_.Describe(section) + " has type " + Hex(section.type) +
            ", which the loader does not load (constructors and the like are not supported)");
      }
      if ((section.flags & kShfTls) != 0) {
        return LoadError(object_.Describe(section) +
                         " holds thread-local data, which AOT code may not use");
      }
      const bool writable = (section.flags & kShfWrite) != 0;
      const bool executable = (section.flags & kShfExecinstr) != 0;
      if (writable && executable) {
        return LoadError(object_.Describe(section) + " is both writable and executable");
      }
      if (section.size > kMaxImageSize) {
        return LoadError(object_.Describe(section) + " is " + Hex(section.size) +
                         " bytes, more than the " + Hex(kMaxImageSize) + " an image may hold");
      }
      const Segment segment = executable ? kCodeSegment
                              : writable ? kDataSegment
                                         : kReadOnlySegment;
      ImageSection placed;
      placed.name = std::string(section.name);
      placed.elf_index = section.index;
      placed.size = section.size;
      // .eh_frame gets the zero terminator an unwinder's frame registration
      // (and lld's output) has, so that the runtime could register it as is.
      if (section.name == ".eh_frame" && section.type != kShtNobits) placed.size += 4;
      placed.alignment = section.alignment;
      placed.nobits = section.type == kShtNobits;
      placed.permissions = segment == kCodeSegment   ? (kReadable | kExecutable)
                           : segment == kDataSegment ? (kReadable | kWritable)
                                                     : kReadable;
      segment_members_[segment].push_back(section.index);
      pending_.emplace(section.index, std::move(placed));
    }
    // Relocations of loaded sections; those of anything else are ignored.
    for (const ElfSection& section : object_.sections()) {
      if (section.type != kShtRela || pending_.count(section.info) == 0) continue;
      if (object_.sections()[section.info].type == kShtNobits) {
        return LoadError(object_.Describe(section) + " relocates " +
                         object_.Describe(section.info) + ", which has no contents (SHT_NOBITS)");
      }
      relocations_.push_back({section.info, &section, object_.Relocations(section)});
    }
    return {};
  }

  Status PlanGotAndStubs() {
    for (const RelocationList& list : relocations_) {
      for (const ElfRelocation& relocation : list.entries) {
        const uint32_t traits = Traits(relocation.type);
        const ElfSymbol& symbol = object_.symbols()[relocation.symbol];
        if ((traits & kRelocUsesGot) != 0 && got_slots_.count(relocation.symbol) == 0) {
          got_slots_.emplace(relocation.symbol,
                             (got_header_slots() + got_slots_.size()) * pointer_size());
        }
        // Only symbols outside the image can be out of a call's reach.
        const bool external = symbol.section == kShnUndef || symbol.section == kShnAbs;
        if ((traits & kRelocCall) != 0 && external && relocation.symbol != 0 &&
            stubs_.count(relocation.symbol) == 0) {
          stubs_.emplace(relocation.symbol, stubs_.size() * stub_size());
        }
        if (!is_riscv() && (relocation.type == kR_X86_64_32 || relocation.type == kR_X86_64_32S)) {
          needs_low_addresses_ = true;
        }
      }
    }
    image_.stub_count_ = stubs_.size();
    return {};
  }

  Status Layout() {
    page_size_ = kScratchPageSize;
    if (image_.mode_ == LoadMode::kExecute) {
      page_size_ =
          std::max<uint64_t>(kScratchPageSize, static_cast<uint64_t>(sysconf(_SC_PAGESIZE)));
    }
    uint64_t offset = 0;
    auto place = [&](ImageSection section) -> Status {
      if (section.alignment > page_size_) {
        return LoadError("section " + section.name + " asks for alignment " +
                         Hex(section.alignment) + ", more than a page (" + Hex(page_size_) + ")");
      }
      offset = AlignUp(offset, section.alignment);
      section.address = offset;  // made absolute once the base is known
      offset += section.size;
      if (offset > kMaxImageSize) {
        return LoadError("the image would be larger than " + Hex(kMaxImageSize) + " bytes");
      }
      image_.sections_.push_back(std::move(section));
      return {};
    };
    for (int segment = 0; segment < kSegmentCount; ++segment) {
      offset = AlignUp(offset, page_size_);
      segment_begin_[segment] = offset;
      for (uint32_t index : segment_members_[segment]) {
        placed_[index] = static_cast<int64_t>(image_.sections_.size());
        if (Status status = place(std::move(pending_.at(index))); !status.ok()) return status;
      }
      if (segment == kCodeSegment && !stubs_.empty()) {
        stubs_section_ = image_.sections_.size();
        ImageSection stubs{".rivet.stubs",
                           0,
                           0,
                           stubs_.size() * stub_size(),
                           kStubAlignment,
                           static_cast<uint8_t>(kReadable | kExecutable),
                           false};
        if (Status status = place(std::move(stubs)); !status.ok()) return status;
      }
      if (segment == kReadOnlySegment && !got_slots_.empty()) {
        got_section_ = image_.sections_.size();
        ImageSection got{".rivet.got",
                         0,
                         0,
                         (got_header_slots() + got_slots_.size()) * pointer_size(),
                         pointer_size(),
                         kReadable,
                         false};
        if (Status status = place(std::move(got)); !status.ok()) return status;
      }
      segment_end_[segment] = offset;
    }
    image_.size_ = std::max(AlignUp(offset, page_size_), page_size_);
    return {};
  }

  Status Allocate() {
    if (image_.mode_ == LoadMode::kScratch) {
      if (scratch_base_ % kScratchPageSize != 0) {
        return Error{"the scratch base address " + Hex(scratch_base_) + " is not 4 KiB-aligned"};
      }
      const uint64_t address_limit =
          image_.machine_ == AotMachine::kRiscv32 ? (uint64_t{1} << 32) : 0;
      if (address_limit != 0 &&
          (scratch_base_ >= address_limit || image_.size_ > address_limit - scratch_base_)) {
        return Error{"the image (" + Hex(image_.size_) + " bytes at " + Hex(scratch_base_) +
                     ") does not fit a 32-bit address space"};
      }
      // calloc: large zero-filled buffers come from fresh pages, so space
      // for a big .bss costs nothing until it is touched.
      image_.scratch_.reset(static_cast<uint8_t*>(std::calloc(image_.size_, 1)));
      if (image_.scratch_ == nullptr) {
        return Error{"cannot allocate " + Hex(image_.size_) + " bytes for the AOT image"};
      }
      image_.memory_ = image_.scratch_.get();
      image_.base_ = scratch_base_;
    } else {
      int flags = MAP_PRIVATE | MAP_ANONYMOUS;
#if defined(__x86_64__) && defined(MAP_32BIT)
      // 32-bit absolute relocations need the image in the low 2 GiB.
      if (needs_low_addresses_) flags |= MAP_32BIT;
#endif
      void* memory = mmap(nullptr, image_.size_, PROT_READ | PROT_WRITE, flags, -1, 0);
      if (memory == MAP_FAILED) {
        return Error{"cannot map " + Hex(image_.size_) +
                     " bytes for the AOT image: " + std::strerror(errno)};
      }
      image_.memory_ = static_cast<uint8_t*>(memory);
      image_.mapped_ = true;
      image_.base_ = reinterpret_cast<uintptr_t>(memory);
    }
    for (ImageSection& section : image_.sections_) {
      section.address += image_.base_;
      if (section.elf_index != 0 && !section.nobits && section.size != 0) {
        const std::span<const uint8_t> contents =
            object_.Contents(object_.sections()[section.elf_index]);
        std::memcpy(Bytes(section.address), contents.data(),
                    std::min<uint64_t>(contents.size(), section.size));
      }
    }
    return {};
  }

  Status ResolveSymbols() {
    const std::vector<ElfSymbol>& symbols = object_.symbols();
    address_.assign(symbols.size(), 0);
    unavailable_.assign(symbols.size(), std::string());
    std::set<std::string> unresolved;
    for (size_t i = 1; i < symbols.size(); ++i) {
      const ElfSymbol& symbol = symbols[i];
      if (symbol.type == kSttTls) {
        unavailable_[i] = "it is thread-local, which AOT code may not use";
        continue;
      }
      if (symbol.section == kShnUndef) {
        if (symbol.name.empty()) {
          unavailable_[i] = "it is undefined and has no name";
          continue;
        }
        std::optional<uint64_t> address = resolve_ ? resolve_(symbol.name) : std::nullopt;
        if (address.has_value()) {
          address_[i] = *address;
        } else if (symbol.binding != kStbWeak) {  // an unresolved weak symbol is 0
          unresolved.insert(std::string(symbol.name));
        }
        continue;
      }
      if (symbol.section == kShnAbs) {
        address_[i] = symbol.value;
      } else if (symbol.section == kShnCommon) {
        unavailable_[i] = "it is a common symbol (compile with -fno-common)";
        continue;
      } else if (placed_[symbol.section] >= 0) {
        address_[i] = image_.sections_[placed_[symbol.section]].address + symbol.value;
      } else {
        unavailable_[i] =
            "it is defined in " + object_.Describe(symbol.section) + ", which is not loaded";
        continue;
      }
      if ((symbol.binding == kStbGlobal || symbol.binding == kStbWeak) && !symbol.name.empty()) {
        image_.symbols_.insert_or_assign(std::string(symbol.name), address_[i]);
      }
    }
    if (!unresolved.empty()) {
      std::string list;
      for (const std::string& name : unresolved) list += (list.empty() ? "" : ", ") + name;
      return LoadError(std::to_string(unresolved.size()) + " unresolved symbol" +
                       (unresolved.size() == 1 ? "" : "s") + ": " + list);
    }
    return {};
  }

  uint64_t StubAddress(uint32_t symbol) const {
    return image_.sections_[stubs_section_].address + stubs_.at(symbol);
  }
  uint64_t GotSlotAddress(uint32_t symbol) const {
    return image_.sections_[got_section_].address + got_slots_.at(symbol);
  }

  void WriteGotAndStubs() {
    for (const auto& [symbol, offset] : stubs_) {
      uint8_t* stub = Bytes(StubAddress(symbol));
      if (is_riscv()) {
        WriteRiscvStub(stub, address_[symbol], is_rv64());
      } else {
        WriteX86_64Stub(stub, address_[symbol]);
      }
    }
    for (const auto& [symbol, offset] : got_slots_) {
      uint8_t* slot = Bytes(GotSlotAddress(symbol));
      if (pointer_size() == 8) {
        WriteLe64(slot, address_[symbol]);
      } else {
        WriteLe32(slot, static_cast<uint32_t>(address_[symbol]));
      }
    }
  }

  // The relocation, with addresses, for `entry` of `list` (checked to lie in
  // its section and to name a usable symbol).
  Result<Relocation> Resolve(const RelocationList& list, const ElfRelocation& entry) const {
    const ImageSection& target = image_.sections_[placed_[list.target]];
    if (entry.offset >= target.size) {
      return LoadError(Where(list, entry) + ": the offset is past the end of the section (" +
                       Hex(target.size) + " bytes)");
    }
    // Symbol 0 means "no symbol": S is 0.
    if (entry.symbol != 0 && !unavailable_[entry.symbol].empty()) {
      return LoadError(Where(list, entry) +
                       ": cannot use the symbol: " + unavailable_[entry.symbol]);
    }
    Relocation relocation;
    relocation.type = entry.type;
    relocation.place = target.address + entry.offset;
    relocation.field = Bytes(relocation.place);
    relocation.room = target.size - entry.offset;
    relocation.symbol = address_[entry.symbol];
    relocation.addend = entry.addend;
    if ((Traits(entry.type) & kRelocUsesGot) != 0)
      relocation.got_slot = GotSlotAddress(entry.symbol);
    return relocation;
  }

  // RISC-V PCREL_LO12_*: the symbol labels the AUIPC whose HI20 relocation
  // holds the value; as in lld, the label's value locates it and the LO12's
  // addend is not used.
  Result<uint64_t> PairedHiValue(const RelocationList& list, const ElfRelocation& lo) const {
    const ElfSymbol& label = object_.symbols()[lo.symbol];
    auto hi = hi_relocations_.find({label.section, label.value});
    if (hi == hi_relocations_.end()) {
      return LoadError(Where(list, lo) +
                       ": there is no PCREL_HI20 or GOT_HI20 relocation at the label (offset " +
                       Hex(label.value) + " of " + object_.Describe(label.section) + ")");
    }
    Result<Relocation> relocation = Resolve(*hi->second.first, hi->second.second);
    if (!relocation.ok()) return relocation.error();
    return RiscvHiValue(*relocation, is_rv64());
  }

  // x86-64 PC32 may be a call or jump (E8, E9, 0F 8x rel32), which a stub can
  // serve, or a data reference, which it cannot.
  bool IsX86BranchField(const RelocationList& list, const ElfRelocation& entry) const {
    const uint8_t* section = Bytes(image_.sections_[placed_[list.target]].address);
    const uint64_t offset = entry.offset;
    if (offset >= 1 && (section[offset - 1] == 0xe8 || section[offset - 1] == 0xe9)) return true;
    return offset >= 2 && section[offset - 2] == 0x0f && (section[offset - 1] & 0xf0) == 0x80;
  }

  Status ApplyRelocations() {
    if (is_riscv()) {
      for (const RelocationList& list : relocations_) {
        for (const ElfRelocation& entry : list.entries) {
          if ((RiscvRelocationTraits(entry.type) & kRelocPcrelHi) != 0) {
            hi_relocations_.emplace(std::make_pair(list.target, entry.offset),
                                    std::make_pair(&list, entry));
          }
        }
      }
    }
    for (const RelocationList& list : relocations_) {
      for (const ElfRelocation& entry : list.entries) {
        const uint32_t traits = Traits(entry.type);
        if ((traits & kRelocSupported) == 0) {
          return LoadError(Where(list, entry) + ": unsupported relocation type");
        }
        if ((traits & kRelocIgnored) != 0) continue;
        Result<Relocation> relocation = Resolve(list, entry);
        if (!relocation.ok()) return relocation.error();
        if ((traits & kRelocPcrelLo) != 0) {
          Result<uint64_t> hi = PairedHiValue(list, entry);
          if (!hi.ok()) return hi.error();
          relocation->pcrel_hi = *hi;
        }
        RelocOutcome outcome = Apply(*relocation);
        if (outcome.status == RelocStatus::kOutOfRange && (traits & kRelocCall) != 0 &&
            stubs_.count(entry.symbol) != 0) {
          // Through the stub, if the addend only compensates for where the
          // field sits in the instruction (-4 for x86-64 rel32, 0 for RISC-V).
          const bool plain_call =
              is_riscv() ? entry.addend == 0
                         : entry.addend == -4 &&
                               (entry.type == kR_X86_64_PLT32 || IsX86BranchField(list, entry));
          if (plain_call) {
            relocation->symbol = StubAddress(entry.symbol);
            outcome = Apply(*relocation);
            if (outcome.ok()) ++image_.calls_through_stubs_;
          }
        }
        if (!outcome.ok()) return LoadError(Where(list, entry) + ": " + outcome.message);
      }
    }
    return {};
  }

  RelocOutcome Apply(const Relocation& relocation) const {
    return is_riscv() ? ApplyRiscvRelocation(relocation, is_rv64())
                      : ApplyX86_64Relocation(relocation);
  }

  // W^X: the code becomes read+execute and read-only data read-only; only the
  // data segment stays writable.
  Status Protect() {
    if (image_.mode_ != LoadMode::kExecute) return {};
    const int protections[kSegmentCount] = {PROT_READ | PROT_EXEC, PROT_READ,
                                            PROT_READ | PROT_WRITE};
    for (int segment = 0; segment < kDataSegment; ++segment) {
      const uint64_t begin = segment_begin_[segment];
      const uint64_t end = AlignUp(segment_end_[segment], page_size_);
      if (end <= begin) continue;
      if (segment == kCodeSegment) {
        __builtin___clear_cache(reinterpret_cast<char*>(image_.memory_ + begin),
                                reinterpret_cast<char*>(image_.memory_ + end));
      }
      if (mprotect(image_.memory_ + begin, end - begin, protections[segment]) != 0) {
        return Error{"cannot protect the AOT image's " +
                     std::string(segment == kCodeSegment ? "code" : "read-only data") + ": " +
                     std::strerror(errno)};
      }
    }
    return {};
  }

  const ElfObject& object_;
  const SymbolResolver& resolve_;
  uint64_t scratch_base_;
  AotImage& image_;
  uint64_t page_size_ = kScratchPageSize;

  std::vector<int64_t> placed_;  // ELF section index -> index in image_.sections_, or -1
  std::map<uint32_t, ImageSection> pending_;
  std::vector<uint32_t> segment_members_[kSegmentCount];
  uint64_t segment_begin_[kSegmentCount] = {};
  uint64_t segment_end_[kSegmentCount] = {};
  std::vector<RelocationList> relocations_;
  std::map<uint32_t, uint64_t> got_slots_;  // symbol -> offset in the GOT
  std::map<uint32_t, uint64_t> stubs_;      // symbol -> offset in the stubs
  size_t got_section_ = 0;
  size_t stubs_section_ = 0;
  bool needs_low_addresses_ = false;
  std::vector<uint64_t> address_;         // per symbol
  std::vector<std::string> unavailable_;  // per symbol: why it cannot be used
  std::map<std::pair<uint32_t, uint64_t>, std::pair<const RelocationList*, ElfRelocation>>
      hi_relocations_;
};

Result<std::unique_ptr<AotImage>> AotImage::Load(std::span<const uint8_t> object,
                                                 aot::AotMachine machine,
                                                 const SymbolResolver& resolve, LoadMode mode,
                                                 uint64_t scratch_base) {
  Result<ElfObject> parsed = ElfObject::Parse(object);
  if (!parsed.ok()) return parsed.error();
  std::unique_ptr<AotImage> image(new AotImage());
  image->mode_ = mode;
  image->machine_ = machine;
  image->elf_flags_ = parsed->flags();
  ImageBuilder builder(*parsed, resolve, scratch_base, *image);
  if (Status status = builder.Build(); !status.ok()) return status.error();
  return image;
}

AotImage::~AotImage() {
  if (mapped_) munmap(memory_, size_);
}

void* AotImage::Symbol(std::string_view name) const {
  if (mode_ != LoadMode::kExecute) return nullptr;
  std::optional<uint64_t> address = SymbolAddress(name);
  return address.has_value() ? reinterpret_cast<void*>(static_cast<uintptr_t>(*address)) : nullptr;
}

std::optional<uint64_t> AotImage::SymbolAddress(std::string_view name) const {
  auto found = symbols_.find(name);
  if (found == symbols_.end()) return std::nullopt;
  return found->second;
}

const ImageSection* AotImage::FindSection(std::string_view name) const {
  for (const ImageSection& section : sections_) {
    if (section.name == name) return &section;
  }
  return nullptr;
}

std::span<const uint8_t> AotImage::Contents(const ImageSection& section) const {
  return {memory_ + (section.address - base_), section.size};
}

std::optional<RiscvFloatAbi> AotImage::riscv_float_abi() const {
  if (machine_ == aot::AotMachine::kX86_64) return std::nullopt;
  switch (elf_flags_ & kEfRiscvFloatAbiMask) {
    case kEfRiscvFloatAbiSoft:
      return RiscvFloatAbi::kSoft;
    case kEfRiscvFloatAbiSingle:
      return RiscvFloatAbi::kSingle;
    case kEfRiscvFloatAbiDouble:
      return RiscvFloatAbi::kDouble;
    default:
      return RiscvFloatAbi::kQuad;
  }
}

std::string AotImage::AbiName() const {
  if (machine_ == aot::AotMachine::kX86_64) return "sysv";
  std::string name = machine_ == aot::AotMachine::kRiscv64 ? "lp64" : "ilp32";
  switch (*riscv_float_abi()) {
    case RiscvFloatAbi::kSoft:
      break;
    case RiscvFloatAbi::kSingle:
      name += "f";
      break;
    case RiscvFloatAbi::kDouble:
      name += "d";
      break;
    case RiscvFloatAbi::kQuad:
      name += "q";
      break;
  }
  if ((elf_flags_ & kEfRiscvRve) != 0) name += "e";
  return name;
}

}  // namespace rivet::elf
