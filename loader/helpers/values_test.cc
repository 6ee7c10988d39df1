// Every helper against the host's own arithmetic (x86-64: SSE floats, native
// integers): edge values, rounding cases, and random inputs.
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "loader/helpers/atomic_helpers.h"
#include "loader/helpers/helper_impl.h"
#include "loader/helpers/helpers.h"

namespace rivet::helpers {
namespace {

constexpr int kRandomCases = 100000;

// Random bit patterns weighted toward the places where arithmetic goes
// wrong: specials, subnormals, the extremes of the exponent range, and
// exponents near 1.
class Inputs {
 public:
  uint64_t Bits64() { return rng_(); }
  uint32_t Bits32() { return static_cast<uint32_t>(rng_()); }

  template <typename Bits, int kMantissa, int kExponentBits>
  Bits FloatBits() {
    constexpr int kMaxExponent = (1 << kExponentBits) - 1;
    constexpr int kBias = kMaxExponent / 2;
    const Bits sign = static_cast<Bits>(rng_() & 1) << (sizeof(Bits) * 8 - 1);
    const Bits mantissa = static_cast<Bits>(rng_()) & ((Bits{1} << kMantissa) - 1);
    int exponent;
    switch (rng_() % 8) {
      case 0:
        return static_cast<Bits>(rng_());
      case 1:  // specials: zeros, infinities, NaNs with payloads
        exponent = (rng_() & 1) != 0 ? 0 : kMaxExponent;
        return sign | (static_cast<Bits>(exponent) << kMantissa) |
               ((rng_() & 1) != 0 ? mantissa : 0);
      case 2:  // subnormals and the smallest normals
        exponent = static_cast<int>(rng_() % 3);
        break;
      case 3:  // the largest
        exponent = kMaxExponent - 1 - static_cast<int>(rng_() % 3);
        break;
      case 4:  // short mantissas: exact results, ties
        exponent = kBias - 4 + static_cast<int>(rng_() % 40);
        return sign | (static_cast<Bits>(exponent) << kMantissa) |
               (mantissa & ~((Bits{1} << (kMantissa - 4)) - 1));
      default:
        exponent = kBias - 70 + static_cast<int>(rng_() % 140);
        break;
    }
    return sign | (static_cast<Bits>(exponent) << kMantissa) | mantissa;
  }

  uint32_t F32() { return FloatBits<uint32_t, 23, 8>(); }
  uint64_t F64() { return FloatBits<uint64_t, 52, 11>(); }

  // A second operand near the first (cancellation, carries, ties).
  uint32_t NearF32(uint32_t a) {
    return (rng_() & 1) != 0 ? F32() : a + static_cast<uint32_t>(static_cast<int>(rng_() % 64) - 32) -
                                           (static_cast<uint32_t>(rng_() % 30) << 23);
  }
  uint64_t NearF64(uint64_t a) {
    return (rng_() & 1) != 0 ? F64() : a + static_cast<uint64_t>(static_cast<int>(rng_() % 64) - 32) -
                                           (static_cast<uint64_t>(rng_() % 60) << 52);
  }

  // Integers with many edge values.
  template <typename T>
  T Integer() {
    switch (rng_() % 4) {
      case 0: {
        const T edges[] = {0, 1, static_cast<T>(-1), std::numeric_limits<T>::min(),
                           std::numeric_limits<T>::max(), static_cast<T>(std::numeric_limits<T>::min() + 1),
                           2, static_cast<T>(-2)};
        return edges[rng_() % 8];
      }
      case 1:
        return static_cast<T>(rng_() >> (rng_() % 64));  // small magnitudes
      default:
        return static_cast<T>(rng_());
    }
  }

