// Instantiation: import checking, segment initialisation and its failure
// (with the spec's rule that earlier writes into imported objects stay),
// the start function, globals initialised from imports, and exports.
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

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part
                                       << "\"";
}

FuncInstance* Identity(Store& store, ValType type) {
  return store.NewHostFunction(FuncType({type}, {type}),
                               [](std::span<const Slot> args, std::span<Slot> results) {
                                 results[0] = args[0];
                                 return std::optional<Trap>();
                               });
}

TableType TabType(uint64_t min, std::optional<uint64_t> max = std::nullopt,
                  ValType elem = ValType::kFuncRef) {
  TableType type;
  type.elem_type = elem;
  type.limits.min = min;
  type.limits.max = max;
  return type;
}

GlobalType GlobType(ValType type, bool is_mutable) {
  GlobalType g;
  g.type = type;
  g.is_mutable = is_mutable;
  return g;
}

// --- Link errors -------------------------------------------------------------------

// Imports, in order: "env" "f" (i32) -> (i32), "env" "mem" memory 2..4,
// "env" "tab" funcref table 1.., "env" "g" immutable i64, "env" "mg" mutable i32.
class LinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ModuleBuilder b;
    uint32_t t = b.AddType({kI32}, {kI32});
    b.ImportFunction("env", "f", t);
    b.ImportMemory("env", "mem", 2, 4);
    b.ImportTable("env", "tab", kFuncRef, 1);
    b.ImportGlobal("env", "g", kI64, false);
    b.ImportGlobal("env", "mg", kI32, true);
    module_ = b.Build();
    f_ = Identity(store_, I32);
    mem_ = store_.NewMemory(MemType(2, 4));
    tab_ = store_.NewTable(TabType(1));
    g_ = store_.NewGlobal(GlobType(I64, false));
    mg_ = store_.NewGlobal(GlobType(I32, true));
  }
  std::vector<Extern> Good() {
    return {FuncExtern(f_), MemoryExtern(mem_), TableExtern(tab_), GlobalExtern(g_),
            GlobalExtern(mg_)};
  }
  // Instantiating with import `index` replaced by `ext` fails with a link
  // error whose message names `name`.
  ::testing::AssertionResult LinkFails(size_t index, Extern ext, const std::string& name) {
    std::vector<Extern> imports = Good();
    imports[index] = ext;
    InstantiateError error = InstantiateFails(store_, module_, imports);
    if (!error.link_error) {
      return ::testing::AssertionFailure() << "not a link error: " << error.trap.message;
    }
    return Contains(error.trap.message, name);
  }

  Store store_;
  Bytes module_;
  FuncInstance* f_;
  Memory* mem_;
  Table* tab_;
  Global* g_;
  Global* mg_;
};

TEST_F(LinkTest, MatchingImportsInstantiate) {
  EXPECT_NE(InstantiateOk(store_, module_, Good()), nullptr);
}

TEST_F(LinkTest, MissingImportsAreLinkErrorsNamingTheImport) {
  // A null object where the import should be.
  Extern null_func;
  null_func.kind = ExternKind::kFunc;
  null_func.func = nullptr;
  EXPECT_TRUE(LinkFails(0, null_func, "\"env\" \"f\""));
  Extern null_memory;
  null_memory.kind = ExternKind::kMemory;
  null_memory.memory = nullptr;
  EXPECT_TRUE(LinkFails(1, null_memory, "\"env\" \"mem\""));

  // Too many imports: a link error.
  std::vector<Extern> extra = Good();
  extra.push_back(FuncExtern(f_));
  InstantiateError error = InstantiateFails(store_, module_, extra);
  EXPECT_TRUE(error.link_error) << error.trap.message;
}

