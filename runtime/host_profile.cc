#include "runtime/host_profile.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <string>
#include <vector>

#if defined(__x86_64__)
#include <cpuid.h>
#endif
#if defined(__riscv) && defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "runtime/string_util.h"

namespace rivet {
namespace {

// The x86-64 extensions a profile may name: those `rivet compile` records in
// a section's features (aot/target.cc) and DetectHostProfile probes.
constexpr std::string_view kX86Extensions[] = {
    "avx",  "avx2",   "avx512bw", "avx512dq", "avx512f", "avx512vl", "bmi",  "bmi2",   "f16c",
    "fma",  "lzcnt",  "movbe",    "popcnt",   "sse2",    "sse3",     "sse4.1", "sse4.2", "ssse3",
};

bool IsX86Extension(std::string_view name) {
  for (std::string_view known : kX86Extensions) {
    if (name == known) return true;
  }
  return false;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// "zicsr2p0" -> "zicsr": drops a trailing version, MAJOR or MAJORpMINOR.
std::string_view StripVersion(std::string_view name) {
  size_t end = name.size();
  while (end > 0 && IsDigit(name[end - 1])) --end;
  if (end < name.size() && end >= 2 && name[end - 1] == 'p' && IsDigit(name[end - 2])) {
    --end;
    while (end > 0 && IsDigit(name[end - 1])) --end;
  }
  return name.substr(0, end);
}

bool IsRiscvAbi(aot::AotMachine machine, std::string_view abi) {
  if (machine == aot::AotMachine::kRiscv64) return abi == "lp64" || abi == "lp64f" || abi == "lp64d";
  return abi == "ilp32" || abi == "ilp32f" || abi == "ilp32d";
}

#if defined(__x86_64__)
// The x86-64 extensions that rivet compile records (aot/target.cc), from
// cpuid; AVX and AVX-512 also need the OS to save their registers.
void ProbeX86(std::set<std::string>& out) {
  unsigned eax, ebx, ecx, edx;
  out.insert("sse2");  // part of x86-64 itself
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return;
  auto bit = [](unsigned reg, int n) { return ((reg >> n) & 1) != 0; };
  if (bit(ecx, 0)) out.insert("sse3");
  if (bit(ecx, 9)) out.insert("ssse3");
  if (bit(ecx, 19)) out.insert("sse4.1");
  if (bit(ecx, 20)) out.insert("sse4.2");
  if (bit(ecx, 22)) out.insert("movbe");
  if (bit(ecx, 23)) out.insert("popcnt");
  bool os_avx = false, os_avx512 = false;
  if (bit(ecx, 27)) {  // OSXSAVE: xgetbv is available
    unsigned xcr0_lo, xcr0_hi;
    __asm__("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
    os_avx = (xcr0_lo & 0x6) == 0x6;
    os_avx512 = (xcr0_lo & 0xe6) == 0xe6;
  }
  if (os_avx) {
    if (bit(ecx, 28)) out.insert("avx");
    if (bit(ecx, 12)) out.insert("fma");
    if (bit(ecx, 29)) out.insert("f16c");
  }
  unsigned max_leaf = __get_cpuid_max(0, nullptr);
  if (max_leaf >= 7) {
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    if (bit(ebx, 3)) out.insert("bmi");
    if (bit(ebx, 8)) out.insert("bmi2");
    if (os_avx && bit(ebx, 5)) out.insert("avx2");
    if (os_avx512) {
      if (bit(ebx, 16)) out.insert("avx512f");
      if (bit(ebx, 17)) out.insert("avx512dq");
      if (bit(ebx, 30)) out.insert("avx512bw");
      if (bit(ebx, 31)) out.insert("avx512vl");
    }
  }
  if (__get_cpuid(0x80000001, &eax, &ebx, &ecx, &edx) && bit(ecx, 5)) out.insert("lzcnt");
}
#endif

#if defined(__riscv)
// What rivet itself was compiled for: the CPU runs rivet, so it has these.
void AddCompiledRiscvExtensions(std::set<std::string>& out) {
#if defined(__riscv_mul) || defined(__riscv_m)
  out.insert("m");
#endif
#if defined(__riscv_atomic) || defined(__riscv_a)
  out.insert("a");
#endif
#if defined(__riscv_flen) && __riscv_flen >= 32
  out.insert("f");
#endif
#if defined(__riscv_flen) && __riscv_flen >= 64
  out.insert("d");
#endif
#if defined(__riscv_compressed) || defined(__riscv_c)
  out.insert("c");
#endif
#if defined(__riscv_zba)
  out.insert("zba");
#endif
#if defined(__riscv_zbb)
  out.insert("zbb");
#endif
#if defined(__riscv_zbs)
  out.insert("zbs");
#endif
#if defined(__riscv_vector)
  out.insert("v");
#endif
}

#if defined(__linux__)
// The kernel's riscv_hwprobe (Linux 6.4+), when it answers.
void ProbeHwprobe(std::set<std::string>& out, std::string& source) {
#ifndef __NR_riscv_hwprobe
  constexpr long kHwprobe = 258;
#else
  constexpr long kHwprobe = __NR_riscv_hwprobe;
#endif
  struct Pair {
    int64_t key;
    uint64_t value;
  } pairs[2] = {{3, 0}, {4, 0}};  // BASE_BEHAVIOR, IMA_EXT_0
  if (syscall(kHwprobe, pairs, 2, 0, nullptr, 0) != 0) return;
  if (pairs[0].key == 3 && (pairs[0].value & 1)) {  // the IMA base
    out.insert("m");
    out.insert("a");
  }
  if (pairs[1].key != 4) return;
  uint64_t ext = pairs[1].value;
  if (ext & (1 << 0)) {
    out.insert("f");
    out.insert("d");
  }
  if (ext & (1 << 1)) out.insert("c");
  if (ext & (1 << 2)) out.insert("v");
  if (ext & (1 << 3)) out.insert("zba");
  if (ext & (1 << 4)) out.insert("zbb");
  if (ext & (1 << 5)) out.insert("zbs");
  source += ", hwprobe";
}
#endif
#endif

#if defined(__riscv) && defined(__linux__)
// The "isa" line of /proc/cpuinfo (RISC-V Linux), if there is one.
void ProbeCpuinfo(std::set<std::string>& out, std::string& source) {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("isa", 0) != 0) continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string isa = line.substr(colon + 1);
    isa.erase(0, isa.find_first_not_of(" \t"));
    unsigned xlen = 0;
    Result<std::set<std::string>> parsed = ParseRiscvIsa(isa, &xlen);
    if (!parsed.ok()) return;
    out.insert(parsed->begin(), parsed->end());
    source += ", /proc/cpuinfo";
    return;
  }
}
#endif

}  // namespace

std::string HostProfile::ToString() const {
  std::string text(aot::MachineName(machine));
  text += ':';
  if (machine == aot::AotMachine::kX86_64) {
    std::vector<std::string> signed_names;
    for (const std::string& extension : extensions) signed_names.push_back("+" + extension);
    text += Join(signed_names, ",");
  } else {
    // The canonical order of single-letter extensions, then the
    // multi-letter ones (sorted, as the set holds them), each after '_'.
    text += machine == aot::AotMachine::kRiscv64 ? "rv64" : "rv32";
    text += Has("e") ? "e" : "i";
    for (char letter : std::string_view("mafdqlcbkjtpvh")) {
      if (Has(std::string_view(&letter, 1))) text += letter;
    }
    for (const std::string& extension : extensions) {
      if (extension.size() > 1) text += "_" + extension;
    }
  }
  text += ":" + abi;
  return text;
}

Result<std::set<std::string>> ParseRiscvIsa(std::string_view isa, unsigned* xlen) {
  std::string lower;
  for (char c : isa) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto fail = [&](const std::string& what) {
    return Error{"ISA string \"" + std::string(isa) + "\": " + what};
  };
  std::string_view s = lower;
  if (s.starts_with("rv64")) {
    *xlen = 64;
  } else if (s.starts_with("rv32")) {
    *xlen = 32;
  } else {
    return fail("does not start with rv32 or rv64 (as in rv32imac or rv64gc)");
  }
  s.remove_prefix(4);
  if (s.empty() || (s[0] != 'i' && s[0] != 'e' && s[0] != 'g')) {
    return fail("expected the base ISA (i, e or g) after rv" + std::to_string(*xlen));
  }
  std::set<std::string> extensions;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '_') {
      ++i;
      continue;
    }
    if (c == 'z' || c == 's' || c == 'x') {  // a multi-letter extension, to '_'
      size_t end = std::min(s.find('_', i), s.size());
      std::string_view name = StripVersion(s.substr(i, end - i));
      if (name.size() < 2) {
        return fail("\"" + std::string(s.substr(i, end - i)) +
                    "\" is not a multi-letter extension name");
      }
      extensions.insert(std::string(name));
      i = end;
      continue;
    }
    if (!IsLower(c)) {
      return fail("unexpected '" + std::string(1, c) + "' at position " + std::to_string(i + 4));
    }
    ++i;
    // A version: MAJOR or MAJORpMINOR ("i2p1", "m2").
    while (i < s.size() && IsDigit(s[i])) ++i;
    if (i + 1 < s.size() && s[i] == 'p' && IsDigit(s[i - 1]) && IsDigit(s[i + 1])) {
      ++i;
      while (i < s.size() && IsDigit(s[i])) ++i;
    }
    switch (c) {
      case 'i':
        break;
      case 'g':  // IMAFD with Zicsr and Zifencei
        for (const char* e : {"m", "a", "f", "d", "zicsr", "zifencei"}) extensions.insert(e);
        break;
      case 'b':  // B is Zba, Zbb and Zbs
        for (const char* e : {"zba", "zbb", "zbs"}) extensions.insert(e);
        break;
      default:
        extensions.insert(std::string(1, c));
    }
  }
  if (extensions.count("d")) extensions.insert("f");  // D implies F
  return extensions;
}

