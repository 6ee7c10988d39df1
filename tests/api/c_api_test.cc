// Tests of the C embedding API (runtime/rivet.h): every function it declares,
// with its error paths. Modules are assembled with tests/loader/wasm_builder.h.
//
// Tests marked "Regression (fixed)" pin down differences between what rivet.h
// promised and what the implementation once did.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/rivet.h"
#include "tests/api/api_test_util.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::api_test {
namespace {

// --- Modules used by several tests ---------------------------------------------------

// add(i32, i32) -> i32, exported as "add".
Bytes AddModule() {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32, kI32}, {kI32});
  uint32_t f = b.AddFunction(t, Cat(LocalGet(0), LocalGet(1), kI32Add, kEnd));
  b.AddExport("add", kExternFunc, f);
  return b.Build();
}

// rec(n) = n == 0 ? 0 : rec(n - 1) + 1: n + 1 wasm frames deep.
Bytes RecursionModule() {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  uint32_t f = b.AddFunction(
      t, Cat(LocalGet(0), kI32Eqz, If(kI32), I32Const(0), kElse, LocalGet(0), I32Const(1),
             kI32Sub, Call(0), I32Const(1), kI32Add, kEnd, kEnd));
  b.AddExport("rec", kExternFunc, f);
  return b.Build();
}

// count(n): a loop that runs its body n times (at least once); returns n.
Bytes CountModule() {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  uint32_t f = b.AddFunction(t,
                             Cat(Loop(kVoid), LocalGet(1), I32Const(1), kI32Add, LocalTee(1),
                                 LocalGet(0), kI32LtU, BrIf(0), kEnd, LocalGet(1), kEnd),
                             {{1, kI32}});
  b.AddExport("count", kExternFunc, f);
  return b.Build();
}

// --- Errors and traps ----------------------------------------------------------------

TEST(CApiTrapTest, NewTrapHasMessageKindHostAndNoBacktrace) {
  rivet_trap* trap = rivet_trap_new("the host says no");
  ASSERT_NE(trap, nullptr);
  EXPECT_EQ(rivet_trap_kind(trap), RIVET_TRAP_HOST);
  EXPECT_STREQ(rivet_trap_message(trap), "the host says no");
  EXPECT_EQ(rivet_trap_backtrace_size(trap), 0u);
  EXPECT_EQ(rivet_trap_backtrace_frame(trap, 0), nullptr);
  rivet_trap_delete(trap);

  trap = rivet_trap_new(nullptr);
  ASSERT_NE(trap, nullptr);
  EXPECT_STREQ(rivet_trap_message(trap), "");
  rivet_trap_delete(trap);
}

TEST(CApiTrapTest, BacktraceFrameOutOfRangeIsNull) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(RecursionModule());
  rivet_store_set_max_call_depth(store.get(), 3);
  rivet_instance* instance = InstantiateOk(store.get(), module.get());
  rivet_trap* trap = nullptr;
  rivet_val arg = ValI32(10), result{};
  trap = rivet_func_call(store.get(), ExportedFunc(instance, "rec"), &arg, 1, &result, 1);
  ASSERT_NE(trap, nullptr);
  size_t n = rivet_trap_backtrace_size(trap);
  EXPECT_EQ(n, 3u);
  for (size_t i = 0; i < n; ++i) EXPECT_STREQ(rivet_trap_backtrace_frame(trap, i), "#0");
  EXPECT_EQ(rivet_trap_backtrace_frame(trap, n), nullptr);
  EXPECT_EQ(rivet_trap_backtrace_frame(trap, SIZE_MAX), nullptr);
  rivet_trap_delete(trap);
}

// --- Modules ---------------------------------------------------------------------------

TEST(CApiModuleTest, ListsImportsAndExportsInOrder) {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  b.ImportFunction("env", "f", t);
  b.ImportTable("env", "t", kFuncRef, 1);
  b.ImportMemory("mem", "m", 1);
  b.ImportGlobal("glob", "g", kI64, true);
  uint32_t f = b.AddFunction(t, Cat(LocalGet(0), kEnd));
  uint32_t table = b.AddTable(kExternRef, 0);
  uint32_t global = b.AddGlobal(kF32, false, Expr(F32Const(1.5f)));
  b.AddExport("the_func", kExternFunc, f);
  b.AddExport("the_memory", kExternMemory, 0);
  b.AddExport("the_table", kExternTable, table);
  b.AddExport("the_global", kExternGlobal, global);
  b.AddExport("imported_func", kExternFunc, 0);
  ModulePtr module = LoadModule(b.Build());
  ASSERT_NE(module, nullptr);

  struct Item {
    std::string module, name;
    rivet_externkind kind;
  };
  std::vector<Item> expected_imports = {{"env", "f", RIVET_EXTERN_FUNC},
                                        {"env", "t", RIVET_EXTERN_TABLE},
                                        {"mem", "m", RIVET_EXTERN_MEMORY},
                                        {"glob", "g", RIVET_EXTERN_GLOBAL}};
  ASSERT_EQ(rivet_module_import_count(module.get()), expected_imports.size());
  for (size_t i = 0; i < expected_imports.size(); ++i) {
    const char *module_name = nullptr, *name = nullptr;
    rivet_externkind kind = RIVET_EXTERN_FUNC;
    rivet_module_import(module.get(), i, &module_name, &name, &kind);
    EXPECT_STREQ(module_name, expected_imports[i].module.c_str()) << i;
    EXPECT_STREQ(name, expected_imports[i].name.c_str()) << i;
    EXPECT_EQ(kind, expected_imports[i].kind) << i;
  }

  std::vector<Item> expected_exports = {{"", "the_func", RIVET_EXTERN_FUNC},
                                        {"", "the_memory", RIVET_EXTERN_MEMORY},
                                        {"", "the_table", RIVET_EXTERN_TABLE},
                                        {"", "the_global", RIVET_EXTERN_GLOBAL},
                                        {"", "imported_func", RIVET_EXTERN_FUNC}};
  ASSERT_EQ(rivet_module_export_count(module.get()), expected_exports.size());
  for (size_t i = 0; i < expected_exports.size(); ++i) {
    const char* name = nullptr;
    rivet_externkind kind = RIVET_EXTERN_FUNC;
    rivet_module_export(module.get(), i, &name, &kind);
    EXPECT_STREQ(name, expected_exports[i].name.c_str()) << i;
    EXPECT_EQ(kind, expected_exports[i].kind) << i;
  }
}

TEST(CApiModuleTest, EmptyModuleHasNoImportsOrExports) {
  ModulePtr module = LoadModule(Header());
  ASSERT_NE(module, nullptr);
  EXPECT_EQ(rivet_module_import_count(module.get()), 0u);
  EXPECT_EQ(rivet_module_export_count(module.get()), 0u);
}

TEST(CApiModuleTest, MalformedHeaderNamesTheOffset) {
  std::string error = LoadError({0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00});
  EXPECT_TRUE(Contains(error, "offset 0x0")) << error;
  error = LoadError({0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00});
  EXPECT_TRUE(Contains(error, "offset 0x4")) << error;
}

TEST(CApiModuleTest, TruncatedSectionNamesSectionAndOffset) {
  // A type section that claims 10 bytes but has 3.
  std::string error = LoadError(Cat(Header(), uint8_t{kTypeId}, 10, 1, 0x60, 0));
  EXPECT_TRUE(Contains(error, "type section")) << error;
  EXPECT_TRUE(Contains(error, "offset 0x")) << error;
}

TEST(CApiModuleTest, InvalidFunctionNamesCodeSectionFunctionAndOffset) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {kI32});
  b.AddFunction(t, Cat(F64Const(1.0), kEnd));  // returns an f64 where an i32 is due
  std::string error = LoadError(b.Build());
  EXPECT_TRUE(Contains(error, "code section")) << error;
  EXPECT_TRUE(Contains(error, "function #0")) << error;
  EXPECT_TRUE(Contains(error, "offset 0x")) << error;
  EXPECT_TRUE(Contains(error, "type mismatch")) << error;
}

TEST(CApiModuleTest, EmptyInputIsAnErrorNotACrash) {
  std::string error = LoadError({});
  EXPECT_FALSE(error.empty());
  // No bytes at all, with a size of zero: the same.
  rivet_module* module = nullptr;
  error = TakeError(rivet_module_new(nullptr, 0, &module));
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(module, nullptr);
}

TEST(CApiModuleTest, NullBytesWithSizeIsAnError) {
  rivet_module* module = reinterpret_cast<rivet_module*>(uintptr_t{1});
  std::string error = TakeError(rivet_module_new(nullptr, 100, &module));
  EXPECT_TRUE(Contains(error, "no bytes")) << error;
  EXPECT_TRUE(Contains(error, "100")) << error;
  EXPECT_EQ(module, nullptr);
}

TEST(CApiModuleTest, ModuleMayBeDeletedBeforeItsInstances) {
  // Modules are independent of stores: one module in two stores, deleted
  // before the instances are used; the instances keep working.
  ModulePtr module = LoadModule(AddModule());
  StorePtr s1 = NewStore(), s2 = NewStore();
  rivet_instance* i1 = InstantiateOk(s1.get(), module.get());
  rivet_instance* i2 = InstantiateOk(s2.get(), module.get());
  module.reset();
  EXPECT_EQ(CallI32(s1.get(), ExportedFunc(i1, "add"), {2, 3}), 5);
  EXPECT_EQ(CallI32(s2.get(), ExportedFunc(i2, "add"), {-2, -3}), -5);
}

// Regression (fixed): rivet.h says "Nothing here throws or aborts", but an index past the
// end in rivet_module_import / rivet_module_export throws std::out_of_range
// (c_api.cc uses vector::at), which a C caller cannot catch. Expected: no
// exception (the header should define the result, e.g. NULL names).
TEST(CApiModuleTest, ImportOrExportIndexOutOfRangeDoesNotThrow) {
  ModulePtr module = LoadModule(AddModule());
  ASSERT_NE(module, nullptr);
  const char *module_name = nullptr, *name = nullptr;
  rivet_externkind kind;
  EXPECT_NO_THROW(rivet_module_import(module.get(), 0, &module_name, &name, &kind));
  EXPECT_NO_THROW(rivet_module_export(module.get(), 1, &name, &kind));
}

// --- Host functions and values ----------------------------------------------------------

const rivet_valkind kAllKinds[] = {RIVET_I32,  RIVET_I64,     RIVET_F32,      RIVET_F64,
                                   RIVET_V128, RIVET_FUNCREF, RIVET_EXTERNREF};
constexpr size_t kNumKinds = std::size(kAllKinds);

// Echoes its arguments as its results and records them.
struct EchoHost {
  std::vector<rivet_val> seen;
  int calls = 0;
  static rivet_trap* Callback(void* env, const rivet_val* args, size_t num_args,
                              rivet_val* results, size_t num_results) {
    auto* self = static_cast<EchoHost*>(env);
    ++self->calls;
    self->seen.assign(args, args + num_args);
    if (num_args != num_results) return rivet_trap_new("echo: counts differ");
    for (size_t i = 0; i < num_results; ++i) {
      if (results[i].kind != args[i].kind) return rivet_trap_new("echo: result kind not preset");
      results[i] = args[i];
    }
    return nullptr;
  }
};

TEST(CApiFuncTest, HostFunctionTypeAccessors) {
  StorePtr store = NewStore();
  EchoHost host;
  const rivet_valkind results[] = {RIVET_F64, RIVET_EXTERNREF};
  rivet_func* f = rivet_func_new(store.get(), kAllKinds, kNumKinds, results, 2,
                                 &EchoHost::Callback, &host, nullptr);
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(rivet_func_param_count(f), kNumKinds);
  for (size_t i = 0; i < kNumKinds; ++i) EXPECT_EQ(rivet_func_param(f, i), kAllKinds[i]);
  ASSERT_EQ(rivet_func_result_count(f), 2u);
  EXPECT_EQ(rivet_func_result(f, 0), RIVET_F64);
  EXPECT_EQ(rivet_func_result(f, 1), RIVET_EXTERNREF);
}

