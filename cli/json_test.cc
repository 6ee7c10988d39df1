#include "cli/json.h"

#include <cstdint>
#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace rivet::json {
namespace {

Value ParseOk(std::string_view text) {
  Result<Value> result = Parse(text);
  EXPECT_TRUE(result.ok()) << "for " << text << ": " << result.error().message;
  return result.ok() ? *result : Value();
}

std::string ParseError(std::string_view text) {
  Result<Value> result = Parse(text);
  EXPECT_FALSE(result.ok()) << "for " << text;
  return result.ok() ? "" : result.error().message;
}

TEST(JsonTest, Literals) {
  EXPECT_TRUE(ParseOk("null").is_null());
  EXPECT_TRUE(ParseOk("true").as_bool());
  EXPECT_FALSE(ParseOk("false").as_bool());
  EXPECT_TRUE(ParseOk(" \t\r\n true \n").as_bool());
}

TEST(JsonTest, NumbersKeepTheirText) {
  EXPECT_EQ(ParseOk("0").number_text(), "0");
  EXPECT_EQ(ParseOk("-0").number_text(), "-0");
  EXPECT_EQ(ParseOk("1.5e-10").number_text(), "1.5e-10");
  EXPECT_EQ(ParseOk("2E+3").number_text(), "2E+3");
  // Beyond a double's 53 bits, so a double-based parser would round it.
  EXPECT_EQ(ParseOk("18446744073709551615").number_text(), "18446744073709551615");
}

TEST(JsonTest, AsUint64) {
  EXPECT_EQ(ParseOk("42").AsUint64(), 42u);
  EXPECT_EQ(ParseOk("18446744073709551615").AsUint64(), UINT64_MAX);
  EXPECT_EQ(ParseOk("18446744073709551616").AsUint64(), std::nullopt);
  EXPECT_EQ(ParseOk("-1").AsUint64(), std::nullopt);
  EXPECT_EQ(ParseOk("1.0").AsUint64(), std::nullopt);
  EXPECT_EQ(ParseOk("1e2").AsUint64(), std::nullopt);
  EXPECT_EQ(ParseOk("\"1\"").AsUint64(), std::nullopt);
}

TEST(JsonTest, Strings) {
  EXPECT_EQ(ParseOk(R"("")").as_string(), "");
  EXPECT_EQ(ParseOk(R"("plain")").as_string(), "plain");
  EXPECT_EQ(ParseOk(R"("\"\\\/\b\f\n\r\t")").as_string(), "\"\\/\b\f\n\r\t");
}

TEST(JsonTest, UnicodeEscapes) {
  EXPECT_EQ(ParseOk(R"("\u0041")").as_string(), "A");
  EXPECT_EQ(ParseOk(R"("\u00e9")").as_string(), "\xc3\xa9");
  EXPECT_EQ(ParseOk(R"("\u20AC")").as_string(), "\xe2\x82\xac");
  // U+1F600 as a surrogate pair.
  EXPECT_EQ(ParseOk(R"("\ud83d\ude00")").as_string(), "\xf0\x9f\x98\x80");
  // wast2json escapes control characters this way, NUL included.
  EXPECT_EQ(ParseOk(R"("a\u0000b")").as_string(), std::string("a\0b", 3));
}

TEST(JsonTest, RawUtf8PassesThrough) {
  EXPECT_EQ(ParseOk("\"\xc3\x85 \xef\xac\x83 \xf0\x9f\x98\x80\"").as_string(),
            "\xc3\x85 \xef\xac\x83 \xf0\x9f\x98\x80");
}

TEST(JsonTest, ArraysAndObjects) {
  Value value = ParseOk(R"({"b": [1, "two", [], {}], "a": null, "c": {"d": true}})");
  ASSERT_TRUE(value.is_object());
  const Object& members = value.as_object();
  ASSERT_EQ(members.size(), 3u);
  // Source order, not sorted.
  EXPECT_EQ(members[0].first, "b");
  EXPECT_EQ(members[1].first, "a");
  EXPECT_EQ(members[2].first, "c");

  const Value* b = value.Find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->is_array());
  ASSERT_EQ(b->as_array().size(), 4u);
  EXPECT_EQ(b->as_array()[0].number_text(), "1");
  EXPECT_EQ(b->as_array()[1].as_string(), "two");
  EXPECT_TRUE(b->as_array()[2].as_array().empty());
  EXPECT_TRUE(b->as_array()[3].as_object().empty());

  EXPECT_TRUE(value.Find("a")->is_null());
  EXPECT_TRUE(value.Find("c")->Find("d")->as_bool());
  EXPECT_EQ(value.Find("missing"), nullptr);
  EXPECT_EQ(value.FindString("b"), nullptr);  // not a string
  EXPECT_EQ(b->Find("x"), nullptr);           // not an object
}

TEST(JsonTest, WastCommand) {
  Value value = ParseOk(R"({"type": "assert_return", "line": 39, "action": {"type": "invoke",
      "field": "add", "args": [{"type": "i32", "value": "4294967295"}]},
      "expected": [{"type": "i32", "value": "4294967294"}]})");
  EXPECT_EQ(*value.FindString("type"), "assert_return");
  EXPECT_EQ(value.Find("line")->AsUint64(), 39u);
  EXPECT_EQ(*value.Find("action")->Find("args")->as_array()[0].FindString("value"), "4294967295");
}

