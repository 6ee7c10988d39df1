// Converting a .wast script to wast2json's JSON plus .wasm files.
#ifndef RIVET_CLI_WAST2JSON_H_
#define RIVET_CLI_WAST2JSON_H_

#include <string>
#include <vector>

#include "cli/temp_dir.h"
#include "loader/result.h"

namespace rivet::wast {

// The converted script: the JSON and its module files live in `dir`, which
// is deleted with this object.
struct ConvertedScript {
  cli::TempDir dir;
  std::string json_path;
};

// Runs `wast2json FLAGS... WAST_PATH -o DIR/NAME.json` into a fresh
// temporary directory. `program` is looked up in PATH. The error quotes
// what wast2json printed: "wast2json failed (exit status 1):\n  ...".
Result<ConvertedScript> ConvertWast(const std::string& program, const std::string& wast_path,
                                    const std::vector<std::string>& flags);

}  // namespace rivet::wast

#endif  // RIVET_CLI_WAST2JSON_H_
