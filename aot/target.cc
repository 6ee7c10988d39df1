// ResolveTarget: `rivet compile`'s target options checked against LLVM's own
// tables of CPUs and features, so that whatever passes here is something the
// backend accepts without falling back silently or aborting.
#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_join.h"
#include "aot/compiler.h"
#include "aot/llvm_targets.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/TargetParser/Host.h"

// The backends rivet uses; libLLVM exports these entry points (the macros
// in llvm/Config/Targets.def would register every backend built in).
extern "C" {
void LLVMInitializeX86TargetInfo();
void LLVMInitializeX86Target();
void LLVMInitializeX86TargetMC();
void LLVMInitializeX86AsmPrinter();
void LLVMInitializeRISCVTargetInfo();
void LLVMInitializeRISCVTarget();
void LLVMInitializeRISCVTargetMC();
void LLVMInitializeRISCVAsmPrinter();
}

namespace rivet::aot {

void InitializeLlvmTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeRISCVTargetInfo();
    LLVMInitializeRISCVTarget();
    LLVMInitializeRISCVTargetMC();
    LLVMInitializeRISCVAsmPrinter();
  });
}

namespace {

struct MachineInfo {
  AotMachine machine;
  std::string_view name;
  std::string_view triple;
  std::vector<std::string_view> abis;  // the first is the default
  std::string_view default_cpu;        // what the section records when --cpu is absent
  uint32_t pointer_bits;
  // The features the section always records, signed, whatever the CPU and
  // flags: those that change which instructions compiled code may use in
  // ways that matter to rivet (helper calls on reduced cores, vector width).
  // Any other feature named in --cpu-features is recorded too.
  std::vector<std::string_view> reported_features;
};

const std::vector<MachineInfo>& Machines() {
  static const std::vector<MachineInfo> machines = {
      {AotMachine::kX86_64, "x86_64", "x86_64-unknown-linux-gnu", {"sysv"}, "x86-64", 64,
       // sse2 is part of x86-64 itself; the rest are the extensions LLVM
       // uses for wasm's scalar and SIMD operations when present.
       {"avx", "avx2", "avx512bw", "avx512dq", "avx512f", "avx512vl", "bmi", "bmi2", "f16c",
        "fma", "lzcnt", "movbe", "popcnt", "sse2", "sse3", "sse4.1", "sse4.2", "ssse3"}},
      {AotMachine::kRiscv64, "riscv64", "riscv64-unknown-linux-gnu", {"lp64d", "lp64", "lp64f"},
       "generic", 64,
       {"a", "c", "d", "f", "m", "v", "zba", "zbb", "zbs", "zfa", "zfh", "zicond"}},
      {AotMachine::kRiscv32, "riscv32", "riscv32-unknown-elf", {"ilp32", "ilp32f", "ilp32d"},
       "generic", 32,
       {"a", "c", "d", "f", "m", "v", "zba", "zbb", "zbs", "zfa", "zfh", "zicond"}},
  };
  return machines;
}

// The target name of the machine rivet itself runs on.
absl::StatusOr<std::string_view> HostTargetName() {
#if defined(__x86_64__)
  return "x86_64";
#elif defined(__riscv) && __riscv_xlen == 64
  return "riscv64";
#elif defined(__riscv) && __riscv_xlen == 32
  return "riscv32";
#else
  return absl::InvalidArgumentError(
      "--target=host: rivet cannot compile for the machine it runs on; use "
      "--target=x86_64, riscv64 or riscv32");
#endif
}

bool IsRiscv(const MachineInfo& info) { return info.machine != AotMachine::kX86_64; }

// Features that select the instruction-set width or mode: the target's
// triple decides them, and changing them makes LLVM abort.
bool IsWidthFeature(std::string_view name) {
  return name == "16bit-mode" || name == "32bit-mode" || name == "64bit-mode" ||
         name == "32bit" || name == "64bit";
}

bool HasFeature(const llvm::MCSubtargetInfo& subtarget, std::string_view name) {
  for (const llvm::SubtargetFeatureKV& feature : subtarget.getAllProcessorFeatures()) {
    if (name == feature.Key) return subtarget.getFeatureBits()[feature.Value];
  }
  return false;
}

bool IsKnownFeature(const llvm::MCSubtargetInfo& subtarget, std::string_view name) {
  for (const llvm::SubtargetFeatureKV& feature : subtarget.getAllProcessorFeatures()) {
    if (name == feature.Key) return true;
  }
  return false;
}

// LLVM aborts when a CPU's XLEN differs from the triple's ("RV32 target
// requires an RV32 CPU"): a CPU fits when its "64bit" feature matches the
// target's pointer width. (On x86-64 this also leaves out 32-bit-only CPUs.)
bool CpuFitsTarget(const llvm::Target& target, const MachineInfo& info, std::string_view cpu) {
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target.createMCSubtargetInfo(std::string(info.triple), std::string(cpu), ""));
  return subtarget != nullptr && HasFeature(*subtarget, "64bit") == (info.pointer_bits == 64);
}

