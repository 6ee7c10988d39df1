// libFuzzer target: instantiation and execution of fuzzed modules in the
// interpreter, within limits that keep any module finite.
//
// Inputs that decode are instantiated with every import satisfied by a
// stand-in (functions return zeros; tables, memories and globals of the
// imported type), then every exported function is called with zero
// arguments. The store's limits make every run finite and small:
//   - fuel: every function entry and loop iteration costs one unit, so no
//     loop or recursion runs forever;
//   - memory pages and call depth: no module takes much of the host.
// The threads proposal is off: memory.atomic.wait on a shared memory blocks
// until another thread notifies, which in a one-threaded run is forever by
// design, not a bug.
//
// AOT code is not fuzzed here: compiling each input with LLVM costs tens of
// milliseconds, a hundred times the interpreter's cost per input, so the
// differential tests (tests/differential) cover that engine instead.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "loader/features.h"
#include "loader/module.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"

namespace {

constexpr int64_t kFuelPerCall = 20000;
constexpr uint64_t kMaxMemoryPages = 16;  // 1 MiB per memory
constexpr uint32_t kMaxCallDepth = 2000;
constexpr size_t kValueStackSlots = 1 << 16;

rivet::Features ExecutionFeatures() {
  rivet::Features features = rivet::Features::All();
  features.threads = false;
  return features;
}

// A stand-in for each import, of the type the module asks for.
std::optional<std::vector<rivet::Extern>> StandInImports(rivet::Store& store,
                                                         const rivet::Module& module) {
  std::vector<rivet::Extern> imports;
  for (const rivet::Import& import : module.imports) {
    rivet::Extern ext;
    ext.kind = import.kind;
    switch (import.kind) {
      case rivet::ExternKind::kFunc: {
        const rivet::FuncType& type = module.FunctionType(import.index);
        ext.func = store.NewHostFunction(
            type, [](std::span<const rivet::Slot>, std::span<rivet::Slot> results)
                      -> std::optional<rivet::Trap> {
              for (rivet::Slot& slot : results) slot = 0;
              return std::nullopt;
            });
        break;
      }
      case rivet::ExternKind::kTable: {
        const rivet::TableType& type = module.tables[import.index];
        // Same bound as instantiation applies to the module's own tables.
        if (type.limits.min > rivet::Table::kMaxElements) return std::nullopt;
        ext.table = store.NewTable(type);
        break;
      }
      case rivet::ExternKind::kMemory: {
        const rivet::MemoryType& type = module.memories[import.index];
        if (type.limits.min > kMaxMemoryPages) return std::nullopt;
        ext.memory = store.NewMemory(type);
        if (ext.memory->allocation_failed()) return std::nullopt;
        break;
      }
      case rivet::ExternKind::kGlobal:
        ext.global = store.NewGlobal(module.globals[import.index]);
        break;
    }
    imports.push_back(ext);
  }
  return imports;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto decoded = rivet::DecodeModule(std::vector<uint8_t>(data, data + size), ExecutionFeatures());
  if (!decoded.ok()) return 0;
  std::shared_ptr<const rivet::Module> module = *decoded;

  rivet::Store store;
  store.limits.fuel = kFuelPerCall;  // also bounds the start function
  store.limits.max_memory_pages = kMaxMemoryPages;
  store.limits.max_call_depth = kMaxCallDepth;
  store.limits.value_stack_slots = kValueStackSlots;

  std::optional<std::vector<rivet::Extern>> imports = StandInImports(store, *module);
  if (!imports) return 0;
  auto instantiated = rivet::Instantiate(store, module, *imports);
  if (std::holds_alternative<rivet::InstantiateError>(instantiated)) return 0;
  rivet::Instance* instance = std::get<rivet::Instance*>(instantiated);

  for (const auto& [name, ext] : instance->exports) {
    if (ext.kind != rivet::ExternKind::kFunc) continue;
    store.limits.fuel = kFuelPerCall;
    std::vector<rivet::Slot> args(ext.func->param_slots, 0);
    auto outcome = rivet::Invoke(store, ext.func, args);
    if (const auto* results = std::get_if<std::vector<rivet::Slot>>(&outcome)) {
      if (results->size() != ext.func->result_slots) {
        std::fprintf(stderr, "execute_fuzzer: %s returned %zu slots, expected %u\n",
                     name.c_str(), results->size(), ext.func->result_slots);
        std::abort();
      }
    }
  }
  return 0;
}
