// Tests of ResolveTarget: defaults, LLVM's CPU and feature tables, ABI rules.
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aot/compiler.h"

namespace rivet::aot {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TargetOptions Options(std::string target, std::string cpu = "", std::string features = "",
                      std::string abi = "") {
  TargetOptions options;
  options.target = std::move(target);
  options.cpu = std::move(cpu);
  options.features = std::move(features);
  options.abi = std::move(abi);
  return options;
}

std::string ErrorOf(const TargetOptions& options) {
  absl::StatusOr<ResolvedTarget> resolved = ResolveTarget(options);
  if (resolved.ok()) {
    ADD_FAILURE() << "expected an error, got a target with features " << resolved->features;
    return "<resolved>";
  }
  EXPECT_EQ(resolved.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(resolved.status().message());
}

TEST(ResolveTargetTest, X86_64Defaults) {
  absl::StatusOr<ResolvedTarget> resolved = ResolveTarget(Options("x86_64"));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->machine, AotMachine::kX86_64);
  EXPECT_EQ(resolved->triple, "x86_64-unknown-linux-gnu");
  EXPECT_EQ(resolved->abi, "sysv");
  EXPECT_EQ(resolved->cpu, "x86-64");
  EXPECT_TRUE(resolved->has_simd);
  EXPECT_EQ(resolved->pointer_bits, 64u);
  // Baseline x86-64: SSE2 and nothing newer.
  EXPECT_THAT(resolved->features, HasSubstr("+sse2"));
  EXPECT_THAT(resolved->features, HasSubstr("-avx2"));
  EXPECT_THAT(resolved->features, HasSubstr("-sse4.1"));
}

TEST(ResolveTargetTest, X86_64CpuAndFlags) {
  absl::StatusOr<ResolvedTarget> resolved =
      ResolveTarget(Options("x86_64", "x86-64-v3", "-avx2,+adx"));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->cpu, "x86-64-v3");
  EXPECT_THAT(resolved->features, HasSubstr("+avx,"));
  EXPECT_THAT(resolved->features, HasSubstr("-avx2"));
  EXPECT_THAT(resolved->features, HasSubstr("+bmi2"));
  EXPECT_THAT(resolved->features, HasSubstr("+adx"));  // named, so recorded
}

TEST(ResolveTargetTest, Riscv64WithCpuFeatures) {
  absl::StatusOr<ResolvedTarget> resolved = ResolveTarget(Options("riscv64", "sifive-u74"));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->machine, AotMachine::kRiscv64);
  EXPECT_EQ(resolved->triple, "riscv64-unknown-linux-gnu");
  EXPECT_EQ(resolved->abi, "lp64d");
  EXPECT_EQ(resolved->cpu, "sifive-u74");
  EXPECT_EQ(resolved->pointer_bits, 64u);
  EXPECT_FALSE(resolved->has_simd);
  EXPECT_EQ(resolved->features, "+a,+c,+d,+f,+m,-v,-zba,-zbb,-zbs,-zfa,-zfh,-zicond");
}

TEST(ResolveTargetTest, FlagsApplyOverTheCpuInOrder) {
  absl::StatusOr<ResolvedTarget> resolved =
      ResolveTarget(Options("riscv64", "sifive-u74", "-c,+zbb,-d", "lp64f"));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->features, "+a,-c,-d,+f,+m,-v,-zba,+zbb,-zbs,-zfa,-zfh,-zicond");
  EXPECT_EQ(resolved->abi, "lp64f");
}

TEST(ResolveTargetTest, DisablingAnExtensionDisablesWhatNeedsIt) {
  // d needs f: -f takes d away, and lp64d then has no D registers.
  std::string error = ErrorOf(Options("riscv64", "sifive-u74", "-f"));
  EXPECT_THAT(error, HasSubstr("--target-abi=lp64d"));
  EXPECT_THAT(error, HasSubstr("needs +d"));
}

TEST(ResolveTargetTest, Riscv64GenericHasNoExtensions) {
  absl::StatusOr<ResolvedTarget> resolved =
      ResolveTarget(Options("riscv64", "", "", "lp64"));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->cpu, "generic");
  EXPECT_EQ(resolved->features, "-a,-c,-d,-f,-m,-v,-zba,-zbb,-zbs,-zfa,-zfh,-zicond");
}

TEST(ResolveTargetTest, Riscv64DefaultAbiNeedsD) {
  std::string error = ErrorOf(Options("riscv64"));
  EXPECT_THAT(error, HasSubstr("--target-abi=lp64d"));
  EXPECT_THAT(error, HasSubstr("needs +d"));
  EXPECT_THAT(error, HasSubstr("--target-abi=lp64"));
}

TEST(ResolveTargetTest, Riscv32Defaults) {
  absl::StatusOr<ResolvedTarget> resolved = ResolveTarget(Options("riscv32", "", "+m,+a"));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_EQ(resolved->machine, AotMachine::kRiscv32);
  EXPECT_EQ(resolved->triple, "riscv32-unknown-elf");
  EXPECT_EQ(resolved->abi, "ilp32");
  EXPECT_EQ(resolved->cpu, "generic");
  EXPECT_EQ(resolved->pointer_bits, 32u);
  EXPECT_EQ(resolved->features, "+a,-c,-d,-f,+m,-v,-zba,-zbb,-zbs,-zfa,-zfh,-zicond");
}

