// The module manager's decision: every reason it falls back to the
// interpreter, triggered with real AOT sections (aot::CompileModule) on C
// programs compiled to wasm (tests/wasm), strict mode failing with the same
// reasons, and the programs computing the same under both engines.
#include "runtime/module_manager.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aot/compiler.h"
#include "loader/aot_abi.h"
#include "loader/aot_section.h"
#include "runtime/host_profile.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"

namespace rivet {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::vector<uint8_t> ReadProgram(const std::string& name) {
  std::ifstream in("tests/wasm/" + name + ".wasm", std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read tests/wasm/" << name << ".wasm";
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// The rivet.aot payload of `wasm` compiled for `options`.
std::vector<uint8_t> CompilePayload(const std::vector<uint8_t>& wasm,
                                    const aot::TargetOptions& options) {
  Result<std::shared_ptr<const Module>> module = DecodeModule(wasm);
  EXPECT_TRUE(module.ok()) << module.error().message;
  if (!module.ok()) return {};
  absl::StatusOr<std::vector<uint8_t>> payload = aot::CompileModule(**module, options);
  EXPECT_TRUE(payload.ok()) << payload.status();
  return payload.ok() ? *payload : std::vector<uint8_t>{};
}

aot::TargetOptions Target(std::string target, std::string abi = "", std::string cpu = "",
                          std::string features = "") {
  aot::TargetOptions options;
  options.target = std::move(target);
  options.abi = std::move(abi);
  options.cpu = std::move(cpu);
  options.features = std::move(features);
  return options;
}

// `wasm` with `section` added as a rivet.aot section.
std::vector<uint8_t> WithSection(const std::vector<uint8_t>& wasm,
                                 const aot::AotSection& section) {
  Result<std::vector<uint8_t>> out = aot::AddAotSection(wasm, section);
  EXPECT_TRUE(out.ok()) << out.error().message;
  return out.ok() ? *out : wasm;
}

aot::AotSection DecodeSection(const std::vector<uint8_t>& payload) {
  Result<aot::AotSection> section = aot::DecodeAotSection(payload);
  EXPECT_TRUE(section.ok()) << section.error().message;
  return section.ok() ? *section : aot::AotSection{};
}

// `wasm` compiled for `options`, as `rivet compile` writes it.
std::vector<uint8_t> Compiled(const std::vector<uint8_t>& wasm,
                              const aot::TargetOptions& options) {
  std::vector<uint8_t> payload = CompilePayload(wasm, options);
  return WithSection(wasm, DecodeSection(payload));
}

HostProfile Profile(std::string_view text) {
  Result<HostProfile> profile = ParseHostProfile(text);
  EXPECT_TRUE(profile.ok()) << profile.error().message;
  return profile.ok() ? *profile : HostProfile{};
}

// A call of an exported function and its arguments.
struct Call {
  std::string name;
  std::vector<Slot> args;
};

Slot F32(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

// What each program is asked; every call's results (or trap) in order.
std::vector<Call> CallsOf(const std::string& program) {
  if (program == "sort") {
    return {{"sort_numbers", {0}}, {"sort_numbers", {1}}, {"sort_numbers", {2}},
            {"sort_reals", {0}},   {"sort_reals", {1}},   {"median3", {F32(2.5f), F32(-1), F32(7)}}};
  }
  return {{"hash_text", {0}},  {"hash_text", {1}},  {"hash_text", {2}}, {"hash_text", {3}},
          {"hash_words", {0}}, {"hash_words", {1}}, {"hash_scratch", {1000}}};
}

// Instantiates what the manager loaded (its native code, if any) and runs
// the program's calls: one line per call.
std::vector<std::string> RunProgram(const LoadedModule& loaded, const std::string& program) {
  Store store;
  InstantiateOptions options;
  options.native_code = loaded.native;
  auto instantiated = Instantiate(store, loaded.module, {}, options);
  if (auto* error = std::get_if<InstantiateError>(&instantiated)) {
    ADD_FAILURE() << "instantiation failed: " << error->trap.message;
    return {};
  }
  Instance* instance = std::get<Instance*>(instantiated);
  std::vector<std::string> lines;
  for (const Call& call : CallsOf(program)) {
    std::optional<Extern> exported = instance->GetExport(call.name);
    if (!exported || exported->kind != ExternKind::kFunc) {
      ADD_FAILURE() << "no export " << call.name;
      continue;
    }
    auto outcome = Invoke(store, exported->func, call.args);
    std::string line = call.name + ":";
    if (const Trap* trap = std::get_if<Trap>(&outcome)) {
      line += " trap " + trap->message;
    } else {
      for (Slot slot : std::get<std::vector<Slot>>(outcome)) line += " " + std::to_string(slot);
    }
    lines.push_back(line);
  }
  return lines;
}

Result<LoadedModule> Load(std::vector<uint8_t> bytes, EngineChoice engine,
                          std::optional<HostProfile> host = std::nullopt) {
  LoadOptions options;
  options.engine = engine;
  options.host = std::move(host);
  return LoadModule(std::move(bytes), options);
}

class ModuleManagerTest : public ::testing::Test {
 protected:
  // The program's results in the interpreter: what every load must compute.
  const std::vector<std::string>& Reference(const std::string& program) {
    std::vector<std::string>& reference = references_[program];
    if (reference.empty()) {
      Result<LoadedModule> loaded = Load(ReadProgram(program), EngineChoice::kInterp);
      EXPECT_TRUE(loaded.ok()) << loaded.error().message;
      if (loaded.ok()) reference = RunProgram(*loaded, program);
      EXPECT_EQ(reference.size(), CallsOf(program).size());
    }
    return reference;
  }

  // Expects `bytes` of `program` to be interpreted with a reason containing
  // `reason` (auto), to compute the reference results, and strict mode
  // (engine=aot) to fail with the same reasons.
  void ExpectInterpreted(const std::vector<uint8_t>& bytes, const std::string& program,
                         std::optional<HostProfile> host, const std::string& reason) {
    Result<LoadedModule> loaded = Load(bytes, EngineChoice::kAuto, host);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->engine, EngineChoice::kInterp);
    EXPECT_EQ(loaded->native, nullptr);
    EXPECT_FALSE(loaded->checked_only);
    EXPECT_THAT(loaded->reasons, testing::Contains(HasSubstr(reason)));
    EXPECT_THAT(loaded->Explain(), AllOf(StartsWith("engine: interp\n"), HasSubstr(reason)));
    EXPECT_EQ(RunProgram(*loaded, program), Reference(program));

    Result<LoadedModule> strict = Load(bytes, EngineChoice::kAot, host);
    ASSERT_FALSE(strict.ok()) << "engine=aot loaded";
    EXPECT_THAT(strict.error().message,
                AllOf(StartsWith("cannot run this module's AOT code on " +
                                 loaded->host.ToString() + ": "),
                      HasSubstr(reason)));
    for (const std::string& each : loaded->reasons) {
      EXPECT_THAT(strict.error().message, HasSubstr(each));
    }
  }

  std::map<std::string, std::vector<std::string>> references_;
};

TEST_F(ModuleManagerTest, HostCodeRunsNativelyAndComputesTheSame) {
  for (const std::string program : {"sort", "hash"}) {
    Result<LoadedModule> loaded =
        Load(Compiled(ReadProgram(program), Target("x86_64")), EngineChoice::kAuto);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->engine, EngineChoice::kAot) << loaded->Explain();
    EXPECT_NE(loaded->native, nullptr);
    EXPECT_FALSE(loaded->checked_only);
    EXPECT_TRUE(loaded->reasons.empty());
    ASSERT_EQ(loaded->candidates.size(), 1u);
    EXPECT_TRUE(loaded->candidates[0].reasons.empty());
    EXPECT_THAT(loaded->Explain(),
                AllOf(StartsWith("engine: aot\n  uses the AOT code for x86_64 sysv cpu=x86-64 "),
                      HasSubstr("(cpuid)")));
    EXPECT_EQ(RunProgram(*loaded, program), Reference(program)) << program;

    Result<LoadedModule> strict =
        Load(Compiled(ReadProgram(program), Target("x86_64")), EngineChoice::kAot);
    ASSERT_TRUE(strict.ok()) << strict.error().message;
    EXPECT_NE(strict->native, nullptr);
  }
}

TEST_F(ModuleManagerTest, NoAotSection) {
  ExpectInterpreted(ReadProgram("sort"), "sort", std::nullopt,
                    "the module has no rivet.aot section; compile it with `rivet compile "
                    "--target=x86_64`");
  ExpectInterpreted(ReadProgram("sort"), "sort", Profile("riscv32:rv32imac:ilp32"),
                    "compile it with `rivet compile --target=riscv32 --target-abi=ilp32`");
}

TEST_F(ModuleManagerTest, OtherArchitecture) {
  ExpectInterpreted(Compiled(ReadProgram("sort"), Target("riscv64", "lp64")), "sort", std::nullopt,
                    "compiled for riscv64, but this host is x86_64; compile with --target=x86_64");
  ExpectInterpreted(Compiled(ReadProgram("sort"), Target("x86_64")), "sort",
                    Profile("riscv64:rv64gc:lp64d"),
                    "compiled for x86_64, but this host is riscv64; compile with "
                    "--target=riscv64");
}

TEST_F(ModuleManagerTest, OtherXlen) {
  ExpectInterpreted(Compiled(ReadProgram("hash"), Target("riscv64", "lp64")), "hash",
                    Profile("riscv32:rv32imac:ilp32"),
                    "compiled for riscv64 (XLEN 64), but this host is riscv32 (XLEN 32); "
                    "compile with --target=riscv32 --target-abi=ilp32");
}

TEST_F(ModuleManagerTest, OtherFloatAbi) {
  ExpectInterpreted(
      Compiled(ReadProgram("sort"), Target("riscv32", "ilp32", "generic-rv32")), "sort",
      Profile("riscv32:rv32imafc:ilp32f"),
      "compiled for the ilp32 float ABI, but this host's is ilp32f (profile "
      "riscv32:rv32imafc:ilp32f); compile with --target-abi=ilp32f --cpu-features=+f");
}

TEST_F(ModuleManagerTest, MissingX86Extension) {
  std::vector<uint8_t> bytes =
      Compiled(ReadProgram("sort"), Target("x86_64", "", "", "+avx2"));
  ExpectInterpreted(bytes, "sort", Profile("x86_64:+sse4.1,+popcnt"),
                    "extensions, which this CPU lacks (profile x86_64:+sse4.1,+popcnt); compile "
                    "with --cpu-features=-avx,-avx2");
  // On this machine it runs natively exactly when the CPU has AVX2.
  Result<HostProfile> here = DetectHostProfile();
  ASSERT_TRUE(here.ok());
  Result<LoadedModule> loaded = Load(bytes, EngineChoice::kAuto);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  if (here->Has("avx2")) {
    EXPECT_EQ(loaded->engine, EngineChoice::kAot) << loaded->Explain();
    EXPECT_NE(loaded->native, nullptr);
  } else {
    EXPECT_EQ(loaded->engine, EngineChoice::kInterp);
    EXPECT_THAT(loaded->Explain(), HasSubstr("avx2"));
  }
  EXPECT_EQ(RunProgram(*loaded, "sort"), Reference("sort"));
}

TEST_F(ModuleManagerTest, MissingRiscvExtension) {
  std::vector<uint8_t> bytes =
      Compiled(ReadProgram("hash"), Target("riscv32", "ilp32", "generic-rv32", "+zbb"));
  ExpectInterpreted(bytes, "hash", Profile("riscv32:rv32imac:ilp32"),
                    "needs the zbb extension, which this CPU lacks (profile "
                    "riscv32:rv32imac:ilp32); compile with --cpu-features=-zbb");
  Result<LoadedModule> with_zbb = Load(bytes, EngineChoice::kAuto, Profile("riscv32:rv32i_zbb:ilp32"));
  ASSERT_TRUE(with_zbb.ok()) << with_zbb.error().message;
  EXPECT_EQ(with_zbb->engine, EngineChoice::kAot) << with_zbb->Explain();
}

TEST_F(ModuleManagerTest, ReducedCoreCodeIsCheckedForAProfileButNotRun) {
  // No extensions at all: multiplication, atomics and floats are helper
  // calls, all of which rivet provides.
  std::vector<uint8_t> bytes =
      Compiled(ReadProgram("sort"), Target("riscv32", "ilp32", "generic-rv32"));
  for (EngineChoice engine : {EngineChoice::kAuto, EngineChoice::kAot}) {
    Result<LoadedModule> loaded = Load(bytes, engine, Profile("riscv32:rv32imac:ilp32"));
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    EXPECT_EQ(loaded->engine, EngineChoice::kAot) << loaded->Explain();
    EXPECT_TRUE(loaded->checked_only);
    EXPECT_EQ(loaded->native, nullptr);
    EXPECT_THAT(loaded->Explain(),
                AllOf(StartsWith("engine: aot\n  uses the AOT code for riscv32 ilp32 "
                                 "cpu=generic-rv32 "),
                      HasSubstr("on riscv32:rv32imac:ilp32 (profile riscv32:rv32imac:ilp32)"),
                      HasSubstr("checked in a scratch buffer")));
    EXPECT_EQ(RunProgram(*loaded, "sort"), Reference("sort"));
  }
}

TEST_F(ModuleManagerTest, OtherAotAbiVersion) {
  std::vector<uint8_t> wasm = ReadProgram("sort");
  std::vector<uint8_t> payload = CompilePayload(wasm, Target("x86_64"));
  aot::AotSection section = DecodeSection(payload);
  section.abi_version = aot::kAotAbiVersion + 1;
  ExpectInterpreted(WithSection(wasm, section), "sort", std::nullopt,
                    "compiled for AOT ABI version " + std::to_string(aot::kAotAbiVersion + 1) +
                        ", but this runtime implements version " +
                        std::to_string(aot::kAotAbiVersion) +
                        "; recompile it with this rivet's `rivet compile`");
}

TEST_F(ModuleManagerTest, CodeOfAnotherModule) {
  std::vector<uint8_t> hash_wasm = ReadProgram("hash");
  std::vector<uint8_t> sort_payload = CompilePayload(ReadProgram("sort"), Target("x86_64"));
  aot::AotSection section = DecodeSection(sort_payload);
  Result<uint64_t> hash_of_hash = aot::ModuleCodeHash(hash_wasm);
  ASSERT_TRUE(hash_of_hash.ok());
  char expected[200];
  std::snprintf(expected, sizeof expected,
                "compiled from a different module: its code hash is 0x%016llx, this module's "
                "is 0x%016llx; compile this module with `rivet compile`",
                static_cast<unsigned long long>(section.code_hash),
                static_cast<unsigned long long>(*hash_of_hash));
  ExpectInterpreted(WithSection(hash_wasm, section), "hash", std::nullopt, expected);
}

TEST_F(ModuleManagerTest, UnknownSymbolsAreListedSorted) {
  std::vector<uint8_t> wasm = ReadProgram("sort");
  std::vector<uint8_t> payload = CompilePayload(wasm, Target("x86_64"));
  aot::AotSection section = DecodeSection(payload);
  section.helpers = {"zeta_missing", "rivet_aot_trap", "alpha_missing", "__mulsi3"};
  ExpectInterpreted(WithSection(wasm, section), "sort", std::nullopt,
                    "the code calls 2 symbols that do not resolve: alpha_missing, zeta_missing; "
                    "alpha_missing, zeta_missing are neither a rivet runtime helper nor a "
                    "compiler helper rivet provides: recompile the module with this rivet's "
                    "`rivet compile`");
}

TEST(NeededSymbols, ClassifiesAndSorts) {
  aot::AotSection section;
  section.machine = aot::AotMachine::kRiscv32;
  section.abi = "ilp32";
  section.helpers = {"rivet_aot_memory_grow", "memcpy", "__mulsi3", "bogus", "__adddf3"};
  std::vector<NeededSymbol> symbols = NeededSymbols(section, /*in_this_process=*/false);
  ASSERT_EQ(symbols.size(), 5u);
  std::vector<std::string> names;
  for (const NeededSymbol& s : symbols) names.push_back(s.name);
  EXPECT_THAT(names, ElementsAre("__adddf3", "__mulsi3", "bogus", "memcpy",
                                 "rivet_aot_memory_grow"));
  EXPECT_EQ(symbols[0].source, SymbolSource::kCompilerHelper);
  EXPECT_EQ(symbols[0].avoiding_feature, "+d");
  EXPECT_EQ(symbols[1].avoiding_feature, "+m");
  EXPECT_EQ(symbols[2].source, SymbolSource::kUnknown);
  EXPECT_FALSE(symbols[2].resolves);
  EXPECT_EQ(symbols[3].source, SymbolSource::kCompilerHelper);
  EXPECT_EQ(symbols[3].avoiding_feature, "");
  EXPECT_EQ(symbols[4].source, SymbolSource::kRuntimeHelper);
  for (size_t i : {0, 1, 3, 4}) EXPECT_TRUE(symbols[i].resolves) << symbols[i].name;

  // Compiler helpers this build could not bind (as on a runtime built
  // without that float ABI): the reason names the features avoiding them.
  for (NeededSymbol& s : symbols) {
    if (s.source == SymbolSource::kCompilerHelper) s.resolves = false;
  }
  std::optional<std::string> reason = UnresolvedSymbolsReason(symbols);
  ASSERT_TRUE(reason.has_value());
  EXPECT_EQ(*reason,
            "the code calls 4 symbols that do not resolve: __adddf3, __mulsi3, bogus, memcpy; "
            "compiling with --cpu-features=+d,+m avoids __adddf3, __mulsi3; this rivet build "
            "has no variant of memcpy for the code's float ABI, and no CPU feature avoids it; "
            "bogus is neither a rivet runtime helper nor a compiler helper rivet provides: "
            "recompile the module with this rivet's `rivet compile`");
  for (NeededSymbol& s : symbols) s.resolves = true;
  EXPECT_FALSE(UnresolvedSymbolsReason(symbols).has_value());
}

// The byte offset of the first relocation entry (Elf64_Rela) in an x86-64
// ELF relocatable object, or 0 if there is none.
size_t FirstRelaEntry(std::span<const uint8_t> elf) {
  auto read = [&](size_t offset, size_t size) {
    uint64_t value = 0;
    for (size_t i = 0; i < size; ++i) value |= uint64_t{elf[offset + i]} << (8 * i);
    return value;
  };
  uint64_t shoff = read(0x28, 8);
  uint64_t shentsize = read(0x3a, 2);
  uint64_t shnum = read(0x3c, 2);
  for (uint64_t i = 0; i < shnum; ++i) {
    size_t header = shoff + i * shentsize;
    constexpr uint32_t kShtRela = 4;
    if (read(header + 4, 4) == kShtRela && read(header + 0x20, 8) >= 24) {
      return read(header + 0x18, 8);
    }
  }
  return 0;
}

TEST_F(ModuleManagerTest, RelocationThatDoesNotApply) {
  std::vector<uint8_t> wasm = ReadProgram("sort");
  std::vector<uint8_t> payload = CompilePayload(wasm, Target("x86_64"));
  aot::AotSection section = DecodeSection(payload);
  size_t object_start = section.object.data() - payload.data();
  size_t rela = FirstRelaEntry(section.object);
  ASSERT_NE(rela, 0u) << "the object has no relocations";
  // r_offset far beyond any section.
  uint64_t bad_offset = 0x7fff0000;
  std::memcpy(payload.data() + object_start + rela, &bad_offset, sizeof bad_offset);
  ExpectInterpreted(WithSection(wasm, section), "sort", std::nullopt, "the code does not load (");
  ExpectInterpreted(WithSection(wasm, section), "sort", std::nullopt,
                    "); the section is damaged: recompile it with `rivet compile`");
}

TEST_F(ModuleManagerTest, GuardPageCodeRunsWhereMemoriesHaveGuardRegions) {
  aot::TargetOptions options = Target("x86_64");
  options.guard_pages = true;
  std::vector<uint8_t> bytes = Compiled(ReadProgram("sort"), options);
  if (!Memory::kGuardRegions) {
    ExpectInterpreted(bytes, "sort", std::nullopt, "compile with --bounds-checks=explicit");
    return;
  }
  Result<LoadedModule> loaded = Load(bytes, EngineChoice::kAuto);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->engine, EngineChoice::kAot) << loaded->Explain();
  ASSERT_NE(loaded->native, nullptr);
  EXPECT_TRUE(loaded->native->needs_guard_regions());
  EXPECT_THAT(loaded->Explain(), HasSubstr(" guard-pages on "));
  EXPECT_EQ(RunProgram(*loaded, "sort"), Reference("sort"));
}

TEST_F(ModuleManagerTest, InterpreterWhenAskedFor) {
  Result<LoadedModule> loaded =
      Load(Compiled(ReadProgram("hash"), Target("x86_64")), EngineChoice::kInterp);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->engine, EngineChoice::kInterp);
  EXPECT_EQ(loaded->native, nullptr);
  EXPECT_THAT(loaded->reasons, ElementsAre("the interpreter was asked for (engine interp)"));
  EXPECT_EQ(loaded->Explain(), "engine: interp\n  the interpreter was asked for (engine interp)\n");
  EXPECT_EQ(RunProgram(*loaded, "hash"), Reference("hash"));
}

