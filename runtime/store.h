// Runtime objects: the spec's store of functions, tables, memories and
// globals, and the instances that bind them to a module.
//
// A Store owns every object created in it; instances refer to objects by
// pointer, which is how imports share a memory or table between instances.
// Objects never move once created (memories may move their bytes on growth,
// unless shared). One Store is used by one thread at a time, except for
// shared memories, which threads access concurrently through atomics.
#ifndef RIVET_RUNTIME_STORE_H_
#define RIVET_RUNTIME_STORE_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "loader/aot_abi.h"
#include "loader/module.h"
#include "loader/result.h"

namespace rivet {

// A reference value: 0 is null. A funcref is a FuncInstance*; an externref is
// whatever non-zero value the embedder chose.
using Ref = uintptr_t;

enum class TrapKind : uint8_t {
  kUnreachable,
  kMemoryOutOfBounds,
  kTableOutOfBounds,
  kIntegerDivideByZero,
  kIntegerOverflow,
  kInvalidConversion,
  kIndirectCallTypeMismatch,
  kUninitializedElement,
  kUndefinedElement,
  kCallStackExhausted,
  kUnalignedAtomic,
  kExpectedSharedMemory,
  kHostError,
  kInterrupted,
  kOutOfFuel,
};

// Compiled code names traps by these values (loader/aot_abi.h).
static_assert(uint32_t(TrapKind::kUnreachable) == aot::kAotTrapUnreachable);
static_assert(uint32_t(TrapKind::kMemoryOutOfBounds) == aot::kAotTrapMemoryOutOfBounds);
static_assert(uint32_t(TrapKind::kTableOutOfBounds) == aot::kAotTrapTableOutOfBounds);
static_assert(uint32_t(TrapKind::kIntegerDivideByZero) == aot::kAotTrapIntegerDivideByZero);
static_assert(uint32_t(TrapKind::kIntegerOverflow) == aot::kAotTrapIntegerOverflow);
static_assert(uint32_t(TrapKind::kInvalidConversion) == aot::kAotTrapInvalidConversion);
static_assert(uint32_t(TrapKind::kIndirectCallTypeMismatch) ==
              aot::kAotTrapIndirectCallTypeMismatch);
static_assert(uint32_t(TrapKind::kUninitializedElement) == aot::kAotTrapUninitializedElement);
static_assert(uint32_t(TrapKind::kUndefinedElement) == aot::kAotTrapUndefinedElement);
static_assert(uint32_t(TrapKind::kCallStackExhausted) == aot::kAotTrapCallStackExhausted);
static_assert(uint32_t(TrapKind::kUnalignedAtomic) == aot::kAotTrapUnalignedAtomic);
static_assert(uint32_t(TrapKind::kExpectedSharedMemory) == aot::kAotTrapExpectedSharedMemory);
// The largest TrapKind value (a kind compiled code reports is checked
// against it); a new kind goes before it or moves it.
inline constexpr TrapKind kLastTrapKind = TrapKind::kOutOfFuel;

// The spec's message for each trap kind.
std::string_view TrapMessage(TrapKind kind);

struct Trap {
  TrapKind kind = TrapKind::kUnreachable;
  std::string message;  // TrapMessage(kind), or a host function's message
  // The wasm functions active when it trapped, innermost first, as
  // "$name (#index)" with names from the module's name section, or "#index".
  std::vector<std::string> backtrace;
};

// Values cross into and out of wasm as 64-bit slots: i32/f32 in the low 32
// bits, i64/f64 whole, references as Ref, v128 as two slots (low then high).
using Slot = uint64_t;
inline size_t SlotCount(ValType type) { return type == ValType::kV128 ? 2 : 1; }
size_t SlotCount(std::span<const ValType> types);

class Instance;
class Memory;
class Store;
struct CompiledFunction;

// The canonical id of `type`, process-wide and thread-safe: two types have
// the same id if and only if they are equal, so compiled code checks a
// call_indirect signature with one comparison. Never 0.
uintptr_t CanonicalTypeId(const FuncType& type);

// A host function: reads its arguments from `args` and writes its results
// to `results` (both in slots); returns a trap to abort the call.
using HostFunction =
    std::function<std::optional<Trap>(std::span<const Slot> args, std::span<Slot> results)>;

struct FuncInstance {
  // What compiled code sees (native code, its context, the canonical type
  // id). First, because a funcref is a FuncInstance* and compiled code reads
  // it as an AotFunc*. Set for every function by Store::NewFunction and
  // NewHostFunction (type_id) and, for natively compiled ones, at
  // instantiation (code, context).
  aot::AotFunc aot{nullptr, nullptr, 0};
  FuncType type;
  uint32_t param_slots = 0;   // SlotCount(type.params()), kept for calls
  uint32_t result_slots = 0;
  Instance* instance = nullptr;  // null for host functions
  uint32_t index = 0;            // in its instance's function space
  // Set for host functions, and for functions of natively compiled
  // instances (it enters their native code), so that both engines call
  // either kind the same way.
  HostFunction host;
  const CompiledFunction* code = nullptr;  // set by the interpreter
  Memory* memory = nullptr;  // its instance's memory 0, if any, for fast access
};

class Memory {
 public:
  static constexpr uint64_t kPageSize = 65536;
  // `*limit_pages` (when given; read at each growth, so that a store's
  // limit applies to its existing memories) bounds growth below the
  // type's own maximum.
  // `guard_region`: reserve a guard region (see kGuardRegions) when this
  // build can; only memories that code compiled for guard pages uses need
  // one, and each costs 8 GiB of address space.
  explicit Memory(const MemoryType& type, const uint64_t* limit_pages = nullptr,
                  bool guard_region = false);
  ~Memory();
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;

