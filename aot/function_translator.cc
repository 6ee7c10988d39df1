#include "aot/function_translator.h"

#include <algorithm>

#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/MDBuilder.h"

namespace rivet::aot {
namespace {

// Memory, atomic and SIMD memory opcodes, from the one opcode table.
bool IsLoadStore(Opcode opcode) {
  switch (opcode) {
#define RIVET_CASE(name, code, text, imm, sig, size) case op::k##name:
    RIVET_FOREACH_LOAD_STORE_OPCODE(RIVET_CASE)
#undef RIVET_CASE
    return true;
    default:
      return false;
  }
}

bool IsSimdMemory(Opcode opcode) {
  switch (opcode) {
#define RIVET_CASE(name, code, text, imm, sig, size) case op::k##name:
    RIVET_FOREACH_SIMD_MEMORY_OPCODE(RIVET_CASE)
#undef RIVET_CASE
    return true;
    default:
      return false;
  }
}

}  // namespace

FunctionTranslator::FunctionTranslator(ModuleEnv& env, uint32_t func_index)
    : env_(env),
      module_(env.module),
      func_index_(func_index),
      type_(env.module.FunctionType(func_index)),
      function_(env.functions[func_index]),
      b_(env.context) {}

Status FunctionTranslator::Translate() {
  llvm::LLVMContext& cx = env_.context;
  llvm::BasicBlock* entry = llvm::BasicBlock::Create(cx, "entry", function_);
  llvm::BasicBlock* body = llvm::BasicBlock::Create(cx, "body", function_);
  b_.SetInsertPoint(entry);
  ctx_ = function_->getArg(0);

  // Parameters and locals live in allocas, which SROA turns into SSA values.
  const Function& func = module_.functions[func_index_];
  for (ValType t : type_.params()) local_types_.push_back(t);
  for (const LocalRun& run : func.locals) local_types_.insert(local_types_.end(), run.count, run.type);
  locals_.reserve(local_types_.size());
  for (size_t i = 0; i < local_types_.size(); ++i) {
    llvm::Type* t = env_.IrType(local_types_[i]);
    llvm::AllocaInst* slot = b_.CreateAlloca(t);
    locals_.push_back(slot);
    b_.CreateStore(i < type_.params().size() ? static_cast<llvm::Value*>(function_->getArg(i + 1))
                                             : llvm::Constant::getNullValue(t),
                   slot);
  }
  llvm::BranchInst* entry_branch = b_.CreateBr(body);
  b_.SetInsertPoint(body);

  // The function body is a block whose results are the function's.
  Control outer{op::kBlock, true, 0, {}, type_.results()};
  outer.merge = llvm::BasicBlock::Create(cx, "return");
  outer.merge_phis = MakePhis(outer.merge, type_.results());
  control_.push_back(std::move(outer));

  std::vector<bool> all_refs(module_.functions.size(), true);
  ValidationContext vctx{module_, module_.features, all_refs};
  Validator walk(vctx, *this);
  Status status = walk.ValidateFunction(func_index_);
  if (!status.ok()) return status;
  if (!error_.empty()) return Error{error_};

  // Functions that call can recurse: check the stack on entry.
  if (makes_calls_) {
    b_.SetInsertPoint(entry_branch);
    llvm::Value* sp = b_.CreatePtrToInt(
        b_.CreateIntrinsic(llvm::Intrinsic::stacksave, {env_.ptr}, {}), env_.intptr);
    llvm::Value* store = LoadInvariant(env_.ptr, b_.CreateStructGEP(env_.context_type, ctx_, kCtxStore));
    llvm::LoadInst* limit = b_.CreateLoad(env_.intptr, store);
    limit->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_view);
    TrapIf(b_.CreateICmpULT(sp, limit), kAotTrapCallStackExhausted);
    // TrapIf continued in a new block; close it with the branch to the body.
    b_.CreateBr(body);
    entry_branch->eraseFromParent();
  }
  return {};
}

// ---------------------------------------------------------------------------
// Helpers.

std::vector<llvm::Value*> FunctionTranslator::PopN(size_t n) {
  std::vector<llvm::Value*> values(stack_.end() - n, stack_.end());
  stack_.resize(stack_.size() - n);
  return values;
}