 private:
  std::mt19937_64 rng_{20240601};
};

float AsFloat(uint32_t bits) { return std::bit_cast<float>(bits); }
double AsDouble(uint64_t bits) { return std::bit_cast<double>(bits); }
uint32_t Bits(float value) { return std::bit_cast<uint32_t>(value); }
uint64_t Bits(double value) { return std::bit_cast<uint64_t>(value); }

// The NaN rules of soft_float.h, against the host's result: a NaN input
// propagates quieted (either one if both are NaN: hosts differ in which);
// invalid operations give the positive canonical NaN; everything else must
// match bit for bit.
template <typename BitsT>
::testing::AssertionResult SameFloat(BitsT ours, BitsT host, BitsT a, BitsT b, bool b_used) {
  constexpr int kMantissa = sizeof(BitsT) == 4 ? 23 : 52;
  constexpr BitsT kSign = BitsT{1} << (sizeof(BitsT) * 8 - 1);
  constexpr BitsT kInfinity = ((kSign - 1) >> kMantissa) << kMantissa;
  constexpr BitsT kQuiet = BitsT{1} << (kMantissa - 1);
  auto is_nan = [](BitsT x) { return (x & ~kSign) > kInfinity; };
  auto fail = [&]() {
    return ::testing::AssertionFailure()
           << std::hex << "ours 0x" << ours << " host 0x" << host << " for a=0x" << a << " b=0x" << b;
  };
  if (!is_nan(host)) return ours == host ? ::testing::AssertionSuccess() : fail();
  const bool a_nan = is_nan(a), b_nan = b_used && is_nan(b);
  if (a_nan && b_nan) {
    return ours == (a | kQuiet) || ours == (b | kQuiet) ? ::testing::AssertionSuccess() : fail();
  }
  if (a_nan) return ours == (a | kQuiet) ? ::testing::AssertionSuccess() : fail();
  if (b_nan) return ours == (b | kQuiet) ? ::testing::AssertionSuccess() : fail();
  return ours == (kInfinity | kQuiet) ? ::testing::AssertionSuccess() : fail();
}

// --- Integers ---------------------------------------------------------------

TEST(IntegerHelpers, MultiplyMatchesHost) {
  Inputs inputs;
  for (int i = 0; i < kRandomCases; ++i) {
    const int32_t a = inputs.Integer<int32_t>(), b = inputs.Integer<int32_t>();
    ASSERT_EQ(MulSi3(a, b), static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b)))
        << a << " * " << b;
    const int64_t c = inputs.Integer<int64_t>(), d = inputs.Integer<int64_t>();
    ASSERT_EQ(MulDi3(c, d), static_cast<int64_t>(static_cast<uint64_t>(c) * static_cast<uint64_t>(d)))
        << c << " * " << d;
  }
}

TEST(IntegerHelpers, DivisionByZeroAndOverflowAreRiscVs) {
  EXPECT_EQ(DivSi3(7, 0), -1);
  EXPECT_EQ(DivSi3(-7, 0), -1);
  EXPECT_EQ(ModSi3(-7, 0), -7);
  EXPECT_EQ(UDivSi3(7, 0), 0xffffffffu);
  EXPECT_EQ(UModSi3(7, 0), 7u);
  EXPECT_EQ(DivSi3(INT32_MIN, -1), INT32_MIN);
  EXPECT_EQ(ModSi3(INT32_MIN, -1), 0);
  EXPECT_EQ(DivDi3(INT64_MIN, 0), -1);
  EXPECT_EQ(ModDi3(INT64_MIN, 0), INT64_MIN);
  EXPECT_EQ(UDivDi3(0, 0), ~uint64_t{0});
  EXPECT_EQ(UModDi3(0, 0), 0u);
  EXPECT_EQ(DivDi3(INT64_MIN, -1), INT64_MIN);
  EXPECT_EQ(ModDi3(INT64_MIN, -1), 0);
}

TEST(IntegerHelpers, DivisionMatchesHost) {
  Inputs inputs;
  for (int i = 0; i < kRandomCases; ++i) {
    const int32_t a = inputs.Integer<int32_t>(), b = inputs.Integer<int32_t>();
    if (b != 0 && !(a == INT32_MIN && b == -1)) {
      ASSERT_EQ(DivSi3(a, b), a / b) << a << " / " << b;
      ASSERT_EQ(ModSi3(a, b), a % b) << a << " % " << b;
    }
    const uint32_t ua = static_cast<uint32_t>(a), ub = static_cast<uint32_t>(b);
    if (ub != 0) {
      ASSERT_EQ(UDivSi3(ua, ub), ua / ub) << ua << " / " << ub;
      ASSERT_EQ(UModSi3(ua, ub), ua % ub) << ua << " % " << ub;
    }
    const int64_t c = inputs.Integer<int64_t>(), d = inputs.Integer<int64_t>();
    if (d != 0 && !(c == INT64_MIN && d == -1)) {
      ASSERT_EQ(DivDi3(c, d), c / d) << c << " / " << d;
      ASSERT_EQ(ModDi3(c, d), c % d) << c << " % " << d;
    }
    const uint64_t uc = static_cast<uint64_t>(c), ud = static_cast<uint64_t>(d);
    if (ud != 0) {
      ASSERT_EQ(UDivDi3(uc, ud), uc / ud) << uc << " / " << ud;
      ASSERT_EQ(UModDi3(uc, ud), uc % ud) << uc << " % " << ud;
    }
  }
}

