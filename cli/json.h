// A small, strict JSON parser (RFC 8259) for reading wast2json's output.
//
// Strict, because the input is machine-written: anything off-grammar (a
// trailing comma, a leading zero, an unescaped control character, invalid
// UTF-8, a lone surrogate, a duplicate key) is more likely a truncated or
// corrupted file than a dialect worth accepting, and is reported with its
// byte offset.
//
// Numbers are kept as their source text rather than converted to double:
// wast2json writes 64-bit values (mostly as decimal strings, but "line" and
// the like as numbers), and a double would silently round them.
#ifndef RIVET_CLI_JSON_H_
#define RIVET_CLI_JSON_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "loader/result.h"

namespace rivet::json {

class Value;

using Array = std::vector<Value>;
// Members in source order; keys are unique (the parser rejects duplicates).
using Object = std::vector<std::pair<std::string, Value>>;

// A number, as it was written: it matches the JSON number grammar.
struct Number {
  std::string text;
};

class Value {
 public:
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };

  Value() = default;  // null
  explicit Value(bool b) : data_(b) {}
  explicit Value(Number n) : data_(std::move(n)) {}
  explicit Value(std::string s) : data_(std::move(s)) {}
  explicit Value(Array a) : data_(std::move(a)) {}
  explicit Value(Object o) : data_(std::move(o)) {}

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_number() const { return kind() == Kind::kNumber; }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_array() const { return kind() == Kind::kArray; }
  bool is_object() const { return kind() == Kind::kObject; }

  // These accessors require the matching kind (std::bad_variant_access
  // otherwise); check kind() or use the Find/As* helpers first.
  bool as_bool() const { return std::get<bool>(data_); }
  const std::string& number_text() const { return std::get<Number>(data_).text; }
  const std::string& as_string() const { return std::get<std::string>(data_); }
  const Array& as_array() const { return std::get<Array>(data_); }
  const Object& as_object() const { return std::get<Object>(data_); }

  // The member `key` of an object, or nullptr if this is not an object or
  // has no such member.
  const Value* Find(std::string_view key) const;
  // The member `key` if it is a string, else nullptr.
  const std::string* FindString(std::string_view key) const;

  // A number that is a non-negative integer written without fraction or
  // exponent and fits in 64 bits, else nullopt.
  std::optional<uint64_t> AsUint64() const;

 private:
  // The alternatives' order matches Kind.
  std::variant<std::nullptr_t, bool, Number, std::string, Array, Object> data_ = nullptr;
};

// Parses a whole JSON text (one value, optionally surrounded by whitespace).
// Errors read "byte 123: expected ',' or '}' after an object member".
Result<Value> Parse(std::string_view text);

// The kind as a phrase for error messages: "null", "an object", ...
std::string_view KindName(Value::Kind kind);

}  // namespace rivet::json

#endif  // RIVET_CLI_JSON_H_
