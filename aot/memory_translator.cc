// FunctionTranslator: linear memory, atomics, SIMD loads and stores, tables
// and bulk memory. The access size, value type and signedness of each
// instruction come from the opcode table (loader/opcodes.h).
#include "aot/function_translator.h"

namespace rivet::aot {
namespace {

bool NameEndsWith(std::string_view name, std::string_view suffix) {
  return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
}

}  // namespace

bool FunctionTranslator::EmitMemoryOp(const Instruction& ins) {
  const OpInfo& info = GetOpInfo(ins.opcode);
  uint32_t size = info.access_size;
  if (info.num_results == 1) {  // a load
    llvm::Type* result = env_.IrType(static_cast<ValType>(info.result));
    llvm::Value* address = EffectiveAddress(ins.memory, Pop(), ins.mem_offset, size);
    if (result->isFloatingPointTy() || result->getIntegerBitWidth() == size * 8) {
      Push(Load(result, address));
    } else {
      llvm::Value* narrow = Load(b_.getIntNTy(size * 8), address);
      Push(NameEndsWith(info.name, "_s") ? b_.CreateSExt(narrow, result)
                                         : b_.CreateZExt(narrow, result));
    }
    return true;
  }
  llvm::Value* value = Pop();
  llvm::Value* address = EffectiveAddress(ins.memory, Pop(), ins.mem_offset, size);
  if (value->getType()->isIntegerTy() && value->getType()->getIntegerBitWidth() != size * 8) {
    value = b_.CreateTrunc(value, b_.getIntNTy(size * 8));
  }
  Store(value, address);
  return true;
}

bool FunctionTranslator::EmitAtomicOp(const Instruction& ins) {
  const OpInfo& info = GetOpInfo(ins.opcode);
  uint32_t size = info.access_size;
  llvm::Type* narrow = b_.getIntNTy(size * 8);
  auto seq_cst = llvm::AtomicOrdering::SequentiallyConsistent;
  switch (ins.opcode) {
    case op::kAtomicFence:
      b_.CreateFence(seq_cst);
      return true;
    case op::kMemoryAtomicNotify: {
      llvm::Value* count = Pop();
      llvm::Value* address = Pop();
      EffectiveAddress(ins.memory, address, ins.mem_offset, 4, /*atomic=*/true);
      llvm::Value* ea = b_.CreateTrunc(
          b_.CreateAdd(b_.CreateZExt(address, env_.i64), Const64(ins.mem_offset)), env_.i32);
      llvm::FunctionCallee notify = env_.Helper("rivet_aot_atomic_notify", env_.i32,
                                                {env_.ptr, env_.i32, env_.i32, env_.i32});
      Push(b_.CreateCall(notify, {ctx_, Const32(ins.memory), ea, count}));
      return true;
    }
    case op::kMemoryAtomicWait32:
    case op::kMemoryAtomicWait64: {
      bool wide = ins.opcode == op::kMemoryAtomicWait64;
      llvm::Value* timeout = Pop();
      llvm::Value* expected = Pop();
      llvm::Value* address = Pop();
      EffectiveAddress(ins.memory, address, ins.mem_offset, wide ? 8 : 4, /*atomic=*/true);
      llvm::Value* ea = b_.CreateTrunc(
          b_.CreateAdd(b_.CreateZExt(address, env_.i64), Const64(ins.mem_offset)), env_.i32);
      llvm::FunctionCallee wait =
          env_.Helper(wide ? "rivet_aot_atomic_wait64" : "rivet_aot_atomic_wait32", env_.i32,
                      {env_.ptr, env_.i32, env_.i32, wide ? env_.i64 : env_.i32, env_.i64});
      Push(b_.CreateCall(wait, {ctx_, Const32(ins.memory), ea, expected, timeout}));
      return true;
    }
    default:
      break;
  }
  if (info.num_params == 1) {  // a load
    llvm::Value* address = EffectiveAddress(ins.memory, Pop(), ins.mem_offset, size, true);
    llvm::LoadInst* load = b_.CreateAlignedLoad(narrow, address, llvm::Align(size));
    load->setAtomic(seq_cst);
    llvm::Type* result = env_.IrType(static_cast<ValType>(info.result));
    Push(b_.CreateZExtOrTrunc(load, result));
    return true;
  }
  if (info.num_results == 0) {  // a store
    llvm::Value* value = b_.CreateZExtOrTrunc(Pop(), narrow);
    llvm::Value* address = EffectiveAddress(ins.memory, Pop(), ins.mem_offset, size, true);
    llvm::StoreInst* store = b_.CreateAlignedStore(value, address, llvm::Align(size));
    store->setAtomic(seq_cst);
    return true;
  }
  llvm::Type* result = env_.IrType(static_cast<ValType>(info.result));
  if (ins.opcode >= op::kI32AtomicRmwCmpxchg && ins.opcode <= op::kI64AtomicRmw32CmpxchgU) {
    llvm::Value* replacement = b_.CreateZExtOrTrunc(Pop(), narrow);
    llvm::Value* expected = Pop();
    llvm::Value* address = EffectiveAddress(ins.memory, Pop(), ins.mem_offset, size, true);
    // A narrow cmpxchg compares the wrapped expected value, as the
    // interpreter does (and the threads proposal specifies).
    llvm::Value* narrow_expected = b_.CreateZExtOrTrunc(expected, narrow);
    llvm::Value* pair = b_.CreateAtomicCmpXchg(address, narrow_expected, replacement,
                                               llvm::Align(size), seq_cst, seq_cst);
    llvm::Value* loaded = b_.CreateExtractValue(pair, {0});
    Push(b_.CreateZExtOrTrunc(loaded, result));
    return true;
  }
  // Read-modify-write: seven opcodes per operation, in the table's order.
  struct RmwFamily {
    Opcode base;
    llvm::AtomicRMWInst::BinOp op;
  };
  static constexpr RmwFamily kFamilies[] = {
      {op::kI32AtomicRmwAdd, llvm::AtomicRMWInst::Add},
      {op::kI32AtomicRmwSub, llvm::AtomicRMWInst::Sub},
      {op::kI32AtomicRmwAnd, llvm::AtomicRMWInst::And},
      {op::kI32AtomicRmwOr, llvm::AtomicRMWInst::Or},
      {op::kI32AtomicRmwXor, llvm::AtomicRMWInst::Xor},
      {op::kI32AtomicRmwXchg, llvm::AtomicRMWInst::Xchg},
  };
  for (const RmwFamily& family : kFamilies) {
    if (ins.opcode < family.base || ins.opcode > family.base + 6) continue;
    llvm::Value* operand = b_.CreateZExtOrTrunc(Pop(), narrow);
    llvm::Value* address = EffectiveAddress(ins.memory, Pop(), ins.mem_offset, size, true);
    llvm::Value* old =
        b_.CreateAtomicRMW(family.op, address, operand, llvm::Align(size), seq_cst);
    Push(b_.CreateZExtOrTrunc(old, result));
    return true;
  }
  return false;
}

bool FunctionTranslator::EmitSimdMemoryOp(const Instruction& ins) {
  const OpInfo& info = GetOpInfo(ins.opcode);
  uint32_t size = info.access_size;
  auto lanes = [&](unsigned bits, unsigned count) {
    return llvm::FixedVectorType::get(b_.getIntNTy(bits), count);
  };
  auto to_v128 = [&](llvm::Value* v) { return b_.CreateBitCast(v, env_.v128); };
  switch (ins.opcode) {
    case op::kV128Load:
      Push(Load(env_.v128, EffectiveAddress(ins.memory, Pop(), ins.mem_offset, 16)));
      return true;
    case op::kV128Store: {
      llvm::Value* value = Pop();
      Store(value, EffectiveAddress(ins.memory, Pop(), ins.mem_offset, 16));
      return true;
    }
    case op::kV128Load8x8S:
    case op::kV128Load8x8U:
    case op::kV128Load16x4S:
    case op::kV128Load16x4U:
    case op::kV128Load32x2S:
    case op::kV128Load32x2U: {
      unsigned bits = ins.opcode <= op::kV128Load8x8U ? 8 : ins.opcode <= op::kV128Load16x4U ? 16 : 32;
      unsigned count = 64 / bits;
      llvm::Value* narrow =
          Load(lanes(bits, count), EffectiveAddress(ins.memory, Pop(), ins.mem_offset, 8));
      llvm::Type* wide = lanes(bits * 2, count);
      bool is_signed = NameEndsWith(info.name, "_s");
      Push(to_v128(is_signed ? b_.CreateSExt(narrow, wide) : b_.CreateZExt(narrow, wide)));
      return true;
    }
    case op::kV128Load8Splat:
    case op::kV128Load16Splat:
    case op::kV128Load32Splat:
    case op::kV128Load64Splat: {
      llvm::Value* scalar =
          Load(b_.getIntNTy(size * 8), EffectiveAddress(ins.memory, Pop(), ins.mem_offset, size));
      Push(to_v128(b_.CreateVectorSplat(16 / size, scalar)));
      return true;
    }
    case op::kV128Load32Zero:
    case op::kV128Load64Zero: {
      llvm::Value* scalar =
          Load(b_.getIntNTy(size * 8), EffectiveAddress(ins.memory, Pop(), ins.mem_offset, size));
      llvm::Type* vector = lanes(size * 8, 16 / size);
      Push(to_v128(b_.CreateInsertElement(llvm::Constant::getNullValue(vector), scalar,
                                          uint64_t{0})));
      return true;
    }
    case op::kV128Load8Lane:
    case op::kV128Load16Lane:
    case op::kV128Load32Lane:
    case op::kV128Load64Lane: {
      llvm::Value* vector = b_.CreateBitCast(Pop(), lanes(size * 8, 16 / size));
      llvm::Value* scalar =
          Load(b_.getIntNTy(size * 8), EffectiveAddress(ins.memory, Pop(), ins.mem_offset, size));
      Push(to_v128(b_.CreateInsertElement(vector, scalar, uint64_t{ins.lane})));
      return true;
    }
    case op::kV128Store8Lane:
    case op::kV128Store16Lane:
    case op::kV128Store32Lane:
    case op::kV128Store64Lane: {
      llvm::Value* vector = b_.CreateBitCast(Pop(), lanes(size * 8, 16 / size));
      llvm::Value* scalar = b_.CreateExtractElement(vector, uint64_t{ins.lane});
      Store(scalar, EffectiveAddress(ins.memory, Pop(), ins.mem_offset, size));
      return true;
    }
    default:
      return false;
  }
}

bool FunctionTranslator::EmitTableOrBulkOp(const Instruction& ins) {
  llvm::Type* void_type = b_.getVoidTy();
  llvm::Type* p = env_.ptr;
  llvm::Type* i32 = env_.i32;
  llvm::Type* ip = env_.intptr;
  auto call = [&](const char* name, llvm::Type* result, std::initializer_list<llvm::Type*> params,
                  llvm::ArrayRef<llvm::Value*> args) -> llvm::Value* {
    return b_.CreateCall(env_.Helper(name, result, params), args);
  };
  auto ref_to_int = [&](llvm::Value* ref) { return b_.CreatePtrToInt(ref, ip); };
  switch (ins.opcode) {
    case op::kMemoryInit: {
      std::vector<llvm::Value*> a = PopN(3);  // dst, src, count
      call("rivet_aot_memory_init", void_type, {p, i32, i32, i32, i32, i32},
           {ctx_, Const32(ins.memory), Const32(ins.index), a[0], a[1], a[2]});
      return true;
    }
    case op::kDataDrop:
      call("rivet_aot_data_drop", void_type, {p, i32}, {ctx_, Const32(ins.index)});
      return true;
    case op::kMemoryCopy: {
      std::vector<llvm::Value*> a = PopN(3);
      call("rivet_aot_memory_copy", void_type, {p, i32, i32, i32, i32, i32},
           {ctx_, Const32(ins.memory), Const32(ins.index2), a[0], a[1], a[2]});
      return true;
    }
    case op::kMemoryFill: {
      std::vector<llvm::Value*> a = PopN(3);  // dst, value, count
      call("rivet_aot_memory_fill", void_type, {p, i32, i32, i32, i32},
           {ctx_, Const32(ins.memory), a[0], a[1], a[2]});
      return true;
    }
    case op::kTableInit: {
      std::vector<llvm::Value*> a = PopN(3);
      call("rivet_aot_table_init", void_type, {p, i32, i32, i32, i32, i32},
           {ctx_, Const32(ins.index2), Const32(ins.index), a[0], a[1], a[2]});
      return true;
    }
    case op::kElemDrop:
      call("rivet_aot_elem_drop", void_type, {p, i32}, {ctx_, Const32(ins.index)});
      return true;
    case op::kTableCopy: {
      std::vector<llvm::Value*> a = PopN(3);
      call("rivet_aot_table_copy", void_type, {p, i32, i32, i32, i32, i32},
           {ctx_, Const32(ins.index), Const32(ins.index2), a[0], a[1], a[2]});
      return true;
    }
    case op::kTableGrow: {
      llvm::Value* delta = Pop();
      llvm::Value* init = Pop();
      Push(call("rivet_aot_table_grow", i32, {p, i32, ip, i32},
                {ctx_, Const32(ins.index), ref_to_int(init), delta}));
      return true;
    }
    case op::kTableSize: {
      llvm::LoadInst* size =
          b_.CreateLoad(ip, b_.CreateStructGEP(env_.table_type, TableView(ins.index), kTableSize));
      size->setMetadata(llvm::LLVMContext::MD_tbaa, env_.tbaa_view);
      Push(b_.CreateZExtOrTrunc(size, i32));
      return true;
    }
    case op::kTableFill: {
      llvm::Value* count = Pop();
      llvm::Value* value = Pop();
      llvm::Value* index = Pop();
      call("rivet_aot_table_fill", void_type, {p, i32, i32, ip, i32},
           {ctx_, Const32(ins.index), index, ref_to_int(value), count});
      return true;
    }
    case op::kTableGet: {
      llvm::Value* index = Pop();
      Push(b_.CreateIntToPtr(
          call("rivet_aot_table_get", ip, {p, i32, i32}, {ctx_, Const32(ins.index), index}), p));
      return true;
    }
    case op::kTableSet: {
      llvm::Value* value = Pop();
      llvm::Value* index = Pop();
      call("rivet_aot_table_set", void_type, {p, i32, i32, ip},
           {ctx_, Const32(ins.index), index, ref_to_int(value)});
      return true;
    }
    default:
      return false;
  }
}

}  // namespace rivet::aot
