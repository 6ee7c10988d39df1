// Tests of the C++ embedding API (runtime/rivet.hh, namespace rivet::api):
// modules and Expected errors, host functions from lambdas, calls and
// CallResult traps, instantiation errors, Memory/Global/Table wrappers and
// the store's limits. Modules are assembled with tests/loader/wasm_builder.h.
//
// Tests marked "Regression (fixed)" pin down differences between what rivet.hh
// promised and what it once did.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/rivet.hh"
#include "tests/api/api_test_util.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::api_test {
namespace {

namespace api = ::rivet::api;
using Values = std::vector<api::Value>;
using HostOutcome = std::variant<Values, api::Trap>;

// The results of a call that must not trap (empty after a test failure).
Values Ok(api::CallResult outcome) {
  if (const auto* trap = std::get_if<api::Trap>(&outcome)) {
    ADD_FAILURE() << "unexpected trap: " << trap->message;
    return {};
  }
  return std::get<Values>(std::move(outcome));
}

// The trap of a call that must trap.
api::Trap Trapped(api::CallResult outcome) {
  if (auto* trap = std::get_if<api::Trap>(&outcome)) return std::move(*trap);
  ADD_FAILURE() << "the call returned";
  return {};
}

api::Module Load(const Bytes& bytes) {
  api::Expected<api::Module> module = api::Module::Load(bytes);
  if (!module) {
    ADD_FAILURE() << "module does not load: " << module.error().message;
    std::abort();
  }
  return std::move(*module);
}

api::Instance Instantiate(api::Store& store, const api::Module& module,
                          const std::vector<api::Extern>& imports = {}) {
  api::Expected<api::Instance> instance = store.Instantiate(module, imports);
  if (!instance) {
    ADD_FAILURE() << "instantiation failed: " << instance.error().message;
    std::abort();
  }
  return *instance;
}

// The guest of these tests:
//   import host.log(ptr, len), host.add(a, b) -> a + b
//   greet(): host.log("hello, host", 11)
//   sum(n): host.add applied n times (1 + 2 + ... + n)
//   div(a, b) = a / b (traps on b == 0), via helper $inner
//   memory (1 page, max 2), exported with "hello, host" at 16
//   counter: mutable i32 global; limit: immutable i64 global 7
//   table: funcref table of 2 with div at 0
Bytes GuestModule() {
  ModuleBuilder b;
  uint32_t t_log = b.AddType({kI32, kI32}, {});
  uint32_t t_add = b.AddType({kI32, kI32}, {kI32});
  uint32_t t_void = b.AddType({}, {});
  uint32_t t_sum = b.AddType({kI32}, {kI32});
  uint32_t log = b.ImportFunction("host", "log", t_log);  // #0
  uint32_t add = b.ImportFunction("host", "add", t_add);  // #1
  b.AddMemory(1, 2);
  b.AddActiveData(16, Str("hello, host"));
  uint32_t counter = b.AddGlobal(kI32, true, Expr(I32Const(0)));
  uint32_t limit = b.AddGlobal(kI64, false, Expr(I64Const(7)));
  b.AddTable(kFuncRef, 2);
  uint32_t greet = b.AddFunction(t_void, Cat(I32Const(16), I32Const(11), Call(log), kEnd));  // #2
  // sum(n): locals 1 acc, 2 i; loop while i < n: i += 1; acc = add(acc, i)
  uint32_t sum = b.AddFunction(
      t_sum,
      Cat(Block(kVoid), LocalGet(0), kI32Eqz, BrIf(0), Loop(kVoid), LocalGet(1), LocalGet(2),
          I32Const(1), kI32Add, LocalTee(2), Call(add), LocalSet(1), LocalGet(2), LocalGet(0),
          kI32LtU, BrIf(0), kEnd, kEnd, LocalGet(1), kEnd),
      {{2, kI32}});                                                                   // #3
  uint32_t inner = b.AddFunction(t_add, Cat(LocalGet(0), LocalGet(1), kI32DivS, kEnd));  // #4
  uint32_t div = b.AddFunction(t_add, Cat(LocalGet(0), LocalGet(1), Call(inner), kEnd));  // #5
  b.AddActiveElem(0, {div});
  b.AddExport("greet", kExternFunc, greet);
  b.AddExport("sum", kExternFunc, sum);
  b.AddExport("div", kExternFunc, div);
  b.AddExport("memory", kExternMemory, 0);
  b.AddExport("counter", kExternGlobal, counter);
  b.AddExport("limit", kExternGlobal, limit);
  b.AddExport("table", kExternTable, 0);
  b.AddCustom("name", FunctionNames({{0, "log"}, {1, "add"}, {2, "greet"}, {3, "sum"},
                                     {4, "inner"}, {5, "div"}}));
  return b.Build();
}

const api::ValKind kTwoI32[] = {RIVET_I32, RIVET_I32};
const api::ValKind kOneI32[] = {RIVET_I32};

// The guest instantiated with lambdas for host.log and host.add.
struct Guest {
  api::Store store;
  std::vector<std::string> logged;
  int add_calls = 0;
  std::optional<api::Memory> memory;
  std::optional<api::Instance> instance;