TEST(IntegerHelpers, ShiftsAndBitCountsMatchHost) {
  Inputs inputs;
  for (int i = 0; i < kRandomCases; ++i) {
    const int64_t a = inputs.Integer<int64_t>();
    const int32_t count = static_cast<int32_t>(inputs.Bits32());
    const int n = count & 63;
    ASSERT_EQ(AshlDi3(a, count), static_cast<int64_t>(static_cast<uint64_t>(a) << n)) << a << " " << n;
    ASSERT_EQ(LshrDi3(a, count), static_cast<int64_t>(static_cast<uint64_t>(a) >> n)) << a << " " << n;
    ASSERT_EQ(AshrDi3(a, count), a >> n) << a << " " << n;
    const uint32_t x = static_cast<uint32_t>(inputs.Integer<int32_t>()) >> (inputs.Bits32() % 32);
    const uint64_t y = static_cast<uint64_t>(a) >> (inputs.Bits32() % 64);
    ASSERT_EQ(ClzSi2(x), std::countl_zero(x)) << x;
    ASSERT_EQ(CtzSi2(x), std::countr_zero(x)) << x;
    ASSERT_EQ(PopcountSi2(x), std::popcount(x)) << x;
    ASSERT_EQ(ClzDi2(y), std::countl_zero(y)) << y;
    ASSERT_EQ(CtzDi2(y), std::countr_zero(y)) << y;
    ASSERT_EQ(PopcountDi2(y), std::popcount(y)) << y;
  }
  EXPECT_EQ(ClzSi2(0), 32);
  EXPECT_EQ(CtzDi2(0), 64);
  EXPECT_EQ(PopcountDi2(~uint64_t{0}), 64);
}

// --- Soft-float arithmetic --------------------------------------------------

TEST(FloatHelpers, RoundingEdgeCases) {
  // 1 + 2^-24 is a tie: to even (1). 1 + 3 * 2^-24 ties up to 1 + 2^-22.
  EXPECT_EQ(AddSf3({0x3f800000}, {0x33800000}).bits, 0x3f800000u);
  EXPECT_EQ(AddSf3({0x3f800001}, {0x33800000}).bits, 0x3f800002u);
  // The largest float plus half an ulp overflows to infinity.
  EXPECT_EQ(AddSf3({0x7f7fffff}, {0x73000000}).bits, 0x7f800000u);
  // Rounds up to the next binade: (2 - 2^-24) rounds to 2.
  EXPECT_EQ(MulSf3({0x3fffffff}, {0x3f800001}).bits, Bits(AsFloat(0x3fffffff) * AsFloat(0x3f800001)));
  // Underflow: half the smallest subnormal is a tie to 0; 3/4 of it rounds up.
  EXPECT_EQ(MulSf3({0x00000001}, {0x3f000000}).bits, 0u);
  EXPECT_EQ(MulSf3({0x00000003}, {0x3f000000}).bits, 2u);
  EXPECT_EQ(MulDf3({0x0000000000000001}, {0x3fe0000000000000}).bits, 0u);
  // Subnormal results and a carry into the smallest normal.
  EXPECT_EQ(DivDf3({0x0010000000000000}, {0x4000000000000000}).bits, 0x0008000000000000u);
  EXPECT_EQ(MulSf3({0x007fffff}, {0x3f800001}).bits, Bits(AsFloat(0x007fffff) * AsFloat(0x3f800001)));
  // Signed zeros.
  EXPECT_EQ(AddSf3({0x80000000}, {0x80000000}).bits, 0x80000000u);
  EXPECT_EQ(AddSf3({0x80000000}, {0x00000000}).bits, 0u);
  EXPECT_EQ(SubDf3({0x3ff0000000000000}, {0x3ff0000000000000}).bits, 0u);
  EXPECT_EQ(MulDf3({0x8000000000000000}, {0x3ff0000000000000}).bits, 0x8000000000000000u);
  // Invalid operations give the canonical NaN; NaN operands propagate quieted.
  EXPECT_EQ(AddSf3({0x7f800000}, {0xff800000}).bits, 0x7fc00000u);
  EXPECT_EQ(MulDf3({0}, {0x7ff0000000000000}).bits, 0x7ff8000000000000u);
  EXPECT_EQ(DivSf3({0}, {0x80000000}).bits, 0x7fc00000u);
  EXPECT_EQ(AddSf3({0x7f800001}, {0x3f800000}).bits, 0x7fc00001u);
  EXPECT_EQ(SqrtF({0xbf800000}).bits, 0x7fc00000u);
  EXPECT_EQ(Sqrt({0x8000000000000000}).bits, 0x8000000000000000u);
  EXPECT_EQ(DivSf3({0x3f800000}, {0x80000000}).bits, 0xff800000u);
}

TEST(FloatHelpers, SingleArithmeticMatchesHost) {
  Inputs inputs;
  for (int i = 0; i < kRandomCases; ++i) {
    const uint32_t a = inputs.F32(), b = inputs.NearF32(a);
    const float x = AsFloat(a), y = AsFloat(b);
    ASSERT_TRUE(SameFloat(AddSf3({a}, {b}).bits, Bits(x + y), a, b, true)) << "add";
    ASSERT_TRUE(SameFloat(SubSf3({a}, {b}).bits, Bits(x - y), a, b, true)) << "sub";
    ASSERT_TRUE(SameFloat(MulSf3({a}, {b}).bits, Bits(x * y), a, b, true)) << "mul";
    ASSERT_TRUE(SameFloat(DivSf3({a}, {b}).bits, Bits(x / y), a, b, true)) << "div";
    ASSERT_EQ(NegSf2({a}).bits, a ^ 0x80000000u);
  }
}

