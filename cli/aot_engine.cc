#include "cli/aot_engine.h"

#include <string>
#include <utility>
#include <vector>

#include "aot/compiler.h"
#include "cli/interp_engine.h"
#include "loader/aot_section.h"
#include "runtime/module_manager.h"

namespace rivet::cli {
namespace {

using wast::Failure;

wast::Outcome<PreparedModule> CompileAndLoad(std::shared_ptr<const Module> module) {
  aot::TargetOptions options;
  options.target = "host";
  absl::StatusOr<std::vector<uint8_t>> payload = aot::CompileModule(*module, options);
  if (!payload.ok()) {
    return Failure{Failure::Kind::kEngine,
                   "AOT compilation failed: " + std::string(payload.status().message())};
  }
  Result<aot::AotSection> section = aot::DecodeAotSection(*payload);
  if (!section.ok()) return Failure{Failure::Kind::kEngine, section.error().message};
  Result<std::vector<uint8_t>> compiled = aot::AddAotSection(module->bytes(), *section);
  if (!compiled.ok()) return Failure{Failure::Kind::kEngine, compiled.error().message};
  LoadOptions load;
  load.engine = EngineChoice::kAot;
  load.features = module->features;
  Result<LoadedModule> loaded = LoadModule(std::move(*compiled), load);
  if (!loaded.ok()) return Failure{Failure::Kind::kEngine, loaded.error().message};
  PreparedModule prepared;
  prepared.module = std::move(loaded->module);
  prepared.options.native_code = std::move(loaded->native);
  return prepared;
}

}  // namespace

std::unique_ptr<wast::Engine> NewAotEngine() { return NewRuntimeEngine(&CompileAndLoad); }

}  // namespace rivet::cli
