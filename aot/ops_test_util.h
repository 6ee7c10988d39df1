// A JIT harness for testing the op translators of aot/ops.h against the
// interpreter's semantics.
//
// OpJit wraps one wasm instruction in a function
//   void op(const uint64_t* in, uint64_t* out, uint32_t* trap)
// that loads the operands from `in` (one 64-bit slot per value, i32/f32 in the
// low 32 bits, v128 in two slots low half first: the slot layout of the
// interpreter and of rivet_entry_<i>), translates the instruction with
// EmitScalarOp or EmitSimdOp, and stores the result to `out` the same way.
// TrapIf stores the trap kind to `*trap` and returns, so a trap shows up as a
// value instead of ending the test. The function is compiled with ORC LLJIT
// for the host, once per distinct instruction (opcode and immediates), so a
// test can run thousands of values through it cheaply.
//
// Usage:
//   OpJit jit;  // or OpJit(OpJit::Optimize::kO2) to run the optimiser first
//   llvm::Expected<CompiledOp> op = jit.Compile(Instruction{.opcode = op::kI32Add});
//   ASSERT_TRUE(bool(op)) << llvm::toString(op.takeError());
//   OpOutcome r = op->Run({1, 2});  // r.slots[0] == 3, r.trap == std::nullopt
#ifndef RIVET_AOT_OPS_TEST_UTIL_H_
#define RIVET_AOT_OPS_TEST_UTIL_H_

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "aot/ops.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Analysis/CGSCCPassManager.h"
#include "llvm/Analysis/LoopAnalysisManager.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "loader/function_validator.h"
#include "loader/module.h"
#include "loader/opcodes.h"

namespace rivet::aot::testing {

// What one run of a compiled instruction produced.
struct OpOutcome {
  // The result's slots: slot 0 for scalars (i32/f32 zero-extended), both for
  // v128. Unchanged (zero) when the instruction trapped or has no result.
  std::array<uint64_t, 2> slots{};
  // The trap kind passed to TrapIf, if the instruction trapped.
  std::optional<AotTrap> trap;
};

// The signature of the generated wrapper.
using OpFunction = void (*)(const uint64_t* in, uint64_t* out, uint32_t* trap);

// One compiled instruction, callable with operand slots.
class CompiledOp {
 public:
  CompiledOp(OpFunction function, size_t operand_slots)
      : function_(function), operand_slots_(operand_slots) {}

  // `operand_slots` must hold every operand's slots in wasm order (v128 takes
  // two); missing slots read as zero, extra ones are ignored.
  OpOutcome Run(std::span<const uint64_t> operand_slots) const {
    std::array<uint64_t, 6> in{};  // at most three v128 operands
    std::memcpy(in.data(), operand_slots.data(),
                std::min(operand_slots.size(), operand_slots_) * sizeof(uint64_t));
    OpOutcome outcome;
    uint32_t trap = kNoTrap;
    function_(in.data(), outcome.slots.data(), &trap);
    if (trap != kNoTrap) outcome.trap = static_cast<AotTrap>(trap);
    return outcome;
  }
  OpOutcome Run(std::initializer_list<uint64_t> operand_slots) const {
    return Run(std::span<const uint64_t>(operand_slots.begin(), operand_slots.size()));
  }

  // The value `*trap` keeps when nothing trapped (no AotTrap has it).
  static constexpr uint32_t kNoTrap = 0xffffffffu;

 private:
  OpFunction function_;
  size_t operand_slots_;
};

// Which translator of aot/ops.h to call.
enum class OpTranslator { kScalar, kSimd };

class OpJit {
 public:
  enum class Optimize {
    kNone,  // run the IR exactly as the translator emitted it
    kO2,    // run LLVM's O2 module pipeline first, as `rivet compile` does
  };

  explicit OpJit(Optimize optimize = Optimize::kNone) : optimize_(optimize) {}

  // What the wrapper passes to the translator and expects back.
  struct Signature {
    std::vector<ValType> params;
    std::optional<ValType> result;  // nullopt: none
    OpTranslator translator = OpTranslator::kScalar;
  };

