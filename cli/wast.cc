#include "cli/wast.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "cli/file_util.h"
#include "cli/json.h"
#include "cli/script_runner.h"
#include "cli/wast2json.h"
#include "cli/wast_script.h"

namespace rivet::wast {
namespace {

namespace fs = std::filesystem;

// The proposal suites under proposals/<folder>/: each is converted with its
// wast2json flag and decoded with its feature on top of Wasm 2.0, so that
// the core suite keeps checking that, say, two memories are invalid.
//
// Checked with wabt 1.0.32 and ../shared/wasm-testsuite: every script in
// each folder converts with just its own flag. (The suite's README converts
// tail-call with --enable-all; that is not needed.)
//
// The threads suite was forked from the MVP before reference types existed
// and asserts MVP rules (a second table is invalid), so it runs with
// reference types off.
struct Proposal {
  std::string_view folder;
  std::string_view wast2json_flag;
  bool Features::*feature;
  bool reference_types = true;
};
constexpr Proposal kProposals[] = {
    {"threads", "--enable-threads", &Features::threads, /*reference_types=*/false},
    {"tail-call", "--enable-tail-call", &Features::tail_call},
    {"extended-const", "--enable-extended-const", &Features::extended_const},
    {"multi-memory", "--enable-multi-memory", &Features::multi_memory},
};

// One script's results, waiting to be printed in order.
struct Report {
  Summary summary;
  std::string output;
};

Report FailedScript(const ScriptFile& script, const std::string& message) {
  Report report;
  report.summary.failed = 1;
  report.output = script.display_name + ": " + message + "\n";
  return report;
}

Report RunScript(const ScriptFile& script, const Options& options) {
  ScriptSettings settings = SettingsForPath(script.path);

  // A .wast is converted first; the temporary directory lives until the
  // script has run, as its module files are read on demand.
  std::optional<ConvertedScript> converted;
  std::string json_path = script.path;
  if (fs::path(script.path).extension() == ".wast") {
    Result<ConvertedScript> result =
        ConvertWast(options.wast2json, script.path, settings.wast2json_flags);
    if (!result.ok()) return FailedScript(script, result.error().message);
    converted = std::move(*result);
    json_path = converted->json_path;
  }

  Result<std::string> text = cli::ReadTextFile(json_path);
  if (!text.ok()) return FailedScript(script, text.error().message);
  Result<json::Value> json = json::Parse(*text);
  if (!json.ok()) return FailedScript(script, "malformed JSON: " + json.error().message);
  Result<Script> parsed = ParseScript(*json);
  if (!parsed.ok()) return FailedScript(script, "malformed script: " + parsed.error().message);

  std::unique_ptr<Engine> engine = options.new_engine ? options.new_engine() : nullptr;
  std::string module_dir = fs::path(json_path).parent_path().string();
  if (module_dir.empty()) module_dir = ".";
  ScriptRunner runner(script.display_name, module_dir, settings.features, engine.get());
  runner.Run(*parsed);
  return Report{runner.summary(), runner.output()};
}

bool IsScriptFile(const fs::path& path) {
  return path.extension() == ".wast" || path.extension() == ".json";
}

}  // namespace

ScriptSettings SettingsForPath(const std::string& path) {
  ScriptSettings settings;
  // Absolute, so that a script named relative to its own folder
  // ("atomic.wast" run from proposals/threads) still counts as in it.
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  if (error) absolute = path;
  std::vector<fs::path> parts(absolute.begin(), absolute.end());
  for (size_t i = 0; i + 2 < parts.size(); ++i) {
    if (parts[i] != "proposals") continue;
    for (const Proposal& proposal : kProposals) {
      if (parts[i + 1] == proposal.folder) {
        settings.features.*proposal.feature = true;
        settings.features.reference_types = proposal.reference_types;
        settings.wast2json_flags.emplace_back(proposal.wast2json_flag);
        return settings;
      }
    }
  }
  return settings;
}

Result<std::vector<ScriptFile>> FindScripts(std::span<const std::string> paths) {
  std::vector<ScriptFile> scripts;
  for (const std::string& path : paths) {
    std::error_code error;
    fs::file_status status = fs::status(path, error);
    if (error) return Error{"cannot read " + path + ": " + error.message()};
    if (!fs::is_directory(status)) {
      if (!IsScriptFile(path))
        return Error{path + ": not a .wast or .json script, nor a directory"};
      scripts.push_back({path, path});
      continue;
    }
    std::vector<fs::path> found;
    for (auto it = fs::recursive_directory_iterator(path, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (it->path().extension() == ".wast" && it->is_regular_file()) {
        found.push_back(it->path().lexically_relative(path));
      }
    }
    if (error) return Error{"cannot read " + path + ": " + error.message()};
    if (found.empty()) return Error{path + ": no .wast files in this directory"};
    std::sort(found.begin(), found.end());
    for (const fs::path& relative : found) {
      // Joined and normalized, so that "." gives "i32.wast" and a full path
      // gives a full path: either way, a name that opens from here.
      std::string name = (fs::path(path) / relative).lexically_normal().string();
      scripts.push_back({name, name});
    }
  }
  return scripts;
}

Summary RunScripts(std::span<const ScriptFile> scripts, const Options& options, std::ostream& out) {
  unsigned jobs = options.jobs != 0 ? options.jobs : std::thread::hardware_concurrency();
  jobs = std::clamp<unsigned>(jobs, 1, std::max<size_t>(scripts.size(), 1));

  // Workers take scripts in order and run each whole (convert, parse,
  // decode, execute); this thread prints each report as soon as it and all
  // before it are done, so output streams in file order.
  std::vector<std::optional<Report>> reports(scripts.size());
  std::mutex mutex;
  std::condition_variable done;
  std::atomic<size_t> next{0};
  const auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < scripts.size();) {
      Report report = RunScript(scripts[i], options);
      std::lock_guard<std::mutex> lock(mutex);
      reports[i] = std::move(report);
      done.notify_all();
    }
  };
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < jobs; ++i) workers.emplace_back(work);

  Summary total;
  for (size_t i = 0; i < scripts.size(); ++i) {
    Report report;
    {
      std::unique_lock<std::mutex> lock(mutex);
      done.wait(lock, [&] { return reports[i].has_value(); });
      report = std::move(*reports[i]);
      reports[i].reset();
    }
    out << report.output << std::flush;
    total += report.summary;
  }
  for (std::thread& worker : workers) worker.join();
  return total;
}

}  // namespace rivet::wast
