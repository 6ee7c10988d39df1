// Decoding of the module structure: the header, every section in order, and
// the module-level validation rules. Function bodies and constant
// expressions are validated by the one walk in function_validator.h.
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "loader/function_validator.h"
#include "loader/module.h"
#include "loader/reader.h"

namespace rivet {
namespace {

// Implementation limits. The spec allows up to 2^32-1 locals; rivet's
// engines allocate frames eagerly, so like V8 it caps them.
constexpr uint32_t kMaxLocals = 50000;
// Like V8 and the JS API, rivet bounds the parameters and results of a
// function type, which keeps validation linear in the size of the code.
constexpr uint32_t kMaxFunctionParams = 1000;
constexpr uint32_t kMaxFunctionResults = 1000;
constexpr uint64_t kMaxMemoryPages = 65536;

enum SectionId : uint8_t {
  kCustomSection = 0,
  kTypeSection = 1,
  kImportSection = 2,
  kFunctionSection = 3,
  kTableSection = 4,
  kMemorySection = 5,
  kGlobalSection = 6,
  kExportSection = 7,
  kStartSection = 8,
  kElementSection = 9,
  kCodeSection = 10,
  kDataSection = 11,
  kDataCountSection = 12,
};

const char* SectionName(uint8_t id) {
  static const char* const kNames[] = {"custom", "type",  "import", "function", "table",
                                       "memory", "global", "export", "start",    "element",
                                       "code",   "data",  "data count"};
  return id <= kDataCountSection ? kNames[id] : "unknown";
}

// Sections other than custom ones must appear in this order, at most once.
int SectionRank(uint8_t id) {
  switch (id) {
    case kTypeSection: return 1;
    case kImportSection: return 2;
    case kFunctionSection: return 3;
    case kTableSection: return 4;
    case kMemorySection: return 5;
    case kGlobalSection: return 6;
    case kExportSection: return 7;
    case kStartSection: return 8;
    case kElementSection: return 9;
    case kDataCountSection: return 10;
    case kCodeSection: return 11;
    case kDataSection: return 12;
  }
  return 0;
}

bool IsValType(uint8_t byte, const Features& features) {
  switch (byte) {
    case 0x7f: case 0x7e: case 0x7d: case 0x7c: case 0x7b:
      return true;
    case 0x70: case 0x6f:
      return features.reference_types;
  }
  return false;
}

// Records the functions that ref.func names inside constant expressions:
// they are the declared references that function bodies may take.
struct RefCollector {
  std::vector<uint32_t>* refs;
  template <typename V>
  void OnInstruction(const Instruction& ins, const V&) {
    if (ins.opcode == op::kRefFunc) refs->push_back(ins.index);
  }
};

}  // namespace

class ModuleDecoder {
 public:
  ModuleDecoder(std::vector<uint8_t> bytes, const Features& features)
      : module_(std::make_shared<Module>()), features_(features) {
    module_->bytes_ = std::move(bytes);
    module_->features = features;
  }

  Result<std::shared_ptr<const Module>> Decode();

 private:
  // Section decoders; each returns false after recording an error.
  bool DecodeSection(uint8_t id, Reader& r);
  bool DecodeTypes(Reader& r);
  bool DecodeImports(Reader& r);
  bool DecodeFunctions(Reader& r);
  bool DecodeTables(Reader& r);
  bool DecodeMemories(Reader& r);
  bool DecodeGlobals(Reader& r);
  bool DecodeExports(Reader& r);
  bool DecodeStart(Reader& r);
  bool DecodeElements(Reader& r);
  bool DecodeDataCount(Reader& r);
  bool DecodeCode(Reader& r);
  bool DecodeData(Reader& r);
  bool DecodeCustom(Reader& r);
  void DecodeNames(Reader r);
  // Reads the name section ahead of everything else, wherever it is (tools
  // put it last), so that errors in code can name their function.
  void FindNames(Reader r);