std::vector<std::string> ValidCpus(const llvm::Target& target, const MachineInfo& info,
                                   const llvm::MCSubtargetInfo& base) {
  std::vector<std::string> cpus;
  for (const llvm::SubtargetSubTypeKV& cpu : base.getAllProcessorDescriptions()) {
    if (CpuFitsTarget(target, info, cpu.Key)) cpus.push_back(cpu.Key);
  }
  return cpus;
}

struct FeatureFlag {
  bool enable;
  std::string name;
};

// Parses "+m,-c,+zbb" and checks every name against LLVM's feature table.
absl::StatusOr<std::vector<FeatureFlag>> ParseFeatureFlags(std::string_view text,
                                                          const MachineInfo& info,
                                                          const llvm::MCSubtargetInfo& base) {
  std::vector<FeatureFlag> flags;
  if (text.empty()) return flags;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = std::min(text.find(',', start), text.size());
    std::string_view item = text.substr(start, comma - start);
    start = comma + 1;
    if (item.size() < 2 || (item[0] != '+' && item[0] != '-')) {
      return absl::InvalidArgumentError(
          "--cpu-features: \"" + std::string(item) +
          "\" is not a signed feature name; write each feature as +NAME or -NAME, separated by "
          "commas (for example +m,+a,-c)");
    }
    std::string name(item.substr(1));
    if (IsWidthFeature(name)) {
      return absl::InvalidArgumentError("--cpu-features: \"" + name + "\" is fixed by --target=" +
                                        std::string(info.name) + " and cannot be changed");
    }
    if (IsRiscv(info) && name == "e") {
      return absl::InvalidArgumentError(
          "--cpu-features: the E base ISA (16 registers) needs the ilp32e/lp64e ABIs, which "
          "rivet does not support");
    }
    if (!IsKnownFeature(base, name)) {
      std::vector<std::string> known;
      for (const llvm::SubtargetFeatureKV& feature : base.getAllProcessorFeatures()) {
        if (!IsWidthFeature(feature.Key)) known.push_back(feature.Key);
      }
      return absl::InvalidArgumentError("--cpu-features: unknown feature \"" + name + "\" for " +
                                        std::string(info.name) +
                                        "; valid features: " + absl::StrJoin(known, ","));
    }
    flags.push_back({item[0] == '+', std::move(name)});
  }
  return flags;
}

std::string LlvmFeatureString(const std::vector<FeatureFlag>& flags) {
  std::vector<std::string> items;
  for (const FeatureFlag& flag : flags) items.push_back((flag.enable ? "+" : "-") + flag.name);
  return absl::StrJoin(items, ",");
}

// The hard-float ABIs pass floats in F/D registers, which need the extension.
absl::Status CheckAbiFeatures(const MachineInfo& info, const ResolvedTarget& target,
                              const llvm::MCSubtargetInfo& subtarget) {
  if (!IsRiscv(info)) return absl::OkStatus();
  std::string_view abi = target.abi;
  std::string_view needed;
  std::string_view what;
  if (abi.ends_with('f')) {
    needed = "f";
    what = "single-precision floats in F registers";
  } else if (abi.ends_with('d')) {
    needed = "d";
    what = "double-precision floats in D registers";
  } else {
    return absl::OkStatus();
  }
  if (HasFeature(subtarget, needed)) return absl::OkStatus();
  std::string soft_abi = info.pointer_bits == 64 ? "lp64" : "ilp32";
  return absl::InvalidArgumentError(
      "--target-abi=" + target.abi + " passes " + std::string(what) + " and needs +" +
      std::string(needed) + ", but CPU " + target.cpu + " with features " +
      (target.features.empty() ? std::string("(none)") : target.features) + " lacks it; add +" + std::string(needed) +
      " to --cpu-features, " +
      (info.pointer_bits == 64 ? "choose a --cpu that has it (e.g. sifive-u74), " : "") +
      "or use --target-abi=" + soft_abi);
}

}  // namespace