TEST(CApiFuncTest, ExportedFunctionTypeAccessors) {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI64, kV128, kFuncRef}, {kF32, kExternRef});
  uint32_t f = b.AddFunction(t, Cat(F32Const(0), RefNull(kExternRef), kEnd));
  b.AddExport("f", kExternFunc, f);
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(b.Build());
  rivet_func* func = ExportedFunc(InstantiateOk(store.get(), module.get()), "f");
  ASSERT_NE(func, nullptr);
  ASSERT_EQ(rivet_func_param_count(func), 3u);
  EXPECT_EQ(rivet_func_param(func, 0), RIVET_I64);
  EXPECT_EQ(rivet_func_param(func, 1), RIVET_V128);
  EXPECT_EQ(rivet_func_param(func, 2), RIVET_FUNCREF);
  ASSERT_EQ(rivet_func_result_count(func), 2u);
  EXPECT_EQ(rivet_func_result(func, 0), RIVET_F32);
  EXPECT_EQ(rivet_func_result(func, 1), RIVET_EXTERNREF);
}

TEST(CApiFuncTest, FuncNewRejectsNullCallbackAndUnknownKinds) {
  StorePtr store = NewStore();
  EXPECT_EQ(rivet_func_new(store.get(), nullptr, 0, nullptr, 0, nullptr, nullptr, nullptr),
            nullptr);
  const rivet_valkind bad[] = {static_cast<rivet_valkind>(42)};
  EXPECT_EQ(rivet_func_new(store.get(), bad, 1, nullptr, 0, &EchoHost::Callback, nullptr,
                           nullptr),
            nullptr);
  EXPECT_EQ(rivet_func_new(store.get(), nullptr, 0, bad, 1, &EchoHost::Callback, nullptr,
                           nullptr),
            nullptr);
}

// Every value kind through a host function called from wasm, bits exact:
// NaN payloads, all 16 bytes of a v128, funcref and externref identity.
TEST(CApiFuncTest, EveryValueKindPassesThroughWasmAndTheHostExactly) {
  StorePtr store = NewStore();
  EchoHost host;
  rivet_func* echo = rivet_func_new(store.get(), kAllKinds, kNumKinds, kAllKinds, kNumKinds,
                                    &EchoHost::Callback, &host, nullptr);
  ASSERT_NE(echo, nullptr);

  ModuleBuilder b;
  Bytes all = {kI32, kI64, kF32, kF64, kV128, kFuncRef, kExternRef};
  uint32_t t = b.AddType(all, all);
  uint32_t imported = b.ImportFunction("host", "echo", t);
  Bytes forward;
  for (uint32_t i = 0; i < all.size(); ++i) forward = Cat(forward, LocalGet(i));
  uint32_t f = b.AddFunction(t, Cat(forward, Call(imported), kEnd));
  b.AddExport("forward", kExternFunc, f);
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = InstantiateOk(store.get(), module.get(), {FuncExtern(echo)});
  rivet_func* forward_fn = ExportedFunc(instance, "forward");
  ASSERT_NE(forward_fn, nullptr);

  static int marker;
  const uint8_t v128[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                            0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
  const uint32_t f32_nan = 0x7fa00001;              // signalling NaN with a payload
  const uint64_t f64_nan = 0xfff4000000000123ull;   // negative signalling NaN with a payload
  std::vector<rivet_val> args = {
      ValI32(-7),
      ValI64(INT64_MIN + 5),
      ValF32Bits(f32_nan),
      ValF64Bits(f64_nan),
      ValV128(v128),
      ValRef(RIVET_FUNCREF, forward_fn),
      ValRef(RIVET_EXTERNREF, &marker),
  };
  std::vector<rivet_val> results(kNumKinds);
  TrapInfo trap = TakeTrap(rivet_func_call(store.get(), forward_fn, args.data(), args.size(),
                                           results.data(), results.size()));
  ASSERT_FALSE(trap.trapped) << trap;
  EXPECT_EQ(host.calls, 1);
  for (const std::vector<rivet_val>* vals : {&host.seen, &results}) {
    const char* what = vals == &results ? "result" : "host argument";
    ASSERT_EQ(vals->size(), kNumKinds) << what;
    for (size_t i = 0; i < kNumKinds; ++i) EXPECT_EQ((*vals)[i].kind, kAllKinds[i]) << what << i;
    EXPECT_EQ((*vals)[0].of.i32, -7) << what;
    EXPECT_EQ((*vals)[1].of.i64, INT64_MIN + 5) << what;
    EXPECT_EQ(F32Bits((*vals)[2]), f32_nan) << what;
    EXPECT_EQ(F64Bits((*vals)[3]), f64_nan) << what;
    EXPECT_EQ(std::memcmp((*vals)[4].of.v128, v128, 16), 0) << what;
    EXPECT_EQ((*vals)[5].of.ref, static_cast<void*>(forward_fn)) << what;
    EXPECT_EQ((*vals)[6].of.ref, static_cast<void*>(&marker)) << what;
  }

  // Null references, zeroes and other NaNs.
  const uint8_t zero[16] = {};
  args = {ValI32(0), ValI64(0), ValF32Bits(0xffc00000), ValF64Bits(0x7ff8000000000000ull),
          ValV128(zero), ValRef(RIVET_FUNCREF, nullptr), ValRef(RIVET_EXTERNREF, nullptr)};
  trap = TakeTrap(rivet_func_call(store.get(), forward_fn, args.data(), args.size(),
                                  results.data(), results.size()));
  ASSERT_FALSE(trap.trapped) << trap;
  EXPECT_EQ(F32Bits(results[2]), 0xffc00000u);
  EXPECT_EQ(F64Bits(results[3]), 0x7ff8000000000000ull);
  EXPECT_EQ(results[5].of.ref, nullptr);
  EXPECT_EQ(results[6].of.ref, nullptr);
}

TEST(CApiFuncTest, HostFunctionCalledDirectly) {
  StorePtr store = NewStore();
  EchoHost host;
  const rivet_valkind kinds[] = {RIVET_I64, RIVET_F64};
  rivet_func* echo =
      rivet_func_new(store.get(), kinds, 2, kinds, 2, &EchoHost::Callback, &host, nullptr);
  rivet_val args[] = {ValI64(1ll << 40), ValF64(2.5)};
  rivet_val results[2];
  TrapInfo trap = TakeTrap(rivet_func_call(store.get(), echo, args, 2, results, 2));
  ASSERT_FALSE(trap.trapped) << trap;
  EXPECT_EQ(results[0].kind, RIVET_I64);
  EXPECT_EQ(results[0].of.i64, 1ll << 40);
  EXPECT_EQ(results[1].kind, RIVET_F64);
  EXPECT_EQ(results[1].of.f64, 2.5);

  // No parameters or results: NULL arrays are fine.
  int called = 0;
  rivet_func* nothing = rivet_func_new(
      store.get(), nullptr, 0, nullptr, 0,
      +[](void* env, const rivet_val*, size_t, rivet_val*, size_t) -> rivet_trap* {
        ++*static_cast<int*>(env);
        return nullptr;
      },
      &called, nullptr);
  ASSERT_NE(nothing, nullptr);
  EXPECT_FALSE(TakeTrap(rivet_func_call(store.get(), nothing, nullptr, 0, nullptr, 0)).trapped);
  EXPECT_EQ(called, 1);
}

rivet_trap* RefuseCallback(void* env, const rivet_val*, size_t, rivet_val*, size_t) {
  return rivet_trap_new(static_cast<const char*>(env));
}

TEST(CApiFuncTest, HostTrapComesBackWithItsMessageKindAndCaller) {
  StorePtr store = NewStore();
  const rivet_valkind i32[] = {RIVET_I32};
  rivet_func* refuse = rivet_func_new(store.get(), i32, 1, i32, 1, &RefuseCallback,
                                      const_cast<char*>("permission denied"), nullptr);
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  uint32_t imported = b.ImportFunction("host", "refuse", t);
  uint32_t caller = b.AddFunction(t, Cat(LocalGet(0), Call(imported), I32Const(1), kI32Add, kEnd));
  b.AddExport("caller", kExternFunc, caller);
  b.AddCustom("name", FunctionNames({{0, "refuse"}, {1, "caller"}}));
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = InstantiateOk(store.get(), module.get(), {FuncExtern(refuse)});

  TrapInfo trap = CallTrap(store.get(), ExportedFunc(instance, "caller"), {ValI32(1)}, 1);
  EXPECT_EQ(trap.kind, RIVET_TRAP_HOST);
  EXPECT_EQ(trap.message, "permission denied");
  // The host function appears as its wasm caller.
  EXPECT_EQ(trap.backtrace, std::vector<std::string>{"$caller (#1)"});

  // Called directly: the same trap, with no wasm frames.
  trap = CallTrap(store.get(), refuse, {ValI32(1)}, 1);
  EXPECT_EQ(trap.kind, RIVET_TRAP_HOST);
  EXPECT_EQ(trap.message, "permission denied");
  EXPECT_TRUE(trap.backtrace.empty());
}

TEST(CApiFuncTest, HostResultOfTheWrongKindTraps) {
  StorePtr store = NewStore();
  const rivet_valkind i32[] = {RIVET_I32};
  rivet_func* wrong = rivet_func_new(
      store.get(), nullptr, 0, i32, 1,
      +[](void*, const rivet_val*, size_t, rivet_val* results, size_t) -> rivet_trap* {
        results[0].kind = RIVET_I64;  // the function returns an i32
        results[0].of.i64 = 5;
        return nullptr;
      },
      nullptr, nullptr);
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {kI32});
  uint32_t imported = b.ImportFunction("host", "wrong", t);
  uint32_t caller = b.AddFunction(t, Cat(Call(imported), kEnd));
  b.AddExport("caller", kExternFunc, caller);
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = InstantiateOk(store.get(), module.get(), {FuncExtern(wrong)});

  TrapInfo trap = CallTrap(store.get(), ExportedFunc(instance, "caller"), {}, 1);
  EXPECT_EQ(trap.kind, RIVET_TRAP_HOST);
  EXPECT_TRUE(Contains(trap.message, "result 0 has the wrong kind"));
  EXPECT_EQ(trap.backtrace, std::vector<std::string>{"#1"});
  trap = CallTrap(store.get(), wrong, {}, 1);
  EXPECT_EQ(trap.kind, RIVET_TRAP_HOST);
}

TEST(CApiFuncTest, WrongArgumentCountsAndKindsTrapInsteadOfCrashing) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(AddModule());
  rivet_func* add = ExportedFunc(InstantiateOk(store.get(), module.get()), "add");
  ASSERT_NE(add, nullptr);

  TrapInfo trap = CallTrap(store.get(), add, {ValI32(1)}, 1);  // too few arguments
  EXPECT_EQ(trap.kind, RIVET_TRAP_HOST);
  EXPECT_TRUE(Contains(trap.message, "(i32, i32) -> (i32)")) << trap;
  trap = CallTrap(store.get(), add, {ValI32(1), ValI32(2), ValI32(3)}, 1);  // too many
  EXPECT_EQ(trap.kind, RIVET_TRAP_HOST);
  trap = CallTrap(store.get(), add, {ValI32(1), ValI32(2)}, 0);  // no room for the result
  EXPECT_EQ(trap.kind, RIVET_TRAP_HOST);
  trap = CallTrap(store.get(), add, {ValI32(1), ValI32(2)}, 2);  // room for two
  EXPECT_EQ(trap.kind, RIVET_TRAP_HOST);
  trap = CallTrap(store.get(), add, {ValI32(1), ValI64(2)}, 1);  // an i64 for an i32
  EXPECT_EQ(trap.kind, RIVET_TRAP_HOST);
  EXPECT_TRUE(Contains(trap.message, "argument 1 should be i32")) << trap;
  trap = CallTrap(store.get(), add, {ValF32(1), ValI32(2)}, 1);
  EXPECT_TRUE(Contains(trap.message, "argument 0 should be i32")) << trap;
  rivet_val garbage = ValI32(1);
  garbage.kind = static_cast<rivet_valkind>(99);
  trap = CallTrap(store.get(), add, {garbage, ValI32(2)}, 1);
  EXPECT_EQ(trap.kind, RIVET_TRAP_HOST);

  // Still callable properly afterwards.
  EXPECT_EQ(CallI32(store.get(), add, {40, 2}), 42);
}

