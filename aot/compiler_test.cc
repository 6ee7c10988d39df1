// Tests of CompileModule: real compilations for each target, checked by
// reading the emitted object back with LLVM.
#include "aot/compiler.h"

#include <memory>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/MemoryBuffer.h"
#include "loader/aot_abi.h"
#include "loader/aot_section.h"
#include "loader/module.h"

namespace rivet::aot {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr uint8_t kI32 = 0x7f;
constexpr uint8_t kI64 = 0x7e;
constexpr uint8_t kLocalGet = 0x20;
constexpr uint8_t kEnd = 0x0b;
constexpr uint8_t kI32Mul = 0x6c;
constexpr uint8_t kI32DivS = 0x6d;
constexpr uint8_t kI32Add = 0x6a;
constexpr uint8_t kI64DivU = 0x80;

std::vector<uint8_t> Section(uint8_t id, std::vector<uint8_t> contents) {
  std::vector<uint8_t> out = {id, static_cast<uint8_t>(contents.size())};
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

// A module with one exported function "f" of type (param T T) (result T)
// whose body is `code` (without the final end). Sizes stay below 128 bytes,
// so every LEB128 is one byte.
std::vector<uint8_t> BinaryModule(uint8_t type, std::vector<uint8_t> code) {
  std::vector<uint8_t> wasm = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  auto append = [&](const std::vector<uint8_t>& part) {
    wasm.insert(wasm.end(), part.begin(), part.end());
  };
  append(Section(1, {1, 0x60, 2, type, type, 1, type}));
  append(Section(3, {1, 0}));
  append(Section(7, {1, 1, 'f', 0x00, 0}));
  std::vector<uint8_t> body = {0};  // no locals
  body.insert(body.end(), code.begin(), code.end());
  body.push_back(kEnd);
  std::vector<uint8_t> code_section = {1, static_cast<uint8_t>(body.size())};
  code_section.insert(code_section.end(), body.begin(), body.end());
  append(Section(10, code_section));
  return wasm;
}

std::shared_ptr<const Module> Decode(std::vector<uint8_t> wasm) {
  Result<std::shared_ptr<const Module>> module = DecodeModule(std::move(wasm));
  EXPECT_TRUE(module.ok()) << module.error().message;
  return module.ok() ? *module : nullptr;
}

std::shared_ptr<const Module> AddModule() {
  return Decode(BinaryModule(kI32, {kLocalGet, 0, kLocalGet, 1, kI32Add}));
}

// i32 mul and div, and i64 div: helper calls on cores without M.
std::shared_ptr<const Module> ArithmeticModule(uint8_t type) {
  if (type == kI64) return Decode(BinaryModule(kI64, {kLocalGet, 0, kLocalGet, 1, kI64DivU}));
  return Decode(BinaryModule(
      kI32, {kLocalGet, 0, kLocalGet, 1, kI32Mul, kLocalGet, 1, kI32DivS}));
}

TargetOptions Options(std::string target, std::string cpu = "", std::string features = "",
                      std::string abi = "") {
  TargetOptions options;
  options.target = std::move(target);
  options.cpu = std::move(cpu);
  options.features = std::move(features);
  options.abi = std::move(abi);
  return options;
}

// A compiled section and the payload it points into.
struct Compiled {
  std::vector<uint8_t> payload;
  AotSection section;
};

std::unique_ptr<Compiled> Compile(const Module& module, const TargetOptions& options) {
  absl::StatusOr<std::vector<uint8_t>> payload = CompileModule(module, options);
  EXPECT_TRUE(payload.ok()) << payload.status();
  if (!payload.ok()) return nullptr;
  auto compiled = std::make_unique<Compiled>();
  compiled->payload = std::move(*payload);
  Result<AotSection> section = DecodeAotSection(compiled->payload);
  EXPECT_TRUE(section.ok()) << section.error().message;
  if (!section.ok()) return nullptr;
  compiled->section = *section;
  return compiled;
}

// The object sits at any offset in the section, and LLVM's ELF reader
// needs it aligned: read a copy (MemoryBuffer copies are aligned).
struct ObjectCopy {
  std::unique_ptr<llvm::MemoryBuffer> buffer;
  std::unique_ptr<llvm::object::ObjectFile> file;
  const llvm::object::ObjectFile* operator->() const { return file.get(); }
  const llvm::object::ObjectFile& operator*() const { return *file; }
  bool operator==(std::nullptr_t) const { return file == nullptr; }
};

ObjectCopy ReadObject(const AotSection& section) {
  ObjectCopy copy;
  copy.buffer = llvm::MemoryBuffer::getMemBufferCopy(
      llvm::StringRef(reinterpret_cast<const char*>(section.object.data()), section.object.size()),
      "object");
  auto file = llvm::object::ObjectFile::createObjectFile(copy.buffer->getMemBufferRef());
  if (!file) {
    ADD_FAILURE() << llvm::toString(file.takeError());
    return copy;
  }
  copy.file = std::move(*file);
  return copy;
}

std::vector<std::string> DefinedSymbols(const llvm::object::ObjectFile& file) {
  std::vector<std::string> names;
  for (const llvm::object::SymbolRef& symbol : file.symbols()) {
    uint32_t flags = llvm::cantFail(symbol.getFlags());
    if ((flags & llvm::object::SymbolRef::SF_Undefined) == 0) {
      names.push_back(llvm::cantFail(symbol.getName()).str());
    }
  }
  return names;
}

std::vector<std::string> RelocationTypes(const llvm::object::ObjectFile& file) {
  std::vector<std::string> types;
  for (const llvm::object::SectionRef& section : file.sections()) {
    for (const llvm::object::RelocationRef& relocation : section.relocations()) {
      llvm::SmallString<32> name;
      relocation.getTypeName(name);
      types.push_back(name.str().str());
    }
  }
  return types;
}

uint32_t ElfFlags(const llvm::object::ObjectFile& file) {
  auto* elf = llvm::dyn_cast<llvm::object::ELFObjectFileBase>(&file);
  return elf != nullptr ? elf->getPlatformFlags() : ~0u;
}

TEST(CompileModuleTest, X86_64Section) {
  std::shared_ptr<const Module> module = AddModule();
  ASSERT_NE(module, nullptr);
  std::unique_ptr<Compiled> compiled = Compile(*module, Options("x86_64"));
  ASSERT_NE(compiled, nullptr);
  const AotSection& section = compiled->section;
  EXPECT_EQ(section.abi_version, kAotAbiVersion);
  EXPECT_EQ(section.machine, AotMachine::kX86_64);
  EXPECT_EQ(section.abi, "sysv");
  EXPECT_EQ(section.cpu, "x86-64");
  EXPECT_THAT(section.features, HasSubstr("+sse2"));
  EXPECT_EQ(section.flags, 0u);
  EXPECT_EQ(section.opt_level, 2u);
  EXPECT_EQ(section.size_level, 0u);
  EXPECT_EQ(section.code_hash, *ModuleCodeHash(module->bytes()));

  ObjectCopy object = ReadObject(section);
  ASSERT_FALSE(object == nullptr);
  EXPECT_TRUE(object->isELF());
  EXPECT_EQ(object->getArch(), llvm::Triple::x86_64);
  std::vector<std::string> defined = DefinedSymbols(*object);
  EXPECT_THAT(defined, Contains("rivet_func_0"));
  EXPECT_THAT(defined, Contains("rivet_entry_0"));
  // Helpers are sorted and unique.
  EXPECT_TRUE(std::is_sorted(section.helpers.begin(), section.helpers.end()));
  EXPECT_EQ(std::adjacent_find(section.helpers.begin(), section.helpers.end()),
            section.helpers.end());
}

TEST(CompileModuleTest, Deterministic) {
  std::shared_ptr<const Module> module = ArithmeticModule(kI32);
  ASSERT_NE(module, nullptr);
  for (const TargetOptions& options :
       {Options("x86_64"), Options("riscv64", "sifive-u74"), Options("riscv32", "", "+m")}) {
    absl::StatusOr<std::vector<uint8_t>> first = CompileModule(*module, options);
    absl::StatusOr<std::vector<uint8_t>> second = CompileModule(*module, options);
    ASSERT_TRUE(first.ok()) << first.status();
    ASSERT_TRUE(second.ok()) << second.status();
    EXPECT_EQ(*first, *second) << "target " << options.target;
  }
}

TEST(CompileModuleTest, ReducedRiscv32CoreCallsHelpers) {
  std::shared_ptr<const Module> module = ArithmeticModule(kI32);
  ASSERT_NE(module, nullptr);
  std::unique_ptr<Compiled> bare = Compile(*module, Options("riscv32"));
  ASSERT_NE(bare, nullptr);
  EXPECT_EQ(bare->section.machine, AotMachine::kRiscv32);
  EXPECT_EQ(bare->section.abi, "ilp32");
  EXPECT_EQ(bare->section.cpu, "generic");
  EXPECT_THAT(bare->section.helpers, Contains("__mulsi3"));
  EXPECT_THAT(bare->section.helpers, Contains("__divsi3"));
  EXPECT_THAT(bare->section.helpers, Contains("rivet_aot_trap"));  // division by zero

  std::unique_ptr<Compiled> with_m = Compile(*module, Options("riscv32", "", "+m"));
  ASSERT_NE(with_m, nullptr);
  EXPECT_THAT(with_m->section.helpers, Not(Contains("__mulsi3")));
  EXPECT_THAT(with_m->section.helpers, Not(Contains("__divsi3")));
  EXPECT_THAT(with_m->section.features, HasSubstr("+m"));

  std::shared_ptr<const Module> wide = ArithmeticModule(kI64);
  ASSERT_NE(wide, nullptr);
  std::unique_ptr<Compiled> wide_rv32 = Compile(*wide, Options("riscv32", "", "+m"));
  ASSERT_NE(wide_rv32, nullptr);
  EXPECT_THAT(wide_rv32->section.helpers, Contains("__udivdi3"));
}

TEST(CompileModuleTest, RiscvObjectsRecordTheFloatAbiAndAreNotRelaxable) {
  std::shared_ptr<const Module> module = ArithmeticModule(kI32);
  ASSERT_NE(module, nullptr);
  struct Case {
    TargetOptions options;
    llvm::Triple::ArchType arch;
    uint32_t float_abi;  // EF_RISCV_FLOAT_ABI_*
  };
  const Case cases[] = {
      {Options("riscv64", "sifive-u74"), llvm::Triple::riscv64, 0x4},
      {Options("riscv64", "sifive-u74", "", "lp64"), llvm::Triple::riscv64, 0x0},
      {Options("riscv64", "", "+f", "lp64f"), llvm::Triple::riscv64, 0x2},
      {Options("riscv32", "", "+m,+d", "ilp32d"), llvm::Triple::riscv32, 0x4},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.options.target + " " + c.options.abi);
    std::unique_ptr<Compiled> compiled = Compile(*module, c.options);
    ASSERT_NE(compiled, nullptr);
    ObjectCopy object = ReadObject(compiled->section);
    ASSERT_FALSE(object == nullptr);
    EXPECT_EQ(object->getArch(), c.arch);
    EXPECT_EQ(ElfFlags(*object) & 0x6, c.float_abi);  // EF_RISCV_FLOAT_ABI
    EXPECT_THAT(RelocationTypes(*object), Not(Contains("R_RISCV_RELAX")));
    EXPECT_THAT(RelocationTypes(*object), Not(Contains("R_RISCV_ALIGN")));
    EXPECT_THAT(DefinedSymbols(*object), Contains("rivet_entry_0"));
  }
}

TEST(CompileModuleTest, RecordsLevelsAndFlags) {
  std::shared_ptr<const Module> module = AddModule();
  ASSERT_NE(module, nullptr);
  TargetOptions options = Options("x86_64");
  options.opt_level = 0;
  std::unique_ptr<Compiled> o0 = Compile(*module, options);
  ASSERT_NE(o0, nullptr);
  EXPECT_EQ(o0->section.opt_level, 0u);

  options.opt_level = 2;
  options.size_level = 2;
  options.guard_pages = true;
  std::unique_ptr<Compiled> oz = Compile(*module, options);
  ASSERT_NE(oz, nullptr);
  EXPECT_EQ(oz->section.size_level, 2u);
  EXPECT_TRUE(oz->section.guard_pages());
  EXPECT_NE(o0->payload, oz->payload);
}

TEST(CompileModuleTest, TargetErrorsPassThrough) {
  std::shared_ptr<const Module> module = AddModule();
  ASSERT_NE(module, nullptr);
  absl::StatusOr<std::vector<uint8_t>> result = CompileModule(*module, Options("riscv32", "x"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("--cpu"));
}

}  // namespace
}  // namespace rivet::aot
