// The one validating walk over WebAssembly code.
//
// FunctionValidator decodes a function body (or a constant expression) once,
// checks it against every rule of the spec's validation algorithm, and hands
// each instruction, with its immediates decoded and checked, to a Consumer.
// Validation lives here and nowhere else: the interpreter's code generator
// and the AOT compiler are consumers that see only valid instructions and
// may read the validator's control and operand stacks to learn block types,
// branch targets and operand types.
//
// A consumer implements
//   void OnInstruction(const Instruction& ins, const FunctionValidator<C>& v);
// which is called after the instruction's immediates are validated and
// before its effect is applied to the type stack (so `v` shows its inputs).
// NullConsumer validates only.
#ifndef RIVET_LOADER_FUNCTION_VALIDATOR_H_
#define RIVET_LOADER_FUNCTION_VALIDATOR_H_

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "loader/module.h"
#include "loader/opcodes.h"
#include "loader/reader.h"

namespace rivet {

// Module-level facts the code of a module is validated against.
struct ValidationContext {
  const Module& module;
  Features features;
  // C.refs: functions that ref.func may name in code (those referenced from
  // element segments, exports and global initialisers).
  const std::vector<bool>& declared_refs;
};

// The stack type of unreachable code: matches every value type.
inline constexpr ValType kUnknownType = static_cast<ValType>(0);

struct BlockType {
  std::span<const ValType> params;
  std::span<const ValType> results;
  int64_t raw = -64;  // -64 (0x40, empty), a negative value type, or a type index
};

// One decoded instruction. Only the fields of its immediate kind are set.
struct Instruction {
  Opcode opcode = 0;
  uint32_t offset = 0;  // absolute byte offset of the opcode
  // Label depth, function, local, global, table, type, element, data or
  // memory index; `index2` is the second index of two-index immediates
  // (call_indirect's table, table.init's table, copies' source).
  uint32_t index = 0;
  uint32_t index2 = 0;
  uint32_t memory = 0;      // memarg memory index
  uint64_t mem_offset = 0;  // memarg offset
  uint8_t align_log2 = 0;   // memarg alignment
  uint8_t lane = 0;
  uint64_t bits = 0;                // i32/i64/f32/f64 constant bits
  const uint8_t* bytes = nullptr;  // v128.const value or shuffle lanes (16 bytes)
  ValType type = kUnknownType;      // ref.null and typed select
  BlockType block;
  std::span<const uint32_t> br_targets;  // br_table labels; `index` is the default
};

struct ControlFrame {
  Opcode opcode;  // op::kBlock, kLoop, kIf, kElse; kBlock for the function body
  std::span<const ValType> params;
  std::span<const ValType> results;
  uint32_t height;  // operand stack height at entry
  bool unreachable = false;
  std::span<const ValType> label_types() const {
    return opcode == op::kLoop ? params : results;
  }
};

struct NullConsumer {
  template <typename V>
  void OnInstruction(const Instruction&, const V&) {}
};

std::string_view TypeName(ValType type);  // also names kUnknownType

template <typename Consumer = NullConsumer>
class FunctionValidator {
 public:
  FunctionValidator(const ValidationContext& ctx, Consumer& consumer)
      : ctx_(ctx), module_(ctx.module), consumer_(consumer) {}

  // Validates the body of defined function `func_index`.
  Status ValidateFunction(uint32_t func_index);

  // Validates a constant expression that starts at `reader` and produces
  // `type`; leaves the reader after its `end`.
  // `visible_globals` is how many globals global.get may read there.
  Status ValidateConstExpr(Reader& reader, ValType type, uint32_t visible_globals,
                           std::string_view where);

  // State visible to consumers.
  size_t control_depth() const { return control_.size(); }
  const ControlFrame& control_at(uint32_t depth) const {
    return control_[control_.size() - 1 - depth];
  }
  std::span<const ValType> operands() const { return stack_; }
  ValType local_type(uint32_t index) const;
  uint32_t num_locals() const { return num_locals_; }

