// Natively compiled instances (runtime/aot): entering native code through
// Invoke and the interpreter, direct calls between compiled functions,
// traps raised by compiled code and by host functions it calls, re-entry,
// stack exhaustion, and the start function. The "compiled code" is
// hand-written C++ that follows loader/aot_abi.h.
#include <pthread.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "loader/aot_abi.h"
#include "runtime/aot/entry.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "tests/loader/wasm_builder.h"
#include "tests/runtime/aot_test_util.h"
#include "tests/runtime/runtime_test_util.h"

namespace rivet::runtime_test {
namespace {

// --- Hand-written compiled code ------------------------------------------------

int native_add_calls = 0;

// add(a, b) = a + b
int32_t Add(AotContext*, int32_t a, int32_t b) {
  ++native_add_calls;
  return a + b;
}
void AddEntry(AotContext* ctx, uint64_t* slots) {
  slots[0] = static_cast<uint32_t>(Add(ctx, SlotI32(slots[0]), SlotI32(slots[1])));
}

// grow(delta) = memory.grow(delta); on success marks the new last byte, at
// the address compiled code must reload after the call.
int32_t Grow(AotContext* ctx, int32_t delta) {
  int32_t old_pages = rivet_aot_memory_grow(ctx, 0, static_cast<uint32_t>(delta));
  if (old_pages >= 0) {
    aot::AotMemory* memory = ctx->memories[0];
    memory->base[memory->size - 1] = 0xab;
  }
  return old_pages;
}
void GrowEntry(AotContext* ctx, uint64_t* slots) {
  slots[0] = static_cast<uint32_t>(Grow(ctx, SlotI32(slots[0])));
}
// pages() = memory.size, from the context's view.
void PagesEntry(AotContext* ctx, uint64_t* slots) {
  slots[0] = ctx->memories[0]->size / Memory::kPageSize;
}

// divide(a, b) = a / b, trapping on zero.
int32_t Divide(AotContext* ctx, int32_t a, int32_t b) {
  if (b == 0) rivet_aot_trap(ctx, aot::kAotTrapIntegerDivideByZero);
  return a / b;
}
void DivideEntry(AotContext* ctx, uint64_t* slots) {
  slots[0] = static_cast<uint32_t>(Divide(ctx, SlotI32(slots[0]), SlotI32(slots[1])));
}
// bad_trap() traps with a kind the runtime does not know.
void BadTrapEntry(AotContext* ctx, uint64_t*) { rivet_aot_trap(ctx, 99); }

// call_import(x) = f0(x) + 1, f0 having no native code.
int32_t CallImportPlusOne(AotContext* ctx, int32_t x) {
  uint64_t slots[1] = {static_cast<uint32_t>(x)};
  rivet_aot_call(ctx, ctx->functions[0], slots);
  return SlotI32(slots[0]) + 1;
}
void CallImportPlusOneEntry(AotContext* ctx, uint64_t* slots) {
  slots[0] = static_cast<uint32_t>(CallImportPlusOne(ctx, SlotI32(slots[0])));
}

// call_add(a, b) = f0(a, b), directly when f0 has native code.
void CallAddEntry(AotContext* ctx, uint64_t* slots) {
  aot::AotFunc* callee = ctx->functions[0];
  if (callee->code) {
    auto* add = reinterpret_cast<int32_t (*)(AotContext*, int32_t, int32_t)>(callee->code);
    slots[0] = static_cast<uint32_t>(add(static_cast<AotContext*>(callee->context),
                                         SlotI32(slots[0]), SlotI32(slots[1])));
  } else {
    rivet_aot_call(ctx, callee, slots);
  }
}

// unreachable()
void UnreachableEntry(AotContext* ctx, uint64_t*) { rivet_aot_trap(ctx, aot::kAotTrapUnreachable); }

// recurse(n) = n, by n nested calls through the function's own AotFunc, with
// the stack check every compiled function that makes calls has.
[[gnu::noinline]] int32_t Recurse(AotContext* ctx, int32_t n) {
  volatile char frame_padding[512];
  frame_padding[0] = 1;
  if (reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) < ctx->store->stack_limit) {
    rivet_aot_trap(ctx, aot::kAotTrapCallStackExhausted);
  }
  if (n == 0) return 0;
  aot::AotFunc* self = ctx->functions[0];
  auto* code = reinterpret_cast<int32_t (*)(AotContext*, int32_t)>(self->code);
  return code(static_cast<AotContext*>(self->context), n - 1) + frame_padding[0];
}
void RecurseEntry(AotContext* ctx, uint64_t* slots) {
  slots[0] = static_cast<uint32_t>(Recurse(ctx, SlotI32(slots[0])));
}

// start(): stores 42 at address 0.
void StartEntry(AotContext* ctx, uint64_t*) { ctx->memories[0]->base[0] = 42; }

// --- Modules ------------------------------------------------------------------------

// "add" (f0) and "divide" (f1), "bad_trap" (f2); the wasm bodies say the
// same as the native code, which is what runs.
Bytes ArithmeticModule() {
  ModuleBuilder b;
  uint32_t ii_i = b.AddType({kI32, kI32}, {kI32});
  uint32_t v_v = b.AddType({}, {});
  b.AddExport("add", kExternFunc,
              b.AddFunction(ii_i, Cat(LocalGet(0), LocalGet(1), kI32Add, kEnd)));
  b.AddExport("divide", kExternFunc,
              b.AddFunction(ii_i, Cat(LocalGet(0), LocalGet(1), kI32DivS, kEnd)));
  b.AddExport("bad_trap", kExternFunc, b.AddFunction(v_v, Cat(kUnreachable, kEnd)));
  b.AddCustom("name", FunctionNames({{0, "add"}, {1, "divide"}}));
  return b.Build();
}
std::shared_ptr<TestCode> ArithmeticCode() {
  auto code = std::make_shared<TestCode>();
  code->Define(0, Address(Add), Address(AddEntry))
      .Define(1, Address(Divide), Address(DivideEntry))
      .Define(2, nullptr, Address(BadTrapEntry));
  return code;
}

// f0 imported "env" "f" (i32) -> i32; "call_import" (f1) calls it.
Bytes ImportCallerModule() {
  ModuleBuilder b;
  uint32_t i_i = b.AddType({kI32}, {kI32});
  b.ImportFunction("env", "f", i_i);
  b.AddExport("call_import", kExternFunc,
              b.AddFunction(i_i, Cat(LocalGet(0), Call(0), I32Const(1), kI32Add, kEnd)));
  return b.Build();
}
std::shared_ptr<TestCode> ImportCallerCode() {
  auto code = std::make_shared<TestCode>();
  code->Define(1, Address(CallImportPlusOne), Address(CallImportPlusOneEntry));
  return code;
}

FuncType I32ToI32() { return FuncType({I32}, {I32}); }
FuncType I32I32ToI32() { return FuncType({I32, I32}, {I32}); }

// --- Tests -------------------------------------------------------------------------

TEST(AotRuntimeTest, InvokeEntersNativeCode) {
  Store store;
  Instance* instance = InstantiateNative(store, ArithmeticModule(), ArithmeticCode());
  ASSERT_NE(instance, nullptr);
  FuncInstance* add = ExportedFunc(instance, "add");
  int calls_before = native_add_calls;
  EXPECT_TRUE(Returns(CallFunc(store, add, {I32Slot(2), I32Slot(40)}), {42}));
  EXPECT_TRUE(Returns(CallFunc(store, add, {I32Slot(-5), I32Slot(3)}), {I32Slot(-2)}));
  EXPECT_EQ(native_add_calls, calls_before + 2);
  EXPECT_FALSE(aot::InNativeCode());
}

TEST(AotRuntimeTest, FunctionsAndContextFollowTheContract) {
  Store store;
  Instance* instance = InstantiateNative(store, ArithmeticModule(), ArithmeticCode());
  ASSERT_NE(instance, nullptr);
  AotContext* ctx = instance->aot_context;
  ASSERT_NE(ctx, nullptr);
  EXPECT_EQ(ctx->instance, instance);
  EXPECT_EQ(ctx->store, &store.aot);
  FuncInstance* add = instance->functions[0];
  // A funcref (FuncInstance*) is its AotFunc*.
  EXPECT_EQ(reinterpret_cast<void*>(add), reinterpret_cast<void*>(&add->aot));
  EXPECT_EQ(ctx->functions[0], &add->aot);
  EXPECT_EQ(add->aot.code, Address(Add));
  EXPECT_EQ(add->aot.context, ctx);
  EXPECT_EQ(add->aot.type_id, CanonicalTypeId(I32I32ToI32()));
  EXPECT_EQ(ctx->type_ids[0], add->aot.type_id);
  EXPECT_EQ(ctx->type_ids[1], CanonicalTypeId(FuncType({}, {})));
  // Without rivet_func_2, compiled callers go through rivet_aot_call.
  EXPECT_EQ(instance->functions[2]->aot.code, nullptr);
  EXPECT_EQ(instance->functions[2]->aot.context, nullptr);
  // Names and indices stay, for backtraces.
  EXPECT_EQ(add->instance, instance);
  EXPECT_EQ(add->index, 0u);
}

TEST(AotRuntimeTest, InterpretedInstanceHasNoContext) {
  Store store;
  Instance* instance = InstantiateOk(store, ArithmeticModule());
  ASSERT_NE(instance, nullptr);
  EXPECT_EQ(instance->aot_context, nullptr);
  EXPECT_EQ(instance->functions[0]->aot.code, nullptr);
  EXPECT_EQ(instance->functions[0]->aot.type_id, CanonicalTypeId(I32I32ToI32()));
}

TEST(AotRuntimeTest, TrapFromCompiledCodeUnwindsToTheEntry) {
  Store store;
  Instance* instance = InstantiateNative(store, ArithmeticModule(), ArithmeticCode());
  ASSERT_NE(instance, nullptr);
  FuncInstance* divide = ExportedFunc(instance, "divide");
  Outcome outcome = CallFunc(store, divide, {I32Slot(7), I32Slot(0)});
  EXPECT_TRUE(Traps(outcome, TrapKind::kIntegerDivideByZero, "integer divide by zero"));
  if (const Trap* trap = std::get_if<Trap>(&outcome)) {
    EXPECT_EQ(trap->backtrace, std::vector<std::string>{"$divide (#1)"});
  }
  EXPECT_FALSE(aot::InNativeCode());
  // The instance stays usable.
  EXPECT_TRUE(Returns(CallFunc(store, divide, {I32Slot(7), I32Slot(2)}), {3}));
}

TEST(AotRuntimeTest, UnknownTrapKindIsAHostErrorNamingIt) {
  Store store;
  Instance* instance = InstantiateNative(store, ArithmeticModule(), ArithmeticCode());
  ASSERT_NE(instance, nullptr);
  EXPECT_TRUE(Traps(CallFunc(store, ExportedFunc(instance, "bad_trap")), TrapKind::kHostError,
                    "compiled code trapped with unknown trap kind 99"));
}

TEST(AotRuntimeTest, MemoryGrowthIsVisibleToCompiledCode) {
  Store store;
  ModuleBuilder b;
  uint32_t i_i = b.AddType({kI32}, {kI32});
  uint32_t v_i = b.AddType({}, {kI32});
  b.AddMemory(1, 4);
  b.AddExport("grow", kExternFunc, b.AddFunction(i_i, Cat(LocalGet(0), kMemoryGrowOp, 0, kEnd)));
  b.AddExport("pages", kExternFunc, b.AddFunction(v_i, Cat(kMemorySizeOp, 0, kEnd)));
  b.AddExport("mem", kExternMemory, 0);
  auto code = std::make_shared<TestCode>();
  code->Define(0, Address(Grow), Address(GrowEntry)).Define(1, nullptr, Address(PagesEntry));
  Instance* instance = InstantiateNative(store, b.Build(), code);
  ASSERT_NE(instance, nullptr);
  Memory* memory = instance->memories[0];
  EXPECT_EQ(instance->aot_context->memories[0], memory->aot_view());

  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "grow"), {I32Slot(2)}), {1}));
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "pages")), {3}));
  EXPECT_EQ(memory->size(), 3 * Memory::kPageSize);
  EXPECT_EQ(memory->data()[3 * Memory::kPageSize - 1], 0xab);
  // Past the maximum: -1, and nothing changes.
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "grow"), {I32Slot(2)}),
                      {I32Slot(-1)}));
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "pages")), {3}));
  // The store's page limit applies to compiled code too.
  store.limits.max_memory_pages = 3;
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "grow"), {I32Slot(1)}),
                      {I32Slot(-1)}));
}

