// Tests of module decoding (loader/decoder.cc): the header, section order and
// sizes, module-level validation rules with their error texts and offsets,
// features, and the fields of the decoded Module.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loader/features.h"
#include "loader/module.h"
#include "tests/loader/test_util.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::test {
namespace {

Features NoReferenceTypes() {
  Features f = Features::All();
  f.reference_types = false;
  return f;
}

std::vector<uint8_t> RangeBytes(const Module& m, uint32_t offset, uint32_t size) {
  auto span = m.Range(offset, size);
  return std::vector<uint8_t>(span.begin(), span.end());
}

// A module with one type () -> () and one function with the given code.
Bytes OneFunction(const Bytes& code, const std::vector<Locals>& locals = {}) {
  ModuleBuilder b;
  b.AddFunction(b.AddType({}, {}), code, locals);
  return b.Build();
}

// --- Header -------------------------------------------------------------------

TEST(DecoderHeader, EmptyModuleIsValid) {
  auto m = DecodeOk(Header());
  ASSERT_TRUE(m);
  EXPECT_TRUE(m->types.empty());
  EXPECT_TRUE(m->functions.empty());
  EXPECT_TRUE(m->imports.empty());
  EXPECT_TRUE(m->customs.empty());
  EXPECT_FALSE(m->start);
  EXPECT_FALSE(m->data_count);
  EXPECT_EQ(m->bytes().size(), 8u);
}

TEST(DecoderHeader, BadMagic) {
  const std::string kMessage =
      "at offset 0x0 in the module header: magic header not detected: not a WebAssembly module";
  EXPECT_EQ(DecodeError({0x00, 0x61, 0x73, 0x6e, 0x01, 0x00, 0x00, 0x00}), kMessage);
  EXPECT_EQ(DecodeError({0x01, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}), kMessage);
  EXPECT_EQ(DecodeError(Str("(module)")), kMessage);  // text format is not binary
  EXPECT_EQ(DecodeError({}), kMessage);
  EXPECT_EQ(DecodeError({0x00, 0x61, 0x73}), kMessage);  // too short for a magic
}

TEST(DecoderHeader, BadVersion) {
  EXPECT_EQ(DecodeError({0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00}),
            "at offset 0x4 in the module header: unknown binary version 2");
  EXPECT_EQ(DecodeError({0x00, 0x61, 0x73, 0x6d, 0x00, 0x00, 0x00, 0x01}),
            "at offset 0x4 in the module header: unknown binary version 16777216");
  // The component model's preamble (version 0xd, layer 1).
  EXPECT_EQ(DecodeError({0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00}),
            "at offset 0x4 in the module header: unknown binary version 65549");
}

TEST(DecoderHeader, MissingVersion) {
  const std::string kMessage = "at offset 0x4 in the module header: unexpected end: missing binary version";
  EXPECT_EQ(DecodeError({0x00, 0x61, 0x73, 0x6d}), kMessage);
  EXPECT_EQ(DecodeError({0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00}), kMessage);
}

// --- Sections ---------------------------------------------------------------------

TEST(DecoderSections, UnknownSectionId) {
  EXPECT_EQ(DecodeError(RawModule(Section(13, {}))),
            "at offset 0x8 in the module header: malformed section id 13");
  EXPECT_EQ(DecodeError(RawModule(Section(kTypeId, Leb(0)), Section(0x7f, {}))),
            "at offset 0xb in the module header: malformed section id 127");
}

TEST(DecoderSections, OutOfOrder) {
  // Function section (3) before the type section (1): the type section, at
  // 8 + 3 = 0xb, is the one out of order.
  EXPECT_EQ(DecodeError(RawModule(Section(kFunctionId, Leb(0)), Section(kTypeId, Leb(0)))),
            "at offset 0xb in the type section: unexpected content after last section: type "
            "section out of order or repeated");
  // The data count section belongs before the code section.
  std::string error = DecodeError(
      RawModule(Section(kCodeId, Leb(0)), Section(kDataCountId, Leb(0))));
  EXPECT_EQ(error,
            "at offset 0xb in the data count section: unexpected content after last section: "
            "data count section out of order or repeated");
  // Data before code.
  error = DecodeError(RawModule(Section(kDataId, Leb(0)), Section(kCodeId, Leb(0))));
  EXPECT_CONTAINS(error, "in the code section: unexpected content after last section");
  // Start after element.
  error = DecodeError(RawModule(Section(kElementId, Leb(0)), Section(kStartId, Leb(0))));
  EXPECT_CONTAINS(error, "in the start section: unexpected content after last section");
}

TEST(DecoderSections, Duplicate) {
  EXPECT_EQ(DecodeError(RawModule(Section(kTypeId, Leb(0)), Section(kTypeId, Leb(0)))),
            "at offset 0xb in the type section: unexpected content after last section: type "
            "section out of order or repeated");
  std::string error = DecodeError(RawModule(Section(kMemoryId, Leb(0)), Custom("x", {}),
                                            Section(kMemoryId, Leb(0))));
  EXPECT_CONTAINS(error, "in the memory section: unexpected content after last section: memory "
                         "section out of order or repeated");
}

TEST(DecoderSections, CustomSectionsMayAppearAnywhere) {
  Bytes wasm = RawModule(Custom("a", {1}), Section(kTypeId, Leb(0)),
                         Custom("b", {}), Section(kFunctionId, Leb(0)),
                         Section(kElementId, Leb(0)), Custom("c", {2, 3}),
                         Section(kDataCountId, Leb(0)), Section(kCodeId, Leb(0)),
                         Custom("d", {}), Section(kDataId, Leb(0)), Custom("e", {}));
  auto m = DecodeOk(wasm);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->customs.size(), 5u);
  EXPECT_EQ(m->customs[0].name, "a");
  EXPECT_EQ(m->customs[4].name, "e");
  EXPECT_EQ(m->data_count, 0u);
}

TEST(DecoderSections, SizeMismatch) {
  // The type section claims two bytes; its vector of zero types uses one.
  EXPECT_EQ(DecodeError(RawModule(Section(kTypeId, Cat(Leb(0), 0x00)))),
            "at offset 0xb in the type section: section size mismatch: 1 bytes left unread at "
            "the end of the section");
  // A start section with a stray byte after the index.
  Bytes with_start = RawModule(Section(kTypeId, Vec({Signature({}, {})})),
                               Section(kFunctionId, IndexVec({0})),
                               Section(kStartId, Cat(Leb(0), 0x00)),
                               Section(kCodeId, Vec({Body({}, Cat(kEnd))})));
  EXPECT_CONTAINS(DecodeError(with_start), "in the start section: section size mismatch: 1 bytes");
}

TEST(DecoderSections, SectionTooShortForItsContents) {
  // One function type whose result count lies beyond the section's 3 bytes
  // (it is the next section's id byte).
  EXPECT_EQ(DecodeError(Cat(Header(), Bytes{kTypeId, 0x03, 0x01, 0x60, 0x00},
                            Section(kFunctionId, Leb(0)))),
            "at offset 0xd in the type section: unexpected end of LEB128 integer");
}

TEST(DecoderSections, LengthPastTheEnd) {
  EXPECT_EQ(DecodeError(Cat(Header(), Bytes{kTypeId, 0x05, 0x00})),
            "at offset 0xa in the type section: unexpected end: section size 5 exceeds the 1 "
            "bytes left (length out of bounds)");
  EXPECT_EQ(DecodeError(Cat(Header(), Bytes{kCustomId, 0xff, 0xff, 0xff, 0xff, 0x0f})),
            "at offset 0xe in the custom section: unexpected end: section size 4294967295 "
            "exceeds the 0 bytes left (length out of bounds)");
  EXPECT_EQ(DecodeError(Cat(Header(), Bytes{kTypeId, 0x80})),
            "at offset 0xa in the type section: unexpected end of LEB128 integer");
  EXPECT_CONTAINS(DecodeError(Cat(Header(), Bytes{kTypeId, 0x80, 0x80, 0x80, 0x80, 0x10})),
                  "in the type section: integer too large");
}

