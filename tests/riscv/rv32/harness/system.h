// What the freestanding rv32 harness needs from Linux (system calls made
// with `ecall`, which qemu-riscv32 serves) and from a C library it does not
// have: output, files, memory mappings, a bump allocator, text building.
#ifndef RIVET_TESTS_RISCV_RV32_HARNESS_SYSTEM_H_
#define RIVET_TESTS_RISCV_RV32_HARNESS_SYSTEM_H_

#include <stddef.h>
#include <stdint.h>

// No C library: system.cc defines these (GCC may call them by itself).
extern "C" {
void* memcpy(void* destination, const void* source, size_t size);
void* memmove(void* destination, const void* source, size_t size);
void* memset(void* destination, int value, size_t size);
int memcmp(const void* a, const void* b, size_t size);
}

namespace rivet::rv32 {

// Linux (asm-generic) system call numbers.
inline constexpr long kSysOpenat = 56;
inline constexpr long kSysClose = 57;
inline constexpr long kSysRead = 63;
inline constexpr long kSysWrite = 64;
inline constexpr long kSysExit = 93;
inline constexpr long kSysMunmap = 215;
inline constexpr long kSysMmap = 222;
inline constexpr long kSysMprotect = 226;

inline constexpr long kProtRead = 1;
inline constexpr long kProtWrite = 2;
inline constexpr long kProtExec = 4;
inline constexpr uint32_t kPageSize = 4096;

long SystemCall(long number, long a0 = 0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0,
                long a5 = 0);

// Fresh zero-filled read+write pages (rounded up to whole pages), or null.
uint8_t* MapPages(size_t size);
bool ProtectPages(void* address, size_t size, long protection);

// Bump allocation from pages mapped on demand; never freed (the harness is
// one short process). Zero-filled, 16-byte aligned; null when out of memory.
void* Allocate(size_t size);
template <typename T>
T* AllocateArray(size_t count) {
  return static_cast<T*>(Allocate(count * sizeof(T)));
}

// A text under construction in a fixed buffer; what does not fit is cut.
class Text {
 public:
  Text& Add(const char* text);
  Text& Add(const char* text, size_t length);
  Text& Hex(uint64_t value);
  Text& Decimal(uint64_t value);
  const char* c_str() const { return buffer_; }
  size_t size() const { return length_; }
  void Clear() {
    length_ = 0;
    buffer_[0] = '\0';
  }

 private:
  static constexpr size_t kCapacity = 512;
  char buffer_[kCapacity] = {};
  size_t length_ = 0;
};

void Print(const char* text);
void Print(const Text& text);

// The whole file at `path`, or false with `error` saying why.
struct FileBytes {
  const uint8_t* data = nullptr;
  size_t size = 0;
};
bool ReadWholeFile(const char* path, FileBytes& file, Text& error);

size_t StringLength(const char* text);
bool Equal(const char* a, size_t a_length, const char* b);

}  // namespace rivet::rv32

#endif  // RIVET_TESTS_RISCV_RV32_HARNESS_SYSTEM_H_
