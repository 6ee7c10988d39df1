// The C API (rivet.h) over the runtime's C++ core.
//
// Handles are the core's own objects: rivet_func is FuncInstance, and so on
// for memories, tables, globals and instances, so that a handle crosses the
// boundary without allocation. Stores, modules, errors and traps are small
// wrappers. Nothing here throws across the C boundary: the core reports
// failures as values, and allocation failure is the only exception left,
// which terminates as it would in C.
#include "runtime/rivet.h"

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "loader/module.h"
#include "runtime/instantiate.h"
#include "runtime/module_manager.h"
#include "runtime/store.h"

struct rivet_store {
  rivet::Store store;
  std::vector<std::pair<void (*)(void*), void*>> finalizers;
  ~rivet_store() {
    for (auto& [finalize, env] : finalizers) finalize(env);
  }
};
struct rivet_module {
  std::shared_ptr<const rivet::Module> module;
  std::shared_ptr<const rivet::aot::NativeCode> native;  // null: interpreted
  std::string explanation;
};
struct rivet_error {
  std::string message;
};
struct rivet_trap {
  rivet::Trap trap;
};

namespace {

using rivet::ExternKind;
using rivet::Slot;
using rivet::ValType;

rivet::FuncInstance* Core(rivet_func* f) { return reinterpret_cast<rivet::FuncInstance*>(f); }
const rivet::FuncInstance* Core(const rivet_func* f) {
  return reinterpret_cast<const rivet::FuncInstance*>(f);
}
rivet::Memory* Core(rivet_memory* m) { return reinterpret_cast<rivet::Memory*>(m); }
const rivet::Memory* Core(const rivet_memory* m) {
  return reinterpret_cast<const rivet::Memory*>(m);
}
rivet::Table* Core(rivet_table* t) { return reinterpret_cast<rivet::Table*>(t); }
const rivet::Table* Core(const rivet_table* t) { return reinterpret_cast<const rivet::Table*>(t); }
rivet::Global* Core(rivet_global* g) { return reinterpret_cast<rivet::Global*>(g); }
const rivet::Global* Core(const rivet_global* g) {
  return reinterpret_cast<const rivet::Global*>(g);
}
const rivet::Instance* Core(const rivet_instance* i) {
  return reinterpret_cast<const rivet::Instance*>(i);
}

ValType ToValType(rivet_valkind kind) {
  switch (kind) {
    case RIVET_I32: return ValType::kI32;
    case RIVET_I64: return ValType::kI64;
    case RIVET_F32: return ValType::kF32;
    case RIVET_F64: return ValType::kF64;
    case RIVET_V128: return ValType::kV128;
    case RIVET_FUNCREF: return ValType::kFuncRef;
    case RIVET_EXTERNREF: return ValType::kExternRef;
  }
  return ValType::kI32;
}

rivet_valkind ToKind(ValType type) {
  switch (type) {
    case ValType::kI32: return RIVET_I32;
    case ValType::kI64: return RIVET_I64;
    case ValType::kF32: return RIVET_F32;
    case ValType::kF64: return RIVET_F64;
    case ValType::kV128: return RIVET_V128;
    case ValType::kFuncRef: return RIVET_FUNCREF;
    case ValType::kExternRef: return RIVET_EXTERNREF;
  }
  return RIVET_I32;
}

rivet_externkind ToKind(ExternKind kind) { return static_cast<rivet_externkind>(kind); }

// A C caller may pass any int where an enumeration is expected; reading
// such a value as the enum type is undefined in C++, so it is read as bytes.
template <typename Enum>
int RawValue(const Enum& value) {
  int raw = 0;
  static_assert(sizeof(Enum) == sizeof(int));
  std::memcpy(&raw, &value, sizeof(int));
  return raw;
}
bool IsValidKind(const rivet_valkind& kind) {
  int raw = RawValue(kind);
  return raw >= RIVET_I32 && raw <= RIVET_EXTERNREF;
}

// Values <-> slots (see runtime/store.h for the slot layout).
void AppendSlots(const rivet_val& v, std::vector<Slot>& out) {
  switch (v.kind) {
    case RIVET_I32: out.push_back(static_cast<uint32_t>(v.of.i32)); return;
    case RIVET_I64: out.push_back(static_cast<uint64_t>(v.of.i64)); return;
    case RIVET_F32: {
      uint32_t bits;
      std::memcpy(&bits, &v.of.f32, 4);
      out.push_back(bits);
      return;
    }
    case RIVET_F64: {
      uint64_t bits;
      std::memcpy(&bits, &v.of.f64, 8);
      out.push_back(bits);
      return;
    }
    case RIVET_V128: {
      Slot halves[2];
      std::memcpy(halves, v.of.v128, 16);
      out.push_back(halves[0]);
      out.push_back(halves[1]);
      return;
    }
    case RIVET_FUNCREF:
    case RIVET_EXTERNREF:
      out.push_back(reinterpret_cast<uintptr_t>(v.of.ref));
      return;
  }
}

rivet_val FromSlots(ValType type, const Slot* slots) {
  rivet_val v;
  std::memset(&v, 0, sizeof(v));
  v.kind = ToKind(type);
  switch (type) {
    case ValType::kI32: v.of.i32 = static_cast<int32_t>(slots[0]); break;
    case ValType::kI64: v.of.i64 = static_cast<int64_t>(slots[0]); break;
    case ValType::kF32: {
      uint32_t bits = static_cast<uint32_t>(slots[0]);
      std::memcpy(&v.of.f32, &bits, 4);
      break;
    }
    case ValType::kF64: std::memcpy(&v.of.f64, &slots[0], 8); break;
    case ValType::kV128: std::memcpy(v.of.v128, slots, 16); break;
    case ValType::kFuncRef:
    case ValType::kExternRef:
      v.of.ref = reinterpret_cast<void*>(static_cast<uintptr_t>(slots[0]));
      break;
  }
  return v;
}

rivet_trap* NewTrap(rivet::Trap trap) { return new rivet_trap{std::move(trap)}; }
rivet_trap* MisuseTrap(std::string message) {
  return NewTrap(rivet::Trap{rivet::TrapKind::kHostError, std::move(message), {}});
}

std::optional<rivet::Limits> MakeLimits(uint64_t min, int64_t max, bool shared) {
  rivet::Limits limits;
  limits.min = min;
  if (max >= 0) limits.max = static_cast<uint64_t>(max);
  limits.shared = shared;
  if (limits.max && *limits.max < limits.min) return std::nullopt;
  return limits;
}

// The C enumerations mirror the core's, value for value.
static_assert(RIVET_TRAP_UNREACHABLE == int(rivet::TrapKind::kUnreachable));
static_assert(RIVET_TRAP_CALL_STACK_EXHAUSTED == int(rivet::TrapKind::kCallStackExhausted));
static_assert(RIVET_TRAP_HOST == int(rivet::TrapKind::kHostError));
static_assert(RIVET_TRAP_OUT_OF_FUEL == int(rivet::TrapKind::kOutOfFuel));
static_assert(RIVET_EXTERN_GLOBAL == int(ExternKind::kGlobal));

}  // namespace

