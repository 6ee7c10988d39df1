// The AOT calling contract: everything code compiled by `rivet compile` may
// assume about the runtime, and everything the runtime may assume about that
// code. The compiler (aot/) and the loader and runtime (loader/, runtime/)
// both include this header; a change to anything here bumps kAotAbiVersion,
// and the loader refuses code compiled against any other version.
//
// This header is freestanding C++ (only <stdint.h>/<stddef.h>), so that it
// also serves rv32 firmware.
//
// ## Objects compiled code reads
//
// Every structure below is made of pointer-sized fields and uint64_t fields
// only, placed so that their offsets depend on nothing but the target's
// pointer width (the compiler describes them to LLVM as the same structs).
//
// ## Functions
//
// Defined function `i` of a module (its index in the function index space,
// imports included) is the ELF symbol `rivet_func_<i>`, with the signature
//   R rivet_func_<i>(AotContext* ctx, P0 p0, P1 p1, ...)
// in the target's wasm calling convention: LLVM's tailcc on x86-64 (so that
// return_call is a guaranteed tail call) and fastcc on RISC-V (whose backend
// has no tailcc):
// i32 is int32_t, i64 int64_t, f32 float, f64 double, v128 a 16-byte vector,
// funcref/externref a pointer. No result is void; one result is returned
// directly; several are returned as an LLVM first-class struct of them in
// order (which the backend may lower through a hidden pointer).
//
// Functions the host may call (exports, functions that element segments or
// ref.func can make into references, and the start function) also have an
// entry wrapper in the C calling convention:
//   void rivet_entry_<i>(AotContext* ctx, uint64_t* slots)
// It reads the arguments from `slots` (one slot per value; v128 takes two,
// low half first; i32/f32 in the low 32 bits) and writes the results back over
// them from slot 0; the caller provides max(param slots, result slots).
//
// ## Traps
//
// Compiled code traps by calling rivet_aot_trap(ctx, kind), which does not
// return: the runtime unwinds to the innermost entry (the runtime's setjmp
// before it called rivet_entry_<i>). `kind` is the runtime's TrapKind value
// (the AotTrap enum below mirrors it). Nothing compiled code holds needs
// cleaning up, so unwinding is a longjmp on every target.
//
// Stack exhaustion: every function that makes calls compares its stack
// pointer with `ctx->store->stack_limit` on entry and traps with
// kAotTrapCallStackExhausted below it. The runtime sets the limit when a
// thread first enters compiled code (the store is used by one thread at a
// time), leaving room below it for helpers and host functions.
//
// ## Helpers
//
// Everything else compiled code calls is an undefined ELF symbol that the
// loader resolves: the rivet_aot_* runtime helpers declared below, and the
// compiler helpers that LLVM calls on cores lacking an extension (__mulsi3,
// __divdi3, __atomic_compare_exchange_4, __adddf3, memcpy, ceilf, ...), which
// rivet implements in software in its helper table whatever the runtime
// itself was built for. The AOT section lists every symbol its code needs.
#ifndef RIVET_LOADER_AOT_ABI_H_
#define RIVET_LOADER_AOT_ABI_H_

#include <stddef.h>
#include <stdint.h>

