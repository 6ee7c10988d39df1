// Threads: a shared memory created in one Store and imported into instances
// in other Stores (one Store per thread), memory.atomic.wait32/wait64 and
// memory.atomic.notify across threads, and atomic read-modify-write from
// several threads at once.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "tests/runtime/runtime_test_util.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::runtime_test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr Slot kForever = ~Slot{0};  // i64 timeout -1

// wait32(addr, expected: i32, timeout: i64) -> i32, wait64(addr, expected:
// i64, timeout: i64) -> i32, notify(addr, count) -> i32, add_n(addr, n)
// (n times i32.atomic.rmw.add 1), load(addr), store(addr, v); memory 0 is
// imported as "env" "mem" (shared, 1..1 pages) or, with `shared` false,
// defined unshared.
Bytes AtomicsModule(bool shared) {
  ModuleBuilder b;
  uint32_t wait32_t = b.AddType({kI32, kI32, kI64}, {kI32});
  uint32_t wait64_t = b.AddType({kI32, kI64, kI64}, {kI32});
  uint32_t ii_i = b.AddType({kI32, kI32}, {kI32});
  uint32_t ii_v = b.AddType({kI32, kI32}, {});
  uint32_t i_i = b.AddType({kI32}, {kI32});
  if (shared) {
    b.ImportMemory("env", "mem", 1, 1, true);
  } else {
    b.AddMemory(1, 1);
  }
  b.AddExport("wait32", kExternFunc,
              b.AddFunction(wait32_t, Cat(LocalGet(0), LocalGet(1), LocalGet(2),
                                          MemoryAtomicWait32(), kEnd)));
  b.AddExport("wait64", kExternFunc,
              b.AddFunction(wait64_t, Cat(LocalGet(0), LocalGet(1), LocalGet(2),
                                          MemoryAtomicWait64(), kEnd)));
  b.AddExport("notify", kExternFunc,
              b.AddFunction(ii_i, Cat(LocalGet(0), LocalGet(1), MemoryAtomicNotify(), kEnd)));
  b.AddExport("add_n", kExternFunc,
              b.AddFunction(ii_v, Cat(Block(kVoid), Loop(kVoid), LocalGet(1), kI32Eqz, BrIf(1),
                                      LocalGet(0), I32Const(1), I32AtomicRmwAdd(), kDrop,
                                      LocalGet(1), I32Const(1), kI32Sub, LocalSet(1), Br(0),
                                      kEnd, kEnd, kEnd)));
  b.AddExport("load", kExternFunc, b.AddFunction(i_i, Cat(LocalGet(0), I32AtomicLoad(), kEnd)));
  b.AddExport("store", kExternFunc,
              b.AddFunction(ii_v, Cat(LocalGet(0), LocalGet(1), I32AtomicStore(), kEnd)));
  return b.Build();
}

// A shared memory in its own Store, and an instance using it on the main
// thread. Held by shared_ptr so that a waiter thread that is never woken
// (a failing test) can be detached without dangling.
struct SharedSetup {
  Store store;
  Memory* memory = nullptr;
  Instance* instance = nullptr;
  SharedSetup() {
    memory = store.NewMemory(MemType(1, 1, true));
    instance = InstantiateOk(store, AtomicsModule(true), {MemoryExtern(memory)});
  }
  Outcome Run(std::string_view name, std::vector<Slot> args) {
    return CallFunc(store, ExportedFunc(instance, name), args);
  }
};

// Runs `name(args)` on a new thread with its own Store and instance of the
// module, importing the shared memory.
struct Waiter {
  std::shared_ptr<SharedSetup> setup;
  std::atomic<bool> started{false};
  std::atomic<bool> done{false};
  Outcome result;
  std::thread thread;

