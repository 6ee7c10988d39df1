// Whole-file reading and writing shared by the rivet subcommands.
#ifndef RIVET_CLI_FILE_UTIL_H_
#define RIVET_CLI_FILE_UTIL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "loader/result.h"

namespace rivet::cli {

// Reads the whole file at `path`. The error names the path and the system's
// reason: "cannot read foo.wasm: No such file or directory".
Result<std::vector<uint8_t>> ReadFile(const std::string& path);

// The same, as text (for JSON).
Result<std::string> ReadTextFile(const std::string& path);

// Writes `bytes` to a temporary file next to `path` (named after the process
// and thread, so concurrent writers never share one), then renames it over
// `path`: a reader, or an interrupted or failed write, never sees half a
// file, and rewriting a file that was just read is safe.
Status WriteFileAtomically(const std::string& path, const std::vector<uint8_t>& bytes);

}  // namespace rivet::cli

#endif  // RIVET_CLI_FILE_UTIL_H_
