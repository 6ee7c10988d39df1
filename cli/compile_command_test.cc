// Tests of `rivet compile`: the command run in-process on real files.
#include "cli/compile_command.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli/commands.h"
#include "cli/file_util.h"
#include "loader/aot_abi.h"
#include "loader/aot_section.h"
#include "loader/module.h"

namespace rivet::cli {
namespace {

using ::testing::HasSubstr;

// (module (func (export "f") (param i32 i32) (result i32)
//   local.get 0 local.get 1 i32.mul local.get 1 i32.div_s))
// plus `extra` as the constant of a second, unexported function, so that
// tests can make a different module.
std::vector<uint8_t> SampleWasm(uint8_t extra = 7) {
  return {
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,              // header
      0x01, 0x0b, 0x02, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,        // types: (i32 i32)->i32,
      0x60, 0x00, 0x01, 0x7f,                                      //        ()->i32
      0x03, 0x03, 0x02, 0x00, 0x01,                                // functions
      0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x00,                     // export "f"
      0x0a, 0x11, 0x02,                                            // code
      0x0a, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6c, 0x20, 0x01, 0x6d, 0x0b,
      0x04, 0x00, 0x41, extra, 0x0b,
  };
}

class CompileCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = std::getenv("TEST_TMPDIR");
    dir_ = std::filesystem::path(tmp != nullptr ? tmp : "/tmp") /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    input_ = Write("in.wasm", SampleWasm());
    output_ = (dir_ / "out.wasm").string();
  }

  std::string Write(const std::string& name, const std::vector<uint8_t>& bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return path;
  }

  // Runs the command; returns its exit status and keeps its stderr.
  int Run(std::vector<std::string> args) {
    ::testing::internal::CaptureStderr();
    int status = CompileCommand(args);
    stderr_ = ::testing::internal::GetCapturedStderr();
    return status;
  }

  std::vector<uint8_t> Output() {
    Result<std::vector<uint8_t>> bytes = ReadFile(output_);
    EXPECT_TRUE(bytes.ok()) << bytes.error().message;
    return bytes.ok() ? *bytes : std::vector<uint8_t>{};
  }

  // The rivet.aot sections of the output, as "machine/abi/cpu/features".
  std::vector<std::string> OutputTargets() {
    Result<std::shared_ptr<const Module>> module = DecodeModule(Output());
    EXPECT_TRUE(module.ok()) << module.error().message;
    if (!module.ok()) return {};
    std::vector<std::string> targets;
    for (const CustomSection& custom : (*module)->customs) {
      if (custom.name != aot::kAotSectionName) continue;
      Result<aot::AotSection> section =
          aot::DecodeAotSection((*module)->Range(custom.offset, custom.size));
      EXPECT_TRUE(section.ok()) << section.error().message;
      if (!section.ok()) continue;
      EXPECT_EQ(section->code_hash, *aot::ModuleCodeHash(SampleWasm()));
      targets.push_back(std::string(aot::MachineName(section->machine)) + "/" + section->abi +
                        "/" + section->cpu + "/" + section->features);
    }
    return targets;
  }

  std::filesystem::path dir_;
  std::string input_;
  std::string output_;
  std::string stderr_;
};

TEST_F(CompileCommandTest, CompilesForTheHostByDefault) {
  ASSERT_EQ(Run({"-o", output_, input_}), kExitSuccess) << stderr_;
  std::vector<std::string> targets = OutputTargets();
  ASSERT_EQ(targets.size(), 1u);
#if defined(__x86_64__)
  EXPECT_THAT(targets[0], ::testing::StartsWith("x86_64/sysv/"));
#endif
}

TEST_F(CompileCommandTest, BadTarget) {
  EXPECT_EQ(Run({"--target=mips", "-o", output_, input_}), kExitUsage);
  EXPECT_THAT(stderr_, HasSubstr("unknown target \"mips\""));
  EXPECT_THAT(stderr_, HasSubstr("x86_64, riscv64, riscv32, host"));
  EXPECT_FALSE(std::filesystem::exists(output_));
}

TEST_F(CompileCommandTest, BadCpuListsValidOnes) {
  EXPECT_EQ(Run({"--target=riscv64", "--cpu=sifive-u99", "-o", output_, input_}), kExitUsage);
  EXPECT_THAT(stderr_, HasSubstr("--cpu: unknown CPU \"sifive-u99\" for riscv64"));
  EXPECT_THAT(stderr_, HasSubstr("sifive-u74"));
}

TEST_F(CompileCommandTest, HardFloatAbiWithoutTheExtension) {
  EXPECT_EQ(Run({"--target=riscv32", "--target-abi=ilp32d", "--cpu-features=+m,+a", "-o",
                 output_, input_}),
            kExitUsage);
  EXPECT_THAT(stderr_, HasSubstr("--target=riscv32: --target-abi=ilp32d"));
  EXPECT_THAT(stderr_, HasSubstr("needs +d"));
}

