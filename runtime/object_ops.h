// Operations on memories and tables that both engines perform: the
// interpreter's handlers and the helpers compiled code calls
// (runtime/aot/helpers.cc) share these bodies, so that bounds and trap kinds
// are decided in one place. Each bulk operation returns false, having changed
// nothing, when its range is out of bounds (the caller traps with
// kMemoryOutOfBounds or kTableOutOfBounds). Operands are the wasm operands
// zero-extended to 64 bits, so that their sums cannot wrap.
#ifndef RIVET_RUNTIME_OBJECT_OPS_H_
#define RIVET_RUNTIME_OBJECT_OPS_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>

#include "runtime/store.h"

namespace rivet {

// memory.fill
inline bool MemoryFill(Memory& memory, uint64_t dst, uint8_t value, uint64_t count) {
  if (dst + count > memory.size()) return false;
  if (count) std::memset(memory.data() + dst, value, count);
  return true;
}

// memory.copy; the ranges may overlap.
inline bool MemoryCopy(Memory& dst_memory, const Memory& src_memory, uint64_t dst, uint64_t src,
                       uint64_t count) {
  if (src + count > src_memory.size() || dst + count > dst_memory.size()) return false;
  if (count) std::memmove(dst_memory.data() + dst, src_memory.data() + src, count);
  return true;
}

// memory.init from a data segment (empty once dropped).
inline bool MemoryInit(Memory& memory, std::span<const uint8_t> segment, uint64_t dst,
                       uint64_t src, uint64_t count) {
  if (src + count > segment.size() || dst + count > memory.size()) return false;
  if (count) std::memcpy(memory.data() + dst, segment.data() + src, count);
  return true;
}

// table.fill
inline bool TableFill(Table& table, uint64_t start, Ref value, uint64_t count) {
  if (start + count > table.elements.size()) return false;
  std::fill_n(table.elements.begin() + start, count, value);
  return true;
}

// table.copy; the ranges may overlap.
inline bool TableCopy(Table& dst_table, const Table& src_table, uint64_t dst, uint64_t src,
                      uint64_t count) {
  if (src + count > src_table.elements.size() || dst + count > dst_table.elements.size()) {
    return false;
  }
  if (count) {
    std::memmove(dst_table.elements.data() + dst, src_table.elements.data() + src,
                 count * sizeof(Ref));
  }
  return true;
}

// table.init from an element segment (empty once dropped).
inline bool TableInit(Table& table, std::span<const Ref> segment, uint64_t dst, uint64_t src,
                      uint64_t count) {
  if (src + count > segment.size() || dst + count > table.elements.size()) return false;
  std::copy_n(segment.begin() + src, count, table.elements.begin() + dst);
  return true;
}

// memory.atomic.wait32/64 on the shared memory cell at `address` (bounds,
// alignment and sharedness already checked): 0 woken, 1 not equal, 2 timed
// out. A negative timeout waits forever. One table of waiters serves every
// engine, so that code of either kind wakes the other's waiters.
uint32_t AtomicWait(uint8_t* address, bool wide, uint64_t expected, int64_t timeout_ns);

// memory.atomic.notify: wakes up to `count` threads waiting on `address`;
// returns how many it woke.
uint32_t AtomicNotify(uint8_t* address, uint32_t count);

}  // namespace rivet

#endif  // RIVET_RUNTIME_OBJECT_OPS_H_
