// Path resolution inside a directory descriptor, the WASI sandbox.
//
// A guest path is walked one component at a time from its base directory:
// each directory on the way is opened with openat(O_DIRECTORY | O_NOFOLLOW),
// ".." pops back to the directory it came from (never above the base), and a
// symbolic link is read with readlinkat and its target walked in its place.
// A path that would leave the base (an absolute path or absolute link
// target, or ".." at the base) fails with ENOTCAPABLE. The host never
// resolves more than one component, so nothing it follows can escape.
// Internal to runtime/wasi/.
#ifndef RIVET_RUNTIME_WASI_SANDBOX_H_
#define RIVET_RUNTIME_WASI_SANDBOX_H_

#include <string>
#include <string_view>
#include <vector>

#include "runtime/wasi/abi.h"

namespace rivet::wasi {

// Where a path leads: the directory holding its last component, and that
// component, for the *at() calls (which must not follow it: callers use
// O_NOFOLLOW or AT_SYMLINK_NOFOLLOW).
class ResolvedPath {
 public:
  ResolvedPath() = default;
  ResolvedPath(const ResolvedPath&) = delete;
  ResolvedPath& operator=(const ResolvedPath&) = delete;
  ~ResolvedPath();

  int dirfd() const { return opened_.empty() ? base_ : opened_.back(); }
  // One component: a name, or "." when the path names the directory itself.
  const std::string& name() const { return name_; }
  // The path ended in "/": it must name a directory.
  bool must_be_directory() const { return must_be_directory_; }

 private:
  friend Errno ResolvePath(int, std::string_view, bool, ResolvedPath&);
  int base_ = -1;
  std::vector<int> opened_;  // directories opened on the way, owned
  std::string name_;
  bool must_be_directory_ = false;
};

// Resolves `path` relative to directory `base_fd`. If `follow_final` (or the
// path ends in "/"), a symbolic link in the last position is followed too.
// Returns kSuccess, kNotcapable for an escape, kLoop after too many links,
// kNoent for an empty path or link, or the host's error for a directory on
// the way.
Errno ResolvePath(int base_fd, std::string_view path, bool follow_final, ResolvedPath& out);

// The target of symbolic link `name` in `dirfd`, whatever its length; false
// (errno set: EINVAL if it is not a link) if it cannot be read.
bool ReadLinkAt(int dirfd, const std::string& name, std::string& target);

}  // namespace rivet::wasi

#endif  // RIVET_RUNTIME_WASI_SANDBOX_H_
