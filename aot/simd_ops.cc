// Translation of wasm's non-memory SIMD instructions into LLVM IR.
//
// A v128 is `<2 x i64>` between instructions; each instruction bitcasts it to
// the lane vector it works on (<16 x i8>, <4 x float>, ...) and back. Only
// target-independent IR and generic intrinsics are emitted, so that the same
// translation compiles for x86-64 (SSE) and for RISC-V cores without vector
// units, where LLVM scalarises it. The semantics are those of the interpreter
// (interp/simd.h, interp/float_ops.h), including the NaN each float lane
// operation produces where the interpreter chooses one (min, max, rounding),
// so that AOT and interpreted code agree bit for bit on every target.
#include <array>
#include <cstdint>

#include "aot/ops.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Intrinsics.h"
#include "loader/opcodes.h"

namespace rivet::aot {
namespace {

using llvm::CmpInst;
using llvm::FixedVectorType;
using llvm::Intrinsic::ID;
using llvm::Value;
using BinaryOp = llvm::Instruction::BinaryOps;

// The lane layout an instruction works on: the element type and the count.
struct Shape {
  enum Kind : uint8_t { kI8, kI16, kI32, kI64, kF32, kF64 } kind;
  unsigned lanes;
};

constexpr Shape kI8x16{Shape::kI8, 16};
constexpr Shape kI16x8{Shape::kI16, 8};
constexpr Shape kI32x4{Shape::kI32, 4};
constexpr Shape kI64x2{Shape::kI64, 2};
constexpr Shape kF32x4{Shape::kF32, 4};
constexpr Shape kF64x2{Shape::kF64, 2};

// Emits the IR of one instruction; every method takes and returns v128
// values as <2 x i64> unless it says otherwise.
class SimdEmitter {
 public:
  explicit SimdEmitter(llvm::IRBuilder<>& builder)
      : b_(builder), context_(builder.getContext()) {}

  // --- Types and representation changes ---------------------------------

  llvm::Type* LaneType(Shape s) {
    switch (s.kind) {
      case Shape::kI8:
        return b_.getInt8Ty();
      case Shape::kI16:
        return b_.getInt16Ty();
      case Shape::kI32:
        return b_.getInt32Ty();
      case Shape::kI64:
        return b_.getInt64Ty();
      case Shape::kF32:
        return b_.getFloatTy();
      case Shape::kF64:
        return b_.getDoubleTy();
    }
    return nullptr;
  }
  FixedVectorType* VectorType(Shape s) {
    return FixedVectorType::get(LaneType(s), s.lanes);
  }
  // The integer vector with the lane layout of `s` (float lanes as bits).
  FixedVectorType* BitsType(Shape s) {
    return FixedVectorType::get(b_.getIntNTy(128 / s.lanes), s.lanes);
  }
  FixedVectorType* V128Type() { return FixedVectorType::get(b_.getInt64Ty(), 2); }

  Value* Lanes(Value* v128, Shape s) { return b_.CreateBitCast(v128, VectorType(s)); }
  Value* LaneBits(Value* v128, Shape s) { return b_.CreateBitCast(v128, BitsType(s)); }
  Value* ToV128(Value* lanes) { return b_.CreateBitCast(lanes, V128Type()); }

  // A vector of `type` (integer lanes) with every lane `value`.
  Value* SplatInt(FixedVectorType* type, uint64_t value) {
    return llvm::ConstantInt::get(type, value);
  }

  // --- Constants, shuffles and lanes --------------------------------------

  Value* Const(const uint8_t* bytes) {
    // wasm's byte order is little-endian: lane 0 of the i64 view is bytes 0-7.
    std::array<uint64_t, 2> halves{};
    for (int half = 0; half < 2; ++half) {
      for (int i = 7; i >= 0; --i) halves[half] = (halves[half] << 8) | bytes[half * 8 + i];
    }
    return llvm::ConstantDataVector::get(context_, llvm::ArrayRef<uint64_t>(halves));
  }

  Value* Shuffle(Value* a, Value* b, const uint8_t* lane_indices) {
    std::array<int, 16> mask;
    // The validator guarantees indices < 32; masking keeps a bad one in range.
    for (int i = 0; i < 16; ++i) mask[i] = lane_indices[i] & 31;
    return ToV128(b_.CreateShuffleVector(Lanes(a, kI8x16), Lanes(b, kI8x16), mask));
  }

  // Lane i = a[s[i]], or 0 where s[i] >= 16. LLVM IR has no variable
  // shuffle, so each lane is a variable extractelement (index masked into
  // range, as such an index must be), then out-of-range lanes are zeroed.
  Value* Swizzle(Value* a, Value* s) {
    Value* bytes = Lanes(a, kI8x16);
    Value* indices = Lanes(s, kI8x16);
    Value* result = llvm::PoisonValue::get(VectorType(kI8x16));
    for (unsigned i = 0; i < 16; ++i) {
      Value* index = b_.CreateAnd(b_.CreateExtractElement(indices, i), 15);
      result = b_.CreateInsertElement(result, b_.CreateExtractElement(bytes, index), i);
    }
    Value* in_range = b_.CreateICmpULT(indices, SplatInt(BitsType(kI8x16), 16));
    return ToV128(b_.CreateSelect(in_range, result,
                                  llvm::Constant::getNullValue(VectorType(kI8x16))));
  }

