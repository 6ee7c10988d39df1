// Runs on rv32i (no M, A, F, D) under qemu-riscv32 user mode, freestanding:
// checks every known-answer vector through the helper table (as the loader
// would bind the helpers, soft-float variants), the atomics and memory
// helpers, and reports through the Linux write/exit system calls.
#include <stddef.h>
#include <stdint.h>

#include "loader/helpers/helpers.h"
#include "loader/helpers/known_answer_shapes.h"

namespace rivet::helpers {
namespace {

const KnownAnswer kVectors[] = {
#include "known_answer_vectors.inc"
};

long SystemCall3(long number, long a0, long a1, long a2) {
  register long a0_register asm("a0") = a0;
  register long a1_register asm("a1") = a1;
  register long a2_register asm("a2") = a2;
  register long number_register asm("a7") = number;
  asm volatile("ecall"
               : "+r"(a0_register)
               : "r"(a1_register), "r"(a2_register), "r"(number_register)
               : "memory");
  return a0_register;
}

constexpr long kWrite = 64;
constexpr long kExit = 93;

void Print(const char* text) {
  size_t length = 0;
  while (text[length] != '\0') ++length;
  SystemCall3(kWrite, 1, reinterpret_cast<long>(text), static_cast<long>(length));
}

void PrintHex(uint64_t value) {
  char digits[19] = "0x";
  for (int i = 0; i < 16; ++i) digits[2 + i] = "0123456789abcdef"[(value >> (60 - 4 * i)) & 15];
  digits[18] = '\0';
  Print(digits);
}

// A table address as the function type the caller knows it has.
template <typename Function>
Function As(const void* address) {
  return reinterpret_cast<Function>(const_cast<void*>(address));
}

size_t Length(const char* text) {
  size_t length = 0;
  while (text[length] != '\0') ++length;
  return length;
}

uint64_t Call(const void* helper, const KnownAnswer& vector) {
  const uint32_t a32 = static_cast<uint32_t>(vector.a), b32 = static_cast<uint32_t>(vector.b);
  switch (vector.shape) {
    case Shape::k32_32x32:
      return As<uint32_t (*)(uint32_t, uint32_t)>(helper)(a32, b32);
    case Shape::k32_32:
      return As<uint32_t (*)(uint32_t)>(helper)(a32);
    case Shape::k64_64x64:
      return As<uint64_t (*)(uint64_t, uint64_t)>(helper)(vector.a, vector.b);
    case Shape::k64_64:
      return As<uint64_t (*)(uint64_t)>(helper)(vector.a);
    case Shape::k32_64:
      return As<uint32_t (*)(uint64_t)>(helper)(vector.a);
    case Shape::k64_32:
      return As<uint64_t (*)(uint32_t)>(helper)(a32);
    case Shape::k32_64x64:
      return As<uint32_t (*)(uint64_t, uint64_t)>(helper)(vector.a, vector.b);
    case Shape::k64_64x32:
      return As<uint64_t (*)(uint64_t, uint32_t)>(helper)(vector.a, b32);
  }
  return ~vector.expected;
}

int failures = 0;

void Fail(const char* what, uint64_t got, uint64_t expected) {
  ++failures;
  Print("FAIL ");
  Print(what);
  Print(": got ");
  PrintHex(got);
  Print(", expected ");
  PrintHex(expected);
  Print("\n");
}

void Check(const char* what, uint64_t got, uint64_t expected) {
  if (got != expected) Fail(what, got, expected);
}

const void* Helper(const char* name) {
  const void* helper = FindHelper(name, Length(name), FloatAbi::kSoft);
  if (helper == nullptr) Fail(name, 0, 1);
  return helper;
}

void CheckVectors() {
  for (const KnownAnswer& vector : kVectors) {
    const void* helper = Helper(vector.name);
    if (helper == nullptr) continue;
    const uint64_t got = Call(helper, vector);
    if (got != vector.expected) {
      Fail(vector.name, got, vector.expected);
      Print("  a=");
      PrintHex(vector.a);
      Print(" b=");
      PrintHex(vector.b);
      Print("\n");
    }
  }
}

template <typename T>
void CheckAtomics(const char* load, const char* store, const char* exchange, const char* compare,
                  const char* fetch_add, const char* fetch_nand) {
  alignas(8) T value = 0;
  As<void (*)(volatile void*, T, int)>(Helper(store))(&value, static_cast<T>(~T{0}), 5);
  Check(store, value, static_cast<T>(~T{0}));
  Check(load, As<T (*)(const volatile void*, int)>(Helper(load))(&value, 5),
        static_cast<T>(~T{0}));
  Check(exchange, As<T (*)(volatile void*, T, int)>(Helper(exchange))(&value, 7, 5),
        static_cast<T>(~T{0}));
  Check(fetch_add, As<T (*)(volatile void*, T, int)>(Helper(fetch_add))(&value, 2, 5), 7);
  Check(fetch_nand, As<T (*)(volatile void*, T, int)>(Helper(fetch_nand))(&value, 12, 5), 9);
  Check(fetch_nand, value, static_cast<T>(~T{8}));
  auto compare_exchange =
      As<bool (*)(volatile void*, void*, T, int, int)>(Helper(compare));
  T expected = 1;
  Check(compare, compare_exchange(&value, &expected, 3, 5, 5), 0);
  Check(compare, expected, static_cast<T>(~T{8}));
  Check(compare, compare_exchange(&value, &expected, 3, 5, 5), 1);
  Check(compare, value, 3);
}

void CheckMemory() {
  alignas(8) unsigned char buffer[40];
  auto set = As<void* (*)(void*, int, size_t)>(Helper("memset"));
  auto copy = As<void* (*)(void*, const void*, size_t)>(Helper("memcpy"));
  auto move = As<void* (*)(void*, const void*, size_t)>(Helper("memmove"));
  for (int i = 0; i < 40; ++i) buffer[i] = static_cast<unsigned char>(i);
  set(buffer + 1, 0x1ab, 13);  // only the low byte counts
  Check("memset", buffer[0] + (buffer[1] << 8) + (buffer[13] << 16) + (buffer[14] << 24),
        0x0eabab00u);
  copy(buffer + 20, buffer + 1, 13);
  Check("memcpy", buffer[20] + (buffer[32] << 8) + (buffer[33] << 16), 0x21abab);
  for (int i = 0; i < 40; ++i) buffer[i] = static_cast<unsigned char>(i);
  move(buffer + 3, buffer, 30);  // overlapping, destination above
  Check("memmove up", buffer[3] + (buffer[32] << 8), 0x1d00);
  move(buffer, buffer + 3, 30);  // overlapping, destination below
  Check("memmove down", buffer[0] + (buffer[29] << 8), 0x1d00);
}

}  // namespace
}  // namespace rivet::helpers

