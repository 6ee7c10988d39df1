// rivet inspect FILE.wasm [--host=PROFILE]: what a module holds, what its
// AOT code needs, and how the module manager would run it.
#ifndef RIVET_CLI_INSPECT_COMMAND_H_
#define RIVET_CLI_INSPECT_COMMAND_H_

#include <span>
#include <string>

namespace rivet::cli {

int InspectCommand(std::span<const std::string> args);

}  // namespace rivet::cli

#endif  // RIVET_CLI_INSPECT_COMMAND_H_