  Guest() {
    api::Module module = Load(GuestModule());
    api::Func log = store.NewFunc(kTwoI32, {}, [this](std::span<const api::Value> args) -> HostOutcome {
      std::optional<std::string> text = memory->ReadString(static_cast<uint32_t>(args[0].of.i32),
                                                           static_cast<uint32_t>(args[1].of.i32));
      if (!text) return api::Trap{RIVET_TRAP_HOST, "log: out of bounds", {}};
      logged.push_back(*text);
      return Values{};
    });
    api::Func add = store.NewFunc(kTwoI32, kOneI32, [this](std::span<const api::Value> args) -> HostOutcome {
      ++add_calls;
      return Values{api::I32(args[0].of.i32 + args[1].of.i32)};
    });
    instance = Instantiate(store, module, {log, add});
    memory = instance->GetMemory("memory");
  }
  api::Func Export(const char* name) {
    std::optional<api::Func> f = instance->GetFunc(name);
    if (!f) {
      ADD_FAILURE() << "no function " << name;
      std::abort();
    }
    return *f;
  }
};

// --- Modules ------------------------------------------------------------------------

TEST(CppApiModuleTest, LoadListsImportsAndExports) {
  api::Module module = Load(GuestModule());
  std::vector<api::Module::ImportDesc> imports = module.Imports();
  ASSERT_EQ(imports.size(), 2u);
  EXPECT_EQ(imports[0].module, "host");
  EXPECT_EQ(imports[0].name, "log");
  EXPECT_EQ(imports[0].kind, RIVET_EXTERN_FUNC);
  EXPECT_EQ(imports[1].name, "add");
  std::vector<api::Module::ExportDesc> exports = module.Exports();
  ASSERT_EQ(exports.size(), 7u);
  EXPECT_EQ(exports[0].name, "greet");
  EXPECT_EQ(exports[3].name, "memory");
  EXPECT_EQ(exports[3].kind, RIVET_EXTERN_MEMORY);
  EXPECT_EQ(exports[4].kind, RIVET_EXTERN_GLOBAL);
  EXPECT_EQ(exports[6].kind, RIVET_EXTERN_TABLE);
}

TEST(CppApiModuleTest, LoadErrorsComeBackInExpected) {
  const uint8_t garbage[] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01};
  api::Expected<api::Module> module = api::Module::Load(garbage);
  ASSERT_FALSE(module);
  EXPECT_TRUE(Contains(module.error().message, "type section"));
  EXPECT_TRUE(Contains(module.error().message, "offset 0x"));
  api::Expected<api::Module> empty = api::Module::Load({});
  EXPECT_FALSE(empty);
  EXPECT_FALSE(empty.error().message.empty());
}

// --- Host functions and calls ---------------------------------------------------------

