// The interpreter's code generator: a consumer of the validating walk.
//
// The validator has already decided everything about types; this consumer
// turns each instruction into handler words, computing slot offsets for
// locals and precise branch targets (the stack height and number of slots a
// branch keeps) from the validator's control and operand stacks. Code after
// an unconditional branch is dead until the end of its block and is not
// emitted.
#include "interp/compiler.h"

#include <cstring>
#include <limits>
#include <vector>

#include "loader/function_validator.h"

namespace rivet::interp {
namespace {

constexpr size_t kNoFixup = std::numeric_limits<size_t>::max();

class Compiler {
 public:
  using Validator = FunctionValidator<Compiler>;

  Compiler(const Instance& instance, uint32_t func_index, CompiledFunction& out)
      : instance_(instance), out_(out), handlers_(HandlerTable()) {
    const Module& module = *instance.module;
    const Function& func = module.functions[func_index];
    const FuncType& type = module.types[func.type_index];
    uint32_t slot = 0;
    for (ValType t : type.params()) {
      local_offsets_.push_back(slot);
      slot += SlotCount(t);
    }
    out_.param_slots = slot;
    for (const LocalRun& run : func.locals) {
      for (uint32_t i = 0; i < run.count; ++i) {
        local_offsets_.push_back(slot);
        slot += SlotCount(run.type);
      }
    }
    out_.local_slots = slot - out_.param_slots;
    out_.result_slots = static_cast<uint32_t>(SlotCount(type.results()));
    frame_base_ = slot;
    // The function body is the outermost label; branching to it returns.
    labels_.push_back(Label{true, frame_base_, out_.result_slots, false, 0});
  }

  void Finish() {
    for (size_t pos : target_words_) out_.code[pos].target = &out_.code[out_.code[pos].u64];
    out_.max_stack_slots = static_cast<uint32_t>(max_operand_slots_) + 4;
  }

  void OnInstruction(const Instruction& ins, const Validator& v);

 private:
  struct Label {
    bool reachable;        // code before the block was reachable
    uint32_t base;         // slot height (from the frame base) at entry
    uint32_t arity;        // slots a branch to it carries
    bool is_loop;
    size_t loop_start;     // branch target of a loop
    std::vector<size_t> fixups = {};  // words to point at the block's end
    size_t else_fixup = kNoFixup;     // an `if`'s jump to its else branch
  };

  void Emit(Handler h) { out_.code.push_back(Word{.handler = handlers_[size_t(h)]}); }
  void EmitU64(uint64_t value) {
    Word w;
    w.u64 = value;
    out_.code.push_back(w);
  }
  void EmitPtr(const void* p) {
    Word w;
    w.ptr = const_cast<void*>(p);
    out_.code.push_back(w);
  }
  // A branch target word, resolved later to `index` in the code.
  void EmitTarget(size_t index) {
    target_words_.push_back(out_.code.size());
    EmitU64(index);
  }
  // A forward branch target word for `label`'s end.
  void EmitLabelTarget(Label& label) {
    if (label.is_loop) {
      EmitTarget(label.loop_start);
    } else {
      label.fixups.push_back(out_.code.size());
      EmitTarget(0);
    }
  }
  void PatchHere(size_t word) { out_.code[word].u64 = out_.code.size(); }

  // Slot height of the operand stack (from the frame base), less the top
  // `drop` operands.
  uint32_t Height(const Validator& v, size_t drop = 0) const {
    std::span<const ValType> ops = v.operands();
    uint32_t h = frame_base_;
    for (size_t i = 0; i + drop < ops.size(); ++i) h += SlotCount(ops[i]);
    return h;
  }

  // A branch to label `depth` from a stack of height `height`.
  void EmitBranch(uint32_t depth, uint32_t height, Handler plain, Handler move) {
    Label& label = labels_[labels_.size() - 1 - depth];
    uint32_t arity = label.arity;
    if (height == label.base + arity) {
      Emit(plain);
    } else {
      Emit(move);
      EmitU64(arity);
      EmitU64(label.base);
    }
    EmitLabelTarget(label);
  }

