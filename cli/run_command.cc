// rivet run [--dir HOST[::GUEST]] [--env K=V] [--engine=auto|aot|interp]
//           [--explain] [--invoke=NAME] FILE.wasm ARGS...
// Runs a WASI command (its _start, with ARGS as its argv), or calls one
// exported function with arguments from the command line and prints its
// results, one per line. Either way the module's WASI imports are provided.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/file_util.h"
#include "cli/value_text.h"
#include "loader/module.h"
#include "runtime/instantiate.h"
#include "runtime/module_manager.h"
#include "runtime/wasi/wasi.h"

namespace rivet::cli {
namespace {

constexpr char kUsage[] =
    "usage: rivet run [OPTIONS] FILE.wasm ARGS...\n"
    "\n"
    "Runs a WASI program: instantiates FILE.wasm with the WASI preview 1 imports\n"
    "(wasi_snapshot_preview1) and calls its _start with ARGS as its arguments\n"
    "(argv[0] is FILE.wasm). The exit status is the code the program passes to\n"
    "proc_exit, or 0 when _start returns. A trap prints \"trap: MESSAGE\" and the\n"
    "wasm backtrace (function names from the module's name section) and\n"
    "exits with status 3. The program sees only the environment given with\n"
    "--env and only the directories given with --dir.\n"
    "\n"
    "With --invoke=NAME, calls the exported function NAME instead, with ARGS\n"
    "one per parameter (integers in decimal or 0x hex, floats in decimal, nan,\n"
    "inf or -inf), and prints each result on its own line; a trap prints its\n"
    "message and exits with status 3. A WASI reactor's _initialize runs first.\n"
    "\n"
    "Options (before FILE.wasm):\n"
    "  --dir HOST[::GUEST]   let the program use host directory HOST under the\n"
    "                        name GUEST (default: HOST as written); repeatable\n"
    "  --env KEY=VALUE       set an environment variable for the program; --env KEY\n"
    "                        passes rivet's own value of KEY; repeatable\n"
    "  --engine=auto|aot|interp\n"
    "                        how to run the code: auto (default) runs the module's\n"
    "                        AOT code for this machine (rivet compile) when it fits,\n"
    "                        else interprets; aot fails, saying why, when it does not\n"
    "  --explain             print the engine chosen and why on stderr, then run\n"
    "  --invoke=NAME         call the exported function NAME, not _start\n"
    "  --                    end of options\n";

constexpr int kExitTrap = 3;

struct Options {
  std::optional<std::string> invoke;
  EngineChoice engine = EngineChoice::kAuto;
  bool explain = false;
  WasiConfig wasi;
};

// Reads `--name VALUE` or `--name=VALUE` at args[i]; advances i past it.
// Returns false if args[i] is not this option; sets `missing` if the value
// is absent.
bool OptionValue(std::span<const std::string> args, size_t& i, std::string_view name,
                 std::string& value, bool& missing) {
  const std::string& arg = args[i];
  if (arg == name) {
    if (i + 1 >= args.size()) {
      missing = true;
      return true;
    }
    value = args[++i];
    return true;
  }
  if (arg.size() > name.size() && arg.compare(0, name.size(), name) == 0 &&
      arg[name.size()] == '=') {
    value = arg.substr(name.size() + 1);
    return true;
  }
  return false;
}

int Usage(const std::string& message) {
  std::cerr << "rivet run: " << message << "\n" << kUsage;
  return kExitUsage;
}

// Ends the run after a trap: a WASI proc_exit gives its code; any other
// trap prints "PREFIX: MESSAGE" and the wasm backtrace, innermost first.
int ReportTrap(const WasiContext& wasi, const Trap& trap, const std::string& prefix) {
  if (std::optional<uint32_t> code = WasiExitCode(wasi, trap)) return static_cast<int>(*code);
  std::cerr << prefix << ": " << trap.message << "\n";
  for (const std::string& frame : trap.backtrace) std::cerr << "  at " << frame << "\n";
  return kExitTrap;
}

}  // namespace

int RunCommand(std::span<const std::string> args) {
  Options options;
  size_t i = 0;
  for (; i < args.size() && args[i].size() > 1 && args[i][0] == '-'; ++i) {
    const std::string& arg = args[i];
    std::string value;
    bool missing = false;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return kExitSuccess;
    } else if (arg == "--") {
      ++i;
      break;
    } else if (OptionValue(args, i, "--dir", value, missing)) {
      if (missing || value.empty()) return Usage("--dir needs a directory");
      size_t sep = value.find("::");
      WasiPreopen preopen;
      preopen.host_path = value.substr(0, sep);
      preopen.guest_path = sep == std::string::npos ? value : value.substr(sep + 2);
      if (preopen.host_path.empty() || preopen.guest_path.empty()) {
        return Usage("--dir " + value + ": expected HOST or HOST::GUEST");
      }
      options.wasi.preopens.push_back(std::move(preopen));
    } else if (OptionValue(args, i, "--env", value, missing)) {
      if (missing || value.empty() || value[0] == '=') {
        return Usage("--env needs KEY=VALUE or KEY");
      }
      if (value.find('=') == std::string::npos) {
        const char* host_value = std::getenv(value.c_str());
        if (host_value == nullptr) continue;  // not set here: not set for the program
        value += "=" + std::string(host_value);
      }
      options.wasi.env.push_back(std::move(value));
    } else if (arg.rfind("--invoke=", 0) == 0) {
      options.invoke = arg.substr(9);
    } else if (arg.rfind("--engine=", 0) == 0) {
      Result<EngineChoice> engine = ParseEngineChoice(arg.substr(9));
      if (!engine.ok()) return Usage(engine.error().message);
      options.engine = *engine;
    } else if (arg == "--explain") {
      options.explain = true;
    } else {
      return Usage("unknown option " + arg);
    }
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
  LoadOptions load;
  load.engine = options.engine;
  Result<LoadedModule> loaded = LoadModule(std::move(*bytes), load);
  if (!loaded.ok()) {
    std::cerr << path << ": error: " << loaded.error().message << "\n";
    return kExitFailure;
  }
  if (options.explain) std::cerr << loaded->Explain();
  std::shared_ptr<const Module> module = loaded->module;
  InstantiateOptions instantiate;
  instantiate.native_code = loaded->native;

  options.wasi.args.push_back(path);
  if (!options.invoke) {
    options.wasi.args.insert(options.wasi.args.end(), call_args.begin(), call_args.end());
  }
  Result<std::unique_ptr<WasiContext>> created = WasiContext::Create(std::move(options.wasi));
  if (!created.ok()) {
    std::cerr << "rivet run: " << created.error().message << "\n";
    return kExitUsage;
  }
  WasiContext& wasi = **created;

  // The WasiContext outlives the store: its host functions refer to it.
  Store store;
  Result<std::vector<Extern>> imports = WasiImports(store, wasi, *module);
  if (!imports.ok()) {
    std::cerr << path << ": error: " << imports.error().message << "\n";
    return kExitFailure;
  }
  auto instantiated = Instantiate(store, module, *imports, instantiate);
  if (auto* error = std::get_if<InstantiateError>(&instantiated)) {
    if (error->link_error) {
      std::cerr << path << ": error: " << error->trap.message << "\n";
      return kExitFailure;
    }
    // The start function trapped (or called proc_exit).
    return ReportTrap(wasi, error->trap, options.invoke ? path + ": trap" : "trap");
  }
  Instance* instance = std::get<Instance*>(instantiated);
  if (std::optional<Extern> memory = instance->GetExport("memory");
      memory && memory->kind == ExternKind::kMemory) {
    wasi.set_memory(memory->memory);
  }

  if (!options.invoke) {
    std::optional<Extern> start = instance->GetExport("_start");
    if (!start || start->kind != ExternKind::kFunc) {
      std::cerr << path << ": error: no exported function \"_start\" (not a WASI command; "
                << "--invoke=NAME calls another export)\n";
      return kExitFailure;
    }
    if (!start->func->type.params().empty() || !start->func->type.results().empty()) {
      std::cerr << path << ": error: _start has type " << start->func->type.ToString()
                << ", but a WASI command's is () -> () (--invoke=_start calls it with "
                << "arguments)\n";
      return kExitFailure;
    }
    auto outcome = Invoke(store, start->func, {});
    if (Trap* trap = std::get_if<Trap>(&outcome)) return ReportTrap(wasi, *trap, "trap");
    return kExitSuccess;
  }

  const std::string& invoke = *options.invoke;
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
  // A WASI reactor initialises itself in _initialize before any other call.
  if (std::optional<Extern> init = instance->GetExport("_initialize");
      init && init->kind == ExternKind::kFunc && invoke != "_initialize" &&
      init->func->type.params().empty() && init->func->type.results().empty()) {
    auto outcome = Invoke(store, init->func, {});
    if (Trap* trap = std::get_if<Trap>(&outcome)) {
      return ReportTrap(wasi, *trap, path + ": trap in _initialize");
    }
  }
  auto outcome = Invoke(store, func, slots);
  if (Trap* trap = std::get_if<Trap>(&outcome)) {
    return ReportTrap(wasi, *trap, path + ": trap in " + invoke);
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