TEST(DecoderSections, EmptyPayloadWhereAVectorIsExpected) {
  EXPECT_EQ(DecodeError(RawModule(Section(kTypeId, {}))),
            "at offset 0xa in the type section: unexpected end of LEB128 integer");
  EXPECT_CONTAINS(DecodeError(RawModule(Section(kCustomId, {}))),
                  "in the custom section: unexpected end");
}

TEST(DecoderSections, FunctionAndCodeCountMismatch) {
  // Function section without a code section: found at the end of the module.
  Bytes no_code = RawModule(Section(kTypeId, Vec({Signature({}, {})})),
                            Section(kFunctionId, IndexVec({0})));
  EXPECT_EQ(DecodeError(no_code),
            "at offset " + Hex(no_code.size()) +
                " in the module section: function and code section have inconsistent lengths "
                "(1 functions, 0 bodies)");
  // Two declared, one body: found at the code section's count.
  Bytes two_one = RawModule(Section(kTypeId, Vec({Signature({}, {})})),
                            Section(kFunctionId, IndexVec({0, 0})),
                            Section(kCodeId, Vec({Body({}, Cat(kEnd))})));
  EXPECT_CONTAINS(DecodeError(two_one),
                  "in the code section: function and code section have inconsistent lengths "
                  "(2 functions, 1 bodies)");
  // A code section without a function section.
  Bytes code_only = RawModule(Section(kTypeId, Vec({Signature({}, {})})),
                              Section(kCodeId, Vec({Body({}, Cat(kEnd))})));
  EXPECT_CONTAINS(DecodeError(code_only),
                  "function and code section have inconsistent lengths (0 functions, 1 bodies)");
  // Both empty is fine.
  EXPECT_TRUE(DecodeOk(RawModule(Section(kFunctionId, Leb(0)), Section(kCodeId, Leb(0)))));
}

TEST(DecoderSections, BodySizePastTheSection) {
  Bytes wasm = RawModule(Section(kTypeId, Vec({Signature({}, {})})),
                         Section(kFunctionId, IndexVec({0})),
                         Section(kCodeId, Cat(Leb(1), Leb(100), Leb(0), kEnd)));
  EXPECT_CONTAINS(DecodeError(wasm),
                  "in the code section: unexpected end: body of function #0 is 100 bytes, only 2 "
                  "left");
}

TEST(DecoderSections, DataCountMismatch) {
  ModuleBuilder b;
  b.AddMemory(1);
  b.SetDataCount(2);
  b.AddPassiveData(Str("x"));
  Bytes wasm = b.Build();
  EXPECT_EQ(DecodeError(wasm), "at offset " + Hex(wasm.size()) +
                                   " in the module section: data count and data section have "
                                   "inconsistent lengths (2 declared, 1 segments)");
  // A data count without a data section.
  ModuleBuilder c;
  c.SetDataCount(1);
  EXPECT_CONTAINS(DecodeError(c.Build()),
                  "data count and data section have inconsistent lengths (1 declared, 0 segments)");
  // Matching counts decode, and are recorded.
  ModuleBuilder d;
  d.AddMemory(1);
  d.SetDataCount(1);
  d.AddPassiveData(Str("x"));
  auto m = DecodeOk(d.Build());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->data_count, 1u);
}

TEST(DecoderSections, DataCountRequiredForMemoryInitAndDataDrop) {
  for (bool with_count : {false, true}) {
    for (const Bytes& code :
         {Cat(I32Const(0), I32Const(0), I32Const(0), MemoryInit(0), kEnd), Cat(DataDrop(0), kEnd)}) {
      ModuleBuilder b;
      b.AddFunction(b.AddType({}, {}), code);
      b.AddMemory(1);
      b.AddPassiveData(Str("abc"));
      if (with_count) b.SetDataCount(1);
      Bytes wasm = b.Build();
      if (with_count) {
        EXPECT_TRUE(DecodeOk(wasm));
      } else {
        // The instruction is the last in the body before `end`, followed by the
        // data section (1 + 1 + 1 + 1 + 1 + 3 bytes).
        size_t data_section_size = 8;
        size_t instruction_size = code.size() == 4 ? 3 : 4;  // data.drop or memory.init
        size_t at = wasm.size() - data_section_size - 1 - instruction_size;
        EXPECT_EQ(DecodeError(wasm), "in the code section, in function #0: at offset " + Hex(at) +
                                         ": data count section required");
      }
    }
  }
}

// --- Indices --------------------------------------------------------------------

TEST(DecoderIndices, UnknownType) {
  // In the function section: the index itself is at 8 + 6 (type section) + 3.
  Bytes wasm = RawModule(Section(kTypeId, Vec({Signature({}, {})})),
                         Section(kFunctionId, IndexVec({1})));
  EXPECT_EQ(DecodeError(wasm), "at offset 0x11 in the function section: unknown type 1");
  // In an import.
  ModuleBuilder b;
  b.ImportFunction("env", "f", 0);
  EXPECT_CONTAINS(DecodeError(b.Build()), "in the import section: unknown type 0");
  // In a block type and in call_indirect.
  ModuleBuilder c;
  c.AddFunction(c.AddType({}, {}), Cat(Block(TypeIndex(5)), kEnd, kEnd));
  EXPECT_CONTAINS(DecodeError(c.Build()), "in the code section, in function #0: at offset");
  EXPECT_CONTAINS(DecodeError(c.Build()), ": unknown type 5");
  ModuleBuilder d;
  d.AddTable(kFuncRef, 1);
  d.AddFunction(d.AddType({}, {}), Cat(I32Const(0), CallIndirect(3), kEnd));
  EXPECT_CONTAINS(DecodeError(d.Build()), "unknown type 3");
}

TEST(DecoderIndices, UnknownFunction) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  b.AddFunction(t, Cat(kEnd));
  b.AddExport("f", kExternFunc, 1);
  EXPECT_CONTAINS(DecodeError(b.Build()), "in the export section: unknown function 1 in export \"f\"");

  ModuleBuilder s;
  s.AddFunction(s.AddType({}, {}), Cat(kEnd));
  s.SetStart(7);
  EXPECT_CONTAINS(DecodeError(s.Build()), "in the start section: unknown function 7");

  ModuleBuilder c;
  c.AddFunction(c.AddType({}, {}), Cat(Call(5), kEnd));
  Bytes wasm = c.Build();
  EXPECT_EQ(DecodeError(wasm), "in the code section, in function #0: at offset " +
                                   Hex(wasm.size() - 3) + ": unknown function 5");

  ModuleBuilder e;
  e.AddTable(kFuncRef, 1);
  e.AddFunction(e.AddType({}, {}), Cat(kEnd));
  e.AddActiveElem(0, {0, 9});
  EXPECT_CONTAINS(DecodeError(e.Build()), "in the element section: unknown function 9 in element segment 0");

  ModuleBuilder r;
  r.AddFunction(r.AddType({}, {}), Cat(kEnd));
  r.AddGlobal(kFuncRef, false, Expr(RefFunc(4)));
  EXPECT_CONTAINS(DecodeError(r.Build()), "in the global section, in initialiser of global 0: at offset");
  EXPECT_CONTAINS(DecodeError(r.Build()), ": unknown function 4");
}

TEST(DecoderIndices, UnknownTable) {
  ModuleBuilder b;
  b.AddFunction(b.AddType({}, {}), Cat(kEnd));
  b.AddActiveElem(0, {0});
  EXPECT_CONTAINS(DecodeError(b.Build()), "in the element section: unknown table 0 in element segment 0");

  ModuleBuilder c;
  c.AddTable(kFuncRef, 1);
  c.AddFunction(c.AddType({}, {}), Cat(I32Const(0), CallIndirect(0, 1), kEnd));
  EXPECT_CONTAINS(DecodeError(c.Build()), "unknown table 1");

  ModuleBuilder d;
  d.AddExport("t", kExternTable, 0);
  EXPECT_CONTAINS(DecodeError(d.Build()), "in the export section: unknown table 0 in export \"t\"");

  ModuleBuilder e;
  e.AddFunction(e.AddType({}, {kI32}), Cat(TableSize(0), kEnd));
  EXPECT_CONTAINS(DecodeError(e.Build()), "unknown table 0");
}

