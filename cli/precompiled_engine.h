// Spec scripts run from AOT code compiled ahead of time, on another machine:
// `rivet wast --engine=aot --aot-dir=DIR`.
//
// A rivet built without the compiler (the riscv64 build) cannot compile the
// scripts' modules itself, so the host compiles them first
// (`rivet-compiler wast --engine=aot --target=... --aot-out=DIR`, see
// aot_engine.h), one file per module keyed by its code hash, and this engine
// finds each script module's code there. A missing file is an engine
// failure naming the hash and the path, never a silent fall-back to the
// interpreter: the module manager runs in strict (aot) mode.
#ifndef RIVET_CLI_PRECOMPILED_ENGINE_H_
#define RIVET_CLI_PRECOMPILED_ENGINE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "cli/interp_engine.h"
#include "cli/wast.h"
#include "loader/aot_section.h"

namespace rivet::cli {

// The file in an --aot-dir holding the compiled code of the module whose
// aot::ModuleCodeHash is `code_hash`: "0123456789abcdef.aot", the payload of
// a rivet.aot section (aot::EncodeAotSection).
std::string PrecompiledFileName(uint64_t code_hash);

// `module` with `section` attached as its rivet.aot section, loaded through
// the module manager in strict aot mode: the native code, or an engine
// failure carrying the manager's reasons. Shared with the host's AOT engine,
// so that both bind code exactly as `rivet run --engine=aot` would.
wast::Outcome<PreparedModule> LoadWithAotSection(const Module& module,
                                                 const aot::AotSection& section);

// An engine whose modules run from the compiled code in `dir`.
wast::EngineFactory PrecompiledAotEngineFactory(std::string dir);

}  // namespace rivet::cli

#endif  // RIVET_CLI_PRECOMPILED_ENGINE_H_
