// The runtime helpers of loader/aot_abi.h. Each has the semantics and trap
// kinds of the interpreter's handler for the same instruction, through the
// bodies both share (runtime/object_ops.h).
//
// A helper that traps unwinds with a longjmp (entry.h): it first finishes
// whatever C++ work it has, in a frame of its own, and raises from a frame
// holding nothing to destroy.
#include "runtime/aot/helpers.h"

#include <algorithm>
#include <exception>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "interp/interpreter.h"
#include "loader/aot_abi.h"
#include "runtime/aot/entry.h"
#include "runtime/object_ops.h"
#include "runtime/store.h"

namespace rivet::aot {
namespace {

Instance& InstanceOf(AotContext* ctx) { return *static_cast<Instance*>(ctx->instance); }
Memory& MemoryOf(AotContext* ctx, uint32_t memory) { return *InstanceOf(ctx).memories[memory]; }
Table& TableOf(AotContext* ctx, uint32_t table) { return *InstanceOf(ctx).tables[table]; }

// Calls `func` (a host function, or one the interpreter runs) with its
// arguments in `slots`, writing its results over them. Returns false with
// the trap kept for RaisePendingTrap: the outcome and its strings are
// destroyed when this returns, before anything unwinds.
[[gnu::noinline]] bool CallWithoutNativeCode(AotContext* ctx, AotFunc* func, uint64_t* slots) {
  auto* callee = reinterpret_cast<FuncInstance*>(func);
  Store& store = *InstanceOf(ctx).store;
  std::variant<std::vector<Slot>, Trap> outcome;
  // No exception can unwind through compiled code: one from a host function
  // ends the call as a host error.
  try {
    outcome = interp::Call(callee, std::span<const Slot>(slots, callee->param_slots), store.limits,
                           &store.interrupt);
  } catch (const std::exception& e) {
    outcome = Trap{TrapKind::kHostError,
                   std::string("a host function threw an exception: ") + e.what(), {}};
  } catch (...) {
    outcome = Trap{TrapKind::kHostError, "a host function threw an exception", {}};
  }
  if (auto* results = std::get_if<std::vector<Slot>>(&outcome)) {
    std::copy(results->begin(), results->end(), slots);
    return true;
  }
  SetPendingTrap(std::move(std::get<Trap>(outcome)));
  return false;
}

[[gnu::noinline]] uint32_t Wait(AotContext* ctx, uint32_t memory, uint32_t address, bool wide,
                                uint64_t expected, int64_t timeout_ns) {
  return AtomicWait(MemoryOf(ctx, memory).data() + address, wide, expected, timeout_ns);
}

}  // namespace
}  // namespace rivet::aot

using rivet::Memory;
using rivet::Ref;
using rivet::Table;
using rivet::aot::AotFunc;
using rivet::aot::InstanceOf;
using rivet::aot::MemoryOf;
using rivet::aot::TableOf;

