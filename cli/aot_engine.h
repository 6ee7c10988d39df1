// The AOT engine for spec scripts: each module is compiled for this host
// with `rivet compile`'s compiler, then run from its rivet.aot section
// through the module manager in strict (aot) mode, exactly as a compiled
// file would be.
#ifndef RIVET_CLI_AOT_ENGINE_H_
#define RIVET_CLI_AOT_ENGINE_H_

#include <memory>

#include "cli/wast.h"

namespace rivet::cli {

std::unique_ptr<wast::Engine> NewAotEngine();

}  // namespace rivet::cli

#endif  // RIVET_CLI_AOT_ENGINE_H_