TEST(FloatHelpers, DoubleArithmeticMatchesHost) {
  Inputs inputs;
  for (int i = 0; i < kRandomCases; ++i) {
    const uint64_t a = inputs.F64(), b = inputs.NearF64(a);
    const double x = AsDouble(a), y = AsDouble(b);
    ASSERT_TRUE(SameFloat(AddDf3({a}, {b}).bits, Bits(x + y), a, b, true)) << "add";
    ASSERT_TRUE(SameFloat(SubDf3({a}, {b}).bits, Bits(x - y), a, b, true)) << "sub";
    ASSERT_TRUE(SameFloat(MulDf3({a}, {b}).bits, Bits(x * y), a, b, true)) << "mul";
    ASSERT_TRUE(SameFloat(DivDf3({a}, {b}).bits, Bits(x / y), a, b, true)) << "div";
    ASSERT_EQ(NegDf2({a}).bits, a ^ 0x8000000000000000u);
  }
}

TEST(FloatHelpers, ComparisonsMatchHost) {
  Inputs inputs;
  for (int i = 0; i < kRandomCases; ++i) {
    const uint32_t a = inputs.F32(), b = (i & 3) == 0 ? a ^ ((i & 4) != 0 ? 0x80000000u : 0) : inputs.NearF32(a);
    const float x = AsFloat(a), y = AsFloat(b);
    ASSERT_EQ(EqSf2({a}, {b}) == 0, x == y) << std::hex << a << " " << b;
    ASSERT_EQ(NeSf2({a}, {b}) != 0, x != y) << std::hex << a << " " << b;
    ASSERT_EQ(LtSf2({a}, {b}) < 0, x < y) << std::hex << a << " " << b;
    ASSERT_EQ(LeSf2({a}, {b}) <= 0, x <= y) << std::hex << a << " " << b;
    ASSERT_EQ(GtSf2({a}, {b}) > 0, x > y) << std::hex << a << " " << b;
    ASSERT_EQ(GeSf2({a}, {b}) >= 0, x >= y) << std::hex << a << " " << b;
    ASSERT_EQ(UnordSf2({a}, {b}) != 0, std::isunordered(x, y)) << std::hex << a << " " << b;
    const uint64_t c = inputs.F64(), d = (i & 3) == 0 ? c ^ ((i & 4) != 0 ? 0x8000000000000000u : 0) : inputs.NearF64(c);
    const double u = AsDouble(c), v = AsDouble(d);
    ASSERT_EQ(EqDf2({c}, {d}) == 0, u == v) << std::hex << c << " " << d;
    ASSERT_EQ(NeDf2({c}, {d}) != 0, u != v) << std::hex << c << " " << d;
    ASSERT_EQ(LtDf2({c}, {d}) < 0, u < v) << std::hex << c << " " << d;
    ASSERT_EQ(LeDf2({c}, {d}) <= 0, u <= v) << std::hex << c << " " << d;
    ASSERT_EQ(GtDf2({c}, {d}) > 0, u > v) << std::hex << c << " " << d;
    ASSERT_EQ(GeDf2({c}, {d}) >= 0, u >= v) << std::hex << c << " " << d;
    ASSERT_EQ(UnordDf2({c}, {d}) != 0, std::isunordered(u, v)) << std::hex << c << " " << d;
  }
}

// RISC-V's fcvt: truncate, saturate, NaN to the maximum.
template <typename Int>
Int RiscVConvert(double value) {
  if (std::isnan(value)) return std::numeric_limits<Int>::max();
  const double truncated = std::trunc(value);
  // 2^bits(-1) as a double is exact; compare before converting.
  const double limit = std::ldexp(1.0, std::numeric_limits<Int>::digits);
  if (truncated >= limit) return std::numeric_limits<Int>::max();
  if (truncated < static_cast<double>(std::numeric_limits<Int>::min())) {
    return std::numeric_limits<Int>::min();
  }
  return static_cast<Int>(truncated);
}