  // `scalar` is the wasm operand (i32 for i8/i16/i32 lanes, else the lane's
  // own type).
  Value* Splat(Shape s, Value* scalar) {
    return ToV128(b_.CreateVectorSplat(s.lanes, ToLaneValue(s, scalar)));
  }

  // Integer lanes narrower than i32 arrive as (and leave as) i32.
  Value* ToLaneValue(Shape s, Value* scalar) {
    if (s.kind == Shape::kI8 || s.kind == Shape::kI16) {
      return b_.CreateTrunc(scalar, LaneType(s));
    }
    return scalar;
  }

  enum class Extension { kNone, kSigned, kUnsigned };
  Value* ExtractLane(Shape s, Value* v, uint8_t lane, Extension extension) {
    Value* x = b_.CreateExtractElement(Lanes(v, s), lane % s.lanes);
    switch (extension) {
      case Extension::kSigned:
        return b_.CreateSExt(x, b_.getInt32Ty());
      case Extension::kUnsigned:
        return b_.CreateZExt(x, b_.getInt32Ty());
      case Extension::kNone:
        return x;
    }
    return x;
  }

  Value* ReplaceLane(Shape s, Value* v, Value* scalar, uint8_t lane) {
    return ToV128(
        b_.CreateInsertElement(Lanes(v, s), ToLaneValue(s, scalar), lane % s.lanes));
  }

  // --- Lane-wise arithmetic ----------------------------------------------

  Value* Binary(Shape s, BinaryOp op, Value* a, Value* b) {
    return ToV128(b_.CreateBinOp(op, Lanes(a, s), Lanes(b, s)));
  }
  Value* BinaryIntrinsic(Shape s, ID id, Value* a, Value* b) {
    return ToV128(b_.CreateBinaryIntrinsic(id, Lanes(a, s), Lanes(b, s)));
  }
  Value* UnaryIntrinsic(Shape s, ID id, Value* a) {
    return ToV128(b_.CreateUnaryIntrinsic(id, Lanes(a, s)));
  }

  Value* Neg(Shape s, Value* a) { return ToV128(b_.CreateNeg(Lanes(a, s))); }

  // abs that leaves the most negative value as it is (is_int_min_poison false).
  Value* Abs(Shape s, Value* a) {
    return ToV128(b_.CreateBinaryIntrinsic(llvm::Intrinsic::abs, Lanes(a, s),
                                           b_.getFalse()));
  }

  // Shift counts are taken modulo the lane width.
  Value* Shift(Shape s, BinaryOp op, Value* a, Value* count) {
    unsigned width = 128 / s.lanes;
    Value* masked = b_.CreateAnd(count, width - 1);
    Value* lane_count = b_.CreateZExtOrTrunc(masked, LaneType(s));
    return ToV128(b_.CreateBinOp(op, Lanes(a, s), b_.CreateVectorSplat(s.lanes, lane_count)));
  }

  // Lanes all ones where `predicate` holds, zero elsewhere (integer or
  // float predicate).
  Value* Compare(Shape s, CmpInst::Predicate predicate, Value* a, Value* b) {
    Value* holds = b_.CreateCmp(predicate, Lanes(a, s), Lanes(b, s));
    return ToV128(b_.CreateSExt(holds, BitsType(s)));
  }

  // --- Bitwise and reductions ---------------------------------------------

  Value* Bitselect(Value* a, Value* b, Value* mask) {
    return b_.CreateOr(b_.CreateAnd(a, mask), b_.CreateAnd(b, b_.CreateNot(mask)));
  }

  Value* AnyTrue(Value* v) {
    Value* any = b_.CreateOrReduce(v);
    return b_.CreateZExt(b_.CreateICmpNE(any, b_.getInt64(0)), b_.getInt32Ty());
  }

  Value* AllTrue(Shape s, Value* v) {
    Value* nonzero = b_.CreateICmpNE(Lanes(v, s), llvm::Constant::getNullValue(VectorType(s)));
    return b_.CreateZExt(b_.CreateAndReduce(nonzero), b_.getInt32Ty());
  }

  // Bit i of the result is the top bit of lane i.
  Value* Bitmask(Shape s, Value* v) {
    Value* negative =
        b_.CreateICmpSLT(Lanes(v, s), llvm::Constant::getNullValue(VectorType(s)));
    Value* bits = b_.CreateBitCast(negative, b_.getIntNTy(s.lanes));
    return b_.CreateZExt(bits, b_.getInt32Ty());
  }

