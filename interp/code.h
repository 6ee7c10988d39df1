// The interpreter's internal code form.
//
// Each function is translated once, at instantiation, into a sequence of
// 64-bit words: the address of the handler for an operation, followed by
// its immediates (slot offsets, constants, precomputed branch targets,
// pointers to the instance's objects). Dispatch is direct threading: every
// handler ends with a jump through the next word, so there is no decoding,
// no LEB128 and no search for a branch target at run time.
//
// Values live in 64-bit slots (v128 in two): a frame is the callee's
// parameters, then its locals, then its operand stack, and locals are
// addressed by their slot offset from the frame base.
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
  uint32_t max_stack_slots = 0;  // operand stack high-water mark
};

namespace interp {

// Operations of the internal form that are not one wasm instruction each.
#define RIVET_FOREACH_INTERNAL_OP(V)                                       \
  V(Trap)              /* [kind] */                                        \
  V(Br)                /* [target] */                                      \
  V(BrMove)            /* [keep][height][target]: keep top slots at height */ \
  V(BrIfNz)            /* [target] */                                      \
  V(BrIfNzMove)        /* [keep][height][target] */                        \
  V(BrIfZ)             /* [target]: `if` */                                \
  V(BrTable)           /* [count][count+1 x (keep, height, target)] */     \
  V(Return)            /* [result slots] */                                \
  V(Call)              /* [Function*] */                                   \
  V(CallIndirect)      /* [Table*][FuncType*] */                           \
  V(ReturnCall)        /* [Function*] */                                   \
  V(ReturnCallIndirect) /* [Table*][FuncType*] */                          \
  V(Drop)              /* [slots] */                                       \
  V(Select)            /* one-slot values */                               \
  V(Select128)                                                             \
  V(LocalGet)          /* [slot] */                                        \
  V(LocalSet)                                                              \
  V(LocalTee)                                                              \
  V(LocalGet128)                                                           \
  V(LocalSet128)                                                           \
  V(LocalTee128)                                                           \
  V(GlobalGet)         /* [Global*] */                                     \
  V(GlobalSet)                                                             \
  V(GlobalGet128)                                                          \
  V(GlobalSet128)                                                          \
  V(Const)             /* [bits]: numbers and references */                \
  V(Const128)          /* [low][high] */                                   \
  V(RefIsNull)                                                             \
  V(TableGet)          /* [Table*] */                                      \
  V(TableSet)                                                              \
  V(TableSize)                                                             \
  V(TableGrow)                                                             \
  V(TableFill)                                                             \
  V(TableInit)         /* [Table*][elem index] */                          \
  V(TableCopy)         /* [dst Table*][src Table*] */                      \
  V(ElemDrop)          /* [elem index] */                                  \
  V(MemorySize)        /* [Memory*] */                                     \
  V(MemoryGrow)        /* [Memory*] */                                     \
  V(MemoryInit)        /* [Memory*][data index] */                         \
  V(DataDrop)          /* [data index] */                                  \
  V(MemoryCopy)        /* [dst Memory*][src Memory*] */                    \
  V(MemoryFill)        /* [Memory*] */                                     \
  V(UseMemory)         /* [Memory*]: the next access uses this memory */   \
  V(RestoreMemory)     /* back to memory 0 */

// Every handler: the internal ops, then one per wasm instruction executed
// by a generic rule (numeric, loads and stores, SIMD, atomics).
enum class Handler : uint16_t {
#define RIVET_HANDLER_ENUM(name, ...) k##name,
  RIVET_FOREACH_INTERNAL_OP(RIVET_HANDLER_ENUM)
  RIVET_FOREACH_LOAD_STORE_OPCODE(RIVET_HANDLER_ENUM)
  RIVET_FOREACH_NUMERIC_OPCODE(RIVET_HANDLER_ENUM)
  RIVET_FOREACH_SIMD_MEMORY_OPCODE(RIVET_HANDLER_ENUM)
  RIVET_FOREACH_SIMD_LANE_OPCODE(RIVET_HANDLER_ENUM)
  RIVET_FOREACH_SIMD_NUMERIC_OPCODE(RIVET_HANDLER_ENUM)
  RIVET_FOREACH_ATOMIC_OPCODE(RIVET_HANDLER_ENUM)
#undef RIVET_HANDLER_ENUM
  kCount
};

// The address of each handler in the interpreter's dispatch loop.
const void* const* HandlerTable();

}  // namespace interp
}  // namespace rivet

#endif  // RIVET_INTERP_CODE_H_
