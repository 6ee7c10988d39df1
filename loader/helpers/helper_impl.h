// The helper implementations behind the table in helpers.h, one C++ function
// per symbol (named after it, e.g. __mulsi3 -> MulSi3, ceilf -> CeilF), in
// rivet::helpers so that they never clash with libgcc or compiler-rt in the
// runtime's own link.
//
// Float values are passed as Float32/Float64, bit patterns in a struct so that
// the table (helper_table.cc) can tell float operands from integer ones and
// build one variant per FloatAbi: uint32_t/uint64_t in integer registers for
// soft-float code, `float`/`double` for code that passes them in FP registers.
//
// Every implementation uses only the integer primitives of arith.h (no
// `*`, `/`, `%` or bit-count builtins) and never calls a helper, so it also
// works on rv32i. Freestanding.
#ifndef RIVET_LOADER_HELPERS_HELPER_IMPL_H_
#define RIVET_LOADER_HELPERS_HELPER_IMPL_H_

#include <stddef.h>
#include <stdint.h>

namespace rivet::helpers {

struct Float32 {
  uint32_t bits;
};
struct Float64 {
  uint64_t bits;
};

// Integer multiplication, division and remainder (x / 0 = -1 or all ones,
// x % 0 = x, MIN / -1 = MIN, MIN % -1 = 0, as RISC-V defines them).
int32_t MulSi3(int32_t a, int32_t b);
int64_t MulDi3(int64_t a, int64_t b);
int32_t DivSi3(int32_t a, int32_t b);
uint32_t UDivSi3(uint32_t a, uint32_t b);
int32_t ModSi3(int32_t a, int32_t b);
uint32_t UModSi3(uint32_t a, uint32_t b);
int64_t DivDi3(int64_t a, int64_t b);
uint64_t UDivDi3(uint64_t a, uint64_t b);
int64_t ModDi3(int64_t a, int64_t b);
uint64_t UModDi3(uint64_t a, uint64_t b);

// 64-bit shifts; the count is taken modulo 64, as RISC-V's shifts do.
int64_t AshlDi3(int64_t a, int32_t count);
int64_t AshrDi3(int64_t a, int32_t count);
int64_t LshrDi3(int64_t a, int32_t count);

// Bit counts; the count of zeros in 0 is the width.
int32_t ClzSi2(uint32_t a);
int32_t ClzDi2(uint64_t a);
int32_t CtzSi2(uint32_t a);
int32_t CtzDi2(uint64_t a);
int32_t PopcountSi2(uint32_t a);
int32_t PopcountDi2(uint64_t a);

// Soft-float arithmetic (__addsf3, ..., __negdf2).
Float32 AddSf3(Float32 a, Float32 b);
Float32 SubSf3(Float32 a, Float32 b);
Float32 MulSf3(Float32 a, Float32 b);
Float32 DivSf3(Float32 a, Float32 b);
Float32 NegSf2(Float32 a);
Float64 AddDf3(Float64 a, Float64 b);
Float64 SubDf3(Float64 a, Float64 b);
Float64 MulDf3(Float64 a, Float64 b);
Float64 DivDf3(Float64 a, Float64 b);
Float64 NegDf2(Float64 a);

// Comparisons, with libgcc's results: Eq/Ne return 0 iff equal; Lt/Le return
// < 0 / <= 0 iff less / less or equal; Gt/Ge return > 0 / >= 0 iff greater /
// greater or equal; unordered operands make each of those false; Unord
// returns nonzero iff an operand is NaN.
int32_t EqSf2(Float32 a, Float32 b);
int32_t NeSf2(Float32 a, Float32 b);
int32_t LtSf2(Float32 a, Float32 b);
int32_t LeSf2(Float32 a, Float32 b);
int32_t GtSf2(Float32 a, Float32 b);
int32_t GeSf2(Float32 a, Float32 b);
int32_t UnordSf2(Float32 a, Float32 b);
int32_t EqDf2(Float64 a, Float64 b);
int32_t NeDf2(Float64 a, Float64 b);
int32_t LtDf2(Float64 a, Float64 b);
int32_t LeDf2(Float64 a, Float64 b);
int32_t GtDf2(Float64 a, Float64 b);
int32_t GeDf2(Float64 a, Float64 b);
int32_t UnordDf2(Float64 a, Float64 b);

// Conversions. Float to integer truncates; out of range (and NaN) it gives
// RISC-V's fcvt results: the largest value for NaN and large values, the
// smallest for small ones (0 for unsigned targets).
int32_t FixSfSi(Float32 a);
int64_t FixSfDi(Float32 a);
uint32_t FixUnsSfSi(Float32 a);
uint64_t FixUnsSfDi(Float32 a);
int32_t FixDfSi(Float64 a);
int64_t FixDfDi(Float64 a);
uint32_t FixUnsDfSi(Float64 a);
uint64_t FixUnsDfDi(Float64 a);
Float32 FloatSiSf(int32_t a);
Float32 FloatDiSf(int64_t a);
Float32 FloatUnSiSf(uint32_t a);
Float32 FloatUnDiSf(uint64_t a);
Float64 FloatSiDf(int32_t a);
Float64 FloatDiDf(int64_t a);
Float64 FloatUnSiDf(uint32_t a);
Float64 FloatUnDiDf(uint64_t a);
Float64 ExtendSfDf2(Float32 a);
Float32 TruncDfSf2(Float64 a);

// The C library functions LLVM calls for float intrinsics (rounding is to
// nearest even where C says "current rounding mode": rint, nearbyint).
Float32 CeilF(Float32 a);
Float32 FloorF(Float32 a);
Float32 TruncF(Float32 a);
Float32 RoundF(Float32 a);
Float32 RoundEvenF(Float32 a);
Float32 RintF(Float32 a);
Float32 NearbyIntF(Float32 a);
Float32 SqrtF(Float32 a);
Float32 FminF(Float32 a, Float32 b);
Float32 FmaxF(Float32 a, Float32 b);
Float32 CopySignF(Float32 magnitude, Float32 sign);
Float32 FabsF(Float32 a);
Float64 Ceil(Float64 a);
Float64 Floor(Float64 a);
Float64 Trunc(Float64 a);
Float64 Round(Float64 a);
Float64 RoundEven(Float64 a);
Float64 Rint(Float64 a);
Float64 NearbyInt(Float64 a);
Float64 Sqrt(Float64 a);
Float64 Fmin(Float64 a, Float64 b);
Float64 Fmax(Float64 a, Float64 b);
Float64 CopySign(Float64 magnitude, Float64 sign);
Float64 Fabs(Float64 a);

// memcpy, memmove and memset.
void* MemCopy(void* destination, const void* source, size_t size);
void* MemMove(void* destination, const void* source, size_t size);
void* MemSet(void* destination, int value, size_t size);

}  // namespace rivet::helpers

#endif  // RIVET_LOADER_HELPERS_HELPER_IMPL_H_
