// Assembling WebAssembly binary modules in tests.
//
// Small building blocks (LEB128 writers, names, vectors, sections,
// instructions with their immediates) that concatenate with Cat(), plus a
// ModuleBuilder that lays sections out in the order the binary format
// requires, so that tests read like the module they describe:
//
//   ModuleBuilder b;
//   uint32_t t = b.AddType({kI32}, {kI32});
//   b.AddFunction(t, Cat(LocalGet(0), I32Const(1), kI32Add, kEnd));
//   Bytes wasm = b.Build();
//
// The encodings here come from the binary format specification, not from the
// loader's own tables (loader/opcodes.h), so that a mistake there cannot hide
// itself. Function bodies are written with their final `end` explicit, so that
// malformed bodies are as easy to write as valid ones.
#ifndef RIVET_TESTS_LOADER_WASM_BUILDER_H_
#define RIVET_TESTS_LOADER_WASM_BUILDER_H_

#include <cassert>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace rivet::test {

using Bytes = std::vector<uint8_t>;

// --- Concatenation ----------------------------------------------------------

namespace internal {
inline void Append(Bytes& out, const Bytes& part) { out.insert(out.end(), part.begin(), part.end()); }
template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
void Append(Bytes& out, T byte) {
  assert(byte >= 0 && static_cast<uint64_t>(byte) <= 0xff && "Cat() takes single bytes");
  out.push_back(static_cast<uint8_t>(byte));
}
}  // namespace internal

// Concatenates any mix of Bytes and single bytes (integers 0..255).
template <typename... Parts>
Bytes Cat(const Parts&... parts) {
  Bytes out;
  (internal::Append(out, parts), ...);
  return out;
}

// The raw bytes of a string, without a length.
inline Bytes Str(std::string_view s) { return Bytes(s.begin(), s.end()); }

// --- LEB128 -----------------------------------------------------------------

// Unsigned LEB128, shortest form.
inline Bytes Leb(uint64_t value) {
  Bytes out;
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    if (value) byte |= 0x80;
    out.push_back(byte);
  } while (value);
  return out;
}

// Signed LEB128, shortest form.
inline Bytes SLeb(int64_t value) {
  Bytes out;
  while (true) {
    uint8_t byte = value & 0x7f;
    value >>= 7;  // arithmetic
    bool done = (value == 0 && !(byte & 0x40)) || (value == -1 && (byte & 0x40));
    if (!done) byte |= 0x80;
    out.push_back(byte);
    if (done) return out;
  }
}

// Unsigned LEB128 padded to exactly `width` bytes (as linkers write
// relocatable fields): still a valid encoding when width <= ceil(N/7).
inline Bytes PaddedLeb(uint64_t value, int width) {
  Bytes out;
  for (int i = 0; i < width; ++i) {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    if (i + 1 < width) byte |= 0x80;
    out.push_back(byte);
  }
  assert(value == 0 && "value does not fit in the padded width");
  return out;
}

// Signed LEB128 padded to exactly `width` bytes.
inline Bytes PaddedSLeb(int64_t value, int width) {
  Bytes out;
  for (int i = 0; i < width; ++i) {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    if (i + 1 < width) byte |= 0x80;
    out.push_back(byte);
  }
  return out;
}

// --- Types and encodings ----------------------------------------------------

// Value types, and the empty block type.
inline constexpr uint8_t kI32 = 0x7f;
inline constexpr uint8_t kI64 = 0x7e;
inline constexpr uint8_t kF32 = 0x7d;
inline constexpr uint8_t kF64 = 0x7c;
inline constexpr uint8_t kV128 = 0x7b;
inline constexpr uint8_t kFuncRef = 0x70;
inline constexpr uint8_t kExternRef = 0x6f;
inline constexpr uint8_t kVoid = 0x40;  // block type with no params or results

