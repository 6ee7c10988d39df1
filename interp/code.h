// The interpreter's internal code form.
//
// Each function is translated once, at instantiation, into a sequence of
// 64-bit words: the address of the handler for an operation, followed by
// its immediates. The form is a register machine over the frame: every
// operand is a slot offset from the frame base, known at translation time
// because wasm's operand stack has a static height at every instruction.
// So `local.get` costs nothing (the operation reads the local's slot), a
// result can be written straight into the local a `local.set` names, and
// there is no stack pointer to maintain at run time. Dispatch is direct
// threading: every handler ends with a jump through the next word.
//
// Values live in 64-bit slots (v128 in two). A frame is the function's
// parameters, then its locals, then the slots of its operand stack; a call
// passes arguments in the caller's operand slots, which become the base of
// the callee's frame.
#ifndef RIVET_INTERP_CODE_H_
#define RIVET_INTERP_CODE_H_

#include <cstdint>
#include <vector>

#include "loader/opcodes.h"

namespace rivet {

union Word {
  const void* handler;
  const Word* target;  // a branch target
  uint64_t u64;
  int64_t s64;
  void* ptr;
};
static_assert(sizeof(Word) == 8);

struct CompiledFunction {
  std::vector<Word> code;
  uint32_t param_slots = 0;
  uint32_t local_slots = 0;  // after the parameters
  uint32_t result_slots = 0;
  uint32_t frame_slots = 0;  // parameters, locals and the deepest operand stack
};

namespace interp {

// Operations of the internal form that are not one wasm instruction each.
// Immediates are listed in order; "slot" means a frame slot offset.
#define RIVET_FOREACH_INTERNAL_OP(V)                                             \
  V(Trap)               /* kind */                                               \
  V(Check)              /* at loop headers of metered code: interrupt and fuel */ \
  V(Br)                 /* target */                                             \
  V(BrMove)             /* keep, from slot, to slot, target */                   \
  V(BrIfNz)             /* cond slot, target */                                  \
  V(BrIfNzMove)         /* cond slot, keep, from, to, target */                  \
  V(BrIfZ)              /* cond slot, target: `if` */                            \
  V(BrTable)            /* index slot, count, keep, from, (to, target) x count+1 */ \
  V(Return)             /* result slots, from slot */                            \
  V(Call)               /* FuncInstance*, argument base slot */                  \
  V(CallIndirect)       /* Table*, FuncType*, index slot, argument base slot */  \
  V(ReturnCall)         /* FuncInstance*, argument base slot */                  \
  V(ReturnCallIndirect) /* Table*, FuncType*, index slot, argument base slot */  \
  V(Copy)               /* dst, src */                                           \
  V(Copy128)            /* dst, src */                                           \
  V(Select)             /* dst, a, b, cond */                                    \
  V(Select128)          /* dst, a, b, cond */                                    \
  V(GlobalGet)          /* dst, Global* */                                       \
  V(GlobalSet)          /* src, Global* */                                       \
  V(GlobalGet128)       /* dst, Global* */                                       \
  V(GlobalSet128)       /* src, Global* */                                       \
  V(Const)              /* dst, bits: numbers and references */                  \
  V(Const128)           /* dst, low, high */                                     \
  V(RefIsNull)          /* dst, src */                                           \
  V(TableGet)           /* dst, index, Table* */                                 \
  V(TableSet)           /* index, value, Table* */                               \
  V(TableSize)          /* dst, Table* */                                        \
  V(TableGrow)          /* dst, init, delta, Table* */                           \
  V(TableFill)          /* start, value, n, Table* */                            \
  V(TableInit)          /* dest, src, n, Table*, segment* */                     \
  V(TableCopy)          /* dest, src, n, dst Table*, src Table* */               \
  V(ElemDrop)           /* segment* */                                           \
  V(MemorySize)         /* dst, Memory* */                                       \
  V(MemoryGrow)         /* dst, delta, Memory* */                                \
  V(MemoryInit)         /* dest, src, n, Memory*, data* */                       \
  V(DataDrop)           /* data* */                                              \
  V(MemoryCopy)         /* dest, src, n, dst Memory*, src Memory* */             \
  V(MemoryFill)         /* dest, value, n, Memory* */                            \
  V(UseMemory)          /* Memory*: the next access uses this memory */          \
  V(RestoreMemory)      /* back to memory 0 */

// Operations from the opcode table take their operands in a fixed layout:
//   pure operations (numeric, SIMD):  [dst] src...  [lane | 2 shuffle words]
//   their K forms (numeric):          dst, src..., constant (the last operand)
//   loads:                            dst, address, offset
//   stores:                           address, value, offset
//   SIMD lane loads:                  dst, address, vector, offset, lane
//   SIMD lane stores:                 address, vector, offset, lane
//   atomic read-modify-write:         dst, address, value..., offset
//   wait / notify:                    dst, address, operands..., offset
// (no dst for operations without a result).

// Every handler: the internal ops, then one per wasm instruction executed
// by a generic rule (numeric, loads and stores, SIMD, atomics).
// Pure scalar operations also come in a form whose last operand is a
// constant in the code ("K" forms: [dst][sources...][constant bits]), so
// that `i32.const` feeding an operation costs no dispatch of its own.
#define RIVET_HANDLER_ENUM_CONSTANT(name, ...) k##name##K,
// Memory accesses whose address is an i32.add just computed take the sum's
// operands instead: two slots (X forms) or a slot and a constant (XK
// forms), in place of the address: [dst][a][b][offset] for loads,
// [a][b][value][offset] for stores. The sum still wraps at 32 bits.
#define RIVET_FOREACH_INDEXED_OPCODE(V)                     \
  RIVET_FOREACH_LOAD_STORE_OPCODE(V)                        \
  V(V128Load, 0xfd00, "v128.load", kMemArg, "i:v", 16)      \
  V(V128Store, 0xfd0b, "v128.store", kMemArg, "iv:", 16)
// The XW and XKW forms also write the sum to a local first (the usual
// pointer bump, `p = p + 16; load p`): [...][offset][local].
// For scalar stores, the V form takes the value as a constant: [address][constant]
// [offset] (loads have the label but never use it).
#define RIVET_HANDLER_ENUM_INDEXED(name, ...) \
  k##name##X, k##name##XK, k##name##XW, k##name##XKW, k##name##V,
// The usual loop latch, `x = a + b; br_if (x <cmp> c)`, is one operation:
// [x][a][b or constant][c or constant][target] writes x and branches when
// the i32 comparison holds.
#define RIVET_FOREACH_LATCH_COMPARE(V) \
  V(I32Eq) V(I32Ne) V(I32LtS) V(I32LtU) V(I32GtS) V(I32GtU) V(I32LeS) V(I32LeU) V(I32GeS) V(I32GeU)
#define RIVET_HANDLER_ENUM_LATCH(name) \
  kAdd##name##BrIf, kAddK##name##BrIf, kAdd##name##KBrIf, kAddK##name##KBrIf,
// Chains of two integer operations with constant operands, the first feeding
// the second (`(x + 8) << 2`, `(c - 48) <u 10`), are one operation:
// [dst][x][a][b] computes B(A(x, a), b).
#define RIVET_FOREACH_CHAIN_FIRST(V) \
  V(I32Add) V(I32Sub) V(I32Mul) V(I32And) V(I32Or) V(I32Xor) V(I32Shl) V(I32ShrS) V(I32ShrU)
#define RIVET_FOREACH_CHAIN_SECOND(V, A)                                                \
  V(A, I32Add) V(A, I32Sub) V(A, I32Mul) V(A, I32And) V(A, I32Or) V(A, I32Xor)          \
  V(A, I32Shl) V(A, I32ShrS) V(A, I32ShrU) V(A, I32Eq) V(A, I32Ne) V(A, I32LtS)         \
  V(A, I32LtU) V(A, I32GtS) V(A, I32GtU) V(A, I32LeS) V(A, I32LeU) V(A, I32GeS) V(A, I32GeU)
// The same for i64 arithmetic.
#define RIVET_FOREACH_CHAIN64_FIRST(V) \
  V(I64Add) V(I64Sub) V(I64Mul) V(I64And) V(I64Or) V(I64Xor) V(I64Shl) V(I64ShrS) V(I64ShrU)
#define RIVET_FOREACH_CHAIN64_SECOND(V, A)                                        \
  V(A, I64Add) V(A, I64Sub) V(A, I64Mul) V(A, I64And) V(A, I64Or) V(A, I64Xor)    \
  V(A, I64Shl) V(A, I64ShrS) V(A, I64ShrU)
#define RIVET_FOREACH_CHAIN(V)                     \
  RIVET_FOREACH_CHAIN_FIRST(RIVET_CHAIN_ROW_##V)   \
  RIVET_FOREACH_CHAIN64_FIRST(RIVET_CHAIN64_ROW_##V)
#define RIVET_HANDLER_ENUM_CHAIN(A, B) k##A##K##B##K,
#define RIVET_CHAIN_ROW_RIVET_HANDLER_ENUM_CHAIN(A) \
  RIVET_FOREACH_CHAIN_SECOND(RIVET_HANDLER_ENUM_CHAIN, A)
#define RIVET_CHAIN64_ROW_RIVET_HANDLER_ENUM_CHAIN(A) \
  RIVET_FOREACH_CHAIN64_SECOND(RIVET_HANDLER_ENUM_CHAIN, A)
// A float multiply feeding an add is one operation (still rounded twice,
// as two instructions are): [dst][a][b][c] computes (a*b) + c (MulAdd) or
// c + (a*b) (AddMul), keeping the operands' order.
#define RIVET_FOREACH_MUL_ADD(V) \
  V(F32, F32Mul, F32Add) V(F64, F64Mul, F64Add) V(F32x4, F32x4Mul, F32x4Add) V(F64x2, F64x2Mul, F64x2Add)
#define RIVET_HANDLER_ENUM_MUL_ADD(name, ...) k##name##MulAdd, k##name##AddMul,
// Comparisons feeding a select (of one-slot values) fuse with it:
// [dst][a][b][x][y or constant] picks a when the comparison of x and y holds.
#define RIVET_HANDLER_ENUM_SELECT(name, ...) k##name##Select, k##name##KSelect,
// Comparisons feeding br_if or if also fuse with the branch:
//   [a][b or constant][target], branching when the result is non-zero
//   (BrIf) or zero (BrUnless, for `if`).
#define RIVET_HANDLER_ENUM_BRANCH(name, ...) \
  k##name##BrIf, k##name##BrUnless, k##name##KBrIf, k##name##KBrUnless,

enum class Handler : uint16_t {
#define RIVET_HANDLER_ENUM(name, ...) k##name,
  RIVET_FOREACH_INTERNAL_OP(RIVET_HANDLER_ENUM)
  RIVET_FOREACH_LOAD_STORE_OPCODE(RIVET_HANDLER_ENUM)
  RIVET_FOREACH_NUMERIC_OPCODE(RIVET_HANDLER_ENUM)
  RIVET_FOREACH_SIMD_MEMORY_OPCODE(RIVET_HANDLER_ENUM)
  RIVET_FOREACH_SIMD_LANE_OPCODE(RIVET_HANDLER_ENUM)
  RIVET_FOREACH_SIMD_NUMERIC_OPCODE(RIVET_HANDLER_ENUM)
  RIVET_FOREACH_ATOMIC_OPCODE(RIVET_HANDLER_ENUM)
  RIVET_FOREACH_NUMERIC_OPCODE(RIVET_HANDLER_ENUM_CONSTANT)
  RIVET_FOREACH_COMPARE_OPCODE(RIVET_HANDLER_ENUM_BRANCH)
  RIVET_FOREACH_INDEXED_OPCODE(RIVET_HANDLER_ENUM_INDEXED)
  RIVET_FOREACH_LATCH_COMPARE(RIVET_HANDLER_ENUM_LATCH)
  RIVET_FOREACH_CHAIN(RIVET_HANDLER_ENUM_CHAIN)
  RIVET_FOREACH_COMPARE_OPCODE(RIVET_HANDLER_ENUM_SELECT)
  RIVET_FOREACH_MUL_ADD(RIVET_HANDLER_ENUM_MUL_ADD)
#undef RIVET_HANDLER_ENUM
  kCount
};

// The address of each handler in the interpreter's dispatch loop.
const void* const* HandlerTable();

}  // namespace interp
}  // namespace rivet

#endif  // RIVET_INTERP_CODE_H_
