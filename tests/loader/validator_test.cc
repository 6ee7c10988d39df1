// Tests of function-body and constant-expression validation
// (loader/function_validator.h), through DecodeModule and directly with a
// consumer.
#include "loader/function_validator.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loader/features.h"
#include "loader/module.h"
#include "loader/opcodes.h"
#include "loader/reader.h"
#include "tests/loader/test_util.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::test {
namespace {

// A module with one function of type params -> results and the given code
// (which ends with its own `end`), plus a memory and a funcref table so that
// memory and table instructions have something to name.
Bytes Func(const Bytes& params, const Bytes& results, const Bytes& code,
           const std::vector<Locals>& locals = {}) {
  ModuleBuilder b;
  b.AddFunction(b.AddType(params, results), code, locals);
  b.AddMemory(1);
  b.AddTable(kFuncRef, 1);
  return b.Build();
}

// The error for the single function of `wasm`, which must be invalid.
std::string FuncError(const Bytes& wasm, const Features& features = Features::All()) {
  return DecodeError(wasm, features);
}

// "in the code section, in function #0: at offset 0x..: " for an
// instruction `from_end` bytes before the end of the module.
std::string At(const Bytes& wasm, size_t from_end) {
  return "in the code section, in function #0: at offset " + Hex(wasm.size() - from_end) + ": ";
}

// --- Type mismatches ------------------------------------------------------------------

TEST(ValidatorTypes, MismatchNamesExpectedAndActualTypes) {
  Bytes wasm = Func({}, {kI32}, Cat(I32Const(1), F32Const(2), kI32Add, kEnd));
  EXPECT_EQ(FuncError(wasm), At(wasm, 2) + "type mismatch: expected i32, got f32");

  wasm = Func({}, {kI32}, Cat(kI32Add, kEnd));
  EXPECT_EQ(FuncError(wasm), At(wasm, 2) + "type mismatch: expected i32 on the stack, but it is empty");

  wasm = Func({}, {kI32}, Cat(I64Const(0), kEnd));
  EXPECT_EQ(FuncError(wasm), At(wasm, 1) + "type mismatch: expected i32, got i64");

  wasm = Func({}, {}, Cat(kDrop, kEnd));
  EXPECT_EQ(FuncError(wasm), At(wasm, 2) + "type mismatch: expected a value on the stack, but it is empty");

  wasm = Func({}, {}, Cat(I32Const(0), I32Const(0), kEnd));
  EXPECT_EQ(FuncError(wasm), At(wasm, 1) + "type mismatch: 2 values left on the stack at the end of a block");

  wasm = Func({}, {}, Cat(Block(kI32), F32Const(0), kEnd, kDrop, kEnd));
  EXPECT_EQ(FuncError(wasm), At(wasm, 3) + "type mismatch: expected i32, got f32");

  wasm = Func({}, {}, Cat(I32Const(0), kRefIsNull, kDrop, kEnd));
  EXPECT_EQ(FuncError(wasm), At(wasm, 3) + "type mismatch: ref.is_null expects a reference, got i32");

  // Every value type's name.
  EXPECT_CONTAINS(FuncError(Func({}, {kF64}, Cat(V128Zero(), kEnd))), "expected f64, got v128");
  EXPECT_CONTAINS(FuncError(Func({}, {kExternRef}, Cat(RefNull(kFuncRef), kEnd))),
                  "expected externref, got funcref");
}

TEST(ValidatorTypes, CallArgumentsAndResults) {
  ModuleBuilder b;
  uint32_t callee_type = b.AddType({kI32, kI64}, {kF32});
  uint32_t caller_type = b.AddType({}, {kF32});
  uint32_t callee = b.AddFunction(callee_type, Cat(F32Const(0), kEnd));
  b.AddFunction(caller_type, Cat(I32Const(1), I64Const(2), Call(callee), kEnd));
  EXPECT_TRUE(DecodeOk(b.Build()));

  ModuleBuilder c;
  uint32_t ct = c.AddType({kI32, kI64}, {kF32});
  uint32_t ft = c.AddType({}, {kF32});
  uint32_t f = c.AddFunction(ct, Cat(F32Const(0), kEnd));
  c.AddFunction(ft, Cat(I32Const(1), I32Const(2), Call(f), kEnd));
  std::string error = DecodeError(c.Build());
  EXPECT_CONTAINS(error, "in the code section, in function #1: at offset");
  EXPECT_CONTAINS(error, "type mismatch: expected i64, got i32");
}

TEST(ValidatorTypes, CallIndirectNeedsAFuncrefTable) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  b.AddTable(kExternRef, 1);
  b.AddFunction(t, Cat(I32Const(0), CallIndirect(t, 0), kEnd));
  EXPECT_CONTAINS(DecodeError(b.Build()), "type mismatch: call_indirect through a table of externref");

  ModuleBuilder c;
  uint32_t u = c.AddType({kI32}, {kI64});
  c.AddTable(kFuncRef, 1);
  // The table index operand comes last, after the callee's i32 argument.
  c.AddFunction(c.AddType({}, {kI64}), Cat(I32Const(7), I32Const(0), CallIndirect(u), kEnd));
  EXPECT_TRUE(DecodeOk(c.Build()));
}

TEST(ValidatorTypes, TailCallResultsMustMatch) {
  ModuleBuilder b;
  uint32_t returns_i64 = b.AddType({}, {kI64});
  uint32_t returns_i32 = b.AddType({}, {kI32});
  uint32_t callee = b.AddFunction(returns_i64, Cat(I64Const(0), kEnd));
  b.AddFunction(returns_i32, Cat(ReturnCall(callee), kEnd));
  EXPECT_CONTAINS(DecodeError(b.Build()),
                  "type mismatch: tail call to a function returning () -> (i64) from a function "
                  "returning other results");
  // return_call makes the rest of the block unreachable.
  ModuleBuilder c;
  uint32_t t = c.AddType({}, {kI64});
  uint32_t f = c.AddFunction(t, Cat(I64Const(0), kEnd));
  c.AddFunction(t, Cat(ReturnCall(f), kI32Add, kDrop, kEnd));
  EXPECT_TRUE(DecodeOk(c.Build()));
}

TEST(ValidatorTypes, TableInstructions) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  b.AddTable(kFuncRef, 1);
  b.AddTable(kExternRef, 1);
  b.AddElem(Cat(0x05, kExternRef, Vec({Expr(RefNull(kExternRef))})));  // passive externref
  b.AddFunction(t, Cat(I32Const(0), I32Const(0), I32Const(1), TableInit(0, 1), kEnd));
  EXPECT_TRUE(DecodeOk(b.Build()));

  ModuleBuilder c;
  uint32_t u = c.AddType({}, {});
  c.AddTable(kFuncRef, 1);
  c.AddElem(Cat(0x05, kExternRef, Vec({Expr(RefNull(kExternRef))})));
  c.AddFunction(u, Cat(I32Const(0), I32Const(0), I32Const(1), TableInit(0, 0), kEnd));
  EXPECT_CONTAINS(DecodeError(c.Build()),
                  "type mismatch: table.init of a externref segment into a table of funcref");

  ModuleBuilder d;
  uint32_t v = d.AddType({}, {});
  d.AddTable(kFuncRef, 1);
  d.AddTable(kExternRef, 1);
  d.AddFunction(v, Cat(I32Const(0), I32Const(0), I32Const(1), TableCopy(0, 1), kEnd));
  EXPECT_CONTAINS(DecodeError(d.Build()),
                  "type mismatch: table.copy between tables of different element types");

  // table.get/set use the table's element type.
  ModuleBuilder e;
  e.AddTable(kFuncRef, 1);
  e.AddTable(kExternRef, 1);
  e.AddFunction(e.AddType({}, {}), Cat(I32Const(0), I32Const(0), TableGet(1), TableSet(0), kEnd));
  EXPECT_CONTAINS(DecodeError(e.Build()), "type mismatch: expected funcref, got externref");
}