  Waiter(std::shared_ptr<SharedSetup> s, std::string name, std::vector<Slot> args)
      : setup(std::move(s)) {
    thread = std::thread([this, name, args] {
      Store store;  // this thread's own store
      Instance* instance =
          InstantiateOk(store, AtomicsModule(true), {MemoryExtern(setup->memory)});
      started = true;
      result = CallFunc(store, ExportedFunc(instance, name), args);
      done = true;
    });
  }
};

// Notifies address `addr` (count 1) from the main thread until one waiter is
// woken or `waiter` finished by itself or `limit` passes; returns how many
// notify calls woke someone (0 or 1).
int NotifyUntilWoken(SharedSetup& setup, Waiter& waiter, uint32_t addr,
                     Clock::duration limit = 10s) {
  auto deadline = Clock::now() + limit;
  while (!waiter.started) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(20ms);  // let it block first (not required)
  while (!waiter.done && Clock::now() < deadline) {
    Outcome r = setup.Run("notify", {addr, 1});
    if (Returns(r, {1})) return 1;
    EXPECT_TRUE(Returns(r, {0}));
    std::this_thread::sleep_for(1ms);
  }
  return 0;
}

// Joins the waiter and returns true if it finishes within 5 s; else
// detaches its thread, leaks it (the blocked thread still uses it and the
// setup it holds) and records a failure.
bool JoinOrAbandon(std::unique_ptr<Waiter>& waiter) {
  auto deadline = Clock::now() + 5s;
  while (!waiter->done && Clock::now() < deadline) std::this_thread::sleep_for(1ms);
  if (waiter->done) {
    waiter->thread.join();
    return true;
  }
  ADD_FAILURE() << "the waiter never returned; abandoning its thread";
  waiter->thread.detach();
  waiter.release();
  return false;
}

TEST(WaitNotifyTest, WaiterBlocksUntilNotifiedThenReturnsOk) {
  auto setup = std::make_shared<SharedSetup>();
  ASSERT_NE(setup->instance, nullptr);
  auto waiter = std::make_unique<Waiter>(setup, "wait32", std::vector<Slot>{0, 0, kForever});
  while (!waiter->started) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(waiter->done) << "returned without a notify: " << Describe(waiter->result);
  EXPECT_EQ(NotifyUntilWoken(*setup, *waiter, 0), 1);
  if (JoinOrAbandon(waiter)) {
    EXPECT_TRUE(Returns(waiter->result, {0}));  // "ok"
  }
  // Nobody is left waiting.
  EXPECT_TRUE(Returns(setup->Run("notify", {0, 1}), {0}));
}

TEST(WaitNotifyTest, Wait64AtAnotherAddress) {
  auto setup = std::make_shared<SharedSetup>();
  ASSERT_NE(setup->instance, nullptr);
  auto waiter = std::make_unique<Waiter>(setup, "wait64", std::vector<Slot>{8, 0, kForever});
  while (!waiter->started) std::this_thread::sleep_for(1ms);
  std::this_thread::sleep_for(20ms);
  // Notifying another address wakes nobody.
  EXPECT_TRUE(Returns(setup->Run("notify", {0, 1}), {0}));
  EXPECT_TRUE(Returns(setup->Run("notify", {12, 1}), {0}));
  EXPECT_EQ(NotifyUntilWoken(*setup, *waiter, 8), 1);
  if (JoinOrAbandon(waiter)) {
    EXPECT_TRUE(Returns(waiter->result, {0}));
  }
}

TEST(WaitNotifyTest, LargeFiniteTimeoutStillWaitsForTheNotify) {
  // A timeout of INT64_MAX ns (292 years) must behave as a long wait, not
  // as "timed out" at once.
  // Regression (fixed in 73cb0e8): memory.atomic.wait32 with timeout
  // INT64_MAX returned 2 (timed out) at once: the timeout went to
  // condition_variable::wait_for, whose steady_clock::now() + timeout
  // overflowed int64 nanoseconds into the past.
  auto setup = std::make_shared<SharedSetup>();
  ASSERT_NE(setup->instance, nullptr);
  const Slot timeout = static_cast<Slot>(std::numeric_limits<int64_t>::max());
  auto waiter = std::make_unique<Waiter>(setup, "wait32", std::vector<Slot>{0, 0, timeout});
  EXPECT_EQ(NotifyUntilWoken(*setup, *waiter, 0), 1);
  if (JoinOrAbandon(waiter)) {
    EXPECT_TRUE(Returns(waiter->result, {0})) << "2 means it timed out at once";
  }
}