TEST_F(LinkTest, TooFewImportsIsALinkErrorNamingTheFirstMissingImport) {
  // Fewer imports than the module declares: the first one not given is
  // missing.
  std::vector<Extern> fewer = Good();
  fewer.pop_back();
  InstantiateError error = InstantiateFails(store_, module_, fewer);
  EXPECT_TRUE(error.link_error) << error.trap.message;
  // Regression (fixed in 73cb0e8): the message was "expected 5 imports, got
  // 4", which did not name the missing import "env" "mg".
  EXPECT_TRUE(Contains(error.trap.message, "\"env\" \"mg\""));

  error = InstantiateFails(store_, module_, {});
  EXPECT_TRUE(error.link_error) << error.trap.message;
  // Regression: likewise "expected 5 imports, got 0", not naming "env" "f".
  EXPECT_TRUE(Contains(error.trap.message, "\"env\" \"f\""));
}

TEST_F(LinkTest, WrongKindIsALinkError) {
  EXPECT_TRUE(LinkFails(0, MemoryExtern(mem_), "\"env\" \"f\""));
  EXPECT_TRUE(LinkFails(1, TableExtern(tab_), "\"env\" \"mem\""));
  EXPECT_TRUE(LinkFails(2, GlobalExtern(g_), "\"env\" \"tab\""));
  EXPECT_TRUE(LinkFails(3, FuncExtern(f_), "\"env\" \"g\""));
}

TEST_F(LinkTest, FunctionTypeMismatch) {
  FuncInstance* wrong = Identity(store_, I64);
  EXPECT_TRUE(LinkFails(0, FuncExtern(wrong), "\"env\" \"f\""));
  std::vector<Extern> imports = Good();
  imports[0] = FuncExtern(wrong);
  InstantiateError error = InstantiateFails(store_, module_, imports);
  EXPECT_TRUE(Contains(error.trap.message, "(i64) -> (i64)"));
  EXPECT_TRUE(Contains(error.trap.message, "(i32) -> (i32)"));
  // Results matter too.
  FuncInstance* no_result = store_.NewHostFunction(FuncType({I32}, {}), [](auto, auto) {
    return std::optional<Trap>();
  });
  EXPECT_TRUE(LinkFails(0, FuncExtern(no_result), "\"env\" \"f\""));
}

TEST_F(LinkTest, MemoryLimitsMismatch) {
  EXPECT_TRUE(LinkFails(1, MemoryExtern(store_.NewMemory(MemType(1, 4))), "\"env\" \"mem\""));
  EXPECT_TRUE(LinkFails(1, MemoryExtern(store_.NewMemory(MemType(2))), "\"env\" \"mem\""));
  EXPECT_TRUE(LinkFails(1, MemoryExtern(store_.NewMemory(MemType(2, 5))), "\"env\" \"mem\""));
  EXPECT_TRUE(
      LinkFails(1, MemoryExtern(store_.NewMemory(MemType(2, 4, true))), "\"env\" \"mem\""));
  // Larger and more constrained is fine: 3 pages, max 3.
  std::vector<Extern> imports = Good();
  imports[1] = MemoryExtern(store_.NewMemory(MemType(3, 3)));
  EXPECT_NE(InstantiateOk(store_, module_, imports), nullptr);
  // What counts is the current size: 1 page grown to 2 matches min 2.
  Memory* grown = store_.NewMemory(MemType(1, 4));
  ASSERT_EQ(grown->Grow(1), 1);
  imports[1] = MemoryExtern(grown);
  EXPECT_NE(InstantiateOk(store_, module_, imports), nullptr);
}

TEST_F(LinkTest, TableAndGlobalMismatch) {
  EXPECT_TRUE(LinkFails(2, TableExtern(store_.NewTable(TabType(0))), "\"env\" \"tab\""));
  EXPECT_TRUE(LinkFails(2, TableExtern(store_.NewTable(TabType(1, std::nullopt,
                                                               ValType::kExternRef))),
                        "\"env\" \"tab\""));
  EXPECT_TRUE(LinkFails(3, GlobalExtern(store_.NewGlobal(GlobType(I32, false))),
                        "\"env\" \"g\""));
  EXPECT_TRUE(LinkFails(3, GlobalExtern(store_.NewGlobal(GlobType(I64, true))),
                        "\"env\" \"g\""));
  EXPECT_TRUE(LinkFails(4, GlobalExtern(store_.NewGlobal(GlobType(I32, false))),
                        "\"env\" \"mg\""));
}

