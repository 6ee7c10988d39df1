// Host profiles: RISC-V ISA strings, named profiles and their errors, and
// the probe of the machine the test runs on.
#include "runtime/host_profile.h"

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace rivet {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::set<std::string> Isa(std::string_view text, unsigned expected_xlen) {
  unsigned xlen = 0;
  Result<std::set<std::string>> parsed = ParseRiscvIsa(text, &xlen);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
  if (!parsed.ok()) return {};
  EXPECT_EQ(xlen, expected_xlen) << text;
  return *parsed;
}

std::string IsaError(std::string_view text) {
  unsigned xlen = 0;
  Result<std::set<std::string>> parsed = ParseRiscvIsa(text, &xlen);
  EXPECT_FALSE(parsed.ok()) << text << " parsed";
  return parsed.ok() ? "" : parsed.error().message;
}

TEST(ParseRiscvIsa, GIsImafdWithZicsrAndZifencei) {
  EXPECT_THAT(Isa("rv64gc", 64), ElementsAre("a", "c", "d", "f", "m", "zicsr", "zifencei"));
}

TEST(ParseRiscvIsa, MultiLetterExtensionsAfterUnderscores) {
  EXPECT_THAT(Isa("rv32imac_zicsr_zbb", 32), ElementsAre("a", "c", "m", "zbb", "zicsr"));
  EXPECT_THAT(Isa("RV32IMAC_Zbb", 32), ElementsAre("a", "c", "m", "zbb"));
}

TEST(ParseRiscvIsa, VersionsAreDropped) {
  EXPECT_THAT(Isa("rv64i2p1", 64), ElementsAre());
  EXPECT_THAT(Isa("rv64i2p1_m2p0_a2p1_f2p2_d2p2_c2p0_zicsr2p0_zba1p0", 64),
              ElementsAre("a", "c", "d", "f", "m", "zba", "zicsr"));
  EXPECT_THAT(Isa("rv32i2m2a", 32), ElementsAre("a", "m"));
}

TEST(ParseRiscvIsa, ImpliedExtensions) {
  EXPECT_THAT(Isa("rv64imadc", 64), ElementsAre("a", "c", "d", "f", "m"));  // D implies F
  EXPECT_THAT(Isa("rv32ib", 32), ElementsAre("zba", "zbb", "zbs"));
  // 'p' after a letter is the P extension, not a version separator.
  EXPECT_THAT(Isa("rv32imp", 32), ElementsAre("m", "p"));
}

TEST(ParseRiscvIsa, Errors) {
  EXPECT_THAT(IsaError("x86_64"), HasSubstr("does not start with rv32 or rv64"));
  EXPECT_THAT(IsaError("rv128i"), HasSubstr("does not start with rv32 or rv64"));
  EXPECT_THAT(IsaError("rv64"), HasSubstr("expected the base ISA (i, e or g) after rv64"));
  EXPECT_THAT(IsaError("rv32mac"), HasSubstr("expected the base ISA (i, e or g) after rv32"));
  EXPECT_THAT(IsaError("rv32im!c"), HasSubstr("unexpected '!' at position 6"));
  EXPECT_THAT(IsaError("rv32im_z"), HasSubstr("\"z\" is not a multi-letter extension name"));
  EXPECT_THAT(IsaError("rv32im!c"), HasSubstr("ISA string \"rv32im!c\""));
}

HostProfile Profile(std::string_view text) {
  Result<HostProfile> parsed = ParseHostProfile(text);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.error().message;
  return parsed.ok() ? *parsed : HostProfile{};
}

std::string ProfileError(std::string_view text) {
  Result<HostProfile> parsed = ParseHostProfile(text);
  EXPECT_FALSE(parsed.ok()) << text << " parsed";
  return parsed.ok() ? "" : parsed.error().message;
}

TEST(ParseHostProfile, Riscv32) {
  HostProfile profile = Profile("riscv32:rv32imac:ilp32");
  EXPECT_EQ(profile.machine, aot::AotMachine::kRiscv32);
  EXPECT_EQ(profile.abi, "ilp32");
  EXPECT_THAT(profile.extensions, ElementsAre("a", "c", "m"));
  EXPECT_EQ(profile.source, "profile riscv32:rv32imac:ilp32");
  EXPECT_EQ(profile.ToString(), "riscv32:rv32imac:ilp32");
}

TEST(ParseHostProfile, Riscv64HardFloat) {
  HostProfile profile = Profile("riscv64:rv64gc_zbb:lp64d");
  EXPECT_EQ(profile.machine, aot::AotMachine::kRiscv64);
  EXPECT_EQ(profile.abi, "lp64d");
  EXPECT_TRUE(profile.Has("d"));
  EXPECT_TRUE(profile.Has("zbb"));
  EXPECT_FALSE(profile.Has("v"));
  // Canonical letter order, then the multi-letter extensions; it parses back.
  EXPECT_EQ(profile.ToString(), "riscv64:rv64imafdc_zbb_zicsr_zifencei:lp64d");
  EXPECT_EQ(Profile(profile.ToString()).extensions, profile.extensions);
}

TEST(ParseHostProfile, X86) {
  HostProfile profile = Profile("x86_64:+sse4.1,popcnt");
  EXPECT_EQ(profile.machine, aot::AotMachine::kX86_64);
  EXPECT_EQ(profile.abi, "sysv");
  EXPECT_THAT(profile.extensions, ElementsAre("popcnt", "sse2", "sse4.1"));
  EXPECT_EQ(profile.ToString(), "x86_64:+popcnt,+sse2,+sse4.1:sysv");
  EXPECT_THAT(Profile("x86_64").extensions, ElementsAre("sse2"));
  EXPECT_THAT(Profile("x86_64:+avx2:sysv").extensions, ElementsAre("avx2", "sse2"));
}

TEST(ParseHostProfile, Errors) {
  EXPECT_EQ(ProfileError("arm64:v8:aapcs"),
            "host profile \"arm64:v8:aapcs\": unknown architecture \"arm64\" (expected x86_64, "
            "riscv64 or riscv32, as in riscv32:rv32imac:ilp32)");
  EXPECT_EQ(ProfileError("riscv32:rv32imac"),
            "host profile \"riscv32:rv32imac\": expected ARCH:ISA:ABI, as in "
            "riscv32:rv32imac:ilp32 or riscv64:rv64gc:lp64d");
  EXPECT_EQ(ProfileError("riscv32:rv64gc:lp64d"),
            "host profile \"riscv32:rv64gc:lp64d\": ISA rv64gc is rv64, not riscv32");
  EXPECT_EQ(ProfileError("riscv32:rv32imac:lp64"),
            "host profile \"riscv32:rv32imac:lp64\": unknown ABI \"lp64\" for riscv32 (expected "
            "ilp32, ilp32f or ilp32d)");
  EXPECT_EQ(ProfileError("riscv32:rv32imac:ilp32f"),
            "host profile \"riscv32:rv32imac:ilp32f\": ABI ilp32f passes floats in FP "
            "registers, which needs the f extension, but ISA rv32imac lacks it");
  EXPECT_THAT(ProfileError("riscv64:rv64imafc:lp64d"), HasSubstr("needs the d extension"));
  EXPECT_EQ(ProfileError("riscv32:rv32q:ilp32"),
            "host profile \"riscv32:rv32q:ilp32\": ISA string \"rv32q\": expected the base ISA "
            "(i, e or g) after rv32");
  EXPECT_THAT(ProfileError("riscv32:rv32emc:ilp32"), HasSubstr("the E base ISA (16 registers)"));
  EXPECT_THAT(ProfileError("x86_64:+avx3"),
              HasSubstr("unknown x86-64 extension \"avx3\" (known: avx,avx2,"));
  EXPECT_THAT(ProfileError("x86_64:-avx2"), HasSubstr("leave out the ones it lacks"));
  EXPECT_EQ(ProfileError("x86_64:+avx:win64"),
            "host profile \"x86_64:+avx:win64\": x86_64's ABI is sysv, not \"win64\"");
  EXPECT_THAT(ProfileError(""), HasSubstr("unknown architecture \"\""));
}

#if defined(__x86_64__)
// The "flags" line of /proc/cpuinfo, as a set.
std::set<std::string> CpuinfoFlags() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) != 0) continue;
    std::istringstream words(line.substr(line.find(':') + 1));
    std::set<std::string> flags;
    for (std::string word; words >> word;) flags.insert(word);
    return flags;
  }
  return {};
}