TEST(FloatHelpers, ConversionsToIntegersSaturateLikeRiscV) {
  EXPECT_EQ(FixSfSi({0x7fc00000}), INT32_MAX);
  EXPECT_EQ(FixUnsSfSi({0x7fc00000}), UINT32_MAX);
  EXPECT_EQ(FixUnsSfSi({0xbf800000}), 0u);               // -1
  EXPECT_EQ(FixUnsSfSi({0xbf000000}), 0u);               // -0.5
  EXPECT_EQ(FixSfSi({0x4f000000}), INT32_MAX);           // 2^31
  EXPECT_EQ(FixSfSi({0xcf000000}), INT32_MIN);           // -2^31, exact
  EXPECT_EQ(FixDfSi({0xc1e0000000200000}), INT32_MIN);   // -2^31 - 1
  EXPECT_EQ(FixDfDi({0xfff0000000000000}), INT64_MIN);
  EXPECT_EQ(FixUnsDfDi({0x7ff0000000000000}), UINT64_MAX);
  EXPECT_EQ(FixSfDi({0x5f000000}), INT64_MAX);           // 2^63
  EXPECT_EQ(FixUnsSfDi({0x5f7fffff}), 0xffffff0000000000u);
  Inputs inputs;
  for (int i = 0; i < kRandomCases; ++i) {
    const uint32_t a = inputs.F32();
    const double x = AsFloat(a);  // exact
    ASSERT_EQ(FixSfSi({a}), RiscVConvert<int32_t>(x)) << std::hex << a;
    ASSERT_EQ(FixSfDi({a}), RiscVConvert<int64_t>(x)) << std::hex << a;
    ASSERT_EQ(FixUnsSfSi({a}), RiscVConvert<uint32_t>(x)) << std::hex << a;
    ASSERT_EQ(FixUnsSfDi({a}), RiscVConvert<uint64_t>(x)) << std::hex << a;
    const uint64_t b = inputs.F64();
    const double y = AsDouble(b);
    ASSERT_EQ(FixDfSi({b}), RiscVConvert<int32_t>(y)) << std::hex << b;
    ASSERT_EQ(FixDfDi({b}), RiscVConvert<int64_t>(y)) << std::hex << b;
    ASSERT_EQ(FixUnsDfSi({b}), RiscVConvert<uint32_t>(y)) << std::hex << b;
    ASSERT_EQ(FixUnsDfDi({b}), RiscVConvert<uint64_t>(y)) << std::hex << b;
  }
}

TEST(FloatHelpers, ConversionsFromIntegersMatchHost) {
  Inputs inputs;
  for (int i = 0; i < kRandomCases; ++i) {
    const int32_t a = inputs.Integer<int32_t>();
    const int64_t b = inputs.Integer<int64_t>();
    const uint32_t c = static_cast<uint32_t>(a);
    const uint64_t d = static_cast<uint64_t>(b);
    ASSERT_EQ(FloatSiSf(a).bits, Bits(static_cast<float>(a))) << a;
    ASSERT_EQ(FloatDiSf(b).bits, Bits(static_cast<float>(b))) << b;
    ASSERT_EQ(FloatUnSiSf(c).bits, Bits(static_cast<float>(c))) << c;
    ASSERT_EQ(FloatUnDiSf(d).bits, Bits(static_cast<float>(d))) << d;
    ASSERT_EQ(FloatSiDf(a).bits, Bits(static_cast<double>(a))) << a;
    ASSERT_EQ(FloatDiDf(b).bits, Bits(static_cast<double>(b))) << b;
    ASSERT_EQ(FloatUnSiDf(c).bits, Bits(static_cast<double>(c))) << c;
    ASSERT_EQ(FloatUnDiDf(d).bits, Bits(static_cast<double>(d))) << d;
  }
  // Ties: 2^24 + 1 and 2^53 + 1 round to even; 2^64 - 1 rounds up to 2^64.
  EXPECT_EQ(FloatSiSf(16777217).bits, 0x4b800000u);
  EXPECT_EQ(FloatDiDf(9007199254740993).bits, 0x4340000000000000u);
  EXPECT_EQ(FloatUnDiSf(UINT64_MAX).bits, 0x5f800000u);
}

TEST(FloatHelpers, WideningAndNarrowingMatchHost) {
  Inputs inputs;
  for (int i = 0; i < kRandomCases; ++i) {
    const uint32_t a = inputs.F32();
    ASSERT_EQ(ExtendSfDf2({a}).bits, Bits(static_cast<double>(AsFloat(a)))) << std::hex << a;
    // Doubles in and around float's range, including its subnormals.
    uint64_t b = inputs.F64();
    if ((i & 1) != 0) b = (b & 0x800fffffffffffffu) | (static_cast<uint64_t>(0x380 - 30 + (i >> 1) % 320) << 52);
    ASSERT_EQ(TruncDfSf2({b}).bits, Bits(static_cast<float>(AsDouble(b)))) << std::hex << b;
  }
}

// --- Library functions ------------------------------------------------------