TEST(CApiFuncTest, FinalizersRunWithTheirEnvWhenTheStoreIsDeleted) {
  std::vector<int> finalized;
  struct Env {
    std::vector<int>* log;
    int id;
  };
  Env e1{&finalized, 1}, e2{&finalized, 2};
  auto finalize = +[](void* env) {
    auto* e = static_cast<Env*>(env);
    e->log->push_back(e->id);
  };
  rivet_store* store = rivet_store_new();
  rivet_func_new(store, nullptr, 0, nullptr, 0, &RefuseCallback, &e1, finalize);
  rivet_func_new(store, nullptr, 0, nullptr, 0, &RefuseCallback, &e2, finalize);
  rivet_func_new(store, nullptr, 0, nullptr, 0, &RefuseCallback, nullptr, nullptr);
  EXPECT_TRUE(finalized.empty());
  rivet_store_delete(store);
  std::sort(finalized.begin(), finalized.end());
  EXPECT_EQ(finalized, (std::vector<int>{1, 2}));
}

// A host function that calls back into wasm in the same store.
TEST(CApiFuncTest, HostFunctionMayCallBackIntoWasm) {
  StorePtr store = NewStore();
  struct Env {
    rivet_store* store;
    rivet_func* add = nullptr;
  } env{store.get()};
  const rivet_valkind i32[] = {RIVET_I32};
  rivet_func* twice = rivet_func_new(
      store.get(), i32, 1, i32, 1,
      +[](void* e, const rivet_val* args, size_t, rivet_val* results, size_t) -> rivet_trap* {
        auto* env = static_cast<Env*>(e);
        rivet_val add_args[] = {args[0], args[0]};
        return rivet_func_call(env->store, env->add, add_args, 2, results, 1);
      },
      &env, nullptr);
  ModuleBuilder b;
  uint32_t t1 = b.AddType({kI32}, {kI32});
  uint32_t t2 = b.AddType({kI32, kI32}, {kI32});
  uint32_t imported = b.ImportFunction("host", "twice", t1);
  uint32_t add = b.AddFunction(t2, Cat(LocalGet(0), LocalGet(1), kI32Add, kEnd));
  uint32_t quad = b.AddFunction(t1, Cat(LocalGet(0), Call(imported), Call(imported), kEnd));
  b.AddExport("add", kExternFunc, add);
  b.AddExport("quad", kExternFunc, quad);
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = InstantiateOk(store.get(), module.get(), {FuncExtern(twice)});
  env.add = ExportedFunc(instance, "add");
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(instance, "quad"), {5}), 20);
}

TEST(CApiFuncTest, FuncrefFromWasmIsACallableFunc) {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32, kI32}, {kI32});
  uint32_t tr = b.AddType({}, {kFuncRef});
  uint32_t add = b.AddFunction(t, Cat(LocalGet(0), LocalGet(1), kI32Add, kEnd));
  uint32_t get = b.AddFunction(tr, Cat(RefFunc(add), kEnd));
  b.AddDeclarativeElem({add});
  b.AddExport("add", kExternFunc, add);
  b.AddExport("get", kExternFunc, get);
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = InstantiateOk(store.get(), module.get());
  rivet_val ref{};
  TrapInfo trap =
      TakeTrap(rivet_func_call(store.get(), ExportedFunc(instance, "get"), nullptr, 0, &ref, 1));
  ASSERT_FALSE(trap.trapped) << trap;
  EXPECT_EQ(ref.kind, RIVET_FUNCREF);
  EXPECT_EQ(ref.of.ref, static_cast<void*>(ExportedFunc(instance, "add")));
  EXPECT_EQ(CallI32(store.get(), static_cast<rivet_func*>(ref.of.ref), {20, 22}), 42);
}

// A host function that grows the caller's memory (so that its bytes move):
// the caller sees the new size and the bytes the host wrote there.
TEST(CApiFuncTest, MemoryGrownByAHostFunctionIsSeenByItsCaller) {
  ModuleBuilder b;
  uint32_t tv = b.AddType({}, {});
  uint32_t t_get = b.AddType({}, {kI32});
  uint32_t host_index = b.ImportFunction("host", "grow", tv);
  b.AddMemory(1);
  b.AddExport("memory", kExternMemory, 0);
  // f() = { host.grow(); return load(16 * 65536 + 4) + memory.size }
  b.AddExport("f", kExternFunc,
              b.AddFunction(t_get, Cat(Call(host_index), I32Const(16 * 65536 + 4),
                                       Mem(kI32Load, 2, 0), kMemorySizeOp, 0, kI32Add, kEnd)));
  StorePtr store = NewStore();
  rivet_memory* memory = nullptr;
  rivet_func* grow = rivet_func_new(
      store.get(), nullptr, 0, nullptr, 0,
      +[](void* env, const rivet_val*, size_t, rivet_val*, size_t) -> rivet_trap* {
        rivet_memory* m = *static_cast<rivet_memory**>(env);
        if (rivet_memory_grow(m, 31) != 1) return rivet_trap_new("grow failed");
        int32_t value = 1000;
        if (!rivet_memory_write(m, 16 * 65536 + 4, &value, 4)) return rivet_trap_new("write");
        return nullptr;
      },
      &memory, nullptr);
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = InstantiateOk(store.get(), module.get(), {FuncExtern(grow)});
  memory = ExportedMemory(instance, "memory");
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(instance, "f"), {}), 1032);
}

// --- Traps raised by wasm ---------------------------------------------------------------------

TEST(CApiTrapTest, WasmTrapKindsAndMessages) {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32, kI32}, {kI32});
  uint32_t div = b.AddFunction(t, Cat(LocalGet(0), LocalGet(1), kI32DivS, kEnd));
  uint32_t load = b.AddFunction(t, Cat(LocalGet(0), Mem(kI32Load, 2, 0), kEnd));
  uint32_t unreachable = b.AddFunction(t, Cat(kUnreachable, kEnd));
  b.AddMemory(1);
  b.AddExport("div", kExternFunc, div);
  b.AddExport("load", kExternFunc, load);
  b.AddExport("unreachable", kExternFunc, unreachable);
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = InstantiateOk(store.get(), module.get());

  TrapInfo trap = CallTrap(store.get(), ExportedFunc(instance, "div"), {ValI32(1), ValI32(0)}, 1);
  EXPECT_EQ(trap.kind, RIVET_TRAP_INTEGER_DIVIDE_BY_ZERO);
  EXPECT_EQ(trap.message, "integer divide by zero");
  EXPECT_EQ(trap.backtrace, std::vector<std::string>{"#0"});
  trap = CallTrap(store.get(), ExportedFunc(instance, "div"), {ValI32(INT32_MIN), ValI32(-1)}, 1);
  EXPECT_EQ(trap.kind, RIVET_TRAP_INTEGER_OVERFLOW);
  EXPECT_EQ(trap.message, "integer overflow");
  trap = CallTrap(store.get(), ExportedFunc(instance, "load"), {ValI32(65533), ValI32(0)}, 1);
  EXPECT_EQ(trap.kind, RIVET_TRAP_MEMORY_OUT_OF_BOUNDS);
  EXPECT_EQ(trap.message, "out of bounds memory access");
  trap = CallTrap(store.get(), ExportedFunc(instance, "unreachable"), {ValI32(0), ValI32(0)}, 1);
  EXPECT_EQ(trap.kind, RIVET_TRAP_UNREACHABLE);
  EXPECT_EQ(trap.message, "unreachable");
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(instance, "load"), {65532, 0}), 0);
}

// Backtraces name functions from the name section, innermost first.
TEST(CApiTrapTest, BacktraceNamesFramesInnermostFirst) {
  ModuleBuilder b;
  uint32_t tv = b.AddType({}, {});
  uint32_t host_index = b.ImportFunction("host", "nop", tv);  // #0
  uint32_t inner = b.AddFunction(tv, Cat(Call(host_index), kUnreachable, kEnd));  // #1
  uint32_t middle = b.AddFunction(tv, Cat(kNop, Call(inner), kEnd));             // #2
  uint32_t outer = b.AddFunction(tv, Cat(Call(middle), kNop, kEnd));             // #3
  uint32_t anonymous = b.AddFunction(tv, Cat(Call(outer), kEnd));                 // #4
  b.AddExport("outer", kExternFunc, outer);
  b.AddExport("anonymous", kExternFunc, anonymous);
  b.AddCustom("name", Cat(ModuleName("traps"),
                          FunctionNames({{1, "inner"}, {2, "middle"}, {3, "outer"}})));
  StorePtr store = NewStore();
  rivet_func* nop = rivet_func_new(
      store.get(), nullptr, 0, nullptr, 0,
      +[](void*, const rivet_val*, size_t, rivet_val*, size_t) -> rivet_trap* { return nullptr; },
      nullptr, nullptr);
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = InstantiateOk(store.get(), module.get(), {FuncExtern(nop)});

  TrapInfo trap = CallTrap(store.get(), ExportedFunc(instance, "outer"), {}, 0);
  EXPECT_EQ(trap.kind, RIVET_TRAP_UNREACHABLE);
  EXPECT_EQ(trap.backtrace,
            (std::vector<std::string>{"$inner (#1)", "$middle (#2)", "$outer (#3)"}));
  // A function without a name is shown by its index.
  trap = CallTrap(store.get(), ExportedFunc(instance, "anonymous"), {}, 0);
  EXPECT_EQ(trap.backtrace,
            (std::vector<std::string>{"$inner (#1)", "$middle (#2)", "$outer (#3)", "#4"}));
}

// --- Instances and linking ----------------------------------------------------------------------

TEST(CApiInstanceTest, ExportLookup) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(AddModule());
  rivet_instance* instance = InstantiateOk(store.get(), module.get());
  ASSERT_NE(instance, nullptr);
  rivet_extern ext;
  EXPECT_TRUE(rivet_instance_export(instance, "add", &ext));
  EXPECT_EQ(ext.kind, RIVET_EXTERN_FUNC);
  EXPECT_FALSE(rivet_instance_export(instance, "sub", &ext));
  EXPECT_FALSE(rivet_instance_export(instance, "", &ext));
  EXPECT_FALSE(rivet_instance_export(instance, nullptr, &ext));
}

TEST(CApiInstanceTest, InstancesOfOneModuleHaveTheirOwnState) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {kI32});
  uint32_t g = b.AddGlobal(kI32, true, Expr(I32Const(0)));
  // next() = ++counter
  uint32_t f = b.AddFunction(
      t, Cat(GlobalGet(g), I32Const(1), kI32Add, GlobalSet(g), GlobalGet(g), kEnd));
  b.AddExport("next", kExternFunc, f);
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* a = InstantiateOk(store.get(), module.get());
  rivet_instance* c = InstantiateOk(store.get(), module.get());
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(a, "next"), {}), 1);
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(a, "next"), {}), 2);
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(c, "next"), {}), 1);
}

// A module with one import of each kind:
//   func "env" "f" (i32) -> i32, table "env" "t" funcref min 2,
//   memory "env" "m" min 2 max 3, global "env" "g" mutable i32.
Bytes ImportsEveryKindModule() {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  b.ImportFunction("env", "f", t);
  b.ImportTable("env", "t", kFuncRef, 2);
  b.ImportMemory("env", "m", 2, 3);
  b.ImportGlobal("env", "g", kI32, true);
  return b.Build();
}

struct EveryKindImports {
  rivet_func* f;
  rivet_table* t;
  rivet_memory* m;
  rivet_global* g;
  std::vector<rivet_extern> Externs() const {
    return {FuncExtern(f), TableExtern(t), MemoryExtern(m), GlobalExtern(g)};
  }
};

EveryKindImports MakeEveryKindImports(rivet_store* store) {
  const rivet_valkind i32[] = {RIVET_I32};
  rivet_val zero = ValI32(0);
  return {rivet_func_new(store, i32, 1, i32, 1, &EchoHost::Callback, nullptr, nullptr),
          rivet_table_new(store, RIVET_FUNCREF, 2, -1), rivet_memory_new(store, 2, 3, false),
          rivet_global_new(store, &zero, true)};
}