void FunctionTranslator::TrapIf(llvm::Value* condition, AotTrap kind) {
  llvm::BasicBlock*& trap = trap_blocks_[kind];
  if (trap == nullptr) {
    trap = llvm::BasicBlock::Create(env_.context, "trap", function_);
    llvm::IRBuilder<> tb(trap);
    llvm::FunctionCallee raise =
        env_.Helper("rivet_aot_trap", tb.getVoidTy(), {env_.ptr, env_.i32});
    llvm::CallInst* call = tb.CreateCall(raise, {ctx_, tb.getInt32(kind)});
    call->setDoesNotReturn();
    call->setCallingConv(llvm::CallingConv::C);
    tb.CreateUnreachable();
  }
  llvm::BasicBlock* cont = llvm::BasicBlock::Create(env_.context, "", function_);
  llvm::MDBuilder md(env_.context);
  b_.CreateCondBr(condition, trap, cont, md.createBranchWeights(1, 1 << 20));
  b_.SetInsertPoint(cont);
}

llvm::Value* FunctionTranslator::LoadInvariant(llvm::Type* type, llvm::Value* ptr) {
  llvm::LoadInst* load = b_.CreateLoad(type, ptr);
  load->setMetadata(llvm::LLVMContext::MD_invariant_load, env_.empty_md);
  load->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_view);
  return load;
}

llvm::Value* FunctionTranslator::ContextField(unsigned field) {
  return LoadInvariant(env_.ptr, b_.CreateStructGEP(env_.context_type, ctx_, field));
}

llvm::Value* FunctionTranslator::ArrayElement(llvm::Value* array, uint32_t index) {
  return LoadInvariant(env_.ptr, b_.CreateConstInBoundsGEP1_32(env_.ptr, array, index));
}

llvm::Value* FunctionTranslator::MemoryView(uint32_t memory) {
  return ArrayElement(ContextField(kCtxMemories), memory);
}

llvm::Value* FunctionTranslator::TableView(uint32_t table) {
  return ArrayElement(ContextField(kCtxTables), table);
}

llvm::Value* FunctionTranslator::GlobalSlot(uint32_t global) {
  return ArrayElement(ContextField(kCtxGlobals), global);
}

llvm::Value* FunctionTranslator::EffectiveAddress(uint32_t memory, llvm::Value* address,
                                                  uint64_t offset, uint32_t size, bool atomic) {
  llvm::Value* view = MemoryView(memory);
  llvm::LoadInst* base = b_.CreateLoad(env_.ptr, b_.CreateStructGEP(env_.memory_type, view, kMemoryBase));
  base->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_view);
  // The 33+ bit effective address, as the spec computes it.
  llvm::Value* ea = b_.CreateZExt(address, env_.i64);
  if (offset != 0) ea = b_.CreateAdd(ea, Const64(offset), "", /*HasNUW=*/true);
  if (!env_.options.guard_pages || atomic) {
    llvm::LoadInst* bytes =
        b_.CreateLoad(env_.i64, b_.CreateStructGEP(env_.memory_type, view, kMemorySize));
    bytes->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_view);
    llvm::Value* end = b_.CreateAdd(ea, Const64(size), "", /*HasNUW=*/true);
    TrapIf(b_.CreateICmpUGT(end, bytes), kAotTrapMemoryOutOfBounds);
  }
  if (atomic && size > 1) {
    TrapIf(b_.CreateICmpNE(b_.CreateAnd(ea, Const64(size - 1)), Const64(0)),
           kAotTrapUnalignedAtomic);
  }
  if (env_.target.pointer_bits == 32) ea = b_.CreateTrunc(ea, env_.i32);
  return b_.CreateGEP(env_.i8, base, ea);
}

// Without bounds checks (guard pages), the access itself is the check: its
// fault is the trap. To LLVM a plain access has no effect beyond its value,
// so it would delete a load whose value is unused, and reorder or merge
// accesses (and global stores) across one that faults, changing what memory
// holds after the trap. Volatile keeps every access, in program order with
// the other volatile accesses: these and global stores (kGlobalSet).
llvm::Value* FunctionTranslator::Load(llvm::Type* type, llvm::Value* address) {
  llvm::LoadInst* load = b_.CreateAlignedLoad(type, address, llvm::MaybeAlign(1),
                                              /*isVolatile=*/env_.options.guard_pages);
  load->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_memory);
  return load;
}