TEST(DecoderIndices, UnknownMemory) {
  ModuleBuilder b;
  b.AddActiveData(0, Str("hi"));
  EXPECT_CONTAINS(DecodeError(b.Build()), "in the data section: unknown memory 0 in data segment 0");

  ModuleBuilder c;
  c.AddFunction(c.AddType({}, {kI32}), Cat(I32Const(0), Mem(kI32Load, 2, 0), kEnd));
  Bytes wasm = c.Build();
  EXPECT_EQ(DecodeError(wasm), "in the code section, in function #0: at offset " +
                                   Hex(wasm.size() - 4) + ": unknown memory 0");

  ModuleBuilder d;
  d.AddMemory(1);
  d.AddData(Cat(0x02, Leb(1), Expr(I32Const(0)), Leb(1), 'x'));
  EXPECT_CONTAINS(DecodeError(d.Build()), "unknown memory 1 in data segment 0");

  ModuleBuilder e;
  e.AddExport("m", kExternMemory, 0);
  EXPECT_CONTAINS(DecodeError(e.Build()), "unknown memory 0 in export \"m\"");

  ModuleBuilder f;
  f.AddFunction(f.AddType({}, {kI32}), Cat(Cat(kMemorySizeOp, 0x00), kEnd));
  EXPECT_CONTAINS(DecodeError(f.Build()), "unknown memory 0");
}

TEST(DecoderIndices, UnknownGlobal) {
  ModuleBuilder b;
  b.AddGlobal(kI32, false, Expr(I32Const(1)));
  b.AddFunction(b.AddType({}, {kI32}), Cat(GlobalGet(1), kEnd));
  Bytes wasm = b.Build();
  EXPECT_EQ(DecodeError(wasm), "in the code section, in function #0: at offset " +
                                   Hex(wasm.size() - 3) + ": unknown global 1");

  ModuleBuilder e;
  e.AddExport("g", kExternGlobal, 0);
  EXPECT_CONTAINS(DecodeError(e.Build()), "unknown global 0 in export \"g\"");
}

TEST(DecoderIndices, UnknownLocalAndLabel) {
  EXPECT_CONTAINS(DecodeError(OneFunction(Cat(LocalGet(0), kDrop, kEnd))), "unknown local 0");
  EXPECT_CONTAINS(DecodeError(OneFunction(Cat(LocalGet(2), kDrop, kEnd), {{2, kI32}})),
                  "unknown local 2");
  EXPECT_TRUE(DecodeOk(OneFunction(Cat(LocalGet(1), kDrop, kEnd), {{2, kI32}})));
  EXPECT_CONTAINS(DecodeError(OneFunction(Cat(Br(1), kEnd))), "unknown label 1");
  EXPECT_TRUE(DecodeOk(OneFunction(Cat(Br(0), kEnd))));
}

TEST(DecoderIndices, UnknownSegments) {
  ModuleBuilder b;
  b.AddTable(kFuncRef, 1);
  b.AddFunction(b.AddType({}, {}), Cat(ElemDrop(0), kEnd));
  EXPECT_CONTAINS(DecodeError(b.Build()), "unknown elem segment 0");

  ModuleBuilder c;
  c.AddMemory(1);
  c.SetDataCount(1);
  c.AddPassiveData(Str("x"));
  c.AddFunction(c.AddType({}, {}), Cat(DataDrop(1), kEnd));
  EXPECT_CONTAINS(DecodeError(c.Build()), "unknown data segment 1");
}

// --- Exports and start -------------------------------------------------------------

TEST(DecoderExports, DuplicateNames) {
  ModuleBuilder b;
  b.AddFunction(b.AddType({}, {}), Cat(kEnd));
  b.AddMemory(1);
  b.AddExport("f", kExternFunc, 0);
  b.AddExport("m", kExternMemory, 0);
  b.AddExport("f", kExternMemory, 0);  // same name, other kind: still a duplicate
  Bytes wasm = b.Build();
  std::string error = DecodeError(wasm);
  EXPECT_CONTAINS(error, "in the export section: duplicate export name \"f\"");
  // type (4+2) + function (2+2) + memory (3+2) + export header (2) + count (1) + 2 entries (4 each).
  size_t at = 8 + 6 + 4 + 5 + 2 + 1 + 8;
  EXPECT_EQ(error, "at offset " + Hex(at) + " in the export section: duplicate export name \"f\"");

  // Names that differ only in case, or that are prefixes, are distinct.
  ModuleBuilder c;
  c.AddFunction(c.AddType({}, {}), Cat(kEnd));
  c.AddExport("f", kExternFunc, 0);
  c.AddExport("F", kExternFunc, 0);
  c.AddExport(std::string_view("f\0", 2), kExternFunc, 0);
  c.AddExport("", kExternFunc, 0);
  auto m = DecodeOk(c.Build());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->exports.size(), 4u);
}

TEST(DecoderExports, EmbeddedNulAndUtf8Names) {
  ModuleBuilder b;
  b.AddFunction(b.AddType({}, {}), Cat(kEnd));
  b.AddExport(std::string_view("a\0b", 3), kExternFunc, 0);
  b.AddExport(std::string_view("a\0c", 3), kExternFunc, 0);
  b.AddExport("\xe2\x82\xac", kExternFunc, 0);
  auto m = DecodeOk(b.Build());
  ASSERT_TRUE(m);
  ASSERT_EQ(m->exports.size(), 3u);
  EXPECT_EQ(m->exports[0].name, std::string("a\0b", 3));
  EXPECT_EQ(m->exports[2].name, "\xe2\x82\xac");

  ModuleBuilder c;
  c.AddFunction(c.AddType({}, {}), Cat(kEnd));
  c.AddExport("\xed\xa0\x80", kExternFunc, 0);  // a surrogate
  EXPECT_CONTAINS(DecodeError(c.Build()), "in the export section: malformed UTF-8 encoding");
}

TEST(DecoderExports, MalformedKind) {
  ModuleBuilder b;
  b.AddExport("x", 4, 0);
  EXPECT_CONTAINS(DecodeError(b.Build()), "in the export section: malformed export kind 4");
}

TEST(DecoderStart, WrongType) {
  ModuleBuilder b;
  b.AddFunction(b.AddType({kI32}, {}), Cat(kEnd));
  b.SetStart(0);
  Bytes wasm = b.Build();
  std::string error = DecodeError(wasm);
  EXPECT_CONTAINS(error, "in the start section: start function must have type () -> (), but has "
                         "(i32) -> ()");

  ModuleBuilder c;
  c.AddFunction(c.AddType({}, {kI32, kF64}), Cat(I32Const(0), F64Const(0), kEnd));
  c.SetStart(0);
  EXPECT_CONTAINS(DecodeError(c.Build()), "but has () -> (i32, f64)");
}

TEST(DecoderStart, ImportedAndDefined) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  b.ImportFunction("env", "init", t);
  b.AddFunction(t, Cat(kEnd));
  b.SetStart(1);
  auto m = DecodeOk(b.Build());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->start, 1u);

  ModuleBuilder c;
  uint32_t u = c.AddType({}, {});
  c.ImportFunction("env", "init", u);
  c.SetStart(0);
  m = DecodeOk(c.Build());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->start, 0u);
}

// --- Locals ------------------------------------------------------------------------

TEST(DecoderLocals, LimitOf50000) {
  EXPECT_TRUE(DecodeOk(OneFunction(Cat(kEnd), {{50000, kI32}})));
  EXPECT_TRUE(DecodeOk(OneFunction(Cat(kEnd), {{25000, kI32}, {25000, kF64}})));

  Bytes wasm = OneFunction(Cat(kEnd), {{50001, kI32}});
  // Header 8, type section 6, function section 4, code section id/size 2,
  // count 1, body size 1, run count 1, then the 3-byte local count: the error
  // is where reading stopped, after that count.
  EXPECT_EQ(DecodeError(wasm),
            "at offset 0x1a in the code section: too many locals in function #0: more than the "
            "limit of 50000");
  EXPECT_CONTAINS(DecodeError(OneFunction(Cat(kEnd), {{25000, kI32}, {25001, kF64}})),
                  "too many locals in function #0");
  EXPECT_CONTAINS(DecodeError(OneFunction(Cat(kEnd), {{0xffffffff, kI32}})),
                  "too many locals in function #0");
  // Runs that would overflow 32 bits when summed.
  EXPECT_CONTAINS(DecodeError(OneFunction(Cat(kEnd), {{0x80000000, kI32}, {0x80000000, kI32}})),
                  "too many locals");
}

