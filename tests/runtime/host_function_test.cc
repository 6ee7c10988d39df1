// Host functions: called from wasm with arguments and results of every
// numeric type, aborting a call with a trap, and calling back into wasm.
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "tests/runtime/runtime_test_util.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::runtime_test {
namespace {

// h(i32, i64, f32, f64) -> (i32, i64, f32, f64) =
//   (a + 1, b * 2, c * 0.5, d + 0.25), recording the argument slots it saw.
struct NumericHost {
  std::vector<Slot> seen;
  int calls = 0;
  FuncInstance* Make(Store& store) {
    return store.NewHostFunction(
        FuncType({I32, I64, F32, F64}, {I32, I64, F32, F64}),
        [this](std::span<const Slot> args, std::span<Slot> results) -> std::optional<Trap> {
          ++calls;
          seen.assign(args.begin(), args.end());
          if (args.size() != 4 || results.size() != 4) {
            return Trap{TrapKind::kHostError, "wrong slot counts"};
          }
          results[0] = static_cast<uint32_t>(args[0] + 1);
          results[1] = args[1] * 2;
          results[2] = F32Slot(SlotF32(args[2]) * 0.5f);
          results[3] = F64Slot(SlotF64(args[3]) + 0.25);
          return std::nullopt;
        });
  }
};

TEST(HostFunctionTest, ArgumentsAndResultsOfEveryNumericType) {
  Store store;
  NumericHost host;
  FuncInstance* h = host.Make(store);

  ModuleBuilder b;
  uint32_t t = b.AddType({kI32, kI64, kF32, kF64}, {kI32, kI64, kF32, kF64});
  uint32_t hi = b.ImportFunction("env", "h", t);
  // forward(a, b, c, d) = h(a, b, c, d)
  uint32_t forward =
      b.AddFunction(t, Cat(LocalGet(0), LocalGet(1), LocalGet(2), LocalGet(3), Call(hi), kEnd));
  // adjust(a, b, c, d): (r0, r1, r2, r3) = h(a, b, c, d);
  //   returns (r0 + 1000, r1 + 1, r2 + 1.0, r3 + 1.0), using the results in wasm.
  uint32_t adjust = b.AddFunction(
      t,
      Cat(LocalGet(0), LocalGet(1), LocalGet(2), LocalGet(3), Call(hi), LocalSet(7), LocalSet(6),
          LocalSet(5), LocalSet(4), LocalGet(4), I32Const(1000), kI32Add, LocalGet(5),
          I64Const(1), kI64Add, LocalGet(6), F32Const(1.0f), kF32Add, LocalGet(7),
          F64Const(1.0), kF64Add, kEnd),
      {{1, kI32}, {1, kI64}, {1, kF32}, {1, kF64}});
  b.AddExport("forward", kExternFunc, forward);
  b.AddExport("adjust", kExternFunc, adjust);
  Instance* instance = InstantiateOk(store, b.Build(), {FuncExtern(h)});
  ASSERT_NE(instance, nullptr);

  const std::vector<Slot> args = {I32Slot(-1), 0x8000000000000001ull, F32Slot(-1.5f),
                                  F64Slot(1e300)};
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "forward"), args),
                      {0, 0x0000000000000002ull, F32Slot(-0.75f), F64Slot(1e300 + 0.25)}));
  // The host saw exactly the slots wasm passed: i32 and f32 zero-extended.
  EXPECT_EQ(host.seen, (std::vector<Slot>{0xffffffffull, 0x8000000000000001ull, 0xbfc00000ull,
                                          std::bit_cast<uint64_t>(1e300)}));

  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "adjust"),
                           {41, 21, F32Slot(5.0f), F64Slot(0.5)}),
                      {1042, 43, F32Slot(3.5f), F64Slot(1.75)}));
  EXPECT_EQ(host.calls, 2);

  // A NaN with a payload passes through wasm to the host bit for bit.
  EXPECT_TRUE(std::holds_alternative<std::vector<Slot>>(CallFunc(
      store, ExportedFunc(instance, "forward"),
      {7, 0, 0x7fa00001ull, 0x7ff0000000000123ull})));
  EXPECT_EQ(host.seen[2], 0x7fa00001ull);
  EXPECT_EQ(host.seen[3], 0x7ff0000000000123ull);
}