 private:
  Status Walk(Reader& reader, bool const_expr);
  bool Step(Reader& r, bool const_expr);

  // Operand stack, per the spec's appendix algorithm. Its depth is capped
  // (an implementation limit far above what real code needs) so that code
  // piling up results cannot make validation use unbounded memory.
  static constexpr size_t kMaxOperandStack = 1 << 20;
  void Push(ValType t) {
    if (stack_.size() >= kMaxOperandStack) {
      Fail("operand stack deeper than the implementation limit of " +
           std::to_string(kMaxOperandStack) + " values");
      return;
    }
    stack_.push_back(t);
  }
  void PushAll(std::span<const ValType> ts) {
    if (stack_.size() + ts.size() > kMaxOperandStack) {
      Fail("operand stack deeper than the implementation limit of " +
           std::to_string(kMaxOperandStack) + " values");
      return;
    }
    stack_.insert(stack_.end(), ts.begin(), ts.end());
  }
  ValType Pop();
  ValType Pop(ValType expected);
  void PopAll(std::span<const ValType> ts) {
    for (size_t i = ts.size(); i-- > 0;) {
      // Below the frame of unreachable code every pop succeeds: stop early
      // rather than pop thousands of unknowns one by one.
      if (stack_.size() == control_.back().height && control_.back().unreachable) return;
      Pop(ts[i]);
    }
  }
  void PushControl(Opcode opcode, std::span<const ValType> params,
                   std::span<const ValType> results);
  ControlFrame PopControl();
  void SetUnreachable() {
    stack_.resize(control_.back().height);
    control_.back().unreachable = true;
  }

  bool Fail(std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
      error_offset_ = instr_offset_;
    }
    return false;
  }
  bool failed() const { return !error_.empty(); }

  // Immediate readers; each validates the index it reads.
  bool ReadBlockType(Reader& r, BlockType& out);
  bool ReadMemArg(Reader& r, Instruction& ins, const OpInfo& info);
  bool CheckMemory(uint32_t index);
  bool CheckTable(uint32_t index);
  bool CheckLabel(uint32_t depth);
  bool CheckFunc(uint32_t index);
  bool CheckGlobal(uint32_t index);
  bool CheckType(uint32_t index);
  bool CheckData(uint32_t index);
  bool CheckElem(uint32_t index);
  bool CheckRefType(uint8_t byte, ValType& out);

  static std::span<const ValType> Single(ValType t);

  const ValidationContext& ctx_;
  const Module& module_;
  Consumer& consumer_;
  std::vector<ValType> stack_;
  std::vector<ControlFrame> control_;
  std::vector<uint32_t> br_targets_;
  std::vector<ValType> select_types_;
  // Locals as cumulative runs: local i has the type of the first run whose
  // end exceeds i. Parameters form the first runs.
  std::vector<std::pair<uint32_t, ValType>> local_runs_;
  uint32_t num_locals_ = 0;
  uint32_t visible_globals_ = 0;
  std::span<const ValType> results_;
  std::string error_;
  size_t error_offset_ = 0;
  size_t instr_offset_ = 0;
};

// ---------------------------------------------------------------------------
// Implementation.

template <typename C>
std::span<const ValType> FunctionValidator<C>::Single(ValType t) {
  static constexpr ValType kTypes[] = {ValType::kI32,  ValType::kI64,     ValType::kF32,
                                       ValType::kF64,  ValType::kV128,    ValType::kFuncRef,
                                       ValType::kExternRef};
  for (const ValType& k : kTypes) {
    if (k == t) return {&k, 1};
  }
  return {};
}

template <typename C>
ValType FunctionValidator<C>::local_type(uint32_t index) const {
  auto it = std::upper_bound(local_runs_.begin(), local_runs_.end(), index,
                             [](uint32_t i, const auto& run) { return i < run.first; });
  return it == local_runs_.end() ? kUnknownType : it->second;
}

