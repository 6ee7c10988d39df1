#include "aot/translate.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "aot/function_translator.h"
#include "aot/module_env.h"
#include "loader/reader.h"

namespace rivet::aot {
namespace {

// Functions the host can reach: exports, the start function, and those that
// element segments and global initialisers make into references. (ref.func
// in code adds to these as functions are translated.)
std::set<uint32_t> EscapingFunctions(const Module& module) {
  std::set<uint32_t> escaping;
  for (const Export& e : module.exports) {
    if (e.kind == ExternKind::kFunc) escaping.insert(e.index);
  }
  if (module.start) escaping.insert(*module.start);
  auto scan_expr = [&](const ConstExpr& expr) {
    std::span<const uint8_t> bytes = module.Range(expr.offset, expr.size);
    Reader r(bytes.data(), bytes.size(), expr.offset);
    if (r.U8() == 0xd2) {
      uint32_t index = r.U32();
      if (r.ok()) escaping.insert(index);
    }
  };
  for (const ElemSegment& segment : module.elems) {
    escaping.insert(segment.func_indices.begin(), segment.func_indices.end());
    for (const ConstExpr& expr : segment.exprs) scan_expr(expr);
  }
  for (const ConstExpr& expr : module.global_inits) scan_expr(expr);
  return escaping;
}

// rivet_entry_<i>: the C-convention wrapper through which the runtime calls
// function `index` with arguments and results in 64-bit slots.
void BuildEntry(ModuleEnv& env, uint32_t index) {
  const FuncType& type = env.module.FunctionType(index);
  llvm::FunctionType* signature = llvm::FunctionType::get(
      llvm::Type::getVoidTy(env.context), {env.ptr, env.ptr}, false);
  llvm::Function* entry = llvm::Function::Create(
      signature, llvm::GlobalValue::ExternalLinkage,
      absl::StrCat(kEntrySymbolPrefix, index), env.llvm_module);
  entry->setDoesNotThrow();
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(env.context, "", entry));
  llvm::Value* ctx = entry->getArg(0);
  llvm::Value* slots = entry->getArg(1);
  std::vector<llvm::Value*> args{ctx};
  for (llvm::Value* arg : env.LoadSlots(b, slots, type.params())) args.push_back(arg);
  llvm::CallInst* call = b.CreateCall(env.functions[index], args);
  call->setCallingConv(env.wasm_cc);

  std::span<const ValType> results = type.results();
  std::vector<llvm::Value*> values;
  for (unsigned i = 0; i < results.size(); ++i) {
    values.push_back(results.size() == 1 ? static_cast<llvm::Value*>(call)
                                         : b.CreateExtractValue(call, {i}));
  }
  env.StoreSlots(b, slots, values, results);
  b.CreateRetVoid();
}

}  // namespace

absl::Status TranslateModule(const Module& module, const ResolvedTarget& target,
                             const TargetOptions& options, llvm::Module& out) {
  ModuleEnv env(module, target, options, out);
  env.functions.assign(module.functions.size(), nullptr);
  for (uint32_t i = module.num_imported_functions; i < module.functions.size(); ++i) {
    llvm::Function* f = llvm::Function::Create(env.NativeSignature(module.FunctionType(i)),
                                               llvm::GlobalValue::InternalLinkage,
                                               absl::StrCat(kFuncSymbolPrefix, i), out);
    f->setCallingConv(env.wasm_cc);
    f->setDoesNotThrow();
    env.functions[i] = f;
  }

  std::set<uint32_t> escaping = EscapingFunctions(module);
  bool tail_calls = false;
  for (uint32_t i = module.num_imported_functions; i < module.functions.size(); ++i) {
    FunctionTranslator translator(env, i);
    Status status = translator.Translate();
    if (!status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("function ", module.FunctionName(i), ": ",
                                                     status.error().message));
    }
    escaping.insert(translator.referenced_functions().begin(),
                    translator.referenced_functions().end());
    tail_calls |= translator.makes_tail_calls();
  }

  // tailcc (x86-64's wasm convention, for guaranteed return_call) makes
  // every callee pop an argument area, which costs each call an extra stack
  // adjustment. Functions only this module's code calls directly, in a
  // module without tail calls, use fastcc instead; escaping ones keep the
  // contract's convention, since other code calls them through AotFunc.
  if (!tail_calls && env.wasm_cc != llvm::CallingConv::Fast) {
    for (uint32_t i = module.num_imported_functions; i < module.functions.size(); ++i) {
      if (escaping.count(i)) continue;
      llvm::Function* f = env.functions[i];
      f->setCallingConv(llvm::CallingConv::Fast);
      for (llvm::User* user : f->users()) {
        if (auto* call = llvm::dyn_cast<llvm::CallInst>(user); call && call->getCalledFunction() == f) {
          call->setCallingConv(llvm::CallingConv::Fast);
        }
      }
    }
  }

  for (uint32_t index : escaping) {
    if (module.IsImportedFunction(index)) continue;  // no code of ours
    llvm::Function* f = env.functions[index];
    f->setLinkage(llvm::GlobalValue::ExternalLinkage);
    f->setDSOLocal(true);
    BuildEntry(env, index);
  }
  return absl::OkStatus();
}

}  // namespace rivet::aot
