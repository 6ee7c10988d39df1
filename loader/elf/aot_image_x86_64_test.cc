// Loads x86-64 objects compiled from testdata/ with kExecute, runs their
// functions and checks the results: external calls through stubs (the
// externals are placed far away), .rodata, jump tables, strings, .data, .bss,
// pointers to local functions, GOT references; and that the mapping is W^X.
#include <sys/mman.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"
#include "loader/aot_section.h"
#include "loader/elf/aot_image.h"
#include "loader/elf/test_util.h"

namespace rivet::elf {
namespace {

using aot::AotMachine;

long rivet_test_counter = 0;
extern "C" long FarAdd(long a, long b) { return a + b; }
extern "C" long FarMul(long a, long b) { return a * b; }

// Trampolines (movabs $target, %rax; jmp *%rax) in a page mapped far from
// everything else, so that calls from the image cannot reach them with a
// 32-bit displacement and must go through the loader's stubs.
class FarTrampolines {
 public:
  FarTrampolines() {
    // 48 TiB: far above both the low 2 GiB and the usual mmap area.
    void* hint = reinterpret_cast<void*>(uintptr_t{0x300000000000});
    page_ = static_cast<uint8_t*>(
        mmap(hint, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
  }
  ~FarTrampolines() {
    if (page_ != MAP_FAILED) munmap(page_, 4096);
  }
  bool ok() const { return page_ != MAP_FAILED; }
  uint64_t Add(void* target) {
    uint8_t* code = page_ + 16 * count_++;
    code[0] = 0x48;
    code[1] = 0xb8;
    const uint64_t address = reinterpret_cast<uintptr_t>(target);
    std::memcpy(code + 2, &address, 8);
    code[10] = 0xff;
    code[11] = 0xe0;
    return reinterpret_cast<uintptr_t>(code);
  }
  bool MakeExecutable() { return mprotect(page_, 4096, PROT_READ | PROT_EXEC) == 0; }
  uint64_t address() const { return reinterpret_cast<uintptr_t>(page_); }

 private:
  uint8_t* page_;
  int count_ = 0;
};

uint64_t Distance(uint64_t a, uint64_t b) { return a > b ? a - b : b - a; }

// The permissions ("r-xp") of the mapping holding `address`, from /proc/self/maps.
std::string MappingPermissions(uint64_t address) {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    unsigned long long begin = 0, end = 0;
    char permissions[8] = {};
    if (std::sscanf(line.c_str(), "%llx-%llx %7s", &begin, &end, permissions) == 3 &&
        address >= begin && address < end) {
      return permissions;
    }
  }
  return "unmapped";
}

class X86_64ExecuteTest : public testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(far_.ok());
    far_add_ = far_.Add(reinterpret_cast<void*>(&FarAdd));
    far_mul_ = far_.Add(reinterpret_cast<void*>(&FarMul));
    ASSERT_TRUE(far_.MakeExecutable());
  }

  std::unique_ptr<AotImage> Load(const std::string& path) {
    object_ = test::ReadTestFile(path);
    EXPECT_FALSE(object_.empty()) << path;
    SymbolResolver resolve = [this](std::string_view name) -> std::optional<uint64_t> {
      if (name == "rivet_test_far_add") return far_add_;
      if (name == "rivet_test_far_mul") return far_mul_;
      if (name == "rivet_test_counter") return reinterpret_cast<uintptr_t>(&rivet_test_counter);
      return std::nullopt;
    };
    Result<std::unique_ptr<AotImage>> image =
        AotImage::Load(object_, AotMachine::kX86_64, resolve, LoadMode::kExecute);
    EXPECT_TRUE(image.ok()) << (image.ok() ? "" : image.error().message);
    if (!image.ok()) return nullptr;
    return std::move(*image);
  }

  template <typename Function>
  Function* Get(const AotImage& image, const char* name) {
    void* address = image.Symbol(name);
    EXPECT_NE(address, nullptr) << name;
    return reinterpret_cast<Function*>(address);
  }

