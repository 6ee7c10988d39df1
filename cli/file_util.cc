#include "cli/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
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

}  // namespace rivet::cli
