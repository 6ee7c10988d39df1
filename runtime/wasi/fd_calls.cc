// WASI functions on descriptors: fd_* and sock_*.
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <memory>
#include <vector>

#include "runtime/wasi/calls.h"
#include "runtime/wasi/fd_table.h"

namespace rivet::wasi {
namespace {

#ifdef IOV_MAX
constexpr size_t kIovMax = IOV_MAX;
#else
constexpr size_t kIovMax = 1024;
#endif

Errno LastError() { return ErrnoFromPosix(errno); }

// Host iovecs for the guest's `count` iovecs at `iovs`, each checked
// against memory. More than the host takes in one call are checked but
// left out (a short read or write, which callers must handle anyway).
bool GatherIovecs(GuestMemory& mem, uint32_t iovs, uint32_t count, std::vector<iovec>& out) {
  std::optional<std::span<uint8_t>> array = mem.Bytes(iovs, uint64_t{count} * kIovecSize);
  if (!array) return false;
  out.clear();
  for (uint32_t i = 0; i < count; ++i) {
    const uint8_t* p = array->data() + i * kIovecSize;
    uint32_t buf = GetU32(p), len = GetU32(p + 4);
    std::optional<std::span<uint8_t>> bytes = mem.Bytes(buf, len);
    if (!bytes) return false;
    if (out.size() < kIovMax) out.push_back(iovec{bytes->data(), bytes->size()});
  }
  return true;
}

uint16_t FdflagsFromHost(int flags) {
  uint16_t result = 0;
  if (flags & O_APPEND) result |= kFdflagAppend;
  if (flags & O_NONBLOCK) result |= kFdflagNonblock;
  if ((flags & O_DSYNC) == O_DSYNC) result |= kFdflagDsync;
  if ((flags & O_SYNC) == O_SYNC) result |= kFdflagSync;
#if defined(O_RSYNC)
  if (O_RSYNC != O_SYNC && (flags & O_RSYNC) == O_RSYNC) result |= kFdflagRsync;
#endif
  return result;
}

uint64_t Nanoseconds(const timespec& ts) {
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

// pread/pwrite over several buffers, stopping at the first short transfer.
template <typename Transfer>
Errno PositionedIo(int fd, const std::vector<iovec>& iovs, uint64_t offset, Transfer transfer,
                   uint64_t* done) {
  if (offset > static_cast<uint64_t>(std::numeric_limits<off_t>::max())) return kInval;
  uint64_t total = 0;
  for (const iovec& iov : iovs) {
    if (iov.iov_len == 0) continue;
    ssize_t n = RetryOnEintr([&] {
      return transfer(fd, iov.iov_base, iov.iov_len, static_cast<off_t>(offset + total));
    });
    if (n < 0) {
      if (total > 0) break;
      return LastError();
    }
    total += n;
    if (static_cast<size_t>(n) < iov.iov_len) break;
  }
  *done = total;
  return kSuccess;
}

Errno ReadDirectory(int host_fd, std::vector<DirEntry>& entries) {
  int fd = RetryOnEintr([&] { return openat(host_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC); });
  if (fd < 0) return LastError();
  DIR* dir = fdopendir(fd);
  if (dir == nullptr) {
    Errno e = LastError();
    close(fd);
    return e;
  }
  entries.clear();
  errno = 0;
  while (dirent* d = readdir(dir)) {
    DirEntry entry;
    entry.name = d->d_name;
    entry.ino = d->d_ino;
    bool known = false;
#ifdef DT_UNKNOWN
    known = true;
    switch (d->d_type) {
      case DT_REG: entry.type = kFiletypeRegularFile; break;
      case DT_DIR: entry.type = kFiletypeDirectory; break;
      case DT_LNK: entry.type = kFiletypeSymbolicLink; break;
      case DT_CHR: entry.type = kFiletypeCharacterDevice; break;
      case DT_BLK: entry.type = kFiletypeBlockDevice; break;
      case DT_SOCK: entry.type = kFiletypeSocketStream; break;
      case DT_FIFO: entry.type = kFiletypeUnknown; break;
      default: known = false; break;
    }
#endif
    if (!known) {
      struct stat st;
      if (fstatat(dirfd(dir), d->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        entry.type = FiletypeFromMode(st.st_mode);
      }
    }
    entries.push_back(std::move(entry));
    errno = 0;
  }
  Errno e = errno != 0 ? LastError() : kSuccess;
  closedir(dir);
  return e;
}

bool IsSocket(const FdEntry& entry) {
  return entry.filetype == kFiletypeSocketStream || entry.filetype == kFiletypeSocketDgram;
}

}  // namespace

void EncodeFilestat(const struct stat& st, uint8_t out[kFilestatSize]) {
  std::memset(out, 0, kFilestatSize);
  PutU64(out + 0, static_cast<uint64_t>(st.st_dev));
  PutU64(out + 8, static_cast<uint64_t>(st.st_ino));
  out[16] = FiletypeFromMode(st.st_mode);
  PutU64(out + 24, static_cast<uint64_t>(st.st_nlink));
  PutU64(out + 32, static_cast<uint64_t>(st.st_size));
  PutU64(out + 40, Nanoseconds(st.st_atim));
  PutU64(out + 48, Nanoseconds(st.st_mtim));
  PutU64(out + 56, Nanoseconds(st.st_ctim));
}

Errno TimesFromWasi(uint64_t atim, uint64_t mtim, uint16_t fstflags, struct timespec times[2]) {
  if (fstflags & ~(kFstflagAtim | kFstflagAtimNow | kFstflagMtim | kFstflagMtimNow)) {
    return kInval;
  }
  if ((fstflags & kFstflagAtim) && (fstflags & kFstflagAtimNow)) return kInval;
  if ((fstflags & kFstflagMtim) && (fstflags & kFstflagMtimNow)) return kInval;
  auto set = [](timespec& ts, uint64_t value, bool given, bool now) {
    if (now) {
      ts.tv_sec = 0;
      ts.tv_nsec = UTIME_NOW;
    } else if (given) {
      ts.tv_sec = static_cast<time_t>(value / 1000000000u);
      ts.tv_nsec = static_cast<long>(value % 1000000000u);
    } else {
      ts.tv_sec = 0;
      ts.tv_nsec = UTIME_OMIT;
    }
  };
  set(times[0], atim, fstflags & kFstflagAtim, fstflags & kFstflagAtimNow);
  set(times[1], mtim, fstflags & kFstflagMtim, fstflags & kFstflagMtimNow);
  return kSuccess;
}

// fd_advise(fd, offset: filesize, len: filesize, advice) -> errno
Errno FdAdvise(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdAdvise, &entry)) return e;
  uint32_t advice = U32(args[3]);
  if (advice > kAdviceNoreuse) return kInval;
  if (entry->filetype == kFiletypeDirectory) return kSuccess;  // advice only, nothing to do
  static constexpr int kHostAdvice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL,
                                        POSIX_FADV_RANDOM,   POSIX_FADV_WILLNEED,
                                        POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  if (args[1] > static_cast<uint64_t>(std::numeric_limits<off_t>::max()) ||
      args[2] > static_cast<uint64_t>(std::numeric_limits<off_t>::max())) {
    return kInval;
  }
  int error = posix_fadvise(entry->host_fd, static_cast<off_t>(args[1]),
                            static_cast<off_t>(args[2]), kHostAdvice[advice]);
  return ErrnoFromPosix(error);
}

// fd_allocate(fd, offset: filesize, len: filesize) -> errno
Errno FdAllocate(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdAllocate, &entry)) return e;
  constexpr uint64_t kMax = std::numeric_limits<off_t>::max();
  if (args[1] > kMax || args[2] > kMax || args[1] + args[2] > kMax) return kFbig;
  int error = RetryOnEintr([&] {
    int r = posix_fallocate(entry->host_fd, static_cast<off_t>(args[1]),
                            static_cast<off_t>(args[2]));
    // posix_fallocate returns its error instead of setting errno.
    if (r == EINTR) {
      errno = EINTR;
      return -1;
    }
    return r;
  });
  return ErrnoFromPosix(error);
}

