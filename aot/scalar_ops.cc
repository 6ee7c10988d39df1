// Translation of wasm's numeric scalar instructions into LLVM IR.
//
// The semantics are the interpreter's (interp/scalar_ops.h and
// interp/float_ops.h), which pass the spec suite; aot/scalar_ops_test.cc
// checks the two against each other. Everything is straight-line IR over
// LLVM instructions and intrinsics, which the optimiser understands and each
// backend lowers to instructions or (on cores without them) to the compiler
// helpers of the AOT contract. Traps go through OpContext::TrapIf, so the
// code after a trap check may assume the check passed.
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include "aot/ops.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/Type.h"
#include "loader/opcodes.h"

namespace rivet::aot {
namespace {

using llvm::CmpInst;
using llvm::Intrinsic::ID;

// Emits one instruction's IR at the builder's insertion point.
class ScalarEmitter {
 public:
  explicit ScalarEmitter(OpContext& cx) : cx_(cx), b_(cx.builder()) {}

  // Integer comparison, as wasm's i32 0/1.
  llvm::Value* ICmp(CmpInst::Predicate predicate, llvm::Value* a, llvm::Value* b) {
    return ToI32(b_.CreateICmp(predicate, a, b));
  }

  // Float comparison, as wasm's i32 0/1. Every wasm comparison but `ne` is
  // false when an operand is NaN (ordered predicates); `ne` is true (UNE).
  llvm::Value* FCmp(CmpInst::Predicate predicate, llvm::Value* a, llvm::Value* b) {
    return ToI32(b_.CreateFCmp(predicate, a, b));
  }

  llvm::Value* Eqz(llvm::Value* a) {
    return ToI32(b_.CreateICmpEQ(a, llvm::ConstantInt::get(a->getType(), 0)));
  }

  // clz and ctz of zero are the bit width in wasm, so zero is not poison.
  llvm::Value* CountZeros(ID intrinsic, llvm::Value* a) {
    return b_.CreateIntrinsic(intrinsic, {a->getType()}, {a, b_.getFalse()});
  }

  llvm::Value* Unary(ID intrinsic, llvm::Value* a) {
    return b_.CreateUnaryIntrinsic(intrinsic, a);
  }

  llvm::Value* Binary(ID intrinsic, llvm::Value* a, llvm::Value* b) {
    return b_.CreateBinaryIntrinsic(intrinsic, a, b);
  }

  // f32.min/max (and f64): NaN if either operand is NaN, and -0 < +0.
  //
  // Not llvm.minimum/maximum: LLVM 19 cannot lower them for soft-float types
  // ("Do not know how to soften the result", e.g. riscv32 without F, or f64
  // on a core with F but not D), and translation cannot tell which cores it
  // is for. On x86-64 the intrinsic's lowering is no shorter than this (and
  // passes a signalling NaN operand through unquieted, which wasm forbids).
  // Non-NaN operands: the smaller (larger) one, or, when they compare equal
  // and so differ at most in the sign of a zero, the OR (AND) of their bits,
  // which prefers -0 (+0). NaN operands take an fadd, whose NaN result LLVM
  // defines as quiet with an operand's payload or none: canonical whenever
  // the NaN operands are, as the spec requires.
  // LLVM folds x - 0.0, x + -0.0, x * 1.0, x / 1.0 (to x), x * -1.0,
  // x / -1.0, -0.0 - x (to -x) and demote(promote(x)) (to x), which passes
  // a signalling NaN through unchanged; wasm requires arithmetic results to
  // be quiet NaNs. Where the wasm code has such an operand, a NaN result
  // gets its quiet bit set explicitly (bit operations LLVM cannot fold).
  llvm::Value* QuietNaN(llvm::Value* result) {
    llvm::Type* float_type = result->getType();
    unsigned bits = float_type->getPrimitiveSizeInBits();
    llvm::Type* int_type = b_.getIntNTy(bits);
    llvm::Value* quiet_bit = llvm::ConstantInt::get(int_type, uint64_t{1} << (bits == 32 ? 22 : 51));
    llvm::Value* quieted =
        b_.CreateBitCast(b_.CreateOr(b_.CreateBitCast(result, int_type), quiet_bit), float_type);
    return b_.CreateSelect(b_.CreateFCmpUNO(result, result), quieted, result);
  }
  static bool IsFoldableIdentity(llvm::Value* operand) {
    auto* constant = llvm::dyn_cast<llvm::ConstantFP>(operand);
    if (constant == nullptr) return false;
    const llvm::APFloat& v = constant->getValueAPF();
    if (v.isZero()) return true;
    bool lost = false;
    llvm::APFloat d = v;
    d.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven, &lost);
    return d.convertToDouble() == 1.0 || d.convertToDouble() == -1.0;
  }
  llvm::Value* Arithmetic(llvm::Value* result, llvm::Value* x, llvm::Value* y) {
    return IsFoldableIdentity(x) || IsFoldableIdentity(y) ? QuietNaN(result) : result;
  }

