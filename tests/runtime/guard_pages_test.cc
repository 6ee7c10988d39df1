// Code compiled with --bounds-checks=guard-pages, run for real: out-of-bounds
// accesses fault in the guard region and become traps; the instance stays
// usable; growth opens pages without moving memory; a store that crosses the
// end writes nothing. The same module compiled with explicit checks behaves
// identically.
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "aot/compiler.h"
#include "gtest/gtest.h"
#include "loader/aot_section.h"
#include "runtime/instantiate.h"
#include "runtime/module_manager.h"
#include "tests/loader/wasm_builder.h"

namespace rivet {
namespace {

using namespace rivet::test;

// (memory 1 4) with load(addr) = i32.load offset=4, store8(addr), store32
// (addr) = i32.store of 0x01020304, grow(delta) and peek8(addr).
Bytes GuestModule() {
  ModuleBuilder b;
  uint32_t i_i = b.AddType({kI32}, {kI32});
  uint32_t i_v = b.AddType({kI32}, {});
  b.AddMemory(1, 4);
  uint32_t load = b.AddFunction(i_i, Cat(LocalGet(0), kI32Load, MemArg(2, 4), kEnd));
  uint32_t store8 =
      b.AddFunction(i_v, Cat(LocalGet(0), I32Const(7), kI32Store8, MemArg(0, 0), kEnd));
  uint32_t store32 = b.AddFunction(
      i_v, Cat(LocalGet(0), I32Const(0x01020304), kI32Store, MemArg(0, 0), kEnd));
  uint32_t grow = b.AddFunction(i_i, Cat(LocalGet(0), kMemoryGrowOp, 0x00, kEnd));
  uint32_t peek = b.AddFunction(i_i, Cat(LocalGet(0), kI32Load8U, MemArg(0, 0), kEnd));
  b.AddExport("load", kExternFunc, load);
  b.AddExport("store8", kExternFunc, store8);
  b.AddExport("store32", kExternFunc, store32);
  b.AddExport("grow", kExternFunc, grow);
  b.AddExport("peek", kExternFunc, peek);
  return b.Build();
}

class GuardPagesTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    Bytes wasm = GuestModule();
    auto module = DecodeModule(wasm);
    ASSERT_TRUE(module.ok()) << module.error().message;
    aot::TargetOptions options;
    options.target = "host";
    options.guard_pages = GetParam();
    auto payload = aot::CompileModule(**module, options);
    ASSERT_TRUE(payload.ok()) << payload.status().message();
    auto section = aot::DecodeAotSection(*payload);
    ASSERT_TRUE(section.ok()) << section.error().message;
    auto compiled = aot::AddAotSection(wasm, *section);
    ASSERT_TRUE(compiled.ok()) << compiled.error().message;
    LoadOptions load;
    load.engine = EngineChoice::kAot;
    auto loaded = LoadModule(std::move(*compiled), load);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    ASSERT_EQ(loaded->native->needs_guard_regions(), GetParam());
    InstantiateOptions instantiate;
    instantiate.native_code = loaded->native;
    auto result = Instantiate(store_, loaded->module, {}, instantiate);
    ASSERT_TRUE(std::holds_alternative<Instance*>(result));
    instance_ = std::get<Instance*>(result);
  }

  // The result, or the trap message prefixed with "trap: ".
  std::string Call(const char* name, uint32_t arg) {
    FuncInstance* func = instance_->GetExport(name)->func;
    std::vector<Slot> args{arg};
    auto outcome = Invoke(store_, func, args);
    if (Trap* trap = std::get_if<Trap>(&outcome)) return "trap: " + trap->message;
    const auto& results = std::get<std::vector<Slot>>(outcome);
    return results.empty() ? "" : std::to_string(static_cast<uint32_t>(results[0]));
  }

  Store store_;
  Instance* instance_ = nullptr;
};

TEST_P(GuardPagesTest, OutOfBoundsAccessesTrapAndTheInstanceStaysUsable) {
  const std::string oob = "trap: out of bounds memory access";
  EXPECT_EQ(Call("load", 0), "0");
  EXPECT_EQ(Call("load", 65532), oob);   // 65536..65539
  EXPECT_EQ(Call("load", 65529), oob);   // straddles the end
  EXPECT_EQ(Call("load", 0xffffffff), oob);  // + offset: beyond 4 GiB
  EXPECT_EQ(Call("store8", 65536), oob);
  EXPECT_EQ(Call("store8", 65535), "");
  EXPECT_EQ(Call("peek", 65535), "7");
  // A store straddling the end traps and writes none of its bytes.
  EXPECT_EQ(Call("store32", 65534), oob);
  EXPECT_EQ(Call("peek", 65534), "0");
  EXPECT_EQ(Call("peek", 65535), "7");
  // Growth opens the next page (in place, for a memory with a guard region).
  Memory* memory = instance_->memories[0];
  uint8_t* base = memory->data();
  EXPECT_EQ(Call("grow", 1), "1");
  EXPECT_EQ(Call("store8", 65536), "");
  EXPECT_EQ(Call("peek", 65536), "7");
  EXPECT_EQ(Call("load", 131068), oob);
  EXPECT_EQ(memory->guarded(), GetParam() && Memory::kGuardRegions);
  if (memory->guarded()) EXPECT_EQ(memory->data(), base);
  EXPECT_EQ(Call("grow", 3), "4294967295");  // beyond the maximum: -1
}

INSTANTIATE_TEST_SUITE_P(BoundsChecks, GuardPagesTest, ::testing::Values(false, true),
                         [](const auto& info) {
                           return info.param ? "GuardPages" : "Explicit";
                         });

}  // namespace
}  // namespace rivet