// fd_close(fd) -> errno
Errno FdClose(WasiCall& call, const Slot* args) { return call.ctx.fds().Close(U32(args[0])); }

// fd_datasync(fd) -> errno
Errno FdDatasync(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdDatasync, &entry)) return e;
  return fdatasync(entry->host_fd) == 0 ? kSuccess : LastError();
}

// fd_sync(fd) -> errno
Errno FdSync(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdSync, &entry)) return e;
  return fsync(entry->host_fd) == 0 ? kSuccess : LastError();
}

// fd_fdstat_get(fd, out: *fdstat) -> errno
Errno FdFdstatGet(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), 0, &entry)) return e;
  int flags = fcntl(entry->host_fd, F_GETFL);
  if (flags < 0) return LastError();
  uint8_t out[kFdstatSize] = {};
  out[kFdstatFiletype] = entry->filetype;
  PutU16(out + kFdstatFlags, FdflagsFromHost(flags));
  PutU64(out + kFdstatRightsBase, entry->rights_base);
  PutU64(out + kFdstatRightsInheriting, entry->rights_inheriting);
  return call.mem.Write(U32(args[1]), out, sizeof out) ? kSuccess : kFault;
}

// fd_fdstat_set_flags(fd, flags: fdflags) -> errno. Only append and
// nonblock can change after opening.
Errno FdFdstatSetFlags(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdFdstatSetFlags, &entry)) return e;
  uint32_t wanted = U32(args[1]);
  constexpr uint32_t kAll = kFdflagAppend | kFdflagDsync | kFdflagNonblock | kFdflagRsync |
                            kFdflagSync;
  if (wanted & ~kAll) return kInval;
  int flags = fcntl(entry->host_fd, F_GETFL);
  if (flags < 0) return LastError();
  constexpr uint32_t kSyncFlags = kFdflagDsync | kFdflagRsync | kFdflagSync;
  if ((wanted & kSyncFlags) != (FdflagsFromHost(flags) & kSyncFlags)) return kNotsup;
  flags &= ~(O_APPEND | O_NONBLOCK);
  if (wanted & kFdflagAppend) flags |= O_APPEND;
  if (wanted & kFdflagNonblock) flags |= O_NONBLOCK;
  return fcntl(entry->host_fd, F_SETFL, flags) == 0 ? kSuccess : LastError();
}