TEST(CppApiFuncTest, LambdaHostFunctionsCalledFromWasm) {
  Guest guest;
  Ok(guest.Export("greet").Call(guest.store, Values{}));
  EXPECT_EQ(guest.logged, std::vector<std::string>{"hello, host"});
  Values r = Ok(guest.Export("sum").Call(guest.store, Values{api::I32(10)}));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].kind, RIVET_I32);
  EXPECT_EQ(r[0].of.i32, 55);
  EXPECT_EQ(guest.add_calls, 10);
}

TEST(CppApiFuncTest, HostFunctionWithEveryNumericKindCalledDirectly) {
  api::Store store;
  const api::ValKind kinds[] = {RIVET_I32, RIVET_I64, RIVET_F32, RIVET_F64, RIVET_EXTERNREF};
  std::vector<api::Value> seen;
  api::Func f = store.NewFunc(kinds, kinds, [&](std::span<const api::Value> args) -> HostOutcome {
    seen.assign(args.begin(), args.end());
    return Values{api::I32(args[0].of.i32 + 1), api::I64(args[1].of.i64 * 2),
                  api::F32(args[2].of.f32 / 2), api::F64(-args[3].of.f64),
                  api::ExternRef(args[4].of.ref)};
  });
  int marker;
  Values r = Ok(f.Call(store, Values{api::I32(41), api::I64(int64_t{1} << 40), api::F32(3.0f),
                                     api::F64(0.5), api::ExternRef(&marker)}));
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].of.i32, 42);
  EXPECT_EQ(r[1].of.i64, int64_t{1} << 41);
  EXPECT_EQ(r[2].kind, RIVET_F32);
  EXPECT_EQ(r[2].of.f32, 1.5f);
  EXPECT_EQ(r[3].of.f64, -0.5);
  EXPECT_EQ(r[4].kind, RIVET_EXTERNREF);
  EXPECT_EQ(r[4].of.ref, &marker);
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[3].kind, RIVET_F64);
}

TEST(CppApiFuncTest, HostTrapsComeBackAsCallResultTraps) {
  api::Store store;
  api::Func refuse = store.NewFunc(kOneI32, kOneI32, [](std::span<const api::Value>) -> HostOutcome {
    return api::Trap{RIVET_TRAP_HOST, "not today", {}};
  });
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  uint32_t imported = b.ImportFunction("host", "refuse", t);
  b.AddExport("call", kExternFunc, b.AddFunction(t, Cat(LocalGet(0), Call(imported), kEnd)));
  b.AddCustom("name", FunctionNames({{1, "call"}}));
  api::Module module = Load(b.Build());
  api::Instance instance = Instantiate(store, module, {refuse});

  api::Trap trap = Trapped(instance.GetFunc("call")->Call(store, Values{api::I32(1)}));
  EXPECT_EQ(trap.kind, RIVET_TRAP_HOST);
  EXPECT_EQ(trap.message, "not today");
  EXPECT_EQ(trap.backtrace, std::vector<std::string>{"$call (#1)"});
}

TEST(CppApiFuncTest, HostLambdaReturningTheWrongResultsTraps) {
  api::Store store;
  api::Func too_many = store.NewFunc(kOneI32, kOneI32, [](std::span<const api::Value>) -> HostOutcome {
    return Values{api::I32(1), api::I32(2)};
  });
  api::Func wrong_kind = store.NewFunc(kOneI32, kOneI32, [](std::span<const api::Value>) -> HostOutcome {
    return Values{api::F64(1.0)};
  });
  api::Trap trap = Trapped(too_many.Call(store, Values{api::I32(0)}));
  EXPECT_EQ(trap.kind, RIVET_TRAP_HOST);
  EXPECT_TRUE(Contains(trap.message, "wrong number of results"));
  trap = Trapped(wrong_kind.Call(store, Values{api::I32(0)}));
  EXPECT_EQ(trap.kind, RIVET_TRAP_HOST);
  EXPECT_TRUE(Contains(trap.message, "wrong kind"));
}

