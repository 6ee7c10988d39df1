// Resource exhaustion is a clean error, never a crash or a hang: modules that
// ask for more than rivet or the store allows fail with a message that says
// what and how much, and large-but-allowed modules run correctly. Each case
// runs on both engines: the interpreter, and code compiled for this host by
// aot::CompileModule (whose compile time is printed, since a pathological
// module must not make the compiler take unbounded time either).
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "aot/compiler.h"
#include "loader/aot_section.h"
#include "loader/module.h"
#include "runtime/instantiate.h"
#include "runtime/module_manager.h"
#include "runtime/store.h"
#include "tests/loader/wasm_builder.h"

namespace rivet {
namespace {

using namespace rivet::test;  // NOLINT(build/namespaces)

enum class Engine { kInterp, kAot };

// What a module turned into: an instance, or the first error on the way
// (decoding, compiling or instantiating), as the user would see it.
struct Loaded {
  Instance* instance = nullptr;
  std::string error;
};

class ResourceLimitsTest : public ::testing::TestWithParam<Engine> {
 protected:
  Loaded Load(const Bytes& wasm) {
    Loaded out;
    auto module = DecodeModule(wasm);
    if (!module.ok()) {
      out.error = "decode: " + module.error().message;
      return out;
    }
    InstantiateOptions options;
    if (GetParam() == Engine::kAot) {
      aot::TargetOptions target;
      target.target = "host";
      auto start = std::chrono::steady_clock::now();
      auto payload = aot::CompileModule(**module, target);
      double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      std::printf("  [aot] CompileModule: %.2f s for %s\n", seconds,
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
      if (!payload.ok()) {
        out.error = "compile: " + std::string(payload.status().message());
        return out;
      }
      auto section = aot::DecodeAotSection(*payload);
      if (!section.ok()) {
        out.error = "section: " + section.error().message;
        return out;
      }
      auto compiled = aot::AddAotSection(wasm, *section);
      if (!compiled.ok()) {
        out.error = "section: " + compiled.error().message;
        return out;
      }
      LoadOptions load;
      load.engine = EngineChoice::kAot;
      auto loaded = LoadModule(std::move(*compiled), load);
      if (!loaded.ok()) {
        out.error = "load: " + loaded.error().message;
        return out;
      }
      options.native_code = loaded->native;
      *module = loaded->module;
    }
    auto result = Instantiate(store_, *module, {}, options);
    if (auto* error = std::get_if<InstantiateError>(&result)) {
      out.error = "instantiate: " + error->trap.message;
      return out;
    }
    out.instance = std::get<Instance*>(result);
    return out;
  }

  // The i32 result of calling export `name` with `args`, or "trap: MESSAGE".
  std::string Call(Instance* instance, const char* name, std::vector<Slot> args = {}) {
    std::optional<Extern> func = instance->GetExport(name);
    if (!func || func->kind != ExternKind::kFunc) return std::string("no export ") + name;
    auto outcome = Invoke(store_, func->func, args);
    if (Trap* trap = std::get_if<Trap>(&outcome)) return "trap: " + trap->message;
    const auto& results = std::get<std::vector<Slot>>(outcome);
    return results.empty() ? "" : std::to_string(static_cast<int32_t>(results[0]));
  }

  Store store_;
};

TEST_P(ResourceLimitsTest, FourGibMemoryOnASmallStoreLimitFailsToLink) {
  store_.limits.max_memory_pages = 256;  // 16 MiB
  ModuleBuilder b;
  b.AddMemory(65536);  // 4 GiB
  Loaded loaded = Load(b.Build());
  EXPECT_EQ(loaded.error,
            "instantiate: memory 0 needs 65536 pages, more than this store's limit of 256");
}

TEST_P(ResourceLimitsTest, GrowingPastTheStoreLimitReturnsMinusOne) {
  store_.limits.max_memory_pages = 256;
  ModuleBuilder b;
  uint32_t i_i = b.AddType({kI32}, {kI32});
  b.AddMemory(1);
  b.AddExport("grow", kExternFunc, b.AddFunction(i_i, Cat(LocalGet(0), kMemoryGrowOp, 0x00, kEnd)));
  Loaded loaded = Load(b.Build());
  ASSERT_EQ(loaded.error, "");
  EXPECT_EQ(Call(loaded.instance, "grow", {65535}), "-1");  // to 4 GiB
  EXPECT_EQ(Call(loaded.instance, "grow", {255}), "1");     // exactly the limit
  EXPECT_EQ(Call(loaded.instance, "grow", {1}), "-1");
}

// call_indirect through element `index` of a table holding nothing.
Bytes TableModule(uint32_t min) {
  ModuleBuilder b;
  uint32_t v_i = b.AddType({}, {kI32});
  uint32_t i_i = b.AddType({kI32}, {kI32});
  b.AddTable(kFuncRef, min);
  b.AddExport("size", kExternFunc, b.AddFunction(v_i, Cat(TableSize(0), kEnd)));
  b.AddExport("call", kExternFunc,
              b.AddFunction(i_i, Cat(LocalGet(0), CallIndirect(v_i), kEnd)));
  return b.Build();
}

TEST_P(ResourceLimitsTest, TableOfTenMillionElementsWorks) {
  Loaded loaded = Load(TableModule(10'000'000));
  ASSERT_EQ(loaded.error, "");
  EXPECT_EQ(Call(loaded.instance, "size"), "10000000");
  EXPECT_EQ(Call(loaded.instance, "call", {9'999'999}), "trap: uninitialized element");
  EXPECT_EQ(Call(loaded.instance, "call", {10'000'000}), "trap: undefined element");
}

TEST_P(ResourceLimitsTest, TableBeyondRivetsLimitFailsToLink) {
  EXPECT_EQ(Load(TableModule(10'000'001)).error,
            "instantiate: table 0 needs 10000001 elements, more than rivet's limit of 10000000");
  // The largest a wasm32 table may declare: would be a 32 GiB allocation.
  EXPECT_EQ(Load(TableModule(0xffffffffu)).error,
            "instantiate: table 0 needs 4294967295 elements, more than rivet's limit of "
            "10000000");
}

// A function with `count` i64 locals that stores into the last and the first
// and returns their sum.
Bytes ManyLocalsModule(uint32_t count) {
  ModuleBuilder b;
  uint32_t v_i = b.AddType({}, {kI32});
  Bytes code = Cat(I64Const(40), LocalSet(count - 1), I64Const(2), LocalSet(0),
                   LocalGet(count - 1), LocalGet(0), kI64Add, kI32WrapI64, kEnd);
  b.AddExport("f", kExternFunc, b.AddFunction(v_i, code, {{count, kI64}}));
  return b.Build();
}

TEST_P(ResourceLimitsTest, FiftyThousandLocalsRun) {
  Loaded loaded = Load(ManyLocalsModule(50'000));
  ASSERT_EQ(loaded.error, "");
  EXPECT_EQ(Call(loaded.instance, "f"), "42");
}

TEST_P(ResourceLimitsTest, MoreLocalsThanTheLimitFailToDecode) {
  std::string error = Load(ManyLocalsModule(50'001)).error;
  EXPECT_NE(error.find("decode: "), std::string::npos) << error;
  EXPECT_NE(error.find("too many locals in function"), std::string::npos) << error;
  EXPECT_NE(error.find("more than the limit of 50000"), std::string::npos) << error;
}

// `depth` nested blocks; the innermost branches out of all of them with 7.
Bytes NestedBlocksModule(uint32_t depth) {
  ModuleBuilder b;
  uint32_t v_i = b.AddType({}, {kI32});
  Bytes code;
  code.reserve(depth * 3 + 16);
  for (uint32_t i = 0; i < depth; ++i) internal::Append(code, Block(kI32));
  internal::Append(code, Cat(I32Const(7), Br(depth - 1)));
  for (uint32_t i = 0; i < depth; ++i) code.push_back(kEnd);
  code.push_back(kEnd);
  b.AddExport("f", kExternFunc, b.AddFunction(v_i, code));
  return b.Build();
}

TEST_P(ResourceLimitsTest, HundredThousandNestedBlocksRun) {
  Loaded loaded = Load(NestedBlocksModule(100'000));
  ASSERT_EQ(loaded.error, "");
  EXPECT_EQ(Call(loaded.instance, "f"), "7");
}

TEST_P(ResourceLimitsTest, HugeBrTableRuns) {
  // br_table with 1,000,000 targets: index i leaves block (i % 3) and
  // returns 100 + i % 3; the default leaves the outermost and returns 103.
  // (The AOT compiler maps large tables through a constant array of label
  // ordinals: as one LLVM switch, a million cases took 166 s to compile.)
  const uint32_t kTargets = 1'000'000;
  ModuleBuilder b;
  uint32_t i_i = b.AddType({kI32}, {kI32});
  std::vector<uint32_t> targets(kTargets);
  for (uint32_t i = 0; i < kTargets; ++i) targets[i] = i % 3;
  Bytes code = Cat(Block(kVoid), Block(kVoid), Block(kVoid), Block(kVoid), LocalGet(0),
                   BrTable(targets, 3), kEnd, I32Const(100), kReturn, kEnd, I32Const(101),
                   kReturn, kEnd, I32Const(102), kReturn, kEnd, I32Const(103), kEnd);
  b.AddExport("f", kExternFunc, b.AddFunction(i_i, code));
  Loaded loaded = Load(b.Build());
  ASSERT_EQ(loaded.error, "");
  EXPECT_EQ(Call(loaded.instance, "f", {0}), "100");
  for (uint32_t index : {kTargets - 3, kTargets - 2, kTargets - 1}) {
    EXPECT_EQ(Call(loaded.instance, "f", {index}), std::to_string(100 + index % 3));
  }
  EXPECT_EQ(Call(loaded.instance, "f", {kTargets}), "103");  // the default
}

TEST_P(ResourceLimitsTest, DataSegmentFarPastMemoryFailsToInstantiate) {
  ModuleBuilder b;
  b.AddMemory(1);
  b.AddActiveData(-65536, Str("far"));  // i32.const 0xffff0000
  EXPECT_EQ(Load(b.Build()).error, "instantiate: out of bounds memory access");
}

INSTANTIATE_TEST_SUITE_P(Engines, ResourceLimitsTest,
                         ::testing::Values(Engine::kInterp, Engine::kAot),
                         [](const ::testing::TestParamInfo<Engine>& info) {
                           return info.param == Engine::kInterp ? "Interp" : "Aot";
                         });

// A million functions: decoded and run by the interpreter. (Not compiled:
// LLVM would take minutes for a million functions; see the report in
// tests/fuzz/README.md.)
TEST(ResourceLimitsInterpTest, AMillionFunctionsRun) {
  constexpr uint32_t kFunctions = 1'000'000;
  ModuleBuilder b;
  uint32_t v_i = b.AddType({}, {kI32});
  uint32_t last = 0;
  for (uint32_t i = 0; i < kFunctions; ++i) {
    last = b.AddFunction(v_i, Cat(I32Const(static_cast<int32_t>(i % 1000)), kEnd));
  }
  b.AddExport("last", kExternFunc, last);
  auto module = DecodeModule(b.Build());
  ASSERT_TRUE(module.ok()) << module.error().message;
  EXPECT_EQ((*module)->functions.size(), kFunctions);
  Store store;
  auto result = Instantiate(store, *module, {});
  ASSERT_TRUE(std::holds_alternative<Instance*>(result))
      << std::get<InstantiateError>(result).trap.message;
  auto outcome = Invoke(store, std::get<Instance*>(result)->GetExport("last")->func, {});
  ASSERT_TRUE(std::holds_alternative<std::vector<Slot>>(outcome));
  EXPECT_EQ(std::get<std::vector<Slot>>(outcome)[0], 999u);
}

}  // namespace
}  // namespace rivet
