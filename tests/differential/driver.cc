// Runs every exported function without parameters of a module in rivet and
// prints the results in the format of wabt's `wasm-interp --run-all-exports`
// ("name() => i32:5", "name() => error: ..."), so that the engines can be
// compared line by line (see tests/differential/run).
//
//   driver [--engine=interp|aot] [-O0..3] [--bounds-checks=explicit|guard-pages]
//          [--object=FILE] FILE.wasm
//
// --engine=interp (the default) runs the interpreter. --engine=aot compiles
// the module for this host with `rivet compile`'s compiler, adds the
// rivet.aot section to the file's bytes and loads the result through the
// module manager in strict aot mode, exactly as a compiled file would run.
// --object=FILE also writes the compiled object, for `objdump -d`.
//
//   driver --all=DIR FILE.wasm
//
// runs the interpreter and every AOT configuration tests/differential/run
// compares (kConfigs), each into DIR/NAME.txt.
//
// Imports are satisfied with dummies, as `wasm-interp --dummy-import-func`
// does: functions that return zeros, and fresh memories, tables and globals
// of the declared types.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "aot/compiler.h"
#include "loader/aot_section.h"
#include "loader/module.h"
#include "runtime/instantiate.h"
#include "runtime/module_manager.h"

namespace {

using namespace rivet;

constexpr unsigned kSecondsPerConfig = 20;

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

struct Options {
  bool aot = false;
  aot::TargetOptions target;
  const char* path = nullptr;
  // --object=FILE: also writes the compiled ELF object there, for objdump.
  std::string object_path;
  // --all=DIR: every configuration of kConfigs, each into DIR/NAME.txt.
  std::string all_dir;
};

bool ParseArguments(int argc, char** argv, Options& options) {
  options.target.target = "host";
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--engine=interp") {
      options.aot = false;
    } else if (arg == "--engine=aot") {
      options.aot = true;
    } else if (arg.size() == 3 && arg.substr(0, 2) == "-O" && arg[2] >= '0' && arg[2] <= '3') {
      options.target.opt_level = static_cast<uint32_t>(arg[2] - '0');
    } else if (arg == "--bounds-checks=explicit") {
      options.target.guard_pages = false;
    } else if (arg == "--bounds-checks=guard-pages") {
      options.target.guard_pages = true;
    } else if (arg.starts_with("--all=")) {
      options.all_dir = std::string(arg.substr(6));
    } else if (arg.starts_with("--object=")) {
      options.object_path = std::string(arg.substr(9));
    } else if (!arg.starts_with("-") && options.path == nullptr) {
      options.path = argv[i];
    } else {
      std::fprintf(stderr, "driver: unexpected argument '%s'\n", argv[i]);
      return false;
    }
  }
  return options.path != nullptr;
}

// The module to instantiate and, for the AOT engine, its native code: the
// module manager's decision for the file with a fresh rivet.aot section.
struct Prepared {
  std::shared_ptr<const Module> module;
  std::shared_ptr<const aot::NativeCode> native;
};

Result<Prepared> Prepare(std::vector<uint8_t> bytes, const Options& options) {
  Result<std::shared_ptr<const Module>> module = DecodeModule(std::move(bytes));
  if (!module.ok()) return module.error();
  if (!options.aot) return Prepared{std::move(*module), nullptr};
  absl::StatusOr<std::vector<uint8_t>> payload = aot::CompileModule(**module, options.target);
  if (!payload.ok()) {
    return Error{"AOT compilation failed: " + std::string(payload.status().message())};
  }
  Result<aot::AotSection> section = aot::DecodeAotSection(*payload);
  if (!section.ok()) return section.error();
  if (!options.object_path.empty()) {
    std::ofstream out(options.object_path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(section->object.data()),
              static_cast<std::streamsize>(section->object.size()));
    if (!out) return Error{"cannot write " + options.object_path};
  }
  Result<std::vector<uint8_t>> compiled = aot::AddAotSection((*module)->bytes(), *section);
  if (!compiled.ok()) return compiled.error();
  LoadOptions load;
  load.engine = EngineChoice::kAot;
  load.features = (*module)->features;
  Result<LoadedModule> loaded = LoadModule(std::move(*compiled), load);
  if (!loaded.ok()) return loaded.error();
  if (loaded->native == nullptr) return Error{"the module manager chose no native code"};
  return Prepared{std::move(loaded->module), std::move(loaded->native)};
}