TEST(CApiInstanceTest, ImportsOfEveryKindLink) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(ImportsEveryKindModule());
  EveryKindImports imports = MakeEveryKindImports(store.get());
  EXPECT_NE(InstantiateOk(store.get(), module.get(), imports.Externs()), nullptr);
}

TEST(CApiInstanceTest, MissingAndSurplusImports) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(ImportsEveryKindModule());
  EveryKindImports imports = MakeEveryKindImports(store.get());
  std::vector<rivet_extern> externs = imports.Externs();

  std::string error = LinkError(store.get(), module.get(), {});
  EXPECT_TRUE(Contains(error, "unknown import \"env\" \"f\"")) << error;
  error = LinkError(store.get(), module.get(), {externs[0], externs[1]});
  EXPECT_TRUE(Contains(error, "unknown import \"env\" \"m\"")) << error;
  externs.push_back(FuncExtern(imports.f));
  error = LinkError(store.get(), module.get(), externs);
  EXPECT_TRUE(Contains(error, "5 imports given")) << error;
  // NULL imports with a count of zero: "missing", not a crash.
  rivet_instance* instance = nullptr;
  rivet_trap* trap = nullptr;
  error = TakeError(rivet_instance_new(store.get(), module.get(), nullptr, 0, &instance, &trap));
  EXPECT_TRUE(Contains(error, "unknown import")) << error;
}

TEST(CApiInstanceTest, ImportOfTheWrongKind) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(ImportsEveryKindModule());
  EveryKindImports imports = MakeEveryKindImports(store.get());
  std::vector<rivet_extern> externs = imports.Externs();
  std::swap(externs[0], externs[2]);  // a memory for the function, a function for the memory
  std::string error = LinkError(store.get(), module.get(), externs);
  EXPECT_TRUE(Contains(error, "incompatible import type")) << error;
  EXPECT_TRUE(Contains(error, "\"env\" \"f\"")) << error;

  // A NULL object, and an unknown kind: errors, not crashes.
  externs = imports.Externs();
  externs[1].of.table = nullptr;
  error = LinkError(store.get(), module.get(), externs);
  EXPECT_TRUE(Contains(error, "\"env\" \"t\"")) << error;
  externs = imports.Externs();
  externs[3].kind = static_cast<rivet_externkind>(7);
  error = LinkError(store.get(), module.get(), externs);
  EXPECT_TRUE(Contains(error, "unknown kind")) << error;
}

TEST(CApiInstanceTest, FunctionImportOfTheWrongType) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(ImportsEveryKindModule());
  EveryKindImports imports = MakeEveryKindImports(store.get());
  const rivet_valkind i64[] = {RIVET_I64};
  imports.f = rivet_func_new(store.get(), i64, 1, i64, 1, &EchoHost::Callback, nullptr, nullptr);
  std::string error = LinkError(store.get(), module.get(), imports.Externs());
  EXPECT_TRUE(Contains(error, "\"env\" \"f\" has type (i64) -> (i64), expected (i32) -> (i32)"))
      << error;
}

TEST(CApiInstanceTest, MemoryImportLimits) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(ImportsEveryKindModule());  // memory min 2 max 3
  EveryKindImports imports = MakeEveryKindImports(store.get());
  struct Case {
    uint32_t min;
    int64_t max;
    bool shared;
    bool links;
  } cases[] = {
      {2, 3, false, true},  {3, 3, false, true},  {2, 2, false, true},
      {1, 3, false, false},   // too small
      {2, -1, false, false},  // no maximum where one is required
      {2, 4, false, false},   // maximum too large
      {2, 3, true, false},    // shared where unshared is required
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("memory " + std::to_string(c.min) + ".." + std::to_string(c.max) +
                 (c.shared ? " shared" : ""));
    imports.m = rivet_memory_new(store.get(), c.min, c.max, c.shared);
    ASSERT_NE(imports.m, nullptr);
    if (c.links) {
      EXPECT_NE(InstantiateOk(store.get(), module.get(), imports.Externs()), nullptr);
    } else {
      std::string error = LinkError(store.get(), module.get(), imports.Externs());
      EXPECT_TRUE(Contains(error, "incompatible import type: memory \"env\" \"m\"")) << error;
    }
  }
  // A memory grown to fit links: its current size counts.
  imports.m = rivet_memory_new(store.get(), 1, 3, false);
  EXPECT_EQ(rivet_memory_grow(imports.m, 1), 1);
  EXPECT_NE(InstantiateOk(store.get(), module.get(), imports.Externs()), nullptr);
}

TEST(CApiInstanceTest, TableAndGlobalImportTypes) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(ImportsEveryKindModule());
  EveryKindImports imports = MakeEveryKindImports(store.get());
  EveryKindImports bad = imports;
  bad.t = rivet_table_new(store.get(), RIVET_EXTERNREF, 2, -1);
  EXPECT_TRUE(Contains(LinkError(store.get(), module.get(), bad.Externs()),
              "incompatible import type: table \"env\" \"t\""));
  bad.t = rivet_table_new(store.get(), RIVET_FUNCREF, 1, -1);
  EXPECT_TRUE(Contains(LinkError(store.get(), module.get(), bad.Externs()),
              "incompatible import type: table \"env\" \"t\""));
  bad = imports;
  rivet_val zero = ValI32(0);
  bad.g = rivet_global_new(store.get(), &zero, /*is_mutable=*/false);
  EXPECT_TRUE(Contains(LinkError(store.get(), module.get(), bad.Externs()),
              "incompatible import type: global \"env\" \"g\""));
  rivet_val zero64 = ValI64(0);
  bad.g = rivet_global_new(store.get(), &zero64, true);
  EXPECT_TRUE(Contains(LinkError(store.get(), module.get(), bad.Externs()),
              "incompatible import type: global \"env\" \"g\""));
}

// Instance A's exports imported by instance B: B calls A's functions, which
// use A's memory, directly and through a shared table.
TEST(CApiInstanceTest, ExportsOfOneInstanceLinkIntoAnother) {
  ModuleBuilder a;
  uint32_t t_store = a.AddType({kI32, kI32}, {});
  uint32_t t_load = a.AddType({kI32}, {kI32});
  a.AddMemory(1);
  a.AddTable(kFuncRef, 2);
  uint32_t a_store =
      a.AddFunction(t_store, Cat(LocalGet(0), LocalGet(1), Mem(kI32Store, 2, 0), kEnd));
  uint32_t a_load = a.AddFunction(t_load, Cat(LocalGet(0), Mem(kI32Load, 2, 0), kEnd));
  a.AddActiveElem(1, {a_load});
  a.AddExport("store", kExternFunc, a_store);
  a.AddExport("load", kExternFunc, a_load);
  a.AddExport("table", kExternTable, 0);
  a.AddExport("memory", kExternMemory, 0);

  ModuleBuilder b;
  uint32_t bt_store = b.AddType({kI32, kI32}, {});
  uint32_t bt_load = b.AddType({kI32}, {kI32});
  uint32_t imported_store = b.ImportFunction("a", "store", bt_store);
  b.ImportTable("a", "table", kFuncRef, 2);
  b.AddMemory(1);
  // run(x): a.store(8, x); own memory[8] = 5; returns a.table[1](8) * 10 + own[8]
  b.AddExport("run", kExternFunc,
              b.AddFunction(bt_load, Cat(I32Const(8), LocalGet(0), Call(imported_store),
                                         I32Const(8), I32Const(5), Mem(kI32Store, 2, 0),
                                         I32Const(8), I32Const(1), CallIndirect(bt_load),
                                         I32Const(10), kI32Mul, I32Const(8), Mem(kI32Load, 2, 0),
                                         kI32Add, kEnd)));

  StorePtr store = NewStore();
  ModulePtr module_a = LoadModule(a.Build()), module_b = LoadModule(b.Build());
  rivet_instance* ia = InstantiateOk(store.get(), module_a.get());
  rivet_instance* ib = InstantiateOk(
      store.get(), module_b.get(),
      {FuncExtern(ExportedFunc(ia, "store")), TableExtern(ExportedTable(ia, "table"))});
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(ib, "run"), {7}), 75);
  int32_t value = 0;
  ASSERT_TRUE(rivet_memory_read(ExportedMemory(ia, "memory"), 8, &value, 4));
  EXPECT_EQ(value, 7);
}

TEST(CApiInstanceTest, TrapInStartFunctionSetsTrapNotError) {
  ModuleBuilder b;
  uint32_t tv = b.AddType({}, {});
  uint32_t start = b.AddFunction(tv, Cat(kUnreachable, kEnd));
  b.SetStart(start);
  b.AddCustom("name", FunctionNames({{0, "start"}}));
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = reinterpret_cast<rivet_instance*>(uintptr_t{1});
  rivet_trap* trap = nullptr;
  rivet_error* error = rivet_instance_new(store.get(), module.get(), nullptr, 0, &instance, &trap);
  EXPECT_EQ(error, nullptr) << TakeError(error);
  EXPECT_EQ(instance, nullptr);
  TrapInfo info = TakeTrap(trap);
  ASSERT_TRUE(info.trapped);
  EXPECT_EQ(info.kind, RIVET_TRAP_UNREACHABLE);
  EXPECT_EQ(info.message, "unreachable");
  EXPECT_EQ(info.backtrace, std::vector<std::string>{"$start (#0)"});
}

TEST(CApiInstanceTest, DataSegmentOutOfBoundsTrapsAtInstantiation) {
  ModuleBuilder b;
  b.AddMemory(1);
  b.AddActiveData(65535, {1, 2});
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = nullptr;
  rivet_trap* trap = nullptr;
  EXPECT_EQ(TakeError(rivet_instance_new(store.get(), module.get(), nullptr, 0, &instance, &trap)),
            "");
  EXPECT_EQ(instance, nullptr);
  TrapInfo info = TakeTrap(trap);
  EXPECT_TRUE(info.trapped);
  EXPECT_EQ(info.kind, RIVET_TRAP_MEMORY_OUT_OF_BOUNDS);
}

TEST(CApiInstanceTest, StartFunctionRunsWithImports) {
  // start() stores 42 at address 8 of the imported memory.
  ModuleBuilder b;
  uint32_t tv = b.AddType({}, {});
  b.ImportMemory("env", "m", 1);
  uint32_t start = b.AddFunction(tv, Cat(I32Const(8), I32Const(42), Mem(kI32Store, 2, 0), kEnd));
  b.SetStart(start);
  StorePtr store = NewStore();
  rivet_memory* memory = rivet_memory_new(store.get(), 1, -1, false);
  ModulePtr module = LoadModule(b.Build());
  ASSERT_NE(InstantiateOk(store.get(), module.get(), {MemoryExtern(memory)}), nullptr);
  int32_t value = 0;
  ASSERT_TRUE(rivet_memory_read(memory, 8, &value, 4));
  EXPECT_EQ(value, 42);
}

// --- Memories ---------------------------------------------------------------------------------

// A module exporting its memory (1 page, max 4) and load/store/grow/size.
Bytes MemoryModule(std::optional<uint32_t> max = 4, uint32_t min = 1) {
  ModuleBuilder b;
  uint32_t t_load = b.AddType({kI32}, {kI32});
  uint32_t t_store = b.AddType({kI32, kI32}, {});
  uint32_t t_size = b.AddType({}, {kI32});
  b.AddMemory(min, max);
  b.AddExport("memory", kExternMemory, 0);
  b.AddExport("load", kExternFunc, b.AddFunction(t_load, Cat(LocalGet(0), Mem(kI32Load, 2, 0), kEnd)));
  b.AddExport("store", kExternFunc,
              b.AddFunction(t_store, Cat(LocalGet(0), LocalGet(1), Mem(kI32Store, 2, 0), kEnd)));
  b.AddExport("grow", kExternFunc, b.AddFunction(t_load, Cat(LocalGet(0), kMemoryGrowOp, 0, kEnd)));
  b.AddExport("size", kExternFunc, b.AddFunction(t_size, Cat(kMemorySizeOp, 0, kEnd)));
  return b.Build();
}