// --- Segments ----------------------------------------------------------------------

TEST(SegmentTest, OutOfBoundsDataSegmentKeepsEarlierWritesToImportedMemory) {
  Store store;
  Memory* memory = store.NewMemory(MemType(1));
  Global* started = store.NewGlobal(GlobType(I32, true));
  ModuleBuilder b;
  uint32_t v_v = b.AddType({}, {});
  b.ImportMemory("env", "mem", 1);
  uint32_t g = b.ImportGlobal("env", "started", kI32, true);
  b.SetStart(b.AddFunction(v_v, Cat(I32Const(1), GlobalSet(g), kEnd)));
  b.AddActiveData(0, Str("abc"));
  b.AddActiveData(100, Str("xyz"));
  b.AddActiveData(65535, Str("12"));  // one byte too long
  b.AddActiveData(200, Str("late"));
  InstantiateError error =
      InstantiateFails(store, b.Build(), {MemoryExtern(memory), GlobalExtern(started)});
  EXPECT_FALSE(error.link_error);
  EXPECT_EQ(error.trap.kind, TrapKind::kMemoryOutOfBounds);
  EXPECT_EQ(error.trap.message, "out of bounds memory access");
  // Segments before the failing one were written; the failing one wrote
  // nothing, later ones did not run, nor did the start function.
  EXPECT_EQ(std::memcmp(memory->data(), "abc", 3), 0);
  EXPECT_EQ(std::memcmp(memory->data() + 100, "xyz", 3), 0);
  EXPECT_EQ(memory->data()[65535], 0);
  EXPECT_EQ(memory->data()[200], 0);
  EXPECT_EQ(started->value[0], 0u);
}

TEST(SegmentTest, SegmentJustFittingTheMemoryIsWritten) {
  Store store;
  Memory* memory = store.NewMemory(MemType(1));
  ModuleBuilder b;
  b.ImportMemory("env", "mem", 1);
  b.AddActiveData(65534, Str("12"));
  b.AddActiveData(65536, Bytes{});  // empty, at the very end: fine
  EXPECT_NE(InstantiateOk(store, b.Build(), {MemoryExtern(memory)}), nullptr);
  EXPECT_EQ(memory->data()[65534], '1');
  EXPECT_EQ(memory->data()[65535], '2');

  ModuleBuilder c;
  c.ImportMemory("env", "mem", 1);
  c.AddActiveData(65537, Bytes{});  // empty, but past the end: traps
  InstantiateError error = InstantiateFails(store, c.Build(), {MemoryExtern(memory)});
  EXPECT_FALSE(error.link_error);
  EXPECT_EQ(error.trap.message, "out of bounds memory access");
}

TEST(SegmentTest, OutOfBoundsElementSegmentKeepsEarlierWritesAndSkipsData) {
  Store store;
  Memory* memory = store.NewMemory(MemType(1));
  Table* table = store.NewTable(TabType(2));
  ModuleBuilder b;
  uint32_t v_i = b.AddType({}, {kI32});
  b.ImportMemory("env", "mem", 1);
  b.ImportTable("env", "tab", kFuncRef, 2);
  uint32_t f = b.AddFunction(v_i, Cat(I32Const(7), kEnd));
  b.AddActiveElem(0, {f});
  b.AddActiveElem(1, {f, f});  // one element too many
  b.AddActiveData(0, Str("data"));
  InstantiateError error =
      InstantiateFails(store, b.Build(), {MemoryExtern(memory), TableExtern(table)});
  EXPECT_FALSE(error.link_error);
  EXPECT_EQ(error.trap.kind, TrapKind::kTableOutOfBounds);
  EXPECT_EQ(error.trap.message, "out of bounds table access");
  ASSERT_NE(table->elements[0], 0u);
  EXPECT_EQ(table->elements[1], 0u);
  EXPECT_EQ(memory->data()[0], 0) << "data segments come after element segments";
  // The function written into the imported table stays callable.
  FuncInstance* written = reinterpret_cast<FuncInstance*>(table->elements[0]);
  EXPECT_TRUE(Returns(CallFunc(store, written), {7}));
}