// fd_fdstat_set_rights(fd, base: rights, inheriting: rights) -> errno.
// Rights can only shrink.
Errno FdFdstatSetRights(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), 0, &entry)) return e;
  Rights base = args[1], inheriting = args[2];
  if ((base & ~entry->rights_base) || (inheriting & ~entry->rights_inheriting)) {
    return kNotcapable;
  }
  entry->rights_base = base;
  entry->rights_inheriting = inheriting;
  return kSuccess;
}

// fd_filestat_get(fd, out: *filestat) -> errno
Errno FdFilestatGet(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdFilestatGet, &entry)) return e;
  if (!call.mem.Bytes(U32(args[1]), kFilestatSize)) return kFault;
  struct stat st;
  if (fstat(entry->host_fd, &st) != 0) return LastError();
  uint8_t out[kFilestatSize];
  EncodeFilestat(st, out);
  return call.mem.Write(U32(args[1]), out, sizeof out) ? kSuccess : kFault;
}

// fd_filestat_set_size(fd, size: filesize) -> errno
Errno FdFilestatSetSize(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdFilestatSetSize, &entry)) return e;
  if (args[1] > static_cast<uint64_t>(std::numeric_limits<off_t>::max())) return kFbig;
  int r = RetryOnEintr([&] { return ftruncate(entry->host_fd, static_cast<off_t>(args[1])); });
  return r == 0 ? kSuccess : LastError();
}

// fd_filestat_set_times(fd, atim, mtim, fstflags) -> errno
Errno FdFilestatSetTimes(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdFilestatSetTimes, &entry)) return e;
  if (U32(args[3]) > 0xffff) return kInval;
  timespec times[2];
  if (Errno e = TimesFromWasi(args[1], args[2], static_cast<uint16_t>(args[3]), times)) return e;
  return futimens(entry->host_fd, times) == 0 ? kSuccess : LastError();
}

