// Bounds-checked access to the guest's linear memory. Every guest pointer
// and length goes through here: an out-of-bounds one fails (the WASI call
// returns EFAULT), it never reaches the host. Internal to runtime/wasi/.
#ifndef RIVET_RUNTIME_WASI_GUEST_MEMORY_H_
#define RIVET_RUNTIME_WASI_GUEST_MEMORY_H_

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>

#include "runtime/store.h"

namespace rivet::wasi {

// Little-endian encoding into host buffers that are then copied to memory
// in one checked write (wasm memory is little-endian, as rivet's hosts are).
inline void PutU16(uint8_t* p, uint16_t v) { std::memcpy(p, &v, 2); }
inline void PutU32(uint8_t* p, uint32_t v) { std::memcpy(p, &v, 4); }
inline void PutU64(uint8_t* p, uint64_t v) { std::memcpy(p, &v, 8); }
inline uint16_t GetU16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}
inline uint32_t GetU32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline uint64_t GetU64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

class GuestMemory {
 public:
  explicit GuestMemory(Memory* memory) : memory_(memory) {}

  // Whether an access was attempted while the context had no memory.
  bool missing() const { return missing_; }

  // The bytes [ptr, ptr + len), if they all lie inside memory.
  std::optional<std::span<uint8_t>> Bytes(uint64_t ptr, uint64_t len) {
    if (memory_ == nullptr) {
      missing_ = true;
      return std::nullopt;
    }
    uint64_t size = memory_->size();
    if (ptr > size || len > size - ptr) return std::nullopt;
    if (len == 0) return std::span<uint8_t>();
    return std::span<uint8_t>(memory_->data() + ptr, len);
  }

  bool Write(uint64_t ptr, const void* data, uint64_t len) {
    std::optional<std::span<uint8_t>> bytes = Bytes(ptr, len);
    if (!bytes) return false;
    if (len != 0) std::memcpy(bytes->data(), data, len);
    return true;
  }
  bool Read(uint64_t ptr, void* data, uint64_t len) {
    std::optional<std::span<uint8_t>> bytes = Bytes(ptr, len);
    if (!bytes) return false;
    if (len != 0) std::memcpy(data, bytes->data(), len);
    return true;
  }
  bool WriteU8(uint64_t ptr, uint8_t v) { return Write(ptr, &v, 1); }
  bool WriteU32(uint64_t ptr, uint32_t v) {
    uint8_t b[4];
    PutU32(b, v);
    return Write(ptr, b, 4);
  }
  bool WriteU64(uint64_t ptr, uint64_t v) {
    uint8_t b[8];
    PutU64(b, v);
    return Write(ptr, b, 8);
  }
  bool ReadU32(uint64_t ptr, uint32_t* v) {
    uint8_t b[4];
    if (!Read(ptr, b, 4)) return false;
    *v = GetU32(b);
    return true;
  }

  // A string of `len` bytes at `ptr` (paths: not NUL-terminated).
  std::optional<std::string> String(uint64_t ptr, uint64_t len) {
    std::optional<std::span<uint8_t>> bytes = Bytes(ptr, len);
    if (!bytes) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(bytes->data()), bytes->size());
  }

 private:
  Memory* memory_;
  bool missing_ = false;
};

}  // namespace rivet::wasi

#endif  // RIVET_RUNTIME_WASI_GUEST_MEMORY_H_