TEST(SegmentTest, OffsetsFromImportedGlobals) {
  Store store;
  Global* base = store.NewGlobal(GlobType(I32, false));
  base->value[0] = 1000;
  ModuleBuilder b;
  uint32_t i_i = b.AddType({kI32}, {kI32});
  uint32_t gb = b.ImportGlobal("env", "base", kI32);
  b.AddMemory(1);
  b.AddData(Cat(0x00, Expr(Cat(GlobalGet(gb), I32Const(24), kI32Add)), Leb(2), Str("hi")));
  uint32_t load = b.AddFunction(i_i, Cat(LocalGet(0), Mem(kI32Load16U, 1, 0), kEnd));
  b.AddExport("load16", kExternFunc, load);
  Instance* instance = InstantiateOk(store, b.Build(), {GlobalExtern(base)});
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "load16"), {1024}), {'h' | ('i' << 8)}));
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "load16"), {1022}), {0}));
}

// --- Start function ----------------------------------------------------------------

TEST(StartTest, StartFunctionRunsOnceDuringInstantiation) {
  Store store;
  int host_calls = 0;
  FuncInstance* note = store.NewHostFunction(FuncType({I32}, {}),
                                             [&](std::span<const Slot> args, auto) {
                                               host_calls += static_cast<int>(args[0]);
                                               return std::optional<Trap>();
                                             });
  ModuleBuilder b;
  uint32_t v_v = b.AddType({}, {});
  uint32_t i_v = b.AddType({kI32}, {});
  uint32_t v_i = b.AddType({}, {kI32});
  uint32_t ni = b.ImportFunction("env", "note", i_v);
  b.AddMemory(1);
  uint32_t g = b.AddGlobal(kI32, true, Expr(I32Const(5)));
  b.AddActiveData(0, Str("A"));
  // start: g = g * 10 + mem[0]; note(1) -- it sees the data segment.
  uint32_t start = b.AddFunction(v_v, Cat(GlobalGet(g), I32Const(10), kI32Mul, I32Const(0),
                                          Mem(kI32Load8U, 0, 0), kI32Add, GlobalSet(g),
                                          I32Const(1), Call(ni), kEnd));
  uint32_t get = b.AddFunction(v_i, Cat(GlobalGet(g), kEnd));
  b.SetStart(start);
  b.AddExport("get", kExternFunc, get);
  Instance* instance = InstantiateOk(store, b.Build(), {FuncExtern(note)});
  EXPECT_EQ(host_calls, 1);
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "get")), {50 + 'A'}));
  EXPECT_EQ(host_calls, 1);
}

TEST(StartTest, TrappingStartFunctionFailsInstantiationButKeepsItsWrites) {
  Store store;
  Memory* memory = store.NewMemory(MemType(1));
  ModuleBuilder b;
  uint32_t v_v = b.AddType({}, {});
  b.ImportMemory("env", "mem", 1);
  b.SetStart(b.AddFunction(v_v, Cat(I32Const(8), I32Const(0x5a5a), Mem(kI32Store, 2, 0),
                                    I32Const(1), I32Const(0), kI32DivU, kDrop, kEnd)));
  InstantiateError error = InstantiateFails(store, b.Build(), {MemoryExtern(memory)});
  EXPECT_FALSE(error.link_error);
  EXPECT_EQ(error.trap.kind, TrapKind::kIntegerDivideByZero);
  EXPECT_EQ(error.trap.message, "integer divide by zero");
  EXPECT_EQ(memory->data()[8], 0x5a);
  EXPECT_EQ(memory->data()[9], 0x5a);
}

// --- Globals -------------------------------------------------------------------------

