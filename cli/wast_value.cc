#include "cli/wast_value.h"

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace rivet::wast {
namespace {

struct LaneShape {
  std::string_view name;  // as wast2json writes lane_type
  int bits;
  bool is_float;
};

const LaneShape& Shape(LaneType type) {
  static constexpr LaneShape kShapes[] = {
      {"i8", 8, false},   {"i16", 16, false}, {"i32", 32, false},
      {"i64", 64, false}, {"f32", 32, true},  {"f64", 64, true},
  };
  return kShapes[static_cast<int>(type)];
}

int LaneCount(LaneType type) { return 128 / Shape(type).bits; }

std::optional<LaneType> ParseLaneType(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(LaneType::kF64); ++i) {
    if (Shape(static_cast<LaneType>(i)).name == name) return static_cast<LaneType>(i);
  }
  return std::nullopt;
}

std::optional<ValType> ParseValType(std::string_view name) {
  for (ValType type : {ValType::kI32, ValType::kI64, ValType::kF32, ValType::kF64, ValType::kV128,
                       ValType::kFuncRef, ValType::kExternRef}) {
    if (ValTypeName(type) == name) return type;
  }
  return std::nullopt;
}

uint64_t LowBits(int bits) { return bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1; }

// A decimal integer of `bits` width, as wast2json writes them: unsigned
// (the usual form) or, accepted for robustness, negative two's complement.
std::optional<uint64_t> ParseInteger(std::string_view text, int bits) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  uint64_t magnitude = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (UINT64_MAX - digit) / 10) return std::nullopt;
    magnitude = magnitude * 10 + digit;
  }
  uint64_t max = LowBits(bits);
  if (!negative) return magnitude <= max ? std::optional(magnitude) : std::nullopt;
  if (magnitude > (max >> 1) + 1) return std::nullopt;
  return (~magnitude + 1) & max;
}

std::optional<NanPattern> ParseNanPattern(std::string_view text) {
  if (text == "nan:canonical") return NanPattern::kCanonical;
  if (text == "nan:arithmetic") return NanPattern::kArithmetic;
  return std::nullopt;
}

uint64_t GetLane(const Value& v128, LaneType type, int lane) {
  int bits = Shape(type).bits;
  int bit = lane * bits;
  return (v128.bits[bit / 64] >> (bit % 64)) & LowBits(bits);
}

void SetLane(Value& v128, LaneType type, int lane, uint64_t value) {
  int bits = Shape(type).bits;
  int bit = lane * bits;
  v128.bits[bit / 64] |= (value & LowBits(bits)) << (bit % 64);
}

// The quiet bit is the top mantissa bit; the exponent is all ones.
bool MatchesNan(NanPattern pattern, uint64_t bits, int width) {
  uint64_t magnitude = bits & (LowBits(width) >> 1);  // drop the sign
  uint64_t canonical = width == 32 ? 0x7fc00000 : 0x7ff8000000000000;
  if (pattern == NanPattern::kCanonical) return magnitude == canonical;
  return (magnitude & canonical) == canonical;
}

std::string_view NanPatternName(NanPattern pattern) {
  return pattern == NanPattern::kCanonical ? "nan:canonical" : "nan:arithmetic";
}

// Shortest-exact decimal (%.9g and %.17g round-trip), except that NaNs show
// their bits, as the payload is what NaN patterns are about.
std::string FloatToString(uint64_t bits, int width) {
  char text[64];
  if (width == 32) {
    uint32_t narrow = static_cast<uint32_t>(bits);
    float f;
    std::memcpy(&f, &narrow, sizeof f);
    if (f != f) {
      std::snprintf(text, sizeof text, "nan:0x%08" PRIx32, narrow);
    } else {
      std::snprintf(text, sizeof text, "%.9g", static_cast<double>(f));
    }
  } else {
    double d;
    std::memcpy(&d, &bits, sizeof d);
    if (d != d) {
      std::snprintf(text, sizeof text, "nan:0x%016" PRIx64, bits);
    } else {
      std::snprintf(text, sizeof text, "%.17g", d);
    }
  }
  return text;
}

