// Call depth: deep recursion ends in a "call stack exhausted" trap at the
// store's limits (never a host crash), raising the limits lets it complete,
// and tail calls run in constant depth.
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "tests/runtime/runtime_test_util.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::runtime_test {
namespace {

// f(n) = n == 0 ? 0 : 1 + f(n - 1), exported as "f". Evaluating f(n) nests
// n + 1 calls (the entry included).
Bytes RecursiveModule() {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  uint32_t f = b.AddFunction(
      t, Cat(LocalGet(0), kI32Eqz, If(kI32), I32Const(0), kElse, I32Const(1), LocalGet(0),
             I32Const(1), kI32Sub, Call(0), kI32Add, kEnd, kEnd));
  b.AddExport("f", kExternFunc, f);
  return b.Build();
}

class RecursionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    instance_ = InstantiateOk(store_, RecursiveModule());
    f_ = ExportedFunc(instance_, "f");
    ASSERT_NE(f_, nullptr);
  }
  Outcome F(uint32_t n) { return CallFunc(store_, f_, {n}); }

  Store store_;
  Instance* instance_ = nullptr;
  FuncInstance* f_ = nullptr;
};

TEST_F(RecursionTest, DefaultLimitsAreAsDocumented) {
  EXPECT_EQ(store_.limits.max_call_depth, 100000u);
  EXPECT_EQ(store_.limits.value_stack_slots, size_t{1} << 22);
}

TEST_F(RecursionTest, MillionDeepRecursionTrapsWithDefaultLimits) {
  EXPECT_TRUE(Traps(F(1'000'000), TrapKind::kCallStackExhausted, "call stack exhausted"));
  EXPECT_EQ(TrapMessage(TrapKind::kCallStackExhausted), "call stack exhausted");
  // The store and instance stay usable after the trap.
  EXPECT_TRUE(Returns(F(10), {10}));
  EXPECT_TRUE(Traps(F(1'000'000), TrapKind::kCallStackExhausted, "call stack exhausted"));
  EXPECT_TRUE(Returns(F(1000), {1000}));
}

TEST_F(RecursionTest, DefaultDepthBoundaryIsExact) {
  // max_call_depth counts frames, the entry's included: f(99'999) nests
  // exactly 100'000 calls.
  EXPECT_TRUE(Returns(F(99'999), {99'999}));
  EXPECT_TRUE(Traps(F(100'000), TrapKind::kCallStackExhausted, "call stack exhausted"));
}

TEST_F(RecursionTest, MillionDeepRecursionCompletesWithRaisedLimits) {
  store_.limits.max_call_depth = 2'000'000;
  store_.limits.value_stack_slots = size_t{1} << 24;  // 128 MiB, touched as used
  EXPECT_TRUE(Returns(F(1'000'000), {1'000'000}));
  // Again on the same (now large) stack, and a shallow call after it.
  EXPECT_TRUE(Returns(F(1'000'000), {1'000'000}));
  EXPECT_TRUE(Returns(F(3), {3}));
}

TEST_F(RecursionTest, SmallLimitTrapsAtExactlyThatDepth) {
  store_.limits.max_call_depth = 100;
  // f(99) is 100 nested calls: allowed. f(100) is 101: traps.
  EXPECT_TRUE(Returns(F(0), {0}));
  EXPECT_TRUE(Returns(F(98), {98}));
  EXPECT_TRUE(Returns(F(99), {99}));
  EXPECT_TRUE(Traps(F(100), TrapKind::kCallStackExhausted, "call stack exhausted"));
  EXPECT_TRUE(Traps(F(101), TrapKind::kCallStackExhausted, "call stack exhausted"));
  EXPECT_TRUE(Returns(F(99), {99}));

  store_.limits.max_call_depth = 1;  // only the entry
  EXPECT_TRUE(Returns(F(0), {0}));
  EXPECT_TRUE(Traps(F(1), TrapKind::kCallStackExhausted, "call stack exhausted"));
}

TEST_F(RecursionTest, ValueStackExhaustionTrapsInsteadOfCrashing) {
  // Depth allows it, but the value stack is too small: still a trap.
  store_.limits.max_call_depth = 10'000'000;
  store_.limits.value_stack_slots = 4096;
  EXPECT_TRUE(Traps(F(1'000'000), TrapKind::kCallStackExhausted, "call stack exhausted"));
  EXPECT_TRUE(Traps(F(4096), TrapKind::kCallStackExhausted, "call stack exhausted"));
  EXPECT_TRUE(Returns(F(100), {100}));
}

// --- Tail calls ---------------------------------------------------------------

// loop(n, acc) = n == 0 ? acc : return_call loop(n - 1, acc + 1), as "loop";
// the same with a plain call as "call_loop".
Bytes TailLoopModule() {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32, kI64}, {kI64});
  auto body = [](Bytes call) {
    return Cat(LocalGet(0), kI32Eqz, If(kI64), LocalGet(1), kElse, LocalGet(0), I32Const(1),
               kI32Sub, LocalGet(1), I64Const(1), kI64Add, call, kEnd, kEnd);
  };
  uint32_t loop = b.AddFunction(t, body(ReturnCall(0)));
  uint32_t call_loop = b.AddFunction(t, body(Call(1)));
  b.AddExport("loop", kExternFunc, loop);
  b.AddExport("call_loop", kExternFunc, call_loop);
  return b.Build();
}

TEST(TailCallTest, TenMillionReturnCallsRunInConstantDepth) {
  Store store;
  Instance* instance = InstantiateOk(store, TailLoopModule());
  FuncInstance* loop = ExportedFunc(instance, "loop");
  FuncInstance* call_loop = ExportedFunc(instance, "call_loop");
  EXPECT_TRUE(Returns(CallFunc(store, loop, {10'000'000, 0}), {10'000'000}));
  EXPECT_TRUE(Returns(CallFunc(store, loop, {0, 7}), {7}));
  // The same loop with `call` instead of `return_call` exhausts the stack:
  // the difference is the tail call.
  EXPECT_TRUE(Traps(CallFunc(store, call_loop, {10'000'000, 0}), TrapKind::kCallStackExhausted,
                    "call stack exhausted"));
  EXPECT_TRUE(Returns(CallFunc(store, call_loop, {1000, 5}), {1005}));
}

TEST(TailCallTest, ReturnCallsDoNotCountTowardsTheDepthLimit) {
  Store store;
  store.limits.max_call_depth = 1;  // the entry alone
  Instance* instance = InstantiateOk(store, TailLoopModule());
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "loop"), {1'000'000, 1}), {1'000'001}));
  EXPECT_TRUE(Traps(CallFunc(store, ExportedFunc(instance, "call_loop"), {1, 0}),
                    TrapKind::kCallStackExhausted, "call stack exhausted"));
}