TEST(AotRuntimeTest, CallsHostFunctionsThroughRivetAotCall) {
  Store store;
  FuncInstance* host = store.NewHostFunction(
      I32ToI32(), [](std::span<const Slot> args, std::span<Slot> results) -> std::optional<Trap> {
        results[0] = static_cast<uint32_t>(SlotI32(args[0]) * 2);
        return std::nullopt;
      });
  Instance* instance =
      InstantiateNative(store, ImportCallerModule(), ImportCallerCode(), {FuncExtern(host)});
  ASSERT_NE(instance, nullptr);
  EXPECT_EQ(instance->aot_context->functions[0], &host->aot);
  EXPECT_EQ(host->aot.code, nullptr);
  EXPECT_EQ(host->aot.type_id, CanonicalTypeId(I32ToI32()));
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "call_import"), {I32Slot(20)}),
                      {41}));
}

// A host function's trap (as WASI's proc_exit returns, carrying its exit
// code in the message) reaches the caller as it was.
TEST(AotRuntimeTest, HostTrapArrivesIntact) {
  Store store;
  FuncInstance* exit = store.NewHostFunction(
      I32ToI32(), [](std::span<const Slot> args, std::span<Slot>) -> std::optional<Trap> {
        return Trap{TrapKind::kHostError, "exit with code " + std::to_string(args[0]),
                    {"in the host"}};
      });
  Instance* instance =
      InstantiateNative(store, ImportCallerModule(), ImportCallerCode(), {FuncExtern(exit)});
  ASSERT_NE(instance, nullptr);
  Outcome outcome = CallFunc(store, ExportedFunc(instance, "call_import"), {I32Slot(7)});
  EXPECT_TRUE(Traps(outcome, TrapKind::kHostError, "exit with code 7"));
  if (const Trap* trap = std::get_if<Trap>(&outcome)) {
    EXPECT_EQ(trap->backtrace, (std::vector<std::string>{"in the host", "#1"}));
  }
  EXPECT_FALSE(aot::InNativeCode());
}

