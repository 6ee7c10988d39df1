// Tests of the rivet.aot custom section: its encoding, the module code hash
// and adding sections to a module.
#include "loader/aot_section.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loader/aot_abi.h"
#include "loader/module.h"
#include "tests/loader/test_util.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::aot {
namespace {

using test::Bytes;
using test::Cat;
using test::ModuleBuilder;

// Keeps the object bytes alive for the span in AotSection.
const std::vector<uint8_t> kObject = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0xaa, 0x00, 0xff};

AotSection SampleSection() {
  AotSection section;
  section.abi_version = kAotAbiVersion;
  section.machine = AotMachine::kRiscv64;
  section.abi = "lp64d";
  section.cpu = "sifive-u74";
  section.features = "+a,+c,+d,+f,+m,-zbb";
  section.flags = kAotFlagGuardPages;
  section.opt_level = 3;
  section.size_level = 1;
  section.code_hash = 0x0123456789abcdefull;
  section.helpers = {"__atomic_compare_exchange_4", "rivet_aot_trap"};
  section.object = kObject;
  return section;
}

void ExpectSameSection(const AotSection& a, const AotSection& b) {
  EXPECT_EQ(a.abi_version, b.abi_version);
  EXPECT_EQ(a.machine, b.machine);
  EXPECT_EQ(a.abi, b.abi);
  EXPECT_EQ(a.cpu, b.cpu);
  EXPECT_EQ(a.features, b.features);
  EXPECT_EQ(a.flags, b.flags);
  EXPECT_EQ(a.opt_level, b.opt_level);
  EXPECT_EQ(a.size_level, b.size_level);
  EXPECT_EQ(a.code_hash, b.code_hash);
  EXPECT_EQ(a.helpers, b.helpers);
  EXPECT_EQ(std::vector<uint8_t>(a.object.begin(), a.object.end()),
            std::vector<uint8_t>(b.object.begin(), b.object.end()));
}

// A small valid module: (func (export "add") (param i32 i32) (result i32) ...).
Bytes SampleModule(int32_t constant = 1) {
  ModuleBuilder builder;
  uint32_t type = builder.AddType({test::kI32, test::kI32}, {test::kI32});
  uint32_t add = builder.AddFunction(
      type, Cat(test::LocalGet(0), test::LocalGet(1), test::kI32Add, test::I32Const(constant),
                test::kI32Add, test::kEnd));
  builder.AddExport("add", test::kExternFunc, add);
  return builder.Build();
}

// The payloads of every rivet.aot section of a decoded module, decoded.
std::vector<AotSection> AotSectionsOf(const Module& module) {
  std::vector<AotSection> sections;
  for (const CustomSection& custom : module.customs) {
    if (custom.name != kAotSectionName) continue;
    Result<AotSection> section = DecodeAotSection(module.Range(custom.offset, custom.size));
    EXPECT_TRUE(section.ok()) << section.error().message;
    if (section.ok()) sections.push_back(*section);
  }
  return sections;
}

TEST(AotSectionTest, RoundTrips) {
  AotSection section = SampleSection();
  std::vector<uint8_t> payload = EncodeAotSection(section);
  Result<AotSection> decoded = DecodeAotSection(payload);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ExpectSameSection(section, *decoded);
  EXPECT_TRUE(decoded->guard_pages());
}

TEST(AotSectionTest, RoundTripsEmptyFieldsAndLargeValues) {
  AotSection section;
  section.abi_version = kAotAbiVersion;
  section.machine = AotMachine::kX86_64;
  section.flags = 0xffffffffu;
  section.code_hash = ~uint64_t{0};
  std::vector<uint8_t> object(300, 0x5a);  // a length that needs two LEB128 bytes
  section.object = object;
  // Kept alive: the decoded section's object is a span into the payload.
  std::vector<uint8_t> payload = EncodeAotSection(section);
  Result<AotSection> decoded = DecodeAotSection(payload);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ExpectSameSection(section, *decoded);
}

TEST(AotSectionTest, EveryTruncationIsAnError) {
  std::vector<uint8_t> payload = EncodeAotSection(SampleSection());
  for (size_t size = 0; size < payload.size(); ++size) {
    Result<AotSection> decoded = DecodeAotSection(std::span(payload).first(size));
    ASSERT_FALSE(decoded.ok()) << "a payload truncated to " << size << " bytes decoded";
    EXPECT_NE(decoded.error().message.find("at offset"), std::string::npos)
        << decoded.error().message;
    EXPECT_NE(decoded.error().message.find("field"), std::string::npos)
        << decoded.error().message;
  }
}