// --- Unreachable code -------------------------------------------------------------------

TEST(ValidatorUnreachable, StackIsPolymorphic) {
  EXPECT_TRUE(DecodeOk(Func({}, {kI32}, Cat(kUnreachable, kI32Add, kEnd))));
  EXPECT_TRUE(DecodeOk(Func({}, {kI64, kF32}, Cat(kUnreachable, kEnd))));
  EXPECT_TRUE(DecodeOk(Func({}, {}, Cat(kReturn, kI32Add, kDrop, kEnd))));
  EXPECT_TRUE(DecodeOk(Func({}, {}, Cat(Block(kVoid), Br(0), kF64Add, kDrop, kEnd, kEnd))));
  EXPECT_TRUE(DecodeOk(Func({}, {kI32}, Cat(kUnreachable, kSelect, kEnd))));
  // Known types are still checked.
  Bytes wasm = Func({}, {kI32}, Cat(kUnreachable, F32Const(0), kI32Add, kEnd));
  EXPECT_EQ(FuncError(wasm), At(wasm, 2) + "type mismatch: expected i32, got f32");
  EXPECT_CONTAINS(FuncError(Func({}, {kI32}, Cat(kUnreachable, I64Const(0), kEnd))),
                  "expected i32, got i64");
  // And so is the height: too many values at the end.
  EXPECT_CONTAINS(FuncError(Func({}, {kI32}, Cat(kUnreachable, I32Const(0), I32Const(0), kEnd))),
                  "1 values left on the stack");
  // Unreachability ends with the block.
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(Block(kVoid), kUnreachable, kEnd, kI32Add, kDrop, kEnd))),
                  "expected i32 on the stack, but it is empty");
}

TEST(ValidatorUnreachable, BrTableWithDifferentLabelTypes) {
  // block (result f32)       ;; label 1 from inside
  //   block (result i32)     ;; label 0
  //     unreachable
  //     br_table 0 1         ;; [i32] and [f32]: same arity, operand unknown
  //   end
  //   drop
  //   f32.const 0
  // end
  // drop
  Bytes code = Cat(Block(kF32), Block(kI32), kUnreachable, BrTable({0}, 1), kEnd, kDrop,
                   F32Const(0), kEnd, kDrop, kEnd);
  EXPECT_TRUE(DecodeOk(Func({}, {}, code)));
  // With a concrete operand, the two labels cannot both match it.
  Bytes concrete = Cat(Block(kF32), Block(kI32), I32Const(7), I32Const(0), BrTable({0}, 1), kEnd,
                       kDrop, F32Const(0), kEnd, kDrop, kEnd);
  EXPECT_CONTAINS(FuncError(Func({}, {}, concrete)), "type mismatch: expected f32, got i32");
  // Nor can a concrete operand pushed after unreachable.
  Bytes after = Cat(Block(kF32), Block(kI32), kUnreachable, F32Const(1), I32Const(0),
                    BrTable({0}, 1), kEnd,
                    kDrop, F32Const(0), kEnd, kDrop, kEnd);
  EXPECT_CONTAINS(FuncError(Func({}, {}, after)), "type mismatch: expected i32, got f32");
}

TEST(ValidatorUnreachable, SelectWithAReferenceAfterUnreachable) {
  // The unknown operand would match, but the known one is a reference.
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(kUnreachable, RefNull(kFuncRef), I32Const(1), kSelect,
                                             kDrop, kEnd))),
                  "select without a type needs numeric or vector operands");
}

// --- Blocks -------------------------------------------------------------------------------

TEST(ValidatorBlocks, MultiValueBlockTypesByIndex) {
  ModuleBuilder b;
  uint32_t f = b.AddType({}, {});
  uint32_t two_to_one = b.AddType({kI32, kI32}, {kI64});
  uint32_t one_to_one = b.AddType({kI32}, {kI32});
  uint32_t none_to_two = b.AddType({}, {kI32, kF64});
  uint32_t add_or_sub = b.AddType({kI32, kI32}, {kI32});
  // block with params and a different result.
  b.AddFunction(f, Cat(I32Const(1), I32Const(2), Block(TypeIndex(two_to_one)), kI32Add,
                       kI64ExtendI32S, kEnd, kDrop, kEnd));
  // loop whose label takes its params: br_if 0 passes an i32 back to the top.
  b.AddFunction(f, Cat(I32Const(10), Loop(TypeIndex(one_to_one)), LocalTee(0), LocalGet(0), BrIf(0),
                       kEnd, kDrop, kEnd),
                {{1, kI32}});
  // if/else with params.
  b.AddFunction(f, Cat(I32Const(1), I32Const(2), I32Const(0), If(TypeIndex(add_or_sub)), kI32Add,
                       kElse, kI32Sub, kEnd, kDrop, kEnd));
  // block with two results, and br out of it with both.
  b.AddFunction(f, Cat(Block(TypeIndex(none_to_two)), I32Const(1), F64Const(2), Br(0), kEnd, kDrop,
                       kDrop, kEnd));
  // a function returning two values from nested blocks.
  b.AddFunction(none_to_two, Cat(Block(TypeIndex(none_to_two)), I32Const(1), F64Const(2), kEnd,
                                 kEnd));
  EXPECT_TRUE(DecodeOk(b.Build()));
}

TEST(ValidatorBlocks, MultiValueMismatches) {
  ModuleBuilder b;
  uint32_t f = b.AddType({}, {});
  uint32_t two_to_one = b.AddType({kI32, kI32}, {kI64});
  // One operand short for the block's params.
  b.AddFunction(f, Cat(I32Const(1), Block(TypeIndex(two_to_one)), kDrop, kDrop, I64Const(0), kEnd,
                       kDrop, kEnd));
  EXPECT_CONTAINS(DecodeError(b.Build()), "type mismatch: expected i32 on the stack, but it is empty");

  // A br to a loop carries its params, not its results.
  ModuleBuilder c;
  uint32_t g = c.AddType({}, {});
  uint32_t i32_to_i64 = c.AddType({kI32}, {kI64});
  c.AddFunction(g, Cat(I32Const(1), Loop(TypeIndex(i32_to_i64)), kDrop, I64Const(0), Br(0), kEnd,
                       kDrop, kEnd));
  EXPECT_CONTAINS(DecodeError(c.Build()), "type mismatch: expected i32, got i64");

  // The params of a block are not visible outside it: its body starts with
  // exactly them.
  ModuleBuilder d;
  uint32_t h = d.AddType({}, {});
  uint32_t one = d.AddType({kI32}, {kI32});
  d.AddFunction(h, Cat(F32Const(0), I32Const(1), Block(TypeIndex(one)), kDrop, kDrop, I32Const(0),
                       kEnd, kDrop, kEnd));
  EXPECT_CONTAINS(DecodeError(d.Build()), "expected a value on the stack, but it is empty");
}

