// The rivet subcommands. Each takes the arguments after its name and
// returns the process's exit status.
#ifndef RIVET_CLI_COMMANDS_H_
#define RIVET_CLI_COMMANDS_H_

#include <span>
#include <string>

namespace rivet::cli {

// Exit statuses shared by all subcommands.
inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;  // the input is bad: invalid module, failed tests
inline constexpr int kExitUsage = 2;    // the command line is bad, or a file unreadable

// rivet validate FILE.wasm
int ValidateCommand(std::span<const std::string> args);

// rivet run [--dir HOST[::GUEST]] [--env K=V] [--engine=NAME] [--invoke=NAME]
//           FILE.wasm ARGS...
int RunCommand(std::span<const std::string> args);

// rivet wast FILE.wast|FILE.json|DIR... [--engine=NAME]
int WastCommand(std::span<const std::string> args);

}  // namespace rivet::cli

#endif  // RIVET_CLI_COMMANDS_H_