  bool ReadValType(Reader& r, ValType& out);
  bool ReadLimits(Reader& r, Limits& out, bool is_memory);
  bool ReadTableType(Reader& r, TableType& out);
  bool ReadMemoryType(Reader& r, MemoryType& out);
  bool ReadGlobalType(Reader& r, GlobalType& out);
  bool ReadConstExpr(Reader& r, ValType type, uint32_t visible_globals, std::string_view where,
                     ConstExpr& out);
  // Reads a vector length, refusing counts that cannot fit in the bytes
  // left (each element takes at least one byte), so that a corrupt count
  // never causes a huge allocation.
  bool ReadCount(Reader& r, uint32_t& count);

  bool Fail(Reader& r) { return FailAt(r.error_offset(), r.error()); }
  bool Fail(Reader& r, std::string message) {
    return FailAt(r.offset(), std::move(message));
  }
  bool FailAt(size_t offset, std::string message);

  std::shared_ptr<Module> module_;
  Features features_;
  std::string error_;
  const char* section_ = "module header";
  std::vector<uint32_t> const_refs_;  // ref.func targets outside code
  uint32_t num_declared_functions_ = 0;
  bool saw_function_section_ = false;
  bool saw_code_section_ = false;
  uint32_t num_code_entries_ = 0;
};

bool ModuleDecoder::FailAt(size_t offset, std::string message) {
  if (error_.empty()) {
    char where[96];
    snprintf(where, sizeof(where), "at offset 0x%zx in the %s section: ", offset, section_);
    if (std::string_view(section_) == "module header") {
      snprintf(where, sizeof(where), "at offset 0x%zx in the module header: ", offset);
    }
    error_ = where + message;
  }
  return false;
}

Result<std::shared_ptr<const Module>> ModuleDecoder::Decode() {
  const std::vector<uint8_t>& bytes = module_->bytes_;
  Reader r(bytes.data(), bytes.size(), 0);
  static constexpr uint8_t kMagic[] = {0x00, 0x61, 0x73, 0x6d};
  const uint8_t* magic = r.Bytes(4);
  if (!magic || std::memcmp(magic, kMagic, 4) != 0) {
    FailAt(0, "magic header not detected: not a WebAssembly module");
    return Error{error_};
  }
  uint32_t version = r.Fixed<uint32_t>();
  if (!r.ok() || version != 1) {
    FailAt(4, r.ok() ? "unknown binary version " + std::to_string(version)
                     : "unexpected end: missing binary version");
    return Error{error_};
  }

  FindNames(r);
  int last_rank = 0;
  while (!r.at_end()) {
    section_ = "module header";
    size_t section_start = r.offset();
    uint8_t id = r.U8();
    if (id > kDataCountSection) {
      FailAt(section_start, "malformed section id " + std::to_string(id));
      return Error{error_};
    }
    section_ = SectionName(id);
    uint32_t size = r.U32();
    if (!r.ok()) {
      Fail(r);
      return Error{error_};
    }
    if (size > r.remaining()) {
      Fail(r, "unexpected end: section size " + std::to_string(size) + " exceeds the " +
                  std::to_string(r.remaining()) + " bytes left (length out of bounds)");
      return Error{error_};
    }
    if (id != kCustomSection) {
      int rank = SectionRank(id);
      if (rank <= last_rank) {
        FailAt(section_start, "unexpected content after last section: " +
                                  std::string(section_) + " section out of order or repeated");
        return Error{error_};
      }
      last_rank = rank;
    }
    size_t payload = r.offset();
    Reader section(r.pos(), size, payload);
    r.Bytes(size);
    if (!DecodeSection(id, section)) return Error{error_};
    if (!section.at_end()) {
      FailAt(section.offset(), "section size mismatch: " + std::to_string(section.remaining()) +
                                   " bytes left unread at the end of the section");
      return Error{error_};
    }
  }
  section_ = "module";
  if (num_declared_functions_ != num_code_entries_) {
    FailAt(bytes.size(), "function and code section have inconsistent lengths (" +
                             std::to_string(num_declared_functions_) + " functions, " +
                             std::to_string(num_code_entries_) + " bodies)");
    return Error{error_};
  }
  if (module_->data_count && *module_->data_count != module_->datas.size()) {
    FailAt(bytes.size(), "data count and data section have inconsistent lengths (" +
                             std::to_string(*module_->data_count) + " declared, " +
                             std::to_string(module_->datas.size()) + " segments)");
    return Error{error_};
  }
  return std::shared_ptr<const Module>(std::move(module_));
}

bool ModuleDecoder::DecodeSection(uint8_t id, Reader& r) {
  switch (id) {
    case kCustomSection: return DecodeCustom(r);
    case kTypeSection: return DecodeTypes(r);
    case kImportSection: return DecodeImports(r);
    case kFunctionSection: return DecodeFunctions(r);
    case kTableSection: return DecodeTables(r);
    case kMemorySection: return DecodeMemories(r);
    case kGlobalSection: return DecodeGlobals(r);
    case kExportSection: return DecodeExports(r);
    case kStartSection: return DecodeStart(r);
    case kElementSection: return DecodeElements(r);
    case kCodeSection: return DecodeCode(r);
    case kDataSection: return DecodeData(r);
    case kDataCountSection: return DecodeDataCount(r);
  }
  return FailAt(r.offset(), "malformed section id");
}

bool ModuleDecoder::ReadCount(Reader& r, uint32_t& count) {
  count = r.U32();
  if (!r.ok()) return Fail(r);
  if (count > r.remaining()) {
    return Fail(r, "unexpected end: vector of " + std::to_string(count) +
                       " elements cannot fit in the " + std::to_string(r.remaining()) +
                       " bytes left");
  }
  return true;
}

bool ModuleDecoder::ReadValType(Reader& r, ValType& out) {
  size_t at = r.offset();
  uint8_t byte = r.U8();
  if (!r.ok()) return Fail(r);
  if (!IsValType(byte, features_)) {
    char buf[48];
    snprintf(buf, sizeof(buf), "malformed value type 0x%02x", byte);
    return FailAt(at, buf);
  }
  out = static_cast<ValType>(byte);
  return true;
}

bool ModuleDecoder::ReadLimits(Reader& r, Limits& out, bool is_memory) {
  size_t at = r.offset();
  uint8_t flags = r.U8();
  if (!r.ok()) return Fail(r);
  uint8_t max_flags = is_memory && features_.threads ? 3 : 1;
  if (flags > max_flags) {
    char hex[8];
    snprintf(hex, sizeof(hex), "0x%02x", flags);
    return FailAt(at, "malformed limits flags " + std::string(hex) +
                          (flags <= 3 && !is_memory ? " (tables cannot be shared)" : ""));
  }
  out.shared = flags & 2;
  out.min = r.U32();
  if (flags & 1) out.max = r.U32();
  if (!r.ok()) return Fail(r);
  const char* what = is_memory ? "memory" : "table";
  if (is_memory) {
    if (out.min > kMaxMemoryPages || (out.max && *out.max > kMaxMemoryPages)) {
      return FailAt(at, "memory size must be at most 65536 pages (4GiB)");
    }
  }
  if (out.max && out.min > *out.max) {
    return FailAt(at, std::string("size minimum must not be greater than maximum for a ") + what);
  }
  if (out.shared && !out.max) return FailAt(at, "shared memory must have maximum");
  return true;
}

bool ModuleDecoder::ReadTableType(Reader& r, TableType& out) {
  size_t at = r.offset();
  if (!features_.reference_types && !module_->tables.empty()) {
    return FailAt(at, "multiple tables are not allowed without the reference-types feature");
  }
  uint8_t byte = r.U8();
  if (!r.ok()) return Fail(r);
  if (byte != 0x70 && (byte != 0x6f || !features_.reference_types)) {
    return FailAt(at, "malformed reference type");
  }
  out.elem_type = static_cast<ValType>(byte);
  return ReadLimits(r, out.limits, /*is_memory=*/false);
}

bool ModuleDecoder::ReadMemoryType(Reader& r, MemoryType& out) {
  if (!ReadLimits(r, out.limits, /*is_memory=*/true)) return false;
  if (!features_.multi_memory && module_->memories.size() >= 1) {
    return Fail(r, "multiple memories are not allowed without the multi-memory feature");
  }
  return true;
}

bool ModuleDecoder::ReadGlobalType(Reader& r, GlobalType& out) {
  if (!ReadValType(r, out.type)) return false;
  size_t at = r.offset();
  uint8_t mut = r.U8();
  if (!r.ok()) return Fail(r);
  if (mut > 1) return FailAt(at, "malformed mutability");
  out.is_mutable = mut == 1;
  return true;
}

bool ModuleDecoder::ReadConstExpr(Reader& r, ValType type, uint32_t visible_globals,
                                  std::string_view where, ConstExpr& out) {
  static const std::vector<bool> kNoRefs;
  ValidationContext ctx{*module_, features_, kNoRefs};
  RefCollector collector{&const_refs_};
  FunctionValidator<RefCollector> validator(ctx, collector);
  out.offset = static_cast<uint32_t>(r.offset());
  Status status = validator.ValidateConstExpr(r, type, visible_globals, where);
  if (!status.ok()) {
    error_ = std::string("in the ") + section_ + " section, " + status.error().message;
    return false;
  }
  out.size = static_cast<uint32_t>(r.offset() - out.offset);
  return true;
}

bool ModuleDecoder::DecodeTypes(Reader& r) {
  uint32_t count;
  if (!ReadCount(r, count)) return false;
  module_->types.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    size_t at = r.offset();
    uint8_t form = r.U8();
    if (!r.ok()) return Fail(r);
    if (form != 0x60) return FailAt(at, "malformed function type: expected 0x60");
    std::vector<ValType> lists[2];
    for (int k = 0; k < 2; ++k) {
      std::vector<ValType>& list = lists[k];
      uint32_t n;
      size_t count_at = r.offset();
      if (!ReadCount(r, n)) return false;
      uint32_t limit = k == 0 ? kMaxFunctionParams : kMaxFunctionResults;
      if (n > limit) {
        return FailAt(count_at, "function type " + std::to_string(i) + " has " +
                                    std::to_string(n) + (k == 0 ? " parameters" : " results") +
                                    ", more than the implementation limit of " +
                                    std::to_string(limit));
      }
      list.resize(n);
      for (ValType& t : list) {
        if (!ReadValType(r, t)) return false;
      }
    }
    module_->types.emplace_back(std::move(lists[0]), std::move(lists[1]));
  }
  return true;
}

