// Translation of wasm's value-only instructions (no memory, locals, control
// or calls) into LLVM IR. The function translator (aot/function_compiler.cc)
// pops their operands, calls these, and pushes the result.
//
// IR types of wasm values: i32 -> i32, i64 -> i64, f32 -> float,
// f64 -> double, v128 -> <2 x i64>, funcref/externref -> ptr.
#ifndef RIVET_AOT_OPS_H_
#define RIVET_AOT_OPS_H_

#include <span>

#include "llvm/IR/IRBuilder.h"
#include "loader/aot_abi.h"
#include "loader/function_validator.h"

namespace rivet::aot {

// What an op translator needs from the function being built.
class OpContext {
 public:
  virtual ~OpContext() = default;
  virtual llvm::IRBuilder<>& builder() = 0;
  // Traps with `kind` when `condition` (an i1) is true; the builder then
  // continues on the path where it is false.
  virtual void TrapIf(llvm::Value* condition, AotTrap kind) = 0;
  // Declares (once) and returns an intrinsic or library function.
  virtual llvm::Module& module() = 0;
};

// Numeric scalar instructions: RIVET_FOREACH_NUMERIC in loader/opcodes.h
// (comparisons, arithmetic, conversions, reinterpretations, sign extension,
// saturating truncation). Returns the result, or null when `ins.opcode` is
// not one of them. `operands` are in wasm order (first pushed first).
llvm::Value* EmitScalarOp(OpContext& cx, const Instruction& ins,
                          std::span<llvm::Value* const> operands);

// SIMD instructions that do not access memory: RIVET_FOREACH_SIMD_LANE and
// RIVET_FOREACH_SIMD_NUMERIC (v128.const, shuffles, lanes, splats,
// arithmetic, comparisons, conversions). Null when not one of them.
llvm::Value* EmitSimdOp(OpContext& cx, const Instruction& ins,
                        std::span<llvm::Value* const> operands);

}  // namespace rivet::aot

#endif  // RIVET_AOT_OPS_H_