TEST(CppApiFuncTest, CallsWithWrongArgumentsTrap) {
  Guest guest;
  api::Func div = guest.Export("div");
  EXPECT_EQ(Trapped(div.Call(guest.store, Values{api::I32(1)})).kind, RIVET_TRAP_HOST);
  EXPECT_EQ(Trapped(div.Call(guest.store, Values{api::I32(1), api::F32(2)})).kind,
            RIVET_TRAP_HOST);
  Values r = Ok(div.Call(guest.store, Values{api::I32(7), api::I32(2)}));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].of.i32, 3);
}

TEST(CppApiFuncTest, WasmTrapsCarryKindMessageAndBacktrace) {
  Guest guest;
  api::Trap trap = Trapped(guest.Export("div").Call(guest.store, Values{api::I32(1), api::I32(0)}));
  EXPECT_EQ(trap.kind, RIVET_TRAP_INTEGER_DIVIDE_BY_ZERO);
  EXPECT_EQ(trap.message, "integer divide by zero");
  EXPECT_EQ(trap.backtrace, (std::vector<std::string>{"$inner (#4)", "$div (#5)"}));
  // The instance stays usable.
  EXPECT_EQ(Ok(guest.Export("sum").Call(guest.store, Values{api::I32(3)}))[0].of.i32, 6);
}

TEST(CppApiFuncTest, TheStoreOwnsAndFinallyDestroysItsLambdas) {
  auto token = std::make_shared<int>(0);
  {
    api::Store store;
    store.NewFunc({}, {}, [token](std::span<const api::Value>) -> HostOutcome { return Values{}; });
    EXPECT_EQ(token.use_count(), 2);
  }
  EXPECT_EQ(token.use_count(), 1);
}

// Regression (fixed): Store::NewFunc returns a Func holding NULL when rivet_func_new
// refuses the function (here: a parameter kind that does not exist), and it
// leaks the callable: the HostEnv it allocated is never deleted, because
// rivet_func_new registers the finalizer only on success. Expected: the
// callable is destroyed (at the latest with the store), and a way to see
// the failure (e.g. std::optional<Func> like NewMemory). Got: the lambda's
// captures are never released (use_count stays 2) and f.get() == nullptr,
// which crashes if called.
TEST(CppApiFuncTest, RefusedHostFunctionDoesNotLeakItsCallable) {
  auto token = std::make_shared<int>(0);
  {
    api::Store store;
    const api::ValKind bad[] = {static_cast<api::ValKind>(42)};
    api::Func f = store.NewFunc(bad, {}, [token](std::span<const api::Value>) -> HostOutcome {
      return Values{};
    });
    EXPECT_EQ(f.get(), nullptr);
  }
  EXPECT_EQ(token.use_count(), 1) << "the callable of a refused host function leaked";
}

// Regression (fixed): a host callable that throws leaves the interpreter's per-thread
// state behind: the exception propagates out of Func::Call (rivet.hh's
// HostEnv::Callback does not catch it, though "No exceptions" is the API's
// rule), skipping the interpreter's bookkeeping (interp::Call's nesting
// count and value stack top). After 501 such calls every call on that
// thread traps "call stack exhausted". Input: a wasm function calling a
// host lambda that throws std::runtime_error, called 600 times (exceptions
// caught by the test), then add(2, 3) on the same thread. Expected: 5 (and
// preferably each throwing call returning a RIVET_TRAP_HOST trap). Got: a
// "call stack exhausted" trap. (Runs on its own thread: the damage is
// thread-local and would otherwise break the tests that follow.)
TEST(CppApiFuncTest, HostCallableThatThrowsDoesNotBreakLaterCalls) {
  std::string outcome;
  int escaped = 0;
  std::thread([&] {
    api::Store store;
    api::Func thrower = store.NewFunc({}, {}, [](std::span<const api::Value>) -> HostOutcome {
      throw std::runtime_error("host failure");
    });
    ModuleBuilder b;
    uint32_t tv = b.AddType({}, {});
    uint32_t t_add = b.AddType({kI32, kI32}, {kI32});
    uint32_t imported = b.ImportFunction("host", "throw", tv);
    b.AddExport("call", kExternFunc, b.AddFunction(tv, Cat(Call(imported), kEnd)));
    b.AddExport("add", kExternFunc,
                b.AddFunction(t_add, Cat(LocalGet(0), LocalGet(1), kI32Add, kEnd)));
    api::Module module = Load(b.Build());
    api::Instance instance = Instantiate(store, module, {thrower});
    for (int i = 0; i < 600; ++i) {
      try {
        instance.GetFunc("call")->Call(store, Values{});
      } catch (const std::exception&) {
        ++escaped;
      }
    }
    api::CallResult r = instance.GetFunc("add")->Call(store, Values{api::I32(2), api::I32(3)});
    if (auto* trap = std::get_if<api::Trap>(&r)) {
      outcome = "trap: " + trap->message;
    } else {
      outcome = std::to_string(std::get<Values>(r)[0].of.i32);
    }
  }).join();
  EXPECT_EQ(outcome, "5") << escaped << " of 600 calls let the host's exception escape";
}