  FarTrampolines far_;
  uint64_t far_add_ = 0;
  uint64_t far_mul_ = 0;
  std::vector<uint8_t> object_;
};

TEST_P(X86_64ExecuteTest, RunsCompiledC) {
  std::unique_ptr<AotImage> image = Load(GetParam());
  ASSERT_NE(image, nullptr);
  ASSERT_GT(Distance(image->base(), far_.address()), uint64_t{1} << 32);

  EXPECT_EQ(Get<long(long, long)>(*image, "call_far")(20, 22), 84);
  EXPECT_EQ(Get<long(long, long)>(*image, "tail_call_far")(6, 7), 42);
  EXPECT_GE(image->stub_count(), 2u);
  EXPECT_GE(image->calls_through_stubs(), 2u);

  auto prime = Get<int(int)>(*image, "prime");
  EXPECT_EQ(prime(0), 2);
  EXPECT_EQ(prime(9), 29);
  EXPECT_EQ(prime(14), 11);

  auto switch_table = Get<int(int, int)>(*image, "switch_table");
  const int x = 1000;
  const int expected[] = {x * 3, x + 7, x ^ 0x55, x - 100, x << 2, x / 3, ~x, x * x, -1, -1};
  for (int selector = 0; selector < 10; ++selector) {
    EXPECT_EQ(switch_table(selector, x), expected[selector]) << "case " << selector;
  }

  auto greeting = Get<const char*(int)>(*image, "greeting");
  EXPECT_STREQ(greeting(1), "hello, rivet");
  EXPECT_STREQ(greeting(0), "goodbye");

  auto data_sum = Get<int()>(*image, "data_sum");
  EXPECT_EQ(data_sum(), 36);
  EXPECT_EQ(data_sum(), 37);  // data_table[0] was incremented in .data
  EXPECT_EQ(*Get<int>(*image, "data_table"), 3);

  auto bss_add = Get<long(int, long)>(*image, "bss_add");
  EXPECT_EQ(bss_add(3, 5), 5);
  EXPECT_EQ(bss_add(3, 6), 11);
  EXPECT_EQ(bss_add(4, 1), 1);

  auto apply_local = Get<int(int, int)>(*image, "apply_local");
  EXPECT_EQ(apply_local(0, 7), 49);
  EXPECT_EQ(apply_local(1, 3), 27);
}

TEST_P(X86_64ExecuteTest, MapsWriteXorExecute) {
  std::unique_ptr<AotImage> image = Load(GetParam());
  ASSERT_NE(image, nullptr);
  bool saw_code = false, saw_rodata = false, saw_data = false;
  for (const ImageSection& section : image->sections()) {
    if (section.size == 0) continue;
    const std::string permissions = MappingPermissions(section.address);
    EXPECT_FALSE(permissions[1] == 'w' && permissions[2] == 'x')
        << section.name << " is " << permissions;
    if (section.name.starts_with(".text")) {
      EXPECT_EQ(permissions.substr(0, 3), "r-x") << section.name;
      saw_code = true;
    } else if (section.name.starts_with(".rodata")) {
      EXPECT_EQ(permissions.substr(0, 3), "r--") << section.name;
      saw_rodata = true;
    } else if (section.name.starts_with(".data") || section.name.starts_with(".bss")) {
      EXPECT_EQ(permissions.substr(0, 3), "rw-") << section.name;
      saw_data = true;
    }
  }
  EXPECT_TRUE(saw_code && saw_rodata && saw_data);
}

INSTANTIATE_TEST_SUITE_P(Objects, X86_64ExecuteTest,
                         testing::Values("loader/elf/testdata/x86_program_pic.o",
                                         "loader/elf/testdata/x86_program_nopic.o"));

TEST(X86_64ExecuteTest, NoPicImageIsBelow2GiB) {
  const std::vector<uint8_t> object = test::ReadTestFile("loader/elf/testdata/x86_program_nopic.o");
  ASSERT_FALSE(object.empty());
  FarTrampolines far;
  ASSERT_TRUE(far.ok());
  const uint64_t far_add = far.Add(reinterpret_cast<void*>(&FarAdd));
  const uint64_t far_mul = far.Add(reinterpret_cast<void*>(&FarMul));
  ASSERT_TRUE(far.MakeExecutable());
  SymbolResolver resolve = [&](std::string_view name) -> std::optional<uint64_t> {
    if (name == "rivet_test_far_add") return far_add;
    if (name == "rivet_test_far_mul") return far_mul;
    return std::nullopt;
  };
  Result<std::unique_ptr<AotImage>> image =
      AotImage::Load(object, AotMachine::kX86_64, resolve, LoadMode::kExecute);
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_LT((*image)->base() + (*image)->size(), uint64_t{1} << 31);
}

TEST(X86_64ExecuteTest, PicCounterThroughGot) {
  const std::vector<uint8_t> object = test::ReadTestFile("loader/elf/testdata/x86_program_pic.o");
  ASSERT_FALSE(object.empty());
  SymbolResolver resolve = [](std::string_view name) -> std::optional<uint64_t> {
    if (name == "rivet_test_far_add") return reinterpret_cast<uintptr_t>(&FarAdd);
    if (name == "rivet_test_far_mul") return reinterpret_cast<uintptr_t>(&FarMul);
    if (name == "rivet_test_counter") return reinterpret_cast<uintptr_t>(&rivet_test_counter);
    return std::nullopt;
  };
  Result<std::unique_ptr<AotImage>> image =
      AotImage::Load(object, AotMachine::kX86_64, resolve, LoadMode::kExecute);
  ASSERT_TRUE(image.ok()) << image.error().message;
  ASSERT_NE((*image)->FindSection(".rivet.got"), nullptr);
  auto bump = reinterpret_cast<long (*)(long)>((*image)->Symbol("bump_counter"));
  ASSERT_NE(bump, nullptr);
  rivet_test_counter = 10;
  EXPECT_EQ(bump(5), 15);
  EXPECT_EQ(rivet_test_counter, 15);
}

TEST(X86_64ExecuteTest, AssemblyRelocations) {
  const std::vector<uint8_t> object = test::ReadTestFile("loader/elf/testdata/x86_relocs.o");
  ASSERT_FALSE(object.empty());
  FarTrampolines far;
  ASSERT_TRUE(far.ok());
  const uint64_t far_add = far.Add(reinterpret_cast<void*>(&FarAdd));
  const uint64_t far_mul = far.Add(reinterpret_cast<void*>(&FarMul));
  ASSERT_TRUE(far.MakeExecutable());
  SymbolResolver resolve = [&](std::string_view name) -> std::optional<uint64_t> {
    if (name == "rivet_test_far_add") return far_add;
    if (name == "rivet_test_far_mul") return far_mul;
    if (name == "rivet_test_counter") return reinterpret_cast<uintptr_t>(&rivet_test_counter);
    return std::nullopt;
  };
  Result<std::unique_ptr<AotImage>> loaded =
      AotImage::Load(object, AotMachine::kX86_64, resolve, LoadMode::kExecute);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const AotImage& image = **loaded;
  rivet_test_counter = 77;
  EXPECT_EQ(reinterpret_cast<long (*)()>(image.Symbol("asm_got_load"))(), 77);
  EXPECT_EQ(reinterpret_cast<long (*)(long, long)>(image.Symbol("asm_call_via_got"))(40, 2), 42);
  EXPECT_EQ(reinterpret_cast<long (*)(long, long)>(image.Symbol("asm_call_pc32"))(6, 9), 54);
  EXPECT_EQ(image.calls_through_stubs(), 1u);  // the PC32 call; the GOT call needs none

  const uint64_t target = *image.SymbolAddress("asm_pc64_target");
  const uint64_t field = *image.SymbolAddress("asm_pc64_field");
  int64_t distance;
  std::memcpy(&distance, image.Symbol("asm_pc64_field"), 8);
  EXPECT_EQ(distance, static_cast<int64_t>(target - field));
  uint64_t absolute;
  std::memcpy(&absolute, image.Symbol("asm_abs64_field"), 8);
  EXPECT_EQ(absolute, target + 16);
  EXPECT_EQ(reinterpret_cast<int (*)()>(image.Symbol("asm_pc64_target"))(), 42);
}

TEST(X86_64ExecuteTest, ListsEveryUnresolvedSymbolSorted) {
  const std::vector<uint8_t> object = test::ReadTestFile("loader/elf/testdata/x86_program_pic.o");
  ASSERT_FALSE(object.empty());
  Result<std::unique_ptr<AotImage>> image = AotImage::Load(
      object, AotMachine::kX86_64, [](std::string_view) { return std::optional<uint64_t>(); },
      LoadMode::kExecute);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.error().message.find(
                "3 unresolved symbols: rivet_test_counter, rivet_test_far_add, rivet_test_far_mul"),
            std::string::npos)
      << image.error().message;
}

TEST(X86_64ExecuteTest, RefusesOtherMachines) {
  const std::vector<uint8_t> object = test::ReadTestFile("loader/elf/testdata/x86_program_pic.o");
  ASSERT_FALSE(object.empty());
  Result<std::unique_ptr<AotImage>> image =
      AotImage::Load(object, AotMachine::kRiscv64, nullptr, LoadMode::kScratch, 0x10000);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.error().message.find("not riscv64"), std::string::npos) << image.error().message;
}

}  // namespace
}  // namespace rivet::elf
