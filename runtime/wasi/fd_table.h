// The guest's file descriptors: each is a host descriptor with its WASI
// file type and rights. Internal to runtime/wasi/.
#ifndef RIVET_RUNTIME_WASI_FD_TABLE_H_
#define RIVET_RUNTIME_WASI_FD_TABLE_H_

#include <sys/types.h>

#include <cerrno>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/wasi/abi.h"

namespace rivet::wasi {

// One directory entry as fd_readdir returns it.
struct DirEntry {
  std::string name;
  uint64_t ino = 0;
  Filetype type = kFiletypeUnknown;
};

struct FdEntry {
  FdEntry() = default;
  FdEntry(const FdEntry&) = delete;
  FdEntry& operator=(const FdEntry&) = delete;
  ~FdEntry();

  int host_fd = -1;  // owned
  Filetype filetype = kFiletypeUnknown;
  Rights rights_base = 0;
  Rights rights_inheriting = 0;
  // For preopened directories: the name the guest knows it by.
  std::optional<std::string> preopen_name;
  // fd_readdir's snapshot of the directory, taken when it reads from
  // cookie 0; later cookies index into it.
  std::vector<DirEntry> dir_entries;
  bool dir_entries_valid = false;
};

class FdTable {
 public:
  // The entry for `fd` if it is open and has every right in `needed`:
  // kSuccess, kBadf (not open) or kNotcapable (a right is missing).
  Errno Get(uint32_t fd, Rights needed, FdEntry** entry);
  FdEntry* Find(uint32_t fd);
  // Installs `entry` at the lowest free number; returns it.
  uint32_t Insert(std::unique_ptr<FdEntry> entry);
  // Installs `entry` at `fd` (which must be free).
  void InsertAt(uint32_t fd, std::unique_ptr<FdEntry> entry);
  Errno Close(uint32_t fd);
  // Moves `from` to `to`, closing what `to` was. Both must be open.
  Errno Renumber(uint32_t from, uint32_t to);

 private:
  void TrimTail();
  std::vector<std::unique_ptr<FdEntry>> entries_;
};

Filetype FiletypeFromMode(mode_t mode);

// The most rights a descriptor of `type` can have, and what descriptors
// opened through it may inherit.
Rights MaxRightsBase(Filetype type);
Rights MaxRightsInheriting(Filetype type);

// An entry for host descriptor `host_fd` (taking ownership): its file type
// from fstat, and every right that type allows.
std::unique_ptr<FdEntry> NewFdEntry(int host_fd);

// Retries a system call interrupted by a signal.
template <typename F>
auto RetryOnEintr(F f) {
  for (;;) {
    auto result = f();
    if (result == -1 && errno == EINTR) continue;
    return result;
  }
}

}  // namespace rivet::wasi

#endif  // RIVET_RUNTIME_WASI_FD_TABLE_H_
