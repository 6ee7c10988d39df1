// Helpers shared by the loader's tests.
#ifndef RIVET_LOADER_ELF_TEST_UTIL_H_
#define RIVET_LOADER_ELF_TEST_UTIL_H_

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace rivet::elf::test {

// The bytes of a file given relative to the workspace root (tests run in the
// runfiles root; TEST_SRCDIR is the fallback). Empty if it cannot be read.
inline std::vector<uint8_t> ReadTestFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const char* srcdir = std::getenv("TEST_SRCDIR");
    if (srcdir != nullptr) in.open(std::string(srcdir) + "/rivet/" + path, std::ios::binary);
  }
  if (!in) return {};
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace rivet::elf::test

#endif  // RIVET_LOADER_ELF_TEST_UTIL_H_