// fd_pread(fd, iovs, iovs_len, offset: filesize, out: *size) -> errno
Errno FdPread(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdRead | kRightFdSeek, &entry)) return e;
  std::vector<iovec> iovs;
  if (!GatherIovecs(call.mem, U32(args[1]), U32(args[2]), iovs)) return kFault;
  if (!call.mem.Bytes(U32(args[4]), 4)) return kFault;
  if (entry->filetype == kFiletypeDirectory) return kIsdir;
  uint64_t done = 0;
  if (Errno e = PositionedIo(entry->host_fd, iovs, args[3], pread, &done)) return e;
  return call.mem.WriteU32(U32(args[4]), static_cast<uint32_t>(done)) ? kSuccess : kFault;
}

// fd_pwrite(fd, iovs, iovs_len, offset: filesize, out: *size) -> errno
Errno FdPwrite(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdWrite | kRightFdSeek, &entry)) return e;
  std::vector<iovec> iovs;
  if (!GatherIovecs(call.mem, U32(args[1]), U32(args[2]), iovs)) return kFault;
  if (!call.mem.Bytes(U32(args[4]), 4)) return kFault;
  uint64_t done = 0;
  auto write_at = [](int fd, void* buf, size_t len, off_t offset) {
    return pwrite(fd, buf, len, offset);
  };
  if (Errno e = PositionedIo(entry->host_fd, iovs, args[3], write_at, &done)) return e;
  return call.mem.WriteU32(U32(args[4]), static_cast<uint32_t>(done)) ? kSuccess : kFault;
}

// fd_read(fd, iovs, iovs_len, out: *size) -> errno
Errno FdRead(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdRead, &entry)) return e;
  std::vector<iovec> iovs;
  if (!GatherIovecs(call.mem, U32(args[1]), U32(args[2]), iovs)) return kFault;
  if (!call.mem.Bytes(U32(args[3]), 4)) return kFault;
  ssize_t n = iovs.empty() ? 0 : RetryOnEintr([&] {
    return readv(entry->host_fd, iovs.data(), static_cast<int>(iovs.size()));
  });
  if (n < 0) return LastError();
  return call.mem.WriteU32(U32(args[3]), static_cast<uint32_t>(n)) ? kSuccess : kFault;
}

// fd_write(fd, iovs, iovs_len, out: *size) -> errno
Errno FdWrite(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdWrite, &entry)) return e;
  std::vector<iovec> iovs;
  if (!GatherIovecs(call.mem, U32(args[1]), U32(args[2]), iovs)) return kFault;
  if (!call.mem.Bytes(U32(args[3]), 4)) return kFault;
  ssize_t n = iovs.empty() ? 0 : RetryOnEintr([&] {
    return writev(entry->host_fd, iovs.data(), static_cast<int>(iovs.size()));
  });
  if (n < 0) return LastError();
  return call.mem.WriteU32(U32(args[3]), static_cast<uint32_t>(n)) ? kSuccess : kFault;
}

// fd_prestat_get(fd, out: *prestat) -> errno. EBADF for any fd that is not
// a preopened directory: wasi-libc scans fds from 3 until it gets EBADF.
Errno FdPrestatGet(WasiCall& call, const Slot* args) {
  FdEntry* entry = call.ctx.fds().Find(U32(args[0]));
  if (entry == nullptr || !entry->preopen_name) return kBadf;
  uint8_t out[kPrestatSize] = {};
  out[0] = kPreopentypeDir;
  PutU32(out + 4, static_cast<uint32_t>(entry->preopen_name->size()));
  return call.mem.Write(U32(args[1]), out, sizeof out) ? kSuccess : kFault;
}

// fd_prestat_dir_name(fd, path, path_len) -> errno
Errno FdPrestatDirName(WasiCall& call, const Slot* args) {
  FdEntry* entry = call.ctx.fds().Find(U32(args[0]));
  if (entry == nullptr || !entry->preopen_name) return kBadf;
  const std::string& name = *entry->preopen_name;
  if (U32(args[2]) < name.size()) return kNametoolong;
  return call.mem.Write(U32(args[1]), name.data(), name.size()) ? kSuccess : kFault;
}

