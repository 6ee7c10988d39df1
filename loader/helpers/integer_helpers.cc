// Integer helpers: what LLVM calls on cores without M (and, on rv32, for
// 64-bit division), plus the libgcc shift and bit-count routines.
#include <stdint.h>

#include "loader/helpers/arith.h"
#include "loader/helpers/helper_impl.h"

namespace rivet::helpers {

using internal::DivideSigned;
using internal::DivideUnsigned;

int32_t MulSi3(int32_t a, int32_t b) {
  return static_cast<int32_t>(
      internal::MultiplyLow32(static_cast<uint32_t>(a), static_cast<uint32_t>(b)));
}

int64_t MulDi3(int64_t a, int64_t b) {
  return static_cast<int64_t>(
      internal::MultiplyLow64(static_cast<uint64_t>(a), static_cast<uint64_t>(b)));
}

int32_t DivSi3(int32_t a, int32_t b) {
  int32_t remainder;
  return DivideSigned<int32_t, uint32_t>(a, b, &remainder);
}

uint32_t UDivSi3(uint32_t a, uint32_t b) {
  uint32_t remainder;
  return DivideUnsigned<uint32_t>(a, b, &remainder);
}

int32_t ModSi3(int32_t a, int32_t b) {
  int32_t remainder;
  DivideSigned<int32_t, uint32_t>(a, b, &remainder);
  return remainder;
}

uint32_t UModSi3(uint32_t a, uint32_t b) {
  uint32_t remainder;
  DivideUnsigned<uint32_t>(a, b, &remainder);
  return remainder;
}

int64_t DivDi3(int64_t a, int64_t b) {
  int64_t remainder;
  return DivideSigned<int64_t, uint64_t>(a, b, &remainder);
}

uint64_t UDivDi3(uint64_t a, uint64_t b) {
  uint64_t remainder;
  return DivideUnsigned<uint64_t>(a, b, &remainder);
}

int64_t ModDi3(int64_t a, int64_t b) {
  int64_t remainder;
  DivideSigned<int64_t, uint64_t>(a, b, &remainder);
  return remainder;
}

uint64_t UModDi3(uint64_t a, uint64_t b) {
  uint64_t remainder;
  DivideUnsigned<uint64_t>(a, b, &remainder);
  return remainder;
}

// The shifts work on 32-bit halves, so that they never depend on how the
// compiler lowers a 64-bit shift.
namespace {

struct Halves {
  uint32_t high;
  uint32_t low;
};

Halves Split(int64_t a) {
  const uint64_t bits = static_cast<uint64_t>(a);
  return {static_cast<uint32_t>(bits >> 32), static_cast<uint32_t>(bits)};
}

int64_t Join(Halves halves) {
  return static_cast<int64_t>((static_cast<uint64_t>(halves.high) << 32) | halves.low);
}

}  // namespace

int64_t AshlDi3(int64_t a, int32_t count) {
  const int n = count & 63;
  const Halves x = Split(a);
  if (n == 0) return a;
  if (n >= 32) return Join({x.low << (n - 32), 0});
  return Join({(x.high << n) | (x.low >> (32 - n)), x.low << n});
}

int64_t LshrDi3(int64_t a, int32_t count) {
  const int n = count & 63;
  const Halves x = Split(a);
  if (n == 0) return a;
  if (n >= 32) return Join({0, x.high >> (n - 32)});
  return Join({x.high >> n, (x.low >> n) | (x.high << (32 - n))});
}

int64_t AshrDi3(int64_t a, int32_t count) {
  const int n = count & 63;
  const Halves x = Split(a);
  // All ones when negative: what an arithmetic shift brings in from the top.
  const uint32_t fill = (x.high >> 31) != 0 ? 0xffffffffu : 0u;
  if (n == 0) return a;
  if (n >= 32) {
    const int m = n - 32;
    const uint32_t low = m == 0 ? x.high : (x.high >> m) | (fill << (32 - m));
    return Join({fill, low});
  }
  return Join({(x.high >> n) | (fill << (32 - n)), (x.low >> n) | (x.high << (32 - n))});
}

int32_t ClzSi2(uint32_t a) { return internal::CountLeadingZeros32(a); }
int32_t ClzDi2(uint64_t a) { return internal::CountLeadingZeros64(a); }
int32_t CtzSi2(uint32_t a) { return internal::CountTrailingZeros32(a); }
int32_t CtzDi2(uint64_t a) { return internal::CountTrailingZeros64(a); }
int32_t PopcountSi2(uint32_t a) { return internal::PopCount32(a); }
int32_t PopcountDi2(uint64_t a) { return internal::PopCount64(a); }

}  // namespace rivet::helpers
