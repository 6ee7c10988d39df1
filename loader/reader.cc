#include "loader/reader.h"

namespace rivet {

uint64_t Reader::Unsigned(int bits) {
  uint64_t result = 0;
  const int max_bytes = (bits + 6) / 7;
  for (int i = 0; i < max_bytes; ++i) {
    if (pos_ >= end_) {
      Fail("unexpected end of LEB128 integer");
      return 0;
    }
    uint8_t byte = *pos_++;
    int shift = 7 * i;
    if (i == max_bytes - 1) {
      // Bits beyond `bits` in the last byte must be zero, and it must be
      // the last byte.
      int used = bits - shift;
      if (byte & 0x80) {
        FailAt(offset() - 1, "integer representation too long");
        return 0;
      }
      if (used < 7 && (byte >> used) != 0) {
        FailAt(offset() - 1, "integer too large");
        return 0;
      }
    }
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return result;
  }
  return result;
}

int64_t Reader::Signed(int bits) {
  int64_t result = 0;
  const int max_bytes = (bits + 6) / 7;
  for (int i = 0; i < max_bytes; ++i) {
    if (pos_ >= end_) {
      Fail("unexpected end of LEB128 integer");
      return 0;
    }
    uint8_t byte = *pos_++;
    int shift = 7 * i;
    if (i == max_bytes - 1) {
      if (byte & 0x80) {
        FailAt(offset() - 1, "integer representation too long");
        return 0;
      }
      // The unused high bits must all equal the sign bit of the value.
      int used = bits - shift;  // value bits carried by this byte
      if (used < 7) {
        int sign_and_rest = static_cast<int8_t>(byte << 1) >> used;  // bits used..6
        if (sign_and_rest != 0 && sign_and_rest != -1) {
          FailAt(offset() - 1, "integer too large");
          return 0;
        }
      }
    }
    result |= static_cast<int64_t>(static_cast<uint64_t>(byte & 0x7f) << shift);
    if (!(byte & 0x80)) {
      shift += 7;
      if (shift < 64 && (byte & 0x40)) result |= static_cast<int64_t>(~uint64_t{0} << shift);
      return result;
    }
  }
  return result;
}

std::string Reader::Name() {
  uint32_t length = U32();
  if (!ok()) return {};
  if (length > remaining()) {
    Fail("unexpected end: name length " + std::to_string(length) + " exceeds the remaining " +
         std::to_string(remaining()) + " bytes");
    return {};
  }
  const uint8_t* bytes = pos_;
  if (!IsValidUtf8(bytes, length)) {
    Fail("malformed UTF-8 encoding");
    return {};
  }
  pos_ += length;
  return std::string(reinterpret_cast<const char*>(bytes), length);
}

bool IsValidUtf8(const uint8_t* s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) {
      return false;  // overlong
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

}  // namespace rivet
