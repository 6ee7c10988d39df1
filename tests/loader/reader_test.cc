// Tests of loader/reader.h: LEB128 limits, UTF-8 validation, bounds, and the
// absolute offsets errors are recorded at.
#include "loader/reader.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/loader/test_util.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::test {
namespace {

// The base offset every reader here is created with, so that tests check
// that errors are absolute offsets, not offsets into the range.
constexpr size_t kBase = 0x100;

struct Read {
  uint64_t value = 0;  // the value read, as its bits
  bool ok = false;
  std::string error;
  size_t error_offset = 0;
  size_t end_offset = 0;  // reader offset afterwards
};

template <typename F>
Read ReadWith(const Bytes& bytes, F read) {
  Reader r(bytes.data(), bytes.size(), kBase);
  Read out;
  out.value = static_cast<uint64_t>(read(r));
  out.ok = r.ok();
  out.error = r.error();
  out.error_offset = r.error_offset();
  out.end_offset = r.offset();
  return out;
}

Read U32(const Bytes& b) { return ReadWith(b, [](Reader& r) { return r.U32(); }); }
Read U64(const Bytes& b) { return ReadWith(b, [](Reader& r) { return r.U64(); }); }
// As its 32 bits, so that expectations can be written as uint32_t.
Read S32(const Bytes& b) {
  return ReadWith(b, [](Reader& r) { return static_cast<uint32_t>(r.S32()); });
}
Read S33(const Bytes& b) { return ReadWith(b, [](Reader& r) { return r.S33(); }); }
Read S64(const Bytes& b) { return ReadWith(b, [](Reader& r) { return r.S64(); }); }

// Expects a successful read of all of `bytes` with the given value.
#define EXPECT_READS(read, expected)                                              \
  do {                                                                            \
    Read r_ = (read);                                                             \
    EXPECT_TRUE(r_.ok) << r_.error;                                               \
    EXPECT_EQ(r_.value, static_cast<uint64_t>(expected));                         \
  } while (0)

// --- Unsigned LEB128 ----------------------------------------------------------

TEST(ReaderLeb, U32SmallValues) {
  EXPECT_READS(U32({0x00}), 0u);
  EXPECT_READS(U32({0x01}), 1u);
  EXPECT_READS(U32({0x7f}), 127u);
  EXPECT_READS(U32({0x80, 0x01}), 128u);
  EXPECT_READS(U32({0xe5, 0x8e, 0x26}), 624485u);
}

TEST(ReaderLeb, U32ConsumesExactlyTheEncoding) {
  Bytes bytes = {0x80, 0x01, 0x7f};
  Reader r(bytes.data(), bytes.size(), kBase);
  EXPECT_EQ(r.U32(), 128u);
  EXPECT_EQ(r.offset(), kBase + 2);
  EXPECT_EQ(r.U32(), 127u);
  EXPECT_TRUE(r.at_end());
  EXPECT_TRUE(r.ok());
}

TEST(ReaderLeb, U32MaximumLengthEncodings) {
  EXPECT_READS(U32({0xff, 0xff, 0xff, 0xff, 0x0f}), 0xffffffffu);
  // Padded (non-minimal) encodings are valid up to five bytes.
  EXPECT_READS(U32({0x80, 0x80, 0x80, 0x80, 0x00}), 0u);
  EXPECT_READS(U32({0x81, 0x80, 0x80, 0x80, 0x00}), 1u);
  EXPECT_READS(U32({0x80, 0x80, 0x80, 0x80, 0x08}), 0x80000000u);
  EXPECT_READS(U32(PaddedLeb(624485, 5)), 624485u);
  Read r = U32({0x80, 0x80, 0x80, 0x80, 0x00});
  EXPECT_EQ(r.end_offset, kBase + 5);
}

TEST(ReaderLeb, U32TooLong) {
  // A sixth byte: the fifth still has its continuation bit.
  Read r = U32({0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "integer representation too long");
  r = U32({0xff, 0xff, 0xff, 0xff, 0xff, 0x0f});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "integer representation too long");
}

TEST(ReaderLeb, U32UnusedBitsSet) {
  // The fifth byte carries bits 28..31; bits 4..6 of it must be zero.
  for (uint8_t last : {0x10, 0x20, 0x40, 0x70, 0x1f, 0x7f}) {
    Read r = U32({0xff, 0xff, 0xff, 0xff, last});
    EXPECT_FALSE(r.ok) << "last byte " << Hex(last);
    EXPECT_EQ(r.error, "integer too large") << "last byte " << Hex(last);
  }
  Read r = U32({0x80, 0x80, 0x80, 0x80, 0x10});
  EXPECT_EQ(r.error, "integer too large");
}

TEST(ReaderLeb, U64MaximumLengthAndLimits) {
  EXPECT_READS(U64({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}),
               std::numeric_limits<uint64_t>::max());
  EXPECT_READS(U64(PaddedLeb(0, 10)), 0u);
  EXPECT_READS(U64(PaddedLeb(uint64_t{1} << 63, 10)), uint64_t{1} << 63);
  EXPECT_READS(U64({0xff, 0xff, 0xff, 0xff, 0x0f}), 0xffffffffull);
  EXPECT_READS(U64({0x80, 0x80, 0x80, 0x80, 0x10}), 0x100000000ull);  // too large for U32 only
  // The tenth byte carries bit 63 only.
  for (uint8_t last : {0x02, 0x03, 0x40, 0x7f}) {
    Read r = U64({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, last});
    EXPECT_FALSE(r.ok) << "last byte " << Hex(last);
    EXPECT_EQ(r.error, "integer too large");
  }
  Read r = U64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "integer representation too long");
}