TEST(DecoderLocals, ParametersCountTowardsTheLimit) {
  ModuleBuilder b;
  b.AddFunction(b.AddType({kI32, kI64}, {}), Cat(kEnd), {{49998, kI32}});
  EXPECT_TRUE(DecodeOk(b.Build()));
  ModuleBuilder c;
  c.AddFunction(c.AddType({kI32, kI64}, {}), Cat(kEnd), {{49999, kI32}});
  EXPECT_CONTAINS(DecodeError(c.Build()), "too many locals in function #0");
}

TEST(DecoderLocals, MalformedLocalType) {
  EXPECT_CONTAINS(DecodeError(OneFunction(Cat(kEnd), {{1, 0x40}})),
                  "in the code section: malformed value type 0x40");
}

// --- Limits ------------------------------------------------------------------------

TEST(DecoderLimits, MemoryAtMost65536Pages) {
  ModuleBuilder ok;
  ok.AddMemory(65536, 65536);
  EXPECT_TRUE(DecodeOk(ok.Build()));

  ModuleBuilder min;
  min.AddMemory(65537);
  // Memory section: id 8, size 9, count 10, flags 11.
  EXPECT_EQ(DecodeError(min.Build()),
            "at offset 0xb in the memory section: memory size must be at most 65536 pages (4GiB)");
  ModuleBuilder max;
  max.AddMemory(0, 65537);
  EXPECT_EQ(DecodeError(max.Build()),
            "at offset 0xb in the memory section: memory size must be at most 65536 pages (4GiB)");
  ModuleBuilder huge;
  huge.AddMemory(0xffffffff);
  EXPECT_CONTAINS(DecodeError(huge.Build()), "memory size must be at most 65536 pages");
  ModuleBuilder imported;
  imported.ImportMemory("env", "m", 70000);
  EXPECT_CONTAINS(DecodeError(imported.Build()),
                  "in the import section: memory size must be at most 65536 pages");
}

TEST(DecoderLimits, MinimumGreaterThanMaximum) {
  ModuleBuilder m;
  m.AddMemory(2, 1);
  EXPECT_EQ(DecodeError(m.Build()),
            "at offset 0xb in the memory section: size minimum must not be greater than maximum "
            "for a memory");
  ModuleBuilder t;
  t.AddTable(kFuncRef, 10, 9);
  EXPECT_EQ(DecodeError(t.Build()),
            "at offset 0xc in the table section: size minimum must not be greater than maximum "
            "for a table");
  // Tables have no page limit.
  ModuleBuilder big;
  big.AddTable(kFuncRef, 0xffffffff, 0xffffffff);
  EXPECT_TRUE(DecodeOk(big.Build()));
}

TEST(DecoderLimits, SharedMemoryNeedsMaximum) {
  ModuleBuilder m;
  m.AddMemory(1, std::nullopt, /*shared=*/true);
  EXPECT_EQ(DecodeError(m.Build()),
            "at offset 0xb in the memory section: shared memory must have maximum");
  ModuleBuilder ok;
  ok.AddMemory(1, 2, /*shared=*/true);
  auto mod = DecodeOk(ok.Build());
  ASSERT_TRUE(mod);
  EXPECT_TRUE(mod->memories[0].limits.shared);
  EXPECT_EQ(mod->memories[0].limits.min, 1u);
  EXPECT_EQ(mod->memories[0].limits.max, 2u);
}

TEST(DecoderLimits, MalformedFlags) {
  ModuleBuilder m;
  m.AddMemory(1, 2, /*shared=*/true);
  EXPECT_EQ(DecodeError(m.Build(), Features::Wasm2()),
            "at offset 0xb in the memory section: malformed limits flags 0x03");
  EXPECT_EQ(DecodeError(RawModule(Section(kMemoryId, Cat(Leb(1), 0x04, Leb(0))))),
            "at offset 0xb in the memory section: malformed limits flags 0x04");
  EXPECT_EQ(DecodeError(RawModule(Section(kTableId, Cat(Leb(1), kFuncRef, 0x03, Leb(0), Leb(1))))),
            "at offset 0xc in the table section: malformed limits flags 0x03 (tables cannot be "
            "shared)");
}

TEST(DecoderLimits, MalformedFlagsAreWrittenInHex) {
  // Regression (fixed): the flags byte is printed in decimal after "0x": flags 0x10 are
  // reported as "malformed limits flags 0x16" (and 0x80 as "0x128").
  EXPECT_EQ(DecodeError(RawModule(Section(kMemoryId, Cat(Leb(1), 0x10, Leb(0))))),
            "at offset 0xb in the memory section: malformed limits flags 0x10");
}

// --- Features ----------------------------------------------------------------------

TEST(DecoderFeatures, MultiMemory) {
  ModuleBuilder b;
  b.AddMemory(1);
  b.AddMemory(1);
  Bytes wasm = b.Build();
  EXPECT_CONTAINS(DecodeError(wasm, Features::Wasm2()),
                  "in the memory section: multiple memories are not allowed without the "
                  "multi-memory feature");
  auto m = DecodeOk(wasm, Features::All());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->memories.size(), 2u);

  ModuleBuilder imported;
  imported.ImportMemory("env", "m", 1);
  imported.AddMemory(1);
  EXPECT_CONTAINS(DecodeError(imported.Build(), Features::Wasm2()), "multiple memories");
  EXPECT_TRUE(DecodeOk(imported.Build()));

  // A memory index in a memarg (bit 6 of the alignment).
  ModuleBuilder c;
  c.AddMemory(1);
  c.AddMemory(1);
  c.AddFunction(c.AddType({}, {kI32}), Cat(I32Const(0), kI32Load, MemArgIdx(2, 1, 0), kEnd));
  EXPECT_TRUE(DecodeOk(c.Build()));
  ModuleBuilder d;
  d.AddMemory(1);
  d.AddFunction(d.AddType({}, {kI32}), Cat(I32Const(0), kI32Load, MemArgIdx(2, 0, 0), kEnd));
  EXPECT_CONTAINS(DecodeError(d.Build(), Features::Wasm2()),
                  "alignment must not be larger than natural");
}

TEST(DecoderFeatures, Atomics) {
  ModuleBuilder b;
  b.AddMemory(1, 1, /*shared=*/false);
  b.AddFunction(b.AddType({}, {kI32}), Cat(I32Const(0), Mem(Atomic(0x10), 2, 0), kEnd));
  Bytes wasm = b.Build();
  EXPECT_CONTAINS(DecodeError(wasm, Features::Wasm2()), "illegal opcode 0xfe 0x10");
  EXPECT_TRUE(DecodeOk(wasm, Features::All()));

  ModuleBuilder fence;
  fence.AddFunction(fence.AddType({}, {}), Cat(Atomic(0x03), 0x00, kEnd));
  EXPECT_CONTAINS(DecodeError(fence.Build(), Features::Wasm2()), "illegal opcode 0xfe 0x3");
  EXPECT_TRUE(DecodeOk(fence.Build(), Features::All()));
}

TEST(DecoderFeatures, TailCalls) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {kI32});
  b.AddTable(kFuncRef, 1);
  b.AddFunction(t, Cat(ReturnCall(0), kEnd));
  b.AddFunction(t, Cat(I32Const(0), ReturnCallIndirect(t), kEnd));
  Bytes wasm = b.Build();
  std::string error = DecodeError(wasm, Features::Wasm2());
  EXPECT_CONTAINS(error, "in the code section, in function #0: at offset");
  EXPECT_CONTAINS(error, "illegal opcode 0x12");
  EXPECT_TRUE(DecodeOk(wasm, Features::All()));

  ModuleBuilder c;
  uint32_t u = c.AddType({}, {kI32});
  c.AddTable(kFuncRef, 1);
  c.AddFunction(u, Cat(I32Const(0), ReturnCallIndirect(u), kEnd));
  EXPECT_CONTAINS(DecodeError(c.Build(), Features::Wasm2()), "illegal opcode 0x13");
}