  // --- Widening and narrowing ---------------------------------------------

  // Lanes [first, first + count) of `lanes` as a vector of `count` lanes.
  Value* Slice(Value* lanes, unsigned first, unsigned count) {
    llvm::SmallVector<int, 16> mask;
    for (unsigned i = 0; i < count; ++i) mask.push_back(first + i);
    return b_.CreateShuffleVector(lanes, mask);
  }
  // Every other lane from `first` (0: even lanes, 1: odd lanes).
  Value* Stride2(Value* lanes, unsigned first, unsigned count) {
    llvm::SmallVector<int, 16> mask;
    for (unsigned i = 0; i < count; ++i) mask.push_back(first + 2 * i);
    return b_.CreateShuffleVector(lanes, mask);
  }
  Value* Widen(Value* lanes, Shape wide, bool is_signed) {
    FixedVectorType* type = FixedVectorType::get(LaneType(wide), wide.lanes);
    return is_signed ? b_.CreateSExt(lanes, type) : b_.CreateZExt(lanes, type);
  }

  // The low (high = false) or high half of the narrow lanes of `a`, widened
  // to `wide` lanes: the extend_* instructions.
  Value* ExtendHalf(Shape narrow, Shape wide, Value* a, bool high, bool is_signed) {
    Value* half = Slice(Lanes(a, narrow), high ? wide.lanes : 0, wide.lanes);
    return Widen(half, wide, is_signed);
  }
  Value* Extend(Shape narrow, Shape wide, Value* a, bool high, bool is_signed) {
    return ToV128(ExtendHalf(narrow, wide, a, high, is_signed));
  }
  // The exact products of the widened halves (extmul_*).
  Value* ExtMul(Shape narrow, Shape wide, Value* a, Value* b, bool high, bool is_signed) {
    return ToV128(b_.CreateMul(ExtendHalf(narrow, wide, a, high, is_signed),
                               ExtendHalf(narrow, wide, b, high, is_signed)));
  }
  // Sums of adjacent lane pairs, widened (extadd_pairwise_*).
  Value* ExtAddPairwise(Shape narrow, Shape wide, Value* a, bool is_signed) {
    Value* lanes = Lanes(a, narrow);
    Value* even = Widen(Stride2(lanes, 0, wide.lanes), wide, is_signed);
    Value* odd = Widen(Stride2(lanes, 1, wide.lanes), wide, is_signed);
    return ToV128(b_.CreateAdd(even, odd));
  }

  // Wide lanes of a then b clamped to [min, max] of the narrow lane type and
  // truncated (narrow_*): `min`/`max` are the bounds as wide-lane values.
  Value* Narrow(Shape wide, Shape narrow, Value* a, Value* b, int64_t min, int64_t max) {
    FixedVectorType* wide_type = VectorType(wide);
    FixedVectorType* half_type = FixedVectorType::get(LaneType(narrow), wide.lanes);
    auto clamp = [&](Value* v) {
      Value* x = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smax, Lanes(v, wide),
                                          SplatInt(wide_type, static_cast<uint64_t>(min)));
      x = b_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, x,
                                   SplatInt(wide_type, static_cast<uint64_t>(max)));
      return b_.CreateTrunc(x, half_type);
    };
    Value* low = clamp(a);
    Value* high = clamp(b);
    llvm::SmallVector<int, 16> concat;
    for (unsigned i = 0; i < narrow.lanes; ++i) concat.push_back(i);
    return ToV128(b_.CreateShuffleVector(low, high, concat));
  }

  // i32x4.dot_i16x8_s: a[2i] * b[2i] + a[2i+1] * b[2i+1], wrapping.
  Value* Dot(Value* a, Value* b) {
    Shape wide{Shape::kI32, 8};
    Value* products =
        b_.CreateMul(Widen(Lanes(a, kI16x8), wide, true), Widen(Lanes(b, kI16x8), wide, true));
    return ToV128(b_.CreateAdd(Stride2(products, 0, 4), Stride2(products, 1, 4)));
  }

  // i16x8.q15mulr_sat_s: (a * b + 2^14) >> 15, saturated; only
  // -32768 * -32768 exceeds the upper bound and nothing reaches below.
  Value* Q15MulrSat(Value* a, Value* b) {
    Shape wide{Shape::kI32, 8};
    FixedVectorType* wide_type = VectorType(wide);
    Value* product =
        b_.CreateMul(Widen(Lanes(a, kI16x8), wide, true), Widen(Lanes(b, kI16x8), wide, true));
    Value* rounded = b_.CreateAShr(b_.CreateAdd(product, SplatInt(wide_type, 0x4000)),
                                   SplatInt(wide_type, 15));
    Value* saturated =
        b_.CreateBinaryIntrinsic(llvm::Intrinsic::smin, rounded, SplatInt(wide_type, 0x7fff));
    return ToV128(b_.CreateTrunc(saturated, VectorType(kI16x8)));
  }