Result<HostProfile> ParseHostProfile(std::string_view text) {
  std::vector<std::string_view> parts = Split(text, ':');
  auto fail = [&](const std::string& what) {
    return Error{"host profile \"" + std::string(text) + "\": " + what};
  };
  HostProfile profile;
  profile.source = "profile " + std::string(text);
  std::string_view arch = parts[0];
  if (arch == "x86_64") {
    if (parts.size() > 3) return fail("expected x86_64[:FEATURES[:sysv]], as in x86_64:+sse4.1,+popcnt");
    profile.machine = aot::AotMachine::kX86_64;
    profile.abi = "sysv";
    profile.extensions.insert("sse2");  // part of x86-64 itself
    if (parts.size() > 1) {
      for (std::string_view feature : Split(parts[1], ',')) {
        if (feature.empty()) continue;
        if (feature[0] == '-') {
          return fail("\"" + std::string(feature) +
                      "\": a profile lists the extensions the CPU has, as +NAME; leave out the "
                      "ones it lacks");
        }
        if (feature[0] == '+') feature.remove_prefix(1);
        if (!IsX86Extension(feature)) {
          return fail("unknown x86-64 extension \"" + std::string(feature) +
                      "\" (known: " + Join(kX86Extensions, ",") + ")");
        }
        profile.extensions.insert(std::string(feature));
      }
    }
    if (parts.size() > 2 && parts[2] != "sysv") {
      return fail("x86_64's ABI is sysv, not \"" + std::string(parts[2]) + "\"");
    }
    return profile;
  }
  if (arch != "riscv64" && arch != "riscv32") {
    return fail("unknown architecture \"" + std::string(arch) +
                "\" (expected x86_64, riscv64 or riscv32, as in riscv32:rv32imac:ilp32)");
  }
  profile.machine = arch == "riscv64" ? aot::AotMachine::kRiscv64 : aot::AotMachine::kRiscv32;
  if (parts.size() != 3) {
    return fail("expected ARCH:ISA:ABI, as in riscv32:rv32imac:ilp32 or riscv64:rv64gc:lp64d");
  }
  unsigned xlen = 0;
  Result<std::set<std::string>> isa = ParseRiscvIsa(parts[1], &xlen);
  if (!isa.ok()) return fail(isa.error().message);
  if ((xlen == 64) != (profile.machine == aot::AotMachine::kRiscv64)) {
    return fail("ISA " + std::string(parts[1]) + " is rv" + std::to_string(xlen) + ", not " +
                std::string(arch));
  }
  profile.extensions = std::move(*isa);
  if (profile.Has("e")) {
    return fail("the E base ISA (16 registers) cannot run rivet's AOT code, which needs the I "
                "base; use the interpreter (--engine=interp)");
  }
  profile.abi = std::string(parts[2]);
  if (!IsRiscvAbi(profile.machine, profile.abi)) {
    return fail("unknown ABI \"" + profile.abi + "\" for " + std::string(arch) + " (expected " +
                (profile.machine == aot::AotMachine::kRiscv64 ? "lp64, lp64f or lp64d"
                                                               : "ilp32, ilp32f or ilp32d") +
                ")");
  }
  char float_extension = profile.abi.back();
  if ((float_extension == 'd' || float_extension == 'f') &&
      !profile.Has(std::string_view(&float_extension, 1))) {
    return fail("ABI " + profile.abi + " passes floats in FP registers, which needs the " +
                std::string(1, float_extension) + " extension, but ISA " +
                std::string(parts[1]) + " lacks it");
  }
  return profile;
}

Result<HostProfile> DetectHostProfile() {
  HostProfile profile;
#if defined(__x86_64__)
  profile.machine = aot::AotMachine::kX86_64;
  profile.abi = "sysv";
  profile.source = "cpuid";
  ProbeX86(profile.extensions);
  return profile;
#elif defined(__riscv)
  profile.machine = __riscv_xlen == 64 ? aot::AotMachine::kRiscv64 : aot::AotMachine::kRiscv32;
  std::string base = __riscv_xlen == 64 ? "lp64" : "ilp32";
#if defined(__riscv_float_abi_double)
  profile.abi = base + "d";
#elif defined(__riscv_float_abi_single)
  profile.abi = base + "f";
#else
  profile.abi = base;
#endif
  profile.source = "rivet's own build";
  AddCompiledRiscvExtensions(profile.extensions);
#if defined(__linux__)
  ProbeHwprobe(profile.extensions, profile.source);
  ProbeCpuinfo(profile.extensions, profile.source);
#endif
  return profile;
#else
  return Error{"rivet has no AOT support for this machine's architecture"};
#endif
}

}  // namespace rivet
