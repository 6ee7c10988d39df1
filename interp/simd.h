// WebAssembly fixed-width SIMD (v128) for the interpreter.
//
// One inline function per non-memory SIMD instruction of
// RIVET_FOREACH_SIMD_OPCODE (loader/opcodes.h), named exactly like the
// opcode's enum name (I8x16Add, F32x4Pmin, I32x4TruncSatF64x2SZero, ...), with
// parameters in the order of the table's signature:
//
//   v -> V128      i -> uint32_t    l -> uint64_t
//   f -> uint32_t (the f32 bits)    d -> uint64_t (the f64 bits)
//
// Immediates come last: `uint8_t lane` for the extract/replace_lane
// instructions, `const uint8_t* lanes` (16 indices < 32) for i8x16.shuffle.
// The validator guarantees lane indices are in range; these functions mask
// them anyway, so a bad index can never reach outside the vector.
//
// The memory instructions get helpers that take the bytes the interpreter has
// already loaded (V128Load8x8S, V128Load32Splat, V128Load64Zero, ...,
// ReplaceLaneBytes / ExtractLaneBytes for the lane loads and stores).
//
// Every float lane operation goes through the scalar helpers of
// interp/float_ops.h, so scalar and SIMD semantics cannot drift apart. Only
// portable C++20 is used: no intrinsics, simple loops over lanes that
// compilers can vectorize, and exact wasm semantics on any host (big-endian
// hosts included: lanes are kept in wasm's little-endian memory order).
#ifndef RIVET_INTERP_SIMD_H_
#define RIVET_INTERP_SIMD_H_

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "interp/float_ops.h"

namespace rivet::interp {

// A v128 value: lane 0 at bytes[0], each lane little-endian, exactly as the
// value is laid out in wasm linear memory.
struct alignas(8) V128 {
  uint8_t bytes[16];

