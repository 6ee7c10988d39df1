// The RISC-V differential test: every object compiled from testdata/ by
// clang, and every object `rivet compile` makes from the test programs in
// tests/wasm for several feature sets, ABIs and opt levels, is
// relocated by the loader in scratch mode, then linked by ld.lld-19
// (--no-relax) with a linker script that puts each section at the address
// the loader chose and --defsym that gives each external symbol the address
// the loader's resolver gave it; every section's bytes must agree. lld runs
// with -O0 so that it does not merge (and so reorder) strings.
//
// The external symbols are near here, so every call reaches them directly
// and the loader's stubs (which lld does not have) go unused; stubs are
// tested separately in aot_image_riscv_stub_test.cc.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loader/elf/aot_image.h"
#include "loader/elf/elf_format.h"
#include "loader/elf/riscv_test_util.h"
#include "loader/elf/test_util.h"
#include "loader/aot_abi.h"
#include "loader/aot_section.h"
#include "loader/module.h"

namespace rivet::elf {
namespace {

using test::kRiscvObjects;
using test::RiscvObject;

constexpr uint64_t kBase = 0x10000;
constexpr char kLld[] = "/usr/lib/llvm-19/bin/ld.lld";

struct LinkedSection {
  uint64_t address = 0;
  uint64_t size = 0;
  std::vector<uint8_t> bytes;
};

// The sections of a linked ELF32/ELF64 file, by name.
std::map<std::string, LinkedSection> ReadLinkedSections(const std::vector<uint8_t>& file) {
  std::map<std::string, LinkedSection> sections;
  if (file.size() < kEhdr32Size) return sections;
  const bool is_64_bit = file[kEiClass] == kElfClass64;
  const uint8_t* data = file.data();
  const uint64_t shoff = is_64_bit ? ReadLe64(data + 40) : ReadLe32(data + 32);
  const uint16_t shentsize = ReadLe16(data + (is_64_bit ? 58 : 46));
  const uint16_t shnum = ReadLe16(data + (is_64_bit ? 60 : 48));
  const uint16_t shstrndx = ReadLe16(data + (is_64_bit ? 62 : 50));
  auto field = [&](int index, int offset64, int offset32, bool word) -> uint64_t {
    const uint8_t* header = data + shoff + uint64_t{shentsize} * index;
    if (is_64_bit) return word ? ReadLe64(header + offset64) : ReadLe32(header + offset64);
    return ReadLe32(header + offset32);
  };
  const uint64_t names_offset = field(shstrndx, 24, 16, true);
  for (int i = 1; i < shnum; ++i) {
    const std::string name(
        reinterpret_cast<const char*>(data + names_offset + field(i, 0, 0, false)));
    LinkedSection section;
    section.address = field(i, 16, 12, true);
    section.size = field(i, 32, 20, true);
    const uint64_t offset = field(i, 24, 16, true);
    if (field(i, 4, 4, false) != kShtNobits) {
      section.bytes.assign(data + offset, data + offset + section.size);
    }
    sections[name] = std::move(section);
  }
  return sections;
}

std::string Hex(uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof(text), "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

std::string TestTempDir() {
  return std::getenv("TEST_TMPDIR") != nullptr ? std::getenv("TEST_TMPDIR") : "/tmp";
}

// Relocates the object at `object_path` (named `name` in messages and
// temporary files) and compares every section with lld's output; at least
// `min_sections` must have been compared.
void ExpectSameAsLld(const std::string& name, const std::string& object_path,
                     aot::AotMachine machine, int min_sections) {
  const std::vector<uint8_t> object = test::ReadTestFile(object_path);
  ASSERT_FALSE(object.empty()) << object_path;

  // Externals 512 KiB above the image: within reach of every call, JAL
  // included, and of absolute HI20/LO12 (medlow) addressing.
  test::FakeSymbols externals(kBase + 0x80000, 0x40);
  Result<std::unique_ptr<AotImage>> loaded =
      AotImage::Load(object, machine, externals.Resolver(), LoadMode::kScratch, kBase);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const AotImage& image = **loaded;
  EXPECT_EQ(image.calls_through_stubs(), 0u);

  // The linker script: one output section per loaded input section, at the
  // loader's address; lld's GOT where the loader put its own.
  const std::string directory = TestTempDir();
  const std::string script_path = directory + "/" + name + ".ld";
  const std::string output_path = directory + "/" + name + ".elf";
  const std::string log_path = directory + "/" + name + ".log";
  std::ostringstream script;
  script << "SECTIONS {\n";
  std::map<std::string, int> name_count;
  for (const ImageSection& section : image.sections()) ++name_count[section.name];
  for (const ImageSection& section : image.sections()) {
    ASSERT_EQ(name_count[section.name], 1)
        << "section names must be unique to link by name: " << section.name;
    if (section.name == ".rivet.stubs") continue;
    if (section.name == ".rivet.got") {
      script << "  .got " << Hex(section.address) << " : { *(.got) }\n";
      continue;
    }
    script << "  out" << section.elf_index << " " << Hex(section.address) << " : { *("
           << section.name << ") }\n";
  }
  script << "}\n";
  std::ofstream(script_path) << script.str();

  std::string command =
      std::string(kLld) + " --no-relax -O0 -static -e 0 -T " + script_path + " -o " + output_path;
  for (const auto& [name, address] : externals.addresses())
    command += " --defsym=" + name + "=" + Hex(address);
  command += " " + object_path + " > " + log_path + " 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream log_file(log_path);
  const std::string log((std::istreambuf_iterator<char>(log_file)),
                        std::istreambuf_iterator<char>());
  ASSERT_EQ(status, 0) << command << "\n" << log << "\nscript:\n" << script.str();

  const std::map<std::string, LinkedSection> linked =
      ReadLinkedSections(test::ReadTestFile(output_path));
  int compared = 0;
  for (const ImageSection& section : image.sections()) {
    if (section.name == ".rivet.stubs" || section.size == 0) continue;
    const std::string linked_name =
        section.name == ".rivet.got" ? ".got" : "out" + std::to_string(section.elf_index);
    auto found = linked.find(linked_name);
    ASSERT_NE(found, linked.end()) << "lld did not output " << section.name;
    const LinkedSection& theirs = found->second;
    EXPECT_EQ(theirs.address, section.address) << section.name;
    ASSERT_EQ(theirs.size, section.size) << section.name;
    if (section.nobits) continue;
    const std::span<const uint8_t> ours = image.Contents(section);
    for (uint64_t i = 0; i < section.size; ++i) {
      if (ours[i] != theirs.bytes[i]) {
        ADD_FAILURE() << section.name << " differs from lld at offset " << Hex(i) << " (address "
                      << Hex(section.address + i) << "): ours " << Hex(ours[i]) << ", lld "
                      << Hex(theirs.bytes[i]);
        break;
      }
    }
    ++compared;
  }
  EXPECT_GE(compared, min_sections);
}

class RiscvDifferentialTest : public testing::TestWithParam<RiscvObject> {};

TEST_P(RiscvDifferentialTest, MatchesLld) {
  const RiscvObject& param = GetParam();
  ExpectSameAsLld(param.name, test::ObjectPath(param), param.machine, /*min_sections=*/3);
}

INSTANTIATE_TEST_SUITE_P(Objects, RiscvDifferentialTest, testing::ValuesIn(kRiscvObjects),
                         [](const testing::TestParamInfo<RiscvObject>& info) {
                           return std::string(info.param.name);
                         });

// Objects as `rivet compile` makes them (static, medany, no relaxation: how
// aot/compiler.cc drives LLVM), for feature sets that do and do not call
// helpers, soft and hard float ABIs, and several opt levels.
struct CompiledObject {
  const char* name;
  const char* program;  // tests/wasm/<program>.wasm
  aot::AotMachine machine;
  const char* options;  // rivet compile's target options
};

constexpr CompiledObject kCompiledObjects[] = {
    {"rv64gc_O2_hash", "hash_threads", aot::AotMachine::kRiscv64,
     "--target=riscv64 --target-abi=lp64d --cpu-features=+m,+a,+f,+d,+c --opt-level=2"},
    {"rv64gc_zbb_O3_fsm", "fsm", aot::AotMachine::kRiscv64,
     "--target=riscv64 --target-abi=lp64d --cpu-features=+m,+a,+f,+d,+c,+zbb --opt-level=3"},
    {"rv64i_lp64_O0_sort", "sort", aot::AotMachine::kRiscv64,
     "--target=riscv64 --target-abi=lp64 --opt-level=0"},
    {"rv64_no_mac_O2_hash", "hash_threads", aot::AotMachine::kRiscv64,
     "--target=riscv64 --target-abi=lp64d --cpu-features=-m,-a,-c,+f,+d --opt-level=2"},
    {"rv32i_O2_hash", "hash_threads", aot::AotMachine::kRiscv32,
     "--target=riscv32 --cpu=generic-rv32 --target-abi=ilp32 --opt-level=2"},
    {"rv32imac_Os_fsm", "fsm", aot::AotMachine::kRiscv32,
     "--target=riscv32 --target-abi=ilp32 --cpu-features=+m,+a,+c --opt-level=2 --size-level=1"},
    {"rv32imafdc_O1_sort", "sort", aot::AotMachine::kRiscv32,
     "--target=riscv32 --target-abi=ilp32d --cpu-features=+m,+a,+f,+d,+c --opt-level=1"},
};

class RivetCompileDifferentialTest : public testing::TestWithParam<CompiledObject> {};

TEST_P(RivetCompileDifferentialTest, MatchesLld) {
  const CompiledObject& param = GetParam();
  const std::string directory = TestTempDir();
  const std::string compiled = directory + "/" + param.name + ".wasm";
  const std::string log_path = directory + "/" + param.name + ".compile.log";
  const std::string srcdir = std::getenv("TEST_SRCDIR") ? std::getenv("TEST_SRCDIR") : ".";
  const std::string command = srcdir + "/rivet/cli/rivet-compiler compile " + param.options +
                              " -o " + compiled + " " + srcdir + "/rivet/tests/wasm/" +
                              param.program + ".wasm > " + log_path + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;

  // The object inside the module's one rivet.aot section.
  Result<std::shared_ptr<const Module>> module = DecodeModule(test::ReadTestFile(compiled));
  ASSERT_TRUE(module.ok()) << module.error().message;
  std::vector<uint8_t> object;
  for (const CustomSection& custom : (*module)->customs) {
    if (custom.name != aot::kAotSectionName) continue;
    Result<aot::AotSection> section =
        aot::DecodeAotSection((*module)->Range(custom.offset, custom.size));
    ASSERT_TRUE(section.ok()) << section.error().message;
    EXPECT_EQ(section->machine, param.machine);
    object.assign(section->object.begin(), section->object.end());
  }
  ASSERT_FALSE(object.empty()) << "no rivet.aot section in " << compiled;
  const std::string object_path = directory + "/" + param.name + ".o";
  std::ofstream(object_path, std::ios::binary)
      .write(reinterpret_cast<const char*>(object.data()), static_cast<std::streamsize>(object.size()));
  // Code, and its constants or jump tables.
  ExpectSameAsLld(param.name, object_path, param.machine, /*min_sections=*/1);
}

INSTANTIATE_TEST_SUITE_P(RivetCompile, RivetCompileDifferentialTest,
                         testing::ValuesIn(kCompiledObjects),
                         [](const testing::TestParamInfo<CompiledObject>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace rivet::elf