bool ModuleDecoder::DecodeImports(Reader& r) {
  uint32_t count;
  if (!ReadCount(r, count)) return false;
  Module& m = *module_;
  for (uint32_t i = 0; i < count; ++i) {
    Import import;
    import.module = r.Name();
    import.name = r.Name();
    size_t at = r.offset();
    uint8_t kind = r.U8();
    if (!r.ok()) return Fail(r);
    switch (kind) {
      case 0: {
        uint32_t type_index = r.U32();
        if (!r.ok()) return Fail(r);
        if (type_index >= m.types.size()) {
          return FailAt(at + 1, "unknown type " + std::to_string(type_index));
        }
        import.index = static_cast<uint32_t>(m.functions.size());
        m.functions.push_back(Function{type_index});
        ++m.num_imported_functions;
        break;
      }
      case 1: {
        TableType table;
        if (!ReadTableType(r, table)) return false;
        import.index = static_cast<uint32_t>(m.tables.size());
        m.tables.push_back(table);
        ++m.num_imported_tables;
        break;
      }
      case 2: {
        MemoryType memory;
        if (!ReadMemoryType(r, memory)) return false;
        import.index = static_cast<uint32_t>(m.memories.size());
        m.memories.push_back(memory);
        ++m.num_imported_memories;
        break;
      }
      case 3: {
        GlobalType global;
        if (!ReadGlobalType(r, global)) return false;
        import.index = static_cast<uint32_t>(m.globals.size());
        m.globals.push_back(global);
        ++m.num_imported_globals;
        break;
      }
      default:
        return FailAt(at, "malformed import kind " + std::to_string(kind));
    }
    import.kind = static_cast<ExternKind>(kind);
    m.imports.push_back(std::move(import));
  }
  return true;
}