TEST(ValidatorBlocks, BlockTypeIndicesOf64AndAbove) {
  // A block type index is a signed LEB128 (s33). Indices 64..127 need two
  // bytes whose first has bit 6 set (64 is 0xc0 0x00), like the one-byte
  // negative encodings of value types.
  ModuleBuilder b;
  for (int i = 0; i < 200; ++i) b.AddType(Bytes(i % 3, kI32), {});  // type i: (i32 x (i%3)) -> ()
  uint32_t f = 0;                                                    // type 0: () -> ()
  b.AddFunction(f, Cat(Block(TypeIndex(63)), kEnd, kEnd));
  b.AddFunction(f, Cat(I32Const(1), I32Const(2), Block(TypeIndex(128)), kDrop, kDrop, kEnd, kEnd));
  b.AddFunction(f, Cat(Block(TypeIndex(129)), kUnreachable, kEnd, kEnd));
  EXPECT_TRUE(DecodeOk(b.Build())) << "indices whose first byte has bit 6 clear";

  // Regression (fixed): the block type reader treats any first byte with bit 6 set as a
  // one-byte value type, so every index in 64..127, 192..255, ... (first
  // byte 0xc0..0xff) is rejected with "malformed value type in block type".
  ModuleBuilder c;
  for (int i = 0; i < 200; ++i) c.AddType({}, {});
  c.AddFunction(0, Cat(Block(TypeIndex(64)), kEnd, kEnd));
  c.AddFunction(0, Cat(Loop(TypeIndex(100)), kEnd, kEnd));
  c.AddFunction(0, Cat(I32Const(1), If(TypeIndex(127)), kEnd, kEnd));
  c.AddFunction(0, Cat(Block(TypeIndex(192)), kEnd, kEnd));
  ASSERT_EQ(TypeIndex(64), (Bytes{0xc0, 0x00}));
  EXPECT_TRUE(DecodeOk(c.Build()));
}

TEST(ValidatorBlocks, MalformedBlockTypes) {
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(Block(0x7a), kEnd, kEnd))),
                  "malformed value type in block type");
  // Negative indices other than the one-byte value types.
  EXPECT_FALSE(DecodeModule(Func({}, {}, Cat(kBlockOp, 0xff, 0x7f, kEnd, kEnd))).ok());
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(kBlockOp, 0xbf, 0x7f, kEnd, kEnd))),  // -65
                  "malformed block type");
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(kBlockOp, 0x80, 0x80, 0x80, 0x80, 0x10, kEnd, kEnd))),
                  "integer too large");
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(Block(TypeIndex(1)), kEnd, kEnd))), "unknown type 1");
}

TEST(ValidatorBlocks, IfWithoutElse) {
  ModuleBuilder b;
  uint32_t f = b.AddType({}, {});
  uint32_t same = b.AddType({kI32}, {kI32});
  // Params equal to results: the missing else passes them through.
  b.AddFunction(f, Cat(I32Const(1), I32Const(0), If(TypeIndex(same)), I32Const(2), kI32Add, kEnd,
                       kDrop, kEnd));
  b.AddFunction(f, Cat(I32Const(0), If(kVoid), kEnd, kEnd));
  EXPECT_TRUE(DecodeOk(b.Build()));

  Bytes wasm = Func({}, {}, Cat(I32Const(0), If(kI32), I32Const(1), kEnd, kDrop, kEnd));
  EXPECT_EQ(FuncError(wasm), At(wasm, 3) +
                                 "type mismatch: if without else must have matching parameter and "
                                 "result types");

  ModuleBuilder c;
  uint32_t g = c.AddType({}, {});
  uint32_t d = c.AddType({kI32}, {kI64});
  c.AddFunction(g, Cat(I32Const(1), I32Const(0), If(TypeIndex(d)), kDrop, I64Const(1), kEnd, kDrop,
                       kEnd));
  EXPECT_CONTAINS(DecodeError(c.Build()),
                  "if without else must have matching parameter and result types");
  // With an else, different params and results are fine.
  ModuleBuilder e;
  uint32_t h = e.AddType({}, {});
  uint32_t k = e.AddType({kI32}, {kI64});
  e.AddFunction(h, Cat(I32Const(1), I32Const(0), If(TypeIndex(k)), kDrop, I64Const(1), kElse, kDrop,
                       I64Const(2), kEnd, kDrop, kEnd));
  EXPECT_TRUE(DecodeOk(e.Build()));
}

TEST(ValidatorBlocks, ElseRules) {
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(Block(kVoid), kElse, kEnd, kEnd))),
                  "else without a matching if");
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I32Const(0), If(kVoid), kElse, kElse, kEnd, kEnd))),
                  "else without a matching if");
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(kElse, kEnd))), "else without a matching if");
  // Each branch must produce the results.
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I32Const(0), If(kI32), I32Const(1), kElse, kEnd, kDrop,
                                             kEnd))),
                  "expected i32 on the stack, but it is empty");
  // The condition is an i32.
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I64Const(0), If(kVoid), kEnd, kEnd))),
                  "expected i32, got i64");
}

TEST(ValidatorBlocks, BranchToTheFunctionLabel) {
  EXPECT_TRUE(DecodeOk(Func({}, {kI32}, Cat(I32Const(1), Br(0), kEnd))));
  EXPECT_TRUE(DecodeOk(Func({}, {kI32}, Cat(Block(kVoid), I32Const(1), Br(1), kEnd, I32Const(2), kEnd))));
  EXPECT_CONTAINS(FuncError(Func({}, {kI32}, Cat(Block(kVoid), F32Const(1), Br(1), kEnd, I32Const(2),
                                                 kEnd))),
                  "expected i32, got f32");
}

TEST(ValidatorBlocks, BrTableArity) {
  // block (result i32)      ;; label 1
  //   block                 ;; label 0: no results
  //     i32.const 7
  //     i32.const 0
  //     br_table 0 1        ;; arities 0 and 1
  //   end
  //   i32.const 1
  // end
  Bytes code = Cat(Block(kI32), Block(kVoid), I32Const(7), I32Const(0), BrTable({0}, 1), kEnd,
                   I32Const(1), kEnd, kDrop, kEnd);
  Bytes wasm = Func({}, {}, code);
  // br_table is 4 bytes, followed by end, i32.const 1, end, drop, end.
  EXPECT_EQ(FuncError(wasm), At(wasm, 4 + 1 + 2 + 1 + 1 + 1) +
                                 "type mismatch: br_table targets have different arities");
  // Even in unreachable code.
  Bytes dead = Cat(Block(kI32), Block(kVoid), kUnreachable, BrTable({0}, 1), kEnd, I32Const(1), kEnd,
                   kDrop, kEnd);
  EXPECT_CONTAINS(FuncError(Func({}, {}, dead)), "br_table targets have different arities");
  // The same arity and types, with many targets, is fine.
  Bytes many = Cat(Block(kVoid), Block(kVoid), I32Const(3), BrTable({0, 1, 0, 1, 1, 0}, 0), kEnd,
                   kEnd, kEnd);
  EXPECT_TRUE(DecodeOk(Func({}, {}, many)));
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I32Const(0), BrTable({0, 5}, 0), kEnd))),
                  "unknown label 5");
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I32Const(0), BrTable({0}, 2), kEnd))), "unknown label 2");
  // The index operand must be an i32.
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I64Const(0), BrTable({}, 0), kEnd))),
                  "expected i32, got i64");
}

// --- select -------------------------------------------------------------------------------

