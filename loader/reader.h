// Bounds-checked reading of the WebAssembly binary format.
//
// A Reader walks a byte range of the module and never reads past its end;
// every failure records what was expected and the absolute byte offset, and
// leaves the reader failed so that callers can check once after a sequence
// of reads. The LEB128 readers enforce the spec's limits: at most
// ceil(N/7) bytes, and unused bits of the last byte must be zero (unsigned)
// or a sign extension (signed).
#ifndef RIVET_LOADER_READER_H_
#define RIVET_LOADER_READER_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace rivet {

class Reader {
 public:
  // `base` is the absolute offset of `data[0]` in the module, for messages.
  Reader(const uint8_t* data, size_t size, size_t base)
      : begin_(data), pos_(data), end_(data + size), base_(base) {}

  bool ok() const { return error_.empty(); }
  bool at_end() const { return pos_ == end_; }
  size_t remaining() const { return end_ - pos_; }
  // Absolute offset of the next byte.
  size_t offset() const { return base_ + (pos_ - begin_); }
  const uint8_t* pos() const { return pos_; }

  // The first error, "at offset N: what" is added by the caller's context.
  const std::string& error() const { return error_; }
  size_t error_offset() const { return error_offset_; }

  // Records an error at the current offset (the first one wins).
  void Fail(std::string message) { FailAt(offset(), std::move(message)); }
  void FailAt(size_t offset, std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
      error_offset_ = offset;
    }
    pos_ = end_;  // stop every further read
  }

  uint8_t U8() {
    if (pos_ >= end_) return Eof(), 0;
    return *pos_++;
  }
  uint8_t PeekU8() const { return pos_ < end_ ? *pos_ : 0; }

  uint32_t U32() { return static_cast<uint32_t>(Unsigned(32)); }
  uint64_t U64() { return Unsigned(64); }
  int32_t S32() { return static_cast<int32_t>(Signed(32)); }
  int64_t S64() { return Signed(64); }
  // The signed 33-bit block type index.
  int64_t S33() { return Signed(33); }

  template <typename T>
  T Fixed() {
    T value{};
    if (remaining() < sizeof(T)) return Eof(), value;
    std::memcpy(&value, pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }

  // Returns a pointer to `n` bytes and skips them, or nullptr.
  const uint8_t* Bytes(size_t n) {
    if (remaining() < n) return Eof(), nullptr;
    const uint8_t* p = pos_;
    pos_ += n;
    return p;
  }

  // A length-prefixed UTF-8 name.
  std::string Name();

 private:
  void Eof() { Fail("unexpected end"); }
  uint64_t Unsigned(int bits);
  int64_t Signed(int bits);

  const uint8_t* begin_;
  const uint8_t* pos_;
  const uint8_t* end_;
  size_t base_;
  std::string error_;
  size_t error_offset_ = 0;
};

// True when [data, data+size) is well-formed UTF-8 (no overlongs, no
// surrogates, nothing above U+10FFFF).
bool IsValidUtf8(const uint8_t* data, size_t size);

}  // namespace rivet

#endif  // RIVET_LOADER_READER_H_
