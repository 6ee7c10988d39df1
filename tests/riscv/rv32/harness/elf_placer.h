// A freestanding placer for the ELF32 RISC-V relocatable object in a
// rivet.aot section: lays out its SHF_ALLOC sections in memory this process
// maps, resolves its undefined symbols through a callback, applies every
// relocation with rivet's relocation core (loader/elf/relocate.h), and
// leaves code read+execute and read-only data read-only.
//
// It follows loader/elf/aot_image.cc (the hosted loader) in every decision
// that affects the bytes: the three page-aligned segments (code then call
// stubs; read-only data then the GOT; writable data), calls out of reach
// going through stubs, PCREL_LO12 relocations completed by the HI20 at
// their label. That loader needs the C++ standard library (std::vector,
// std::map, std::string, std::function, mmap through libc) throughout its
// bookkeeping, so firmware cannot link it; this is the small subset a
// freestanding rv32 runtime needs, with fixed-capacity storage from the
// harness's bump allocator.
#ifndef RIVET_TESTS_RISCV_RV32_HARNESS_ELF_PLACER_H_
#define RIVET_TESTS_RISCV_RV32_HARNESS_ELF_PLACER_H_

#include <stddef.h>
#include <stdint.h>

#include "tests/riscv/rv32/harness/system.h"

namespace rivet::rv32 {

// Returns the run-time address for the undefined symbol `name` (not
// NUL-terminated), or 0 when it is unknown.
using SymbolResolver = uintptr_t (*)(const char* name, size_t length, void* context);

struct PlacedImage {
  uint8_t* base = nullptr;
  size_t size = 0;
  uint32_t elf_flags = 0;
  size_t section_count = 0;  // placed sections
  size_t relocation_count = 0;
  size_t stub_count = 0;
  size_t calls_through_stubs = 0;
  size_t resolved_symbols = 0;  // undefined symbols bound through the resolver

  // Internal: the object's symbol table, to look defined symbols up.
  const uint8_t* object = nullptr;
  size_t object_size = 0;
  uint32_t symtab_offset = 0, symbol_count = 0, strtab_offset = 0, strtab_size = 0;
  uintptr_t* symbol_address = nullptr;  // per symbol, 0 when not placed
};

// Loads `object`. On failure returns false with `error` saying what and
// where (section, offset, relocation type, symbol). Every unresolved
// symbol is listed.
bool PlaceObject(const uint8_t* object, size_t size, SymbolResolver resolve, void* context,
                 PlacedImage& image, Text& error);

// The address of the defined global symbol `name`, or null.
void* FindSymbol(const PlacedImage& image, const char* name);

}  // namespace rivet::rv32

#endif  // RIVET_TESTS_RISCV_RV32_HARNESS_ELF_PLACER_H_