TEST(FloatHelpers, RoundingFunctionsMatchHost) {
  Inputs inputs;
  for (int i = 0; i < kRandomCases; ++i) {
    const uint32_t a = inputs.F32();
    const float x = AsFloat(a);
    ASSERT_TRUE(SameFloat(CeilF({a}).bits, Bits(std::ceil(x)), a, a, false)) << "ceilf";
    ASSERT_TRUE(SameFloat(FloorF({a}).bits, Bits(std::floor(x)), a, a, false)) << "floorf";
    ASSERT_TRUE(SameFloat(TruncF({a}).bits, Bits(std::trunc(x)), a, a, false)) << "truncf";
    ASSERT_TRUE(SameFloat(RoundF({a}).bits, Bits(std::round(x)), a, a, false)) << "roundf";
    ASSERT_TRUE(SameFloat(RoundEvenF({a}).bits, Bits(roundevenf(x)), a, a, false)) << "roundevenf";
    ASSERT_TRUE(SameFloat(RintF({a}).bits, Bits(std::rint(x)), a, a, false)) << "rintf";
    ASSERT_TRUE(SameFloat(NearbyIntF({a}).bits, Bits(std::nearbyint(x)), a, a, false)) << "nearbyintf";
    ASSERT_TRUE(SameFloat(SqrtF({a}).bits, Bits(std::sqrt(x)), a, a, false)) << "sqrtf";
    ASSERT_EQ(FabsF({a}).bits, a & 0x7fffffffu);
    const uint64_t b = inputs.F64();
    const double y = AsDouble(b);
    ASSERT_TRUE(SameFloat(Ceil({b}).bits, Bits(std::ceil(y)), b, b, false)) << "ceil";
    ASSERT_TRUE(SameFloat(Floor({b}).bits, Bits(std::floor(y)), b, b, false)) << "floor";
    ASSERT_TRUE(SameFloat(Trunc({b}).bits, Bits(std::trunc(y)), b, b, false)) << "trunc";
    ASSERT_TRUE(SameFloat(Round({b}).bits, Bits(std::round(y)), b, b, false)) << "round";
    ASSERT_TRUE(SameFloat(RoundEven({b}).bits, Bits(roundeven(y)), b, b, false)) << "roundeven";
    ASSERT_TRUE(SameFloat(Rint({b}).bits, Bits(std::rint(y)), b, b, false)) << "rint";
    ASSERT_TRUE(SameFloat(NearbyInt({b}).bits, Bits(std::nearbyint(y)), b, b, false)) << "nearbyint";
    ASSERT_TRUE(SameFloat(Sqrt({b}).bits, Bits(std::sqrt(y)), b, b, false)) << "sqrt";
    ASSERT_EQ(Fabs({b}).bits, b & 0x7fffffffffffffffu);
  }
  EXPECT_EQ(RoundEvenF({0x3f000000}).bits, 0u);           // 0.5 -> 0
  EXPECT_EQ(RoundEvenF({0xbfc00000}).bits, 0xc0000000u);  // -1.5 -> -2
  EXPECT_EQ(CeilF({0xbf000000}).bits, 0x80000000u);       // -0.5 -> -0
  EXPECT_EQ(Floor({0x3fe0000000000000}).bits, 0u);        // 0.5 -> 0
}

TEST(FloatHelpers, MinMaxCopySignMatchHost) {
  Inputs inputs;
  auto signaling32 = [](uint32_t x) { return (x & 0x7fffffffu) > 0x7f800000u && (x & 0x00400000u) == 0; };
  auto signaling64 = [](uint64_t x) {
    return (x & 0x7fffffffffffffffu) > 0x7ff0000000000000u && (x & 0x0008000000000000u) == 0;
  };
  for (int i = 0; i < kRandomCases; ++i) {
    const uint32_t a = inputs.F32(), b = inputs.NearF32(a);
    const float x = AsFloat(a), y = AsFloat(b);
    ASSERT_EQ(CopySignF({a}, {b}).bits, Bits(std::copysign(x, y)));
    // glibc turns a signaling NaN operand into a NaN result and orders zeros
    // by position; LLVM's minnum ignores any NaN and -0 < +0 here.
    if (!signaling32(a) && !signaling32(b) && !(x == 0 && y == 0)) {
      ASSERT_TRUE(SameFloat(FminF({a}, {b}).bits, Bits(std::fmin(x, y)), a, b, true)) << "fminf";
      ASSERT_TRUE(SameFloat(FmaxF({a}, {b}).bits, Bits(std::fmax(x, y)), a, b, true)) << "fmaxf";
    }
    const uint64_t c = inputs.F64(), d = inputs.NearF64(c);
    const double u = AsDouble(c), v = AsDouble(d);
    ASSERT_EQ(CopySign({c}, {d}).bits, Bits(std::copysign(u, v)));
    if (!signaling64(c) && !signaling64(d) && !(u == 0 && v == 0)) {
      ASSERT_TRUE(SameFloat(Fmin({c}, {d}).bits, Bits(std::fmin(u, v)), c, d, true)) << "fmin";
      ASSERT_TRUE(SameFloat(Fmax({c}, {d}).bits, Bits(std::fmax(u, v)), c, d, true)) << "fmax";
    }
  }
  EXPECT_EQ(FminF({0x00000000}, {0x80000000}).bits, 0x80000000u);
  EXPECT_EQ(FmaxF({0x80000000}, {0x00000000}).bits, 0x00000000u);
  EXPECT_EQ(FminF({0x7f800001}, {0x3f800000}).bits, 0x3f800000u);  // signaling NaN ignored
  EXPECT_EQ(Fmax({0x7ff8000000000000}, {0x7ff0000000000001}).bits, 0x7ff8000000000000u);
}