// --- Instantiation --------------------------------------------------------------------

TEST(CppApiInstanceTest, LinkErrorsComeBackInExpected) {
  api::Store store;
  api::Module module = Load(GuestModule());
  api::Expected<api::Instance> missing = store.Instantiate(module, {});
  ASSERT_FALSE(missing);
  EXPECT_TRUE(Contains(missing.error().message, "unknown import \"host\" \"log\""));

  api::Func wrong = store.NewFunc(kOneI32, {}, [](std::span<const api::Value>) -> HostOutcome {
    return Values{};
  });
  std::vector<api::Extern> imports = {wrong, wrong};
  api::Expected<api::Instance> mismatched = store.Instantiate(module, imports);
  ASSERT_FALSE(mismatched);
  EXPECT_TRUE(Contains(mismatched.error().message, "incompatible import type"));

  api::Memory memory = *store.NewMemory(1);
  imports = {memory, memory};
  api::Expected<api::Instance> wrong_kind = store.Instantiate(module, imports);
  ASSERT_FALSE(wrong_kind);
  EXPECT_TRUE(Contains(wrong_kind.error().message, "is not a function"));
}

TEST(CppApiInstanceTest, StartTrapIsAnErrorAndTheTrap) {
  ModuleBuilder b;
  uint32_t tv = b.AddType({}, {});
  b.SetStart(b.AddFunction(tv, Cat(kUnreachable, kEnd)));
  api::Module module = Load(b.Build());
  api::Store store;
  std::optional<api::Trap> trap;
  api::Expected<api::Instance> instance = store.Instantiate(module, {}, &trap);
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.error().message, "trap during instantiation: unreachable");
  ASSERT_TRUE(trap.has_value());
  EXPECT_EQ(trap->kind, RIVET_TRAP_UNREACHABLE);
  EXPECT_EQ(trap->backtrace, std::vector<std::string>{"#0"});
  // Without a place for the trap: the error alone.
  EXPECT_FALSE(store.Instantiate(module, {}));
}

TEST(CppApiInstanceTest, ExportLookupsCheckTheKind) {
  Guest guest;
  EXPECT_TRUE(guest.instance->GetFunc("sum"));
  EXPECT_FALSE(guest.instance->GetFunc("memory"));
  EXPECT_FALSE(guest.instance->GetFunc("nothing"));
  EXPECT_TRUE(guest.instance->GetMemory("memory"));
  EXPECT_FALSE(guest.instance->GetMemory("sum"));
  EXPECT_TRUE(guest.instance->GetGlobal("counter"));
  EXPECT_FALSE(guest.instance->GetGlobal("table"));
  EXPECT_TRUE(guest.instance->GetTable("table"));
  EXPECT_FALSE(guest.instance->GetTable("counter"));
}