extern "C" int main() {
  using namespace rivet::helpers;
  CheckVectors();
  CheckAtomics<uint8_t>("__atomic_load_1", "__atomic_store_1", "__atomic_exchange_1",
                        "__atomic_compare_exchange_1", "__atomic_fetch_add_1", "__atomic_fetch_nand_1");
  CheckAtomics<uint16_t>("__atomic_load_2", "__atomic_store_2", "__atomic_exchange_2",
                         "__atomic_compare_exchange_2", "__atomic_fetch_add_2", "__atomic_fetch_nand_2");
  CheckAtomics<uint32_t>("__atomic_load_4", "__atomic_store_4", "__atomic_exchange_4",
                         "__atomic_compare_exchange_4", "__atomic_fetch_add_4", "__atomic_fetch_nand_4");
  CheckAtomics<uint64_t>("__atomic_load_8", "__atomic_store_8", "__atomic_exchange_8",
                         "__atomic_compare_exchange_8", "__atomic_fetch_add_8", "__atomic_fetch_nand_8");
  CheckMemory();
  if (HostSupportsFloatAbi(FloatAbi::kSingle) || FindHelper("__addsf3", 8, FloatAbi::kSingle) != nullptr) {
    Fail("an ilp32 build must not offer hard-float variants", 1, 0);
  }
  Print(failures == 0 ? "rv32i known-answer test passed: " : "rv32i known-answer test FAILED: ");
  PrintHex(sizeof(kVectors) / sizeof(kVectors[0]));
  Print(" vectors\n");
  return failures == 0 ? 0 : 1;
}

// The process entry: qemu-riscv32 starts here with a valid stack; no C
// runtime, so main's status goes straight to the exit system call.
extern "C" [[noreturn]] void _start() {
  const int status = main();
  rivet::helpers::SystemCall3(rivet::helpers::kExit, status, 0, 0);
  __builtin_unreachable();
}
