// IEEE 754 binary32/binary64 arithmetic on bit patterns, with integer
// operations only (see arith.h), rounding to nearest, ties to even.
//
// NaN results: an operation with a NaN operand returns the first NaN operand
// quieted (as x86-64 and compiler-rt do); an invalid operation on non-NaNs
// (inf - inf, 0 * inf, 0 / 0, sqrt of a negative) returns the canonical
// quiet NaN 0x7fc00000 / 0x7ff8000000000000 (as RISC-V does).
//
// Internal to loader/helpers; freestanding.
#ifndef RIVET_LOADER_HELPERS_SOFT_FLOAT_H_
#define RIVET_LOADER_HELPERS_SOFT_FLOAT_H_

#include <stdint.h>

#include "loader/helpers/arith.h"

namespace rivet::helpers::internal {

// A binary floating-point format whose bit pattern is `Bits`; `Wide` holds
// twice as many bits (products and square-root radicands).
template <typename BitsType, typename WideType, int kMantissa, int kExponent>
struct FloatFormat {
  using Bits = BitsType;
  using Wide = WideType;
  static constexpr int kWidth = static_cast<int>(sizeof(Bits)) * 8;
  static constexpr int kMantissaBits = kMantissa;
  static constexpr int kBias = (1 << (kExponent - 1)) - 1;
  static constexpr int kMaxExponent = (1 << kExponent) - 1;  // infinities and NaNs
  static constexpr Bits kSignMask = Bits{1} << (kWidth - 1);
  static constexpr Bits kImplicitBit = Bits{1} << kMantissa;
  static constexpr Bits kMantissaMask = kImplicitBit - 1;
  static constexpr Bits kQuietBit = Bits{1} << (kMantissa - 1);
  static constexpr Bits kInfinity = static_cast<Bits>(kMaxExponent) << kMantissa;
  static constexpr Bits kDefaultNaN = kInfinity | kQuietBit;
  // Working significands have their leading one at bit kWidth - 2 (the top
  // bit stays free for carries), which leaves this many bits below the
  // mantissa for rounding.
  static constexpr int kExtraBits = kWidth - 2 - kMantissa;
};

using Single = FloatFormat<uint32_t, uint64_t, 23, 8>;
using Double = FloatFormat<uint64_t, U128, 52, 11>;

template <typename F>
inline int CountLeadingZeros(typename F::Bits x) {
  if constexpr (F::kWidth == 32) {
    return CountLeadingZeros32(x);
  } else {
    return CountLeadingZeros64(x);
  }
}

template <typename F>
inline bool IsNaN(typename F::Bits x) {
  return (x & ~F::kSignMask) > F::kInfinity;
}

template <typename F>
inline bool IsZero(typename F::Bits x) {
  return (x & ~F::kSignMask) == 0;
}

template <typename F>
inline int ExponentField(typename F::Bits x) {
  return static_cast<int>((x >> F::kMantissaBits) & static_cast<typename F::Bits>(F::kMaxExponent));
}

template <typename F>
inline bool SignOf(typename F::Bits x) {
  return (x >> (F::kWidth - 1)) != 0;
}

// The first NaN of a and b, quieted.
template <typename F>
inline typename F::Bits PropagateNaN(typename F::Bits a, typename F::Bits b) {
  return (IsNaN<F>(a) ? a : b) | F::kQuietBit;
}

// x >> n, with the lowest bit set if any one bit was shifted out ("sticky"),
// so that rounding still sees an inexact remainder. Any n >= 0.
template <typename Bits>
inline Bits ShiftRightJam(Bits x, int n) {
  constexpr int kWidth = static_cast<int>(sizeof(Bits)) * 8;
  if (n == 0) return x;
  if (n >= kWidth) return x != 0 ? 1 : 0;
  const Bits lost = static_cast<Bits>(x << (kWidth - n));
  return static_cast<Bits>((x >> n) | (lost != 0 ? 1 : 0));
}

// The number sign * sig / 2^(kWidth - 2) * 2^(exponent - kBias), rounded to
// nearest even and packed. `sig` must have its leading one at bit
// kWidth - 2 (lower bits may carry sticky information). Exponents at or
// below 0 give subnormals or zero; at or above kMaxExponent, infinity.
template <typename F>
inline typename F::Bits RoundPack(bool negative, int exponent, typename F::Bits sig) {
  using Bits = typename F::Bits;
  constexpr Bits kRoundMask = (Bits{1} << F::kExtraBits) - 1;
  constexpr Bits kHalf = Bits{1} << (F::kExtraBits - 1);
  const Bits sign = negative ? F::kSignMask : 0;
  if (exponent <= 0) {
    // Denormalize to the exponent field 0 scale. A rounding carry into the
    // implicit bit turns the result into the smallest normal, which is what
    // the packed bits then say.
    sig = ShiftRightJam(sig, 1 - exponent);
    const Bits round_bits = sig & kRoundMask;
    sig = (sig + kHalf) >> F::kExtraBits;
    if (round_bits == kHalf) sig &= ~Bits{1};
    return sign | sig;
  }
  const Bits round_bits = sig & kRoundMask;
  sig = (sig + kHalf) >> F::kExtraBits;
  if (round_bits == kHalf) sig &= ~Bits{1};
  if ((sig >> (F::kMantissaBits + 1)) != 0) {  // rounded up to the next power of two
    sig >>= 1;
    ++exponent;
  }
  if (exponent >= F::kMaxExponent) return sign | F::kInfinity;
  return sign | (static_cast<Bits>(exponent) << F::kMantissaBits) | (sig & F::kMantissaMask);
}

// A finite nonzero number as exponent and significand with the leading one
// at bit kMantissaBits (subnormals normalized, their exponent below 1).
template <typename F>
struct Unpacked {
  int exponent;
  typename F::Bits sig;
};

template <typename F>
inline Unpacked<F> Normalize(typename F::Bits x) {
  const int exponent = ExponentField<F>(x);
  const typename F::Bits mantissa = x & F::kMantissaMask;
  if (exponent != 0) return {exponent, mantissa | F::kImplicitBit};
  const int shift = CountLeadingZeros<F>(mantissa) - (F::kWidth - 1 - F::kMantissaBits);
  return {1 - shift, static_cast<typename F::Bits>(mantissa << shift)};
}

template <typename F>
inline typename F::Bits Add(typename F::Bits a, typename F::Bits b) {
  using Bits = typename F::Bits;
  if (IsNaN<F>(a) || IsNaN<F>(b)) return PropagateNaN<F>(a, b);
  bool sign_a = SignOf<F>(a), sign_b = SignOf<F>(b);
  int exponent_a = ExponentField<F>(a), exponent_b = ExponentField<F>(b);
  if (exponent_a == F::kMaxExponent) {
    return exponent_b == F::kMaxExponent && sign_a != sign_b ? F::kDefaultNaN : a;
  }
  if (exponent_b == F::kMaxExponent) return b;
  if (IsZero<F>(a) && IsZero<F>(b)) return sign_a == sign_b ? a : 0;  // -0 + +0 = +0
  if (IsZero<F>(a)) return b;
  if (IsZero<F>(b)) return a;
  // Leading ones at bit kWidth - 3, leaving bit kWidth - 2 for the carry.
  Bits sig_a = (a & F::kMantissaMask) | (exponent_a != 0 ? F::kImplicitBit : 0);
  Bits sig_b = (b & F::kMantissaMask) | (exponent_b != 0 ? F::kImplicitBit : 0);
  sig_a <<= F::kExtraBits - 1;
  sig_b <<= F::kExtraBits - 1;
  if (exponent_a == 0) exponent_a = 1;
  if (exponent_b == 0) exponent_b = 1;
  if (exponent_a < exponent_b || (exponent_a == exponent_b && sig_a < sig_b)) {
    const bool sign = sign_a;
    sign_a = sign_b;
    sign_b = sign;
    const int exponent = exponent_a;
    exponent_a = exponent_b;
    exponent_b = exponent;
    const Bits sig = sig_a;
    sig_a = sig_b;
    sig_b = sig;
  }
  sig_b = ShiftRightJam(sig_b, exponent_a - exponent_b);
  const Bits sig = sign_a == sign_b ? sig_a + sig_b : sig_a - sig_b;
  if (sig == 0) return 0;  // exact cancellation is +0 when rounding to nearest
  const int shift = CountLeadingZeros<F>(sig) - 1;
  return RoundPack<F>(sign_a, exponent_a + 1 - shift, static_cast<Bits>(sig << shift));
}

template <typename F>
inline typename F::Bits Subtract(typename F::Bits a, typename F::Bits b) {
  // NaN operands pass through Add unchanged apart from quieting, so
  // flipping b's sign first is invisible except for b's NaN sign bit.
  if (IsNaN<F>(a) || IsNaN<F>(b)) return PropagateNaN<F>(a, b);
  return Add<F>(a, b ^ F::kSignMask);
}

// The high kWidth bits of the product of two kWidth-bit significands, with
// the low ones folded into a sticky bit.
template <typename F>
inline typename F::Bits MultiplyHighJam(typename F::Bits a, typename F::Bits b) {
  if constexpr (F::kWidth == 32) {
    const uint64_t product = MultiplyWide32(a, b);
    return static_cast<uint32_t>(product >> 32) | (static_cast<uint32_t>(product) != 0 ? 1 : 0);
  } else {
    const U128 product = MultiplyWide64(a, b);
    return product.high | (product.low != 0 ? 1 : 0);
  }
}

template <typename F>
inline typename F::Bits Multiply(typename F::Bits a, typename F::Bits b) {
  using Bits = typename F::Bits;
  if (IsNaN<F>(a) || IsNaN<F>(b)) return PropagateNaN<F>(a, b);
  const bool sign = SignOf<F>(a) != SignOf<F>(b);
  const Bits sign_bit = sign ? F::kSignMask : 0;
  if (ExponentField<F>(a) == F::kMaxExponent || ExponentField<F>(b) == F::kMaxExponent) {
    if (IsZero<F>(a) || IsZero<F>(b)) return F::kDefaultNaN;  // 0 * inf
    return sign_bit | F::kInfinity;
  }
  if (IsZero<F>(a) || IsZero<F>(b)) return sign_bit;
  const Unpacked<F> x = Normalize<F>(a), y = Normalize<F>(b);
  // Leading ones at the top bit: the product's is at 2 * kWidth - 2 or - 1.
  constexpr int kToTop = F::kWidth - 1 - F::kMantissaBits;
  Bits sig = MultiplyHighJam<F>(static_cast<Bits>(x.sig << kToTop),
                                static_cast<Bits>(y.sig << kToTop));
  int exponent = x.exponent + y.exponent - F::kBias;
  if ((sig >> (F::kWidth - 1)) != 0) {
    sig = ShiftRightJam(sig, 1);
    ++exponent;
  }
  return RoundPack<F>(sign, exponent, sig);
}

template <typename F>
inline typename F::Bits Divide(typename F::Bits a, typename F::Bits b) {
  using Bits = typename F::Bits;
  if (IsNaN<F>(a) || IsNaN<F>(b)) return PropagateNaN<F>(a, b);
  const bool sign = SignOf<F>(a) != SignOf<F>(b);
  const Bits sign_bit = sign ? F::kSignMask : 0;
  const bool a_infinite = ExponentField<F>(a) == F::kMaxExponent;
  const bool b_infinite = ExponentField<F>(b) == F::kMaxExponent;
  if (a_infinite) return b_infinite ? F::kDefaultNaN : sign_bit | F::kInfinity;
  if (b_infinite) return sign_bit;
  if (IsZero<F>(b)) return IsZero<F>(a) ? F::kDefaultNaN : sign_bit | F::kInfinity;
  if (IsZero<F>(a)) return sign_bit;
  Unpacked<F> x = Normalize<F>(a);
  const Unpacked<F> y = Normalize<F>(b);
  int exponent = x.exponent - y.exponent + F::kBias;
  if (x.sig < y.sig) {  // make the quotient's leading bit the first one
    x.sig <<= 1;
    --exponent;
  }
  // Long division, one quotient bit per step; the remainder stays below
  // 2^(kMantissaBits + 3), so it never overflows.
  Bits quotient = 0;
  Bits rest = x.sig;
  for (int step = 0; step < F::kWidth - 1; ++step) {
    quotient <<= 1;
    if (rest >= y.sig) {
      rest -= y.sig;
      quotient |= 1;
    }
    rest <<= 1;
  }
  if (rest != 0) quotient |= 1;
  return RoundPack<F>(sign, exponent, quotient);
}

template <typename F>
inline typename F::Bits SquareRoot(typename F::Bits a) {
  using Bits = typename F::Bits;
  using Wide = typename F::Wide;
  if (IsNaN<F>(a)) return a | F::kQuietBit;
  if (IsZero<F>(a)) return a;  // sqrt(-0) = -0
  if (SignOf<F>(a)) return F::kDefaultNaN;
  if (ExponentField<F>(a) == F::kMaxExponent) return a;
  Unpacked<F> x = Normalize<F>(a);
  // a = sig * 2^scale with an even scale, so sqrt(a) = sqrt(sig) * 2^(scale/2).
  int scale = x.exponent - F::kBias - F::kMantissaBits;
  if ((scale & 1) != 0) {
    x.sig <<= 1;
    --scale;
  }
  // root = floor(sqrt(sig * 2^(2 * kLift))) fills kWidth bits (leading one
  // at bit kWidth - 1, or kWidth - 2 for binary32), digit by digit.
  constexpr int kLift = (2 * F::kWidth - F::kMantissaBits - 2) / 2;
  const Wide radicand = Wide(x.sig) << (2 * kLift);
  Wide rest = 0;
  Bits root = 0;
  for (int digit = F::kWidth - 1; digit >= 0; --digit) {
    rest = (rest << 2) | ((radicand >> (2 * digit)) & Wide(3));
    const Wide trial = (Wide(root) << 2) | Wide(1);
    root <<= 1;
    if (rest >= trial) {
      rest = rest - trial;
      root |= 1;
    }
  }
  if (rest != Wide(0)) root |= 1;  // inexact: sticky
  int exponent = F::kBias + F::kWidth - 2 + scale / 2 - kLift;
  if ((root >> (F::kWidth - 1)) != 0) {
    root = ShiftRightJam(root, 1);
    ++exponent;
  }
  return RoundPack<F>(false, exponent, root);
}

enum class Ordering { kLess, kEqual, kGreater, kUnordered };

template <typename F>
inline Ordering Compare(typename F::Bits a, typename F::Bits b) {
  if (IsNaN<F>(a) || IsNaN<F>(b)) return Ordering::kUnordered;
  if (IsZero<F>(a) && IsZero<F>(b)) return Ordering::kEqual;  // -0 == +0
  if (a == b) return Ordering::kEqual;
  const bool sign_a = SignOf<F>(a);
  if (sign_a != SignOf<F>(b)) return sign_a ? Ordering::kLess : Ordering::kGreater;
  // Same sign: magnitudes order like their bit patterns.
  const bool magnitude_less = (a & ~F::kSignMask) < (b & ~F::kSignMask);
  return magnitude_less != sign_a ? Ordering::kLess : Ordering::kGreater;
}

// Conversion to an integer of `kBits` bits, truncating toward zero, with
// RISC-V's fcvt results outside the range: NaN and too large give the
// largest value, too small the smallest (0 for unsigned). The result is the
// integer's bit pattern, zero-extended.
template <typename F, bool kSigned, int kBits>
inline uint64_t ToInteger(typename F::Bits a) {
  constexpr uint64_t kUnsignedMax = kBits == 64 ? ~uint64_t{0} : (uint64_t{1} << kBits) - 1;
  constexpr uint64_t kSignedMax = kUnsignedMax >> 1;
  constexpr uint64_t kSignedMin = kSignedMax + 1;  // as a magnitude, and as bits
  if (IsNaN<F>(a)) return kSigned ? kSignedMax : kUnsignedMax;
  const bool negative = SignOf<F>(a);
  const int exponent = ExponentField<F>(a) - F::kBias;
  if (exponent < 0) return 0;  // |a| < 1, zeros and subnormals
  uint64_t magnitude;
  bool overflow = exponent >= 64;
  if (!overflow) {
    const uint64_t sig = static_cast<uint64_t>((a & F::kMantissaMask) | F::kImplicitBit);
    if (exponent >= F::kMantissaBits) {
      const int shift = exponent - F::kMantissaBits;
      overflow = shift > CountLeadingZeros64(sig);  // bits would leave the top
      magnitude = overflow ? 0 : sig << shift;
    } else {
      magnitude = sig >> (F::kMantissaBits - exponent);
    }
  }
  if (kSigned) {
    if (negative) {
      if (overflow || magnitude > kSignedMin) return kSignedMin;
      return (uint64_t{0} - magnitude) & kUnsignedMax;
    }
    return overflow || magnitude > kSignedMax ? kSignedMax : magnitude;
  }
  if (negative) return 0;
  return overflow || magnitude > kUnsignedMax ? kUnsignedMax : magnitude;
}

// sign * magnitude, rounded.
template <typename F>
inline typename F::Bits FromInteger(bool negative, uint64_t magnitude) {
  if (magnitude == 0) return 0;
  const int leading = 63 - CountLeadingZeros64(magnitude);
  // Leading one at bit 62, then narrowed to the format's working position.
  const uint64_t at_62 = leading <= 62 ? magnitude << (62 - leading) : ShiftRightJam(magnitude, 1);
  typename F::Bits sig;
  if constexpr (F::kWidth == 32) {
    sig = static_cast<uint32_t>(ShiftRightJam(at_62, 32));
  } else {
    sig = at_62;
  }
  return RoundPack<F>(negative, F::kBias + leading, sig);
}

inline uint64_t ExtendSingleToDouble(uint32_t a) {
  const uint64_t sign = static_cast<uint64_t>(a & Single::kSignMask) << 32;
  if (IsNaN<Single>(a)) {
    return sign | Double::kDefaultNaN | (static_cast<uint64_t>(a & Single::kMantissaMask) << 29);
  }
  if (ExponentField<Single>(a) == Single::kMaxExponent) return sign | Double::kInfinity;
  if (IsZero<Single>(a)) return sign;
  const Unpacked<Single> x = Normalize<Single>(a);
  const uint64_t exponent = static_cast<uint64_t>(x.exponent - Single::kBias + Double::kBias);
  return sign | (exponent << 52) | ((static_cast<uint64_t>(x.sig) << 29) & Double::kMantissaMask);
}

inline uint32_t TruncateDoubleToSingle(uint64_t a) {
  const uint32_t sign = static_cast<uint32_t>(a >> 32) & Single::kSignMask;
  if (IsNaN<Double>(a)) {
    return sign | Single::kDefaultNaN | static_cast<uint32_t>((a & Double::kMantissaMask) >> 29);
  }
  if (ExponentField<Double>(a) == Double::kMaxExponent) return sign | Single::kInfinity;
  if (IsZero<Double>(a)) return sign;
  const Unpacked<Double> x = Normalize<Double>(a);
  const uint32_t sig = static_cast<uint32_t>(ShiftRightJam<uint64_t>(x.sig << 10, 32));
  return RoundPack<Single>(sign != 0, x.exponent - Double::kBias + Single::kBias, sig);
}

enum class RoundingMode { kNearestEven, kNearestAway, kTowardZero, kDown, kUp };

// The integral value nearest to `a` in the given direction (ceil, floor,
// trunc, roundeven, round), keeping the sign of zero results.
template <typename F>
inline typename F::Bits RoundToIntegral(typename F::Bits a, RoundingMode mode) {
  using Bits = typename F::Bits;
  if (IsNaN<F>(a)) return a | F::kQuietBit;
  const int exponent = ExponentField<F>(a) - F::kBias;
  if (exponent >= F::kMantissaBits) return a;  // integral already, or infinite
  if (IsZero<F>(a)) return a;
  const bool negative = SignOf<F>(a);
  const Bits sign = a & F::kSignMask;
  constexpr Bits kOne = static_cast<Bits>(F::kBias) << F::kMantissaBits;
  if (exponent < 0) {  // 0 < |a| < 1
    bool to_one = false;
    switch (mode) {
      case RoundingMode::kNearestEven:
        to_one = exponent == -1 && (a & F::kMantissaMask) != 0;  // above one half
        break;
      case RoundingMode::kNearestAway:
        to_one = exponent == -1;
        break;
      case RoundingMode::kTowardZero:
        break;
      case RoundingMode::kDown:
        to_one = negative;
        break;
      case RoundingMode::kUp:
        to_one = !negative;
        break;
    }
    return sign | (to_one ? kOne : 0);
  }
  // Clear the fraction bits, then add one unit in the last integral place if
  // rounding goes away from zero; a carry runs into the exponent correctly.
  const Bits unit = Bits{1} << (F::kMantissaBits - exponent);
  const Bits fraction = a & (unit - 1);
  if (fraction == 0) return a;
  const Bits truncated = a & ~(unit - 1);
  const Bits half = unit >> 1;
  bool away = false;
  switch (mode) {
    case RoundingMode::kNearestEven:
      away = fraction > half || (fraction == half && (truncated & unit) != 0);
      break;
    case RoundingMode::kNearestAway:
      away = fraction >= half;
      break;
    case RoundingMode::kTowardZero:
      break;
    case RoundingMode::kDown:
      away = negative;
      break;
    case RoundingMode::kUp:
      away = !negative;
      break;
  }
  return away ? truncated + unit : truncated;
}

// C's fmin/fmax (LLVM's minnum/maxnum): a NaN operand is ignored unless
// both are NaN; -0 counts as less than +0.
template <typename F>
inline typename F::Bits MinimumNumber(typename F::Bits a, typename F::Bits b, bool want_max) {
  const bool a_nan = IsNaN<F>(a), b_nan = IsNaN<F>(b);
  if (a_nan && b_nan) return a | F::kQuietBit;
  if (a_nan) return b;
  if (b_nan) return a;
  Ordering order = Compare<F>(a, b);
  if (order == Ordering::kEqual) {  // only zeros of different signs differ
    const bool a_negative = SignOf<F>(a);
    return (a_negative != want_max) ? a : b;
  }
  return (order == Ordering::kLess) != want_max ? a : b;
}

}  // namespace rivet::helpers::internal

#endif  // RIVET_LOADER_HELPERS_SOFT_FLOAT_H_
