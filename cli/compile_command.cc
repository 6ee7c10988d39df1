// rivet compile: see compile_command.h.
#include "cli/compile_command.h"

#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aot/compiler.h"
#include "cli/commands.h"
#include "cli/file_util.h"
#include "loader/aot_section.h"
#include "loader/features.h"
#include "loader/module.h"

namespace rivet::cli {
namespace {

constexpr char kUsage[] =
    "usage: rivet compile [--target=x86_64|riscv64|riscv32|host] [--target-abi=ABI]\n"
    "                     [--cpu=NAME] [--cpu-features=+m,+a,-c,...] [--opt-level=0..3]\n"
    "                     [--size-level=0..2] [--bounds-checks=explicit|guard-pages]\n"
    "                     -o OUT IN.wasm\n";

constexpr char kHelp[] =
    "\n"
    "Compiles every function of IN.wasm ahead of time and writes OUT: the module\n"
    "with one rivet.aot custom section per target.\n"
    "\n"
    "  --target=NAME         x86_64, riscv64, riscv32, or host (this machine, and\n"
    "                        its CPU unless --cpu says otherwise); default host.\n"
    "                        Each --target starts a new target: the options after\n"
    "                        it apply to it, so one command can compile several.\n"
    "  --target-abi=ABI      sysv (x86_64); lp64d (default), lp64f, lp64 (riscv64);\n"
    "                        ilp32 (default), ilp32f, ilp32d (riscv32)\n"
    "  --cpu=NAME            an LLVM CPU name (default x86-64, or generic on RISC-V)\n"
    "  --cpu-features=LIST   features added (+) or removed (-) from the CPU's own\n"
    "  --opt-level=N         0..3 (default 2)\n"
    "  --size-level=N        0..2: Os, Oz (with --opt-level=2; default 0)\n"
    "  --bounds-checks=MODE  explicit (default) or guard-pages (64-bit targets)\n"
    "  -o OUT                the output; if it already is IN compiled for other\n"
    "                        targets, their sections are kept\n";

// One --target and the options that follow it.
struct TargetRequest {
  aot::TargetOptions options;
  bool target_given = false;
  std::vector<std::string> options_given;  // to refuse an option twice

  std::string Describe() const { return "--target=" + options.target; }
};

struct Request {
  std::vector<TargetRequest> targets;
  std::string input;
  std::string output;
};

std::optional<uint32_t> ParseLevel(std::string_view text, uint32_t max) {
  if (text.size() != 1 || text[0] < '0' || text[0] > '0' + static_cast<int>(max)) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(text[0] - '0');
}

// Parses the command line; returns an error message naming the option.
Result<Request> ParseArguments(std::span<const std::string> args) {
  Request request;
  request.targets.emplace_back();
  request.targets.back().options.target = "host";
  bool output_given = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-o") {
      if (i + 1 == args.size()) return Error{"-o needs a file name after it"};
      if (output_given) return Error{"-o given twice"};
      request.output = args[++i];
      output_given = true;
      continue;
    }
    if (arg.size() < 2 || arg[0] != '-' || arg == "--") {
      if (arg == "--") {
        if (i + 2 != args.size()) return Error{"expected exactly one IN.wasm after --"};
        ++i;
      }
      if (!request.input.empty()) {
        return Error{"more than one input (\"" + request.input + "\" and \"" + args[i] +
                     "\"); compile one module at a time"};
      }
      request.input = args[i];
      continue;
    }
    size_t equals = arg.find('=');
    if (equals == std::string::npos) {
      return Error{"unknown option \"" + arg + "\"" +
                   (arg.starts_with("--") ? " (options take their value after '=', e.g. "
                                            "--target=riscv64)"
                                          : "")};
    }
    std::string name = arg.substr(0, equals);
    std::string value = arg.substr(equals + 1);