TEST(HostFunctionTest, InvokingAHostFunctionDirectly) {
  Store store;
  NumericHost host;
  FuncInstance* h = host.Make(store);
  EXPECT_EQ(h->instance, nullptr);
  EXPECT_EQ(h->param_slots, 4u);
  EXPECT_EQ(h->result_slots, 4u);
  EXPECT_TRUE(Returns(CallFunc(store, h, {9, 5, F32Slot(8.0f), F64Slot(-0.25)}),
                      {10, 10, F32Slot(4.0f), F64Slot(0.0)}));
  EXPECT_EQ(host.calls, 1);
}

TEST(HostFunctionTest, CalledFromALoopAndThroughATable) {
  Store store;
  int calls = 0;
  FuncInstance* tick = store.NewHostFunction(FuncType({}, {}), [&](auto, auto) {
    ++calls;
    return std::optional<Trap>();
  });
  ModuleBuilder b;
  uint32_t v_v = b.AddType({}, {});
  uint32_t i_v = b.AddType({kI32}, {});
  uint32_t ti = b.ImportFunction("env", "tick", v_v);
  b.AddTable(kFuncRef, 1, 1);
  b.AddActiveElem(0, {ti});
  // ticks(n): calls tick n times, alternating direct and indirect calls.
  uint32_t ticks = b.AddFunction(
      i_v, Cat(Block(kVoid), Loop(kVoid), LocalGet(0), kI32Eqz, BrIf(1), LocalGet(0),
               I32Const(1), kI32And, If(kVoid), Call(ti), kElse, I32Const(0),
               CallIndirect(v_v, 0), kEnd, LocalGet(0), I32Const(1), kI32Sub, LocalSet(0), Br(0),
               kEnd, kEnd, kEnd));
  b.AddExport("ticks", kExternFunc, ticks);
  Instance* instance = InstantiateOk(store, b.Build(), {FuncExtern(tick)});
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "ticks"), {1001}), {}));
  EXPECT_EQ(calls, 1001);
}

// --- Traps from host functions -------------------------------------------------

TEST(HostFunctionTest, AHostTrapAbortsTheWholeCall) {
  Store store;
  bool fail = true;
  FuncInstance* check = store.NewHostFunction(
      FuncType({I32}, {I32}), [&](std::span<const Slot> args, std::span<Slot> results) {
        if (fail) return std::optional<Trap>(Trap{TrapKind::kHostError, "host said no: " +
                                                                        std::to_string(args[0])});
        results[0] = args[0] + 1;
        return std::optional<Trap>();
      });
  ModuleBuilder b;
  uint32_t i_i = b.AddType({kI32}, {kI32});
  uint32_t ci = b.ImportFunction("env", "check", i_i);
  uint32_t g = b.AddGlobal(kI32, true, Expr(I32Const(0)));
  // run(x): g = 1; r = check(x) (in a nested wasm frame); g = 2; return r.
  uint32_t inner = b.AddFunction(i_i, Cat(LocalGet(0), Call(ci), kEnd));
  uint32_t run = b.AddFunction(i_i, Cat(I32Const(1), GlobalSet(g), LocalGet(0), Call(inner),
                                        I32Const(2), GlobalSet(g), kEnd));
  b.AddExport("run", kExternFunc, run);
  b.AddExport("g", kExternGlobal, g);
  Instance* instance = InstantiateOk(store, b.Build(), {FuncExtern(check)});
  ASSERT_NE(instance, nullptr);
  Global* global = instance->GetExport("g")->global;

  EXPECT_TRUE(Traps(CallFunc(store, ExportedFunc(instance, "run"), {17}), TrapKind::kHostError,
                    "host said no: 17"));
  EXPECT_EQ(global->value[0], 1u) << "the code after the host call must not run";

  // The trap's kind and message are the host's, whatever they are.
  check->host = [](auto, auto) {
    return std::optional<Trap>(Trap{TrapKind::kUnreachable, "custom message"});
  };
  EXPECT_TRUE(Traps(CallFunc(store, ExportedFunc(instance, "run"), {1}), TrapKind::kUnreachable,
                    "custom message"));

  // The instance is usable afterwards.
  check->host = [](std::span<const Slot> args, std::span<Slot> results) {
    results[0] = args[0] * 3;
    return std::optional<Trap>();
  };
  global->value[0] = 0;
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "run"), {5}), {15}));
  EXPECT_EQ(global->value[0], 2u);
}