void FunctionTranslator::Store(llvm::Value* value, llvm::Value* address) {
  llvm::StoreInst* store = b_.CreateAlignedStore(value, address, llvm::MaybeAlign(1),
                                                 /*isVolatile=*/env_.options.guard_pages);
  store->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_memory);
}

llvm::Value* FunctionTranslator::ReturnValue(std::span<llvm::Value* const> values,
                                             const FuncType& type) {
  if (values.empty()) return nullptr;
  if (values.size() == 1) return values[0];
  llvm::Value* agg = llvm::UndefValue::get(env_.ResultType(type));
  for (unsigned i = 0; i < values.size(); ++i) agg = b_.CreateInsertValue(agg, values[i], {i});
  return agg;
}

std::vector<llvm::PHINode*> FunctionTranslator::MakePhis(llvm::BasicBlock* block,
                                                         std::span<const ValType> types) {
  std::vector<llvm::PHINode*> phis;
  for (ValType t : types) phis.push_back(llvm::PHINode::Create(env_.IrType(t), 2, "", block));
  return phis;
}

void FunctionTranslator::AddIncoming(Control& ctrl, llvm::BasicBlock* from, bool to_label) {
  std::vector<llvm::PHINode*>& phis =
      to_label && ctrl.opcode == op::kLoop ? ctrl.header_phis : ctrl.merge_phis;
  size_t n = phis.size();
  for (size_t i = 0; i < n; ++i) phis[i]->addIncoming(stack_[stack_.size() - n + i], from);
}

llvm::BasicBlock* FunctionTranslator::BranchTarget(Control& ctrl) {
  AddIncoming(ctrl, b_.GetInsertBlock(), /*to_label=*/true);
  return ctrl.opcode == op::kLoop ? ctrl.header : ctrl.merge;
}

// ---------------------------------------------------------------------------
// The walk.

void FunctionTranslator::OnInstruction(const Instruction& ins, const Validator& v) {
  if (!error_.empty()) return;
  switch (ins.opcode) {
    case op::kBlock:
    case op::kLoop:
    case op::kIf:
    case op::kElse:
    case op::kEnd:
      EmitControl(ins);
      return;
    default:
      break;
  }
  if (dead_) return;
  Emit(ins, v);
}

void FunctionTranslator::EmitControl(const Instruction& ins) {
  switch (ins.opcode) {
    case op::kBlock:
    case op::kLoop:
    case op::kIf:
      EmitBlock(ins);
      break;
    case op::kElse:
      EmitElse();
      break;
    case op::kEnd:
      EmitEnd();
      break;
  }
}

void FunctionTranslator::EmitBlock(const Instruction& ins) {
  llvm::LLVMContext& cx = env_.context;
  Control ctrl{ins.opcode, !dead_, 0, ins.block.params, ins.block.results};
  if (dead_) {
    control_.push_back(std::move(ctrl));
    return;
  }
  llvm::Value* condition = ins.opcode == op::kIf ? Pop() : nullptr;
  ctrl.height = stack_.size() - ctrl.params.size();
  ctrl.merge = llvm::BasicBlock::Create(cx, "");
  ctrl.merge_phis = MakePhis(ctrl.merge, ctrl.results);
  if (ins.opcode == op::kLoop) {
    ctrl.header = llvm::BasicBlock::Create(cx, "loop", function_);
    ctrl.header_phis = MakePhis(ctrl.header, ctrl.params);
    AddIncoming(ctrl, b_.GetInsertBlock(), /*to_label=*/true);
    b_.CreateBr(ctrl.header);
    b_.SetInsertPoint(ctrl.header);
    stack_.resize(ctrl.height);
    for (llvm::PHINode* phi : ctrl.header_phis) Push(phi);
  } else if (ins.opcode == op::kIf) {
    llvm::BasicBlock* then_block = llvm::BasicBlock::Create(cx, "then", function_);
    ctrl.else_block = llvm::BasicBlock::Create(cx, "else");
    ctrl.if_params.assign(stack_.end() - ctrl.params.size(), stack_.end());
    b_.CreateCondBr(b_.CreateICmpNE(condition, Const32(0)), then_block, ctrl.else_block);
    b_.SetInsertPoint(then_block);
  }
  control_.push_back(std::move(ctrl));
}