TEST(ResolveTargetTest, HardFloatAbisNeedTheirExtension) {
  std::string error = ErrorOf(Options("riscv32", "", "+m", "ilp32d"));
  EXPECT_THAT(error, HasSubstr("--target-abi=ilp32d"));
  EXPECT_THAT(error, HasSubstr("needs +d"));
  EXPECT_THAT(error, HasSubstr("--target-abi=ilp32"));

  error = ErrorOf(Options("riscv32", "", "", "ilp32f"));
  EXPECT_THAT(error, HasSubstr("needs +f"));

  EXPECT_TRUE(ResolveTarget(Options("riscv32", "", "+f", "ilp32f")).ok());
  EXPECT_TRUE(ResolveTarget(Options("riscv32", "", "+d", "ilp32d")).ok());
}

TEST(ResolveTargetTest, UnknownTarget) {
  std::string error = ErrorOf(Options("arm64"));
  EXPECT_THAT(error, HasSubstr("--target"));
  EXPECT_THAT(error, HasSubstr("\"arm64\""));
  EXPECT_THAT(error, HasSubstr("x86_64, riscv64, riscv32, host"));
}

TEST(ResolveTargetTest, HostIsThisMachine) {
  absl::StatusOr<ResolvedTarget> resolved = ResolveTarget(Options("host"));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
#if defined(__x86_64__)
  EXPECT_EQ(resolved->machine, AotMachine::kX86_64);
#endif
  // The host's own CPU, which LLVM must then accept as a --cpu.
  EXPECT_TRUE(ResolveTarget(Options("host", resolved->cpu)).ok());
}

TEST(ResolveTargetTest, UnknownAbiListsValidOnes) {
  std::string error = ErrorOf(Options("riscv64", "sifive-u74", "", "lp64q"));
  EXPECT_THAT(error, HasSubstr("--target-abi"));
  EXPECT_THAT(error, HasSubstr("lp64d, lp64, lp64f"));
  EXPECT_THAT(ErrorOf(Options("x86_64", "", "", "lp64")), HasSubstr("valid ABIs: sysv"));
}

TEST(ResolveTargetTest, UnknownCpuListsValidOnesForTheTarget) {
  std::string error = ErrorOf(Options("riscv64", "pentium4"));
  EXPECT_THAT(error, HasSubstr("--cpu: unknown CPU \"pentium4\" for riscv64"));
  EXPECT_THAT(error, HasSubstr("sifive-u74"));
  EXPECT_THAT(error, HasSubstr("generic-rv64"));
  EXPECT_THAT(error, Not(HasSubstr("generic-rv32")));

  // An RV64 CPU is not valid for riscv32 (LLVM would abort on it).
  error = ErrorOf(Options("riscv32", "sifive-u74"));
  EXPECT_THAT(error, HasSubstr("unknown CPU \"sifive-u74\" for riscv32"));
  EXPECT_THAT(error, HasSubstr("generic-rv32"));
  EXPECT_THAT(error, HasSubstr("sifive-e31"));

  error = ErrorOf(Options("x86_64", "sifive-u74"));
  EXPECT_THAT(error, HasSubstr("x86-64-v3"));
  EXPECT_THAT(error, HasSubstr("znver4"));
}

TEST(ResolveTargetTest, BadFeatures) {
  std::string error = ErrorOf(Options("riscv64", "sifive-u74", "+m,+bogus"));
  EXPECT_THAT(error, HasSubstr("--cpu-features: unknown feature \"bogus\" for riscv64"));
  EXPECT_THAT(error, HasSubstr("zbb"));

  EXPECT_THAT(ErrorOf(Options("riscv64", "sifive-u74", "m")), HasSubstr("+NAME or -NAME"));
  EXPECT_THAT(ErrorOf(Options("riscv64", "sifive-u74", "+m,,+a")), HasSubstr("+NAME or -NAME"));
  EXPECT_THAT(ErrorOf(Options("riscv64", "sifive-u74", "+m,")), HasSubstr("+NAME or -NAME"));
  EXPECT_THAT(ErrorOf(Options("riscv64", "sifive-u74", "-64bit")), HasSubstr("fixed by"));
  EXPECT_THAT(ErrorOf(Options("x86_64", "", "+sse2,+zbb")), HasSubstr("unknown feature \"zbb\""));
}

TEST(ResolveTargetTest, GuardPagesNeed64Bits) {
  TargetOptions options = Options("riscv32", "", "+m");
  options.guard_pages = true;
  EXPECT_THAT(ErrorOf(options), HasSubstr("--bounds-checks=guard-pages needs a 64-bit target"));
  options = Options("x86_64");
  options.guard_pages = true;
  EXPECT_TRUE(ResolveTarget(options).ok());
}

TEST(ResolveTargetTest, OptimisationLevels) {
  TargetOptions options = Options("x86_64");
  options.opt_level = 4;
  EXPECT_THAT(ErrorOf(options), HasSubstr("--opt-level=4"));
  options.opt_level = 2;
  options.size_level = 3;
  EXPECT_THAT(ErrorOf(options), HasSubstr("--size-level=3"));
  options.size_level = 2;
  EXPECT_TRUE(ResolveTarget(options).ok());
  options.opt_level = 3;
  EXPECT_THAT(ErrorOf(options), HasSubstr("needs --opt-level=2"));
}

}  // namespace
}  // namespace rivet::aot