bool ModuleDecoder::DecodeFunctions(Reader& r) {
  uint32_t count;
  if (!ReadCount(r, count)) return false;
  saw_function_section_ = true;
  num_declared_functions_ = count;
  module_->functions.reserve(module_->functions.size() + count);
  for (uint32_t i = 0; i < count; ++i) {
    size_t at = r.offset();
    uint32_t type_index = r.U32();
    if (!r.ok()) return Fail(r);
    if (type_index >= module_->types.size()) {
      return FailAt(at, "unknown type " + std::to_string(type_index));
    }
    module_->functions.push_back(Function{type_index});
  }
  return true;
}

bool ModuleDecoder::DecodeTables(Reader& r) {
  uint32_t count;
  if (!ReadCount(r, count)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    TableType table;
    if (!ReadTableType(r, table)) return false;
    module_->tables.push_back(table);
  }
  return true;
}

bool ModuleDecoder::DecodeMemories(Reader& r) {
  uint32_t count;
  if (!ReadCount(r, count)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    MemoryType memory;
    if (!ReadMemoryType(r, memory)) return false;
    module_->memories.push_back(memory);
  }
  return true;
}

bool ModuleDecoder::DecodeGlobals(Reader& r) {
  uint32_t count;
  if (!ReadCount(r, count)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    GlobalType global;
    if (!ReadGlobalType(r, global)) return false;
    ConstExpr init;
    std::string where = "initialiser of global " + std::to_string(module_->globals.size());
    if (!ReadConstExpr(r, global.type, module_->num_imported_globals, where, init)) return false;
    module_->globals.push_back(global);
    module_->global_inits.push_back(init);
  }
  return true;
}

