// rivet wast: run spec test scripts; see wast.h.
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/engines.h"
#include "cli/temp_dir.h"
#include "cli/wast.h"
#ifdef RIVET_HAVE_COMPILER
#include "cli/aot_engine.h"
#endif

namespace rivet::cli {
namespace {

void PrintUsage(std::ostream& out) {
  out << "usage: rivet wast FILE.wast|FILE.json|DIR... [--engine=" << EngineNames() << "]\n"
      << "                  [--aot-dir=DIR]\n"
      << "       rivet wast FILE.wast|FILE.json|DIR... --engine=aot --aot-out=DIR\n"
      << "                  [--target=NAME] [--target-abi=ABI] [--cpu=NAME] [--cpu-features=LIST]\n"
      << "\n"
      << "Runs WebAssembly spec test scripts: .wast files (converted with wast2json),\n"
      << "wast2json's .json output, or every .wast under a directory. Scripts under\n"
      << "proposals/<name>/ run with that proposal enabled. Prints one line per failed\n"
      << "command, then \"N passed, N failed, N skipped\"; exits 0 iff none failed.\n"
      << "Without an engine (--engine=none, or auto when rivet has none), commands\n"
      << "that execute code are skipped.\n"
      << "\n"
      << "AOT code for another machine (rivet's riscv64 build has no compiler):\n"
      << "  --aot-out=DIR  compile, never run, every module the scripts instantiate\n"
      << "                 for the target that --target, --target-abi, --cpu and\n"
      << "                 --cpu-features name (as in rivet compile), one file per\n"
      << "                 module code hash; prints \"N compiled, N reused, N failed\".\n"
      << "                 Needs the compiler (rivet-compiler).\n"
      << "  --aot-dir=DIR  with --engine=aot: run each module from its code in DIR,\n"
      << "                 strictly (a module without code there fails).\n";
}

}  // namespace

int WastCommand(std::span<const std::string> args) {
  std::string_view engine_name = "auto";
  std::string aot_dir;
  std::string aot_out;
  std::vector<std::string> target_options;  // --target and friends, checked below
  std::vector<std::string> paths;
#ifdef RIVET_HAVE_COMPILER
  AotCompileOptions compile;
  compile.target.target = "host";
#endif
  for (const std::string& arg : args) {
    std::string_view view = arg;
    std::string_view value = view.substr(view.find('=') + 1);
    if (view == "--help" || view == "-h") {
      PrintUsage(std::cout);
      return kExitSuccess;
    }
    if (view.starts_with("--engine=")) {
      engine_name = value;
    } else if (view.starts_with("--aot-dir=")) {
      aot_dir = value;
    } else if (view.starts_with("--aot-out=")) {
      aot_out = value;
    } else if (view.starts_with("--target=") || view.starts_with("--target-abi=") ||
               view.starts_with("--cpu=") || view.starts_with("--cpu-features=")) {
      target_options.push_back(arg);
#ifdef RIVET_HAVE_COMPILER
      if (view.starts_with("--target=")) compile.target.target = value;
      if (view.starts_with("--target-abi=")) compile.target.abi = value;
      if (view.starts_with("--cpu=")) compile.target.cpu = value;
      if (view.starts_with("--cpu-features=")) compile.target.features = value;
#endif
    } else if (view.starts_with("-") && view != "-") {
      std::cerr << "rivet wast: unknown option " << arg << "\n";
      PrintUsage(std::cerr);
      return kExitUsage;
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.empty()) {
    PrintUsage(std::cerr);
    return kExitUsage;
  }
  if (!aot_dir.empty() && !aot_out.empty()) {
    std::cerr << "rivet wast: --aot-out compiles and --aot-dir runs; give one of them\n";
    return kExitUsage;
  }
  if (!target_options.empty() && aot_out.empty()) {
    std::cerr << "rivet wast: " << target_options.front()
              << " names the target of --aot-out=DIR, which is missing\n";
    return kExitUsage;
  }
  if (!aot_out.empty() && engine_name != "aot") {
    std::cerr << "rivet wast: --aot-out compiles for the aot engine: add --engine=aot\n";
    return kExitUsage;
  }

  Result<std::vector<wast::ScriptFile>> scripts = wast::FindScripts(paths);
  if (!scripts.ok()) {
    std::cerr << "rivet wast: " << scripts.error().message << "\n";
    return kExitUsage;
  }
  // Interrupting a run must not strand the converted scripts.
  RemoveTempDirsOnSignal();

  if (!aot_out.empty()) {
#ifdef RIVET_HAVE_COMPILER
    compile.out_dir = aot_out;
    AotCompileSummary compiled = CompileScriptModules(*scripts, compile, std::cout);
    std::cout << compiled.compiled << " compiled, " << compiled.reused << " reused, "
              << compiled.failed << " failed\n";
    return compiled.failed == 0 ? kExitSuccess : kExitFailure;
#else
    std::cerr << "rivet wast: --aot-out needs the compiler, which this build of rivet lacks "
                 "(run it on a host with rivet-compiler)\n";
    return kExitUsage;
#endif
  }

  Result<wast::EngineFactory> engine = SelectEngine(engine_name, aot_dir);
  if (!engine.ok()) {
    std::cerr << "rivet wast: " << engine.error().message << "\n";
    return kExitUsage;
  }
  wast::Options options;
  options.new_engine = std::move(*engine);
  wast::Summary summary = wast::RunScripts(*scripts, options, std::cout);
  std::cout << summary.passed << " passed, " << summary.failed << " failed, " << summary.skipped
            << " skipped\n";
  return summary.failed == 0 ? kExitSuccess : kExitFailure;
}

}  // namespace rivet::cli