  llvm::Value* MinMax(bool is_min, llvm::Value* a, llvm::Value* b) {
    llvm::Type* float_type = a->getType();
    llvm::Type* int_type = b_.getIntNTy(float_type->getPrimitiveSizeInBits());
    llvm::Value* a_bits = b_.CreateBitCast(a, int_type);
    llvm::Value* b_bits = b_.CreateBitCast(b, int_type);
    llvm::Value* equal = b_.CreateBitCast(
        is_min ? b_.CreateOr(a_bits, b_bits) : b_.CreateAnd(a_bits, b_bits), float_type);
    llvm::Value* a_wins = is_min ? b_.CreateFCmpOLT(a, b) : b_.CreateFCmpOGT(a, b);
    llvm::Value* b_wins = is_min ? b_.CreateFCmpOLT(b, a) : b_.CreateFCmpOGT(b, a);
    llvm::Value* ordered = b_.CreateSelect(a_wins, a, b_.CreateSelect(b_wins, b, equal));
    return b_.CreateSelect(b_.CreateFCmpUNO(a, b), b_.CreateFAdd(a, b), ordered);
  }

  // f32.nearest. Not llvm.roundeven.f32: LLVM 19's RISC-V backend cannot
  // select it when Zfa is enabled (fixed in LLVM 20, llvm-project PR 118672),
  // and InstCombine turns the obvious detour through f64 back into it.
  // Instead: below 2^23, |x| + 2^23 rounds to an integer to nearest-even
  // (the default rounding LLVM assumes; the ulp there is 1 and 2^23 is even)
  // and subtracting 2^23 is exact; the sign comes back from x, so that
  // nearest(-0.25) is -0. From 2^23 up every float is an integer (or
  // infinite), returned as x + 0.0, which is x except that a NaN comes out
  // quiet. Inline on every target, soft-float included (two helper calls).
  llvm::Value* NearestF32(llvm::Value* x) {
    llvm::Type* type = x->getType();
    llvm::Constant* two_pow_23 = llvm::ConstantFP::get(type, 8388608.0);
    llvm::Value* magnitude = Unary(llvm::Intrinsic::fabs, x);
    llvm::Value* rounded = b_.CreateFSub(b_.CreateFAdd(magnitude, two_pow_23), two_pow_23);
    return b_.CreateSelect(b_.CreateFCmpOLT(magnitude, two_pow_23),
                           Binary(llvm::Intrinsic::copysign, rounded, x),
                           b_.CreateFAdd(x, llvm::ConstantFP::get(type, 0.0)));
  }

  // Signed division: traps on a zero divisor, then on MIN / -1 (whose
  // quotient does not fit), in the interpreter's order.
  llvm::Value* DivS(llvm::Value* a, llvm::Value* b) {
    TrapOnZero(b);
    llvm::Value* overflow =
        b_.CreateAnd(b_.CreateICmpEQ(a, SignedMin(a->getType())), b_.CreateICmpEQ(b, AllOnes(b)));
    cx_.TrapIf(overflow, kAotTrapIntegerOverflow);
    return b_.CreateSDiv(a, b);
  }

