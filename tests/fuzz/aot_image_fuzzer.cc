// libFuzzer target: the rivet.aot section parser and the AOT image loader
// (ELF parsing, layout, relocation) on corrupted sections.
//
// The input is a rivet.aot payload (the seed corpus holds real ones compiled
// for x86_64, riscv64 and riscv32). When it decodes, its object is loaded in
// kScratch mode for every machine, not only the one the section names, so
// each relocator also sees the other machines' objects. The resolver knows
// every helper name, as the module manager's does for another host, so
// corrupted relocations get as far as being applied; any other name is
// unknown, which exercises the unresolved-symbol error.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "loader/aot_section.h"
#include "loader/elf/aot_image.h"
#include "loader/helpers/helpers.h"
#include "runtime/aot/helpers.h"

namespace {

// The module manager's scratch layout (runtime/module_manager.cc): image at
// 256 MiB, made-up helper addresses just below it, all within rv32's reach.
constexpr uint64_t kScratchBase = 0x10000000;
constexpr uint64_t kScratchHelpers = kScratchBase - 0x100000;

void LoadFor(std::span<const uint8_t> object, rivet::aot::AotMachine machine) {
  std::map<std::string, uint64_t, std::less<>> addresses;
  rivet::elf::SymbolResolver resolve = [&](std::string_view name) -> std::optional<uint64_t> {
    if (rivet::aot::FindRuntimeHelper(name) == nullptr &&
        rivet::helpers::FindHelperEntry(name) == nullptr) {
      return std::nullopt;
    }
    auto [it, inserted] =
        addresses.emplace(std::string(name), kScratchHelpers + 16 * addresses.size());
    return it->second;
  };
  auto image = rivet::elf::AotImage::Load(object, machine, resolve,
                                          rivet::elf::LoadMode::kScratch, kScratchBase);
  if (!image.ok()) {
    if (image.error().message.empty()) {
      std::fprintf(stderr, "aot_image_fuzzer: an error without a message\n");
      std::abort();
    }
    return;
  }
  // Read back what a caller reads: every section's contents and bounds.
  const rivet::elf::AotImage& loaded = **image;
  for (const rivet::elf::ImageSection& section : loaded.sections()) {
    if (section.address < loaded.base() ||
        section.size > loaded.base() + loaded.size() - section.address) {
      std::fprintf(stderr, "aot_image_fuzzer: section %s lies outside the image\n",
                   section.name.c_str());
      std::abort();
    }
    std::span<const uint8_t> contents = loaded.Contents(section);
    volatile uint8_t sink = 0;
    for (uint8_t byte : contents) sink = sink ^ byte;
  }
  (void)loaded.AbiName();
  (void)loaded.SymbolAddress("rivet_func_0");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto section = rivet::aot::DecodeAotSection(std::span<const uint8_t>(data, size));
  if (!section.ok()) return 0;
  // What decodes must encode back to a payload that decodes the same.
  std::vector<uint8_t> encoded = rivet::aot::EncodeAotSection(*section);
  auto again = rivet::aot::DecodeAotSection(encoded);
  if (!again.ok() || again->helpers != section->helpers || again->abi != section->abi ||
      again->object.size() != section->object.size()) {
    std::fprintf(stderr, "aot_image_fuzzer: section does not survive encode/decode\n");
    std::abort();
  }
  for (rivet::aot::AotMachine machine :
       {rivet::aot::AotMachine::kX86_64, rivet::aot::AotMachine::kRiscv64,
        rivet::aot::AotMachine::kRiscv32}) {
    LoadFor(section->object, machine);
  }
  return 0;
}
