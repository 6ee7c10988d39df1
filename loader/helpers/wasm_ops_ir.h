// LLVM IR that exercises every operation wasm code can make the AOT compiler
// emit, for finding out which helper functions a target's code calls.
#ifndef RIVET_LOADER_HELPERS_WASM_OPS_IR_H_
#define RIVET_LOADER_HELPERS_WASM_OPS_IR_H_

#include <string>

namespace rivet::helpers {

// A module of one small function per operation: integer arithmetic, shifts,
// rotates and bit counts of i32 and i64; every float operation, comparison
// and conversion of f32 and f64 (llvm.minimum/maximum, llvm.roundeven,
// fptosi.sat, ...); the same on <4 x float>, <2 x double> and the integer
// vector shapes (which cores without vectors scalarise); atomics of 1, 2, 4
// and 8 bytes of every kind; and the memory intrinsics. The module has no
// triple or data layout: llc supplies them.
struct WasmIrOptions {
  // The target's pointer width (32 or 64), which sizes the memory
  // intrinsics' lengths.
  int pointer_bits = 64;
  // Whether the target has f32 / f64 arithmetic in hardware. Without it,
  // llvm.minimum/maximum of that type are left out: LLVM 19 cannot soften
  // them (llc aborts), so the AOT compiler must expand wasm's min/max into
  // comparisons and selects itself on such targets.
  bool f32_in_hardware = true;
  bool f64_in_hardware = true;
};
std::string WasmOperationsIr(const WasmIrOptions& options);

}  // namespace rivet::helpers

#endif  // RIVET_LOADER_HELPERS_WASM_OPS_IR_H_
