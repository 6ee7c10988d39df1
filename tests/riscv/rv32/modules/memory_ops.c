// Memory operations: loads and stores of every width and signedness, a
// lookup table and a stack array (a data segment and the __stack_pointer
// global), memory.fill, memory.copy, memory.size and memory.grow, and an
// out-of-bounds access.
#include <stdint.h>

#define EXPORT(name) __attribute__((export_name(#name), noinline))

static uint8_t buffer[256];
static const uint16_t kTable[16] = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3};

// Stores `value` at buffer[offset] with store width `width`, then loads it
// back with every load, summing them in a checksum.
EXPORT(store_load) int64_t store_load(int32_t width, int32_t offset, int64_t value) {
  volatile uint8_t* at = buffer + (offset & 127);
  switch (width) {
    case 8:
      *(volatile uint8_t*)at = (uint8_t)value;
      break;
    case 16:
      *(volatile uint16_t*)at = (uint16_t)value;
      break;
    case 32:
      *(volatile uint32_t*)at = (uint32_t)value;
      break;
    case 64:
      *(volatile uint64_t*)at = (uint64_t)value;
      break;
    case 65:
      *(volatile double*)at = __builtin_bit_cast(double, value);
      break;
    case 33:
      *(volatile float*)at = __builtin_bit_cast(float, (int32_t)value);
      break;
    default:
      return -1;
  }
  int64_t sum = *(volatile int8_t*)at;
  sum = sum * 31 + *(volatile uint8_t*)at;
  sum = sum * 31 + *(volatile int16_t*)at;
  sum = sum * 31 + *(volatile uint16_t*)at;
  sum = sum * 31 + *(volatile int32_t*)at;
  sum = sum * 31 + *(volatile uint32_t*)at;
  sum = sum * 31 + *(volatile int64_t*)at;
  sum ^= __builtin_bit_cast(int64_t, *(volatile double*)at);
  sum ^= __builtin_bit_cast(int32_t, *(volatile float*)at);
  return sum;
}

// memory.fill and memory.copy (clang emits them for these builtins with
// -mbulk-memory), then a checksum of the buffer.
EXPORT(fill_copy) int64_t fill_copy(int32_t value, int32_t from, int32_t to, int32_t count) {
  __builtin_memset(buffer, value, sizeof(buffer));
  for (int i = 0; i < 32; ++i) buffer[i] = (uint8_t)(i * 7);
  __builtin_memmove(buffer + (to & 127), buffer + (from & 127), (uint32_t)count & 127);
  uint64_t sum = 0;
  for (int i = 0; i < 256; ++i) sum = sum * 131 + buffer[i];
  return (int64_t)sum;
}

// memory.fill and memory.copy straight at arbitrary addresses: out of
// bounds traps.
EXPORT(raw_fill) void raw_fill(int32_t address, int32_t value, int32_t count) {
  __builtin_memset((void*)(uintptr_t)(uint32_t)address, value, (uint32_t)count);
}
EXPORT(raw_copy) void raw_copy(int32_t to, int32_t from, int32_t count) {
  __builtin_memmove((void*)(uintptr_t)(uint32_t)to, (void*)(uintptr_t)(uint32_t)from,
                    (uint32_t)count);
}
EXPORT(raw_load) int32_t raw_load(int32_t address) {
  return *(volatile int32_t*)(uintptr_t)(uint32_t)address;
}
EXPORT(raw_store) void raw_store(int32_t address, int64_t value) {
  *(volatile int64_t*)(uintptr_t)(uint32_t)address = value;
}

EXPORT(memory_size) int32_t memory_size(void) { return (int32_t)__builtin_wasm_memory_size(0); }
EXPORT(memory_grow) int32_t memory_grow(int32_t pages) {
  return (int32_t)__builtin_wasm_memory_grow(0, (uint32_t)pages);
}

// The lookup table (a data segment) and a stack array (__stack_pointer).
EXPORT(table_walk) int32_t table_walk(int32_t start, int32_t steps) {
  volatile uint32_t seen[16];
  for (int i = 0; i < 16; ++i) seen[i] = 0;
  uint32_t at = (uint32_t)start & 15, sum = 0;
  for (int32_t i = 0; i < steps; ++i) {
    seen[at] += 1;
    sum = sum * 3 + kTable[at] + seen[at];
    at = (at + kTable[at]) & 15;
  }
  return (int32_t)sum;
}