// --- Memory and atomics -----------------------------------------------------

TEST(MemoryHelpers, CopyMoveAndSetMatchReference) {
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::vector<unsigned char> buffer(96), reference;
    for (auto& byte : buffer) byte = static_cast<unsigned char>(rng());
    reference = buffer;
    const size_t destination = rng() % 48, source = rng() % 48, size = rng() % 48;
    switch (i % 3) {
      case 0:
        if (destination + size <= source || source + size <= destination) {
          EXPECT_EQ(MemCopy(buffer.data() + destination, buffer.data() + source, size),
                    buffer.data() + destination);
          std::memcpy(reference.data() + destination, reference.data() + source, size);
        }
        break;
      case 1:
        EXPECT_EQ(MemMove(buffer.data() + destination, buffer.data() + source, size),
                  buffer.data() + destination);
        std::memmove(reference.data() + destination, reference.data() + source, size);
        break;
      case 2: {
        const int value = static_cast<int>(rng());
        EXPECT_EQ(MemSet(buffer.data() + destination, value, size), buffer.data() + destination);
        std::memset(reference.data() + destination, value, size);
        break;
      }
    }
    ASSERT_EQ(buffer, reference) << "case " << i;
  }
}

template <typename T>
void CheckAtomicsOfSize() {
  alignas(8) T value = static_cast<T>(0x5a);
  EXPECT_EQ(AtomicLoad<T>(&value, 5), static_cast<T>(0x5a));
  AtomicStore<T>(&value, static_cast<T>(~T{0}), 5);
  EXPECT_EQ(value, static_cast<T>(~T{0}));
  EXPECT_EQ(AtomicExchange<T>(&value, T{3}, 5), static_cast<T>(~T{0}));
  EXPECT_EQ((AtomicFetch<T, AtomicOp::kAdd>(&value, T{5}, 5)), T{3});
  EXPECT_EQ((AtomicFetch<T, AtomicOp::kSub>(&value, T{10}, 5)), T{8});
  EXPECT_EQ(value, static_cast<T>(T{0} - T{2}));
  EXPECT_EQ((AtomicFetch<T, AtomicOp::kAnd>(&value, T{0x36}, 5)), static_cast<T>(T{0} - T{2}));
  EXPECT_EQ((AtomicFetch<T, AtomicOp::kOr>(&value, T{0x41}, 5)), T{0x36});
  EXPECT_EQ((AtomicFetch<T, AtomicOp::kXor>(&value, T{0x0f}, 5)), T{0x77});
  EXPECT_EQ((AtomicFetch<T, AtomicOp::kNand>(&value, T{0x0c}, 5)), T{0x78});
  EXPECT_EQ(value, static_cast<T>(~T{0x08}));
  EXPECT_EQ((AtomicOpFetch<T, AtomicOp::kAdd>(&value, T{9}, 5)), T{0});
  T expected = T{1};
  EXPECT_FALSE(AtomicCompareExchange<T>(&value, &expected, T{2}, 5, 5));
  EXPECT_EQ(expected, T{0});
  EXPECT_TRUE(AtomicCompareExchange<T>(&value, &expected, T{2}, 5, 5));
  EXPECT_EQ(value, T{2});
}

TEST(AtomicHelpers, EverySizeBehaves) {
  CheckAtomicsOfSize<uint8_t>();
  CheckAtomicsOfSize<uint16_t>();
  CheckAtomicsOfSize<uint32_t>();
  CheckAtomicsOfSize<uint64_t>();
}

TEST(AtomicHelpers, AreAtomicAcrossThreads) {
  constexpr int kThreads = 4, kIterations = 50000;
  alignas(8) uint64_t counter = 0;
  alignas(4) uint32_t cas_counter = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIterations; ++i) {
        AtomicFetch<uint64_t, AtomicOp::kAdd>(&counter, 1, 5);
        uint32_t seen = AtomicLoad<uint32_t>(&cas_counter, 5);
        while (!AtomicCompareExchange<uint32_t>(&cas_counter, &seen, seen + 1, 5, 5)) {
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter, uint64_t{kThreads} * kIterations);
  EXPECT_EQ(cas_counter, uint32_t{kThreads} * kIterations);
}

// --- The table --------------------------------------------------------------

