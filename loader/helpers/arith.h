// Integer primitives the helpers are built from, written with nothing a
// compiler for rv32i would turn into a helper call: no `*`, `/` or `%`, no
// __builtin_clz/ctz/popcount (which become __clzsi2 etc. without Zbb).
// Additions, subtractions, comparisons and shifts of 64-bit values are
// expanded inline by LLVM and GCC on every target, so they are safe.
//
// Internal to loader/helpers; freestanding.
#ifndef RIVET_LOADER_HELPERS_ARITH_H_
#define RIVET_LOADER_HELPERS_ARITH_H_

#include <stddef.h>
#include <stdint.h>

namespace rivet::helpers::internal {

inline int CountLeadingZeros32(uint32_t x) {
  if (x == 0) return 32;
  int zeros = 0;
  if ((x >> 16) == 0) { zeros += 16; x <<= 16; }
  if ((x >> 24) == 0) { zeros += 8; x <<= 8; }
  if ((x >> 28) == 0) { zeros += 4; x <<= 4; }
  if ((x >> 30) == 0) { zeros += 2; x <<= 2; }
  if ((x >> 31) == 0) zeros += 1;
  return zeros;
}

inline int CountLeadingZeros64(uint64_t x) {
  const uint32_t high = static_cast<uint32_t>(x >> 32);
  return high != 0 ? CountLeadingZeros32(high)
                   : 32 + CountLeadingZeros32(static_cast<uint32_t>(x));
}

inline int CountTrailingZeros32(uint32_t x) {
  if (x == 0) return 32;
  // x & -x keeps the lowest set bit; its index is 31 minus its leading zeros.
  return 31 - CountLeadingZeros32(x & (0u - x));
}

inline int CountTrailingZeros64(uint64_t x) {
  const uint32_t low = static_cast<uint32_t>(x);
  return low != 0 ? CountTrailingZeros32(low)
                  : 32 + CountTrailingZeros32(static_cast<uint32_t>(x >> 32));
}

inline int PopCount32(uint32_t x) {
  // Sums of adjacent fields, widening each step; the last steps fold bytes
  // with shifts rather than the usual multiply by 0x01010101.
  x = x - ((x >> 1) & 0x55555555u);
  x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
  x = (x + (x >> 4)) & 0x0f0f0f0fu;
  x = x + (x >> 8);
  x = x + (x >> 16);
  return static_cast<int>(x & 0x3fu);
}

inline int PopCount64(uint64_t x) {
  return PopCount32(static_cast<uint32_t>(x)) + PopCount32(static_cast<uint32_t>(x >> 32));
}

// The full 64-bit product of two 32-bit values, by shift and add.
inline uint64_t MultiplyWide32(uint32_t a, uint32_t b) {
  uint64_t product = 0;
  uint64_t addend = a;
  while (b != 0) {
    if ((b & 1u) != 0) product += addend;
    addend <<= 1;
    b >>= 1;
  }
  return product;
}

// The low 32 bits of a product (the same for signed and unsigned operands).
inline uint32_t MultiplyLow32(uint32_t a, uint32_t b) {
  uint32_t product = 0;
  while (b != 0) {
    if ((b & 1u) != 0) product += a;
    a <<= 1;
    b >>= 1;
  }
  return product;
}

// The low 64 bits of a product, from three 32x32 partial products (the
// high x high one only affects bits above 64).
inline uint64_t MultiplyLow64(uint64_t a, uint64_t b) {
  const uint32_t a_low = static_cast<uint32_t>(a), a_high = static_cast<uint32_t>(a >> 32);
  const uint32_t b_low = static_cast<uint32_t>(b), b_high = static_cast<uint32_t>(b >> 32);
  const uint32_t cross = MultiplyLow32(a_low, b_high) + MultiplyLow32(a_high, b_low);
  return MultiplyWide32(a_low, b_low) + (static_cast<uint64_t>(cross) << 32);
}

// A 128-bit unsigned integer, for double-precision products and square roots.
struct U128 {
  uint64_t high;
  uint64_t low;

