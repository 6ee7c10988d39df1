// The module manager: decodes a module and decides how it runs.
//
// A module may carry rivet.aot sections (one per target, `rivet compile`).
// The manager uses the one made for this host when everything about it fits:
//   - its architecture and XLEN, and its float ABI, are the host's;
//   - every ISA extension it needs is present on the host's CPU;
//   - its AOT ABI version is this runtime's, and its code hash is the hash
//     of this module's code;
//   - every symbol it calls resolves (rivet's runtime helpers and the
//     software compiler helpers for its float ABI) and every relocation
//     applies.
// Otherwise the interpreter runs the module's own code. Either way the
// decision comes with its reasons, and the program computes the same.
#ifndef RIVET_RUNTIME_MODULE_MANAGER_H_
#define RIVET_RUNTIME_MODULE_MANAGER_H_

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "loader/aot_section.h"
#include "loader/features.h"
#include "loader/module.h"
#include "loader/result.h"
#include "runtime/aot/native_code.h"
#include "runtime/host_profile.h"

namespace rivet {

enum class EngineChoice : uint8_t {
  kAuto,    // AOT code when it fits this host, else the interpreter
  kAot,     // AOT code or an error saying why not
  kInterp,  // always the interpreter
};
std::string_view EngineChoiceName(EngineChoice choice);
Result<EngineChoice> ParseEngineChoice(std::string_view name);  // auto | aot | interp

struct LoadOptions {
  EngineChoice engine = EngineChoice::kAuto;
  // Decide for this machine instead of the one rivet runs on (firmware
  // embedders, `rivet inspect --host=`). For a profile that is not this
  // host, AOT code is checked all the way through relocation, into a
  // scratch buffer, but never mapped: the module then runs interpreted.
  std::optional<HostProfile> host;
  Features features = Features::All();
};

// What the manager found out about one rivet.aot section.
struct AotCandidate {
  std::optional<aot::AotSection> section;  // unset when it did not decode
  std::string target;                      // "riscv32 ilp32 cpu=generic +m,+a" style
  std::vector<std::string> reasons;        // why it cannot run here; empty if it can
};

struct LoadedModule {
  std::shared_ptr<const Module> module;
  // The native code bound at instantiation; null when the module is
  // interpreted, and when AOT code was chosen for a profile that is not
  // this machine (`checked_only`).
  std::shared_ptr<const aot::NativeCode> native;
  EngineChoice engine = EngineChoice::kInterp;  // kAot or kInterp: what was chosen
  // kAot was decided for LoadOptions::host, which is not the machine rivet
  // runs on: the code was relocated into a scratch buffer only, and here
  // the module runs interpreted.
  bool checked_only = false;
  HostProfile host;
  std::vector<AotCandidate> candidates;  // every rivet.aot section, in order
  // Why the interpreter was chosen, one sentence each (empty for AOT).
  std::vector<std::string> reasons;

  // "engine: aot" or "engine: interp", then the reasons indented.
  std::string Explain() const;
};

// Where a symbol that AOT code calls comes from.
enum class SymbolSource : uint8_t {
  kRuntimeHelper,   // rivet_aot_* (loader/aot_abi.h, runtime/aot/helpers.h)
  kCompilerHelper,  // rivet's software compiler helpers (loader/helpers)
  kUnknown,         // neither: the code cannot be loaded
};
std::string_view SymbolSourceName(SymbolSource source);  // "runtime helper", ...

struct NeededSymbol {
  std::string name;
  SymbolSource source = SymbolSource::kUnknown;
  // For compiler helpers, the --cpu-features flag that makes the compiler
  // not call it ("+m"), or "" when no feature does (memcpy).
  std::string avoiding_feature;
  // Whether the loader can bind it for the section's float ABI.
  bool resolves = false;
};

// The symbols `section` says its code calls, sorted by name. With
// `in_this_process`, a compiler helper resolves only when this build of
// rivet has its variant for the section's float ABI; otherwise (a profile
// of another machine) when rivet has the helper at all, since a rivet built
// for that machine has its own float ABI's variants.
std::vector<NeededSymbol> NeededSymbols(const aot::AotSection& section, bool in_this_process);

// One sentence naming every symbol of `symbols` that does not resolve, in
// order, and the --cpu-features that would avoid those a feature avoids;
// nullopt when all resolve.
std::optional<std::string> UnresolvedSymbolsReason(std::span<const NeededSymbol> symbols);

// The ISA extensions `section`'s code may use: its "+" features, in order.
std::vector<std::string> RequiredExtensions(const aot::AotSection& section);

// "riscv32 ilp32 cpu=generic-rv32 -a,-c,..." style.
std::string DescribeTarget(const aot::AotSection& section);

// Decodes and validates `bytes`, then decides. Fails when the module is
// invalid, or when `options.engine` is kAot and no AOT section fits (the
// error then carries every reason).
Result<LoadedModule> LoadModule(std::vector<uint8_t> bytes, const LoadOptions& options = {});

}  // namespace rivet

#endif  // RIVET_RUNTIME_MODULE_MANAGER_H_
