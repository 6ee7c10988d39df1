#include "aot/module_env.h"

namespace rivet::aot {

ModuleEnv::ModuleEnv(const Module& module, const ResolvedTarget& target,
                     const TargetOptions& options, llvm::Module& out)
    : module(module),
      target(target),
      options(options),
      llvm_module(out),
      context(out.getContext()) {
  ptr = llvm::PointerType::get(context, 0);
  intptr = llvm::IntegerType::get(context, target.pointer_bits);
  i8 = llvm::Type::getInt8Ty(context);
  i32 = llvm::Type::getInt32Ty(context);
  i64 = llvm::Type::getInt64Ty(context);
  v128 = llvm::FixedVectorType::get(i64, 2);
  // The structs of loader/aot_abi.h, field for field.
  context_type = llvm::StructType::create(context, {ptr, ptr, ptr, ptr, ptr, ptr, ptr},
                                          "rivet.AotContext");
  func_type = llvm::StructType::create(context, {ptr, ptr, intptr}, "rivet.AotFunc");
  memory_type = llvm::StructType::create(context, {ptr, i64}, "rivet.AotMemory");
  table_type = llvm::StructType::create(context, {ptr, intptr}, "rivet.AotTable");
  store_type = llvm::StructType::create(context, {intptr}, "rivet.AotStoreState");

  llvm::MDBuilder md(context);
  llvm::MDNode* root = md.createTBAARoot("rivet");
  auto tag = [&](const char* name) {
    llvm::MDNode* scalar = md.createTBAAScalarTypeNode(name, root);
    return md.createTBAAStructTagNode(scalar, scalar, 0);
  };
  tbaa_memory = tag("wasm memory");
  tbaa_view = tag("runtime view");
  tbaa_global = tag("wasm global");
  tbaa_table = tag("wasm table");
  empty_md = llvm::MDNode::get(context, {});

  wasm_cc = target.machine == AotMachine::kX86_64 ? llvm::CallingConv::Tail
                                                  : llvm::CallingConv::Fast;
}

llvm::Type* ModuleEnv::IrType(ValType type) const {
  switch (type) {
    case ValType::kI32: return i32;
    case ValType::kI64: return i64;
    case ValType::kF32: return llvm::Type::getFloatTy(context);
    case ValType::kF64: return llvm::Type::getDoubleTy(context);
    case ValType::kV128: return v128;
    case ValType::kFuncRef:
    case ValType::kExternRef: return ptr;
  }
  return i32;
}

llvm::Type* ModuleEnv::ResultType(const FuncType& type) {
  std::span<const ValType> results = type.results();
  if (results.empty()) return llvm::Type::getVoidTy(context);
  if (results.size() == 1) return IrType(results[0]);
  std::vector<llvm::Type*> fields;
  for (ValType t : results) fields.push_back(IrType(t));
  return llvm::StructType::get(context, fields);
}

llvm::FunctionType* ModuleEnv::NativeSignature(const FuncType& type) {
  std::vector<llvm::Type*> params{ptr};
  for (ValType t : type.params()) params.push_back(IrType(t));
  return llvm::FunctionType::get(ResultType(type), params, false);
}

llvm::FunctionCallee ModuleEnv::Helper(const char* name, llvm::Type* result,
                                       std::initializer_list<llvm::Type*> params) {
  llvm::FunctionCallee callee = llvm_module.getOrInsertFunction(
      name, llvm::FunctionType::get(result, std::vector<llvm::Type*>(params), false));
  if (auto* f = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
    f->setDoesNotThrow();
    if (std::string_view(name) == "rivet_aot_trap") {
      f->setDoesNotReturn();
      f->addFnAttr(llvm::Attribute::Cold);
    }
  }
  return callee;
}

void ModuleEnv::StoreSlots(llvm::IRBuilder<>& b, llvm::Value* slots,
                           std::span<llvm::Value* const> values, std::span<const ValType> types) {
  uint32_t slot = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    llvm::Value* at = b.CreateConstInBoundsGEP1_32(i64, slots, slot);
    llvm::Value* v = values[i];
    switch (types[i]) {
      case ValType::kI32: v = b.CreateZExt(v, i64); break;
      case ValType::kF32: v = b.CreateZExt(b.CreateBitCast(v, i32), i64); break;
      case ValType::kF64: v = b.CreateBitCast(v, i64); break;
      case ValType::kFuncRef:
      case ValType::kExternRef: v = b.CreateZExt(b.CreatePtrToInt(v, intptr), i64); break;
      default: break;  // i64, v128 stored as they are
    }
    b.CreateAlignedStore(v, at, llvm::Align(8));
    slot += SlotCountOf(types[i]);
  }
}

std::vector<llvm::Value*> ModuleEnv::LoadSlots(llvm::IRBuilder<>& b, llvm::Value* slots,
                                               std::span<const ValType> types) {
  std::vector<llvm::Value*> values;
  uint32_t slot = 0;
  for (ValType t : types) {
    llvm::Value* at = b.CreateConstInBoundsGEP1_32(i64, slots, slot);
    llvm::Value* v;
    if (t == ValType::kFuncRef || t == ValType::kExternRef) {
      v = b.CreateIntToPtr(
          b.CreateTrunc(b.CreateAlignedLoad(i64, at, llvm::Align(8)), intptr), ptr);
    } else {
      v = b.CreateAlignedLoad(IrType(t), at, llvm::Align(8));
    }
    values.push_back(v);
    slot += SlotCountOf(t);
  }
  return values;
}

}  // namespace rivet::aot
