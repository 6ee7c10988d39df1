// RISC-V loading beyond what lld can be compared with: calls to far external
// symbols through the loader's stubs (decoded and followed to their target),
// the GOT's contents, kept ALIGN padding, the ABI read from e_flags, and
// errors that name the unsupported relocation and where it is.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "loader/elf/aot_image.h"
#include "loader/elf/elf_format.h"
#include "loader/elf/elf_object.h"
#include "loader/elf/riscv_test_util.h"
#include "loader/elf/test_util.h"

namespace rivet::elf {
namespace {

using aot::AotMachine;
using test::AuipcPairOffset;
using test::JalOffset;

constexpr uint64_t kBase = 0x10000;

uint32_t WordAt(const AotImage& image, uint64_t address) {
  for (const ImageSection& section : image.sections()) {
    if (address >= section.address && address + 4 <= section.address + section.size) {
      return ReadLe32(image.Contents(section).data() + (address - section.address));
    }
  }
  ADD_FAILURE() << "address " << address << " is in no section";
  return 0;
}

uint64_t SlotAt(const AotImage& image, uint64_t address, bool rv64) {
  const uint64_t low = WordAt(image, address);
  return rv64 ? low | (uint64_t{WordAt(image, address + 4)} << 32) : low;
}

// Checks that the stub at `stub` is auipc t3 / l[wd] t3, 16(t3) / jr t3 with
// `target` in its slot, and that it lies in .rivet.stubs.
void ExpectStubTo(const AotImage& image, uint64_t stub, uint64_t target, bool rv64) {
  const ImageSection* stubs = image.FindSection(".rivet.stubs");
  ASSERT_NE(stubs, nullptr);
  EXPECT_GE(stub, stubs->address);
  EXPECT_LT(stub, stubs->address + stubs->size);
  EXPECT_EQ(WordAt(image, stub), 0x00000e17u);                           // auipc t3, 0
  EXPECT_EQ(WordAt(image, stub + 4), rv64 ? 0x010e3e03u : 0x010e2e03u);  // ld/lw t3, 16(t3)
  EXPECT_EQ(WordAt(image, stub + 8), 0x000e0067u);                       // jalr x0, 0(t3)
  EXPECT_EQ(SlotAt(image, stub + 16, rv64), target);
}

std::unique_ptr<AotImage> LoadScratch(const std::string& name, AotMachine machine,
                                      test::FakeSymbols& externals) {
  const std::vector<uint8_t> object = test::ReadTestFile("loader/elf/testdata/" + name + ".o");
  EXPECT_FALSE(object.empty()) << name;
  Result<std::unique_ptr<AotImage>> image =
      AotImage::Load(object, machine, externals.Resolver(), LoadMode::kScratch, kBase);
  EXPECT_TRUE(image.ok()) << (image.ok() ? "" : image.error().message);
  return image.ok() ? std::move(*image) : nullptr;
}

TEST(RiscvStubTest, Rv64FarCallsGoThroughStubs) {
  // 112 TiB away: beyond the +-2 GiB of AUIPC+JALR and the 1 MiB of JAL.
  test::FakeSymbols externals(0x700000000000, 0x1000);
  std::unique_ptr<AotImage> image = LoadScratch("asm_rv64gc", AotMachine::kRiscv64, externals);
  ASSERT_NE(image, nullptr);
  const uint64_t call_target = externals.addresses().at("rivet_ext_call");
  const uint64_t jal_target = externals.addresses().at("rivet_ext_jal");
  EXPECT_EQ(image->stub_count(), 2u);
  EXPECT_EQ(image->calls_through_stubs(), 4u);  // CALL, CALL_PLT twice, JAL

  const uint64_t entry = *image->SymbolAddress("asm_entry");
  // R_RISCV_CALL at +0 and R_RISCV_CALL_PLT at +8: AUIPC+JALR to the stub.
  for (uint64_t call : {entry, entry + 8}) {
    const uint64_t stub = call + AuipcPairOffset(WordAt(*image, call), WordAt(*image, call + 4));
    ExpectStubTo(*image, stub, call_target, true);
  }
  // R_RISCV_JAL at +16.
  const uint64_t jal = entry + 16;
  ExpectStubTo(*image, jal + JalOffset(WordAt(*image, jal)), jal_target, true);

  // GOT_HI20 + PCREL_LO12_I at +20: reaches the GOT slot after the reserved
  // one, which holds the variable's address.
  const ImageSection* got = image->FindSection(".rivet.got");
  ASSERT_NE(got, nullptr);
  const uint64_t slot =
      entry + 20 + AuipcPairOffset(WordAt(*image, entry + 20), WordAt(*image, entry + 24));
  EXPECT_EQ(slot, got->address + 8);
  EXPECT_EQ(SlotAt(*image, slot, true), externals.addresses().at("rivet_ext_var"));

  // The COMDAT group's member is loaded like any other section.
  const ImageSection* comdat = image->FindSection(".text.asm_comdat");
  ASSERT_NE(comdat, nullptr);
  EXPECT_EQ(image->SymbolAddress("asm_comdat"), comdat->address);
}

TEST(RiscvStubTest, Rv32CallsReachEverythingButJalNeedsAStub) {
  test::FakeSymbols externals(0x80000000, 0x1000);
  std::unique_ptr<AotImage> image = LoadScratch("asm_rv32imac", AotMachine::kRiscv32, externals);
  ASSERT_NE(image, nullptr);
  EXPECT_EQ(image->calls_through_stubs(), 1u);
  const uint64_t entry = *image->SymbolAddress("asm_entry");
  // AUIPC+JALR wraps around the 32-bit address space: direct.
  const uint64_t direct =
      (entry + AuipcPairOffset(WordAt(*image, entry), WordAt(*image, entry + 4))) & 0xffffffff;
  EXPECT_EQ(direct, externals.addresses().at("rivet_ext_call"));
  const uint64_t jal = entry + 16;
  ExpectStubTo(*image, jal + JalOffset(WordAt(*image, jal)),
               externals.addresses().at("rivet_ext_jal"), false);
}

TEST(RiscvStubTest, KeepsAlignPadding) {
  const std::vector<uint8_t> bytes = test::ReadTestFile("loader/elf/testdata/asm_align_rv64gc.o");
  ASSERT_FALSE(bytes.empty());
  Result<ElfObject> object = ElfObject::Parse(bytes);
  ASSERT_TRUE(object.ok()) << object.error().message;
  test::FakeSymbols externals(kBase + 0x80000, 0x40);
  Result<std::unique_ptr<AotImage>> image =
      AotImage::Load(bytes, AotMachine::kRiscv64, externals.Resolver(), LoadMode::kScratch, kBase);
  ASSERT_TRUE(image.ok()) << image.error().message;
  const ImageSection* text = (*image)->FindSection(".text");
  ASSERT_NE(text, nullptr);
  // Find the ALIGN relocation; the padding it covers (its addend) is still
  // all NOPs, and the section kept its size.
  bool found = false;
  for (const ElfSection& section : object->sections()) {
    if (section.type != kShtRela || object->sections()[section.info].name != ".text") continue;
    EXPECT_EQ(text->size, object->sections()[section.info].size);
    for (const ElfRelocation& relocation : object->Relocations(section)) {
      if (relocation.type != kR_RISCV_ALIGN || relocation.addend < 4) continue;
      found = true;
      const uint8_t* padding = (*image)->Contents(*text).data() + relocation.offset;
      for (int64_t i = 0; i < relocation.addend;) {
        if (ReadLe16(padding + i) == 0x0001) {  // c.nop
          i += 2;
        } else {
          EXPECT_EQ(ReadLe32(padding + i), 0x00000013u) << "at padding offset " << i;  // nop
          i += 4;
        }
      }
    }
  }
  EXPECT_TRUE(found);
}

TEST(RiscvStubTest, ReportsAbiFromElfFlags) {
  struct Case {
    const char* name;
    AotMachine machine;
    const char* abi;
    RiscvFloatAbi float_abi;
  };
  const Case cases[] = {
      {"rv64gc_lp64d_medlow_relax_O2", AotMachine::kRiscv64, "lp64d", RiscvFloatAbi::kDouble},
      {"rv64i_lp64_medany_relax_O2", AotMachine::kRiscv64, "lp64", RiscvFloatAbi::kSoft},
      {"rv32i_ilp32_relax_O2", AotMachine::kRiscv32, "ilp32", RiscvFloatAbi::kSoft},
      {"rv32imafdc_ilp32d_medany_relax_O0", AotMachine::kRiscv32, "ilp32d", RiscvFloatAbi::kDouble},
  };
  for (const Case& c : cases) {
    test::FakeSymbols externals(kBase + 0x80000, 0x40);
    std::unique_ptr<AotImage> image = LoadScratch(c.name, c.machine, externals);
    ASSERT_NE(image, nullptr);
    EXPECT_EQ(image->AbiName(), c.abi) << c.name;
    EXPECT_EQ(image->riscv_float_abi(), c.float_abi) << c.name;
  }
}

TEST(RiscvStubTest, UnsupportedRelocationIsNamedWithItsPlace) {
  std::vector<uint8_t> bytes = test::ReadTestFile("loader/elf/testdata/asm_rv64gc.o");
  ASSERT_FALSE(bytes.empty());
  Result<ElfObject> object = ElfObject::Parse(bytes);
  ASSERT_TRUE(object.ok());
  // Turn the first relocation of .rela.text into R_RISCV_TLS_TPREL64.
  bool patched = false;
  for (const ElfSection& section : object->sections()) {
    if (section.name != ".rela.text") continue;
    const uint64_t offset = ReadLe64(bytes.data() + section.offset);
    bytes[section.offset + 8] = kR_RISCV_TLS_TPREL64;
    patched = true;
    test::FakeSymbols externals(kBase + 0x80000, 0x40);
    Result<std::unique_ptr<AotImage>> image = AotImage::Load(
        bytes, AotMachine::kRiscv64, externals.Resolver(), LoadMode::kScratch, kBase);
    ASSERT_FALSE(image.ok());
    const std::string& message = image.error().message;
    EXPECT_NE(message.find("R_RISCV_TLS_TPREL64"), std::string::npos) << message;
    EXPECT_NE(message.find("(.text)"), std::string::npos) << message;
    EXPECT_NE(message.find("offset 0x" + std::string(offset == 0 ? "0" : "")), std::string::npos)
        << message;
    EXPECT_NE(message.find("unsupported"), std::string::npos) << message;
  }
  EXPECT_TRUE(patched);
}

TEST(RiscvStubTest, RefusesToExecuteForeignCode) {
  const std::vector<uint8_t> object = test::ReadTestFile("loader/elf/testdata/asm_rv32i.o");
  ASSERT_FALSE(object.empty());
  test::FakeSymbols externals(kBase + 0x80000, 0x40);
  Result<std::unique_ptr<AotImage>> image =
      AotImage::Load(object, AotMachine::kRiscv32, externals.Resolver(), LoadMode::kExecute);
#if !(defined(__riscv) && __riscv_xlen == 32)
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.error().message.find("cannot execute riscv32"), std::string::npos)
      << image.error().message;
#endif
}

}  // namespace
}  // namespace rivet::elf