TEST(CApiMemoryTest, ReadAndWriteAreBoundsChecked) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(MemoryModule());
  rivet_instance* instance = InstantiateOk(store.get(), module.get());
  rivet_memory* memory = ExportedMemory(instance, "memory");
  ASSERT_NE(memory, nullptr);
  ASSERT_EQ(rivet_memory_size(memory), 65536u);

  // Inside, up to the very end.
  const uint32_t word = 0xdeadbeef;
  EXPECT_TRUE(rivet_memory_write(memory, 0, &word, 4));
  EXPECT_TRUE(rivet_memory_write(memory, 65532, &word, 4));
  uint32_t back = 0;
  EXPECT_TRUE(rivet_memory_read(memory, 65532, &back, 4));
  EXPECT_EQ(back, word);
  EXPECT_EQ(static_cast<uint32_t>(CallI32(store.get(), ExportedFunc(instance, "load"), {65532})),
            word);
  // Zero bytes at the end is inside.
  EXPECT_TRUE(rivet_memory_read(memory, 65536, &back, 0));
  EXPECT_TRUE(rivet_memory_write(memory, 65536, &word, 0));

  // One byte past the end: refused, and nothing copied.
  uint8_t buf[4] = {1, 2, 3, 4};
  EXPECT_FALSE(rivet_memory_read(memory, 65533, buf, 4));
  EXPECT_EQ(buf[0], 1);
  const uint8_t ones[4] = {0xff, 0xff, 0xff, 0xff};
  EXPECT_FALSE(rivet_memory_write(memory, 65533, ones, 4));
  EXPECT_TRUE(rivet_memory_read(memory, 65532, &back, 4));
  EXPECT_EQ(back, word);  // untouched
  EXPECT_FALSE(rivet_memory_read(memory, 65537, buf, 0));
  EXPECT_FALSE(rivet_memory_read(memory, 65536, buf, 1));
  // Offsets and sizes that overflow when added.
  EXPECT_FALSE(rivet_memory_read(memory, UINT64_MAX, buf, 1));
  EXPECT_FALSE(rivet_memory_read(memory, 1, buf, SIZE_MAX));
  EXPECT_FALSE(rivet_memory_write(memory, UINT64_MAX - 1, ones, 4));

  // rivet_memory_data is the same bytes wasm sees.
  uint8_t* data = rivet_memory_data(memory);
  ASSERT_NE(data, nullptr);
  std::memcpy(data + 100, &word, 4);
  EXPECT_EQ(static_cast<uint32_t>(CallI32(store.get(), ExportedFunc(instance, "load"), {100})),
            word);
  rivet_val args[] = {ValI32(200), ValI32(0x01020304)};
  ASSERT_FALSE(TakeTrap(rivet_func_call(store.get(), ExportedFunc(instance, "store"), args, 2,
                                        nullptr, 0))
                   .trapped);
  EXPECT_TRUE(rivet_memory_read(memory, 200, &back, 4));
  EXPECT_EQ(back, 0x01020304u);
}

TEST(CApiMemoryTest, GrowFromTheHostAndFromWasm) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(MemoryModule(/*max=*/4));
  rivet_instance* instance = InstantiateOk(store.get(), module.get());
  rivet_memory* memory = ExportedMemory(instance, "memory");
  ASSERT_NE(memory, nullptr);
  const uint32_t word = 0x12345678;
  ASSERT_TRUE(rivet_memory_write(memory, 65532, &word, 4));

  EXPECT_EQ(rivet_memory_grow(memory, 0), 1);
  EXPECT_EQ(rivet_memory_grow(memory, 1), 1);
  EXPECT_EQ(rivet_memory_size(memory), 2u * 65536);
  // wasm sees the new size and the new bytes, and the old bytes moved along.
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(instance, "size"), {}), 2);
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(instance, "load"), {2 * 65536 - 4}), 0);
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(instance, "load"), {65532}), 0x12345678);
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(instance, "grow"), {1}), 2);
  EXPECT_EQ(rivet_memory_size(memory), 3u * 65536);
  uint32_t back = 0;
  EXPECT_TRUE(rivet_memory_read(memory, 65532, &back, 4));
  EXPECT_EQ(back, word);
  EXPECT_TRUE(rivet_memory_read(memory, 3 * 65536 - 4, &back, 4));
  // Up to the module's maximum of 4 pages, not beyond.
  EXPECT_EQ(rivet_memory_grow(memory, 2), -1);
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(instance, "grow"), {2}), -1);
  EXPECT_EQ(rivet_memory_grow(memory, UINT32_MAX), -1);
  EXPECT_EQ(rivet_memory_grow(memory, 1), 3);
  EXPECT_EQ(rivet_memory_size(memory), 4u * 65536);
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(instance, "grow"), {0}), 4);
}

TEST(CApiMemoryTest, MemoryNewValidatesItsLimits) {
  StorePtr store = NewStore();
  EXPECT_EQ(rivet_memory_new(store.get(), 2, 1, false), nullptr);        // max < min
  EXPECT_EQ(rivet_memory_new(store.get(), 1, -1, true), nullptr);        // shared needs a max
  EXPECT_EQ(rivet_memory_new(store.get(), 65537, -1, false), nullptr);   // over 4 GiB
  EXPECT_EQ(rivet_memory_new(store.get(), 0, 65537, false), nullptr);
  rivet_memory* empty = rivet_memory_new(store.get(), 0, 0, false);
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(rivet_memory_size(empty), 0u);
  EXPECT_EQ(rivet_memory_grow(empty, 1), -1);
  uint8_t byte;
  EXPECT_TRUE(rivet_memory_read(empty, 0, &byte, 0));
  EXPECT_FALSE(rivet_memory_read(empty, 0, &byte, 1));

  rivet_memory* shared = rivet_memory_new(store.get(), 1, 2, true);
  ASSERT_NE(shared, nullptr);
  uint8_t* before = rivet_memory_data(shared);
  EXPECT_EQ(rivet_memory_grow(shared, 1), 1);
  EXPECT_EQ(rivet_memory_data(shared), before) << "a shared memory's bytes must not move";
  EXPECT_EQ(rivet_memory_grow(shared, 1), -1);
}

TEST(CApiMemoryTest, StoreMemoryLimitBoundsGrowthAndInstantiation) {
  StorePtr store = NewStore();
  rivet_store_set_max_memory_pages(store.get(), 3);
  ModulePtr module = LoadModule(MemoryModule(/*max=*/std::nullopt));
  rivet_instance* instance = InstantiateOk(store.get(), module.get());
  rivet_memory* memory = ExportedMemory(instance, "memory");
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(rivet_memory_grow(memory, 3), -1);  // to 4 pages: past the limit
  EXPECT_EQ(rivet_memory_grow(memory, 1), 1);
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(instance, "grow"), {2}), -1);
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(instance, "grow"), {1}), 2);
  EXPECT_EQ(rivet_memory_grow(memory, 1), -1);
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(instance, "grow"), {1}), -1);
  EXPECT_EQ(rivet_memory_size(memory), 3u * 65536);

  // Memories made by the host: the same limit.
  rivet_memory* host_memory = rivet_memory_new(store.get(), 2, -1, false);
  ASSERT_NE(host_memory, nullptr);
  EXPECT_EQ(rivet_memory_grow(host_memory, 2), -1);
  EXPECT_EQ(rivet_memory_grow(host_memory, 1), 2);
  EXPECT_EQ(rivet_memory_new(store.get(), 4, -1, false), nullptr);

  // A module whose memory starts above the limit does not instantiate.
  ModulePtr big = LoadModule(MemoryModule(std::nullopt, /*min=*/5));
  std::string error = LinkError(store.get(), big.get(), {});
  EXPECT_TRUE(Contains(error, "needs 5 pages")) << error;
  EXPECT_TRUE(Contains(error, "limit of 3")) << error;
}

// Regression (fixed): rivet.h says "Memories in this store never grow beyond `pages`", but
// rivet_store_set_max_memory_pages only affects memories created after it:
// a memory that already exists keeps the limit in force when it was made
// (runtime/store.cc passes limits.max_memory_pages to Memory's constructor).
// Input: instantiate a module with memory 1 page (no max), then set the
// limit to 2 pages and grow by 3. Expected: -1. Got: 1 (grown to 4 pages).
// (Either the header should say "memories created after this call", as
// rivet_store_set_interruptible does, or the limit should apply to all.)
TEST(CApiMemoryTest, StoreMemoryLimitAppliesToExistingMemories) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(MemoryModule(/*max=*/std::nullopt));
  rivet_instance* instance = InstantiateOk(store.get(), module.get());
  rivet_memory* memory = ExportedMemory(instance, "memory");
  ASSERT_NE(memory, nullptr);
  rivet_store_set_max_memory_pages(store.get(), 2);
  EXPECT_EQ(rivet_memory_grow(memory, 3), -1);
  EXPECT_LE(rivet_memory_size(memory), 2u * 65536);
}

TEST(CApiMemoryTest, ImportedMemoryIsShared) {
  ModuleBuilder b;
  uint32_t t_load = b.AddType({kI32}, {kI32});
  b.ImportMemory("env", "memory", 1);
  b.AddExport("load", kExternFunc,
              b.AddFunction(t_load, Cat(LocalGet(0), Mem(kI32Load, 2, 0), kEnd)));
  b.AddExport("grow", kExternFunc, b.AddFunction(t_load, Cat(LocalGet(0), kMemoryGrowOp, 0, kEnd)));
  b.AddActiveData(16, {7, 0, 0, 0});
  StorePtr store = NewStore();
  rivet_memory* memory = rivet_memory_new(store.get(), 1, -1, false);
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* a = InstantiateOk(store.get(), module.get(), {MemoryExtern(memory)});
  rivet_instance* c = InstantiateOk(store.get(), module.get(), {MemoryExtern(memory)});
  int32_t value = 0;
  EXPECT_TRUE(rivet_memory_read(memory, 16, &value, 4));
  EXPECT_EQ(value, 7);
  value = 99;
  EXPECT_TRUE(rivet_memory_write(memory, 32, &value, 4));
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(a, "load"), {32}), 99);
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(c, "load"), {32}), 99);
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(a, "grow"), {1}), 1);
  EXPECT_EQ(rivet_memory_size(memory), 2u * 65536);
  EXPECT_EQ(CallI32(store.get(), ExportedFunc(c, "load"), {65536 + 8}), 0);
}

// --- Globals ---------------------------------------------------------------------------------

