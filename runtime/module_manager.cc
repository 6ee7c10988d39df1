#include "runtime/module_manager.h"

#include <algorithm>
#include <map>
#include <set>

#include "loader/aot_abi.h"
#include "loader/elf/aot_image.h"
#include "loader/helpers/helpers.h"
#include "runtime/aot/helpers.h"

namespace rivet {
namespace {

// NativeCode over a mapped AOT image.
class ImageCode : public aot::NativeCode {
 public:
  explicit ImageCode(std::unique_ptr<elf::AotImage> image) : image_(std::move(image)) {}
  void* Symbol(std::string_view name) const override { return image_->Symbol(name); }

 private:
  std::unique_ptr<elf::AotImage> image_;
};

std::vector<std::string> SplitFeatures(std::string_view features) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= features.size()) {
    size_t end = features.find(',', start);
    if (end == std::string_view::npos) end = features.size();
    if (end > start) out.emplace_back(features.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

helpers::FloatAbi FloatAbiOf(std::string_view abi) {
  if (abi == "sysv" || abi.ends_with('d')) return helpers::FloatAbi::kDouble;
  if (abi.ends_with('f')) return helpers::FloatAbi::kSingle;
  return helpers::FloatAbi::kSoft;
}

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string Describe(const aot::AotSection& s) {
  std::string text = std::string(aot::MachineName(s.machine)) + " " + s.abi + " cpu=" + s.cpu;
  if (!s.features.empty()) text += " " + s.features;
  if (s.guard_pages()) text += " guard-pages";
  return text;
}

// The running machine's own facts, probed once.
const Result<HostProfile>& RunningHost() {
  static const Result<HostProfile> host = DetectHostProfile();
  return host;
}

// Whether `profile` describes the machine rivet runs on (the same
// architecture and float ABI as rivet's own build), so that code checked
// against it may be mapped and run here.
bool IsRunningMachine(const HostProfile& profile) {
  const Result<HostProfile>& running = RunningHost();
  return running.ok() && running->machine == profile.machine && running->abi == profile.abi;
}

// Checks one section against `host`; on success and when `execute`, maps
// its code.
AotCandidate Evaluate(std::span<const uint8_t> payload, uint64_t module_hash,
                      const HostProfile& host, bool execute,
                      std::shared_ptr<const aot::NativeCode>* native) {
  AotCandidate candidate;
  Result<aot::AotSection> decoded = aot::DecodeAotSection(payload);
  if (!decoded.ok()) {
    candidate.target = "unreadable section";
    candidate.reasons.push_back("the rivet.aot section is unusable: " + decoded.error().message);
    return candidate;
  }
  const aot::AotSection& section = *decoded;
  candidate.target = Describe(section);
  std::vector<std::string>& reasons = candidate.reasons;

  if (section.machine != host.machine) {
    reasons.push_back("compiled for " + std::string(aot::MachineName(section.machine)) +
                      ", but this host is " + std::string(aot::MachineName(host.machine)) +
                      " (compile with --target=" + std::string(aot::MachineName(host.machine)) +
                      ")");
  } else if (section.abi != host.abi) {
    reasons.push_back("compiled for the " + section.abi + " ABI, but this host's is " + host.abi +
                      " (compile with --target-abi=" + host.abi + ")");
  }
  if (section.machine == host.machine) {
    std::vector<std::string> missing;
    for (const std::string& feature : SplitFeatures(section.features)) {
      if (feature.size() > 1 && feature[0] == '+' && !host.Has(feature.substr(1))) {
        missing.push_back(feature.substr(1));
      }
    }
    if (!missing.empty()) {
      std::vector<std::string> flags;
      for (const std::string& m : missing) flags.push_back("-" + m);
      reasons.push_back("needs the " + Join(missing, ", ") + " extension" +
                        (missing.size() > 1 ? "s" : "") + ", which this CPU lacks (" +
                        host.source + "); compile with --cpu-features=" + Join(flags, ","));
    }
  }
  if (section.code_hash != module_hash) {
    reasons.push_back("compiled from a different module (code hash differs): recompile it");
  }
  if (section.guard_pages() && execute) {
    reasons.push_back("compiled for guard pages, which this runtime does not reserve "
                      "(compile with --bounds-checks=explicit)");
  }

  // Every symbol the code calls must resolve.
  helpers::FloatAbi float_abi = FloatAbiOf(section.abi);
  std::vector<std::string> unresolved;
  std::set<std::string> avoiding;
  bool some_unavoidable = false;
  for (const std::string& name : section.helpers) {
    if (aot::FindRuntimeHelper(name) != nullptr) continue;
    const helpers::HelperEntry* entry = helpers::FindHelperEntry(name);
    bool available = entry != nullptr &&
                     (!execute || entry->address[static_cast<size_t>(float_abi)] != nullptr);
    if (available) continue;
    unresolved.push_back(name);
    std::string_view feature = helpers::FeatureAvoiding(name);
    if (feature.empty()) {
      some_unavoidable = true;
    } else {
      avoiding.insert(std::string(feature));
    }
  }
  if (!unresolved.empty()) {
    std::string reason = "unresolved symbol" + std::string(unresolved.size() > 1 ? "s " : " ") +
                         Join(unresolved, ", ");
    if (!avoiding.empty()) {
      reason += "; compile with --cpu-features=" +
                Join(std::vector<std::string>(avoiding.begin(), avoiding.end()), ",") +
                (some_unavoidable ? " (which avoids some of them)" : " to avoid them");
    }
    reasons.push_back(reason);
  }
  if (!reasons.empty()) {
    candidate.section = section;
    return candidate;
  }

  // Relocate: into this process, or into a scratch buffer for a foreign
  // machine, with made-up helper addresses near the image.
  std::map<std::string, uint64_t, std::less<>> scratch_addresses;
  constexpr uint64_t kScratchBase = 0x10000000;
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
        std::string(name), kScratchBase - 0x100000 + 16 * scratch_addresses.size());
    return it->second;
  };
  Result<std::unique_ptr<elf::AotImage>> image = elf::AotImage::Load(
      section.object, section.machine, resolve,
      execute ? elf::LoadMode::kExecute : elf::LoadMode::kScratch, kScratchBase);
  if (!image.ok()) {
    reasons.push_back("the code does not load: " + image.error().message);
  } else if ((*image)->AbiName() != section.abi) {
    reasons.push_back("the object's ELF header says ABI " + (*image)->AbiName() +
                      " but its section says " + section.abi);
  } else if (execute) {
    *native = std::make_shared<ImageCode>(std::move(*image));
  }
  candidate.section = section;
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

std::string LoadedModule::Explain() const {
  std::string text = "engine: " + std::string(EngineChoiceName(engine)) + "\n";
  if (engine == EngineChoice::kAot) {
    for (const AotCandidate& c : candidates) {
      if (c.reasons.empty()) {
        text += "  runs the AOT code for " + c.target + " on " + host.ToString() + "\n";
        break;
      }
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
    loaded.reasons.push_back("the interpreter was asked for");
    return loaded;
  }
  bool execute;
  if (options.host) {
    loaded.host = *options.host;
    execute = IsRunningMachine(loaded.host);
  } else {
    const Result<HostProfile>& running = RunningHost();
    if (!running.ok()) {
      loaded.reasons.push_back(running.error().message);
    } else {
      loaded.host = *running;
    }
    execute = running.ok();
  }

  std::vector<const CustomSection*> sections;
  for (const CustomSection& custom : m.customs) {
    if (custom.name == aot::kAotSectionName) sections.push_back(&custom);
  }
  if (sections.empty()) {
    loaded.reasons.push_back(
        "the module has no rivet.aot section (compile it with `rivet compile`)");
  } else if (loaded.reasons.empty()) {
    Result<uint64_t> hash = aot::ModuleCodeHash(m.bytes());
    uint64_t module_hash = hash.ok() ? *hash : 0;
    for (const CustomSection* custom : sections) {
      std::shared_ptr<const aot::NativeCode> native;
      AotCandidate candidate =
          Evaluate(m.Range(custom->offset, custom->size), module_hash, loaded.host,
                   execute, &native);
      bool fits = candidate.reasons.empty();
      loaded.candidates.push_back(std::move(candidate));
      if (fits) {
        loaded.engine = EngineChoice::kAot;
        loaded.native = std::move(native);
        loaded.reasons.clear();
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
    return Error{"cannot run this module's AOT code on " + loaded.host.ToString() + ": " +
                 Join(loaded.reasons, "; ")};
  }
  return loaded;
}

}  // namespace rivet