void FunctionTranslator::EmitElse() {
  Control& ctrl = control_.back();
  ctrl.opcode = op::kElse;
  if (!ctrl.live_at_entry) return;
  if (!dead_) {
    AddIncoming(ctrl, b_.GetInsertBlock(), /*to_label=*/false);
    b_.CreateBr(ctrl.merge);
  }
  ctrl.else_block->insertInto(function_);
  b_.SetInsertPoint(ctrl.else_block);
  stack_.resize(ctrl.height);
  stack_.insert(stack_.end(), ctrl.if_params.begin(), ctrl.if_params.end());
  ctrl.else_block = nullptr;
  dead_ = false;
}

void FunctionTranslator::EmitEnd() {
  Control ctrl = std::move(control_.back());
  control_.pop_back();
  if (!ctrl.live_at_entry) return;  // dead_ stays set: the enclosing code is dead too
  if (!dead_) {
    AddIncoming(ctrl, b_.GetInsertBlock(), /*to_label=*/false);
    b_.CreateBr(ctrl.merge);
  }
  if (ctrl.else_block != nullptr) {
    // An if without else: its parameters pass through to its results.
    ctrl.else_block->insertInto(function_);
    b_.SetInsertPoint(ctrl.else_block);
    stack_.resize(ctrl.height);
    stack_.insert(stack_.end(), ctrl.if_params.begin(), ctrl.if_params.end());
    AddIncoming(ctrl, ctrl.else_block, /*to_label=*/false);
    b_.CreateBr(ctrl.merge);
  }
  stack_.resize(ctrl.height);
  if (ctrl.merge->hasNPredecessors(0)) {
    // Nothing reaches the end: what follows is dead.
    for (llvm::PHINode* phi : ctrl.merge_phis) phi->eraseFromParent();
    delete ctrl.merge;
    dead_ = true;
    if (control_.empty()) {
      // The function's end: all paths returned or trapped already.
    }
    return;
  }
  ctrl.merge->insertInto(function_);
  b_.SetInsertPoint(ctrl.merge);
  for (llvm::PHINode* phi : ctrl.merge_phis) Push(phi);
  dead_ = false;
  if (control_.empty()) {
    // The end of the function: return its results.
    std::vector<llvm::Value*> results = PopN(type_.results().size());
    llvm::Value* value = ReturnValue(results, type_);
    if (value) {
      b_.CreateRet(value);
    } else {
      b_.CreateRetVoid();
    }
    dead_ = true;
  }
}

void FunctionTranslator::EmitBranch(uint32_t depth) {
  Control& ctrl = control_[control_.size() - 1 - depth];
  b_.CreateBr(BranchTarget(ctrl));
}

