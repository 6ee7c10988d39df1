// WASI functions on paths (path_*), all resolved inside the sandbox
// (sandbox.h): each acts on the last component with a *at() call that does
// not follow it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string>

#include "runtime/wasi/calls.h"
#include "runtime/wasi/fd_table.h"
#include "runtime/wasi/sandbox.h"

namespace rivet::wasi {
namespace {

Errno LastError() { return ErrnoFromPosix(errno); }

// Longer paths (and link targets) are refused before they are copied out of
// memory; the host's own limit is far lower.
constexpr uint32_t kMaxPathLength = 1 << 20;

// The directory descriptor `fd`, which must have the rights in `needed`.
Errno GetDirectory(WasiCall& call, uint32_t fd, Rights needed, FdEntry** out) {
  FdEntry* entry = call.ctx.fds().Find(fd);
  if (entry == nullptr) return kBadf;
  if (entry->filetype != kFiletypeDirectory) return kNotdir;
  return call.ctx.fds().Get(fd, needed, out);
}

// Reads the guest path at [ptr, ptr + len) and resolves it in `dir`.
Errno Resolve(WasiCall& call, const FdEntry& dir, uint32_t ptr, uint32_t len, bool follow,
              ResolvedPath& out) {
  if (!call.mem.Bytes(ptr, len)) return kFault;
  if (len > kMaxPathLength) return kNametoolong;
  std::optional<std::string> path = call.mem.String(ptr, len);
  if (!path) return kFault;
  return ResolvePath(dir.host_fd, *path, follow, out);
}

// For a path that ended in "/": the object must be a directory.
Errno CheckDirectory(const ResolvedPath& path) {
  struct stat st;
  if (fstatat(path.dirfd(), path.name().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return LastError();
  }
  return S_ISDIR(st.st_mode) ? kSuccess : kNotdir;
}

}  // namespace

// path_create_directory(fd, path, path_len) -> errno
Errno PathCreateDirectory(WasiCall& call, const Slot* args) {
  FdEntry* dir;
  if (Errno e = GetDirectory(call, U32(args[0]), kRightPathCreateDirectory, &dir)) return e;
  ResolvedPath path;
  if (Errno e = Resolve(call, *dir, U32(args[1]), U32(args[2]), false, path)) return e;
  return mkdirat(path.dirfd(), path.name().c_str(), 0777) == 0 ? kSuccess : LastError();
}

// path_filestat_get(fd, lookupflags, path, path_len, out: *filestat) -> errno
Errno PathFilestatGet(WasiCall& call, const Slot* args) {
  FdEntry* dir;
  if (Errno e = GetDirectory(call, U32(args[0]), kRightPathFilestatGet, &dir)) return e;
  if (!call.mem.Bytes(U32(args[4]), kFilestatSize)) return kFault;
  ResolvedPath path;
  bool follow = U32(args[1]) & kLookupSymlinkFollow;
  if (Errno e = Resolve(call, *dir, U32(args[2]), U32(args[3]), follow, path)) return e;
  struct stat st;
  if (fstatat(path.dirfd(), path.name().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return LastError();
  }
  if (path.must_be_directory() && !S_ISDIR(st.st_mode)) return kNotdir;
  uint8_t out[kFilestatSize];
  EncodeFilestat(st, out);
  return call.mem.Write(U32(args[4]), out, sizeof out) ? kSuccess : kFault;
}

// path_filestat_set_times(fd, lookupflags, path, path_len, atim, mtim,
// fstflags) -> errno
Errno PathFilestatSetTimes(WasiCall& call, const Slot* args) {
  FdEntry* dir;
  if (Errno e = GetDirectory(call, U32(args[0]), kRightPathFilestatSetTimes, &dir)) return e;
  if (U32(args[6]) > 0xffff) return kInval;
  timespec times[2];
  if (Errno e = TimesFromWasi(args[4], args[5], static_cast<uint16_t>(args[6]), times)) return e;
  ResolvedPath path;
  bool follow = U32(args[1]) & kLookupSymlinkFollow;
  if (Errno e = Resolve(call, *dir, U32(args[2]), U32(args[3]), follow, path)) return e;
  if (path.must_be_directory()) {
    if (Errno e = CheckDirectory(path)) return e;
  }
  return utimensat(path.dirfd(), path.name().c_str(), times, AT_SYMLINK_NOFOLLOW) == 0
             ? kSuccess
             : LastError();
}

// path_link(old_fd, old_lookupflags, old_path, old_path_len, new_fd,
// new_path, new_path_len) -> errno
Errno PathLink(WasiCall& call, const Slot* args) {
  FdEntry* old_dir;
  FdEntry* new_dir;
  if (Errno e = GetDirectory(call, U32(args[0]), kRightPathLinkSource, &old_dir)) return e;
  if (Errno e = GetDirectory(call, U32(args[4]), kRightPathLinkTarget, &new_dir)) return e;
  ResolvedPath old_path, new_path;
  bool follow = U32(args[1]) & kLookupSymlinkFollow;
  if (Errno e = Resolve(call, *old_dir, U32(args[2]), U32(args[3]), follow, old_path)) return e;
  if (Errno e = Resolve(call, *new_dir, U32(args[5]), U32(args[6]), false, new_path)) return e;
  if (old_path.must_be_directory() || new_path.must_be_directory()) {
    // Directories cannot be hard-linked.
    Errno e = CheckDirectory(old_path);
    return e == kSuccess ? kPerm : e;
  }
  // Flags 0: never follows old_path's last component (already resolved).
  return linkat(old_path.dirfd(), old_path.name().c_str(), new_path.dirfd(),
                new_path.name().c_str(), 0) == 0
             ? kSuccess
             : LastError();
}

// path_open(fd, dirflags, path, path_len, oflags, fs_rights_base,
// fs_rights_inheriting, fdflags, out: *fd) -> errno
Errno PathOpen(WasiCall& call, const Slot* args) {
  uint32_t oflags = U32(args[4]);
  Rights rights_base = args[5], rights_inheriting = args[6];
  uint32_t fdflags = U32(args[7]);
  Rights needed = kRightPathOpen;
  if (oflags & kOflagCreat) needed |= kRightPathCreateFile;
  if (oflags & kOflagTrunc) needed |= kRightPathFilestatSetSize;
  FdEntry* dir;
  if (Errno e = GetDirectory(call, U32(args[0]), needed, &dir)) return e;
  if (oflags & ~uint32_t{kOflagCreat | kOflagDirectory | kOflagExcl | kOflagTrunc}) return kInval;
  if (fdflags & ~uint32_t{kFdflagAppend | kFdflagDsync | kFdflagNonblock | kFdflagRsync |
                          kFdflagSync}) {
    return kInval;
  }
  if (!call.mem.Bytes(U32(args[8]), 4)) return kFault;

  // O_CREAT | O_EXCL never follows a link in the last position.
  bool follow = (U32(args[1]) & kLookupSymlinkFollow) &&
                !((oflags & kOflagCreat) && (oflags & kOflagExcl));
  ResolvedPath path;
  if (Errno e = Resolve(call, *dir, U32(args[2]), U32(args[3]), follow, path)) return e;

  int flags = O_CLOEXEC | O_NOFOLLOW | O_NOCTTY;
  // The access mode follows from the rights asked for, as wasi-libc's
  // open() expects (it asks for read or write rights per O_RDONLY/O_WRONLY).
  bool read = rights_base & (kRightFdRead | kRightFdReaddir);
  bool write = (rights_base & (kRightFdDatasync | kRightFdWrite | kRightFdAllocate |
                               kRightFdFilestatSetSize)) ||
               (fdflags & kFdflagAppend);
  if ((oflags & kOflagDirectory) || path.must_be_directory()) {
    flags |= O_DIRECTORY | O_RDONLY;
  } else if (read && write) {
    flags |= O_RDWR;
  } else if (write) {
    flags |= O_WRONLY;
  } else {
    flags |= O_RDONLY;
  }
  if (oflags & kOflagCreat) flags |= O_CREAT;
  if (oflags & kOflagExcl) flags |= O_EXCL;
  if (oflags & kOflagTrunc) flags |= O_TRUNC;
  if (fdflags & kFdflagAppend) flags |= O_APPEND;
  if (fdflags & kFdflagNonblock) flags |= O_NONBLOCK;
  if (fdflags & kFdflagDsync) flags |= O_DSYNC;
  if (fdflags & kFdflagSync) flags |= O_SYNC;
#ifdef O_RSYNC
  if (fdflags & kFdflagRsync) flags |= O_RSYNC;
#else
  if (fdflags & kFdflagRsync) flags |= O_SYNC;
#endif
  int fd = RetryOnEintr([&] { return openat(path.dirfd(), path.name().c_str(), flags, 0666); });
  if (fd < 0) return LastError();
  std::unique_ptr<FdEntry> entry = NewFdEntry(fd);
  entry->rights_base &= rights_base & dir->rights_inheriting;
  entry->rights_inheriting &= rights_inheriting & dir->rights_inheriting;
  uint32_t guest_fd = call.ctx.fds().Insert(std::move(entry));
  call.mem.WriteU32(U32(args[8]), guest_fd);  // checked above
  return kSuccess;
}

// path_readlink(fd, path, path_len, buf, buf_len, out: *size) -> errno.
// A target longer than the buffer is cut off, as readlink does.
Errno PathReadlink(WasiCall& call, const Slot* args) {
  FdEntry* dir;
  if (Errno e = GetDirectory(call, U32(args[0]), kRightPathReadlink, &dir)) return e;
  uint32_t buf = U32(args[3]), buf_len = U32(args[4]);
  if (!call.mem.Bytes(buf, buf_len) || !call.mem.Bytes(U32(args[5]), 4)) return kFault;
  ResolvedPath path;
  if (Errno e = Resolve(call, *dir, U32(args[1]), U32(args[2]), false, path)) return e;
  std::string target;
  if (!ReadLinkAt(path.dirfd(), path.name(), target)) return LastError();
  size_t n = std::min<size_t>(target.size(), buf_len);
  call.mem.Write(buf, target.data(), n);
  call.mem.WriteU32(U32(args[5]), static_cast<uint32_t>(n));
  return kSuccess;
}

// path_remove_directory(fd, path, path_len) -> errno
Errno PathRemoveDirectory(WasiCall& call, const Slot* args) {
  FdEntry* dir;
  if (Errno e = GetDirectory(call, U32(args[0]), kRightPathRemoveDirectory, &dir)) return e;
  ResolvedPath path;
  if (Errno e = Resolve(call, *dir, U32(args[1]), U32(args[2]), false, path)) return e;
  return unlinkat(path.dirfd(), path.name().c_str(), AT_REMOVEDIR) == 0 ? kSuccess : LastError();
}

// path_rename(fd, old_path, old_path_len, new_fd, new_path, new_path_len)
Errno PathRename(WasiCall& call, const Slot* args) {
  FdEntry* old_dir;
  FdEntry* new_dir;
  if (Errno e = GetDirectory(call, U32(args[0]), kRightPathRenameSource, &old_dir)) return e;
  if (Errno e = GetDirectory(call, U32(args[3]), kRightPathRenameTarget, &new_dir)) return e;
  ResolvedPath old_path, new_path;
  if (Errno e = Resolve(call, *old_dir, U32(args[1]), U32(args[2]), false, old_path)) return e;
  if (Errno e = Resolve(call, *new_dir, U32(args[4]), U32(args[5]), false, new_path)) return e;
  if (old_path.must_be_directory() || new_path.must_be_directory()) {
    if (Errno e = CheckDirectory(old_path)) return e;
  }
  return renameat(old_path.dirfd(), old_path.name().c_str(), new_path.dirfd(),
                  new_path.name().c_str()) == 0
             ? kSuccess
             : LastError();
}

// path_symlink(old_path, old_path_len, fd, new_path, new_path_len) -> errno.
// The link's target is only text, but an absolute one could never resolve
// inside the sandbox, so it is refused.
Errno PathSymlink(WasiCall& call, const Slot* args) {
  FdEntry* dir;
  if (Errno e = GetDirectory(call, U32(args[2]), kRightPathSymlink, &dir)) return e;
  if (!call.mem.Bytes(U32(args[0]), U32(args[1]))) return kFault;
  if (U32(args[1]) > kMaxPathLength) return kNametoolong;
  std::optional<std::string> target = call.mem.String(U32(args[0]), U32(args[1]));
  if (!target) return kFault;
  if (target->find('\0') != std::string::npos) return kInval;
  if (!target->empty() && target->front() == '/') return kNotcapable;
  ResolvedPath path;
  if (Errno e = Resolve(call, *dir, U32(args[3]), U32(args[4]), false, path)) return e;
  return symlinkat(target->c_str(), path.dirfd(), path.name().c_str()) == 0 ? kSuccess
                                                                            : LastError();
}

// path_unlink_file(fd, path, path_len) -> errno
Errno PathUnlinkFile(WasiCall& call, const Slot* args) {
  FdEntry* dir;
  if (Errno e = GetDirectory(call, U32(args[0]), kRightPathUnlinkFile, &dir)) return e;
  ResolvedPath path;
  if (Errno e = Resolve(call, *dir, U32(args[1]), U32(args[2]), false, path)) return e;
  if (path.must_be_directory()) {
    Errno e = CheckDirectory(path);
    return e == kSuccess ? kIsdir : e;
  }
  return unlinkat(path.dirfd(), path.name().c_str(), 0) == 0 ? kSuccess : LastError();
}

}  // namespace rivet::wasi