  // avgr_u: (a + b + 1) >> 1 computed in lanes twice as wide.
  Value* AvgrU(Shape s, Value* a, Value* b) {
    Shape wide{s.kind == Shape::kI8 ? Shape::kI16 : Shape::kI32, s.lanes};
    Value* sum = b_.CreateAdd(Widen(Lanes(a, s), wide, false), Widen(Lanes(b, s), wide, false));
    FixedVectorType* wide_type = VectorType(wide);
    sum = b_.CreateAdd(sum, SplatInt(wide_type, 1));
    return ToV128(b_.CreateTrunc(b_.CreateLShr(sum, SplatInt(wide_type, 1)), VectorType(s)));
  }

  // --- Float lanes ----------------------------------------------------------

  uint64_t SignBit(Shape s) { return s.kind == Shape::kF32 ? 0x80000000u : 0x8000000000000000u; }
  uint64_t QuietBit(Shape s) { return s.kind == Shape::kF32 ? 0x00400000u : 0x0008000000000000u; }

  // abs and neg change the sign bit only, so NaN payloads pass through.
  Value* FloatAbs(Shape s, Value* a) {
    return ToV128(b_.CreateAnd(LaneBits(a, s), SplatInt(BitsType(s), ~SignBit(s))));
  }
  Value* FloatNeg(Shape s, Value* a) {
    return ToV128(b_.CreateXor(LaneBits(a, s), SplatInt(BitsType(s), SignBit(s))));
  }

  // `lanes` (float) with the quiet bit set: for a NaN, the arithmetic NaN
  // with its payload that the interpreter returns.
  Value* Quieted(Shape s, Value* lanes) {
    Value* bits = b_.CreateBitCast(lanes, BitsType(s));
    return b_.CreateBitCast(b_.CreateOr(bits, SplatInt(BitsType(s), QuietBit(s))),
                            VectorType(s));
  }
  // Where `x` is NaN, x quieted; elsewhere `result`.
  Value* NaNAsQuieted(Shape s, Value* x, Value* result) {
    return b_.CreateSelect(b_.CreateFCmpUNO(x, x), Quieted(s, x), result);
  }

  // min / max: NaN if either operand is (a quieted if a is NaN, else b
  // quieted, as the interpreter picks), and -0 < +0. Built from comparisons
  // and selects rather than llvm.minimum / llvm.maximum: LLVM 19 cannot
  // soften those for cores without an FPU ("Do not know how to soften"), and
  // they leave the NaN's payload (on x86 even its quiet bit) unspecified.
  Value* MinMax(Shape s, bool is_max, Value* a, Value* b) {
    Value* x = Lanes(a, s);
    Value* y = Lanes(b, s);
    Value* take_y = is_max ? b_.CreateFCmpOLT(x, y) : b_.CreateFCmpOLT(y, x);
    Value* result = b_.CreateSelect(take_y, y, x);
    // Equal operands differ at most in the sign of a zero: OR keeps the -0
    // for min, AND keeps the +0 for max.
    Value* x_bits = b_.CreateBitCast(x, BitsType(s));
    Value* y_bits = b_.CreateBitCast(y, BitsType(s));
    Value* merged = is_max ? b_.CreateAnd(x_bits, y_bits) : b_.CreateOr(x_bits, y_bits);
    result = b_.CreateSelect(b_.CreateFCmpOEQ(x, y), b_.CreateBitCast(merged, VectorType(s)),
                             result);
    result = NaNAsQuieted(s, y, result);
    return ToV128(NaNAsQuieted(s, x, result));
  }

  // pmin: b < a ? b : a; pmax: a < b ? b : a. One operand, bits unchanged.
  Value* PseudoMinMax(Shape s, Value* a, Value* b, bool is_max) {
    Value* x = Lanes(a, s);
    Value* y = Lanes(b, s);
    Value* take_b = is_max ? b_.CreateFCmpOLT(x, y) : b_.CreateFCmpOLT(y, x);
    return ToV128(b_.CreateSelect(take_b, y, x));
  }

  // ceil, floor, trunc, nearest (roundeven): a NaN input comes back quieted,
  // as in the interpreter, whatever the target's lowering does with it.
  Value* Round(Shape s, ID id, Value* a) {
    Value* x = Lanes(a, s);
    return ToV128(NaNAsQuieted(s, x, b_.CreateUnaryIntrinsic(id, x)));
  }

  // --- Conversions ------------------------------------------------------------

  // trunc_sat: NaN -> 0, out of range -> the nearest bound (llvm.fpto*i.sat).
  Value* TruncSat(Value* floats, unsigned lanes, bool is_signed) {
    FixedVectorType* result_type = FixedVectorType::get(b_.getInt32Ty(), lanes);
    return b_.CreateIntrinsic(
        is_signed ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat,
        {result_type, floats->getType()}, {floats});
  }
  // The two-lane vector `low` followed by two zero lanes, as a v128.
  Value* WithZeroHigh(Value* low) {
    Value* zero = llvm::Constant::getNullValue(low->getType());
    return ToV128(b_.CreateShuffleVector(low, zero, {0, 1, 2, 3}));
  }