void FunctionTranslator::EmitBrTable(const Instruction& ins) {
  llvm::Value* index = Pop();
  // One edge block per distinct label, so that each phi has one incoming
  // edge per predecessor block.
  std::map<uint32_t, llvm::BasicBlock*> edges;
  llvm::BasicBlock* from = b_.GetInsertBlock();
  auto edge_for = [&](uint32_t depth) {
    llvm::BasicBlock*& edge = edges[depth];
    if (edge == nullptr) {
      edge = llvm::BasicBlock::Create(env_.context, "br_table", function_);
      b_.SetInsertPoint(edge);
      EmitBranch(depth);
      b_.SetInsertPoint(from);
    }
    return edge;
  };
  std::span<const uint32_t> targets = ins.br_targets;
  if (targets.size() <= kMaxSwitchCases) {
    llvm::SwitchInst* sw = b_.CreateSwitch(index, edge_for(ins.index), targets.size());
    for (uint32_t i = 0; i < targets.size(); ++i) {
      sw->addCase(b_.getInt32(i), edge_for(targets[i]));
    }
    return;
  }
  // A large table: LLVM's switch lowering takes minutes for a million cases
  // (a validator-accepted module must not stall the compiler). Map each
  // index to the ordinal of its distinct label through a constant array,
  // then switch over the few distinct labels.
  std::map<uint32_t, uint32_t> ordinal_of{{ins.index, 0}};
  std::vector<uint32_t> ordinals;
  ordinals.reserve(targets.size());
  for (uint32_t depth : targets) {
    auto [it, inserted] = ordinal_of.emplace(depth, static_cast<uint32_t>(ordinal_of.size()));
    ordinals.push_back(it->second);
  }
  auto* table_type = llvm::ArrayType::get(env_.i32, ordinals.size());
  auto* table = new llvm::GlobalVariable(
      env_.llvm_module, table_type, /*isConstant=*/true, llvm::GlobalValue::PrivateLinkage,
      llvm::ConstantDataArray::get(env_.context, ordinals), "br_table.ordinals");
  table->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  llvm::Value* in_range = b_.CreateICmpULT(index, Const32(static_cast<uint32_t>(targets.size())));
  llvm::Value* safe_index = b_.CreateSelect(in_range, index, Const32(0));
  llvm::Value* loaded = b_.CreateLoad(
      env_.i32, b_.CreateInBoundsGEP(table_type, table, {Const32(0), safe_index}));
  llvm::Value* ordinal = b_.CreateSelect(in_range, loaded, Const32(0));
  llvm::SwitchInst* sw = b_.CreateSwitch(ordinal, edge_for(ins.index), ordinal_of.size());
  for (const auto& [depth, n] : ordinal_of) {
    if (n != 0) sw->addCase(b_.getInt32(n), edge_for(depth));
  }
}

void FunctionTranslator::EmitReturn() {
  std::vector<llvm::Value*> results(stack_.end() - type_.results().size(), stack_.end());
  llvm::Value* value = ReturnValue(results, type_);
  if (value) {
    b_.CreateRet(value);
  } else {
    b_.CreateRetVoid();
  }
}

// ---------------------------------------------------------------------------
// Calls.

void FunctionTranslator::FinishCall(llvm::Value* result, const FuncType& type, bool tail) {
  size_t n = type.results().size();
  if (tail) {
    if (n == 0) {
      b_.CreateRetVoid();
    } else {
      b_.CreateRet(result);
    }
    dead_ = true;
    return;
  }
  if (n == 1) {
    Push(result);
  } else {
    for (unsigned i = 0; i < n; ++i) Push(b_.CreateExtractValue(result, {i}));
  }
}

void FunctionTranslator::EmitCall(const Instruction& ins, bool tail) {
  makes_calls_ = true;
  makes_tail_calls_ |= tail;
  const FuncType& type = module_.FunctionType(ins.index);
  std::vector<llvm::Value*> args = PopN(type.params().size());
  if (!module_.IsImportedFunction(ins.index)) {
    llvm::Function* callee = env_.functions[ins.index];
    std::vector<llvm::Value*> call_args{ctx_};
    call_args.insert(call_args.end(), args.begin(), args.end());
    llvm::CallInst* call = b_.CreateCall(callee, call_args);
    call->setCallingConv(env_.wasm_cc);
    // A wasm call is never a tail call: LLVM must neither turn recursion
    // into a loop nor reuse the frame, or code that should exhaust the
    // stack (and trap) would run forever instead.
    call->setTailCallKind(tail ? llvm::CallInst::TCK_Tail : llvm::CallInst::TCK_NoTail);
    FinishCall(call, type, tail);
    return;
  }
  llvm::Value* func = ArrayElement(ContextField(kCtxFunctions), ins.index);
  std::vector<llvm::Value*> results = CallFuncRef(func, type, args, tail);
  if (tail) {
    dead_ = true;  // CallFuncRef returned on every path
  } else {
    for (llvm::Value* r : results) Push(r);
  }
}

