// Prints known-answer vectors for the rv32 driver, computed with the host's
// own arithmetic (x86-64 SSE and native integers), never with the helpers.
// Where the host's answer is not RISC-V's (NaN signs and payloads, division
// by zero, out-of-range conversions, fmin/fmax of signed zeros) the vector
// holds the defined result that helpers.h documents.
#include <bit>
#include <cinttypes>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "loader/helpers/known_answer_shapes.h"

namespace rivet::helpers {
namespace {

constexpr int kRandomPerHelper = 150;
std::mt19937_64 rng(424242);

const char* ShapeName(Shape shape) {
  switch (shape) {
    case Shape::k32_32x32: return "k32_32x32";
    case Shape::k32_32: return "k32_32";
    case Shape::k64_64x64: return "k64_64x64";
    case Shape::k64_64: return "k64_64";
    case Shape::k32_64: return "k32_64";
    case Shape::k64_32: return "k64_32";
    case Shape::k32_64x64: return "k32_64x64";
    case Shape::k64_64x32: return "k64_64x32";
  }
  return "";
}

void Emit(const char* name, Shape shape, uint64_t a, uint64_t b, uint64_t expected) {
  std::printf("{\"%s\", Shape::%s, 0x%" PRIx64 "u, 0x%" PRIx64 "u, 0x%" PRIx64 "u},\n", name,
              ShapeName(shape), a, b, expected);
}

float F(uint32_t bits) { return std::bit_cast<float>(bits); }
double D(uint64_t bits) { return std::bit_cast<double>(bits); }
uint32_t B(float value) { return std::bit_cast<uint32_t>(value); }
uint64_t B(double value) { return std::bit_cast<uint64_t>(value); }
bool Nan32(uint32_t x) { return (x & 0x7fffffffu) > 0x7f800000u; }
bool Nan64(uint64_t x) { return (x & 0x7fffffffffffffffu) > 0x7ff0000000000000u; }

// A NaN result as the helpers define it: the first NaN operand quieted, or
// the canonical NaN.
uint32_t Fix32(uint32_t result, uint32_t a, uint32_t b, bool b_used) {
  if (!Nan32(result)) return result;
  if (Nan32(a)) return a | 0x00400000u;
  if (b_used && Nan32(b)) return b | 0x00400000u;
  return 0x7fc00000u;
}
uint64_t Fix64(uint64_t result, uint64_t a, uint64_t b, bool b_used) {
  if (!Nan64(result)) return result;
  if (Nan64(a)) return a | 0x0008000000000000u;
  if (b_used && Nan64(b)) return b | 0x0008000000000000u;
  return 0x7ff8000000000000u;
}

std::vector<uint32_t> Specials32() {
  return {0, 0x80000000u, 0x3f800000u, 0xbf800000u, 0x7f800000u, 0xff800000u, 0x7fc00000u,
          0x7f800001u, 0xffc12345u, 0x00000001u, 0x807fffffu, 0x00800000u, 0x7f7fffffu,
          0x3f000000u, 0x3fc00000u, 0x4b800001u, 0x4f000000u, 0xcf000000u, 0x5f800000u};
}
std::vector<uint64_t> Specials64() {
  return {0, 0x8000000000000000u, 0x3ff0000000000000u, 0xbff0000000000000u,
          0x7ff0000000000000u, 0xfff0000000000000u, 0x7ff8000000000000u, 0x7ff0000000000001u,
          0x1, 0x800fffffffffffffu, 0x0010000000000000u, 0x7fefffffffffffffu,
          0x3fe0000000000000u, 0x3ff8000000000000u, 0x43e0000000000000u, 0xc3e0000000000000u,
          0x41e0000000000000u, 0xc1e0000000200000u, 0x47efffffe0000000u};
}

uint32_t Random32() {
  const uint64_t r = rng();
  switch (r % 4) {
    case 0: return static_cast<uint32_t>(rng());
    case 1: return Specials32()[rng() % Specials32().size()] ^ static_cast<uint32_t>(rng() % 4);
    case 2: return static_cast<uint32_t>(rng()) >> (rng() % 32);
    default:  // moderate exponents
      return static_cast<uint32_t>(((rng() & 1) << 31) | ((100 + rng() % 56) << 23) |
                                   (rng() & 0x7fffff));
  }
}
uint64_t Random64() {
  const uint64_t r = rng();
  switch (r % 4) {
    case 0: return rng();
    case 1: return Specials64()[rng() % Specials64().size()] ^ (rng() % 4);
    case 2: return rng() >> (rng() % 64);
    default:
      return ((rng() & 1) << 63) | ((1000 + rng() % 48) << 52) | (rng() & 0xfffffffffffffu);
  }
}

// Inputs for a helper: every pair of specials (for two-operand helpers, a
// sample) and random ones.
template <typename Generate>
void ForInputs32(bool two, Generate generate) {
  for (uint32_t a : Specials32()) generate(a, two ? Specials32()[rng() % Specials32().size()] : 0);
  for (int i = 0; i < kRandomPerHelper; ++i) generate(Random32(), Random32());
}
template <typename Generate>
void ForInputs64(bool two, Generate generate) {
  for (uint64_t a : Specials64()) generate(a, two ? Specials64()[rng() % Specials64().size()] : 0);
  for (int i = 0; i < kRandomPerHelper; ++i) generate(Random64(), Random64());
}

template <typename Int>
uint64_t RiscVConvert(double value) {
  Int result;
  if (std::isnan(value)) {
    result = std::numeric_limits<Int>::max();
  } else {
    const double truncated = std::trunc(value);
    if (truncated >= std::ldexp(1.0, std::numeric_limits<Int>::digits)) {
      result = std::numeric_limits<Int>::max();
    } else if (truncated < static_cast<double>(std::numeric_limits<Int>::min())) {
      result = std::numeric_limits<Int>::min();
    } else {
      result = static_cast<Int>(truncated);
    }
  }
  // As the register holds it: 32-bit results zero-extended here, as the
  // driver compares 32-bit results as uint32_t.
  return sizeof(Int) == 4 ? static_cast<uint32_t>(result) : static_cast<uint64_t>(result);
}

// libgcc comparison results as these helpers give them.
uint64_t CompareResult(bool unordered, bool less, bool equal, int32_t if_unordered) {
  const int32_t result = unordered ? if_unordered : less ? -1 : equal ? 0 : 1;
  return static_cast<uint32_t>(result);
}

void Integers() {
  ForInputs32(true, [](uint32_t a, uint32_t b) {
    const int32_t x = static_cast<int32_t>(a), y = static_cast<int32_t>(b);
    Emit("__mulsi3", Shape::k32_32x32, a, b, a * b);
    Emit("__udivsi3", Shape::k32_32x32, a, b, b == 0 ? 0xffffffffu : a / b);
    Emit("__umodsi3", Shape::k32_32x32, a, b, b == 0 ? a : a % b);
    const bool overflow = x == INT32_MIN && y == -1;
    Emit("__divsi3", Shape::k32_32x32, a, b,
         static_cast<uint32_t>(y == 0 ? -1 : overflow ? INT32_MIN : x / y));
    Emit("__modsi3", Shape::k32_32x32, a, b, static_cast<uint32_t>(y == 0 ? x : overflow ? 0 : x % y));
    Emit("__clzsi2", Shape::k32_32, a, 0, static_cast<uint32_t>(std::countl_zero(a)));
    Emit("__ctzsi2", Shape::k32_32, a, 0, static_cast<uint32_t>(std::countr_zero(a)));
    Emit("__popcountsi2", Shape::k32_32, a, 0, static_cast<uint32_t>(std::popcount(a)));
  });
  ForInputs64(true, [](uint64_t a, uint64_t b) {
    const int64_t x = static_cast<int64_t>(a), y = static_cast<int64_t>(b);
    Emit("__muldi3", Shape::k64_64x64, a, b, a * b);
    Emit("__udivdi3", Shape::k64_64x64, a, b, b == 0 ? ~uint64_t{0} : a / b);
    Emit("__umoddi3", Shape::k64_64x64, a, b, b == 0 ? a : a % b);
    const bool overflow = x == INT64_MIN && y == -1;
    Emit("__divdi3", Shape::k64_64x64, a, b,
         static_cast<uint64_t>(y == 0 ? -1 : overflow ? INT64_MIN : x / y));
    Emit("__moddi3", Shape::k64_64x64, a, b, static_cast<uint64_t>(y == 0 ? x : overflow ? 0 : x % y));
    const uint32_t count = static_cast<uint32_t>(b);
    Emit("__ashldi3", Shape::k64_64x32, a, count, a << (count & 63));
    Emit("__lshrdi3", Shape::k64_64x32, a, count, a >> (count & 63));
    Emit("__ashrdi3", Shape::k64_64x32, a, count, static_cast<uint64_t>(x >> (count & 63)));
    Emit("__clzdi2", Shape::k32_64, a, 0, static_cast<uint32_t>(std::countl_zero(a)));
    Emit("__ctzdi2", Shape::k32_64, a, 0, static_cast<uint32_t>(std::countr_zero(a)));
    Emit("__popcountdi2", Shape::k32_64, a, 0, static_cast<uint32_t>(std::popcount(a)));
  });
}

void Singles() {
  ForInputs32(true, [](uint32_t a, uint32_t b) {
    const float x = F(a), y = F(b);
    Emit("__addsf3", Shape::k32_32x32, a, b, Fix32(B(x + y), a, b, true));
    Emit("__subsf3", Shape::k32_32x32, a, b, Fix32(B(x - y), a, b, true));
    Emit("__mulsf3", Shape::k32_32x32, a, b, Fix32(B(x * y), a, b, true));
    Emit("__divsf3", Shape::k32_32x32, a, b, Fix32(B(x / y), a, b, true));
    Emit("__negsf2", Shape::k32_32, a, 0, a ^ 0x80000000u);
    const bool unordered = std::isunordered(x, y);
    for (const char* name : {"__eqsf2", "__nesf2", "__ltsf2", "__lesf2"}) {
      Emit(name, Shape::k32_32x32, a, b, CompareResult(unordered, x < y, x == y, 1));
    }
    for (const char* name : {"__gtsf2", "__gesf2"}) {
      Emit(name, Shape::k32_32x32, a, b, CompareResult(unordered, x < y, x == y, -1));
    }
    Emit("__unordsf2", Shape::k32_32x32, a, b, unordered ? 1 : 0);
    Emit("__fixsfsi", Shape::k32_32, a, 0, RiscVConvert<int32_t>(x));
    Emit("__fixunssfsi", Shape::k32_32, a, 0, RiscVConvert<uint32_t>(x));
    Emit("__fixsfdi", Shape::k64_32, a, 0, RiscVConvert<int64_t>(x));
    Emit("__fixunssfdi", Shape::k64_32, a, 0, RiscVConvert<uint64_t>(x));
    Emit("__floatsisf", Shape::k32_32, a, 0, B(static_cast<float>(static_cast<int32_t>(a))));
    Emit("__floatunsisf", Shape::k32_32, a, 0, B(static_cast<float>(a)));
    Emit("__floatsidf", Shape::k64_32, a, 0, B(static_cast<double>(static_cast<int32_t>(a))));
    Emit("__floatunsidf", Shape::k64_32, a, 0, B(static_cast<double>(a)));
    Emit("__extendsfdf2", Shape::k64_32, a, 0, B(static_cast<double>(x)));
    Emit("ceilf", Shape::k32_32, a, 0, Fix32(B(std::ceil(x)), a, 0, false));
    Emit("floorf", Shape::k32_32, a, 0, Fix32(B(std::floor(x)), a, 0, false));
    Emit("truncf", Shape::k32_32, a, 0, Fix32(B(std::trunc(x)), a, 0, false));
    Emit("roundf", Shape::k32_32, a, 0, Fix32(B(std::round(x)), a, 0, false));
    Emit("roundevenf", Shape::k32_32, a, 0, Fix32(B(roundevenf(x)), a, 0, false));
    Emit("rintf", Shape::k32_32, a, 0, Fix32(B(std::rint(x)), a, 0, false));
    Emit("nearbyintf", Shape::k32_32, a, 0, Fix32(B(std::nearbyint(x)), a, 0, false));
    Emit("sqrtf", Shape::k32_32, a, 0, Fix32(B(std::sqrt(x)), a, 0, false));
    Emit("fabsf", Shape::k32_32, a, 0, a & 0x7fffffffu);
    Emit("copysignf", Shape::k32_32x32, a, b, B(std::copysign(x, y)));
    // fmin/fmax: a NaN operand is ignored; -0 < +0.
    const bool a_nan = Nan32(a), b_nan = Nan32(b);
    uint32_t minimum, maximum;
    if (a_nan && b_nan) {
      minimum = maximum = a | 0x00400000u;
    } else if (a_nan || b_nan) {
      minimum = maximum = a_nan ? b : a;
    } else if (x == 0 && y == 0) {
      minimum = (a | b) & 0x80000000u;
      maximum = (a & b) & 0x80000000u;
    } else {
      minimum = B(std::fmin(x, y));
      maximum = B(std::fmax(x, y));
    }
    Emit("fminf", Shape::k32_32x32, a, b, minimum);
    Emit("fmaxf", Shape::k32_32x32, a, b, maximum);
  });
}

void Doubles() {
  ForInputs64(true, [](uint64_t a, uint64_t b) {
    const double x = D(a), y = D(b);
    Emit("__adddf3", Shape::k64_64x64, a, b, Fix64(B(x + y), a, b, true));
    Emit("__subdf3", Shape::k64_64x64, a, b, Fix64(B(x - y), a, b, true));
    Emit("__muldf3", Shape::k64_64x64, a, b, Fix64(B(x * y), a, b, true));
    Emit("__divdf3", Shape::k64_64x64, a, b, Fix64(B(x / y), a, b, true));
    Emit("__negdf2", Shape::k64_64, a, 0, a ^ 0x8000000000000000u);
    const bool unordered = std::isunordered(x, y);
    for (const char* name : {"__eqdf2", "__nedf2", "__ltdf2", "__ledf2"}) {
      Emit(name, Shape::k32_64x64, a, b, CompareResult(unordered, x < y, x == y, 1));
    }
    for (const char* name : {"__gtdf2", "__gedf2"}) {
      Emit(name, Shape::k32_64x64, a, b, CompareResult(unordered, x < y, x == y, -1));
    }
    Emit("__unorddf2", Shape::k32_64x64, a, b, unordered ? 1 : 0);
    Emit("__fixdfsi", Shape::k32_64, a, 0, RiscVConvert<int32_t>(x));
    Emit("__fixunsdfsi", Shape::k32_64, a, 0, RiscVConvert<uint32_t>(x));
    Emit("__fixdfdi", Shape::k64_64, a, 0, RiscVConvert<int64_t>(x));
    Emit("__fixunsdfdi", Shape::k64_64, a, 0, RiscVConvert<uint64_t>(x));
    Emit("__floatdisf", Shape::k32_64, a, 0, B(static_cast<float>(static_cast<int64_t>(a))));
    Emit("__floatundisf", Shape::k32_64, a, 0, B(static_cast<float>(a)));
    Emit("__floatdidf", Shape::k64_64, a, 0, B(static_cast<double>(static_cast<int64_t>(a))));
    Emit("__floatundidf", Shape::k64_64, a, 0, B(static_cast<double>(a)));
    Emit("__truncdfsf2", Shape::k32_64, a, 0, B(static_cast<float>(x)));
    Emit("ceil", Shape::k64_64, a, 0, Fix64(B(std::ceil(x)), a, 0, false));
    Emit("floor", Shape::k64_64, a, 0, Fix64(B(std::floor(x)), a, 0, false));
    Emit("trunc", Shape::k64_64, a, 0, Fix64(B(std::trunc(x)), a, 0, false));
    Emit("round", Shape::k64_64, a, 0, Fix64(B(std::round(x)), a, 0, false));
    Emit("roundeven", Shape::k64_64, a, 0, Fix64(B(roundeven(x)), a, 0, false));
    Emit("rint", Shape::k64_64, a, 0, Fix64(B(std::rint(x)), a, 0, false));
    Emit("nearbyint", Shape::k64_64, a, 0, Fix64(B(std::nearbyint(x)), a, 0, false));
    Emit("sqrt", Shape::k64_64, a, 0, Fix64(B(std::sqrt(x)), a, 0, false));
    Emit("fabs", Shape::k64_64, a, 0, a & 0x7fffffffffffffffu);
    Emit("copysign", Shape::k64_64x64, a, b, B(std::copysign(x, y)));
    const bool a_nan = Nan64(a), b_nan = Nan64(b);
    uint64_t minimum, maximum;
    if (a_nan && b_nan) {
      minimum = maximum = a | 0x0008000000000000u;
    } else if (a_nan || b_nan) {
      minimum = maximum = a_nan ? b : a;
    } else if (x == 0 && y == 0) {
      minimum = (a | b) & 0x8000000000000000u;
      maximum = (a & b) & 0x8000000000000000u;
    } else {
      minimum = B(std::fmin(x, y));
      maximum = B(std::fmax(x, y));
    }
    Emit("fmin", Shape::k64_64x64, a, b, minimum);
    Emit("fmax", Shape::k64_64x64, a, b, maximum);
  });
}

}  // namespace
}  // namespace rivet::helpers

int main() {
  std::printf("// Generated by known_answer_generator.cc; do not edit.\n");
  rivet::helpers::Integers();
  rivet::helpers::Singles();
  rivet::helpers::Doubles();
  return 0;
}