TEST(GlobalTest, GlobalsInitialisedFromImportedGlobals) {
  Store store;
  Global* base = store.NewGlobal(GlobType(I32, false));
  base->value[0] = 40;
  Global* big = store.NewGlobal(GlobType(I64, false));
  big->value[0] = 0x123456789abcdef0ull;
  Global* pi = store.NewGlobal(GlobType(F64, false));
  pi->value[0] = F64Slot(3.25);
  Global* counter = store.NewGlobal(GlobType(I32, true));
  counter->value[0] = 7;

  ModuleBuilder b;
  uint32_t v_i = b.AddType({}, {kI32});
  uint32_t v_l = b.AddType({}, {kI64});
  uint32_t v_d = b.AddType({}, {kF64});
  uint32_t gb = b.ImportGlobal("env", "base", kI32);
  uint32_t gbig = b.ImportGlobal("env", "big", kI64);
  uint32_t gpi = b.ImportGlobal("env", "pi", kF64);
  uint32_t gc = b.ImportGlobal("env", "counter", kI32, true);
  uint32_t answer = b.AddGlobal(kI32, false, Expr(Cat(GlobalGet(gb), I32Const(2), kI32Add)));
  uint32_t big_copy =
      b.AddGlobal(kI64, true, Expr(Cat(GlobalGet(gbig), I64Const(-1), kI64Mul)));
  uint32_t pi_copy = b.AddGlobal(kF64, false, Expr(GlobalGet(gpi)));
  b.AddExport("answer", kExternGlobal, answer);
  b.AddExport("get_answer", kExternFunc, b.AddFunction(v_i, Cat(GlobalGet(answer), kEnd)));
  b.AddExport("get_big", kExternFunc, b.AddFunction(v_l, Cat(GlobalGet(big_copy), kEnd)));
  b.AddExport("get_pi", kExternFunc, b.AddFunction(v_d, Cat(GlobalGet(pi_copy), kEnd)));
  // bump(): counter += 1, returns it: the imported mutable global is shared.
  b.AddExport("bump", kExternFunc,
              b.AddFunction(v_i, Cat(GlobalGet(gc), I32Const(1), kI32Add, GlobalSet(gc),
                                     GlobalGet(gc), kEnd)));
  b.AddExport("counter", kExternGlobal, gc);
  Instance* instance =
      InstantiateOk(store, b.Build(),
                    {GlobalExtern(base), GlobalExtern(big), GlobalExtern(pi), GlobalExtern(counter)});
  ASSERT_NE(instance, nullptr);

  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "get_answer")), {42}));
  EXPECT_EQ(instance->GetExport("answer")->global->value[0], 42u);
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "get_big")),
                      {static_cast<Slot>(-int64_t{0x123456789abcdef0})}));
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "get_pi")), {F64Slot(3.25)}));
  // The defined globals copied the values: changing the import later does
  // not change them.
  base->value[0] = 1;
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "get_answer")), {42}));

  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "bump")), {8}));
  EXPECT_EQ(counter->value[0], 8u);
  counter->value[0] = 100;
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "bump")), {101}));
  EXPECT_EQ(instance->GetExport("counter")->global, counter);
}

// --- Exports -------------------------------------------------------------------------