template <typename C>
ValType FunctionValidator<C>::Pop() {
  const ControlFrame& frame = control_.back();
  if (stack_.size() == frame.height) {
    if (frame.unreachable) return kUnknownType;
    Fail("type mismatch: expected a value on the stack, but it is empty");
    return kUnknownType;
  }
  ValType t = stack_.back();
  stack_.pop_back();
  return t;
}

template <typename C>
ValType FunctionValidator<C>::Pop(ValType expected) {
  const ControlFrame& frame = control_.back();
  if (stack_.size() == frame.height) {
    if (frame.unreachable) return kUnknownType;
    Fail("type mismatch: expected " + std::string(TypeName(expected)) +
         " on the stack, but it is empty");
    return expected;
  }
  ValType actual = stack_.back();
  stack_.pop_back();
  if (actual != expected && actual != kUnknownType && expected != kUnknownType) {
    Fail("type mismatch: expected " + std::string(TypeName(expected)) + ", got " +
         std::string(TypeName(actual)));
  }
  return actual;
}

template <typename C>
void FunctionValidator<C>::PushControl(Opcode opcode, std::span<const ValType> params,
                                       std::span<const ValType> results) {
  control_.push_back(ControlFrame{opcode, params, results, static_cast<uint32_t>(stack_.size())});
  PushAll(params);
}

template <typename C>
ControlFrame FunctionValidator<C>::PopControl() {
  ControlFrame frame = control_.back();
  PopAll(frame.results);
  if (stack_.size() != frame.height) {
    Fail("type mismatch: " + std::to_string(stack_.size() - frame.height) +
         " values left on the stack at the end of a block");
  }
  control_.pop_back();
  return frame;
}

template <typename C>
bool FunctionValidator<C>::CheckMemory(uint32_t index) {
  if (index < module_.memories.size()) return true;
  return Fail("unknown memory " + std::to_string(index));
}
template <typename C>
bool FunctionValidator<C>::CheckTable(uint32_t index) {
  if (index < module_.tables.size()) return true;
  return Fail("unknown table " + std::to_string(index));
}
template <typename C>
bool FunctionValidator<C>::CheckLabel(uint32_t depth) {
  if (depth < control_.size()) return true;
  return Fail("unknown label " + std::to_string(depth));
}
template <typename C>
bool FunctionValidator<C>::CheckFunc(uint32_t index) {
  if (index < module_.functions.size()) return true;
  return Fail("unknown function " + std::to_string(index));
}
template <typename C>
bool FunctionValidator<C>::CheckGlobal(uint32_t index) {
  if (index < module_.globals.size()) return true;
  return Fail("unknown global " + std::to_string(index));
}
template <typename C>
bool FunctionValidator<C>::CheckType(uint32_t index) {
  if (index < module_.types.size()) return true;
  return Fail("unknown type " + std::to_string(index));
}
template <typename C>
bool FunctionValidator<C>::CheckData(uint32_t index) {
  if (!module_.data_count) return Fail("data count section required");
  if (index < *module_.data_count) return true;
  return Fail("unknown data segment " + std::to_string(index));
}
template <typename C>
bool FunctionValidator<C>::CheckElem(uint32_t index) {
  if (index < module_.elems.size()) return true;
  return Fail("unknown elem segment " + std::to_string(index));
}
template <typename C>
bool FunctionValidator<C>::CheckRefType(uint8_t byte, ValType& out) {
  if (byte == 0x70 || byte == 0x6f) {
    out = static_cast<ValType>(byte);
    return true;
  }
  return Fail("malformed reference type");
}

