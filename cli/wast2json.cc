#include "cli/wast2json.h"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/subprocess.h"

namespace rivet::wast {
namespace {

// wast2json's errors quote the offending source line with a caret under
// it, a few lines per error; a badly broken file can produce hundreds.
constexpr int kMaxOutputLines = 20;

// The tool's output, each line indented by two spaces under the failure
// line, trimmed to kMaxOutputLines.
std::string IndentOutput(std::string_view output) {
  std::string text;
  int lines = 0;
  while (!output.empty()) {
    size_t end = output.find('\n');
    std::string_view line = output.substr(0, end);
    output.remove_prefix(end == std::string_view::npos ? output.size() : end + 1);
    if (lines == kMaxOutputLines) {
      size_t rest = 1;  // this line
      for (char c : output) rest += c == '\n';
      if (!output.empty() && output.back() != '\n') ++rest;
      text += "\n  ... (" + std::to_string(rest) + " more lines)";
      break;
    }
    text += "\n  ";
    text += line;
    ++lines;
  }
  return text;
}

// Where to convert. wast2json writes a file per module (the suite makes
// 5,800), which we delete right after: on a disk-backed /tmp that create and
// unlink traffic dominated the run (3.6 s of a busy build machine's time for
// the suite, against 0.4 s on tmpfs). So without an explicit $TMPDIR, use
// the memory-backed /dev/shm where there is one.
std::string ScratchParent() {
  const char* tmpdir = getenv("TMPDIR");
  if (tmpdir != nullptr && *tmpdir != '\0') return tmpdir;
  if (access("/dev/shm", W_OK | X_OK) == 0) return "/dev/shm";
  return "";  // TempDir's default, /tmp
}

}  // namespace

Result<ConvertedScript> ConvertWast(const std::string& program, const std::string& wast_path,
                                    const std::vector<std::string>& flags) {
  Result<cli::TempDir> dir = cli::TempDir::Create("rivet-wast", ScratchParent());
  if (!dir.ok()) return dir.error();
  // Naming the output after the script keeps wast2json's module files
  // (NAME.0.wasm, ...) recognizable in its error messages.
  std::string json_path =
      dir->path() + "/" + std::filesystem::path(wast_path).stem().string() + ".json";

  std::vector<std::string> argv = {program};
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), {wast_path, "-o", json_path});
  Result<cli::ProcessResult> process = cli::RunProcess(argv);
  if (!process.ok()) return process.error();
  if (process->exit_status != 0) {
    return Error{program + " failed (" + process->DescribeStatus() +
                 "):" + IndentOutput(process->output)};
  }
  return ConvertedScript{std::move(*dir), std::move(json_path)};
}

}  // namespace rivet::wast
