// Traps: each kind with the spec's message, at the exact boundary where it
// begins, and the instance staying usable afterwards.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "tests/runtime/runtime_test_util.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::runtime_test {
namespace {

constexpr int32_t kIntMin = std::numeric_limits<int32_t>::min();
constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();

TEST(TrapMessageTest, EveryKindHasTheSpecMessage) {
  EXPECT_EQ(TrapMessage(TrapKind::kUnreachable), "unreachable");
  EXPECT_EQ(TrapMessage(TrapKind::kMemoryOutOfBounds), "out of bounds memory access");
  EXPECT_EQ(TrapMessage(TrapKind::kTableOutOfBounds), "out of bounds table access");
  EXPECT_EQ(TrapMessage(TrapKind::kIntegerDivideByZero), "integer divide by zero");
  EXPECT_EQ(TrapMessage(TrapKind::kIntegerOverflow), "integer overflow");
  EXPECT_EQ(TrapMessage(TrapKind::kInvalidConversion), "invalid conversion to integer");
  EXPECT_EQ(TrapMessage(TrapKind::kIndirectCallTypeMismatch), "indirect call type mismatch");
  EXPECT_EQ(TrapMessage(TrapKind::kUninitializedElement), "uninitialized element");
  EXPECT_EQ(TrapMessage(TrapKind::kUndefinedElement), "undefined element");
  EXPECT_EQ(TrapMessage(TrapKind::kCallStackExhausted), "call stack exhausted");
  EXPECT_EQ(TrapMessage(TrapKind::kUnalignedAtomic), "unaligned atomic");
  EXPECT_EQ(TrapMessage(TrapKind::kExpectedSharedMemory), "expected shared memory");
}

// One module with a function per trap, a 1-page memory "mem" and a 4-slot
// table: [0] () -> i32 returning 42, [1] a function of another type,
// [2] and [3] null.
class TrapTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ModuleBuilder b;
    uint32_t v_v = b.AddType({}, {});
    uint32_t ii_i = b.AddType({kI32, kI32}, {kI32});
    uint32_t ll_l = b.AddType({kI64, kI64}, {kI64});
    uint32_t f_i = b.AddType({kF32}, {kI32});
    uint32_t d_i = b.AddType({kF64}, {kI32});
    uint32_t i_i = b.AddType({kI32}, {kI32});
    uint32_t v_i = b.AddType({}, {kI32});
    uint32_t ii_v = b.AddType({kI32, kI32}, {});
    uint32_t i_v = b.AddType({kI32}, {});
    b.AddMemory(1);
    b.AddTable(kFuncRef, 4, 4);
    auto add = [&](std::string_view name, uint32_t type, Bytes code) {
      b.AddExport(name, kExternFunc, b.AddFunction(type, code));
    };
    uint32_t forty_two = b.AddFunction(v_i, Cat(I32Const(42), kEnd));
    uint32_t other_type = b.AddFunction(i_i, Cat(LocalGet(0), kEnd));
    uint32_t trap = b.AddFunction(v_v, Cat(kUnreachable, kEnd));
    b.AddExport("unreachable", kExternFunc, trap);
    // nested: calls through two frames into `unreachable`.
    uint32_t middle = b.AddFunction(v_i, Cat(Call(trap), I32Const(1), kEnd));
    add("nested", v_i, Cat(Call(middle), kEnd));
    add("div_s", ii_i, Cat(LocalGet(0), LocalGet(1), kI32DivS, kEnd));
    add("div_u", ii_i, Cat(LocalGet(0), LocalGet(1), kI32DivU, kEnd));
    add("rem_s", ii_i, Cat(LocalGet(0), LocalGet(1), kI32RemS, kEnd));
    add("i64_div_s", ll_l, Cat(LocalGet(0), LocalGet(1), kI64DivS, kEnd));
    add("trunc_f32_s", f_i, Cat(LocalGet(0), kI32TruncF32S, kEnd));
    add("trunc_f64_u", d_i, Cat(LocalGet(0), kI32TruncF64U, kEnd));
    add("load8", i_i, Cat(LocalGet(0), Mem(kI32Load8U, 0, 0), kEnd));
    add("load32", i_i, Cat(LocalGet(0), Mem(kI32Load, 2, 0), kEnd));
    add("load32_at_65532", i_i, Cat(LocalGet(0), Mem(kI32Load, 2, 65532), kEnd));
    add("load32_at_max_offset", i_i, Cat(LocalGet(0), Mem(kI32Load, 0, 0xffffffffu), kEnd));
    add("store32", ii_v, Cat(LocalGet(0), LocalGet(1), Mem(kI32Store, 2, 0), kEnd));
    add("atomic_load", i_i, Cat(LocalGet(0), I32AtomicLoad(), kEnd));
    add("table_get_is_null", i_i, Cat(LocalGet(0), TableGet(0), kRefIsNull, kEnd));
    add("table_set_null", i_v, Cat(LocalGet(0), RefNull(kFuncRef), TableSet(0), kEnd));
    add("call_indirect", i_i, Cat(LocalGet(0), CallIndirect(v_i, 0), kEnd));
    b.AddActiveElem(0, {forty_two, other_type});
    b.AddExport("mem", kExternMemory, 0);
    b.AddExport("table", kExternTable, 0);
    instance_ = InstantiateOk(store_, b.Build());
    ASSERT_NE(instance_, nullptr);
    memory_ = instance_->GetExport("mem")->memory;
    table_ = instance_->GetExport("table")->table;
  }

  Outcome Run(std::string_view name, std::vector<Slot> args = {}) {
    return CallFunc(store_, ExportedFunc(instance_, name), args);
  }

  Store store_;
  Instance* instance_ = nullptr;
  Memory* memory_ = nullptr;
  Table* table_ = nullptr;
};

