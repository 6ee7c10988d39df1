#include "cli/interp_engine.h"

#include <map>
#include <string>
#include <vector>

#include "runtime/instantiate.h"
#include "runtime/store.h"

namespace rivet::cli {
namespace {

using wast::Failure;
using wast::Outcome;

// Script values <-> slots. A script's (ref.extern N) becomes the non-null
// externref N + 1 and back.
void AppendSlots(const wast::Value& value, std::vector<Slot>& out) {
  switch (value.type) {
    case ValType::kV128:
      out.push_back(value.bits[0]);
      out.push_back(value.bits[1]);
      return;
    case ValType::kExternRef:
    case ValType::kFuncRef:
      out.push_back(value.is_null ? 0 : value.bits[0] + 1);
      return;
    default:
      out.push_back(value.bits[0]);
      return;
  }
}

wast::Value FromSlots(ValType type, const Slot* slots) {
  switch (type) {
    case ValType::kI32:
      return wast::Value::I32(static_cast<uint32_t>(slots[0]));
    case ValType::kF32:
      return wast::Value::F32Bits(static_cast<uint32_t>(slots[0]));
    case ValType::kI64:
      return wast::Value::I64(slots[0]);
    case ValType::kF64:
      return wast::Value::F64Bits(slots[0]);
    case ValType::kV128:
      return wast::Value::V128(slots[0], slots[1]);
    case ValType::kExternRef:
      return slots[0] ? wast::Value::Extern(slots[0] - 1) : wast::Value::Null(type);
    case ValType::kFuncRef: {
      wast::Value v = wast::Value::Null(type);
      v.is_null = slots[0] == 0;
      return v;
    }
  }
  return {};
}

Failure FailureFromTrap(const Trap& trap) {
  return Failure{trap.kind == TrapKind::kCallStackExhausted ? Failure::Kind::kExhaustion
                                                            : Failure::Kind::kTrap,
                 trap.message};
}

class RuntimeEngine : public wast::Engine {
 public:
  explicit RuntimeEngine(ModulePreparer prepare) : prepare_(std::move(prepare)) { AddSpectest(); }

  Outcome<InstanceId> Instantiate(std::shared_ptr<const Module> module) override {
    InstantiateOptions options;
    if (prepare_) {
      Outcome<PreparedModule> prepared = prepare_(std::move(module));
      if (auto* failure = std::get_if<Failure>(&prepared)) return *failure;
      module = std::move(std::get<PreparedModule>(prepared).module);
      options = std::move(std::get<PreparedModule>(prepared).options);
    }
    std::vector<Extern> imports;
    for (const Import& import : module->imports) {
      auto registered = registry_.find(import.module);
      if (registered == registry_.end()) {
        return Failure{Failure::Kind::kLink, "unknown import: module \"" + import.module + "\""};
      }
      auto it = registered->second.find(import.name);
      if (it == registered->second.end()) {
        return Failure{Failure::Kind::kLink,
                       "unknown import \"" + import.module + "\" \"" + import.name + "\""};
      }
      imports.push_back(it->second);
    }
    auto result = rivet::Instantiate(store_, std::move(module), imports, options);
    if (auto* error = std::get_if<InstantiateError>(&result)) {
      if (error->link_error) return Failure{Failure::Kind::kLink, error->trap.message};
      return FailureFromTrap(error->trap);
    }
    instances_.push_back(std::get<Instance*>(result));
    return static_cast<InstanceId>(instances_.size() - 1);
  }

  void Register(InstanceId instance, std::string_view as) override {
    auto& exports = registry_[std::string(as)];
    exports.clear();
    for (const auto& [name, ext] : instances_[instance]->exports) exports.emplace(name, ext);
  }

  Outcome<std::vector<wast::Value>> Invoke(InstanceId instance, std::string_view field,
                                           std::span<const wast::Value> args) override {
    std::optional<Extern> ext = instances_[instance]->GetExport(field);
    if (!ext || ext->kind != ExternKind::kFunc) {
      return Failure{Failure::Kind::kLink, "no exported function \"" + std::string(field) + "\""};
    }
    FuncInstance* func = ext->func;
    std::vector<Slot> slots;
    for (const wast::Value& arg : args) AppendSlots(arg, slots);
    auto result = rivet::Invoke(store_, func, slots);
    if (Trap* trap = std::get_if<Trap>(&result)) return FailureFromTrap(*trap);
    const std::vector<Slot>& out = std::get<std::vector<Slot>>(result);
    std::vector<wast::Value> values;
    size_t slot = 0;
    for (ValType type : func->type.results()) {
      values.push_back(FromSlots(type, out.data() + slot));
      slot += SlotCount(type);
    }
    return values;
  }

  Outcome<wast::Value> Get(InstanceId instance, std::string_view field) override {
    std::optional<Extern> ext = instances_[instance]->GetExport(field);
    if (!ext || ext->kind != ExternKind::kGlobal) {
      return Failure{Failure::Kind::kLink, "no exported global \"" + std::string(field) + "\""};
    }
    return FromSlots(ext->global->type.type, ext->global->value);
  }

 private:
  // The host module every spec script may import, as the reference
  // interpreter defines it.
  void AddSpectest() {
    auto& spectest = registry_["spectest"];
    auto print = [&](const char* name, std::vector<ValType> params) {
      Extern ext;
      ext.kind = ExternKind::kFunc;
      ext.func = store_.NewHostFunction(
          FuncType(std::move(params), {}),
          [](std::span<const Slot>, std::span<Slot>) { return std::optional<Trap>(); });
      spectest.emplace(name, ext);
    };
    print("print", {});
    print("print_i32", {ValType::kI32});
    print("print_i64", {ValType::kI64});
    print("print_f32", {ValType::kF32});
    print("print_f64", {ValType::kF64});
    print("print_i32_f32", {ValType::kI32, ValType::kF32});
    print("print_f64_f64", {ValType::kF64, ValType::kF64});
    auto global = [&](const char* name, ValType type, Slot value) {
      Extern ext;
      ext.kind = ExternKind::kGlobal;
      ext.global = store_.NewGlobal(GlobalType{type, false});
      ext.global->value[0] = value;
      spectest.emplace(name, ext);
    };
    global("global_i32", ValType::kI32, 666);
    global("global_i64", ValType::kI64, 666);
    global("global_f32", ValType::kF32, 0x4426a666);             // 666.6f
    global("global_f64", ValType::kF64, 0x4084d4cccccccccdull);  // 666.6
    Extern table;
    table.kind = ExternKind::kTable;
    table.table = store_.NewTable(TableType{ValType::kFuncRef, Limits{10, 20}});
    spectest.emplace("table", table);
    Extern memory;
    memory.kind = ExternKind::kMemory;
    memory.memory = store_.NewMemory(MemoryType{Limits{1, 2}});
    spectest.emplace("memory", memory);
    Extern shared;
    shared.kind = ExternKind::kMemory;
    shared.memory = store_.NewMemory(MemoryType{Limits{1, 1, true}});
    spectest.emplace("shared_memory", shared);
  }

  ModulePreparer prepare_;
  Store store_;
  std::map<std::string, std::map<std::string, Extern, std::less<>>, std::less<>> registry_;
  std::vector<Instance*> instances_;
};

}  // namespace

std::unique_ptr<wast::Engine> NewRuntimeEngine(ModulePreparer prepare) {
  return std::make_unique<RuntimeEngine>(std::move(prepare));
}

std::unique_ptr<wast::Engine> NewInterpEngine() { return NewRuntimeEngine(); }

}  // namespace rivet::cli
