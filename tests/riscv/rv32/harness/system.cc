#include "tests/riscv/rv32/harness/system.h"

#include <stddef.h>
#include <stdint.h>

namespace rivet::rv32 {

long SystemCall(long number, long a0, long a1, long a2, long a3, long a4, long a5) {
  register long a0_register asm("a0") = a0;
  register long a1_register asm("a1") = a1;
  register long a2_register asm("a2") = a2;
  register long a3_register asm("a3") = a3;
  register long a4_register asm("a4") = a4;
  register long a5_register asm("a5") = a5;
  register long number_register asm("a7") = number;
  asm volatile("ecall"
               : "+r"(a0_register)
               : "r"(a1_register), "r"(a2_register), "r"(a3_register), "r"(a4_register),
                 "r"(a5_register), "r"(number_register)
               : "memory");
  return a0_register;
}

namespace {

constexpr long kMapPrivate = 0x02;
constexpr long kMapAnonymous = 0x20;
constexpr long kAtFdcwd = -100;
constexpr long kOpenReadOnly = 0;
// Files larger than this are refused; the harness reads modules of a few
// kilobytes.
constexpr size_t kMaxFileSize = 16u << 20;
constexpr size_t kArenaChunk = 1u << 20;

// Linux returns -errno in [-4095, -1] on failure.
bool Failed(long result) { return result < 0 && result >= -4095; }

size_t RoundUpToPage(size_t size) { return (size + kPageSize - 1) & ~size_t{kPageSize - 1}; }

uint8_t* arena_next = nullptr;
size_t arena_left = 0;

}  // namespace

uint8_t* MapPages(size_t size) {
  const long result = SystemCall(kSysMmap, 0, static_cast<long>(RoundUpToPage(size)),
                                 kProtRead | kProtWrite, kMapPrivate | kMapAnonymous, -1, 0);
  return Failed(result) ? nullptr : reinterpret_cast<uint8_t*>(result);
}

bool ProtectPages(void* address, size_t size, long protection) {
  return !Failed(SystemCall(kSysMprotect, reinterpret_cast<long>(address),
                            static_cast<long>(RoundUpToPage(size)), protection));
}

void* Allocate(size_t size) {
  size = (size + 15) & ~size_t{15};
  if (size > arena_left) {
    const size_t chunk = size > kArenaChunk ? size : kArenaChunk;
    arena_next = MapPages(chunk);
    if (arena_next == nullptr) {
      arena_left = 0;
      return nullptr;
    }
    arena_left = RoundUpToPage(chunk);
  }
  void* block = arena_next;
  arena_next += size;
  arena_left -= size;
  return block;
}

Text& Text::Add(const char* text, size_t length) {
  for (size_t i = 0; i < length && length_ + 1 < kCapacity; ++i) buffer_[length_++] = text[i];
  buffer_[length_] = '\0';
  return *this;
}

Text& Text::Add(const char* text) { return Add(text, StringLength(text)); }

Text& Text::Hex(uint64_t value) {
  char digits[16];
  int count = 0;
  do {
    digits[count++] = "0123456789abcdef"[value & 15];
    value >>= 4;
  } while (value != 0);
  Add("0x");
  while (count > 0) Add(&digits[--count], 1);
  return *this;
}

Text& Text::Decimal(uint64_t value) {
  char digits[20];
  int count = 0;
  // Division by 10 through the compiler's helpers (__udivdi3 from -lgcc) is
  // fine for the harness's own code; only the AOT code must use rivet's.
  do {
    digits[count++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (count > 0) Add(&digits[--count], 1);
  return *this;
}

void Print(const char* text) {
  SystemCall(kSysWrite, 1, reinterpret_cast<long>(text), static_cast<long>(StringLength(text)));
}

void Print(const Text& text) { Print(text.c_str()); }

bool ReadWholeFile(const char* path, FileBytes& file, Text& error) {
  const long fd = SystemCall(kSysOpenat, kAtFdcwd, reinterpret_cast<long>(path), kOpenReadOnly);
  if (Failed(fd)) {
    error.Add("cannot open ").Add(path).Add(" (errno ").Decimal(-fd).Add(")");
    return false;
  }
  uint8_t* buffer = MapPages(kMaxFileSize);
  size_t size = 0;
  bool ok = buffer != nullptr;
  if (!ok) error.Add("cannot map a buffer for ").Add(path);
  while (ok) {
    const long count = SystemCall(kSysRead, fd, reinterpret_cast<long>(buffer + size),
                                  static_cast<long>(kMaxFileSize - size));
    if (Failed(count)) {
      error.Add("cannot read ").Add(path).Add(" (errno ").Decimal(-count).Add(")");
      ok = false;
    } else if (count == 0) {
      break;
    } else {
      size += static_cast<size_t>(count);
      if (size == kMaxFileSize) {
        error.Add(path).Add(" is larger than the harness reads (").Hex(kMaxFileSize).Add(" bytes)");
        ok = false;
      }
    }
  }
  SystemCall(kSysClose, fd);
  file.data = buffer;
  file.size = size;
  return ok;
}

size_t StringLength(const char* text) {
  size_t length = 0;
  while (text[length] != '\0') ++length;
  return length;
}

bool Equal(const char* a, size_t a_length, const char* b) {
  for (size_t i = 0; i < a_length; ++i) {
    if (b[i] != a[i] || b[i] == '\0') return false;
  }
  return b[a_length] == '\0';
}

}  // namespace rivet::rv32

// The functions GCC may call even in freestanding code (block copies of
// structures, zeroing); no C library supplies them here. The loops must not
// be turned back into calls to themselves.
#define RIVET_NO_LIBCALL_IDIOMS __attribute__((optimize("no-tree-loop-distribute-patterns")))

extern "C" {
RIVET_NO_LIBCALL_IDIOMS void* memcpy(void* destination, const void* source, size_t size) {
  auto* to = static_cast<unsigned char*>(destination);
  const auto* from = static_cast<const unsigned char*>(source);
  for (size_t i = 0; i < size; ++i) to[i] = from[i];
  return destination;
}

RIVET_NO_LIBCALL_IDIOMS void* memmove(void* destination, const void* source, size_t size) {
  auto* to = static_cast<unsigned char*>(destination);
  const auto* from = static_cast<const unsigned char*>(source);
  if (to < from) {
    for (size_t i = 0; i < size; ++i) to[i] = from[i];
  } else {
    for (size_t i = size; i > 0; --i) to[i - 1] = from[i - 1];
  }
  return destination;
}

RIVET_NO_LIBCALL_IDIOMS void* memset(void* destination, int value, size_t size) {
  auto* to = static_cast<unsigned char*>(destination);
  for (size_t i = 0; i < size; ++i) to[i] = static_cast<unsigned char>(value);
  return destination;
}

int memcmp(const void* a, const void* b, size_t size) {
  const auto* left = static_cast<const unsigned char*>(a);
  const auto* right = static_cast<const unsigned char*>(b);
  for (size_t i = 0; i < size; ++i) {
    if (left[i] != right[i]) return left[i] < right[i] ? -1 : 1;
  }
  return 0;
}
}