extern "C" {

void rivet_aot_trap(rivet_aot_ctx* /*ctx*/, uint32_t kind) { rivet::aot::RaiseTrap(kind); }

void rivet_aot_call(rivet_aot_ctx* ctx, AotFunc* func, uint64_t* slots) {
  if (!rivet::aot::CallWithoutNativeCode(ctx, func, slots)) rivet::aot::RaisePendingTrap();
}

int32_t rivet_aot_memory_grow(rivet_aot_ctx* ctx, uint32_t memory, uint32_t delta) {
  return static_cast<int32_t>(MemoryOf(ctx, memory).Grow(delta));
}

void rivet_aot_memory_fill(rivet_aot_ctx* ctx, uint32_t memory, uint32_t dst, uint32_t value,
                           uint32_t count) {
  if (!rivet::MemoryFill(MemoryOf(ctx, memory), dst, static_cast<uint8_t>(value), count)) {
    rivet_aot_trap(ctx, rivet::aot::kAotTrapMemoryOutOfBounds);
  }
}

void rivet_aot_memory_copy(rivet_aot_ctx* ctx, uint32_t dst_memory, uint32_t src_memory,
                           uint32_t dst, uint32_t src, uint32_t count) {
  if (!rivet::MemoryCopy(MemoryOf(ctx, dst_memory), MemoryOf(ctx, src_memory), dst, src, count)) {
    rivet_aot_trap(ctx, rivet::aot::kAotTrapMemoryOutOfBounds);
  }
}

void rivet_aot_memory_init(rivet_aot_ctx* ctx, uint32_t memory, uint32_t segment, uint32_t dst,
                           uint32_t src, uint32_t count) {
  if (!rivet::MemoryInit(MemoryOf(ctx, memory), InstanceOf(ctx).datas[segment], dst, src,
                         count)) {
    rivet_aot_trap(ctx, rivet::aot::kAotTrapMemoryOutOfBounds);
  }
}

void rivet_aot_data_drop(rivet_aot_ctx* ctx, uint32_t segment) {
  InstanceOf(ctx).datas[segment] = {};
}

uintptr_t rivet_aot_table_get(rivet_aot_ctx* ctx, uint32_t table, uint32_t index) {
  const Table& t = TableOf(ctx, table);
  if (index >= t.elements.size()) rivet_aot_trap(ctx, rivet::aot::kAotTrapTableOutOfBounds);
  return t.elements[index];
}

void rivet_aot_table_set(rivet_aot_ctx* ctx, uint32_t table, uint32_t index, uintptr_t value) {
  Table& t = TableOf(ctx, table);
  if (index >= t.elements.size()) rivet_aot_trap(ctx, rivet::aot::kAotTrapTableOutOfBounds);
  t.elements[index] = value;
}

int32_t rivet_aot_table_grow(rivet_aot_ctx* ctx, uint32_t table, uintptr_t init, uint32_t delta) {
  return static_cast<int32_t>(TableOf(ctx, table).Grow(delta, init));
}

void rivet_aot_table_fill(rivet_aot_ctx* ctx, uint32_t table, uint32_t index, uintptr_t value,
                          uint32_t count) {
  if (!rivet::TableFill(TableOf(ctx, table), index, value, count)) {
    rivet_aot_trap(ctx, rivet::aot::kAotTrapTableOutOfBounds);
  }
}

void rivet_aot_table_copy(rivet_aot_ctx* ctx, uint32_t dst_table, uint32_t src_table,
                          uint32_t dst, uint32_t src, uint32_t count) {
  if (!rivet::TableCopy(TableOf(ctx, dst_table), TableOf(ctx, src_table), dst, src, count)) {
    rivet_aot_trap(ctx, rivet::aot::kAotTrapTableOutOfBounds);
  }
}

void rivet_aot_table_init(rivet_aot_ctx* ctx, uint32_t table, uint32_t segment, uint32_t dst,
                          uint32_t src, uint32_t count) {
  if (!rivet::TableInit(TableOf(ctx, table), InstanceOf(ctx).elems[segment], dst, src, count)) {
    rivet_aot_trap(ctx, rivet::aot::kAotTrapTableOutOfBounds);
  }
}

void rivet_aot_elem_drop(rivet_aot_ctx* ctx, uint32_t segment) {
  // Releases the references as the interpreter's elem.drop does; clear()
  // destroys nothing that could throw.
  InstanceOf(ctx).elems[segment].clear();
}

int32_t rivet_aot_atomic_wait32(rivet_aot_ctx* ctx, uint32_t memory, uint32_t address,
                                uint32_t expected, int64_t timeout_ns) {
  if (!MemoryOf(ctx, memory).shared()) {
    rivet_aot_trap(ctx, rivet::aot::kAotTrapExpectedSharedMemory);
  }
  return static_cast<int32_t>(
      rivet::aot::Wait(ctx, memory, address, /*wide=*/false, expected, timeout_ns));
}

int32_t rivet_aot_atomic_wait64(rivet_aot_ctx* ctx, uint32_t memory, uint32_t address,
                                uint64_t expected, int64_t timeout_ns) {
  if (!MemoryOf(ctx, memory).shared()) {
    rivet_aot_trap(ctx, rivet::aot::kAotTrapExpectedSharedMemory);
  }
  return static_cast<int32_t>(
      rivet::aot::Wait(ctx, memory, address, /*wide=*/true, expected, timeout_ns));
}

int32_t rivet_aot_atomic_notify(rivet_aot_ctx* ctx, uint32_t memory, uint32_t address,
                                uint32_t count) {
  // An unshared memory has no waiters (wait traps on it), so this wakes none.
  return static_cast<int32_t>(
      rivet::AtomicNotify(MemoryOf(ctx, memory).data() + address, count));
}

}  // extern "C"

namespace rivet::aot {
namespace {

struct NamedHelper {
  std::string_view name;
  const void* address;
};

#define RIVET_AOT_HELPER(name) NamedHelper{#name, reinterpret_cast<const void*>(&name)}
const NamedHelper kRuntimeHelpers[] = {
    RIVET_AOT_HELPER(rivet_aot_trap),
    RIVET_AOT_HELPER(rivet_aot_call),
    RIVET_AOT_HELPER(rivet_aot_memory_grow),
    RIVET_AOT_HELPER(rivet_aot_memory_fill),
    RIVET_AOT_HELPER(rivet_aot_memory_copy),
    RIVET_AOT_HELPER(rivet_aot_memory_init),
    RIVET_AOT_HELPER(rivet_aot_data_drop),
    RIVET_AOT_HELPER(rivet_aot_table_get),
    RIVET_AOT_HELPER(rivet_aot_table_set),
    RIVET_AOT_HELPER(rivet_aot_table_grow),
    RIVET_AOT_HELPER(rivet_aot_table_fill),
    RIVET_AOT_HELPER(rivet_aot_table_copy),
    RIVET_AOT_HELPER(rivet_aot_table_init),
    RIVET_AOT_HELPER(rivet_aot_elem_drop),
    RIVET_AOT_HELPER(rivet_aot_atomic_wait32),
    RIVET_AOT_HELPER(rivet_aot_atomic_wait64),
    RIVET_AOT_HELPER(rivet_aot_atomic_notify),
};
#undef RIVET_AOT_HELPER

}  // namespace

const void* FindRuntimeHelper(std::string_view name) {
  for (const NamedHelper& helper : kRuntimeHelpers) {
    if (helper.name == name) return helper.address;
  }
  return nullptr;
}

std::span<const std::string_view> RuntimeHelperNames() {
  static const auto* names = [] {
    auto* list = new std::vector<std::string_view>;
    for (const NamedHelper& helper : kRuntimeHelpers) list->push_back(helper.name);
    return list;
  }();
  return *names;
}

}  // namespace rivet::aot