TEST(ValidatorSelect, UntypedSelect) {
  EXPECT_TRUE(DecodeOk(Func({}, {kI32}, Cat(I32Const(1), I32Const(2), I32Const(0), kSelect, kEnd))));
  EXPECT_TRUE(DecodeOk(Func({}, {kV128}, Cat(V128Zero(), V128Zero(), I32Const(0), kSelect, kEnd))));
  Bytes wasm = Func({}, {}, Cat(I64Const(1), I32Const(2), I32Const(0), kSelect, kDrop, kEnd));
  EXPECT_EQ(FuncError(wasm), At(wasm, 3) + "type mismatch: select operands are i32 and i64");
  // References need the typed form.
  wasm = Func({}, {}, Cat(RefNull(kFuncRef), RefNull(kFuncRef), I32Const(0), kSelect, kDrop, kEnd));
  EXPECT_EQ(FuncError(wasm),
            At(wasm, 3) + "type mismatch: select without a type needs numeric or vector operands");
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(RefNull(kExternRef), RefNull(kExternRef), I32Const(0),
                                             kSelect, kDrop, kEnd))),
                  "select without a type needs numeric or vector operands");
  // The condition is an i32.
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I32Const(1), I32Const(2), I64Const(0), kSelect, kDrop,
                                             kEnd))),
                  "expected i32, got i64");
}

TEST(ValidatorSelect, TypedSelect) {
  EXPECT_TRUE(DecodeOk(Func({}, {kFuncRef}, Cat(RefNull(kFuncRef), RefNull(kFuncRef), I32Const(0),
                                                SelectT(kFuncRef), kEnd))));
  EXPECT_TRUE(DecodeOk(Func({}, {kF64}, Cat(F64Const(1), F64Const(2), I32Const(0), SelectT(kF64),
                                            kEnd))));
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I32Const(1), I32Const(2), I32Const(0), SelectT(kI64),
                                             kDrop, kEnd))),
                  "type mismatch: expected i64, got i32");
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(RefNull(kFuncRef), RefNull(kExternRef), I32Const(0),
                                             SelectT(kExternRef), kDrop, kEnd))),
                  "expected externref, got funcref");
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I32Const(1), I32Const(2), I32Const(0), kSelectTOp, 0x02,
                                             kI32, kI32, kDrop, kEnd))),
                  "invalid result arity for typed select");
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I32Const(1), I32Const(2), I32Const(0), kSelectTOp, 0x00,
                                             kDrop, kEnd))),
                  "invalid result arity for typed select");
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I32Const(1), I32Const(2), I32Const(0), SelectT(0x40),
                                             kDrop, kEnd))),
                  "malformed value type");
}

// --- Locals and globals ------------------------------------------------------------------

TEST(ValidatorVariables, Locals) {
  // Parameters come first in the local index space.
  EXPECT_TRUE(DecodeOk(Func({kF32, kI64}, {kI64}, Cat(LocalGet(1), kEnd))));
  EXPECT_TRUE(DecodeOk(Func({kF32}, {kF64}, Cat(LocalGet(3), kEnd), {{2, kI32}, {1, kF64}})));
  EXPECT_CONTAINS(FuncError(Func({kF32}, {kF64}, Cat(LocalGet(2), kEnd), {{2, kI32}, {1, kF64}})),
                  "type mismatch: expected f64, got i32");
  Bytes wasm = Func({}, {}, Cat(I32Const(0), LocalSet(0), kEnd), {{1, kI64}});
  EXPECT_EQ(FuncError(wasm), At(wasm, 3) + "type mismatch: expected i64, got i32");
  EXPECT_CONTAINS(FuncError(Func({}, {kI32}, Cat(F32Const(0), LocalTee(0), kEnd), {{1, kF32}})),
                  "expected i32, got f32");
  EXPECT_TRUE(DecodeOk(Func({}, {kF32}, Cat(F32Const(0), LocalTee(0), kEnd), {{1, kF32}})));
  EXPECT_CONTAINS(FuncError(Func({kI32}, {}, Cat(LocalGet(1), kDrop, kEnd))), "unknown local 1");
  // The last of 50000 locals is addressable; one past it is not.
  EXPECT_TRUE(DecodeOk(Func({}, {kF64}, Cat(LocalGet(49999), kEnd), {{49999, kI32}, {1, kF64}})));
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(LocalGet(50000), kDrop, kEnd), {{50000, kI32}})),
                  "unknown local 50000");
}

TEST(ValidatorVariables, Globals) {
  ModuleBuilder b;
  b.ImportGlobal("env", "imm", kI32, false);
  b.ImportGlobal("env", "mut", kI64, true);
  b.AddGlobal(kF32, false, Expr(F32Const(1)));
  b.AddGlobal(kF64, true, Expr(F64Const(1)));
  uint32_t f = b.AddType({}, {});
  b.AddFunction(f, Cat(I64Const(1), GlobalSet(1), F64Const(2), GlobalSet(3), GlobalGet(0), kDrop,
                       GlobalGet(2), kDrop, kEnd));
  EXPECT_TRUE(DecodeOk(b.Build()));

  for (uint32_t immutable : {0u, 2u}) {
    ModuleBuilder c;
    c.ImportGlobal("env", "imm", kI32, false);
    c.ImportGlobal("env", "mut", kI64, true);
    c.AddGlobal(kI32, false, Expr(I32Const(1)));
    c.AddFunction(c.AddType({}, {}), Cat(I32Const(1), GlobalSet(immutable), kEnd));
    Bytes wasm = c.Build();
    EXPECT_EQ(DecodeError(wasm), At(wasm, 3) + "global is immutable");
  }

  ModuleBuilder d;
  d.AddGlobal(kI64, true, Expr(I64Const(0)));
  d.AddFunction(d.AddType({}, {}), Cat(I32Const(1), GlobalSet(0), kEnd));
  EXPECT_CONTAINS(DecodeError(d.Build()), "type mismatch: expected i64, got i32");
}

// --- ref.func -------------------------------------------------------------------------------

TEST(ValidatorRefFunc, UndeclaredReference) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  b.AddFunction(t, Cat(RefFunc(1), kDrop, kEnd));
  b.AddFunction(t, Cat(kEnd));
  Bytes wasm = b.Build();
  std::string error = DecodeError(wasm);
  EXPECT_CONTAINS(error, "in the code section, in function #0: at offset");
  EXPECT_CONTAINS(error, "undeclared function reference 1");
}

// A module whose function 0 takes ref.func 1, with function 1 declared (or
// not) by `declare`.
template <typename Declare>
Bytes RefFuncModule(Declare declare) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  b.ImportFunction("env", "imported", t);  // function 0
  b.AddFunction(t, Cat(RefFunc(2), kDrop, RefFunc(0), kDrop, kEnd));  // function 1
  b.AddFunction(t, Cat(kEnd));                                        // function 2
  b.AddTable(kFuncRef, 4);
  declare(b);
  return b.Build();
}

TEST(ValidatorRefFunc, DeclaredReferences) {
  // By an export of each function referenced.
  EXPECT_TRUE(DecodeOk(RefFuncModule([](ModuleBuilder& b) {
    b.AddExport("a", kExternFunc, 2);
    b.AddExport("b", kExternFunc, 0);
  })));
  // By a declarative segment.
  EXPECT_TRUE(DecodeOk(RefFuncModule([](ModuleBuilder& b) { b.AddDeclarativeElem({0, 2}); })));
  // By an active segment.
  EXPECT_TRUE(DecodeOk(RefFuncModule([](ModuleBuilder& b) { b.AddActiveElem(0, {2, 0}); })));
  // By ref.func expressions in a passive segment.
  EXPECT_TRUE(DecodeOk(RefFuncModule([](ModuleBuilder& b) {
    b.AddElem(Cat(0x05, kFuncRef, Vec({Expr(RefFunc(2)), Expr(RefFunc(0))})));
  })));
  // By global initialisers.
  EXPECT_TRUE(DecodeOk(RefFuncModule([](ModuleBuilder& b) {
    b.AddGlobal(kFuncRef, false, Expr(RefFunc(2)));
    b.AddGlobal(kFuncRef, true, Expr(RefFunc(0)));
  })));
  // Declaring one function does not declare the other.
  EXPECT_CONTAINS(DecodeError(RefFuncModule([](ModuleBuilder& b) { b.AddDeclarativeElem({2}); })),
                  "undeclared function reference 0");
  // Neither does the start section, nor a ref.func in code.
  EXPECT_CONTAINS(DecodeError(RefFuncModule([](ModuleBuilder& b) {
                    b.AddDeclarativeElem({0});
                    b.SetStart(2);
                  })),
                  "undeclared function reference 2");
}