TEST(WaitNotifyTest, SeveralWaitersAreWokenOneNotifyAtATime) {
  auto setup = std::make_shared<SharedSetup>();
  ASSERT_NE(setup->instance, nullptr);
  std::vector<std::unique_ptr<Waiter>> waiters;
  for (int i = 0; i < 3; ++i) {
    waiters.push_back(std::make_unique<Waiter>(setup, "wait32", std::vector<Slot>{16, 0, kForever}));
  }
  for (auto& w : waiters) {
    while (!w->started) std::this_thread::sleep_for(1ms);
  }
  // count 0 wakes nobody.
  EXPECT_TRUE(Returns(setup->Run("notify", {16, 0}), {0}));
  // A notify at another address wakes nobody here.
  EXPECT_TRUE(Returns(setup->Run("notify", {20, 100}), {0}));
  uint32_t woken = 0;
  auto deadline = Clock::now() + 10s;
  while (woken < 3 && Clock::now() < deadline) {
    Outcome r = setup->Run("notify", {16, 1});
    // (No ASSERT here: returning early would leave the waiters blocked.)
    if (!std::holds_alternative<std::vector<Slot>>(r)) {
      ADD_FAILURE() << Describe(r);
      break;
    }
    Slot n = std::get<std::vector<Slot>>(r)[0];
    EXPECT_LE(n, 1u);
    woken += static_cast<uint32_t>(n);
    if (!n) std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(woken, 3u);
  for (auto& w : waiters) {
    if (JoinOrAbandon(w)) {
      EXPECT_TRUE(Returns(w->result, {0}));
    }
  }
}

TEST(WaitNotifyTest, MismatchedValueReturnsNotEqualAtOnce) {
  SharedSetup setup;
  ASSERT_NE(setup.instance, nullptr);
  EXPECT_TRUE(Returns(setup.Run("store", {0, 5}), {}));
  auto start = Clock::now();
  EXPECT_TRUE(Returns(setup.Run("wait32", {0, 4, kForever}), {1}));
  EXPECT_TRUE(Returns(setup.Run("wait64", {0, 4, kForever}), {1}));
  // wait64 compares all 8 bytes: 5 at [0..3], 0 at [4..7] is 5, and 0x1'0000'0005 differs.
  EXPECT_TRUE(Returns(setup.Run("wait64", {0, 0x100000005ull, kForever}), {1}));
  // wait32 compares the i32 operand: only the low 32 bits of the slot matter.
  EXPECT_TRUE(Returns(setup.Run("wait32", {0, 6, 0}), {1}));
  EXPECT_LT(Clock::now() - start, 1s);
}

TEST(WaitNotifyTest, TimeoutZeroAndShortTimeoutsReturnTimedOut) {
  SharedSetup setup;
  ASSERT_NE(setup.instance, nullptr);
  EXPECT_TRUE(Returns(setup.Run("wait32", {0, 0, 0}), {2}));
  EXPECT_TRUE(Returns(setup.Run("wait64", {0, 0, 0}), {2}));
  auto start = Clock::now();
  EXPECT_TRUE(Returns(setup.Run("wait32", {0, 0, 20'000'000}), {2}));  // 20 ms
  EXPECT_GE(Clock::now() - start, 20ms);
  // A timed-out waiter is no longer registered.
  EXPECT_TRUE(Returns(setup.Run("notify", {0, 1}), {0}));
}

TEST(WaitNotifyTest, WaitOnUnsharedMemoryTraps) {
  Store store;
  Instance* instance = InstantiateOk(store, AtomicsModule(false));
  ASSERT_NE(instance, nullptr);
  EXPECT_TRUE(Traps(CallFunc(store, ExportedFunc(instance, "wait32"), {0, 0, kForever}),
                    TrapKind::kExpectedSharedMemory, "expected shared memory"));
  EXPECT_TRUE(Traps(CallFunc(store, ExportedFunc(instance, "wait64"), {0, 0, 0}),
                    TrapKind::kExpectedSharedMemory, "expected shared memory"));
  // Even when the value differs: the memory is checked first.
  EXPECT_TRUE(Traps(CallFunc(store, ExportedFunc(instance, "wait32"), {0, 1, 0}),
                    TrapKind::kExpectedSharedMemory, "expected shared memory"));
  // notify on an unshared memory has nobody to wake: 0.
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "notify"), {0, 1}), {0}));
  // Other atomics work on unshared memory.
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "add_n"), {4, 10}), {}));
  EXPECT_TRUE(Returns(CallFunc(store, ExportedFunc(instance, "load"), {4}), {10}));
}