void FunctionTranslator::EmitCallIndirect(const Instruction& ins, bool tail) {
  makes_calls_ = true;
  makes_tail_calls_ |= tail;
  const FuncType& type = module_.types[ins.index];
  llvm::Value* index = Pop();
  std::vector<llvm::Value*> args = PopN(type.params().size());
  llvm::Value* table = TableView(ins.index2);
  llvm::LoadInst* size = b_.CreateLoad(env_.intptr, b_.CreateStructGEP(env_.table_type, table, kTableSize));
  size->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_view);
  llvm::Value* wide_index = b_.CreateZExtOrTrunc(index, env_.intptr);
  if (env_.target.pointer_bits == 32) {
    TrapIf(b_.CreateICmpUGE(index, size), kAotTrapUndefinedElement);
  } else {
    TrapIf(b_.CreateICmpUGE(wide_index, size), kAotTrapUndefinedElement);
  }
  llvm::LoadInst* elements =
      b_.CreateLoad(env_.ptr, b_.CreateStructGEP(env_.table_type, table, kTableElements));
  elements->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_view);
  llvm::LoadInst* func = b_.CreateLoad(env_.ptr, b_.CreateGEP(env_.ptr, elements, wide_index));
  func->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_table);
  TrapIf(b_.CreateIsNull(func), kAotTrapUninitializedElement);
  llvm::Value* type_id =
      LoadInvariant(env_.intptr, b_.CreateStructGEP(env_.func_type, func, kFuncTypeId));
  llvm::Value* expected = LoadInvariant(
      env_.intptr,
      b_.CreateConstInBoundsGEP1_32(env_.intptr, ContextField(kCtxTypeIds), ins.index));
  TrapIf(b_.CreateICmpNE(type_id, expected), kAotTrapIndirectCallTypeMismatch);
  std::vector<llvm::Value*> results = CallFuncRef(func, type, args, tail);
  if (tail) {
    dead_ = true;  // CallFuncRef returned on every path
  } else {
    for (llvm::Value* r : results) Push(r);
  }
}

std::vector<llvm::Value*> FunctionTranslator::CallFuncRef(llvm::Value* func, const FuncType& type,
                                                          std::span<llvm::Value* const> args,
                                                          bool tail) {
  llvm::LLVMContext& cx = env_.context;
  llvm::Value* code = LoadInvariant(env_.ptr, b_.CreateStructGEP(env_.func_type, func, kFuncCode));
  llvm::BasicBlock* native = llvm::BasicBlock::Create(cx, "native", function_);
  llvm::BasicBlock* generic = llvm::BasicBlock::Create(cx, "generic", function_);
  b_.CreateCondBr(b_.CreateIsNotNull(code), native, generic);

  // Native code of another instance (or this one): call it with its own
  // context.
  b_.SetInsertPoint(native);
  llvm::Value* context =
      LoadInvariant(env_.ptr, b_.CreateStructGEP(env_.func_type, func, kFuncContext));
  std::vector<llvm::Value*> call_args{context};
  call_args.insert(call_args.end(), args.begin(), args.end());
  llvm::CallInst* call = b_.CreateCall(env_.NativeSignature(type), code, call_args);
  call->setCallingConv(env_.wasm_cc);
  call->setTailCallKind(tail ? llvm::CallInst::TCK_Tail : llvm::CallInst::TCK_NoTail);
  std::vector<llvm::Value*> native_results;
  llvm::BasicBlock* merge = nullptr;
  if (tail) {
    if (type.results().empty()) {
      b_.CreateRetVoid();
    } else {
      b_.CreateRet(call);
    }
  } else {
    if (type.results().size() == 1) {
      native_results.push_back(call);
    } else {
      for (unsigned i = 0; i < type.results().size(); ++i) {
        native_results.push_back(b_.CreateExtractValue(call, {i}));
      }
    }
    merge = llvm::BasicBlock::Create(cx, "", function_);
    b_.CreateBr(merge);
  }
  llvm::BasicBlock* native_end = b_.GetInsertBlock();

  // Anything else: through the runtime, with arguments and results in slots.
  b_.SetInsertPoint(generic);
  uint32_t slots_needed = std::max<uint32_t>(
      {1, static_cast<uint32_t>(SlotCountOf(type.params())),
       static_cast<uint32_t>(SlotCountOf(type.results()))});
  if (call_slots_ == nullptr || slots_needed > call_slots_size_) {
    // One buffer per function, as large as its largest call needs.
    llvm::IRBuilder<> eb(&function_->getEntryBlock(), function_->getEntryBlock().begin());
    llvm::AllocaInst* buffer = eb.CreateAlloca(
        llvm::ArrayType::get(env_.i64, std::max(slots_needed, call_slots_size_)));
    buffer->setAlignment(llvm::Align(16));
    if (call_slots_ != nullptr) {
      call_slots_->replaceAllUsesWith(buffer);
      call_slots_->eraseFromParent();
    }
    call_slots_ = buffer;
    call_slots_size_ = std::max(slots_needed, call_slots_size_);
  }
  env_.StoreSlots(b_, call_slots_, args, type.params());
  llvm::FunctionCallee helper =
      env_.Helper("rivet_aot_call", b_.getVoidTy(), {env_.ptr, env_.ptr, env_.ptr});
  b_.CreateCall(helper, {ctx_, func, call_slots_});
  std::vector<llvm::Value*> generic_results = env_.LoadSlots(b_, call_slots_, type.results());
  if (tail) {
    llvm::Value* value = ReturnValue(generic_results, type);
    if (value) {
      b_.CreateRet(value);
    } else {
      b_.CreateRetVoid();
    }
    return {};
  }
  llvm::BasicBlock* generic_end = b_.GetInsertBlock();
  b_.CreateBr(merge);
  b_.SetInsertPoint(merge);
  std::vector<llvm::Value*> results;
  for (size_t i = 0; i < native_results.size(); ++i) {
    llvm::PHINode* phi = b_.CreatePHI(native_results[i]->getType(), 2);
    phi->addIncoming(native_results[i], native_end);
    phi->addIncoming(generic_results[i], generic_end);
    results.push_back(phi);
  }
  return results;
}