TEST(AotSectionTest, ErrorsNameFieldAndOffset) {
  std::vector<uint8_t> payload = EncodeAotSection(SampleSection());
  // abi_version (1 byte), machine (1 byte), then "lp64d" (1 + 5 bytes), then
  // "sifive-u74" whose length byte is at offset 8: cut inside its bytes.
  Result<AotSection> decoded = DecodeAotSection(std::span(payload).first(12));
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message.find("field cpu"), std::string::npos)
      << decoded.error().message;
  EXPECT_NE(decoded.error().message.find("at offset 8"), std::string::npos)
      << decoded.error().message;

  std::vector<uint8_t> trailing = payload;
  trailing.push_back(0);
  decoded = DecodeAotSection(trailing);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message.find("unexpected bytes after the object"), std::string::npos)
      << decoded.error().message;

  std::vector<uint8_t> bad_machine = payload;
  bad_machine[1] = 9;
  decoded = DecodeAotSection(bad_machine);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message.find("field machine: unknown machine 9"), std::string::npos)
      << decoded.error().message;
}

TEST(AotSectionTest, WrongVersionSaysBothVersions) {
  AotSection section = SampleSection();
  section.abi_version = kAotAbiVersion + 1;
  Result<AotSection> decoded = DecodeAotSection(EncodeAotSection(section));
  ASSERT_FALSE(decoded.ok());
  const std::string& message = decoded.error().message;
  EXPECT_NE(message.find("version " + std::to_string(kAotAbiVersion + 1)), std::string::npos)
      << message;
  EXPECT_NE(message.find("version " + std::to_string(kAotAbiVersion)), std::string::npos)
      << message;
}

TEST(ModuleCodeHashTest, IgnoresCustomSections) {
  Bytes plain = SampleModule();
  // The same module with custom sections before, between and after others.
  Bytes with_customs = plain;
  Bytes early = test::Custom("early", {1, 2, 3});
  with_customs.insert(with_customs.begin() + 8, early.begin(), early.end());
  Bytes late = test::Custom("name", test::ModuleName("m"));
  with_customs.insert(with_customs.end(), late.begin(), late.end());

  Result<uint64_t> plain_hash = ModuleCodeHash(plain);
  Result<uint64_t> custom_hash = ModuleCodeHash(with_customs);
  ASSERT_TRUE(plain_hash.ok()) << plain_hash.error().message;
  ASSERT_TRUE(custom_hash.ok()) << custom_hash.error().message;
  EXPECT_EQ(*plain_hash, *custom_hash);
}

TEST(ModuleCodeHashTest, ChangesWithAnyOtherByte) {
  Bytes plain = SampleModule();
  Result<uint64_t> plain_hash = ModuleCodeHash(plain);
  ASSERT_TRUE(plain_hash.ok());
  // Changing any byte of the header or of a non-custom section changes the
  // hash (as long as the module still splits into sections).
  for (size_t i = 4; i < plain.size(); ++i) {
    Bytes changed = plain;
    changed[i] ^= 0x01;
    Result<uint64_t> changed_hash = ModuleCodeHash(changed);
    if (!changed_hash.ok()) continue;  // a size byte changed: no longer well-formed
    EXPECT_NE(*changed_hash, *plain_hash) << "flipping byte " << i << " kept the hash";
  }
  Result<uint64_t> other = ModuleCodeHash(SampleModule(2));
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*other, *plain_hash);
}

TEST(ModuleCodeHashTest, RejectsMalformedModules) {
  Bytes plain = SampleModule();
  EXPECT_FALSE(ModuleCodeHash(std::span(plain).first(7)).ok());
  Bytes not_wasm = plain;
  not_wasm[1] = 'x';
  EXPECT_FALSE(ModuleCodeHash(not_wasm).ok());
  Result<uint64_t> truncated = ModuleCodeHash(std::span(plain).first(plain.size() - 1));
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.error().message.find("exceeds"), std::string::npos)
      << truncated.error().message;
}

