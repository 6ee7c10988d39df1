// rivet: the C++ embedding API, a thin layer over the C API (rivet.h).
//
// RAII owners for stores, modules, errors and traps; value types for the
// store-owned handles; host functions from any C++ callable. No exceptions:
// fallible calls return rivet::api::Expected<T>, holding a T or an Error.
#ifndef RIVET_HH_
#define RIVET_HH_

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "runtime/rivet.h"

namespace rivet::api {

using ValKind = rivet_valkind;
using Value = rivet_val;

inline Value I32(int32_t v) { Value x{}; x.kind = RIVET_I32; x.of.i32 = v; return x; }
inline Value I64(int64_t v) { Value x{}; x.kind = RIVET_I64; x.of.i64 = v; return x; }
inline Value F32(float v) { Value x{}; x.kind = RIVET_F32; x.of.f32 = v; return x; }
inline Value F64(double v) { Value x{}; x.kind = RIVET_F64; x.of.f64 = v; return x; }
inline Value ExternRef(void* p) { Value x{}; x.kind = RIVET_EXTERNREF; x.of.ref = p; return x; }

// Why something could not be created or linked.
struct Error {
  std::string message;

  // Takes ownership of a C error.
  static Error From(rivet_error* error) {
    Error e{rivet_error_message(error)};
    rivet_error_delete(error);
    return e;
  }
};

// Why wasm code stopped.
struct Trap {
  rivet_trapkind kind = RIVET_TRAP_HOST;
  std::string message;
  std::vector<std::string> backtrace;  // innermost first

