// Soft-float helpers (libgcc's __addsf3 family) and the C library's float
// functions that LLVM calls, on bit patterns (see soft_float.h).
#include <stdint.h>

#include "loader/helpers/helper_impl.h"
#include "loader/helpers/soft_float.h"

namespace rivet::helpers {
namespace {

using internal::Double;
using internal::Ordering;
using internal::RoundingMode;
using internal::Single;

Float32 F32(uint32_t bits) { return Float32{bits}; }
Float64 F64(uint64_t bits) { return Float64{bits}; }

// libgcc's comparison results. `unordered` is what each returns for NaNs:
// the value that makes its predicate false.
int32_t CompareResult(Ordering order, int32_t unordered) {
  switch (order) {
    case Ordering::kLess:
      return -1;
    case Ordering::kEqual:
      return 0;
    case Ordering::kGreater:
      return 1;
    case Ordering::kUnordered:
      break;
  }
  return unordered;
}

}  // namespace

Float32 AddSf3(Float32 a, Float32 b) { return F32(internal::Add<Single>(a.bits, b.bits)); }
Float32 SubSf3(Float32 a, Float32 b) { return F32(internal::Subtract<Single>(a.bits, b.bits)); }
Float32 MulSf3(Float32 a, Float32 b) { return F32(internal::Multiply<Single>(a.bits, b.bits)); }
Float32 DivSf3(Float32 a, Float32 b) { return F32(internal::Divide<Single>(a.bits, b.bits)); }
Float32 NegSf2(Float32 a) { return F32(a.bits ^ Single::kSignMask); }
Float64 AddDf3(Float64 a, Float64 b) { return F64(internal::Add<Double>(a.bits, b.bits)); }
Float64 SubDf3(Float64 a, Float64 b) { return F64(internal::Subtract<Double>(a.bits, b.bits)); }
Float64 MulDf3(Float64 a, Float64 b) { return F64(internal::Multiply<Double>(a.bits, b.bits)); }
Float64 DivDf3(Float64 a, Float64 b) { return F64(internal::Divide<Double>(a.bits, b.bits)); }
Float64 NegDf2(Float64 a) { return F64(a.bits ^ Double::kSignMask); }

int32_t EqSf2(Float32 a, Float32 b) { return CompareResult(internal::Compare<Single>(a.bits, b.bits), 1); }
int32_t NeSf2(Float32 a, Float32 b) { return CompareResult(internal::Compare<Single>(a.bits, b.bits), 1); }
int32_t LtSf2(Float32 a, Float32 b) { return CompareResult(internal::Compare<Single>(a.bits, b.bits), 1); }
int32_t LeSf2(Float32 a, Float32 b) { return CompareResult(internal::Compare<Single>(a.bits, b.bits), 1); }
int32_t GtSf2(Float32 a, Float32 b) { return CompareResult(internal::Compare<Single>(a.bits, b.bits), -1); }
int32_t GeSf2(Float32 a, Float32 b) { return CompareResult(internal::Compare<Single>(a.bits, b.bits), -1); }
int32_t UnordSf2(Float32 a, Float32 b) {
  return internal::IsNaN<Single>(a.bits) || internal::IsNaN<Single>(b.bits) ? 1 : 0;
}
int32_t EqDf2(Float64 a, Float64 b) { return CompareResult(internal::Compare<Double>(a.bits, b.bits), 1); }
int32_t NeDf2(Float64 a, Float64 b) { return CompareResult(internal::Compare<Double>(a.bits, b.bits), 1); }
int32_t LtDf2(Float64 a, Float64 b) { return CompareResult(internal::Compare<Double>(a.bits, b.bits), 1); }
int32_t LeDf2(Float64 a, Float64 b) { return CompareResult(internal::Compare<Double>(a.bits, b.bits), 1); }
int32_t GtDf2(Float64 a, Float64 b) { return CompareResult(internal::Compare<Double>(a.bits, b.bits), -1); }
int32_t GeDf2(Float64 a, Float64 b) { return CompareResult(internal::Compare<Double>(a.bits, b.bits), -1); }
int32_t UnordDf2(Float64 a, Float64 b) {
  return internal::IsNaN<Double>(a.bits) || internal::IsNaN<Double>(b.bits) ? 1 : 0;
}

int32_t FixSfSi(Float32 a) { return static_cast<int32_t>(internal::ToInteger<Single, true, 32>(a.bits)); }
int64_t FixSfDi(Float32 a) { return static_cast<int64_t>(internal::ToInteger<Single, true, 64>(a.bits)); }
uint32_t FixUnsSfSi(Float32 a) { return static_cast<uint32_t>(internal::ToInteger<Single, false, 32>(a.bits)); }
uint64_t FixUnsSfDi(Float32 a) { return internal::ToInteger<Single, false, 64>(a.bits); }
int32_t FixDfSi(Float64 a) { return static_cast<int32_t>(internal::ToInteger<Double, true, 32>(a.bits)); }
int64_t FixDfDi(Float64 a) { return static_cast<int64_t>(internal::ToInteger<Double, true, 64>(a.bits)); }
uint32_t FixUnsDfSi(Float64 a) { return static_cast<uint32_t>(internal::ToInteger<Double, false, 32>(a.bits)); }
uint64_t FixUnsDfDi(Float64 a) { return internal::ToInteger<Double, false, 64>(a.bits); }

namespace {

// |a| of a signed integer as an unsigned one (exact for the minimum too).
uint64_t Magnitude(int64_t a) {
  const uint64_t bits = static_cast<uint64_t>(a);
  return a < 0 ? uint64_t{0} - bits : bits;
}

}  // namespace

Float32 FloatSiSf(int32_t a) { return F32(internal::FromInteger<Single>(a < 0, Magnitude(a))); }
Float32 FloatDiSf(int64_t a) { return F32(internal::FromInteger<Single>(a < 0, Magnitude(a))); }
Float32 FloatUnSiSf(uint32_t a) { return F32(internal::FromInteger<Single>(false, a)); }
Float32 FloatUnDiSf(uint64_t a) { return F32(internal::FromInteger<Single>(false, a)); }
Float64 FloatSiDf(int32_t a) { return F64(internal::FromInteger<Double>(a < 0, Magnitude(a))); }
Float64 FloatDiDf(int64_t a) { return F64(internal::FromInteger<Double>(a < 0, Magnitude(a))); }
Float64 FloatUnSiDf(uint32_t a) { return F64(internal::FromInteger<Double>(false, a)); }
Float64 FloatUnDiDf(uint64_t a) { return F64(internal::FromInteger<Double>(false, a)); }
Float64 ExtendSfDf2(Float32 a) { return F64(internal::ExtendSingleToDouble(a.bits)); }
Float32 TruncDfSf2(Float64 a) { return F32(internal::TruncateDoubleToSingle(a.bits)); }

Float32 CeilF(Float32 a) { return F32(internal::RoundToIntegral<Single>(a.bits, RoundingMode::kUp)); }
Float32 FloorF(Float32 a) { return F32(internal::RoundToIntegral<Single>(a.bits, RoundingMode::kDown)); }
Float32 TruncF(Float32 a) { return F32(internal::RoundToIntegral<Single>(a.bits, RoundingMode::kTowardZero)); }
Float32 RoundF(Float32 a) { return F32(internal::RoundToIntegral<Single>(a.bits, RoundingMode::kNearestAway)); }
Float32 RoundEvenF(Float32 a) { return F32(internal::RoundToIntegral<Single>(a.bits, RoundingMode::kNearestEven)); }
Float32 RintF(Float32 a) { return RoundEvenF(a); }
Float32 NearbyIntF(Float32 a) { return RoundEvenF(a); }
Float32 SqrtF(Float32 a) { return F32(internal::SquareRoot<Single>(a.bits)); }
Float32 FminF(Float32 a, Float32 b) { return F32(internal::MinimumNumber<Single>(a.bits, b.bits, false)); }
Float32 FmaxF(Float32 a, Float32 b) { return F32(internal::MinimumNumber<Single>(a.bits, b.bits, true)); }
Float32 CopySignF(Float32 magnitude, Float32 sign) {
  return F32((magnitude.bits & ~Single::kSignMask) | (sign.bits & Single::kSignMask));
}
Float32 FabsF(Float32 a) { return F32(a.bits & ~Single::kSignMask); }

Float64 Ceil(Float64 a) { return F64(internal::RoundToIntegral<Double>(a.bits, RoundingMode::kUp)); }
Float64 Floor(Float64 a) { return F64(internal::RoundToIntegral<Double>(a.bits, RoundingMode::kDown)); }
Float64 Trunc(Float64 a) { return F64(internal::RoundToIntegral<Double>(a.bits, RoundingMode::kTowardZero)); }
Float64 Round(Float64 a) { return F64(internal::RoundToIntegral<Double>(a.bits, RoundingMode::kNearestAway)); }
Float64 RoundEven(Float64 a) { return F64(internal::RoundToIntegral<Double>(a.bits, RoundingMode::kNearestEven)); }
Float64 Rint(Float64 a) { return RoundEven(a); }
Float64 NearbyInt(Float64 a) { return RoundEven(a); }
Float64 Sqrt(Float64 a) { return F64(internal::SquareRoot<Double>(a.bits)); }
Float64 Fmin(Float64 a, Float64 b) { return F64(internal::MinimumNumber<Double>(a.bits, b.bits, false)); }
Float64 Fmax(Float64 a, Float64 b) { return F64(internal::MinimumNumber<Double>(a.bits, b.bits, true)); }
Float64 CopySign(Float64 magnitude, Float64 sign) {
  return F64((magnitude.bits & ~Double::kSignMask) | (sign.bits & Double::kSignMask));
}
Float64 Fabs(Float64 a) { return F64(a.bits & ~Double::kSignMask); }

}  // namespace rivet::helpers
