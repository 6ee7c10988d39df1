#include "cli/precompiled_engine.h"

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "cli/file_util.h"
#include "runtime/module_manager.h"

namespace rivet::cli {
namespace {

using wast::Failure;

std::string HexHash(uint64_t code_hash) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(code_hash));
  return text;
}

wast::Outcome<PreparedModule> LoadFromDirectory(const std::string& dir,
                                                std::shared_ptr<const Module> module) {
  Result<uint64_t> hash = aot::ModuleCodeHash(module->bytes());
  if (!hash.ok()) return Failure{Failure::Kind::kEngine, hash.error().message};
  std::string path = dir + "/" + PrecompiledFileName(*hash);
  // Read errors name the path and the system's reason ("No such file or
  // directory" for a module the host did not compile).
  Result<std::vector<uint8_t>> payload = ReadFile(path);
  if (!payload.ok()) {
    return Failure{Failure::Kind::kEngine,
                   "no AOT code for this module (code hash " + HexHash(*hash) + "): " +
                       payload.error().message +
                       " (compile the scripts first with rivet-compiler wast --engine=aot "
                       "--target=... --aot-out=" +
                       dir + ")"};
  }
  Result<aot::AotSection> section = aot::DecodeAotSection(*payload);
  if (!section.ok()) {
    return Failure{Failure::Kind::kEngine, path + ": " + section.error().message};
  }
  return LoadWithAotSection(*module, *section);
}

}  // namespace

std::string PrecompiledFileName(uint64_t code_hash) { return HexHash(code_hash) + ".aot"; }

wast::Outcome<PreparedModule> LoadWithAotSection(const Module& module,
                                                 const aot::AotSection& section) {
  Result<std::vector<uint8_t>> compiled = aot::AddAotSection(module.bytes(), section);
  if (!compiled.ok()) return Failure{Failure::Kind::kEngine, compiled.error().message};
  LoadOptions load;
  load.engine = EngineChoice::kAot;
  load.features = module.features;
  Result<LoadedModule> loaded = LoadModule(std::move(*compiled), load);
  if (!loaded.ok()) return Failure{Failure::Kind::kEngine, loaded.error().message};
  PreparedModule prepared;
  prepared.module = std::move(loaded->module);
  prepared.options.native_code = std::move(loaded->native);
  return prepared;
}

wast::EngineFactory PrecompiledAotEngineFactory(std::string dir) {
  return [dir = std::move(dir)] {
    return NewRuntimeEngine([dir](std::shared_ptr<const Module> module) {
      return LoadFromDirectory(dir, std::move(module));
    });
  };
}

}  // namespace rivet::cli
