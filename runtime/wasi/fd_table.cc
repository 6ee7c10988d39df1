#include "runtime/wasi/fd_table.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace rivet::wasi {

FdEntry::~FdEntry() {
  if (host_fd >= 0) close(host_fd);
}

Errno FdTable::Get(uint32_t fd, Rights needed, FdEntry** entry) {
  FdEntry* found = Find(fd);
  if (found == nullptr) return kBadf;
  if ((found->rights_base & needed) != needed) return kNotcapable;
  *entry = found;
  return kSuccess;
}

FdEntry* FdTable::Find(uint32_t fd) {
  return fd < entries_.size() ? entries_[fd].get() : nullptr;
}

uint32_t FdTable::Insert(std::unique_ptr<FdEntry> entry) {
  uint32_t fd = 0;
  while (fd < entries_.size() && entries_[fd]) ++fd;
  InsertAt(fd, std::move(entry));
  return fd;
}

void FdTable::InsertAt(uint32_t fd, std::unique_ptr<FdEntry> entry) {
  if (fd >= entries_.size()) entries_.resize(fd + 1);
  entries_[fd] = std::move(entry);
}

Errno FdTable::Close(uint32_t fd) {
  if (Find(fd) == nullptr) return kBadf;
  entries_[fd].reset();
  TrimTail();
  return kSuccess;
}

Errno FdTable::Renumber(uint32_t from, uint32_t to) {
  if (Find(from) == nullptr || Find(to) == nullptr) return kBadf;
  if (from == to) return kSuccess;
  entries_[to] = std::move(entries_[from]);  // closes what `to` was
  TrimTail();
  return kSuccess;
}

void FdTable::TrimTail() {
  while (!entries_.empty() && !entries_.back()) entries_.pop_back();
}

Filetype FiletypeFromMode(mode_t mode) {
  if (S_ISREG(mode)) return kFiletypeRegularFile;
  if (S_ISDIR(mode)) return kFiletypeDirectory;
  if (S_ISCHR(mode)) return kFiletypeCharacterDevice;
  if (S_ISBLK(mode)) return kFiletypeBlockDevice;
  if (S_ISLNK(mode)) return kFiletypeSymbolicLink;
  if (S_ISSOCK(mode)) return kFiletypeSocketStream;
  return kFiletypeUnknown;  // FIFOs: WASI has no type for them
}

Rights MaxRightsBase(Filetype type) {
  switch (type) {
    case kFiletypeRegularFile:
    case kFiletypeBlockDevice:
      return kRightsRegularFile;
    case kFiletypeDirectory:
      return kRightsDirectory;
    case kFiletypeSocketStream:
    case kFiletypeSocketDgram:
      return kRightsSocket;
    default:
      return kRightsStream;
  }
}

Rights MaxRightsInheriting(Filetype type) {
  switch (type) {
    case kFiletypeDirectory:
      return kRightsDirectoryInheriting;
    case kFiletypeSocketStream:
    case kFiletypeSocketDgram:
      return kRightsSocket;
    default:
      return 0;
  }
}

std::unique_ptr<FdEntry> NewFdEntry(int host_fd) {
  auto entry = std::make_unique<FdEntry>();
  entry->host_fd = host_fd;
  struct stat st;
  if (fstat(host_fd, &st) == 0) entry->filetype = FiletypeFromMode(st.st_mode);
  entry->rights_base = MaxRightsBase(entry->filetype);
  entry->rights_inheriting = MaxRightsInheriting(entry->filetype);
  return entry;
}

}  // namespace rivet::wasi