bool ModuleDecoder::DecodeExports(Reader& r) {
  uint32_t count;
  if (!ReadCount(r, count)) return false;
  std::set<std::string> seen;
  Module& m = *module_;
  for (uint32_t i = 0; i < count; ++i) {
    size_t at = r.offset();
    Export exp;
    exp.name = r.Name();
    uint8_t kind = r.U8();
    exp.index = r.U32();
    if (!r.ok()) return Fail(r);
    size_t limit;
    switch (kind) {
      case 0: limit = m.functions.size(); break;
      case 1: limit = m.tables.size(); break;
      case 2: limit = m.memories.size(); break;
      case 3: limit = m.globals.size(); break;
      default: return FailAt(at, "malformed export kind " + std::to_string(kind));
    }
    exp.kind = static_cast<ExternKind>(kind);
    if (exp.index >= limit) {
      return FailAt(at, "unknown " + std::string(ExternKindName(exp.kind)) + " " +
                            std::to_string(exp.index) + " in export \"" + exp.name + "\"");
    }
    if (!seen.insert(exp.name).second) {
      return FailAt(at, "duplicate export name \"" + exp.name + "\"");
    }
    if (exp.kind == ExternKind::kFunc) const_refs_.push_back(exp.index);
    m.exports.push_back(std::move(exp));
  }
  return true;
}

bool ModuleDecoder::DecodeStart(Reader& r) {
  size_t at = r.offset();
  uint32_t index = r.U32();
  if (!r.ok()) return Fail(r);
  if (index >= module_->functions.size()) {
    return FailAt(at, "unknown function " + std::to_string(index));
  }
  const FuncType& type = module_->FunctionType(index);
  if (!type.params().empty() || !type.results().empty()) {
    return FailAt(at, "start function must have type () -> (), but has " + type.ToString());
  }
  module_->start = index;
  return true;
}