  uint8_t* data() const { return view_.base; }
  uint64_t size() const { return view_.size; }  // bytes
  uint64_t pages() const { return view_.size / kPageSize; }
  // The bytes and their number as compiled code reads them: kept current on
  // growth, at an address that never changes.
  aot::AotMemory* aot_view() { return &view_; }
  const MemoryType& type() const { return type_; }
  bool shared() const { return type_.limits.shared; }
  bool allocation_failed() const { return view_.base == nullptr && view_.size != 0; }

  // Whether this build can reserve guard regions (64-bit Linux): then a
  // guarded memory's bytes sit at the start of a kGuardedReservation-byte region
  // of address space that is inaccessible beyond its current size, so any
  // wasm32 address plus offset (< 2^33) lands inside it and compiled code
  // built for guard pages may skip bounds checks: an out-of-bounds access
  // faults, and the runtime turns the fault into a trap.
  static constexpr bool kGuardRegions =
#if defined(__linux__) && UINTPTR_MAX > 0xffffffffu
      true;
#else
      false;
#endif
  static constexpr uint64_t kGuardedReservation = (uint64_t{8} << 30) + 65536;
  // This memory has its guard region (reserving it can fail, e.g. under
  // an address-space limit; the memory then works without one).
  bool guarded() const { return guarded_; }

  // Grows by `delta` pages; returns the old size in pages, or -1.
  int64_t Grow(uint64_t delta);

 private:
  MemoryType type_;
  const uint64_t* limit_pages_;
  aot::AotMemory view_{nullptr, 0};
  uint64_t capacity_ = 0;  // bytes allocated (accessible, when guarded)
  bool guarded_ = false;
};

struct Table {
  // rivet's own bound on a table's size, whatever its type allows: a table
  // is a host allocation of 8 bytes per element, so neither a declared
  // minimum nor table.grow may make it larger than this (80 MB).
  static constexpr uint64_t kMaxElements = 10'000'000;

  TableType type;
  // Resized only by Grow (and Store::NewTable), which keep `aot` current.
  std::vector<Ref> elements;
  // `elements` as compiled code reads them.
  aot::AotTable aot{nullptr, 0};

