// What every function's translation shares: the LLVM module, the IR form of
// the AOT calling contract (loader/aot_abi.h), and the module's functions.
#ifndef RIVET_AOT_MODULE_ENV_H_
#define RIVET_AOT_MODULE_ENV_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "aot/compiler.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/IR/Module.h"
#include "loader/aot_abi.h"
#include "loader/module.h"

namespace rivet::aot {

// Field indices of the contract's structs, as LLVM struct types see them.
enum ContextField : unsigned {
  kCtxInstance = 0,
  kCtxStore,
  kCtxFunctions,
  kCtxMemories,
  kCtxTables,
  kCtxGlobals,
  kCtxTypeIds,
};
enum FuncField : unsigned { kFuncCode = 0, kFuncContext, kFuncTypeId };
enum MemoryField : unsigned { kMemoryBase = 0, kMemorySize };
enum TableField : unsigned { kTableElements = 0, kTableSize };

// Slots a value takes in rivet_aot_call's and entries' buffers.
inline uint32_t SlotCountOf(ValType type) { return type == ValType::kV128 ? 2 : 1; }
inline uint32_t SlotCountOf(std::span<const ValType> types) {
  uint32_t n = 0;
  for (ValType t : types) n += SlotCountOf(t);
  return n;
}

class ModuleEnv {
 public:
  ModuleEnv(const Module& module, const ResolvedTarget& target, const TargetOptions& options,
            llvm::Module& out);

  const Module& module;
  const ResolvedTarget& target;
  const TargetOptions& options;
  llvm::Module& llvm_module;
  llvm::LLVMContext& context;

  // IR types.
  llvm::Type* ptr;        // every pointer (opaque)
  llvm::IntegerType* intptr;
  llvm::Type* i8;
  llvm::Type* i32;
  llvm::Type* i64;
  llvm::Type* v128;       // <2 x i64>
  llvm::StructType* context_type;  // AotContext
  llvm::StructType* func_type;     // AotFunc
  llvm::StructType* memory_type;   // AotMemory
  llvm::StructType* table_type;    // AotTable
  llvm::StructType* store_type;    // AotStoreState

  // TBAA tags: linear memory, the runtime's mutable views (memory base and
  // size, table elements, the stack limit) and global values never alias
  // one another, which lets LLVM keep a memory's base and size in registers
  // across stores to linear memory.
  llvm::MDNode* tbaa_memory;
  llvm::MDNode* tbaa_view;
  llvm::MDNode* tbaa_global;
  llvm::MDNode* tbaa_table;
  llvm::MDNode* empty_md;  // for !invariant.load

  llvm::CallingConv::ID wasm_cc;  // tailcc on x86-64, fastcc on RISC-V

  llvm::Type* IrType(ValType type) const;
  // The native signature of a wasm function type (context pointer first).
  llvm::FunctionType* NativeSignature(const FuncType& type);
  llvm::Type* ResultType(const FuncType& type);  // void, one type, or a struct

  // rivet_func_<i> for each defined function (null for imports).
  std::vector<llvm::Function*> functions;

  // Values to and from the uint64_t slots of rivet_aot_call and the entry
  // wrappers (loader/aot_abi.h): one slot per value, two for v128, i32/f32
  // zero-extended, references as integers.
  void StoreSlots(llvm::IRBuilder<>& b, llvm::Value* slots, std::span<llvm::Value* const> values,
                  std::span<const ValType> types);
  std::vector<llvm::Value*> LoadSlots(llvm::IRBuilder<>& b, llvm::Value* slots,
                                      std::span<const ValType> types);

  // Declares a runtime helper from aot_abi.h (C calling convention).
  llvm::FunctionCallee Helper(const char* name, llvm::Type* result,
                              std::initializer_list<llvm::Type*> params);
};

}  // namespace rivet::aot

#endif  // RIVET_AOT_MODULE_ENV_H_