bool ModuleDecoder::DecodeElements(Reader& r) {
  uint32_t count;
  if (!ReadCount(r, count)) return false;
  Module& m = *module_;
  for (uint32_t i = 0; i < count; ++i) {
    size_t at = r.offset();
    uint32_t flags = r.U32();
    if (!r.ok()) return Fail(r);
    if (flags > 7) return FailAt(at, "malformed elements segment kind " + std::to_string(flags));
    ElemSegment seg;
    // Bit 0: passive or declarative; bit 1: explicit table index (active)
    // or declarative (passive); bit 2: items are expressions.
    bool passive_or_declarative = flags & 1;
    bool explicit_table = flags & 2;
    bool uses_exprs = flags & 4;
    std::string where = "element segment " + std::to_string(i);
    if (passive_or_declarative) {
      seg.mode = explicit_table ? SegmentMode::kDeclarative : SegmentMode::kPassive;
    } else {
      seg.mode = SegmentMode::kActive;
      if (explicit_table) {
        seg.table = r.U32();
        if (!r.ok()) return Fail(r);
      }
      if (seg.table >= m.tables.size()) {
        return FailAt(at, "unknown table " + std::to_string(seg.table) + " in " + where);
      }
      if (!ReadConstExpr(r, ValType::kI32, m.num_imported_globals, "offset of " + where,
                         seg.offset)) {
        return false;
      }
    }
    // The element kind (0x00 = funcref) or reference type, except in the
    // two compact encodings where funcref is implied.
    if (flags & 3) {
      size_t type_at = r.offset();
      uint8_t byte = r.U8();
      if (!r.ok()) return Fail(r);
      if (uses_exprs) {
        if (byte != 0x70 && byte != 0x6f) return FailAt(type_at, "malformed reference type");
        seg.type = static_cast<ValType>(byte);
      } else if (byte != 0x00) {
        return FailAt(type_at, "malformed element kind");
      }
    }
    uint32_t n;
    if (!ReadCount(r, n)) return false;
    if (uses_exprs) {
      seg.exprs.resize(n);
      for (ConstExpr& expr : seg.exprs) {
        if (!ReadConstExpr(r, seg.type, m.num_imported_globals, where, expr)) {
          return false;
        }
      }
    } else {
      seg.func_indices.resize(n);
      for (uint32_t& index : seg.func_indices) {
        size_t index_at = r.offset();
        index = r.U32();
        if (!r.ok()) return Fail(r);
        if (index >= m.functions.size()) {
          return FailAt(index_at, "unknown function " + std::to_string(index) + " in " + where);
        }
        const_refs_.push_back(index);
      }
    }
    if (seg.mode == SegmentMode::kActive && seg.type != m.tables[seg.table].elem_type) {
      return FailAt(at, "type mismatch: " + where + " of " + std::string(ValTypeName(seg.type)) +
                            " for a table of " +
                            std::string(ValTypeName(m.tables[seg.table].elem_type)));
    }
    m.elems.push_back(std::move(seg));
  }
  return true;
}

bool ModuleDecoder::DecodeDataCount(Reader& r) {
  module_->data_count = r.U32();
  if (!r.ok()) return Fail(r);
  return true;
}

bool ModuleDecoder::DecodeCode(Reader& r) {
  uint32_t count;
  if (!ReadCount(r, count)) return false;
  Module& m = *module_;
  if (count != num_declared_functions_) {
    return Fail(r, "function and code section have inconsistent lengths (" +
                       std::to_string(num_declared_functions_) + " functions, " +
                       std::to_string(count) + " bodies)");
  }
  num_code_entries_ = count;
  std::vector<bool> declared_refs(m.functions.size());
  for (uint32_t index : const_refs_) declared_refs[index] = true;
  ValidationContext ctx{m, features_, declared_refs};
  NullConsumer consumer;
  FunctionValidator<NullConsumer> validator(ctx, consumer);

  for (uint32_t i = 0; i < count; ++i) {
    uint32_t func_index = m.num_imported_functions + i;
    Function& func = m.functions[func_index];
    func.body_offset = static_cast<uint32_t>(r.offset());
    uint32_t size = r.U32();
    if (!r.ok()) return Fail(r);
    if (size > r.remaining()) {
      return Fail(r, "unexpected end: body of function " + m.FunctionName(func_index) +
                         " is " + std::to_string(size) + " bytes, only " +
                         std::to_string(r.remaining()) + " left");
    }
    Reader body(r.pos(), size, r.offset());
    r.Bytes(size);
    uint32_t runs;
    if (!ReadCount(body, runs)) return false;
    uint64_t total = m.FunctionType(func_index).params().size();
    for (uint32_t k = 0; k < runs; ++k) {
      LocalRun run;
      run.count = body.U32();
      if (!body.ok()) return Fail(body);
      total += run.count;
      if (total > kMaxLocals) {
        return Fail(body, "too many locals in function " + m.FunctionName(func_index) +
                              ": more than the limit of " + std::to_string(kMaxLocals));
      }
      if (!ReadValType(body, run.type)) return false;
      if (run.count) func.locals.push_back(run);
      func.num_locals += run.count;
    }
    func.code_offset = static_cast<uint32_t>(body.offset());
    func.code_size = static_cast<uint32_t>(body.remaining());
    Status status = validator.ValidateFunction(func_index);
    if (!status.ok()) {
      error_ = "in the code section, " + status.error().message;
      return false;
    }
  }
  saw_code_section_ = true;
  return true;
}