TEST(AotRuntimeTest, HostExceptionBecomesAHostError) {
  Store store;
  FuncInstance* thrower = store.NewHostFunction(
      I32ToI32(), [](std::span<const Slot>, std::span<Slot>) -> std::optional<Trap> {
        throw std::runtime_error("boom");
      });
  Instance* instance =
      InstantiateNative(store, ImportCallerModule(), ImportCallerCode(), {FuncExtern(thrower)});
  ASSERT_NE(instance, nullptr);
  EXPECT_TRUE(Traps(CallFunc(store, ExportedFunc(instance, "call_import"), {I32Slot(1)}),
                    TrapKind::kHostError, "a host function threw an exception: boom"));
}

TEST(AotRuntimeTest, CallsInterpretedFunctions) {
  Store store;
  ModuleBuilder interpreted;
  uint32_t i_i = interpreted.AddType({kI32}, {kI32});
  interpreted.AddExport("triple", kExternFunc,
                        interpreted.AddFunction(i_i, Cat(LocalGet(0), I32Const(3), kI32Mul, kEnd)));
  interpreted.AddExport("fail", kExternFunc, interpreted.AddFunction(i_i, Cat(kUnreachable, kEnd)));
  Instance* wasm = InstantiateOk(store, interpreted.Build());
  ASSERT_NE(wasm, nullptr);

  Instance* caller = InstantiateNative(store, ImportCallerModule(), ImportCallerCode(),
                                       {FuncExtern(ExportedFunc(wasm, "triple"))});
  ASSERT_NE(caller, nullptr);
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(caller, "call_import"), {I32Slot(5)}), {16}));

  Instance* failing = InstantiateNative(store, ImportCallerModule(), ImportCallerCode(),
                                        {FuncExtern(ExportedFunc(wasm, "fail"))});
  ASSERT_NE(failing, nullptr);
  Outcome outcome = CallFunc(store, ExportedFunc(failing, "call_import"), {I32Slot(5)});
  EXPECT_TRUE(Traps(outcome, TrapKind::kUnreachable, "unreachable"));
  if (const Trap* trap = std::get_if<Trap>(&outcome)) {
    EXPECT_EQ(trap->backtrace, (std::vector<std::string>{"#1", "#1"}));
  }
}