TEST(AddAotSectionTest, ResultDecodesAndKeepsTheHash) {
  Bytes wasm = SampleModule();
  AotSection section = SampleSection();
  Result<std::vector<uint8_t>> added = AddAotSection(wasm, section);
  ASSERT_TRUE(added.ok()) << added.error().message;
  EXPECT_EQ(*ModuleCodeHash(*added), *ModuleCodeHash(wasm));
  std::shared_ptr<const Module> module = test::DecodeOk(*added);
  ASSERT_NE(module, nullptr);
  std::vector<AotSection> sections = AotSectionsOf(*module);
  ASSERT_EQ(sections.size(), 1u);
  ExpectSameSection(sections[0], section);
}

TEST(AddAotSectionTest, ReplacesTheSameTargetAndKeepsOthers) {
  Bytes wasm = SampleModule();
  AotSection riscv = SampleSection();
  AotSection x86 = SampleSection();
  x86.machine = AotMachine::kX86_64;
  x86.abi = "sysv";
  x86.cpu = "x86-64";
  x86.features = "";
  AotSection other_features = SampleSection();
  other_features.features = "+a,+c,+d,+f,+m,+zbb";

  Result<std::vector<uint8_t>> step = AddAotSection(wasm, riscv);
  ASSERT_TRUE(step.ok());
  step = AddAotSection(*step, x86);
  ASSERT_TRUE(step.ok());
  step = AddAotSection(*step, other_features);
  ASSERT_TRUE(step.ok());

  // Recompiling the first target with other code replaces only it.
  std::vector<uint8_t> new_object = {1, 2, 3};
  AotSection riscv_again = riscv;
  riscv_again.object = new_object;
  riscv_again.opt_level = 0;  // not part of the target's identity
  std::vector<uint8_t> bytes = step.value();
  step = AddAotSection(bytes, riscv_again);
  ASSERT_TRUE(step.ok()) << step.error().message;

  std::shared_ptr<const Module> module = test::DecodeOk(*step);
  ASSERT_NE(module, nullptr);
  std::vector<AotSection> sections = AotSectionsOf(*module);
  ASSERT_EQ(sections.size(), 3u);
  ExpectSameSection(sections[0], x86);
  ExpectSameSection(sections[1], other_features);
  ExpectSameSection(sections[2], riscv_again);
}

TEST(AddAotSectionTest, KeepsOtherCustomSectionsAndOtherVersions) {
  Bytes wasm = SampleModule();
  AotSection old_version = SampleSection();
  old_version.abi_version = kAotAbiVersion + 7;
  Bytes name = test::Custom("name", test::ModuleName("kept"));
  Bytes old = test::Custom(kAotSectionName, EncodeAotSection(old_version));
  wasm.insert(wasm.end(), name.begin(), name.end());
  wasm.insert(wasm.end(), old.begin(), old.end());

  Result<std::vector<uint8_t>> added = AddAotSection(wasm, SampleSection());
  ASSERT_TRUE(added.ok()) << added.error().message;
  std::shared_ptr<const Module> module = test::DecodeOk(*added);
  ASSERT_NE(module, nullptr);
  ASSERT_EQ(module->customs.size(), 3u);
  EXPECT_EQ(module->customs[0].name, "name");
  EXPECT_EQ(module->names.module, "kept");
  EXPECT_EQ(module->customs[1].name, kAotSectionName);
  EXPECT_EQ(module->customs[2].name, kAotSectionName);
}

TEST(AddAotSectionTest, MalformedExistingSectionIsAnError) {
  Bytes wasm = SampleModule();
  std::vector<uint8_t> payload = EncodeAotSection(SampleSection());
  payload.resize(payload.size() - 1);
  Bytes broken = test::Custom(kAotSectionName, payload);
  wasm.insert(wasm.end(), broken.begin(), broken.end());
  Result<std::vector<uint8_t>> added = AddAotSection(wasm, SampleSection());
  ASSERT_FALSE(added.ok());
  EXPECT_NE(added.error().message.find("malformed"), std::string::npos) << added.error().message;
}

TEST(MachineNameTest, NamesEveryMachine) {
  EXPECT_EQ(MachineName(AotMachine::kX86_64), "x86_64");
  EXPECT_EQ(MachineName(AotMachine::kRiscv64), "riscv64");
  EXPECT_EQ(MachineName(AotMachine::kRiscv32), "riscv32");
}

}  // namespace
}  // namespace rivet::aot