// --- Signed LEB128 --------------------------------------------------------------

TEST(ReaderLeb, S32NegativeValuesAndSignExtension) {
  EXPECT_READS(S32({0x00}), 0u);
  EXPECT_READS(S32({0x3f}), 63u);
  EXPECT_READS(S32({0x7f}), static_cast<uint32_t>(-1));
  EXPECT_READS(S32({0x40}), static_cast<uint32_t>(-64));
  EXPECT_READS(S32({0xc0, 0x00}), 64u);  // bit 6 set in the first byte, yet positive
  EXPECT_READS(S32({0xbf, 0x7f}), static_cast<uint32_t>(-65));
  EXPECT_READS(S32({0x80, 0x7f}), static_cast<uint32_t>(-128));
  EXPECT_READS(S32(SLeb(-123456)), static_cast<uint32_t>(-123456));
  // S32 returns an int32_t: its value, not only its bits, is sign-extended.
  Bytes minus_one = {0x7f};
  Reader r(minus_one.data(), minus_one.size(), kBase);
  EXPECT_EQ(r.S32(), -1);
}

TEST(ReaderLeb, S32MaximumLengthEncodings) {
  EXPECT_READS(S32({0xff, 0xff, 0xff, 0xff, 0x07}), 0x7fffffffu);  // INT32_MAX
  EXPECT_READS(S32({0x80, 0x80, 0x80, 0x80, 0x78}), 0x80000000u);  // INT32_MIN
  EXPECT_READS(S32({0xff, 0xff, 0xff, 0xff, 0x7f}), 0xffffffffu);  // -1, padded
  EXPECT_READS(S32({0x80, 0x80, 0x80, 0x80, 0x00}), 0u);           // 0, padded
  EXPECT_READS(S32(PaddedSLeb(-5, 5)), static_cast<uint32_t>(-5));
}