TEST(WaitNotifyTest, WaitAndNotifyCheckAlignmentAndBounds) {
  SharedSetup setup;
  ASSERT_NE(setup.instance, nullptr);
  EXPECT_TRUE(Traps(setup.Run("wait32", {2, 0, 0}), TrapKind::kUnalignedAtomic,
                    "unaligned atomic"));
  EXPECT_TRUE(Traps(setup.Run("wait64", {4, 0, 0}), TrapKind::kUnalignedAtomic,
                    "unaligned atomic"));
  EXPECT_TRUE(Traps(setup.Run("notify", {1, 1}), TrapKind::kUnalignedAtomic,
                    "unaligned atomic"));
  EXPECT_TRUE(Traps(setup.Run("wait32", {65536, 0, 0}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Traps(setup.Run("notify", {65536, 1}), TrapKind::kMemoryOutOfBounds,
                    "out of bounds memory access"));
  EXPECT_TRUE(Returns(setup.Run("notify", {65532, 1}), {0}));
}

TEST(SharedMemoryTest, ImportRequiresASharedMemory) {
  Store store;
  Memory* unshared = store.NewMemory(MemType(1, 1));
  InstantiateError error = InstantiateFails(store, AtomicsModule(true), {MemoryExtern(unshared)});
  EXPECT_TRUE(error.link_error);
  EXPECT_NE(error.trap.message.find("\"env\" \"mem\""), std::string::npos) << error.trap.message;
}

TEST(SharedMemoryTest, ConcurrentAtomicAddsAreExact) {
  constexpr int kThreads = 4;
  constexpr uint32_t kAddsPerThread = 250'000;
  SharedSetup setup;
  ASSERT_NE(setup.instance, nullptr);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  std::vector<Outcome> results(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store store;  // one Store per thread; the memory comes from setup.store
      Instance* instance =
          InstantiateOk(store, AtomicsModule(true), {MemoryExtern(setup.memory)});
      FuncInstance* add_n = ExportedFunc(instance, "add_n");
      ++ready;
      while (ready < kThreads) std::this_thread::yield();  // start together
      results[t] = CallFunc(store, add_n, {64, kAddsPerThread});
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_TRUE(Returns(results[t], {})) << "thread " << t;
  EXPECT_TRUE(Returns(setup.Run("load", {64}), {kThreads * kAddsPerThread}));
  uint32_t raw;
  std::memcpy(&raw, setup.memory->data() + 64, 4);
  EXPECT_EQ(raw, kThreads * kAddsPerThread);
  // Neighbouring words are untouched.
  EXPECT_TRUE(Returns(setup.Run("load", {60}), {0}));
  EXPECT_TRUE(Returns(setup.Run("load", {68}), {0}));
}

}  // namespace
}  // namespace rivet::runtime_test
