#include "cli/engines.h"

#include <memory>
#include <string>
#include <string_view>

#include "cli/interp_engine.h"
#include "cli/precompiled_engine.h"
#ifdef RIVET_HAVE_COMPILER
#include "cli/aot_engine.h"
#endif

namespace rivet::cli {
namespace {

struct KnownEngine {
  std::string_view name;
  // Null for an engine that is planned but not written yet. An engine plugs
  // in by implementing wast::Engine over its own API (in an adapter file
  // here in cli/, so that the engine itself does not depend on the runner)
  // and naming its factory here.
  std::unique_ptr<wast::Engine> (*create)();
};

// In order of preference for "auto": compiled code runs the suite's heavy
// scripts (SIMD, float conversions) fastest.
constexpr KnownEngine kEngines[] = {
#ifdef RIVET_HAVE_COMPILER
    {"aot", &NewAotEngine},
#else
    {"aot", nullptr},  // compiling needs LLVM, which this build of rivet lacks
#endif
    {"interp", &NewInterpEngine},
};

}  // namespace

Result<wast::EngineFactory> SelectEngine(std::string_view name, const std::string& aot_dir) {
  if (!aot_dir.empty()) {
    if (name != "aot") {
      return Error{"--aot-dir holds AOT code: it needs --engine=aot, not --engine=" +
                   std::string(name)};
    }
    return PrecompiledAotEngineFactory(aot_dir);
  }
  if (name == "none") return wast::EngineFactory();
  if (name == "auto") {
    for (const KnownEngine& engine : kEngines) {
      if (engine.create != nullptr) return wast::EngineFactory(engine.create);
    }
    return wast::EngineFactory();
  }
  for (const KnownEngine& engine : kEngines) {
    if (engine.name != name) continue;
    if (engine.create == nullptr) {
      return Error{"the " + std::string(name) +
                   " engine is not available yet: this rivet cannot execute modules, only "
                   "decode them (use --engine=auto to skip execution commands)"};
    }
    return wast::EngineFactory(engine.create);
  }
  return Error{"unknown engine \"" + std::string(name) + "\" (expected " + EngineNames() + ")"};
}

std::string EngineNames() {
  std::string names;
  for (const KnownEngine& engine : kEngines) names += std::string(engine.name) + "|";
  return names + "auto|none";
}

}  // namespace rivet::cli
