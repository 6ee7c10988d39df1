// The runtime helpers compiled code calls (rivet_aot_memory_*, _table_*,
// _data_drop, _elem_drop, _atomic_*): their effects, their bounds traps (the
// interpreter's kinds and messages), the table and memory views they keep
// current, canonical type ids, and FindRuntimeHelper.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "loader/aot_abi.h"
#include "runtime/aot/helpers.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "tests/loader/wasm_builder.h"
#include "tests/runtime/aot_test_util.h"
#include "tests/runtime/runtime_test_util.h"

namespace rivet::runtime_test {
namespace {

using namespace std::chrono_literals;

// The operations op(which, a, b, c) performs, each through one helper.
enum Op : int32_t {
  kFill,       // memory.fill(dst a, 0x5a, count b)
  kCopy,       // memory.copy(dst a, src b, count c)
  kInit,       // memory.init(segment 0, dst a, src b, count c)
  kDataDrop,   // data.drop 0
  kTableGet,   // table.get(a): 1 + the index of the function there, 0 if null
  kTableSet,   // table.set(a, function b)
  kTableFill,  // table.fill(a, function 0, count b)
  kTableCopy,  // table.copy(dst a, src b, count c)
  kTableInit,  // table.init(segment 0, dst a, src b, count c)
  kElemDrop,   // elem.drop 0
  kTableGrow,  // table.grow(function 1, delta a)
  kWait32,     // memory.atomic.wait32(a, expected b, timeout c ns)
  kNotify,     // memory.atomic.notify(a, count b)
};

int32_t FunctionIndexPlusOne(AotContext* ctx, uintptr_t ref) {
  if (!ref) return 0;
  for (int32_t i = 0; i < 2; ++i) {
    if (ref == reinterpret_cast<uintptr_t>(ctx->functions[i])) return i + 1;
  }
  return -1;
}

int32_t Operate(AotContext* ctx, int32_t which, uint32_t a, uint32_t b, uint32_t c) {
  auto function = [&](uint32_t i) { return reinterpret_cast<uintptr_t>(ctx->functions[i]); };
  switch (which) {
    case kFill: rivet_aot_memory_fill(ctx, 0, a, 0x5a, b); return 0;
    case kCopy: rivet_aot_memory_copy(ctx, 0, 0, a, b, c); return 0;
    case kInit: rivet_aot_memory_init(ctx, 0, 0, a, b, c); return 0;
    case kDataDrop: rivet_aot_data_drop(ctx, 0); return 0;
    case kTableGet: return FunctionIndexPlusOne(ctx, rivet_aot_table_get(ctx, 0, a));
    case kTableSet: rivet_aot_table_set(ctx, 0, a, function(b)); return 0;
    case kTableFill: rivet_aot_table_fill(ctx, 0, a, function(0), b); return 0;
    case kTableCopy: rivet_aot_table_copy(ctx, 0, 0, a, b, c); return 0;
    case kTableInit: rivet_aot_table_init(ctx, 0, 0, a, b, c); return 0;
    case kElemDrop: rivet_aot_elem_drop(ctx, 0); return 0;
    case kTableGrow: return rivet_aot_table_grow(ctx, 0, function(1), a);
    case kWait32: return rivet_aot_atomic_wait32(ctx, 0, a, b, c);
    case kNotify: return rivet_aot_atomic_notify(ctx, 0, a, b);
  }
  rivet_aot_trap(ctx, aot::kAotTrapUnreachable);
}
void OperateEntry(AotContext* ctx, uint64_t* slots) {
  slots[0] = static_cast<uint32_t>(Operate(ctx, static_cast<int32_t>(slots[0]),
                                           static_cast<uint32_t>(slots[1]),
                                           static_cast<uint32_t>(slots[2]),
                                           static_cast<uint32_t>(slots[3])));
}

// f0 "op" (the helpers), f1 (a second function for references); memory 0
// of 1 page (max 2, shared when asked), passive data "hello"; table 0 of 4
// funcrefs (max 6), passive element segment [f1, f0].
Bytes HelpersModule(bool shared_memory = false) {
  ModuleBuilder b;
  uint32_t op_t = b.AddType({kI32, kI32, kI32, kI32}, {kI32});
  uint32_t v_v = b.AddType({}, {});
  b.AddFunction(op_t, Cat(kUnreachable, kEnd));
  b.AddFunction(v_v, Cat(kEnd));
  b.AddTable(kFuncRef, 4, 6);
  b.AddMemory(1, 2, shared_memory);
  b.AddPassiveData(Str("hello"));
  b.AddElem(Cat(0x01, 0x00, IndexVec({1, 0})));
  b.AddExport("op", kExternFunc, 0);
  return b.Build();
}

struct HelpersFixture {
  explicit HelpersFixture(bool shared_memory = false) {
    auto code = std::make_shared<TestCode>();
    code->Define(0, Address(Operate), Address(OperateEntry));
    instance = InstantiateNative(store, HelpersModule(shared_memory), code);
    if (instance) {
      memory = instance->memories[0];
      table = instance->tables[0];
    }
  }
  Outcome Run(Op which, uint32_t a = 0, uint32_t b = 0, uint32_t c = 0) {
    return CallFunc(store, instance ? instance->functions[0] : nullptr,
                    {Slot(which), a, b, c});
  }
  Ref FunctionRef(uint32_t i) const { return reinterpret_cast<Ref>(instance->functions[i]); }

