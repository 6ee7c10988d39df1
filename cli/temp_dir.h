// A fresh temporary directory that is removed, with its contents, when the
// owning object goes away.
#ifndef RIVET_CLI_TEMP_DIR_H_
#define RIVET_CLI_TEMP_DIR_H_

#include <string>
#include <utility>

#include "loader/result.h"

namespace rivet::cli {

class TempDir {
 public:
  // Creates a directory named PREFIX.XXXXXX (mkdtemp, so private to us and
  // never a pre-existing one) in `parent`; by default in $TMPDIR, or /tmp if
  // that is unset.
  static Result<TempDir> Create(const std::string& prefix = "rivet",
                                const std::string& parent = "");

  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();

  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  void Remove();

  std::string path_;  // empty once moved from
};

// Makes SIGINT, SIGTERM and SIGHUP remove every live TempDir before the
// process dies of the signal, so that interrupting a run (say, one stuck in
// an engine) leaves nothing behind in /tmp or /dev/shm. It blocks those
// signals and takes them with sigwait on a thread of its own, because
// removing directories is not async-signal-safe. Call it once, from the main
// thread, before starting other threads (they inherit the blocked mask).
void RemoveTempDirsOnSignal();

}  // namespace rivet::cli

#endif  // RIVET_CLI_TEMP_DIR_H_