// --- Memory access --------------------------------------------------------------------------

TEST(ValidatorMemory, AlignmentAtMostNatural) {
  auto load = [](const Bytes& op, uint32_t align) {
    return Func({}, {}, Cat(I32Const(0), Mem(op, align, 0), kDrop, kEnd));
  };
  struct Case {
    Bytes op;
    uint32_t natural;  // log2 of the access size
  };
  for (const Case& c : std::vector<Case>{{{kI32Load8U}, 0},
                                         {{kI32Load16U}, 1},
                                         {{kI32Load}, 2},
                                         {{kF32Load}, 2},
                                         {{kI64Load32U}, 2},
                                         {{kI64Load}, 3},
                                         {{kF64Load}, 3},
                                         {Simd(0), 4},      // v128.load
                                         {Simd(7), 0},      // v128.load8_splat
                                         {Simd(1), 3},      // v128.load8x8_s
                                         {Simd(0x5c), 2}}) {  // v128.load32_zero
    SCOPED_TRACE(testing::Message() << "opcode " << Hex(c.op.back()));
    for (uint32_t align = 0; align <= c.natural; ++align) {
      EXPECT_TRUE(DecodeOk(load(c.op, align))) << "align " << align;
    }
    Bytes wasm = load(c.op, c.natural + 1);
    // The load is followed by drop and end.
    EXPECT_EQ(FuncError(wasm), At(wasm, 2 + c.op.size() + 2) +
                                   "alignment must not be larger than natural");
  }
  // Stores too, and huge exponents.
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I32Const(0), I32Const(0), Mem(kI32Store8, 1, 0), kEnd))),
                  "alignment must not be larger than natural");
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I32Const(0), I32Const(0), Mem(kI32Store, 31, 0), kEnd))),
                  "alignment must not be larger than natural");
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I32Const(0), I32Const(0), Mem(kI32Store, 32, 0), kEnd))),
                  "alignment must not be larger than natural");
  EXPECT_CONTAINS(FuncError(Func({}, {}, Cat(I32Const(0), I32Const(0), kI32Store,
                                             Leb(0xffffffff), Leb(0), kEnd)),
                            Features::Wasm2()),
                  "alignment must not be larger than natural");
}

TEST(ValidatorMemory, OffsetsAreU32) {
  EXPECT_TRUE(DecodeOk(Func({}, {kI32}, Cat(I32Const(0), Mem(kI32Load, 2, 0xffffffff), kEnd))));
  EXPECT_CONTAINS(FuncError(Func({}, {kI32}, Cat(I32Const(0), kI32Load, Leb(2),
                                                 Bytes{0x80, 0x80, 0x80, 0x80, 0x10}, kEnd))),
                  "integer too large");
}

TEST(ValidatorMemory, AtomicsNeedExactlyNaturalAlignment) {
  struct Case {
    uint32_t sub;
    uint32_t natural;
    const char* name;
    Bytes operands;
  };
  for (const Case& c : std::vector<Case>{
           {0x10, 2, "i32.atomic.load", I32Const(0)},
           {0x11, 3, "i64.atomic.load", I32Const(0)},
           {0x12, 0, "i32.atomic.load8_u", I32Const(0)},
           {0x1e, 2, "i32.atomic.rmw.add", Cat(I32Const(0), I32Const(1))},
           {0x1f, 3, "i64.atomic.rmw.add", Cat(I32Const(0), I64Const(1))},
           {0x49, 3, "i64.atomic.rmw.cmpxchg", Cat(I32Const(0), I64Const(1), I64Const(2))},
           {0x00, 2, "memory.atomic.notify", Cat(I32Const(0), I32Const(1))},
           {0x02, 3, "memory.atomic.wait64", Cat(I32Const(0), I64Const(1), I64Const(2))},
       }) {
    SCOPED_TRACE(c.name);
    auto module = [&](uint32_t align) {
      ModuleBuilder b;
      b.AddMemory(1, 1, /*shared=*/true);
      b.AddFunction(b.AddType({}, {}), Cat(c.operands, Mem(Atomic(c.sub), align, 8), kDrop, kEnd));
      return b.Build();
    };
    EXPECT_TRUE(DecodeOk(module(c.natural)));
    if (c.natural > 0) {
      EXPECT_CONTAINS(DecodeError(module(c.natural - 1)),
                      std::string("alignment must be exactly natural for atomic ") + c.name);
    }
    EXPECT_CONTAINS(DecodeError(module(c.natural + 1)), "alignment must not be larger than natural");
  }
  // Stores leave nothing; fence has a reserved zero byte.
  ModuleBuilder s;
  s.AddMemory(1, 1, true);
  s.AddFunction(s.AddType({}, {}), Cat(I32Const(0), I64Const(0), Mem(Atomic(0x18), 3, 0),
                                       Atomic(0x03), 0x00, kEnd));
  EXPECT_TRUE(DecodeOk(s.Build()));
  ModuleBuilder f;
  f.AddFunction(f.AddType({}, {}), Cat(Atomic(0x03), 0x01, kEnd));
  EXPECT_CONTAINS(DecodeError(f.Build()), "zero byte expected");
}

TEST(ValidatorMemory, MemoryInstructionsWithoutMemory) {
  ModuleBuilder b;
  b.AddFunction(b.AddType({}, {}), Cat(I32Const(0), I32Const(0), I32Const(0), MemoryFill(), kEnd));
  EXPECT_CONTAINS(DecodeError(b.Build()), "unknown memory 0");
  ModuleBuilder c;
  c.AddFunction(c.AddType({}, {}), Cat(I32Const(0), I32Const(0), I32Const(0), MemoryCopy(), kEnd));
  EXPECT_CONTAINS(DecodeError(c.Build()), "unknown memory 0");
  // memory.size/grow with a non-zero reserved byte in Wasm 2.0.
  EXPECT_CONTAINS(FuncError(Func({}, {kI32}, Cat(kMemorySizeOp, 0x01, kEnd)), Features::Wasm2()),
                  "zero byte expected");
  EXPECT_CONTAINS(FuncError(Func({}, {kI32}, Cat(I32Const(1), kMemoryGrowOp, 0x01, kEnd)),
                            Features::Wasm2()),
                  "zero byte expected");
}

// --- SIMD lanes ---------------------------------------------------------------------------------