std::string IntegerToString(uint64_t bits, int width) {
  // Signed, because -1 reads better than 4294967295 in a failure line.
  uint64_t sign = uint64_t{1} << (width - 1);
  if (bits & sign) return "-" + std::to_string((~bits & LowBits(width)) + 1);
  return std::to_string(bits);
}

std::string LaneToString(uint64_t bits, LaneType type) {
  const LaneShape& shape = Shape(type);
  return shape.is_float ? FloatToString(bits, shape.bits) : IntegerToString(bits, shape.bits);
}

std::string Describe(const json::Value& json) {
  const std::string* type = json.FindString("type");
  return type != nullptr ? *type : "value";
}

// Shared by ParseValue and ParseExpected: allow_patterns is false for
// arguments, which may not be NaN patterns or value-less references.
Result<Expected> Parse(const json::Value& json, bool allow_patterns) {
  const std::string* type_name = json.FindString("type");
  if (type_name == nullptr) return Error{"a value without a \"type\" string"};
  std::optional<ValType> type = ParseValType(*type_name);
  if (!type) return Error{"unknown value type \"" + *type_name + "\""};

  Expected result;
  result.value.type = *type;
  const json::Value* value = json.Find("value");

  if (IsRefType(*type)) {
    if (value == nullptr && allow_patterns) {
      result.any_non_null = true;
      return result;
    }
    if (value == nullptr || !value->is_string())
      return Error{*type_name + " without a \"value\" string"};
    if (value->as_string() == "null") {
      result.value.is_null = true;
      return result;
    }
    std::optional<uint64_t> host = ParseInteger(value->as_string(), 64);
    if (*type != ValType::kExternRef || !host) {
      return Error{"invalid " + *type_name + " value \"" + value->as_string() + "\""};
    }
    result.value.bits[0] = *host;
    return result;
  }

  if (*type == ValType::kV128) {
    const std::string* lane_name = json.FindString("lane_type");
    std::optional<LaneType> lane_type = lane_name ? ParseLaneType(*lane_name) : std::nullopt;
    if (!lane_type) return Error{"v128 without a valid \"lane_type\""};
    result.lane_type = *lane_type;
    if (value == nullptr || !value->is_array() ||
        static_cast<int>(value->as_array().size()) != LaneCount(*lane_type)) {
      return Error{"v128 of " + *lane_name + " lanes needs " +
                   std::to_string(LaneCount(*lane_type)) + " lane values"};
    }
    for (int lane = 0; lane < LaneCount(*lane_type); ++lane) {
      const json::Value& item = value->as_array()[lane];
      if (!item.is_string()) return Error{"a v128 lane value that is not a string"};
      std::optional<NanPattern> nan = ParseNanPattern(item.as_string());
      if (nan && allow_patterns && Shape(*lane_type).is_float) {
        result.nan[lane] = *nan;
        continue;
      }
      std::optional<uint64_t> bits = ParseInteger(item.as_string(), Shape(*lane_type).bits);
      if (!bits) return Error{"invalid " + *lane_name + " lane value \"" + item.as_string() + "\""};
      SetLane(result.value, *lane_type, lane, *bits);
    }
    return result;
  }

  if (value == nullptr || !value->is_string())
    return Error{*type_name + " without a \"value\" string"};
  std::string_view text = value->as_string();
  bool is_float = *type == ValType::kF32 || *type == ValType::kF64;
  int width = *type == ValType::kI32 || *type == ValType::kF32 ? 32 : 64;
  if (std::optional<NanPattern> nan = ParseNanPattern(text); nan && is_float && allow_patterns) {
    result.nan[0] = *nan;
    return result;
  }
  std::optional<uint64_t> bits = ParseInteger(text, width);
  if (!bits) return Error{"invalid " + *type_name + " value \"" + std::string(text) + "\""};
  result.value.bits[0] = *bits;
  return result;
}

}  // namespace

Result<Value> ParseValue(const json::Value& json) {
  Result<Expected> parsed = Parse(json, /*allow_patterns=*/false);
  if (!parsed.ok()) return Error{"argument " + Describe(json) + ": " + parsed.error().message};
  return parsed->value;
}

