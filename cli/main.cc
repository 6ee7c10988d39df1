// rivet: the command-line front end. Each subcommand lives in its own file
// (see commands.h) and is listed once, in kSubcommands.
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"

namespace rivet::cli {
namespace {

struct Subcommand {
  std::string_view name;
  std::string_view args;     // for the command list
  std::string_view summary;  // likewise
  int (*run)(std::span<const std::string> args);
};

constexpr Subcommand kSubcommands[] = {
    {"run", "[--dir HOST[::GUEST]] [--env K=V] [--invoke=NAME] FILE.wasm ARGS...",
     "run a WASI program, or call an exported function and print its results", RunCommand},
    {"validate", "FILE.wasm", "check that a module decodes and validates (all proposals enabled)",
     ValidateCommand},
    {"wast", "FILE.wast|FILE.json|DIR... [--engine=NAME]", "run spec test scripts", WastCommand},
};

void PrintHelp(std::ostream& out) {
  out << "usage: rivet COMMAND [ARGS...]\n\ncommands:\n";
  for (const Subcommand& command : kSubcommands) {
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
  return rivet::cli::Main(args);
}