bool ModuleDecoder::DecodeData(Reader& r) {
  uint32_t count;
  if (!ReadCount(r, count)) return false;
  Module& m = *module_;
  for (uint32_t i = 0; i < count; ++i) {
    size_t at = r.offset();
    uint32_t flags = r.U32();
    if (!r.ok()) return Fail(r);
    if (flags > 2) return FailAt(at, "malformed data segment kind " + std::to_string(flags));
    DataSegment seg;
    std::string where = "data segment " + std::to_string(i);
    if (flags == 1) {
      seg.mode = SegmentMode::kPassive;
    } else {
      if (flags == 2) {
        seg.memory = r.U32();
        if (!r.ok()) return Fail(r);
      }
      if (seg.memory >= m.memories.size()) {
        return FailAt(at, "unknown memory " + std::to_string(seg.memory) + " in " + where);
      }
      if (!ReadConstExpr(r, ValType::kI32, m.num_imported_globals, "offset of " + where,
                         seg.offset)) {
        return false;
      }
    }
    seg.data_size = r.U32();
    if (!r.ok()) return Fail(r);
    seg.data_offset = static_cast<uint32_t>(r.offset());
    if (seg.data_size > r.remaining()) {
      return Fail(r, "unexpected end: " + where + " is " + std::to_string(seg.data_size) +
                         " bytes, only " + std::to_string(r.remaining()) + " left");
    }
    r.Bytes(seg.data_size);
    m.datas.push_back(seg);
  }
  return true;
}

bool ModuleDecoder::DecodeCustom(Reader& r) {
  CustomSection custom;
  custom.name = r.Name();
  if (!r.ok()) return Fail(r);
  custom.offset = static_cast<uint32_t>(r.offset());
  custom.size = static_cast<uint32_t>(r.remaining());
  Reader payload(r.pos(), r.remaining(), r.offset());
  r.Bytes(r.remaining());
  module_->customs.push_back(std::move(custom));
  return true;
}

void ModuleDecoder::FindNames(Reader r) {
  while (!r.at_end()) {
    uint8_t id = r.U8();
    uint32_t size = r.U32();
    if (!r.ok() || size > r.remaining()) return;  // the real pass reports it
    Reader section(r.pos(), size, r.offset());
    r.Bytes(size);
    if (id == kCustomSection && section.Name() == "name" && section.ok()) {
      DecodeNames(section);
      return;
    }
  }
}

// The name section is only for diagnostics: a malformed one is ignored.
void ModuleDecoder::DecodeNames(Reader r) {
  Names names;
  while (!r.at_end() && r.ok()) {
    uint8_t id = r.U8();
    uint32_t size = r.U32();
    if (!r.ok() || size > r.remaining()) return;
    Reader sub(r.pos(), size, r.offset());
    r.Bytes(size);
    if (id == 0) {
      names.module = sub.Name();
    } else if (id == 1) {
      uint32_t count = sub.U32();
      for (uint32_t i = 0; i < count && sub.ok(); ++i) {
        uint32_t index = sub.U32();
        std::string name = sub.Name();
        if (sub.ok()) names.functions[index] = std::move(name);
      }
    }
    if (!sub.ok()) return;
  }
  module_->names = std::move(names);
}

Result<std::shared_ptr<const Module>> DecodeModule(std::vector<uint8_t> bytes,
                                                   const Features& features) {
  return ModuleDecoder(std::move(bytes), features).Decode();
}

}  // namespace rivet
