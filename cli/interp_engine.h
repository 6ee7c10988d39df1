// The runtime as an engine for spec scripts: the interpreter, or native
// code when a preparer (the AOT engine, cli/aot_engine.h) supplies it.
#ifndef RIVET_CLI_INTERP_ENGINE_H_
#define RIVET_CLI_INTERP_ENGINE_H_

#include <functional>
#include <memory>

#include "cli/wast.h"
#include "runtime/instantiate.h"

namespace rivet::cli {

// What a module becomes before instantiation: possibly another module (its
// compiled form) and the native code to bind it to.
struct PreparedModule {
  std::shared_ptr<const Module> module;
  InstantiateOptions options;
};
using ModulePreparer =
    std::function<wast::Outcome<PreparedModule>(std::shared_ptr<const Module> module)>;

// A fresh store with the spec's "spectest" module. Without a preparer every
// module is interpreted.
std::unique_ptr<wast::Engine> NewRuntimeEngine(ModulePreparer prepare = nullptr);

// NewRuntimeEngine() without a preparer.
std::unique_ptr<wast::Engine> NewInterpEngine();

}  // namespace rivet::cli

#endif  // RIVET_CLI_INTERP_ENGINE_H_
