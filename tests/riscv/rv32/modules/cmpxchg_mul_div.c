// The failing case of issue 6: a module whose code, compiled for a RISC-V
// core without M or A, needs __atomic_compare_exchange_4, __mulsi3 and
// __divsi3 (i32.atomic.rmw.cmpxchg, i32.mul, i32.div_s).
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(#name), noinline))

static int32_t cell;

// i32.atomic.rmw.cmpxchg: replaces the cell with `desired` if it holds
// `expected`; returns what it held.
EXPORT(compare_exchange) int32_t compare_exchange(int32_t expected, int32_t desired) {
  __atomic_compare_exchange_n(&cell, &expected, desired, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  return expected;
}

EXPORT(mul) int32_t mul(int32_t a, int32_t b) { return a * b; }

// i32.div_s traps on a zero divisor and on INT32_MIN / -1, which C leaves
// undefined; the wasm instruction defines both as traps.
EXPORT(div_s) int32_t div_s(int32_t a, int32_t b) { return a / b; }

// All three together: a lock-free counter update scaled and divided.
EXPORT(update) int32_t update(int32_t factor, int32_t divisor) {
  int32_t old = __atomic_load_n(&cell, __ATOMIC_SEQ_CST);
  int32_t next;
  do {
    next = old * factor / divisor + 1;
  } while (!__atomic_compare_exchange_n(&cell, &old, next, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
  return next;
}
