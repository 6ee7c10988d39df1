// rivet run [--engine=auto|interp] [--invoke=NAME] FILE.wasm ARGS...: runs a
// module's exported function with arguments from the command line and
// prints its results, one per line.
#include <iostream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/file_util.h"
#include "cli/value_text.h"
#include "loader/module.h"
#include "runtime/instantiate.h"

namespace rivet::cli {
namespace {

constexpr char kUsage[] =
    "usage: rivet run [--engine=auto|interp] [--invoke=NAME] FILE.wasm ARGS...\n"
    "\n"
    "Instantiates FILE.wasm and calls its exported function NAME (default\n"
    "_start) with ARGS, one per parameter: integers in decimal or 0x hex,\n"
    "floats in decimal, nan, inf or -inf. Prints each result on its own line.\n"
    "A trap prints its message and exits with status 3.\n"
    "\n"
    "  --engine=auto|interp  how to run the code (only the interpreter exists yet)\n"
    "  --invoke=NAME         the exported function to call\n";

constexpr int kExitTrap = 3;

}  // namespace

int RunCommand(std::span<const std::string> args) {
  std::string invoke = "_start";
  std::string engine = "auto";
  size_t i = 0;
  for (; i < args.size() && args[i].size() > 1 && args[i][0] == '-'; ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return kExitSuccess;
    } else if (arg.rfind("--invoke=", 0) == 0) {
      invoke = arg.substr(9);
    } else if (arg.rfind("--engine=", 0) == 0) {
      engine = arg.substr(9);
    } else if (arg == "--") {
      ++i;
      break;
    } else {
      std::cerr << "rivet run: unknown option " << arg << "\n" << kUsage;
      return kExitUsage;
    }
  }
  if (engine != "auto" && engine != "interp") {
    std::cerr << "rivet run: " << (engine == "aot" ? "the aot engine is not available yet"
                                                    : "unknown engine \"" + engine + "\"")
              << " (expected auto or interp)\n";
    return kExitUsage;
  }
  if (i >= args.size()) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string& path = args[i++];
  std::span<const std::string> call_args = args.subspan(i);

  Result<std::vector<uint8_t>> bytes = ReadFile(path);
  if (!bytes.ok()) {
    std::cerr << "rivet run: " << bytes.error().message << "\n";
    return kExitUsage;
  }
  Result<std::shared_ptr<const Module>> decoded = DecodeModule(std::move(*bytes));
  if (!decoded.ok()) {
    std::cerr << path << ": error: " << decoded.error().message << "\n";
    return kExitFailure;
  }
  std::shared_ptr<const Module> module = *decoded;
  if (!module->imports.empty()) {
    // No host module (WASI or otherwise) is provided yet: say which imports
    // cannot be satisfied, all of them.
    std::cerr << path << ": error: cannot satisfy the module's imports:";
    for (const Import& import : module->imports) {
      std::cerr << " \"" << import.module << "\" \"" << import.name << "\"";
    }
    std::cerr << "\n";
    return kExitFailure;
  }

  Store store;
  auto instantiated = Instantiate(store, module, {});
  if (auto* error = std::get_if<InstantiateError>(&instantiated)) {
    std::cerr << path << ": " << (error->link_error ? "error: " : "trap: ")
              << error->trap.message << "\n";
    return error->link_error ? kExitFailure : kExitTrap;
  }
  Instance* instance = std::get<Instance*>(instantiated);
  std::optional<Extern> exported = instance->GetExport(invoke);
  if (!exported || exported->kind != ExternKind::kFunc) {
    std::cerr << path << ": error: no exported function \"" << invoke << "\"\n";
    return kExitFailure;
  }
  FuncInstance* func = exported->func;
  std::span<const ValType> params = func->type.params();
  if (call_args.size() != params.size()) {
    std::cerr << "rivet run: " << invoke << " takes " << params.size() << " argument"
              << (params.size() == 1 ? "" : "s") << " " << func->type.ToString() << ", got "
              << call_args.size() << "\n";
    return kExitUsage;
  }
  std::vector<Slot> slots;
  for (size_t k = 0; k < params.size(); ++k) {
    Status parsed = ParseValue(call_args[k], params[k], slots);
    if (!parsed.ok()) {
      std::cerr << "rivet run: argument " << k + 1 << ": " << parsed.error().message << "\n";
      return kExitUsage;
    }
  }
  auto outcome = Invoke(store, func, slots);
  if (Trap* trap = std::get_if<Trap>(&outcome)) {
    std::cerr << path << ": trap in " << invoke << ": " << trap->message << "\n";
    return kExitTrap;
  }
  const std::vector<Slot>& results = std::get<std::vector<Slot>>(outcome);
  size_t slot = 0;
  for (ValType type : func->type.results()) {
    std::cout << FormatValue(type, results.data() + slot) << "\n";
    slot += SlotCount(type);
  }
  return kExitSuccess;
}

}  // namespace rivet::cli
