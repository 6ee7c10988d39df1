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

namespace rivet::cli {
namespace {

void PrintUsage(std::ostream& out) {
  out << "usage: rivet wast FILE.wast|FILE.json|DIR... [--engine=" << EngineNames() << "]\n"
      << "\n"
      << "Runs WebAssembly spec test scripts: .wast files (converted with wast2json),\n"
      << "wast2json's .json output, or every .wast under a directory. Scripts under\n"
      << "proposals/<name>/ run with that proposal enabled. Prints one line per failed\n"
      << "command, then \"N passed, N failed, N skipped\"; exits 0 iff none failed.\n"
      << "Without an engine (--engine=none, or auto when rivet has none), commands\n"
      << "that execute code are skipped.\n";
}

}  // namespace

int WastCommand(std::span<const std::string> args) {
  std::string_view engine_name = "auto";
  std::vector<std::string> paths;
  for (const std::string& arg : args) {
    std::string_view view = arg;
    if (view == "--help" || view == "-h") {
      PrintUsage(std::cout);
      return kExitSuccess;
    }
    if (view.starts_with("--engine=")) {
      engine_name = view.substr(view.find('=') + 1);
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

  Result<wast::EngineFactory> engine = SelectEngine(engine_name);
  if (!engine.ok()) {
    std::cerr << "rivet wast: " << engine.error().message << "\n";
    return kExitUsage;
  }
  Result<std::vector<wast::ScriptFile>> scripts = wast::FindScripts(paths);
  if (!scripts.ok()) {
    std::cerr << "rivet wast: " << scripts.error().message << "\n";
    return kExitUsage;
  }

  // Interrupting a run must not strand the converted scripts.
  RemoveTempDirsOnSignal();
  wast::Options options;
  options.new_engine = std::move(*engine);
  wast::Summary summary = wast::RunScripts(*scripts, options, std::cout);
  std::cout << summary.passed << " passed, " << summary.failed << " failed, " << summary.skipped
            << " skipped\n";
  return summary.failed == 0 ? kExitSuccess : kExitFailure;
}

}  // namespace rivet::cli
