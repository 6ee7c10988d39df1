// The AOT engine for spec scripts, and compiling scripts' modules for
// another machine.
//
// NewAotEngine: each module is compiled for this host with `rivet
// compile`'s compiler, then run from its rivet.aot section through the
// module manager in strict (aot) mode, exactly as a compiled file would be.
//
// CompileScriptModules: `rivet wast --engine=aot --target=... --aot-out=DIR`
// compiles (never runs) every module of the scripts for a target, into the
// directory that `rivet wast --engine=aot --aot-dir=DIR` on that target
// reads (precompiled_engine.h). Host only, like the compiler.
#ifndef RIVET_CLI_AOT_ENGINE_H_
#define RIVET_CLI_AOT_ENGINE_H_

#include <cstddef>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>

#include "aot/compiler.h"
#include "cli/wast.h"

namespace rivet::cli {

std::unique_ptr<wast::Engine> NewAotEngine();

struct AotCompileOptions {
  aot::TargetOptions target;
  std::string out_dir;                  // created if missing
  std::string wast2json = "wast2json";  // the program, looked up in PATH
  unsigned jobs = 0;                    // scripts compiled in parallel; 0: one per hardware thread
};

struct AotCompileSummary {
  size_t compiled = 0;  // modules compiled and written
  // Modules whose code was already in the directory, compiled for the same
  // target and options (by an earlier run, or earlier in this one: scripts
  // share modules such as the empty one).
  size_t reused = 0;
  size_t failed = 0;  // scripts that did not convert or parse, modules that did not compile
};

// Compiles the module of every command that instantiates one (module,
// assert_unlinkable, assert_uninstantiable) into `options.out_dir`, one
// file per code hash (PrecompiledFileName). Modules that do not decode are
// left out: running the script reports them. Writes one line per failure to
// `out`, naming the script, its line and the reason.
//
// A file already in the directory is reused when its section says the same
// target and options; the directory is a cache that whoever changes the
// compiler must clear (tests/riscv/run_spec_rv64.sh does).
AotCompileSummary CompileScriptModules(std::span<const wast::ScriptFile> scripts,
                                       const AotCompileOptions& options, std::ostream& out);

}  // namespace rivet::cli

#endif  // RIVET_CLI_AOT_ENGINE_H_