TEST(ExportTest, GetExportFindsEveryKind) {
  Store store;
  FuncInstance* host = Identity(store, I32);
  ModuleBuilder b;
  uint32_t i_i = b.AddType({kI32}, {kI32});
  uint32_t hi = b.ImportFunction("env", "id", i_i);
  b.AddMemory(2, 3);
  b.AddTable(kFuncRef, 5);
  uint32_t g = b.AddGlobal(kF32, false, Expr(F32Const(1.5f)));
  uint32_t inc = b.AddFunction(i_i, Cat(LocalGet(0), I32Const(1), kI32Add, kEnd));
  b.AddExport("inc", kExternFunc, inc);
  b.AddExport("inc_again", kExternFunc, inc);
  b.AddExport("id", kExternFunc, hi);
  b.AddExport("memory", kExternMemory, 0);
  b.AddExport("table", kExternTable, 0);
  b.AddExport("g", kExternGlobal, g);
  b.AddExport("", kExternFunc, inc);  // the empty name is a name too
  Instance* instance = InstantiateOk(store, b.Build(), {FuncExtern(host)});
  ASSERT_NE(instance, nullptr);

  std::optional<Extern> e = instance->GetExport("inc");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->kind, ExternKind::kFunc);
  EXPECT_EQ(e->func, instance->functions[inc]);
  EXPECT_EQ(e->func->instance, instance);
  EXPECT_EQ(instance->GetExport("inc_again")->func, e->func);
  EXPECT_EQ(instance->GetExport("")->func, e->func);
  EXPECT_TRUE(Returns(CallFunc(store, e->func, {41}), {42}));
  // A re-exported import is the very same function.
  EXPECT_EQ(instance->GetExport("id")->func, host);

  e = instance->GetExport("memory");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->kind, ExternKind::kMemory);
  EXPECT_EQ(e->memory->pages(), 2u);
  EXPECT_EQ(e->memory->type().limits.max, std::optional<uint64_t>(3));
  e = instance->GetExport("table");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->kind, ExternKind::kTable);
  EXPECT_EQ(e->table->elements.size(), 5u);
  e = instance->GetExport("g");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->kind, ExternKind::kGlobal);
  EXPECT_EQ(e->global->value[0], F32Slot(1.5f));
  EXPECT_FALSE(e->global->type.is_mutable);

  EXPECT_FALSE(instance->GetExport("missing").has_value());
  EXPECT_FALSE(instance->GetExport("Inc").has_value());
  EXPECT_FALSE(instance->GetExport("inc ").has_value());
}

TEST(ExportTest, InstancesLinkThroughEachOthersExports) {
  // A owns a memory with 'A' at 0 and exports read0() = mem[0]. B has its
  // own memory with 'B' at 0, imports A's read0 and A's memory (as its
  // second memory) and computes read0() * 256 + mem[0]: a cross-instance
  // call runs on the callee's memory, and the caller's is back after it.
  Store store;
  ModuleBuilder a;
  uint32_t v_i = a.AddType({}, {kI32});
  a.AddMemory(1);
  a.AddActiveData(0, Str("A"));
  a.AddExport("read0", kExternFunc, a.AddFunction(v_i, Cat(I32Const(0), Mem(kI32Load8U, 0, 0),
                                                          kEnd)));
  a.AddExport("mem", kExternMemory, 0);
  Instance* ia = InstantiateOk(store, a.Build());
  ASSERT_NE(ia, nullptr);

  ModuleBuilder b;
  uint32_t bv_i = b.AddType({}, {kI32});
  uint32_t read0 = b.ImportFunction("a", "read0", bv_i);
  b.ImportMemory("a", "mem", 1);  // memory 0 of B is A's memory
  b.AddMemory(1);                 // memory 1 of B is its own
  b.AddData(Cat(0x02, Leb(1), Expr(I32Const(0)), Leb(1), Str("B")));  // into memory 1
  // both(): read0() * 256 + mem1[0] + mem0[1] * 65536 (mem0[1] written by B first)
  b.AddExport("both", kExternFunc,
              b.AddFunction(bv_i, Cat(I32Const(1), I32Const(3), Mem(kI32Store8, 0, 0), Call(read0),
                                      I32Const(256), kI32Mul, I32Const(0),
                                      Cat(kI32Load8U, MemArgIdx(0, 1, 0)), kI32Add, I32Const(1),
                                      Mem(kI32Load8U, 0, 0), I32Const(65536), kI32Mul, kI32Add,
                                      kEnd)));
  Instance* ib = InstantiateOk(
      store, b.Build(), {*ia->GetExport("read0"), *ia->GetExport("mem")});
  ASSERT_NE(ib, nullptr);
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(ib, "both")), {'A' * 256 + 'B' + 3 * 65536}));
  EXPECT_EQ(ia->GetExport("mem")->memory->data()[1], 3);
}

}  // namespace
}  // namespace rivet::runtime_test
