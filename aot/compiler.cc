// CompileModule: the driver around the translator. It resolves the target,
// sets up LLVM for it, translates, verifies, optimises, emits an ELF object
// into memory and wraps it in a rivet.aot section.
#include "aot/compiler.h"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "aot/llvm_targets.h"
#include "aot/translate.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Analysis/CGSCCPassManager.h"
#include "llvm/Analysis/LoopAnalysisManager.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Metadata.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Passes/OptimizationLevel.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "loader/aot_abi.h"
#include "loader/aot_section.h"

namespace rivet::aot {
namespace {

bool IsRiscv(const ResolvedTarget& target) { return target.machine != AotMachine::kX86_64; }

llvm::CodeGenOptLevel CodeGenLevel(uint32_t opt_level) {
  switch (opt_level) {
    case 0: return llvm::CodeGenOptLevel::None;
    case 1: return llvm::CodeGenOptLevel::Less;
    case 3: return llvm::CodeGenOptLevel::Aggressive;
    default: return llvm::CodeGenOptLevel::Default;
  }
}

// ResolveTarget has checked the levels: size levels only come with O2.
llvm::OptimizationLevel PipelineLevel(uint32_t opt_level, uint32_t size_level) {
  if (size_level == 1) return llvm::OptimizationLevel::Os;
  if (size_level == 2) return llvm::OptimizationLevel::Oz;
  switch (opt_level) {
    case 0: return llvm::OptimizationLevel::O0;
    case 1: return llvm::OptimizationLevel::O1;
    case 3: return llvm::OptimizationLevel::O3;
    default: return llvm::OptimizationLevel::O2;
  }
}

// The features LLVM compiles with: the resolved ones, plus, on RISC-V, no
// linker relaxation. Relaxable code carries R_RISCV_RELAX and R_RISCV_ALIGN
// relocations and keeps even local branches as relocations, all of which
// only a linker that can shrink code needs; rivet's loader places the object
// as it is, so plain code is both simpler for it and what it expects.
std::string LlvmFeatures(const ResolvedTarget& target) {
  if (!IsRiscv(target)) return target.features;
  return target.features.empty() ? "-relax" : target.features + ",-relax";
}

absl::StatusOr<std::unique_ptr<llvm::TargetMachine>> CreateTargetMachine(
    const ResolvedTarget& target, const TargetOptions& options) {
  InitializeLlvmTargets();
  std::string error;
  const llvm::Target* llvm_target = llvm::TargetRegistry::lookupTarget(target.triple, error);
  if (llvm_target == nullptr) {
    return absl::InternalError("LLVM has no backend for " + target.triple + ": " + error);
  }
  llvm::TargetOptions target_options;
  std::optional<llvm::Reloc::Model> relocation_model;
  std::optional<llvm::CodeModel::Model> code_model;
  if (IsRiscv(target)) {
    // The float ABI: soft-float code passes floats in integer registers.
    target_options.MCOptions.ABIName = target.abi;
    // Static code with the medany code model: every reference is
    // PC-relative (auipc pairs) within +-2 GiB, so the image runs wherever
    // the loader maps it, and calls to helpers further away go through
    // the loader's stubs. PIC would add a GOT the loader does not build.
    relocation_model = llvm::Reloc::Static;
    code_model = llvm::CodeModel::Medium;
  } else {
    // Position-independent code, small code model: the loader maps the
    // image anywhere and reaches helpers through PC-relative calls (to
    // stubs when they are far), which is what it expects.
    relocation_model = llvm::Reloc::PIC_;
    code_model = llvm::CodeModel::Small;
  }
  std::unique_ptr<llvm::TargetMachine> machine(llvm_target->createTargetMachine(
      target.triple, target.cpu, LlvmFeatures(target), target_options, relocation_model,
      code_model, CodeGenLevel(options.opt_level)));
  if (machine == nullptr) {
    return absl::InternalError("LLVM cannot create a target machine for " + target.triple +
                               " CPU " + target.cpu);
  }
  return machine;
}

// Runs the new pass manager's standard pipeline for the levels, as clang
// does for -O0..-O3, -Os, -Oz.
void Optimize(llvm::Module& module, llvm::TargetMachine& machine, const TargetOptions& options) {
  llvm::LoopAnalysisManager loop_analyses;
  llvm::FunctionAnalysisManager function_analyses;
  llvm::CGSCCAnalysisManager cgscc_analyses;
  llvm::ModuleAnalysisManager module_analyses;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(module_analyses);
  builder.registerCGSCCAnalyses(cgscc_analyses);
  builder.registerFunctionAnalyses(function_analyses);
  builder.registerLoopAnalyses(loop_analyses);
  builder.crossRegisterProxies(loop_analyses, function_analyses, cgscc_analyses,
                               module_analyses);
  llvm::OptimizationLevel level = PipelineLevel(options.opt_level, options.size_level);
  llvm::ModulePassManager passes = level == llvm::OptimizationLevel::O0
                                       ? builder.buildO0DefaultPipeline(level)
                                       : builder.buildPerModuleDefaultPipeline(level);
  passes.run(module, module_analyses);
}

absl::StatusOr<llvm::SmallVector<char, 0>> EmitObject(llvm::Module& module,
                                                     llvm::TargetMachine& machine) {
  llvm::SmallVector<char, 0> object;
  llvm::raw_svector_ostream out(object);
  llvm::legacy::PassManager codegen;
  if (machine.addPassesToEmitFile(codegen, out, nullptr, llvm::CodeGenFileType::ObjectFile)) {
    return absl::InternalError("LLVM cannot emit object files for " +
                               machine.getTargetTriple().str());
  }
  codegen.run(module);
  return object;
}

// The symbols the object calls but does not define: runtime and compiler
// helpers the loader must resolve. Sorted and unique.
absl::StatusOr<std::vector<std::string>> UndefinedSymbols(llvm::ArrayRef<char> object) {
  llvm::MemoryBufferRef buffer(llvm::StringRef(object.data(), object.size()), "rivet.aot");
  llvm::Expected<std::unique_ptr<llvm::object::ObjectFile>> file =
      llvm::object::ObjectFile::createObjectFile(buffer);
  if (!file) {
    return absl::InternalError("LLVM emitted an object it cannot read back: " +
                               llvm::toString(file.takeError()));
  }
  std::set<std::string> names;
  for (const llvm::object::SymbolRef& symbol : (*file)->symbols()) {
    llvm::Expected<uint32_t> flags = symbol.getFlags();
    if (!flags) {
      return absl::InternalError("cannot read a symbol of the emitted object: " +
                                 llvm::toString(flags.takeError()));
    }
    if ((*flags & llvm::object::SymbolRef::SF_Undefined) == 0) continue;
    llvm::Expected<llvm::StringRef> name = symbol.getName();
    if (!name) {
      return absl::InternalError("cannot read a symbol name of the emitted object: " +
                                 llvm::toString(name.takeError()));
    }
    if (!name->empty()) names.insert(name->str());  // the null symbol has no name
  }
  return std::vector<std::string>(names.begin(), names.end());
}

}  // namespace

absl::StatusOr<std::vector<uint8_t>> CompileModule(const Module& module,
                                                   const TargetOptions& options) {
  absl::StatusOr<ResolvedTarget> target = ResolveTarget(options);
  if (!target.ok()) return target.status();
  Result<uint64_t> code_hash = ModuleCodeHash(module.bytes());
  if (!code_hash.ok()) {
    return absl::InvalidArgumentError("cannot hash the module: " + code_hash.error().message);
  }
  absl::StatusOr<std::unique_ptr<llvm::TargetMachine>> machine =
      CreateTargetMachine(*target, options);
  if (!machine.ok()) return machine.status();

  // One context per compilation: compilations on different threads share
  // nothing but LLVM's (thread-safe) target registry.
  llvm::LLVMContext context;
  llvm::Module llvm_module("rivet", context);
  llvm_module.setTargetTriple(target->triple);
  llvm_module.setDataLayout((*machine)->createDataLayout());
  if (IsRiscv(*target)) {
    // The ABI is recorded in the module too, as clang does: LLVM checks the
    // two agree, and the object's e_flags (float ABI, RVC) come from it.
    llvm_module.addModuleFlag(llvm::Module::Error, "target-abi",
                              llvm::MDString::get(context, target->abi));
  }

  if (absl::Status translated = TranslateModule(module, *target, options, llvm_module);
      !translated.ok()) {
    return translated;
  }
  std::string problems;
  llvm::raw_string_ostream problem_stream(problems);
  if (llvm::verifyModule(llvm_module, &problem_stream)) {
    problem_stream.flush();
    return absl::InternalError("the translator produced invalid LLVM IR (a bug in rivet): " +
                               problems);
  }
  Optimize(llvm_module, **machine, options);
  absl::StatusOr<llvm::SmallVector<char, 0>> object = EmitObject(llvm_module, **machine);
  if (!object.ok()) return object.status();
  absl::StatusOr<std::vector<std::string>> helpers = UndefinedSymbols(*object);
  if (!helpers.ok()) return helpers.status();

  AotSection section;
  section.abi_version = kAotAbiVersion;
  section.machine = target->machine;
  section.abi = target->abi;
  section.cpu = target->cpu;
  section.features = target->features;
  section.flags = options.guard_pages ? uint32_t{kAotFlagGuardPages} : uint32_t{0};
  section.opt_level = options.opt_level;
  section.size_level = options.size_level;
  section.code_hash = *code_hash;
  section.helpers = std::move(*helpers);
  section.object = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(object->data()),
                                            object->size());
  return EncodeAotSection(section);
}

}  // namespace rivet::aot