// fd_readdir(fd, buf, buf_len, cookie, out: *size) -> errno. Entries are
// dirents followed by their names; the last one may be cut off when the
// buffer is full (the caller then reads again with a bigger buffer).
Errno FdReaddir(WasiCall& call, const Slot* args) {
  FdEntry* entry = call.ctx.fds().Find(U32(args[0]));
  if (entry == nullptr) return kBadf;
  if (entry->filetype != kFiletypeDirectory) return kNotdir;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdReaddir, &entry)) return e;
  uint32_t buf = U32(args[1]), buf_len = U32(args[2]);
  uint64_t cookie = args[3];
  std::optional<std::span<uint8_t>> out = call.mem.Bytes(buf, buf_len);
  if (!out || !call.mem.Bytes(U32(args[4]), 4)) return kFault;
  if (cookie == 0 || !entry->dir_entries_valid) {
    entry->dir_entries_valid = false;
    if (Errno e = ReadDirectory(entry->host_fd, entry->dir_entries)) return e;
    entry->dir_entries_valid = true;
  }
  size_t used = 0;
  for (uint64_t i = cookie; i < entry->dir_entries.size() && used < buf_len; ++i) {
    const DirEntry& d = entry->dir_entries[i];
    uint8_t header[kDirentSize] = {};
    PutU64(header + 0, i + 1);
    PutU64(header + 8, d.ino);
    PutU32(header + 16, static_cast<uint32_t>(d.name.size()));
    header[20] = d.type;
    size_t n = std::min<size_t>(kDirentSize, buf_len - used);
    std::memcpy(out->data() + used, header, n);
    used += n;
    n = std::min<size_t>(d.name.size(), buf_len - used);
    std::memcpy(out->data() + used, d.name.data(), n);
    used += n;
  }
  return call.mem.WriteU32(U32(args[4]), static_cast<uint32_t>(used)) ? kSuccess : kFault;
}

// fd_renumber(fd, to) -> errno
Errno FdRenumber(WasiCall& call, const Slot* args) {
  return call.ctx.fds().Renumber(U32(args[0]), U32(args[1]));
}

// fd_seek(fd, offset: filedelta, whence, out: *filesize) -> errno
Errno FdSeek(WasiCall& call, const Slot* args) {
  int64_t offset = static_cast<int64_t>(args[1]);
  uint32_t whence = U32(args[2]);
  Rights needed = (offset == 0 && whence == kWhenceCur) ? kRightFdTell : kRightFdSeek;
  FdEntry* entry;
  // fd_seek(fd, 0, cur) only asks where it is: the tell right suffices.
  if (Errno e = call.ctx.fds().Get(U32(args[0]), needed, &entry)) return e;
  int host_whence;
  switch (whence) {
    case kWhenceSet: host_whence = SEEK_SET; break;
    case kWhenceCur: host_whence = SEEK_CUR; break;
    case kWhenceEnd: host_whence = SEEK_END; break;
    default: return kInval;
  }
  if (!call.mem.Bytes(U32(args[3]), 8)) return kFault;
  off_t result = lseek(entry->host_fd, static_cast<off_t>(offset), host_whence);
  if (result < 0) return LastError();
  return call.mem.WriteU64(U32(args[3]), static_cast<uint64_t>(result)) ? kSuccess : kFault;
}

// fd_tell(fd, out: *filesize) -> errno
Errno FdTell(WasiCall& call, const Slot* args) {
  FdEntry* entry;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdTell, &entry)) return e;
  if (!call.mem.Bytes(U32(args[1]), 8)) return kFault;
  off_t result = lseek(entry->host_fd, 0, SEEK_CUR);
  if (result < 0) return LastError();
  return call.mem.WriteU64(U32(args[1]), static_cast<uint64_t>(result)) ? kSuccess : kFault;
}

// sock_accept(fd, flags: fdflags, out: *fd) -> errno
Errno SockAccept(WasiCall& call, const Slot* args) {
  FdEntry* entry = call.ctx.fds().Find(U32(args[0]));
  if (entry == nullptr) return kBadf;
  if (!IsSocket(*entry)) return kNotsock;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightSockAccept, &entry)) return e;
  uint32_t flags = U32(args[1]);
  if (flags & ~uint32_t{kFdflagNonblock}) return kInval;
  if (!call.mem.Bytes(U32(args[2]), 4)) return kFault;
  int fd = RetryOnEintr([&] { return accept(entry->host_fd, nullptr, nullptr); });
  if (fd < 0) return LastError();
  fcntl(fd, F_SETFD, FD_CLOEXEC);
  if (flags & kFdflagNonblock) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  std::unique_ptr<FdEntry> accepted = NewFdEntry(fd);
  accepted->rights_base &= entry->rights_inheriting;
  accepted->rights_inheriting &= entry->rights_inheriting;
  uint32_t guest_fd = call.ctx.fds().Insert(std::move(accepted));
  call.mem.WriteU32(U32(args[2]), guest_fd);
  return kSuccess;
}