// --- Calling back into wasm ------------------------------------------------------

TEST(HostFunctionTest, HostCallsBackIntoWasm) {
  Store store;
  Instance* instance = nullptr;
  int inner_traps = 0;
  // h(x) = double(x) + 1, by invoking the instance's exported "double"; if
  // that traps, h returns 99 instead (it handles the inner trap itself).
  FuncInstance* h = store.NewHostFunction(
      FuncType({I32}, {I32}),
      [&](std::span<const Slot> args, std::span<Slot> results) -> std::optional<Trap> {
        Outcome inner = Invoke(store, ExportedFunc(instance, "double"), std::vector<Slot>{args[0]});
        if (std::holds_alternative<Trap>(inner)) {
          ++inner_traps;
          results[0] = 99;
          return std::nullopt;
        }
        results[0] = static_cast<uint32_t>(std::get<std::vector<Slot>>(inner)[0] + 1);
        return std::nullopt;
      });
  ModuleBuilder b;
  uint32_t i_i = b.AddType({kI32}, {kI32});
  uint32_t hi = b.ImportFunction("env", "h", i_i);
  // double(x) = x == 13 ? unreachable : x * 2
  uint32_t dbl = b.AddFunction(i_i, Cat(LocalGet(0), I32Const(13), kI32Eq, If(kVoid),
                                        kUnreachable, kEnd, LocalGet(0), I32Const(2), kI32Mul,
                                        kEnd));
  // outer(x): y = x + 5 (a local of the frame below the host call), with
  // x + 7 left on the operand stack across the call;
  // returns (x + 7) + h(x) + y * 100.
  uint32_t outer = b.AddFunction(
      i_i, Cat(LocalGet(0), I32Const(5), kI32Add, LocalSet(1), LocalGet(0), I32Const(7), kI32Add,
               LocalGet(0), Call(hi), kI32Add, LocalGet(1), I32Const(100), kI32Mul, kI32Add,
               kEnd),
      {{1, kI32}});
  b.AddExport("double", kExternFunc, dbl);
  b.AddExport("outer", kExternFunc, outer);
  instance = InstantiateOk(store, b.Build(), {FuncExtern(h)});
  ASSERT_NE(instance, nullptr);

  // outer(3) = 10 + (6 + 1) + 800
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "outer"), {3}), {817}));
  // The inner call traps; the host recovers, and the outer frame is intact:
  // outer(13) = 20 + 99 + 1800
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "outer"), {13}), {1919}));
  EXPECT_EQ(inner_traps, 1);
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "outer"), {0}), {7 + 1 + 500}));
}