TEST(CApiGlobalTest, HostGlobalsOfEveryKind) {
  StorePtr store = NewStore();
  static int marker;
  const uint8_t v128[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  rivet_func* func = rivet_func_new(store.get(), nullptr, 0, nullptr, 0, &RefuseCallback,
                                    nullptr, nullptr);
  std::vector<rivet_val> values = {ValI32(-1),
                                   ValI64(INT64_MAX),
                                   ValF32Bits(0x7f800001),
                                   ValF64Bits(0xfff0000000000001ull),
                                   ValV128(v128),
                                   ValRef(RIVET_FUNCREF, func),
                                   ValRef(RIVET_EXTERNREF, &marker)};
  for (const rivet_val& init : values) {
    SCOPED_TRACE("kind " + std::to_string(init.kind));
    rivet_global* global = rivet_global_new(store.get(), &init, true);
    ASSERT_NE(global, nullptr);
    rivet_val got{};
    rivet_global_get(global, &got);
    EXPECT_EQ(got.kind, init.kind);
    EXPECT_EQ(std::memcmp(&got.of, &init.of, init.kind == RIVET_V128 ? 16
                                             : init.kind == RIVET_I32 || init.kind == RIVET_F32
                                                 ? 4
                                                 : 8),
              0);
  }
  rivet_val bad = ValI32(0);
  bad.kind = static_cast<rivet_valkind>(12);
  EXPECT_EQ(rivet_global_new(store.get(), &bad, true), nullptr);
  EXPECT_EQ(rivet_global_new(store.get(), nullptr, true), nullptr);
}

TEST(CApiGlobalTest, SetChecksMutabilityAndKind) {
  StorePtr store = NewStore();
  rivet_val init = ValI32(5);
  rivet_global* mutable_global = rivet_global_new(store.get(), &init, true);
  rivet_global* immutable_global = rivet_global_new(store.get(), &init, false);
  rivet_val v = ValI32(6);
  EXPECT_TRUE(rivet_global_set(mutable_global, &v));
  EXPECT_FALSE(rivet_global_set(immutable_global, &v));
  rivet_val wrong = ValI64(7);
  EXPECT_FALSE(rivet_global_set(mutable_global, &wrong));
  rivet_val got{};
  rivet_global_get(mutable_global, &got);
  EXPECT_EQ(got.kind, RIVET_I32);
  EXPECT_EQ(got.of.i32, 6);
  rivet_global_get(immutable_global, &got);
  EXPECT_EQ(got.of.i32, 5);

  const uint8_t a[16] = {1}, c[16] = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
  rivet_val va = ValV128(a), vc = ValV128(c);
  rivet_global* vglobal = rivet_global_new(store.get(), &va, true);
  EXPECT_TRUE(rivet_global_set(vglobal, &vc));
  rivet_global_get(vglobal, &got);
  EXPECT_EQ(std::memcmp(got.of.v128, c, 16), 0);
}

TEST(CApiGlobalTest, ImportedAndExportedGlobals) {
  ModuleBuilder b;
  uint32_t t_get = b.AddType({}, {kI64});
  uint32_t t_void = b.AddType({}, {});
  uint32_t imported = b.ImportGlobal("env", "counter", kI64, true);
  uint32_t constant = b.AddGlobal(kF64, false, Expr(F64Const(2.5)));
  uint32_t own = b.AddGlobal(kI32, true, Expr(I32Const(10)));
  // bump() { counter += 1 }, get() = counter
  b.AddExport("bump", kExternFunc,
              b.AddFunction(t_void, Cat(GlobalGet(imported), I64Const(1), kI64Add,
                                        GlobalSet(imported), kEnd)));
  b.AddExport("get", kExternFunc, b.AddFunction(t_get, Cat(GlobalGet(imported), kEnd)));
  b.AddExport("constant", kExternGlobal, constant);
  b.AddExport("own", kExternGlobal, own);
  b.AddExport("counter", kExternGlobal, imported);
  StorePtr store = NewStore();
  rivet_val init = ValI64(100);
  rivet_global* counter = rivet_global_new(store.get(), &init, true);
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = InstantiateOk(store.get(), module.get(), {GlobalExtern(counter)});
  ASSERT_NE(instance, nullptr);

  ASSERT_FALSE(TakeTrap(rivet_func_call(store.get(), ExportedFunc(instance, "bump"), nullptr, 0,
                                        nullptr, 0))
                   .trapped);
  rivet_val got{};
  rivet_global_get(counter, &got);
  EXPECT_EQ(got.of.i64, 101);
  rivet_val v = ValI64(500);
  EXPECT_TRUE(rivet_global_set(counter, &v));
  rivet_val result{};
  ASSERT_FALSE(TakeTrap(rivet_func_call(store.get(), ExportedFunc(instance, "get"), nullptr, 0,
                                        &result, 1))
                   .trapped);
  EXPECT_EQ(result.of.i64, 500);
  EXPECT_EQ(ExportedGlobal(instance, "counter"), counter);

  rivet_global* constant_global = ExportedGlobal(instance, "constant");
  rivet_global_get(constant_global, &got);
  EXPECT_EQ(got.kind, RIVET_F64);
  EXPECT_EQ(got.of.f64, 2.5);
  rivet_val f = ValF64(3.5);
  EXPECT_FALSE(rivet_global_set(constant_global, &f));
  rivet_global* own_global = ExportedGlobal(instance, "own");
  rivet_global_get(own_global, &got);
  EXPECT_EQ(got.of.i32, 10);
  EXPECT_FALSE(rivet_global_set(own_global, &f));
}

// --- Tables ------------------------------------------------------------------------------------

TEST(CApiTableTest, GetSetGrowAndBounds) {
  StorePtr store = NewStore();
  rivet_func* f1 = rivet_func_new(store.get(), nullptr, 0, nullptr, 0, &RefuseCallback,
                                  nullptr, nullptr);
  rivet_func* f2 = rivet_func_new(store.get(), nullptr, 0, nullptr, 0, &RefuseCallback,
                                  nullptr, nullptr);
  rivet_table* table = rivet_table_new(store.get(), RIVET_FUNCREF, 2, 4);
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(rivet_table_size(table), 2u);
  rivet_val v{};
  ASSERT_TRUE(rivet_table_get(table, 1, &v));
  EXPECT_EQ(v.kind, RIVET_FUNCREF);
  EXPECT_EQ(v.of.ref, nullptr);

  rivet_val r1 = ValRef(RIVET_FUNCREF, f1);
  EXPECT_TRUE(rivet_table_set(table, 1, &r1));
  ASSERT_TRUE(rivet_table_get(table, 1, &v));
  EXPECT_EQ(v.of.ref, static_cast<void*>(f1));
  // Out of range, and the wrong kind.
  EXPECT_FALSE(rivet_table_set(table, 2, &r1));
  EXPECT_FALSE(rivet_table_get(table, 2, &v));
  EXPECT_FALSE(rivet_table_get(table, UINT32_MAX, &v));
  static int marker;
  rivet_val ext = ValRef(RIVET_EXTERNREF, &marker);
  EXPECT_FALSE(rivet_table_set(table, 0, &ext));

  // Grow with an initial value, up to the maximum.
  rivet_val r2 = ValRef(RIVET_FUNCREF, f2);
  EXPECT_EQ(rivet_table_grow(table, 1, &r2), 2);
  EXPECT_EQ(rivet_table_size(table), 3u);
  ASSERT_TRUE(rivet_table_get(table, 2, &v));
  EXPECT_EQ(v.of.ref, static_cast<void*>(f2));
  EXPECT_EQ(rivet_table_grow(table, 1, &ext), -1);  // wrong kind
  EXPECT_EQ(rivet_table_grow(table, 2, nullptr), -1);  // past the maximum
  EXPECT_EQ(rivet_table_size(table), 3u);
  EXPECT_EQ(rivet_table_grow(table, 1, nullptr), 3);  // NULL init: null references
  ASSERT_TRUE(rivet_table_get(table, 3, &v));
  EXPECT_EQ(v.of.ref, nullptr);
  EXPECT_EQ(rivet_table_grow(table, 0, nullptr), 4);

  // Null can be stored.
  rivet_val null_ref = ValRef(RIVET_FUNCREF, nullptr);
  EXPECT_TRUE(rivet_table_set(table, 1, &null_ref));
  ASSERT_TRUE(rivet_table_get(table, 1, &v));
  EXPECT_EQ(v.of.ref, nullptr);
}

TEST(CApiTableTest, ExternrefTables) {
  StorePtr store = NewStore();
  rivet_table* table = rivet_table_new(store.get(), RIVET_EXTERNREF, 0, -1);
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(rivet_table_size(table), 0u);
  static int a, c;
  rivet_val va = ValRef(RIVET_EXTERNREF, &a), vc = ValRef(RIVET_EXTERNREF, &c);
  EXPECT_EQ(rivet_table_grow(table, 3, &va), 0);
  EXPECT_TRUE(rivet_table_set(table, 2, &vc));
  rivet_val v{};
  ASSERT_TRUE(rivet_table_get(table, 0, &v));
  EXPECT_EQ(v.kind, RIVET_EXTERNREF);
  EXPECT_EQ(v.of.ref, &a);
  ASSERT_TRUE(rivet_table_get(table, 2, &v));
  EXPECT_EQ(v.of.ref, &c);
}

TEST(CApiTableTest, TableNewValidatesItsArguments) {
  StorePtr store = NewStore();
  EXPECT_EQ(rivet_table_new(store.get(), RIVET_I32, 1, -1), nullptr);
  EXPECT_EQ(rivet_table_new(store.get(), RIVET_V128, 1, -1), nullptr);
  EXPECT_EQ(rivet_table_new(store.get(), RIVET_FUNCREF, 3, 2), nullptr);
  EXPECT_EQ(rivet_table_new(store.get(), RIVET_FUNCREF, 0, int64_t{1} << 33), nullptr);
  EXPECT_NE(rivet_table_new(store.get(), RIVET_FUNCREF, 0, 0), nullptr);
}

TEST(CApiTableTest, WasmCallsThroughATableTheHostFills) {
  ModuleBuilder b;
  uint32_t t_call = b.AddType({kI32}, {kI32});
  uint32_t t_get = b.AddType({}, {kI32});
  b.ImportTable("env", "table", kFuncRef, 2);
  uint32_t seven = b.AddFunction(t_get, Cat(I32Const(7), kEnd));
  // call_at(i) = table[i]()
  b.AddExport("call_at", kExternFunc,
              b.AddFunction(t_call, Cat(LocalGet(0), CallIndirect(t_get), kEnd)));
  b.AddExport("seven", kExternFunc, seven);
  b.AddActiveElem(0, {seven});  // table[0] = seven
  StorePtr store = NewStore();
  rivet_table* table = rivet_table_new(store.get(), RIVET_FUNCREF, 2, -1);
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = InstantiateOk(store.get(), module.get(), {TableExtern(table)});
  rivet_func* call_at = ExportedFunc(instance, "call_at");
  ASSERT_NE(call_at, nullptr);

  rivet_val v{};
  ASSERT_TRUE(rivet_table_get(table, 0, &v));
  EXPECT_EQ(v.of.ref, static_cast<void*>(ExportedFunc(instance, "seven")));
  EXPECT_EQ(CallI32(store.get(), call_at, {0}), 7);

  // A host function placed by the host.
  const rivet_valkind i32[] = {RIVET_I32};
  rivet_func* answer = rivet_func_new(
      store.get(), nullptr, 0, i32, 1,
      +[](void*, const rivet_val*, size_t, rivet_val* results, size_t) -> rivet_trap* {
        results[0].of.i32 = 42;
        return nullptr;
      },
      nullptr, nullptr);
  rivet_val ref = ValRef(RIVET_FUNCREF, answer);
  ASSERT_TRUE(rivet_table_set(table, 1, &ref));
  EXPECT_EQ(CallI32(store.get(), call_at, {1}), 42);

  // Grown by the host: wasm sees the new element.
  EXPECT_EQ(rivet_table_grow(table, 2, &ref), 2);
  EXPECT_EQ(CallI32(store.get(), call_at, {3}), 42);

  // Null, out of range, wrong type.
  rivet_val null_ref = ValRef(RIVET_FUNCREF, nullptr);
  ASSERT_TRUE(rivet_table_set(table, 2, &null_ref));
  EXPECT_EQ(CallTrap(store.get(), call_at, {ValI32(2)}, 1).kind,
            RIVET_TRAP_UNINITIALIZED_ELEMENT);
  EXPECT_EQ(CallTrap(store.get(), call_at, {ValI32(4)}, 1).kind, RIVET_TRAP_UNDEFINED_ELEMENT);
  rivet_val wrong_type = ValRef(RIVET_FUNCREF, call_at);  // (i32) -> i32
  ASSERT_TRUE(rivet_table_set(table, 2, &wrong_type));
  EXPECT_EQ(CallTrap(store.get(), call_at, {ValI32(2)}, 1).kind,
            RIVET_TRAP_INDIRECT_CALL_TYPE_MISMATCH);
}

// --- Limits: call depth, fuel, interruption -------------------------------------------------------

TEST(CApiLimitsTest, CallDepthLimit) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(RecursionModule());
  rivet_instance* instance = InstantiateOk(store.get(), module.get());
  rivet_func* rec = ExportedFunc(instance, "rec");
  // The default allows deep recursion.
  EXPECT_EQ(CallI32(store.get(), rec, {20000}), 20000);

  rivet_store_set_max_call_depth(store.get(), 50);
  EXPECT_EQ(CallI32(store.get(), rec, {49}), 49);  // 50 frames
  TrapInfo trap = CallTrap(store.get(), rec, {ValI32(50)}, 1);  // 51 frames
  EXPECT_EQ(trap.kind, RIVET_TRAP_CALL_STACK_EXHAUSTED);
  EXPECT_EQ(trap.message, "call stack exhausted");
  EXPECT_EQ(trap.backtrace.size(), 50u);
  trap = CallTrap(store.get(), rec, {ValI32(1000000)}, 1);
  EXPECT_EQ(trap.kind, RIVET_TRAP_CALL_STACK_EXHAUSTED);
  // And usable afterwards.
  EXPECT_EQ(CallI32(store.get(), rec, {10}), 10);
}

