// The execution engines `rivet wast --engine=NAME` can choose from.
#ifndef RIVET_CLI_ENGINES_H_
#define RIVET_CLI_ENGINES_H_

#include <string>
#include <string_view>

#include "cli/wast.h"
#include "loader/result.h"

namespace rivet::cli {

// The factory for --engine=NAME. "auto" picks the best engine built into
// this rivet, or none, which is an empty factory: the runner then skips
// execution commands. "none" asks for that explicitly, to check the decoder
// alone (fast, and immune to an engine that hangs). A named engine must
// exist; the error says whether it is unknown or not written yet.
//
// A non-empty `aot_dir` selects the AOT engine that runs code compiled
// ahead of time into that directory (precompiled_engine.h) instead of
// compiling: available in every build, and only with name "aot".
Result<wast::EngineFactory> SelectEngine(std::string_view name, const std::string& aot_dir = "");

// "aot|interp|auto|none", for usage messages.
std::string EngineNames();

}  // namespace rivet::cli

#endif  // RIVET_CLI_ENGINES_H_
