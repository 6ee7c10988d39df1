#include "runtime/instantiate.h"

#include <cstring>

#include "interp/compiler.h"
#include "interp/interpreter.h"
#include "loader/function_validator.h"
#include "runtime/aot/native_instance.h"

namespace rivet {
namespace {

Trap HostTrap(std::string message) { return Trap{TrapKind::kHostError, std::move(message)}; }

InstantiateError LinkError(std::string message) {
  return InstantiateError{true, Trap{TrapKind::kHostError, std::move(message)}};
}
InstantiateError TrapError(TrapKind kind) {
  return InstantiateError{false, Trap{kind, std::string(TrapMessage(kind))}};
}

// Limits `actual` of an import satisfy `expected` when they are at least
// as large and at least as constrained.
bool LimitsMatch(const Limits& actual, uint64_t actual_size, const Limits& expected) {
  if (actual_size < expected.min) return false;
  if (expected.max) {
    if (!actual.max || *actual.max > *expected.max) return false;
  }
  return true;
}

// Evaluates a constant expression by walking it with the validator: the
// instructions it may contain (constants, global.get, ref.null, ref.func
// and the extended-const arithmetic) are applied to a small value stack.
class ConstEvaluator {
 public:
  explicit ConstEvaluator(const Instance& instance) : instance_(instance) {}

  template <typename V>
  void OnInstruction(const Instruction& ins, const V&) {
    switch (ins.opcode) {
      case op::kI32Const: Push(static_cast<uint32_t>(ins.bits)); break;
      case op::kI64Const: case op::kF32Const: case op::kF64Const: Push(ins.bits); break;
      case op::kV128Const: {
        Value v;
        std::memcpy(v.slots, ins.bytes, 16);
        stack_.push_back(v);
        break;
      }
      case op::kRefNull: Push(0); break;
      case op::kRefFunc: Push(reinterpret_cast<Ref>(instance_.functions[ins.index])); break;
      case op::kGlobalGet: {
        const Global* global = instance_.globals[ins.index];
        stack_.push_back(Value{{global->value[0], global->value[1]}});
        break;
      }
      case op::kI32Add: Binary([](uint32_t a, uint32_t b) { return a + b; }); break;
      case op::kI32Sub: Binary([](uint32_t a, uint32_t b) { return a - b; }); break;
      case op::kI32Mul: Binary([](uint32_t a, uint32_t b) { return a * b; }); break;
      case op::kI64Add: Binary([](uint64_t a, uint64_t b) { return a + b; }); break;
      case op::kI64Sub: Binary([](uint64_t a, uint64_t b) { return a - b; }); break;
      case op::kI64Mul: Binary([](uint64_t a, uint64_t b) { return a * b; }); break;
    }
  }

  struct Value {
    Slot slots[2] = {0, 0};
  };
  Value result() const { return stack_.back(); }

 private:
  void Push(Slot s) { stack_.push_back(Value{{s, 0}}); }
  template <typename F>
  void Binary(F f) {
    using T = decltype(f(0, 0));
    T b = static_cast<T>(stack_.back().slots[0]);
    stack_.pop_back();
    T a = static_cast<T>(stack_.back().slots[0]);
    stack_.back().slots[0] = f(a, b);
  }