TEST(DetectHostProfile, X86MatchesProcCpuinfo) {
  Result<HostProfile> host = DetectHostProfile();
  ASSERT_TRUE(host.ok()) << host.error().message;
  EXPECT_EQ(host->machine, aot::AotMachine::kX86_64);
  EXPECT_EQ(host->abi, "sysv");
  EXPECT_EQ(host->source, "cpuid");
  EXPECT_TRUE(host->Has("sse2"));
  std::set<std::string> flags = CpuinfoFlags();
  if (flags.empty()) GTEST_SKIP() << "no flags line in /proc/cpuinfo";
  // rivet's name -> the kernel's. The kernel lists AVX only when the OS
  // saves its registers, as the probe requires.
  const std::pair<const char*, const char*> kNames[] = {
      {"sse3", "pni"},   {"ssse3", "ssse3"}, {"sse4.1", "sse4_1"}, {"sse4.2", "sse4_2"},
      {"popcnt", "popcnt"}, {"avx", "avx"}, {"avx2", "avx2"},     {"bmi", "bmi1"},
      {"bmi2", "bmi2"},  {"fma", "fma"},     {"lzcnt", "abm"},     {"movbe", "movbe"},
      {"avx512f", "avx512f"},
  };
  for (const auto& [ours, kernel] : kNames) {
    EXPECT_EQ(host->Has(ours), flags.count(kernel) > 0) << ours << " vs /proc/cpuinfo " << kernel;
  }
}
#endif

}  // namespace
}  // namespace rivet
