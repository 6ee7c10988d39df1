// Atomic read-modify-write operations of every width: what rv32 without A
// calls __atomic_* helpers for, and what every rv32 core calls
// __atomic_*_8 for (64-bit atomics).
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(#name), noinline))

static uint8_t cell8;
static uint16_t cell16;
static uint32_t cell32;
static uint64_t cell64;

#define SEQ __ATOMIC_SEQ_CST

// Applies operation `op` with `operand` to the cell of `width` bits;
// returns the old value and the new one (old in the high half for 8/16/32,
// folded for 64).
#define RMW(cell, T)                                                          \
  switch (op) {                                                               \
    case 0:                                                                   \
      old = __atomic_fetch_add(&cell, (T)operand, SEQ);                       \
      break;                                                                  \
    case 1:                                                                   \
      old = __atomic_fetch_sub(&cell, (T)operand, SEQ);                       \
      break;                                                                  \
    case 2:                                                                   \
      old = __atomic_fetch_and(&cell, (T)operand, SEQ);                       \
      break;                                                                  \
    case 3:                                                                   \
      old = __atomic_fetch_or(&cell, (T)operand, SEQ);                        \
      break;                                                                  \
    case 4:                                                                   \
      old = __atomic_fetch_xor(&cell, (T)operand, SEQ);                       \
      break;                                                                  \
    case 5:                                                                   \
      old = __atomic_exchange_n(&cell, (T)operand, SEQ);                      \
      break;                                                                  \
    case 6: {                                                                 \
      T expected = (T)(operand >> 32);                                        \
      __atomic_compare_exchange_n(&cell, &expected, (T)operand, 0, SEQ, SEQ); \
      old = expected;                                                         \
      break;                                                                  \
    }                                                                         \
    case 7:                                                                   \
      __atomic_store_n(&cell, (T)operand, SEQ);                               \
      old = 0;                                                                \
      break;                                                                  \
    default:                                                                  \
      return -1;                                                              \
  }                                                                           \
  now = __atomic_load_n(&cell, SEQ);

EXPORT(rmw) int64_t rmw(int32_t width, int32_t op, int64_t operand) {
  uint64_t old, now;
  switch (width) {
    case 8: {
      RMW(cell8, uint8_t) return (int64_t)(old << 32 | now);
    }
    case 16: {
      RMW(cell16, uint16_t) return (int64_t)(old << 32 | now);
    }
    case 32: {
      RMW(cell32, uint32_t) return (int64_t)(old << 32 | now);
    }
    case 64: {
      RMW(cell64, uint64_t) return (int64_t)(old * 0x9e3779b97f4a7c15ull ^ now);
    }
    default:
      return -1;
  }
}

// A spin-lock-protected 64-bit counter, as threads would use it.
static uint32_t lock;
EXPORT(locked_add) int64_t locked_add(int64_t delta, int32_t times) {
  for (int32_t i = 0; i < times; ++i) {
    uint32_t unlocked = 0;
    while (!__atomic_compare_exchange_n(&lock, &unlocked, 1, 0, SEQ, SEQ)) unlocked = 0;
    cell64 += (uint64_t)delta;
    __atomic_store_n(&lock, 0, SEQ);
  }
  return (int64_t)__atomic_add_fetch(&cell64, 0, SEQ);
}

// An atomic access at an unaligned address traps.
EXPORT(unaligned) int32_t unaligned(int32_t address) {
  return (int32_t)__atomic_fetch_add((uint32_t*)(uintptr_t)(uint32_t)address, 1, SEQ);
}
