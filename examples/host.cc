// A C++ host for examples/guest.wasm through rivet's C++ API
// (runtime/rivet.hh, namespace rivet::api).
//
//   bazel run //examples:host_cc -- path/to/guest.wasm
//
// The same program as examples/host.c, printing exactly the same lines: it
// loads the module, lists its imports and exports, provides host.log and
// host.add as lambdas, instantiates it, calls its exports, reads a string the
// guest wrote into its linear memory, and shows two traps with their messages
// and backtraces (one from wasm code, one raised by a host function).
//
// Without an argument it loads the guest.wasm built next to it (runfiles).
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "runtime/rivet.hh"

namespace api = rivet::api;

namespace {

// The module to load: argv[1] (relative to where `bazel run` was started),
// else guest.wasm from the runfiles.
std::string ModulePath(int argc, char** argv) {
  if (argc > 1) {
    std::string arg = argv[1];
    const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");  // set by `bazel run`
    if (arg[0] != '/' && cwd) return std::string(cwd) + "/" + arg;
    return arg;
  }
  const char* runfiles = std::getenv("RUNFILES_DIR");
  std::string candidate = runfiles ? std::string(runfiles) + "/rivet/examples/guest.wasm"
                                   : std::string(argv[0]) + ".runfiles/rivet/examples/guest.wasm";
  if (std::ifstream(candidate).good()) return candidate;
  return "examples/guest.wasm";  // in the runfiles tree itself (bazel test)
}

std::optional<std::vector<uint8_t>> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

const char* KindName(rivet_externkind kind) {
  switch (kind) {
    case RIVET_EXTERN_FUNC: return "func";
    case RIVET_EXTERN_TABLE: return "table";
    case RIVET_EXTERN_MEMORY: return "memory";
    case RIVET_EXTERN_GLOBAL: return "global";
  }
  return "?";
}

void PrintTrap(const std::string& call, const api::Trap& trap) {
  std::cout << call << " trapped: " << trap.message
            << (trap.kind == RIVET_TRAP_HOST ? " (raised by the host)" : "") << "\n";
  for (const std::string& frame : trap.backtrace) std::cout << "    at " << frame << "\n";
}

// Calls `func`; returns its results, or prints the trap and returns nothing.
std::optional<std::vector<api::Value>> CallOrReport(api::Store& store, const api::Func& func,
                                                    const std::string& call,
                                                    std::vector<api::Value> args) {
  api::CallResult outcome = func.Call(store, args);
  if (const auto* trap = std::get_if<api::Trap>(&outcome)) {
    PrintTrap(call, *trap);
    return std::nullopt;
  }
  return std::get<std::vector<api::Value>>(std::move(outcome));
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = ModulePath(argc, argv);
  std::optional<std::vector<uint8_t>> bytes = ReadFile(path);
  if (!bytes) {
    std::cerr << "error: cannot read " << path << "\n";
    return 1;
  }

  // Decode and validate. The module does not depend on any store.
  api::Expected<api::Module> module = api::Module::Load(*bytes);
  if (!module) {
    std::cerr << "error: " << path << ": " << module.error().message << "\n";
    return 1;
  }
  for (const auto& import : module->Imports()) {
    std::cout << "import " << import.module << "." << import.name << " ("
              << KindName(import.kind) << ")\n";
  }
  for (const auto& exp : module->Exports()) {
    std::cout << "export " << exp.name << " (" << KindName(exp.kind) << ")\n";
  }

  // The host functions, as lambdas. host.log needs the instance's memory,
  // which exists only after instantiation: it reads it through `memory`.
  api::Store store;
  std::optional<api::Memory> memory;
  int add_calls = 0;
  using Outcome = std::variant<std::vector<api::Value>, api::Trap>;
  const api::ValKind two_i32[] = {RIVET_I32, RIVET_I32};
  const api::ValKind one_i32[] = {RIVET_I32};

  api::Func log = store.NewFunc(two_i32, {}, [&](std::span<const api::Value> args) -> Outcome {
    uint32_t ptr = static_cast<uint32_t>(args[0].of.i32);
    uint32_t len = static_cast<uint32_t>(args[1].of.i32);
    if (len >= 256) return api::Trap{RIVET_TRAP_HOST, "host.log: message too long", {}};
    std::optional<std::string> text = memory ? memory->ReadString(ptr, len) : std::nullopt;
    if (!text) return api::Trap{RIVET_TRAP_HOST, "host.log: string out of bounds", {}};
    std::cout << "[guest] " << *text << "\n";
    return std::vector<api::Value>{};
  });
  api::Func add = store.NewFunc(two_i32, one_i32, [&](std::span<const api::Value> args) -> Outcome {
    ++add_calls;
    uint32_t sum = static_cast<uint32_t>(args[0].of.i32) + static_cast<uint32_t>(args[1].of.i32);
    return std::vector<api::Value>{api::I32(static_cast<int32_t>(sum))};
  });

  // One import per module import, in the module's order: host.log, host.add.
  std::vector<api::Extern> imports = {log, add};
  std::optional<api::Trap> start_trap;
  api::Expected<api::Instance> instance = store.Instantiate(*module, imports, &start_trap);
  if (!instance) {
    std::cerr << "error: cannot instantiate: " << instance.error().message << "\n";
    return 1;
  }
  memory = instance->GetMemory("memory");
  if (!memory) {
    std::cerr << "error: the module exports no memory\n";
    return 1;
  }
  std::cout << "memory: " << memory->size() << " bytes\n";

  auto export_func = [&](const char* name) {
    std::optional<api::Func> f = instance->GetFunc(name);
    if (!f) {
      std::cerr << "error: the module exports no function \"" << name << "\"\n";
      std::exit(1);
    }
    return *f;
  };

  // greet() prints through host.log.
  CallOrReport(store, export_func("greet"), "greet()", {});

  // sum(10) adds through host.add.
  if (auto r = CallOrReport(store, export_func("sum"), "sum(10)", {api::I32(10)})) {
    std::cout << "sum(10) = " << (*r)[0].of.i32 << " (host.add called " << add_calls
              << " times)\n";
  }

  // describe(7) writes a string into linear memory; read it back out.
  auto length = CallOrReport(store, export_func("describe"), "describe(7)", {api::I32(7)});
  auto address = CallOrReport(store, export_func("buffer_address"), "buffer_address()", {});
  if (length && address) {
    std::optional<std::string> text = memory->ReadString(
        static_cast<uint32_t>((*address)[0].of.i32), static_cast<uint32_t>((*length)[0].of.i32));
    if (!text) {
      std::cerr << "error: describe() returned a bad range\n";
      return 1;
    }
    std::cout << "describe(7) = \"" << *text << "\"\n";
  }

  // divide(7, 2) returns; divide(1, 0) traps in wasm code.
  api::Func divide = export_func("divide");
  if (auto r = CallOrReport(store, divide, "divide(7, 2)", {api::I32(7), api::I32(2)})) {
    std::cout << "divide(7, 2) = " << (*r)[0].of.i32 << "\n";
  }
  CallOrReport(store, divide, "divide(1, 0)", {api::I32(1), api::I32(0)});

  // log_range() with a range outside memory: host.log refuses with a trap.
  CallOrReport(store, export_func("log_range"), "log_range(-16, 8)",
               {api::I32(-16), api::I32(8)});

  // The instance is still usable after a trap.
  if (auto r = CallOrReport(store, export_func("sum"), "sum(3)", {api::I32(3)})) {
    std::cout << "sum(3) = " << (*r)[0].of.i32 << " after the traps\n";
  }
  return 0;  // ~Store frees the functions, the instance and its memory
}