TEST_F(TrapTest, Unreachable) {
  EXPECT_TRUE(Traps(Run("unreachable"), TrapKind::kUnreachable, "unreachable"));
  EXPECT_TRUE(Traps(Run("nested"), TrapKind::kUnreachable, "unreachable"));
  EXPECT_TRUE(Returns(Run("div_s", {7, 2}), {3}));
}

TEST_F(TrapTest, IntegerDivideByZero) {
  EXPECT_TRUE(Traps(Run("div_s", {1, 0}), TrapKind::kIntegerDivideByZero,
                    "integer divide by zero"));
  EXPECT_TRUE(Traps(Run("div_u", {0, 0}), TrapKind::kIntegerDivideByZero,
                    "integer divide by zero"));
  EXPECT_TRUE(Traps(Run("rem_s", {5, 0}), TrapKind::kIntegerDivideByZero,
                    "integer divide by zero"));
  EXPECT_TRUE(Traps(Run("i64_div_s", {1, 0}), TrapKind::kIntegerDivideByZero,
                    "integer divide by zero"));
  EXPECT_TRUE(Returns(Run("div_s", {I32Slot(-7), 2}), {I32Slot(-3)}));
  EXPECT_TRUE(Returns(Run("div_u", {I32Slot(-1), 2}), {0x7fffffffu}));
}

TEST_F(TrapTest, IntegerOverflow) {
  EXPECT_TRUE(Traps(Run("div_s", {I32Slot(kIntMin), I32Slot(-1)}), TrapKind::kIntegerOverflow,
                    "integer overflow"));
  EXPECT_TRUE(Traps(Run("i64_div_s", {static_cast<Slot>(kInt64Min), ~Slot{0}}),
                    TrapKind::kIntegerOverflow, "integer overflow"));
  // Neighbours that do not overflow.
  EXPECT_TRUE(Returns(Run("div_s", {I32Slot(kIntMin), 1}), {I32Slot(kIntMin)}));
  EXPECT_TRUE(Returns(Run("div_s", {I32Slot(kIntMin + 1), I32Slot(-1)}), {0x7fffffffu}));
  // The remainder of the same division is defined: 0.
  EXPECT_TRUE(Returns(Run("rem_s", {I32Slot(kIntMin), I32Slot(-1)}), {0}));
  EXPECT_TRUE(Returns(Run("rem_s", {I32Slot(-7), 2}), {I32Slot(-1)}));
}