// Section ids.
enum SectionId : uint8_t {
  kCustomId = 0,
  kTypeId = 1,
  kImportId = 2,
  kFunctionId = 3,
  kTableId = 4,
  kMemoryId = 5,
  kGlobalId = 6,
  kExportId = 7,
  kStartId = 8,
  kElementId = 9,
  kCodeId = 10,
  kDataId = 11,
  kDataCountId = 12,
};

// External kinds (imports and exports).
inline constexpr uint8_t kExternFunc = 0;
inline constexpr uint8_t kExternTable = 1;
inline constexpr uint8_t kExternMemory = 2;
inline constexpr uint8_t kExternGlobal = 3;

// The module header: magic and version 1.
inline Bytes Header() { return {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}; }

// A length-prefixed name.
inline Bytes Name(std::string_view s) { return Cat(Leb(s.size()), Str(s)); }

// A vector: its count, then the items.
inline Bytes Vec(const std::vector<Bytes>& items) {
  Bytes out = Leb(items.size());
  for (const Bytes& item : items) internal::Append(out, item);
  return out;
}
// A vector of single bytes (value types, ...).
inline Bytes ByteVec(const Bytes& items) { return Cat(Leb(items.size()), items); }
// A vector of unsigned LEB128 indices.
inline Bytes IndexVec(const std::vector<uint32_t>& indices) {
  Bytes out = Leb(indices.size());
  for (uint32_t index : indices) internal::Append(out, Leb(index));
  return out;
}

// A section: id, payload size, payload.
inline Bytes Section(uint8_t id, const Bytes& payload) {
  return Cat(id, Leb(payload.size()), payload);
}
// A custom section: its name then free-form content.
inline Bytes Custom(std::string_view name, const Bytes& content) {
  return Section(kCustomId, Cat(Name(name), content));
}

// Header followed by the given sections, as they are.
template <typename... Sections>
Bytes RawModule(const Sections&... sections) {
  return Cat(Header(), sections...);
}

inline Bytes Signature(const Bytes& params, const Bytes& results) {
  return Cat(0x60, ByteVec(params), ByteVec(results));
}

// Limits; flags bit 0: has max, bit 1: shared.
inline Bytes LimitsOf(uint32_t min, std::optional<uint32_t> max = std::nullopt,
                    bool shared = false) {
  uint8_t flags = (max ? 1 : 0) | (shared ? 2 : 0);
  Bytes out = Cat(flags, Leb(min));
  if (max) internal::Append(out, Leb(*max));
  return out;
}

// A function body: size, local declaration runs {count, type}, code. The code
// must end with its own `end`.
struct Locals {
  uint32_t count;
  uint8_t type;
};
inline Bytes Body(const std::vector<Locals>& locals, const Bytes& code) {
  Bytes content = Leb(locals.size());
  for (const Locals& run : locals) internal::Append(content, Cat(Leb(run.count), run.type));
  internal::Append(content, code);
  return Cat(Leb(content.size()), content);
}

// --- Instructions -----------------------------------------------------------

