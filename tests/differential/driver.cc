// Runs every exported function without parameters of a module in rivet's
// interpreter and prints the results in the format of wabt's
// `wasm-interp --run-all-exports` ("name() => i32:5", "name() => error: ..."),
// so that the two can be compared line by line (see tests/differential/run).
//
// Imports are satisfied with dummies, as `wasm-interp --dummy-import-func`
// does: functions that return zeros, and fresh memories, tables and globals
// of the declared types.
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <vector>

#include "loader/module.h"
#include "runtime/instantiate.h"

namespace {

using namespace rivet;

void PrintValue(ValType type, const Slot* slots) {
  switch (type) {
    case ValType::kI32: std::printf("i32:%" PRIu32, static_cast<uint32_t>(slots[0])); return;
    case ValType::kI64: std::printf("i64:%" PRIu64, slots[0]); return;
    case ValType::kF32: {
      uint32_t bits = static_cast<uint32_t>(slots[0]);
      float v;
      std::memcpy(&v, &bits, 4);
      std::printf("f32:%f", v);
      return;
    }
    case ValType::kF64: {
      double v;
      std::memcpy(&v, slots, 8);
      std::printf("f64:%f", v);
      return;
    }
    case ValType::kV128:
      std::printf("v128 i32x4:0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32,
                  static_cast<uint32_t>(slots[0]), static_cast<uint32_t>(slots[0] >> 32),
                  static_cast<uint32_t>(slots[1]), static_cast<uint32_t>(slots[1] >> 32));
      return;
    case ValType::kFuncRef:
    case ValType::kExternRef:
      std::printf("%s:%s", ValTypeName(type).data(), slots[0] ? "ref" : "null");
      return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: driver FILE.wasm\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  auto module = DecodeModule(std::move(bytes));
  if (!module.ok()) {
    std::printf("error: %s\n", module.error().message.c_str());
    return 1;
  }
  const Module& m = **module;
  Store store;
  std::vector<Extern> imports;
  for (const Import& import : m.imports) {
    Extern ext;
    ext.kind = import.kind;
    switch (import.kind) {
      case ExternKind::kFunc:
        ext.func = store.NewHostFunction(
            m.FunctionType(import.index), [](std::span<const Slot>, std::span<Slot> results) {
              for (Slot& r : results) r = 0;
              return std::optional<Trap>();
            });
        break;
      case ExternKind::kMemory: ext.memory = store.NewMemory(m.memories[import.index]); break;
      case ExternKind::kTable: ext.table = store.NewTable(m.tables[import.index]); break;
      case ExternKind::kGlobal: ext.global = store.NewGlobal(m.globals[import.index]); break;
    }
    imports.push_back(ext);
  }
  auto instantiated = Instantiate(store, *module, imports);
  if (auto* error = std::get_if<InstantiateError>(&instantiated)) {
    std::printf("error: %s\n", error->trap.message.c_str());
    return 1;
  }
  Instance* instance = std::get<Instance*>(instantiated);
  for (const Export& exp : m.exports) {
    if (exp.kind != ExternKind::kFunc) continue;
    FuncInstance* func = instance->functions[exp.index];
    if (!func->type.params().empty()) continue;
    auto outcome = Invoke(store, func, {});
    std::printf("%s() =>", exp.name.c_str());
    if (Trap* trap = std::get_if<Trap>(&outcome)) {
      std::printf(" error: %s\n", trap->message.c_str());
      continue;
    }
    const std::vector<Slot>& slots = std::get<std::vector<Slot>>(outcome);
    size_t slot = 0;
    const char* separator = " ";
    for (ValType type : func->type.results()) {
      std::printf("%s", separator);
      separator = ", ";
      PrintValue(type, slots.data() + slot);
      slot += SlotCount(type);
    }
    std::printf("\n");
  }
  return 0;
}
