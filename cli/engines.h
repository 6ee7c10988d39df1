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
Result<wast::EngineFactory> SelectEngine(std::string_view name);

// "aot|interp|auto|none", for usage messages.
std::string EngineNames();

}  // namespace rivet::cli

#endif  // RIVET_CLI_ENGINES_H_
