#include "cli/value_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rivet::cli {
namespace {

// Reads an integer of `bits` bits: signed or unsigned decimal, or 0x hex.
bool ParseInteger(std::string_view text, int bits, uint64_t& out) {
  bool negative = !text.empty() && text[0] == '-';
  std::string_view digits = negative ? text.substr(1) : text;
  int base = 10;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    digits.remove_prefix(2);
    base = 16;
  }
  uint64_t magnitude = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) return false;
  uint64_t max_unsigned = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  uint64_t max_negative = uint64_t{1} << (bits - 1);
  if (negative) {
    if (magnitude > max_negative) return false;
    out = (0 - magnitude) & max_unsigned;
  } else {
    if (magnitude > max_unsigned) return false;
    out = magnitude;
  }
  return true;
}

template <typename Float>
bool ParseFloat(std::string_view text, Float& out) {
  std::string s(text);
  if (s.empty()) return false;
  char* end = nullptr;
  if constexpr (sizeof(Float) == 4) {
    out = std::strtof(s.c_str(), &end);
  } else {
    out = std::strtod(s.c_str(), &end);
  }
  return end == s.c_str() + s.size();
}

template <typename Float>
std::string FormatFloat(Float value) {
  if (std::isnan(value)) return std::signbit(value) ? "-nan" : "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, end);
}

}  // namespace

Status ParseValue(std::string_view text, ValType type, std::vector<Slot>& out) {
  auto bad = [&] {
    return Error{"cannot read \"" + std::string(text) + "\" as " +
                 std::string(ValTypeName(type))};
  };
  switch (type) {
    case ValType::kI32:
    case ValType::kI64: {
      uint64_t value;
      if (!ParseInteger(text, type == ValType::kI32 ? 32 : 64, value)) return bad();
      out.push_back(value);
      return {};
    }
    case ValType::kF32: {
      float value;
      if (!ParseFloat(text, value)) return bad();
      uint32_t bits;
      std::memcpy(&bits, &value, 4);
      out.push_back(bits);
      return {};
    }
    case ValType::kF64: {
      double value;
      if (!ParseFloat(text, value)) return bad();
      uint64_t bits;
      std::memcpy(&bits, &value, 8);
      out.push_back(bits);
      return {};
    }
    case ValType::kFuncRef:
    case ValType::kExternRef:
      if (text != "null") return bad();
      out.push_back(0);
      return {};
    case ValType::kV128:
      break;
  }
  return Error{"v128 arguments cannot be given on the command line"};
}

std::string FormatValue(ValType type, const Slot* slots) {
  switch (type) {
    case ValType::kI32: return std::to_string(static_cast<int32_t>(slots[0]));
    case ValType::kI64: return std::to_string(static_cast<int64_t>(slots[0]));
    case ValType::kF32: {
      uint32_t bits = static_cast<uint32_t>(slots[0]);
      float value;
      std::memcpy(&value, &bits, 4);
      return FormatFloat(value);
    }
    case ValType::kF64: {
      double value;
      std::memcpy(&value, &slots[0], 8);
      return FormatFloat(value);
    }
    case ValType::kV128: {
      char buffer[48];
      std::snprintf(buffer, sizeof(buffer), "0x%016llx%016llx",
                    static_cast<unsigned long long>(slots[1]),
                    static_cast<unsigned long long>(slots[0]));
      return buffer;
    }
    case ValType::kFuncRef:
    case ValType::kExternRef:
      return slots[0] ? "ref" : "null";
  }
  return "?";
}

}  // namespace rivet::cli
