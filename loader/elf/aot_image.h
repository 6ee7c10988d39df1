// The AOT image loader: turns the ELF relocatable object that `rivet compile`
// produced (x86-64, riscv64 or riscv32) into laid-out, relocated code.
//
// Layout. Loaded sections are the SHF_ALLOC ones (PROGBITS, NOBITS and the
// x86-64 unwind type); everything else (debug info, .comment, attributes,
// address-significance tables, group headers) is ignored along with its
// relocations. SHT_GROUP sections only say which sections belong together; a
// lone object keeps every member, so groups need no handling. Sections are
// grouped into three page-aligned segments, each in file order:
//   code       SHF_EXECINSTR sections, then the call stubs      read+execute
//   read-only  the rest without SHF_WRITE (.rodata*, .eh_frame),
//              then the GOT                                      read-only
//   data       SHF_WRITE sections (.data*, .bss*)                read+write
// .eh_frame is kept and relocated like any other read-only section (its
// relocations are ordinary ones), followed by a 4-byte zero terminator
// (counted in its ImageSection::size) as frame registration expects; nothing
// registers it yet, since traps unwind with longjmp (loader/aot_abi.h).
//
// GOT and stubs. GOT-relative relocations (x86-64 GOTPCREL*, RISC-V GOT_HI20)
// go through a pointer-sized slot per symbol in the loader's GOT (no GOT
// relaxation). Calls to undefined symbols (x86-64 PLT32 and PC32 on a call or
// jump instruction, RISC-V CALL, CALL_PLT and JAL) that are out of the
// instruction's reach go through a stub in the code segment holding the target
// address (relocate.h); in reach, they go direct.
//
// Modes. kExecute maps the image in this process (the object must be for this
// host): writable while relocating, then code read+execute and read-only data
// read-only, never writable and executable at once. Code that needs 32-bit
// absolute addresses (x86-64 R_X86_64_32/32S, from -mcmodel=small without PIC)
// is mapped below 2 GiB. kScratch relocates into an ordinary buffer as if it
// were loaded at `scratch_base`, for any target; its code is never executed
// (`rivet inspect`, tests).
#ifndef RIVET_LOADER_ELF_AOT_IMAGE_H_
#define RIVET_LOADER_ELF_AOT_IMAGE_H_

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "loader/aot_section.h"
#include "loader/result.h"

namespace rivet::elf {

// Maps an undefined symbol's name to its run-time address, or nullopt when
// the symbol is unknown.
using SymbolResolver = std::function<std::optional<uint64_t>(std::string_view name)>;

enum class LoadMode : uint8_t { kExecute, kScratch };

// The RISC-V float ABI an object was compiled for (e_flags).
enum class RiscvFloatAbi : uint8_t { kSoft, kSingle, kDouble, kQuad };

enum SegmentPermissions : uint8_t { kReadable = 1, kWritable = 2, kExecutable = 4 };

// One placed section. The loader's own sections are named ".rivet.stubs"
// and ".rivet.got".
struct ImageSection {
  std::string name;
  uint32_t elf_index = 0;  // the object's section index; 0 for the loader's own
  uint64_t address = 0;    // run-time address
  uint64_t size = 0;
  uint64_t alignment = 1;
  uint8_t permissions = kReadable;  // SegmentPermissions bits
  bool nobits = false;              // SHT_NOBITS: zero-filled
};

class AotImage {
 public:
  // Loads `object` (an ET_REL for `machine`), resolving undefined symbols
  // with `resolve`. In kScratch mode the image is laid out from
  // `scratch_base`, which must be page-aligned (4 KiB); it is ignored in
  // kExecute mode. Errors name what is wrong and where; every unresolved
  // symbol is listed at once, sorted.
  static Result<std::unique_ptr<AotImage>> Load(std::span<const uint8_t> object,
                                                aot::AotMachine machine,
                                                const SymbolResolver& resolve, LoadMode mode,
                                                uint64_t scratch_base = 0);

  AotImage(const AotImage&) = delete;
  AotImage& operator=(const AotImage&) = delete;
  ~AotImage();

  // A defined global (or weak) symbol, e.g. "rivet_func_3": its address in
  // this process (kExecute), or null when undefined here or in kScratch mode.
  void* Symbol(std::string_view name) const;
  // Its run-time address in either mode.
  std::optional<uint64_t> SymbolAddress(std::string_view name) const;

  LoadMode mode() const { return mode_; }
  aot::AotMachine machine() const { return machine_; }
  // The image's run-time address range: [base(), base() + size()).
  uint64_t base() const { return base_; }
  uint64_t size() const { return size_; }
  // Every placed section, in address order.
  const std::vector<ImageSection>& sections() const { return sections_; }
  const ImageSection* FindSection(std::string_view name) const;
  // The relocated bytes of a placed section (zeros for SHT_NOBITS).
  std::span<const uint8_t> Contents(const ImageSection& section) const;

  // The object's e_flags, and for RISC-V the ABI they say, in the names the
  // AOT section uses ("lp64d", "ilp32", "ilp32e", ...; "sysv" for x86-64), so
  // the caller can compare it with the ABI it expects.
  uint32_t elf_flags() const { return elf_flags_; }
  std::optional<RiscvFloatAbi> riscv_float_abi() const;
  std::string AbiName() const;

  // Stubs the loader generated and how many calls went through them.
  size_t stub_count() const { return stub_count_; }
  size_t calls_through_stubs() const { return calls_through_stubs_; }

 private:
  friend class ImageBuilder;
  AotImage() = default;

  LoadMode mode_ = LoadMode::kScratch;
  aot::AotMachine machine_ = aot::AotMachine::kX86_64;
  uint32_t elf_flags_ = 0;
  uint64_t base_ = 0;
  uint64_t size_ = 0;
  uint8_t* memory_ = nullptr;  // the image's bytes in this process
  struct FreeDeleter {
    void operator()(uint8_t* memory) const { std::free(memory); }
  };
  std::unique_ptr<uint8_t, FreeDeleter> scratch_;  // kScratch: owns memory_
  bool mapped_ = false;                            // kExecute: memory_ is an mmap
  std::vector<ImageSection> sections_;
  std::map<std::string, uint64_t, std::less<>> symbols_;
  size_t stub_count_ = 0;
  size_t calls_through_stubs_ = 0;
};

}  // namespace rivet::elf

#endif  // RIVET_LOADER_ELF_AOT_IMAGE_H_