TEST(DecoderFeatures, ReferenceTypesOffAllowsOneTable) {
  ModuleBuilder b;
  b.AddTable(kFuncRef, 1);
  b.AddTable(kFuncRef, 1);
  Bytes wasm = b.Build();
  // Table section: id 8, size 9, count 10, first table 11..13, second at 14.
  EXPECT_EQ(DecodeError(wasm, NoReferenceTypes()),
            "at offset 0xe in the table section: multiple tables are not allowed without the "
            "reference-types feature");
  EXPECT_TRUE(DecodeOk(wasm, Features::Wasm2()));
  EXPECT_TRUE(DecodeOk(wasm, Features::All()));

  ModuleBuilder imported;
  imported.ImportTable("env", "t", kFuncRef, 1);
  imported.AddTable(kFuncRef, 1);
  EXPECT_CONTAINS(DecodeError(imported.Build(), NoReferenceTypes()), "multiple tables");

  ModuleBuilder one;
  one.AddTable(kFuncRef, 1);
  EXPECT_TRUE(DecodeOk(one.Build(), NoReferenceTypes()));
}

TEST(DecoderFeatures, ReferenceTypesOffRejectsReferenceValues) {
  ModuleBuilder b;
  b.AddType({kFuncRef}, {});
  EXPECT_CONTAINS(DecodeError(b.Build(), NoReferenceTypes()), "malformed value type 0x70");
  EXPECT_TRUE(DecodeOk(b.Build()));

  EXPECT_CONTAINS(DecodeError(OneFunction(Cat(kEnd), {{1, kExternRef}}), NoReferenceTypes()),
                  "malformed value type 0x6f");
  EXPECT_CONTAINS(DecodeError(OneFunction(Cat(RefNull(kFuncRef), kDrop, kEnd)), NoReferenceTypes()),
                  "illegal opcode 0xd0");

  // call_indirect's table index is a reserved zero byte in the MVP.
  ModuleBuilder c;
  uint32_t t = c.AddType({}, {});
  c.AddTable(kFuncRef, 1);
  c.AddFunction(t, Cat(I32Const(0), kCallIndirectOp, Leb(t), 0x01, kEnd));
  EXPECT_CONTAINS(DecodeError(c.Build(), NoReferenceTypes()), "zero byte expected");
}

TEST(DecoderFeatures, ReferenceTypesOffRejectsExternrefTablesAndBlockTypes) {
  // Regression (fixed): with reference_types off, value types funcref/externref are malformed
  // in type, local and global declarations, but a table of externref and a
  // block type (result funcref) are still accepted. The MVP allows only
  // funcref (0x70) as a table element type, and only numeric block types.
  ModuleBuilder t;
  t.AddTable(kExternRef, 1);
  EXPECT_FALSE(DecodeModule(t.Build(), NoReferenceTypes()).ok())
      << "a table of externref decoded with reference_types off";

  Bytes block = OneFunction(Cat(Block(kFuncRef), kUnreachable, kEnd, kDrop, kEnd));
  EXPECT_TRUE(DecodeOk(block));
  EXPECT_FALSE(DecodeModule(block, NoReferenceTypes()).ok())
      << "a block of type (result funcref) decoded with reference_types off";
}

// --- Other malformed entries -----------------------------------------------------

TEST(DecoderMalformed, TypeEntries) {
  // Like the example in the loader's docs: the value type byte's own offset.
  EXPECT_EQ(DecodeError(RawModule(Section(kTypeId, Cat(Leb(1), 0x60, Leb(1), 0x01, Leb(0))))),
            "at offset 0xd in the type section: malformed value type 0x01");
  EXPECT_EQ(DecodeError(RawModule(Section(kTypeId, Cat(Leb(1), 0x61, Leb(0), Leb(0))))),
            "at offset 0xb in the type section: malformed function type: expected 0x60");
  EXPECT_EQ(DecodeError(RawModule(Section(kTypeId, Cat(Leb(1), 0x60, Leb(0), Leb(1), 0x40)))),
            "at offset 0xe in the type section: malformed value type 0x40");
}

TEST(DecoderMalformed, ImportEntries) {
  EXPECT_CONTAINS(
      DecodeError(RawModule(Section(kImportId, Cat(Leb(1), Name("m"), Name("n"), 0x04, 0x00)))),
      "in the import section: malformed import kind 4");
  EXPECT_CONTAINS(
      DecodeError(RawModule(Section(kImportId, Cat(Leb(1), Name("m"), Name("n"), kExternGlobal,
                                                   kI32, 0x02)))),
      "in the import section: malformed mutability");
  EXPECT_CONTAINS(
      DecodeError(RawModule(Section(kImportId, Cat(Leb(1), Name("m"), Name("n"), kExternTable,
                                                   kI32, LimitsOf(0))))),
      "in the import section: malformed reference type");
  EXPECT_CONTAINS(
      DecodeError(RawModule(Section(kImportId, Cat(Leb(1), Leb(1), 0xff, Name("n"), 0x00, 0x00)))),
      "in the import section: malformed UTF-8 encoding");
}

TEST(DecoderMalformed, GlobalEntries) {
  EXPECT_CONTAINS(DecodeError(RawModule(Section(kGlobalId, Cat(Leb(1), kI32, 0x02,
                                                               Expr(I32Const(0)))))),
                  "in the global section: malformed mutability");
  std::string error = DecodeError(
      RawModule(Section(kGlobalId, Cat(Leb(1), kI32, 0x00, Expr(I64Const(0))))));
  // The mismatch is found at the `end` (payload: count 10, type 11,
  // mutability 12, i64.const 13-14, end 15).
  EXPECT_EQ(error, "in the global section, in initialiser of global 0: at offset 0xf: type "
                   "mismatch: expected i32, got i64");
}

TEST(DecoderMalformed, CodeEntries) {
  // Operators after the final end.
  Bytes extra = OneFunction(Cat(kEnd, kNop));
  EXPECT_EQ(DecodeError(extra), "in the code section, in function #0: at offset " +
                                    Hex(extra.size() - 1) +
                                    ": operators remaining after the final end of the function body");
  // No final end.
  Bytes missing = OneFunction(Cat(kNop));
  EXPECT_EQ(DecodeError(missing), "in the code section, in function #0: at offset " +
                                      Hex(missing.size()) +
                                      ": unexpected end of function body: END opcode expected");
  // An immediate cut by the end of the body.
  Bytes cut = OneFunction(Cat(kI32ConstOp, 0x80));
  EXPECT_CONTAINS(DecodeError(cut), "unexpected end of function body: END opcode expected");
  // An empty body has no locals vector.
  Bytes empty = RawModule(Section(kTypeId, Vec({Signature({}, {})})),
                          Section(kFunctionId, IndexVec({0})), Section(kCodeId, Vec({Leb(0)})));
  EXPECT_CONTAINS(DecodeError(empty), "in the code section: unexpected end of LEB128 integer");
  // Unknown opcodes, one byte and prefixed.
  EXPECT_CONTAINS(DecodeError(OneFunction(Cat(0x06, kEnd))), "illegal opcode 0x6");
  EXPECT_CONTAINS(DecodeError(OneFunction(Cat(0xff, kEnd))), "illegal opcode 0xff");
  EXPECT_CONTAINS(DecodeError(OneFunction(Cat(Misc(0x12), kEnd))), "illegal opcode 0xfc 0x12");
  EXPECT_CONTAINS(DecodeError(OneFunction(Cat(Simd(0x1ff), kEnd))), "illegal opcode 0xfd");
}

// --- Element and data segments ---------------------------------------------------