Result<Expected> ParseExpected(const json::Value& json) {
  Result<Expected> parsed = Parse(json, /*allow_patterns=*/true);
  if (!parsed.ok()) return Error{"expected " + Describe(json) + ": " + parsed.error().message};
  return parsed;
}

bool Matches(const Expected& expected, const Value& actual) {
  const Value& want = expected.value;
  if (actual.type != want.type) return false;
  switch (want.type) {
    case ValType::kFuncRef:
    case ValType::kExternRef:
      if (expected.any_non_null) return !actual.is_null;
      if (want.is_null || actual.is_null) return want.is_null == actual.is_null;
      // Funcrefs have no identity a script can name, so any non-null
      // funcref matches; externrefs must be the very host value.
      return want.type == ValType::kFuncRef || want.bits[0] == actual.bits[0];
    case ValType::kF32:
    case ValType::kF64: {
      int width = want.type == ValType::kF32 ? 32 : 64;
      if (expected.nan[0] != NanPattern::kNone) {
        return MatchesNan(expected.nan[0], actual.bits[0], width);
      }
      return want.bits[0] == actual.bits[0];
    }
    case ValType::kV128: {
      const LaneShape& shape = Shape(expected.lane_type);
      for (int lane = 0; lane < LaneCount(expected.lane_type); ++lane) {
        uint64_t bits = GetLane(actual, expected.lane_type, lane);
        bool ok = shape.is_float && expected.nan[lane] != NanPattern::kNone
                      ? MatchesNan(expected.nan[lane], bits, shape.bits)
                      : bits == GetLane(want, expected.lane_type, lane);
        if (!ok) return false;
      }
      return true;
    }
    default:
      return want.bits[0] == actual.bits[0];
  }
}

std::string ToString(const Value& value, LaneType lane_type) {
  std::string name(ValTypeName(value.type));
  switch (value.type) {
    case ValType::kI32:
      return name + ":" + IntegerToString(value.bits[0], 32);
    case ValType::kI64:
      return name + ":" + IntegerToString(value.bits[0], 64);
    case ValType::kF32:
      return name + ":" + FloatToString(value.bits[0], 32);
    case ValType::kF64:
      return name + ":" + FloatToString(value.bits[0], 64);
    case ValType::kV128: {
      std::string text = name + ":" + std::string(Shape(lane_type).name) + "x" +
                         std::to_string(LaneCount(lane_type)) + ":";
      for (int lane = 0; lane < LaneCount(lane_type); ++lane) {
        if (lane > 0) text += ' ';
        text += LaneToString(GetLane(value, lane_type, lane), lane_type);
      }
      return text;
    }
    case ValType::kFuncRef:
      return name + (value.is_null ? ":null" : "");
    case ValType::kExternRef:
      return name + ":" + (value.is_null ? "null" : std::to_string(value.bits[0]));
  }
  return name;
}

std::string ToString(const Expected& expected) {
  const Value& value = expected.value;
  std::string name(ValTypeName(value.type));
  if (expected.any_non_null) return name + ":non-null";
  if ((value.type == ValType::kF32 || value.type == ValType::kF64) &&
      expected.nan[0] != NanPattern::kNone) {
    return name + ":" + std::string(NanPatternName(expected.nan[0]));
  }
  if (value.type != ValType::kV128) return ToString(value);
  std::string text = name + ":" + std::string(Shape(expected.lane_type).name) + "x" +
                     std::to_string(LaneCount(expected.lane_type)) + ":";
  // Only float lanes (at most four) can be NaN patterns.
  const bool float_lanes = Shape(expected.lane_type).is_float;
  for (int lane = 0; lane < LaneCount(expected.lane_type); ++lane) {
    if (lane > 0) text += ' ';
    text += float_lanes && expected.nan[lane] != NanPattern::kNone
                ? std::string(NanPatternName(expected.nan[lane]))
                : LaneToString(GetLane(value, expected.lane_type, lane), expected.lane_type);
  }
  return text;
}

}  // namespace rivet::wast