// Single-byte opcodes.
inline constexpr uint8_t kUnreachable = 0x00;
inline constexpr uint8_t kNop = 0x01;
inline constexpr uint8_t kBlockOp = 0x02;
inline constexpr uint8_t kLoopOp = 0x03;
inline constexpr uint8_t kIfOp = 0x04;
inline constexpr uint8_t kElse = 0x05;
inline constexpr uint8_t kEnd = 0x0b;
inline constexpr uint8_t kBrOp = 0x0c;
inline constexpr uint8_t kBrIfOp = 0x0d;
inline constexpr uint8_t kBrTableOp = 0x0e;
inline constexpr uint8_t kReturn = 0x0f;
inline constexpr uint8_t kCallOp = 0x10;
inline constexpr uint8_t kCallIndirectOp = 0x11;
inline constexpr uint8_t kReturnCallOp = 0x12;
inline constexpr uint8_t kReturnCallIndirectOp = 0x13;
inline constexpr uint8_t kDrop = 0x1a;
inline constexpr uint8_t kSelect = 0x1b;
inline constexpr uint8_t kSelectTOp = 0x1c;
inline constexpr uint8_t kLocalGetOp = 0x20;
inline constexpr uint8_t kLocalSetOp = 0x21;
inline constexpr uint8_t kLocalTeeOp = 0x22;
inline constexpr uint8_t kGlobalGetOp = 0x23;
inline constexpr uint8_t kGlobalSetOp = 0x24;
inline constexpr uint8_t kTableGetOp = 0x25;
inline constexpr uint8_t kTableSetOp = 0x26;
inline constexpr uint8_t kI32Load = 0x28;
inline constexpr uint8_t kI64Load = 0x29;
inline constexpr uint8_t kF32Load = 0x2a;
inline constexpr uint8_t kF64Load = 0x2b;
inline constexpr uint8_t kI32Load8U = 0x2d;
inline constexpr uint8_t kI32Load16U = 0x2f;
inline constexpr uint8_t kI64Load32U = 0x35;
inline constexpr uint8_t kI32Store = 0x36;
inline constexpr uint8_t kI64Store = 0x37;
inline constexpr uint8_t kI32Store8 = 0x3a;
inline constexpr uint8_t kMemorySizeOp = 0x3f;
inline constexpr uint8_t kMemoryGrowOp = 0x40;
inline constexpr uint8_t kI32ConstOp = 0x41;
inline constexpr uint8_t kI64ConstOp = 0x42;
inline constexpr uint8_t kF32ConstOp = 0x43;
inline constexpr uint8_t kF64ConstOp = 0x44;
inline constexpr uint8_t kI32Eqz = 0x45;
inline constexpr uint8_t kI32Eq = 0x46;
inline constexpr uint8_t kI32Add = 0x6a;
inline constexpr uint8_t kI32Sub = 0x6b;
inline constexpr uint8_t kI32Mul = 0x6c;
inline constexpr uint8_t kI32DivS = 0x6d;
inline constexpr uint8_t kI64Add = 0x7c;
inline constexpr uint8_t kI64Sub = 0x7d;
inline constexpr uint8_t kI64Mul = 0x7e;
inline constexpr uint8_t kF32Add = 0x92;
inline constexpr uint8_t kF64Add = 0xa0;
inline constexpr uint8_t kI32WrapI64 = 0xa7;
inline constexpr uint8_t kI64ExtendI32S = 0xac;
inline constexpr uint8_t kRefNullOp = 0xd0;
inline constexpr uint8_t kRefIsNull = 0xd1;
inline constexpr uint8_t kRefFuncOp = 0xd2;
inline constexpr uint8_t kMiscPrefix = 0xfc;
inline constexpr uint8_t kSimdPrefix = 0xfd;
inline constexpr uint8_t kAtomicPrefix = 0xfe;

inline Bytes I32Const(int32_t v) { return Cat(kI32ConstOp, SLeb(v)); }
inline Bytes I64Const(int64_t v) { return Cat(kI64ConstOp, SLeb(v)); }
inline Bytes F32Const(float v) {
  uint8_t raw[4];
  std::memcpy(raw, &v, 4);  // little-endian hosts only, as the loader assumes
  return Cat(kF32ConstOp, Bytes(raw, raw + 4));
}
inline Bytes F64Const(double v) {
  uint8_t raw[8];
  std::memcpy(raw, &v, 8);
  return Cat(kF64ConstOp, Bytes(raw, raw + 8));
}

inline Bytes LocalGet(uint32_t i) { return Cat(kLocalGetOp, Leb(i)); }
inline Bytes LocalSet(uint32_t i) { return Cat(kLocalSetOp, Leb(i)); }
inline Bytes LocalTee(uint32_t i) { return Cat(kLocalTeeOp, Leb(i)); }
inline Bytes GlobalGet(uint32_t i) { return Cat(kGlobalGetOp, Leb(i)); }
inline Bytes GlobalSet(uint32_t i) { return Cat(kGlobalSetOp, Leb(i)); }
inline Bytes TableGet(uint32_t t) { return Cat(kTableGetOp, Leb(t)); }
inline Bytes TableSet(uint32_t t) { return Cat(kTableSetOp, Leb(t)); }

