// Running a helper program (wast2json) and capturing what it says.
#ifndef RIVET_CLI_SUBPROCESS_H_
#define RIVET_CLI_SUBPROCESS_H_

#include <string>
#include <vector>

#include "loader/result.h"

namespace rivet::cli {

struct ProcessResult {
  // The exit code, or 128 + the signal number if a signal ended it, as
  // shells report it.
  int exit_status = 0;
  bool signaled = false;
  // Everything the program wrote to stdout and stderr, interleaved.
  std::string output;

  // "exit status 1" or "killed by signal 11".
  std::string DescribeStatus() const;
};

// Runs argv[0] (looked up in PATH) with arguments argv[1..], stdin from
// /dev/null, and waits for it. Safe to call from several threads at once.
// Fails only if the program could not be started at all.
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv);

}  // namespace rivet::cli

#endif  // RIVET_CLI_SUBPROCESS_H_