  friend bool operator==(const V128& a, const V128& b) {
    return std::memcmp(a.bytes, b.bytes, 16) == 0;
  }
};
static_assert(sizeof(V128) == 16);
static_assert(std::is_trivially_copyable_v<V128>);

// The lanes of a v128 viewed as T (int8_t ... uint64_t, float, double).
template <typename T>
inline constexpr size_t kNumLanes = 16 / sizeof(T);

template <typename T>
using LaneArray = std::array<T, kNumLanes<T>>;

namespace simd_internal {

template <size_t kSize>
struct UIntOfSize;
template <>
struct UIntOfSize<1> {
  using Type = uint8_t;
};
template <>
struct UIntOfSize<2> {
  using Type = uint16_t;
};
template <>
struct UIntOfSize<4> {
  using Type = uint32_t;
};
template <>
struct UIntOfSize<8> {
  using Type = uint64_t;
};

// The unsigned integer as wide as T: comparison masks, bit patterns.
template <typename T>
using UIntOf = typename UIntOfSize<sizeof(T)>::Type;

// On a big-endian host, reverses the bytes of each T-sized lane (a no-op on
// little-endian hosts, where lane memory order is host order).
template <typename T>
inline void SwapLanesIfBigEndian(uint8_t* bytes) {
  if constexpr (std::endian::native == std::endian::big && sizeof(T) > 1) {
    for (size_t i = 0; i < 16; i += sizeof(T)) {
      std::reverse(bytes + i, bytes + i + sizeof(T));
    }
  }
}

}  // namespace simd_internal

// All lanes of `v` as T.
template <typename T>
inline LaneArray<T> ToLanes(V128 v) {
  simd_internal::SwapLanesIfBigEndian<T>(v.bytes);
  LaneArray<T> lanes;
  std::memcpy(lanes.data(), v.bytes, 16);
  return lanes;
}

// A v128 from its lanes: FromLanes<int16_t>({1, 2, 3, 4, 5, 6, 7, 8}).
template <typename T>
inline V128 FromLanes(const LaneArray<T>& lanes) {
  V128 v;
  std::memcpy(v.bytes, lanes.data(), 16);
  simd_internal::SwapLanesIfBigEndian<T>(v.bytes);
  return v;
}

// Lane `lane` (taken modulo the lane count) of `v` as T.
template <typename T>
inline T GetLane(const V128& v, unsigned lane) {
  uint8_t bytes[sizeof(T)];
  std::memcpy(bytes, v.bytes + (lane % kNumLanes<T>) * sizeof(T), sizeof(T));
  if constexpr (std::endian::native == std::endian::big) {
    std::reverse(bytes, bytes + sizeof(T));
  }
  T x;
  std::memcpy(&x, bytes, sizeof(T));
  return x;
}

// Sets lane `lane` (taken modulo the lane count) of `v` to x.
template <typename T>
inline void SetLane(V128& v, unsigned lane, T x) {
  uint8_t bytes[sizeof(T)];
  std::memcpy(bytes, &x, sizeof(T));
  if constexpr (std::endian::native == std::endian::big) {
    std::reverse(bytes, bytes + sizeof(T));
  }
  std::memcpy(v.bytes + (lane % kNumLanes<T>) * sizeof(T), bytes, sizeof(T));
}

namespace simd_internal {

// Every lane set to x.
template <typename T>
inline V128 Splat(T x) {
  LaneArray<T> r;
  for (size_t i = 0; i < kNumLanes<T>; ++i) r[i] = x;
  return FromLanes<T>(r);
}

// Lane-wise f(a[i]) with the same lane count in and out.
template <typename R, typename T, typename F>
inline V128 Map(V128 a, F f) {
  static_assert(sizeof(R) == sizeof(T));
  LaneArray<T> x = ToLanes<T>(a);
  LaneArray<R> r;
  for (size_t i = 0; i < kNumLanes<T>; ++i) r[i] = static_cast<R>(f(x[i]));
  return FromLanes<R>(r);
}

// Lane-wise f(a[i], b[i]).
template <typename T, typename F>
inline V128 Map2(V128 a, V128 b, F f) {
  LaneArray<T> x = ToLanes<T>(a);
  LaneArray<T> y = ToLanes<T>(b);
  LaneArray<T> r;
  for (size_t i = 0; i < kNumLanes<T>; ++i) r[i] = static_cast<T>(f(x[i], y[i]));
  return FromLanes<T>(r);
}

// Lane-wise comparison: all ones where f(a[i], b[i]), zero elsewhere.
template <typename T, typename F>
inline V128 Compare(V128 a, V128 b, F f) {
  using M = UIntOf<T>;
  LaneArray<T> x = ToLanes<T>(a);
  LaneArray<T> y = ToLanes<T>(b);
  LaneArray<M> r;
  for (size_t i = 0; i < kNumLanes<T>; ++i) {
    r[i] = f(x[i], y[i]) ? static_cast<M>(~M{0}) : M{0};
  }
  return FromLanes<M>(r);
}

// Narrow lanes: R gets twice as many lanes as T, the low half from a and the
// high half from b, each clamped to R's range (narrow_*).
template <typename R, typename T>
inline V128 NarrowSat(V128 a, V128 b) {
  static_assert(sizeof(R) * 2 == sizeof(T));
  constexpr size_t kN = kNumLanes<T>;
  LaneArray<T> x = ToLanes<T>(a);
  LaneArray<T> y = ToLanes<T>(b);
  constexpr T kMin = static_cast<T>(std::numeric_limits<R>::min());
  constexpr T kMax = static_cast<T>(std::numeric_limits<R>::max());
  LaneArray<R> r;
  for (size_t i = 0; i < kN; ++i) {
    r[i] = static_cast<R>(std::clamp(x[i], kMin, kMax));
    r[kN + i] = static_cast<R>(std::clamp(y[i], kMin, kMax));
  }
  return FromLanes<R>(r);
}

// Widen the low (kHigh = false) or high half of the T lanes to R.
template <typename R, typename T, bool kHigh>
inline V128 Extend(V128 a) {
  static_assert(sizeof(R) == sizeof(T) * 2);
  constexpr size_t kN = kNumLanes<R>;
  constexpr size_t kBase = kHigh ? kN : 0;
  LaneArray<T> x = ToLanes<T>(a);
  LaneArray<R> r;
  for (size_t i = 0; i < kN; ++i) r[i] = static_cast<R>(x[kBase + i]);
  return FromLanes<R>(r);
}

// Widening multiply of the low or high halves (extmul_*). R is wide enough
// for the exact product; W is the type the product is computed in (unsigned
// where the product could overflow a promoted int).
template <typename R, typename T, bool kHigh>
inline V128 ExtMul(V128 a, V128 b) {
  static_assert(sizeof(R) == sizeof(T) * 2);
  constexpr size_t kN = kNumLanes<R>;
  constexpr size_t kBase = kHigh ? kN : 0;
  using W = std::conditional_t<std::is_signed_v<R>, std::make_signed_t<UIntOf<R>>,
                               UIntOf<R>>;
  LaneArray<T> x = ToLanes<T>(a);
  LaneArray<T> y = ToLanes<T>(b);
  LaneArray<R> r;
  for (size_t i = 0; i < kN; ++i) {
    // W(x) * W(y) cannot overflow: the product of two T fits R.
    // For 16-bit R the operands promote to int, which also holds it.
    r[i] = static_cast<R>(static_cast<W>(x[kBase + i]) *
                          static_cast<W>(y[kBase + i]));
  }
  return FromLanes<R>(r);
}

// Sum of adjacent lane pairs, widened (extadd_pairwise_*).
template <typename R, typename T>
inline V128 ExtAddPairwise(V128 a) {
  static_assert(sizeof(R) == sizeof(T) * 2);
  LaneArray<T> x = ToLanes<T>(a);
  LaneArray<R> r;
  for (size_t i = 0; i < kNumLanes<R>; ++i) {
    r[i] = static_cast<R>(static_cast<R>(x[2 * i]) + static_cast<R>(x[2 * i + 1]));
  }
  return FromLanes<R>(r);
}

// Shifts, with the count taken modulo the lane width. T is signed for an
// arithmetic right shift, unsigned for a logical one.
template <typename T>
inline V128 Shl(V128 a, uint32_t count) {
  using U = UIntOf<T>;
  const unsigned c = count & (sizeof(T) * 8 - 1);
  return Map<U, U>(a, [c](U x) { return static_cast<U>(x << c); });
}

template <typename T>
inline V128 Shr(V128 a, uint32_t count) {
  const unsigned c = count & (sizeof(T) * 8 - 1);
  return Map<T, T>(a, [c](T x) { return static_cast<T>(x >> c); });
}

// Saturating add / sub of 8- and 16-bit lanes, computed exactly in int.
template <typename T>
inline V128 AddSat(V128 a, V128 b) {
  return Map2<T>(a, b, [](T x, T y) {
    return std::clamp<int>(int{x} + int{y}, std::numeric_limits<T>::min(),
                           std::numeric_limits<T>::max());
  });
}

template <typename T>
inline V128 SubSat(V128 a, V128 b) {
  return Map2<T>(a, b, [](T x, T y) {
    return std::clamp<int>(int{x} - int{y}, std::numeric_limits<T>::min(),
                           std::numeric_limits<T>::max());
  });
}

// Wrapping lane arithmetic, done unsigned (no signed overflow, and 8/16-bit
// products computed in uint32_t rather than a promoted int).
template <typename T>
inline V128 Add(V128 a, V128 b) {
  using U = UIntOf<T>;
  return Map2<U>(a, b, [](U x, U y) { return static_cast<U>(x + y); });
}

template <typename T>
inline V128 Sub(V128 a, V128 b) {
  using U = UIntOf<T>;
  return Map2<U>(a, b, [](U x, U y) { return static_cast<U>(x - y); });
}

template <typename T>
inline V128 Mul(V128 a, V128 b) {
  using U = UIntOf<T>;
  using W = std::conditional_t<(sizeof(U) < 4), uint32_t, U>;
  return Map2<U>(a, b, [](U x, U y) { return static_cast<U>(W{x} * W{y}); });
}

template <typename T>
inline V128 Neg(V128 a) {
  using U = UIntOf<T>;
  return Map<U, U>(a, [](U x) { return static_cast<U>(U{0} - x); });
}

// abs of signed lanes; the most negative value stays as it is.
template <typename T>
inline V128 Abs(V128 a) {
  using U = UIntOf<T>;
  return Map<U, T>(a, [](T x) {
    U u = static_cast<U>(x);
    return x < 0 ? static_cast<U>(U{0} - u) : u;
  });
}

template <typename T>
inline V128 Min(V128 a, V128 b) {
  return Map2<T>(a, b, [](T x, T y) { return y < x ? y : x; });
}

template <typename T>
inline V128 Max(V128 a, V128 b) {
  return Map2<T>(a, b, [](T x, T y) { return x < y ? y : x; });
}

// avgr_u: (a + b + 1) / 2 without overflow.
template <typename T>
inline V128 AvgrU(V128 a, V128 b) {
  return Map2<T>(a, b, [](T x, T y) {
    return static_cast<T>((uint32_t{x} + uint32_t{y} + 1) >> 1);
  });
}

// all_true: every lane non-zero.
template <typename T>
inline uint32_t AllTrue(V128 a) {
  LaneArray<T> x = ToLanes<T>(a);
  bool all = true;
  for (size_t i = 0; i < kNumLanes<T>; ++i) all &= x[i] != 0;
  return all ? 1 : 0;
}

// bitmask: bit i is the top bit of lane i.
template <typename T>
inline uint32_t Bitmask(V128 a) {
  using U = UIntOf<T>;
  LaneArray<U> x = ToLanes<U>(a);
  uint32_t mask = 0;
  for (size_t i = 0; i < kNumLanes<T>; ++i) {
    mask |= static_cast<uint32_t>(x[i] >> (sizeof(U) * 8 - 1)) << i;
  }
  return mask;
}

// Float lanes: F is float or double, the function gets and returns values.
template <typename F, typename Fn>
inline V128 FloatMap(V128 a, Fn fn) {
  return Map<F, F>(a, fn);
}

template <typename F, typename Fn>
inline V128 FloatMap2(V128 a, V128 b, Fn fn) {
  return Map2<F>(a, b, fn);
}

// Bit operations on float lanes (abs, neg), without touching NaN payloads.
template <typename F>
inline V128 FloatAbs(V128 a) {
  using U = UIntOf<F>;
  return Map<U, U>(a, [](U x) {
    return static_cast<U>(x & ~FloatTraits<F>::kSignBit);
  });
}

template <typename F>
inline V128 FloatNeg(V128 a) {
  using U = UIntOf<F>;
  return Map<U, U>(a, [](U x) {
    return static_cast<U>(x ^ FloatTraits<F>::kSignBit);
  });
}

// v128 as two 64-bit halves, for the bitwise instructions.
template <typename Fn>
inline V128 Bitwise2(V128 a, V128 b, Fn fn) {
  return Map2<uint64_t>(a, b, fn);
}

}  // namespace simd_internal

// ===========================================================================
// Memory instruction helpers. `bits` are the bytes loaded from memory, read as
// a little-endian integer (lane 0 in the low bits).

// v128.load8x8_s/u, v128.load16x4_s/u, v128.load32x2_s/u.
namespace simd_internal {
template <typename R, typename T>
inline V128 LoadExtend(uint64_t bits) {
  static_assert(sizeof(R) == sizeof(T) * 2);
  using U = UIntOf<T>;
  LaneArray<R> r;
  for (size_t i = 0; i < kNumLanes<R>; ++i) {
    r[i] = static_cast<R>(static_cast<T>(static_cast<U>(bits >> (i * sizeof(T) * 8))));
  }
  return FromLanes<R>(r);
}
}  // namespace simd_internal

inline V128 V128Load8x8S(uint64_t bits) {
  return simd_internal::LoadExtend<int16_t, int8_t>(bits);
}
inline V128 V128Load8x8U(uint64_t bits) {
  return simd_internal::LoadExtend<uint16_t, uint8_t>(bits);
}
inline V128 V128Load16x4S(uint64_t bits) {
  return simd_internal::LoadExtend<int32_t, int16_t>(bits);
}
inline V128 V128Load16x4U(uint64_t bits) {
  return simd_internal::LoadExtend<uint32_t, uint16_t>(bits);
}
inline V128 V128Load32x2S(uint64_t bits) {
  return simd_internal::LoadExtend<int64_t, int32_t>(bits);
}
inline V128 V128Load32x2U(uint64_t bits) {
  return simd_internal::LoadExtend<uint64_t, uint32_t>(bits);
}

// v128.load8_splat ... v128.load64_splat.
inline V128 V128Load8Splat(uint8_t x) { return simd_internal::Splat<uint8_t>(x); }
inline V128 V128Load16Splat(uint16_t x) { return simd_internal::Splat<uint16_t>(x); }
inline V128 V128Load32Splat(uint32_t x) { return simd_internal::Splat<uint32_t>(x); }
inline V128 V128Load64Splat(uint64_t x) { return simd_internal::Splat<uint64_t>(x); }

// v128.load32_zero, v128.load64_zero: lane 0 = x, everything else zero.
inline V128 V128Load32Zero(uint32_t x) {
  return FromLanes<uint32_t>({x, 0, 0, 0});
}
inline V128 V128Load64Zero(uint64_t x) { return FromLanes<uint64_t>({x, 0}); }

// v128.loadN_lane: lane `lane` of width `size` (1, 2, 4 or 8 bytes) replaced
// by the `size` bytes at src (wasm memory, little-endian).
inline V128 ReplaceLaneBytes(V128 v, const void* src, size_t size,
                             uint8_t lane) {
  // size divides 16, so the masked offset keeps [offset, offset + size) in v.
  std::memcpy(v.bytes + ((size_t{lane} * size) & 15), src, size);
  return v;
}

// v128.storeN_lane: the `size` bytes of lane `lane` copied to dst.
inline void ExtractLaneBytes(V128 v, void* dst, size_t size, uint8_t lane) {
  std::memcpy(dst, v.bytes + ((size_t{lane} * size) & 15), size);
}

// ===========================================================================
// Shuffles and splats.

// i8x16.shuffle: lane i = (a ++ b)[lanes[i]], lanes[i] < 32.
inline V128 I8x16Shuffle(V128 a, V128 b, const uint8_t* lanes) {
  uint8_t ab[32];
  std::memcpy(ab, a.bytes, 16);
  std::memcpy(ab + 16, b.bytes, 16);
  V128 r;
  for (int i = 0; i < 16; ++i) r.bytes[i] = ab[lanes[i] & 31];
  return r;
}

// i8x16.swizzle: lane i = a[s[i]], or 0 if s[i] >= 16.
inline V128 I8x16Swizzle(V128 a, V128 s) {
  V128 r;
  for (int i = 0; i < 16; ++i) {
    uint8_t k = s.bytes[i];
    r.bytes[i] = k < 16 ? a.bytes[k & 15] : 0;
  }
  return r;
}

inline V128 I8x16Splat(uint32_t x) {
  return simd_internal::Splat<uint8_t>(static_cast<uint8_t>(x));
}
inline V128 I16x8Splat(uint32_t x) {
  return simd_internal::Splat<uint16_t>(static_cast<uint16_t>(x));
}
inline V128 I32x4Splat(uint32_t x) { return simd_internal::Splat<uint32_t>(x); }
inline V128 I64x2Splat(uint64_t x) { return simd_internal::Splat<uint64_t>(x); }
inline V128 F32x4Splat(uint32_t bits) {
  return simd_internal::Splat<uint32_t>(bits);
}
inline V128 F64x2Splat(uint64_t bits) {
  return simd_internal::Splat<uint64_t>(bits);
}

// ===========================================================================
// Lane access.

inline uint32_t I8x16ExtractLaneS(V128 v, uint8_t lane) {
  return static_cast<uint32_t>(int32_t{GetLane<int8_t>(v, lane)});
}
inline uint32_t I8x16ExtractLaneU(V128 v, uint8_t lane) {
  return GetLane<uint8_t>(v, lane);
}
inline V128 I8x16ReplaceLane(V128 v, uint32_t x, uint8_t lane) {
  SetLane<uint8_t>(v, lane, static_cast<uint8_t>(x));
  return v;
}
inline uint32_t I16x8ExtractLaneS(V128 v, uint8_t lane) {
  return static_cast<uint32_t>(int32_t{GetLane<int16_t>(v, lane)});
}
inline uint32_t I16x8ExtractLaneU(V128 v, uint8_t lane) {
  return GetLane<uint16_t>(v, lane);
}
inline V128 I16x8ReplaceLane(V128 v, uint32_t x, uint8_t lane) {
  SetLane<uint16_t>(v, lane, static_cast<uint16_t>(x));
  return v;
}
inline uint32_t I32x4ExtractLane(V128 v, uint8_t lane) {
  return GetLane<uint32_t>(v, lane);
}
inline V128 I32x4ReplaceLane(V128 v, uint32_t x, uint8_t lane) {
  SetLane<uint32_t>(v, lane, x);
  return v;
}
inline uint64_t I64x2ExtractLane(V128 v, uint8_t lane) {
  return GetLane<uint64_t>(v, lane);
}
inline V128 I64x2ReplaceLane(V128 v, uint64_t x, uint8_t lane) {
  SetLane<uint64_t>(v, lane, x);
  return v;
}
inline uint32_t F32x4ExtractLane(V128 v, uint8_t lane) {
  return GetLane<uint32_t>(v, lane);
}
inline V128 F32x4ReplaceLane(V128 v, uint32_t bits, uint8_t lane) {
  SetLane<uint32_t>(v, lane, bits);
  return v;
}
inline uint64_t F64x2ExtractLane(V128 v, uint8_t lane) {
  return GetLane<uint64_t>(v, lane);
}
inline V128 F64x2ReplaceLane(V128 v, uint64_t bits, uint8_t lane) {
  SetLane<uint64_t>(v, lane, bits);
  return v;
}

// ===========================================================================
// Comparisons: each lane all ones (true) or zero.

#define RIVET_SIMD_COMPARE(Name, T, op)                                   \
  inline V128 Name(V128 a, V128 b) {                                      \
    return simd_internal::Compare<T>(a, b, [](T x, T y) { return x op y; }); \
  }

RIVET_SIMD_COMPARE(I8x16Eq, uint8_t, ==)
RIVET_SIMD_COMPARE(I8x16Ne, uint8_t, !=)
RIVET_SIMD_COMPARE(I8x16LtS, int8_t, <)
RIVET_SIMD_COMPARE(I8x16LtU, uint8_t, <)
RIVET_SIMD_COMPARE(I8x16GtS, int8_t, >)
RIVET_SIMD_COMPARE(I8x16GtU, uint8_t, >)
RIVET_SIMD_COMPARE(I8x16LeS, int8_t, <=)
RIVET_SIMD_COMPARE(I8x16LeU, uint8_t, <=)
RIVET_SIMD_COMPARE(I8x16GeS, int8_t, >=)
RIVET_SIMD_COMPARE(I8x16GeU, uint8_t, >=)

RIVET_SIMD_COMPARE(I16x8Eq, uint16_t, ==)
RIVET_SIMD_COMPARE(I16x8Ne, uint16_t, !=)
RIVET_SIMD_COMPARE(I16x8LtS, int16_t, <)
RIVET_SIMD_COMPARE(I16x8LtU, uint16_t, <)
RIVET_SIMD_COMPARE(I16x8GtS, int16_t, >)
RIVET_SIMD_COMPARE(I16x8GtU, uint16_t, >)
RIVET_SIMD_COMPARE(I16x8LeS, int16_t, <=)
RIVET_SIMD_COMPARE(I16x8LeU, uint16_t, <=)
RIVET_SIMD_COMPARE(I16x8GeS, int16_t, >=)
RIVET_SIMD_COMPARE(I16x8GeU, uint16_t, >=)

RIVET_SIMD_COMPARE(I32x4Eq, uint32_t, ==)
RIVET_SIMD_COMPARE(I32x4Ne, uint32_t, !=)
RIVET_SIMD_COMPARE(I32x4LtS, int32_t, <)
RIVET_SIMD_COMPARE(I32x4LtU, uint32_t, <)
RIVET_SIMD_COMPARE(I32x4GtS, int32_t, >)
RIVET_SIMD_COMPARE(I32x4GtU, uint32_t, >)
RIVET_SIMD_COMPARE(I32x4LeS, int32_t, <=)
RIVET_SIMD_COMPARE(I32x4LeU, uint32_t, <=)
RIVET_SIMD_COMPARE(I32x4GeS, int32_t, >=)
RIVET_SIMD_COMPARE(I32x4GeU, uint32_t, >=)

RIVET_SIMD_COMPARE(I64x2Eq, uint64_t, ==)
RIVET_SIMD_COMPARE(I64x2Ne, uint64_t, !=)
RIVET_SIMD_COMPARE(I64x2LtS, int64_t, <)
RIVET_SIMD_COMPARE(I64x2GtS, int64_t, >)
RIVET_SIMD_COMPARE(I64x2LeS, int64_t, <=)
RIVET_SIMD_COMPARE(I64x2GeS, int64_t, >=)

// Float comparisons are IEEE: false with a NaN, except ne (true).
RIVET_SIMD_COMPARE(F32x4Eq, float, ==)
RIVET_SIMD_COMPARE(F32x4Ne, float, !=)
RIVET_SIMD_COMPARE(F32x4Lt, float, <)
RIVET_SIMD_COMPARE(F32x4Gt, float, >)
RIVET_SIMD_COMPARE(F32x4Le, float, <=)
RIVET_SIMD_COMPARE(F32x4Ge, float, >=)

RIVET_SIMD_COMPARE(F64x2Eq, double, ==)
RIVET_SIMD_COMPARE(F64x2Ne, double, !=)
RIVET_SIMD_COMPARE(F64x2Lt, double, <)
RIVET_SIMD_COMPARE(F64x2Gt, double, >)
RIVET_SIMD_COMPARE(F64x2Le, double, <=)
RIVET_SIMD_COMPARE(F64x2Ge, double, >=)

#undef RIVET_SIMD_COMPARE

// ===========================================================================
// Bitwise.

inline V128 V128Not(V128 a) {
  return simd_internal::Map<uint64_t, uint64_t>(a, [](uint64_t x) { return ~x; });
}
inline V128 V128And(V128 a, V128 b) {
  return simd_internal::Bitwise2(a, b, [](uint64_t x, uint64_t y) { return x & y; });
}
// a & ~b.
inline V128 V128AndNot(V128 a, V128 b) {
  return simd_internal::Bitwise2(a, b, [](uint64_t x, uint64_t y) { return x & ~y; });
}
inline V128 V128Or(V128 a, V128 b) {
  return simd_internal::Bitwise2(a, b, [](uint64_t x, uint64_t y) { return x | y; });
}
inline V128 V128Xor(V128 a, V128 b) {
  return simd_internal::Bitwise2(a, b, [](uint64_t x, uint64_t y) { return x ^ y; });
}
// Bits of a where c is 1, of b where c is 0.
inline V128 V128Bitselect(V128 a, V128 b, V128 c) {
  LaneArray<uint64_t> x = ToLanes<uint64_t>(a);
  LaneArray<uint64_t> y = ToLanes<uint64_t>(b);
  LaneArray<uint64_t> m = ToLanes<uint64_t>(c);
  LaneArray<uint64_t> r;
  for (size_t i = 0; i < 2; ++i) r[i] = (x[i] & m[i]) | (y[i] & ~m[i]);
  return FromLanes<uint64_t>(r);
}
inline uint32_t V128AnyTrue(V128 a) {
  LaneArray<uint64_t> x = ToLanes<uint64_t>(a);
  return (x[0] | x[1]) != 0 ? 1 : 0;
}

// ===========================================================================
// i8x16.

inline V128 I8x16Abs(V128 a) { return simd_internal::Abs<int8_t>(a); }
inline V128 I8x16Neg(V128 a) { return simd_internal::Neg<int8_t>(a); }
inline V128 I8x16Popcnt(V128 a) {
  return simd_internal::Map<uint8_t, uint8_t>(
      a, [](uint8_t x) { return static_cast<uint8_t>(std::popcount(x)); });
}
inline uint32_t I8x16AllTrue(V128 a) { return simd_internal::AllTrue<uint8_t>(a); }
inline uint32_t I8x16Bitmask(V128 a) { return simd_internal::Bitmask<uint8_t>(a); }
inline V128 I8x16NarrowI16x8S(V128 a, V128 b) {
  return simd_internal::NarrowSat<int8_t, int16_t>(a, b);
}
inline V128 I8x16NarrowI16x8U(V128 a, V128 b) {
  // Signed input, unsigned saturation: clamp to [0, 255].
  constexpr size_t kN = 8;
  LaneArray<int16_t> x = ToLanes<int16_t>(a);
  LaneArray<int16_t> y = ToLanes<int16_t>(b);
  LaneArray<uint8_t> r;
  for (size_t i = 0; i < kN; ++i) {
    r[i] = static_cast<uint8_t>(std::clamp<int16_t>(x[i], 0, 255));
    r[kN + i] = static_cast<uint8_t>(std::clamp<int16_t>(y[i], 0, 255));
  }
  return FromLanes<uint8_t>(r);
}
inline V128 I8x16Shl(V128 a, uint32_t n) { return simd_internal::Shl<uint8_t>(a, n); }
inline V128 I8x16ShrS(V128 a, uint32_t n) { return simd_internal::Shr<int8_t>(a, n); }
inline V128 I8x16ShrU(V128 a, uint32_t n) { return simd_internal::Shr<uint8_t>(a, n); }
inline V128 I8x16Add(V128 a, V128 b) { return simd_internal::Add<uint8_t>(a, b); }
inline V128 I8x16AddSatS(V128 a, V128 b) {
  return simd_internal::AddSat<int8_t>(a, b);
}
inline V128 I8x16AddSatU(V128 a, V128 b) {
  return simd_internal::AddSat<uint8_t>(a, b);
}
inline V128 I8x16Sub(V128 a, V128 b) { return simd_internal::Sub<uint8_t>(a, b); }
inline V128 I8x16SubSatS(V128 a, V128 b) {
  return simd_internal::SubSat<int8_t>(a, b);
}
inline V128 I8x16SubSatU(V128 a, V128 b) {
  return simd_internal::SubSat<uint8_t>(a, b);
}
inline V128 I8x16MinS(V128 a, V128 b) { return simd_internal::Min<int8_t>(a, b); }
inline V128 I8x16MinU(V128 a, V128 b) { return simd_internal::Min<uint8_t>(a, b); }
inline V128 I8x16MaxS(V128 a, V128 b) { return simd_internal::Max<int8_t>(a, b); }
inline V128 I8x16MaxU(V128 a, V128 b) { return simd_internal::Max<uint8_t>(a, b); }
inline V128 I8x16AvgrU(V128 a, V128 b) {
  return simd_internal::AvgrU<uint8_t>(a, b);
}

// ===========================================================================
// i16x8.

inline V128 I16x8ExtaddPairwiseI8x16S(V128 a) {
  return simd_internal::ExtAddPairwise<int16_t, int8_t>(a);
}
inline V128 I16x8ExtaddPairwiseI8x16U(V128 a) {
  return simd_internal::ExtAddPairwise<uint16_t, uint8_t>(a);
}
inline V128 I16x8Abs(V128 a) { return simd_internal::Abs<int16_t>(a); }
inline V128 I16x8Neg(V128 a) { return simd_internal::Neg<int16_t>(a); }
// Q15 rounding multiply: (a * b + 2^14) >> 15, saturated (only
// -32768 * -32768 overflows).
inline V128 I16x8Q15mulrSatS(V128 a, V128 b) {
  return simd_internal::Map2<int16_t>(a, b, [](int16_t x, int16_t y) {
    int32_t p = (int32_t{x} * int32_t{y} + 0x4000) >> 15;
    return static_cast<int16_t>(std::min<int32_t>(p, 0x7fff));
  });
}
inline uint32_t I16x8AllTrue(V128 a) { return simd_internal::AllTrue<uint16_t>(a); }
inline uint32_t I16x8Bitmask(V128 a) { return simd_internal::Bitmask<uint16_t>(a); }
inline V128 I16x8NarrowI32x4S(V128 a, V128 b) {
  return simd_internal::NarrowSat<int16_t, int32_t>(a, b);
}
inline V128 I16x8NarrowI32x4U(V128 a, V128 b) {
  // Signed input, unsigned saturation: clamp to [0, 65535].
  constexpr size_t kN = 4;
  LaneArray<int32_t> x = ToLanes<int32_t>(a);
  LaneArray<int32_t> y = ToLanes<int32_t>(b);
  LaneArray<uint16_t> r;
  for (size_t i = 0; i < kN; ++i) {
    r[i] = static_cast<uint16_t>(std::clamp<int32_t>(x[i], 0, 65535));
    r[kN + i] = static_cast<uint16_t>(std::clamp<int32_t>(y[i], 0, 65535));
  }
  return FromLanes<uint16_t>(r);
}
inline V128 I16x8ExtendLowI8x16S(V128 a) {
  return simd_internal::Extend<int16_t, int8_t, false>(a);
}
inline V128 I16x8ExtendHighI8x16S(V128 a) {
  return simd_internal::Extend<int16_t, int8_t, true>(a);
}
inline V128 I16x8ExtendLowI8x16U(V128 a) {
  return simd_internal::Extend<uint16_t, uint8_t, false>(a);
}
inline V128 I16x8ExtendHighI8x16U(V128 a) {
  return simd_internal::Extend<uint16_t, uint8_t, true>(a);
}
inline V128 I16x8Shl(V128 a, uint32_t n) { return simd_internal::Shl<uint16_t>(a, n); }
inline V128 I16x8ShrS(V128 a, uint32_t n) { return simd_internal::Shr<int16_t>(a, n); }
inline V128 I16x8ShrU(V128 a, uint32_t n) { return simd_internal::Shr<uint16_t>(a, n); }
inline V128 I16x8Add(V128 a, V128 b) { return simd_internal::Add<uint16_t>(a, b); }
inline V128 I16x8AddSatS(V128 a, V128 b) {
  return simd_internal::AddSat<int16_t>(a, b);
}
inline V128 I16x8AddSatU(V128 a, V128 b) {
  return simd_internal::AddSat<uint16_t>(a, b);
}
inline V128 I16x8Sub(V128 a, V128 b) { return simd_internal::Sub<uint16_t>(a, b); }
inline V128 I16x8SubSatS(V128 a, V128 b) {
  return simd_internal::SubSat<int16_t>(a, b);
}
inline V128 I16x8SubSatU(V128 a, V128 b) {
  return simd_internal::SubSat<uint16_t>(a, b);
}
inline V128 I16x8Mul(V128 a, V128 b) { return simd_internal::Mul<uint16_t>(a, b); }
inline V128 I16x8MinS(V128 a, V128 b) { return simd_internal::Min<int16_t>(a, b); }
inline V128 I16x8MinU(V128 a, V128 b) { return simd_internal::Min<uint16_t>(a, b); }
inline V128 I16x8MaxS(V128 a, V128 b) { return simd_internal::Max<int16_t>(a, b); }
inline V128 I16x8MaxU(V128 a, V128 b) { return simd_internal::Max<uint16_t>(a, b); }
inline V128 I16x8AvgrU(V128 a, V128 b) {
  return simd_internal::AvgrU<uint16_t>(a, b);
}
inline V128 I16x8ExtmulLowI8x16S(V128 a, V128 b) {
  return simd_internal::ExtMul<int16_t, int8_t, false>(a, b);
}
inline V128 I16x8ExtmulHighI8x16S(V128 a, V128 b) {
  return simd_internal::ExtMul<int16_t, int8_t, true>(a, b);
}
inline V128 I16x8ExtmulLowI8x16U(V128 a, V128 b) {
  return simd_internal::ExtMul<uint16_t, uint8_t, false>(a, b);
}
inline V128 I16x8ExtmulHighI8x16U(V128 a, V128 b) {
  return simd_internal::ExtMul<uint16_t, uint8_t, true>(a, b);
}

// ===========================================================================
// i32x4.

inline V128 I32x4ExtaddPairwiseI16x8S(V128 a) {
  return simd_internal::ExtAddPairwise<int32_t, int16_t>(a);
}
inline V128 I32x4ExtaddPairwiseI16x8U(V128 a) {
  return simd_internal::ExtAddPairwise<uint32_t, uint16_t>(a);
}
inline V128 I32x4Abs(V128 a) { return simd_internal::Abs<int32_t>(a); }
inline V128 I32x4Neg(V128 a) { return simd_internal::Neg<int32_t>(a); }
inline uint32_t I32x4AllTrue(V128 a) { return simd_internal::AllTrue<uint32_t>(a); }
inline uint32_t I32x4Bitmask(V128 a) { return simd_internal::Bitmask<uint32_t>(a); }
inline V128 I32x4ExtendLowI16x8S(V128 a) {
  return simd_internal::Extend<int32_t, int16_t, false>(a);
}
inline V128 I32x4ExtendHighI16x8S(V128 a) {
  return simd_internal::Extend<int32_t, int16_t, true>(a);
}
inline V128 I32x4ExtendLowI16x8U(V128 a) {
  return simd_internal::Extend<uint32_t, uint16_t, false>(a);
}
inline V128 I32x4ExtendHighI16x8U(V128 a) {
  return simd_internal::Extend<uint32_t, uint16_t, true>(a);
}
inline V128 I32x4Shl(V128 a, uint32_t n) { return simd_internal::Shl<uint32_t>(a, n); }
inline V128 I32x4ShrS(V128 a, uint32_t n) { return simd_internal::Shr<int32_t>(a, n); }
inline V128 I32x4ShrU(V128 a, uint32_t n) { return simd_internal::Shr<uint32_t>(a, n); }
inline V128 I32x4Add(V128 a, V128 b) { return simd_internal::Add<uint32_t>(a, b); }
inline V128 I32x4Sub(V128 a, V128 b) { return simd_internal::Sub<uint32_t>(a, b); }
inline V128 I32x4Mul(V128 a, V128 b) { return simd_internal::Mul<uint32_t>(a, b); }
inline V128 I32x4MinS(V128 a, V128 b) { return simd_internal::Min<int32_t>(a, b); }
inline V128 I32x4MinU(V128 a, V128 b) { return simd_internal::Min<uint32_t>(a, b); }
inline V128 I32x4MaxS(V128 a, V128 b) { return simd_internal::Max<int32_t>(a, b); }
inline V128 I32x4MaxU(V128 a, V128 b) { return simd_internal::Max<uint32_t>(a, b); }
// Lane i = a[2i] * b[2i] + a[2i+1] * b[2i+1], wrapping (only
// 2 * (-32768 * -32768) overflows, to 0x80000000).
inline V128 I32x4DotI16x8S(V128 a, V128 b) {
  LaneArray<int16_t> x = ToLanes<int16_t>(a);
  LaneArray<int16_t> y = ToLanes<int16_t>(b);
  LaneArray<uint32_t> r;
  for (size_t i = 0; i < 4; ++i) {
    int32_t p0 = int32_t{x[2 * i]} * int32_t{y[2 * i]};
    int32_t p1 = int32_t{x[2 * i + 1]} * int32_t{y[2 * i + 1]};
    r[i] = static_cast<uint32_t>(p0) + static_cast<uint32_t>(p1);
  }
  return FromLanes<uint32_t>(r);
}
inline V128 I32x4ExtmulLowI16x8S(V128 a, V128 b) {
  return simd_internal::ExtMul<int32_t, int16_t, false>(a, b);
}
inline V128 I32x4ExtmulHighI16x8S(V128 a, V128 b) {
  return simd_internal::ExtMul<int32_t, int16_t, true>(a, b);
}
inline V128 I32x4ExtmulLowI16x8U(V128 a, V128 b) {
  return simd_internal::ExtMul<uint32_t, uint16_t, false>(a, b);
}
inline V128 I32x4ExtmulHighI16x8U(V128 a, V128 b) {
  return simd_internal::ExtMul<uint32_t, uint16_t, true>(a, b);
}

// ===========================================================================
// i64x2.

inline V128 I64x2Abs(V128 a) { return simd_internal::Abs<int64_t>(a); }
inline V128 I64x2Neg(V128 a) { return simd_internal::Neg<int64_t>(a); }
inline uint32_t I64x2AllTrue(V128 a) { return simd_internal::AllTrue<uint64_t>(a); }
inline uint32_t I64x2Bitmask(V128 a) { return simd_internal::Bitmask<uint64_t>(a); }
inline V128 I64x2ExtendLowI32x4S(V128 a) {
  return simd_internal::Extend<int64_t, int32_t, false>(a);
}
inline V128 I64x2ExtendHighI32x4S(V128 a) {
  return simd_internal::Extend<int64_t, int32_t, true>(a);
}
inline V128 I64x2ExtendLowI32x4U(V128 a) {
  return simd_internal::Extend<uint64_t, uint32_t, false>(a);
}
inline V128 I64x2ExtendHighI32x4U(V128 a) {
  return simd_internal::Extend<uint64_t, uint32_t, true>(a);
}
inline V128 I64x2Shl(V128 a, uint32_t n) { return simd_internal::Shl<uint64_t>(a, n); }
inline V128 I64x2ShrS(V128 a, uint32_t n) { return simd_internal::Shr<int64_t>(a, n); }
inline V128 I64x2ShrU(V128 a, uint32_t n) { return simd_internal::Shr<uint64_t>(a, n); }
inline V128 I64x2Add(V128 a, V128 b) { return simd_internal::Add<uint64_t>(a, b); }
inline V128 I64x2Sub(V128 a, V128 b) { return simd_internal::Sub<uint64_t>(a, b); }
inline V128 I64x2Mul(V128 a, V128 b) { return simd_internal::Mul<uint64_t>(a, b); }
inline V128 I64x2ExtmulLowI32x4S(V128 a, V128 b) {
  return simd_internal::ExtMul<int64_t, int32_t, false>(a, b);
}
inline V128 I64x2ExtmulHighI32x4S(V128 a, V128 b) {
  return simd_internal::ExtMul<int64_t, int32_t, true>(a, b);
}
inline V128 I64x2ExtmulLowI32x4U(V128 a, V128 b) {
  return simd_internal::ExtMul<uint64_t, uint32_t, false>(a, b);
}
inline V128 I64x2ExtmulHighI32x4U(V128 a, V128 b) {
  return simd_internal::ExtMul<uint64_t, uint32_t, true>(a, b);
}

// ===========================================================================
// f32x4 and f64x2: the scalar semantics of float_ops.h, lane by lane.

#define RIVET_SIMD_FLOAT_UNARY(Name, F, fn)                                  \
  inline V128 Name(V128 a) {                                                 \
    return simd_internal::FloatMap<F>(a, [](F x) { return fn(x); });         \
  }
#define RIVET_SIMD_FLOAT_BINARY(Name, F, expr)                               \
  inline V128 Name(V128 a, V128 b) {                                         \
    return simd_internal::FloatMap2<F>(a, b, [](F x, F y) { return expr; }); \
  }

inline V128 F32x4Abs(V128 a) { return simd_internal::FloatAbs<float>(a); }
inline V128 F32x4Neg(V128 a) { return simd_internal::FloatNeg<float>(a); }
RIVET_SIMD_FLOAT_UNARY(F32x4Sqrt, float, WasmSqrt)
RIVET_SIMD_FLOAT_UNARY(F32x4Ceil, float, WasmCeil)
RIVET_SIMD_FLOAT_UNARY(F32x4Floor, float, WasmFloor)
RIVET_SIMD_FLOAT_UNARY(F32x4Trunc, float, WasmTrunc)
RIVET_SIMD_FLOAT_UNARY(F32x4Nearest, float, WasmNearest)
RIVET_SIMD_FLOAT_BINARY(F32x4Add, float, x + y)
RIVET_SIMD_FLOAT_BINARY(F32x4Sub, float, x - y)
RIVET_SIMD_FLOAT_BINARY(F32x4Mul, float, x * y)
RIVET_SIMD_FLOAT_BINARY(F32x4Div, float, x / y)
RIVET_SIMD_FLOAT_BINARY(F32x4Min, float, WasmMin(x, y))
RIVET_SIMD_FLOAT_BINARY(F32x4Max, float, WasmMax(x, y))
RIVET_SIMD_FLOAT_BINARY(F32x4Pmin, float, WasmPmin(x, y))
RIVET_SIMD_FLOAT_BINARY(F32x4Pmax, float, WasmPmax(x, y))

inline V128 F64x2Abs(V128 a) { return simd_internal::FloatAbs<double>(a); }
inline V128 F64x2Neg(V128 a) { return simd_internal::FloatNeg<double>(a); }
RIVET_SIMD_FLOAT_UNARY(F64x2Sqrt, double, WasmSqrt)
RIVET_SIMD_FLOAT_UNARY(F64x2Ceil, double, WasmCeil)
RIVET_SIMD_FLOAT_UNARY(F64x2Floor, double, WasmFloor)
RIVET_SIMD_FLOAT_UNARY(F64x2Trunc, double, WasmTrunc)
RIVET_SIMD_FLOAT_UNARY(F64x2Nearest, double, WasmNearest)
RIVET_SIMD_FLOAT_BINARY(F64x2Add, double, x + y)
RIVET_SIMD_FLOAT_BINARY(F64x2Sub, double, x - y)
RIVET_SIMD_FLOAT_BINARY(F64x2Mul, double, x * y)
RIVET_SIMD_FLOAT_BINARY(F64x2Div, double, x / y)
RIVET_SIMD_FLOAT_BINARY(F64x2Min, double, WasmMin(x, y))
RIVET_SIMD_FLOAT_BINARY(F64x2Max, double, WasmMax(x, y))
RIVET_SIMD_FLOAT_BINARY(F64x2Pmin, double, WasmPmin(x, y))
RIVET_SIMD_FLOAT_BINARY(F64x2Pmax, double, WasmPmax(x, y))

#undef RIVET_SIMD_FLOAT_UNARY
#undef RIVET_SIMD_FLOAT_BINARY

// ===========================================================================
// Conversions.

inline V128 I32x4TruncSatF32x4S(V128 a) {
  return simd_internal::Map<int32_t, float>(
      a, [](float x) { return TruncSat<int32_t>(x); });
}
inline V128 I32x4TruncSatF32x4U(V128 a) {
  return simd_internal::Map<uint32_t, float>(
      a, [](float x) { return TruncSat<uint32_t>(x); });
}
inline V128 F32x4ConvertI32x4S(V128 a) {
  return simd_internal::Map<float, int32_t>(
      a, [](int32_t x) { return WasmConvert<float>(x); });
}
inline V128 F32x4ConvertI32x4U(V128 a) {
  return simd_internal::Map<float, uint32_t>(
      a, [](uint32_t x) { return WasmConvert<float>(x); });
}
// The two f64 lanes saturated to i32 lanes 0 and 1; lanes 2 and 3 are zero.
inline V128 I32x4TruncSatF64x2SZero(V128 a) {
  LaneArray<double> x = ToLanes<double>(a);
  return FromLanes<int32_t>(
      {TruncSat<int32_t>(x[0]), TruncSat<int32_t>(x[1]), 0, 0});
}
inline V128 I32x4TruncSatF64x2UZero(V128 a) {
  LaneArray<double> x = ToLanes<double>(a);
  return FromLanes<uint32_t>(
      {TruncSat<uint32_t>(x[0]), TruncSat<uint32_t>(x[1]), 0, 0});
}
// i32 lanes 0 and 1 to f64 (exact).
inline V128 F64x2ConvertLowI32x4S(V128 a) {
  LaneArray<int32_t> x = ToLanes<int32_t>(a);
  return FromLanes<double>({WasmConvert<double>(x[0]), WasmConvert<double>(x[1])});
}
inline V128 F64x2ConvertLowI32x4U(V128 a) {
  LaneArray<uint32_t> x = ToLanes<uint32_t>(a);
  return FromLanes<double>({WasmConvert<double>(x[0]), WasmConvert<double>(x[1])});
}
// The two f64 lanes demoted to f32 lanes 0 and 1; lanes 2 and 3 are +0.
inline V128 F32x4DemoteF64x2Zero(V128 a) {
  LaneArray<double> x = ToLanes<double>(a);
  return FromLanes<float>({WasmDemote(x[0]), WasmDemote(x[1]), 0.0f, 0.0f});
}
// f32 lanes 0 and 1 promoted to f64.
inline V128 F64x2PromoteLowF32x4(V128 a) {
  LaneArray<float> x = ToLanes<float>(a);
  return FromLanes<double>({WasmPromote(x[0]), WasmPromote(x[1])});
}

}  // namespace rivet::interp

#endif  // RIVET_INTERP_SIMD_H_
