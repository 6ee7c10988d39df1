// Scalar floating-point semantics of WebAssembly, in one place.
//
// Shared by the scalar interpreter and the SIMD lane operations
// (interp/simd.h): every function works on float or double values (the
// interpreter converts bits <-> values with memcpy / ToBits / FromBits) and is
// exact per the WebAssembly spec on any IEEE-754 host, including soft-float
// RISC-V cores, without depending on the current rounding mode (fesetround may
// not exist there).
//
// NaN results. Wasm requires a NaN result of an arithmetic instruction to be
// an "arithmetic" NaN (quiet bit set), and a canonical one if every NaN input
// was canonical. Native IEEE hardware and the soft-float libraries already do
// this for + - * / sqrt and for promote/demote, so those stay plain C++
// operators. Where this file has to pick a NaN itself (min, max and the
// rounding functions) it returns the NaN input with its quiet bit set, which
// satisfies both rules and is the same on every host.
//
// Bit-level operations (abs, neg, copysign) work on the bits, never on the
// value, so that NaN payloads pass through unchanged as the spec requires.
#ifndef RIVET_INTERP_FLOAT_OPS_H_
#define RIVET_INTERP_FLOAT_OPS_H_

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace rivet::interp {

static_assert(std::numeric_limits<float>::is_iec559 &&
                  std::numeric_limits<double>::is_iec559,
              "rivet's interpreter needs IEEE-754 float and double");
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD != 0
// x87-style excess precision would double-round every operation.
#error "rivet's interpreter needs FLT_EVAL_METHOD == 0 (e.g. -mfpmath=sse)"
#endif

template <typename T>
struct FloatTraits;

template <>
struct FloatTraits<float> {
  using Bits = uint32_t;
  static constexpr Bits kSignBit = 0x80000000u;
  static constexpr Bits kQuietBit = 0x00400000u;
  // Every float with magnitude >= 2^23 is an integer.
  static constexpr float kTwoPowMantissa = 8388608.0f;
};

template <>
struct FloatTraits<double> {
  using Bits = uint64_t;
  static constexpr Bits kSignBit = 0x8000000000000000u;
  static constexpr Bits kQuietBit = 0x0008000000000000u;
  // Every double with magnitude >= 2^52 is an integer.
  static constexpr double kTwoPowMantissa = 4503599627370496.0;
};

template <typename T>
using FloatBits = typename FloatTraits<T>::Bits;

template <typename T>
inline FloatBits<T> ToBits(T x) {
  return std::bit_cast<FloatBits<T>>(x);
}

// FromBits<float>(0x3f800000u) == 1.0f.
template <typename T>
inline T FromBits(std::type_identity_t<FloatBits<T>> bits) {
  return std::bit_cast<T>(bits);
}

template <typename T>
inline bool IsNaN(T x) {
  return x != x;
}

// `x` (a NaN) with its quiet bit set: an arithmetic NaN, canonical if `x` was.
template <typename T>
inline T QuietNaN(T x) {
  return FromBits<T>(ToBits(x) | FloatTraits<T>::kQuietBit);
}

// ---------------------------------------------------------------------------
// Bit operations: f32.abs, f32.neg, f32.copysign (and f64). Never arithmetic.

template <typename T>
inline T WasmAbs(T x) {
  return FromBits<T>(ToBits(x) & ~FloatTraits<T>::kSignBit);
}

template <typename T>
inline T WasmNeg(T x) {
  return FromBits<T>(ToBits(x) ^ FloatTraits<T>::kSignBit);
}

// The magnitude of `a` with the sign of `b`.
template <typename T>
inline T WasmCopysign(T a, T b) {
  constexpr FloatBits<T> kSign = FloatTraits<T>::kSignBit;
  return FromBits<T>((ToBits(a) & ~kSign) | (ToBits(b) & kSign));
}

// ---------------------------------------------------------------------------
// min / max: NaN if either operand is NaN; -0 < +0.

template <typename T>
inline T WasmMin(T a, T b) {
  T r = b < a ? b : a;
  // Equal operands differ at most in the sign of a zero: OR keeps the -0.
  if (a == b) r = FromBits<T>(ToBits(a) | ToBits(b));
  if (IsNaN(b)) r = QuietNaN(b);
  if (IsNaN(a)) r = QuietNaN(a);
  return r;
}

template <typename T>
inline T WasmMax(T a, T b) {
  T r = a < b ? b : a;
  // Equal operands differ at most in the sign of a zero: AND keeps the +0.
  if (a == b) r = FromBits<T>(ToBits(a) & ToBits(b));
  if (IsNaN(b)) r = QuietNaN(b);
  if (IsNaN(a)) r = QuietNaN(a);
  return r;
}

// f32x4.pmin / pmax ("pseudo" min and max): b < a ? b : a, and a < b ? b : a.
// They return one of the operands unchanged, NaNs included.
template <typename T>
inline T WasmPmin(T a, T b) {
  return b < a ? b : a;
}

template <typename T>
inline T WasmPmax(T a, T b) {
  return a < b ? b : a;
}

// ---------------------------------------------------------------------------
// Rounding to an integral value. std::ceil, std::floor and std::trunc do not
// depend on the rounding mode; nearest is built on std::trunc.

template <typename T>
inline T WasmCeil(T x) {
  return IsNaN(x) ? QuietNaN(x) : std::ceil(x);
}

template <typename T>
inline T WasmFloor(T x) {
  return IsNaN(x) ? QuietNaN(x) : std::floor(x);
}

// f32.trunc (round toward zero). Not to be confused with the two-argument
// WasmTrunc below, which converts to an integer.
template <typename T>
inline T WasmTrunc(T x) {
  return IsNaN(x) ? QuietNaN(x) : std::trunc(x);
}

// f32.nearest: round to nearest, ties to even, keeping the sign (so
// nearest(-0.5) == -0).
template <typename T>
inline T WasmNearest(T x) {
  if (IsNaN(x)) return QuietNaN(x);
  T a = WasmAbs(x);
  // Already integral (or infinite).
  if (!(a < FloatTraits<T>::kTwoPowMantissa)) return x;
  T t = std::trunc(a);
  T frac = a - t;  // Exact.
  // t < 2^52 fits the integer type, and t + 1 is exact.
  using Int = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  bool odd = (static_cast<Int>(t) & 1) != 0;
  if (frac > T(0.5) || (frac == T(0.5) && odd)) t += T(1);
  return WasmCopysign(t, x);
}

template <typename T>
inline T WasmSqrt(T x) {
  return std::sqrt(x);
}

// ---------------------------------------------------------------------------
// Float -> integer: i32.trunc_f32_s and friends (trapping), and the
// saturating i32.trunc_sat_f32_s family.

enum class TruncResult : uint8_t {
  kOk,
  kInvalid,   // NaN: trap "invalid conversion to integer"
  kOverflow,  // out of range: trap "integer overflow"
};

// The spec test suite's wording of the trap for `r` (nullptr for kOk).
inline const char* TruncTrapMessage(TruncResult r) {
  switch (r) {
    case TruncResult::kOk:
      return nullptr;
    case TruncResult::kInvalid:
      return "invalid conversion to integer";
    case TruncResult::kOverflow:
      return "integer overflow";
  }
  return nullptr;
}

namespace float_ops_internal {

template <typename Float>
constexpr Float Pow2(int n) {
  Float r = 1;
  for (int i = 0; i < n; ++i) r *= 2;
  return r;
}

// Whether trunc(x) is representable in Int, for a non-NaN x. Compares x with
// exactly representable bounds, so no rounding is involved.
template <typename Int, typename Float>
inline bool TruncInRange(Float x) {
  static_assert(std::is_integral_v<Int> && std::is_floating_point_v<Float>);
  constexpr int kValueBits = std::numeric_limits<Int>::digits;  // 31, 32, ...
  constexpr Float kUpper = Pow2<Float>(kValueBits);             // exclusive
  if constexpr (std::is_signed_v<Int>) {
    constexpr Float kLower = -kUpper;
    if constexpr (kValueBits < std::numeric_limits<Float>::digits) {
      // -2^k - 1 is representable (i32 from f64): allow (-2^k - 1, -2^k].
      return x > kLower - 1 && x < kUpper;
    } else {
      // No Float lies strictly between -2^k - 1 and -2^k.
      return x >= kLower && x < kUpper;
    }
  } else {
    return x > Float(-1) && x < kUpper;
  }
}

}  // namespace float_ops_internal

// i32.trunc_f32_s etc.: on kOk stores trunc(x) in *out; otherwise leaves *out
// alone and says which trap the spec requires.
template <typename Int, typename Float>
inline TruncResult WasmTrunc(Float x, Int* out) {
  if (IsNaN(x)) return TruncResult::kInvalid;
  if (!float_ops_internal::TruncInRange<Int>(x)) return TruncResult::kOverflow;
  *out = static_cast<Int>(x);
  return TruncResult::kOk;
}

// i32.trunc_sat_f32_s etc.: NaN -> 0, out of range -> the nearest bound.
template <typename Int, typename Float>
inline Int TruncSat(Float x) {
  if (IsNaN(x)) return 0;
  if (float_ops_internal::TruncInRange<Int>(x)) return static_cast<Int>(x);
  return x < 0 ? std::numeric_limits<Int>::min()
               : std::numeric_limits<Int>::max();
}

// ---------------------------------------------------------------------------
// Integer -> float (f32.convert_i64_u etc.) and float <-> double.
//
// C++ conversions round to nearest-even in one step on IEEE hosts: x86-64
// and riscv64 convert 64-bit integers directly, and soft-float cores use
// libgcc/compiler-rt's correctly rounded __floatundisf and friends. (Going
// u64 -> f64 -> f32 instead would round twice and get e.g.
// 0x8000008000000001 wrong.)

template <typename Float, typename Int>
inline Float WasmConvert(Int x) {
  static_assert(std::is_integral_v<Int> && std::is_floating_point_v<Float>);
  return static_cast<Float>(x);
}

// f32.demote_f64: correctly rounded; NaN stays an arithmetic NaN.
inline float WasmDemote(double x) { return static_cast<float>(x); }

// f64.promote_f32: exact; NaN stays an arithmetic NaN.
inline double WasmPromote(float x) { return static_cast<double>(x); }

}  // namespace rivet::interp

#endif  // RIVET_INTERP_FLOAT_OPS_H_
