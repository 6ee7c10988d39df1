#include "cli/json.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace rivet::json {
namespace {

// Deep enough for any real document, shallow enough that the recursive
// descent below cannot overflow the stack on hostile input like "[[[[...".
constexpr int kMaxDepth = 512;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xc0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3f));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xe0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code_point & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code_point & 0x3f));
  }
}

// The length of the well-formed UTF-8 sequence starting at `s` (whose first
// byte is >= 0x80), or 0 if it is ill-formed: overlong forms, surrogates and
// code points above U+10FFFF are rejected, per RFC 3629.
size_t Utf8SequenceLength(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  const auto is_cont = [&](size_t i) { return i < s.size() && (byte(i) & 0xc0) == 0x80; };
  uint8_t b0 = byte(0);
  if (b0 >= 0xc2 && b0 <= 0xdf) return is_cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (!is_cont(1) || !is_cont(2)) return 0;
    if (b0 == 0xe0 && byte(1) < 0xa0) return 0;   // overlong
    if (b0 == 0xed && byte(1) >= 0xa0) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (!is_cont(1) || !is_cont(2) || !is_cont(3)) return 0;
    if (b0 == 0xf0 && byte(1) < 0x90) return 0;   // overlong
    if (b0 == 0xf4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<Value> ParseDocument() {
    SkipWhitespace();
    Value value;
    if (!ParseValue(value, 0)) return Error{error_};
    SkipWhitespace();
    if (pos_ != text_.size()) {
      Fail("unexpected " + Describe(pos_) + " after the JSON value");
      return Error{error_};
    }
    return value;
  }

 private:
  // Records the first error; always returns false so callers can
  // `return Fail(...)`.
  bool Fail(const std::string& message) { return FailAt(pos_, message); }
  bool FailAt(size_t offset, const std::string& message) {
    if (error_.empty()) error_ = "byte " + std::to_string(offset) + ": " + message;
    return false;
  }

  // "'x'", "end of input" or "byte 0x1f", for "unexpected ..." messages.
  std::string Describe(size_t offset) const {
    if (offset >= text_.size()) return "end of input";
    unsigned char c = static_cast<unsigned char>(text_[offset]);
    if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
    static constexpr char kHex[] = "0123456789abcdef";
    return std::string("byte 0x") + kHex[c >> 4] + kHex[c & 0xf];
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  void SkipWhitespace() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      ++pos_;
    }
  }

  bool ParseValue(Value& out, int depth) {
    if (AtEnd()) return Fail("expected a value, got end of input");
    switch (Peek()) {
      case '{':
        return ParseObject(out, depth);
      case '[':
        return ParseArray(out, depth);
      case '"': {
        std::string s;
        if (!ParseString(s)) return false;
        out = Value(std::move(s));
        return true;
      }
      case 't':
        return ParseLiteral("true", Value(true), out);
      case 'f':
        return ParseLiteral("false", Value(false), out);
      case 'n':
        return ParseLiteral("null", Value(), out);
      default:
        if (Peek() == '-' || IsDigit(Peek())) return ParseNumber(out);
        return Fail("expected a value, got " + Describe(pos_));
    }
  }

  bool ParseLiteral(std::string_view word, Value value, Value& out) {
    if (text_.substr(pos_, word.size()) != word) {
      return Fail("expected a value, got " + Describe(pos_));
    }
    pos_ += word.size();
    out = std::move(value);
    return true;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool ParseNumber(Value& out) {
    size_t start = pos_;
    if (Peek() == '-') ++pos_;
    if (AtEnd() || !IsDigit(Peek())) return Fail("expected a digit, got " + Describe(pos_));
    if (Peek() == '0') {
      ++pos_;
      if (!AtEnd() && IsDigit(Peek())) return Fail("a number must not have a leading zero");
    } else {
      while (!AtEnd() && IsDigit(Peek())) ++pos_;
    }
    if (!AtEnd() && Peek() == '.') {
      ++pos_;
      if (AtEnd() || !IsDigit(Peek())) {
        return Fail("expected a digit after '.', got " + Describe(pos_));
      }
      while (!AtEnd() && IsDigit(Peek())) ++pos_;
    }
    if (!AtEnd() && (Peek() == 'e' || Peek() == 'E')) {
      ++pos_;
      if (!AtEnd() && (Peek() == '+' || Peek() == '-')) ++pos_;
      if (AtEnd() || !IsDigit(Peek())) {
        return Fail("expected a digit in the exponent, got " + Describe(pos_));
      }
      while (!AtEnd() && IsDigit(Peek())) ++pos_;
    }
    out = Value(Number{std::string(text_.substr(start, pos_ - start))});
    return true;
  }

  // Reads the 4 hex digits of a \u escape at pos_.
  bool ParseHex4(uint32_t& out) {
    out = 0;
    for (int i = 0; i < 4; ++i) {
      int digit = AtEnd() ? -1 : HexDigitValue(Peek());
      if (digit < 0) return Fail("expected 4 hex digits after \\u, got " + Describe(pos_));
      out = out * 16 + static_cast<uint32_t>(digit);
      ++pos_;
    }
    return true;
  }

  bool ParseString(std::string& out) {
    ++pos_;  // the opening quote
    while (true) {
      // Copy the run of characters that need no attention in one go: most
      // strings in a wast2json script have no escapes at all.
      size_t run = pos_;
      while (run < text_.size()) {
        unsigned char c = static_cast<unsigned char>(text_[run]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++run;
      }
      out.append(text_, pos_, run - pos_);
      pos_ = run;
      if (AtEnd()) return Fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(Peek());
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return Fail("unescaped control character " + Describe(pos_) + " in a string");
      if (c >= 0x80) {
        size_t length = Utf8SequenceLength(text_.substr(pos_));
        if (length == 0) return Fail("invalid UTF-8 in a string");
        out.append(text_, pos_, length);
        pos_ += length;
        continue;
      }
      if (!ParseEscape(out)) return false;
    }
  }

  // An escape sequence starting at the backslash at pos_.
  bool ParseEscape(std::string& out) {
    size_t start = pos_;
    ++pos_;
    if (AtEnd()) return Fail("unterminated string");
    char c = Peek();
    ++pos_;
    switch (c) {
      case '"':
        out += '"';
        return true;
      case '\\':
        out += '\\';
        return true;
      case '/':
        out += '/';
        return true;
      case 'b':
        out += '\b';
        return true;
      case 'f':
        out += '\f';
        return true;
      case 'n':
        out += '\n';
        return true;
      case 'r':
        out += '\r';
        return true;
      case 't':
        out += '\t';
        return true;
      case 'u':
        break;
      default:
        return FailAt(start, std::string("invalid escape \\") + c);
    }
    uint32_t unit;
    if (!ParseHex4(unit)) return false;
    if (unit >= 0xdc00 && unit <= 0xdfff) {
      return FailAt(start, "a low surrogate \\u escape without a high surrogate before it");
    }
    if (unit >= 0xd800 && unit <= 0xdbff) {
      // A high surrogate must be followed by an escaped low surrogate; the
      // pair encodes one code point above U+FFFF.
      if (text_.substr(pos_, 2) != "\\u") {
        return FailAt(start, "a high surrogate \\u escape without a low surrogate after it");
      }
      pos_ += 2;
      uint32_t low;
      if (!ParseHex4(low)) return false;
      if (low < 0xdc00 || low > 0xdfff) {
        return FailAt(start, "a high surrogate \\u escape without a low surrogate after it");
      }
      unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
    }
    AppendUtf8(unit, out);
    return true;
  }

  bool ParseArray(Value& out, int depth) {
    if (depth >= kMaxDepth) return Fail("nested more than " + std::to_string(kMaxDepth) + " deep");
    ++pos_;  // '['
    Array items;
    SkipWhitespace();
    if (!AtEnd() && Peek() == ']') {
      ++pos_;
      out = Value(std::move(items));
      return true;
    }
    while (true) {
      SkipWhitespace();
      items.emplace_back();
      if (!ParseValue(items.back(), depth + 1)) return false;
      SkipWhitespace();
      if (AtEnd()) return Fail("expected ',' or ']' after an array element, got end of input");
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == ']') {
        ++pos_;
        out = Value(std::move(items));
        return true;
      }
      return Fail("expected ',' or ']' after an array element, got " + Describe(pos_));
    }
  }

  bool ParseObject(Value& out, int depth) {
    if (depth >= kMaxDepth) return Fail("nested more than " + std::to_string(kMaxDepth) + " deep");
    ++pos_;  // '{'
    Object members;
    std::vector<size_t> key_offsets;  // for the duplicate-key error
    SkipWhitespace();
    if (!AtEnd() && Peek() == '}') {
      ++pos_;
      out = Value(std::move(members));
      return true;
    }
    while (true) {
      SkipWhitespace();
      if (AtEnd() || Peek() != '"') {
        return Fail("expected a string key in an object, got " + Describe(pos_));
      }
      key_offsets.push_back(pos_);
      std::string key;
      if (!ParseString(key)) return false;
      SkipWhitespace();
      if (AtEnd() || Peek() != ':') {
        return Fail("expected ':' after an object key, got " + Describe(pos_));
      }
      ++pos_;
      SkipWhitespace();
      // Constructing the value in place, rather than moving a temporary in,
      // also keeps GCC 12 from a false -Wmaybe-uninitialized on the move.
      members.emplace_back(std::piecewise_construct, std::forward_as_tuple(std::move(key)),
                           std::forward_as_tuple());
      if (!ParseValue(members.back().second, depth + 1)) return false;
      SkipWhitespace();
      if (AtEnd()) return Fail("expected ',' or '}' after an object member, got end of input");
      if (Peek() == ',') {
        ++pos_;
        continue;
      }
      if (Peek() == '}') {
        ++pos_;
        if (!CheckUniqueKeys(members, key_offsets)) return false;
        out = Value(std::move(members));
        return true;
      }
      return Fail("expected ',' or '}' after an object member, got " + Describe(pos_));
    }
  }

  // Sorting indices keeps this O(n log n) for large objects, where checking
  // each key on insertion would be quadratic.
  bool CheckUniqueKeys(const Object& members, const std::vector<size_t>& key_offsets) {
    if (members.size() < 2) return true;
    std::vector<size_t> order(members.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return members[a].first < members[b].first; });
    for (size_t i = 1; i < order.size(); ++i) {
      if (members[order[i]].first == members[order[i - 1]].first) {
        // stable_sort keeps equal keys in source order, so order[i] is the
        // later, duplicate one.
        return FailAt(key_offsets[order[i]], "duplicate key \"" + members[order[i]].first + "\"");
      }
    }
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

const Value* Value::Find(std::string_view key) const {
  if (!is_object()) return nullptr;
  for (const auto& [name, value] : as_object()) {
    if (name == key) return &value;
  }
  return nullptr;
}

const std::string* Value::FindString(std::string_view key) const {
  const Value* value = Find(key);
  return value != nullptr && value->is_string() ? &value->as_string() : nullptr;
}

std::optional<uint64_t> Value::AsUint64() const {
  if (!is_number()) return std::nullopt;
  const std::string& text = number_text();
  uint64_t result = 0;
  for (char c : text) {
    if (!IsDigit(c)) return std::nullopt;  // sign, fraction or exponent
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (result > (UINT64_MAX - digit) / 10) return std::nullopt;
    result = result * 10 + digit;
  }
  return result;
}

Result<Value> Parse(std::string_view text) { return Parser(text).ParseDocument(); }

std::string_view KindName(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBool:
      return "a boolean";
    case Value::Kind::kNumber:
      return "a number";
    case Value::Kind::kString:
      return "a string";
    case Value::Kind::kArray:
      return "an array";
    case Value::Kind::kObject:
      return "an object";
  }
  return "?";
}

}  // namespace rivet::json