TEST(CppApiInstanceTest, ExternsOfEveryKindLink) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {kI32});
  b.ImportFunction("env", "f", t);
  b.ImportMemory("env", "m", 1);
  b.ImportGlobal("env", "g", kI32, false);
  b.ImportTable("env", "t", kExternRef, 1);
  // get() = f() + g + memory[0]
  b.AddExport("get", kExternFunc,
              b.AddFunction(t, Cat(Call(0), GlobalGet(0), kI32Add, I32Const(0),
                                   Mem(kI32Load, 2, 0), kI32Add, kEnd)));
  api::Module module = Load(b.Build());
  api::Store store;
  api::Func f = store.NewFunc({}, kOneI32, [](std::span<const api::Value>) -> HostOutcome {
    return Values{api::I32(100)};
  });
  api::Memory memory = *store.NewMemory(1, 1);
  const uint8_t five[] = {5, 0, 0, 0};
  ASSERT_TRUE(memory.Write(0, five));
  api::Global global = *store.NewGlobal(api::I32(20), false);
  api::Table table = *store.NewTable(RIVET_EXTERNREF, 1);
  std::vector<api::Extern> imports = {f, memory, global, table};
  EXPECT_EQ(imports[3].kind(), RIVET_EXTERN_TABLE);
  api::Instance instance = Instantiate(store, module, imports);
  EXPECT_EQ(Ok(instance.GetFunc("get")->Call(store, Values{}))[0].of.i32, 125);
}

// --- Memory, globals, tables ---------------------------------------------------------------

TEST(CppApiMemoryTest, ReadStringReadWriteAndGrow) {
  Guest guest;
  api::Memory& memory = *guest.memory;
  EXPECT_EQ(memory.size(), 65536u);
  EXPECT_EQ(memory.ReadString(16, 11), "hello, host");
  EXPECT_EQ(memory.ReadString(65536 - 2, 2), std::string(2, '\0'));
  EXPECT_EQ(memory.ReadString(65536, 0), "");
  EXPECT_EQ(memory.ReadString(65536 - 2, 3), std::nullopt);
  EXPECT_EQ(memory.ReadString(1ull << 40, 1), std::nullopt);

  const uint8_t bytes[] = {'w', 'a', 's', 'm'};
  EXPECT_TRUE(memory.Write(100, bytes));
  EXPECT_FALSE(memory.Write(65534, bytes));
  uint8_t out[4] = {};
  EXPECT_TRUE(memory.Read(100, out));
  EXPECT_EQ(std::memcmp(out, bytes, 4), 0);
  EXPECT_FALSE(memory.Read(65533, out));

  // What the host writes, wasm logs.
  const uint8_t text[] = {'b', 'y', 'e'};
  ASSERT_TRUE(memory.Write(16, text));
  Ok(guest.Export("greet").Call(guest.store, Values{}));
  EXPECT_EQ(guest.logged.back(), "byelo, host");

  EXPECT_EQ(memory.Grow(1), 1);
  EXPECT_EQ(memory.Grow(1), -1);  // the module's maximum is 2
  EXPECT_EQ(memory.size(), 2u * 65536);
  EXPECT_EQ(memory.ReadString(65536 + 10, 4), std::string(4, '\0'));
}

// Regression (fixed): Memory::ReadString builds a std::string of `size` bytes before the
// bounds check, so a guest-controlled size far past the memory throws
// (std::length_error for SIZE_MAX; a huge allocation, or std::bad_alloc,
// for sizes like 1 << 40) instead of returning std::nullopt, although
// rivet.hh says "No exceptions". Input: ReadString(0, SIZE_MAX) on a
// 1-page memory. Expected: std::nullopt. Got: std::length_error
// ("basic_string::_M_create").
TEST(CppApiMemoryTest, ReadStringOfAHugeSizeIsNulloptNotAnException) {
  Guest guest;
  std::optional<std::string> s = std::string("untouched");
  EXPECT_NO_THROW(s = guest.memory->ReadString(0, SIZE_MAX));
  EXPECT_EQ(s, std::nullopt);
}