inline Bytes Call(uint32_t f) { return Cat(kCallOp, Leb(f)); }
inline Bytes CallIndirect(uint32_t type, uint32_t table = 0) {
  return Cat(kCallIndirectOp, Leb(type), Leb(table));
}
inline Bytes ReturnCall(uint32_t f) { return Cat(kReturnCallOp, Leb(f)); }
inline Bytes ReturnCallIndirect(uint32_t type, uint32_t table = 0) {
  return Cat(kReturnCallIndirectOp, Leb(type), Leb(table));
}

inline Bytes Br(uint32_t depth) { return Cat(kBrOp, Leb(depth)); }
inline Bytes BrIf(uint32_t depth) { return Cat(kBrIfOp, Leb(depth)); }
inline Bytes BrTable(const std::vector<uint32_t>& targets, uint32_t default_target) {
  return Cat(kBrTableOp, IndexVec(targets), Leb(default_target));
}

// Block types: a single byte (kVoid or a value type), or a type index.
inline Bytes TypeIndex(uint32_t index) { return SLeb(index); }
inline Bytes Block(uint8_t type) { return Cat(kBlockOp, type); }
inline Bytes Block(const Bytes& type) { return Cat(kBlockOp, type); }
inline Bytes Loop(uint8_t type) { return Cat(kLoopOp, type); }
inline Bytes Loop(const Bytes& type) { return Cat(kLoopOp, type); }
inline Bytes If(uint8_t type) { return Cat(kIfOp, type); }
inline Bytes If(const Bytes& type) { return Cat(kIfOp, type); }

inline Bytes SelectT(uint8_t type) { return Cat(kSelectTOp, 0x01, type); }
inline Bytes RefNull(uint8_t type) { return Cat(kRefNullOp, type); }
inline Bytes RefFunc(uint32_t f) { return Cat(kRefFuncOp, Leb(f)); }

// A memory immediate: alignment exponent and offset (memory 0).
inline Bytes MemArg(uint32_t align_log2, uint32_t offset) {
  return Cat(Leb(align_log2), Leb(offset));
}
// A memory immediate naming a memory (multi-memory: bit 6 of the alignment).
inline Bytes MemArgIdx(uint32_t align_log2, uint32_t memory, uint32_t offset) {
  return Cat(Leb(align_log2 | 0x40), Leb(memory), Leb(offset));
}
// A load or store: opcode (one byte, or a prefixed Bytes) and memarg.
inline Bytes Mem(uint8_t opcode, uint32_t align_log2, uint32_t offset) {
  return Cat(opcode, MemArg(align_log2, offset));
}
inline Bytes Mem(const Bytes& opcode, uint32_t align_log2, uint32_t offset) {
  return Cat(opcode, MemArg(align_log2, offset));
}

// Prefixed opcodes: 0xFC (saturating truncation, bulk memory, tables),
// 0xFD (SIMD), 0xFE (threads), each followed by a LEB128 sub-opcode.
inline Bytes Misc(uint32_t sub) { return Cat(kMiscPrefix, Leb(sub)); }
inline Bytes Simd(uint32_t sub) { return Cat(kSimdPrefix, Leb(sub)); }
inline Bytes Atomic(uint32_t sub) { return Cat(kAtomicPrefix, Leb(sub)); }

inline Bytes MemoryInit(uint32_t data, uint32_t memory = 0) {
  return Cat(Misc(8), Leb(data), memory);
}
inline Bytes DataDrop(uint32_t data) { return Cat(Misc(9), Leb(data)); }
inline Bytes MemoryCopy() { return Cat(Misc(10), 0x00, 0x00); }
inline Bytes MemoryFill() { return Cat(Misc(11), 0x00); }
inline Bytes TableInit(uint32_t elem, uint32_t table = 0) {
  return Cat(Misc(12), Leb(elem), Leb(table));
}
inline Bytes ElemDrop(uint32_t elem) { return Cat(Misc(13), Leb(elem)); }
inline Bytes TableCopy(uint32_t dst, uint32_t src) { return Cat(Misc(14), Leb(dst), Leb(src)); }
inline Bytes TableSize(uint32_t table) { return Cat(Misc(16), Leb(table)); }

