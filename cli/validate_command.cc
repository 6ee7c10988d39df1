// rivet validate FILE.wasm: decode and validate a module, with every
// supported proposal enabled, and say nothing if it is valid.
#include <iostream>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.h"
#include "cli/file_util.h"
#include "loader/features.h"
#include "loader/module.h"

namespace rivet::cli {

int ValidateCommand(std::span<const std::string> args) {
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: rivet validate FILE.wasm\n";
    return kExitSuccess;
  }
  if (args.size() != 1 || (args[0].size() > 1 && args[0][0] == '-')) {
    std::cerr << "usage: rivet validate FILE.wasm\n";
    return kExitUsage;
  }
  const std::string& path = args[0];
  Result<std::vector<uint8_t>> bytes = ReadFile(path);
  if (!bytes.ok()) {
    std::cerr << "rivet validate: " << bytes.error().message << "\n";
    return kExitUsage;
  }
  Result<std::shared_ptr<const Module>> module = DecodeModule(std::move(*bytes), Features::All());
  if (!module.ok()) {
    std::cerr << path << ": error: " << module.error().message << "\n";
    return kExitFailure;
  }
  return kExitSuccess;
}

}  // namespace rivet::cli
