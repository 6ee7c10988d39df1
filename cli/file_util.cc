#include "cli/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace rivet::cli {
namespace {

// POSIX calls rather than <fstream>, because iostreams do not report why an
// open or read failed, and "cannot read x" without a reason is a poor error.
template <typename Buffer>
Result<Buffer> ReadInto(const std::string& path) {
  const auto failure = [&](int error) {
    return Error{"cannot read " + path + ": " + std::strerror(error)};
  };
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return failure(errno);
  Buffer buffer;
  struct stat info;
  if (fstat(fd, &info) == 0 && S_ISREG(info.st_mode)) {
    buffer.reserve(static_cast<size_t>(info.st_size));
  }
  // Read to EOF rather than trusting st_size, which is 0 for pipes and
  // /proc files and stale for a file that is being written.
  char chunk[1 << 16];
  while (true) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      int error = errno;  // close() may clobber errno
      close(fd);
      return failure(error);
    }
    if (n == 0) break;
    buffer.insert(buffer.end(), chunk, chunk + n);
  }
  close(fd);
  return buffer;
}

}  // namespace

Result<std::vector<uint8_t>> ReadFile(const std::string& path) {
  return ReadInto<std::vector<uint8_t>>(path);
}

Result<std::string> ReadTextFile(const std::string& path) { return ReadInto<std::string>(path); }

Status WriteFileAtomically(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::string temporary = path + ".tmp." + std::to_string(getpid()) + "." +
                          std::to_string(std::hash<std::thread::id>()(std::this_thread::get_id()));
  const auto failure = [&](const std::string& what, int error) {
    unlink(temporary.c_str());
    return Error{"cannot " + what + " " + path + ": " + std::strerror(error)};
  };
  int fd = open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Error{"cannot write " + path + ": " + std::strerror(errno)};
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      int error = errno;
      close(fd);
      return failure("write", error);
    }
    written += static_cast<size_t>(n);
  }
  if (close(fd) != 0) return failure("write", errno);
  if (rename(temporary.c_str(), path.c_str()) != 0) return failure("replace", errno);
  return {};
}

}  // namespace rivet::cli
