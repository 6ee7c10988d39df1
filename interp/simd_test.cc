#include "interp/simd.h"

#include <array>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <ostream>
#include <string_view>
#include <type_traits>

#include "gtest/gtest.h"
#include "loader/opcodes.h"

namespace rivet::interp {

// Prints a V128 as its 16 bytes, lane 0 first, for test failure messages.
void PrintTo(const V128& v, std::ostream* os) {
  *os << "[";
  for (int i = 0; i < 16; ++i) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02x", v.bytes[i]);
    *os << (i ? " " : "") << buf;
  }
  *os << "]";
}

namespace {

// ---------------------------------------------------------------------------
// Every non-memory SIMD opcode of the table has a function of the same name
// whose parameter and result types follow the opcode's signature (v -> V128,
// i/f -> uint32_t, l/d -> uint64_t), with the lane immediate (uint8_t) or the
// shuffle immediate (const uint8_t*) last. A missing or mistyped function
// fails to compile.

template <typename T>
constexpr char TypeLetter() {
  if constexpr (std::is_same_v<T, V128>) {
    return 'v';
  } else if constexpr (std::is_same_v<T, uint32_t>) {
    return 'i';
  } else if constexpr (std::is_same_v<T, uint64_t>) {
    return 'l';
  } else if constexpr (std::is_same_v<T, uint8_t>) {
    return 'N';  // lane index immediate
  } else if constexpr (std::is_same_v<T, const uint8_t*>) {
    return 'S';  // shuffle immediate
  } else {
    return '?';
  }
}

constexpr char BitsLetter(char c) {
  return c == 'f' ? 'i' : c == 'd' ? 'l' : c;
}

template <typename R, typename... A>
constexpr bool MatchesSignature(R (*)(A...), std::string_view sig, Imm imm) {
  const char actual[] = {TypeLetter<A>()..., ':', TypeLetter<R>(), '\0'};
  char expected[16] = {};
  size_t n = 0;
  size_t colon = sig.find(':');
  for (size_t i = 0; i < colon; ++i) expected[n++] = BitsLetter(sig[i]);
  if (imm == Imm::kLane) expected[n++] = 'N';
  if (imm == Imm::kShuffle) expected[n++] = 'S';
  expected[n++] = ':';
  for (size_t i = colon + 1; i < sig.size(); ++i) {
    expected[n++] = BitsLetter(sig[i]);
  }
  return std::string_view(actual) == std::string_view(expected, n);
}

// Immediate kinds of the SIMD table: only these have functions here. A kind
// not listed fails to expand, so a new one has to be decided on.
#define RIVET_SIMD_CHECK_kNone(Name, sig) RIVET_SIMD_CHECKED(Name, sig, kNone)
#define RIVET_SIMD_CHECK_kLane(Name, sig) RIVET_SIMD_CHECKED(Name, sig, kLane)
#define RIVET_SIMD_CHECK_kShuffle(Name, sig) \
  RIVET_SIMD_CHECKED(Name, sig, kShuffle)
#define RIVET_SIMD_CHECK_kMemArg(Name, sig)      // memory: helpers, see below
#define RIVET_SIMD_CHECK_kMemArgLane(Name, sig)  // memory: *LaneBytes
#define RIVET_SIMD_CHECK_kV128(Name, sig)        // v128.const: no function
#define RIVET_SIMD_CHECK(Name, code, text, imm, sig, size) \
  RIVET_SIMD_CHECK_##imm(Name, sig)

// One static_assert per function.
#define RIVET_SIMD_CHECKED(Name, sig, imm)              \
  static_assert(MatchesSignature(&Name, sig, Imm::imm), \
                #Name " does not match its signature \"" sig "\"");
RIVET_FOREACH_SIMD_OPCODE(RIVET_SIMD_CHECK)
#undef RIVET_SIMD_CHECKED

// The number of functions checked.
#define RIVET_SIMD_CHECKED(Name, sig, imm) +1
constexpr int kNumCheckedOpcodes = 0 RIVET_FOREACH_SIMD_OPCODE(RIVET_SIMD_CHECK);
#undef RIVET_SIMD_CHECKED

#undef RIVET_SIMD_CHECK
#undef RIVET_SIMD_CHECK_kNone
#undef RIVET_SIMD_CHECK_kLane
#undef RIVET_SIMD_CHECK_kShuffle
#undef RIVET_SIMD_CHECK_kMemArg
#undef RIVET_SIMD_CHECK_kMemArgLane
#undef RIVET_SIMD_CHECK_kV128

TEST(SimdTest, EveryNonMemoryOpcodeHasAFunction) {
  // Every SIMD opcode but the memory accesses and v128.const was checked at
  // compile time above.
  int all = 0, memory = 0;
#define RIVET_COUNT(Name, code, text, imm, sig, size) \
  ++all;                                              \
  if (Imm::imm == Imm::kMemArg || Imm::imm == Imm::kMemArgLane) ++memory;
  RIVET_FOREACH_SIMD_OPCODE(RIVET_COUNT)
#undef RIVET_COUNT
  EXPECT_EQ(memory, 22);
  EXPECT_EQ(kNumCheckedOpcodes, all - memory - 1);
  EXPECT_EQ(kNumCheckedOpcodes, 213);
}

// ---------------------------------------------------------------------------
// Vectors from lanes.

V128 I8(LaneArray<int8_t> l) { return FromLanes<int8_t>(l); }
V128 U8(LaneArray<uint8_t> l) { return FromLanes<uint8_t>(l); }
V128 I16(LaneArray<int16_t> l) { return FromLanes<int16_t>(l); }
V128 U16(LaneArray<uint16_t> l) { return FromLanes<uint16_t>(l); }
V128 I32(LaneArray<int32_t> l) { return FromLanes<int32_t>(l); }
V128 U32(LaneArray<uint32_t> l) { return FromLanes<uint32_t>(l); }
V128 I64(LaneArray<int64_t> l) { return FromLanes<int64_t>(l); }
V128 U64(LaneArray<uint64_t> l) { return FromLanes<uint64_t>(l); }
V128 F32(LaneArray<float> l) { return FromLanes<float>(l); }
V128 F64(LaneArray<double> l) { return FromLanes<double>(l); }

constexpr int8_t kMinI8 = -128;
constexpr int16_t kMinI16 = -32768;
constexpr int32_t kMinI32 = std::numeric_limits<int32_t>::min();
constexpr int32_t kMaxI32 = std::numeric_limits<int32_t>::max();
constexpr int64_t kMinI64 = std::numeric_limits<int64_t>::min();
constexpr int64_t kMaxI64 = std::numeric_limits<int64_t>::max();
constexpr float kInfF = std::numeric_limits<float>::infinity();
constexpr double kInfD = std::numeric_limits<double>::infinity();
constexpr uint32_t kCanonF = 0x7fc00000u;
constexpr uint32_t kSNaNF = 0x7fa00001u;
constexpr uint64_t kCanonD = 0x7ff8000000000000u;
constexpr uint64_t kSNaND = 0x7ff4000000000001u;
constexpr uint32_t kOnes32 = 0xffffffffu;
constexpr uint64_t kOnes64 = ~uint64_t{0};

const V128 kZero = {};

// 0, 1, ..., 15.
V128 Iota() {
  V128 v;
  for (int i = 0; i < 16; ++i) v.bytes[i] = static_cast<uint8_t>(i);
  return v;
}

// ---------------------------------------------------------------------------
// Representation and lane helpers.

TEST(SimdTest, LayoutIsWasmMemoryOrder) {
  V128 v = U32({0x03020100u, 0x07060504u, 0x0b0a0908u, 0x0f0e0d0cu});
  EXPECT_EQ(v, Iota());
  EXPECT_EQ(U16({0x0100, 0x0302, 0x0504, 0x0706, 0x0908, 0x0b0a, 0x0d0c,
                 0x0f0e}),
            Iota());
  EXPECT_EQ(U64({0x0706050403020100u, 0x0f0e0d0c0b0a0908u}), Iota());
  EXPECT_EQ(ToLanes<uint16_t>(Iota())[7], 0x0f0e);
  EXPECT_EQ(GetLane<uint32_t>(Iota(), 1), 0x07060504u);
  EXPECT_EQ(GetLane<float>(F32({1.0f, 2.0f, 3.0f, 4.0f}), 2), 3.0f);
  V128 w = kZero;
  SetLane<uint16_t>(w, 3, 0xbeef);
  EXPECT_EQ(w.bytes[6], 0xef);
  EXPECT_EQ(w.bytes[7], 0xbe);
  SetLane<double>(w, 1, -1.0);
  EXPECT_EQ(GetLane<uint64_t>(w, 1), 0xbff0000000000000u);
  EXPECT_FALSE(w == kZero);
  EXPECT_EQ(alignof(V128), 8u);
}

// ---------------------------------------------------------------------------
// Memory helpers.

TEST(SimdTest, LoadExtend) {
  uint64_t bits = 0x8001ff7f80017f00u;  // bytes 00 7f 01 80 7f ff 01 80
  EXPECT_EQ(V128Load8x8S(bits), I16({0, 127, 1, -128, 127, -1, 1, -128}));
  EXPECT_EQ(V128Load8x8U(bits), U16({0, 127, 1, 128, 127, 255, 1, 128}));
  EXPECT_EQ(V128Load16x4S(bits), I32({0x7f00, -32767, -129, -32767}));
  EXPECT_EQ(V128Load16x4U(bits), U32({0x7f00, 0x8001, 0xff7f, 0x8001}));
  EXPECT_EQ(V128Load32x2S(bits), I64({-2147385600, -2147352705}));
  EXPECT_EQ(V128Load32x2U(bits), U64({0x80017f00u, 0x8001ff7fu}));
}

TEST(SimdTest, LoadSplatAndZero) {
  EXPECT_EQ(V128Load8Splat(0xab), I8x16Splat(0xab));
  EXPECT_EQ(V128Load16Splat(0xabcd), U16({0xabcd, 0xabcd, 0xabcd, 0xabcd,
                                          0xabcd, 0xabcd, 0xabcd, 0xabcd}));
  EXPECT_EQ(V128Load32Splat(0xdeadbeefu),
            U32({0xdeadbeefu, 0xdeadbeefu, 0xdeadbeefu, 0xdeadbeefu}));
  EXPECT_EQ(V128Load64Splat(0x0123456789abcdefu),
            U64({0x0123456789abcdefu, 0x0123456789abcdefu}));
  EXPECT_EQ(V128Load32Zero(0xdeadbeefu), U32({0xdeadbeefu, 0, 0, 0}));
  EXPECT_EQ(V128Load64Zero(kOnes64), U64({kOnes64, 0}));
}

TEST(SimdTest, LaneBytes) {
  const uint8_t src[8] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7};
  V128 v = ReplaceLaneBytes(Iota(), src, 1, 15);
  EXPECT_EQ(v.bytes[15], 0xa0);
  EXPECT_EQ(v.bytes[14], 14);
  v = ReplaceLaneBytes(Iota(), src, 2, 3);
  EXPECT_EQ(GetLane<uint16_t>(v, 3), 0xa1a0);
  v = ReplaceLaneBytes(Iota(), src, 4, 2);
  EXPECT_EQ(GetLane<uint32_t>(v, 2), 0xa3a2a1a0u);
  EXPECT_EQ(GetLane<uint32_t>(v, 1), 0x07060504u);
  v = ReplaceLaneBytes(Iota(), src, 8, 1);
  EXPECT_EQ(GetLane<uint64_t>(v, 1), 0xa7a6a5a4a3a2a1a0u);
  EXPECT_EQ(GetLane<uint64_t>(v, 0), 0x0706050403020100u);

  uint8_t dst[8] = {};
  ExtractLaneBytes(Iota(), dst, 1, 9);
  EXPECT_EQ(dst[0], 9);
  ExtractLaneBytes(Iota(), dst, 2, 7);
  EXPECT_EQ(dst[0], 14);
  EXPECT_EQ(dst[1], 15);
  ExtractLaneBytes(Iota(), dst, 4, 1);
  EXPECT_EQ(dst[0], 4);
  EXPECT_EQ(dst[3], 7);
  ExtractLaneBytes(Iota(), dst, 8, 1);
  EXPECT_EQ(dst[0], 8);
  EXPECT_EQ(dst[7], 15);
}

// ---------------------------------------------------------------------------
// Shuffles, splats, lanes.

TEST(SimdTest, ShuffleSwizzle) {
  V128 a = Iota();
  V128 b = I8x16Add(Iota(), I8x16Splat(16));  // 16 ... 31
  const uint8_t rev[16] = {31, 30, 29, 28, 27, 26, 25, 24,
                           7,  6,  5,  4,  3,  2,  1,  0};
  EXPECT_EQ(I8x16Shuffle(a, b, rev),
            U8({31, 30, 29, 28, 27, 26, 25, 24, 7, 6, 5, 4, 3, 2, 1, 0}));
  const uint8_t same[16] = {16, 16, 0, 0, 17, 1, 18, 2,
                            31, 15, 19, 3, 20, 4, 21, 5};
  EXPECT_EQ(I8x16Shuffle(a, b, same),
            U8({16, 16, 0, 0, 17, 1, 18, 2, 31, 15, 19, 3, 20, 4, 21, 5}));

  V128 s = U8({15, 0, 16, 255, 1, 17, 128, 2, 3, 14, 32, 5, 6, 7, 8, 9});
  EXPECT_EQ(I8x16Swizzle(b, s),
            U8({31, 16, 0, 0, 17, 0, 0, 18, 19, 30, 0, 21, 22, 23, 24, 25}));
}

TEST(SimdTest, Splat) {
  EXPECT_EQ(I8x16Splat(0x1ff), U8({255, 255, 255, 255, 255, 255, 255, 255,
                                   255, 255, 255, 255, 255, 255, 255, 255}));
  EXPECT_EQ(I16x8Splat(0x12345678u),
            U16({0x5678, 0x5678, 0x5678, 0x5678, 0x5678, 0x5678, 0x5678,
                 0x5678}));
  EXPECT_EQ(I32x4Splat(7), U32({7, 7, 7, 7}));
  EXPECT_EQ(I64x2Splat(kOnes64), U64({kOnes64, kOnes64}));
  EXPECT_EQ(F32x4Splat(kSNaNF), U32({kSNaNF, kSNaNF, kSNaNF, kSNaNF}));
  EXPECT_EQ(F32x4Splat(ToBits(1.5f)), F32({1.5f, 1.5f, 1.5f, 1.5f}));
  EXPECT_EQ(F64x2Splat(kSNaND), U64({kSNaND, kSNaND}));
}

TEST(SimdTest, ExtractReplaceLane) {
  V128 v = I8({0, -1, 2, -128, 127, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, -2});
  EXPECT_EQ(I8x16ExtractLaneS(v, 1), 0xffffffffu);
  EXPECT_EQ(I8x16ExtractLaneU(v, 1), 0xffu);
  EXPECT_EQ(I8x16ExtractLaneS(v, 3), 0xffffff80u);
  EXPECT_EQ(I8x16ExtractLaneU(v, 3), 0x80u);
  EXPECT_EQ(I8x16ExtractLaneS(v, 4), 127u);
  EXPECT_EQ(I8x16ExtractLaneS(v, 15), 0xfffffffeu);
  EXPECT_EQ(I8x16ReplaceLane(v, 0x1234, 15).bytes[15], 0x34);
  EXPECT_EQ(I8x16ReplaceLane(v, 0x1234, 15).bytes[14], 14);

  V128 h = I16({0, -1, kMinI16, 32767, 4, 5, 6, -7});
  EXPECT_EQ(I16x8ExtractLaneS(h, 1), 0xffffffffu);
  EXPECT_EQ(I16x8ExtractLaneU(h, 1), 0xffffu);
  EXPECT_EQ(I16x8ExtractLaneS(h, 2), 0xffff8000u);
  EXPECT_EQ(I16x8ExtractLaneU(h, 2), 0x8000u);
  EXPECT_EQ(I16x8ExtractLaneS(h, 3), 32767u);
  EXPECT_EQ(I16x8ReplaceLane(h, 0xabcd1234u, 7),
            I16({0, -1, kMinI16, 32767, 4, 5, 6, 0x1234}));

  V128 w = U32({1, 2, 3, kOnes32});
  EXPECT_EQ(I32x4ExtractLane(w, 3), kOnes32);
  EXPECT_EQ(I32x4ReplaceLane(w, 9, 0), U32({9, 2, 3, kOnes32}));
  V128 d = U64({1, kOnes64});
  EXPECT_EQ(I64x2ExtractLane(d, 1), kOnes64);
  EXPECT_EQ(I64x2ReplaceLane(d, 5, 1), U64({1, 5}));

  V128 f = U32({ToBits(1.0f), kSNaNF, ToBits(-0.0f), 0});
  EXPECT_EQ(F32x4ExtractLane(f, 1), kSNaNF);
  EXPECT_EQ(F32x4ExtractLane(f, 2), 0x80000000u);
  EXPECT_EQ(F32x4ReplaceLane(f, kCanonF, 3),
            U32({ToBits(1.0f), kSNaNF, 0x80000000u, kCanonF}));
  V128 g = U64({kSNaND, ToBits(2.5)});
  EXPECT_EQ(F64x2ExtractLane(g, 0), kSNaND);
  EXPECT_EQ(F64x2ExtractLane(g, 1), ToBits(2.5));
  EXPECT_EQ(F64x2ReplaceLane(g, kSNaND, 1), U64({kSNaND, kSNaND}));
}

// ---------------------------------------------------------------------------
// Comparisons.

TEST(SimdTest, I8x16Compare) {
  V128 a = I8({0, 1, -1, kMinI8, 127, 5, 5, -5, 0, 0, 0, 0, 0, 0, 0, 0});
  V128 b = I8({0, -1, 1, 127, kMinI8, 5, 6, -6, 0, 0, 0, 0, 0, 0, 0, 1});
  // 0 = false, -1 = true, lane by lane.
  EXPECT_EQ(I8x16Eq(a, b),
            I8({-1, 0, 0, 0, 0, -1, 0, 0, -1, -1, -1, -1, -1, -1, -1, 0}));
  EXPECT_EQ(I8x16Ne(a, b),
            I8({0, -1, -1, -1, -1, 0, -1, -1, 0, 0, 0, 0, 0, 0, 0, -1}));
  EXPECT_EQ(I8x16LtS(a, b),
            I8({0, 0, -1, -1, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, -1}));
  EXPECT_EQ(I8x16LtU(a, b),
            I8({0, -1, 0, 0, -1, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, -1}));
  EXPECT_EQ(I8x16GtS(a, b),
            I8({0, -1, 0, 0, -1, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(I8x16GtU(a, b),
            I8({0, 0, -1, -1, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(I8x16LeS(a, b),
            I8({-1, 0, -1, -1, 0, -1, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1}));
  EXPECT_EQ(I8x16LeU(a, b),
            I8({-1, -1, 0, 0, -1, -1, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1}));
  EXPECT_EQ(I8x16GeS(a, b),
            I8({-1, -1, 0, 0, -1, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1, 0}));
  EXPECT_EQ(I8x16GeU(a, b),
            I8({-1, 0, -1, -1, 0, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1, 0}));
}

TEST(SimdTest, I16x8Compare) {
  V128 a = I16({0, 1, -1, kMinI16, 32767, 5, 5, -5});
  V128 b = I16({0, -1, 1, 32767, kMinI16, 5, 6, -6});
  EXPECT_EQ(I16x8Eq(a, b), I16({-1, 0, 0, 0, 0, -1, 0, 0}));
  EXPECT_EQ(I16x8Ne(a, b), I16({0, -1, -1, -1, -1, 0, -1, -1}));
  EXPECT_EQ(I16x8LtS(a, b), I16({0, 0, -1, -1, 0, 0, -1, 0}));
  EXPECT_EQ(I16x8LtU(a, b), I16({0, -1, 0, 0, -1, 0, -1, 0}));
  EXPECT_EQ(I16x8GtS(a, b), I16({0, -1, 0, 0, -1, 0, 0, -1}));
  EXPECT_EQ(I16x8GtU(a, b), I16({0, 0, -1, -1, 0, 0, 0, -1}));
  EXPECT_EQ(I16x8LeS(a, b), I16({-1, 0, -1, -1, 0, -1, -1, 0}));
  EXPECT_EQ(I16x8LeU(a, b), I16({-1, -1, 0, 0, -1, -1, -1, 0}));
  EXPECT_EQ(I16x8GeS(a, b), I16({-1, -1, 0, 0, -1, -1, 0, -1}));
  EXPECT_EQ(I16x8GeU(a, b), I16({-1, 0, -1, -1, 0, -1, 0, -1}));
}

TEST(SimdTest, I32x4Compare) {
  V128 a = I32({0, -1, kMinI32, 5});
  V128 b = I32({0, 1, kMaxI32, 6});
  EXPECT_EQ(I32x4Eq(a, b), I32({-1, 0, 0, 0}));
  EXPECT_EQ(I32x4Ne(a, b), I32({0, -1, -1, -1}));
  EXPECT_EQ(I32x4LtS(a, b), I32({0, -1, -1, -1}));
  EXPECT_EQ(I32x4LtU(a, b), I32({0, 0, 0, -1}));
  EXPECT_EQ(I32x4GtS(a, b), I32({0, 0, 0, 0}));
  EXPECT_EQ(I32x4GtU(a, b), I32({0, -1, -1, 0}));
  EXPECT_EQ(I32x4LeS(a, b), I32({-1, -1, -1, -1}));
  EXPECT_EQ(I32x4LeU(a, b), I32({-1, 0, 0, -1}));
  EXPECT_EQ(I32x4GeS(a, b), I32({-1, 0, 0, 0}));
  EXPECT_EQ(I32x4GeU(a, b), I32({-1, -1, -1, 0}));
}

TEST(SimdTest, I64x2Compare) {
  V128 a = I64({kMinI64, 5});
  V128 b = I64({kMaxI64, 5});
  EXPECT_EQ(I64x2Eq(a, b), I64({0, -1}));
  EXPECT_EQ(I64x2Ne(a, b), I64({-1, 0}));
  EXPECT_EQ(I64x2LtS(a, b), I64({-1, 0}));
  EXPECT_EQ(I64x2GtS(a, b), I64({0, 0}));
  EXPECT_EQ(I64x2LeS(a, b), I64({-1, -1}));
  EXPECT_EQ(I64x2GeS(a, b), I64({0, -1}));
  EXPECT_EQ(I64x2GtS(I64({-1, 1}), I64({-2, -1})), I64({-1, -1}));
}

TEST(SimdTest, FloatCompare) {
  const float nan = FromBits<float>(kCanonF);
  V128 a = F32({1.0f, nan, -0.0f, -kInfF});
  V128 b = F32({2.0f, nan, 0.0f, 1.0f});
  EXPECT_EQ(F32x4Eq(a, b), I32({0, 0, -1, 0}));
  EXPECT_EQ(F32x4Ne(a, b), I32({-1, -1, 0, -1}));
  EXPECT_EQ(F32x4Lt(a, b), I32({-1, 0, 0, -1}));
  EXPECT_EQ(F32x4Gt(a, b), I32({0, 0, 0, 0}));
  EXPECT_EQ(F32x4Le(a, b), I32({-1, 0, -1, -1}));
  EXPECT_EQ(F32x4Ge(a, b), I32({0, 0, -1, 0}));
  EXPECT_EQ(F32x4Ge(F32({nan, 1, 2, 3}), F32({1, nan, 1, 4})),
            I32({0, 0, -1, 0}));

  const double dnan = FromBits<double>(kSNaND);
  EXPECT_EQ(F64x2Eq(F64({dnan, 0.0}), F64({dnan, -0.0})), I64({0, -1}));
  EXPECT_EQ(F64x2Ne(F64({dnan, 0.0}), F64({dnan, -0.0})), I64({-1, 0}));
  EXPECT_EQ(F64x2Lt(F64({1.0, dnan}), F64({2.0, 3.0})), I64({-1, 0}));
  EXPECT_EQ(F64x2Gt(F64({3.0, 1.0}), F64({2.0, dnan})), I64({-1, 0}));
  EXPECT_EQ(F64x2Le(F64({2.0, 3.0}), F64({2.0, 2.0})), I64({-1, 0}));
  EXPECT_EQ(F64x2Ge(F64({2.0, -kInfD}), F64({2.0, kInfD})), I64({-1, 0}));
}

// ---------------------------------------------------------------------------
// Bitwise.

TEST(SimdTest, Bitwise) {
  V128 a = U64({0xff00ff00ff00ff00u, 0x0123456789abcdefu});
  V128 b = U64({0x0ff00ff00ff00ff0u, 0xffffffff00000000u});
  EXPECT_EQ(V128Not(a), U64({0x00ff00ff00ff00ffu, 0xfedcba9876543210u}));
  EXPECT_EQ(V128And(a, b), U64({0x0f000f000f000f00u, 0x0123456700000000u}));
  EXPECT_EQ(V128AndNot(a, b), U64({0xf000f000f000f000u, 0x0000000089abcdefu}));
  EXPECT_EQ(V128Or(a, b), U64({0xfff0fff0fff0fff0u, 0xffffffff89abcdefu}));
  EXPECT_EQ(V128Xor(a, b), U64({0xf0f0f0f0f0f0f0f0u, 0xfedcba9889abcdefu}));
  V128 c = U64({0xffffffff00000000u, 0x00000000ffffffffu});
  EXPECT_EQ(V128Bitselect(a, b, c),
            U64({0xff00ff000ff00ff0u, 0xffffffff89abcdefu}));
  EXPECT_EQ(V128AnyTrue(kZero), 0u);
  EXPECT_EQ(V128AnyTrue(U64({0, 1ull << 63})), 1u);
  EXPECT_EQ(V128AnyTrue(U8({0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0})),
            1u);
}

// ---------------------------------------------------------------------------
// i8x16.

TEST(SimdTest, I8x16Unary) {
  V128 a = I8({0, 1, -1, kMinI8, 127, -127, 5, -5, 0, 0, 0, 0, 0, 0, 0, 3});
  EXPECT_EQ(I8x16Abs(a),
            I8({0, 1, 1, kMinI8, 127, 127, 5, 5, 0, 0, 0, 0, 0, 0, 0, 3}));
  EXPECT_EQ(I8x16Neg(a),
            I8({0, -1, 1, kMinI8, -127, 127, -5, 5, 0, 0, 0, 0, 0, 0, 0, -3}));
  EXPECT_EQ(I8x16Popcnt(U8({0, 1, 255, 128, 0x55, 0x0f, 3, 7, 0, 0, 0, 0, 0,
                            0, 0, 0xfe})),
            U8({0, 1, 8, 1, 4, 4, 2, 3, 0, 0, 0, 0, 0, 0, 0, 7}));
}

TEST(SimdTest, AllTrueBitmask) {
  V128 all = I8x16Splat(1);
  EXPECT_EQ(I8x16AllTrue(all), 1u);
  EXPECT_EQ(I8x16AllTrue(I8x16ReplaceLane(all, 0, 15)), 0u);
  EXPECT_EQ(I16x8AllTrue(all), 1u);
  EXPECT_EQ(I16x8AllTrue(I16x8ReplaceLane(all, 0, 3)), 0u);
  EXPECT_EQ(I16x8AllTrue(I8x16ReplaceLane(all, 0, 7)), 1u);  // 0x0001 != 0
  EXPECT_EQ(I32x4AllTrue(U32({1, 1u << 31, 0x100, 2})), 1u);
  EXPECT_EQ(I32x4AllTrue(U32({1, 1, 0, 2})), 0u);
  EXPECT_EQ(I64x2AllTrue(U64({1, 1ull << 63})), 1u);
  EXPECT_EQ(I64x2AllTrue(U64({0, 1})), 0u);
  EXPECT_EQ(I8x16AllTrue(kZero), 0u);

  EXPECT_EQ(I8x16Bitmask(I8({-1, 0, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                             0, -2})),
            0x8005u);
  EXPECT_EQ(I8x16Bitmask(I8x16Splat(0x80)), 0xffffu);
  EXPECT_EQ(I16x8Bitmask(I16({-1, 1, kMinI16, 0, 0, 0, 0, -7})), 0x85u);
  EXPECT_EQ(I32x4Bitmask(I32({-1, 1, kMinI32, kMaxI32})), 0x5u);
  EXPECT_EQ(I64x2Bitmask(I64({1, -1})), 0x2u);
  EXPECT_EQ(I64x2Bitmask(kZero), 0u);
}

TEST(SimdTest, Narrow) {
  V128 a = I16({0, 127, 128, -128, -129, 32767, kMinI16, 255});
  V128 b = I16({1, -1, 256, 300, 2, 3, 4, 5});
  EXPECT_EQ(I8x16NarrowI16x8S(a, b), I8({0, 127, 127, -128, -128, 127, -128,
                                         127, 1, -1, 127, 127, 2, 3, 4, 5}));
  EXPECT_EQ(I8x16NarrowI16x8U(a, b), U8({0, 127, 128, 0, 0, 255, 0, 255, 1,
                                         0, 255, 255, 2, 3, 4, 5}));
  V128 c = I32({32767, 32768, -32769, kMinI32});
  V128 d = I32({65535, 65536, -1, kMaxI32});
  EXPECT_EQ(I16x8NarrowI32x4S(c, d),
            I16({32767, 32767, kMinI16, kMinI16, 32767, 32767, -1, 32767}));
  EXPECT_EQ(I16x8NarrowI32x4U(c, d),
            U16({32767, 32768, 0, 0, 65535, 65535, 0, 65535}));
}

TEST(SimdTest, Shifts) {
  V128 a = I8({1, -128, -1, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3});
  EXPECT_EQ(I8x16Shl(a, 1),
            I8({2, 0, -2, -128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6}));
  EXPECT_EQ(I8x16Shl(a, 9), I8x16Shl(a, 1));  // count mod 8
  EXPECT_EQ(I8x16ShrS(a, 1),
            I8({0, -64, -1, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(I8x16ShrU(a, 1),
            I8({0, 64, 127, 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(I8x16ShrS(a, 7),
            I8({0, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(I8x16ShrU(a, 8), a);

  V128 h = I16({1, kMinI16, -1, 0x4000, 0, 0, 0, 3});
  EXPECT_EQ(I16x8Shl(h, 17), I16({2, 0, -2, kMinI16, 0, 0, 0, 6}));
  EXPECT_EQ(I16x8ShrS(h, 15), I16({0, -1, -1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(I16x8ShrU(h, 15), I16({0, 1, 1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(I16x8ShrU(h, 16), h);

  V128 w = I32({1, kMinI32, -1, 0x40000000});
  EXPECT_EQ(I32x4Shl(w, 33), I32({2, 0, -2, kMinI32}));
  EXPECT_EQ(I32x4ShrS(w, 31), I32({0, -1, -1, 0}));
  EXPECT_EQ(I32x4ShrU(w, 31), I32({0, 1, 1, 0}));
  EXPECT_EQ(I32x4ShrS(w, 0xffffffe4u), I32x4ShrS(w, 4));  // -28 mod 32 = 4

  V128 d = I64({kMinI64, -1});
  EXPECT_EQ(I64x2Shl(d, 65), I64({0, -2}));
  EXPECT_EQ(I64x2ShrS(d, 63), I64({-1, -1}));
  EXPECT_EQ(I64x2ShrU(d, 63), I64({1, 1}));
  EXPECT_EQ(I64x2ShrU(d, 64), d);
  EXPECT_EQ(I64x2ShrS(I64({kMinI64, 16}), 2), I64({kMinI64 / 4, 4}));
}

TEST(SimdTest, I8x16Arithmetic) {
  V128 a = I8({1, 127, -128, -1, 100, -100, 50, 0, 0, 0, 0, 0, 0, 0, 0, -2});
  V128 b = I8({1, 1, -1, -1, 100, -100, -60, 0, 0, 0, 0, 0, 0, 0, 0, 3});
  EXPECT_EQ(I8x16Add(a, b),
            I8({2, -128, 127, -2, -56, 56, -10, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(I8x16AddSatS(a, b), I8({2, 127, -128, -2, 127, -128, -10, 0, 0, 0,
                                    0, 0, 0, 0, 0, 1}));
  // Unsigned view: 1+1, 127+1, 128+255, 255+255, 100+100, 156+156, 50+196.
  EXPECT_EQ(I8x16AddSatU(a, b), U8({2, 128, 255, 255, 200, 255, 246, 0, 0, 0,
                                    0, 0, 0, 0, 0, 255}));
  EXPECT_EQ(I8x16Sub(a, b),
            I8({0, 126, -127, 0, 0, 0, 110, 0, 0, 0, 0, 0, 0, 0, 0, -5}));
  EXPECT_EQ(I8x16SubSatS(a, b), I8({0, 126, -127, 0, 0, 0, 110, 0, 0, 0, 0, 0,
                                    0, 0, 0, -5}));
  EXPECT_EQ(I8x16SubSatS(I8({-128, 127, -100, 100, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                             0, 0, 0}),
                         I8({1, -1, 100, -100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                             0, kMinI8})),
            I8({-128, 127, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 127}));
  // Unsigned: 1-1, 127-1, 128-255, 255-255, 100-100, 156-156, 50-196.
  EXPECT_EQ(I8x16SubSatU(a, b), U8({0, 126, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                    0, 0, 251}));
  EXPECT_EQ(I8x16MinS(a, b), I8({1, 1, -128, -1, 100, -100, -60, 0, 0, 0, 0,
                                 0, 0, 0, 0, -2}));
  EXPECT_EQ(I8x16MinU(a, b), I8({1, 1, -128, -1, 100, -100, 50, 0, 0, 0, 0,
                                 0, 0, 0, 0, 3}));
  EXPECT_EQ(I8x16MaxS(a, b), I8({1, 127, -1, -1, 100, -100, 50, 0, 0, 0, 0,
                                 0, 0, 0, 0, 3}));
  EXPECT_EQ(I8x16MaxU(a, b), I8({1, 127, -1, -1, 100, -100, -60, 0, 0, 0, 0,
                                 0, 0, 0, 0, -2}));
  EXPECT_EQ(I8x16AvgrU(U8({0, 1, 255, 255, 2, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0,
                           200}),
                       U8({0, 2, 255, 0, 3, 1, 20, 0, 0, 0, 0, 0, 0, 0, 0,
                           100})),
            U8({0, 2, 255, 128, 3, 1, 15, 0, 0, 0, 0, 0, 0, 0, 0, 150}));
}

// ---------------------------------------------------------------------------
// i16x8.

TEST(SimdTest, ExtaddPairwise) {
  V128 a = I8({-128, -128, 127, 127, -1, 1, 0, 5, 0, 0, 0, 0, 0, 0, -1, -1});
  EXPECT_EQ(I16x8ExtaddPairwiseI8x16S(a), I16({-256, 254, 0, 5, 0, 0, 0, -2}));
  EXPECT_EQ(I16x8ExtaddPairwiseI8x16U(a), I16({256, 254, 256, 5, 0, 0, 0,
                                               510}));
  V128 h = I16({kMinI16, kMinI16, 32767, 32767, -1, 1, -1, -1});
  EXPECT_EQ(I32x4ExtaddPairwiseI16x8S(h), I32({-65536, 65534, 0, -2}));
  EXPECT_EQ(I32x4ExtaddPairwiseI16x8U(h), I32({65536, 65534, 65536, 131070}));
}

TEST(SimdTest, I16x8Unary) {
  V128 a = I16({0, 1, -1, kMinI16, 32767, -32767, 5, -5});
  EXPECT_EQ(I16x8Abs(a), I16({0, 1, 1, kMinI16, 32767, 32767, 5, 5}));
  EXPECT_EQ(I16x8Neg(a), I16({0, -1, 1, kMinI16, -32767, 32767, -5, 5}));
}

TEST(SimdTest, Q15mulrSatS) {
  V128 a = I16({kMinI16, kMinI16, 16384, 32767, -1, 1, 3, -16385});
  V128 b = I16({kMinI16, 32767, 16384, 32767, 1, 16384, 5461, 1});
  // (a*b + 0x4000) >> 15 (rounding half up), saturated: only
  // -32768 * -32768 overflows.
  EXPECT_EQ(I16x8Q15mulrSatS(a, b),
            I16({32767, -32767, 8192, 32766, 0, 1, 0, -1}));
}

TEST(SimdTest, Extend) {
  V128 a = I8({-1, 2, -128, 127, 4, 5, 6, 7, 8, 9, -10, 11, 12, 13, 14, -15});
  EXPECT_EQ(I16x8ExtendLowI8x16S(a), I16({-1, 2, -128, 127, 4, 5, 6, 7}));
  EXPECT_EQ(I16x8ExtendHighI8x16S(a), I16({8, 9, -10, 11, 12, 13, 14, -15}));
  EXPECT_EQ(I16x8ExtendLowI8x16U(a), I16({255, 2, 128, 127, 4, 5, 6, 7}));
  EXPECT_EQ(I16x8ExtendHighI8x16U(a), I16({8, 9, 246, 11, 12, 13, 14, 241}));

  V128 h = I16({-1, 2, kMinI16, 32767, 4, -5, 6, 7});
  EXPECT_EQ(I32x4ExtendLowI16x8S(h), I32({-1, 2, -32768, 32767}));
  EXPECT_EQ(I32x4ExtendHighI16x8S(h), I32({4, -5, 6, 7}));
  EXPECT_EQ(I32x4ExtendLowI16x8U(h), I32({65535, 2, 32768, 32767}));
  EXPECT_EQ(I32x4ExtendHighI16x8U(h), I32({4, 65531, 6, 7}));

  V128 w = I32({-1, kMinI32, kMaxI32, -3});
  EXPECT_EQ(I64x2ExtendLowI32x4S(w), I64({-1, kMinI32}));
  EXPECT_EQ(I64x2ExtendHighI32x4S(w), I64({kMaxI32, -3}));
  EXPECT_EQ(I64x2ExtendLowI32x4U(w), I64({0xffffffff, 0x80000000}));
  EXPECT_EQ(I64x2ExtendHighI32x4U(w), I64({0x7fffffff, 0xfffffffd}));
}

TEST(SimdTest, I16x8Arithmetic) {
  V128 a = I16({1, 32767, kMinI16, -1, 30000, -30000, 300, -2});
  V128 b = I16({1, 1, -1, -1, 30000, -30000, -400, 3});
  EXPECT_EQ(I16x8Add(a, b), I16({2, kMinI16, 32767, -2, -5536, 5536, -100, 1}));
  EXPECT_EQ(I16x8AddSatS(a, b),
            I16({2, 32767, kMinI16, -2, 32767, kMinI16, -100, 1}));
  // Unsigned view: 32767+1, 32768+65535, 65535+65535, 30000+30000,
  // 35536+35536, 300+65136, 65534+3.
  EXPECT_EQ(I16x8AddSatU(a, b),
            U16({2, 32768, 65535, 65535, 60000, 65535, 65436, 65535}));
  EXPECT_EQ(I16x8Sub(a, b), I16({0, 32766, -32767, 0, 0, 0, 700, -5}));
  EXPECT_EQ(I16x8SubSatS(I16({kMinI16, 32767, -30000, 30000, 0, 0, 5, 0}),
                         I16({1, -1, 30000, -30000, kMinI16, 32767, 5, 0})),
            I16({kMinI16, 32767, kMinI16, 32767, 32767, -32767, 0, 0}));
  EXPECT_EQ(I16x8SubSatU(a, b),
            U16({0, 32766, 0, 0, 0, 0, 0, 65531}));
  EXPECT_EQ(I16x8Mul(a, b),
            I16({1, 32767, kMinI16, 1, static_cast<int16_t>(30000 * 30000),
                 static_cast<int16_t>(30000 * 30000), static_cast<int16_t>(-120000),
                 -6}));
  EXPECT_EQ(I16x8Mul(U16({0xffff, 0xffff, 0x8000, 0, 0, 0, 0, 0}),
                     U16({0xffff, 2, 0x8000, 0, 0, 0, 0, 0})),
            U16({1, 0xfffe, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(I16x8MinS(a, b), I16({1, 1, kMinI16, -1, 30000, -30000, -400, -2}));
  EXPECT_EQ(I16x8MinU(a, b), I16({1, 1, kMinI16, -1, 30000, -30000, 300, 3}));
  EXPECT_EQ(I16x8MaxS(a, b), I16({1, 32767, -1, -1, 30000, -30000, 300, 3}));
  EXPECT_EQ(I16x8MaxU(a, b), I16({1, 32767, -1, -1, 30000, -30000, -400, -2}));
  EXPECT_EQ(I16x8AvgrU(U16({0, 1, 65535, 65535, 2, 0, 10, 40000}),
                       U16({0, 2, 65535, 0, 3, 1, 20, 50000})),
            U16({0, 2, 65535, 32768, 3, 1, 15, 45000}));
}

TEST(SimdTest, ExtMul) {
  V128 a = I8({-128, 127, -1, 2, 0, 0, 0, 0, -128, 127, -1, 3, 0, 0, 0, 255 - 256});
  V128 b = I8({-128, 127, 1, -3, 0, 0, 0, 0, 127, -128, -1, 4, 0, 0, 0, -1});
  EXPECT_EQ(I16x8ExtmulLowI8x16S(a, b), I16({16384, 16129, -1, -6, 0, 0, 0, 0}));
  EXPECT_EQ(I16x8ExtmulHighI8x16S(a, b),
            I16({-16256, -16256, 1, 12, 0, 0, 0, 1}));
  EXPECT_EQ(I16x8ExtmulLowI8x16U(a, b),
            U16({16384, 16129, 255, 506, 0, 0, 0, 0}));
  EXPECT_EQ(I16x8ExtmulHighI8x16U(a, b),
            U16({16256, 16256, 65025, 12, 0, 0, 0, 65025}));

  V128 h = I16({kMinI16, 32767, -1, 2, kMinI16, -1, 3, 0});
  V128 k = I16({kMinI16, 32767, -1, -3, 32767, -1, -4, 0});
  EXPECT_EQ(I32x4ExtmulLowI16x8S(h, k), I32({1073741824, 1073676289, 1, -6}));
  EXPECT_EQ(I32x4ExtmulHighI16x8S(h, k), I32({-1073709056, 1, -12, 0}));
  EXPECT_EQ(I32x4ExtmulLowI16x8U(h, k),
            U32({1073741824u, 1073676289u, 4294836225u, 131066u}));
  EXPECT_EQ(I32x4ExtmulHighI16x8U(h, k),
            U32({1073709056u, 4294836225u, 196596u, 0}));

  V128 w = I32({kMinI32, -1, kMaxI32, 7});
  V128 x = I32({kMinI32, -1, kMinI32, -7});
  EXPECT_EQ(I64x2ExtmulLowI32x4S(w, x), I64({int64_t{1} << 62, 1}));
  EXPECT_EQ(I64x2ExtmulHighI32x4S(w, x), I64({-4611686016279904256, -49}));
  EXPECT_EQ(I64x2ExtmulLowI32x4U(w, x),
            U64({uint64_t{1} << 62, 0xfffffffe00000001u}));
  EXPECT_EQ(I64x2ExtmulHighI32x4U(w, x),
            U64({0x3fffffff80000000u, 7 * uint64_t{0xfffffff9u}}));
}

// ---------------------------------------------------------------------------
// i32x4, i64x2.

TEST(SimdTest, I32x4Arithmetic) {
  V128 a = I32({1, kMaxI32, kMinI32, -1});
  V128 b = I32({2, 1, -1, 3});
  EXPECT_EQ(I32x4Abs(a), I32({1, kMaxI32, kMinI32, 1}));
  EXPECT_EQ(I32x4Neg(a), I32({-1, -kMaxI32, kMinI32, 1}));
  EXPECT_EQ(I32x4Add(a, b), I32({3, kMinI32, kMaxI32, 2}));
  EXPECT_EQ(I32x4Sub(a, b), I32({-1, kMaxI32 - 1, kMinI32 + 1, -4}));
  EXPECT_EQ(I32x4Mul(a, b), I32({2, kMaxI32, kMinI32, -3}));
  EXPECT_EQ(I32x4Mul(U32({0xffffffffu, 0x10000, 0, 0}),
                     U32({0xffffffffu, 0x10000, 0, 0})),
            U32({1, 0, 0, 0}));
  EXPECT_EQ(I32x4MinS(a, b), I32({1, 1, kMinI32, -1}));
  EXPECT_EQ(I32x4MinU(a, b), I32({1, 1, kMinI32, 3}));
  EXPECT_EQ(I32x4MaxS(a, b), I32({2, kMaxI32, -1, 3}));
  EXPECT_EQ(I32x4MaxU(a, b), I32({2, kMaxI32, -1, -1}));
}

TEST(SimdTest, Dot) {
  V128 a = I16({kMinI16, kMinI16, 1, 2, 32767, 32767, -1, 5});
  V128 b = I16({kMinI16, kMinI16, 3, 4, kMinI16, kMinI16, 7, 8});
  // 2^30 + 2^30 wraps to INT32_MIN.
  EXPECT_EQ(I32x4DotI16x8S(a, b),
            I32({kMinI32, 11, -2147418112, 33}));
}

TEST(SimdTest, I64x2Arithmetic) {
  V128 a = I64({kMinI64, -1});
  V128 b = I64({-1, 3});
  EXPECT_EQ(I64x2Abs(a), I64({kMinI64, 1}));
  EXPECT_EQ(I64x2Abs(I64({kMaxI64, -kMaxI64})), I64({kMaxI64, kMaxI64}));
  EXPECT_EQ(I64x2Neg(a), I64({kMinI64, 1}));
  EXPECT_EQ(I64x2Add(a, b), I64({kMaxI64, 2}));
  EXPECT_EQ(I64x2Sub(a, b), I64({kMinI64 + 1, -4}));
  EXPECT_EQ(I64x2Mul(a, b), I64({kMinI64, -3}));
  EXPECT_EQ(I64x2Mul(U64({0x100000001u, kOnes64}), U64({0x100000001u, kOnes64})),
            U64({0x200000001u, 1}));
}

// ---------------------------------------------------------------------------
// f32x4, f64x2.

bool IsArithmeticNaN32(uint32_t bits) {
  return (bits & 0x7fc00000u) == 0x7fc00000u;
}
bool IsArithmeticNaN64(uint64_t bits) {
  return (bits & 0x7ff8000000000000u) == 0x7ff8000000000000u;
}

TEST(SimdTest, FloatAbsNegKeepNaNPayloads) {
  V128 a = U32({kSNaNF, 0xffa00001u, ToBits(-1.5f), 0});
  EXPECT_EQ(F32x4Abs(a), U32({kSNaNF, kSNaNF, ToBits(1.5f), 0}));
  EXPECT_EQ(F32x4Neg(a),
            U32({0xffa00001u, kSNaNF, ToBits(1.5f), 0x80000000u}));
  V128 d = U64({kSNaND | (1ull << 63), ToBits(2.0)});
  EXPECT_EQ(F64x2Abs(d), U64({kSNaND, ToBits(2.0)}));
  EXPECT_EQ(F64x2Neg(d), U64({kSNaND, ToBits(-2.0)}));
}

TEST(SimdTest, F32x4Arithmetic) {
  V128 a = F32({1.5f, -2.0f, 3e38f, 0.1f});
  V128 b = F32({0.25f, 4.0f, 3e38f, 0.2f});
  EXPECT_EQ(F32x4Add(a, b), F32({1.75f, 2.0f, kInfF, 0.1f + 0.2f}));
  EXPECT_EQ(F32x4Sub(a, b), F32({1.25f, -6.0f, 0.0f, 0.1f - 0.2f}));
  EXPECT_EQ(F32x4Mul(a, b), F32({0.375f, -8.0f, kInfF, 0.1f * 0.2f}));
  EXPECT_EQ(F32x4Div(a, b), F32({6.0f, -0.5f, 1.0f, 0.5f}));
  EXPECT_EQ(F32x4Sqrt(F32({4.0f, 2.0f, -0.0f, kInfF})),
            F32({2.0f, 1.41421356f, -0.0f, kInfF}));
  // NaN results are arithmetic NaNs.
  auto r = ToLanes<uint32_t>(F32x4Div(F32({0.0f, kInfF, 1.0f, -1.0f}),
                                      F32({0.0f, kInfF, 0.0f, 0.0f})));
  EXPECT_TRUE(IsArithmeticNaN32(r[0]));
  EXPECT_TRUE(IsArithmeticNaN32(r[1]));
  EXPECT_EQ(r[2], ToBits(kInfF));
  EXPECT_EQ(r[3], ToBits(-kInfF));
  r = ToLanes<uint32_t>(F32x4Sqrt(U32({ToBits(-1.0f), kSNaNF, kCanonF, 0})));
  EXPECT_TRUE(IsArithmeticNaN32(r[0]));
  EXPECT_TRUE(IsArithmeticNaN32(r[1]));
  EXPECT_TRUE(IsArithmeticNaN32(r[2]));
  r = ToLanes<uint32_t>(F32x4Add(U32({kSNaNF, 0, 0, 0}), F32({1, 1, 1, 1})));
  EXPECT_TRUE(IsArithmeticNaN32(r[0]));
}

TEST(SimdTest, F64x2Arithmetic) {
  V128 a = F64({1.5, 0.1});
  V128 b = F64({0.25, 0.2});
  EXPECT_EQ(F64x2Add(a, b), F64({1.75, 0.1 + 0.2}));
  EXPECT_EQ(F64x2Sub(a, b), F64({1.25, 0.1 - 0.2}));
  EXPECT_EQ(F64x2Mul(a, b), F64({0.375, 0.1 * 0.2}));
  EXPECT_EQ(F64x2Div(a, b), F64({6.0, 0.5}));
  EXPECT_EQ(F64x2Sqrt(F64({2.0, -0.0})), F64({1.4142135623730951, -0.0}));
  auto r = ToLanes<uint64_t>(F64x2Mul(F64({0.0, 1e308}), F64({kInfD, 10.0})));
  EXPECT_TRUE(IsArithmeticNaN64(r[0]));
  EXPECT_EQ(r[1], ToBits(kInfD));
  r = ToLanes<uint64_t>(F64x2Sqrt(U64({ToBits(-2.0), kSNaND})));
  EXPECT_TRUE(IsArithmeticNaN64(r[0]));
  EXPECT_TRUE(IsArithmeticNaN64(r[1]));
}

TEST(SimdTest, FloatMinMax) {
  V128 a = U32({ToBits(1.0f), ToBits(-0.0f), kCanonF, ToBits(5.0f)});
  V128 b = U32({ToBits(2.0f), ToBits(0.0f), ToBits(1.0f), kSNaNF});
  EXPECT_EQ(F32x4Min(a, b),
            U32({ToBits(1.0f), 0x80000000u, kCanonF, 0x7fe00001u}));
  EXPECT_EQ(F32x4Max(a, b), U32({ToBits(2.0f), 0u, kCanonF, 0x7fe00001u}));
  EXPECT_EQ(F32x4Min(b, a),
            U32({ToBits(1.0f), 0x80000000u, kCanonF, 0x7fe00001u}));
  EXPECT_EQ(F32x4Max(b, a), U32({ToBits(2.0f), 0u, kCanonF, 0x7fe00001u}));
  // pmin = b < a ? b : a; pmax = a < b ? b : a: NaNs and zeros give a.
  EXPECT_EQ(F32x4Pmin(a, b),
            U32({ToBits(1.0f), 0x80000000u, kCanonF, ToBits(5.0f)}));
  EXPECT_EQ(F32x4Pmax(a, b), U32({ToBits(2.0f), 0x80000000u, kCanonF,
                                  ToBits(5.0f)}));
  EXPECT_EQ(F32x4Pmin(b, a), U32({ToBits(1.0f), 0u, ToBits(1.0f), kSNaNF}));
  EXPECT_EQ(F32x4Pmax(b, a), U32({ToBits(2.0f), 0u, ToBits(1.0f), kSNaNF}));

  V128 c = U64({ToBits(-0.0), kSNaND});
  V128 d = U64({ToBits(0.0), ToBits(1.0)});
  EXPECT_EQ(F64x2Min(c, d), U64({ToBits(-0.0), 0x7ffc000000000001u}));
  EXPECT_EQ(F64x2Max(c, d), U64({ToBits(0.0), 0x7ffc000000000001u}));
  EXPECT_EQ(F64x2Min(d, c), U64({ToBits(-0.0), 0x7ffc000000000001u}));
  EXPECT_EQ(F64x2Max(F64({1.0, -kInfD}), F64({2.0, -1.0})), F64({2.0, -1.0}));
  EXPECT_EQ(F64x2Pmin(c, d), c);
  EXPECT_EQ(F64x2Pmax(c, d), c);
  EXPECT_EQ(F64x2Pmin(d, c), d);
  EXPECT_EQ(F64x2Pmin(F64({3.0, -1.0}), F64({2.0, 1.0})), F64({2.0, -1.0}));
  EXPECT_EQ(F64x2Pmax(F64({3.0, -1.0}), F64({2.0, 1.0})), F64({3.0, 1.0}));
}

TEST(SimdTest, FloatRounding) {
  V128 a = F32({0.5f, 1.5f, -0.5f, -2.5f});
  EXPECT_EQ(F32x4Nearest(a), F32({0.0f, 2.0f, -0.0f, -2.0f}));
  EXPECT_EQ(F32x4Ceil(a), F32({1.0f, 2.0f, -0.0f, -2.0f}));
  EXPECT_EQ(F32x4Floor(a), F32({0.0f, 1.0f, -1.0f, -3.0f}));
  EXPECT_EQ(F32x4Trunc(a), F32({0.0f, 1.0f, -0.0f, -2.0f}));
  V128 n = U32({kSNaNF, kCanonF, ToBits(8388607.5f), ToBits(1e30f)});
  EXPECT_EQ(F32x4Nearest(n),
            U32({0x7fe00001u, kCanonF, ToBits(8388608.0f), ToBits(1e30f)}));
  EXPECT_EQ(F32x4Ceil(n), U32({0x7fe00001u, kCanonF, ToBits(8388608.0f),
                               ToBits(1e30f)}));
  EXPECT_EQ(F32x4Floor(n), U32({0x7fe00001u, kCanonF, ToBits(8388607.0f),
                                ToBits(1e30f)}));
  EXPECT_EQ(F32x4Trunc(n), U32({0x7fe00001u, kCanonF, ToBits(8388607.0f),
                                ToBits(1e30f)}));

  V128 d = F64({2.5, -0.5});
  EXPECT_EQ(F64x2Nearest(d), F64({2.0, -0.0}));
  EXPECT_EQ(F64x2Ceil(d), F64({3.0, -0.0}));
  EXPECT_EQ(F64x2Floor(d), F64({2.0, -1.0}));
  EXPECT_EQ(F64x2Trunc(d), F64({2.0, -0.0}));
  V128 e = U64({kSNaND, ToBits(4503599627370495.5)});
  EXPECT_EQ(F64x2Nearest(e),
            U64({0x7ffc000000000001u, ToBits(4503599627370496.0)}));
  EXPECT_EQ(F64x2Ceil(e), U64({0x7ffc000000000001u, ToBits(4503599627370496.0)}));
  EXPECT_EQ(F64x2Floor(e),
            U64({0x7ffc000000000001u, ToBits(4503599627370495.0)}));
  EXPECT_EQ(F64x2Trunc(e),
            U64({0x7ffc000000000001u, ToBits(4503599627370495.0)}));
}

// ---------------------------------------------------------------------------
// Conversions.

TEST(SimdTest, TruncSatF32x4) {
  V128 a = U32({kCanonF, ToBits(2147483648.0f), ToBits(-2147483904.0f),
                ToBits(-1.9f)});
  EXPECT_EQ(I32x4TruncSatF32x4S(a), I32({0, kMaxI32, kMinI32, -1}));
  EXPECT_EQ(I32x4TruncSatF32x4U(a), U32({0, 0x80000000u, 0, 0}));
  V128 b = F32({kInfF, -kInfF, 4294967296.0f, 4294967040.0f});
  EXPECT_EQ(I32x4TruncSatF32x4S(b), I32({kMaxI32, kMinI32, kMaxI32, kMaxI32}));
  EXPECT_EQ(I32x4TruncSatF32x4U(b), U32({kOnes32, 0, kOnes32, 4294967040u}));
}

TEST(SimdTest, TruncSatF64x2Zero) {
  V128 a = F64({-2147483648.9, 2147483647.9});
  EXPECT_EQ(I32x4TruncSatF64x2SZero(a), I32({kMinI32, kMaxI32, 0, 0}));
  EXPECT_EQ(I32x4TruncSatF64x2UZero(a), U32({0, 2147483647u, 0, 0}));
  V128 b = U64({kCanonD, ToBits(4294967295.9)});
  EXPECT_EQ(I32x4TruncSatF64x2SZero(b), I32({0, kMaxI32, 0, 0}));
  EXPECT_EQ(I32x4TruncSatF64x2UZero(b), U32({0, kOnes32, 0, 0}));
  EXPECT_EQ(I32x4TruncSatF64x2UZero(F64({1e300, -1e300})),
            U32({kOnes32, 0, 0, 0}));
}

TEST(SimdTest, ConvertI32x4) {
  V128 a = I32({-1, kMinI32, 16777217, kMaxI32});
  EXPECT_EQ(F32x4ConvertI32x4S(a),
            F32({-1.0f, -2147483648.0f, 16777216.0f, 2147483648.0f}));
  EXPECT_EQ(F32x4ConvertI32x4U(a),
            F32({4294967296.0f, 2147483648.0f, 16777216.0f, 2147483648.0f}));
  EXPECT_EQ(F32x4ConvertI32x4U(U32({16777219u, 0xffffff7fu, 0xffffff80u, 0})),
            F32({16777220.0f, 4294967040.0f, 4294967296.0f, 0.0f}));
  EXPECT_EQ(F64x2ConvertLowI32x4S(a), F64({-1.0, -2147483648.0}));
  EXPECT_EQ(F64x2ConvertLowI32x4U(a), F64({4294967295.0, 2147483648.0}));
}

TEST(SimdTest, DemotePromote) {
  V128 a = U64({ToBits(1e300), 0x3ff0000010000001u});
  EXPECT_EQ(F32x4DemoteF64x2Zero(a),
            U32({ToBits(kInfF), 0x3f800001u, 0, 0}));
  auto r = ToLanes<uint32_t>(F32x4DemoteF64x2Zero(U64({kSNaND, kCanonD})));
  EXPECT_TRUE(IsArithmeticNaN32(r[0]));
  EXPECT_EQ(r[1] & 0x7fffffffu, kCanonF);
  EXPECT_EQ(r[2], 0u);
  EXPECT_EQ(r[3], 0u);
  EXPECT_EQ(F32x4DemoteF64x2Zero(F64({-0.0, 0.1})),
            F32({-0.0f, 0.1f, 0.0f, 0.0f}));

  EXPECT_EQ(F64x2PromoteLowF32x4(F32({1.5f, -0.0f, 7.0f, 8.0f})),
            F64({1.5, -0.0}));
  auto p = ToLanes<uint64_t>(F64x2PromoteLowF32x4(U32({kSNaNF, kCanonF, 0, 0})));
  EXPECT_TRUE(IsArithmeticNaN64(p[0]));
  EXPECT_EQ(p[1] & 0x7fffffffffffffffu, kCanonD);
}

}  // namespace
}  // namespace rivet::interp
