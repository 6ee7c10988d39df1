// The WebAssembly instruction set that rivet decodes, as one table.
//
// Every instruction appears exactly once in RIVET_FOREACH_OPCODE with its
// encoding, its text name, the kind of immediate that follows it, and for
// instructions with a fixed stack effect, that effect as a signature string
// "params:results" over the letters i (i32), l (i64), f (f32), d (f64) and
// v (v128). Instructions whose effect depends on context (control flow,
// locals, calls, tables, references) have an empty signature and are typed by
// the validator itself. Memory accesses carry their access size in bytes,
// from which the natural alignment follows.
//
// The validator, the interpreter's code generator and the AOT compiler all
// key off this table, so an instruction is described in one place only.
#ifndef RIVET_LOADER_OPCODES_H_
#define RIVET_LOADER_OPCODES_H_

#include <cstdint>
#include <string_view>

namespace rivet {

// An opcode is (prefix << 8) | code: single-byte instructions have prefix 0,
// the 0xFC (misc), 0xFD (SIMD) and 0xFE (threads) families keep their prefix.
// Every sub-opcode rivet knows fits in 8 bits.
using Opcode = uint16_t;

enum class Imm : uint8_t {
  kNone,
  kBlockType,     // block type: empty, a value type, or a type index
  kLabel,         // label index
  kBrTable,       // vector of label indices and a default
  kFunc,          // function index
  kCallIndirect,  // type index, table index
  kLocal,         // local index
  kGlobal,        // global index
  kTable,         // table index
  kMemArg,        // alignment (with multi-memory flag), [memory], offset
  kMemory,        // memory index (memory.size / memory.grow)
  kI32,           // signed LEB128 i32
  kI64,           // signed LEB128 i64
  kF32,           // 4 raw bytes
  kF64,           // 8 raw bytes
  kV128,          // 16 raw bytes
  kLane,          // one lane index byte
  kMemArgLane,    // memarg then lane index byte
  kShuffle,       // 16 lane index bytes
  kSelectTypes,   // vector of value types
  kRefType,       // a reference type byte
  kTableInit,     // element index, table index
  kTableCopy,     // destination table, source table
  kMemoryInit,    // data index, memory index
  kMemoryCopy,    // destination memory, source memory
  kData,          // data index
  kElem,          // element index
  kFence,         // one reserved zero byte
};

// V(Name, opcode, "text", Imm, "signature", access_size)
// The full instruction set, as the union of the groups below.
#define RIVET_FOREACH_OPCODE(V)        \
  RIVET_FOREACH_CONTROL_OPCODE(V)      \
  RIVET_FOREACH_LOAD_STORE_OPCODE(V)   \
  RIVET_FOREACH_NUMERIC_OPCODE(V)      \
  RIVET_FOREACH_SIMD_OPCODE(V)         \
  RIVET_FOREACH_ATOMIC_OPCODE(V)

#define RIVET_FOREACH_SIMD_OPCODE(V)     \
  RIVET_FOREACH_SIMD_MEMORY_OPCODE(V)    \
  RIVET_FOREACH_SIMD_LANE_OPCODE(V)      \
  RIVET_FOREACH_SIMD_NUMERIC_OPCODE(V)   \
  V(V128Const, 0xfd0c, "v128.const", kV128, ":v", 0)

// Control, parametric, variable, table, reference, constant and bulk
// instructions: each typed and executed by rules of its own.
#define RIVET_FOREACH_CONTROL_OPCODE(V) \
  V(Unreachable, 0x00, "unreachable", kNone, "", 0) \
  V(Nop, 0x01, "nop", kNone, ":", 0) \
  V(Block, 0x02, "block", kBlockType, "", 0) \
  V(Loop, 0x03, "loop", kBlockType, "", 0) \
  V(If, 0x04, "if", kBlockType, "", 0) \
  V(Else, 0x05, "else", kNone, "", 0) \
  V(End, 0x0b, "end", kNone, "", 0) \
  V(Br, 0x0c, "br", kLabel, "", 0) \
  V(BrIf, 0x0d, "br_if", kLabel, "", 0) \
  V(BrTable, 0x0e, "br_table", kBrTable, "", 0) \
  V(Return, 0x0f, "return", kNone, "", 0) \
  V(Call, 0x10, "call", kFunc, "", 0) \
  V(CallIndirect, 0x11, "call_indirect", kCallIndirect, "", 0) \
  V(ReturnCall, 0x12, "return_call", kFunc, "", 0) \
  V(ReturnCallIndirect, 0x13, "return_call_indirect", kCallIndirect, "", 0) \
  V(Drop, 0x1a, "drop", kNone, "", 0) \
  V(Select, 0x1b, "select", kNone, "", 0) \
  V(SelectT, 0x1c, "select", kSelectTypes, "", 0) \
  V(LocalGet, 0x20, "local.get", kLocal, "", 0) \
  V(LocalSet, 0x21, "local.set", kLocal, "", 0) \
  V(LocalTee, 0x22, "local.tee", kLocal, "", 0) \
  V(GlobalGet, 0x23, "global.get", kGlobal, "", 0) \
  V(GlobalSet, 0x24, "global.set", kGlobal, "", 0) \
  V(TableGet, 0x25, "table.get", kTable, "", 0) \
  V(TableSet, 0x26, "table.set", kTable, "", 0) \
  V(MemorySize, 0x3f, "memory.size", kMemory, ":i", 0) \
  V(MemoryGrow, 0x40, "memory.grow", kMemory, "i:i", 0) \
  V(I32Const, 0x41, "i32.const", kI32, ":i", 0) \
  V(I64Const, 0x42, "i64.const", kI64, ":l", 0) \
  V(F32Const, 0x43, "f32.const", kF32, ":f", 0) \
  V(F64Const, 0x44, "f64.const", kF64, ":d", 0) \
  V(RefNull, 0xd0, "ref.null", kRefType, "", 0) \
  V(RefIsNull, 0xd1, "ref.is_null", kNone, "", 0) \
  V(RefFunc, 0xd2, "ref.func", kFunc, "", 0) \
  V(MemoryInit, 0xfc08, "memory.init", kMemoryInit, "iii:", 0) \
  V(DataDrop, 0xfc09, "data.drop", kData, ":", 0) \
  V(MemoryCopy, 0xfc0a, "memory.copy", kMemoryCopy, "iii:", 0) \
  V(MemoryFill, 0xfc0b, "memory.fill", kMemory, "iii:", 0) \
  V(TableInit, 0xfc0c, "table.init", kTableInit, "iii:", 0) \
  V(ElemDrop, 0xfc0d, "elem.drop", kElem, ":", 0) \
  V(TableCopy, 0xfc0e, "table.copy", kTableCopy, "iii:", 0) \
  V(TableGrow, 0xfc0f, "table.grow", kTable, "", 0) \
  V(TableSize, 0xfc10, "table.size", kTable, ":i", 0) \
  V(TableFill, 0xfc11, "table.fill", kTable, "", 0)


// Scalar loads and stores (memarg immediate).
#define RIVET_FOREACH_LOAD_STORE_OPCODE(V) \
  V(I32Load, 0x28, "i32.load", kMemArg, "i:i", 4) \
  V(I64Load, 0x29, "i64.load", kMemArg, "i:l", 8) \
  V(F32Load, 0x2a, "f32.load", kMemArg, "i:f", 4) \
  V(F64Load, 0x2b, "f64.load", kMemArg, "i:d", 8) \
  V(I32Load8S, 0x2c, "i32.load8_s", kMemArg, "i:i", 1) \
  V(I32Load8U, 0x2d, "i32.load8_u", kMemArg, "i:i", 1) \
  V(I32Load16S, 0x2e, "i32.load16_s", kMemArg, "i:i", 2) \
  V(I32Load16U, 0x2f, "i32.load16_u", kMemArg, "i:i", 2) \
  V(I64Load8S, 0x30, "i64.load8_s", kMemArg, "i:l", 1) \
  V(I64Load8U, 0x31, "i64.load8_u", kMemArg, "i:l", 1) \
  V(I64Load16S, 0x32, "i64.load16_s", kMemArg, "i:l", 2) \
  V(I64Load16U, 0x33, "i64.load16_u", kMemArg, "i:l", 2) \
  V(I64Load32S, 0x34, "i64.load32_s", kMemArg, "i:l", 4) \
  V(I64Load32U, 0x35, "i64.load32_u", kMemArg, "i:l", 4) \
  V(I32Store, 0x36, "i32.store", kMemArg, "ii:", 4) \
  V(I64Store, 0x37, "i64.store", kMemArg, "il:", 8) \
  V(F32Store, 0x38, "f32.store", kMemArg, "if:", 4) \
  V(F64Store, 0x39, "f64.store", kMemArg, "id:", 8) \
  V(I32Store8, 0x3a, "i32.store8", kMemArg, "ii:", 1) \
  V(I32Store16, 0x3b, "i32.store16", kMemArg, "ii:", 2) \
  V(I64Store8, 0x3c, "i64.store8", kMemArg, "il:", 1) \
  V(I64Store16, 0x3d, "i64.store16", kMemArg, "il:", 2) \
  V(I64Store32, 0x3e, "i64.store32", kMemArg, "il:", 4)


// Pure scalar operations: a fixed signature and no immediates.
#define RIVET_FOREACH_NUMERIC_OPCODE(V) \
  RIVET_FOREACH_COMPARE_OPCODE(V)       \
  RIVET_FOREACH_ARITHMETIC_OPCODE(V)

// Comparisons and tests: i32 results that control flow can branch on.
#define RIVET_FOREACH_COMPARE_OPCODE(V) \
  V(I32Eqz, 0x45, "i32.eqz", kNone, "i:i", 0) \
  V(I32Eq, 0x46, "i32.eq", kNone, "ii:i", 0) \
  V(I32Ne, 0x47, "i32.ne", kNone, "ii:i", 0) \
  V(I32LtS, 0x48, "i32.lt_s", kNone, "ii:i", 0) \
  V(I32LtU, 0x49, "i32.lt_u", kNone, "ii:i", 0) \
  V(I32GtS, 0x4a, "i32.gt_s", kNone, "ii:i", 0) \
  V(I32GtU, 0x4b, "i32.gt_u", kNone, "ii:i", 0) \
  V(I32LeS, 0x4c, "i32.le_s", kNone, "ii:i", 0) \
  V(I32LeU, 0x4d, "i32.le_u", kNone, "ii:i", 0) \
  V(I32GeS, 0x4e, "i32.ge_s", kNone, "ii:i", 0) \
  V(I32GeU, 0x4f, "i32.ge_u", kNone, "ii:i", 0) \
  V(I64Eqz, 0x50, "i64.eqz", kNone, "l:i", 0) \
  V(I64Eq, 0x51, "i64.eq", kNone, "ll:i", 0) \
  V(I64Ne, 0x52, "i64.ne", kNone, "ll:i", 0) \
  V(I64LtS, 0x53, "i64.lt_s", kNone, "ll:i", 0) \
  V(I64LtU, 0x54, "i64.lt_u", kNone, "ll:i", 0) \
  V(I64GtS, 0x55, "i64.gt_s", kNone, "ll:i", 0) \
  V(I64GtU, 0x56, "i64.gt_u", kNone, "ll:i", 0) \
  V(I64LeS, 0x57, "i64.le_s", kNone, "ll:i", 0) \
  V(I64LeU, 0x58, "i64.le_u", kNone, "ll:i", 0) \
  V(I64GeS, 0x59, "i64.ge_s", kNone, "ll:i", 0) \
  V(I64GeU, 0x5a, "i64.ge_u", kNone, "ll:i", 0) \
  V(F32Eq, 0x5b, "f32.eq", kNone, "ff:i", 0) \
  V(F32Ne, 0x5c, "f32.ne", kNone, "ff:i", 0) \
  V(F32Lt, 0x5d, "f32.lt", kNone, "ff:i", 0) \
  V(F32Gt, 0x5e, "f32.gt", kNone, "ff:i", 0) \
  V(F32Le, 0x5f, "f32.le", kNone, "ff:i", 0) \
  V(F32Ge, 0x60, "f32.ge", kNone, "ff:i", 0) \
  V(F64Eq, 0x61, "f64.eq", kNone, "dd:i", 0) \
  V(F64Ne, 0x62, "f64.ne", kNone, "dd:i", 0) \
  V(F64Lt, 0x63, "f64.lt", kNone, "dd:i", 0) \
  V(F64Gt, 0x64, "f64.gt", kNone, "dd:i", 0) \
  V(F64Le, 0x65, "f64.le", kNone, "dd:i", 0) \
  V(F64Ge, 0x66, "f64.ge", kNone, "dd:i", 0)

// Arithmetic, bitwise and conversion operations.
#define RIVET_FOREACH_ARITHMETIC_OPCODE(V) \
  V(I32Clz, 0x67, "i32.clz", kNone, "i:i", 0) \
  V(I32Ctz, 0x68, "i32.ctz", kNone, "i:i", 0) \
  V(I32Popcnt, 0x69, "i32.popcnt", kNone, "i:i", 0) \
  V(I32Add, 0x6a, "i32.add", kNone, "ii:i", 0) \
  V(I32Sub, 0x6b, "i32.sub", kNone, "ii:i", 0) \
  V(I32Mul, 0x6c, "i32.mul", kNone, "ii:i", 0) \
  V(I32DivS, 0x6d, "i32.div_s", kNone, "ii:i", 0) \
  V(I32DivU, 0x6e, "i32.div_u", kNone, "ii:i", 0) \
  V(I32RemS, 0x6f, "i32.rem_s", kNone, "ii:i", 0) \
  V(I32RemU, 0x70, "i32.rem_u", kNone, "ii:i", 0) \
  V(I32And, 0x71, "i32.and", kNone, "ii:i", 0) \
  V(I32Or, 0x72, "i32.or", kNone, "ii:i", 0) \
  V(I32Xor, 0x73, "i32.xor", kNone, "ii:i", 0) \
  V(I32Shl, 0x74, "i32.shl", kNone, "ii:i", 0) \
  V(I32ShrS, 0x75, "i32.shr_s", kNone, "ii:i", 0) \
  V(I32ShrU, 0x76, "i32.shr_u", kNone, "ii:i", 0) \
  V(I32Rotl, 0x77, "i32.rotl", kNone, "ii:i", 0) \
  V(I32Rotr, 0x78, "i32.rotr", kNone, "ii:i", 0) \
  V(I64Clz, 0x79, "i64.clz", kNone, "l:l", 0) \
  V(I64Ctz, 0x7a, "i64.ctz", kNone, "l:l", 0) \
  V(I64Popcnt, 0x7b, "i64.popcnt", kNone, "l:l", 0) \
  V(I64Add, 0x7c, "i64.add", kNone, "ll:l", 0) \
  V(I64Sub, 0x7d, "i64.sub", kNone, "ll:l", 0) \
  V(I64Mul, 0x7e, "i64.mul", kNone, "ll:l", 0) \
  V(I64DivS, 0x7f, "i64.div_s", kNone, "ll:l", 0) \
  V(I64DivU, 0x80, "i64.div_u", kNone, "ll:l", 0) \
  V(I64RemS, 0x81, "i64.rem_s", kNone, "ll:l", 0) \
  V(I64RemU, 0x82, "i64.rem_u", kNone, "ll:l", 0) \
  V(I64And, 0x83, "i64.and", kNone, "ll:l", 0) \
  V(I64Or, 0x84, "i64.or", kNone, "ll:l", 0) \
  V(I64Xor, 0x85, "i64.xor", kNone, "ll:l", 0) \
  V(I64Shl, 0x86, "i64.shl", kNone, "ll:l", 0) \
  V(I64ShrS, 0x87, "i64.shr_s", kNone, "ll:l", 0) \
  V(I64ShrU, 0x88, "i64.shr_u", kNone, "ll:l", 0) \
  V(I64Rotl, 0x89, "i64.rotl", kNone, "ll:l", 0) \
  V(I64Rotr, 0x8a, "i64.rotr", kNone, "ll:l", 0) \
  V(F32Abs, 0x8b, "f32.abs", kNone, "f:f", 0) \
  V(F32Neg, 0x8c, "f32.neg", kNone, "f:f", 0) \
  V(F32Ceil, 0x8d, "f32.ceil", kNone, "f:f", 0) \
  V(F32Floor, 0x8e, "f32.floor", kNone, "f:f", 0) \
  V(F32Trunc, 0x8f, "f32.trunc", kNone, "f:f", 0) \
  V(F32Nearest, 0x90, "f32.nearest", kNone, "f:f", 0) \
  V(F32Sqrt, 0x91, "f32.sqrt", kNone, "f:f", 0) \
  V(F32Add, 0x92, "f32.add", kNone, "ff:f", 0) \
  V(F32Sub, 0x93, "f32.sub", kNone, "ff:f", 0) \
  V(F32Mul, 0x94, "f32.mul", kNone, "ff:f", 0) \
  V(F32Div, 0x95, "f32.div", kNone, "ff:f", 0) \
  V(F32Min, 0x96, "f32.min", kNone, "ff:f", 0) \
  V(F32Max, 0x97, "f32.max", kNone, "ff:f", 0) \
  V(F32Copysign, 0x98, "f32.copysign", kNone, "ff:f", 0) \
  V(F64Abs, 0x99, "f64.abs", kNone, "d:d", 0) \
  V(F64Neg, 0x9a, "f64.neg", kNone, "d:d", 0) \
  V(F64Ceil, 0x9b, "f64.ceil", kNone, "d:d", 0) \
  V(F64Floor, 0x9c, "f64.floor", kNone, "d:d", 0) \
  V(F64Trunc, 0x9d, "f64.trunc", kNone, "d:d", 0) \
  V(F64Nearest, 0x9e, "f64.nearest", kNone, "d:d", 0) \
  V(F64Sqrt, 0x9f, "f64.sqrt", kNone, "d:d", 0) \
  V(F64Add, 0xa0, "f64.add", kNone, "dd:d", 0) \
  V(F64Sub, 0xa1, "f64.sub", kNone, "dd:d", 0) \
  V(F64Mul, 0xa2, "f64.mul", kNone, "dd:d", 0) \
  V(F64Div, 0xa3, "f64.div", kNone, "dd:d", 0) \
  V(F64Min, 0xa4, "f64.min", kNone, "dd:d", 0) \
  V(F64Max, 0xa5, "f64.max", kNone, "dd:d", 0) \
  V(F64Copysign, 0xa6, "f64.copysign", kNone, "dd:d", 0) \
  V(I32WrapI64, 0xa7, "i32.wrap_i64", kNone, "l:i", 0) \
  V(I32TruncF32S, 0xa8, "i32.trunc_f32_s", kNone, "f:i", 0) \
  V(I32TruncF32U, 0xa9, "i32.trunc_f32_u", kNone, "f:i", 0) \
  V(I32TruncF64S, 0xaa, "i32.trunc_f64_s", kNone, "d:i", 0) \
  V(I32TruncF64U, 0xab, "i32.trunc_f64_u", kNone, "d:i", 0) \
  V(I64ExtendI32S, 0xac, "i64.extend_i32_s", kNone, "i:l", 0) \
  V(I64ExtendI32U, 0xad, "i64.extend_i32_u", kNone, "i:l", 0) \
  V(I64TruncF32S, 0xae, "i64.trunc_f32_s", kNone, "f:l", 0) \
  V(I64TruncF32U, 0xaf, "i64.trunc_f32_u", kNone, "f:l", 0) \
  V(I64TruncF64S, 0xb0, "i64.trunc_f64_s", kNone, "d:l", 0) \
  V(I64TruncF64U, 0xb1, "i64.trunc_f64_u", kNone, "d:l", 0) \
  V(F32ConvertI32S, 0xb2, "f32.convert_i32_s", kNone, "i:f", 0) \
  V(F32ConvertI32U, 0xb3, "f32.convert_i32_u", kNone, "i:f", 0) \
  V(F32ConvertI64S, 0xb4, "f32.convert_i64_s", kNone, "l:f", 0) \
  V(F32ConvertI64U, 0xb5, "f32.convert_i64_u", kNone, "l:f", 0) \
  V(F32DemoteF64, 0xb6, "f32.demote_f64", kNone, "d:f", 0) \
  V(F64ConvertI32S, 0xb7, "f64.convert_i32_s", kNone, "i:d", 0) \
  V(F64ConvertI32U, 0xb8, "f64.convert_i32_u", kNone, "i:d", 0) \
  V(F64ConvertI64S, 0xb9, "f64.convert_i64_s", kNone, "l:d", 0) \
  V(F64ConvertI64U, 0xba, "f64.convert_i64_u", kNone, "l:d", 0) \
  V(F64PromoteF32, 0xbb, "f64.promote_f32", kNone, "f:d", 0) \
  V(I32ReinterpretF32, 0xbc, "i32.reinterpret_f32", kNone, "f:i", 0) \
  V(I64ReinterpretF64, 0xbd, "i64.reinterpret_f64", kNone, "d:l", 0) \
  V(F32ReinterpretI32, 0xbe, "f32.reinterpret_i32", kNone, "i:f", 0) \
  V(F64ReinterpretI64, 0xbf, "f64.reinterpret_i64", kNone, "l:d", 0) \
  V(I32Extend8S, 0xc0, "i32.extend8_s", kNone, "i:i", 0) \
  V(I32Extend16S, 0xc1, "i32.extend16_s", kNone, "i:i", 0) \
  V(I64Extend8S, 0xc2, "i64.extend8_s", kNone, "l:l", 0) \
  V(I64Extend16S, 0xc3, "i64.extend16_s", kNone, "l:l", 0) \
  V(I64Extend32S, 0xc4, "i64.extend32_s", kNone, "l:l", 0) \
  V(I32TruncSatF32S, 0xfc00, "i32.trunc_sat_f32_s", kNone, "f:i", 0) \
  V(I32TruncSatF32U, 0xfc01, "i32.trunc_sat_f32_u", kNone, "f:i", 0) \
  V(I32TruncSatF64S, 0xfc02, "i32.trunc_sat_f64_s", kNone, "d:i", 0) \
  V(I32TruncSatF64U, 0xfc03, "i32.trunc_sat_f64_u", kNone, "d:i", 0) \
  V(I64TruncSatF32S, 0xfc04, "i64.trunc_sat_f32_s", kNone, "f:l", 0) \
  V(I64TruncSatF32U, 0xfc05, "i64.trunc_sat_f32_u", kNone, "f:l", 0) \
  V(I64TruncSatF64S, 0xfc06, "i64.trunc_sat_f64_s", kNone, "d:l", 0) \
  V(I64TruncSatF64U, 0xfc07, "i64.trunc_sat_f64_u", kNone, "d:l", 0)



// SIMD loads and stores (memarg, and a lane index for the lane forms).
#define RIVET_FOREACH_SIMD_MEMORY_OPCODE(V) \
  V(V128Load, 0xfd00, "v128.load", kMemArg, "i:v", 16) \
  V(V128Load8x8S, 0xfd01, "v128.load8x8_s", kMemArg, "i:v", 8) \
  V(V128Load8x8U, 0xfd02, "v128.load8x8_u", kMemArg, "i:v", 8) \
  V(V128Load16x4S, 0xfd03, "v128.load16x4_s", kMemArg, "i:v", 8) \
  V(V128Load16x4U, 0xfd04, "v128.load16x4_u", kMemArg, "i:v", 8) \
  V(V128Load32x2S, 0xfd05, "v128.load32x2_s", kMemArg, "i:v", 8) \
  V(V128Load32x2U, 0xfd06, "v128.load32x2_u", kMemArg, "i:v", 8) \
  V(V128Load8Splat, 0xfd07, "v128.load8_splat", kMemArg, "i:v", 1) \
  V(V128Load16Splat, 0xfd08, "v128.load16_splat", kMemArg, "i:v", 2) \
  V(V128Load32Splat, 0xfd09, "v128.load32_splat", kMemArg, "i:v", 4) \
  V(V128Load64Splat, 0xfd0a, "v128.load64_splat", kMemArg, "i:v", 8) \
  V(V128Store, 0xfd0b, "v128.store", kMemArg, "iv:", 16) \
  V(V128Load8Lane, 0xfd54, "v128.load8_lane", kMemArgLane, "iv:v", 1) \
  V(V128Load16Lane, 0xfd55, "v128.load16_lane", kMemArgLane, "iv:v", 2) \
  V(V128Load32Lane, 0xfd56, "v128.load32_lane", kMemArgLane, "iv:v", 4) \
  V(V128Load64Lane, 0xfd57, "v128.load64_lane", kMemArgLane, "iv:v", 8) \
  V(V128Store8Lane, 0xfd58, "v128.store8_lane", kMemArgLane, "iv:", 1) \
  V(V128Store16Lane, 0xfd59, "v128.store16_lane", kMemArgLane, "iv:", 2) \
  V(V128Store32Lane, 0xfd5a, "v128.store32_lane", kMemArgLane, "iv:", 4) \
  V(V128Store64Lane, 0xfd5b, "v128.store64_lane", kMemArgLane, "iv:", 8) \
  V(V128Load32Zero, 0xfd5c, "v128.load32_zero", kMemArg, "i:v", 4) \
  V(V128Load64Zero, 0xfd5d, "v128.load64_zero", kMemArg, "i:v", 8)


// SIMD instructions with lane immediates.
#define RIVET_FOREACH_SIMD_LANE_OPCODE(V) \
  V(I8x16Shuffle, 0xfd0d, "i8x16.shuffle", kShuffle, "vv:v", 0) \
  V(I8x16ExtractLaneS, 0xfd15, "i8x16.extract_lane_s", kLane, "v:i", 16) \
  V(I8x16ExtractLaneU, 0xfd16, "i8x16.extract_lane_u", kLane, "v:i", 16) \
  V(I8x16ReplaceLane, 0xfd17, "i8x16.replace_lane", kLane, "vi:v", 16) \
  V(I16x8ExtractLaneS, 0xfd18, "i16x8.extract_lane_s", kLane, "v:i", 8) \
  V(I16x8ExtractLaneU, 0xfd19, "i16x8.extract_lane_u", kLane, "v:i", 8) \
  V(I16x8ReplaceLane, 0xfd1a, "i16x8.replace_lane", kLane, "vi:v", 8) \
  V(I32x4ExtractLane, 0xfd1b, "i32x4.extract_lane", kLane, "v:i", 4) \
  V(I32x4ReplaceLane, 0xfd1c, "i32x4.replace_lane", kLane, "vi:v", 4) \
  V(I64x2ExtractLane, 0xfd1d, "i64x2.extract_lane", kLane, "v:l", 2) \
  V(I64x2ReplaceLane, 0xfd1e, "i64x2.replace_lane", kLane, "vl:v", 2) \
  V(F32x4ExtractLane, 0xfd1f, "f32x4.extract_lane", kLane, "v:f", 4) \
  V(F32x4ReplaceLane, 0xfd20, "f32x4.replace_lane", kLane, "vf:v", 4) \
  V(F64x2ExtractLane, 0xfd21, "f64x2.extract_lane", kLane, "v:d", 2) \
  V(F64x2ReplaceLane, 0xfd22, "f64x2.replace_lane", kLane, "vd:v", 2)


// Pure SIMD operations: a fixed signature and no immediates.
#define RIVET_FOREACH_SIMD_NUMERIC_OPCODE(V) \
  V(I8x16Swizzle, 0xfd0e, "i8x16.swizzle", kNone, "vv:v", 0) \
  V(I8x16Splat, 0xfd0f, "i8x16.splat", kNone, "i:v", 0) \
  V(I16x8Splat, 0xfd10, "i16x8.splat", kNone, "i:v", 0) \
  V(I32x4Splat, 0xfd11, "i32x4.splat", kNone, "i:v", 0) \
  V(I64x2Splat, 0xfd12, "i64x2.splat", kNone, "l:v", 0) \
  V(F32x4Splat, 0xfd13, "f32x4.splat", kNone, "f:v", 0) \
  V(F64x2Splat, 0xfd14, "f64x2.splat", kNone, "d:v", 0) \
  V(I8x16Eq, 0xfd23, "i8x16.eq", kNone, "vv:v", 0) \
  V(I8x16Ne, 0xfd24, "i8x16.ne", kNone, "vv:v", 0) \
  V(I8x16LtS, 0xfd25, "i8x16.lt_s", kNone, "vv:v", 0) \
  V(I8x16LtU, 0xfd26, "i8x16.lt_u", kNone, "vv:v", 0) \
  V(I8x16GtS, 0xfd27, "i8x16.gt_s", kNone, "vv:v", 0) \
  V(I8x16GtU, 0xfd28, "i8x16.gt_u", kNone, "vv:v", 0) \
  V(I8x16LeS, 0xfd29, "i8x16.le_s", kNone, "vv:v", 0) \
  V(I8x16LeU, 0xfd2a, "i8x16.le_u", kNone, "vv:v", 0) \
  V(I8x16GeS, 0xfd2b, "i8x16.ge_s", kNone, "vv:v", 0) \
  V(I8x16GeU, 0xfd2c, "i8x16.ge_u", kNone, "vv:v", 0) \
  V(I16x8Eq, 0xfd2d, "i16x8.eq", kNone, "vv:v", 0) \
  V(I16x8Ne, 0xfd2e, "i16x8.ne", kNone, "vv:v", 0) \
  V(I16x8LtS, 0xfd2f, "i16x8.lt_s", kNone, "vv:v", 0) \
  V(I16x8LtU, 0xfd30, "i16x8.lt_u", kNone, "vv:v", 0) \
  V(I16x8GtS, 0xfd31, "i16x8.gt_s", kNone, "vv:v", 0) \
  V(I16x8GtU, 0xfd32, "i16x8.gt_u", kNone, "vv:v", 0) \
  V(I16x8LeS, 0xfd33, "i16x8.le_s", kNone, "vv:v", 0) \
  V(I16x8LeU, 0xfd34, "i16x8.le_u", kNone, "vv:v", 0) \
  V(I16x8GeS, 0xfd35, "i16x8.ge_s", kNone, "vv:v", 0) \
  V(I16x8GeU, 0xfd36, "i16x8.ge_u", kNone, "vv:v", 0) \
  V(I32x4Eq, 0xfd37, "i32x4.eq", kNone, "vv:v", 0) \
  V(I32x4Ne, 0xfd38, "i32x4.ne", kNone, "vv:v", 0) \
  V(I32x4LtS, 0xfd39, "i32x4.lt_s", kNone, "vv:v", 0) \
  V(I32x4LtU, 0xfd3a, "i32x4.lt_u", kNone, "vv:v", 0) \
  V(I32x4GtS, 0xfd3b, "i32x4.gt_s", kNone, "vv:v", 0) \
  V(I32x4GtU, 0xfd3c, "i32x4.gt_u", kNone, "vv:v", 0) \
  V(I32x4LeS, 0xfd3d, "i32x4.le_s", kNone, "vv:v", 0) \
  V(I32x4LeU, 0xfd3e, "i32x4.le_u", kNone, "vv:v", 0) \
  V(I32x4GeS, 0xfd3f, "i32x4.ge_s", kNone, "vv:v", 0) \
  V(I32x4GeU, 0xfd40, "i32x4.ge_u", kNone, "vv:v", 0) \
  V(F32x4Eq, 0xfd41, "f32x4.eq", kNone, "vv:v", 0) \
  V(F32x4Ne, 0xfd42, "f32x4.ne", kNone, "vv:v", 0) \
  V(F32x4Lt, 0xfd43, "f32x4.lt", kNone, "vv:v", 0) \
  V(F32x4Gt, 0xfd44, "f32x4.gt", kNone, "vv:v", 0) \
  V(F32x4Le, 0xfd45, "f32x4.le", kNone, "vv:v", 0) \
  V(F32x4Ge, 0xfd46, "f32x4.ge", kNone, "vv:v", 0) \
  V(F64x2Eq, 0xfd47, "f64x2.eq", kNone, "vv:v", 0) \
  V(F64x2Ne, 0xfd48, "f64x2.ne", kNone, "vv:v", 0) \
  V(F64x2Lt, 0xfd49, "f64x2.lt", kNone, "vv:v", 0) \
  V(F64x2Gt, 0xfd4a, "f64x2.gt", kNone, "vv:v", 0) \
  V(F64x2Le, 0xfd4b, "f64x2.le", kNone, "vv:v", 0) \
  V(F64x2Ge, 0xfd4c, "f64x2.ge", kNone, "vv:v", 0) \
  V(V128Not, 0xfd4d, "v128.not", kNone, "v:v", 0) \
  V(V128And, 0xfd4e, "v128.and", kNone, "vv:v", 0) \
  V(V128AndNot, 0xfd4f, "v128.andnot", kNone, "vv:v", 0) \
  V(V128Or, 0xfd50, "v128.or", kNone, "vv:v", 0) \
  V(V128Xor, 0xfd51, "v128.xor", kNone, "vv:v", 0) \
  V(V128Bitselect, 0xfd52, "v128.bitselect", kNone, "vvv:v", 0) \
  V(V128AnyTrue, 0xfd53, "v128.any_true", kNone, "v:i", 0) \
  V(F32x4DemoteF64x2Zero, 0xfd5e, "f32x4.demote_f64x2_zero", kNone, "v:v", 0) \
  V(F64x2PromoteLowF32x4, 0xfd5f, "f64x2.promote_low_f32x4", kNone, "v:v", 0) \
  V(I8x16Abs, 0xfd60, "i8x16.abs", kNone, "v:v", 0) \
  V(I8x16Neg, 0xfd61, "i8x16.neg", kNone, "v:v", 0) \
  V(I8x16Popcnt, 0xfd62, "i8x16.popcnt", kNone, "v:v", 0) \
  V(I8x16AllTrue, 0xfd63, "i8x16.all_true", kNone, "v:i", 0) \
  V(I8x16Bitmask, 0xfd64, "i8x16.bitmask", kNone, "v:i", 0) \
  V(I8x16NarrowI16x8S, 0xfd65, "i8x16.narrow_i16x8_s", kNone, "vv:v", 0) \
  V(I8x16NarrowI16x8U, 0xfd66, "i8x16.narrow_i16x8_u", kNone, "vv:v", 0) \
  V(F32x4Ceil, 0xfd67, "f32x4.ceil", kNone, "v:v", 0) \
  V(F32x4Floor, 0xfd68, "f32x4.floor", kNone, "v:v", 0) \
  V(F32x4Trunc, 0xfd69, "f32x4.trunc", kNone, "v:v", 0) \
  V(F32x4Nearest, 0xfd6a, "f32x4.nearest", kNone, "v:v", 0) \
  V(I8x16Shl, 0xfd6b, "i8x16.shl", kNone, "vi:v", 0) \
  V(I8x16ShrS, 0xfd6c, "i8x16.shr_s", kNone, "vi:v", 0) \
  V(I8x16ShrU, 0xfd6d, "i8x16.shr_u", kNone, "vi:v", 0) \
  V(I8x16Add, 0xfd6e, "i8x16.add", kNone, "vv:v", 0) \
  V(I8x16AddSatS, 0xfd6f, "i8x16.add_sat_s", kNone, "vv:v", 0) \
  V(I8x16AddSatU, 0xfd70, "i8x16.add_sat_u", kNone, "vv:v", 0) \
  V(I8x16Sub, 0xfd71, "i8x16.sub", kNone, "vv:v", 0) \
  V(I8x16SubSatS, 0xfd72, "i8x16.sub_sat_s", kNone, "vv:v", 0) \
  V(I8x16SubSatU, 0xfd73, "i8x16.sub_sat_u", kNone, "vv:v", 0) \
  V(F64x2Ceil, 0xfd74, "f64x2.ceil", kNone, "v:v", 0) \
  V(F64x2Floor, 0xfd75, "f64x2.floor", kNone, "v:v", 0) \
  V(I8x16MinS, 0xfd76, "i8x16.min_s", kNone, "vv:v", 0) \
  V(I8x16MinU, 0xfd77, "i8x16.min_u", kNone, "vv:v", 0) \
  V(I8x16MaxS, 0xfd78, "i8x16.max_s", kNone, "vv:v", 0) \
  V(I8x16MaxU, 0xfd79, "i8x16.max_u", kNone, "vv:v", 0) \
  V(F64x2Trunc, 0xfd7a, "f64x2.trunc", kNone, "v:v", 0) \
  V(I8x16AvgrU, 0xfd7b, "i8x16.avgr_u", kNone, "vv:v", 0) \
  V(I16x8ExtaddPairwiseI8x16S, 0xfd7c, "i16x8.extadd_pairwise_i8x16_s", kNone, "v:v", 0) \
  V(I16x8ExtaddPairwiseI8x16U, 0xfd7d, "i16x8.extadd_pairwise_i8x16_u", kNone, "v:v", 0) \
  V(I32x4ExtaddPairwiseI16x8S, 0xfd7e, "i32x4.extadd_pairwise_i16x8_s", kNone, "v:v", 0) \
  V(I32x4ExtaddPairwiseI16x8U, 0xfd7f, "i32x4.extadd_pairwise_i16x8_u", kNone, "v:v", 0) \
  V(I16x8Abs, 0xfd80, "i16x8.abs", kNone, "v:v", 0) \
  V(I16x8Neg, 0xfd81, "i16x8.neg", kNone, "v:v", 0) \
  V(I16x8Q15mulrSatS, 0xfd82, "i16x8.q15mulr_sat_s", kNone, "vv:v", 0) \
  V(I16x8AllTrue, 0xfd83, "i16x8.all_true", kNone, "v:i", 0) \
  V(I16x8Bitmask, 0xfd84, "i16x8.bitmask", kNone, "v:i", 0) \
  V(I16x8NarrowI32x4S, 0xfd85, "i16x8.narrow_i32x4_s", kNone, "vv:v", 0) \
  V(I16x8NarrowI32x4U, 0xfd86, "i16x8.narrow_i32x4_u", kNone, "vv:v", 0) \
  V(I16x8ExtendLowI8x16S, 0xfd87, "i16x8.extend_low_i8x16_s", kNone, "v:v", 0) \
  V(I16x8ExtendHighI8x16S, 0xfd88, "i16x8.extend_high_i8x16_s", kNone, "v:v", 0) \
  V(I16x8ExtendLowI8x16U, 0xfd89, "i16x8.extend_low_i8x16_u", kNone, "v:v", 0) \
  V(I16x8ExtendHighI8x16U, 0xfd8a, "i16x8.extend_high_i8x16_u", kNone, "v:v", 0) \
  V(I16x8Shl, 0xfd8b, "i16x8.shl", kNone, "vi:v", 0) \
  V(I16x8ShrS, 0xfd8c, "i16x8.shr_s", kNone, "vi:v", 0) \
  V(I16x8ShrU, 0xfd8d, "i16x8.shr_u", kNone, "vi:v", 0) \
  V(I16x8Add, 0xfd8e, "i16x8.add", kNone, "vv:v", 0) \
  V(I16x8AddSatS, 0xfd8f, "i16x8.add_sat_s", kNone, "vv:v", 0) \
  V(I16x8AddSatU, 0xfd90, "i16x8.add_sat_u", kNone, "vv:v", 0) \
  V(I16x8Sub, 0xfd91, "i16x8.sub", kNone, "vv:v", 0) \
  V(I16x8SubSatS, 0xfd92, "i16x8.sub_sat_s", kNone, "vv:v", 0) \
  V(I16x8SubSatU, 0xfd93, "i16x8.sub_sat_u", kNone, "vv:v", 0) \
  V(F64x2Nearest, 0xfd94, "f64x2.nearest", kNone, "v:v", 0) \
  V(I16x8Mul, 0xfd95, "i16x8.mul", kNone, "vv:v", 0) \
  V(I16x8MinS, 0xfd96, "i16x8.min_s", kNone, "vv:v", 0) \
  V(I16x8MinU, 0xfd97, "i16x8.min_u", kNone, "vv:v", 0) \
  V(I16x8MaxS, 0xfd98, "i16x8.max_s", kNone, "vv:v", 0) \
  V(I16x8MaxU, 0xfd99, "i16x8.max_u", kNone, "vv:v", 0) \
  V(I16x8AvgrU, 0xfd9b, "i16x8.avgr_u", kNone, "vv:v", 0) \
  V(I16x8ExtmulLowI8x16S, 0xfd9c, "i16x8.extmul_low_i8x16_s", kNone, "vv:v", 0) \
  V(I16x8ExtmulHighI8x16S, 0xfd9d, "i16x8.extmul_high_i8x16_s", kNone, "vv:v", 0) \
  V(I16x8ExtmulLowI8x16U, 0xfd9e, "i16x8.extmul_low_i8x16_u", kNone, "vv:v", 0) \
  V(I16x8ExtmulHighI8x16U, 0xfd9f, "i16x8.extmul_high_i8x16_u", kNone, "vv:v", 0) \
  V(I32x4Abs, 0xfda0, "i32x4.abs", kNone, "v:v", 0) \
  V(I32x4Neg, 0xfda1, "i32x4.neg", kNone, "v:v", 0) \
  V(I32x4AllTrue, 0xfda3, "i32x4.all_true", kNone, "v:i", 0) \
  V(I32x4Bitmask, 0xfda4, "i32x4.bitmask", kNone, "v:i", 0) \
  V(I32x4ExtendLowI16x8S, 0xfda7, "i32x4.extend_low_i16x8_s", kNone, "v:v", 0) \
  V(I32x4ExtendHighI16x8S, 0xfda8, "i32x4.extend_high_i16x8_s", kNone, "v:v", 0) \
  V(I32x4ExtendLowI16x8U, 0xfda9, "i32x4.extend_low_i16x8_u", kNone, "v:v", 0) \
  V(I32x4ExtendHighI16x8U, 0xfdaa, "i32x4.extend_high_i16x8_u", kNone, "v:v", 0) \
  V(I32x4Shl, 0xfdab, "i32x4.shl", kNone, "vi:v", 0) \
  V(I32x4ShrS, 0xfdac, "i32x4.shr_s", kNone, "vi:v", 0) \
  V(I32x4ShrU, 0xfdad, "i32x4.shr_u", kNone, "vi:v", 0) \
  V(I32x4Add, 0xfdae, "i32x4.add", kNone, "vv:v", 0) \
  V(I32x4Sub, 0xfdb1, "i32x4.sub", kNone, "vv:v", 0) \
  V(I32x4Mul, 0xfdb5, "i32x4.mul", kNone, "vv:v", 0) \
  V(I32x4MinS, 0xfdb6, "i32x4.min_s", kNone, "vv:v", 0) \
  V(I32x4MinU, 0xfdb7, "i32x4.min_u", kNone, "vv:v", 0) \
  V(I32x4MaxS, 0xfdb8, "i32x4.max_s", kNone, "vv:v", 0) \
  V(I32x4MaxU, 0xfdb9, "i32x4.max_u", kNone, "vv:v", 0) \
  V(I32x4DotI16x8S, 0xfdba, "i32x4.dot_i16x8_s", kNone, "vv:v", 0) \
  V(I32x4ExtmulLowI16x8S, 0xfdbc, "i32x4.extmul_low_i16x8_s", kNone, "vv:v", 0) \
  V(I32x4ExtmulHighI16x8S, 0xfdbd, "i32x4.extmul_high_i16x8_s", kNone, "vv:v", 0) \
  V(I32x4ExtmulLowI16x8U, 0xfdbe, "i32x4.extmul_low_i16x8_u", kNone, "vv:v", 0) \
  V(I32x4ExtmulHighI16x8U, 0xfdbf, "i32x4.extmul_high_i16x8_u", kNone, "vv:v", 0) \
  V(I64x2Abs, 0xfdc0, "i64x2.abs", kNone, "v:v", 0) \
  V(I64x2Neg, 0xfdc1, "i64x2.neg", kNone, "v:v", 0) \
  V(I64x2AllTrue, 0xfdc3, "i64x2.all_true", kNone, "v:i", 0) \
  V(I64x2Bitmask, 0xfdc4, "i64x2.bitmask", kNone, "v:i", 0) \
  V(I64x2ExtendLowI32x4S, 0xfdc7, "i64x2.extend_low_i32x4_s", kNone, "v:v", 0) \
  V(I64x2ExtendHighI32x4S, 0xfdc8, "i64x2.extend_high_i32x4_s", kNone, "v:v", 0) \
  V(I64x2ExtendLowI32x4U, 0xfdc9, "i64x2.extend_low_i32x4_u", kNone, "v:v", 0) \
  V(I64x2ExtendHighI32x4U, 0xfdca, "i64x2.extend_high_i32x4_u", kNone, "v:v", 0) \
  V(I64x2Shl, 0xfdcb, "i64x2.shl", kNone, "vi:v", 0) \
  V(I64x2ShrS, 0xfdcc, "i64x2.shr_s", kNone, "vi:v", 0) \
  V(I64x2ShrU, 0xfdcd, "i64x2.shr_u", kNone, "vi:v", 0) \
  V(I64x2Add, 0xfdce, "i64x2.add", kNone, "vv:v", 0) \
  V(I64x2Sub, 0xfdd1, "i64x2.sub", kNone, "vv:v", 0) \
  V(I64x2Mul, 0xfdd5, "i64x2.mul", kNone, "vv:v", 0) \
  V(I64x2Eq, 0xfdd6, "i64x2.eq", kNone, "vv:v", 0) \
  V(I64x2Ne, 0xfdd7, "i64x2.ne", kNone, "vv:v", 0) \
  V(I64x2LtS, 0xfdd8, "i64x2.lt_s", kNone, "vv:v", 0) \
  V(I64x2GtS, 0xfdd9, "i64x2.gt_s", kNone, "vv:v", 0) \
  V(I64x2LeS, 0xfdda, "i64x2.le_s", kNone, "vv:v", 0) \
  V(I64x2GeS, 0xfddb, "i64x2.ge_s", kNone, "vv:v", 0) \
  V(I64x2ExtmulLowI32x4S, 0xfddc, "i64x2.extmul_low_i32x4_s", kNone, "vv:v", 0) \
  V(I64x2ExtmulHighI32x4S, 0xfddd, "i64x2.extmul_high_i32x4_s", kNone, "vv:v", 0) \
  V(I64x2ExtmulLowI32x4U, 0xfdde, "i64x2.extmul_low_i32x4_u", kNone, "vv:v", 0) \
  V(I64x2ExtmulHighI32x4U, 0xfddf, "i64x2.extmul_high_i32x4_u", kNone, "vv:v", 0) \
  V(F32x4Abs, 0xfde0, "f32x4.abs", kNone, "v:v", 0) \
  V(F32x4Neg, 0xfde1, "f32x4.neg", kNone, "v:v", 0) \
  V(F32x4Sqrt, 0xfde3, "f32x4.sqrt", kNone, "v:v", 0) \
  V(F32x4Add, 0xfde4, "f32x4.add", kNone, "vv:v", 0) \
  V(F32x4Sub, 0xfde5, "f32x4.sub", kNone, "vv:v", 0) \
  V(F32x4Mul, 0xfde6, "f32x4.mul", kNone, "vv:v", 0) \
  V(F32x4Div, 0xfde7, "f32x4.div", kNone, "vv:v", 0) \
  V(F32x4Min, 0xfde8, "f32x4.min", kNone, "vv:v", 0) \
  V(F32x4Max, 0xfde9, "f32x4.max", kNone, "vv:v", 0) \
  V(F32x4Pmin, 0xfdea, "f32x4.pmin", kNone, "vv:v", 0) \
  V(F32x4Pmax, 0xfdeb, "f32x4.pmax", kNone, "vv:v", 0) \
  V(F64x2Abs, 0xfdec, "f64x2.abs", kNone, "v:v", 0) \
  V(F64x2Neg, 0xfded, "f64x2.neg", kNone, "v:v", 0) \
  V(F64x2Sqrt, 0xfdef, "f64x2.sqrt", kNone, "v:v", 0) \
  V(F64x2Add, 0xfdf0, "f64x2.add", kNone, "vv:v", 0) \
  V(F64x2Sub, 0xfdf1, "f64x2.sub", kNone, "vv:v", 0) \
  V(F64x2Mul, 0xfdf2, "f64x2.mul", kNone, "vv:v", 0) \
  V(F64x2Div, 0xfdf3, "f64x2.div", kNone, "vv:v", 0) \
  V(F64x2Min, 0xfdf4, "f64x2.min", kNone, "vv:v", 0) \
  V(F64x2Max, 0xfdf5, "f64x2.max", kNone, "vv:v", 0) \
  V(F64x2Pmin, 0xfdf6, "f64x2.pmin", kNone, "vv:v", 0) \
  V(F64x2Pmax, 0xfdf7, "f64x2.pmax", kNone, "vv:v", 0) \
  V(I32x4TruncSatF32x4S, 0xfdf8, "i32x4.trunc_sat_f32x4_s", kNone, "v:v", 0) \
  V(I32x4TruncSatF32x4U, 0xfdf9, "i32x4.trunc_sat_f32x4_u", kNone, "v:v", 0) \
  V(F32x4ConvertI32x4S, 0xfdfa, "f32x4.convert_i32x4_s", kNone, "v:v", 0) \
  V(F32x4ConvertI32x4U, 0xfdfb, "f32x4.convert_i32x4_u", kNone, "v:v", 0) \
  V(I32x4TruncSatF64x2SZero, 0xfdfc, "i32x4.trunc_sat_f64x2_s_zero", kNone, "v:v", 0) \
  V(I32x4TruncSatF64x2UZero, 0xfdfd, "i32x4.trunc_sat_f64x2_u_zero", kNone, "v:v", 0) \
  V(F64x2ConvertLowI32x4S, 0xfdfe, "f64x2.convert_low_i32x4_s", kNone, "v:v", 0) \
  V(F64x2ConvertLowI32x4U, 0xfdff, "f64x2.convert_low_i32x4_u", kNone, "v:v", 0)


// Atomic read-modify-write families share one layout of seven widths.
#define RIVET_ATOMIC_RMW(V, Op, op, base)                                              \
  V(I32AtomicRmw##Op, base + 0, "i32.atomic.rmw." op, kMemArg, "ii:i", 4)              \
  V(I64AtomicRmw##Op, base + 1, "i64.atomic.rmw." op, kMemArg, "il:l", 8)              \
  V(I32AtomicRmw8##Op##U, base + 2, "i32.atomic.rmw8." op "_u", kMemArg, "ii:i", 1)    \
  V(I32AtomicRmw16##Op##U, base + 3, "i32.atomic.rmw16." op "_u", kMemArg, "ii:i", 2)  \
  V(I64AtomicRmw8##Op##U, base + 4, "i64.atomic.rmw8." op "_u", kMemArg, "il:l", 1)    \
  V(I64AtomicRmw16##Op##U, base + 5, "i64.atomic.rmw16." op "_u", kMemArg, "il:l", 2)  \
  V(I64AtomicRmw32##Op##U, base + 6, "i64.atomic.rmw32." op "_u", kMemArg, "il:l", 4)

#define RIVET_FOREACH_ATOMIC_OPCODE(V)                                                 \
  V(MemoryAtomicNotify, 0xfe00, "memory.atomic.notify", kMemArg, "ii:i", 4)            \
  V(MemoryAtomicWait32, 0xfe01, "memory.atomic.wait32", kMemArg, "iil:i", 4)           \
  V(MemoryAtomicWait64, 0xfe02, "memory.atomic.wait64", kMemArg, "ill:i", 8)           \
  V(AtomicFence, 0xfe03, "atomic.fence", kFence, ":", 0)                               \
  V(I32AtomicLoad, 0xfe10, "i32.atomic.load", kMemArg, "i:i", 4)                       \
  V(I64AtomicLoad, 0xfe11, "i64.atomic.load", kMemArg, "i:l", 8)                       \
  V(I32AtomicLoad8U, 0xfe12, "i32.atomic.load8_u", kMemArg, "i:i", 1)                  \
  V(I32AtomicLoad16U, 0xfe13, "i32.atomic.load16_u", kMemArg, "i:i", 2)                \
  V(I64AtomicLoad8U, 0xfe14, "i64.atomic.load8_u", kMemArg, "i:l", 1)                  \
  V(I64AtomicLoad16U, 0xfe15, "i64.atomic.load16_u", kMemArg, "i:l", 2)                \
  V(I64AtomicLoad32U, 0xfe16, "i64.atomic.load32_u", kMemArg, "i:l", 4)                \
  V(I32AtomicStore, 0xfe17, "i32.atomic.store", kMemArg, "ii:", 4)                     \
  V(I64AtomicStore, 0xfe18, "i64.atomic.store", kMemArg, "il:", 8)                     \
  V(I32AtomicStore8, 0xfe19, "i32.atomic.store8", kMemArg, "ii:", 1)                   \
  V(I32AtomicStore16, 0xfe1a, "i32.atomic.store16", kMemArg, "ii:", 2)                 \
  V(I64AtomicStore8, 0xfe1b, "i64.atomic.store8", kMemArg, "il:", 1)                   \
  V(I64AtomicStore16, 0xfe1c, "i64.atomic.store16", kMemArg, "il:", 2)                 \
  V(I64AtomicStore32, 0xfe1d, "i64.atomic.store32", kMemArg, "il:", 4)                 \
  RIVET_ATOMIC_RMW(V, Add, "add", 0xfe1e)                                              \
  RIVET_ATOMIC_RMW(V, Sub, "sub", 0xfe25)                                              \
  RIVET_ATOMIC_RMW(V, And, "and", 0xfe2c)                                              \
  RIVET_ATOMIC_RMW(V, Or, "or", 0xfe33)                                                \
  RIVET_ATOMIC_RMW(V, Xor, "xor", 0xfe3a)                                              \
  RIVET_ATOMIC_RMW(V, Xchg, "xchg", 0xfe41)                                            \
  V(I32AtomicRmwCmpxchg, 0xfe48, "i32.atomic.rmw.cmpxchg", kMemArg, "iii:i", 4)        \
  V(I64AtomicRmwCmpxchg, 0xfe49, "i64.atomic.rmw.cmpxchg", kMemArg, "ill:l", 8)        \
  V(I32AtomicRmw8CmpxchgU, 0xfe4a, "i32.atomic.rmw8.cmpxchg_u", kMemArg, "iii:i", 1)   \
  V(I32AtomicRmw16CmpxchgU, 0xfe4b, "i32.atomic.rmw16.cmpxchg_u", kMemArg, "iii:i", 2) \
  V(I64AtomicRmw8CmpxchgU, 0xfe4c, "i64.atomic.rmw8.cmpxchg_u", kMemArg, "ill:l", 1)   \
  V(I64AtomicRmw16CmpxchgU, 0xfe4d, "i64.atomic.rmw16.cmpxchg_u", kMemArg, "ill:l", 2) \
  V(I64AtomicRmw32CmpxchgU, 0xfe4e, "i64.atomic.rmw32.cmpxchg_u", kMemArg, "ill:l", 4)

namespace op {
#define RIVET_DECLARE_OPCODE(name, code, text, imm, sig, size) \
  inline constexpr Opcode k##name = code;
RIVET_FOREACH_OPCODE(RIVET_DECLARE_OPCODE)
#undef RIVET_DECLARE_OPCODE
}  // namespace op

// What the table says about one opcode.
struct OpInfo {
  std::string_view name;  // empty for an unknown opcode
  Imm imm = Imm::kNone;
  // Fixed stack effect, or has_signature == false when the validator types
  // the instruction itself. Types use the binary encoding (0x7f = i32, ...).
  bool has_signature = false;
  uint8_t num_params = 0;
  uint8_t num_results = 0;
  uint8_t params[3] = {};
  uint8_t result = 0;
  // Bytes accessed by a memory instruction (natural alignment = log2 of it);
  // for lane instructions, the number of lanes.
  uint8_t access_size = 0;

  bool known() const { return !name.empty(); }
};

// Information for `opcode`; OpInfo::known() is false for opcodes rivet does
// not implement.
const OpInfo& GetOpInfo(Opcode opcode);

inline bool IsAtomic(Opcode opcode) { return (opcode >> 8) == 0xfe; }

}  // namespace rivet

#endif  // RIVET_LOADER_OPCODES_H_
