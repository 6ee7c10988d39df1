// `rivet inspect` end to end: the real binaries, on a C program compiled to
// wasm (tests/wasm) and then by `rivet-compiler compile` for RISC-V and x86-64.
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace {

using ::testing::AllOf;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

std::string Runfile(const std::string& path) {
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd) == nullptr) return path;
  return std::string(cwd) + "/" + path;
}

struct Outcome {
  int status = -1;
  std::string output;  // stdout and stderr
};

// Runs `command` through the shell.
Outcome Shell(const std::string& command) {
  Outcome outcome;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return outcome;
  }
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) outcome.output.append(buffer, n);
  int status = pclose(pipe);
  outcome.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

std::string Rivet() { return Runfile("cli/rivet"); }
std::string Sort() { return Runfile("tests/wasm/sort.wasm"); }

std::string TempPath(const std::string& name) {
  const char* dir = getenv("TEST_TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/" + name;
}

// sort.wasm compiled by `rivet-compiler compile FLAGS`.
std::string CompileSort(const std::string& name, const std::string& flags) {
  std::string out = TempPath(name);
  Outcome compiled =
      Shell(Runfile("cli/rivet-compiler") + " compile " + flags + " -o " + out + " " + Sort());
  EXPECT_EQ(compiled.status, 0) << compiled.output;
  return out;
}

TEST(Inspect, PlainModule) {
  Outcome outcome = Shell(Rivet() + " inspect " + Sort());
  EXPECT_EQ(outcome.status, 0) << outcome.output;
  EXPECT_THAT(outcome.output,
              AllOf(HasSubstr("sections: "), HasSubstr("  id  name                offset"),
                    MatchesRegex("(.|\n)*\n   1  type +0x0000000[0-9a-f] +[0-9]+\n(.|\n)*"),
                    MatchesRegex("(.|\n)*\n  10  code +0x[0-9a-f]{8} +[0-9]+\n(.|\n)*"),
                    HasSubstr("imports: 0\n"), HasSubstr("exports: "),
                    HasSubstr("  function sort_numbers (i32) -> (i64)\n"),
                    HasSubstr("  memory memory 2 pages\n"), HasSubstr("rivet.aot: none\n"),
                    HasSubstr("decision for this machine (cpuid):\nengine: interp\n"
                              "  the module has no rivet.aot section; compile it with `rivet "
                              "compile --target=x86_64`\n")));
}

TEST(Inspect, ReducedRiscv32CodeFitsRv32imac) {
  std::string compiled = CompileSort(
      "sort_rv32.wasm", "--target=riscv32 --cpu=generic-rv32 --target-abi=ilp32");
  Outcome outcome = Shell(Rivet() + " inspect " + compiled + " --host=riscv32:rv32imac:ilp32");
  EXPECT_EQ(outcome.status, 0) << outcome.output;
  EXPECT_THAT(
      outcome.output,
      AllOf(HasSubstr("\"rivet.aot\""), HasSubstr("rivet.aot #0 (section at 0x"),
            HasSubstr("  machine:      riscv32\n  abi:          ilp32\n  cpu:          generic-rv32\n"),
            HasSubstr("  features:     -a,-c,-d,-f,-m,"), HasSubstr("  flags:        none\n"),
            HasSubstr("  levels:       -O2, size level 0\n"),
            HasSubstr("  abi version:  1 (this runtime: 1)\n"),
            MatchesRegex("(.|\n)*  code hash:    0x[0-9a-f]{16} \\(matches this module\\)\n(.|\n)*"),
            MatchesRegex("(.|\n)*  object:       [0-9]+ bytes\n(.|\n)*"),
            HasSubstr("  needs ISA extensions: none\n"),
            MatchesRegex("(.|\n)*\n    __modsi3 +compiler helper \\(avoided by \\+m\\)\n(.|\n)*"),
            MatchesRegex("(.|\n)*\n    rivet_aot_trap +runtime helper\n(.|\n)*"),
            Not(HasSubstr("does not resolve")),
            HasSubstr("decision for riscv32:rv32imac:ilp32 (profile riscv32:rv32imac:ilp32):\n"
                      "engine: aot\n  uses the AOT code for riscv32 ilp32 cpu=generic-rv32 "),
            HasSubstr("checked in a scratch buffer")));
}

TEST(Inspect, OtherFloatAbiIsInterpreted) {
  std::string compiled = CompileSort(
      "sort_rv32_soft.wasm", "--target=riscv32 --cpu=generic-rv32 --target-abi=ilp32");
  Outcome outcome = Shell(Rivet() + " inspect --host=riscv32:rv32imafc:ilp32f " + compiled);
  EXPECT_EQ(outcome.status, 0) << outcome.output;
  EXPECT_THAT(outcome.output,
              EndsWith("decision for riscv32:rv32imafc:ilp32f (profile "
                       "riscv32:rv32imafc:ilp32f):\nengine: interp\n  compiled for the ilp32 "
                       "float ABI, but this host's is ilp32f (profile riscv32:rv32imafc:ilp32f); "
                       "compile with --target-abi=ilp32f --cpu-features=+f\n"));
}

TEST(Inspect, TwoTargetsOnThisMachine) {
  std::string compiled = CompileSort("sort_two.wasm",
                                     "--target=riscv64 --target-abi=lp64 --target=x86_64 "
                                     "--cpu-features=+popcnt");
  Outcome outcome = Shell(Rivet() + " inspect " + compiled);
  EXPECT_EQ(outcome.status, 0) << outcome.output;
  EXPECT_THAT(outcome.output,
              AllOf(HasSubstr("rivet.aot #0"), HasSubstr("rivet.aot #1"),
                    HasSubstr("  machine:      riscv64\n"), HasSubstr("  machine:      x86_64\n"),
                    HasSubstr("  needs ISA extensions: popcnt, sse2\n"),
                    HasSubstr("decision for this machine (cpuid):\n")));
  // Whether the x86-64 code runs depends on this CPU having POPCNT.
  Outcome cpu = Shell("grep -qw popcnt /proc/cpuinfo");
  EXPECT_THAT(outcome.output, HasSubstr(cpu.status == 0 ? "engine: aot\n" : "engine: interp\n"));
}

TEST(Inspect, Errors) {
  Outcome bad_profile = Shell(Rivet() + " inspect --host=riscv32:rv32imac " + Sort());
  EXPECT_EQ(bad_profile.status, 2);
  EXPECT_THAT(bad_profile.output, HasSubstr("rivet inspect: host profile \"riscv32:rv32imac\": "
                                            "expected ARCH:ISA:ABI"));
  Outcome no_file = Shell(Rivet() + " inspect");
  EXPECT_EQ(no_file.status, 2);
  EXPECT_THAT(no_file.output, HasSubstr("usage: rivet inspect"));
  Outcome missing = Shell(Rivet() + " inspect " + TempPath("does_not_exist.wasm"));
  EXPECT_EQ(missing.status, 2);
  std::string invalid = TempPath("invalid.wasm");
  Shell("printf '\\0asm\\1\\0\\0\\0\\1' > " + invalid);
  Outcome bad_module = Shell(Rivet() + " inspect " + invalid);
  EXPECT_EQ(bad_module.status, 1) << bad_module.output;
  EXPECT_THAT(bad_module.output, HasSubstr(invalid + ": error: "));
}

}  // namespace