template <typename C>
bool FunctionValidator<C>::ReadBlockType(Reader& r, BlockType& out) {
  uint8_t first = r.PeekU8();
  if (first == 0x40) {
    r.U8();
    out = BlockType{};
    return true;
  }
  if (first >= 0x40 && first < 0x80) {  // a one-byte negative number: a value type
    r.U8();
    out.raw = static_cast<int8_t>(first | 0x80);
    out.params = {};
    out.results = Single(static_cast<ValType>(first));
    if (out.results.empty() || (!ctx_.features.reference_types && IsRefType(out.results[0]))) {
      return Fail("malformed value type in block type");
    }
    return true;
  }
  int64_t index = r.S33();
  if (!r.ok()) return false;
  if (index < 0) return Fail("malformed block type");
  if (!CheckType(static_cast<uint32_t>(index))) return false;
  const FuncType& type = module_.types[index];
  out.raw = index;
  out.params = type.params();
  out.results = type.results();
  return true;
}

template <typename C>
bool FunctionValidator<C>::ReadMemArg(Reader& r, Instruction& ins, const OpInfo& info) {
  uint32_t flags = r.U32();
  if (!r.ok()) return false;
  ins.memory = 0;
  // Multi-memory sets bit 6 of the alignment field when a memory index follows.
  if (ctx_.features.multi_memory && (flags & 0x40)) {
    ins.memory = r.U32();
    if (!r.ok()) return false;
    flags &= ~0x40u;
  }
  ins.mem_offset = r.U32();  // memory64 is not supported: offsets are u32
  if (!r.ok()) return false;
  if (!CheckMemory(ins.memory)) return false;
  if (flags >= 32 || (uint64_t{1} << flags) > info.access_size) {
    return Fail("alignment must not be larger than natural");
  }
  if (IsAtomic(ins.opcode) && (uint64_t{1} << flags) != info.access_size) {
    return Fail("alignment must be exactly natural for atomic " + std::string(info.name));
  }
  ins.align_log2 = static_cast<uint8_t>(flags);
  return true;
}

template <typename C>
Status FunctionValidator<C>::ValidateFunction(uint32_t func_index) {
  const Function& func = module_.functions[func_index];
  const FuncType& type = module_.types[func.type_index];
  local_runs_.clear();
  uint32_t n = 0;
  for (ValType t : type.params()) local_runs_.push_back({++n, t});
  for (const LocalRun& run : func.locals) {
    n += run.count;
    local_runs_.push_back({n, run.type});
  }
  num_locals_ = n;
  results_ = type.results();
  stack_.clear();
  control_.clear();
  control_.push_back(ControlFrame{op::kBlock, {}, results_, 0});
  Reader reader(module_.bytes().data() + func.code_offset, func.code_size, func.code_offset);
  Status status = Walk(reader, /*const_expr=*/false);
  if (!status.ok()) {
    return Error{"in function " + module_.FunctionName(func_index) + ": " +
                 status.error().message};
  }
  return {};
}

template <typename C>
Status FunctionValidator<C>::ValidateConstExpr(Reader& reader, ValType type,
                                               uint32_t visible_globals,
                                               std::string_view where) {
  visible_globals_ = visible_globals;
  local_runs_.clear();
  num_locals_ = 0;
  results_ = Single(type);
  stack_.clear();
  control_.clear();
  control_.push_back(ControlFrame{op::kBlock, {}, results_, 0});
  Status status = Walk(reader, /*const_expr=*/true);
  if (!status.ok()) {
    return Error{"in " + std::string(where) + ": " + status.error().message};
  }
  return {};
}

template <typename C>
Status FunctionValidator<C>::Walk(Reader& r, bool const_expr) {
  error_.clear();
  while (!control_.empty() && !failed()) {
    instr_offset_ = r.offset();
    if (!Step(r, const_expr)) break;
    if (!r.ok()) break;
  }
  auto at = [](size_t offset) {
    char buf[32];
    snprintf(buf, sizeof(buf), "at offset 0x%zx: ", offset);
    return std::string(buf);
  };
  if (!r.ok()) {
    std::string what = r.error();
    if (what == "unexpected end" || what == "unexpected end of LEB128 integer") {
      what = const_expr ? "unexpected end of constant expression: END opcode expected"
                        : "unexpected end of function body: END opcode expected";
    }
    return Error{at(r.error_offset()) + what};
  }
  if (failed()) return Error{at(error_offset_) + error_};
  if (!const_expr && !r.at_end()) {
    return Error{at(r.offset()) + "operators remaining after the final end of the function body"};
  }
  return {};
}