  // Grows by `delta` elements set to `init`; returns the old size, or -1.
  int64_t Grow(uint32_t delta, Ref init);
  // Points `aot` at `elements` again, after they were resized.
  void SyncAotView() {
    aot.elements = elements.data();
    aot.size = elements.size();
  }
};

struct Global {
  GlobalType type;
  Slot value[2] = {0, 0};  // v128 uses both
};

// Something an import can be satisfied with, or an export yields.
struct Extern {
  ExternKind kind = ExternKind::kFunc;
  union {
    FuncInstance* func;
    Table* table;
    Memory* memory;
    Global* global;
    void* any = nullptr;
  };
};

class Instance {
 public:
  std::shared_ptr<const Module> module;
  Store* store = nullptr;  // the store that owns it
  std::vector<FuncInstance*> functions;
  std::vector<Table*> tables;
  std::vector<Memory*> memories;
  std::vector<Global*> globals;
  // Element segments as evaluated references, emptied when dropped.
  std::vector<std::vector<Ref>> elems;
  // Data segments as ranges of the module's bytes, emptied when dropped.
  std::vector<std::span<const uint8_t>> datas;
  std::map<std::string, Extern, std::less<>> exports;
  // What the engine made of the module's code (the interpreter's
  // translated functions, or a loaded AOT image), owned here and opaque to
  // the runtime.
  std::shared_ptr<void> engine_code;
  // The context compiled code receives, for an instance whose functions run
  // natively (owned by engine_code); null for interpreted instances.
  aot::AotContext* aot_context = nullptr;

  std::optional<Extern> GetExport(std::string_view name) const;
};

// How long a call may nest, and how much value stack it may use.
struct ExecutionLimits {
  uint32_t max_call_depth = 100000;
  size_t value_stack_slots = 1 << 22;  // 32 MiB
  // Linear memories of this store never grow beyond this many pages: a
  // memory.grow past it returns -1, and a module asking for more at
  // instantiation fails to link.
  uint64_t max_memory_pages = 65536;
  // Fuel: when not negative, every function entry and every loop iteration
  // consumes one unit, and a call that runs out traps with "out of fuel".
  // Calls decrement it in place; the embedder may refill it between calls.
  int64_t fuel = -1;
  // Code instantiated while this is set checks Store::interrupt at every
  // function entry and loop iteration (it costs about one dispatch per
  // iteration, so it is off by default). Code instantiated with fuel also
  // checks loops.
  bool interruptible = false;
};

// How far above the lowest address of a thread's stack rivet stops nesting
// on it: compiled code traps below it (AotStoreState::stack_limit), and the
// interpreter refuses calls that come back in through host functions. The
// room left is for helpers, host functions and the entry's own frames.
inline constexpr uintptr_t kNativeStackMargin = 256 * 1024;

// The calling thread's lowest stack address plus kNativeStackMargin (at most
// half its stack), computed once per thread.
uintptr_t NativeStackLimit();

class Store {
 public:
  FuncInstance* NewHostFunction(FuncType type, HostFunction host);
  // A function defined by `instance`'s module.
  FuncInstance* NewFunction(const FuncType& type, Instance* instance, uint32_t index);
  Table* NewTable(const TableType& type);
  Memory* NewMemory(const MemoryType& type, bool guard_region = false);
  Global* NewGlobal(const GlobalType& type);

  // Takes ownership of an instance built by Instantiate (runtime/instantiate.h).
  Instance* AddInstance(std::unique_ptr<Instance> instance);

  ExecutionLimits limits;

  // Set from any thread to stop the call running in this store at its next
  // function entry or loop iteration (in code instantiated interruptible):
  // it traps with "interrupted", its frames unwind, and the instance stays
  // usable. The next call clears it.
  std::atomic<bool> interrupt{false};

  // What compiled code reads of the store (its stack limit), set when a
  // thread enters native code.
  aot::AotStoreState aot{0};

 private:
  std::deque<std::unique_ptr<FuncInstance>> functions_;
  std::deque<std::unique_ptr<Table>> tables_;
  std::deque<std::unique_ptr<Memory>> memories_;
  std::deque<std::unique_ptr<Global>> globals_;
  std::deque<std::unique_ptr<Instance>> instances_;
};

}  // namespace rivet

#endif  // RIVET_RUNTIME_STORE_H_
