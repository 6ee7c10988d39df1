// Translation of one wasm function into LLVM IR: a consumer of the one
// validating walk (loader/function_validator.h), which hands it each
// instruction with its immediates decoded and its operand types known.
#ifndef RIVET_AOT_FUNCTION_TRANSLATOR_H_
#define RIVET_AOT_FUNCTION_TRANSLATOR_H_

#include <map>
#include <set>
#include <vector>

#include "aot/module_env.h"
#include "aot/ops.h"
#include "loader/function_validator.h"

namespace rivet::aot {

class FunctionTranslator : public OpContext {
 public:
  using Validator = FunctionValidator<FunctionTranslator>;

  FunctionTranslator(ModuleEnv& env, uint32_t func_index);

  // Builds the body of env.functions[func_index].
  Status Translate();

  // Functions that ref.func names in this body (they escape to the host).
  const std::set<uint32_t>& referenced_functions() const { return referenced_; }
  // Whether the body has return_call or return_call_indirect.
  bool makes_tail_calls() const { return makes_tail_calls_; }

  // The walk's callback.
  void OnInstruction(const Instruction& ins, const Validator& v);

  // OpContext.
  llvm::IRBuilder<>& builder() override { return b_; }
  void TrapIf(llvm::Value* condition, AotTrap kind) override;
  llvm::Module& module() override { return env_.llvm_module; }

 private:
  // A block, loop or if being translated.
  struct Control {
    Opcode opcode;                  // kBlock, kLoop, kIf (kElse once in the else arm)
    bool live_at_entry;             // false: the whole construct is dead code
    size_t height;                  // value stack height below its parameters
    std::span<const ValType> params;
    std::span<const ValType> results;
    llvm::BasicBlock* merge = nullptr;   // after `end`; results arrive as phis
    llvm::BasicBlock* header = nullptr;  // loops: the branch target
    llvm::BasicBlock* else_block = nullptr;  // ifs: the false arm
    std::vector<llvm::PHINode*> merge_phis;
    std::vector<llvm::PHINode*> header_phis;
    std::vector<llvm::Value*> if_params;  // ifs: the parameters, for the else arm
  };

  void Emit(const Instruction& ins, const Validator& v);
  void EmitControl(const Instruction& ins);
  void EmitBlock(const Instruction& ins);
  void EmitElse();
  void EmitEnd();
  void EmitBranch(uint32_t depth);
  // br_table: a switch, or for more than kMaxSwitchCases labels a lookup
  // of each label's ordinal and a switch over the distinct labels.
  static constexpr size_t kMaxSwitchCases = 4096;
  void EmitBrTable(const Instruction& ins);
  void EmitReturn();
  void EmitCall(const Instruction& ins, bool tail);
  void EmitCallIndirect(const Instruction& ins, bool tail);
  // Calls `func` (an AotFunc*) of wasm type `type`: directly when it has
  // native code, otherwise through rivet_aot_call.
  std::vector<llvm::Value*> CallFuncRef(llvm::Value* func, const FuncType& type,
                                        std::span<llvm::Value* const> args, bool tail);
  void FinishCall(llvm::Value* result, const FuncType& type, bool tail);
  bool EmitMemoryOp(const Instruction& ins);
  bool EmitAtomicOp(const Instruction& ins);
  bool EmitSimdMemoryOp(const Instruction& ins);
  bool EmitTableOrBulkOp(const Instruction& ins);

  // Where a branch to `ctrl` goes, after adding the carried values.
  llvm::BasicBlock* BranchTarget(Control& ctrl);
  // Adds the values on top of the stack to the phis of `ctrl`'s label
  // (`to_label`: where a branch goes; for loops, the header) or its end.
  void AddIncoming(Control& ctrl, llvm::BasicBlock* from, bool to_label);
  std::vector<llvm::PHINode*> MakePhis(llvm::BasicBlock* block, std::span<const ValType> types);

  // Values.
  void Push(llvm::Value* value) { stack_.push_back(value); }
  llvm::Value* Pop() {
    llvm::Value* v = stack_.back();
    stack_.pop_back();
    return v;
  }
  std::vector<llvm::Value*> PopN(size_t n);
  llvm::Value* Const32(uint32_t v) { return b_.getInt32(v); }
  llvm::Value* Const64(uint64_t v) { return b_.getInt64(v); }

  // The instance view, through `ctx_`.
  llvm::Value* LoadInvariant(llvm::Type* type, llvm::Value* ptr);
  llvm::Value* ContextField(unsigned field);       // one of ctx's arrays
  llvm::Value* ArrayElement(llvm::Value* array, uint32_t index);  // ptr[index], invariant
  llvm::Value* MemoryView(uint32_t memory);        // AotMemory*
  llvm::Value* TableView(uint32_t table);          // AotTable*
  llvm::Value* GlobalSlot(uint32_t global);        // uint64_t*
  // The address of `size` bytes at `address` + `offset` in `memory`, after
  // the bounds check (and the alignment check for atomics).
  llvm::Value* EffectiveAddress(uint32_t memory, llvm::Value* address, uint64_t offset,
                                uint32_t size, bool atomic = false);
  llvm::Value* Load(llvm::Type* type, llvm::Value* address);
  void Store(llvm::Value* value, llvm::Value* address);

  llvm::Value* ReturnValue(std::span<llvm::Value* const> values, const FuncType& type);

  ModuleEnv& env_;
  const Module& module_;
  uint32_t func_index_;
  const FuncType& type_;
  llvm::Function* function_;
  llvm::IRBuilder<> b_;
  llvm::Value* ctx_ = nullptr;
  std::vector<llvm::AllocaInst*> locals_;
  std::vector<ValType> local_types_;
  std::vector<llvm::Value*> stack_;
  std::vector<Control> control_;
  bool dead_ = false;  // the current position is unreachable
  std::map<AotTrap, llvm::BasicBlock*> trap_blocks_;
  llvm::AllocaInst* call_slots_ = nullptr;  // shared buffer for rivet_aot_call
  uint32_t call_slots_size_ = 0;
  std::set<uint32_t> referenced_;
  bool makes_calls_ = false;  // only then does the prologue check the stack
  bool makes_tail_calls_ = false;
  std::string error_;
};

}  // namespace rivet::aot

#endif  // RIVET_AOT_FUNCTION_TRANSLATOR_H_
