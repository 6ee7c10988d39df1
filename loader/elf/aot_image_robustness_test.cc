// Malformed objects are errors, never crashes: every truncation and many
// single-byte corruptions of the test objects, loaded in scratch mode, either
// load or return an error with a message. (Run it under ASan to also catch
// out-of-bounds reads that happen not to crash.)
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loader/elf/aot_image.h"
#include "loader/elf/test_util.h"

namespace rivet::elf {
namespace {

using aot::AotMachine;

struct Sample {
  const char* path;
  AotMachine machine;
};

const Sample kSamples[] = {
    {"loader/elf/testdata/x86_program_pic.o", AotMachine::kX86_64},
    {"loader/elf/testdata/x86_relocs.o", AotMachine::kX86_64},
    {"loader/elf/testdata/rv64gc_lp64d_pic_relax_O2.o", AotMachine::kRiscv64},
    {"loader/elf/testdata/asm_rv32imac.o", AotMachine::kRiscv32},
};

void PrintTo(const Sample& sample, std::ostream* os) { *os << sample.path; }

// Loads `bytes`; returns whether it loaded. A failure must say something.
bool LoadsOrExplains(const std::vector<uint8_t>& bytes, AotMachine machine) {
  SymbolResolver resolve = [](std::string_view name) -> std::optional<uint64_t> {
    return 0x100000 + (name.size() << 6);
  };
  Result<std::unique_ptr<AotImage>> image =
      AotImage::Load(bytes, machine, resolve, LoadMode::kScratch, 0x10000);
  if (!image.ok()) {
    EXPECT_FALSE(image.error().message.empty());
    return false;
  }
  // Touch what a caller would: every section's bytes.
  uint64_t sum = 0;
  for (const ImageSection& section : (*image)->sections()) {
    for (uint8_t byte : (*image)->Contents(section)) sum += byte;
  }
  return sum != 1;  // always true; keeps the reads from being optimised away
}

class RobustnessTest : public testing::TestWithParam<Sample> {
 protected:
  void SetUp() override {
    object_ = test::ReadTestFile(GetParam().path);
    ASSERT_FALSE(object_.empty()) << GetParam().path;
    ASSERT_TRUE(LoadsOrExplains(object_, GetParam().machine)) << "the intact object must load";
  }
  std::vector<uint8_t> object_;
};

TEST_P(RobustnessTest, EveryTruncationIsAnError) {
  for (size_t length = 0; length < object_.size(); ++length) {
    const std::vector<uint8_t> truncated(object_.begin(), object_.begin() + length);
    // Section headers come last, so no proper prefix is a whole object.
    EXPECT_FALSE(LoadsOrExplains(truncated, GetParam().machine))
        << "truncated to " << length << " bytes";
  }
}

TEST_P(RobustnessTest, SingleByteCorruptionsNeverCrash) {
  size_t errors = 0;
  size_t loads = 0;
  for (size_t position = 0; position < object_.size(); ++position) {
    const uint8_t original = object_[position];
    for (uint8_t value : {uint8_t{0x00}, uint8_t{0xff}, uint8_t(original ^ 0x01),
                          uint8_t(original ^ 0x80), uint8_t(original + 0x10)}) {
      if (value == original) continue;
      std::vector<uint8_t> corrupted = object_;
      corrupted[position] = value;
      ++loads;
      if (!LoadsOrExplains(corrupted, GetParam().machine)) ++errors;
    }
  }
  // Many corruptions only change code or data bytes and still load; those of
  // headers, tables and relocations must have produced some errors.
  EXPECT_GT(errors, loads / 50) << errors << " errors in " << loads << " loads";
}

INSTANTIATE_TEST_SUITE_P(Objects, RobustnessTest, testing::ValuesIn(kSamples));

TEST(RobustnessMessages, NameWhatIsWrong) {
  auto message = [](std::vector<uint8_t> bytes) {
    Result<std::unique_ptr<AotImage>> image =
        AotImage::Load(bytes, AotMachine::kX86_64, nullptr, LoadMode::kScratch, 0x10000);
    return image.ok() ? std::string("loaded") : image.error().message;
  };
  EXPECT_NE(message({}).find("too short for an ELF identification"), std::string::npos);
  EXPECT_NE(message(std::vector<uint8_t>(64, 0)).find("ELF magic"), std::string::npos);
  std::vector<uint8_t> object = test::ReadTestFile("loader/elf/testdata/x86_program_pic.o");
  ASSERT_FALSE(object.empty());
  std::vector<uint8_t> big_endian = object;
  big_endian[5] = 2;
  EXPECT_NE(message(big_endian).find("not little-endian"), std::string::npos);
  std::vector<uint8_t> executable = object;
  executable[16] = 2;  // ET_EXEC
  EXPECT_NE(message(executable).find("not a relocatable object"), std::string::npos);
  std::vector<uint8_t> truncated(object.begin(), object.end() - 1);
  EXPECT_NE(message(truncated).find("past the end of the object"), std::string::npos)
      << message(truncated);
}

TEST(RobustnessMessages, ScratchBaseMustBeAligned) {
  std::vector<uint8_t> object = test::ReadTestFile("loader/elf/testdata/asm_rv32imac.o");
  ASSERT_FALSE(object.empty());
  SymbolResolver resolve = [](std::string_view) -> std::optional<uint64_t> { return 0x90000; };
  Result<std::unique_ptr<AotImage>> image =
      AotImage::Load(object, AotMachine::kRiscv32, resolve, LoadMode::kScratch, 0x10010);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.error().message.find("not 4 KiB-aligned"), std::string::npos);
  image = AotImage::Load(object, AotMachine::kRiscv32, resolve, LoadMode::kScratch, 0xfffff000);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.error().message.find("32-bit address space"), std::string::npos)
      << image.error().message;
}

}  // namespace
}  // namespace rivet::elf