TEST(JsonTest, Kinds) {
  EXPECT_EQ(ParseOk("[]").kind(), Value::Kind::kArray);
  EXPECT_EQ(KindName(Value::Kind::kObject), "an object");
  EXPECT_EQ(KindName(Value::Kind::kNull), "null");
}

TEST(JsonTest, DepthLimit) {
  EXPECT_TRUE(Parse(std::string(512, '[') + std::string(512, ']')).ok());
  EXPECT_EQ(ParseError(std::string(513, '[') + std::string(513, ']')),
            "byte 512: nested more than 512 deep");
  // Deep enough to overflow the stack without the limit.
  EXPECT_FALSE(Parse(std::string(1000000, '[')).ok());
}

TEST(JsonTest, StructuralErrors) {
  EXPECT_EQ(ParseError(""), "byte 0: expected a value, got end of input");
  EXPECT_EQ(ParseError("   "), "byte 3: expected a value, got end of input");
  EXPECT_EQ(ParseError("[1,]"), "byte 3: expected a value, got ']'");
  EXPECT_EQ(ParseError(R"({"a": 1,})"), "byte 8: expected a string key in an object, got '}'");
  EXPECT_EQ(ParseError("[1 2]"), "byte 3: expected ',' or ']' after an array element, got '2'");
  EXPECT_EQ(ParseError(R"({"a" 1})"), "byte 5: expected ':' after an object key, got '1'");
  EXPECT_EQ(ParseError(R"({"a": 1 "b": 2})"),
            "byte 8: expected ',' or '}' after an object member, got '\"'");
  EXPECT_EQ(ParseError("[1"),
            "byte 2: expected ',' or ']' after an array element, got end of input");
  EXPECT_EQ(ParseError("{'a': 1}"), "byte 1: expected a string key in an object, got '''");
  EXPECT_EQ(ParseError("1 2"), "byte 2: unexpected '2' after the JSON value");
  EXPECT_EQ(ParseError("tru"), "byte 0: expected a value, got 't'");
  EXPECT_EQ(ParseError("nul"), "byte 0: expected a value, got 'n'");
  EXPECT_EQ(ParseError("NaN"), "byte 0: expected a value, got 'N'");
  EXPECT_EQ(ParseError("// x\n1"), "byte 0: expected a value, got '/'");
  EXPECT_EQ(ParseError("\xef\xbb\xbf{}"), "byte 0: expected a value, got byte 0xef");
}

TEST(JsonTest, DuplicateKeys) {
  EXPECT_EQ(ParseError(R"({"a": 1, "b": 2, "a": 3})"), "byte 17: duplicate key \"a\"");
}

TEST(JsonTest, NumberErrors) {
  EXPECT_EQ(ParseError("01"), "byte 1: a number must not have a leading zero");
  EXPECT_EQ(ParseError("-"), "byte 1: expected a digit, got end of input");
  EXPECT_EQ(ParseError("-a"), "byte 1: expected a digit, got 'a'");
  EXPECT_EQ(ParseError("1."), "byte 2: expected a digit after '.', got end of input");
  EXPECT_EQ(ParseError(".5"), "byte 0: expected a value, got '.'");
  EXPECT_EQ(ParseError("1e"), "byte 2: expected a digit in the exponent, got end of input");
  EXPECT_EQ(ParseError("1e+"), "byte 3: expected a digit in the exponent, got end of input");
  EXPECT_EQ(ParseError("+1"), "byte 0: expected a value, got '+'");
}

TEST(JsonTest, StringErrors) {
  EXPECT_EQ(ParseError(R"("abc)"), "byte 4: unterminated string");
  EXPECT_EQ(ParseError("\"a\nb\""), "byte 2: unescaped control character byte 0x0a in a string");
  EXPECT_EQ(ParseError(R"("\x")"), "byte 1: invalid escape \\x");
  EXPECT_EQ(ParseError(R"("\u12G4")"), "byte 5: expected 4 hex digits after \\u, got 'G'");
  EXPECT_EQ(ParseError(R"("\u12)"), "byte 5: expected 4 hex digits after \\u, got end of input");
}

TEST(JsonTest, SurrogateErrors) {
  EXPECT_EQ(ParseError(R"("\ud800")"),
            "byte 1: a high surrogate \\u escape without a low surrogate after it");
  EXPECT_EQ(ParseError(R"("\ud800\u0041")"),
            "byte 1: a high surrogate \\u escape without a low surrogate after it");
  EXPECT_EQ(ParseError(R"("x\udc00")"),
            "byte 2: a low surrogate \\u escape without a high surrogate before it");
}

TEST(JsonTest, InvalidUtf8) {
  EXPECT_EQ(ParseError("\"\xff\""), "byte 1: invalid UTF-8 in a string");
  EXPECT_EQ(ParseError("\"\xc3\""), "byte 1: invalid UTF-8 in a string");          // truncated
  EXPECT_EQ(ParseError("\"\xc0\x80\""), "byte 1: invalid UTF-8 in a string");      // overlong NUL
  EXPECT_EQ(ParseError("\"\xe0\x80\x80\""), "byte 1: invalid UTF-8 in a string");  // overlong
  EXPECT_EQ(ParseError("\"\xed\xa0\x80\""), "byte 1: invalid UTF-8 in a string");  // surrogate
  EXPECT_EQ(ParseError("\"\xf4\x90\x80\x80\""), "byte 1: invalid UTF-8 in a string");  // > U+10FFFF
  EXPECT_EQ(ParseError("\"ok\x80\""), "byte 3: invalid UTF-8 in a string");  // stray continuation
}

}  // namespace
}  // namespace rivet::json
