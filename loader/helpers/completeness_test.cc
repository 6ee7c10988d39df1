// Compiles IR of every wasm operation with LLVM 19's llc for every RISC-V
// core (rv32/rv64 under every combination of M, A, F, D, C, Zbb and every
// valid float ABI) and for x86-64, and checks that every symbol the code
// leaves undefined is in the helper table for that float ABI, and that
// FeatureAvoiding names a feature that really makes the call go away.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "loader/helpers/helpers.h"
#include "loader/helpers/wasm_ops_ir.h"

namespace rivet::helpers {
namespace {

constexpr char kLlc[] = "/usr/lib/llvm-19/bin/llc";
constexpr char kNm[] = "/usr/lib/llvm-19/bin/llvm-nm";

struct Target {
  int xlen = 64;  // 0 for x86-64
  bool m = false, a = false, c = false, zbb = false, f = false, d = false;
  FloatAbi abi = FloatAbi::kSoft;

  bool operator<(const Target& other) const { return Key() < other.Key(); }
  std::string Key() const {
    if (xlen == 0) return "x86-64";
    return "rv" + std::to_string(xlen) + " " + Attributes() + " " + AbiName();
  }
  std::string Attributes() const {
    auto flag = [](bool on, const char* name) { return std::string(on ? "+" : "-") + name; };
    return flag(m, "m") + "," + flag(a, "a") + "," + flag(c, "c") + "," + flag(zbb, "zbb") + "," +
           flag(f, "f") + "," + flag(d, "d");
  }
  std::string AbiName() const {
    const std::string base = xlen == 32 ? "ilp32" : "lp64";
    switch (abi) {
      case FloatAbi::kSoft:
        return base;
      case FloatAbi::kSingle:
        return base + "f";
      case FloatAbi::kDouble:
        return base + "d";
    }
    return base;
  }
};

std::vector<Target> AllTargets() {
  std::vector<Target> targets;
  for (int xlen : {32, 64}) {
    for (int bits = 0; bits < 16; ++bits) {
      // Float extensions: none, F, or F and D (D requires F).
      for (int floats = 0; floats < 3; ++floats) {
        // Each float ABI needs the extension of its widest type.
        for (int abi = 0; abi <= floats; ++abi) {
          Target target;
          target.xlen = xlen;
          target.m = (bits & 1) != 0;
          target.a = (bits & 2) != 0;
          target.c = (bits & 4) != 0;
          target.zbb = (bits & 8) != 0;
          target.f = floats >= 1;
          target.d = floats == 2;
          target.abi = static_cast<FloatAbi>(abi);
          targets.push_back(target);
        }
      }
    }
  }
  Target x86;
  x86.xlen = 0;
  x86.abi = FloatAbi::kDouble;  // SSE registers for float and double
  targets.push_back(x86);
  return targets;
}

std::string RunCommand(const std::string& command, int* status) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *status = -1;
    return output;
  }
  char buffer[4096];
  size_t got;
  while ((got = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, got);
  *status = pclose(pipe);
  return output;
}

std::string TempDirectory() {
  const char* directory = std::getenv("TEST_TMPDIR");
  return directory != nullptr ? directory : "/tmp";
}

// The IR for a target: pointer width, and min/max only where they can be
// lowered (see WasmIrOptions).
std::string IrFileFor(const Target& target) {
  WasmIrOptions options;
  options.pointer_bits = target.xlen == 32 ? 32 : 64;
  options.f32_in_hardware = target.xlen == 0 || target.f;
  options.f64_in_hardware = target.xlen == 0 || target.d;
  const std::string path = TempDirectory() + "/ops_" + std::to_string(options.pointer_bits) +
                           (options.f32_in_hardware ? "f" : "") +
                           (options.f64_in_hardware ? "d" : "") + ".ll";
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  std::ifstream existing(path);
  if (!existing.good()) {
    std::ofstream out(path);
    out << WasmOperationsIr(options);
  }
  return path;
}

struct Compiled {
  bool ok = false;
  std::string error;
  std::set<std::string> undefined;
};

Compiled Compile(const Target& target, int worker) {
  Compiled result;
  const std::string ir = IrFileFor(target);
  const std::string object = TempDirectory() + "/ops_worker" + std::to_string(worker) + ".o";
  std::string llc = std::string(kLlc) + " -O2 -filetype=obj -o " + object + " ";
  if (target.xlen == 0) {
    llc += "-mtriple=x86_64-unknown-linux-gnu ";
  } else {
    llc += "-mtriple=riscv" + std::to_string(target.xlen) + "-unknown-linux-gnu -mattr=" +
           target.Attributes() + " -target-abi=" + target.AbiName() + " ";
  }
  int status = 0;
  std::string output = RunCommand(llc + ir + " 2>&1", &status);
  if (status != 0) {
    result.error = "llc failed: " + output;
    return result;
  }
  output = RunCommand(std::string(kNm) + " -u --format=just-symbols " + object + " 2>&1", &status);
  if (status != 0) {
    result.error = "llvm-nm failed: " + output;
    return result;
  }
  std::istringstream lines(output);
  std::string symbol;
  while (lines >> symbol) result.undefined.insert(symbol);
  result.ok = true;
  return result;
}

std::map<Target, Compiled> CompileAll() {
  const std::vector<Target> targets = AllTargets();
  std::map<Target, Compiled> results;
  std::mutex mutex;
  size_t next = 0;
  auto work = [&](int worker) {
    for (;;) {
      Target target;
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (next == targets.size()) return;
        target = targets[next++];
      }
      Compiled compiled = Compile(target, worker);
      std::lock_guard<std::mutex> lock(mutex);
      results[target] = std::move(compiled);
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < 2; ++i) workers.emplace_back(work, i);
  for (auto& worker : workers) worker.join();
  return results;
}

const std::map<Target, Compiled>& Results() {
  static const std::map<Target, Compiled>* results = new auto(CompileAll());
  return *results;
}

TEST(Completeness, EveryUndefinedSymbolIsAHelper) {
  std::set<std::string> seen;
  for (const auto& [target, compiled] : Results()) {
    ASSERT_TRUE(compiled.ok) << target.Key() << ": " << compiled.error;
    for (const std::string& symbol : compiled.undefined) {
      seen.insert(symbol);
      EXPECT_NE(FindHelper(symbol, target.abi), nullptr)
          << target.Key() << " calls " << symbol << ", which the helper table lacks";
    }
  }
  // The matrix really reaches the helpers: a core without M, A and F calls
  // all of these.
  for (const char* expected : {"__mulsi3", "__divdi3", "__atomic_compare_exchange_4", "__adddf3",
                               "__addsf3", "__fixunsdfdi", "ceilf", "memcpy", "fmin", "sqrt"}) {
    EXPECT_TRUE(seen.count(expected) != 0) << expected << " was never called";
  }
  EXPECT_EQ(Results().size(), AllTargets().size());
}

// On rv64, adding the feature FeatureAvoiding names (to an otherwise equal
// target with the same ABI) makes the call disappear. On rv32, 64-bit
// division and i64 <-> float conversions stay (documented in helpers.h).
TEST(Completeness, FeatureAvoidingNamesAFeatureThatAvoidsTheCall) {
  int checked = 0;
  for (const auto& [target, compiled] : Results()) {
    if (target.xlen != 64) continue;
    for (const std::string& symbol : compiled.undefined) {
      const std::string_view feature = FeatureAvoiding(symbol);
      Target better = target;
      if (feature == "+m") {
        better.m = true;
      } else if (feature == "+a") {
        better.a = true;
      } else if (feature == "+f") {
        better.f = true;
      } else if (feature == "+d") {
        better.f = better.d = true;
      } else if (feature == "+zbb") {
        better.zbb = true;
      } else {
        EXPECT_EQ(feature, "") << symbol;
        continue;
      }
      auto found = Results().find(better);
      ASSERT_NE(found, Results().end()) << better.Key();
      EXPECT_EQ(found->second.undefined.count(symbol), 0u)
          << symbol << ": " << feature << " does not avoid it (" << better.Key() << ")";
      ++checked;
    }
  }
  EXPECT_GT(checked, 1000);
}

}  // namespace
}  // namespace rivet::helpers