  Store store;
  Instance* instance = nullptr;
  Memory* memory = nullptr;
  Table* table = nullptr;
};

constexpr uint32_t kPage = Memory::kPageSize;

TEST(AotHelpersTest, MemoryFillCopyInit) {
  HelpersFixture f;
  ASSERT_NE(f.instance, nullptr);
  EXPECT_TRUE(Returns(f.Run(kFill, 10, 3), {0}));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(f.memory->data()) + 9, 5),
            std::string("\0ZZZ\0", 5));
  EXPECT_TRUE(Returns(f.Run(kCopy, 11, 10, 3), {0}));  // overlapping
  EXPECT_EQ(std::string(reinterpret_cast<char*>(f.memory->data()) + 10, 5),
            std::string("ZZZZ\0", 5));
  EXPECT_TRUE(Returns(f.Run(kInit, 100, 1, 4), {0}));
  EXPECT_EQ(std::string(reinterpret_cast<char*>(f.memory->data()) + 100, 4), "ello");
  // Up to the end is in bounds; one past it is not, and writes nothing.
  EXPECT_TRUE(Returns(f.Run(kFill, kPage - 1, 1), {0}));
  EXPECT_TRUE(Traps(f.Run(kFill, kPage - 1, 2), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_EQ(f.memory->data()[kPage - 2], 0);
  EXPECT_TRUE(Traps(f.Run(kFill, 0xffffffff, 0xffffffff), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Traps(f.Run(kCopy, 0, kPage - 1, 2), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Traps(f.Run(kCopy, kPage - 1, 0, 2), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Traps(f.Run(kInit, 0, 2, 4), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Traps(f.Run(kInit, kPage - 2, 0, 3), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  // After data.drop the segment is empty: only empty copies from it work.
  EXPECT_TRUE(Returns(f.Run(kDataDrop), {0}));
  EXPECT_TRUE(Returns(f.Run(kInit, 0, 0, 0), {0}));
  EXPECT_TRUE(Traps(f.Run(kInit, 0, 0, 1), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
}

TEST(AotHelpersTest, TableGetSetFillCopyInit) {
  HelpersFixture f;
  ASSERT_NE(f.instance, nullptr);
  EXPECT_TRUE(Returns(f.Run(kTableGet, 3), {0}));
  EXPECT_TRUE(Returns(f.Run(kTableSet, 3, 1), {0}));
  EXPECT_EQ(f.table->elements[3], f.FunctionRef(1));
  EXPECT_TRUE(Returns(f.Run(kTableGet, 3), {2}));
  EXPECT_TRUE(Traps(f.Run(kTableGet, 4), TrapKind::kTableOutOfBounds,
                    "out of bounds table access"));
  EXPECT_TRUE(Traps(f.Run(kTableSet, 4, 0), TrapKind::kTableOutOfBounds,
                    "out of bounds table access"));

  EXPECT_TRUE(Returns(f.Run(kTableFill, 0, 2), {0}));
  EXPECT_EQ(f.table->elements,
            (std::vector<Ref>{f.FunctionRef(0), f.FunctionRef(0), 0, f.FunctionRef(1)}));
  EXPECT_TRUE(Traps(f.Run(kTableFill, 3, 2), TrapKind::kTableOutOfBounds,
                    "out of bounds table access"));
  EXPECT_EQ(f.table->elements[3], f.FunctionRef(1));

  EXPECT_TRUE(Returns(f.Run(kTableCopy, 1, 2, 2), {0}));  // overlapping
  EXPECT_EQ(f.table->elements,
            (std::vector<Ref>{f.FunctionRef(0), 0, f.FunctionRef(1), f.FunctionRef(1)}));
  EXPECT_TRUE(Traps(f.Run(kTableCopy, 3, 0, 2), TrapKind::kTableOutOfBounds,
                    "out of bounds table access"));
  EXPECT_TRUE(Traps(f.Run(kTableCopy, 0, 3, 2), TrapKind::kTableOutOfBounds,
                    "out of bounds table access"));

  EXPECT_TRUE(Returns(f.Run(kTableInit, 0, 0, 2), {0}));
  EXPECT_EQ(f.table->elements[0], f.FunctionRef(1));
  EXPECT_EQ(f.table->elements[1], f.FunctionRef(0));
  EXPECT_TRUE(Traps(f.Run(kTableInit, 0, 1, 2), TrapKind::kTableOutOfBounds,
                    "out of bounds table access"));
  EXPECT_TRUE(Traps(f.Run(kTableInit, 3, 0, 2), TrapKind::kTableOutOfBounds,
                    "out of bounds table access"));
  EXPECT_TRUE(Returns(f.Run(kElemDrop), {0}));
  EXPECT_TRUE(Returns(f.Run(kTableInit, 0, 0, 0), {0}));
  EXPECT_TRUE(Traps(f.Run(kTableInit, 0, 0, 1), TrapKind::kTableOutOfBounds,
                    "out of bounds table access"));
}

TEST(AotHelpersTest, TableGrowKeepsTheViewCurrent) {
  HelpersFixture f;
  ASSERT_NE(f.instance, nullptr);
  aot::AotTable* view = f.instance->aot_context->tables[0];
  EXPECT_EQ(view, &f.table->aot);
  EXPECT_EQ(view->elements, f.table->elements.data());
  EXPECT_EQ(view->size, 4u);
  EXPECT_TRUE(Returns(f.Run(kTableGrow, 2), {4}));
  EXPECT_EQ(view->elements, f.table->elements.data());
  EXPECT_EQ(view->size, 6u);
  EXPECT_EQ(f.table->elements[5], f.FunctionRef(1));
  EXPECT_TRUE(Returns(f.Run(kTableGet, 5), {2}));
  // Past the maximum: -1, the view unchanged.
  EXPECT_TRUE(Returns(f.Run(kTableGrow, 1), {I32Slot(-1)}));
  EXPECT_EQ(view->size, 6u);
}

// The C API's and the interpreter's growth go through Table::Grow too.
TEST(AotHelpersTest, TableViewFollowsGrowthFromElsewhere) {
  Store store;
  Table* table = store.NewTable(TableType{ValType::kFuncRef, Limits{1, std::nullopt, false}});
  EXPECT_EQ(table->aot.elements, table->elements.data());
  EXPECT_EQ(table->aot.size, 1u);
  for (int i = 0; i < 10; ++i) ASSERT_EQ(table->Grow(100, 0), 1 + 100 * i);
  EXPECT_EQ(table->aot.elements, table->elements.data());
  EXPECT_EQ(table->aot.size, 1001u);
}

TEST(AotHelpersTest, WaitNeedsASharedMemory) {
  HelpersFixture f;
  ASSERT_NE(f.instance, nullptr);
  EXPECT_TRUE(Traps(f.Run(kWait32, 0, 0, 0), TrapKind::kExpectedSharedMemory,
                    "expected shared memory"));
  EXPECT_TRUE(Returns(f.Run(kNotify, 0, 1), {0}));
}

TEST(AotHelpersTest, WaitAndNotifyOnASharedMemory) {
  HelpersFixture f(/*shared_memory=*/true);
  ASSERT_NE(f.instance, nullptr);
  EXPECT_TRUE(f.memory->shared());
  // Not equal, then timed out.
  EXPECT_TRUE(Returns(f.Run(kWait32, 0, 1, 0), {1}));
  EXPECT_TRUE(Returns(f.Run(kWait32, 0, 0, 1000), {2}));

  // A waiter on another thread, with a store of its own, woken by an
  // interpreted notify: both engines share one table of waiters.
  auto waiter_store = std::make_shared<Store>();
  auto code = std::make_shared<TestCode>();
  code->Define(0, Address(Operate), Address(OperateEntry));
  ModuleBuilder importer;
  uint32_t op_t = importer.AddType({kI32, kI32, kI32, kI32}, {kI32});
  importer.ImportMemory("env", "mem", 1, 2, true);
  importer.AddFunction(op_t, Cat(kUnreachable, kEnd));
  importer.AddExport("op", kExternFunc, 0);
  Instance* waiter =
      InstantiateNative(*waiter_store, importer.Build(), code, {MemoryExtern(f.memory)});
  ASSERT_NE(waiter, nullptr);
  std::atomic<int> woken_with{-1};
  std::thread thread([&] {
    Outcome outcome = CallFunc(*waiter_store, waiter->functions[0],
                               {Slot(kWait32), 64, 0, 0xffffffff});  // timeout ~4 s
    if (auto* results = std::get_if<std::vector<Slot>>(&outcome)) {
      woken_with = static_cast<int>((*results)[0]);
    }
  });
  ModuleBuilder notifier;
  uint32_t ii_i = notifier.AddType({kI32, kI32}, {kI32});
  notifier.ImportMemory("env", "mem", 1, 2, true);
  notifier.AddExport("notify", kExternFunc,
                     notifier.AddFunction(ii_i, Cat(LocalGet(0), LocalGet(1),
                                                    MemoryAtomicNotify(), kEnd)));
  Instance* interpreted = InstantiateOk(f.store, notifier.Build(), {MemoryExtern(f.memory)});
  ASSERT_NE(interpreted, nullptr);
  Slot woke = 0;
  for (auto deadline = std::chrono::steady_clock::now() + 3s;
       woke == 0 && std::chrono::steady_clock::now() < deadline;) {
    Outcome outcome = CallFunc(f.store, ExportedFunc(interpreted, "notify"), {64, 1});
    if (auto* results = std::get_if<std::vector<Slot>>(&outcome)) woke = (*results)[0];
    std::this_thread::sleep_for(1ms);
  }
  thread.join();
  EXPECT_EQ(woke, 1u);
  EXPECT_EQ(woken_with, 0);
}

TEST(AotHelpersTest, CanonicalTypeIds) {
  FuncType a({ValType::kI32, ValType::kI64}, {ValType::kF32});
  FuncType same({ValType::kI32, ValType::kI64}, {ValType::kF32});
  FuncType moved({ValType::kI32}, {ValType::kI64, ValType::kF32});  // same values, split apart
  FuncType empty({}, {});
  EXPECT_EQ(CanonicalTypeId(a), CanonicalTypeId(same));
  EXPECT_NE(CanonicalTypeId(a), CanonicalTypeId(moved));
  EXPECT_NE(CanonicalTypeId(a), CanonicalTypeId(empty));
  EXPECT_NE(CanonicalTypeId(empty), 0u);

  // Across stores, instances and host functions.
  Store one, two;
  FuncInstance* host = one.NewHostFunction(
      FuncType({ValType::kI32, ValType::kI32, ValType::kI32, ValType::kI32}, {ValType::kI32}),
      [](std::span<const Slot>, std::span<Slot>) { return std::optional<Trap>(); });
  Instance* instance = InstantiateOk(two, HelpersModule());
  ASSERT_NE(instance, nullptr);
  EXPECT_EQ(host->aot.type_id, instance->functions[0]->aot.type_id);
  EXPECT_NE(host->aot.type_id, instance->functions[1]->aot.type_id);

  // From several threads at once, one id per type.
  std::vector<std::thread> threads;
  std::vector<uintptr_t> ids(8);
  for (size_t t = 0; t < ids.size(); ++t) {
    threads.emplace_back([&ids, t] {
      std::vector<ValType> params(t % 2 + 40, ValType::kF64);
      ids[t] = CanonicalTypeId(FuncType(params, {}));
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t t = 2; t < ids.size(); ++t) EXPECT_EQ(ids[t], ids[t % 2]);
  EXPECT_NE(ids[0], ids[1]);
}

TEST(AotHelpersTest, FindRuntimeHelper) {
  EXPECT_EQ(aot::FindRuntimeHelper("rivet_aot_trap"),
            reinterpret_cast<const void*>(&rivet_aot_trap));
  EXPECT_EQ(aot::FindRuntimeHelper("rivet_aot_memory_grow"),
            reinterpret_cast<const void*>(&rivet_aot_memory_grow));
  EXPECT_EQ(aot::FindRuntimeHelper("rivet_aot_atomic_notify"),
            reinterpret_cast<const void*>(&rivet_aot_atomic_notify));
  EXPECT_EQ(aot::FindRuntimeHelper("rivet_aot_nothing"), nullptr);
  EXPECT_EQ(aot::FindRuntimeHelper("memcpy"), nullptr);
  EXPECT_EQ(aot::RuntimeHelperNames().size(), 17u);
  for (std::string_view name : aot::RuntimeHelperNames()) {
    EXPECT_NE(aot::FindRuntimeHelper(name), nullptr) << name;
  }
}

}  // namespace
}  // namespace rivet::runtime_test
