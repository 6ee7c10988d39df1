#include "cli/aot_engine.h"


#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "cli/file_util.h"
#include "cli/interp_engine.h"
#include "cli/json.h"
#include "cli/precompiled_engine.h"
#include "cli/wast2json.h"
#include "cli/wast_script.h"
#include "loader/aot_section.h"
#include "runtime/module_manager.h"

namespace rivet::cli {
namespace {

namespace fs = std::filesystem;
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
  return LoadWithAotSection(*module, *section);
}

// State shared by the workers of one CompileScriptModules call.
class ModuleCompiler {
 public:
  ModuleCompiler(const AotCompileOptions& options, const aot::ResolvedTarget& target)
      : options_(options), target_(target) {}

  // Compiles one script's modules; returns its failure lines.
  std::string CompileScript(const wast::ScriptFile& script, AotCompileSummary& summary) {
    wast::ScriptSettings settings = wast::SettingsForPath(script.path);
    std::optional<wast::ConvertedScript> converted;
    std::string json_path = script.path;
    if (fs::path(script.path).extension() == ".wast") {
      Result<wast::ConvertedScript> result =
          wast::ConvertWast(options_.wast2json, script.path, settings.wast2json_flags);
      if (!result.ok()) return Failed(script.display_name, result.error().message, summary);
      converted = std::move(*result);
      json_path = converted->json_path;
    }
    Result<std::string> text = ReadTextFile(json_path);
    if (!text.ok()) return Failed(script.display_name, text.error().message, summary);
    Result<json::Value> json = json::Parse(*text);
    if (!json.ok()) {
      return Failed(script.display_name, "malformed JSON: " + json.error().message, summary);
    }
    Result<wast::Script> parsed = wast::ParseScript(*json);
    if (!parsed.ok()) {
      return Failed(script.display_name, "malformed script: " + parsed.error().message, summary);
    }

    std::string module_dir = fs::path(json_path).parent_path().string();
    if (module_dir.empty()) module_dir = ".";
    std::string failures;
    for (const wast::Command& command : parsed->commands) {
      using Type = wast::Command::Type;
      if (command.type != Type::kModule && command.type != Type::kAssertUnlinkable &&
          command.type != Type::kAssertUninstantiable) {
        continue;
      }
      if (command.text_module) continue;
      std::string where = script.display_name + ":" + std::to_string(command.line);
      if (Status status = CompileModuleFile(module_dir + "/" + command.filename,
                                            settings.features, summary);
          !status.ok()) {
        failures += where + ": " + command.type_name + ": cannot compile: " +
                    status.error().message + "\n";
        ++summary.failed;
      }
    }
    return failures;
  }

 private:
  std::string Failed(const std::string& name, const std::string& message,
                     AotCompileSummary& summary) {
    ++summary.failed;
    return name + ": " + message + "\n";
  }

  // Whether `path` holds code compiled for this target and these options.
  bool AlreadyCompiled(const std::string& path) const {
    Result<std::vector<uint8_t>> payload = ReadFile(path);
    if (!payload.ok()) return false;
    Result<aot::AotSection> section = aot::DecodeAotSection(*payload);
    return section.ok() && section->machine == target_.machine && section->abi == target_.abi &&
           section->cpu == target_.cpu && section->features == target_.features &&
           section->opt_level == options_.target.opt_level &&
           section->size_level == options_.target.size_level &&
           section->guard_pages() == options_.target.guard_pages;
  }

  Status CompileModuleFile(const std::string& module_path, const Features& features,
                           AotCompileSummary& summary) {
    Result<std::vector<uint8_t>> bytes = ReadFile(module_path);
    if (!bytes.ok()) return bytes.error();
    Result<uint64_t> hash = aot::ModuleCodeHash(*bytes);
    // A module that does not decode is the script's business (an
    // assert_malformed in disguise, or a bug the run reports); no code.
    if (!hash.ok()) return {};
    Result<std::shared_ptr<const Module>> module = DecodeModule(std::move(*bytes), features);
    if (!module.ok()) return {};

    // Each code hash is compiled once per run, by whichever worker meets it
    // first; the others count it as reused.
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!claimed_.insert(*hash).second) {
        ++summary.reused;
        return {};
      }
    }
    std::string path = options_.out_dir + "/" + PrecompiledFileName(*hash);
    if (AlreadyCompiled(path)) {
      ++summary.reused;
      return {};
    }
    absl::StatusOr<std::vector<uint8_t>> payload = aot::CompileModule(**module, options_.target);
    if (!payload.ok()) return Error{std::string(payload.status().message())};
    if (Status written = WriteFileAtomically(path, *payload); !written.ok()) return written;
    ++summary.compiled;
    return {};
  }

  const AotCompileOptions& options_;
  const aot::ResolvedTarget& target_;
  std::mutex mutex_;
  std::set<uint64_t> claimed_;
};

}  // namespace

std::unique_ptr<wast::Engine> NewAotEngine() { return NewRuntimeEngine(&CompileAndLoad); }

AotCompileSummary CompileScriptModules(std::span<const wast::ScriptFile> scripts,
                                       const AotCompileOptions& options, std::ostream& out) {
  AotCompileSummary total;
  absl::StatusOr<aot::ResolvedTarget> target = aot::ResolveTarget(options.target);
  if (!target.ok()) {
    out << "--target=" << options.target.target << ": " << target.status().message() << "\n";
    total.failed = 1;
    return total;
  }
  std::error_code error;
  fs::create_directories(options.out_dir, error);
  if (error) {
    out << "cannot create " << options.out_dir << ": " << error.message() << "\n";
    total.failed = 1;
    return total;
  }

  ModuleCompiler compiler(options, *target);
  unsigned jobs = options.jobs != 0 ? options.jobs : std::thread::hardware_concurrency();
  jobs = std::clamp<unsigned>(jobs, 1, std::max<size_t>(scripts.size(), 1));
  // Failure lines are collected per script and printed in script order, so
  // that the output does not depend on scheduling.
  std::vector<std::string> failures(scripts.size());
  std::vector<AotCompileSummary> summaries(jobs);
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (unsigned worker = 0; worker < jobs; ++worker) {
    workers.emplace_back([&, worker] {
      for (size_t i; (i = next.fetch_add(1)) < scripts.size();) {
        failures[i] = compiler.CompileScript(scripts[i], summaries[worker]);
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  for (const std::string& lines : failures) out << lines;
  for (const AotCompileSummary& summary : summaries) {
    total.compiled += summary.compiled;
    total.reused += summary.reused;
    total.failed += summary.failed;
  }
  return total;
}

}  // namespace rivet::cli