// ---------------------------------------------------------------------------
// Everything else.

void FunctionTranslator::Emit(const Instruction& ins, const Validator& v) {
  Opcode opcode = ins.opcode;
  switch (opcode) {
    case op::kUnreachable: {
      llvm::FunctionCallee raise =
          env_.Helper("rivet_aot_trap", b_.getVoidTy(), {env_.ptr, env_.i32});
      llvm::CallInst* call = b_.CreateCall(raise, {ctx_, Const32(kAotTrapUnreachable)});
      call->setDoesNotReturn();
      b_.CreateUnreachable();
      dead_ = true;
      return;
    }
    case op::kNop:
      return;
    case op::kBr:
      EmitBranch(ins.index);
      dead_ = true;
      return;
    case op::kBrIf: {
      llvm::Value* condition = b_.CreateICmpNE(Pop(), Const32(0));
      llvm::BasicBlock* from = b_.GetInsertBlock();
      llvm::BasicBlock* cont = llvm::BasicBlock::Create(env_.context, "", function_);
      Control& ctrl = control_[control_.size() - 1 - ins.index];
      AddIncoming(ctrl, from, /*to_label=*/true);
      b_.CreateCondBr(condition, ctrl.opcode == op::kLoop ? ctrl.header : ctrl.merge, cont);
      b_.SetInsertPoint(cont);
      return;
    }
    case op::kBrTable:
      EmitBrTable(ins);
      dead_ = true;
      return;
    case op::kReturn:
      EmitReturn();
      dead_ = true;
      return;
    case op::kCall:
      EmitCall(ins, false);
      return;
    case op::kReturnCall:
      EmitCall(ins, true);
      return;
    case op::kCallIndirect:
      EmitCallIndirect(ins, false);
      return;
    case op::kReturnCallIndirect:
      EmitCallIndirect(ins, true);
      return;
    case op::kDrop:
      Pop();
      return;
    case op::kSelect:
    case op::kSelectT: {
      llvm::Value* condition = b_.CreateICmpNE(Pop(), Const32(0));
      llvm::Value* if_false = Pop();
      llvm::Value* if_true = Pop();
      Push(b_.CreateSelect(condition, if_true, if_false));
      return;
    }
    case op::kLocalGet:
      Push(b_.CreateLoad(env_.IrType(local_types_[ins.index]), locals_[ins.index]));
      return;
    case op::kLocalSet:
      b_.CreateStore(Pop(), locals_[ins.index]);
      return;
    case op::kLocalTee:
      b_.CreateStore(stack_.back(), locals_[ins.index]);
      return;
    case op::kGlobalGet: {
      ValType t = module_.globals[ins.index].type;
      llvm::Value* slot = GlobalSlot(ins.index);
      llvm::Value* value;
      if (IsRefType(t)) {
        llvm::LoadInst* load = b_.CreateAlignedLoad(env_.intptr, slot, llvm::Align(8));
        load->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_global);
        value = b_.CreateIntToPtr(load, env_.ptr);
      } else {
        llvm::LoadInst* load = b_.CreateAlignedLoad(env_.IrType(t), slot, llvm::Align(8));
        load->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_global);
        value = load;
      }
      Push(value);
      return;
    }
    case op::kGlobalSet: {
      ValType t = module_.globals[ins.index].type;
      llvm::Value* slot = GlobalSlot(ins.index);
      llvm::Value* value = Pop();
      if (IsRefType(t)) {
        // The whole slot: the runtime reads references as 64-bit values.
        value = b_.CreateZExt(b_.CreatePtrToInt(value, env_.intptr), env_.i64);
      }
      // Without bounds checks, a later faulting access is volatile (see
      // Load): LLVM orders it only against other volatile accesses, so this
      // store must be one too, or it could be dropped or moved past the trap.
      llvm::StoreInst* store = b_.CreateAlignedStore(value, slot, llvm::Align(8),
                                                     /*isVolatile=*/env_.options.guard_pages);
      store->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_global);
      return;
    }
    case op::kI32Const:
      Push(Const32(static_cast<uint32_t>(ins.bits)));
      return;
    case op::kI64Const:
      Push(Const64(ins.bits));
      return;
    case op::kF32Const:
      Push(llvm::ConstantFP::get(
          env_.context, llvm::APFloat(llvm::APFloat::IEEEsingle(),
                                      llvm::APInt(32, static_cast<uint32_t>(ins.bits)))));
      return;
    case op::kF64Const:
      Push(llvm::ConstantFP::get(
          env_.context, llvm::APFloat(llvm::APFloat::IEEEdouble(), llvm::APInt(64, ins.bits))));
      return;
    case op::kRefNull:
      Push(llvm::ConstantPointerNull::get(llvm::PointerType::get(env_.context, 0)));
      return;
    case op::kRefIsNull:
      Push(b_.CreateZExt(b_.CreateIsNull(Pop()), env_.i32));
      return;
    case op::kRefFunc:
      referenced_.insert(ins.index);
      Push(ArrayElement(ContextField(kCtxFunctions), ins.index));
      return;
    case op::kMemorySize: {
      llvm::LoadInst* bytes = b_.CreateLoad(
          env_.i64, b_.CreateStructGEP(env_.memory_type, MemoryView(ins.memory), kMemorySize));
      bytes->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_view);
      Push(b_.CreateTrunc(b_.CreateLShr(bytes, Const64(16)), env_.i32));
      return;
    }
    case op::kMemoryGrow: {
      llvm::FunctionCallee grow =
          env_.Helper("rivet_aot_memory_grow", env_.i32, {env_.ptr, env_.i32, env_.i32});
      llvm::Value* delta = Pop();
      Push(b_.CreateCall(grow, {ctx_, Const32(ins.memory), delta}));
      return;
    }
    default:
      break;
  }
  if (IsLoadStore(opcode) && EmitMemoryOp(ins)) return;
  if (IsSimdMemory(opcode) && EmitSimdMemoryOp(ins)) return;
  if (IsAtomic(opcode) && EmitAtomicOp(ins)) return;
  if (EmitTableOrBulkOp(ins)) return;

  const OpInfo& info = GetOpInfo(opcode);
  if (info.has_signature) {
    std::vector<llvm::Value*> operands = PopN(info.num_params);
    llvm::Value* result = EmitScalarOp(*this, ins, operands);
    if (result == nullptr) result = EmitSimdOp(*this, ins, operands);
    if (result != nullptr) {
      Push(result);
      return;
    }
  }
  if (error_.empty()) {
    error_ = "at offset " + std::to_string(ins.offset) + ": the AOT compiler cannot translate " +
             std::string(info.name);
  }
  dead_ = true;
  (void)v;
}

}  // namespace rivet::aot