    if (name == "--target") {
      // The first --target names the target the options before it already
      // configure; every later one starts a new target.
      if (request.targets.back().target_given) request.targets.emplace_back();
      request.targets.back().options.target = value;
      request.targets.back().target_given = true;
      continue;
    }
    TargetRequest& target = request.targets.back();
    for (const std::string& given : target.options_given) {
      if (given == name) {
        return Error{name + " given twice for " + target.Describe() +
                     " (repeat --target to compile for several targets)"};
      }
    }
    target.options_given.push_back(name);
    aot::TargetOptions& options = target.options;
    if (name == "--target-abi") {
      options.abi = value;
    } else if (name == "--cpu") {
      if (value.empty()) return Error{"--cpu needs a CPU name"};
      options.cpu = value;
    } else if (name == "--cpu-features") {
      options.features = value;
    } else if (name == "--opt-level") {
      std::optional<uint32_t> level = ParseLevel(value, 3);
      if (!level) return Error{"--opt-level=" + value + ": expected 0, 1, 2 or 3"};
      options.opt_level = *level;
    } else if (name == "--size-level") {
      std::optional<uint32_t> level = ParseLevel(value, 2);
      if (!level) return Error{"--size-level=" + value + ": expected 0, 1 or 2"};
      options.size_level = *level;
    } else if (name == "--bounds-checks") {
      if (value == "explicit") {
        options.guard_pages = false;
      } else if (value == "guard-pages") {
        options.guard_pages = true;
      } else {
        return Error{"--bounds-checks=" + value + ": expected explicit or guard-pages"};
      }
    } else {
      return Error{"unknown option \"" + name + "\""};
    }
  }
  if (request.input.empty()) return Error{"no input module given"};
  if (!output_given || request.output.empty()) return Error{"no output given: add -o OUT"};
  return request;
}

// The module OUT's sections are added to: OUT itself when it is this
// module compiled before (for other targets, or these), otherwise IN.
std::vector<uint8_t> BaseForOutput(const std::string& output, std::vector<uint8_t> input,
                                   uint64_t input_hash) {
  Result<std::vector<uint8_t>> existing = ReadFile(output);
  if (!existing.ok()) return input;  // absent (or unreadable: the write will say)
  Result<uint64_t> existing_hash = aot::ModuleCodeHash(*existing);
  if (!existing_hash.ok() || *existing_hash != input_hash) return input;
  return std::move(*existing);
}

}  // namespace

int CompileCommand(std::span<const std::string> args) {
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage << kHelp;
      return kExitSuccess;
    }
  }
  Result<Request> request = ParseArguments(args);
  if (!request.ok()) {
    std::cerr << "rivet compile: " << request.error().message << "\n" << kUsage;
    return kExitUsage;
  }

  // Check every target before compiling any, so that a typo in the last
  // one does not wait for the others.
  for (const TargetRequest& target : request->targets) {
    absl::StatusOr<aot::ResolvedTarget> resolved = aot::ResolveTarget(target.options);
    if (!resolved.ok()) {
      std::cerr << "rivet compile: " << target.Describe() << ": " << resolved.status().message()
                << "\n";
      return kExitUsage;
    }
  }

  Result<std::vector<uint8_t>> input = ReadFile(request->input);
  if (!input.ok()) {
    std::cerr << "rivet compile: " << input.error().message << "\n";
    return kExitUsage;
  }
  Result<uint64_t> input_hash = aot::ModuleCodeHash(*input);
  if (!input_hash.ok()) {
    std::cerr << request->input << ": error: " << input_hash.error().message << "\n";
    return kExitFailure;
  }
  Result<std::shared_ptr<const Module>> module = DecodeModule(*input, Features::All());
  if (!module.ok()) {
    std::cerr << request->input << ": error: " << module.error().message << "\n";
    return kExitFailure;
  }

  std::vector<uint8_t> output = BaseForOutput(request->output, std::move(*input), *input_hash);
  for (const TargetRequest& target : request->targets) {
    absl::StatusOr<std::vector<uint8_t>> payload = aot::CompileModule(**module, target.options);
    if (!payload.ok()) {
      std::cerr << request->input << ": error: cannot compile for " << target.Describe() << ": "
                << payload.status().message() << "\n";
      return kExitFailure;
    }
    Result<aot::AotSection> section = aot::DecodeAotSection(*payload);
    Result<std::vector<uint8_t>> added =
        section.ok() ? aot::AddAotSection(output, *section) : Result<std::vector<uint8_t>>(
                                                                  section.error());
    if (!added.ok()) {
      std::cerr << request->output << ": error: " << added.error().message << "\n";
      return kExitFailure;
    }
    output = std::move(*added);
  }
  if (Status written = WriteFileAtomically(request->output, output); !written.ok()) {
    std::cerr << "rivet compile: " << written.error().message << "\n";
    return kExitFailure;
  }
  return kExitSuccess;
}

}  // namespace rivet::cli