// Regression (fixed): rivet.h says "Nothing here throws or aborts", but a large call depth
// limit aborts the process at the next call: the interpreter allocates a
// frame array of max_call_depth + 64 entries up front (interp/interpreter.cc,
// Call), so rivet_store_set_max_call_depth(store, UINT32_MAX) (a natural
// "no limit") makes the next rivet_func_call throw std::bad_alloc and
// terminate. Expected: the call returns 5 (or a trap). Got: "terminate
// called after throwing an instance of 'std::bad_alloc'", SIGABRT.
// (Run in a child process so that the abort does not end the test binary.)
void CallAddWithCallDepthLimit(uint32_t depth) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(AddModule());
  rivet_instance* instance = InstantiateOk(store.get(), module.get());
  rivet_store_set_max_call_depth(store.get(), depth);
  rivet_val args[] = {ValI32(2), ValI32(3)}, result{};
  rivet_trap* trap =
      rivet_func_call(store.get(), ExportedFunc(instance, "add"), args, 2, &result, 1);
  if (trap) rivet_trap_delete(trap);
  std::exit(trap || result.of.i32 == 5 ? 0 : 1);
}

TEST(CApiLimitsTest, LargeCallDepthLimitDoesNotAbort) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(CallAddWithCallDepthLimit(UINT32_MAX), ::testing::ExitedWithCode(0), "");
}

TEST(CApiLimitsTest, FuelMetersCallsAndLoopsAndCanBeRefilled) {
  StorePtr store = NewStore();
  EXPECT_EQ(rivet_store_fuel(store.get()), -1);  // unlimited by default
  rivet_store_set_fuel(store.get(), 1000);       // before instantiating: loops are metered
  EXPECT_EQ(rivet_store_fuel(store.get()), 1000);
  ModulePtr module = LoadModule(CountModule());
  rivet_instance* instance = InstantiateOk(store.get(), module.get());
  rivet_func* count = ExportedFunc(instance, "count");

  // One unit for the call, one per loop iteration.
  EXPECT_EQ(CallI32(store.get(), count, {10}), 10);
  EXPECT_EQ(rivet_store_fuel(store.get()), 1000 - 11);
  EXPECT_EQ(CallI32(store.get(), count, {100}), 100);
  EXPECT_EQ(rivet_store_fuel(store.get()), 1000 - 11 - 101);

  TrapInfo trap = CallTrap(store.get(), count, {ValI32(1000000)}, 1);
  EXPECT_EQ(trap.kind, RIVET_TRAP_OUT_OF_FUEL);
  EXPECT_EQ(trap.message, "out of fuel");
  EXPECT_EQ(trap.backtrace, std::vector<std::string>{"#0"});
  EXPECT_EQ(rivet_store_fuel(store.get()), 0);
  // With no fuel, even a call that would not loop stops at its entry.
  EXPECT_EQ(CallTrap(store.get(), count, {ValI32(1)}, 1).kind, RIVET_TRAP_OUT_OF_FUEL);

  // Refilled: the same instance runs again.
  rivet_store_set_fuel(store.get(), 2000000);
  EXPECT_EQ(CallI32(store.get(), count, {1000000}), 1000000);
  EXPECT_EQ(rivet_store_fuel(store.get()), 2000000 - 1000001);
  // Unlimited again.
  rivet_store_set_fuel(store.get(), -1);
  EXPECT_EQ(CallI32(store.get(), count, {3000000}), 3000000);
  EXPECT_EQ(rivet_store_fuel(store.get()), -1);
}

// Regression (fixed): fuel consumed by wasm that a host function calls (a call back into
// the same store) is not charged: the outer call keeps its own copy of the
// fuel and writes it back when it returns, overwriting what the inner call
// consumed. Input: fuel 100000; outer() (one call, no loop) calls a host
// function that calls count(1000) (1001 units). Expected fuel afterwards:
// 100000 - 1 - 1001 = 98998. Got: 99999. A guest can so run without limit
// by looping through such a host function.
TEST(CApiLimitsTest, FuelIsChargedForCallsBackIntoWasm) {
  ModuleBuilder b;
  uint32_t tv = b.AddType({}, {});
  uint32_t t_count = b.AddType({kI32}, {kI32});
  uint32_t host_index = b.ImportFunction("host", "reenter", tv);
  uint32_t count = b.AddFunction(t_count,
                                 Cat(Loop(kVoid), LocalGet(1), I32Const(1), kI32Add, LocalTee(1),
                                     LocalGet(0), kI32LtU, BrIf(0), kEnd, LocalGet(1), kEnd),
                                 {{1, kI32}});
  uint32_t outer = b.AddFunction(tv, Cat(Call(host_index), kEnd));
  b.AddExport("count", kExternFunc, count);
  b.AddExport("outer", kExternFunc, outer);

  StorePtr store = NewStore();
  struct Env {
    rivet_store* store;
    rivet_func* count = nullptr;
  } env{store.get()};
  rivet_func* reenter = rivet_func_new(
      store.get(), nullptr, 0, nullptr, 0,
      +[](void* e, const rivet_val*, size_t, rivet_val*, size_t) -> rivet_trap* {
        auto* env = static_cast<Env*>(e);
        rivet_val arg = ValI32(1000), result{};
        return rivet_func_call(env->store, env->count, &arg, 1, &result, 1);
      },
      &env, nullptr);
  rivet_store_set_fuel(store.get(), 100000);
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = InstantiateOk(store.get(), module.get(), {FuncExtern(reenter)});
  env.count = ExportedFunc(instance, "count");
  ASSERT_FALSE(TakeTrap(rivet_func_call(store.get(), ExportedFunc(instance, "outer"), nullptr, 0,
                                        nullptr, 0))
                   .trapped);
  EXPECT_EQ(rivet_store_fuel(store.get()), 100000 - 1 - 1001);
}

TEST(CApiLimitsTest, FuelSetAfterInstantiationStillMetersCalls) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(RecursionModule());
  rivet_instance* instance = InstantiateOk(store.get(), module.get());
  rivet_store_set_fuel(store.get(), 10);
  rivet_func* rec = ExportedFunc(instance, "rec");
  EXPECT_EQ(CallI32(store.get(), rec, {4}), 4);  // 5 calls
  EXPECT_EQ(rivet_store_fuel(store.get()), 5);
  EXPECT_EQ(CallTrap(store.get(), rec, {ValI32(10)}, 1).kind, RIVET_TRAP_OUT_OF_FUEL);
}

// spin(): calls host.started, then loops forever. add(a, b) = a + b.
Bytes SpinModule() {
  ModuleBuilder b;
  uint32_t tv = b.AddType({}, {});
  uint32_t t_add = b.AddType({kI32, kI32}, {kI32});
  uint32_t started = b.ImportFunction("host", "started", tv);
  uint32_t spin = b.AddFunction(tv, Cat(Call(started), Loop(kVoid), Br(0), kEnd, kEnd));
  uint32_t add = b.AddFunction(t_add, Cat(LocalGet(0), LocalGet(1), kI32Add, kEnd));
  b.AddExport("spin", kExternFunc, spin);
  b.AddExport("add", kExternFunc, add);
  b.AddCustom("name", FunctionNames({{1, "spin"}}));
  return b.Build();
}

// Interrupts the store once its spin() has started and 50 ms have passed;
// aborts the test binary if the call has not stopped 10 s later, so that a
// failure to interrupt does not hang the test.
class Interrupter {
 public:
  explicit Interrupter(rivet_store* store) : store_(store) {
    thread_ = std::thread([this] {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return started_; });
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      rivet_store_interrupt(store_);
      lock.lock();
      if (!cv_.wait_for(lock, std::chrono::seconds(10), [this] { return done_; })) {
        std::fprintf(stderr, "FATAL: rivet_store_interrupt did not stop the call in 10 s\n");
        std::abort();
      }
    });
  }
  ~Interrupter() {
    Done();
    thread_.join();
  }
  void Started() {
    std::lock_guard<std::mutex> lock(mutex_);
    started_ = true;
    cv_.notify_all();
  }
  void Done() {
    std::lock_guard<std::mutex> lock(mutex_);
    started_ = done_ = true;
    cv_.notify_all();
  }
 private:
  rivet_store* store_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool started_ = false, done_ = false;
  std::thread thread_;
};

// Interruption from another thread. The interrupted instance stays usable:
// other exports run, and the same export runs (and can be interrupted) again.
TEST(CApiLimitsTest, InterruptFromAnotherThreadAndTheInstanceStaysUsable) {
  StorePtr store = NewStore();
  rivet_store_set_interruptible(store.get(), true);  // before instantiating
  Interrupter* current = nullptr;
  rivet_func* started = rivet_func_new(
      store.get(), nullptr, 0, nullptr, 0,
      +[](void* env, const rivet_val*, size_t, rivet_val*, size_t) -> rivet_trap* {
        (*static_cast<Interrupter**>(env))->Started();
        return nullptr;
      },
      &current, nullptr);
  ModulePtr module = LoadModule(SpinModule());
  rivet_instance* instance = InstantiateOk(store.get(), module.get(), {FuncExtern(started)});
  rivet_func* spin = ExportedFunc(instance, "spin");
  ASSERT_NE(spin, nullptr);

  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    TrapInfo trap;
    auto begin = std::chrono::steady_clock::now();
    {
      Interrupter interrupter(store.get());
      current = &interrupter;
      trap = TakeTrap(rivet_func_call(store.get(), spin, nullptr, 0, nullptr, 0));
      current = nullptr;
    }
    auto elapsed = std::chrono::steady_clock::now() - begin;
    EXPECT_TRUE(trap.trapped);
    EXPECT_EQ(trap.kind, RIVET_TRAP_INTERRUPTED);
    EXPECT_EQ(trap.message, "interrupted");
    EXPECT_EQ(trap.backtrace, std::vector<std::string>{"$spin (#1)"});
    EXPECT_GE(elapsed, std::chrono::milliseconds(50));
    // The same instance, usable: another export runs to completion.
    EXPECT_EQ(CallI32(store.get(), ExportedFunc(instance, "add"), {2, 3}), 5);
  }
}

// Without rivet_store_set_interruptible, code still checks for interrupts
// at function entries: a loop that calls a function stops.
TEST(CApiLimitsTest, InterruptWithoutInterruptibleStopsAtAFunctionEntry) {
  ModuleBuilder b;
  uint32_t tv = b.AddType({}, {});
  uint32_t started = b.ImportFunction("host", "started", tv);
  uint32_t nop = b.AddFunction(tv, Cat(kEnd));
  uint32_t spin = b.AddFunction(tv, Cat(Call(started), Loop(kVoid), Call(nop), Br(0), kEnd, kEnd));
  b.AddExport("spin", kExternFunc, spin);
  StorePtr store = NewStore();
  Interrupter* current = nullptr;
  rivet_func* started_fn = rivet_func_new(
      store.get(), nullptr, 0, nullptr, 0,
      +[](void* env, const rivet_val*, size_t, rivet_val*, size_t) -> rivet_trap* {
        (*static_cast<Interrupter**>(env))->Started();
        return nullptr;
      },
      &current, nullptr);
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = InstantiateOk(store.get(), module.get(), {FuncExtern(started_fn)});
  TrapInfo trap;
  {
    Interrupter interrupter(store.get());
    current = &interrupter;
    trap = TakeTrap(rivet_func_call(store.get(), ExportedFunc(instance, "spin"), nullptr, 0,
                                    nullptr, 0));
  }
  EXPECT_EQ(trap.kind, RIVET_TRAP_INTERRUPTED) << trap;
  // Stopped on entering nop (#1), called by spin (#2): the loop itself is
  // not checked in code instantiated without interruptible.
  EXPECT_EQ(trap.backtrace, (std::vector<std::string>{"#1", "#2"}));
}

