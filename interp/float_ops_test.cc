#include "interp/float_ops.h"

#include <cstdint>
#include <limits>

#include "gtest/gtest.h"

namespace rivet::interp {
namespace {

constexpr float kInfF = std::numeric_limits<float>::infinity();
constexpr double kInfD = std::numeric_limits<double>::infinity();

float F(uint32_t bits) { return FromBits<float>(bits); }
double D(uint64_t bits) { return FromBits<double>(bits); }

constexpr uint32_t kCanonF = 0x7fc00000u;
constexpr uint32_t kSNaNF = 0x7fa00001u;  // signalling, with a payload
constexpr uint64_t kCanonD = 0x7ff8000000000000u;
constexpr uint64_t kSNaND = 0x7ff4000000000001u;

bool IsArithmeticNaN(float x) {
  return (ToBits(x) & 0x7fc00000u) == 0x7fc00000u;
}
bool IsArithmeticNaN(double x) {
  return (ToBits(x) & 0x7ff8000000000000u) == 0x7ff8000000000000u;
}
bool IsCanonicalNaN(float x) {
  return (ToBits(x) & 0x7fffffffu) == kCanonF;
}
bool IsCanonicalNaN(double x) {
  return (ToBits(x) & 0x7fffffffffffffffu) == kCanonD;
}

TEST(FloatOpsTest, BitsRoundTrip) {
  EXPECT_EQ(ToBits(1.0f), 0x3f800000u);
  EXPECT_EQ(ToBits(-2.0), 0xc000000000000000u);
  EXPECT_EQ(FromBits<float>(0x3f800000u), 1.0f);
  EXPECT_EQ(ToBits(F(kSNaNF)), kSNaNF);
  EXPECT_EQ(ToBits(D(kSNaND)), kSNaND);
  EXPECT_TRUE(IsNaN(F(kSNaNF)));
  EXPECT_FALSE(IsNaN(kInfF));
  EXPECT_EQ(ToBits(QuietNaN(F(kSNaNF))), 0x7fe00001u);
  EXPECT_EQ(ToBits(QuietNaN(D(kSNaND))), 0x7ffc000000000001u);
}

TEST(FloatOpsTest, AbsNegCopysignAreBitExact) {
  EXPECT_EQ(ToBits(WasmAbs(F(0xffa00001u))), 0x7fa00001u);
  EXPECT_EQ(ToBits(WasmNeg(F(kSNaNF))), 0xffa00001u);
  EXPECT_EQ(ToBits(WasmNeg(0.0f)), 0x80000000u);
  EXPECT_EQ(ToBits(WasmAbs(-0.0)), 0u);
  EXPECT_EQ(WasmAbs(-3.5), 3.5);
  EXPECT_EQ(WasmNeg(3.5f), -3.5f);
  EXPECT_EQ(ToBits(WasmCopysign(F(kSNaNF), -1.0f)), 0xffa00001u);
  EXPECT_EQ(ToBits(WasmCopysign(2.0f, F(0xffc00000u))), ToBits(-2.0f));
  EXPECT_EQ(ToBits(WasmCopysign(-2.0, 0.0)), ToBits(2.0));
  EXPECT_EQ(ToBits(WasmCopysign(D(kSNaND), -0.0)), kSNaND | (1ull << 63));
}

TEST(FloatOpsTest, MinMax) {
  EXPECT_EQ(WasmMin(1.0f, 2.0f), 1.0f);
  EXPECT_EQ(WasmMin(2.0f, 1.0f), 1.0f);
  EXPECT_EQ(WasmMax(1.0f, 2.0f), 2.0f);
  EXPECT_EQ(WasmMax(2.0f, 1.0f), 2.0f);
  EXPECT_EQ(WasmMin(-kInfF, 1.0f), -kInfF);
  EXPECT_EQ(WasmMax(kInfF, 1.0f), kInfF);
  EXPECT_EQ(WasmMin(-1.0, 1.0), -1.0);
  EXPECT_EQ(WasmMax(-1.0, 1.0), 1.0);
  EXPECT_EQ(WasmMin(5.0, 5.0), 5.0);

  // -0 < +0, in both operand orders.
  EXPECT_EQ(ToBits(WasmMin(0.0f, -0.0f)), 0x80000000u);
  EXPECT_EQ(ToBits(WasmMin(-0.0f, 0.0f)), 0x80000000u);
  EXPECT_EQ(ToBits(WasmMax(0.0f, -0.0f)), 0u);
  EXPECT_EQ(ToBits(WasmMax(-0.0f, 0.0f)), 0u);
  EXPECT_EQ(ToBits(WasmMin(0.0, -0.0)), 0x8000000000000000u);
  EXPECT_EQ(ToBits(WasmMax(-0.0, 0.0)), 0u);
  EXPECT_EQ(ToBits(WasmMin(-0.0, -0.0)), 0x8000000000000000u);
  EXPECT_EQ(ToBits(WasmMax(0.0f, 0.0f)), 0u);

  // NaN if either is NaN; canonical in, canonical out; always arithmetic.
  for (float other : {1.0f, -kInfF, kInfF, 0.0f, -0.0f}) {
    EXPECT_TRUE(IsCanonicalNaN(WasmMin(F(kCanonF), other)));
    EXPECT_TRUE(IsCanonicalNaN(WasmMin(other, F(kCanonF))));
    EXPECT_TRUE(IsCanonicalNaN(WasmMax(F(kCanonF), other)));
    EXPECT_TRUE(IsCanonicalNaN(WasmMax(other, F(0xffc00000u))));
    EXPECT_TRUE(IsArithmeticNaN(WasmMin(F(kSNaNF), other)));
    EXPECT_TRUE(IsArithmeticNaN(WasmMax(other, F(kSNaNF))));
  }
  EXPECT_TRUE(IsArithmeticNaN(WasmMin(F(kSNaNF), F(kCanonF))));
  EXPECT_TRUE(IsArithmeticNaN(WasmMax(D(kSNaND), 1.0)));
  EXPECT_TRUE(IsArithmeticNaN(WasmMin(1.0, D(kSNaND))));
  EXPECT_TRUE(IsCanonicalNaN(WasmMin(D(kCanonD), -kInfD)));
  EXPECT_TRUE(IsCanonicalNaN(WasmMax(-kInfD, D(kCanonD))));
}

TEST(FloatOpsTest, PminPmax) {
  EXPECT_EQ(WasmPmin(1.0f, 2.0f), 1.0f);
  EXPECT_EQ(WasmPmin(2.0f, 1.0f), 1.0f);
  EXPECT_EQ(WasmPmax(1.0f, 2.0f), 2.0f);
  EXPECT_EQ(WasmPmax(2.0, 1.0), 2.0);
  // b < a ? b : a: a NaN on either side and equal zeros return a.
  EXPECT_EQ(ToBits(WasmPmin(F(kSNaNF), 1.0f)), kSNaNF);
  EXPECT_EQ(WasmPmin(1.0f, F(kSNaNF)), 1.0f);
  EXPECT_EQ(ToBits(WasmPmax(F(kSNaNF), 1.0f)), kSNaNF);
  EXPECT_EQ(WasmPmax(1.0f, F(kSNaNF)), 1.0f);
  EXPECT_EQ(ToBits(WasmPmin(-0.0f, 0.0f)), 0x80000000u);
  EXPECT_EQ(ToBits(WasmPmin(0.0f, -0.0f)), 0u);
  EXPECT_EQ(ToBits(WasmPmax(-0.0, 0.0)), 0x8000000000000000u);
  EXPECT_EQ(ToBits(WasmPmax(0.0, -0.0)), 0u);
}

TEST(FloatOpsTest, Nearest) {
  EXPECT_EQ(WasmNearest(0.5f), 0.0f);
  EXPECT_EQ(WasmNearest(1.5f), 2.0f);
  EXPECT_EQ(WasmNearest(2.5f), 2.0f);
  EXPECT_EQ(WasmNearest(3.5f), 4.0f);
  EXPECT_EQ(WasmNearest(-1.5f), -2.0f);
  EXPECT_EQ(WasmNearest(-2.5f), -2.0f);
  EXPECT_EQ(WasmNearest(2.4f), 2.0f);
  EXPECT_EQ(WasmNearest(2.6f), 3.0f);
  EXPECT_EQ(WasmNearest(0.49999997f), 0.0f);  // largest float below 0.5
  EXPECT_EQ(WasmNearest(8388607.5f), 8388608.0f);  // 2^23 - 0.5: odd + 0.5
  EXPECT_EQ(WasmNearest(8388606.5f), 8388606.0f);
  EXPECT_EQ(WasmNearest(-8388607.5f), -8388608.0f);
  EXPECT_EQ(WasmNearest(8388609.0f), 8388609.0f);
  EXPECT_EQ(WasmNearest(1e30f), 1e30f);
  EXPECT_EQ(WasmNearest(kInfF), kInfF);
  EXPECT_EQ(WasmNearest(-kInfF), -kInfF);
  // The sign survives rounding to zero.
  EXPECT_EQ(ToBits(WasmNearest(-0.5f)), 0x80000000u);
  EXPECT_EQ(ToBits(WasmNearest(-0.3f)), 0x80000000u);
  EXPECT_EQ(ToBits(WasmNearest(-0.0f)), 0x80000000u);
  EXPECT_EQ(ToBits(WasmNearest(0.0f)), 0u);
  EXPECT_EQ(ToBits(WasmNearest(F(1))), 0u);  // smallest denormal
  EXPECT_EQ(ToBits(WasmNearest(F(0x80000001u))), 0x80000000u);
  EXPECT_TRUE(IsCanonicalNaN(WasmNearest(F(kCanonF))));
  EXPECT_EQ(ToBits(WasmNearest(F(kSNaNF))), 0x7fe00001u);

  EXPECT_EQ(WasmNearest(0.5), 0.0);
  EXPECT_EQ(WasmNearest(1.5), 2.0);
  EXPECT_EQ(WasmNearest(2.5), 2.0);
  EXPECT_EQ(WasmNearest(-2.5), -2.0);
  EXPECT_EQ(WasmNearest(0.5000000000000001), 1.0);
  EXPECT_EQ(WasmNearest(0.49999999999999994), 0.0);
  EXPECT_EQ(WasmNearest(4503599627370495.5), 4503599627370496.0);  // 2^52 - .5
  EXPECT_EQ(WasmNearest(4503599627370494.5), 4503599627370494.0);
  EXPECT_EQ(WasmNearest(4503599627370497.0), 4503599627370497.0);  // 2^52 + 1
  EXPECT_EQ(WasmNearest(1e300), 1e300);
  EXPECT_EQ(WasmNearest(-kInfD), -kInfD);
  EXPECT_EQ(ToBits(WasmNearest(-0.5)), 0x8000000000000000u);
  EXPECT_EQ(ToBits(WasmNearest(-0.0)), 0x8000000000000000u);
  EXPECT_TRUE(IsCanonicalNaN(WasmNearest(D(kCanonD))));
  EXPECT_TRUE(IsArithmeticNaN(WasmNearest(D(kSNaND))));
}

TEST(FloatOpsTest, CeilFloorTrunc) {
  EXPECT_EQ(WasmCeil(1.2f), 2.0f);
  EXPECT_EQ(WasmCeil(-1.2f), -1.0f);
  EXPECT_EQ(ToBits(WasmCeil(-0.5f)), 0x80000000u);
  EXPECT_EQ(WasmFloor(1.8f), 1.0f);
  EXPECT_EQ(WasmFloor(-1.2f), -2.0f);
  EXPECT_EQ(WasmFloor(-0.5f), -1.0f);
  EXPECT_EQ(ToBits(WasmFloor(-0.0f)), 0x80000000u);
  EXPECT_EQ(WasmTrunc(1.8f), 1.0f);
  EXPECT_EQ(WasmTrunc(-1.8f), -1.0f);
  EXPECT_EQ(ToBits(WasmTrunc(-0.3f)), 0x80000000u);
  EXPECT_EQ(WasmCeil(1e30f), 1e30f);
  EXPECT_EQ(WasmFloor(-kInfF), -kInfF);

  EXPECT_EQ(WasmCeil(4503599627370495.5), 4503599627370496.0);
  EXPECT_EQ(WasmFloor(-4503599627370495.5), -4503599627370496.0);
  EXPECT_EQ(WasmTrunc(-4503599627370495.5), -4503599627370495.0);
  EXPECT_EQ(ToBits(WasmCeil(-0.9)), 0x8000000000000000u);
  EXPECT_EQ(WasmTrunc(kInfD), kInfD);

  EXPECT_TRUE(IsCanonicalNaN(WasmCeil(F(kCanonF))));
  EXPECT_EQ(ToBits(WasmFloor(F(kSNaNF))), 0x7fe00001u);
  EXPECT_EQ(ToBits(WasmTrunc(F(0xffa00001u))), 0xffe00001u);
  EXPECT_TRUE(IsArithmeticNaN(WasmCeil(D(kSNaND))));
  EXPECT_TRUE(IsCanonicalNaN(WasmFloor(D(kCanonD))));
  EXPECT_TRUE(IsArithmeticNaN(WasmTrunc(D(kSNaND))));
}

TEST(FloatOpsTest, Sqrt) {
  EXPECT_EQ(WasmSqrt(4.0f), 2.0f);
  EXPECT_EQ(WasmSqrt(2.0), 1.4142135623730951);
  EXPECT_EQ(ToBits(WasmSqrt(-0.0f)), 0x80000000u);
  EXPECT_TRUE(IsArithmeticNaN(WasmSqrt(-1.0f)));
  EXPECT_TRUE(IsArithmeticNaN(WasmSqrt(D(kSNaND))));
}

// Expects WasmTrunc<Int>(x) to succeed with `want`.
template <typename Int, typename Float>
void ExpectTruncOk(Float x, Int want) {
  Int out = 0;
  EXPECT_EQ(WasmTrunc<Int>(x, &out), TruncResult::kOk) << x;
  EXPECT_EQ(out, want) << x;
}

template <typename Int, typename Float>
TruncResult TruncOf(Float x) {
  Int out = 0;
  return WasmTrunc<Int>(x, &out);
}

TEST(FloatOpsTest, TruncI32) {
  // From f32: 2147483647.0f is 2^31.
  EXPECT_EQ(TruncOf<int32_t>(2147483647.0f), TruncResult::kOverflow);
  EXPECT_EQ(TruncOf<int32_t>(2147483648.0f), TruncResult::kOverflow);
  ExpectTruncOk<int32_t>(2147483520.0f, 2147483520);  // largest below 2^31
  ExpectTruncOk<int32_t>(-2147483648.0f, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(TruncOf<int32_t>(-2147483904.0f), TruncResult::kOverflow);
  ExpectTruncOk<int32_t>(-1.9f, -1);
  ExpectTruncOk<int32_t>(-0.9f, 0);
  ExpectTruncOk<int32_t>(1.9f, 1);
  EXPECT_EQ(TruncOf<int32_t>(kInfF), TruncResult::kOverflow);
  EXPECT_EQ(TruncOf<int32_t>(-kInfF), TruncResult::kOverflow);
  EXPECT_EQ(TruncOf<int32_t>(F(kCanonF)), TruncResult::kInvalid);
  EXPECT_EQ(TruncOf<int32_t>(F(0xffc00000u)), TruncResult::kInvalid);

  // From f64: the fraction below INT_MIN still truncates into range.
  ExpectTruncOk<int32_t>(-2147483648.0, std::numeric_limits<int32_t>::min());
  ExpectTruncOk<int32_t>(-2147483648.9, std::numeric_limits<int32_t>::min());
  EXPECT_EQ(TruncOf<int32_t>(-2147483649.0), TruncResult::kOverflow);
  ExpectTruncOk<int32_t>(2147483647.9, 2147483647);
  EXPECT_EQ(TruncOf<int32_t>(2147483648.0), TruncResult::kOverflow);
  EXPECT_EQ(TruncOf<int32_t>(D(kSNaND)), TruncResult::kInvalid);
}

TEST(FloatOpsTest, TruncU32) {
  ExpectTruncOk<uint32_t>(4294967295.9, 4294967295u);
  EXPECT_EQ(TruncOf<uint32_t>(4294967296.0), TruncResult::kOverflow);
  ExpectTruncOk<uint32_t>(-0.9, 0u);
  ExpectTruncOk<uint32_t>(-0.0, 0u);
  EXPECT_EQ(TruncOf<uint32_t>(-1.0), TruncResult::kOverflow);
  ExpectTruncOk<uint32_t>(4294967040.0f, 4294967040u);  // largest below 2^32
  EXPECT_EQ(TruncOf<uint32_t>(4294967296.0f), TruncResult::kOverflow);
  ExpectTruncOk<uint32_t>(-0.99999994f, 0u);
  EXPECT_EQ(TruncOf<uint32_t>(-1.0f), TruncResult::kOverflow);
  EXPECT_EQ(TruncOf<uint32_t>(F(kCanonF)), TruncResult::kInvalid);
}

TEST(FloatOpsTest, TruncI64U64) {
  ExpectTruncOk<int64_t>(9223372036854774784.0, 9223372036854774784);
  EXPECT_EQ(TruncOf<int64_t>(9223372036854775808.0), TruncResult::kOverflow);
  ExpectTruncOk<int64_t>(-9223372036854775808.0,
                         std::numeric_limits<int64_t>::min());
  EXPECT_EQ(TruncOf<int64_t>(-9223372036854777856.0), TruncResult::kOverflow);
  ExpectTruncOk<int64_t>(9223371487098961920.0f, 9223371487098961920);
  EXPECT_EQ(TruncOf<int64_t>(9223372036854775808.0f), TruncResult::kOverflow);
  ExpectTruncOk<int64_t>(-9223372036854775808.0f,
                         std::numeric_limits<int64_t>::min());
  EXPECT_EQ(TruncOf<int64_t>(-9223373136366403584.0f), TruncResult::kOverflow);
  EXPECT_EQ(TruncOf<int64_t>(D(kCanonD)), TruncResult::kInvalid);

  ExpectTruncOk<uint64_t>(18446744073709549568.0, 18446744073709549568u);
  EXPECT_EQ(TruncOf<uint64_t>(18446744073709551616.0), TruncResult::kOverflow);
  ExpectTruncOk<uint64_t>(18446742974197923840.0f, 18446742974197923840u);
  EXPECT_EQ(TruncOf<uint64_t>(18446744073709551616.0f), TruncResult::kOverflow);
  ExpectTruncOk<uint64_t>(-0.99, 0u);
  EXPECT_EQ(TruncOf<uint64_t>(-1.0), TruncResult::kOverflow);
  EXPECT_EQ(TruncOf<uint64_t>(-kInfF), TruncResult::kOverflow);
  EXPECT_EQ(TruncOf<uint64_t>(F(kSNaNF)), TruncResult::kInvalid);
}

TEST(FloatOpsTest, TruncLeavesOutputOnTrap) {
  int32_t out = 42;
  EXPECT_EQ(WasmTrunc<int32_t>(kInfD, &out), TruncResult::kOverflow);
  EXPECT_EQ(out, 42);
}

TEST(FloatOpsTest, TruncTrapMessage) {
  EXPECT_EQ(TruncTrapMessage(TruncResult::kOk), nullptr);
  EXPECT_STREQ(TruncTrapMessage(TruncResult::kInvalid),
               "invalid conversion to integer");
  EXPECT_STREQ(TruncTrapMessage(TruncResult::kOverflow), "integer overflow");
}

TEST(FloatOpsTest, TruncSat) {
  constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();
  EXPECT_EQ(TruncSat<int32_t>(F(kCanonF)), 0);
  EXPECT_EQ(TruncSat<int32_t>(D(kSNaND)), 0);
  EXPECT_EQ(TruncSat<int32_t>(kInfF), kMax32);
  EXPECT_EQ(TruncSat<int32_t>(-kInfF), kMin32);
  EXPECT_EQ(TruncSat<int32_t>(2147483648.0f), kMax32);
  EXPECT_EQ(TruncSat<int32_t>(-2147483904.0f), kMin32);
  EXPECT_EQ(TruncSat<int32_t>(-2147483648.0f), kMin32);
  EXPECT_EQ(TruncSat<int32_t>(2147483647.9), kMax32);
  EXPECT_EQ(TruncSat<int32_t>(-2147483648.9), kMin32);
  EXPECT_EQ(TruncSat<int32_t>(-2147483649.0), kMin32);
  EXPECT_EQ(TruncSat<int32_t>(-1.5f), -1);
  EXPECT_EQ(TruncSat<int32_t>(1e10), kMax32);
  EXPECT_EQ(TruncSat<uint32_t>(-1.0f), 0u);
  EXPECT_EQ(TruncSat<uint32_t>(-0.9f), 0u);
  EXPECT_EQ(TruncSat<uint32_t>(-kInfD), 0u);
  EXPECT_EQ(TruncSat<uint32_t>(4294967295.9), 4294967295u);
  EXPECT_EQ(TruncSat<uint32_t>(4294967296.0), 4294967295u);
  EXPECT_EQ(TruncSat<uint32_t>(kInfF), 4294967295u);
  EXPECT_EQ(TruncSat<uint32_t>(F(kSNaNF)), 0u);
  EXPECT_EQ(TruncSat<int64_t>(9223372036854775808.0),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(TruncSat<int64_t>(-kInfF), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(TruncSat<int64_t>(-9223372036854775808.0f),
            std::numeric_limits<int64_t>::min());
  EXPECT_EQ(TruncSat<int64_t>(123.9), 123);
  EXPECT_EQ(TruncSat<uint64_t>(18446744073709551616.0),
            std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(TruncSat<uint64_t>(18446742974197923840.0f), 18446742974197923840u);
  EXPECT_EQ(TruncSat<uint64_t>(-5.0), 0u);
  EXPECT_EQ(TruncSat<uint64_t>(D(kCanonD)), 0u);
}

TEST(FloatOpsTest, ConvertRoundsOnce) {
  // 2^63 + 2^39 + 1: just above half an f32 ulp, so it rounds up. Going via
  // f64 would first drop the +1, then round the tie to even (down).
  EXPECT_EQ(ToBits(WasmConvert<float>(uint64_t{0x8000008000000001u})),
            0x5f000001u);
  EXPECT_EQ(ToBits(static_cast<float>(
                static_cast<double>(uint64_t{0x8000008000000001u}))),
            0x5f000000u);  // the double rounding this avoids
  EXPECT_EQ(ToBits(WasmConvert<float>(uint64_t{0x8000008000000000u})),
            0x5f000000u);  // exact tie: to even
  EXPECT_EQ(ToBits(WasmConvert<float>(uint64_t{0xffffffffffffffffu})),
            0x5f800000u);  // 2^64
  EXPECT_EQ(ToBits(WasmConvert<float>(uint64_t{0})), 0u);
  // 2^53 + 2^29 + 1, signed, both signs.
  EXPECT_EQ(ToBits(WasmConvert<float>(int64_t{0x0020000020000001})),
            0x5a000001u);
  EXPECT_EQ(ToBits(WasmConvert<float>(-int64_t{0x0020000020000001})),
            0xda000001u);
  EXPECT_EQ(ToBits(WasmConvert<float>(std::numeric_limits<int64_t>::min())),
            0xdf000000u);
  EXPECT_EQ(ToBits(WasmConvert<float>(int64_t{-1})), ToBits(-1.0f));

  EXPECT_EQ(ToBits(WasmConvert<double>(uint64_t{0xffffffffffffffffu})),
            0x43f0000000000000u);
  EXPECT_EQ(ToBits(WasmConvert<double>(uint64_t{0x8000000000000401u})),
            0x43e0000000000001u);
  EXPECT_EQ(ToBits(WasmConvert<double>(uint64_t{0x8000000000000400u})),
            0x43e0000000000000u);
  EXPECT_EQ(ToBits(WasmConvert<double>(int64_t{0x0020000000000003})),
            ToBits(9007199254740996.0));  // 2^53 + 3 -> + 4 (tie to even)
  EXPECT_EQ(WasmConvert<double>(int64_t{-9007199254740993}),
            -9007199254740992.0);

  EXPECT_EQ(WasmConvert<float>(uint32_t{0xffffffffu}), 4294967296.0f);
  EXPECT_EQ(WasmConvert<float>(int32_t{16777217}), 16777216.0f);
  EXPECT_EQ(WasmConvert<float>(int32_t{16777219}), 16777220.0f);
  EXPECT_EQ(WasmConvert<float>(int32_t{-2147483647 - 1}), -2147483648.0f);
  EXPECT_EQ(WasmConvert<double>(uint32_t{0xffffffffu}), 4294967295.0);
  EXPECT_EQ(WasmConvert<double>(int32_t{-5}), -5.0);
}

TEST(FloatOpsTest, DemotePromote) {
  EXPECT_EQ(WasmDemote(1e300), kInfF);
  EXPECT_EQ(WasmDemote(-1e300), -kInfF);
  EXPECT_EQ(ToBits(WasmDemote(D(0x3ff0000010000000u))), 0x3f800000u);  // tie
  EXPECT_EQ(ToBits(WasmDemote(D(0x3ff0000030000000u))), 0x3f800002u);  // tie
  EXPECT_EQ(ToBits(WasmDemote(D(0x3ff0000010000001u))), 0x3f800001u);
  EXPECT_EQ(ToBits(WasmDemote(1e-45)), 1u);  // rounds to the smallest denormal
  EXPECT_EQ(ToBits(WasmDemote(1e-46)), 0u);
  EXPECT_EQ(ToBits(WasmDemote(-0.0)), 0x80000000u);
  EXPECT_TRUE(IsCanonicalNaN(WasmDemote(D(kCanonD))));
  EXPECT_TRUE(IsArithmeticNaN(WasmDemote(D(kSNaND))));

  EXPECT_EQ(WasmPromote(1.5f), 1.5);
  EXPECT_EQ(WasmPromote(kInfF), kInfD);
  EXPECT_EQ(ToBits(WasmPromote(F(1))), ToBits(1.401298464324817e-45));
  EXPECT_EQ(ToBits(WasmPromote(-0.0f)), 0x8000000000000000u);
  EXPECT_TRUE(IsCanonicalNaN(WasmPromote(F(kCanonF))));
  EXPECT_TRUE(IsArithmeticNaN(WasmPromote(F(kSNaNF))));
}

}  // namespace
}  // namespace rivet::interp