  // The signature the opcode table gives `ins`, with EmitSimdOp for
  // 0xFD-prefixed opcodes and EmitScalarOp otherwise.
  static llvm::Expected<Signature> TableSignature(const Instruction& ins) {
    const OpInfo& info = GetOpInfo(ins.opcode);
    if (!info.known() || !info.has_signature) {
      return MakeError(OpName(ins.opcode) +
                       " has no fixed signature in the opcode table; pass its types explicitly");
    }
    Signature signature;
    for (int i = 0; i < info.num_params; ++i) {
      signature.params.push_back(static_cast<ValType>(info.params[i]));
    }
    if (info.num_results == 1) signature.result = static_cast<ValType>(info.result);
    signature.translator =
        (ins.opcode >> 8) == 0xfd ? OpTranslator::kSimd : OpTranslator::kScalar;
    return signature;
  }

  // Compiles `ins` with its table signature (TableSignature).
  llvm::Expected<CompiledOp> Compile(const Instruction& ins) {
    llvm::Expected<Signature> signature = TableSignature(ins);
    if (!signature) return signature.takeError();
    return Compile(ins, *signature);
  }

  // Compiles `ins` with an explicit signature. Cached per opcode, immediates
  // and signature.
  llvm::Expected<CompiledOp> Compile(const Instruction& ins, const Signature& signature) {
    std::string key = CacheKey(ins, signature);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    const std::vector<uint64_t>* load_operands = nullptr;
    llvm::Expected<std::vector<CompiledOp>> compiled =
        CompileModule(ins, signature, {&load_operands, 1});
    if (!compiled) return compiled.takeError();
    cache_.emplace(std::move(key), compiled->front());
    return compiled->front();
  }

  // Compiles `ins` once per operand set, with the operands as IR constants
  // instead of loads, so that LLVM's constant folding (in IRBuilder and the
  // optimiser) evaluates the emitted IR by LLVM's own rules. That catches
  // IR whose meaning differs from what the host's instructions happen to do:
  // a shift by the width is poison in LLVM although x86 masks the count, and
  // ctlz of zero may be poison although lzcnt gives the width. The returned
  // ops ignore their operand slots. Not cached.
  llvm::Expected<std::vector<CompiledOp>> CompileWithConstantOperands(
      const Instruction& ins, std::span<const std::vector<uint64_t>> operand_sets) {
    llvm::Expected<Signature> signature = TableSignature(ins);
    if (!signature) return signature.takeError();
    std::vector<const std::vector<uint64_t>*> constants;
    for (const std::vector<uint64_t>& set : operand_sets) constants.push_back(&set);
    return CompileModule(ins, *signature, constants);
  }

  // Adds the wrapper for `ins` as function `name` to `module`, which may be
  // for any target: a test can then compile it with that target's backend to
  // check that the emitted IR lowers for cores lacking some extension.
  // Returns the wrapper's operand slot count.
  static llvm::Expected<size_t> AddWrapper(llvm::Module& module, const std::string& name,
                                           const Instruction& ins, const Signature& signature) {
    return BuildWrapper(module, name, ins, signature, nullptr);
  }

  // Runs LLVM's O2 module pipeline over `module`, tuned for `machine` when
  // given (as `rivet compile` does), else target-independently.
  static void RunO2(llvm::Module& module, llvm::TargetMachine* machine = nullptr) {
    llvm::LoopAnalysisManager loops;
    llvm::FunctionAnalysisManager functions;
    llvm::CGSCCAnalysisManager cgscc;
    llvm::ModuleAnalysisManager modules;
    llvm::PassBuilder builder(machine);
    builder.registerModuleAnalyses(modules);
    builder.registerCGSCCAnalyses(cgscc);
    builder.registerFunctionAnalyses(functions);
    builder.registerLoopAnalyses(loops);
    builder.crossRegisterProxies(loops, functions, cgscc, modules);
    builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, modules);
  }