TEST(TailCallTest, MutualReturnCallsAndReturnCallIndirect) {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  // even(n) = n == 0 ? 1 : return_call odd(n - 1); odd(n) = n == 0 ? 0 : return_call even(n - 1)
  uint32_t even = b.AddFunction(t, Cat(LocalGet(0), kI32Eqz, If(kI32), I32Const(1), kElse,
                                       LocalGet(0), I32Const(1), kI32Sub, ReturnCall(1), kEnd,
                                       kEnd));
  uint32_t odd = b.AddFunction(t, Cat(LocalGet(0), kI32Eqz, If(kI32), I32Const(0), kElse,
                                      LocalGet(0), I32Const(1), kI32Sub, ReturnCall(0), kEnd,
                                      kEnd));
  // count(n) counts down through table slot 0 (itself) with return_call_indirect.
  uint32_t count = b.AddFunction(
      t, Cat(LocalGet(0), kI32Eqz, If(kI32), I32Const(-1), kElse, LocalGet(0), I32Const(1),
             kI32Sub, I32Const(0), ReturnCallIndirect(t, 0), kEnd, kEnd));
  b.AddTable(kFuncRef, 1, 1);
  b.AddActiveElem(0, {count});
  b.AddExport("even", kExternFunc, even);
  b.AddExport("odd", kExternFunc, odd);
  b.AddExport("count", kExternFunc, count);
  Store store;
  store.limits.max_call_depth = 10;
  Instance* instance = InstantiateOk(store, b.Build());
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "even"), {1'000'000}), {1}));
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "even"), {1'000'001}), {0}));
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "odd"), {999'999}), {1}));
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "count"), {1'000'000}),
                      {I32Slot(-1)}));
}

TEST(TailCallTest, ReturnCallToAHostFunction) {
  Store store;
  FuncInstance* twice = store.NewHostFunction(
      FuncType({I32}, {I32}), [](std::span<const Slot> args, std::span<Slot> results) {
        results[0] = static_cast<uint32_t>(args[0] * 2);
        return std::optional<Trap>();
      });
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  uint32_t host = b.ImportFunction("env", "twice", t);
  // f(x) = return_call twice(x + 1), called from g(x) = f(x) + 1000.
  uint32_t f = b.AddFunction(t, Cat(LocalGet(0), I32Const(1), kI32Add, ReturnCall(host), kEnd));
  uint32_t g = b.AddFunction(t, Cat(LocalGet(0), Call(f), I32Const(1000), kI32Add, kEnd));
  b.AddExport("f", kExternFunc, f);
  b.AddExport("g", kExternFunc, g);
  Instance* instance = InstantiateOk(store, b.Build(), {FuncExtern(twice)});
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "f"), {20}), {42}));
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "g"), {20}), {1042}));
}

}  // namespace
}  // namespace rivet::runtime_test