TEST(DecoderSegments, ElementEncodings0To7) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  for (int i = 0; i < 3; ++i) b.AddFunction(t, Cat(kEnd));
  b.AddTable(kFuncRef, 10);    // table 0
  b.AddTable(kFuncRef, 10);    // table 1
  b.AddTable(kExternRef, 10);  // table 2
  // 0: active, table 0, offset, function indices.
  b.AddElem(Cat(0x00, Expr(I32Const(1)), IndexVec({0, 1})));
  // 1: passive, elemkind, function indices.
  b.AddElem(Cat(0x01, 0x00, IndexVec({2})));
  // 2: active, explicit table, offset, elemkind, function indices.
  b.AddElem(Cat(0x02, Leb(1), Expr(I32Const(2)), 0x00, IndexVec({1, 2, 0})));
  // 3: declarative, elemkind, function indices.
  b.AddElem(Cat(0x03, 0x00, IndexVec({0})));
  // 4: active, table 0, offset, expressions (funcref implied).
  b.AddElem(Cat(0x04, Expr(I32Const(3)),
                Vec({Expr(RefFunc(1)), Expr(RefNull(kFuncRef))})));
  // 5: passive, reference type, expressions.
  b.AddElem(Cat(0x05, kExternRef, Vec({Expr(RefNull(kExternRef))})));
  // 6: active, explicit table, offset, reference type, expressions.
  b.AddElem(Cat(0x06, Leb(2), Expr(I32Const(4)), kExternRef,
                Vec({Expr(RefNull(kExternRef)), Expr(RefNull(kExternRef))})));
  // 7: declarative, reference type, expressions.
  b.AddElem(Cat(0x07, kFuncRef, Vec({Expr(RefFunc(2))})));
  auto m = DecodeOk(b.Build());
  ASSERT_TRUE(m);
  ASSERT_EQ(m->elems.size(), 8u);
  const auto& e = m->elems;

  EXPECT_EQ(e[0].mode, SegmentMode::kActive);
  EXPECT_EQ(e[0].table, 0u);
  EXPECT_EQ(e[0].type, ValType::kFuncRef);
  EXPECT_EQ(e[0].func_indices, (std::vector<uint32_t>{0, 1}));
  EXPECT_TRUE(e[0].exprs.empty());
  EXPECT_EQ(RangeBytes(*m, e[0].offset.offset, e[0].offset.size), Expr(I32Const(1)));

  EXPECT_EQ(e[1].mode, SegmentMode::kPassive);
  EXPECT_EQ(e[1].type, ValType::kFuncRef);
  EXPECT_EQ(e[1].func_indices, (std::vector<uint32_t>{2}));

  EXPECT_EQ(e[2].mode, SegmentMode::kActive);
  EXPECT_EQ(e[2].table, 1u);
  EXPECT_EQ(e[2].func_indices, (std::vector<uint32_t>{1, 2, 0}));
  EXPECT_EQ(RangeBytes(*m, e[2].offset.offset, e[2].offset.size), Expr(I32Const(2)));

  EXPECT_EQ(e[3].mode, SegmentMode::kDeclarative);
  EXPECT_EQ(e[3].func_indices, (std::vector<uint32_t>{0}));

  EXPECT_EQ(e[4].mode, SegmentMode::kActive);
  EXPECT_EQ(e[4].table, 0u);
  EXPECT_EQ(e[4].type, ValType::kFuncRef);
  EXPECT_TRUE(e[4].func_indices.empty());
  ASSERT_EQ(e[4].exprs.size(), 2u);
  EXPECT_EQ(e[4].size(), 2u);
  EXPECT_EQ(RangeBytes(*m, e[4].offset.offset, e[4].offset.size), Expr(I32Const(3)));
  EXPECT_EQ(RangeBytes(*m, e[4].exprs[0].offset, e[4].exprs[0].size), Expr(RefFunc(1)));
  EXPECT_EQ(RangeBytes(*m, e[4].exprs[1].offset, e[4].exprs[1].size),
            Expr(RefNull(kFuncRef)));

  EXPECT_EQ(e[5].mode, SegmentMode::kPassive);
  EXPECT_EQ(e[5].type, ValType::kExternRef);
  ASSERT_EQ(e[5].exprs.size(), 1u);

  EXPECT_EQ(e[6].mode, SegmentMode::kActive);
  EXPECT_EQ(e[6].table, 2u);
  EXPECT_EQ(e[6].type, ValType::kExternRef);
  EXPECT_EQ(e[6].size(), 2u);
  EXPECT_EQ(RangeBytes(*m, e[6].offset.offset, e[6].offset.size), Expr(I32Const(4)));

  EXPECT_EQ(e[7].mode, SegmentMode::kDeclarative);
  EXPECT_EQ(e[7].type, ValType::kFuncRef);
  ASSERT_EQ(e[7].exprs.size(), 1u);
  EXPECT_EQ(RangeBytes(*m, e[7].exprs[0].offset, e[7].exprs[0].size), Expr(RefFunc(2)));
}

TEST(DecoderSegments, MalformedElements) {
  auto with_elem = [](const Bytes& segment) {
    ModuleBuilder b;
    b.AddFunction(b.AddType({}, {}), Cat(kEnd));
    b.AddTable(kFuncRef, 1);
    b.AddElem(segment);
    return b.Build();
  };
  EXPECT_CONTAINS(DecodeError(with_elem(Cat(0x08, Expr(I32Const(0)), IndexVec({})))),
                  "in the element section: malformed elements segment kind 8");
  EXPECT_CONTAINS(DecodeError(with_elem(Cat(0x01, 0x01, IndexVec({0})))),
                  "in the element section: malformed element kind");
  EXPECT_CONTAINS(DecodeError(with_elem(Cat(0x05, kI32, Vec({})))),
                  "in the element section: malformed reference type");
  // An externref segment into a funcref table.
  EXPECT_CONTAINS(DecodeError(with_elem(Cat(0x06, Leb(0), Expr(I32Const(0)), kExternRef,
                                            Vec({Expr(RefNull(kExternRef))})))),
                  "in the element section: type mismatch: element segment 0 of externref for a "
                  "table of funcref");
  // Offsets are i32 constant expressions; items match the segment's type.
  EXPECT_CONTAINS(DecodeError(with_elem(Cat(0x00, Expr(I64Const(0)), IndexVec({0})))),
                  "in the element section, in offset of element segment 0: at offset");
  EXPECT_CONTAINS(DecodeError(with_elem(Cat(0x00, Expr(I64Const(0)), IndexVec({0})))),
                  "type mismatch: expected i32, got i64");
  EXPECT_CONTAINS(DecodeError(with_elem(Cat(0x04, Expr(I32Const(0)),
                                            Vec({Expr(RefNull(kExternRef))})))),
                  "in the element section, in element segment 0: at offset");
}

TEST(DecoderSegments, DataEncodings0To2) {
  ModuleBuilder b;
  b.AddMemory(1);
  b.AddMemory(1);
  b.AddActiveData(16, Str("abc"));
  b.AddPassiveData(Str("xyz!"));
  b.AddData(Cat(0x02, Leb(1), Expr(I32Const(-1)), Leb(2), Str("hi")));
  b.AddData(Cat(0x02, Leb(0), Expr(I32Const(7)), Leb(0)));
  auto m = DecodeOk(b.Build(), Features::All());
  ASSERT_TRUE(m);
  ASSERT_EQ(m->datas.size(), 4u);
  const auto& d = m->datas;

  EXPECT_EQ(d[0].mode, SegmentMode::kActive);
  EXPECT_EQ(d[0].memory, 0u);
  EXPECT_EQ(RangeBytes(*m, d[0].offset.offset, d[0].offset.size), Expr(I32Const(16)));
  EXPECT_EQ(RangeBytes(*m, d[0].data_offset, d[0].data_size), Str("abc"));

  EXPECT_EQ(d[1].mode, SegmentMode::kPassive);
  EXPECT_EQ(RangeBytes(*m, d[1].data_offset, d[1].data_size), Str("xyz!"));

  EXPECT_EQ(d[2].mode, SegmentMode::kActive);
  EXPECT_EQ(d[2].memory, 1u);
  EXPECT_EQ(RangeBytes(*m, d[2].offset.offset, d[2].offset.size), Expr(I32Const(-1)));
  EXPECT_EQ(RangeBytes(*m, d[2].data_offset, d[2].data_size), Str("hi"));

  EXPECT_EQ(d[3].mode, SegmentMode::kActive);
  EXPECT_EQ(d[3].memory, 0u);
  EXPECT_EQ(d[3].data_size, 0u);
  // The data offset of an empty segment is the end of its encoding: the end
  // of the data section, here the end of the module.
  EXPECT_EQ(d[3].data_offset, m->bytes().size());
}