absl::StatusOr<ResolvedTarget> ResolveTarget(const TargetOptions& options) {
  InitializeLlvmTargets();

  // The machine.
  std::string_view target_name = options.target;
  bool is_host = target_name == "host";
  if (is_host) {
    absl::StatusOr<std::string_view> host = HostTargetName();
    if (!host.ok()) return host.status();
    target_name = *host;
  }
  const MachineInfo* info = nullptr;
  for (const MachineInfo& candidate : Machines()) {
    if (candidate.name == target_name) info = &candidate;
  }
  if (info == nullptr) {
    return absl::InvalidArgumentError("--target: unknown target \"" + options.target +
                                      "\"; valid targets: x86_64, riscv64, riscv32, host");
  }

  // Optimisation levels, which LLVM takes as O0..O3 and Os/Oz (O2 variants).
  if (options.opt_level > 3) {
    return absl::InvalidArgumentError("--opt-level=" + std::to_string(options.opt_level) +
                                      " is out of range; valid levels: 0, 1, 2, 3");
  }
  if (options.size_level > 2) {
    return absl::InvalidArgumentError("--size-level=" + std::to_string(options.size_level) +
                                      " is out of range; valid levels: 0, 1 (Os), 2 (Oz)");
  }
  if (options.size_level > 0 && options.opt_level != 2) {
    return absl::InvalidArgumentError(
        "--size-level=" + std::to_string(options.size_level) + " needs --opt-level=2 (LLVM's " +
        (options.size_level == 1 ? "Os" : "Oz") + " is a variant of O2), not --opt-level=" +
        std::to_string(options.opt_level));
  }

  ResolvedTarget resolved;
  resolved.machine = info->machine;
  resolved.triple = info->triple;
  resolved.pointer_bits = info->pointer_bits;

  // The ABI.
  resolved.abi = options.abi.empty() ? std::string(info->abis.front()) : options.abi;
  if (std::find(info->abis.begin(), info->abis.end(), resolved.abi) == info->abis.end()) {
    // (Debian's Abseil has its own string_view, which StrJoin cannot take
    // from std::string_view.)
    std::vector<std::string> abis(info->abis.begin(), info->abis.end());
    return absl::InvalidArgumentError("--target-abi: unknown ABI \"" + resolved.abi + "\" for " +
                                      std::string(info->name) + "; valid ABIs: " +
                                      absl::StrJoin(abis, ", ") + " (default " + abis.front() +
                                      ")");
  }

  if (options.guard_pages && info->pointer_bits != 64) {
    return absl::InvalidArgumentError(
        "--bounds-checks=guard-pages needs a 64-bit target: guard pages reserve 8 GiB of "
        "address space per memory, which " +
        std::string(info->name) + " does not have; use --bounds-checks=explicit");
  }

  std::string error;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(resolved.triple, error);
  if (target == nullptr) {
    return absl::InternalError("LLVM has no backend for " + resolved.triple + ": " + error);
  }
  // A subtarget with no CPU: only its tables are used, to check names
  // before LLVM sees them (it warns on stderr and ignores unknown ones).
  std::unique_ptr<llvm::MCSubtargetInfo> base(
      target->createMCSubtargetInfo(resolved.triple, "", ""));
  if (base == nullptr) {
    return absl::InternalError("LLVM cannot describe the subtargets of " + resolved.triple);
  }

  // The CPU. For --target=host without --cpu, the CPU rivet runs on (as
  // clang's -mcpu=native), when LLVM knows it for this target.
  resolved.cpu = options.cpu;
  if (resolved.cpu.empty() && is_host) {
    std::string host_cpu = llvm::sys::getHostCPUName().str();
    if (base->isCPUStringValid(host_cpu) && CpuFitsTarget(*target, *info, host_cpu)) {
      resolved.cpu = host_cpu;
    }
  }
  if (resolved.cpu.empty()) resolved.cpu = info->default_cpu;
  if (!base->isCPUStringValid(resolved.cpu) || !CpuFitsTarget(*target, *info, resolved.cpu)) {
    return absl::InvalidArgumentError("--cpu: unknown CPU \"" + resolved.cpu + "\" for " +
                                      std::string(info->name) + "; valid CPUs: " +
                                      absl::StrJoin(ValidCpus(*target, *info, *base), ", "));
  }

  // The features: the CPU's, changed by the flags in order.
  absl::StatusOr<std::vector<FeatureFlag>> flags =
      ParseFeatureFlags(options.features, *info, *base);
  if (!flags.ok()) return flags.status();
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(resolved.triple, resolved.cpu, LlvmFeatureString(*flags)));
  if (subtarget == nullptr) {
    return absl::InternalError("LLVM cannot create a subtarget for " + resolved.triple +
                               " CPU " + resolved.cpu);
  }
  // Sorted by name, each once: a std::map does both.
  std::map<std::string, bool> reported;
  for (std::string_view name : info->reported_features) {
    if (IsKnownFeature(*subtarget, name)) {
      reported[std::string(name)] = HasFeature(*subtarget, name);
    }
  }
  for (const FeatureFlag& flag : *flags) reported[flag.name] = HasFeature(*subtarget, flag.name);
  std::vector<std::string> signed_features;
  for (const auto& [name, enabled] : reported) {
    signed_features.push_back((enabled ? "+" : "-") + name);
  }
  resolved.features = absl::StrJoin(signed_features, ",");

  if (absl::Status abi = CheckAbiFeatures(*info, resolved, *subtarget); !abi.ok()) return abi;

  if (IsRiscv(*info)) {
    // V guarantees VLEN >= 128 (it implies zvl128b), so 128-bit vectors fit
    // its registers. The translator does not use V yet either way.
    resolved.has_simd = HasFeature(*subtarget, "v");
  } else {
    // Every x86-64 CPU has SSE2, hence 128-bit XMM registers.
    resolved.has_simd = true;
  }
  return resolved;
}

}  // namespace rivet::aot