TEST(ValidatorSimd, LaneIndexBounds) {
  struct Case {
    uint32_t sub;
    const char* name;
    int lanes;
    Bytes before;  // operands
    Bytes after;   // to consume the result
  };
  Bytes v = V128Zero();
  for (const Case& c : std::vector<Case>{
           {0x15, "i8x16.extract_lane_s", 16, v, {kDrop}},
           {0x16, "i8x16.extract_lane_u", 16, v, {kDrop}},
           {0x17, "i8x16.replace_lane", 16, Cat(v, I32Const(1)), {kDrop}},
           {0x18, "i16x8.extract_lane_s", 8, v, {kDrop}},
           {0x1a, "i16x8.replace_lane", 8, Cat(v, I32Const(1)), {kDrop}},
           {0x1b, "i32x4.extract_lane", 4, v, {kDrop}},
           {0x1c, "i32x4.replace_lane", 4, Cat(v, I32Const(1)), {kDrop}},
           {0x1d, "i64x2.extract_lane", 2, v, {kDrop}},
           {0x1e, "i64x2.replace_lane", 2, Cat(v, I64Const(1)), {kDrop}},
       }) {
    SCOPED_TRACE(c.name);
    auto with_lane = [&](int lane) {
      return Func({}, {}, Cat(c.before, Simd(c.sub), lane, c.after, kEnd));
    };
    EXPECT_TRUE(DecodeOk(with_lane(0)));
    EXPECT_TRUE(DecodeOk(with_lane(c.lanes - 1)));
    Bytes wasm = with_lane(c.lanes);
    EXPECT_EQ(FuncError(wasm), At(wasm, 2 + 1 + c.after.size() + 1) + "invalid lane index");
    EXPECT_CONTAINS(FuncError(with_lane(255)), "invalid lane index");
  }
}

TEST(ValidatorSimd, LoadStoreLaneBounds) {
  struct Case {
    uint32_t sub;
    const char* name;
    uint32_t natural;
    int lanes;
    bool store;
  };
  for (const Case& c : std::vector<Case>{
           {0x54, "v128.load8_lane", 0, 16, false},
           {0x55, "v128.load16_lane", 1, 8, false},
           {0x56, "v128.load32_lane", 2, 4, false},
           {0x57, "v128.load64_lane", 3, 2, false},
           {0x58, "v128.store8_lane", 0, 16, true},
           {0x5b, "v128.store64_lane", 3, 2, true},
       }) {
    SCOPED_TRACE(c.name);
    auto with_lane = [&](int lane, uint32_t align) {
      return Func({}, {}, Cat(I32Const(0), V128Zero(), Simd(c.sub), MemArg(align, 0), lane,
                              c.store ? Bytes{} : Bytes{kDrop}, kEnd));
    };
    EXPECT_TRUE(DecodeOk(with_lane(c.lanes - 1, c.natural)));
    EXPECT_CONTAINS(FuncError(with_lane(c.lanes, c.natural)), "invalid lane index");
    EXPECT_CONTAINS(FuncError(with_lane(0, c.natural + 1)), "alignment must not be larger than natural");
  }
}

TEST(ValidatorSimd, ShuffleLanes) {
  auto shuffle = [](uint8_t lane) {
    Bytes lanes(16, 0);
    lanes[15] = lane;
    return Func({}, {kV128}, Cat(V128Zero(), V128Zero(), Simd(0x0d), lanes, kEnd));
  };
  EXPECT_TRUE(DecodeOk(shuffle(31)));
  EXPECT_CONTAINS(FuncError(shuffle(32)), "invalid lane index");
  EXPECT_CONTAINS(FuncError(shuffle(0xff)), "invalid lane index");
}

// --- Constant expressions ----------------------------------------------------------------------

Bytes GlobalWith(const Bytes& init, uint8_t type = kI32) {
  ModuleBuilder b;
  b.AddGlobal(type, false, init);
  return b.Build();
}

TEST(ValidatorConstExpr, OnlyConstantInstructions) {
  // The global section payload: count 10, type 11, mutability 12, init 13...
  EXPECT_EQ(DecodeError(GlobalWith(Expr(Cat(kNop, I32Const(0))))),
            "in the global section, in initialiser of global 0: at offset 0xd: constant expression "
            "required, got nop");
  EXPECT_CONTAINS(DecodeError(GlobalWith(Expr(LocalGet(0)))),
                  "constant expression required, got local.get");
  EXPECT_CONTAINS(DecodeError(GlobalWith(Expr(Cat(I32Const(0), I32Const(1), kI32DivS)))),
                  "constant expression required, got i32.div_s");
  EXPECT_CONTAINS(DecodeError(GlobalWith(Expr(Cat(I32Const(0), Block(kVoid), kEnd)))),
                  "constant expression required, got block");
  EXPECT_CONTAINS(DecodeError(GlobalWith(Expr(Cat(kUnreachable)))),
                  "constant expression required, got unreachable");
  EXPECT_CONTAINS(DecodeError(GlobalWith(Expr(Cat(I64Const(0), kI32WrapI64)))),
                  "constant expression required, got i32.wrap_i64");
  // One value of the global's type, no more, no less.
  EXPECT_CONTAINS(DecodeError(GlobalWith(Expr({}))),
                  "type mismatch: expected i32 on the stack, but it is empty");
  EXPECT_CONTAINS(DecodeError(GlobalWith(Expr(Cat(I32Const(0), I32Const(1))))),
                  "type mismatch: 1 values left on the stack");
  EXPECT_CONTAINS(DecodeError(GlobalWith(Expr(F64Const(0)), kF32)), "expected f32, got f64");
  // Every constant instruction, each in a global of its type.
  ModuleBuilder b;
  b.AddFunction(b.AddType({}, {}), Cat(kEnd));
  b.AddGlobal(kI32, false, Expr(I32Const(-1)));
  b.AddGlobal(kI64, false, Expr(I64Const(-1)));
  b.AddGlobal(kF32, false, Expr(F32Const(1.5f)));
  b.AddGlobal(kF64, false, Expr(F64Const(2.5)));
  b.AddGlobal(kV128, false, Expr(V128Zero()));
  b.AddGlobal(kFuncRef, false, Expr(RefNull(kFuncRef)));
  b.AddGlobal(kExternRef, false, Expr(RefNull(kExternRef)));
  b.AddGlobal(kFuncRef, false, Expr(RefFunc(0)));
  EXPECT_TRUE(DecodeOk(b.Build()));
}

TEST(ValidatorConstExpr, NoEnd) {
  Bytes wasm = RawModule(Section(kGlobalId, Cat(Leb(1), kI32, 0x00, I32Const(0))));
  EXPECT_EQ(DecodeError(wasm), "in the global section, in initialiser of global 0: at offset " +
                                   Hex(wasm.size()) +
                                   ": unexpected end of constant expression: END opcode expected");
}

TEST(ValidatorConstExpr, GlobalGetRules) {
  // An imported immutable global may be read.
  ModuleBuilder ok;
  ok.ImportGlobal("env", "base", kI32, false);
  ok.AddGlobal(kI32, false, Expr(GlobalGet(0)));
  ok.AddMemory(1);
  ok.AddActiveData(0, Str("x"));
  ok.AddData(Cat(0x00, Expr(GlobalGet(0)), Leb(1), 'y'));
  EXPECT_TRUE(DecodeOk(ok.Build()));

  // A defined global may not, even an earlier one.
  ModuleBuilder defined;
  defined.AddGlobal(kI32, false, Expr(I32Const(1)));
  defined.AddGlobal(kI32, false, Expr(GlobalGet(0)));
  EXPECT_CONTAINS(DecodeError(defined.Build()),
                  "in the global section, in initialiser of global 1: at offset");
  EXPECT_CONTAINS(DecodeError(defined.Build()),
                  "unknown global 0: constant expressions may only read imported globals");

  // Nor a global that does not exist yet.
  ModuleBuilder later;
  later.AddGlobal(kI32, false, Expr(GlobalGet(1)));
  later.AddGlobal(kI32, false, Expr(I32Const(1)));
  EXPECT_CONTAINS(DecodeError(later.Build()), "unknown global 1");

  // Nor a mutable import.
  ModuleBuilder mut;
  mut.ImportGlobal("env", "counter", kI32, true);
  mut.AddGlobal(kI32, false, Expr(GlobalGet(0)));
  EXPECT_CONTAINS(DecodeError(mut.Build()), "constant expression required: global is mutable");

  // In segment offsets, defined globals are not visible either.
  ModuleBuilder data;
  data.AddGlobal(kI32, false, Expr(I32Const(1)));
  data.AddMemory(1);
  data.AddData(Cat(0x00, Expr(GlobalGet(0)), Leb(1), 'y'));
  EXPECT_CONTAINS(DecodeError(data.Build()),
                  "in the data section, in offset of data segment 0: at offset");
  EXPECT_CONTAINS(DecodeError(data.Build()), "constant expressions may only read imported globals");

  // And the type must match.
  ModuleBuilder type;
  type.ImportGlobal("env", "base", kI64, false);
  type.AddGlobal(kI32, false, Expr(GlobalGet(0)));
  EXPECT_CONTAINS(DecodeError(type.Build()), "expected i32, got i64");
}

