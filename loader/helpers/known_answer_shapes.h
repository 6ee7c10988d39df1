// The signatures of the helpers in soft-float form (every float as its bits
// in an integer register), shared by the known-answer generator (host) and
// the rv32 driver (freestanding). A vector calls `name` with `a` (and `b`)
// truncated to the argument widths and expects `expected`.
#ifndef RIVET_LOADER_HELPERS_KNOWN_ANSWER_SHAPES_H_
#define RIVET_LOADER_HELPERS_KNOWN_ANSWER_SHAPES_H_

#include <stdint.h>

namespace rivet::helpers {

// Result, then arguments, by width: k32_32x32 is uint32_t f(uint32_t, uint32_t).
enum class Shape : uint8_t {
  k32_32x32,
  k32_32,
  k64_64x64,
  k64_64,
  k32_64,
  k64_32,
  k32_64x64,
  k64_64x32,
};

struct KnownAnswer {
  const char* name;
  Shape shape;
  uint64_t a;
  uint64_t b;
  uint64_t expected;
};

}  // namespace rivet::helpers

#endif  // RIVET_LOADER_HELPERS_KNOWN_ANSWER_SHAPES_H_