TEST(ReaderLeb, S32UnusedBitsMustMatchTheSign) {
  // The fifth byte carries bits 28..31; bit 3 is the sign and bits 4..6
  // must repeat it. These are the spec suite's malformed encodings and more.
  for (Bytes bytes : std::vector<Bytes>{
           {0xff, 0xff, 0xff, 0xff, 0x0f},  // positive, bits 4..6 clear but sign set
           {0x80, 0x80, 0x80, 0x80, 0x70},  // negative sign bits, but bit 3 clear
           {0x80, 0x80, 0x80, 0x80, 0x1f},
           {0xff, 0xff, 0xff, 0xff, 0x4f},
           {0x80, 0x80, 0x80, 0x80, 0x08},  // would be +2^31
           {0xff, 0xff, 0xff, 0xff, 0x77},  // would be -2^31-1
       }) {
    Read r = S32(bytes);
    EXPECT_FALSE(r.ok) << "last byte " << Hex(bytes[4]);
    EXPECT_EQ(r.error, "integer too large") << "last byte " << Hex(bytes[4]);
  }
}

TEST(ReaderLeb, S32TooLong) {
  Read r = S32({0xff, 0xff, 0xff, 0xff, 0xff, 0x7f});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "integer representation too long");
  r = S32({0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  EXPECT_EQ(r.error, "integer representation too long");
}

TEST(ReaderLeb, S33BlockTypeRange) {
  // 33 bits: the fifth byte carries bits 28..32; bit 4 is the sign.
  EXPECT_READS(S33({0x40}), static_cast<uint64_t>(int64_t{-64}));  // the empty block type
  EXPECT_READS(S33({0x7f}), static_cast<uint64_t>(int64_t{-1}));
  EXPECT_READS(S33({0xc0, 0x00}), 64u);
  EXPECT_READS(S33({0xff, 0xff, 0xff, 0xff, 0x0f}), 0xffffffffull);  // too large for S32
  EXPECT_READS(S33({0x80, 0x80, 0x80, 0x80, 0x70}),
               static_cast<uint64_t>(-(int64_t{1} << 32)));  // malformed for S32
  EXPECT_READS(S33({0x80, 0x80, 0x80, 0x80, 0x00}), 0u);
  for (uint8_t last : {0x10, 0x20, 0x40, 0x60, 0x6f, 0x1f}) {
    Read r = S33({0x80, 0x80, 0x80, 0x80, last});
    EXPECT_FALSE(r.ok) << "last byte " << Hex(last);
    EXPECT_EQ(r.error, "integer too large") << "last byte " << Hex(last);
  }
  Read r = S33({0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  EXPECT_EQ(r.error, "integer representation too long");
}

TEST(ReaderLeb, S64LimitsAndSignExtension) {
  EXPECT_READS(S64({0x7f}), std::numeric_limits<uint64_t>::max());  // -1, all 64 bits
  EXPECT_READS(S64({0x40}), static_cast<uint64_t>(int64_t{-64}));
  EXPECT_READS(S64(SLeb(std::numeric_limits<int64_t>::min())),
               static_cast<uint64_t>(std::numeric_limits<int64_t>::min()));
  EXPECT_READS(S64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}),
               uint64_t{1} << 63);  // INT64_MIN
  EXPECT_READS(S64({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}),
               0x7fffffffffffffffull);  // INT64_MAX
  EXPECT_READS(S64({0xff, 0xff, 0xff, 0xff, 0x0f}), 0xffffffffull);
  EXPECT_READS(S64(PaddedSLeb(-2, 10)), static_cast<uint64_t>(int64_t{-2}));
  // The tenth byte carries bit 63 only: it must be 0x00 or 0x7f.
  for (uint8_t last : {0x01, 0x02, 0x40, 0x7e, 0x3f}) {
    Read r = S64({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, last});
    EXPECT_FALSE(r.ok) << "last byte " << Hex(last);
    EXPECT_EQ(r.error, "integer too large") << "last byte " << Hex(last);
  }
  Read r = S64({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f});
  EXPECT_EQ(r.error, "integer representation too long");
}

TEST(ReaderLeb, RoundTripsThroughTheBuilder) {
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{63}, int64_t{64}, int64_t{-64},
                    int64_t{-65}, int64_t{8191}, int64_t{-8192}, int64_t{0x7fffffff},
                    int64_t{-0x7fffffff - 1}}) {
    SCOPED_TRACE(v);
    EXPECT_READS(S32(SLeb(v)), static_cast<uint32_t>(v));
    EXPECT_READS(S64(SLeb(v)), static_cast<uint64_t>(v));
  }
  for (uint64_t v : {0ull, 127ull, 128ull, 16383ull, 16384ull, 0xffffffffull}) {
    SCOPED_TRACE(v);
    EXPECT_READS(U32(Leb(v)), v);
    EXPECT_READS(U64(Leb(v)), v);
  }
}

