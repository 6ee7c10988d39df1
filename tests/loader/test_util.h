// Decoding helpers shared by the loader tests.
#ifndef RIVET_TESTS_LOADER_TEST_UTIL_H_
#define RIVET_TESTS_LOADER_TEST_UTIL_H_

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loader/features.h"
#include "loader/module.h"

namespace rivet::test {

// Decodes `bytes`, expecting failure; returns the error message, or
// "<decoded>" (which no expectation matches) after recording a test failure.
inline std::string DecodeError(const std::vector<uint8_t>& bytes,
                               const Features& features = Features::All()) {
  auto result = DecodeModule(bytes, features);
  if (result.ok()) {
    ADD_FAILURE() << "expected a decoding error, but the module decoded";
    return "<decoded>";
  }
  return result.error().message;
}

// Decodes `bytes`, expecting success; returns the module or nullptr after
// recording a test failure with the error message.
inline std::shared_ptr<const Module> DecodeOk(const std::vector<uint8_t>& bytes,
                                              const Features& features = Features::All()) {
  auto result = DecodeModule(bytes, features);
  if (!result.ok()) {
    ADD_FAILURE() << "expected the module to decode, got: " << result.error().message;
    return nullptr;
  }
  return *result;
}

// EXPECT_CONTAINS(text, part): `text` contains `part`, printing both if not.
inline ::testing::AssertionResult ContainsFormat(const char* text_expr, const char* part_expr,
                                                 const std::string& text,
                                                 const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << text_expr << " does not contain " << part_expr
                                       << "\n    text: " << text << "\n    part: " << part;
}
#define EXPECT_CONTAINS(text, part) \
  EXPECT_PRED_FORMAT2(::rivet::test::ContainsFormat, text, part)

// "0x1f" for 31, as the loader writes offsets.
inline std::string Hex(size_t value) {
  char buf[24];
  snprintf(buf, sizeof(buf), "0x%zx", value);
  return buf;
}

}  // namespace rivet::test

#endif  // RIVET_TESTS_LOADER_TEST_UTIL_H_