// Decodes one instruction, validates it, tells the consumer, and applies
// its effect. Returns false when validation failed.
template <typename C>
bool FunctionValidator<C>::Step(Reader& r, bool const_expr) {
  Instruction ins;
  ins.offset = static_cast<uint32_t>(r.offset());
  uint8_t byte = r.U8();
  if (!r.ok()) return false;
  Opcode opcode = byte;
  if (byte == 0xfc || byte == 0xfd || byte == 0xfe) {
    uint32_t sub = r.U32();
    if (!r.ok()) return false;
    opcode = sub > 0xff ? 0xffff : static_cast<Opcode>((byte << 8) | sub);
  }
  ins.opcode = opcode;
  const OpInfo& info = GetOpInfo(opcode);
  bool enabled = info.known();
  if (IsAtomic(opcode) && !ctx_.features.threads) enabled = false;
  if ((opcode == op::kReturnCall || opcode == op::kReturnCallIndirect) &&
      !ctx_.features.tail_call) {
    enabled = false;
  }
  if (!ctx_.features.reference_types) {
    switch (opcode) {
      case op::kSelectT: case op::kTableGet: case op::kTableSet: case op::kTableGrow:
      case op::kTableSize: case op::kTableFill: case op::kRefNull: case op::kRefIsNull:
      case op::kRefFunc:
        enabled = false;
    }
  }
  if (!enabled) {
    char buf[64];
    if (opcode > 0xff) {
      snprintf(buf, sizeof(buf), "illegal opcode 0x%x 0x%x", byte, opcode == 0xffff ? 0u : opcode & 0xffu);
    } else {
      snprintf(buf, sizeof(buf), "illegal opcode 0x%x", byte);
    }
    return Fail(buf);
  }

  if (const_expr) {
    bool allowed = false;
    switch (opcode) {
      case op::kI32Const: case op::kI64Const: case op::kF32Const: case op::kF64Const:
      case op::kV128Const: case op::kRefNull: case op::kRefFunc: case op::kGlobalGet:
      case op::kEnd:
        allowed = true;
        break;
      case op::kI32Add: case op::kI32Sub: case op::kI32Mul:
      case op::kI64Add: case op::kI64Sub: case op::kI64Mul:
        allowed = ctx_.features.extended_const;
        break;
    }
    if (!allowed) return Fail("constant expression required, got " + std::string(info.name));
  }

  // Decode and check immediates.
  switch (info.imm) {
    case Imm::kNone:
      break;
    case Imm::kBlockType:
      if (!ReadBlockType(r, ins.block)) return false;
      break;
    case Imm::kLabel:
      ins.index = r.U32();
      if (!r.ok() || !CheckLabel(ins.index)) return false;
      break;
    case Imm::kBrTable: {
      uint32_t count = r.U32();
      if (!r.ok()) return false;
      if (count > r.remaining()) return r.Fail("unexpected end"), false;
      br_targets_.resize(count);
      for (uint32_t& target : br_targets_) {
        target = r.U32();
        if (!r.ok() || !CheckLabel(target)) return false;
      }
      ins.index = r.U32();
      if (!r.ok() || !CheckLabel(ins.index)) return false;
      ins.br_targets = br_targets_;
      break;
    }
    case Imm::kFunc:
      ins.index = r.U32();
      if (!r.ok() || !CheckFunc(ins.index)) return false;
      break;
    case Imm::kCallIndirect:
      ins.index = r.U32();
      if (!r.ok()) return false;
      if (ctx_.features.reference_types) {
        ins.index2 = r.U32();
      } else {
        ins.index2 = r.U8();
        if (r.ok() && ins.index2 != 0) return Fail("zero byte expected");
      }
      if (!r.ok() || !CheckType(ins.index) || !CheckTable(ins.index2)) return false;
      break;
    case Imm::kLocal:
      ins.index = r.U32();
      if (!r.ok()) return false;
      if (ins.index >= num_locals_) return Fail("unknown local " + std::to_string(ins.index));
      break;
    case Imm::kGlobal:
      ins.index = r.U32();
      if (!r.ok() || !CheckGlobal(ins.index)) return false;
      break;
    case Imm::kTable:
      ins.index = r.U32();
      if (!r.ok() || !CheckTable(ins.index)) return false;
      break;
    case Imm::kMemArg:
      if (!ReadMemArg(r, ins, info)) return false;
      break;
    case Imm::kMemArgLane:
      if (!ReadMemArg(r, ins, info)) return false;
      ins.lane = r.U8();
      if (!r.ok()) return false;
      if (ins.lane >= 16 / info.access_size) return Fail("invalid lane index");
      break;
    case Imm::kMemory:
      if (ctx_.features.multi_memory) {
        ins.memory = r.U32();
      } else {
        ins.memory = r.U8();
        if (r.ok() && ins.memory != 0) return Fail("zero byte expected");
      }
      if (!r.ok() || !CheckMemory(ins.memory)) return false;
      break;
    case Imm::kI32:
      ins.bits = static_cast<uint32_t>(r.S32());
      break;
    case Imm::kI64:
      ins.bits = static_cast<uint64_t>(r.S64());
      break;
    case Imm::kF32:
      ins.bits = r.Fixed<uint32_t>();
      break;
    case Imm::kF64:
      ins.bits = r.Fixed<uint64_t>();
      break;
    case Imm::kV128:
      ins.bytes = r.Bytes(16);
      break;
    case Imm::kLane:
      ins.lane = r.U8();
      if (r.ok() && ins.lane >= info.access_size) return Fail("invalid lane index");
      break;
    case Imm::kShuffle:
      ins.bytes = r.Bytes(16);
      if (!r.ok()) return false;
      for (int i = 0; i < 16; ++i) {
        if (ins.bytes[i] >= 32) return Fail("invalid lane index");
      }
      break;
    case Imm::kSelectTypes: {
      uint32_t count = r.U32();
      if (!r.ok()) return false;
      if (count != 1) return Fail("invalid result arity for typed select");
      uint8_t t = r.U8();
      if (!r.ok()) return false;
      if (Single(static_cast<ValType>(t)).empty()) return Fail("malformed value type");
      ins.type = static_cast<ValType>(t);
      break;
    }
    case Imm::kRefType:
      if (!CheckRefType(r.U8(), ins.type)) return false;
      break;
    case Imm::kTableInit:
      ins.index = r.U32();  // element segment
      ins.index2 = r.U32();  // table
      if (!r.ok() || !CheckElem(ins.index) || !CheckTable(ins.index2)) return false;
      if (module_.elems[ins.index].type != module_.tables[ins.index2].elem_type) {
        return Fail("type mismatch: table.init of a " +
                    std::string(TypeName(module_.elems[ins.index].type)) +
                    " segment into a table of " +
                    std::string(TypeName(module_.tables[ins.index2].elem_type)));
      }
      break;
    case Imm::kTableCopy:
      ins.index = r.U32();  // destination
      ins.index2 = r.U32();  // source
      if (!r.ok() || !CheckTable(ins.index) || !CheckTable(ins.index2)) return false;
      if (module_.tables[ins.index].elem_type != module_.tables[ins.index2].elem_type) {
        return Fail("type mismatch: table.copy between tables of different element types");
      }
      break;
    case Imm::kMemoryInit:
      ins.index = r.U32();  // data segment
      if (!r.ok()) return false;
      if (ctx_.features.multi_memory) {
        ins.memory = r.U32();
      } else {
        ins.memory = r.U8();
        if (r.ok() && ins.memory != 0) return Fail("zero byte expected");
      }
      if (!r.ok() || !CheckData(ins.index) || !CheckMemory(ins.memory)) return false;
      break;
    case Imm::kMemoryCopy:
      if (ctx_.features.multi_memory) {
        ins.memory = r.U32();  // destination
        ins.index2 = r.U32();  // source
      } else {
        ins.memory = r.U8();
        ins.index2 = r.U8();
        if (r.ok() && (ins.memory != 0 || ins.index2 != 0)) return Fail("zero byte expected");
      }
      if (!r.ok() || !CheckMemory(ins.memory) || !CheckMemory(ins.index2)) return false;
      break;
    case Imm::kData:
      ins.index = r.U32();
      if (!r.ok() || !CheckData(ins.index)) return false;
      break;
    case Imm::kElem:
      ins.index = r.U32();
      if (!r.ok() || !CheckElem(ins.index)) return false;
      break;
    case Imm::kFence:
      if (r.U8() != 0 && r.ok()) return Fail("zero byte expected");
      break;
  }
  if (!r.ok()) return false;

  consumer_.OnInstruction(ins, *this);

  if (info.has_signature) {
    for (int i = info.num_params; i-- > 0;) Pop(static_cast<ValType>(info.params[i]));
    if (info.num_results) Push(static_cast<ValType>(info.result));
    return !failed();
  }

  switch (opcode) {
    case op::kUnreachable:
      SetUnreachable();
      break;
    case op::kBlock:
    case op::kLoop:
      PopAll(ins.block.params);
      PushControl(opcode, ins.block.params, ins.block.results);
      break;
    case op::kIf:
      Pop(ValType::kI32);
      PopAll(ins.block.params);
      PushControl(opcode, ins.block.params, ins.block.results);
      break;
    case op::kElse: {
      if (control_.back().opcode != op::kIf) return Fail("else without a matching if");
      ControlFrame frame = PopControl();
      PushControl(op::kElse, frame.params, frame.results);
      break;
    }
    case op::kEnd: {
      ControlFrame frame = PopControl();
      // An `if` without `else` passes its inputs through the missing branch.
      if (frame.opcode == op::kIf &&
          !std::equal(frame.params.begin(), frame.params.end(), frame.results.begin(),
                      frame.results.end())) {
        return Fail("type mismatch: if without else must have matching parameter and result types");
      }
      PushAll(frame.results);
      break;
    }
    case op::kBr:
      PopAll(control_at(ins.index).label_types());
      SetUnreachable();
      break;
    case op::kBrIf: {
      Pop(ValType::kI32);
      std::span<const ValType> types = control_at(ins.index).label_types();
      PopAll(types);
      PushAll(types);
      break;
    }
    case op::kBrTable: {
      Pop(ValType::kI32);
      std::span<const ValType> default_types = control_at(ins.index).label_types();
      for (uint32_t target : ins.br_targets) {
        std::span<const ValType> types = control_at(target).label_types();
        if (types.size() != default_types.size()) {
          return Fail("type mismatch: br_table targets have different arities");
        }
        // Check the operands against each target without consuming them.
        std::vector<ValType> popped(types.size());
        for (size_t i = types.size(); i-- > 0;) popped[i] = Pop(types[i]);
        PushAll(popped);
      }
      PopAll(default_types);
      SetUnreachable();
      break;
    }
    case op::kReturn:
      PopAll(results_);
      SetUnreachable();
      break;
    case op::kCall: {
      const FuncType& type = module_.FunctionType(ins.index);
      PopAll(type.params());
      PushAll(type.results());
      break;
    }
    case op::kCallIndirect: {
      if (module_.tables[ins.index2].elem_type != ValType::kFuncRef) {
        return Fail("type mismatch: call_indirect through a table of externref");
      }
      const FuncType& type = module_.types[ins.index];
      Pop(ValType::kI32);
      PopAll(type.params());
      PushAll(type.results());
      break;
    }
    case op::kReturnCall:
    case op::kReturnCallIndirect: {
      const FuncType* type;
      if (opcode == op::kReturnCall) {
        type = &module_.FunctionType(ins.index);
      } else {
        if (module_.tables[ins.index2].elem_type != ValType::kFuncRef) {
          return Fail("type mismatch: return_call_indirect through a table of externref");
        }
        type = &module_.types[ins.index];
        Pop(ValType::kI32);
      }
      if (!std::equal(type->results().begin(), type->results().end(), results_.begin(),
                      results_.end())) {
        return Fail("type mismatch: tail call to a function returning " + type->ToString() +
                    " from a function returning other results");
      }
      PopAll(type->params());
      SetUnreachable();
      break;
    }
    case op::kDrop:
      Pop();
      break;
    case op::kSelect: {
      Pop(ValType::kI32);
      ValType t1 = Pop();
      ValType t2 = Pop();
      if (IsRefType(t1) || IsRefType(t2)) {
        return Fail("type mismatch: select without a type needs numeric or vector operands");
      }
      if (t1 != t2 && t1 != kUnknownType && t2 != kUnknownType) {
        return Fail("type mismatch: select operands are " + std::string(TypeName(t1)) +
                    " and " + std::string(TypeName(t2)));
      }
      Push(t1 == kUnknownType ? t2 : t1);
      break;
    }
    case op::kSelectT:
      Pop(ValType::kI32);
      Pop(ins.type);
      Pop(ins.type);
      Push(ins.type);
      break;
    case op::kLocalGet:
      Push(local_type(ins.index));
      break;
    case op::kLocalSet:
      Pop(local_type(ins.index));
      break;
    case op::kLocalTee: {
      ValType t = local_type(ins.index);
      Pop(t);
      Push(t);
      break;
    }
    case op::kGlobalGet: {
      const GlobalType& global = module_.globals[ins.index];
      if (const_expr) {
        if (ins.index >= visible_globals_) {
          return Fail("unknown global " + std::to_string(ins.index) +
                      ": constant expressions may only read imported globals");
        }
        if (global.is_mutable) return Fail("constant expression required: global is mutable");
      }
      Push(global.type);
      break;
    }
    case op::kGlobalSet: {
      const GlobalType& global = module_.globals[ins.index];
      if (!global.is_mutable) return Fail("global is immutable");
      Pop(global.type);
      break;
    }
    case op::kTableGet:
      Pop(ValType::kI32);
      Push(module_.tables[ins.index].elem_type);
      break;
    case op::kTableSet:
      Pop(module_.tables[ins.index].elem_type);
      Pop(ValType::kI32);
      break;
    case op::kTableGrow:
      Pop(ValType::kI32);
      Pop(module_.tables[ins.index].elem_type);
      Push(ValType::kI32);
      break;
    case op::kTableFill:
      Pop(ValType::kI32);
      Pop(module_.tables[ins.index].elem_type);
      Pop(ValType::kI32);
      break;
    case op::kRefNull:
      Push(ins.type);
      break;
    case op::kRefIsNull: {
      ValType t = Pop();
      if (t != kUnknownType && !IsRefType(t)) {
        return Fail("type mismatch: ref.is_null expects a reference, got " +
                    std::string(TypeName(t)));
      }
      Push(ValType::kI32);
      break;
    }
    case op::kRefFunc:
      if (!const_expr && !ctx_.declared_refs[ins.index]) {
        return Fail("undeclared function reference " + std::to_string(ins.index));
      }
      Push(ValType::kFuncRef);
      break;
    default:
      return Fail("internal error: no typing rule for " + std::string(info.name));
  }
  return !failed();
}

}  // namespace rivet

#endif  // RIVET_LOADER_FUNCTION_VALIDATOR_H_