TEST(HostFunctionTest, ReentrancyNestsSeveralLevels) {
  // wasm f(n) = n == 0 ? 1 : 2 * host(n - 1) + n; host(n) = f(n) through Invoke,
  // so the stack alternates wasm, host, wasm, ... 50 levels deep.
  Store store;
  FuncInstance* f = nullptr;
  int max_nesting = 0, nesting = 0;
  FuncInstance* host = store.NewHostFunction(
      FuncType({I64}, {I64}),
      [&](std::span<const Slot> args, std::span<Slot> results) -> std::optional<Trap> {
        ++nesting;
        max_nesting = std::max(max_nesting, nesting);
        Outcome inner = Invoke(store, f, std::vector<Slot>{args[0]});
        --nesting;
        if (Trap* trap = std::get_if<Trap>(&inner)) return *trap;
        results[0] = std::get<std::vector<Slot>>(inner)[0];
        return std::nullopt;
      });
  ModuleBuilder b;
  uint32_t l_l = b.AddType({kI64}, {kI64});
  uint32_t hi = b.ImportFunction("env", "host", l_l);
  uint32_t fi = b.AddFunction(
      l_l, Cat(LocalGet(0), I64Const(0), kI64Eq, If(kI64), I64Const(1), kElse,
               I64Const(2), LocalGet(0), I64Const(1), kI64Sub, Call(hi), kI64Mul, LocalGet(0),
               kI64Add, kEnd, kEnd));
  b.AddExport("f", kExternFunc, fi);
  Instance* instance = InstantiateOk(store, b.Build(), {FuncExtern(host)});
  f = ExportedFunc(instance, "f");
  ASSERT_NE(f, nullptr);
  // Closed form of the recurrence a(0) = 1, a(n) = 2 a(n-1) + n.
  auto expected = [](uint64_t n) {
    uint64_t a = 1;
    for (uint64_t i = 1; i <= n; ++i) a = 2 * a + i;
    return a;
  };
  EXPECT_TRUE(Returns(CallFunc(store, f, {50}), {expected(50)}));
  EXPECT_EQ(max_nesting, 50);
  EXPECT_TRUE(Returns(CallFunc(store, f, {3}), {expected(3)}));
  EXPECT_EQ(expected(3), 19u);  // 1, 3, 8, 19
}

TEST(HostFunctionTest, HostGrowsMemoryThroughWasmWhileTheCallerUsesIt) {
  // The caller keeps using memory after a host call that grew it through a
  // nested wasm call (non-shared memory may move when it grows).
  Store store;
  Instance* instance = nullptr;
  FuncInstance* grow_via_host = store.NewHostFunction(
      FuncType({}, {}), [&](auto, auto) -> std::optional<Trap> {
        Outcome r = Invoke(store, ExportedFunc(instance, "grow"), std::vector<Slot>{64});
        if (!Returns(r, {1})) return Trap{TrapKind::kHostError, "grow failed: " + Describe(r)};
        return std::nullopt;
      });
  ModuleBuilder b;
  uint32_t v_v = b.AddType({}, {});
  uint32_t i_i = b.AddType({kI32}, {kI32});
  uint32_t v_i = b.AddType({}, {kI32});
  uint32_t gh = b.ImportFunction("env", "grow_via_host", v_v);
  b.AddMemory(1);
  uint32_t grow = b.AddFunction(i_i, Cat(LocalGet(0), kMemoryGrowOp, 0x00, kEnd));
  // use(): mem[16] = 5; grow_via_host(); mem[65 * 65536 - 4] = 7;
  //        returns mem[16] + mem[65 * 65536 - 4]
  uint32_t use = b.AddFunction(
      v_i, Cat(I32Const(16), I32Const(5), Mem(kI32Store, 2, 0), Call(gh),
               I32Const(65 * 65536 - 4), I32Const(7), Mem(kI32Store, 2, 0), I32Const(16),
               Mem(kI32Load, 2, 0), I32Const(65 * 65536 - 4), Mem(kI32Load, 2, 0), kI32Add,
               kEnd));
  b.AddExport("grow", kExternFunc, grow);
  b.AddExport("use", kExternFunc, use);
  b.AddExport("mem", kExternMemory, 0);
  instance = InstantiateOk(store, b.Build(), {FuncExtern(grow_via_host)});
  ASSERT_NE(instance, nullptr);
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "use")), {12}));
  Memory* memory = instance->GetExport("mem")->memory;
  EXPECT_EQ(memory->pages(), 65u);
  uint32_t stored;
  std::memcpy(&stored, memory->data() + 65 * 65536 - 4, 4);
  EXPECT_EQ(stored, 7u);
}

}  // namespace
}  // namespace rivet::runtime_test
