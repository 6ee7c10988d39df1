#include "runtime/aot/native_instance.h"

#include <optional>
#include <span>
#include <string>
#include <utility>

#include "runtime/aot/entry.h"

namespace rivet::aot {
namespace {

std::string SymbolName(const char* prefix, uint32_t index) {
  return prefix + std::to_string(index);
}

}  // namespace

Status BindNativeCode(Store& store, Instance& instance, std::shared_ptr<const NativeCode> code) {
  if (!code) return Error{"no native code given to bind the instance to"};
  const Module& module = *instance.module;
  auto native = std::make_shared<NativeInstance>();
  native->code = code;
  for (FuncInstance* func : instance.functions) native->functions.push_back(&func->aot);
  for (size_t i = 0; i < instance.memories.size(); ++i) {
    Memory* memory = instance.memories[i];
    if (code->needs_guard_regions() && !memory->guarded()) {
      return Error{"the native code was compiled for guard pages, but memory " +
                   std::to_string(i) +
                   " has no guard region (it was created without one, as imported and "
                   "host-created memories are, reserving one failed, or this system has "
                   "none); compile with --bounds-checks=explicit"};
    }
    native->memories.push_back(memory->aot_view());
  }
  for (Table* table : instance.tables) native->tables.push_back(&table->aot);
  for (Global* global : instance.globals) native->globals.push_back(global->value);
  for (const FuncType& type : module.types) native->type_ids.push_back(CanonicalTypeId(type));

  AotContext& context = native->context;
  context.instance = &instance;
  context.store = &store.aot;
  context.functions = native->functions.data();
  context.memories = native->memories.data();
  context.tables = native->tables.data();
  context.globals = native->globals.data();
  context.type_ids = native->type_ids.data();

  // Functions the host can reach by name must have an entry wrapper.
  std::vector<bool> needs_entry(module.functions.size(), false);
  for (const Export& exp : module.exports) {
    if (exp.kind == ExternKind::kFunc) needs_entry[exp.index] = true;
  }
  if (module.start) needs_entry[*module.start] = true;

  for (uint32_t i = module.num_imported_functions; i < module.functions.size(); ++i) {
    FuncInstance* func = instance.functions[i];
    func->aot.code = code->Symbol(SymbolName(kFuncSymbolPrefix, i));
    func->aot.context = func->aot.code ? &context : nullptr;
    std::string entry_name = SymbolName(kEntrySymbolPrefix, i);
    auto entry = reinterpret_cast<EntryFunction>(code->Symbol(entry_name));
    if (!entry) {
      if (needs_entry[i]) {
        return Error{"the native code has no " + entry_name + " for " +
                     std::string(module.start && *module.start == i ? "start" : "exported") +
                     " function " + module.FunctionName(i)};
      }
      func->host = [func, entry_name](std::span<const Slot>, std::span<Slot>) {
        return std::optional<Trap>(Trap{TrapKind::kHostError,
                                        "function " + func->instance->module->FunctionName(
                                                          func->index) +
                                            " cannot be called from the host: its native code "
                                            "has no " + entry_name,
                                        {}});
      };
      continue;
    }
    // The store, function and context outlive every call: the store owns
    // the function and the instance, which owns the context.
    AotContext* context_ptr = &context;
    Store* store_ptr = &store;
    func->host = [store_ptr, func, entry, context_ptr](std::span<const Slot> args,
                                                        std::span<Slot> results) {
      return CallNative(*store_ptr, *func, entry, context_ptr, args, results);
    };
  }
  instance.aot_context = &context;
  instance.engine_code = std::move(native);
  return {};
}

}  // namespace rivet::aot