  llvm::Value* DivU(llvm::Value* a, llvm::Value* b) {
    TrapOnZero(b);
    return b_.CreateUDiv(a, b);
  }

  // Signed remainder: MIN % -1 is 0 in wasm but faults in x86's idiv (and is
  // poison in LLVM), and anything % -1 is 0, so a -1 divisor becomes 1.
  llvm::Value* RemS(llvm::Value* a, llvm::Value* b) {
    TrapOnZero(b);
    llvm::Value* divisor = b_.CreateSelect(b_.CreateICmpEQ(b, AllOnes(b)),
                                           llvm::ConstantInt::get(b->getType(), 1), b);
    return b_.CreateSRem(a, divisor);
  }

  llvm::Value* RemU(llvm::Value* a, llvm::Value* b) {
    TrapOnZero(b);
    return b_.CreateURem(a, b);
  }

  // Shift counts are taken modulo the width (an LLVM shift by >= the width
  // would be poison).
  llvm::Value* MaskedCount(llvm::Value* count) {
    unsigned width = count->getType()->getIntegerBitWidth();
    return b_.CreateAnd(count, llvm::ConstantInt::get(count->getType(), width - 1));
  }

  // rotl(a, n) == fshl(a, a, n), whose count is already taken modulo the
  // width.
  llvm::Value* Rotate(ID funnel_shift, llvm::Value* a, llvm::Value* n) {
    return b_.CreateIntrinsic(funnel_shift, {a->getType()}, {a, a, n});
  }

  // iN.trunc_fM_s/u: traps with kAotTrapInvalidConversion on NaN, then with
  // kAotTrapIntegerOverflow unless trunc(x) fits, then converts (fptosi and
  // fptoui are poison out of range, which the checks exclude).
  llvm::Value* TruncChecked(llvm::Value* x, llvm::Type* int_type, bool is_signed) {
    cx_.TrapIf(b_.CreateFCmpUNO(x, x), kAotTrapInvalidConversion);
    auto [lower, upper] = TruncBounds(x->getType(), int_type->getIntegerBitWidth(), is_signed);
    // In range: lower < x < upper (both bounds exclusive, see TruncBounds).
    llvm::Value* out_of_range = b_.CreateOr(
        b_.CreateFCmpOLE(x, llvm::ConstantFP::get(x->getType(), lower)),
        b_.CreateFCmpOGE(x, llvm::ConstantFP::get(x->getType(), upper)));
    cx_.TrapIf(out_of_range, kAotTrapIntegerOverflow);
    return is_signed ? b_.CreateFPToSI(x, int_type) : b_.CreateFPToUI(x, int_type);
  }

  // iN.trunc_sat_fM_s/u: NaN is 0, out of range saturates, exactly as LLVM's
  // fptosi.sat / fptoui.sat define it.
  llvm::Value* TruncSat(llvm::Value* x, llvm::Type* int_type, bool is_signed) {
    ID intrinsic = is_signed ? llvm::Intrinsic::fptosi_sat : llvm::Intrinsic::fptoui_sat;
    return b_.CreateIntrinsic(intrinsic, {int_type, x->getType()}, {x});
  }

  // iN.extendM_s: sign-extends the low M bits.
  llvm::Value* ExtendLow(llvm::Value* a, unsigned bits) {
    return b_.CreateSExt(b_.CreateTrunc(a, b_.getIntNTy(bits)), a->getType());
  }

  llvm::Value* ToI32(llvm::Value* flag) { return b_.CreateZExt(flag, b_.getInt32Ty()); }

  llvm::IRBuilder<>& builder() { return b_; }

 private:
  void TrapOnZero(llvm::Value* divisor) {
    cx_.TrapIf(b_.CreateICmpEQ(divisor, llvm::ConstantInt::get(divisor->getType(), 0)),
               kAotTrapIntegerDivideByZero);
  }