TEST(CppApiMemoryTest, NewMemoryAndTheStoreLimit) {
  api::Store store;
  store.set_max_memory_pages(2);
  EXPECT_FALSE(store.NewMemory(3));
  EXPECT_FALSE(store.NewMemory(2, 1));
  EXPECT_FALSE(store.NewMemory(1, -1, /*shared=*/true));
  std::optional<api::Memory> memory = store.NewMemory(1);
  ASSERT_TRUE(memory);
  EXPECT_EQ(memory->Grow(2), -1);
  EXPECT_EQ(memory->Grow(1), 1);
  std::optional<api::Memory> shared = store.NewMemory(1, 2, true);
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->Grow(1), 1);

  // A module asking for more than the limit fails to instantiate.
  ModuleBuilder b;
  b.AddMemory(3);
  api::Module module = Load(b.Build());
  api::Expected<api::Instance> instance = store.Instantiate(module, {});
  ASSERT_FALSE(instance);
  EXPECT_TRUE(Contains(instance.error().message, "limit of 2"));
}

TEST(CppApiGlobalTest, GetSetAndMutability) {
  Guest guest;
  api::Global counter = *guest.instance->GetGlobal("counter");
  EXPECT_EQ(counter.Get().kind, RIVET_I32);
  EXPECT_EQ(counter.Get().of.i32, 0);
  EXPECT_TRUE(counter.Set(api::I32(9)));
  EXPECT_EQ(counter.Get().of.i32, 9);
  EXPECT_FALSE(counter.Set(api::I64(9)));  // wrong kind
  api::Global limit = *guest.instance->GetGlobal("limit");
  EXPECT_EQ(limit.Get().of.i64, 7);
  EXPECT_FALSE(limit.Set(api::I64(8)));  // immutable
  EXPECT_EQ(limit.Get().of.i64, 7);

  std::optional<api::Global> g = guest.store.NewGlobal(api::F64(2.5), true);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->Get().of.f64, 2.5);
  EXPECT_TRUE(g->Set(api::F64(-1)));
  EXPECT_EQ(g->Get().of.f64, -1.0);
  api::Value bad = api::I32(0);
  bad.kind = static_cast<api::ValKind>(77);
  EXPECT_FALSE(guest.store.NewGlobal(bad, true));
}

TEST(CppApiTableTest, GetSetAndBounds) {
  Guest guest;
  api::Table table = *guest.instance->GetTable("table");
  EXPECT_EQ(table.size(), 2u);
  std::optional<api::Value> first = table.Get(0);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->kind, RIVET_FUNCREF);
  EXPECT_EQ(first->of.ref, static_cast<void*>(guest.Export("div").get()));
  EXPECT_EQ(table.Get(1)->of.ref, nullptr);
  EXPECT_FALSE(table.Get(2));

  api::Value ref{};
  ref.kind = RIVET_FUNCREF;
  ref.of.ref = guest.Export("sum").get();
  EXPECT_TRUE(table.Set(1, ref));
  EXPECT_EQ(table.Get(1)->of.ref, static_cast<void*>(guest.Export("sum").get()));
  EXPECT_FALSE(table.Set(2, ref));
  EXPECT_FALSE(table.Set(0, api::ExternRef(nullptr)));  // wrong kind

  // A funcref read from the table is a callable Func.
  api::Func from_table(static_cast<rivet_func*>(table.Get(1)->of.ref));
  EXPECT_EQ(Ok(from_table.Call(guest.store, Values{api::I32(4)}))[0].of.i32, 10);

  EXPECT_FALSE(guest.store.NewTable(RIVET_I64, 1));
  EXPECT_FALSE(guest.store.NewTable(RIVET_FUNCREF, 2, 1));
  std::optional<api::Table> own = guest.store.NewTable(RIVET_EXTERNREF, 3, 3);
  ASSERT_TRUE(own);
  EXPECT_EQ(own->size(), 3u);
  int marker;
  EXPECT_TRUE(own->Set(2, api::ExternRef(&marker)));
  EXPECT_EQ(own->Get(2)->of.ref, &marker);
}

// --- Limits -----------------------------------------------------------------------------------

