// The decoded, validated form of a WebAssembly module.
//
// A Module owns the bytes it was decoded from; function bodies, constant
// expressions and data segments are ranges into them rather than copies, so
// a module costs little more memory than its binary. Once DecodeModule has
// returned it, a Module is immutable and may be shared between threads and
// instances.
#ifndef RIVET_LOADER_MODULE_H_
#define RIVET_LOADER_MODULE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "loader/features.h"
#include "loader/result.h"

namespace rivet {

// Value types, by their binary encoding.
enum class ValType : uint8_t {
  kI32 = 0x7f,
  kI64 = 0x7e,
  kF32 = 0x7d,
  kF64 = 0x7c,
  kV128 = 0x7b,
  kFuncRef = 0x70,
  kExternRef = 0x6f,
};

std::string_view ValTypeName(ValType type);
inline bool IsRefType(ValType type) {
  return type == ValType::kFuncRef || type == ValType::kExternRef;
}

enum class ExternKind : uint8_t { kFunc = 0, kTable = 1, kMemory = 2, kGlobal = 3 };
std::string_view ExternKindName(ExternKind kind);

// A function signature: params then results, in one allocation.
class FuncType {
 public:
  FuncType() = default;
  FuncType(std::vector<ValType> params, std::vector<ValType> results);

  std::span<const ValType> params() const { return {types_.data(), num_params_}; }
  std::span<const ValType> results() const {
    return {types_.data() + num_params_, types_.size() - num_params_};
  }
  bool operator==(const FuncType& other) const {
    return num_params_ == other.num_params_ && types_ == other.types_;
  }
  std::string ToString() const;  // "(i32, i64) -> (f32)"

 private:
  std::vector<ValType> types_;
  size_t num_params_ = 0;
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool shared = false;
};

struct TableType {
  ValType elem_type = ValType::kFuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits;  // in 64 KiB pages
};

struct GlobalType {
  ValType type = ValType::kI32;
  bool is_mutable = false;
};

// A constant expression: a range of the module's bytes, ending with `end`,
// already validated. Instantiation evaluates it.
struct ConstExpr {
  uint32_t offset = 0;
  uint32_t size = 0;
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::kFunc;
  uint32_t index = 0;  // index in the space of its kind (imports come first)
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::kFunc;
  uint32_t index = 0;
};

enum class SegmentMode : uint8_t { kActive, kPassive, kDeclarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::kActive;
  ValType type = ValType::kFuncRef;
  uint32_t table = 0;
  ConstExpr offset;  // for active segments
  // Items are either plain function indices (the compact encodings) or
  // constant expressions; exactly one of the two vectors is used.
  std::vector<uint32_t> func_indices;
  std::vector<ConstExpr> exprs;
  size_t size() const { return exprs.empty() ? func_indices.size() : exprs.size(); }
};

struct DataSegment {
  SegmentMode mode = SegmentMode::kActive;
  uint32_t memory = 0;
  ConstExpr offset;  // for active segments
  uint32_t data_offset = 0;
  uint32_t data_size = 0;
};

// A local declaration run: `count` locals of `type`.
struct LocalRun {
  uint32_t count;
  ValType type;
};

struct Function {
  uint32_t type_index = 0;
  // Defined functions only: the locals after the parameters, and the code
  // (instructions through the final `end`) as a range of the module's bytes.
  std::vector<LocalRun> locals;
  uint32_t num_locals = 0;  // sum of locals[i].count
  uint32_t code_offset = 0;
  uint32_t code_size = 0;
  uint32_t body_offset = 0;  // where the body (its size LEB) starts, for errors
};

struct CustomSection {
  std::string name;
  uint32_t offset = 0;  // of the payload after the name
  uint32_t size = 0;
};

// Debug names from the `name` custom section, when it is present and well
// formed (a malformed name section is ignored, as the spec requires).
struct Names {
  std::string module;
  std::unordered_map<uint32_t, std::string> functions;
};

class Module {
 public:
  // Index spaces: imports first, then definitions.
  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<Function> functions;
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<GlobalType> globals;
  std::vector<ConstExpr> global_inits;  // for defined globals only
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;
  std::vector<CustomSection> customs;
  Names names;
  Features features;  // what the module was decoded and validated with

  uint32_t num_imported_functions = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;

  std::span<const uint8_t> bytes() const { return bytes_; }
  std::span<const uint8_t> Range(uint32_t offset, uint32_t size) const {
    return std::span<const uint8_t>(bytes_).subspan(offset, size);
  }
  const FuncType& FunctionType(uint32_t func_index) const {
    return types[functions[func_index].type_index];
  }
  bool IsImportedFunction(uint32_t func_index) const {
    return func_index < num_imported_functions;
  }
  // "$name" from the name section, or "#index".
  std::string FunctionName(uint32_t func_index) const;

 private:
  friend class ModuleDecoder;
  std::vector<uint8_t> bytes_;
};

// Decodes and validates a module. Every error names what is wrong, the byte
// offset and the section or function it was found in.
Result<std::shared_ptr<const Module>> DecodeModule(std::vector<uint8_t> bytes,
                                                   const Features& features = Features::All());

}  // namespace rivet

#endif  // RIVET_LOADER_MODULE_H_