// --- Bounds and offsets -----------------------------------------------------------

TEST(ReaderBounds, UnexpectedEndInsideLeb) {
  for (Bytes bytes : std::vector<Bytes>{{}, {0x80}, {0xff, 0xff}, {0x80, 0x80, 0x80, 0x80}}) {
    Read r = U32(bytes);
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.error, "unexpected end of LEB128 integer");
    EXPECT_EQ(r.error_offset, kBase + bytes.size()) << "where the next byte was expected";
    r = S64(bytes);
    EXPECT_EQ(r.error, "unexpected end of LEB128 integer");
    EXPECT_EQ(r.error_offset, kBase + bytes.size());
  }
}

TEST(ReaderBounds, FixedBytesAndU8) {
  Bytes bytes = {1, 2, 3};
  Reader r(bytes.data(), bytes.size(), kBase);
  EXPECT_EQ(r.U8(), 1);
  EXPECT_EQ(r.PeekU8(), 2);
  EXPECT_EQ(r.Fixed<uint32_t>(), 0u);  // needs four bytes, two are left
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "unexpected end");
  EXPECT_EQ(r.error_offset(), kBase + 1);
  EXPECT_TRUE(r.at_end()) << "a failed reader reads nothing more";

  Reader r2(bytes.data(), bytes.size(), kBase);
  EXPECT_EQ(r2.Bytes(3), bytes.data());
  EXPECT_TRUE(r2.at_end());
  EXPECT_EQ(r2.Bytes(1), nullptr);
  EXPECT_EQ(r2.error(), "unexpected end");
  EXPECT_EQ(r2.error_offset(), kBase + 3);
  EXPECT_EQ(r2.U8(), 0);
  EXPECT_EQ(r2.PeekU8(), 0);
}

TEST(ReaderBounds, FixedReadsLittleEndian) {
  Bytes bytes = {0x78, 0x56, 0x34, 0x12, 1, 0, 0, 0, 0, 0, 0, 0x80};
  Reader r(bytes.data(), bytes.size(), 0);
  EXPECT_EQ(r.Fixed<uint32_t>(), 0x12345678u);
  EXPECT_EQ(r.Fixed<uint64_t>(), 0x8000000000000001ull);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
}

TEST(ReaderBounds, FirstErrorWins) {
  Bytes bytes = {0x80};
  Reader r(bytes.data(), bytes.size(), kBase);
  r.U32();
  r.Fail("a later error");
  r.FailAt(0, "another");
  EXPECT_EQ(r.error(), "unexpected end of LEB128 integer");
  EXPECT_EQ(r.error_offset(), kBase + 1);
  EXPECT_EQ(r.U32(), 0u);
}