TEST(AotRuntimeTest, InterpretedCodeCallsCompiledFunctions) {
  Store store;
  Instance* native = InstantiateNative(store, ArithmeticModule(), ArithmeticCode());
  ASSERT_NE(native, nullptr);
  ModuleBuilder b;
  uint32_t ii_i = b.AddType({kI32, kI32}, {kI32});
  b.ImportFunction("native", "add", ii_i);
  b.ImportFunction("native", "divide", ii_i);
  b.AddExport("add_twice", kExternFunc,
              b.AddFunction(ii_i, Cat(LocalGet(0), LocalGet(1), Call(0), LocalGet(1), Call(0),
                                      kEnd)));
  b.AddExport("divide", kExternFunc, b.AddFunction(ii_i, Cat(LocalGet(0), LocalGet(1), Call(1),
                                                             kEnd)));
  Instance* interpreted =
      InstantiateOk(store, b.Build(),
                    {FuncExtern(ExportedFunc(native, "add")),
                     FuncExtern(ExportedFunc(native, "divide"))});
  ASSERT_NE(interpreted, nullptr);
  int calls_before = native_add_calls;
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(interpreted, "add_twice"), {I32Slot(1),
                                                                              I32Slot(10)}),
                      {21}));
  EXPECT_EQ(native_add_calls, calls_before + 2);
  Outcome outcome =
      CallFunc(store, ExportedFunc(interpreted, "divide"), {I32Slot(1), I32Slot(0)});
  EXPECT_TRUE(Traps(outcome, TrapKind::kIntegerDivideByZero, "integer divide by zero"));
  if (const Trap* trap = std::get_if<Trap>(&outcome)) {
    EXPECT_EQ(trap->backtrace, (std::vector<std::string>{"$divide (#1)", "#3"}));
  }
}

