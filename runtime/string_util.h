// Small string helpers shared by the module manager, host profiles and the
// command line (the portable core has no Abseil).
#ifndef RIVET_RUNTIME_STRING_UTIL_H_
#define RIVET_RUNTIME_STRING_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

namespace rivet {

// The items with `separator` between them: Join({"a", "b"}, ", ") is "a, b".
template <typename Container>
std::string Join(const Container& items, std::string_view separator) {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += separator;
    out += item;
    first = false;
  }
  return out;
}

// The parts of `text` between separators, empty ones included:
// Split("a,,b", ',') is {"a", "", "b"}; Split("", ',') is {""}.
inline std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace rivet

#endif  // RIVET_RUNTIME_STRING_UTIL_H_