  Value* Convert(Value* a, bool is_signed) {
    Value* ints = Lanes(a, kI32x4);
    return ToV128(is_signed ? b_.CreateSIToFP(ints, VectorType(kF32x4))
                            : b_.CreateUIToFP(ints, VectorType(kF32x4)));
  }
  Value* ConvertLow(Value* a, bool is_signed) {
    Value* low = Slice(Lanes(a, kI32x4), 0, 2);
    return ToV128(is_signed ? b_.CreateSIToFP(low, VectorType(kF64x2))
                            : b_.CreateUIToFP(low, VectorType(kF64x2)));
  }
  Value* DemoteZero(Value* a) {
    Value* demoted =
        b_.CreateFPTrunc(Lanes(a, kF64x2), FixedVectorType::get(b_.getFloatTy(), 2));
    return WithZeroHigh(demoted);
  }
  Value* PromoteLow(Value* a) {
    return ToV128(b_.CreateFPExt(Slice(Lanes(a, kF32x4), 0, 2), VectorType(kF64x2)));
  }

 private:
  llvm::IRBuilder<>& b_;
  llvm::LLVMContext& context_;
};

}  // namespace

llvm::Value* EmitSimdOp(OpContext& cx, const Instruction& ins,
                        std::span<llvm::Value* const> operands) {
  using BinOp = BinaryOp;
  using Ext = SimdEmitter::Extension;
  namespace intr = llvm::Intrinsic;
  SimdEmitter e(cx.builder());
  // Operands in wasm order; unused ones are never read.
  auto arg = [&](size_t i) { return operands[i]; };

  switch (ins.opcode) {
    // Constants, shuffles, splats and lanes.
    case op::kV128Const:
      return e.Const(ins.bytes);
    case op::kI8x16Shuffle:
      return e.Shuffle(arg(0), arg(1), ins.bytes);
    case op::kI8x16Swizzle:
      return e.Swizzle(arg(0), arg(1));
    case op::kI8x16Splat:
      return e.Splat(kI8x16, arg(0));
    case op::kI16x8Splat:
      return e.Splat(kI16x8, arg(0));
    case op::kI32x4Splat:
      return e.Splat(kI32x4, arg(0));
    case op::kI64x2Splat:
      return e.Splat(kI64x2, arg(0));
    case op::kF32x4Splat:
      return e.Splat(kF32x4, arg(0));
    case op::kF64x2Splat:
      return e.Splat(kF64x2, arg(0));
    case op::kI8x16ExtractLaneS:
      return e.ExtractLane(kI8x16, arg(0), ins.lane, Ext::kSigned);
    case op::kI8x16ExtractLaneU:
      return e.ExtractLane(kI8x16, arg(0), ins.lane, Ext::kUnsigned);
    case op::kI16x8ExtractLaneS:
      return e.ExtractLane(kI16x8, arg(0), ins.lane, Ext::kSigned);
    case op::kI16x8ExtractLaneU:
      return e.ExtractLane(kI16x8, arg(0), ins.lane, Ext::kUnsigned);
    case op::kI32x4ExtractLane:
      return e.ExtractLane(kI32x4, arg(0), ins.lane, Ext::kNone);
    case op::kI64x2ExtractLane:
      return e.ExtractLane(kI64x2, arg(0), ins.lane, Ext::kNone);
    case op::kF32x4ExtractLane:
      return e.ExtractLane(kF32x4, arg(0), ins.lane, Ext::kNone);
    case op::kF64x2ExtractLane:
      return e.ExtractLane(kF64x2, arg(0), ins.lane, Ext::kNone);
    case op::kI8x16ReplaceLane:
      return e.ReplaceLane(kI8x16, arg(0), arg(1), ins.lane);
    case op::kI16x8ReplaceLane:
      return e.ReplaceLane(kI16x8, arg(0), arg(1), ins.lane);
    case op::kI32x4ReplaceLane:
      return e.ReplaceLane(kI32x4, arg(0), arg(1), ins.lane);
    case op::kI64x2ReplaceLane:
      return e.ReplaceLane(kI64x2, arg(0), arg(1), ins.lane);
    case op::kF32x4ReplaceLane:
      return e.ReplaceLane(kF32x4, arg(0), arg(1), ins.lane);
    case op::kF64x2ReplaceLane:
      return e.ReplaceLane(kF64x2, arg(0), arg(1), ins.lane);

    // Integer comparisons.
#define RIVET_INT_COMPARES(Prefix, shape)                                        \
  case op::k##Prefix##Eq:                                                        \
    return e.Compare(shape, CmpInst::ICMP_EQ, arg(0), arg(1));                   \
  case op::k##Prefix##Ne:                                                        \
    return e.Compare(shape, CmpInst::ICMP_NE, arg(0), arg(1));                   \
  case op::k##Prefix##LtS:                                                       \
    return e.Compare(shape, CmpInst::ICMP_SLT, arg(0), arg(1));                  \
  case op::k##Prefix##GtS:                                                       \
    return e.Compare(shape, CmpInst::ICMP_SGT, arg(0), arg(1));                  \
  case op::k##Prefix##LeS:                                                       \
    return e.Compare(shape, CmpInst::ICMP_SLE, arg(0), arg(1));                  \
  case op::k##Prefix##GeS:                                                       \
    return e.Compare(shape, CmpInst::ICMP_SGE, arg(0), arg(1));
#define RIVET_UNSIGNED_COMPARES(Prefix, shape)                                   \
  case op::k##Prefix##LtU:                                                       \
    return e.Compare(shape, CmpInst::ICMP_ULT, arg(0), arg(1));                  \
  case op::k##Prefix##GtU:                                                       \
    return e.Compare(shape, CmpInst::ICMP_UGT, arg(0), arg(1));                  \
  case op::k##Prefix##LeU:                                                       \
    return e.Compare(shape, CmpInst::ICMP_ULE, arg(0), arg(1));                  \
  case op::k##Prefix##GeU:                                                       \
    return e.Compare(shape, CmpInst::ICMP_UGE, arg(0), arg(1));
      RIVET_INT_COMPARES(I8x16, kI8x16)
      RIVET_UNSIGNED_COMPARES(I8x16, kI8x16)
      RIVET_INT_COMPARES(I16x8, kI16x8)
      RIVET_UNSIGNED_COMPARES(I16x8, kI16x8)
      RIVET_INT_COMPARES(I32x4, kI32x4)
      RIVET_UNSIGNED_COMPARES(I32x4, kI32x4)
      RIVET_INT_COMPARES(I64x2, kI64x2)  // i64x2 has no unsigned comparisons.
#undef RIVET_INT_COMPARES
#undef RIVET_UNSIGNED_COMPARES

    // Float comparisons are IEEE's: ordered, except ne (true with a NaN).
#define RIVET_FLOAT_COMPARES(Prefix, shape)                         \
  case op::k##Prefix##Eq:                                           \
    return e.Compare(shape, CmpInst::FCMP_OEQ, arg(0), arg(1));     \
  case op::k##Prefix##Ne:                                           \
    return e.Compare(shape, CmpInst::FCMP_UNE, arg(0), arg(1));     \
  case op::k##Prefix##Lt:                                           \
    return e.Compare(shape, CmpInst::FCMP_OLT, arg(0), arg(1));     \
  case op::k##Prefix##Gt:                                           \
    return e.Compare(shape, CmpInst::FCMP_OGT, arg(0), arg(1));     \
  case op::k##Prefix##Le:                                           \
    return e.Compare(shape, CmpInst::FCMP_OLE, arg(0), arg(1));     \
  case op::k##Prefix##Ge:                                           \
    return e.Compare(shape, CmpInst::FCMP_OGE, arg(0), arg(1));
      RIVET_FLOAT_COMPARES(F32x4, kF32x4)
      RIVET_FLOAT_COMPARES(F64x2, kF64x2)
#undef RIVET_FLOAT_COMPARES

    // Bitwise.
    case op::kV128Not:
      return cx.builder().CreateNot(arg(0));
    case op::kV128And:
      return cx.builder().CreateAnd(arg(0), arg(1));
    case op::kV128AndNot:
      return cx.builder().CreateAnd(arg(0), cx.builder().CreateNot(arg(1)));
    case op::kV128Or:
      return cx.builder().CreateOr(arg(0), arg(1));
    case op::kV128Xor:
      return cx.builder().CreateXor(arg(0), arg(1));
    case op::kV128Bitselect:
      return e.Bitselect(arg(0), arg(1), arg(2));
    case op::kV128AnyTrue:
      return e.AnyTrue(arg(0));

    // Integer lane arithmetic shared by several shapes.
#define RIVET_INT_ARITHMETIC(Prefix, shape)                                   \
  case op::k##Prefix##Abs:                                                    \
    return e.Abs(shape, arg(0));                                              \
  case op::k##Prefix##Neg:                                                    \
    return e.Neg(shape, arg(0));                                              \
  case op::k##Prefix##AllTrue:                                                \
    return e.AllTrue(shape, arg(0));                                          \
  case op::k##Prefix##Bitmask:                                                \
    return e.Bitmask(shape, arg(0));                                          \
  case op::k##Prefix##Shl:                                                    \
    return e.Shift(shape, BinOp::Shl, arg(0), arg(1));                        \
  case op::k##Prefix##ShrS:                                                   \
    return e.Shift(shape, BinOp::AShr, arg(0), arg(1));                       \
  case op::k##Prefix##ShrU:                                                   \
    return e.Shift(shape, BinOp::LShr, arg(0), arg(1));                       \
  case op::k##Prefix##Add:                                                    \
    return e.Binary(shape, BinOp::Add, arg(0), arg(1));                       \
  case op::k##Prefix##Sub:                                                    \
    return e.Binary(shape, BinOp::Sub, arg(0), arg(1));
      RIVET_INT_ARITHMETIC(I8x16, kI8x16)
      RIVET_INT_ARITHMETIC(I16x8, kI16x8)
      RIVET_INT_ARITHMETIC(I32x4, kI32x4)
      RIVET_INT_ARITHMETIC(I64x2, kI64x2)
#undef RIVET_INT_ARITHMETIC

    // Saturating arithmetic, min/max and avgr_u (8- and 16-bit lanes; the
    // min/max also 32-bit).
#define RIVET_INT_MIN_MAX(Prefix, shape)                                 \
  case op::k##Prefix##MinS:                                              \
    return e.BinaryIntrinsic(shape, intr::smin, arg(0), arg(1));         \
  case op::k##Prefix##MinU:                                              \
    return e.BinaryIntrinsic(shape, intr::umin, arg(0), arg(1));         \
  case op::k##Prefix##MaxS:                                              \
    return e.BinaryIntrinsic(shape, intr::smax, arg(0), arg(1));         \
  case op::k##Prefix##MaxU:                                              \
    return e.BinaryIntrinsic(shape, intr::umax, arg(0), arg(1));
#define RIVET_INT_SATURATING(Prefix, shape)                              \
  case op::k##Prefix##AddSatS:                                           \
    return e.BinaryIntrinsic(shape, intr::sadd_sat, arg(0), arg(1));     \
  case op::k##Prefix##AddSatU:                                           \
    return e.BinaryIntrinsic(shape, intr::uadd_sat, arg(0), arg(1));     \
  case op::k##Prefix##SubSatS:                                           \
    return e.BinaryIntrinsic(shape, intr::ssub_sat, arg(0), arg(1));     \
  case op::k##Prefix##SubSatU:                                           \
    return e.BinaryIntrinsic(shape, intr::usub_sat, arg(0), arg(1));     \
  case op::k##Prefix##AvgrU:                                             \
    return e.AvgrU(shape, arg(0), arg(1));
      RIVET_INT_MIN_MAX(I8x16, kI8x16)
      RIVET_INT_MIN_MAX(I16x8, kI16x8)
      RIVET_INT_MIN_MAX(I32x4, kI32x4)
      RIVET_INT_SATURATING(I8x16, kI8x16)
      RIVET_INT_SATURATING(I16x8, kI16x8)
#undef RIVET_INT_MIN_MAX
#undef RIVET_INT_SATURATING

    case op::kI16x8Mul:
      return e.Binary(kI16x8, BinOp::Mul, arg(0), arg(1));
    case op::kI32x4Mul:
      return e.Binary(kI32x4, BinOp::Mul, arg(0), arg(1));
    case op::kI64x2Mul:
      return e.Binary(kI64x2, BinOp::Mul, arg(0), arg(1));
    case op::kI8x16Popcnt:
      return e.UnaryIntrinsic(kI8x16, intr::ctpop, arg(0));
    case op::kI16x8Q15mulrSatS:
      return e.Q15MulrSat(arg(0), arg(1));
    case op::kI32x4DotI16x8S:
      return e.Dot(arg(0), arg(1));

    // Narrowing (signed input, signed or unsigned saturation).
    case op::kI8x16NarrowI16x8S:
      return e.Narrow(kI16x8, kI8x16, arg(0), arg(1), -128, 127);
    case op::kI8x16NarrowI16x8U:
      return e.Narrow(kI16x8, kI8x16, arg(0), arg(1), 0, 255);
    case op::kI16x8NarrowI32x4S:
      return e.Narrow(kI32x4, kI16x8, arg(0), arg(1), -32768, 32767);
    case op::kI16x8NarrowI32x4U:
      return e.Narrow(kI32x4, kI16x8, arg(0), arg(1), 0, 65535);

    // Widening: extend, extmul, extadd_pairwise.
#define RIVET_WIDENING(Wide, Narrow, wide, narrow)                                        \
  case op::k##Wide##ExtendLow##Narrow##S:                                                 \
    return e.Extend(narrow, wide, arg(0), false, true);                                   \
  case op::k##Wide##ExtendHigh##Narrow##S:                                                \
    return e.Extend(narrow, wide, arg(0), true, true);                                    \
  case op::k##Wide##ExtendLow##Narrow##U:                                                 \
    return e.Extend(narrow, wide, arg(0), false, false);                                  \
  case op::k##Wide##ExtendHigh##Narrow##U:                                                \
    return e.Extend(narrow, wide, arg(0), true, false);                                   \
  case op::k##Wide##ExtmulLow##Narrow##S:                                                 \
    return e.ExtMul(narrow, wide, arg(0), arg(1), false, true);                           \
  case op::k##Wide##ExtmulHigh##Narrow##S:                                                \
    return e.ExtMul(narrow, wide, arg(0), arg(1), true, true);                            \
  case op::k##Wide##ExtmulLow##Narrow##U:                                                 \
    return e.ExtMul(narrow, wide, arg(0), arg(1), false, false);                          \
  case op::k##Wide##ExtmulHigh##Narrow##U:                                                \
    return e.ExtMul(narrow, wide, arg(0), arg(1), true, false);
      RIVET_WIDENING(I16x8, I8x16, kI16x8, kI8x16)
      RIVET_WIDENING(I32x4, I16x8, kI32x4, kI16x8)
      RIVET_WIDENING(I64x2, I32x4, kI64x2, kI32x4)
#undef RIVET_WIDENING
    case op::kI16x8ExtaddPairwiseI8x16S:
      return e.ExtAddPairwise(kI8x16, kI16x8, arg(0), true);
    case op::kI16x8ExtaddPairwiseI8x16U:
      return e.ExtAddPairwise(kI8x16, kI16x8, arg(0), false);
    case op::kI32x4ExtaddPairwiseI16x8S:
      return e.ExtAddPairwise(kI16x8, kI32x4, arg(0), true);
    case op::kI32x4ExtaddPairwiseI16x8U:
      return e.ExtAddPairwise(kI16x8, kI32x4, arg(0), false);

    // Float lanes.
#define RIVET_FLOAT_ARITHMETIC(Prefix, shape)                              \
  case op::k##Prefix##Abs:                                                 \
    return e.FloatAbs(shape, arg(0));                                      \
  case op::k##Prefix##Neg:                                                 \
    return e.FloatNeg(shape, arg(0));                                      \
  case op::k##Prefix##Sqrt:                                                \
    return e.UnaryIntrinsic(shape, intr::sqrt, arg(0));                    \
  case op::k##Prefix##Ceil:                                                \
    return e.Round(shape, intr::ceil, arg(0));                             \
  case op::k##Prefix##Floor:                                               \
    return e.Round(shape, intr::floor, arg(0));                            \
  case op::k##Prefix##Trunc:                                               \
    return e.Round(shape, intr::trunc, arg(0));                            \
  case op::k##Prefix##Nearest:                                             \
    return e.Round(shape, intr::roundeven, arg(0));                        \
  case op::k##Prefix##Add:                                                 \
    return e.Binary(shape, BinOp::FAdd, arg(0), arg(1));              \
  case op::k##Prefix##Sub:                                                 \
    return e.Binary(shape, BinOp::FSub, arg(0), arg(1));              \
  case op::k##Prefix##Mul:                                                 \
    return e.Binary(shape, BinOp::FMul, arg(0), arg(1));              \
  case op::k##Prefix##Div:                                                 \
    return e.Binary(shape, BinOp::FDiv, arg(0), arg(1));              \
  case op::k##Prefix##Min:                                                 \
    return e.MinMax(shape, false, arg(0), arg(1));                 \
  case op::k##Prefix##Max:                                                 \
    return e.MinMax(shape, true, arg(0), arg(1));                 \
  case op::k##Prefix##Pmin:                                                \
    return e.PseudoMinMax(shape, arg(0), arg(1), false);                   \
  case op::k##Prefix##Pmax:                                                \
    return e.PseudoMinMax(shape, arg(0), arg(1), true);
      RIVET_FLOAT_ARITHMETIC(F32x4, kF32x4)
      RIVET_FLOAT_ARITHMETIC(F64x2, kF64x2)
#undef RIVET_FLOAT_ARITHMETIC

    // Conversions.
    case op::kI32x4TruncSatF32x4S:
      return e.ToV128(e.TruncSat(e.Lanes(arg(0), kF32x4), 4, true));
    case op::kI32x4TruncSatF32x4U:
      return e.ToV128(e.TruncSat(e.Lanes(arg(0), kF32x4), 4, false));
    case op::kI32x4TruncSatF64x2SZero:
      return e.WithZeroHigh(e.TruncSat(e.Lanes(arg(0), kF64x2), 2, true));
    case op::kI32x4TruncSatF64x2UZero:
      return e.WithZeroHigh(e.TruncSat(e.Lanes(arg(0), kF64x2), 2, false));
    case op::kF32x4ConvertI32x4S:
      return e.Convert(arg(0), true);
    case op::kF32x4ConvertI32x4U:
      return e.Convert(arg(0), false);
    case op::kF64x2ConvertLowI32x4S:
      return e.ConvertLow(arg(0), true);
    case op::kF64x2ConvertLowI32x4U:
      return e.ConvertLow(arg(0), false);
    case op::kF32x4DemoteF64x2Zero:
      return e.DemoteZero(arg(0));
    case op::kF64x2PromoteLowF32x4:
      return e.PromoteLow(arg(0));

    default:
      return nullptr;
  }
}

}  // namespace rivet::aot
