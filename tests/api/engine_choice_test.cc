// The C API's engine choice: a module carrying AOT code for this machine
// runs natively by default, computes what the interpreter computes, and
// says why; options force an engine or describe another machine.
#include <string>
#include <vector>

#include "aot/compiler.h"
#include "gtest/gtest.h"
#include "loader/aot_section.h"
#include "loader/module.h"
#include "runtime/rivet.h"
#include "tests/api/api_test_util.h"

namespace rivet::api_test {
namespace {

// (func (export "mix") (param i32 i32) (result i32)
//   (i32.xor (i32.mul (local.get 0) (local.get 1)) (i32.div_s ...)))
Bytes Plain() {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32, kI32}, {kI32});
  uint32_t f = b.AddFunction(
      t, Cat(LocalGet(0), LocalGet(1), kI32Mul, LocalGet(0), LocalGet(1), kI32DivS, kI32Xor, kEnd));
  b.AddExport("mix", kExternFunc, f);
  return b.Build();
}

// `wasm` with AOT code for `target` (e.g. "host", "riscv32").
Bytes Compiled(const Bytes& wasm, const char* target, const char* abi = "") {
  auto module = rivet::DecodeModule(wasm);
  EXPECT_TRUE(module.ok());
  rivet::aot::TargetOptions options;
  options.target = target;
  options.abi = abi;
  auto payload = rivet::aot::CompileModule(**module, options);
  EXPECT_TRUE(payload.ok()) << payload.status().message();
  auto section = rivet::aot::DecodeAotSection(*payload);
  EXPECT_TRUE(section.ok());
  auto out = rivet::aot::AddAotSection(wasm, *section);
  EXPECT_TRUE(out.ok());
  return *out;
}

struct Loaded {
  ModulePtr module;
  std::string error;
};

Loaded Load(const Bytes& wasm, rivet_engine engine, const char* profile = nullptr) {
  rivet_load_options options{engine, profile};
  rivet_module* module = nullptr;
  std::string error =
      TakeError(rivet_module_new_with_options(wasm.data(), wasm.size(), &options, &module));
  return Loaded{ModulePtr(module), error};
}

int32_t CallMix(rivet_store* store, const rivet_module* module, int32_t a, int32_t b) {
  rivet_instance* instance = InstantiateOk(store, module);
  if (!instance) return 0;
  rivet_val args[2] = {{RIVET_I32, {.i32 = a}}, {RIVET_I32, {.i32 = b}}};
  rivet_val result;
  rivet_trap* trap = rivet_func_call(store, ExportedFunc(instance, "mix"), args, 2, &result, 1);
  EXPECT_EQ(trap, nullptr) << TakeTrap(trap);
  return result.of.i32;
}

TEST(EngineChoiceTest, AotCodeForThisMachineRunsNativelyWithTheSameResults) {
  Bytes wasm = Compiled(Plain(), "host");
  Loaded aot = Load(wasm, RIVET_ENGINE_AUTO);
  ASSERT_EQ(aot.error, "");
  EXPECT_EQ(rivet_module_engine(aot.module.get()), RIVET_ENGINE_AOT);
  EXPECT_TRUE(Contains(rivet_module_explain(aot.module.get()), "engine: aot"));
  Loaded interp = Load(wasm, RIVET_ENGINE_INTERP);
  ASSERT_EQ(interp.error, "");
  EXPECT_EQ(rivet_module_engine(interp.module.get()), RIVET_ENGINE_INTERP);
  StorePtr store = NewStore();
  for (auto [a, b] : {std::pair{7, 3}, {-100, 7}, {123456, -5}}) {
    EXPECT_EQ(CallMix(store.get(), aot.module.get(), a, b),
              CallMix(store.get(), interp.module.get(), a, b));
  }
}

TEST(EngineChoiceTest, StrictAotFailsWithTheReason) {
  Loaded plain = Load(Plain(), RIVET_ENGINE_AOT);
  EXPECT_EQ(plain.module, nullptr);
  EXPECT_TRUE(Contains(plain.error, "no rivet.aot section"));
  Loaded foreign = Load(Compiled(Plain(), "riscv32"), RIVET_ENGINE_AOT);
  EXPECT_EQ(foreign.module, nullptr);
  EXPECT_TRUE(Contains(foreign.error, "riscv32"));
}

TEST(EngineChoiceTest, AutoInterpretsWhatDoesNotFitAndSaysWhy) {
  Loaded loaded = Load(Compiled(Plain(), "riscv32"), RIVET_ENGINE_AUTO);
  ASSERT_EQ(loaded.error, "");
  EXPECT_EQ(rivet_module_engine(loaded.module.get()), RIVET_ENGINE_INTERP);
  EXPECT_TRUE(Contains(rivet_module_explain(loaded.module.get()), "engine: interp"));
  StorePtr store = NewStore();
  EXPECT_EQ(CallMix(store.get(), loaded.module.get(), 6, 7), 42 ^ 0);
}

TEST(EngineChoiceTest, MeteredStoresInterpretCompiledModules) {
  // Fuel is counted by the interpreter only: the same module runs out of it.
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  uint32_t f = b.AddFunction(t, Cat(Loop(kVoid), Br(0), kEnd, kEnd));
  b.AddExport("spin", kExternFunc, f);
  Loaded loaded = Load(Compiled(b.Build(), "host"), RIVET_ENGINE_AUTO);
  ASSERT_EQ(loaded.error, "");
  ASSERT_EQ(rivet_module_engine(loaded.module.get()), RIVET_ENGINE_AOT);
  StorePtr store = NewStore();
  rivet_store_set_fuel(store.get(), 1000);
  rivet_instance* instance = InstantiateOk(store.get(), loaded.module.get());
  ASSERT_NE(instance, nullptr);
  TrapInfo trap = TakeTrap(
      rivet_func_call(store.get(), ExportedFunc(instance, "spin"), nullptr, 0, nullptr, 0));
  EXPECT_EQ(trap.kind, RIVET_TRAP_OUT_OF_FUEL) << trap;
}

TEST(EngineChoiceTest, BadOptionsAreErrors) {
  Bytes wasm = Plain();
  EXPECT_TRUE(Contains(Load(wasm, RIVET_ENGINE_AUTO, "sparc:v9:x").error, "unknown architecture"));
  EXPECT_TRUE(Contains(Load(wasm, static_cast<rivet_engine>(9)).error, "unknown engine 9"));
}

}  // namespace
}  // namespace rivet::api_test