TEST(CppApiLimitsTest, FuelAndCallDepth) {
  api::Store store;
  store.set_fuel(100);
  EXPECT_EQ(store.fuel(), 100);
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  // rec(n) = n == 0 ? 0 : rec(n - 1) + 1
  b.AddExport("rec", kExternFunc,
              b.AddFunction(t, Cat(LocalGet(0), kI32Eqz, If(kI32), I32Const(0), kElse,
                                   LocalGet(0), I32Const(1), kI32Sub, Call(0), I32Const(1),
                                   kI32Add, kEnd, kEnd)));
  api::Module module = Load(b.Build());
  api::Instance instance = Instantiate(store, module);
  api::Func rec = *instance.GetFunc("rec");
  EXPECT_EQ(Ok(rec.Call(store, Values{api::I32(9)}))[0].of.i32, 9);
  EXPECT_EQ(store.fuel(), 90);
  EXPECT_EQ(Trapped(rec.Call(store, Values{api::I32(1000)})).kind, RIVET_TRAP_OUT_OF_FUEL);
  EXPECT_EQ(store.fuel(), 0);
  store.set_fuel(-1);

  store.set_max_call_depth(10);
  EXPECT_EQ(Ok(rec.Call(store, Values{api::I32(9)}))[0].of.i32, 9);
  api::Trap trap = Trapped(rec.Call(store, Values{api::I32(10)}));
  EXPECT_EQ(trap.kind, RIVET_TRAP_CALL_STACK_EXHAUSTED);
  EXPECT_EQ(trap.backtrace.size(), 10u);
}

TEST(CppApiLimitsTest, InterruptFromAnotherThread) {
  api::Store store;
  store.set_interruptible(true);
  std::atomic<bool> started{false};
  api::Func notify = store.NewFunc({}, {}, [&](std::span<const api::Value>) -> HostOutcome {
    started = true;
    return Values{};
  });
  ModuleBuilder b;
  uint32_t tv = b.AddType({}, {});
  uint32_t t_one = b.AddType({}, {kI32});
  uint32_t imported = b.ImportFunction("host", "started", tv);
  b.AddExport("spin", kExternFunc,
              b.AddFunction(tv, Cat(Call(imported), Loop(kVoid), Br(0), kEnd, kEnd)));
  b.AddExport("one", kExternFunc, b.AddFunction(t_one, Cat(I32Const(1), kEnd)));
  api::Module module = Load(b.Build());
  api::Instance instance = Instantiate(store, module, {notify});

  std::thread interrupter([&] {
    while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    store.Interrupt();
  });
  api::CallResult outcome = instance.GetFunc("spin")->Call(store, Values{});
  interrupter.join();
  api::Trap trap = Trapped(std::move(outcome));
  EXPECT_EQ(trap.kind, RIVET_TRAP_INTERRUPTED);
  EXPECT_EQ(trap.message, "interrupted");
  // Usable afterwards.
  EXPECT_EQ(Ok(instance.GetFunc("one")->Call(store, Values{}))[0].of.i32, 1);
}

// Four threads, each with its own api::Store and instance of one module.
TEST(CppApiThreadsTest, ConcurrentStores) {
  api::Module module = Load(GuestModule());
  constexpr int kThreads = 4;
  std::vector<int32_t> sums(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      api::Store store;
      auto ignore = store.NewFunc(kTwoI32, {}, [](std::span<const api::Value>) -> HostOutcome {
        return Values{};
      });
      auto add = store.NewFunc(kTwoI32, kOneI32, [](std::span<const api::Value> args) -> HostOutcome {
        return Values{api::I32(args[0].of.i32 + args[1].of.i32)};
      });
      std::vector<api::Extern> imports = {ignore, add};
      api::Expected<api::Instance> instance = store.Instantiate(module, imports);
      if (!instance) return;
      api::CallResult r = instance->GetFunc("sum")->Call(store, Values{api::I32(20000 + t)});
      if (auto* values = std::get_if<Values>(&r)) sums[t] = (*values)[0].of.i32;
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    int64_t n = 20000 + t;
    EXPECT_EQ(sums[t], static_cast<int32_t>(n * (n + 1) / 2)) << "thread " << t;
  }
}

}  // namespace
}  // namespace rivet::api_test