  static llvm::Constant* SignedMin(llvm::Type* type) {
    return llvm::ConstantInt::get(
        type, llvm::APInt::getSignedMinValue(type->getIntegerBitWidth()));
  }

  static llvm::Constant* AllOnes(llvm::Value* like) {
    return llvm::ConstantInt::getAllOnesValue(like->getType());
  }

  // Exclusive bounds (lower, upper) such that trunc(x) fits an integer of
  // `int_bits` exactly when lower < x < upper, for a non-NaN x. Every bound
  // is a power of two or one less than one, exactly representable in the
  // float type where it is used, so the comparison does not round (the
  // interpreter's TruncInRange, written with exclusive bounds).
  static std::pair<double, double> TruncBounds(llvm::Type* float_type, unsigned int_bits,
                                               bool is_signed) {
    unsigned mantissa_digits = float_type->isFloatTy() ? 24 : 53;
    if (!is_signed) {
      // trunc(x) >= 0 exactly when x > -1; it fits when x < 2^N.
      return {-1.0, std::ldexp(1.0, static_cast<int>(int_bits))};
    }
    unsigned value_bits = int_bits - 1;
    double upper = std::ldexp(1.0, static_cast<int>(value_bits));
    // trunc(x) >= -2^k exactly when x > -2^k - 1. When -2^k - 1 is not
    // representable (k >= the mantissa digits), no float lies between it and
    // -2^k, so the previous float below -2^k is an equivalent exclusive bound.
    double lower = value_bits < mantissa_digits
                       ? -upper - 1.0
                       : (float_type->isFloatTy()
                              ? static_cast<double>(std::nextafter(static_cast<float>(-upper),
                                                                   -std::numeric_limits<float>::infinity()))
                              : std::nextafter(-upper, -std::numeric_limits<double>::infinity()));
    return {lower, upper};
  }

  OpContext& cx_;
  llvm::IRBuilder<>& b_;
};

}  // namespace

