// Call depth through host functions: wasm calling a host function that
// calls back into wasm through Invoke, recursively. A target of its own
// because this recursion nests on the host's C++ stack: should its bound
// regress, the crash would hide the results of unrelated tests. (Under
// AddressSanitizer, whose frames are far larger, the 500-level re-entry
// bound does not fit an 8 MiB stack; this target is not built that way.)
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "tests/runtime/runtime_test_util.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::runtime_test {
namespace {

// wasm g(n) = n == 0 ? 0 : 1 + h(n - 1), where the host function h(n) calls
// g(n) again through Invoke: the recursion alternates between wasm and host.
TEST(HostReentrancyDepthTest, RecursionThroughTheHostCountsTowardsTheLimit) {
  Store store;
  FuncInstance* g = nullptr;
  int host_calls = 0;
  FuncInstance* h = store.NewHostFunction(
      FuncType({I32}, {I32}),
      [&](std::span<const Slot> args, std::span<Slot> results) -> std::optional<Trap> {
        ++host_calls;
        Outcome inner = Invoke(store, g, std::vector<Slot>{args[0]});
        if (Trap* trap = std::get_if<Trap>(&inner)) return *trap;
        results[0] = std::get<std::vector<Slot>>(inner)[0];
        return std::nullopt;
      });
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  uint32_t hi = b.ImportFunction("env", "h", t);
  uint32_t gi = b.AddFunction(
      t, Cat(LocalGet(0), kI32Eqz, If(kI32), I32Const(0), kElse, I32Const(1), LocalGet(0),
             I32Const(1), kI32Sub, Call(hi), kI32Add, kEnd, kEnd));
  b.AddExport("g", kExternFunc, gi);
  Instance* instance = InstantiateOk(store, b.Build(), {FuncExtern(h)});
  g = ExportedFunc(instance, "g");
  ASSERT_NE(g, nullptr);

  // Shallow: works, one host call per level.
  EXPECT_TRUE(Returns(CallFunc(store, g, {50}), {50}));
  EXPECT_EQ(host_calls, 50);

  // max_call_depth counts every wasm frame on the thread, those below the
  // host function included: with a limit of 100, 300 levels (600 nested
  // calls, 300 of them wasm frames) must trap.
  // Regression (fixed in 73cb0e8): each Invoke from a host function got a
  // fresh max_call_depth budget, so g(300) returned 300.
  store.limits.max_call_depth = 100;
  host_calls = 0;
  EXPECT_TRUE(Traps(CallFunc(store, g, {300}), TrapKind::kCallStackExhausted,
                    "call stack exhausted"));
  EXPECT_LT(host_calls, 300);
}

// The same recursion, a million levels deep with the default limits, must
// end in a trap, not take the process down. Run in a child process (a
// GoogleTest death test), so that a crash fails this test alone.
//
// Every wasm -> host -> Invoke level nests on the host's C++ stack
// (interp::Execute, CallHost, the std::function, Invoke, interp::Call), so
// bounding the total number of wasm frames by max_call_depth is not enough:
// 100'000 host levels do not fit in 8 MiB. Regression (fixed in 73cb0e8,
// which bounds re-entry on its own): g(1'000'000) died with SIGSEGV, at -O2
// with an 8 MiB stack already at g(10'000).
TEST(HostReentrancyDepthTest, MillionLevelsThroughTheHostTrapInsteadOfCrashing) {
  auto run = [] {
    Store store;
    FuncInstance* g = nullptr;
    FuncInstance* h = store.NewHostFunction(
        FuncType({I32}, {I32}),
        [&](std::span<const Slot> args, std::span<Slot> results) -> std::optional<Trap> {
          Outcome inner = Invoke(store, g, std::vector<Slot>{args[0]});
          if (Trap* trap = std::get_if<Trap>(&inner)) return *trap;
          results[0] = std::get<std::vector<Slot>>(inner)[0];
          return std::nullopt;
        });
    ModuleBuilder b;
    uint32_t t = b.AddType({kI32}, {kI32});
    uint32_t hi = b.ImportFunction("env", "h", t);
    uint32_t gi = b.AddFunction(
        t, Cat(LocalGet(0), kI32Eqz, If(kI32), I32Const(0), kElse, I32Const(1), LocalGet(0),
               I32Const(1), kI32Sub, Call(hi), kI32Add, kEnd, kEnd));
    b.AddExport("g", kExternFunc, gi);
    auto module = DecodeModule(b.Build());
    if (!module.ok()) std::_Exit(2);
    auto instance = Instantiate(store, *module, std::vector<Extern>{FuncExtern(h)});
    if (!std::holds_alternative<Instance*>(instance)) std::_Exit(3);
    g = std::get<Instance*>(instance)->GetExport("g")->func;
    Outcome outcome = Invoke(store, g, std::vector<Slot>{1'000'000});
    const Trap* trap = std::get_if<Trap>(&outcome);
    std::_Exit(trap && trap->kind == TrapKind::kCallStackExhausted ? 0 : 4);
  };
  EXPECT_EXIT(run(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace rivet::runtime_test
