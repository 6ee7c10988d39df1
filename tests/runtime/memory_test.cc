// Linear memory: memory.size, memory.grow (old size, or -1 beyond the
// maximum), contents kept across growth, bounds that follow the size, and
// the bulk operations at the edges.
#include <cstdint>
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "tests/runtime/runtime_test_util.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::runtime_test {
namespace {

constexpr Slot kMinusOne = 0xffffffffu;  // i32 -1 as a result slot

// A module with memory `min`..`max` exported as "mem", and size, grow,
// load8, store8, load32, fill(dest, value, n), copy(dest, src, n) and
// grow_then_load(delta, addr) (a nested call grows, the caller then loads).
Bytes MemoryModule(uint32_t min, std::optional<uint32_t> max) {
  ModuleBuilder b;
  uint32_t v_i = b.AddType({}, {kI32});
  uint32_t i_i = b.AddType({kI32}, {kI32});
  uint32_t ii_v = b.AddType({kI32, kI32}, {});
  uint32_t iii_v = b.AddType({kI32, kI32, kI32}, {});
  uint32_t ii_i = b.AddType({kI32, kI32}, {kI32});
  b.AddMemory(min, max);
  b.AddExport("mem", kExternMemory, 0);
  b.AddExport("size", kExternFunc, b.AddFunction(v_i, Cat(kMemorySizeOp, 0x00, kEnd)));
  uint32_t grow = b.AddFunction(i_i, Cat(LocalGet(0), kMemoryGrowOp, 0x00, kEnd));
  b.AddExport("grow", kExternFunc, grow);
  b.AddExport("load8", kExternFunc,
              b.AddFunction(i_i, Cat(LocalGet(0), Mem(kI32Load8U, 0, 0), kEnd)));
  b.AddExport("store8", kExternFunc,
              b.AddFunction(ii_v, Cat(LocalGet(0), LocalGet(1), Mem(kI32Store8, 0, 0), kEnd)));
  b.AddExport("load32", kExternFunc,
              b.AddFunction(i_i, Cat(LocalGet(0), Mem(kI32Load, 2, 0), kEnd)));
  b.AddExport("fill", kExternFunc,
              b.AddFunction(iii_v, Cat(LocalGet(0), LocalGet(1), LocalGet(2), MemoryFill(), kEnd)));
  b.AddExport("copy", kExternFunc,
              b.AddFunction(iii_v, Cat(LocalGet(0), LocalGet(1), LocalGet(2), MemoryCopy(), kEnd)));
  b.AddExport("grow_then_load", kExternFunc,
              b.AddFunction(ii_i, Cat(LocalGet(0), Call(grow), kDrop, LocalGet(1),
                                      Mem(kI32Load8U, 0, 0), kEnd)));
  return b.Build();
}

class MemoryTest : public ::testing::Test {
 protected:
  void Make(uint32_t min, std::optional<uint32_t> max) {
    instance_ = InstantiateOk(store_, MemoryModule(min, max));
    ASSERT_NE(instance_, nullptr);
    memory_ = instance_->GetExport("mem")->memory;
  }
  Outcome Run(std::string_view name, std::vector<Slot> args = {}) {
    return CallFunc(store_, ExportedFunc(instance_, name), args);
  }
  Store store_;
  Instance* instance_ = nullptr;
  Memory* memory_ = nullptr;
};

TEST_F(MemoryTest, GrowReturnsTheOldSizeAndFailsBeyondTheMaximum) {
  Make(1, 3);
  EXPECT_TRUE(Returns(Run("size"), {1}));
  EXPECT_TRUE(Returns(Run("grow", {0}), {1}));
  EXPECT_TRUE(Returns(Run("size"), {1}));
  EXPECT_TRUE(Returns(Run("grow", {3}), {kMinusOne}));  // 1 + 3 > 3
  EXPECT_TRUE(Returns(Run("size"), {1}));
  EXPECT_TRUE(Returns(Run("grow", {1}), {1}));
  EXPECT_TRUE(Returns(Run("size"), {2}));
  EXPECT_TRUE(Returns(Run("grow", {2}), {kMinusOne}));
  EXPECT_TRUE(Returns(Run("grow", {1}), {2}));
  EXPECT_TRUE(Returns(Run("size"), {3}));
  EXPECT_TRUE(Returns(Run("grow", {1}), {kMinusOne}));
  EXPECT_TRUE(Returns(Run("grow", {0xffffffffu}), {kMinusOne}));
  EXPECT_TRUE(Returns(Run("grow", {0}), {3}));
  EXPECT_TRUE(Returns(Run("size"), {3}));
  EXPECT_EQ(memory_->pages(), 3u);
  EXPECT_EQ(memory_->size(), 3u * 65536);
}

TEST_F(MemoryTest, WithoutAMaximumGrowthStopsAt65536Pages) {
  Make(1, std::nullopt);
  EXPECT_TRUE(Returns(Run("grow", {65536}), {kMinusOne}));
  EXPECT_TRUE(Returns(Run("grow", {0x10000000}), {kMinusOne}));
  EXPECT_TRUE(Returns(Run("grow", {0xffffffffu}), {kMinusOne}));
  EXPECT_TRUE(Returns(Run("size"), {1}));
  EXPECT_TRUE(Returns(Run("grow", {15}), {1}));
  EXPECT_TRUE(Returns(Run("size"), {16}));
}

TEST_F(MemoryTest, GrowthKeepsContentsAndZeroesNewPages) {
  Make(1, 4);
  EXPECT_TRUE(Returns(Run("store8", {0, 0x11}), {}));
  EXPECT_TRUE(Returns(Run("store8", {65535, 0x22}), {}));
  EXPECT_TRUE(Traps(Run("load8", {65536}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Returns(Run("grow", {1}), {1}));
  EXPECT_TRUE(Returns(Run("load8", {0}), {0x11}));
  EXPECT_TRUE(Returns(Run("load8", {65535}), {0x22}));
  EXPECT_TRUE(Returns(Run("load8", {65536}), {0}));
  EXPECT_TRUE(Returns(Run("load32", {131068}), {0}));
  EXPECT_TRUE(Traps(Run("load32", {131069}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Returns(Run("store8", {131071, 0x33}), {}));
  for (size_t i = 65536; i < 131071; ++i) ASSERT_EQ(memory_->data()[i], 0) << i;

  // Growth done by the host is seen by wasm, contents included.
  EXPECT_EQ(memory_->Grow(2), 2);
  EXPECT_TRUE(Returns(Run("size"), {4}));
  EXPECT_TRUE(Returns(Run("load8", {0}), {0x11}));
  EXPECT_TRUE(Returns(Run("load8", {65535}), {0x22}));
  EXPECT_TRUE(Returns(Run("load8", {131071}), {0x33}));
  EXPECT_TRUE(Returns(Run("load8", {4 * 65536 - 1}), {0}));
  EXPECT_EQ(memory_->Grow(1), -1);
  EXPECT_TRUE(Returns(Run("grow", {1}), {kMinusOne}));
}

TEST_F(MemoryTest, CallerSeesGrowthDoneByItsCallee) {
  Make(1, 8);
  // The nested call grows by 2; the caller then loads from the new pages.
  memory_->data()[100] = 9;
  EXPECT_TRUE(Returns(Run("grow_then_load", {2, 3 * 65536 - 1}), {0}));
  EXPECT_TRUE(Returns(Run("size"), {3}));
  EXPECT_TRUE(Returns(Run("grow_then_load", {0, 100}), {9}));
  // A failed growth leaves the bounds alone.
  EXPECT_TRUE(Traps(Run("grow_then_load", {100, 3 * 65536}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
}

TEST_F(MemoryTest, ZeroPageMemory) {
  Make(0, 2);
  EXPECT_TRUE(Returns(Run("size"), {0}));
  EXPECT_TRUE(Traps(Run("load8", {0}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Returns(Run("fill", {0, 1, 0}), {}));  // zero bytes at 0: fine
  EXPECT_TRUE(Returns(Run("grow", {1}), {0}));
  EXPECT_TRUE(Returns(Run("store8", {65535, 7}), {}));
  EXPECT_TRUE(Returns(Run("load8", {65535}), {7}));
  EXPECT_TRUE(Returns(Run("load8", {0}), {0}));
}

TEST_F(MemoryTest, BulkOperationsAtTheEdges) {
  Make(1, 1);
  EXPECT_TRUE(Returns(Run("fill", {65532, 0xaa, 4}), {}));
  EXPECT_TRUE(Returns(Run("load32", {65532}), {0xaaaaaaaau}));
  // One byte too many: traps, and writes nothing.
  EXPECT_TRUE(Traps(Run("fill", {65530, 0xbb, 7}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_EQ(memory_->data()[65530], 0);
  EXPECT_EQ(memory_->data()[65532], 0xaa);
  EXPECT_TRUE(Returns(Run("fill", {65536, 0xbb, 0}), {}));
  EXPECT_TRUE(Traps(Run("fill", {65537, 0xbb, 0}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));

  // Overlapping copies move the bytes as memmove does, in both directions.
  std::memcpy(memory_->data() + 10, "abcdef", 6);
  EXPECT_TRUE(Returns(Run("copy", {12, 10, 6}), {}));
  EXPECT_EQ(std::memcmp(memory_->data() + 10, "ababcdef", 8), 0);
  EXPECT_TRUE(Returns(Run("copy", {10, 12, 6}), {}));
  EXPECT_EQ(std::memcmp(memory_->data() + 10, "abcdefef", 8), 0);
  EXPECT_TRUE(Traps(Run("copy", {0, 65535, 2}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Traps(Run("copy", {65535, 0, 2}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_EQ(memory_->data()[65535], 0xaa);
}

TEST(SharedMemoryGrowthTest, SharedMemoryNeverMovesAndStopsAtItsMaximum) {
  Store store;
  Memory* memory = store.NewMemory(MemType(1, 4, true));
  ASSERT_TRUE(memory->shared());
  uint8_t* before = memory->data();
  ASSERT_NE(before, nullptr);
  before[65535] = 5;
  EXPECT_EQ(memory->Grow(3), 1);
  EXPECT_EQ(memory->data(), before);
  EXPECT_EQ(memory->pages(), 4u);
  EXPECT_EQ(memory->data()[65535], 5);
  EXPECT_EQ(memory->data()[4 * 65536 - 1], 0);
  EXPECT_EQ(memory->Grow(1), -1);
  EXPECT_EQ(memory->Grow(0), 4);
}

}  // namespace
}  // namespace rivet::runtime_test
