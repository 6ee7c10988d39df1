#include "runtime/module_manager.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "loader/aot_abi.h"
#include "loader/elf/aot_image.h"
#include "loader/helpers/helpers.h"
#include "runtime/aot/guard.h"
#include "runtime/aot/helpers.h"
#include "runtime/store.h"
#include "runtime/string_util.h"

namespace rivet {
namespace {

// NativeCode over a mapped AOT image. Code compiled for guard pages stays
// registered with the fault handler (runtime/aot/guard.h) while it is
// mapped, so that its out-of-bounds faults become traps.
class ImageCode : public aot::NativeCode {
 public:
  // `guard_handle`: from RegisterGuardedCode, or -1 for bounds-checked code.
  ImageCode(std::unique_ptr<elf::AotImage> image, int guard_handle)
      : image_(std::move(image)), guard_handle_(guard_handle) {}
  ~ImageCode() override {
    if (guard_handle_ >= 0) aot::UnregisterGuardedCode(guard_handle_);
  }
  void* Symbol(std::string_view name) const override { return image_->Symbol(name); }
  bool needs_guard_regions() const override { return guard_handle_ >= 0; }

 private:
  std::unique_ptr<elf::AotImage> image_;
  int guard_handle_;
};

helpers::FloatAbi FloatAbiOf(std::string_view abi) {
  if (abi == "sysv" || abi.ends_with('d')) return helpers::FloatAbi::kDouble;
  if (abi.ends_with('f')) return helpers::FloatAbi::kSingle;
  return helpers::FloatAbi::kSoft;
}

std::string Hex(uint64_t value) {
  char text[19];
  std::snprintf(text, sizeof text, "0x%016llx", static_cast<unsigned long long>(value));
  return text;
}

std::string Plural(size_t count, std::string_view singular, std::string_view plural) {
  return std::string(count == 1 ? singular : plural);
}

// The running machine's own facts, probed once.
const Result<HostProfile>& RunningHost() {
  static const Result<HostProfile> host = DetectHostProfile();
  return host;
}

// Whether code that fits `profile` may be mapped and run in this process:
// the profile describes this machine (architecture and float ABI of rivet's
// own build) and names no extension this CPU lacks. Otherwise code is only
// relocated into a scratch buffer.
bool RunsInThisProcess(const HostProfile& profile) {
  const Result<HostProfile>& running = RunningHost();
  if (!running.ok() || running->machine != profile.machine || running->abi != profile.abi) {
    return false;
  }
  return std::includes(running->extensions.begin(), running->extensions.end(),
                       profile.extensions.begin(), profile.extensions.end());
}

// The version a rivet.aot payload says it was compiled against (its first
// field, readable whatever the version), or nullopt when even that is
// unreadable.
std::optional<uint32_t> PayloadAbiVersion(std::span<const uint8_t> payload) {
  uint64_t value = 0;
  for (size_t i = 0; i < payload.size() && i < 5; ++i) {
    value |= static_cast<uint64_t>(payload[i] & 0x7f) << (7 * i);
    if ((payload[i] & 0x80) == 0) {
      if (value > UINT32_MAX) return std::nullopt;
      return static_cast<uint32_t>(value);
    }
  }
  return std::nullopt;
}

// Why code for `section` cannot use this host's architecture or float ABI;
// empty when both match.
std::vector<std::string> TargetMismatches(const aot::AotSection& section, const HostProfile& host) {
  std::vector<std::string> reasons;
  std::string code_machine(aot::MachineName(section.machine));
  std::string host_machine(aot::MachineName(host.machine));
  bool both_riscv =
      section.machine != aot::AotMachine::kX86_64 && host.machine != aot::AotMachine::kX86_64;
  if (section.machine != host.machine) {
    if (both_riscv) {
      // Same architecture, other XLEN.
      reasons.push_back("compiled for " + code_machine + " (XLEN " +
                        (section.machine == aot::AotMachine::kRiscv64 ? "64" : "32") +
                        "), but this host is " + host_machine + " (XLEN " +
                        (host.machine == aot::AotMachine::kRiscv64 ? "64" : "32") +
                        "); compile with --target=" + host_machine + " --target-abi=" + host.abi);
    } else {
      reasons.push_back("compiled for " + code_machine + ", but this host is " + host_machine +
                        "; compile with --target=" + host_machine);
    }
    return reasons;
  }
  if (section.abi != host.abi) {
    std::string flag = "--target-abi=" + host.abi;
    // ilp32f/lp64f need +f and ilp32d/lp64d need +d; say so when the code's
    // features do not already have it, since rivet compile refuses without.
    char needed = host.abi.back();
    if (needed == 'f' || needed == 'd') {
      std::string feature = std::string("+") + needed;
      std::vector<std::string> features = RequiredExtensions(section);
      if (std::find(features.begin(), features.end(), std::string(1, needed)) == features.end()) {
        flag += " --cpu-features=" + feature;
      }
    }
    reasons.push_back("compiled for the " + section.abi + " float ABI, but this host's is " +
                      host.abi + " (" + host.source + "); compile with " + flag);
  }
  return reasons;
}

// Checks one section against `host`; when it fits and `execute`, maps its
// code into `*native`.
AotCandidate Evaluate(std::span<const uint8_t> payload, uint64_t module_hash,
                      const HostProfile& host, bool execute,
                      std::shared_ptr<const aot::NativeCode>* native) {
  AotCandidate candidate;
  Result<aot::AotSection> decoded = aot::DecodeAotSection(payload);
  if (!decoded.ok()) {
    std::optional<uint32_t> version = PayloadAbiVersion(payload);
    if (version && *version != aot::kAotAbiVersion) {
      candidate.target = "AOT ABI version " + std::to_string(*version);
      candidate.reasons.push_back(
          "compiled for AOT ABI version " + std::to_string(*version) +
          ", but this runtime implements version " + std::to_string(aot::kAotAbiVersion) +
          "; recompile it with this rivet's `rivet compile`");
    } else {
      candidate.target = "unreadable section";
      candidate.reasons.push_back("the rivet.aot section does not decode (" +
                                  decoded.error().message +
                                  "); recompile it with `rivet compile`");
    }
    return candidate;
  }
  const aot::AotSection& section = *decoded;
  candidate.section = section;
  candidate.target = DescribeTarget(section);
  std::vector<std::string>& reasons = candidate.reasons;

  reasons = TargetMismatches(section, host);
  bool same_target = reasons.empty();
  if (section.machine == host.machine) {
    std::vector<std::string> missing;
    for (const std::string& extension : RequiredExtensions(section)) {
      if (!host.Has(extension)) missing.push_back(extension);
    }
    if (!missing.empty()) {
      std::vector<std::string> flags;
      for (const std::string& extension : missing) flags.push_back("-" + extension);
      reasons.push_back("needs the " + Join(missing, ", ") + " " +
                        Plural(missing.size(), "extension", "extensions") +
                        ", which this CPU lacks (" + host.source + "); compile with --cpu-features=" +
                        Join(flags, ",") + " (or a --cpu this CPU implements)");
    }
  }
  if (section.code_hash != module_hash) {
    reasons.push_back("compiled from a different module: its code hash is " +
                      Hex(section.code_hash) + ", this module's is " + Hex(module_hash) +
                      "; compile this module with `rivet compile`");
  }
  if (section.guard_pages() && execute && !Memory::kGuardRegions) {
    reasons.push_back(
        "compiled without bounds checks, for guard pages, which this build of rivet does not "
        "reserve (64-bit Linux only); compile with --bounds-checks=explicit");
  }
  // Symbols are only meaningful for code this host's architecture and float
  // ABI could run.
  if (same_target) {
    std::vector<NeededSymbol> symbols = NeededSymbols(section, execute);
    if (std::optional<std::string> reason = UnresolvedSymbolsReason(symbols)) {
      reasons.push_back(*reason);
    }
  }
  if (!reasons.empty()) return candidate;

  // Relocate: into this process, or into a scratch buffer for another
  // machine, with made-up helper addresses just below the image.
  helpers::FloatAbi float_abi = FloatAbiOf(section.abi);
  constexpr uint64_t kScratchBase = 0x10000000;
  constexpr uint64_t kScratchHelpers = kScratchBase - 0x100000;
  std::map<std::string, uint64_t, std::less<>> scratch_addresses;
  elf::SymbolResolver resolve = [&](std::string_view name) -> std::optional<uint64_t> {
    if (execute) {
      const void* address = aot::FindRuntimeHelper(name);
      if (address == nullptr) address = helpers::FindHelper(name, float_abi);
      if (address == nullptr) return std::nullopt;
      return reinterpret_cast<uint64_t>(address);
    }
    if (aot::FindRuntimeHelper(name) == nullptr && helpers::FindHelperEntry(name) == nullptr) {
      return std::nullopt;
    }
    auto [it, inserted] = scratch_addresses.emplace(
        std::string(name), kScratchHelpers + 16 * scratch_addresses.size());
    return it->second;
  };
  Result<std::unique_ptr<elf::AotImage>> image = elf::AotImage::Load(
      section.object, section.machine, resolve,
      execute ? elf::LoadMode::kExecute : elf::LoadMode::kScratch, kScratchBase);
  if (!image.ok()) {
    reasons.push_back("the code does not load (" + image.error().message +
                      "); the section is damaged: recompile it with `rivet compile`");
  } else if ((*image)->AbiName() != section.abi) {
    reasons.push_back("the object's ELF header says ABI " + (*image)->AbiName() +
                      " but its section says " + section.abi +
                      "; the section is damaged: recompile it with `rivet compile`");
  } else if (execute) {
    int guard_handle = -1;
    if (section.guard_pages()) {
      const elf::AotImage& mapped = **image;
      if (!aot::InstallGuardHandler()) {
        reasons.push_back(
            "compiled without bounds checks, for guard pages, but the fault handler that turns "
            "out-of-bounds accesses into traps cannot be installed; compile with "
            "--bounds-checks=explicit");
        return candidate;
      }
      guard_handle = aot::RegisterGuardedCode(static_cast<uintptr_t>(mapped.base()),
                                              static_cast<uintptr_t>(mapped.base() + mapped.size()));
      if (guard_handle < 0) {
        reasons.push_back(
            "compiled without bounds checks, for guard pages, but too many such modules are "
            "mapped at once for the fault handler's registry; compile with "
            "--bounds-checks=explicit");
        return candidate;
      }
    }
    *native = std::make_shared<ImageCode>(std::move(*image), guard_handle);
  }
  return candidate;
}

}  // namespace

std::string_view EngineChoiceName(EngineChoice choice) {
  switch (choice) {
    case EngineChoice::kAuto: return "auto";
    case EngineChoice::kAot: return "aot";
    case EngineChoice::kInterp: return "interp";
  }
  return "?";
}

Result<EngineChoice> ParseEngineChoice(std::string_view name) {
  if (name == "auto") return EngineChoice::kAuto;
  if (name == "aot") return EngineChoice::kAot;
  if (name == "interp") return EngineChoice::kInterp;
  return Error{"unknown engine \"" + std::string(name) + "\" (expected auto, aot or interp)"};
}

std::string_view SymbolSourceName(SymbolSource source) {
  switch (source) {
    case SymbolSource::kRuntimeHelper: return "runtime helper";
    case SymbolSource::kCompilerHelper: return "compiler helper";
    case SymbolSource::kUnknown: return "unknown";
  }
  return "?";
}

std::vector<NeededSymbol> NeededSymbols(const aot::AotSection& section, bool in_this_process) {
  helpers::FloatAbi float_abi = FloatAbiOf(section.abi);
  std::vector<NeededSymbol> symbols;
  for (const std::string& name : section.helpers) {
    NeededSymbol symbol;
    symbol.name = name;
    if (aot::FindRuntimeHelper(name) != nullptr) {
      symbol.source = SymbolSource::kRuntimeHelper;
      symbol.resolves = true;
    } else if (const helpers::HelperEntry* entry = helpers::FindHelperEntry(name)) {
      symbol.source = SymbolSource::kCompilerHelper;
      symbol.avoiding_feature = std::string(helpers::FeatureAvoiding(name));
      symbol.resolves =
          !in_this_process || entry->address[static_cast<size_t>(float_abi)] != nullptr;
    }
    symbols.push_back(std::move(symbol));
  }
  std::sort(symbols.begin(), symbols.end(),
            [](const NeededSymbol& a, const NeededSymbol& b) { return a.name < b.name; });
  return symbols;
}

std::optional<std::string> UnresolvedSymbolsReason(std::span<const NeededSymbol> symbols) {
  std::vector<std::string> unresolved;  // every one, in order
  std::vector<std::string> avoidable;   // those a feature avoids
  std::set<std::string> features;
  std::vector<std::string> unknown;
  std::vector<std::string> unavoidable;  // rivet's helpers, but not for this ABI
  for (const NeededSymbol& symbol : symbols) {
    if (symbol.resolves) continue;
    unresolved.push_back(symbol.name);
    if (symbol.source == SymbolSource::kUnknown) {
      unknown.push_back(symbol.name);
    } else if (!symbol.avoiding_feature.empty()) {
      avoidable.push_back(symbol.name);
      features.insert(symbol.avoiding_feature);
    } else {
      unavoidable.push_back(symbol.name);
    }
  }
  if (unresolved.empty()) return std::nullopt;
  std::string reason = "the code calls " + std::to_string(unresolved.size()) + " " +
                       Plural(unresolved.size(), "symbol", "symbols") +
                       " that do not resolve: " + Join(unresolved, ", ");
  if (!avoidable.empty()) {
    reason += "; compiling with --cpu-features=" + Join(features, ",") + " avoids " +
              Join(avoidable, ", ");
  }
  if (!unavoidable.empty()) {
    reason += "; this rivet build has no variant of " + Join(unavoidable, ", ") +
              " for the code's float ABI, and no CPU feature avoids " +
              Plural(unavoidable.size(), "it", "them");
  }
  if (!unknown.empty()) {
    reason += "; " + Join(unknown, ", ") + " " + Plural(unknown.size(), "is", "are") +
              " neither a rivet runtime helper nor a compiler helper rivet provides: recompile "
              "the module with this rivet's `rivet compile`";
  }
  return reason;
}

std::vector<std::string> RequiredExtensions(const aot::AotSection& section) {
  std::vector<std::string> extensions;
  for (std::string_view feature : Split(section.features, ',')) {
    if (feature.size() > 1 && feature[0] == '+') extensions.emplace_back(feature.substr(1));
  }
  return extensions;
}

std::string DescribeTarget(const aot::AotSection& section) {
  std::string text = std::string(aot::MachineName(section.machine)) + " " + section.abi +
                     " cpu=" + section.cpu;
  if (!section.features.empty()) text += " " + section.features;
  if (section.guard_pages()) text += " guard-pages";
  return text;
}

std::string LoadedModule::Explain() const {
  std::string text = "engine: " + std::string(EngineChoiceName(engine)) + "\n";
  if (engine == EngineChoice::kAot) {
    for (const AotCandidate& candidate : candidates) {
      if (candidate.reasons.empty()) {
        text += "  uses the AOT code for " + candidate.target + " on " + host.ToString() + " (" +
                host.source + ")\n";
        break;
      }
      // An earlier section that did not fit.
      text += "  skipped the AOT code for " + candidate.target + ": " +
              Join(candidate.reasons, "; ") + "\n";
    }
    if (checked_only) {
      text +=
          "  every symbol resolves and every relocation applies (checked in a scratch buffer); "
          "this machine is not that host, so here the module runs interpreted\n";
    }
  }
  for (const std::string& reason : reasons) text += "  " + reason + "\n";
  return text;
}

Result<LoadedModule> LoadModule(std::vector<uint8_t> bytes, const LoadOptions& options) {
  LoadedModule loaded;
  Result<std::shared_ptr<const Module>> module = DecodeModule(std::move(bytes), options.features);
  if (!module.ok()) return module.error();
  loaded.module = std::move(*module);
  const Module& m = *loaded.module;

  if (options.engine == EngineChoice::kInterp) {
    loaded.reasons.push_back("the interpreter was asked for (engine interp)");
    return loaded;
  }
  bool execute;
  if (options.host) {
    loaded.host = *options.host;
    execute = RunsInThisProcess(loaded.host);
  } else {
    const Result<HostProfile>& running = RunningHost();
    if (!running.ok()) {
      loaded.reasons.push_back(running.error().message +
                               " (an embedder can name its machine in LoadOptions::host)");
    } else {
      loaded.host = *running;
    }
    execute = running.ok();
  }

  std::vector<const CustomSection*> sections;
  for (const CustomSection& custom : m.customs) {
    if (custom.name == aot::kAotSectionName) sections.push_back(&custom);
  }
  bool host_known = loaded.reasons.empty();
  if (sections.empty()) {
    std::string reason = "the module has no rivet.aot section; compile it with `rivet compile";
    if (host_known) {
      reason += " --target=" + std::string(aot::MachineName(loaded.host.machine));
      if (loaded.host.machine != aot::AotMachine::kX86_64) reason += " --target-abi=" + loaded.host.abi;
    }
    loaded.reasons.push_back(reason + "`");
  } else if (host_known) {
    Result<uint64_t> hash = aot::ModuleCodeHash(m.bytes());
    if (!hash.ok()) return Error{"cannot hash the module's code: " + hash.error().message};
    for (const CustomSection* custom : sections) {
      std::shared_ptr<const aot::NativeCode> native;
      AotCandidate candidate =
          Evaluate(m.Range(custom->offset, custom->size), *hash, loaded.host, execute, &native);
      bool fits = candidate.reasons.empty();
      loaded.candidates.push_back(std::move(candidate));
      if (fits) {
        loaded.engine = EngineChoice::kAot;
        loaded.native = std::move(native);
        loaded.checked_only = !execute;
        break;
      }
    }
    if (loaded.engine != EngineChoice::kAot) {
      for (const AotCandidate& c : loaded.candidates) {
        for (const std::string& reason : c.reasons) {
          loaded.reasons.push_back(loaded.candidates.size() > 1 ? c.target + ": " + reason
                                                                : reason);
        }
      }
    }
  }
  if (options.engine == EngineChoice::kAot && loaded.engine != EngineChoice::kAot) {
    return Error{"cannot run this module's AOT code on " +
                 (host_known ? loaded.host.ToString() : std::string("this machine")) + ": " +
                 Join(loaded.reasons, "; ")};
  }
  return loaded;
}

}  // namespace rivet
