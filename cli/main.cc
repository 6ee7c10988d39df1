// rivet: the command-line front end. Each subcommand lives in its own file
// (see commands.h) and is listed once, in kSubcommands.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/inspect_command.h"
#ifdef RIVET_HAVE_COMPILER
#include "cli/compile_command.h"
#endif

namespace rivet::cli {
namespace {

struct Subcommand {
  std::string_view name;
  std::string_view args;     // for the command list
  std::string_view summary;  // likewise
  int (*run)(std::span<const std::string> args);
};

#ifndef RIVET_HAVE_COMPILER
// This build has no compiler, so that starting it does not load LLVM:
// commands that compile run in rivet-compiler, the same tool with the
// compiler linked in, built beside it on hosts with LLVM (cli/BUILD).
std::vector<std::string> g_argv;

std::filesystem::path CompilerTool() {
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return {};
  return self.parent_path() / "rivet-compiler";
}

bool HaveCompilerTool() {
  std::filesystem::path tool = CompilerTool();
  return !tool.empty() && access(tool.c_str(), X_OK) == 0;
}

int RunInCompilerTool(std::string_view command) {
  std::filesystem::path tool = CompilerTool();
  if (tool.empty() || access(tool.c_str(), X_OK) != 0) {
    std::cerr << "rivet: " << command << " needs the compiler, and this build of rivet has none "
              << "(rivet-compiler is not beside it; it is built on hosts with LLVM 19)\n";
    return kExitUsage;
  }
  std::vector<char*> argv;
  std::string program = tool.string();
  argv.push_back(program.data());
  for (std::string& arg : g_argv) argv.push_back(arg.data());
  argv.push_back(nullptr);
  execv(program.c_str(), argv.data());
  std::cerr << "rivet: cannot run " << program << "\n";
  return kExitUsage;
}

int CompileInCompilerTool(std::span<const std::string>) { return RunInCompilerTool("compile"); }

// `wast --engine=aot` compiles every module: hand it over too, unless
// --aot-dir names code compiled ahead of time, which this build runs itself.
int WastOrHandOver(std::span<const std::string> args) {
  bool aot = false;
  for (const std::string& arg : args) {
    if (arg.starts_with("--aot-dir=")) return WastCommand(args);
    if (arg == "--engine=aot") aot = true;
  }
  if (aot) return RunInCompilerTool("wast --engine=aot");
  return WastCommand(args);
}
#endif

constexpr Subcommand kSubcommands[] = {
#ifdef RIVET_HAVE_COMPILER
    {"compile",
     "[--target=NAME [--target-abi=ABI] [--cpu=NAME] [--cpu-features=+m,-c,...] ...]... -o OUT "
     "IN.wasm",
     "compile a module ahead of time for one or more targets", CompileCommand},
#else
    {"compile", "... (see rivet compile --help)",
     "compile a module ahead of time (runs rivet-compiler)", CompileInCompilerTool},
#endif
    {"inspect", "[--host=PROFILE] FILE.wasm",
     "show a module's sections, its AOT code and the engine rivet would choose",
     InspectCommand},
    {"run", "[--dir HOST[::GUEST]] [--env K=V] [--invoke=NAME] FILE.wasm ARGS...",
     "run a WASI program, or call an exported function and print its results", RunCommand},
    {"validate", "FILE.wasm", "check that a module decodes and validates (all proposals enabled)",
     ValidateCommand},
#ifdef RIVET_HAVE_COMPILER
    {"wast", "FILE.wast|FILE.json|DIR... [--engine=NAME]", "run spec test scripts", WastCommand},
#else
    {"wast", "FILE.wast|FILE.json|DIR... [--engine=NAME]", "run spec test scripts",
     WastOrHandOver},
#endif
};

void PrintHelp(std::ostream& out) {
  out << "usage: rivet COMMAND [ARGS...]\n\ncommands:\n";
  for (const Subcommand& command : kSubcommands) {
#ifndef RIVET_HAVE_COMPILER
    if (command.name == "compile" && !HaveCompilerTool()) continue;
#endif
    out << "  " << command.name << " " << command.args << "\n      " << command.summary << "\n";
  }
  out << "  help\n      show this list\n"
      << "\n"
      << "Run `rivet COMMAND --help` for a command's options. Exit status: 0 success,\n"
      << "1 failure (an invalid module, failed tests), 2 usage error or unreadable input.\n";
}

int Main(std::span<const std::string> args) {
  if (args.empty()) {
    PrintHelp(std::cerr);
    return kExitUsage;
  }
  std::string_view name = args[0];
  if (name == "help" || name == "--help" || name == "-h") {
    PrintHelp(std::cout);
    return kExitSuccess;
  }
  for (const Subcommand& command : kSubcommands) {
    if (command.name == name) return command.run(args.subspan(1));
  }
  std::cerr << "rivet: unknown command \"" << name << "\"; run `rivet help` for the list\n";
  return kExitUsage;
}

}  // namespace
}  // namespace rivet::cli

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
#ifndef RIVET_HAVE_COMPILER
  rivet::cli::g_argv = args;
#endif
  return rivet::cli::Main(args);
}
