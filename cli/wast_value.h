// Values in spec scripts: arguments and results crossing the boundary
// between the script runner and an engine, and the results an assert_return
// expects (which may be NaN patterns rather than exact values).
#ifndef RIVET_CLI_WAST_VALUE_H_
#define RIVET_CLI_WAST_VALUE_H_

#include <array>
#include <cstdint>
#include <string>

#include "cli/json.h"
#include "loader/module.h"
#include "loader/result.h"

namespace rivet::wast {

// A value as bits, so that it round-trips exactly (NaN payloads, -0.0)
// between the script and an engine, whatever the engine's own value type.
struct Value {
  ValType type = ValType::kI32;
  // Numbers: the bits, in bits[0] (i32 and f32 in its low 32 bits, the rest
  // zero). v128: the low 64 bits (lanes 0.. in little-endian order) in
  // bits[0], the high 64 in bits[1]. A non-null externref: the host value
  // number the script wrote as (ref.extern N), which an engine must hand back
  // unchanged. A non-null funcref: unused (functions have no script-visible
  // identity).
  std::array<uint64_t, 2> bits = {0, 0};
  bool is_null = false;  // references only

  static Value I32(uint32_t v) { return Value{ValType::kI32, {v, 0}}; }
  static Value I64(uint64_t v) { return Value{ValType::kI64, {v, 0}}; }
  static Value F32Bits(uint32_t v) { return Value{ValType::kF32, {v, 0}}; }
  static Value F64Bits(uint64_t v) { return Value{ValType::kF64, {v, 0}}; }
  static Value V128(uint64_t low, uint64_t high) { return Value{ValType::kV128, {low, high}}; }
  static Value Null(ValType ref_type) { return Value{ref_type, {0, 0}, true}; }
  static Value Extern(uint64_t host_value) { return Value{ValType::kExternRef, {host_value, 0}}; }
};

// The lane shape a script writes a v128 in.
enum class LaneType : uint8_t { kI8, kI16, kI32, kI64, kF32, kF64 };

// The spec's NaN patterns: nan:canonical is a NaN with only the top
// mantissa bit set (either sign); nan:arithmetic is any NaN with that bit set.
enum class NanPattern : uint8_t { kNone, kCanonical, kArithmetic };

// One result an assert_return expects.
struct Expected {
  Value value;  // exact bits, where no pattern below applies
  // v128: the lane shape the script used, which decides which lanes are
  // floats that may carry NaN patterns, and how a mismatch is printed.
  LaneType lane_type = LaneType::kI32;
  // Per lane of a v128 f32x4/f64x2, or [0] for an f32/f64; kNone: the lane
  // must equal value's bits exactly.
  std::array<NanPattern, 4> nan = {};
  // A reference written without a value, (ref.func) or (ref.extern): any
  // non-null reference of the type matches.
  bool any_non_null = false;
};

// Parses a wast2json argument such as {"type": "i32", "value": "4294967295"}
// or {"type": "v128", "lane_type": "i16", "value": ["1", ...]}.
Result<Value> ParseValue(const json::Value& json);
// The same for an expected result, which may also be a NaN pattern or a
// reference without a value.
Result<Expected> ParseExpected(const json::Value& json);

bool Matches(const Expected& expected, const Value& actual);

// For failure lines: "i32:-1", "f32:1.5", "f32:nan:0x7fc00001",
// "v128:i16x8:1 2 3 ...", "externref:null". A v128 prints in the given lane
// shape.
std::string ToString(const Value& value, LaneType lane_type = LaneType::kI32);
std::string ToString(const Expected& expected);

}  // namespace rivet::wast

#endif  // RIVET_CLI_WAST_VALUE_H_