  constexpr U128() : high(0), low(0) {}
  constexpr U128(uint64_t value) : high(0), low(value) {}  // NOLINT: widening
  constexpr U128(uint64_t high_part, uint64_t low_part) : high(high_part), low(low_part) {}
};

inline U128 operator+(U128 a, U128 b) {
  const uint64_t low = a.low + b.low;
  return U128(a.high + b.high + (low < a.low ? 1 : 0), low);
}
inline U128 operator-(U128 a, U128 b) {
  return U128(a.high - b.high - (a.low < b.low ? 1 : 0), a.low - b.low);
}
inline U128 operator|(U128 a, U128 b) { return U128(a.high | b.high, a.low | b.low); }
inline U128 operator&(U128 a, U128 b) { return U128(a.high & b.high, a.low & b.low); }
inline bool operator==(U128 a, U128 b) { return a.high == b.high && a.low == b.low; }
inline bool operator!=(U128 a, U128 b) { return !(a == b); }
inline bool operator<(U128 a, U128 b) {
  return a.high < b.high || (a.high == b.high && a.low < b.low);
}
inline bool operator>=(U128 a, U128 b) { return !(a < b); }
// Shifts by 0..127.
inline U128 operator<<(U128 a, int n) {
  if (n == 0) return a;
  if (n >= 64) return U128(a.low << (n - 64), 0);
  return U128((a.high << n) | (a.low >> (64 - n)), a.low << n);
}
inline U128 operator>>(U128 a, int n) {
  if (n == 0) return a;
  if (n >= 64) return U128(0, a.high >> (n - 64));
  return U128(a.high >> n, (a.low >> n) | (a.high << (64 - n)));
}

// The full 128-bit product of two 64-bit values.
inline U128 MultiplyWide64(uint64_t a, uint64_t b) {
  const uint32_t a_low = static_cast<uint32_t>(a), a_high = static_cast<uint32_t>(a >> 32);
  const uint32_t b_low = static_cast<uint32_t>(b), b_high = static_cast<uint32_t>(b >> 32);
  const U128 low_low = MultiplyWide32(a_low, b_low);
  const U128 low_high = U128(MultiplyWide32(a_low, b_high)) << 32;
  const U128 high_low = U128(MultiplyWide32(a_high, b_low)) << 32;
  const U128 high_high = U128(MultiplyWide32(a_high, b_high), 0);
  return low_low + low_high + high_low + high_high;
}

// Unsigned division by shift and subtract. Division by zero gives RISC-V's
// results: an all-ones quotient and the dividend as remainder.
template <typename Unsigned>
inline Unsigned DivideUnsigned(Unsigned dividend, Unsigned divisor, Unsigned* remainder) {
  if (divisor == 0) {
    *remainder = dividend;
    return static_cast<Unsigned>(~Unsigned{0});
  }
  if (dividend < divisor) {
    *remainder = dividend;
    return 0;
  }
  constexpr bool kIs64 = sizeof(Unsigned) == 8;
  // Start where the divisor's leading one lines up with the dividend's.
  const int shift = kIs64 ? CountLeadingZeros64(divisor) - CountLeadingZeros64(dividend)
                          : CountLeadingZeros32(static_cast<uint32_t>(divisor)) -
                                CountLeadingZeros32(static_cast<uint32_t>(dividend));
  Unsigned quotient = 0;
  Unsigned rest = dividend;
  Unsigned shifted_divisor = static_cast<Unsigned>(divisor << shift);
  for (int bit = shift; bit >= 0; --bit) {
    quotient = static_cast<Unsigned>(quotient << 1);
    if (rest >= shifted_divisor) {
      rest = static_cast<Unsigned>(rest - shifted_divisor);
      quotient |= 1;
    }
    shifted_divisor = static_cast<Unsigned>(shifted_divisor >> 1);
  }
  *remainder = rest;
  return quotient;
}

// Signed division and remainder with RISC-V's results where C leaves them
// undefined: x / 0 = -1, x % 0 = x, MIN / -1 = MIN, MIN % -1 = 0.
template <typename Signed, typename Unsigned>
inline Signed DivideSigned(Signed dividend, Signed divisor, Signed* remainder) {
  if (divisor == 0) {
    *remainder = dividend;
    return -1;
  }
  const bool dividend_negative = dividend < 0, divisor_negative = divisor < 0;
  const Unsigned dividend_magnitude =
      dividend_negative ? static_cast<Unsigned>(Unsigned{0} - static_cast<Unsigned>(dividend))
                        : static_cast<Unsigned>(dividend);
  const Unsigned divisor_magnitude =
      divisor_negative ? static_cast<Unsigned>(Unsigned{0} - static_cast<Unsigned>(divisor))
                       : static_cast<Unsigned>(divisor);
  Unsigned rest;
  Unsigned quotient = DivideUnsigned<Unsigned>(dividend_magnitude, divisor_magnitude, &rest);
  // Quotients truncate toward zero; remainders take the dividend's sign.
  if (dividend_negative != divisor_negative) quotient = static_cast<Unsigned>(Unsigned{0} - quotient);
  if (dividend_negative) rest = static_cast<Unsigned>(Unsigned{0} - rest);
  *remainder = static_cast<Signed>(rest);
  return static_cast<Signed>(quotient);
}

}  // namespace rivet::helpers::internal

#endif  // RIVET_LOADER_HELPERS_ARITH_H_