TEST(ValidatorConstExpr, ExtendedConstArithmetic) {
  Bytes i32_sum = GlobalWith(Expr(Cat(I32Const(1), I32Const(2), kI32Add, I32Const(3), kI32Mul,
                                           I32Const(4), kI32Sub)));
  Bytes i64_sum = GlobalWith(Expr(Cat(I64Const(1), I64Const(2), kI64Mul, I64Const(3), kI64Sub,
                                           I64Const(4), kI64Add)),
                             kI64);
  EXPECT_TRUE(DecodeOk(i32_sum, Features::All()));
  EXPECT_TRUE(DecodeOk(i64_sum, Features::All()));
  EXPECT_CONTAINS(DecodeError(i32_sum, Features::Wasm2()), "constant expression required, got i32.add");
  EXPECT_CONTAINS(DecodeError(i64_sum, Features::Wasm2()), "constant expression required, got i64.mul");
  // Typed as usual.
  EXPECT_CONTAINS(DecodeError(GlobalWith(Expr(Cat(I32Const(1), I64Const(2), kI32Add)))),
                  "type mismatch: expected i32, got i64");
  // Data and element offsets follow the same rule.
  ModuleBuilder data;
  data.AddMemory(1);
  data.ImportGlobal("env", "base", kI32);
  data.AddData(Cat(0x00, Expr(Cat(GlobalGet(0), I32Const(16), kI32Add)), Leb(1), 'x'));
  EXPECT_TRUE(DecodeOk(data.Build(), Features::All()));
  EXPECT_CONTAINS(DecodeError(data.Build(), Features::Wasm2()), "got i32.add");
}

// --- Consumers ------------------------------------------------------------------------------------

// What a consumer saw of one instruction.
struct Seen {
  Opcode opcode;
  uint32_t offset;
  uint32_t index;
  uint64_t bits;
  uint64_t mem_offset;
  uint32_t align_log2;
  uint32_t memory;
  uint8_t lane;
  std::vector<uint32_t> targets;
  std::vector<ValType> block_results;
  std::vector<ValType> operands;  // the operand stack before the instruction
  size_t control_depth;
};

struct Recorder {
  std::vector<Seen> seen;
  template <typename V>
  void OnInstruction(const Instruction& ins, const V& v) {
    Seen s;
    s.opcode = ins.opcode;
    s.offset = ins.offset;
    s.index = ins.index;
    s.bits = ins.bits;
    s.mem_offset = ins.mem_offset;
    s.align_log2 = ins.align_log2;
    s.memory = ins.memory;
    s.lane = ins.lane;
    s.targets.assign(ins.br_targets.begin(), ins.br_targets.end());
    s.block_results.assign(ins.block.results.begin(), ins.block.results.end());
    s.operands.assign(v.operands().begin(), v.operands().end());
    s.control_depth = v.control_depth();
    seen.push_back(std::move(s));
  }
};

// Validates function `func_index` of `m` again with a Recorder.
Status Record(const Module& m, uint32_t func_index, Recorder& recorder,
              const Features& features = Features::All()) {
  std::vector<bool> declared_refs(m.functions.size(), true);
  ValidationContext ctx{m, features, declared_refs};
  FunctionValidator<Recorder> validator(ctx, recorder);
  return validator.ValidateFunction(func_index);
}

TEST(ValidatorConsumer, SeesEveryInstructionInOrderWithImmediates) {
  ModuleBuilder b;
  uint32_t t = b.AddType({kI32}, {kI32});
  b.AddMemory(1);
  b.AddMemory(1);
  Bytes code = Cat(Block(kI32),                         //  0: block (result i32)
                   I32Const(-5),                        //  1: i32.const -5
                   LocalGet(0),                         //  2: local.get 0
                   BrIf(0),                             //  3: br_if 0
                   kDrop,                               //  4: drop
                   I32Const(100000),                    //  5: i32.const 100000
                   Mem(kI32Load, 1, 16),                //  6: i32.load offset=16 align=2
                   I32Const(3),                         //  7: i32.const 3
                   kI32Load16U, MemArgIdx(1, 1, 300),   //  8: i32.load16_u 1 offset=300 align=2
                   kI32Add,                             //  9: i32.add
                   LocalGet(0),                         // 10: local.get 0
                   BrTable({0, 0}, 0),                  // 11: br_table 0 0 0
                   kEnd,                                // 12: end (block)
                   I64Const(-1), kDrop,                 // 13, 14
                   F64Const(0.5), kDrop,                // 15, 16
                   kEnd);                               // 17: end (function)
  b.AddFunction(t, code, {{1, kI64}});
  Bytes wasm = b.Build();
  auto m = DecodeOk(wasm);
  ASSERT_TRUE(m);

  Recorder r;
  Status status = Record(*m, 0, r);
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_EQ(r.seen.size(), 18u);

  const std::vector<Opcode> expected_opcodes = {
      op::kBlock,    op::kI32Const, op::kLocalGet,  op::kBrIf,    op::kDrop,     op::kI32Const,
      op::kI32Load,  op::kI32Const, op::kI32Load16U, op::kI32Add, op::kLocalGet, op::kBrTable,
      op::kEnd,      op::kI64Const, op::kDrop,      op::kF64Const, op::kDrop,    op::kEnd};
  for (size_t i = 0; i < expected_opcodes.size(); ++i) {
    EXPECT_EQ(r.seen[i].opcode, expected_opcodes[i]) << "instruction " << i;
  }
  // Offsets are absolute, increasing, and the first is the code offset.
  const Function& f = m->functions[0];
  EXPECT_EQ(r.seen[0].offset, f.code_offset);
  EXPECT_EQ(r.seen.back().offset, f.code_offset + f.code_size - 1);
  for (size_t i = 1; i < r.seen.size(); ++i) EXPECT_GT(r.seen[i].offset, r.seen[i - 1].offset);
  EXPECT_EQ(wasm[r.seen[6].offset], kI32Load);

  EXPECT_EQ(r.seen[0].block_results, std::vector<ValType>{ValType::kI32});
  EXPECT_EQ(static_cast<int32_t>(r.seen[1].bits), -5);
  EXPECT_EQ(r.seen[2].index, 0u);
  EXPECT_EQ(r.seen[3].index, 0u);  // br_if depth
  EXPECT_EQ(r.seen[5].bits, 100000u);
  EXPECT_EQ(r.seen[6].mem_offset, 16u);
  EXPECT_EQ(r.seen[6].align_log2, 1u);
  EXPECT_EQ(r.seen[6].memory, 0u);
  EXPECT_EQ(r.seen[8].mem_offset, 300u);
  EXPECT_EQ(r.seen[8].align_log2, 1u);
  EXPECT_EQ(r.seen[8].memory, 1u);
  EXPECT_EQ(r.seen[11].targets, (std::vector<uint32_t>{0, 0}));
  EXPECT_EQ(r.seen[11].index, 0u);  // the default
  EXPECT_EQ(r.seen[13].bits, ~uint64_t{0});
  double half;
  std::memcpy(&half, &r.seen[15].bits, 8);
  EXPECT_EQ(half, 0.5);

  // The consumer runs before the instruction's effect: it sees its inputs.
  EXPECT_EQ(r.seen[3].operands, (std::vector<ValType>{ValType::kI32, ValType::kI32}));
  EXPECT_EQ(r.seen[9].operands, (std::vector<ValType>{ValType::kI32, ValType::kI32}));
  EXPECT_EQ(r.seen[13].operands, (std::vector<ValType>{ValType::kI32}));
  // Control depth: the function frame, plus the block.
  EXPECT_EQ(r.seen[0].control_depth, 1u);
  EXPECT_EQ(r.seen[1].control_depth, 2u);
  EXPECT_EQ(r.seen[12].control_depth, 2u);
  EXPECT_EQ(r.seen[13].control_depth, 1u);
  EXPECT_EQ(r.seen[17].control_depth, 1u);
}