  // The IR the translator emits for `ins` (before optimisation), for failure
  // messages.
  std::string DumpIr(const Instruction& ins) {
    llvm::Expected<Signature> signature = TableSignature(ins);
    if (!signature) return llvm::toString(signature.takeError());
    llvm::LLVMContext context;
    llvm::Module module("dump", context);
    llvm::Expected<size_t> built = BuildWrapper(module, "op", ins, *signature, nullptr);
    if (!built) return llvm::toString(built.takeError());
    std::string ir;
    llvm::raw_string_ostream stream(ir);
    module.print(stream, nullptr);
    return ir;
  }

 private:
  // The OpContext the translators see: TrapIf stores the kind and returns.
  class WrapperContext : public OpContext {
   public:
    WrapperContext(llvm::Module& module, llvm::IRBuilder<>& builder, llvm::Value* trap_slot)
        : module_(module), builder_(builder), trap_slot_(trap_slot) {}
    llvm::IRBuilder<>& builder() override { return builder_; }
    llvm::Module& module() override { return module_; }
    void TrapIf(llvm::Value* condition, AotTrap kind) override {
      llvm::LLVMContext& context = builder_.getContext();
      llvm::Function* function = builder_.GetInsertBlock()->getParent();
      auto* trap = llvm::BasicBlock::Create(context, "trap", function);
      auto* cont = llvm::BasicBlock::Create(context, "no_trap", function);
      builder_.CreateCondBr(condition, trap, cont);
      builder_.SetInsertPoint(trap);
      builder_.CreateStore(builder_.getInt32(kind), trap_slot_);
      builder_.CreateRetVoid();
      builder_.SetInsertPoint(cont);
    }

   private:
    llvm::Module& module_;
    llvm::IRBuilder<>& builder_;
    llvm::Value* trap_slot_;
  };

  static llvm::Error MakeError(const std::string& message) {
    return llvm::make_error<llvm::StringError>(message, llvm::inconvertibleErrorCode());
  }

  static std::string OpName(Opcode opcode) {
    const OpInfo& info = GetOpInfo(opcode);
    return info.known() ? std::string(info.name) : "opcode 0x" + llvm::utohexstr(opcode);
  }

  static std::string CacheKey(const Instruction& ins, const Signature& signature) {
    std::string key;
    auto append = [&key](const void* data, size_t size) {
      key.append(static_cast<const char*>(data), size);
    };
    append(&ins.opcode, sizeof ins.opcode);
    append(&ins.lane, sizeof ins.lane);
    append(&ins.bits, sizeof ins.bits);
    append(&ins.index, sizeof ins.index);
    if (ins.bytes != nullptr) append(ins.bytes, 16);
    key.push_back(static_cast<char>(signature.translator));
    for (ValType t : signature.params) key.push_back(static_cast<char>(t));
    key.push_back(':');
    if (signature.result) key.push_back(static_cast<char>(*signature.result));
    return key;
  }

  static llvm::Type* IrType(llvm::LLVMContext& context, ValType type) {
    switch (type) {
      case ValType::kI32: return llvm::Type::getInt32Ty(context);
      case ValType::kI64: return llvm::Type::getInt64Ty(context);
      case ValType::kF32: return llvm::Type::getFloatTy(context);
      case ValType::kF64: return llvm::Type::getDoubleTy(context);
      case ValType::kV128:
        return llvm::FixedVectorType::get(llvm::Type::getInt64Ty(context), 2);
      case ValType::kFuncRef:
      case ValType::kExternRef: return llvm::PointerType::get(context, 0);
    }
    return nullptr;
  }