inline Bytes V128Const(const Bytes& sixteen) {
  assert(sixteen.size() == 16);
  return Cat(Simd(12), sixteen);
}
inline Bytes V128Zero() { return V128Const(Bytes(16, 0)); }

// A constant expression: the instructions, then `end`.
inline Bytes Expr(const Bytes& instructions) { return Cat(instructions, kEnd); }

// --- Modules ----------------------------------------------------------------

// Collects the entries of each section and writes them out in the order the
// binary format requires. Sections without entries are left out, except that
// the function and code sections are written together. Custom sections go
// after the non-custom section with the given id (0: right after the header;
// the default: at the end).
class ModuleBuilder {
 public:
  uint32_t AddType(const Bytes& params, const Bytes& results) {
    types_.push_back(Signature(params, results));
    return static_cast<uint32_t>(types_.size() - 1);
  }
  // A type entry given as raw bytes (normally Signature(...)).
  uint32_t AddRawType(const Bytes& entry) {
    types_.push_back(entry);
    return static_cast<uint32_t>(types_.size() - 1);
  }

  uint32_t ImportFunction(std::string_view module, std::string_view name, uint32_t type) {
    imports_.push_back(Cat(Name(module), Name(name), kExternFunc, Leb(type)));
    return num_funcs_++;
  }
  uint32_t ImportTable(std::string_view module, std::string_view name, uint8_t elem_type,
                       uint32_t min, std::optional<uint32_t> max = std::nullopt) {
    imports_.push_back(Cat(Name(module), Name(name), kExternTable, elem_type, LimitsOf(min, max)));
    return num_tables_++;
  }
  uint32_t ImportMemory(std::string_view module, std::string_view name, uint32_t min,
                        std::optional<uint32_t> max = std::nullopt, bool shared = false) {
    imports_.push_back(Cat(Name(module), Name(name), kExternMemory, LimitsOf(min, max, shared)));
    return num_memories_++;
  }
  uint32_t ImportGlobal(std::string_view module, std::string_view name, uint8_t type,
                        bool is_mutable = false) {
    imports_.push_back(Cat(Name(module), Name(name), kExternGlobal, type, is_mutable ? 1 : 0));
    return num_globals_++;
  }

  // A defined function; `code` ends with its own `end`. Returns its index in
  // the function index space (after the imported functions).
  uint32_t AddFunction(uint32_t type, const Bytes& code, const std::vector<Locals>& locals = {}) {
    functions_.push_back(Leb(type));
    bodies_.push_back(Body(locals, code));
    return num_funcs_++;
  }
  // A function whose body entry (size included) is given as it is.
  uint32_t AddFunctionWithRawBody(uint32_t type, const Bytes& body_entry) {
    functions_.push_back(Leb(type));
    bodies_.push_back(body_entry);
    return num_funcs_++;
  }

  uint32_t AddTable(uint8_t elem_type, uint32_t min, std::optional<uint32_t> max = std::nullopt) {
    tables_.push_back(Cat(elem_type, LimitsOf(min, max)));
    return num_tables_++;
  }
  uint32_t AddMemory(uint32_t min, std::optional<uint32_t> max = std::nullopt,
                     bool shared = false) {
    memories_.push_back(LimitsOf(min, max, shared));
    return num_memories_++;
  }
  // `init` is a constant expression including its `end` (see Expr()).
  uint32_t AddGlobal(uint8_t type, bool is_mutable, const Bytes& init) {
    globals_.push_back(Cat(type, is_mutable ? 1 : 0, init));
    return num_globals_++;
  }