// Regression (fixed): after an interrupted call, the store's interrupt flag stays set until
// the next rivet_func_call clears it, but instantiation does not clear it: a
// module with a start function instantiated next in the same store traps
// "interrupted" at once. Expected: instantiation succeeds (the interrupt
// stopped the call it was meant for). Got: rivet_instance_new returns NULL
// with a RIVET_TRAP_INTERRUPTED trap.
TEST(CApiLimitsTest, AnInterruptDoesNotLeakIntoTheNextInstantiation) {
  StorePtr store = NewStore();
  rivet_store_set_interruptible(store.get(), true);
  Interrupter* current = nullptr;
  rivet_func* started = rivet_func_new(
      store.get(), nullptr, 0, nullptr, 0,
      +[](void* env, const rivet_val*, size_t, rivet_val*, size_t) -> rivet_trap* {
        (*static_cast<Interrupter**>(env))->Started();
        return nullptr;
      },
      &current, nullptr);
  ModulePtr module = LoadModule(SpinModule());
  rivet_instance* instance = InstantiateOk(store.get(), module.get(), {FuncExtern(started)});
  {
    Interrupter interrupter(store.get());
    current = &interrupter;
    TrapInfo trap =
        TakeTrap(rivet_func_call(store.get(), ExportedFunc(instance, "spin"), nullptr, 0, nullptr, 0));
    EXPECT_EQ(trap.kind, RIVET_TRAP_INTERRUPTED);
  }

  ModuleBuilder b;
  uint32_t tv = b.AddType({}, {});
  b.SetStart(b.AddFunction(tv, Cat(kNop, kEnd)));
  ModulePtr with_start = LoadModule(b.Build());
  rivet_instance* second = nullptr;
  rivet_trap* trap = nullptr;
  EXPECT_EQ(TakeError(rivet_instance_new(store.get(), with_start.get(), nullptr, 0, &second, &trap)),
            "");
  TrapInfo info = TakeTrap(trap);
  EXPECT_FALSE(info.trapped) << "the start function was interrupted: " << info;
  EXPECT_NE(second, nullptr);
}

// Regression (fixed): an interrupt that arrives while wasm is in a host function that calls
// back into wasm (rivet_func_call from the callback) is lost: the nested
// rivet_func_call clears the store's interrupt flag when it starts, so
// neither it nor the outer call stops. Input: outer() calls a host function
// that calls rivet_store_interrupt (standing in for another thread at that
// moment) and then calls add(1, 2); outer() then runs a 100000-iteration
// loop. Expected: a RIVET_TRAP_INTERRUPTED trap (from the nested call,
// passed on by the host as RIVET_TRAP_HOST "interrupted", or from the outer
// loop). Got: both calls complete normally.
TEST(CApiLimitsTest, AnInterruptDuringAHostCallbackIsNotLost) {
  ModuleBuilder b;
  uint32_t tv = b.AddType({}, {});
  uint32_t t_add = b.AddType({kI32, kI32}, {kI32});
  uint32_t t_count = b.AddType({kI32}, {kI32});
  uint32_t host_index = b.ImportFunction("host", "callback", tv);
  uint32_t add = b.AddFunction(t_add, Cat(LocalGet(0), LocalGet(1), kI32Add, kEnd));
  uint32_t count = b.AddFunction(t_count,
                                 Cat(Loop(kVoid), LocalGet(1), I32Const(1), kI32Add, LocalTee(1),
                                     LocalGet(0), kI32LtU, BrIf(0), kEnd, LocalGet(1), kEnd),
                                 {{1, kI32}});
  uint32_t outer = b.AddFunction(t_count, Cat(Call(host_index), LocalGet(0), Call(count), kEnd));
  b.AddExport("add", kExternFunc, add);
  b.AddExport("outer", kExternFunc, outer);

  StorePtr store = NewStore();
  rivet_store_set_interruptible(store.get(), true);
  struct Env {
    rivet_store* store;
    rivet_func* add = nullptr;
    std::string nested;  // the nested call's trap, if any
  } env{store.get(), nullptr, {}};
  rivet_func* callback = rivet_func_new(
      store.get(), nullptr, 0, nullptr, 0,
      +[](void* e, const rivet_val*, size_t, rivet_val*, size_t) -> rivet_trap* {
        auto* env = static_cast<Env*>(e);
        rivet_store_interrupt(env->store);
        rivet_val args[] = {ValI32(1), ValI32(2)}, result{};
        rivet_trap* trap = rivet_func_call(env->store, env->add, args, 2, &result, 1);
        if (trap) env->nested = rivet_trap_message(trap);
        return trap;
      },
      &env, nullptr);
  ModulePtr module = LoadModule(b.Build());
  rivet_instance* instance = InstantiateOk(store.get(), module.get(), {FuncExtern(callback)});
  env.add = ExportedFunc(instance, "add");
  rivet_val arg = ValI32(100000), result{};
  TrapInfo trap =
      TakeTrap(rivet_func_call(store.get(), ExportedFunc(instance, "outer"), &arg, 1, &result, 1));
  ASSERT_TRUE(trap.trapped) << "the interrupt was lost (nested call: \"" << env.nested << "\")";
  EXPECT_EQ(trap.message, "interrupted");
}

// --- Threads -------------------------------------------------------------------------------------

// 8 threads, each with its own store and instance of one shared module and
// its own host function, computing at the same time.
TEST(CApiThreadsTest, ConcurrentInstancesOfOneModule) {
  // hash(n, seed): h = seed; for i in 0..n: h = h * 31 + mix(i) where mix is
  // the host function i ^ (i >> 3); returns h.
  ModuleBuilder b;
  uint32_t t_mix = b.AddType({kI32}, {kI32});
  uint32_t t_hash = b.AddType({kI32, kI32}, {kI32});
  uint32_t mix = b.ImportFunction("host", "mix", t_mix);
  // locals: 0 n, 1 h, 2 i
  uint32_t hash = b.AddFunction(
      t_hash,
      Cat(Block(kVoid), LocalGet(0), kI32Eqz, BrIf(0), Loop(kVoid), LocalGet(1), I32Const(31),
          kI32Mul, LocalGet(2), Call(mix), kI32Add, LocalSet(1), LocalGet(2), I32Const(1),
          kI32Add, LocalTee(2), LocalGet(0), kI32LtU, BrIf(0), kEnd, kEnd, LocalGet(1), kEnd),
      {{1, kI32}});
  b.AddExport("hash", kExternFunc, hash);
  ModulePtr module = LoadModule(b.Build());
  ASSERT_NE(module, nullptr);

  auto expected = [](uint32_t n, uint32_t seed) {
    uint32_t h = seed;
    for (uint32_t i = 0; i < n; ++i) h = h * 31 + (i ^ (i >> 3));
    return static_cast<int32_t>(h);
  };
  constexpr int kThreads = 8;
  constexpr uint32_t kN = 200000;
  std::vector<int32_t> results(kThreads * 3);
  std::vector<std::string> failures(kThreads);
  std::vector<int> mix_calls(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      rivet_store* store = rivet_store_new();
      const rivet_valkind i32[] = {RIVET_I32};
      rivet_func* mix_fn = rivet_func_new(
          store, i32, 1, i32, 1,
          +[](void* env, const rivet_val* args, size_t, rivet_val* results, size_t) -> rivet_trap* {
            ++*static_cast<int*>(env);
            uint32_t i = static_cast<uint32_t>(args[0].of.i32);
            results[0].of.i32 = static_cast<int32_t>(i ^ (i >> 3));
            return nullptr;
          },
          &mix_calls[t], nullptr);
      rivet_extern import = FuncExtern(mix_fn);
      rivet_instance* instance = nullptr;
      rivet_trap* trap = nullptr;
      rivet_error* error = rivet_instance_new(store, module.get(), &import, 1, &instance, &trap);
      if (error || trap) {
        failures[t] = "instantiation failed";
        if (error) rivet_error_delete(error);
        if (trap) rivet_trap_delete(trap);
        rivet_store_delete(store);
        return;
      }
      rivet_extern ext;
      rivet_instance_export(instance, "hash", &ext);
      for (int round = 0; round < 3; ++round) {
        rivet_val args[] = {ValI32(static_cast<int32_t>(kN + t)), ValI32(t * 1000 + round)};
        rivet_val result{};
        if (rivet_trap* call_trap = rivet_func_call(store, ext.of.func, args, 2, &result, 1)) {
          failures[t] = rivet_trap_message(call_trap);
          rivet_trap_delete(call_trap);
          break;
        }
        results[t * 3 + round] = result.of.i32;
      }
      rivet_store_delete(store);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], "") << "thread " << t;
    EXPECT_EQ(mix_calls[t], 3 * static_cast<int>(kN + t)) << "thread " << t;
    for (int round = 0; round < 3; ++round) {
      EXPECT_EQ(results[t * 3 + round], expected(kN + t, t * 1000 + round))
          << "thread " << t << " round " << round;
    }
  }
}

}  // namespace
}  // namespace rivet::api_test

// --- Imports resolved by name -------------------------------------------------------------

namespace rivet::api_test {
namespace {

// A module importing "env" "twice" (i32) -> i32 and "env" "g" (an immutable
// i32 global), exporting run() = twice(g).
Bytes NamedImportsModule() {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  uint32_t tv = b.AddType({}, {kI32});
  uint32_t twice = b.ImportFunction("env", "twice", t);
  b.ImportGlobal("env", "g", kI32, false);
  b.AddExport("run", kExternFunc, b.AddFunction(tv, Cat(GlobalGet(0), Call(twice), kEnd)));
  return b.Build();
}

rivet_trap* Twice(void*, const rivet_val* args, size_t, rivet_val* results, size_t) {
  results[0].of.i32 = 2 * args[0].of.i32;
  return nullptr;
}

TEST(CApiNamedImportsTest, ImportsResolveByModuleAndFieldNameInAnyOrder) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(NamedImportsModule());
  ASSERT_NE(module, nullptr);
  const rivet_valkind i32[] = {RIVET_I32};
  rivet_func* twice = rivet_func_new(store.get(), i32, 1, i32, 1, Twice, nullptr, nullptr);
  rivet_val init;
  init.kind = RIVET_I32;
  init.of.i32 = 21;
  rivet_global* g = rivet_global_new(store.get(), &init, false);
  rivet_named_extern defs[3];
  defs[0] = {"env", "g", {RIVET_EXTERN_GLOBAL, {}}};
  defs[0].item.of.global = g;
  defs[1] = {"other", "twice", {RIVET_EXTERN_GLOBAL, {}}};  // unused: another module
  defs[1].item.of.global = g;
  defs[2] = {"env", "twice", {RIVET_EXTERN_FUNC, {}}};
  defs[2].item.of.func = twice;
  rivet_instance* instance = nullptr;
  rivet_trap* trap = nullptr;
  std::string error = TakeError(
      rivet_instance_new_named(store.get(), module.get(), defs, 3, &instance, &trap));
  ASSERT_EQ(error, "");
  ASSERT_EQ(trap, nullptr);
  rivet_val result;
  TrapInfo outcome = TakeTrap(
      rivet_func_call(store.get(), ExportedFunc(instance, "run"), nullptr, 0, &result, 1));
  EXPECT_FALSE(outcome.trapped) << outcome;
  EXPECT_EQ(result.of.i32, 42);
}

TEST(CApiNamedImportsTest, EveryMissingImportIsNamed) {
  StorePtr store = NewStore();
  ModulePtr module = LoadModule(NamedImportsModule());
  ASSERT_NE(module, nullptr);
  rivet_instance* instance = nullptr;
  rivet_trap* trap = nullptr;
  std::string error = TakeError(
      rivet_instance_new_named(store.get(), module.get(), nullptr, 0, &instance, &trap));
  EXPECT_EQ(error, "unknown imports: \"env\" \"twice\", \"env\" \"g\"");
  EXPECT_EQ(instance, nullptr);
  EXPECT_EQ(trap, nullptr);
}

}  // namespace
}  // namespace rivet::api_test