TEST(AotRuntimeTest, CompiledCodeCallsAcrossInstancesDirectly) {
  Store store;
  Instance* first = InstantiateNative(store, ArithmeticModule(), ArithmeticCode());
  ASSERT_NE(first, nullptr);
  ModuleBuilder b;
  uint32_t ii_i = b.AddType({kI32, kI32}, {kI32});
  b.ImportFunction("first", "add", ii_i);
  b.AddExport("call_add", kExternFunc,
              b.AddFunction(ii_i, Cat(LocalGet(0), LocalGet(1), Call(0), kEnd)));
  auto code = std::make_shared<TestCode>();
  code->Define(1, nullptr, Address(CallAddEntry));
  Instance* second =
      InstantiateNative(store, b.Build(), code, {FuncExtern(ExportedFunc(first, "add"))});
  ASSERT_NE(second, nullptr);
  aot::AotFunc* imported = second->aot_context->functions[0];
  EXPECT_EQ(imported->code, Address(Add));
  EXPECT_EQ(imported->context, first->aot_context);
  int calls_before = native_add_calls;
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(second, "call_add"), {I32Slot(3),
                                                                         I32Slot(4)}),
                      {7}));
  EXPECT_EQ(native_add_calls, calls_before + 1);
}

// A host function called from compiled code calls back into compiled code
// that traps: the trap unwinds to the inner entry only, and the host
// function decides what the outer call sees.
TEST(AotRuntimeTest, ReentryFromAHostFunction) {
  Store store;
  FuncInstance* inner = nullptr;  // set once the instance exists
  bool pass_trap_on = true;
  std::optional<Trap> inner_trap;
  FuncInstance* reenter = store.NewHostFunction(
      I32ToI32(),
      [&](std::span<const Slot> args, std::span<Slot> results) -> std::optional<Trap> {
        EXPECT_TRUE(aot::InNativeCode());
        Outcome outcome = Invoke(store, inner, {});
        if (Trap* trap = std::get_if<Trap>(&outcome)) {
          inner_trap = *trap;
          if (pass_trap_on) return Trap{TrapKind::kHostError, "inner call: " + trap->message};
        }
        results[0] = args[0] + 100;
        return std::nullopt;
      });
  ModuleBuilder b;
  uint32_t i_i = b.AddType({kI32}, {kI32});
  uint32_t v_v = b.AddType({}, {});
  b.ImportFunction("env", "reenter", i_i);
  b.AddExport("call_import", kExternFunc,
              b.AddFunction(i_i, Cat(LocalGet(0), Call(0), I32Const(1), kI32Add, kEnd)));
  b.AddExport("unreachable", kExternFunc, b.AddFunction(v_v, Cat(kUnreachable, kEnd)));
  auto code = std::make_shared<TestCode>();
  code->Define(1, Address(CallImportPlusOne), Address(CallImportPlusOneEntry))
      .Define(2, nullptr, Address(UnreachableEntry));
  Instance* instance = InstantiateNative(store, b.Build(), code, {FuncExtern(reenter)});
  ASSERT_NE(instance, nullptr);
  inner = ExportedFunc(instance, "unreachable");
  FuncInstance* outer = ExportedFunc(instance, "call_import");

  EXPECT_TRUE(Traps(CallFunc(store, outer, {I32Slot(1)}), TrapKind::kHostError,
                    "inner call: unreachable"));
  ASSERT_TRUE(inner_trap.has_value());
  EXPECT_EQ(inner_trap->kind, TrapKind::kUnreachable);
  EXPECT_EQ(inner_trap->backtrace, std::vector<std::string>{"#2"});

  // The host function handles the inner trap: the outer call goes on.
  pass_trap_on = false;
  inner_trap.reset();
  EXPECT_TRUE(Returns(CallFunc(store, outer, {I32Slot(1)}), {102}));
  EXPECT_TRUE(inner_trap.has_value());
  EXPECT_FALSE(aot::InNativeCode());
  EXPECT_TRUE(Traps(CallFunc(store, inner), TrapKind::kUnreachable, "unreachable"));
}