  // Takes ownership of a C trap.
  static Trap From(rivet_trap* trap) {
    Trap t{rivet_trap_kind(trap), rivet_trap_message(trap), {}};
    for (size_t i = 0; i < rivet_trap_backtrace_size(trap); ++i) {
      t.backtrace.emplace_back(rivet_trap_backtrace_frame(trap, i));
    }
    rivet_trap_delete(trap);
    return t;
  }
};

template <typename T>
class Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}
  Expected(Error error) : state_(std::move(error)) {}
  explicit operator bool() const { return state_.index() == 0; }
  T& operator*() { return std::get<0>(state_); }
  T* operator->() { return &std::get<0>(state_); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

// A call's results, or the trap that ended it.
using CallResult = std::variant<std::vector<Value>, Trap>;

class Module {
 public:
  // Decodes, validates and decides how the module runs (rivet_load_options
  // in rivet.h: AOT code for this machine when it fits, else the interpreter).
  static Expected<Module> Load(std::span<const uint8_t> bytes,
                               const rivet_load_options* options = nullptr) {
    rivet_module* module = nullptr;
    if (rivet_error* error =
            rivet_module_new_with_options(bytes.data(), bytes.size(), options, &module)) {
      return Error::From(error);
    }
    return Module(module);
  }

  // RIVET_ENGINE_AOT or RIVET_ENGINE_INTERP, and why ("engine: ..." then the
  // reasons, one per line).
  rivet_engine engine() const { return rivet_module_engine(get()); }
  std::string_view Explain() const { return rivet_module_explain(get()); }

  struct ImportDesc {
    std::string_view module;
    std::string_view name;
    rivet_externkind kind;
  };
  std::vector<ImportDesc> Imports() const {
    std::vector<ImportDesc> out;
    for (size_t i = 0; i < rivet_module_import_count(get()); ++i) {
      const char *module, *name;
      rivet_externkind kind;
      rivet_module_import(get(), i, &module, &name, &kind);
      out.push_back({module, name, kind});
    }
    return out;
  }
  struct ExportDesc {
    std::string_view name;
    rivet_externkind kind;
  };
  std::vector<ExportDesc> Exports() const {
    std::vector<ExportDesc> out;
    for (size_t i = 0; i < rivet_module_export_count(get()); ++i) {
      const char* name;
      rivet_externkind kind;
      rivet_module_export(get(), i, &name, &kind);
      out.push_back({name, kind});
    }
    return out;
  }
  const rivet_module* get() const { return module_.get(); }

 private:
  struct Deleter {
    void operator()(rivet_module* m) const { rivet_module_delete(m); }
  };
  explicit Module(rivet_module* module) : module_(module) {}
  std::unique_ptr<rivet_module, Deleter> module_;
};

class Store;

// A function in a store: call it, or hand it to an instance as an import.
class Func {
 public:
  explicit Func(rivet_func* func) : func_(func) {}
  rivet_func* get() const { return func_; }
  CallResult Call(Store& store, std::span<const Value> args) const;

 private:
  rivet_func* func_;
};

class Memory {
 public:
  explicit Memory(rivet_memory* memory) : memory_(memory) {}
  uint64_t size() const { return rivet_memory_size(memory_); }
  bool Read(uint64_t offset, std::span<uint8_t> out) const {
    return rivet_memory_read(memory_, offset, out.data(), out.size());
  }
  bool Write(uint64_t offset, std::span<const uint8_t> bytes) {
    return rivet_memory_write(memory_, offset, bytes.data(), bytes.size());
  }
  // nullopt when the range is outside the memory (checked before
  // allocating, since the size often comes from the guest).
  std::optional<std::string> ReadString(uint64_t offset, size_t size) const {
    uint64_t limit = rivet_memory_size(memory_);
    if (offset > limit || size > limit - offset) return std::nullopt;
    std::string s(size, '\0');
    if (!rivet_memory_read(memory_, offset, s.data(), size)) return std::nullopt;
    return s;
  }
  int64_t Grow(uint32_t pages) { return rivet_memory_grow(memory_, pages); }
  rivet_memory* get() const { return memory_; }

 private:
  rivet_memory* memory_;
};

class Global {
 public:
  explicit Global(rivet_global* global) : global_(global) {}
  Value Get() const {
    Value v;
    rivet_global_get(global_, &v);
    return v;
  }
  bool Set(const Value& v) { return rivet_global_set(global_, &v); }
  rivet_global* get() const { return global_; }

 private:
  rivet_global* global_;
};

class Table {
 public:
  explicit Table(rivet_table* table) : table_(table) {}
  uint32_t size() const { return rivet_table_size(table_); }
  std::optional<Value> Get(uint32_t i) const {
    Value v;
    if (!rivet_table_get(table_, i, &v)) return std::nullopt;
    return v;
  }
  bool Set(uint32_t i, const Value& v) { return rivet_table_set(table_, i, &v); }
  rivet_table* get() const { return table_; }

 private:
  rivet_table* table_;
};

class Extern {
 public:
  Extern(Func f) { ext_.kind = RIVET_EXTERN_FUNC; ext_.of.func = f.get(); }
  Extern(Memory m) { ext_.kind = RIVET_EXTERN_MEMORY; ext_.of.memory = m.get(); }
  Extern(Global g) { ext_.kind = RIVET_EXTERN_GLOBAL; ext_.of.global = g.get(); }
  Extern(Table t) { ext_.kind = RIVET_EXTERN_TABLE; ext_.of.table = t.get(); }
  explicit Extern(rivet_extern e) : ext_(e) {}
  rivet_externkind kind() const { return ext_.kind; }
  const rivet_extern& raw() const { return ext_; }

 private:
  rivet_extern ext_{};
};

class Instance {
 public:
  explicit Instance(rivet_instance* instance) : instance_(instance) {}
  std::optional<Func> GetFunc(const char* name) const {
    rivet_extern e;
    if (!rivet_instance_export(instance_, name, &e) || e.kind != RIVET_EXTERN_FUNC) return {};
    return Func(e.of.func);
  }
  std::optional<Memory> GetMemory(const char* name) const {
    rivet_extern e;
    if (!rivet_instance_export(instance_, name, &e) || e.kind != RIVET_EXTERN_MEMORY) return {};
    return Memory(e.of.memory);
  }
  std::optional<Global> GetGlobal(const char* name) const {
    rivet_extern e;
    if (!rivet_instance_export(instance_, name, &e) || e.kind != RIVET_EXTERN_GLOBAL) return {};
    return Global(e.of.global);
  }
  std::optional<Table> GetTable(const char* name) const {
    rivet_extern e;
    if (!rivet_instance_export(instance_, name, &e) || e.kind != RIVET_EXTERN_TABLE) return {};
    return Table(e.of.table);
  }

 private:
  rivet_instance* instance_;
};

// Owns a rivet_store and everything created in it.
class Store {
 public:
  Store() : store_(rivet_store_new()) {}

  void set_max_memory_pages(uint64_t pages) { rivet_store_set_max_memory_pages(get(), pages); }
  void set_max_call_depth(uint32_t depth) { rivet_store_set_max_call_depth(get(), depth); }
  void set_fuel(int64_t fuel) { rivet_store_set_fuel(get(), fuel); }
  int64_t fuel() const { return rivet_store_fuel(store_.get()); }
  void set_interruptible(bool on) { rivet_store_set_interruptible(get(), on); }
  // May be called from any thread.
  void Interrupt() { rivet_store_interrupt(get()); }

  // A host function from a C++ callable taking the arguments and returning
  // the results, or a Trap. An exception escaping the callable becomes a
  // trap. A refused signature (an unknown kind) gives a Func whose get() is
  // null.
  using HostFn = std::function<std::variant<std::vector<Value>, Trap>(std::span<const Value>)>;
  Func NewFunc(std::span<const ValKind> params, std::span<const ValKind> results, HostFn fn) {
    auto* env = new HostEnv{std::move(fn)};
    rivet_func* func = rivet_func_new(get(), params.data(), params.size(), results.data(),
                                      results.size(), &HostEnv::Callback, env, &HostEnv::Delete);
    if (!func) HostEnv::Delete(env);  // the store took no ownership
    return Func(func);
  }
  std::optional<Memory> NewMemory(uint32_t min_pages, int64_t max_pages = -1,
                                  bool shared = false) {
    rivet_memory* m = rivet_memory_new(get(), min_pages, max_pages, shared);
    if (!m) return std::nullopt;
    return Memory(m);
  }
  std::optional<Global> NewGlobal(const Value& init, bool is_mutable) {
    rivet_global* g = rivet_global_new(get(), &init, is_mutable);
    if (!g) return std::nullopt;
    return Global(g);
  }
  std::optional<Table> NewTable(ValKind elem, uint32_t min, int64_t max = -1) {
    rivet_table* t = rivet_table_new(get(), elem, min, max);
    if (!t) return std::nullopt;
    return Table(t);
  }

  // Instantiates `module`; a trap during initialisation is reported as an
  // Error carrying the trap's message.
  Expected<Instance> Instantiate(const Module& module, std::span<const Extern> imports,
                                 std::optional<Trap>* trap = nullptr) {
    std::vector<rivet_extern> raw;
    for (const Extern& e : imports) raw.push_back(e.raw());
    rivet_instance* instance = nullptr;
    rivet_trap* c_trap = nullptr;
    rivet_error* error =
        rivet_instance_new(get(), module.get(), raw.data(), raw.size(), &instance, &c_trap);
    return Instantiated(error, instance, c_trap, trap);
  }

  // An import definition for InstantiateNamed.
  struct NamedExtern {
    std::string module;
    std::string name;
    Extern item;
  };
  // Instantiates `module`, resolving its imports by module and field name
  // among `definitions`; a missing import is an Error naming all of them.
  Expected<Instance> InstantiateNamed(const Module& module,
                                      std::span<const NamedExtern> definitions,
                                      std::optional<Trap>* trap = nullptr) {
    std::vector<rivet_named_extern> raw;
    for (const NamedExtern& d : definitions) {
      raw.push_back(rivet_named_extern{d.module.c_str(), d.name.c_str(), d.item.raw()});
    }
    rivet_instance* instance = nullptr;
    rivet_trap* c_trap = nullptr;
    rivet_error* error = rivet_instance_new_named(get(), module.get(), raw.data(), raw.size(),
                                                  &instance, &c_trap);
    return Instantiated(error, instance, c_trap, trap);
  }

  rivet_store* get() { return store_.get(); }

 private:
  // The outcome of rivet_instance_new(_named): a link error, a trap during
  // initialisation (reported as an Error, and in *trap), or the instance.
  static Expected<Instance> Instantiated(rivet_error* error, rivet_instance* instance,
                                         rivet_trap* c_trap, std::optional<Trap>* trap) {
    if (error) return Error::From(error);
    if (c_trap) {
      Trap t = Trap::From(c_trap);
      Error e{"trap during instantiation: " + t.message};
      if (trap) *trap = std::move(t);
      return e;
    }
    return Instance(instance);
  }

  struct HostEnv {
    HostFn fn;
    static rivet_trap* Callback(void* env, const rivet_val* args, size_t num_args,
                                rivet_val* results, size_t num_results) {
      // Exceptions must not unwind through the C API and the interpreter.
      std::variant<std::vector<Value>, Trap> outcome;
      try {
        outcome = static_cast<HostEnv*>(env)->fn(std::span<const Value>(args, num_args));
      } catch (const std::exception& e) {
        return rivet_trap_new((std::string("host function threw: ") + e.what()).c_str());
      } catch (...) {
        return rivet_trap_new("host function threw");
      }
      if (auto* trap = std::get_if<Trap>(&outcome)) return rivet_trap_new(trap->message.c_str());
      auto& values = std::get<std::vector<Value>>(outcome);
      if (values.size() != num_results) {
        return rivet_trap_new("host function returned the wrong number of results");
      }
      for (size_t i = 0; i < num_results; ++i) results[i] = values[i];
      return nullptr;
    }
    static void Delete(void* env) { delete static_cast<HostEnv*>(env); }
  };
  struct Deleter {
    void operator()(rivet_store* s) const { rivet_store_delete(s); }
  };
  std::unique_ptr<rivet_store, Deleter> store_;
};

inline CallResult Func::Call(Store& store, std::span<const Value> args) const {
  std::vector<Value> results(rivet_func_result_count(func_));
  if (rivet_trap* trap =
          rivet_func_call(store.get(), func_, args.data(), args.size(), results.data(),
                          results.size())) {
    return Trap::From(trap);
  }
  return results;
}

}  // namespace rivet::api

#endif  // RIVET_HH_
