#include "runtime/wasi/sandbox.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

#include "runtime/wasi/fd_table.h"

namespace rivet::wasi {
namespace {

// Like Linux's limit on links followed in one lookup.
constexpr int kMaxSymlinks = 40;

// Intermediate directories are only used as bases for *at() calls: O_PATH
// (where the host has it) needs no read permission on them, only search.
#ifdef O_PATH
constexpr int kWalkFlags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
#else
constexpr int kWalkFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
#endif

// Pushes the components of `path` onto `pending` (a stack: the next one to
// walk last), skipping empty and "." ones. Returns whether the path ends
// in "/".
bool PushComponents(std::string_view path, std::vector<std::string>& pending) {
  std::vector<std::string> components;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view component = path.substr(start, end - start);
    if (!component.empty() && component != ".") components.emplace_back(component);
    start = end + 1;
  }
  for (auto it = components.rbegin(); it != components.rend(); ++it) {
    pending.push_back(std::move(*it));
  }
  return !path.empty() && (path.back() == '/' || path.ends_with("/.") || path == ".");
}

}  // namespace

bool ReadLinkAt(int dirfd, const std::string& name, std::string& target) {
  std::vector<char> buffer(256);
  for (;;) {
    ssize_t n = readlinkat(dirfd, name.c_str(), buffer.data(), buffer.size());
    if (n < 0) return false;
    if (static_cast<size_t>(n) < buffer.size()) {
      target.assign(buffer.data(), n);
      return true;
    }
    if (buffer.size() >= (1u << 20)) {
      errno = ENAMETOOLONG;
      return false;
    }
    buffer.resize(buffer.size() * 2);
  }
}

ResolvedPath::~ResolvedPath() {
  for (int fd : opened_) close(fd);
}

Errno ResolvePath(int base_fd, std::string_view path, bool follow_final, ResolvedPath& out) {
  out.base_ = base_fd;
  if (path.empty()) return kNoent;
  if (path.find('\0') != std::string_view::npos) return kInval;
  if (path.front() == '/') return kNotcapable;

  std::vector<std::string> pending;
  bool trailing_slash = PushComponents(path, pending);
  int links = 0;
  // Replaces symbolic link `link` by its target in the walk.
  auto expand = [&](std::string_view target, bool last) -> Errno {
    if (++links > kMaxSymlinks) return kLoop;
    if (target.empty()) return kNoent;
    if (target.front() == '/') return kNotcapable;
    bool target_slash = PushComponents(target, pending);
    if (last) trailing_slash = trailing_slash || target_slash;
    return kSuccess;
  };

  while (!pending.empty()) {
    std::string component = std::move(pending.back());
    pending.pop_back();
    if (component == "..") {
      if (out.opened_.empty()) return kNotcapable;  // above the base
      close(out.opened_.back());
      out.opened_.pop_back();
      continue;
    }
    int dirfd = out.dirfd();
    if (pending.empty()) {
      // The last component: follow it only if asked to (or it must be a
      // directory) and it is a link.
      std::string target;
      if ((follow_final || trailing_slash) && ReadLinkAt(dirfd, component, target)) {
        if (Errno e = expand(target, /*last=*/true); e != kSuccess) return e;
        continue;
      }
      out.name_ = std::move(component);
      break;
    }
    int fd = RetryOnEintr([&] { return openat(dirfd, component.c_str(), kWalkFlags); });
    if (fd >= 0) {
      out.opened_.push_back(fd);
      continue;
    }
    int error = errno;
    // O_NOFOLLOW refuses a link with ELOOP (EMLINK on FreeBSD; O_DIRECTORY
    // may say ENOTDIR first).
    std::string target;
    if ((error == ELOOP || error == EMLINK || error == ENOTDIR) &&
        ReadLinkAt(dirfd, component, target)) {
      if (Errno e = expand(target, /*last=*/false); e != kSuccess) return e;
      continue;
    }
    return ErrnoFromPosix(error);
  }
  if (out.name_.empty()) out.name_ = ".";  // the path names a directory on the way
  out.must_be_directory_ = trailing_slash;
  return kSuccess;
}

}  // namespace rivet::wasi
