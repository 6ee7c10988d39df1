#include "runtime/store.h"

#include <pthread.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <utility>

namespace rivet {

// A funcref is a FuncInstance*, and compiled code reads it as an AotFunc*:
// the AotFunc must be at offset 0. FuncInstance is not standard-layout (it
// holds a std::function), where offsetof is only conditionally supported;
// GCC and Clang support it for classes without virtual bases.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
static_assert(offsetof(FuncInstance, aot) == 0, "a funcref must point at its AotFunc");
#pragma GCC diagnostic pop

uintptr_t CanonicalTypeId(const FuncType& type) {
  using Key = std::pair<std::vector<ValType>, std::vector<ValType>>;
  // Never destroyed: ids must stay valid for functions that outlive static
  // destruction (other threads, atexit handlers).
  static std::mutex* mutex = new std::mutex;
  static std::map<Key, uintptr_t>* ids = new std::map<Key, uintptr_t>;
  Key key{std::vector<ValType>(type.params().begin(), type.params().end()),
          std::vector<ValType>(type.results().begin(), type.results().end())};
  std::lock_guard<std::mutex> lock(*mutex);
  // Ids count from 1, so that 0 (a zeroed AotFunc) matches no type.
  auto [it, inserted] = ids->try_emplace(std::move(key), ids->size() + 1);
  return it->second;
}

std::string_view TrapMessage(TrapKind kind) {
  switch (kind) {
    case TrapKind::kUnreachable: return "unreachable";
    case TrapKind::kMemoryOutOfBounds: return "out of bounds memory access";
    case TrapKind::kTableOutOfBounds: return "out of bounds table access";
    case TrapKind::kIntegerDivideByZero: return "integer divide by zero";
    case TrapKind::kIntegerOverflow: return "integer overflow";
    case TrapKind::kInvalidConversion: return "invalid conversion to integer";
    case TrapKind::kIndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapKind::kUninitializedElement: return "uninitialized element";
    case TrapKind::kUndefinedElement: return "undefined element";
    case TrapKind::kCallStackExhausted: return "call stack exhausted";
    case TrapKind::kUnalignedAtomic: return "unaligned atomic";
    case TrapKind::kExpectedSharedMemory: return "expected shared memory";
    case TrapKind::kHostError: return "host error";
    case TrapKind::kInterrupted: return "interrupted";
    case TrapKind::kOutOfFuel: return "out of fuel";
  }
  return "trap";
}

size_t SlotCount(std::span<const ValType> types) {
  size_t n = 0;
  for (ValType t : types) n += SlotCount(t);
  return n;
}

Memory::Memory(const MemoryType& type, const uint64_t* limit_pages, bool guard_region)
    : type_(type), limit_pages_(limit_pages) {
  view_.size = type.limits.min * kPageSize;
  if (kGuardRegions && guard_region) {
    // Reserve the whole region inaccessible, then open the current size.
    // Its address never changes, so growth never moves the bytes.
    void* region = mmap(nullptr, kGuardedReservation, PROT_NONE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (region != MAP_FAILED) {
      if (view_.size == 0 || mprotect(region, view_.size, PROT_READ | PROT_WRITE) == 0) {
        view_.base = static_cast<uint8_t*>(region);
        capacity_ = view_.size;
        guarded_ = true;
        return;
      }
      munmap(region, kGuardedReservation);
    }
  }
  // A shared memory's bytes must never move while other threads use them,
  // so it reserves its maximum at once; untouched pages cost no RAM.
  capacity_ = shared() ? *type.limits.max * kPageSize : view_.size;
  if (capacity_ > 0) {
    view_.base = static_cast<uint8_t*>(std::calloc(capacity_, 1));
    if (!view_.base) capacity_ = 0;
  }
}

Memory::~Memory() {
  if (guarded_) {
    munmap(view_.base, kGuardedReservation);
  } else {
    std::free(view_.base);
  }
}

int64_t Memory::Grow(uint64_t delta) {
  uint64_t old_pages = pages();
  uint64_t max_pages = type_.limits.max.value_or(65536);
  if (limit_pages_) max_pages = std::min(max_pages, *limit_pages_);
  if (delta > max_pages - old_pages) return -1;
  uint64_t new_size = (old_pages + delta) * kPageSize;
  if (new_size > capacity_) {
    if (guarded_) {
      // Fresh pages of the reservation read as zero.
      if (mprotect(view_.base + capacity_, new_size - capacity_, PROT_READ | PROT_WRITE) != 0) {
        return -1;
      }
    } else {
      if (shared()) return -1;
      auto* grown = static_cast<uint8_t*>(std::realloc(view_.base, new_size));
      if (!grown) return -1;
      std::memset(grown + view_.size, 0, new_size - view_.size);
      view_.base = grown;
    }
    capacity_ = new_size;
  }
  view_.size = new_size;
  return static_cast<int64_t>(old_pages);
}

int64_t Table::Grow(uint32_t delta, Ref init) {
  uint64_t old_size = elements.size();
  uint64_t max = type.limits.max.value_or(0xffffffffu);
  // rivet's own bound keeps a runaway table.grow from exhausting the host.
  if (delta > max - old_size || old_size + delta > kMaxElements) return -1;
  // Compiled code calls this through a C helper, which no exception may
  // leave: running out of memory is a failed growth, as the spec allows.
  try {
    elements.resize(old_size + delta, init);
  } catch (const std::bad_alloc&) {
    return -1;
  }
  SyncAotView();
  return static_cast<int64_t>(old_size);
}

std::optional<Extern> Instance::GetExport(std::string_view name) const {
  auto it = exports.find(name);
  if (it == exports.end()) return std::nullopt;
  return it->second;
}

FuncInstance* Store::NewHostFunction(FuncType type, HostFunction host) {
  auto func = std::make_unique<FuncInstance>();
  func->type = std::move(type);
  func->param_slots = static_cast<uint32_t>(SlotCount(func->type.params()));
  func->result_slots = static_cast<uint32_t>(SlotCount(func->type.results()));
  func->aot.type_id = CanonicalTypeId(func->type);
  func->host = std::move(host);
  functions_.push_back(std::move(func));
  return functions_.back().get();
}

Table* Store::NewTable(const TableType& type) {
  auto table = std::make_unique<Table>();
  table->type = type;
  table->elements.assign(type.limits.min, 0);
  table->SyncAotView();
  tables_.push_back(std::move(table));
  return tables_.back().get();
}

namespace {

uintptr_t ComputeThreadStackLimit() {
  void* lowest = nullptr;
  size_t size = 0;
  pthread_attr_t attributes;
  if (pthread_getattr_np(pthread_self(), &attributes) == 0) {
    if (pthread_attr_getstack(&attributes, &lowest, &size) != 0) lowest = nullptr;
    pthread_attr_destroy(&attributes);
  }
  if (lowest == nullptr || size == 0) {
    // Unknown bounds: assume the smallest stack threads usually get (1 MiB,
    // musl's default is smaller but has the attribute call) below here.
    constexpr uintptr_t kAssumedStack = 1024 * 1024;
    auto here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    return here > kAssumedStack ? here - kAssumedStack + kNativeStackMargin : here;
  }
  // A small stack still leaves compiled code half of it.
  uintptr_t margin = std::min<uintptr_t>(kNativeStackMargin, size / 2);
  return reinterpret_cast<uintptr_t>(lowest) + margin;
}

}  // namespace

uintptr_t NativeStackLimit() {
  thread_local const uintptr_t limit = ComputeThreadStackLimit();
  return limit;
}

Memory* Store::NewMemory(const MemoryType& type, bool guard_region) {
  memories_.push_back(std::make_unique<Memory>(type, &limits.max_memory_pages, guard_region));
  return memories_.back().get();
}

Global* Store::NewGlobal(const GlobalType& type) {
  auto global = std::make_unique<Global>();
  global->type = type;
  globals_.push_back(std::move(global));
  return globals_.back().get();
}

FuncInstance* Store::NewFunction(const FuncType& type, Instance* instance, uint32_t index) {
  auto func = std::make_unique<FuncInstance>();
  func->type = type;
  func->param_slots = static_cast<uint32_t>(SlotCount(type.params()));
  func->result_slots = static_cast<uint32_t>(SlotCount(type.results()));
  func->aot.type_id = CanonicalTypeId(type);
  func->instance = instance;
  func->index = index;
  functions_.push_back(std::move(func));
  return functions_.back().get();
}

Instance* Store::AddInstance(std::unique_ptr<Instance> instance) {
  instances_.push_back(std::move(instance));
  return instances_.back().get();
}

}  // namespace rivet