Bytes RecursionModule() {
  ModuleBuilder b;
  uint32_t i_i = b.AddType({kI32}, {kI32});
  b.AddExport("recurse", kExternFunc, b.AddFunction(i_i, Cat(LocalGet(0), kEnd)));
  return b.Build();
}

// Runs `body` on a new thread with a `stack_bytes` stack.
void RunOnThread(size_t stack_bytes, std::function<void()> body) {
  pthread_attr_t attributes;
  ASSERT_EQ(pthread_attr_init(&attributes), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attributes, stack_bytes), 0);
  pthread_t thread;
  auto run = [](void* arg) -> void* {
    (*static_cast<std::function<void()>*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attributes, run, &body), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attributes);
}

TEST(AotRuntimeTest, DeepRecursionExhaustsTheCallStack) {
  Store store;
  auto code = std::make_shared<TestCode>();
  code->Define(0, Address(Recurse), Address(RecurseEntry));
  Instance* instance = InstantiateNative(store, RecursionModule(), code);
  ASSERT_NE(instance, nullptr);
  FuncInstance* recurse = ExportedFunc(instance, "recurse");
  EXPECT_TRUE(Returns(CallFunc(store, recurse, {I32Slot(1000)}), {1000}));

  for (size_t stack_bytes : {size_t{1} << 20, size_t{4} << 20}) {
    SCOPED_TRACE(stack_bytes);
    uintptr_t limit = 0;
    RunOnThread(stack_bytes, [&] {
      Outcome outcome =
          CallFunc(store, recurse, {I32Slot(std::numeric_limits<int32_t>::max())});
      EXPECT_TRUE(Traps(outcome, TrapKind::kCallStackExhausted, "call stack exhausted"));
      limit = store.aot.stack_limit;
      EXPECT_EQ(limit, aot::ThreadStackLimit());
      // The thread can call again after unwinding.
      EXPECT_TRUE(Returns(CallFunc(store, recurse, {I32Slot(100)}), {100}));
      EXPECT_FALSE(aot::InNativeCode());
    });
    // Each thread has its own limit, on its own stack.
    EXPECT_NE(limit, 0u);
    EXPECT_NE(limit, aot::ThreadStackLimit());
  }
}