// Runs the module as `options` say and prints each call's outcome; returns
// the exit code (1: the module was refused).
int RunOne(const Options& options) {
  std::ifstream in(options.path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  Result<Prepared> prepared = Prepare(std::move(bytes), options);
  if (!prepared.ok()) {
    std::printf("error: %s\n", prepared.error().message.c_str());
    return 1;
  }
  const Module& m = *prepared->module;
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
  InstantiateOptions instantiate_options;
  instantiate_options.native_code = prepared->native;
  auto instantiated = Instantiate(store, prepared->module, imports, instantiate_options);
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

// The configurations --all=DIR runs: the file each writes, and its flags.
struct Config {
  const char* name;
  bool aot;
  uint32_t opt_level;
  bool guard_pages;
};
constexpr Config kConfigs[] = {
    {"interp", false, 0, false},  {"O0", true, 0, false},      {"O2", true, 2, false},
    {"O2-guard", true, 2, true}, {"O0-guard", true, 0, true},
};

// Runs every configuration in a child process of its own, all at once, with
// its output in DIR/NAME.txt: a crash or a hang in one is reported there (as
// a last line "driver: ...") and spares the others, and the program and
// LLVM are loaded once instead of once per configuration.
int RunAll(const Options& options, const std::string& dir) {
  std::vector<pid_t> children;
  std::fflush(stdout);
  for (const Config& config : kConfigs) {
    pid_t child = fork();
    if (child < 0) {
      std::fprintf(stderr, "driver: fork failed: %s\n", std::strerror(errno));
      return 2;
    }
    if (child == 0) {
      std::string path = dir + "/" + config.name + ".txt";
      if (std::freopen(path.c_str(), "w", stdout) == nullptr) _exit(2);
      std::setvbuf(stdout, nullptr, _IOLBF, 0);  // what ran before a crash stays
      alarm(kSecondsPerConfig);  // a hang ends in SIGALRM
      Options one = options;
      one.aot = config.aot;
      one.target.opt_level = config.opt_level;
      one.target.guard_pages = config.guard_pages;
      int code = RunOne(one);
      std::fflush(stdout);
      _exit(code);
    }
    children.push_back(child);
  }
  int worst = 0;
  for (size_t i = 0; i < children.size(); ++i) {
    int status = 0;
    while (waitpid(children[i], &status, 0) < 0 && errno == EINTR) {
    }
    std::string ending;
    if (WIFSIGNALED(status)) {
      ending = WTERMSIG(status) == SIGALRM
                   ? "driver: timed out"
                   : "driver: killed by signal " + std::to_string(WTERMSIG(status));
    } else if (WIFEXITED(status) && WEXITSTATUS(status) > 1) {
      ending = "driver: exit status " + std::to_string(WEXITSTATUS(status));
    }
    if (ending.empty()) continue;
    std::string path = dir + "/" + kConfigs[i].name + ".txt";
    std::FILE* out = std::fopen(path.c_str(), "a");
    if (out == nullptr) return 2;
    std::fprintf(out, "%s\n", ending.c_str());
    std::fclose(out);
    worst = 3;
  }
  return worst;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseArguments(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: driver [--engine=interp|aot] [-O0..3] "
                 "[--bounds-checks=explicit|guard-pages] [--object=FILE] FILE.wasm\n"
                 "       driver --all=DIR FILE.wasm\n");
    return 2;
  }
  // Line by line, so that the calls before a crash are still in the output.
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  if (!options.all_dir.empty()) return RunAll(options, options.all_dir);
  return RunOne(options);
}