  // Loads an operand of `type` from the slot(s) at `slot_ptr`.
  static llvm::Value* LoadSlot(llvm::IRBuilder<>& b, llvm::Value* slot_ptr, ValType type) {
    llvm::LLVMContext& context = b.getContext();
    if (type == ValType::kV128 || IsRefType(type)) {
      return b.CreateLoad(IrType(context, type), slot_ptr);
    }
    llvm::Value* slot = b.CreateLoad(b.getInt64Ty(), slot_ptr);
    switch (type) {
      case ValType::kI32: return b.CreateTrunc(slot, b.getInt32Ty());
      case ValType::kF32: return b.CreateBitCast(b.CreateTrunc(slot, b.getInt32Ty()), b.getFloatTy());
      case ValType::kF64: return b.CreateBitCast(slot, b.getDoubleTy());
      default: return slot;
    }
  }

  // Stores `value` (of `type`) to the slot(s) at `slot_ptr`.
  static void StoreSlot(llvm::IRBuilder<>& b, llvm::Value* slot_ptr, llvm::Value* value,
                        ValType type) {
    switch (type) {
      case ValType::kI32: value = b.CreateZExt(value, b.getInt64Ty()); break;
      case ValType::kF32:
        value = b.CreateZExt(b.CreateBitCast(value, b.getInt32Ty()), b.getInt64Ty());
        break;
      case ValType::kF64: value = b.CreateBitCast(value, b.getInt64Ty()); break;
      default: break;
    }
    b.CreateStore(value, slot_ptr);
  }

  // An operand of `type` as an IR constant, from its slot(s).
  static llvm::Constant* ConstantOperand(llvm::LLVMContext& context, ValType type,
                                         const uint64_t* slots) {
    switch (type) {
      case ValType::kI32:
        return llvm::ConstantInt::get(llvm::Type::getInt32Ty(context), slots[0] & 0xffffffffu);
      case ValType::kI64: return llvm::ConstantInt::get(llvm::Type::getInt64Ty(context), slots[0]);
      case ValType::kF32:
        return llvm::ConstantFP::get(
            context, llvm::APFloat(llvm::APFloat::IEEEsingle(), llvm::APInt(32, slots[0] & 0xffffffffu)));
      case ValType::kF64:
        return llvm::ConstantFP::get(
            context, llvm::APFloat(llvm::APFloat::IEEEdouble(), llvm::APInt(64, slots[0])));
      case ValType::kV128: {
        uint64_t halves[2] = {slots[0], slots[1]};
        return llvm::ConstantDataVector::get(context, halves);
      }
      case ValType::kFuncRef:
      case ValType::kExternRef: break;
    }
    return llvm::ConstantPointerNull::get(llvm::PointerType::get(context, 0));
  }

  // Adds one wrapper per entry of `constants` to a new module (loading its
  // operands when the entry is null, else using them as constants) and
  // JIT-compiles it.
  llvm::Expected<std::vector<CompiledOp>> CompileModule(
      const Instruction& ins, const Signature& signature,
      std::span<const std::vector<uint64_t>* const> constants) {
    if (llvm::Error error = EnsureJit()) return std::move(error);
    auto context = std::make_unique<llvm::LLVMContext>();
    auto module = std::make_unique<llvm::Module>("rivet_test_ops", *context);
    module->setDataLayout(jit_->getDataLayout());
    module->setTargetTriple(jit_->getTargetTriple().str());
    std::vector<std::string> names;
    std::vector<size_t> operand_slots;
    for (const std::vector<uint64_t>* operands : constants) {
      names.push_back("rivet_test_op_" + std::to_string(next_function_++));
      llvm::Expected<size_t> slots = BuildWrapper(*module, names.back(), ins, signature, operands);
      if (!slots) return slots.takeError();
      operand_slots.push_back(*slots);
    }

    std::string verifier_message;
    llvm::raw_string_ostream verifier_stream(verifier_message);
    if (llvm::verifyModule(*module, &verifier_stream)) {
      std::string ir;
      llvm::raw_string_ostream ir_stream(ir);
      module->print(ir_stream, nullptr);
      return MakeError("invalid IR for " + OpName(ins.opcode) + ": " + verifier_message + "\n" + ir);
    }
    if (llvm::Error error = jit_->addIRModule(
            llvm::orc::ThreadSafeModule(std::move(module), std::move(context)))) {
      return std::move(error);
    }
    std::vector<CompiledOp> compiled;
    for (size_t i = 0; i < names.size(); ++i) {
      llvm::Expected<llvm::orc::ExecutorAddr> address = jit_->lookup(names[i]);
      if (!address) return address.takeError();
      compiled.emplace_back(address->toPtr<OpFunction>(), operand_slots[i]);
    }
    return compiled;
  }