llvm::Value* EmitScalarOp(OpContext& cx, const Instruction& ins,
                          std::span<llvm::Value* const> operands) {
  const OpInfo& info = GetOpInfo(ins.opcode);
  // Operands that do not match the opcode's signature mean the caller is not
  // translating one of these instructions as the table types it: not ours.
  if (!info.known() || operands.size() != info.num_params) return nullptr;
  ScalarEmitter e(cx);
  llvm::IRBuilder<>& b = e.builder();
  llvm::Value* x = operands.size() > 0 ? operands[0] : nullptr;
  llvm::Value* y = operands.size() > 1 ? operands[1] : nullptr;
  llvm::Type* i32 = b.getInt32Ty();
  llvm::Type* i64 = b.getInt64Ty();
  llvm::Type* f32 = b.getFloatTy();
  llvm::Type* f64 = b.getDoubleTy();
  using enum CmpInst::Predicate;
  namespace intr = llvm::Intrinsic;

  switch (ins.opcode) {
    // Comparisons and tests.
    case op::kI32Eqz:
    case op::kI64Eqz: return e.Eqz(x);
    case op::kI32Eq:
    case op::kI64Eq: return e.ICmp(ICMP_EQ, x, y);
    case op::kI32Ne:
    case op::kI64Ne: return e.ICmp(ICMP_NE, x, y);
    case op::kI32LtS:
    case op::kI64LtS: return e.ICmp(ICMP_SLT, x, y);
    case op::kI32LtU:
    case op::kI64LtU: return e.ICmp(ICMP_ULT, x, y);
    case op::kI32GtS:
    case op::kI64GtS: return e.ICmp(ICMP_SGT, x, y);
    case op::kI32GtU:
    case op::kI64GtU: return e.ICmp(ICMP_UGT, x, y);
    case op::kI32LeS:
    case op::kI64LeS: return e.ICmp(ICMP_SLE, x, y);
    case op::kI32LeU:
    case op::kI64LeU: return e.ICmp(ICMP_ULE, x, y);
    case op::kI32GeS:
    case op::kI64GeS: return e.ICmp(ICMP_SGE, x, y);
    case op::kI32GeU:
    case op::kI64GeU: return e.ICmp(ICMP_UGE, x, y);
    case op::kF32Eq:
    case op::kF64Eq: return e.FCmp(FCMP_OEQ, x, y);
    case op::kF32Ne:
    case op::kF64Ne: return e.FCmp(FCMP_UNE, x, y);
    case op::kF32Lt:
    case op::kF64Lt: return e.FCmp(FCMP_OLT, x, y);
    case op::kF32Gt:
    case op::kF64Gt: return e.FCmp(FCMP_OGT, x, y);
    case op::kF32Le:
    case op::kF64Le: return e.FCmp(FCMP_OLE, x, y);
    case op::kF32Ge:
    case op::kF64Ge: return e.FCmp(FCMP_OGE, x, y);

    // Integer arithmetic.
    case op::kI32Clz:
    case op::kI64Clz: return e.CountZeros(intr::ctlz, x);
    case op::kI32Ctz:
    case op::kI64Ctz: return e.CountZeros(intr::cttz, x);
    case op::kI32Popcnt:
    case op::kI64Popcnt: return e.Unary(intr::ctpop, x);
    case op::kI32Add:
    case op::kI64Add: return b.CreateAdd(x, y);
    case op::kI32Sub:
    case op::kI64Sub: return b.CreateSub(x, y);
    case op::kI32Mul:
    case op::kI64Mul: return b.CreateMul(x, y);
    case op::kI32DivS:
    case op::kI64DivS: return e.DivS(x, y);
    case op::kI32DivU:
    case op::kI64DivU: return e.DivU(x, y);
    case op::kI32RemS:
    case op::kI64RemS: return e.RemS(x, y);
    case op::kI32RemU:
    case op::kI64RemU: return e.RemU(x, y);
    case op::kI32And:
    case op::kI64And: return b.CreateAnd(x, y);
    case op::kI32Or:
    case op::kI64Or: return b.CreateOr(x, y);
    case op::kI32Xor:
    case op::kI64Xor: return b.CreateXor(x, y);
    case op::kI32Shl:
    case op::kI64Shl: return b.CreateShl(x, e.MaskedCount(y));
    case op::kI32ShrS:
    case op::kI64ShrS: return b.CreateAShr(x, e.MaskedCount(y));
    case op::kI32ShrU:
    case op::kI64ShrU: return b.CreateLShr(x, e.MaskedCount(y));
    case op::kI32Rotl:
    case op::kI64Rotl: return e.Rotate(intr::fshl, x, y);
    case op::kI32Rotr:
    case op::kI64Rotr: return e.Rotate(intr::fshr, x, y);

    // Float arithmetic. fabs, fneg and copysign only touch the sign bit, NaN
    // payloads included, as the spec requires of abs, neg and copysign.
    case op::kF32Abs:
    case op::kF64Abs: return e.Unary(intr::fabs, x);
    case op::kF32Neg:
    case op::kF64Neg: return b.CreateFNeg(x);
    // Rounding must quiet a signalling NaN: x86's roundss does, but LLVM's
    // RISC-V lowering (convert to integer and back below 2^52, else x
    // itself) returns the NaN unchanged. QuietNaN keeps the result exact.
    case op::kF32Ceil:
    case op::kF64Ceil: return e.QuietNaN(e.Unary(intr::ceil, x));
    case op::kF32Floor:
    case op::kF64Floor: return e.QuietNaN(e.Unary(intr::floor, x));
    case op::kF32Trunc:
    case op::kF64Trunc: return e.QuietNaN(e.Unary(intr::trunc, x));
    case op::kF32Nearest: return e.NearestF32(x);
    case op::kF64Nearest: return e.QuietNaN(e.Unary(intr::roundeven, x));
    case op::kF32Sqrt:
    case op::kF64Sqrt: return e.Unary(intr::sqrt, x);
    case op::kF32Add:
    case op::kF64Add: return e.Arithmetic(b.CreateFAdd(x, y), x, y);
    case op::kF32Sub:
    case op::kF64Sub: return e.Arithmetic(b.CreateFSub(x, y), x, y);
    case op::kF32Mul:
    case op::kF64Mul: return e.Arithmetic(b.CreateFMul(x, y), x, y);
    case op::kF32Div:
    case op::kF64Div: return e.Arithmetic(b.CreateFDiv(x, y), x, y);
    case op::kF32Min:
    case op::kF64Min: return e.MinMax(/*is_min=*/true, x, y);
    case op::kF32Max:
    case op::kF64Max: return e.MinMax(/*is_min=*/false, x, y);
    case op::kF32Copysign:
    case op::kF64Copysign: return e.Binary(intr::copysign, x, y);

    // Conversions.
    case op::kI32WrapI64: return b.CreateTrunc(x, i32);
    case op::kI64ExtendI32S: return b.CreateSExt(x, i64);
    case op::kI64ExtendI32U: return b.CreateZExt(x, i64);
    case op::kI32TruncF32S:
    case op::kI32TruncF64S: return e.TruncChecked(x, i32, /*is_signed=*/true);
    case op::kI32TruncF32U:
    case op::kI32TruncF64U: return e.TruncChecked(x, i32, /*is_signed=*/false);
    case op::kI64TruncF32S:
    case op::kI64TruncF64S: return e.TruncChecked(x, i64, /*is_signed=*/true);
    case op::kI64TruncF32U:
    case op::kI64TruncF64U: return e.TruncChecked(x, i64, /*is_signed=*/false);
    case op::kI32TruncSatF32S:
    case op::kI32TruncSatF64S: return e.TruncSat(x, i32, /*is_signed=*/true);
    case op::kI32TruncSatF32U:
    case op::kI32TruncSatF64U: return e.TruncSat(x, i32, /*is_signed=*/false);
    case op::kI64TruncSatF32S:
    case op::kI64TruncSatF64S: return e.TruncSat(x, i64, /*is_signed=*/true);
    case op::kI64TruncSatF32U:
    case op::kI64TruncSatF64U: return e.TruncSat(x, i64, /*is_signed=*/false);
    // sitofp/uitofp round to nearest-even in one step, like the
    // interpreter's static_cast (never through a wider float, which would
    // round twice).
    case op::kF32ConvertI32S:
    case op::kF32ConvertI64S: return b.CreateSIToFP(x, f32);
    case op::kF32ConvertI32U:
    case op::kF32ConvertI64U: return b.CreateUIToFP(x, f32);
    case op::kF64ConvertI32S:
    case op::kF64ConvertI64S: return b.CreateSIToFP(x, f64);
    case op::kF64ConvertI32U:
    case op::kF64ConvertI64U: return b.CreateUIToFP(x, f64);
    case op::kF32DemoteF64: {
      llvm::Value* demoted = b.CreateFPTrunc(x, f32);
      return llvm::isa<llvm::FPExtInst>(x) ? e.QuietNaN(demoted) : demoted;
    }
    case op::kF64PromoteF32: return b.CreateFPExt(x, f64);
    case op::kI32ReinterpretF32: return b.CreateBitCast(x, i32);
    case op::kI64ReinterpretF64: return b.CreateBitCast(x, i64);
    case op::kF32ReinterpretI32: return b.CreateBitCast(x, f32);
    case op::kF64ReinterpretI64: return b.CreateBitCast(x, f64);
    case op::kI32Extend8S:
    case op::kI64Extend8S: return e.ExtendLow(x, 8);
    case op::kI32Extend16S:
    case op::kI64Extend16S: return e.ExtendLow(x, 16);
    case op::kI64Extend32S: return e.ExtendLow(x, 32);
    default: return nullptr;
  }
}

}  // namespace rivet::aot
