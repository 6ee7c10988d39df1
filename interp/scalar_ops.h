// The semantics of every pure scalar instruction (RIVET_FOREACH_NUMERIC_OPCODE),
// one small function per opcode, named after it.
//
// The interpreter binds each opcode to the function of the same name and
// derives the stack effect from the function's signature, so an operation is
// written once, here. Integers are unsigned (wasm integers have no
// signedness; the signed operations cast). Floats travel as float/double,
// except where the spec defines the operation on bits (neg, abs, copysign,
// reinterpretations), which take and return the bits so that signalling
// NaNs pass through untouched. Operations that may trap return OrTrap.
#ifndef RIVET_INTERP_SCALAR_OPS_H_
#define RIVET_INTERP_SCALAR_OPS_H_

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "interp/float_ops.h"
#include "runtime/store.h"

namespace rivet::interp {

template <typename T>
struct OrTrap {
  T value{};
  TrapKind trap = TrapKind::kUnreachable;
  bool ok = true;
  OrTrap(T v) : value(v) {}
  OrTrap(TrapKind t) : trap(t), ok(false) {}
};

// Float bit patterns, for the operations the spec defines on bits.
struct F32Bits { uint32_t bits; };
struct F64Bits { uint64_t bits; };

namespace ops {

#define RIVET_CMP(Name, T, op) \
  inline uint32_t Name(T a, T b) { return a op b ? 1 : 0; }
#define RIVET_BIN(Name, T, expr) \
  inline T Name(T a, T b) { return expr; }
#define RIVET_UN(Name, T, expr) \
  inline T Name(T a) { return expr; }

using i32 = uint32_t;
using i64 = uint64_t;
using s32 = int32_t;
using s64 = int64_t;

inline uint32_t I32Eqz(i32 a) { return a == 0; }
RIVET_CMP(I32Eq, i32, ==)
RIVET_CMP(I32Ne, i32, !=)
inline uint32_t I32LtS(i32 a, i32 b) { return s32(a) < s32(b); }
RIVET_CMP(I32LtU, i32, <)
inline uint32_t I32GtS(i32 a, i32 b) { return s32(a) > s32(b); }
RIVET_CMP(I32GtU, i32, >)
inline uint32_t I32LeS(i32 a, i32 b) { return s32(a) <= s32(b); }
RIVET_CMP(I32LeU, i32, <=)
inline uint32_t I32GeS(i32 a, i32 b) { return s32(a) >= s32(b); }
RIVET_CMP(I32GeU, i32, >=)
inline uint32_t I64Eqz(i64 a) { return a == 0; }
RIVET_CMP(I64Eq, i64, ==)
RIVET_CMP(I64Ne, i64, !=)
inline uint32_t I64LtS(i64 a, i64 b) { return s64(a) < s64(b); }
RIVET_CMP(I64LtU, i64, <)
inline uint32_t I64GtS(i64 a, i64 b) { return s64(a) > s64(b); }
RIVET_CMP(I64GtU, i64, >)
inline uint32_t I64LeS(i64 a, i64 b) { return s64(a) <= s64(b); }
RIVET_CMP(I64LeU, i64, <=)
inline uint32_t I64GeS(i64 a, i64 b) { return s64(a) >= s64(b); }
RIVET_CMP(I64GeU, i64, >=)
RIVET_CMP(F32Eq, float, ==)
RIVET_CMP(F32Ne, float, !=)
RIVET_CMP(F32Lt, float, <)
RIVET_CMP(F32Gt, float, >)
RIVET_CMP(F32Le, float, <=)
RIVET_CMP(F32Ge, float, >=)
RIVET_CMP(F64Eq, double, ==)
RIVET_CMP(F64Ne, double, !=)
RIVET_CMP(F64Lt, double, <)
RIVET_CMP(F64Gt, double, >)
RIVET_CMP(F64Le, double, <=)
RIVET_CMP(F64Ge, double, >=)

// Integer arithmetic.
RIVET_UN(I32Clz, i32, static_cast<i32>(std::countl_zero(a)))
RIVET_UN(I32Ctz, i32, static_cast<i32>(std::countr_zero(a)))
RIVET_UN(I32Popcnt, i32, static_cast<i32>(std::popcount(a)))
RIVET_BIN(I32Add, i32, a + b)
RIVET_BIN(I32Sub, i32, a - b)
RIVET_BIN(I32Mul, i32, a * b)
inline OrTrap<i32> I32DivS(i32 a, i32 b) {
  if (b == 0) return TrapKind::kIntegerDivideByZero;
  if (a == 0x80000000u && b == 0xffffffffu) return TrapKind::kIntegerOverflow;
  return i32(s32(a) / s32(b));
}
inline OrTrap<i32> I32DivU(i32 a, i32 b) {
  if (b == 0) return TrapKind::kIntegerDivideByZero;
  return a / b;
}
inline OrTrap<i32> I32RemS(i32 a, i32 b) {
  if (b == 0) return TrapKind::kIntegerDivideByZero;
  if (b == 0xffffffffu) return i32{0};  // INT_MIN % -1 overflows in C, is 0 in wasm
  return i32(s32(a) % s32(b));
}
inline OrTrap<i32> I32RemU(i32 a, i32 b) {
  if (b == 0) return TrapKind::kIntegerDivideByZero;
  return a % b;
}
RIVET_BIN(I32And, i32, a & b)
RIVET_BIN(I32Or, i32, a | b)
RIVET_BIN(I32Xor, i32, a ^ b)
RIVET_BIN(I32Shl, i32, a << (b & 31))
RIVET_BIN(I32ShrS, i32, i32(s32(a) >> (b & 31)))
RIVET_BIN(I32ShrU, i32, a >> (b & 31))
RIVET_BIN(I32Rotl, i32, std::rotl(a, static_cast<int>(b & 31)))
RIVET_BIN(I32Rotr, i32, std::rotr(a, static_cast<int>(b & 31)))
RIVET_UN(I64Clz, i64, static_cast<i64>(std::countl_zero(a)))
RIVET_UN(I64Ctz, i64, static_cast<i64>(std::countr_zero(a)))
RIVET_UN(I64Popcnt, i64, static_cast<i64>(std::popcount(a)))
RIVET_BIN(I64Add, i64, a + b)
RIVET_BIN(I64Sub, i64, a - b)
RIVET_BIN(I64Mul, i64, a * b)
inline OrTrap<i64> I64DivS(i64 a, i64 b) {
  if (b == 0) return TrapKind::kIntegerDivideByZero;
  if (a == 0x8000000000000000ull && b == ~0ull) return TrapKind::kIntegerOverflow;
  return i64(s64(a) / s64(b));
}
inline OrTrap<i64> I64DivU(i64 a, i64 b) {
  if (b == 0) return TrapKind::kIntegerDivideByZero;
  return a / b;
}
inline OrTrap<i64> I64RemS(i64 a, i64 b) {
  if (b == 0) return TrapKind::kIntegerDivideByZero;
  if (b == ~0ull) return i64{0};
  return i64(s64(a) % s64(b));
}
inline OrTrap<i64> I64RemU(i64 a, i64 b) {
  if (b == 0) return TrapKind::kIntegerDivideByZero;
  return a % b;
}
RIVET_BIN(I64And, i64, a & b)
RIVET_BIN(I64Or, i64, a | b)
RIVET_BIN(I64Xor, i64, a ^ b)
RIVET_BIN(I64Shl, i64, a << (b & 63))
RIVET_BIN(I64ShrS, i64, i64(s64(a) >> (b & 63)))
RIVET_BIN(I64ShrU, i64, a >> (b & 63))
RIVET_BIN(I64Rotl, i64, std::rotl(a, static_cast<int>(b & 63)))
RIVET_BIN(I64Rotr, i64, std::rotr(a, static_cast<int>(b & 63)))

// Float arithmetic.
inline F32Bits F32Abs(F32Bits a) { return {a.bits & 0x7fffffffu}; }
inline F32Bits F32Neg(F32Bits a) { return {a.bits ^ 0x80000000u}; }
RIVET_UN(F32Ceil, float, WasmCeil(a))
RIVET_UN(F32Floor, float, WasmFloor(a))
RIVET_UN(F32Trunc, float, WasmTrunc(a))
RIVET_UN(F32Nearest, float, WasmNearest(a))
RIVET_UN(F32Sqrt, float, std::sqrt(a))
RIVET_BIN(F32Add, float, a + b)
RIVET_BIN(F32Sub, float, a - b)
RIVET_BIN(F32Mul, float, a * b)
RIVET_BIN(F32Div, float, a / b)
RIVET_BIN(F32Min, float, WasmMin(a, b))
RIVET_BIN(F32Max, float, WasmMax(a, b))
inline F32Bits F32Copysign(F32Bits a, F32Bits b) {
  return {(a.bits & 0x7fffffffu) | (b.bits & 0x80000000u)};
}
inline F64Bits F64Abs(F64Bits a) { return {a.bits & 0x7fffffffffffffffull}; }
inline F64Bits F64Neg(F64Bits a) { return {a.bits ^ 0x8000000000000000ull}; }
RIVET_UN(F64Ceil, double, WasmCeil(a))
RIVET_UN(F64Floor, double, WasmFloor(a))
RIVET_UN(F64Trunc, double, WasmTrunc(a))
RIVET_UN(F64Nearest, double, WasmNearest(a))
RIVET_UN(F64Sqrt, double, std::sqrt(a))
RIVET_BIN(F64Add, double, a + b)
RIVET_BIN(F64Sub, double, a - b)
RIVET_BIN(F64Mul, double, a * b)
RIVET_BIN(F64Div, double, a / b)
RIVET_BIN(F64Min, double, WasmMin(a, b))
RIVET_BIN(F64Max, double, WasmMax(a, b))
inline F64Bits F64Copysign(F64Bits a, F64Bits b) {
  return {(a.bits & 0x7fffffffffffffffull) | (b.bits & 0x8000000000000000ull)};
}

// Conversions.
inline i32 I32WrapI64(i64 a) { return static_cast<i32>(a); }

template <typename Int, typename Float>
OrTrap<std::make_unsigned_t<Int>> CheckedTrunc(Float x) {
  Int out;
  switch (WasmTrunc<Int>(x, &out)) {
    case TruncResult::kOk: return static_cast<std::make_unsigned_t<Int>>(out);
    case TruncResult::kInvalid: return TrapKind::kInvalidConversion;
    case TruncResult::kOverflow: break;
  }
  return TrapKind::kIntegerOverflow;
}
inline OrTrap<i32> I32TruncF32S(float a) { return CheckedTrunc<int32_t>(a); }
inline OrTrap<i32> I32TruncF32U(float a) { return CheckedTrunc<uint32_t>(a); }
inline OrTrap<i32> I32TruncF64S(double a) { return CheckedTrunc<int32_t>(a); }
inline OrTrap<i32> I32TruncF64U(double a) { return CheckedTrunc<uint32_t>(a); }
inline i64 I64ExtendI32S(i32 a) { return i64(s64(s32(a))); }
inline i64 I64ExtendI32U(i32 a) { return a; }
inline OrTrap<i64> I64TruncF32S(float a) { return CheckedTrunc<int64_t>(a); }
inline OrTrap<i64> I64TruncF32U(float a) { return CheckedTrunc<uint64_t>(a); }
inline OrTrap<i64> I64TruncF64S(double a) { return CheckedTrunc<int64_t>(a); }
inline OrTrap<i64> I64TruncF64U(double a) { return CheckedTrunc<uint64_t>(a); }
inline float F32ConvertI32S(i32 a) { return static_cast<float>(s32(a)); }
inline float F32ConvertI32U(i32 a) { return static_cast<float>(a); }
inline float F32ConvertI64S(i64 a) { return static_cast<float>(s64(a)); }
inline float F32ConvertI64U(i64 a) { return static_cast<float>(a); }
inline float F32DemoteF64(double a) { return static_cast<float>(a); }
inline double F64ConvertI32S(i32 a) { return static_cast<double>(s32(a)); }
inline double F64ConvertI32U(i32 a) { return static_cast<double>(a); }
inline double F64ConvertI64S(i64 a) { return static_cast<double>(s64(a)); }
inline double F64ConvertI64U(i64 a) { return static_cast<double>(a); }
inline double F64PromoteF32(float a) { return static_cast<double>(a); }
inline i32 I32ReinterpretF32(F32Bits a) { return a.bits; }
inline i64 I64ReinterpretF64(F64Bits a) { return a.bits; }
inline F32Bits F32ReinterpretI32(i32 a) { return {a}; }
inline F64Bits F64ReinterpretI64(i64 a) { return {a}; }
inline i32 I32Extend8S(i32 a) { return i32(s32(int8_t(a))); }
inline i32 I32Extend16S(i32 a) { return i32(s32(int16_t(a))); }
inline i64 I64Extend8S(i64 a) { return i64(s64(int8_t(a))); }
inline i64 I64Extend16S(i64 a) { return i64(s64(int16_t(a))); }
inline i64 I64Extend32S(i64 a) { return i64(s64(int32_t(a))); }

// Saturating truncation.
inline i32 I32TruncSatF32S(float a) { return i32(TruncSat<int32_t>(a)); }
inline i32 I32TruncSatF32U(float a) { return TruncSat<uint32_t>(a); }
inline i32 I32TruncSatF64S(double a) { return i32(TruncSat<int32_t>(a)); }
inline i32 I32TruncSatF64U(double a) { return TruncSat<uint32_t>(a); }
inline i64 I64TruncSatF32S(float a) { return i64(TruncSat<int64_t>(a)); }
inline i64 I64TruncSatF32U(float a) { return TruncSat<uint64_t>(a); }
inline i64 I64TruncSatF64S(double a) { return i64(TruncSat<int64_t>(a)); }
inline i64 I64TruncSatF64U(double a) { return TruncSat<uint64_t>(a); }

#undef RIVET_CMP
#undef RIVET_BIN
#undef RIVET_UN

}  // namespace ops
}  // namespace rivet::interp

#endif  // RIVET_INTERP_SCALAR_OPS_H_