TEST(DecoderSegments, MalformedData) {
  auto with_data = [](const Bytes& segment) {
    ModuleBuilder b;
    b.AddMemory(1);
    b.AddData(segment);
    return b.Build();
  };
  EXPECT_CONTAINS(DecodeError(with_data(Cat(0x03, Leb(0)))),
                  "in the data section: malformed data segment kind 3");
  EXPECT_CONTAINS(DecodeError(with_data(Cat(0x01, Leb(10), Str("abc")))),
                  "in the data section: unexpected end: data segment 0 is 10 bytes");
  EXPECT_CONTAINS(DecodeError(with_data(Cat(0x00, Expr(F32Const(0)), Leb(0)))),
                  "in the data section, in offset of data segment 0: at offset");
  EXPECT_CONTAINS(DecodeError(with_data(Cat(0x00, Expr(F32Const(0)), Leb(0)))),
                  "type mismatch: expected i32, got f32");
  // An offset expression without its end runs into the segment's bytes.
  EXPECT_FALSE(DecodeModule(with_data(Cat(0x00, I32Const(0), Leb(1), 'x'))).ok());
}

TEST(DecoderSegments, DataPastTheEndSaysHowManyBytesAreLeft) {
  ModuleBuilder b;
  b.AddMemory(1);
  b.AddData(Cat(0x01, Leb(10), Str("abc")));
  // Regression (fixed): the message counts the bytes left after the failed read, which has
  // moved the reader to the end: it always says "only 0 left". Three bytes of
  // the segment are there.
  EXPECT_CONTAINS(DecodeError(b.Build()), "data segment 0 is 10 bytes, only 3 left");
}

// --- Custom sections and names -----------------------------------------------------

TEST(DecoderCustom, SectionsAreKeptWithNameOffsetAndSize) {
  ModuleBuilder b;
  b.AddFunction(b.AddType({}, {}), Cat(kEnd));
  b.AddCustom("first", Str("payload-1"), /*after_section=*/0);
  b.AddCustom("after types", {}, kTypeId);
  b.AddCustom("producers", Str("\x01\x02\x03"));
  Bytes wasm = b.Build();
  auto m = DecodeOk(wasm);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->customs.size(), 3u);

  EXPECT_EQ(m->customs[0].name, "first");
  // Header 8, id 1, size 1, name 1 + 5.
  EXPECT_EQ(m->customs[0].offset, 16u);
  EXPECT_EQ(m->customs[0].size, 9u);
  EXPECT_EQ(RangeBytes(*m, m->customs[0].offset, m->customs[0].size), Str("payload-1"));

  EXPECT_EQ(m->customs[1].name, "after types");
  EXPECT_EQ(m->customs[1].size, 0u);

  EXPECT_EQ(m->customs[2].name, "producers");
  EXPECT_EQ(m->customs[2].offset, wasm.size() - 3);
  EXPECT_EQ(RangeBytes(*m, m->customs[2].offset, m->customs[2].size), Str("\x01\x02\x03"));
}

TEST(DecoderCustom, MalformedNames) {
  EXPECT_CONTAINS(DecodeError(RawModule(Section(kCustomId, Cat(Leb(2), 0xc0, 0x80)))),
                  "at offset 0xb in the custom section: malformed UTF-8 encoding");
  EXPECT_CONTAINS(DecodeError(RawModule(Section(kCustomId, Cat(Leb(5), Str("abc"))))),
                  "in the custom section: unexpected end: name length 5 exceeds the remaining 3 "
                  "bytes");
}

Bytes WithNames(const Bytes& name_content, uint8_t after_section = ModuleBuilder::kAtEnd) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  b.ImportFunction("env", "imported", t);
  b.AddFunction(t, Cat(kEnd));
  b.AddFunction(t, Cat(kEnd));
  b.AddCustom("name", name_content, after_section);
  return b.Build();
}

TEST(DecoderNames, FunctionAndModuleNames) {
  auto m = DecodeOk(WithNames(Cat(ModuleName("mod"), FunctionNames({{0, "imp"}, {1, "first"}}))));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->names.module, "mod");
  EXPECT_EQ(m->names.functions.size(), 2u);
  EXPECT_EQ(m->FunctionName(0), "$imp (#0)");
  EXPECT_EQ(m->FunctionName(1), "$first (#1)");
  EXPECT_EQ(m->FunctionName(2), "#2");
  ASSERT_EQ(m->customs.size(), 1u);
  EXPECT_EQ(m->customs[0].name, "name");
}

TEST(DecoderNames, OtherSubsectionsAreSkipped) {
  // A local-names subsection (2) and an unknown one (9) around the function
  // names.
  Bytes local_names = Cat(0x02, Leb(5), Leb(1), Leb(1), Leb(1), Leb(0), Leb(0));
  Bytes unknown = Cat(0x09, Leb(3), 0xff, 0xff, 0xff);
  auto m = DecodeOk(WithNames(Cat(local_names, FunctionNames({{2, "second"}}), unknown)));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->FunctionName(2), "$second (#2)");
}

TEST(DecoderNames, MalformedNameSectionIsIgnored) {
  for (const Bytes& content : std::vector<Bytes>{
           Cat(0x01, Leb(50), Leb(1)),                                 // subsection past the end
           Cat(0x01, Leb(4), Leb(1), Leb(1), Leb(1), 0xff),            // bad UTF-8 name
           Cat(0x01, Leb(3), Leb(2), Leb(1), Leb(0)),                  // map shorter than its count
           Cat(FunctionNames({{1, "ok"}}), 0x01, 0x80),                // truncated subsection size
           Cat(0x01, Leb(6), Leb(1), Leb(1), Leb(9), Str("abc")),      // name past the subsection
           Cat(0x00, Leb(2), Leb(5), 'x'),                             // module name past its end
       }) {
    auto m = DecodeOk(WithNames(content));
    ASSERT_TRUE(m);
    EXPECT_TRUE(m->names.functions.empty());
    EXPECT_EQ(m->FunctionName(1), "#1");
    ASSERT_EQ(m->customs.size(), 1u) << "the section itself is still kept";
    EXPECT_EQ(m->customs[0].name, "name");
  }
}

TEST(DecoderNames, NamesAppearInValidationErrors) {
  // A name section before the code section names the failing function.
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  b.AddFunction(t, Cat(kEnd));
  b.AddFunction(t, Cat(I32Const(1), kEnd));  // a value left on the stack
  b.AddCustom("name", FunctionNames({{1, "leaky"}}), kFunctionId);
  std::string error = DecodeError(b.Build());
  EXPECT_CONTAINS(error, "in the code section, in function $leaky (#1): at offset");
  EXPECT_CONTAINS(error, "type mismatch: 1 values left on the stack at the end of a block");

  // And in module-level errors that name a function.
  ModuleBuilder c;
  c.AddFunction(c.AddType({}, {}), Cat(kEnd), {{60000, kI32}});
  c.AddCustom("name", FunctionNames({{0, "big"}}), kFunctionId);
  EXPECT_CONTAINS(DecodeError(c.Build()), "too many locals in function $big (#0)");
}

TEST(DecoderNames, NamesAtTheEndAppearInValidationErrors) {
  // Toolchains write the name section last, after the data section (the spec
  // recommends it); docs/architecture.md promises errors like "in function
  // $fib (#3)" for such modules.
  // Regression (fixed): the name section is only decoded when reached, after the code
  // section has been validated, so errors in real modules never carry names:
  // the error below says "in function #1".
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  b.AddFunction(t, Cat(kEnd));
  b.AddFunction(t, Cat(I32Const(1), kEnd));
  b.AddCustom("name", FunctionNames({{1, "leaky"}}));
  EXPECT_CONTAINS(DecodeError(b.Build()), "in function $leaky (#1)");
}

// --- Decoded fields ------------------------------------------------------------------