TEST_F(TrapTest, InvalidConversionAndOverflowInTruncation) {
  EXPECT_TRUE(Traps(Run("trunc_f32_s", {F32Slot(std::nanf(""))}), TrapKind::kInvalidConversion,
                    "invalid conversion to integer"));
  EXPECT_TRUE(Traps(Run("trunc_f64_u", {F64Slot(std::nan(""))}), TrapKind::kInvalidConversion,
                    "invalid conversion to integer"));
  EXPECT_TRUE(Traps(Run("trunc_f32_s", {F32Slot(2147483648.0f)}), TrapKind::kIntegerOverflow,
                    "integer overflow"));
  EXPECT_TRUE(Traps(Run("trunc_f32_s", {F32Slot(INFINITY)}), TrapKind::kIntegerOverflow,
                    "integer overflow"));
  EXPECT_TRUE(Traps(Run("trunc_f64_u", {F64Slot(-1.0)}), TrapKind::kIntegerOverflow,
                    "integer overflow"));
  EXPECT_TRUE(Traps(Run("trunc_f64_u", {F64Slot(4294967296.0)}), TrapKind::kIntegerOverflow,
                    "integer overflow"));
  // The edges that convert.
  EXPECT_TRUE(Returns(Run("trunc_f32_s", {F32Slot(-2147483648.0f)}), {I32Slot(kIntMin)}));
  EXPECT_TRUE(Returns(Run("trunc_f32_s", {F32Slot(-2.75f)}), {I32Slot(-2)}));
  EXPECT_TRUE(Returns(Run("trunc_f64_u", {F64Slot(-0.99)}), {0}));
  EXPECT_TRUE(Returns(Run("trunc_f64_u", {F64Slot(4294967295.9)}), {0xffffffffu}));
}