// sock_recv(fd, ri_data, ri_data_len, ri_flags, out: *size, out: *roflags)
Errno SockRecv(WasiCall& call, const Slot* args) {
  FdEntry* entry = call.ctx.fds().Find(U32(args[0]));
  if (entry == nullptr) return kBadf;
  if (!IsSocket(*entry)) return kNotsock;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdRead, &entry)) return e;
  uint32_t ri_flags = U32(args[3]);
  if (ri_flags & ~uint32_t{kRiflagRecvPeek | kRiflagRecvWaitall}) return kInval;
  std::vector<iovec> iovs;
  if (!GatherIovecs(call.mem, U32(args[1]), U32(args[2]), iovs)) return kFault;
  if (!call.mem.Bytes(U32(args[4]), 4) || !call.mem.Bytes(U32(args[5]), 2)) return kFault;
  msghdr msg = {};
  msg.msg_iov = iovs.data();
  msg.msg_iovlen = iovs.size();
  int flags = 0;
  if (ri_flags & kRiflagRecvPeek) flags |= MSG_PEEK;
  if (ri_flags & kRiflagRecvWaitall) flags |= MSG_WAITALL;
  ssize_t n = RetryOnEintr([&] { return recvmsg(entry->host_fd, &msg, flags); });
  if (n < 0) return LastError();
  uint8_t ro_flags[2] = {};
  PutU16(ro_flags, (msg.msg_flags & MSG_TRUNC) ? kRoflagRecvDataTruncated : 0);
  call.mem.WriteU32(U32(args[4]), static_cast<uint32_t>(n));
  call.mem.Write(U32(args[5]), ro_flags, 2);
  return kSuccess;
}

// sock_send(fd, si_data, si_data_len, si_flags, out: *size) -> errno
Errno SockSend(WasiCall& call, const Slot* args) {
  FdEntry* entry = call.ctx.fds().Find(U32(args[0]));
  if (entry == nullptr) return kBadf;
  if (!IsSocket(*entry)) return kNotsock;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightFdWrite, &entry)) return e;
  if (U32(args[3]) != 0) return kInval;  // no siflags are defined
  std::vector<iovec> iovs;
  if (!GatherIovecs(call.mem, U32(args[1]), U32(args[2]), iovs)) return kFault;
  if (!call.mem.Bytes(U32(args[4]), 4)) return kFault;
  msghdr msg = {};
  msg.msg_iov = iovs.data();
  msg.msg_iovlen = iovs.size();
  int flags = 0;
#ifdef MSG_NOSIGNAL
  flags |= MSG_NOSIGNAL;  // EPIPE rather than killing the host
#endif
  ssize_t n = RetryOnEintr([&] { return sendmsg(entry->host_fd, &msg, flags); });
  if (n < 0) return LastError();
  call.mem.WriteU32(U32(args[4]), static_cast<uint32_t>(n));
  return kSuccess;
}

// sock_shutdown(fd, how: sdflags) -> errno
Errno SockShutdown(WasiCall& call, const Slot* args) {
  FdEntry* entry = call.ctx.fds().Find(U32(args[0]));
  if (entry == nullptr) return kBadf;
  if (!IsSocket(*entry)) return kNotsock;
  if (Errno e = call.ctx.fds().Get(U32(args[0]), kRightSockShutdown, &entry)) return e;
  int how;
  switch (U32(args[1])) {
    case kSdflagRd: how = SHUT_RD; break;
    case kSdflagWr: how = SHUT_WR; break;
    case kSdflagRd | kSdflagWr: how = SHUT_RDWR; break;
    default: return kInval;
  }
  return shutdown(entry->host_fd, how) == 0 ? kSuccess : LastError();
}

}  // namespace rivet::wasi
