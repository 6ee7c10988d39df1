// The interpreter as an engine for spec scripts.
#ifndef RIVET_CLI_INTERP_ENGINE_H_
#define RIVET_CLI_INTERP_ENGINE_H_

#include <memory>

#include "cli/wast.h"

namespace rivet::cli {

// A fresh store with the spec's "spectest" module, running every module in
// the interpreter.
std::unique_ptr<wast::Engine> NewInterpEngine();

}  // namespace rivet::cli

#endif  // RIVET_CLI_INTERP_ENGINE_H_