extern "C" {

const char* rivet_error_message(const rivet_error* error) { return error->message.c_str(); }
void rivet_error_delete(rivet_error* error) { delete error; }

rivet_trapkind rivet_trap_kind(const rivet_trap* trap) {
  return static_cast<rivet_trapkind>(trap->trap.kind);
}
const char* rivet_trap_message(const rivet_trap* trap) { return trap->trap.message.c_str(); }
size_t rivet_trap_backtrace_size(const rivet_trap* trap) { return trap->trap.backtrace.size(); }
const char* rivet_trap_backtrace_frame(const rivet_trap* trap, size_t index) {
  return index < trap->trap.backtrace.size() ? trap->trap.backtrace[index].c_str() : nullptr;
}
rivet_trap* rivet_trap_new(const char* message) {
  return NewTrap(rivet::Trap{rivet::TrapKind::kHostError, message ? message : "", {}});
}
void rivet_trap_delete(rivet_trap* trap) { delete trap; }

rivet_store* rivet_store_new(void) { return new rivet_store; }
void rivet_store_delete(rivet_store* store) { delete store; }
void rivet_store_set_max_memory_pages(rivet_store* store, uint64_t pages) {
  store->store.limits.max_memory_pages = pages;
}
void rivet_store_set_max_call_depth(rivet_store* store, uint32_t depth) {
  store->store.limits.max_call_depth = depth;
}
void rivet_store_set_fuel(rivet_store* store, int64_t fuel) { store->store.limits.fuel = fuel; }
int64_t rivet_store_fuel(const rivet_store* store) { return store->store.limits.fuel; }
void rivet_store_set_interruptible(rivet_store* store, bool interruptible) {
  store->store.limits.interruptible = interruptible;
}
void rivet_store_interrupt(rivet_store* store) {
  store->store.interrupt.store(true, std::memory_order_relaxed);
}

rivet_error* rivet_module_new(const uint8_t* bytes, size_t size, rivet_module** out) {
  return rivet_module_new_with_options(bytes, size, nullptr, out);
}

rivet_error* rivet_module_new_with_options(const uint8_t* bytes, size_t size,
                                           const rivet_load_options* options,
                                           rivet_module** out) {
  *out = nullptr;
  if (!bytes && size) return new rivet_error{"no bytes given for a module of " +
                                             std::to_string(size) + " bytes"};
  rivet::LoadOptions load;
  if (options) {
    switch (options->engine) {
      case RIVET_ENGINE_AUTO: load.engine = rivet::EngineChoice::kAuto; break;
      case RIVET_ENGINE_AOT: load.engine = rivet::EngineChoice::kAot; break;
      case RIVET_ENGINE_INTERP: load.engine = rivet::EngineChoice::kInterp; break;
      default:
        return new rivet_error{"unknown engine " + std::to_string(RawValue(options->engine)) +
                               " in rivet_load_options"};
    }
    if (options->host_profile) {
      auto profile = rivet::ParseHostProfile(options->host_profile);
      if (!profile.ok()) return new rivet_error{profile.error().message};
      load.host = std::move(*profile);
    }
  }
  auto loaded = rivet::LoadModule(std::vector<uint8_t>(bytes, bytes + size), load);
  if (!loaded.ok()) return new rivet_error{loaded.error().message};
  *out = new rivet_module{std::move(loaded->module), std::move(loaded->native),
                          loaded->Explain()};
  return nullptr;
}

rivet_engine rivet_module_engine(const rivet_module* module) {
  return module->native ? RIVET_ENGINE_AOT : RIVET_ENGINE_INTERP;
}

const char* rivet_module_explain(const rivet_module* module) {
  return module->explanation.c_str();
}
void rivet_module_delete(rivet_module* module) { delete module; }
size_t rivet_module_import_count(const rivet_module* module) {
  return module->module->imports.size();
}
bool rivet_module_import(const rivet_module* module, size_t index, const char** module_name,
                         const char** name, rivet_externkind* kind) {
  const auto& imports = module->module->imports;
  bool found = index < imports.size();
  if (module_name) *module_name = found ? imports[index].module.c_str() : nullptr;
  if (name) *name = found ? imports[index].name.c_str() : nullptr;
  if (kind && found) *kind = ToKind(imports[index].kind);
  return found;
}
size_t rivet_module_export_count(const rivet_module* module) {
  return module->module->exports.size();
}
bool rivet_module_export(const rivet_module* module, size_t index, const char** name,
                         rivet_externkind* kind) {
  const auto& exports = module->module->exports;
  bool found = index < exports.size();
  if (name) *name = found ? exports[index].name.c_str() : nullptr;
  if (kind && found) *kind = ToKind(exports[index].kind);
  return found;
}

rivet_func* rivet_func_new(rivet_store* store, const rivet_valkind* params, size_t num_params,
                           const rivet_valkind* results, size_t num_results,
                           rivet_host_callback callback, void* env, void (*finalizer)(void*)) {
  if (!callback) return nullptr;
  std::vector<ValType> param_types, result_types;
  for (size_t i = 0; i < num_params; ++i) {
    if (!IsValidKind(params[i])) return nullptr;
    param_types.push_back(ToValType(params[i]));
  }
  for (size_t i = 0; i < num_results; ++i) {
    if (!IsValidKind(results[i])) return nullptr;
    result_types.push_back(ToValType(results[i]));
  }
  rivet::FuncType type(param_types, result_types);
  auto host = [callback, env, param_types, result_types](
                  std::span<const Slot> args, std::span<Slot> out) -> std::optional<rivet::Trap> {
    std::vector<rivet_val> arg_values;
    size_t slot = 0;
    for (ValType t : param_types) {
      arg_values.push_back(FromSlots(t, args.data() + slot));
      slot += rivet::SlotCount(t);
    }
    std::vector<rivet_val> result_values(result_types.size());
    for (size_t i = 0; i < result_types.size(); ++i) {
      std::memset(&result_values[i], 0, sizeof(rivet_val));
      result_values[i].kind = ToKind(result_types[i]);
    }
    rivet_trap* trap = callback(env, arg_values.data(), arg_values.size(),
                                result_values.data(), result_values.size());
    if (trap) {
      rivet::Trap t = std::move(trap->trap);
      delete trap;
      return t;
    }
    std::vector<Slot> slots;
    for (size_t i = 0; i < result_types.size(); ++i) {
      if (RawValue(result_values[i].kind) != ToKind(result_types[i])) {
        return rivet::Trap{rivet::TrapKind::kHostError,
                           "host function result " + std::to_string(i) + " has the wrong kind",
                           {}};
      }
      AppendSlots(result_values[i], slots);
    }
    std::copy(slots.begin(), slots.end(), out.begin());
    return std::nullopt;
  };
  if (finalizer) store->finalizers.emplace_back(finalizer, env);
  return reinterpret_cast<rivet_func*>(store->store.NewHostFunction(std::move(type), host));
}

size_t rivet_func_param_count(const rivet_func* func) { return Core(func)->type.params().size(); }
size_t rivet_func_result_count(const rivet_func* func) {
  return Core(func)->type.results().size();
}
rivet_valkind rivet_func_param(const rivet_func* func, size_t index) {
  std::span<const ValType> params = Core(func)->type.params();
  return index < params.size() ? ToKind(params[index]) : RIVET_I32;
}
rivet_valkind rivet_func_result(const rivet_func* func, size_t index) {
  std::span<const ValType> results = Core(func)->type.results();
  return index < results.size() ? ToKind(results[index]) : RIVET_I32;
}

rivet_trap* rivet_func_call(rivet_store* store, rivet_func* func, const rivet_val* args,
                            size_t num_args, rivet_val* results, size_t num_results) {
  rivet::FuncInstance* f = Core(func);
  std::span<const ValType> params = f->type.params();
  std::span<const ValType> result_types = f->type.results();
  if (num_args != params.size() || num_results != result_types.size()) {
    return MisuseTrap("function of type " + f->type.ToString() + " called with " +
                      std::to_string(num_args) + " arguments and room for " +
                      std::to_string(num_results) + " results");
  }
  std::vector<Slot> slots;
  for (size_t i = 0; i < num_args; ++i) {
    if (RawValue(args[i].kind) != ToKind(params[i])) {
      return MisuseTrap("argument " + std::to_string(i) + " should be " +
                        std::string(rivet::ValTypeName(params[i])));
    }
    AppendSlots(args[i], slots);
  }
  auto outcome = rivet::Invoke(store->store, f, slots);
  if (auto* trap = std::get_if<rivet::Trap>(&outcome)) return NewTrap(std::move(*trap));
  const std::vector<Slot>& out = std::get<std::vector<Slot>>(outcome);
  size_t slot = 0;
  for (size_t i = 0; i < num_results; ++i) {
    results[i] = FromSlots(result_types[i], out.data() + slot);
    slot += rivet::SlotCount(result_types[i]);
  }
  return nullptr;
}

rivet_error* rivet_instance_new(rivet_store* store, const rivet_module* module,
                                const rivet_extern* imports, size_t num_imports,
                                rivet_instance** out, rivet_trap** trap) {
  *out = nullptr;
  if (trap) *trap = nullptr;
  std::vector<rivet::Extern> externs(num_imports);
  for (size_t i = 0; i < num_imports; ++i) {
    int kind = RawValue(imports[i].kind);
    if (kind < RIVET_EXTERN_FUNC || kind > RIVET_EXTERN_GLOBAL) {
      return new rivet_error{"import " + std::to_string(i) + " has an unknown kind"};
    }
    externs[i].kind = static_cast<ExternKind>(kind);
    switch (imports[i].kind) {
      case RIVET_EXTERN_FUNC: externs[i].func = Core(imports[i].of.func); break;
      case RIVET_EXTERN_TABLE: externs[i].table = Core(imports[i].of.table); break;
      case RIVET_EXTERN_MEMORY: externs[i].memory = Core(imports[i].of.memory); break;
      case RIVET_EXTERN_GLOBAL: externs[i].global = Core(imports[i].of.global); break;
      default: return new rivet_error{"import " + std::to_string(i) + " has an unknown kind"};
    }
  }
  // Compiled code neither counts fuel nor checks interrupts: a store that
  // asks for either interprets.
  rivet::InstantiateOptions options;
  const rivet::ExecutionLimits& limits = store->store.limits;
  if (limits.fuel < 0 && !limits.interruptible) options.native_code = module->native;
  auto result = rivet::Instantiate(store->store, module->module, externs, options);
  if (auto* error = std::get_if<rivet::InstantiateError>(&result)) {
    if (error->link_error) return new rivet_error{error->trap.message};
    if (trap) *trap = NewTrap(std::move(error->trap));
    return nullptr;
  }
  *out = reinterpret_cast<rivet_instance*>(std::get<rivet::Instance*>(result));
  return nullptr;
}

rivet_error* rivet_instance_new_named(rivet_store* store, const rivet_module* module,
                                      const rivet_named_extern* definitions,
                                      size_t num_definitions, rivet_instance** out,
                                      rivet_trap** trap) {
  *out = nullptr;
  if (trap) *trap = nullptr;
  std::vector<rivet_extern> imports;
  std::string missing;
  for (const rivet::Import& import : module->module->imports) {
    const rivet_named_extern* found = nullptr;
    for (size_t i = 0; i < num_definitions && !found; ++i) {
      const rivet_named_extern& d = definitions[i];
      if (d.module && d.name && import.module == d.module && import.name == d.name) found = &d;
    }
    if (found) {
      imports.push_back(found->item);
    } else {
      missing += (missing.empty() ? "" : ", ") + ("\"" + import.module + "\" \"" + import.name + "\"");
    }
  }
  if (!missing.empty()) return new rivet_error{"unknown imports: " + missing};
  return rivet_instance_new(store, module, imports.data(), imports.size(), out, trap);
}

bool rivet_instance_export(const rivet_instance* instance, const char* name, rivet_extern* out) {
  std::optional<rivet::Extern> ext = Core(instance)->GetExport(name ? name : "");
  if (!ext) return false;
  out->kind = ToKind(ext->kind);
  switch (ext->kind) {
    case ExternKind::kFunc: out->of.func = reinterpret_cast<rivet_func*>(ext->func); break;
    case ExternKind::kTable: out->of.table = reinterpret_cast<rivet_table*>(ext->table); break;
    case ExternKind::kMemory: out->of.memory = reinterpret_cast<rivet_memory*>(ext->memory); break;
    case ExternKind::kGlobal: out->of.global = reinterpret_cast<rivet_global*>(ext->global); break;
  }
  return true;
}

rivet_memory* rivet_memory_new(rivet_store* store, uint32_t min_pages, int64_t max_pages,
                               bool shared) {
  std::optional<rivet::Limits> limits = MakeLimits(min_pages, max_pages, shared);
  if (!limits || min_pages > 65536 || (limits->max && *limits->max > 65536) ||
      (shared && !limits->max) || min_pages > store->store.limits.max_memory_pages) {
    return nullptr;
  }
  rivet::Memory* memory = store->store.NewMemory(rivet::MemoryType{*limits});
  if (memory->allocation_failed()) return nullptr;
  return reinterpret_cast<rivet_memory*>(memory);
}
uint64_t rivet_memory_size(const rivet_memory* memory) { return Core(memory)->size(); }
uint8_t* rivet_memory_data(rivet_memory* memory) { return Core(memory)->data(); }
bool rivet_memory_read(const rivet_memory* memory, uint64_t offset, void* dst, size_t size) {
  const rivet::Memory* m = Core(memory);
  if (offset > m->size() || size > m->size() - offset) return false;
  if (size) std::memcpy(dst, m->data() + offset, size);
  return true;
}
bool rivet_memory_write(rivet_memory* memory, uint64_t offset, const void* src, size_t size) {
  rivet::Memory* m = Core(memory);
  if (offset > m->size() || size > m->size() - offset) return false;
  if (size) std::memcpy(m->data() + offset, src, size);
  return true;
}
int64_t rivet_memory_grow(rivet_memory* memory, uint32_t delta_pages) {
  return Core(memory)->Grow(delta_pages);
}

rivet_global* rivet_global_new(rivet_store* store, const rivet_val* init, bool is_mutable) {
  if (!init || !IsValidKind(init->kind)) return nullptr;
  rivet::Global* global =
      store->store.NewGlobal(rivet::GlobalType{ToValType(init->kind), is_mutable});
  std::vector<Slot> slots;
  AppendSlots(*init, slots);
  std::copy(slots.begin(), slots.end(), global->value);
  return reinterpret_cast<rivet_global*>(global);
}
void rivet_global_get(const rivet_global* global, rivet_val* out) {
  *out = FromSlots(Core(global)->type.type, Core(global)->value);
}
bool rivet_global_set(rivet_global* global, const rivet_val* value) {
  rivet::Global* g = Core(global);
  if (!g->type.is_mutable || RawValue(value->kind) != ToKind(g->type.type)) return false;
  std::vector<Slot> slots;
  AppendSlots(*value, slots);
  std::copy(slots.begin(), slots.end(), g->value);
  return true;
}

rivet_table* rivet_table_new(rivet_store* store, rivet_valkind elem_kind, uint32_t min,
                             int64_t max) {
  if (RawValue(elem_kind) != RIVET_FUNCREF && RawValue(elem_kind) != RIVET_EXTERNREF) {
    return nullptr;
  }
  std::optional<rivet::Limits> limits = MakeLimits(min, max, false);
  if (!limits || (limits->max && *limits->max > 0xffffffffu) ||
      min > rivet::Table::kMaxElements) {
    return nullptr;
  }
  return reinterpret_cast<rivet_table*>(
      store->store.NewTable(rivet::TableType{ToValType(elem_kind), *limits}));
}
uint32_t rivet_table_size(const rivet_table* table) {
  return static_cast<uint32_t>(Core(table)->elements.size());
}
bool rivet_table_get(const rivet_table* table, uint32_t index, rivet_val* out) {
  const rivet::Table* t = Core(table);
  if (index >= t->elements.size()) return false;
  Slot slot = t->elements[index];
  *out = FromSlots(t->type.elem_type, &slot);
  return true;
}
bool rivet_table_set(rivet_table* table, uint32_t index, const rivet_val* value) {
  rivet::Table* t = Core(table);
  if (index >= t->elements.size() || RawValue(value->kind) != ToKind(t->type.elem_type)) {
    return false;
  }
  t->elements[index] = reinterpret_cast<rivet::Ref>(value->of.ref);
  return true;
}
int64_t rivet_table_grow(rivet_table* table, uint32_t delta, const rivet_val* init) {
  rivet::Table* t = Core(table);
  if (init && RawValue(init->kind) != ToKind(t->type.elem_type)) return -1;
  return t->Grow(delta, init ? reinterpret_cast<rivet::Ref>(init->of.ref) : 0);
}

}  // extern "C"