  const Instance& instance_;
  std::vector<Value> stack_;
};

ConstEvaluator::Value Evaluate(const Instance& instance, const ConstExpr& expr, ValType type) {
  const Module& module = *instance.module;
  static const std::vector<bool> kNoRefs;
  ValidationContext ctx{module, module.features, kNoRefs};
  ConstEvaluator evaluator(instance);
  FunctionValidator<ConstEvaluator> walk(ctx, evaluator);
  Reader reader(module.bytes().data() + expr.offset, expr.size, expr.offset);
  // The expression was validated when the module was decoded.
  (void)walk.ValidateConstExpr(reader, type, module.num_imported_globals, "constant expression");
  return evaluator.result();
}

}  // namespace

std::variant<Instance*, InstantiateError> Instantiate(Store& store,
                                                      std::shared_ptr<const Module> module_ptr,
                                                      std::span<const Extern> imports,
                                                      const InstantiateOptions& options) {
  const Module& module = *module_ptr;
  if (imports.size() < module.imports.size()) {
    const Import& missing = module.imports[imports.size()];
    return LinkError("unknown import \"" + missing.module + "\" \"" + missing.name + "\": " +
                     std::to_string(module.imports.size()) + " imports needed, " +
                     std::to_string(imports.size()) + " given");
  }
  if (imports.size() > module.imports.size()) {
    return LinkError(std::to_string(imports.size()) + " imports given, the module has only " +
                     std::to_string(module.imports.size()));
  }
  auto owned = std::make_unique<Instance>();
  Instance& instance = *owned;
  instance.module = module_ptr;
  instance.store = &store;

  // Imports, checked against their declared types.
  for (size_t i = 0; i < imports.size(); ++i) {
    const Import& import = module.imports[i];
    const Extern& ext = imports[i];
    std::string name = "\"" + import.module + "\" \"" + import.name + "\"";
    if (ext.kind != import.kind || !ext.any) {
      return LinkError("incompatible import type: " + name + " is not a " +
                       std::string(ExternKindName(import.kind)));
    }
    switch (import.kind) {
      case ExternKind::kFunc: {
        const FuncType& expected = module.FunctionType(import.index);
        if (!(ext.func->type == expected)) {
          return LinkError("incompatible import type: function " + name + " has type " +
                           ext.func->type.ToString() + ", expected " + expected.ToString());
        }
        instance.functions.push_back(ext.func);
        break;
      }
      case ExternKind::kTable: {
        const TableType& expected = module.tables[import.index];
        if (ext.table->type.elem_type != expected.elem_type ||
            !LimitsMatch(ext.table->type.limits, ext.table->elements.size(), expected.limits)) {
          return LinkError("incompatible import type: table " + name);
        }
        instance.tables.push_back(ext.table);
        break;
      }
      case ExternKind::kMemory: {
        const MemoryType& expected = module.memories[import.index];
        if (ext.memory->shared() != expected.limits.shared ||
            !LimitsMatch(ext.memory->type().limits, ext.memory->pages(), expected.limits)) {
          return LinkError("incompatible import type: memory " + name);
        }
        instance.memories.push_back(ext.memory);
        break;
      }
      case ExternKind::kGlobal: {
        const GlobalType& expected = module.globals[import.index];
        if (ext.global->type.type != expected.type ||
            ext.global->type.is_mutable != expected.is_mutable) {
          return LinkError("incompatible import type: global " + name);
        }
        instance.globals.push_back(ext.global);
        break;
      }
    }
  }

  // The module's own objects.
  for (uint32_t i = module.num_imported_functions; i < module.functions.size(); ++i) {
    instance.functions.push_back(store.NewFunction(module.FunctionType(i), &instance, i));
  }
  for (uint32_t i = module.num_imported_tables; i < module.tables.size(); ++i) {
    // Checked before allocating: a declared minimum of up to 2^32 - 1
    // elements would otherwise be a 32 GiB allocation.
    if (module.tables[i].limits.min > Table::kMaxElements) {
      return LinkError("table " + std::to_string(i) + " needs " +
                       std::to_string(module.tables[i].limits.min) +
                       " elements, more than rivet's limit of " +
                       std::to_string(Table::kMaxElements));
    }
    instance.tables.push_back(store.NewTable(module.tables[i]));
  }
  for (uint32_t i = module.num_imported_memories; i < module.memories.size(); ++i) {
    if (module.memories[i].limits.min > store.limits.max_memory_pages) {
      return LinkError("memory " + std::to_string(i) + " needs " +
                       std::to_string(module.memories[i].limits.min) +
                       " pages, more than this store's limit of " +
                       std::to_string(store.limits.max_memory_pages));
    }
    // Code compiled for guard pages needs its memories reserved with one.
    Memory* memory = store.NewMemory(
        module.memories[i],
        options.native_code != nullptr && options.native_code->needs_guard_regions());
    if (memory->allocation_failed()) {
      return LinkError("cannot allocate memory " + std::to_string(i) + " of " +
                       std::to_string(module.memories[i].limits.min) + " pages");
    }
    instance.memories.push_back(memory);
  }
  if (!instance.memories.empty()) {
    for (uint32_t i = module.num_imported_functions; i < module.functions.size(); ++i) {
      instance.functions[i]->memory = instance.memories[0];
    }
  }
  for (uint32_t i = module.num_imported_globals; i < module.globals.size(); ++i) {
    Global* global = store.NewGlobal(module.globals[i]);
    ConstEvaluator::Value v =
        Evaluate(instance, module.global_inits[i - module.num_imported_globals], global->type.type);
    global->value[0] = v.slots[0];
    global->value[1] = v.slots[1];
    instance.globals.push_back(global);
  }
  for (const Export& exp : module.exports) {
    Extern ext;
    ext.kind = exp.kind;
    switch (exp.kind) {
      case ExternKind::kFunc: ext.func = instance.functions[exp.index]; break;
      case ExternKind::kTable: ext.table = instance.tables[exp.index]; break;
      case ExternKind::kMemory: ext.memory = instance.memories[exp.index]; break;
      case ExternKind::kGlobal: ext.global = instance.globals[exp.index]; break;
    }
    instance.exports.emplace(exp.name, ext);
  }

  // Segments, evaluated once.
  for (const ElemSegment& seg : module.elems) {
    std::vector<Ref> refs;
    refs.reserve(seg.size());
    for (uint32_t index : seg.func_indices) {
      refs.push_back(reinterpret_cast<Ref>(instance.functions[index]));
    }
    for (const ConstExpr& expr : seg.exprs) {
      refs.push_back(static_cast<Ref>(Evaluate(instance, expr, seg.type).slots[0]));
    }
    instance.elems.push_back(std::move(refs));
  }
  for (const DataSegment& seg : module.datas) {
    instance.datas.push_back(module.Range(seg.data_offset, seg.data_size));
  }

  if (options.native_code) {
    Status bound = aot::BindNativeCode(store, instance, options.native_code);
    if (!bound.ok()) return LinkError(bound.error().message);
  } else {
    bool metered = store.limits.interruptible || store.limits.fuel >= 0;
    Status compiled = interp::CompileInstance(instance, metered);
    if (!compiled.ok()) return LinkError(compiled.error().message);
  }
  Instance* result = store.AddInstance(std::move(owned));

  // Initialisation, in order, as table.init / memory.init followed by drops.
  for (size_t i = 0; i < module.elems.size(); ++i) {
    const ElemSegment& seg = module.elems[i];
    if (seg.mode == SegmentMode::kActive) {
      uint64_t offset =
          static_cast<uint32_t>(Evaluate(*result, seg.offset, ValType::kI32).slots[0]);
      Table* table = result->tables[seg.table];
      std::vector<Ref>& refs = result->elems[i];
      if (offset + refs.size() > table->elements.size()) {
        return TrapError(TrapKind::kTableOutOfBounds);
      }
      std::copy(refs.begin(), refs.end(), table->elements.begin() + offset);
    }
    if (seg.mode != SegmentMode::kPassive) result->elems[i].clear();
  }
  for (size_t i = 0; i < module.datas.size(); ++i) {
    const DataSegment& seg = module.datas[i];
    if (seg.mode != SegmentMode::kActive) continue;
    uint64_t offset = static_cast<uint32_t>(Evaluate(*result, seg.offset, ValType::kI32).slots[0]);
    Memory* memory = result->memories[seg.memory];
    std::span<const uint8_t>& bytes = result->datas[i];
    if (offset + bytes.size() > memory->size()) return TrapError(TrapKind::kMemoryOutOfBounds);
    if (!bytes.empty()) std::memcpy(memory->data() + offset, bytes.data(), bytes.size());
    bytes = {};
  }

  if (module.start) {
    auto outcome = interp::Call(result->functions[*module.start], {}, store.limits, &store.interrupt);
    if (Trap* trap = std::get_if<Trap>(&outcome)) return InstantiateError{false, *trap};
  }
  return result;
}

std::variant<std::vector<Slot>, Trap> Invoke(Store& store, FuncInstance* func,
                                             std::span<const Slot> args) {
  if (args.size() != func->param_slots) {
    return HostTrap("expected " + std::to_string(func->param_slots) + " argument slots, got " +
                    std::to_string(args.size()));
  }
  return interp::Call(func, args, store.limits, &store.interrupt);
}

}  // namespace rivet