TEST(HelperTable, NamesAreUniqueAndFound) {
  const HelperTableView table = AllHelpers();
  ASSERT_GT(table.size, 100u);
  for (const HelperEntry& entry : table) {
    EXPECT_EQ(FindHelperEntry(entry.name), &entry) << entry.name;
    for (size_t abi = 0; abi < kFloatAbiCount; ++abi) {
      // This test runs on x86-64, which provides every variant.
      EXPECT_NE(entry.address[abi], nullptr) << entry.name << " abi " << abi;
      EXPECT_EQ(FindHelper(entry.name, static_cast<FloatAbi>(abi)), entry.address[abi]);
    }
  }
  EXPECT_EQ(FindHelper("__mulsi", FloatAbi::kSoft), nullptr);
  EXPECT_EQ(FindHelper("__mulsi3x", FloatAbi::kSoft), nullptr);
  EXPECT_EQ(FindHelper("rivet_aot_trap", FloatAbi::kSoft), nullptr);
  EXPECT_TRUE(HostSupportsFloatAbi(FloatAbi::kSingle));
  EXPECT_TRUE(HostSupportsFloatAbi(FloatAbi::kDouble));
}

TEST(HelperTable, IntegerHelpersAreOneFunctionForEveryAbi) {
  const void* soft = FindHelper("__mulsi3", FloatAbi::kSoft);
  EXPECT_EQ(FindHelper("__mulsi3", FloatAbi::kDouble), soft);
  auto multiply = reinterpret_cast<int32_t (*)(int32_t, int32_t)>(soft);
  EXPECT_EQ(multiply(-7, 6), -42);
  auto compare_exchange = reinterpret_cast<bool (*)(volatile void*, void*, uint32_t, int, int)>(
      FindHelper("__atomic_compare_exchange_4", FloatAbi::kSoft));
  uint32_t value = 4, expected = 4;
  EXPECT_TRUE(compare_exchange(&value, &expected, 9, 5, 5));
  EXPECT_EQ(value, 9u);
}

TEST(HelperTable, FloatVariantsFollowTheAbi) {
  // Soft: both types in integer registers.
  auto add_soft = reinterpret_cast<uint32_t (*)(uint32_t, uint32_t)>(
      FindHelper("__addsf3", FloatAbi::kSoft));
  EXPECT_EQ(add_soft(Bits(1.5f), Bits(2.25f)), Bits(3.75f));
  auto add_double_soft = reinterpret_cast<uint64_t (*)(uint64_t, uint64_t)>(
      FindHelper("__adddf3", FloatAbi::kSingle));
  EXPECT_EQ(add_double_soft(Bits(1.5), Bits(2.25)), Bits(3.75));
  // Single: float in FP registers, double in integer ones.
  auto extend_single = reinterpret_cast<uint64_t (*)(float)>(
      FindHelper("__extendsfdf2", FloatAbi::kSingle));
  EXPECT_EQ(extend_single(0.1f), Bits(static_cast<double>(0.1f)));
  auto fix_single = reinterpret_cast<int64_t (*)(float)>(FindHelper("__fixsfdi", FloatAbi::kSingle));
  EXPECT_EQ(fix_single(-3.0e12f), static_cast<int64_t>(-3.0e12f));
  auto floor_double_soft = reinterpret_cast<uint64_t (*)(uint64_t)>(
      FindHelper("floor", FloatAbi::kSingle));
  EXPECT_EQ(floor_double_soft(Bits(-2.5)), Bits(-3.0));
  // Double: both in FP registers.
  auto trunc_double = reinterpret_cast<float (*)(double)>(
      FindHelper("__truncdfsf2", FloatAbi::kDouble));
  EXPECT_EQ(trunc_double(0.1), 0.1f);
  auto nearbyint_double = reinterpret_cast<double (*)(double)>(
      FindHelper("nearbyint", FloatAbi::kDouble));
  EXPECT_EQ(nearbyint_double(2.5), 2.0);
  auto ceil_float = reinterpret_cast<float (*)(float)>(FindHelper("ceilf", FloatAbi::kDouble));
  EXPECT_EQ(ceil_float(-0.5f), -0.0f);
  auto floatdidf = reinterpret_cast<double (*)(int64_t)>(FindHelper("__floatdidf", FloatAbi::kDouble));
  EXPECT_EQ(floatdidf(-(int64_t{1} << 60)), -std::ldexp(1.0, 60));
}

TEST(HelperTable, FeatureAvoiding) {
  EXPECT_EQ(FeatureAvoiding("__mulsi3"), "+m");
  EXPECT_EQ(FeatureAvoiding("__udivdi3"), "+m");
  EXPECT_EQ(FeatureAvoiding("__atomic_compare_exchange_4"), "+a");
  EXPECT_EQ(FeatureAvoiding("__atomic_fetch_nand_1"), "+a");
  EXPECT_EQ(FeatureAvoiding("__adddf3"), "+d");
  EXPECT_EQ(FeatureAvoiding("__addsf3"), "+f");
  EXPECT_EQ(FeatureAvoiding("sqrtf"), "+f");
  EXPECT_EQ(FeatureAvoiding("__popcountsi2"), "+zbb");
  EXPECT_EQ(FeatureAvoiding("memcpy"), "");
  EXPECT_EQ(FeatureAvoiding("no_such_helper"), "");
}

}  // namespace
}  // namespace rivet::helpers