  // Adds the wrapper function `name` to `module`, loading the operands from
  // its `in` slots, or using `constants` (slots) when not null. Returns the
  // operand slot count.
  static llvm::Expected<size_t> BuildWrapper(llvm::Module& module, const std::string& name,
                                             const Instruction& ins, const Signature& signature,
                                             const std::vector<uint64_t>* constants) {
    const std::optional<ValType>& result = signature.result;
    llvm::LLVMContext& context = module.getContext();
    llvm::Type* ptr = llvm::PointerType::get(context, 0);
    auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(context), {ptr, ptr, ptr}, false);
    auto* function =
        llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module);
    llvm::Value* in = function->getArg(0);
    llvm::Value* out = function->getArg(1);
    llvm::Value* trap = function->getArg(2);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", function));

    std::vector<llvm::Value*> operands;
    size_t slot = 0;
    for (ValType param : signature.params) {
      size_t width = param == ValType::kV128 ? 2 : 1;
      if (constants != nullptr) {
        if (constants->size() < slot + width) {
          return MakeError(OpName(ins.opcode) + ": " + std::to_string(constants->size()) +
                           " constant operand slots are too few for its operands");
        }
        operands.push_back(ConstantOperand(context, param, constants->data() + slot));
      } else {
        llvm::Value* slot_ptr = b.CreateConstInBoundsGEP1_64(b.getInt64Ty(), in, slot);
        operands.push_back(LoadSlot(b, slot_ptr, param));
      }
      slot += width;
    }

    WrapperContext cx(module, b, trap);
    llvm::Value* value = signature.translator == OpTranslator::kSimd
                             ? EmitSimdOp(cx, ins, operands)
                             : EmitScalarOp(cx, ins, operands);
    if (value == nullptr && result) {
      return MakeError(OpName(ins.opcode) + ": the translator returned null (not handled)");
    }
    if (result) {
      llvm::Type* expected = IrType(context, *result);
      if (value->getType() != expected) {
        std::string got;
        llvm::raw_string_ostream stream(got);
        value->getType()->print(stream);
        return MakeError(OpName(ins.opcode) + ": the translator returned a value of type " + got +
                         ", expected " + std::string(ValTypeName(*result)));
      }
      StoreSlot(b, out, value, *result);
    }
    b.CreateRetVoid();
    return slot;
  }

  // Creates the JIT on first use (so that constructing an OpJit cannot fail).
  llvm::Error EnsureJit() {
    if (jit_) return llvm::Error::success();
    static const bool initialised = [] {
      llvm::InitializeNativeTarget();
      llvm::InitializeNativeTargetAsmPrinter();
      return true;
    }();
    (void)initialised;
    llvm::Expected<std::unique_ptr<llvm::orc::LLJIT>> jit = llvm::orc::LLJITBuilder().create();
    if (!jit) return jit.takeError();
    jit_ = std::move(*jit);
    if (optimize_ == Optimize::kO2) {
      jit_->getIRTransformLayer().setTransform(
          [](llvm::orc::ThreadSafeModule module, const llvm::orc::MaterializationResponsibility&)
              -> llvm::Expected<llvm::orc::ThreadSafeModule> {
            module.withModuleDo([](llvm::Module& m) { RunO2(m); });
            return std::move(module);
          });
    }
    return llvm::Error::success();
  }

  Optimize optimize_;
  std::unique_ptr<llvm::orc::LLJIT> jit_;
  std::map<std::string, CompiledOp> cache_;
  int next_function_ = 0;  // names every wrapper uniquely within the JIT
};

}  // namespace rivet::aot::testing

#endif  // RIVET_AOT_OPS_TEST_UTIL_H_