TEST(AotRuntimeTest, StartFunctionRunsNatively) {
  Store store;
  ModuleBuilder b;
  uint32_t v_v = b.AddType({}, {});
  b.AddMemory(1);
  b.SetStart(b.AddFunction(v_v, Cat(I32Const(0), I32Const(42), kI32Store8, 0, 0, kEnd)));
  auto code = std::make_shared<TestCode>();
  code->Define(0, nullptr, Address(StartEntry));
  Instance* instance = InstantiateNative(store, b.Build(), code);
  ASSERT_NE(instance, nullptr);
  EXPECT_EQ(instance->memories[0]->data()[0], 42);
}

TEST(AotRuntimeTest, MissingEntryOfAnExportIsALinkError) {
  Store store;
  auto code = std::make_shared<TestCode>();
  code->Define(0, Address(Add), Address(AddEntry)).Define(1, Address(Divide), nullptr);
  auto module = Decode(ArithmeticModule());
  ASSERT_NE(module, nullptr);
  InstantiateOptions options;
  options.native_code = code;
  auto result = Instantiate(store, module, {}, options);
  ASSERT_TRUE(std::holds_alternative<InstantiateError>(result));
  const InstantiateError& error = std::get<InstantiateError>(result);
  EXPECT_TRUE(error.link_error);
  EXPECT_EQ(error.trap.message,
            "the native code has no rivet_entry_1 for exported function $divide (#1)");
}

// A function only compiled code reaches (no entry wrapper) that the host
// calls anyway, through a table, gets a host error rather than a crash.
TEST(AotRuntimeTest, FunctionWithoutEntryTrapsWhenTheHostCallsIt) {
  Store store;
  ModuleBuilder b;
  uint32_t ii_i = b.AddType({kI32, kI32}, {kI32});
  uint32_t f = b.AddFunction(ii_i, Cat(LocalGet(0), LocalGet(1), kI32Add, kEnd));
  b.AddTable(kFuncRef, 1);
  b.AddActiveElem(0, {f});
  b.AddExport("table", kExternTable, 0);
  auto code = std::make_shared<TestCode>();
  code->Define(0, Address(Add), nullptr);
  Instance* instance = InstantiateNative(store, b.Build(), code);
  ASSERT_NE(instance, nullptr);
  auto* func = reinterpret_cast<FuncInstance*>(instance->tables[0]->elements[0]);
  EXPECT_EQ(func->aot.code, Address(Add));
  EXPECT_TRUE(Traps(CallFunc(store, func, {I32Slot(1), I32Slot(2)}), TrapKind::kHostError,
                    "function #0 cannot be called from the host: its native code has no "
                    "rivet_entry_0"));
}

}  // namespace
}  // namespace rivet::runtime_test