TEST(ReaderBounds, ErrorsAtTheFailingByteAreAbsolute) {
  // Four good bytes, then a LEB whose last allowed byte is bad.
  Bytes bytes = Cat(Bytes{0, 0, 0, 0}, Bytes{0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  Reader r(bytes.data(), bytes.size(), kBase);
  for (int i = 0; i < 4; ++i) r.U8();
  r.U32();
  EXPECT_EQ(r.error(), "integer representation too long");
  // Regression (fixed): the error offset is the byte after the offending one (0x109), past
  // the end of the five bytes a u32 may take. The offending byte is the fifth
  // byte of the integer, at kBase + 4 + 4 = 0x108.
  EXPECT_EQ(r.error_offset(), kBase + 8);

  Bytes large = {0x00, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x00};
  Reader r2(large.data(), large.size(), kBase);
  r2.U8();
  r2.U32();
  EXPECT_EQ(r2.error(), "integer too large");
  // Regression (fixed): as above, reported at 0x106 instead of the offending byte's 0x105.
  EXPECT_EQ(r2.error_offset(), kBase + 5);
}

// --- Names and UTF-8 ------------------------------------------------------------

TEST(ReaderName, ReadsLengthPrefixedNames) {
  Bytes bytes = Cat(Name("env"), Name(""), Name("h\xc3\xa9llo"));
  Reader r(bytes.data(), bytes.size(), kBase);
  EXPECT_EQ(r.Name(), "env");
  EXPECT_EQ(r.Name(), "");
  EXPECT_EQ(r.Name(), "h\xc3\xa9llo");
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(r.at_end());
}

TEST(ReaderName, LengthPastTheEnd) {
  Bytes bytes = {0x05, 'a', 'b'};
  Reader r(bytes.data(), bytes.size(), kBase);
  EXPECT_EQ(r.Name(), "");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "unexpected end: name length 5 exceeds the remaining 2 bytes");
  EXPECT_EQ(r.error_offset(), kBase + 1);
}

TEST(ReaderName, HugeLengthFailsWithoutReading) {
  Bytes bytes = {0xff, 0xff, 0xff, 0xff, 0x0f, 'a'};
  Reader r(bytes.data(), bytes.size(), kBase);
  EXPECT_EQ(r.Name(), "");
  EXPECT_EQ(r.error(), "unexpected end: name length 4294967295 exceeds the remaining 1 bytes");
}

TEST(ReaderName, MalformedUtf8IsReportedAtTheNameBytes) {
  Bytes bytes = Cat(0x00, Name("ok"), Bytes{0x02, 0xc0, 0x80});
  Reader r(bytes.data(), bytes.size(), kBase);
  r.U8();
  EXPECT_EQ(r.Name(), "ok");
  EXPECT_EQ(r.Name(), "");
  EXPECT_EQ(r.error(), "malformed UTF-8 encoding");
  EXPECT_EQ(r.error_offset(), kBase + 5);  // the first byte of the bad name
}

bool Utf8(const Bytes& b) { return IsValidUtf8(b.data(), b.size()); }

TEST(Utf8, ValidSequences) {
  EXPECT_TRUE(Utf8({}));
  EXPECT_TRUE(Utf8(Str("plain ascii \x01\x7f")));
  EXPECT_TRUE(Utf8({0x00}));                    // NUL is a valid character
  EXPECT_TRUE(Utf8({0xc2, 0x80}));              // U+0080, smallest 2-byte
  EXPECT_TRUE(Utf8({0xdf, 0xbf}));              // U+07FF, largest 2-byte
  EXPECT_TRUE(Utf8({0xe0, 0xa0, 0x80}));        // U+0800, smallest 3-byte
  EXPECT_TRUE(Utf8({0xed, 0x9f, 0xbf}));        // U+D7FF, just below the surrogates
  EXPECT_TRUE(Utf8({0xee, 0x80, 0x80}));        // U+E000, just above them
  EXPECT_TRUE(Utf8({0xef, 0xbf, 0xbf}));        // U+FFFF
  EXPECT_TRUE(Utf8({0xf0, 0x90, 0x80, 0x80}));  // U+10000, smallest 4-byte
  EXPECT_TRUE(Utf8({0xf0, 0x9f, 0x98, 0x80}));  // U+1F600
  EXPECT_TRUE(Utf8({0xf4, 0x8f, 0xbf, 0xbf}));  // U+10FFFF, the largest code point
  EXPECT_TRUE(Utf8(Str("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x8e\x89!")));
}

TEST(Utf8, Overlong) {
  EXPECT_FALSE(Utf8({0xc0, 0x80}));              // U+0000 in two bytes
  EXPECT_FALSE(Utf8({0xc1, 0xbf}));              // U+007F in two bytes
  EXPECT_FALSE(Utf8({0xe0, 0x80, 0x80}));        // U+0000 in three
  EXPECT_FALSE(Utf8({0xe0, 0x9f, 0xbf}));        // U+07FF in three
  EXPECT_FALSE(Utf8({0xf0, 0x80, 0x80, 0x80}));  // U+0000 in four
  EXPECT_FALSE(Utf8({0xf0, 0x8f, 0xbf, 0xbf}));  // U+FFFF in four
}

TEST(Utf8, Surrogates) {
  EXPECT_FALSE(Utf8({0xed, 0xa0, 0x80}));  // U+D800
  EXPECT_FALSE(Utf8({0xed, 0xaf, 0xbf}));  // U+DBFF
  EXPECT_FALSE(Utf8({0xed, 0xb0, 0x80}));  // U+DC00
  EXPECT_FALSE(Utf8({0xed, 0xbf, 0xbf}));  // U+DFFF
  // A CESU-8 style surrogate pair is not UTF-8 either.
  EXPECT_FALSE(Utf8({0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80}));
}

TEST(Utf8, AboveMaximumCodePoint) {
  EXPECT_FALSE(Utf8({0xf4, 0x90, 0x80, 0x80}));  // U+110000
  EXPECT_FALSE(Utf8({0xf5, 0x80, 0x80, 0x80}));
  EXPECT_FALSE(Utf8({0xf7, 0xbf, 0xbf, 0xbf}));  // U+1FFFFF
  EXPECT_FALSE(Utf8({0xf8, 0x88, 0x80, 0x80, 0x80}));  // 5-byte forms do not exist
  EXPECT_FALSE(Utf8({0xfc, 0x84, 0x80, 0x80, 0x80, 0x80}));
  EXPECT_FALSE(Utf8({0xfe}));
  EXPECT_FALSE(Utf8({0xff}));
}

TEST(Utf8, TruncatedAndBrokenSequences) {
  EXPECT_FALSE(Utf8({0xc2}));
  EXPECT_FALSE(Utf8({0xe0, 0xa0}));
  EXPECT_FALSE(Utf8({0xf0, 0x90, 0x80}));
  EXPECT_FALSE(Utf8({'a', 0xf0, 0x9f, 0x98}));  // cut at the end of the string
  EXPECT_FALSE(Utf8({0xc2, 'A'}));              // ASCII where a continuation belongs
  EXPECT_FALSE(Utf8({0xe0, 0xa0, 'A'}));
  EXPECT_FALSE(Utf8({0xc2, 0xc2, 0x80}));
  EXPECT_FALSE(Utf8({0x80}));  // a lone continuation byte
  EXPECT_FALSE(Utf8({'a', 0xbf, 'b'}));
  // The range passed is what counts: a valid sequence cut by the size is not.
  Bytes euro = {0xe2, 0x82, 0xac};
  EXPECT_TRUE(IsValidUtf8(euro.data(), 3));
  EXPECT_FALSE(IsValidUtf8(euro.data(), 2));
  EXPECT_TRUE(IsValidUtf8(euro.data(), 0));
}

TEST(Utf8, EveryTwoByteLeadAgainstEveryContinuation) {
  // Exhaustive over the two-byte space: valid exactly for C2..DF followed by
  // 80..BF.
  for (int lead = 0x80; lead <= 0xff; ++lead) {
    for (int cont = 0; cont <= 0xff; ++cont) {
      bool expected = lead >= 0xc2 && lead <= 0xdf && cont >= 0x80 && cont <= 0xbf;
      EXPECT_EQ(Utf8({static_cast<uint8_t>(lead), static_cast<uint8_t>(cont)}), expected)
          << Hex(lead) << " " << Hex(cont);
    }
  }
}

}  // namespace
}  // namespace rivet::test