TEST_F(ModuleManagerTest, FirstFittingSectionWinsAndOthersAreExplained) {
  std::vector<uint8_t> wasm = ReadProgram("hash");
  std::vector<uint8_t> bytes = Compiled(Compiled(wasm, Target("riscv64", "lp64")), Target("x86_64"));
  Result<LoadedModule> loaded = Load(bytes, EngineChoice::kAuto);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->engine, EngineChoice::kAot);
  ASSERT_EQ(loaded->candidates.size(), 2u);
  EXPECT_THAT(loaded->Explain(),
              AllOf(HasSubstr("  skipped the AOT code for riscv64 lp64 cpu=generic "),
                    HasSubstr("compiled for riscv64, but this host is x86_64"),
                    HasSubstr("  uses the AOT code for x86_64 sysv")));
  EXPECT_EQ(RunProgram(*loaded, "hash"), Reference("hash"));

  // With no section fitting, each reason names its section.
  Result<LoadedModule> none = Load(bytes, EngineChoice::kAuto, Profile("riscv32:rv32imac:ilp32"));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->engine, EngineChoice::kInterp);
  EXPECT_THAT(none->reasons,
              ElementsAre(StartsWith("riscv64 lp64 cpu=generic "), StartsWith("x86_64 sysv ")));
}

TEST(EngineChoice, ParsesItsNames) {
  for (EngineChoice choice : {EngineChoice::kAuto, EngineChoice::kAot, EngineChoice::kInterp}) {
    Result<EngineChoice> parsed = ParseEngineChoice(EngineChoiceName(choice));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, choice);
  }
  Result<EngineChoice> bad = ParseEngineChoice("jit");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "unknown engine \"jit\" (expected auto, aot or interp)");
}

}  // namespace
}  // namespace rivet