TEST_F(TrapTest, MemoryOutOfBoundsAtTheLastByte) {
  ASSERT_EQ(memory_->size(), 65536u);
  std::memcpy(memory_->data() + 65532, "\x01\x02\x03\xab", 4);
  EXPECT_TRUE(Returns(Run("load8", {65535}), {0xab}));
  EXPECT_TRUE(Traps(Run("load8", {65536}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Returns(Run("load32", {65532}), {0xab030201}));
  EXPECT_TRUE(Traps(Run("load32", {65533}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Traps(Run("load32", {0xffffffffu}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Returns(Run("load32_at_65532", {0}), {0xab030201}));
  EXPECT_TRUE(Traps(Run("load32_at_65532", {1}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  // A store that does not fit writes nothing.
  EXPECT_TRUE(Traps(Run("store32", {65534, 0x11223344}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_EQ(memory_->data()[65534], 0x03);
  EXPECT_EQ(memory_->data()[65535], 0xab);
  EXPECT_TRUE(Returns(Run("store32", {65532, 0x11223344}), {}));
  EXPECT_TRUE(Returns(Run("load32", {65532}), {0x11223344}));
}

TEST_F(TrapTest, MemoryOffsetBeyondFourGiBDoesNotWrap) {
  // address + offset is computed without wrapping: 1 + 0xffffffff is
  // 0x1'0000'0000, not 0.
  std::memcpy(memory_->data(), "\x78\x56\x34\x12", 4);
  EXPECT_TRUE(Returns(Run("load32", {0}), {0x12345678}));
  EXPECT_TRUE(Traps(Run("load32_at_max_offset", {0}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Traps(Run("load32_at_max_offset", {1}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Traps(Run("load32_at_max_offset", {0xffffffffu}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Returns(Run("load32", {0}), {0x12345678}));
}

TEST_F(TrapTest, UnalignedAtomic) {
  std::memcpy(memory_->data() + 8, "\x01\x00\x00\x00", 4);
  EXPECT_TRUE(Returns(Run("atomic_load", {8}), {1}));
  EXPECT_TRUE(Traps(Run("atomic_load", {9}), TrapKind::kUnalignedAtomic, "unaligned atomic"));
  EXPECT_TRUE(Traps(Run("atomic_load", {65536}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
}

TEST_F(TrapTest, TableOutOfBounds) {
  EXPECT_TRUE(Returns(Run("table_get_is_null", {0}), {0}));
  EXPECT_TRUE(Returns(Run("table_get_is_null", {3}), {1}));
  EXPECT_TRUE(Traps(Run("table_get_is_null", {4}), TrapKind::kTableOutOfBounds,
                    "out of bounds table access"));
  EXPECT_TRUE(Traps(Run("table_get_is_null", {0xffffffffu}), TrapKind::kTableOutOfBounds,
                    "out of bounds table access"));
  EXPECT_TRUE(Traps(Run("table_set_null", {4}), TrapKind::kTableOutOfBounds,
                    "out of bounds table access"));
  EXPECT_NE(table_->elements[0], 0u);
}

TEST_F(TrapTest, CallIndirectTraps) {
  EXPECT_TRUE(Returns(Run("call_indirect", {0}), {42}));
  EXPECT_TRUE(Traps(Run("call_indirect", {1}), TrapKind::kIndirectCallTypeMismatch,
                    "indirect call type mismatch"));
  EXPECT_TRUE(Traps(Run("call_indirect", {2}), TrapKind::kUninitializedElement,
                    "uninitialized element"));
  EXPECT_TRUE(Traps(Run("call_indirect", {3}), TrapKind::kUninitializedElement,
                    "uninitialized element"));
  EXPECT_TRUE(Traps(Run("call_indirect", {4}), TrapKind::kUndefinedElement,
                    "undefined element"));
  EXPECT_TRUE(Traps(Run("call_indirect", {0xffffffffu}), TrapKind::kUndefinedElement,
                    "undefined element"));
  // Clearing slot 0 through the table makes it uninitialized too.
  EXPECT_TRUE(Returns(Run("table_set_null", {0}), {}));
  EXPECT_TRUE(Traps(Run("call_indirect", {0}), TrapKind::kUninitializedElement,
                    "uninitialized element"));
}

TEST_F(TrapTest, InstanceStaysUsableAfterEveryTrap) {
  const std::vector<std::pair<std::string_view, std::vector<Slot>>> trapping = {
      {"unreachable", {}},      {"nested", {}},
      {"div_s", {1, 0}},        {"div_s", {I32Slot(kIntMin), I32Slot(-1)}},
      {"trunc_f32_s", {F32Slot(std::nanf(""))}},
      {"load32", {65533}},      {"load32_at_max_offset", {1}},
      {"table_get_is_null", {4}}, {"call_indirect", {1}},
      {"call_indirect", {2}},   {"call_indirect", {4}},
      {"atomic_load", {2}},
  };
  for (const auto& [name, args] : trapping) {
    SCOPED_TRACE(name);
    EXPECT_TRUE(std::holds_alternative<Trap>(Run(name, args)));
    // The next call on the same instance succeeds, with a correct result.
    EXPECT_TRUE(Returns(Run("call_indirect", {0}), {42}));
    EXPECT_TRUE(Returns(Run("div_s", {100, 7}), {14}));
  }
}

TEST_F(TrapTest, InvokeWithTheWrongNumberOfArguments) {
  Outcome outcome = Run("div_s", {1});
  ASSERT_TRUE(std::holds_alternative<Trap>(outcome)) << Describe(outcome);
  EXPECT_EQ(std::get<Trap>(outcome).message, "expected 2 argument slots, got 1");
  EXPECT_TRUE(Returns(Run("div_s", {9, 3}), {3}));
}

}  // namespace
}  // namespace rivet::runtime_test