  void AddExport(std::string_view name, uint8_t kind, uint32_t index) {
    exports_.push_back(Cat(Name(name), kind, Leb(index)));
  }
  void SetStart(uint32_t function) { start_ = function; }

  // Element and data segments, encoded by the caller (flags first).
  void AddElem(const Bytes& segment) { elems_.push_back(segment); }
  // The common case: an active segment of function indices at a constant
  // offset in table 0 (encoding 0).
  void AddActiveElem(int32_t offset, const std::vector<uint32_t>& functions) {
    elems_.push_back(Cat(0x00, Expr(I32Const(offset)), IndexVec(functions)));
  }
  // A declarative segment (encoding 3): declares functions for ref.func.
  void AddDeclarativeElem(const std::vector<uint32_t>& functions) {
    elems_.push_back(Cat(0x03, 0x00, IndexVec(functions)));
  }
  void AddData(const Bytes& segment) { datas_.push_back(segment); }
  // An active segment in memory 0 at a constant offset (encoding 0).
  void AddActiveData(int32_t offset, const Bytes& contents) {
    datas_.push_back(Cat(0x00, Expr(I32Const(offset)), Leb(contents.size()), contents));
  }
  // A passive segment (encoding 1).
  void AddPassiveData(const Bytes& contents) {
    datas_.push_back(Cat(0x01, Leb(contents.size()), contents));
  }
  void SetDataCount(uint32_t count) { data_count_ = count; }

  static constexpr uint8_t kAtEnd = 0xff;
  void AddCustom(std::string_view name, const Bytes& content, uint8_t after_section = kAtEnd) {
    customs_.push_back({after_section, Custom(name, content)});
  }

  uint32_t num_functions() const { return num_funcs_; }

  Bytes Build() const {
    Bytes out = Header();
    EmitCustoms(out, 0);
    auto emit = [&](uint8_t id, const std::vector<Bytes>& entries) {
      if (!entries.empty()) internal::Append(out, Section(id, Vec(entries)));
      EmitCustoms(out, id);
    };
    emit(kTypeId, types_);
    emit(kImportId, imports_);
    emit(kFunctionId, functions_);
    emit(kTableId, tables_);
    emit(kMemoryId, memories_);
    emit(kGlobalId, globals_);
    emit(kExportId, exports_);
    if (start_) internal::Append(out, Section(kStartId, Leb(*start_)));
    EmitCustoms(out, kStartId);
    emit(kElementId, elems_);
    if (data_count_) internal::Append(out, Section(kDataCountId, Leb(*data_count_)));
    EmitCustoms(out, kDataCountId);
    emit(kCodeId, bodies_);
    emit(kDataId, datas_);
    EmitCustoms(out, kAtEnd);
    return out;
  }

 private:
  void EmitCustoms(Bytes& out, uint8_t after) const {
    for (const auto& [where, section] : customs_) {
      if (where == after) internal::Append(out, section);
    }
  }

  std::vector<Bytes> types_, imports_, functions_, tables_, memories_, globals_, exports_,
      elems_, bodies_, datas_;
  std::optional<uint32_t> start_;
  std::optional<uint32_t> data_count_;
  std::vector<std::pair<uint8_t, Bytes>> customs_;
  uint32_t num_funcs_ = 0, num_tables_ = 0, num_memories_ = 0, num_globals_ = 0;
};

// A `name` custom section's content with a function-names subsection.
inline Bytes FunctionNames(const std::vector<std::pair<uint32_t, std::string>>& names) {
  Bytes map = Leb(names.size());
  for (const auto& [index, name] : names) internal::Append(map, Cat(Leb(index), Name(name)));
  return Cat(0x01, Leb(map.size()), map);
}
// A `name` custom section's module-name subsection.
inline Bytes ModuleName(std::string_view name) {
  Bytes content = Name(name);
  return Cat(0x00, Leb(content.size()), content);
}

}  // namespace rivet::test

#endif  // RIVET_TESTS_LOADER_WASM_BUILDER_H_