  void EmitMemoryAccess(Handler h, const Instruction& ins, bool with_lane) {
    bool other_memory = ins.memory != 0;
    if (other_memory) {
      Emit(Handler::kUseMemory);
      EmitPtr(instance_.memories[ins.memory]);
    }
    Emit(h);
    EmitU64(ins.mem_offset);
    if (with_lane) EmitU64(ins.lane);
    if (other_memory) Emit(Handler::kRestoreMemory);
  }

  const Instance& instance_;
  CompiledFunction& out_;
  const void* const* handlers_;
  std::vector<uint32_t> local_offsets_;
  uint32_t frame_base_ = 0;
  std::vector<Label> labels_;
  std::vector<size_t> target_words_;
  bool unreachable_ = false;
  size_t max_operand_slots_ = 0;
};

// Handler of a wasm instruction executed by a generic rule, by opcode.
Handler GenericHandler(Opcode opcode) {
  switch (opcode) {
#define RIVET_GENERIC_CASE(name, code, ...) \
  case code:                                \
    return Handler::k##name;
    RIVET_FOREACH_LOAD_STORE_OPCODE(RIVET_GENERIC_CASE)
    RIVET_FOREACH_NUMERIC_OPCODE(RIVET_GENERIC_CASE)
    RIVET_FOREACH_SIMD_MEMORY_OPCODE(RIVET_GENERIC_CASE)
    RIVET_FOREACH_SIMD_LANE_OPCODE(RIVET_GENERIC_CASE)
    RIVET_FOREACH_SIMD_NUMERIC_OPCODE(RIVET_GENERIC_CASE)
    RIVET_FOREACH_ATOMIC_OPCODE(RIVET_GENERIC_CASE)
#undef RIVET_GENERIC_CASE
  }
  return Handler::kCount;
}

void Compiler::OnInstruction(const Instruction& ins, const Validator& v) {
  const Opcode opcode = ins.opcode;
  // Structure is tracked even in dead code, so that the end of a block
  // reached by a branch revives it.
  switch (opcode) {
    case op::kBlock:
    case op::kLoop:
    case op::kIf: {
      if (unreachable_) {
        labels_.push_back(Label{false, 0, 0, false, 0});
        return;
      }
      uint32_t params = static_cast<uint32_t>(SlotCount(ins.block.params));
      uint32_t results = static_cast<uint32_t>(SlotCount(ins.block.results));
      uint32_t base = Height(v, ins.block.params.size() + (opcode == op::kIf ? 1 : 0));
      bool is_loop = opcode == op::kLoop;
      labels_.push_back(Label{true, base, is_loop ? params : results, is_loop,
                              out_.code.size()});
      if (opcode == op::kIf) {
        Emit(Handler::kBrIfZ);
        labels_.back().else_fixup = out_.code.size();
        EmitTarget(0);
      }
      return;
    }
    case op::kElse: {
      Label& label = labels_.back();
      if (!label.reachable) return;
      if (!unreachable_) {
        Emit(Handler::kBr);
        label.fixups.push_back(out_.code.size());
        EmitTarget(0);
      }
      PatchHere(label.else_fixup);
      label.else_fixup = kNoFixup;
      unreachable_ = false;
      return;
    }
    case op::kEnd: {
      Label label = std::move(labels_.back());
      labels_.pop_back();
      if (!label.reachable) return;
      if (label.else_fixup != kNoFixup) PatchHere(label.else_fixup);
      for (size_t word : label.fixups) PatchHere(word);
      unreachable_ = false;
      if (labels_.empty()) {
        Emit(Handler::kReturn);
        EmitU64(out_.result_slots);
      }
      return;
    }
  }
  if (unreachable_) return;
  max_operand_slots_ = std::max(max_operand_slots_, 2 * v.operands().size() + 2);

  const Module& module = *instance_.module;
  switch (opcode) {
    case op::kUnreachable:
      Emit(Handler::kTrap);
      EmitU64(static_cast<uint64_t>(TrapKind::kUnreachable));
      unreachable_ = true;
      return;
    case op::kNop:
      return;
    case op::kBr:
      EmitBranch(ins.index, Height(v), Handler::kBr, Handler::kBrMove);
      unreachable_ = true;
      return;
    case op::kBrIf:
      EmitBranch(ins.index, Height(v, 1), Handler::kBrIfNz, Handler::kBrIfNzMove);
      return;
    case op::kBrTable: {
      uint32_t height = Height(v, 1);
      Emit(Handler::kBrTable);
      EmitU64(ins.br_targets.size());
      auto entry = [&](uint32_t depth) {
        Label& label = labels_[labels_.size() - 1 - depth];
        EmitU64(label.arity);
        EmitU64(height == label.base + label.arity ? ~0ull : label.base);
        EmitLabelTarget(label);
      };
      for (uint32_t depth : ins.br_targets) entry(depth);
      entry(ins.index);
      unreachable_ = true;
      return;
    }
    case op::kReturn:
      Emit(Handler::kReturn);
      EmitU64(out_.result_slots);
      unreachable_ = true;
      return;
    case op::kCall:
    case op::kReturnCall: {
      const FuncInstance* callee = instance_.functions[ins.index];
      size_t results = SlotCount(callee->type.results());
      max_operand_slots_ = std::max(max_operand_slots_, 2 * v.operands().size() + 2 * results);
      Emit(opcode == op::kCall ? Handler::kCall : Handler::kReturnCall);
      EmitPtr(callee);
      if (opcode == op::kReturnCall) unreachable_ = true;
      return;
    }
    case op::kCallIndirect:
    case op::kReturnCallIndirect: {
      const FuncType& type = module.types[ins.index];
      size_t results = SlotCount(type.results());
      max_operand_slots_ = std::max(max_operand_slots_, 2 * v.operands().size() + 2 * results);
      Emit(opcode == op::kCallIndirect ? Handler::kCallIndirect : Handler::kReturnCallIndirect);
      EmitPtr(instance_.tables[ins.index2]);
      EmitPtr(&type);
      if (opcode == op::kReturnCallIndirect) unreachable_ = true;
      return;
    }
    case op::kDrop:
      Emit(Handler::kDrop);
      EmitU64(SlotCount(v.operands().back()));
      return;
    case op::kSelect:
    case op::kSelectT: {
      ValType type = opcode == op::kSelectT ? ins.type : v.operands()[v.operands().size() - 2];
      Emit(type == ValType::kV128 ? Handler::kSelect128 : Handler::kSelect);
      return;
    }
    case op::kLocalGet:
    case op::kLocalSet:
    case op::kLocalTee: {
      bool wide = v.local_type(ins.index) == ValType::kV128;
      static constexpr Handler kNarrow[] = {Handler::kLocalGet, Handler::kLocalSet,
                                            Handler::kLocalTee};
      static constexpr Handler kWide[] = {Handler::kLocalGet128, Handler::kLocalSet128,
                                          Handler::kLocalTee128};
      Emit((wide ? kWide : kNarrow)[opcode - op::kLocalGet]);
      EmitU64(local_offsets_[ins.index]);
      return;
    }
    case op::kGlobalGet:
    case op::kGlobalSet: {
      const Global* global = instance_.globals[ins.index];
      bool wide = global->type.type == ValType::kV128;
      bool get = opcode == op::kGlobalGet;
      Emit(wide ? (get ? Handler::kGlobalGet128 : Handler::kGlobalSet128)
                : (get ? Handler::kGlobalGet : Handler::kGlobalSet));
      EmitPtr(global);
      return;
    }
    case op::kTableGet: Emit(Handler::kTableGet); EmitPtr(instance_.tables[ins.index]); return;
    case op::kTableSet: Emit(Handler::kTableSet); EmitPtr(instance_.tables[ins.index]); return;
    case op::kTableSize: Emit(Handler::kTableSize); EmitPtr(instance_.tables[ins.index]); return;
    case op::kTableGrow: Emit(Handler::kTableGrow); EmitPtr(instance_.tables[ins.index]); return;
    case op::kTableFill: Emit(Handler::kTableFill); EmitPtr(instance_.tables[ins.index]); return;
    case op::kTableInit:
      Emit(Handler::kTableInit);
      EmitPtr(instance_.tables[ins.index2]);
      EmitPtr(&instance_.elems[ins.index]);
      return;
    case op::kTableCopy:
      Emit(Handler::kTableCopy);
      EmitPtr(instance_.tables[ins.index]);
      EmitPtr(instance_.tables[ins.index2]);
      return;
    case op::kElemDrop: Emit(Handler::kElemDrop); EmitPtr(&instance_.elems[ins.index]); return;
    case op::kMemorySize: Emit(Handler::kMemorySize); EmitPtr(instance_.memories[ins.memory]); return;
    case op::kMemoryGrow: Emit(Handler::kMemoryGrow); EmitPtr(instance_.memories[ins.memory]); return;
    case op::kMemoryFill: Emit(Handler::kMemoryFill); EmitPtr(instance_.memories[ins.memory]); return;
    case op::kMemoryInit:
      Emit(Handler::kMemoryInit);
      EmitPtr(instance_.memories[ins.memory]);
      EmitPtr(&instance_.datas[ins.index]);
      return;
    case op::kDataDrop: Emit(Handler::kDataDrop); EmitPtr(&instance_.datas[ins.index]); return;
    case op::kMemoryCopy:
      Emit(Handler::kMemoryCopy);
      EmitPtr(instance_.memories[ins.memory]);
      EmitPtr(instance_.memories[ins.index2]);
      return;
    case op::kI32Const:
    case op::kI64Const:
    case op::kF32Const:
    case op::kF64Const:
      Emit(Handler::kConst);
      EmitU64(ins.bits);
      return;
    case op::kV128Const: {
      uint64_t halves[2];
      std::memcpy(halves, ins.bytes, 16);
      Emit(Handler::kConst128);
      EmitU64(halves[0]);
      EmitU64(halves[1]);
      return;
    }
    case op::kRefNull:
      Emit(Handler::kConst);
      EmitU64(0);
      return;
    case op::kRefFunc:
      Emit(Handler::kConst);
      EmitPtr(instance_.functions[ins.index]);
      return;
    case op::kRefIsNull:
      Emit(Handler::kRefIsNull);
      return;
    case op::kI8x16Shuffle: {
      uint64_t halves[2];
      std::memcpy(halves, ins.bytes, 16);
      Emit(Handler::kI8x16Shuffle);
      EmitU64(halves[0]);
      EmitU64(halves[1]);
      return;
    }
  }

  // Everything else runs by a generic rule.
  Handler handler = GenericHandler(opcode);
  const OpInfo& info = GetOpInfo(opcode);
  switch (info.imm) {
    case Imm::kMemArg:
      EmitMemoryAccess(handler, ins, false);
      return;
    case Imm::kMemArgLane:
      EmitMemoryAccess(handler, ins, true);
      return;
    case Imm::kLane:
      Emit(handler);
      EmitU64(ins.lane);
      return;
    default:
      Emit(handler);
      return;
  }
}

}  // namespace

Status CompileInstance(Instance& instance) {
  const Module& module = *instance.module;
  std::vector<bool> all_refs(module.functions.size(), true);
  ValidationContext ctx{module, module.features, all_refs};
  auto code_list = std::make_shared<std::vector<std::unique_ptr<CompiledFunction>>>();
  for (uint32_t i = module.num_imported_functions; i < module.functions.size(); ++i) {
    auto code = std::make_unique<CompiledFunction>();
    Compiler compiler(instance, i, *code);
    FunctionValidator<Compiler> walk(ctx, compiler);
    Status status = walk.ValidateFunction(i);
    if (!status.ok()) return status;
    compiler.Finish();
    instance.functions[i]->code = code.get();
    code_list->push_back(std::move(code));
  }
  instance.engine_code = std::move(code_list);
  return {};
}

}  // namespace rivet::interp
