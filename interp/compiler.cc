// The interpreter's code generator: a consumer of the validating walk.
//
// The validator has already decided everything about types; this consumer
// turns each instruction into handler words over frame slots (see code.h).
// It mirrors the operand stack at translation time: every entry has a home
// (the slot its stack position owns) and a current location, which differs
// from the home only for `local.get`, whose value is read from the local
// itself until something could change it. Before control flow, calls, or a
// write to an aliased local, such entries are materialised into their homes,
// so that at every label the values are where the branches put them.
#include "interp/compiler.h"

#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include "loader/function_validator.h"

namespace rivet::interp {
namespace {

constexpr size_t kNone = std::numeric_limits<size_t>::max();

// Handler of a wasm instruction executed by a generic rule, by opcode.
// The operation computing the same result from swapped operands: itself
// for commutative integer operations, the mirrored comparison (a < b is
// b > a, for floats too: both are false on NaN), or 0 when there is none.
// Float arithmetic is left alone: which NaN it returns may depend on the
// order.
Opcode Swapped(Opcode opcode) {
  switch (opcode) {
    case op::kI32Add: case op::kI32Mul: case op::kI32And: case op::kI32Or: case op::kI32Xor:
    case op::kI32Eq: case op::kI32Ne:
    case op::kI64Add: case op::kI64Mul: case op::kI64And: case op::kI64Or: case op::kI64Xor:
    case op::kI64Eq: case op::kI64Ne:
    case op::kF32Eq: case op::kF32Ne: case op::kF64Eq: case op::kF64Ne:
      return opcode;
    case op::kI32LtS: return op::kI32GtS;
    case op::kI32GtS: return op::kI32LtS;
    case op::kI32LeS: return op::kI32GeS;
    case op::kI32GeS: return op::kI32LeS;
    case op::kI32LtU: return op::kI32GtU;
    case op::kI32GtU: return op::kI32LtU;
    case op::kI32LeU: return op::kI32GeU;
    case op::kI32GeU: return op::kI32LeU;
    case op::kI64LtS: return op::kI64GtS;
    case op::kI64GtS: return op::kI64LtS;
    case op::kI64LeS: return op::kI64GeS;
    case op::kI64GeS: return op::kI64LeS;
    case op::kI64LtU: return op::kI64GtU;
    case op::kI64GtU: return op::kI64LtU;
    case op::kI64LeU: return op::kI64GeU;
    case op::kI64GeU: return op::kI64LeU;
    case op::kF32Lt: return op::kF32Gt;
    case op::kF32Gt: return op::kF32Lt;
    case op::kF32Le: return op::kF32Ge;
    case op::kF32Ge: return op::kF32Le;
    case op::kF64Lt: return op::kF64Gt;
    case op::kF64Gt: return op::kF64Lt;
    case op::kF64Le: return op::kF64Ge;
    case op::kF64Ge: return op::kF64Le;
  }
  return 0;
}

// The K form of a pure scalar operation (see code.h), or kCount.
Handler ConstantHandler(Opcode opcode) {
  switch (opcode) {
#define RIVET_CONSTANT_CASE(name, code, ...) \
  case code:                                 \
    return Handler::k##name##K;
    RIVET_FOREACH_NUMERIC_OPCODE(RIVET_CONSTANT_CASE)
#undef RIVET_CONSTANT_CASE
  }
  return Handler::kCount;
}

// The fused compare-and-branch handler of a comparison (see code.h), or
// kCount for other opcodes.
Handler BranchHandler(Opcode opcode, bool constant, bool unless) {
  switch (opcode) {
#define RIVET_BRANCH_CASE(name, code, ...)                                     \
  case code:                                                                   \
    return constant ? (unless ? Handler::k##name##KBrUnless : Handler::k##name##KBrIf) \
                    : (unless ? Handler::k##name##BrUnless : Handler::k##name##BrIf);
    RIVET_FOREACH_COMPARE_OPCODE(RIVET_BRANCH_CASE)
#undef RIVET_BRANCH_CASE
  }
  return Handler::kCount;
}

// The store of a constant value (see code.h), or kCount.
Handler ConstantValueHandler(Opcode opcode) {
  switch (opcode) {
#define RIVET_VALUE_CASE(name, code, ...) \
  case code:                              \
    return Handler::k##name##V;
    RIVET_FOREACH_INDEXED_OPCODE(RIVET_VALUE_CASE)
#undef RIVET_VALUE_CASE
  }
  return Handler::kCount;
}

// The indexed form of a load or store (see code.h), or kCount; `write`
// selects the forms that also write the address to a local.
Handler IndexedHandler(Opcode opcode, bool constant, bool write = false) {
  switch (opcode) {
#define RIVET_INDEXED_CASE(name, code, ...)                                      \
  case code:                                                                     \
    return write ? (constant ? Handler::k##name##XKW : Handler::k##name##XW)     \
                 : (constant ? Handler::k##name##XK : Handler::k##name##X);
    RIVET_FOREACH_INDEXED_OPCODE(RIVET_INDEXED_CASE)
#undef RIVET_INDEXED_CASE
  }
  return Handler::kCount;
}

// The loop-latch handler for `x = a + b` (`add_constant`: b is a constant)
// then `x <cmp> c` (`compare_constant`), or kCount.
Handler LatchHandler(Opcode compare, bool add_constant, bool compare_constant) {
  switch (compare) {
#define RIVET_LATCH_CASE(name)                                                      \
  case op::k##name:                                                                 \
    return add_constant ? (compare_constant ? Handler::kAddK##name##KBrIf           \
                                            : Handler::kAddK##name##BrIf)           \
                        : (compare_constant ? Handler::kAdd##name##KBrIf            \
                                            : Handler::kAdd##name##BrIf);
    RIVET_FOREACH_LATCH_COMPARE(RIVET_LATCH_CASE)
#undef RIVET_LATCH_CASE
  }
  return Handler::kCount;
}

// The chain handler for integer operation `first` (constant second operand)
// feeding `second` (likewise), or kCount.
Handler ChainHandler(Opcode first, Opcode second) {
#define RIVET_CHAIN_CASE(A, B) \
  if (first == op::k##A && second == op::k##B) return Handler::k##A##K##B##K;
#define RIVET_CHAIN_ROW_RIVET_CHAIN_CASE(A) RIVET_FOREACH_CHAIN_SECOND(RIVET_CHAIN_CASE, A)
#define RIVET_CHAIN64_ROW_RIVET_CHAIN_CASE(A) RIVET_FOREACH_CHAIN64_SECOND(RIVET_CHAIN_CASE, A)
  RIVET_FOREACH_CHAIN(RIVET_CHAIN_CASE)
#undef RIVET_CHAIN_CASE
  return Handler::kCount;
}

// The compare-and-select handler of a comparison, or kCount.
Handler SelectHandler(Opcode opcode, bool constant) {
  switch (opcode) {
#define RIVET_SELECT_CASE(name, code, ...) \
  case code:                               \
    return constant ? Handler::k##name##KSelect : Handler::k##name##Select;
    RIVET_FOREACH_COMPARE_OPCODE(RIVET_SELECT_CASE)
#undef RIVET_SELECT_CASE
  }
  return Handler::kCount;
}

// For a float add, the multiply that may fuse with it and the two fused
// forms; kCount when there is none.
struct MulAddForms {
  Opcode mul = 0;
  Handler mul_first = Handler::kCount;   // (a*b) + c
  Handler mul_second = Handler::kCount;  // c + (a*b)
};
MulAddForms MulAddFor(Opcode add) {
  switch (add) {
#define RIVET_MUL_ADD_CASE(name, Mul, Add) \
  case op::k##Add:                         \
    return {op::k##Mul, Handler::k##name##MulAdd, Handler::k##name##AddMul};
    RIVET_FOREACH_MUL_ADD(RIVET_MUL_ADD_CASE)
#undef RIVET_MUL_ADD_CASE
  }
  return {};
}

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

class Compiler {
 public:
  using Validator = FunctionValidator<Compiler>;

  Compiler(const Instance& instance, uint32_t func_index, CompiledFunction& out, bool metered)
      : instance_(instance), out_(out), handlers_(HandlerTable()), metered_(metered) {
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
    // Parameters hold arguments; declared locals start as zero.
    still_zero_.assign(local_offsets_.size(), true);
    std::fill_n(still_zero_.begin(), type.params().size(), false);
    out_.result_slots = static_cast<uint32_t>(SlotCount(type.results()));
    results_types_ = type.results();
    frame_base_ = slot;
    max_height_ = slot + out_.result_slots;
    // The function body is the outermost label; branching to it returns.
    labels_.push_back(Label{true, 0, frame_base_, out_.result_slots, false, 0});
  }

  void Finish() {
    for (size_t pos : target_words_) out_.code[pos].target = &out_.code[out_.code[pos].u64];
    out_.frame_slots = max_height_ + 2;
  }

  void OnInstruction(const Instruction& ins, const Validator& v);

 private:
  struct Operand {
    ValType type;
    uint32_t home;   // the slot this stack position owns
    uint32_t where;  // where the value is now: home, or an aliased local
  };

  struct Label {
    bool reachable;      // code before the block was reachable
    size_t entries;      // operand stack entries below the block's params
    uint32_t base;       // slot where the block's values start
    uint32_t arity;      // slots a branch to it carries
    bool is_loop;
    size_t loop_start;   // branch target of a loop
    std::vector<size_t> fixups = {};  // words to point at the block's end
    size_t else_fixup = kNone;        // an `if`'s jump to its else branch
    std::span<const ValType> params = {};
    std::span<const ValType> results = {};
  };

  // --- Emission ---------------------------------------------------------------
  void Emit(Handler h) {
    out_.code.push_back(Word{.handler = handlers_[size_t(h)]});
    ForgetLastInstruction();
  }
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
  void EmitLabelTarget(Label& label) {
    if (label.is_loop) {
      EmitTarget(label.loop_start);
    } else {
      label.fixups.push_back(out_.code.size());
      EmitTarget(0);
    }
  }
  void PatchHere(size_t word) { out_.code[word].u64 = out_.code.size(); }
  // Peepholes rewrite the last instruction; a label bound after it, or a
  // stack change without code, ends that.
  void ForgetLastInstruction() {
    last_dst_ = kNone;
    last_const_ = kNone;
    last_op_ = kNone;
  }
  // True when `op` is the value of the scalar constant just emitted (its
  // bits are then LastConstantBits()).
  bool IsLastConstant(const Operand& op) const {
    return last_const_ != kNone && op.where == op.home &&
           out_.code[last_const_ + 1].u64 == op.home;
  }
  uint64_t LastConstantBits() const { return out_.code[last_const_ + 2].u64; }
  // Removes the code from `size` on, for a peephole that re-emits it fused.
  void TruncateCode(size_t size) {
    out_.code.resize(size);
    if (last_add_ != kNone && last_add_ >= size) last_add_ = kNone;
    if (last_k_ != kNone && last_k_ >= size) last_k_ = kNone;
  }
  // A label may be bound here: no fusion may reach back across it, and
  // code may run again, so no local is known to be zero any more.
  void Barrier() {
    ForgetLastInstruction();
    barrier_ = out_.code.size();
    std::fill(still_zero_.begin(), still_zero_.end(), false);
  }

  // If `value` was computed by the pure operation just emitted, and that
  // operation is `wanted` (a comparison for a branch, i32.add for an
  // address), removes the operation and returns its operands, so that the
  // instruction using the value can compute it itself.
  struct Operation {
    Opcode opcode;
    bool constant;  // a K form: the last operand is a constant
    std::vector<uint64_t> operands;
  };
  template <typename Wanted>
  std::optional<Operation> TakeOperation(const Operand& value, Wanted wanted) {
    if (last_op_ == kNone || value.where != value.home ||
        out_.code[last_op_ + 1].u64 != value.home || !wanted(last_op_opcode_)) {
      return std::nullopt;
    }
    Operation taken{last_op_opcode_, last_op_constant_, {}};
    for (size_t i = last_op_ + 2; i < out_.code.size(); ++i) {
      taken.operands.push_back(out_.code[i].u64);
    }
    TruncateCode(last_op_);
    ForgetLastInstruction();
    return taken;
  }
  std::optional<Operation> TakeComparison(const Operand& cond) {
    return TakeOperation(cond, [](Opcode opcode) {
      return BranchHandler(opcode, false, false) != Handler::kCount;
    });
  }
  using Comparison = Operation;
  void EmitComparisonBranch(const Comparison& c, bool unless) {
    Emit(BranchHandler(c.opcode, c.constant, unless));
    for (uint64_t word : c.operands) EmitU64(word);
  }

  // --- The translation-time operand stack ---------------------------------------
  uint32_t Height() const {
    return ops_.empty() ? frame_base_ : ops_.back().home + SlotCount(ops_.back().type);
  }
  Operand Pop() {
    Operand op = ops_.back();
    ops_.pop_back();
    return op;
  }
  // Pushes a value that lives in its home; returns the home.
  uint32_t PushHome(ValType type) {
    uint32_t home = Height();
    ops_.push_back(Operand{type, home, home});
    max_height_ = std::max<uint32_t>(max_height_, home + SlotCount(type));
    return home;
  }
  void Materialize(Operand& op) {
    if (op.where == op.home) return;
    Emit(op.type == ValType::kV128 ? Handler::kCopy128 : Handler::kCopy);
    EmitU64(op.home);
    EmitU64(op.where);
    op.where = op.home;
  }
  void MaterializeAll() {
    for (Operand& op : ops_) Materialize(op);
  }
  // Before local `slot` changes, entries that alias it take their own copy.
  void MaterializeAliasesOf(uint32_t slot) {
    for (Operand& op : ops_) {
      if (op.where == slot && op.home != slot) Materialize(op);
    }
  }
  bool HasAliasOf(uint32_t slot) const {
    for (const Operand& op : ops_) {
      if (op.where == slot) return true;
    }
    return false;
  }

  // An operation of the opcode table: pops `num_params` operands and emits
  // [handler][dst if it has a result][sources...]; the caller appends any
  // further immediates.
  void EmitOperation(Handler handler, const OpInfo& info) {
    uint32_t sources[3];
    for (int i = info.num_params; i-- > 0;) sources[i] = Pop().where;
    size_t start = out_.code.size();
    Emit(handler);
    NoteOperation(start, false);
    if (info.num_results) {
      uint32_t dst = PushHome(static_cast<ValType>(info.result));
      last_dst_ = out_.code.size();
      EmitU64(dst);
    }
    for (int i = 0; i < info.num_params; ++i) EmitU64(sources[i]);
  }

  void NoteOperation(size_t start, bool constant) {
    // Pure scalar operations, and the SIMD multiplies that fuse with adds.
    if (ConstantHandler(current_opcode_) == Handler::kCount &&
        current_opcode_ != op::kF32x4Mul && current_opcode_ != op::kF64x2Mul) {
      return;
    }
    if (current_opcode_ == op::kI32Add) {
      last_add_ = start;
      last_add_constant_ = constant;
    }
    last_op_ = start;
    last_op_opcode_ = current_opcode_;
    last_op_constant_ = constant;
  }

  // A branch to label `depth`, carrying the top values.
  void EmitBranch(uint32_t depth, Handler plain, Handler move, const uint32_t* cond) {
    Label& label = labels_[labels_.size() - 1 - depth];
    uint32_t from = Height() - label.arity;
    if (from == label.base) {
      Emit(plain);
      if (cond) EmitU64(*cond);
    } else {
      Emit(move);
      if (cond) EmitU64(*cond);
      EmitU64(label.arity);
      EmitU64(from);
      EmitU64(label.base);
    }
    EmitLabelTarget(label);
  }

  void EmitMemoryOperation(Handler handler, const Instruction& ins, const OpInfo& info,
                           bool with_lane) {
    bool other_memory = ins.memory != 0;
    if (!other_memory && !with_lane &&
        IndexedHandler(current_opcode_, false) != Handler::kCount) {
      // The address: the top operand of a load, below the value of a store.
      bool is_store = info.num_results == 0;
      // A store of the scalar constant just emitted takes it from its code.
      const Operand& top = ops_.back();
      if (is_store && top.type != ValType::kV128 && IsLastConstant(top)) {
        uint64_t bits = LastConstantBits();
        TruncateCode(last_const_);
        Pop();  // the value
        uint32_t address = Pop().where;
        Emit(ConstantValueHandler(current_opcode_));
        EmitU64(address);
        EmitU64(bits);
        EmitU64(ins.mem_offset);
        return;
      }
      const Operand& address = ops_[ops_.size() - (is_store ? 2 : 1)];
      if (std::optional<Operation> add = TakeOperation(
              address, [](Opcode opcode) { return opcode == op::kI32Add; })) {
        uint32_t value = is_store ? Pop().where : 0;
        Pop();  // the address
        Emit(IndexedHandler(current_opcode_, add->constant));
        if (!is_store) {
          uint32_t dst = PushHome(static_cast<ValType>(info.result));
          last_dst_ = out_.code.size();
          EmitU64(dst);
        }
        for (uint64_t word : add->operands) EmitU64(word);
        if (is_store) EmitU64(value);
        EmitU64(ins.mem_offset);
        return;
      }
      // The address reads a local that the i32.add just before wrote
      // (`local.tee p` of the sum): one access computes the sum, writes the
      // local and uses it.
      uint32_t local = address.where;
      if (address.where != address.home && last_add_ != kNone && last_add_ >= barrier_ &&
          last_add_ + 4 == out_.code.size() && out_.code[last_add_ + 1].u64 == local) {
        uint64_t a = out_.code[last_add_ + 2].u64;
        uint64_t b = out_.code[last_add_ + 3].u64;
        bool constant = last_add_constant_;
        TruncateCode(last_add_);
        uint32_t value = is_store ? Pop().where : 0;
        Pop();  // the address
        Emit(IndexedHandler(current_opcode_, constant, /*write=*/true));
        if (!is_store) {
          uint32_t dst = PushHome(static_cast<ValType>(info.result));
          last_dst_ = out_.code.size();
          EmitU64(dst);
        }
        EmitU64(a);
        EmitU64(b);
        if (is_store) EmitU64(value);
        EmitU64(ins.mem_offset);
        EmitU64(local);
        return;
      }
    }
    if (other_memory) {
      Emit(Handler::kUseMemory);
      EmitPtr(instance_.memories[ins.memory]);
    }
    EmitOperation(handler, info);
    EmitU64(ins.mem_offset);
    if (with_lane) EmitU64(ins.lane);
    if (other_memory) Emit(Handler::kRestoreMemory);
  }

  // Returns the function's results from the top of the stack. Nothing
  // below them survives, so only the results need to be in place: a single
  // result is read wherever it is.
  void EmitReturn() {
    size_t count = SlotCount(results_types_);
    uint32_t from;
    if (results_types_.size() == 1 && count == 1) {
      from = ops_.back().where;
    } else {
      for (size_t i = ops_.size() - results_types_.size(); i < ops_.size(); ++i) {
        Materialize(ops_[i]);
      }
      from = Height() - out_.result_slots;
    }
    Emit(Handler::kReturn);
    EmitU64(out_.result_slots);
    EmitU64(from);
  }

  // After `end` or `else` of a reachable block, the stack is what the block
  // left: the entries below it and its values, in their homes.
  void ResetStack(const Label& label, std::span<const ValType> values) {
    ops_.resize(label.entries);
    for (ValType t : values) PushHome(t);
  }

  // Pops `n` operands and emits their locations, deepest first.
  void EmitSources(int n) {
    std::vector<uint32_t> sources(n);
    for (int i = n; i-- > 0;) sources[i] = Pop().where;
    for (uint32_t s : sources) EmitU64(s);
  }

  const Instance& instance_;
  CompiledFunction& out_;
  const void* const* handlers_;
  bool metered_;  // loops check for interrupts and consume fuel
  std::vector<uint32_t> local_offsets_;
  // Locals not written since the function began, while no label has been
  // bound (the frame's locals start zeroed).
  std::vector<bool> still_zero_;
  uint32_t frame_base_ = 0;
  uint32_t max_height_ = 0;
  std::span<const ValType> results_types_;
  std::vector<Operand> ops_;
  std::vector<Label> labels_;
  std::vector<size_t> target_words_;
  bool unreachable_ = false;
  Opcode current_opcode_ = 0;
  // The dst word of the last operation, while nothing has been emitted or
  // bound after it: a following local.set may redirect it.
  size_t last_dst_ = kNone;
  // Where the last instruction, a scalar constant, starts, under the same
  // condition: a following operation may take the constant in its code.
  size_t last_const_ = kNone;
  // Where the last instruction, a pure scalar operation, starts, under the
  // same condition: a following branch or memory access may fuse with it.
  size_t last_op_ = kNone;
  Opcode last_op_opcode_ = 0;
  bool last_op_constant_ = false;
  // The last i32.add emitted and where the code last became a branch
  // target: a latch fuses an add that ends exactly where its comparison
  // began, after the barrier.
  size_t last_add_ = kNone;
  bool last_add_constant_ = false;
  // Likewise the last two-operand K form, for chains.
  size_t last_k_ = kNone;
  Opcode last_k_opcode_ = 0;
  size_t barrier_ = 0;
};

void Compiler::OnInstruction(const Instruction& ins, const Validator& v) {
  const Opcode opcode = ins.opcode;
  current_opcode_ = opcode;
  // Structure is tracked even in dead code, so that the end of a block
  // reached by a branch revives it.
  switch (opcode) {
    case op::kBlock:
    case op::kLoop:
    case op::kIf: {
      if (unreachable_) {
        labels_.push_back(Label{false, 0, 0, 0, false, 0});
        return;
      }
      uint32_t cond = 0;
      std::optional<Comparison> comparison;
      if (opcode == op::kIf) {
        Operand cond_operand = Pop();
        cond = cond_operand.where;
        size_t before = out_.code.size();
        MaterializeAll();
        if (out_.code.size() == before) comparison = TakeComparison(cond_operand);
      }
      MaterializeAll();
      Barrier();
      size_t entries = ops_.size() - ins.block.params.size();
      uint32_t base = entries < ops_.size() ? ops_[entries].home : Height();
      bool is_loop = opcode == op::kLoop;
      uint32_t params = static_cast<uint32_t>(SlotCount(ins.block.params));
      uint32_t results = static_cast<uint32_t>(SlotCount(ins.block.results));
      Label label{true, entries, base, is_loop ? params : results, is_loop, out_.code.size()};
      label.params = ins.block.params;
      label.results = ins.block.results;
      max_height_ = std::max(max_height_, base + std::max(params, results));
      labels_.push_back(std::move(label));
      Barrier();
      if (is_loop && metered_) Emit(Handler::kCheck);
      if (opcode == op::kIf) {
        if (comparison) {
          EmitComparisonBranch(*comparison, /*unless=*/true);
        } else {
          Emit(Handler::kBrIfZ);
          EmitU64(cond);
        }
        labels_.back().else_fixup = out_.code.size();
        EmitTarget(0);
      }
      return;
    }
    case op::kElse: {
      Label& label = labels_.back();
      if (!label.reachable) return;
      if (!unreachable_) {
        MaterializeAll();
        Emit(Handler::kBr);
        label.fixups.push_back(out_.code.size());
        EmitTarget(0);
      }
      PatchHere(label.else_fixup);
      label.else_fixup = kNone;
      unreachable_ = false;
      ResetStack(label, label.params);
      Barrier();
      return;
    }
    case op::kEnd: {
      Label label = std::move(labels_.back());
      labels_.pop_back();
      if (!label.reachable) return;
      if (labels_.empty() && !unreachable_ && label.fixups.empty()) {
        // The function's end, reached only by falling through.
        EmitReturn();
        return;
      }
      if (!unreachable_) MaterializeAll();
      if (label.else_fixup != kNone) PatchHere(label.else_fixup);
      for (size_t word : label.fixups) PatchHere(word);
      unreachable_ = false;
      Barrier();
      if (labels_.empty()) {
        Emit(Handler::kReturn);
        EmitU64(out_.result_slots);
        EmitU64(frame_base_);
        return;
      }
      ResetStack(label, label.results);
      return;
    }
  }
  if (unreachable_) return;

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
      MaterializeAll();
      EmitBranch(ins.index, Handler::kBr, Handler::kBrMove, nullptr);
      unreachable_ = true;
      return;
    case op::kBrIf: {
      Operand cond_operand = Pop();
      uint32_t cond = cond_operand.where;
      size_t before = out_.code.size();
      MaterializeAll();
      Label& label = labels_[labels_.size() - 1 - ins.index];
      if (out_.code.size() == before && Height() - label.arity == label.base) {
        if (std::optional<Comparison> comparison = TakeComparison(cond_operand)) {
          // The comparison began where an i32.add of its first operand
          // ended: one loop-latch operation does both.
          Handler latch = LatchHandler(comparison->opcode, last_add_constant_,
                                       comparison->constant);
          if (latch != Handler::kCount && last_add_ != kNone && last_add_ >= barrier_ &&
              last_add_ + 4 == out_.code.size() &&
              out_.code[last_add_ + 1].u64 == comparison->operands[0]) {
            uint64_t add_words[3] = {out_.code[last_add_ + 1].u64, out_.code[last_add_ + 2].u64,
                                     out_.code[last_add_ + 3].u64};
            TruncateCode(last_add_);
            Emit(latch);
            for (uint64_t word : add_words) EmitU64(word);
            EmitU64(comparison->operands[1]);
          } else {
            EmitComparisonBranch(*comparison, /*unless=*/false);
          }
          EmitLabelTarget(label);
          return;
        }
      }
      EmitBranch(ins.index, Handler::kBrIfNz, Handler::kBrIfNzMove, &cond);
      return;
    }
    case op::kBrTable: {
      uint32_t index = Pop().where;
      MaterializeAll();
      uint32_t arity = labels_[labels_.size() - 1 - ins.index].arity;
      uint32_t from = Height() - arity;
      Emit(Handler::kBrTable);
      EmitU64(index);
      EmitU64(ins.br_targets.size());
      EmitU64(arity);
      EmitU64(from);
      auto entry = [&](uint32_t depth) {
        Label& label = labels_[labels_.size() - 1 - depth];
        EmitU64(from == label.base ? ~0ull : label.base);
        EmitLabelTarget(label);
      };
      for (uint32_t depth : ins.br_targets) entry(depth);
      entry(ins.index);
      unreachable_ = true;
      return;
    }
    case op::kReturn:
      EmitReturn();
      unreachable_ = true;
      return;
    case op::kCall:
    case op::kReturnCall:
    case op::kCallIndirect:
    case op::kReturnCallIndirect: {
      bool indirect = opcode == op::kCallIndirect || opcode == op::kReturnCallIndirect;
      const FuncType& type =
          indirect ? module.types[ins.index] : instance_.functions[ins.index]->type;
      uint32_t index_slot = indirect ? Pop().where : 0;
      MaterializeAll();
      uint32_t arg_base = Height() - static_cast<uint32_t>(SlotCount(type.params()));
      if (opcode == op::kCall) {
        Emit(Handler::kCall);
        EmitPtr(instance_.functions[ins.index]);
      } else if (opcode == op::kReturnCall) {
        Emit(Handler::kReturnCall);
        EmitPtr(instance_.functions[ins.index]);
      } else {
        Emit(opcode == op::kCallIndirect ? Handler::kCallIndirect : Handler::kReturnCallIndirect);
        EmitPtr(instance_.tables[ins.index2]);
        EmitPtr(&type);
        EmitU64(index_slot);
      }
      EmitU64(arg_base);
      for (size_t i = 0; i < type.params().size(); ++i) Pop();
      // A callee's frame starts at the arguments; it is sized at run time.
      if (opcode == op::kReturnCall || opcode == op::kReturnCallIndirect) {
        unreachable_ = true;
        return;
      }
      for (ValType t : type.results()) PushHome(t);
      return;
    }
    case op::kDrop:
      Pop();
      ForgetLastInstruction();
      return;
    case op::kSelect:
    case op::kSelectT: {
      // A comparison just computed for the condition fuses with the select.
      std::optional<Comparison> comparison;
      if (ops_[ops_.size() - 2].type != ValType::kV128) comparison = TakeComparison(ops_.back());
      uint32_t cond = Pop().where;
      uint32_t b = Pop().where;
      Operand a = Pop();
      if (comparison) {
        Emit(SelectHandler(comparison->opcode, comparison->constant));
        uint32_t dst = PushHome(a.type);
        last_dst_ = out_.code.size();
        EmitU64(dst);
        EmitU64(a.where);
        EmitU64(b);
        for (uint64_t word : comparison->operands) EmitU64(word);
        return;
      }
      Emit(a.type == ValType::kV128 ? Handler::kSelect128 : Handler::kSelect);
      uint32_t dst = PushHome(a.type);
      last_dst_ = out_.code.size();
      EmitU64(dst);
      EmitU64(a.where);
      EmitU64(b);
      EmitU64(cond);
      return;
    }
    case op::kLocalGet: {
      ValType type = v.local_type(ins.index);
      uint32_t home = Height();
      ops_.push_back(Operand{type, home, local_offsets_[ins.index]});
      max_height_ = std::max<uint32_t>(max_height_, home + SlotCount(type));
      return;
    }
    case op::kLocalSet:
    case op::kLocalTee: {
      uint32_t local = local_offsets_[ins.index];
      Operand value = ops_.back();
      // Compilers zero locals at the top of a function, but the frame
      // already starts zeroed: before any label, setting a local that was
      // never written to the constant just emitted as all-zero bits (0,
      // +0.0, null) needs no code.
      bool was_zero = still_zero_[ins.index];
      still_zero_[ins.index] = false;
      if (opcode == op::kLocalSet && was_zero && IsLastConstant(value) &&
          LastConstantBits() == 0) {
        TruncateCode(last_const_);
        ForgetLastInstruction();
        Pop();
        return;
      }
      // The operation that just produced the value may write the local
      // directly, unless another stack entry still reads the local.
      bool redirect = last_dst_ != kNone && value.where == value.home &&
                      out_.code[last_dst_].u64 == value.home && !HasAliasOf(local);
      if (redirect) {
        out_.code[last_dst_].u64 = local;
        ForgetLastInstruction();
        ops_.back().where = local;
      } else {
        MaterializeAliasesOf(local);
        value = ops_.back();
        if (value.where != local) {
          Emit(value.type == ValType::kV128 ? Handler::kCopy128 : Handler::kCopy);
          EmitU64(local);
          EmitU64(value.where);
        }
        // The value on the stack now reads the local, which holds it.
        ops_.back().where = local;
      }
      if (opcode == op::kLocalSet) Pop();
      return;
    }
    case op::kGlobalGet: {
      const Global* global = instance_.globals[ins.index];
      bool wide = global->type.type == ValType::kV128;
      Emit(wide ? Handler::kGlobalGet128 : Handler::kGlobalGet);
      uint32_t dst = PushHome(global->type.type);
      last_dst_ = out_.code.size();
      EmitU64(dst);
      EmitPtr(global);
      return;
    }
    case op::kGlobalSet: {
      const Global* global = instance_.globals[ins.index];
      bool wide = global->type.type == ValType::kV128;
      uint32_t src = Pop().where;
      Emit(wide ? Handler::kGlobalSet128 : Handler::kGlobalSet);
      EmitU64(src);
      EmitPtr(global);
      return;
    }
    case op::kI32Const:
    case op::kI64Const:
    case op::kF32Const:
    case op::kF64Const:
    case op::kRefNull:
    case op::kRefFunc: {
      ValType type = opcode == op::kI32Const   ? ValType::kI32
                     : opcode == op::kI64Const ? ValType::kI64
                     : opcode == op::kF32Const ? ValType::kF32
                     : opcode == op::kF64Const ? ValType::kF64
                     : opcode == op::kRefNull  ? ins.type
                                               : ValType::kFuncRef;
      uint64_t bits = opcode == op::kRefNull ? 0
                      : opcode == op::kRefFunc
                          ? reinterpret_cast<uint64_t>(instance_.functions[ins.index])
                          : ins.bits;
      size_t start = out_.code.size();
      Emit(Handler::kConst);
      uint32_t dst = PushHome(type);
      last_dst_ = out_.code.size();
      EmitU64(dst);
      EmitU64(bits);
      last_const_ = start;
      return;
    }
    case op::kV128Const: {
      uint64_t halves[2];
      std::memcpy(halves, ins.bytes, 16);
      Emit(Handler::kConst128);
      uint32_t dst = PushHome(ValType::kV128);
      last_dst_ = out_.code.size();
      EmitU64(dst);
      EmitU64(halves[0]);
      EmitU64(halves[1]);
      return;
    }
    case op::kRefIsNull: {
      uint32_t src = Pop().where;
      Emit(Handler::kRefIsNull);
      EmitU64(PushHome(ValType::kI32));
      EmitU64(src);
      return;
    }
    case op::kTableGet: {
      uint32_t index = Pop().where;
      Emit(Handler::kTableGet);
      EmitU64(PushHome(instance_.tables[ins.index]->type.elem_type));
      EmitU64(index);
      EmitPtr(instance_.tables[ins.index]);
      return;
    }
    case op::kTableSet:
      Emit(Handler::kTableSet);
      EmitSources(2);
      EmitPtr(instance_.tables[ins.index]);
      return;
    case op::kTableSize:
      Emit(Handler::kTableSize);
      EmitU64(PushHome(ValType::kI32));
      EmitPtr(instance_.tables[ins.index]);
      return;
    case op::kTableGrow: {
      uint32_t delta = Pop().where;
      uint32_t init = Pop().where;
      Emit(Handler::kTableGrow);
      EmitU64(PushHome(ValType::kI32));
      EmitU64(init);
      EmitU64(delta);
      EmitPtr(instance_.tables[ins.index]);
      return;
    }
    case op::kTableFill:
      Emit(Handler::kTableFill);
      EmitSources(3);
      EmitPtr(instance_.tables[ins.index]);
      return;
    case op::kTableInit:
      Emit(Handler::kTableInit);
      EmitSources(3);
      EmitPtr(instance_.tables[ins.index2]);
      EmitPtr(&instance_.elems[ins.index]);
      return;
    case op::kTableCopy:
      Emit(Handler::kTableCopy);
      EmitSources(3);
      EmitPtr(instance_.tables[ins.index]);
      EmitPtr(instance_.tables[ins.index2]);
      return;
    case op::kElemDrop:
      Emit(Handler::kElemDrop);
      EmitPtr(&instance_.elems[ins.index]);
      return;
    case op::kMemorySize:
      Emit(Handler::kMemorySize);
      EmitU64(PushHome(ValType::kI32));
      EmitPtr(instance_.memories[ins.memory]);
      return;
    case op::kMemoryGrow: {
      uint32_t delta = Pop().where;
      Emit(Handler::kMemoryGrow);
      EmitU64(PushHome(ValType::kI32));
      EmitU64(delta);
      EmitPtr(instance_.memories[ins.memory]);
      return;
    }
    case op::kMemoryFill:
      Emit(Handler::kMemoryFill);
      EmitSources(3);
      EmitPtr(instance_.memories[ins.memory]);
      return;
    case op::kMemoryInit:
      Emit(Handler::kMemoryInit);
      EmitSources(3);
      EmitPtr(instance_.memories[ins.memory]);
      EmitPtr(&instance_.datas[ins.index]);
      return;
    case op::kDataDrop:
      Emit(Handler::kDataDrop);
      EmitPtr(&instance_.datas[ins.index]);
      return;
    case op::kMemoryCopy:
      Emit(Handler::kMemoryCopy);
      EmitSources(3);
      EmitPtr(instance_.memories[ins.memory]);
      EmitPtr(instance_.memories[ins.index2]);
      return;
    case op::kI8x16Shuffle: {
      uint64_t halves[2];
      std::memcpy(halves, ins.bytes, 16);
      EmitOperation(Handler::kI8x16Shuffle, GetOpInfo(opcode));
      EmitU64(halves[0]);
      EmitU64(halves[1]);
      return;
    }
    case op::kAtomicFence:
      Emit(Handler::kAtomicFence);
      return;
  }

  // Everything else runs by a generic rule.
  Handler handler = GenericHandler(opcode);
  const OpInfo& info = GetOpInfo(opcode);
  switch (info.imm) {
    case Imm::kMemArg:
      EmitMemoryOperation(handler, ins, info, false);
      return;
    case Imm::kMemArgLane:
      EmitMemoryOperation(handler, ins, info, true);
      return;
    case Imm::kLane:
      EmitOperation(handler, info);
      EmitU64(ins.lane);
      return;
    default:
      break;
  }
  // A pure scalar operation whose last operand is the constant just
  // emitted takes it from its code instead; so does a commutative integer
  // operation whose first operand is that constant.
  Handler constant_form = ConstantHandler(opcode);
  if (constant_form != Handler::kCount && last_const_ != kNone) {
    bool last = IsLastConstant(ops_.back());
    bool first = !last && info.num_params == 2 && Swapped(opcode) != 0 &&
                 IsLastConstant(ops_[ops_.size() - 2]);
    if (first) {
      // The constant comes first: use the operation with swapped operands.
      current_opcode_ = Swapped(opcode);
      constant_form = ConstantHandler(current_opcode_);
    }
    if (last || first) {
      uint64_t bits = LastConstantBits();
      TruncateCode(last_const_);
      uint32_t sources[3];
      if (first) {
        sources[0] = Pop().where;  // the other operand
        Pop();                     // the constant
      } else {
        Pop();  // the constant
        for (int i = info.num_params - 1; i-- > 0;) sources[i] = Pop().where;
      }
      // A two-operand K form whose first operand is the result of the K
      // form just before it, in a temporary, chains with it.
      if (info.num_params == 2 && last_k_ != kNone && last_k_ >= barrier_ &&
          last_k_ + 4 == out_.code.size() && out_.code[last_k_ + 1].u64 == sources[0] &&
          sources[0] >= frame_base_) {
        Handler chain = ChainHandler(last_k_opcode_, current_opcode_);
        if (chain != Handler::kCount) {
          uint64_t x = out_.code[last_k_ + 2].u64;
          uint64_t a = out_.code[last_k_ + 3].u64;
          TruncateCode(last_k_);
          Emit(chain);
          uint32_t dst = PushHome(static_cast<ValType>(info.result));
          last_dst_ = out_.code.size();
          EmitU64(dst);
          EmitU64(x);
          EmitU64(a);
          EmitU64(bits);
          return;
        }
      }
      size_t start = out_.code.size();
      Emit(constant_form);
      NoteOperation(start, true);
      if (info.num_params == 2) {
        last_k_ = start;
        last_k_opcode_ = current_opcode_;
      }
      uint32_t dst = PushHome(static_cast<ValType>(info.result));
      last_dst_ = out_.code.size();
      EmitU64(dst);
      for (int i = 0; i + 1 < info.num_params; ++i) EmitU64(sources[i]);
      EmitU64(bits);
      return;
    }
  }
  // A multiply just computed into a temporary, feeding this add: one
  // operation. The product is the add's second operand (the first was
  // there before it), or its first when the second came without code.
  MulAddForms mul_add = MulAddFor(opcode);
  if (mul_add.mul != 0) {
    // Only the plain multiply: a K form has a constant where a slot is wanted.
    auto is_mul = [&](Opcode o) { return o == mul_add.mul && !last_op_constant_; };
    const Operand second = ops_.back();
    const Operand first = ops_[ops_.size() - 2];
    bool product_second = second.where == second.home && second.home >= frame_base_;
    std::optional<Operation> mul =
        product_second ? TakeOperation(second, is_mul) : std::nullopt;
    bool product_first = false;
    if (!mul && first.where == first.home && first.home >= frame_base_) {
      mul = TakeOperation(first, is_mul);
      product_first = mul.has_value();
    }
    if (mul) {
      uint32_t other = product_first ? second.where : first.where;
      Pop();
      Pop();
      Emit(product_first ? mul_add.mul_first : mul_add.mul_second);
      uint32_t dst = PushHome(static_cast<ValType>(info.result));
      last_dst_ = out_.code.size();
      EmitU64(dst);
      EmitU64(mul->operands[0]);
      EmitU64(mul->operands[1]);
      EmitU64(other);
      return;
    }
  }
  EmitOperation(handler, info);
}

}  // namespace

Status CompileInstance(Instance& instance, bool metered) {
  const Module& module = *instance.module;
  std::vector<bool> all_refs(module.functions.size(), true);
  ValidationContext ctx{module, module.features, all_refs};
  auto code_list = std::make_shared<std::vector<std::unique_ptr<CompiledFunction>>>();
  for (uint32_t i = module.num_imported_functions; i < module.functions.size(); ++i) {
    auto code = std::make_unique<CompiledFunction>();
    Compiler compiler(instance, i, *code, metered);
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