namespace rivet::aot {

inline constexpr uint32_t kAotAbiVersion = 1;

// The name of the custom section that carries compiled code; a module may
// hold one per target (loader/aot_section.h describes its contents).
inline constexpr char kAotSectionName[] = "rivet.aot";

// Symbol names, as prefixes followed by the decimal function index.
inline constexpr char kFuncSymbolPrefix[] = "rivet_func_";
inline constexpr char kEntrySymbolPrefix[] = "rivet_entry_";

// A function as compiled code sees it. Every FuncInstance starts with one, so
// a funcref (a FuncInstance*, see runtime/store.h) points at it.
struct AotFunc {
  // The function's native code in the wasm calling convention, when it was
  // compiled for this host; null for host functions and interpreted ones,
  // which compiled code calls through rivet_aot_call.
  void* code;
  // The AotContext to pass to `code`.
  void* context;
  // Canonical signature id: two functions have the same id if and only if
  // their types are equal (the runtime interns types process-wide).
  uintptr_t type_id;
};

// A linear memory: its bytes and their number. Growth may move `base`
// (unless the memory is shared), so compiled code reloads both after any
// call.
struct AotMemory {
  uint8_t* base;
  uint64_t size;  // bytes
};

// A table: its elements (each a reference, 0 for null; a funcref is an
// AotFunc*) and their number.
struct AotTable {
  uintptr_t* elements;
  uintptr_t size;
};

// What the runtime keeps per store for compiled code.
struct AotStoreState {
  // Compiled code traps when its stack pointer is below this address.
  uintptr_t stack_limit;
};

// The instance as compiled code sees it. Field order is part of the ABI.
struct AotContext {
  void* instance;                // the runtime's Instance*, for helpers
  AotStoreState* store;
  AotFunc** functions;           // the function index space
  AotMemory** memories;          // the memory index space
  AotTable** tables;             // the table index space
  uint64_t** globals;            // each points at the global's value slots
  const uintptr_t* type_ids;     // module type index -> canonical type id
};

// Trap kinds: the values of the runtime's TrapKind (runtime/store.h), which
// static_asserts that they agree.
enum AotTrap : uint32_t {
  kAotTrapUnreachable = 0,
  kAotTrapMemoryOutOfBounds = 1,
  kAotTrapTableOutOfBounds = 2,
  kAotTrapIntegerDivideByZero = 3,
  kAotTrapIntegerOverflow = 4,
  kAotTrapInvalidConversion = 5,
  kAotTrapIndirectCallTypeMismatch = 6,
  kAotTrapUninitializedElement = 7,
  kAotTrapUndefinedElement = 8,
  kAotTrapCallStackExhausted = 9,
  kAotTrapUnalignedAtomic = 10,
  kAotTrapExpectedSharedMemory = 11,
};

}  // namespace rivet::aot

// The runtime helpers compiled code calls (C linkage, C calling convention).
// Indices are those of the module; sizes and offsets are the wasm operands,
// zero-extended. Helpers that can trap do so through rivet_aot_trap.
extern "C" {
using rivet_aot_ctx = rivet::aot::AotContext;

[[noreturn]] void rivet_aot_trap(rivet_aot_ctx* ctx, uint32_t kind);

// Calls a function that has no native code for this host (a host function,
// or one the interpreter runs): arguments in `slots` as for rivet_entry_<i>,
// results written back over them.
void rivet_aot_call(rivet_aot_ctx* ctx, rivet::aot::AotFunc* func, uint64_t* slots);

// memory.grow: the old size in pages, or -1.
int32_t rivet_aot_memory_grow(rivet_aot_ctx* ctx, uint32_t memory, uint32_t delta);
void rivet_aot_memory_fill(rivet_aot_ctx* ctx, uint32_t memory, uint32_t dst, uint32_t value,
                           uint32_t count);
void rivet_aot_memory_copy(rivet_aot_ctx* ctx, uint32_t dst_memory, uint32_t src_memory,
                           uint32_t dst, uint32_t src, uint32_t count);
void rivet_aot_memory_init(rivet_aot_ctx* ctx, uint32_t memory, uint32_t segment, uint32_t dst,
                           uint32_t src, uint32_t count);
void rivet_aot_data_drop(rivet_aot_ctx* ctx, uint32_t segment);

uintptr_t rivet_aot_table_get(rivet_aot_ctx* ctx, uint32_t table, uint32_t index);
void rivet_aot_table_set(rivet_aot_ctx* ctx, uint32_t table, uint32_t index, uintptr_t value);
int32_t rivet_aot_table_grow(rivet_aot_ctx* ctx, uint32_t table, uintptr_t init, uint32_t delta);
void rivet_aot_table_fill(rivet_aot_ctx* ctx, uint32_t table, uint32_t index, uintptr_t value,
                          uint32_t count);
void rivet_aot_table_copy(rivet_aot_ctx* ctx, uint32_t dst_table, uint32_t src_table,
                          uint32_t dst, uint32_t src, uint32_t count);
void rivet_aot_table_init(rivet_aot_ctx* ctx, uint32_t table, uint32_t segment, uint32_t dst,
                          uint32_t src, uint32_t count);
void rivet_aot_elem_drop(rivet_aot_ctx* ctx, uint32_t segment);

// memory.atomic.wait32/64 and notify. Compiled code has checked bounds and
// alignment; the helper checks that the memory is shared.
int32_t rivet_aot_atomic_wait32(rivet_aot_ctx* ctx, uint32_t memory, uint32_t address,
                                uint32_t expected, int64_t timeout_ns);
int32_t rivet_aot_atomic_wait64(rivet_aot_ctx* ctx, uint32_t memory, uint32_t address,
                                uint64_t expected, int64_t timeout_ns);
int32_t rivet_aot_atomic_notify(rivet_aot_ctx* ctx, uint32_t memory, uint32_t address,
                                uint32_t count);
}

#endif  // RIVET_LOADER_AOT_ABI_H_
