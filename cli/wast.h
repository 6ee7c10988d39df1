// The spec test script runner behind `rivet wast`.
//
// Scripts are .wast files (converted with wabt's wast2json) or wast2json's
// .json output. The runner decodes every module itself, so the decoder's
// commands (module, assert_invalid, assert_malformed) run without an engine.
// Commands that instantiate or execute go to an Engine; with none, they are
// counted as skipped.
#ifndef RIVET_CLI_WAST_H_
#define RIVET_CLI_WAST_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli/wast_value.h"
#include "loader/features.h"
#include "loader/module.h"
#include "loader/result.h"

namespace rivet::wast {

// Why an engine operation did not complete. The runner compares only the
// kind with what a script asserts: messages differ between engines (the
// suite's are the reference interpreter's), so they are only printed.
struct Failure {
  enum class Kind {
    kLink,        // an import that does not resolve or does not match, or
                  // an action naming an export that does not exist
    kTrap,        // a trap, including in a start function or while
                  // initializing tables and memories
    kExhaustion,  // call stack exhausted
    kEngine,      // the engine could not prepare a module (an AOT compile
                  // error): no assertion expects it, so it always fails
  };
  Kind kind = Kind::kTrap;
  std::string message;
};

template <typename T>
using Outcome = std::variant<T, Failure>;

// Executes modules for the runner: what an interpreter or compiler must
// provide to run spec scripts. One Engine is one store, created fresh for
// each script, and used by one thread at a time (though engines for
// different scripts run in parallel).
//
// The runner keeps the script's bookkeeping (module names, the current
// module) and hands the engine already decoded and validated modules, so
// an engine only instantiates and calls.
class Engine {
 public:
  // Identifies an instance within this engine; the engine chooses them.
  using InstanceId = uint32_t;

  virtual ~Engine() = default;

  // Instantiates `module`, resolving its imports against the instances
  // registered so far and against the "spectest" module (print, print_i32,
  // ..., global_i32, global_i64, global_f32, global_f64, table, memory, as
  // the spec's reference interpreter defines it), which the engine
  // provides. Runs the start function.
  virtual Outcome<InstanceId> Instantiate(std::shared_ptr<const Module> module) = 0;

  // Makes `instance`'s exports importable as the module name `as`.
  virtual void Register(InstanceId instance, std::string_view as) = 0;

  // Calls the exported function `field` of `instance`.
  virtual Outcome<std::vector<Value>> Invoke(InstanceId instance, std::string_view field,
                                             std::span<const Value> args) = 0;

  // Reads the exported global `field` of `instance`.
  virtual Outcome<Value> Get(InstanceId instance, std::string_view field) = 0;
};

// Creates an engine for one script; called from worker threads, possibly
// several at once.
using EngineFactory = std::function<std::unique_ptr<Engine>()>;

struct Options {
  EngineFactory new_engine;             // empty: execution commands are skipped
  std::string wast2json = "wast2json";  // the program, looked up in PATH
  unsigned jobs = 0;                    // scripts run in parallel; 0: one per hardware thread
};

struct Summary {
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;

  Summary& operator+=(const Summary& other) {
    passed += other.passed;
    failed += other.failed;
    skipped += other.skipped;
    return *this;
  }
};

struct ScriptFile {
  std::string path;          // to open
  std::string display_name;  // to print in failure lines
};

// Expands the command line's paths: a .wast or .json file stands for
// itself; a directory for every .wast under it, recursively, sorted by
// path. Fails for a path that does not exist, a file of another kind, or a
// directory without .wast files.
Result<std::vector<ScriptFile>> FindScripts(std::span<const std::string> paths);

// What a script is decoded with and which wast2json flags convert it, from
// the proposal folder it is in (see kProposals in wast.cc).
struct ScriptSettings {
  Features features = Features::Wasm2();
  std::vector<std::string> wast2json_flags;
};
ScriptSettings SettingsForPath(const std::string& path);

// Runs the scripts, in parallel, and writes their failure lines to `out` in
// the order given, as "FILE:LINE: COMMAND: expected X, got Y".
Summary RunScripts(std::span<const ScriptFile> scripts, const Options& options, std::ostream& out);

}  // namespace rivet::wast

#endif  // RIVET_CLI_WAST_H_