TEST_F(CompileCommandTest, UsageErrorsNameTheOption) {
  EXPECT_EQ(Run({"--opt-level=5", "-o", output_, input_}), kExitUsage);
  EXPECT_THAT(stderr_, HasSubstr("--opt-level=5: expected 0, 1, 2 or 3"));
  EXPECT_EQ(Run({"--bounds-checks=none", "-o", output_, input_}), kExitUsage);
  EXPECT_THAT(stderr_, HasSubstr("--bounds-checks=none"));
  EXPECT_EQ(Run({"--cpu", "x", "-o", output_, input_}), kExitUsage);
  EXPECT_THAT(stderr_, HasSubstr("unknown option \"--cpu\""));
  EXPECT_EQ(Run({"--target=riscv64", "--cpu=a", "--cpu=b", "-o", output_, input_}), kExitUsage);
  EXPECT_THAT(stderr_, HasSubstr("--cpu given twice for --target=riscv64"));
  EXPECT_EQ(Run({input_}), kExitUsage);
  EXPECT_THAT(stderr_, HasSubstr("-o OUT"));
  EXPECT_EQ(Run({"-o", output_}), kExitUsage);
  EXPECT_THAT(stderr_, HasSubstr("no input"));
  EXPECT_EQ(Run({"--target=riscv32", "--bounds-checks=guard-pages", "-o", output_, input_}),
            kExitUsage);
  EXPECT_THAT(stderr_, HasSubstr("needs a 64-bit target"));
  EXPECT_FALSE(std::filesystem::exists(output_));
}

TEST_F(CompileCommandTest, InvalidModule) {
  std::vector<uint8_t> invalid = SampleWasm();
  invalid[invalid.size() - 3] = 0x42;  // i32.const -> i64.const: type mismatch
  std::string path = Write("invalid.wasm", invalid);
  EXPECT_EQ(Run({"-o", output_, path}), kExitFailure);
  EXPECT_THAT(stderr_, HasSubstr("invalid.wasm: error:"));
  EXPECT_EQ(Run({"-o", output_, (dir_ / "missing.wasm").string()}), kExitUsage);
  EXPECT_THAT(stderr_, HasSubstr("cannot read"));
}

TEST_F(CompileCommandTest, SeveralTargetsInOneFile) {
  ASSERT_EQ(Run({"--target=x86_64", "--target=riscv64", "--cpu=sifive-u74", "--opt-level=3",
                 "--target=riscv32", "--cpu-features=+m,+a,-c", "-o", output_, input_}),
            kExitSuccess)
      << stderr_;
  EXPECT_THAT(OutputTargets(),
              ::testing::ElementsAre(
                  ::testing::StartsWith("x86_64/sysv/x86-64/"),
                  "riscv64/lp64d/sifive-u74/+a,+c,+d,+f,+m,-v,-zba,-zbb,-zbs,-zfa,-zfh,-zicond",
                  "riscv32/ilp32/generic/+a,-c,-d,-f,+m,-v,-zba,-zbb,-zbs,-zfa,-zfh,-zicond"));
}

TEST_F(CompileCommandTest, OptionsBeforeTheFirstTargetApplyToIt) {
  ASSERT_EQ(Run({"--cpu=sifive-u74", "--target=riscv64", "-o", output_, input_}), kExitSuccess)
      << stderr_;
  std::vector<std::string> targets = OutputTargets();
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_THAT(targets[0], ::testing::StartsWith("riscv64/lp64d/sifive-u74/"));
}

TEST_F(CompileCommandTest, Deterministic) {
  std::vector<std::string> args = {"--target=x86_64", "--target=riscv64", "--cpu=sifive-u74",
                                   "-o", output_, input_};
  ASSERT_EQ(Run(args), kExitSuccess) << stderr_;
  std::vector<uint8_t> first = Output();
  std::filesystem::remove(output_);
  ASSERT_EQ(Run(args), kExitSuccess) << stderr_;
  EXPECT_EQ(Output(), first);
  // Compiling again into the output replaces both sections by equal ones.
  ASSERT_EQ(Run(args), kExitSuccess) << stderr_;
  EXPECT_EQ(Output(), first);
}

TEST_F(CompileCommandTest, CompilesIntoAnExistingOutput) {
  ASSERT_EQ(Run({"--target=x86_64", "-o", output_, input_}), kExitSuccess) << stderr_;
  ASSERT_EQ(Run({"--target=riscv32", "--cpu-features=+m", "-o", output_, input_}), kExitSuccess)
      << stderr_;
  std::vector<std::string> targets = OutputTargets();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_THAT(targets[0], ::testing::StartsWith("x86_64/"));
  EXPECT_THAT(targets[1], ::testing::StartsWith("riscv32/ilp32/generic/"));

  // The same x86_64 target again replaces its section and keeps riscv32's;
  // the replacement goes last.
  ASSERT_EQ(Run({"--target=x86_64", "--opt-level=0", "-o", output_, input_}), kExitSuccess)
      << stderr_;
  targets = OutputTargets();
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_THAT(targets[0], ::testing::StartsWith("riscv32/"));
  EXPECT_THAT(targets[1], ::testing::StartsWith("x86_64/"));

  // The output may be the input too.
  ASSERT_EQ(Run({"--target=riscv64", "--cpu=sifive-u74", "-o", output_, output_}), kExitSuccess)
      << stderr_;
  EXPECT_EQ(OutputTargets().size(), 3u);
}

TEST_F(CompileCommandTest, AnOutputOfAnotherModuleIsReplaced) {
  std::string other = Write("other.wasm", SampleWasm(9));
  ASSERT_EQ(Run({"--target=x86_64", "-o", output_, other}), kExitSuccess) << stderr_;
  ASSERT_EQ(Run({"--target=riscv32", "-o", output_, input_}), kExitSuccess) << stderr_;
  std::vector<std::string> targets = OutputTargets();  // checks the hash is the input's
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_THAT(targets[0], ::testing::StartsWith("riscv32/"));
}

}  // namespace
}  // namespace rivet::cli