// Records the label types of the innermost frame at each instruction.
struct Labels {
  std::vector<std::vector<ValType>> label_types;
  template <typename V>
  void OnInstruction(const Instruction&, const V& v) {
    auto types = v.control_at(0).label_types();
    label_types.emplace_back(types.begin(), types.end());
  }
};

TEST(ValidatorConsumer, SeesValidatorStateForBranches) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {kF32});
  uint32_t loop_type = b.AddType({kI64}, {kF32});
  b.AddFunction(t, Cat(I64Const(1), Loop(TypeIndex(loop_type)), kDrop, F32Const(1), kEnd, kEnd));
  auto m = DecodeOk(b.Build());
  ASSERT_TRUE(m);

  Labels labels;
  std::vector<bool> refs(m->functions.size());
  ValidationContext ctx{*m, Features::All(), refs};
  FunctionValidator<Labels> validator(ctx, labels);
  ASSERT_TRUE(validator.ValidateFunction(0).ok());
  ASSERT_EQ(labels.label_types.size(), 6u);
  // Function frame: its results; inside the loop: the loop's params.
  EXPECT_EQ(labels.label_types[0], std::vector<ValType>{ValType::kF32});
  EXPECT_EQ(labels.label_types[2], std::vector<ValType>{ValType::kI64});
  EXPECT_EQ(labels.label_types[4], std::vector<ValType>{ValType::kI64});  // the loop's end
  EXPECT_EQ(labels.label_types[5], std::vector<ValType>{ValType::kF32});
}

// Validates `code` as an i32 constant expression against an empty module,
// at absolute offset 1000, with a Recorder.
Status RecordConstExpr(const Bytes& code, Recorder& recorder) {
  static const std::shared_ptr<const Module> empty = DecodeModule(Header()).value();
  std::vector<bool> refs;
  ValidationContext ctx{*empty, Features::All(), refs};
  FunctionValidator<Recorder> validator(ctx, recorder);
  Reader reader(code.data(), code.size(), 1000);
  return validator.ValidateConstExpr(reader, ValType::kI32, 0, "test");
}

TEST(ValidatorConsumer, NotCalledForAnInvalidImmediate) {
  // global.get 5 names no global: the consumer sees the instruction before.
  Recorder r;
  Status status = RecordConstExpr(Cat(I32Const(1), GlobalGet(5), kI32Add, kEnd), r);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "in test: at offset 0x3ea: unknown global 5");
  ASSERT_EQ(r.seen.size(), 1u);
  EXPECT_EQ(r.seen[0].opcode, op::kI32Const);
  EXPECT_EQ(r.seen[0].offset, 1000u);
}

TEST(ValidatorConsumer, CalledBeforeATypeErrorIsFound) {
  // i32.add's immediates (none) are fine, so the consumer sees it, with the
  // i64 operand that makes it invalid; nothing after it.
  Recorder r;
  Status status = RecordConstExpr(Cat(I32Const(1), I64Const(2), kI32Add, kEnd), r);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message, "in test: at offset 0x3ec: type mismatch: expected i32, got i64");
  ASSERT_EQ(r.seen.size(), 3u);
  EXPECT_EQ(r.seen[2].opcode, op::kI32Add);
  EXPECT_EQ(r.seen[2].operands, (std::vector<ValType>{ValType::kI32, ValType::kI64}));
}

TEST(ValidatorConsumer, ConstantExpressions) {
  ModuleBuilder b;
  b.ImportGlobal("env", "base", kI32);
  b.AddGlobal(kI32, false, Expr(Cat(GlobalGet(0), I32Const(42), kI32Add)));
  auto m = DecodeOk(b.Build());
  ASSERT_TRUE(m);
  const rivet::ConstExpr& init = m->global_inits[0];
  Reader reader(m->bytes().data() + init.offset, init.size, init.offset);

  Recorder r;
  std::vector<bool> refs;
  ValidationContext ctx{*m, Features::All(), refs};
  FunctionValidator<Recorder> validator(ctx, r);
  Status status = validator.ValidateConstExpr(reader, ValType::kI32, 1, "test");
  ASSERT_TRUE(status.ok()) << status.error().message;
  EXPECT_TRUE(reader.at_end());
  ASSERT_EQ(r.seen.size(), 4u);
  EXPECT_EQ(r.seen[0].opcode, op::kGlobalGet);
  EXPECT_EQ(r.seen[0].index, 0u);
  EXPECT_EQ(r.seen[1].opcode, op::kI32Const);
  EXPECT_EQ(r.seen[1].bits, 42u);
  EXPECT_EQ(r.seen[2].opcode, op::kI32Add);
  EXPECT_EQ(r.seen[3].opcode, op::kEnd);
  EXPECT_EQ(r.seen[0].offset, init.offset);

  // With no globals visible, the same expression is invalid, and the error
  // names the context given.
  Reader again(m->bytes().data() + init.offset, init.size, init.offset);
  Recorder r2;
  FunctionValidator<Recorder> validator2(ctx, r2);
  status = validator2.ValidateConstExpr(again, ValType::kI32, 0, "my expression");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message,
            "in my expression: at offset " + Hex(init.offset) +
                ": unknown global 0: constant expressions may only read imported globals");
}

TEST(ValidatorConsumer, ReusedAcrossFunctions) {
  ModuleBuilder b;
  uint32_t t = b.AddType({}, {});
  b.AddFunction(t, Cat(kNop, kEnd));
  b.AddFunction(t, Cat(Block(kVoid), kEnd, kNop, kNop, kEnd));
  auto m = DecodeOk(b.Build());
  ASSERT_TRUE(m);
  Recorder r;
  std::vector<bool> refs(2);
  ValidationContext ctx{*m, Features::All(), refs};
  FunctionValidator<Recorder> validator(ctx, r);
  ASSERT_TRUE(validator.ValidateFunction(0).ok());
  EXPECT_EQ(r.seen.size(), 2u);
  ASSERT_TRUE(validator.ValidateFunction(1).ok());
  EXPECT_EQ(r.seen.size(), 2u + 5u);
  EXPECT_EQ(r.seen[2].opcode, op::kBlock);
  EXPECT_EQ(r.seen[2].control_depth, 1u) << "state from the first function is gone";
}

}  // namespace
}  // namespace rivet::test