TEST(DecoderFields, IndexSpacesPutImportsFirst) {
  ModuleBuilder b;
  uint32_t t0 = b.AddType({kI32, kI64}, {kF32});
  uint32_t t1 = b.AddType({}, {});
  b.ImportFunction("env", "f", t0);
  b.ImportTable("env", "t", kFuncRef, 1, 5);
  b.ImportMemory("env", "m", 1, 2);
  b.ImportGlobal("env", "g", kF64, /*is_mutable=*/true);
  b.ImportFunction("env", "f2", t1);
  uint32_t defined = b.AddFunction(t1, Cat(kEnd));
  b.AddTable(kExternRef, 0);
  b.AddMemory(3);
  b.AddGlobal(kI32, false, Expr(I32Const(42)));
  b.AddExport("f", kExternFunc, defined);
  b.AddExport("imported", kExternFunc, 0);
  b.AddExport("t", kExternTable, 1);
  b.AddExport("m", kExternMemory, 1);
  b.AddExport("g", kExternGlobal, 1);
  auto m = DecodeOk(b.Build(), Features::All());
  ASSERT_TRUE(m);

  EXPECT_EQ(defined, 2u);
  ASSERT_EQ(m->types.size(), 2u);
  EXPECT_EQ(m->types[0].ToString(), "(i32, i64) -> (f32)");
  EXPECT_EQ(m->types[1].ToString(), "() -> ()");

  ASSERT_EQ(m->imports.size(), 5u);
  EXPECT_EQ(m->imports[0].module, "env");
  EXPECT_EQ(m->imports[0].name, "f");
  EXPECT_EQ(m->imports[0].kind, ExternKind::kFunc);
  EXPECT_EQ(m->imports[0].index, 0u);
  EXPECT_EQ(m->imports[1].kind, ExternKind::kTable);
  EXPECT_EQ(m->imports[1].index, 0u);
  EXPECT_EQ(m->imports[2].kind, ExternKind::kMemory);
  EXPECT_EQ(m->imports[3].kind, ExternKind::kGlobal);
  EXPECT_EQ(m->imports[3].index, 0u);
  EXPECT_EQ(m->imports[4].name, "f2");
  EXPECT_EQ(m->imports[4].index, 1u);  // the second function, though the fifth import

  EXPECT_EQ(m->num_imported_functions, 2u);
  EXPECT_EQ(m->num_imported_tables, 1u);
  EXPECT_EQ(m->num_imported_memories, 1u);
  EXPECT_EQ(m->num_imported_globals, 1u);

  ASSERT_EQ(m->functions.size(), 3u);
  EXPECT_TRUE(m->IsImportedFunction(1));
  EXPECT_FALSE(m->IsImportedFunction(2));
  EXPECT_EQ(m->functions[0].type_index, t0);
  EXPECT_EQ(m->FunctionType(0).params().size(), 2u);
  EXPECT_EQ(m->functions[2].type_index, t1);

  ASSERT_EQ(m->tables.size(), 2u);
  EXPECT_EQ(m->tables[0].elem_type, ValType::kFuncRef);
  EXPECT_EQ(m->tables[0].limits.min, 1u);
  EXPECT_EQ(m->tables[0].limits.max, 5u);
  EXPECT_EQ(m->tables[1].elem_type, ValType::kExternRef);
  EXPECT_FALSE(m->tables[1].limits.max);

  ASSERT_EQ(m->memories.size(), 2u);
  EXPECT_EQ(m->memories[0].limits.max, 2u);
  EXPECT_EQ(m->memories[1].limits.min, 3u);

  ASSERT_EQ(m->globals.size(), 2u);
  EXPECT_EQ(m->globals[0].type, ValType::kF64);
  EXPECT_TRUE(m->globals[0].is_mutable);
  EXPECT_EQ(m->globals[1].type, ValType::kI32);
  EXPECT_FALSE(m->globals[1].is_mutable);
  ASSERT_EQ(m->global_inits.size(), 1u) << "initialisers of defined globals only";
  EXPECT_EQ(RangeBytes(*m, m->global_inits[0].offset, m->global_inits[0].size),
            Expr(I32Const(42)));

  ASSERT_EQ(m->exports.size(), 5u);
  EXPECT_EQ(m->exports[0].name, "f");
  EXPECT_EQ(m->exports[0].kind, ExternKind::kFunc);
  EXPECT_EQ(m->exports[0].index, 2u);
  EXPECT_EQ(m->exports[2].kind, ExternKind::kTable);
  EXPECT_EQ(m->exports[3].kind, ExternKind::kMemory);
  EXPECT_EQ(m->exports[4].kind, ExternKind::kGlobal);
  EXPECT_EQ(m->exports[4].index, 1u);
}

TEST(DecoderFields, LocalsRunsAndCodeRanges) {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  Bytes code0 = Cat(LocalGet(0), kEnd);
  Bytes code1 = Cat(LocalGet(3), kDrop, LocalGet(0), kEnd);
  b.AddFunction(t, code0);
  b.AddFunction(t, code1, {{2, kI64}, {0, kF32}, {3, kF64}, {1, kV128}});
  Bytes wasm = b.Build();
  auto m = DecodeOk(wasm);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->functions.size(), 2u);

  const Function& f0 = m->functions[0];
  EXPECT_TRUE(f0.locals.empty());
  EXPECT_EQ(f0.num_locals, 0u);
  EXPECT_EQ(RangeBytes(*m, f0.code_offset, f0.code_size), code0);

  const Function& f1 = m->functions[1];
  ASSERT_EQ(f1.locals.size(), 3u) << "the empty run is dropped";
  EXPECT_EQ(f1.locals[0].count, 2u);
  EXPECT_EQ(f1.locals[0].type, ValType::kI64);
  EXPECT_EQ(f1.locals[1].count, 3u);
  EXPECT_EQ(f1.locals[1].type, ValType::kF64);
  EXPECT_EQ(f1.locals[2].count, 1u);
  EXPECT_EQ(f1.locals[2].type, ValType::kV128);
  EXPECT_EQ(f1.num_locals, 6u);
  EXPECT_EQ(RangeBytes(*m, f1.code_offset, f1.code_size), code1);
  // The last function's code ends the module.
  EXPECT_EQ(f1.code_offset + f1.code_size, wasm.size());

  // body_offset is where each body's size starts.
  Bytes body0 = Body({}, code0);
  EXPECT_EQ(RangeBytes(*m, f0.body_offset, body0.size()), body0);
  EXPECT_EQ(f1.body_offset, f0.body_offset + body0.size());
  Bytes body1 = Body({{2, kI64}, {0, kF32}, {3, kF64}, {1, kV128}}, code1);
  EXPECT_EQ(RangeBytes(*m, f1.body_offset, body1.size()), body1);
}

TEST(DecoderFields, RecordsTheFeaturesUsed) {
  Bytes wasm = OneFunction(Cat(kEnd));
  auto all = DecodeOk(wasm, Features::All());
  auto wasm2 = DecodeOk(wasm, Features::Wasm2());
  Features custom = Features::All();
  custom.reference_types = false;
  custom.extended_const = false;
  auto no_refs = DecodeOk(wasm, custom);
  ASSERT_TRUE(all && wasm2 && no_refs);
  EXPECT_TRUE(all->features.threads && all->features.tail_call && all->features.multi_memory);
  EXPECT_FALSE(wasm2->features.threads || wasm2->features.tail_call ||
               wasm2->features.extended_const || wasm2->features.multi_memory);
  EXPECT_TRUE(wasm2->features.reference_types);
  EXPECT_FALSE(no_refs->features.reference_types || no_refs->features.extended_const);
  EXPECT_TRUE(no_refs->features.threads);
}

TEST(DecoderFields, ModuleOwnsItsBytes) {
  Bytes wasm = OneFunction(Cat(kEnd));
  auto result = DecodeModule(wasm);
  ASSERT_TRUE(result.ok());
  wasm.assign(wasm.size(), 0xee);  // the caller's copy no longer matters
  std::shared_ptr<const Module> m = *result;
  EXPECT_EQ(m->bytes()[0], 0x00);
  EXPECT_EQ(m->bytes()[1], 0x61);
  EXPECT_EQ(m->bytes().back(), kEnd);
}

}  // namespace
}  // namespace rivet::test
