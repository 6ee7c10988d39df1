// Robustness of the decoder against corrupt input: real modules compiled
// from C (tests/wasm/*.c) must decode; every truncation, every single-byte
// change and thousands of random multi-byte corruptions of them must give an
// error or a valid module, never a crash, with the error in the loader's
// format and naming an offset inside the input; and a decoded mutant must be
// self-consistent. Huge declared counts must fail fast without allocating.
//
// These tests are most useful with the loader itself built under
// AddressSanitizer and UndefinedBehaviorSanitizer, which a Bazel target
// cannot do yet (//loader's sources are private to loader/). By hand:
//   g++ -std=c++20 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -I. \
//       loader/*.cc tests/loader/robustness_test.cc -lgtest_main -lgtest -lpthread
// run from a directory holding tests/wasm/*.wasm. Under ASan the allocation
// tracking below is left to the sanitizer (see RIVET_UNDER_ASAN).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <new>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "loader/features.h"
#include "loader/function_validator.h"
#include "loader/module.h"
#include "loader/opcodes.h"
#include "tests/loader/wasm_builder.h"

#if defined(__SANITIZE_ADDRESS__)
#define RIVET_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RIVET_UNDER_ASAN 1
#endif
#endif

// --- Allocation tracking ------------------------------------------------------
// Replaces the global operator new so that tests can check that no single
// allocation is large. Sanitizers replace operator new themselves, so the
// check is off under them (the allocation test still checks the errors).
#ifndef RIVET_UNDER_ASAN
namespace {
bool g_tracking = false;
size_t g_largest_allocation = 0;
}  // namespace

void* operator new(size_t size) {
  if (g_tracking && size > g_largest_allocation) g_largest_allocation = size;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t size) { return operator new(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
#endif

namespace rivet::test {
namespace {

// --- Helpers ---------------------------------------------------------------------

Bytes ReadFile(const std::string& path) {
  // Tests run in the runfiles root of the workspace (.../rivet).
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const char* srcdir = std::getenv("TEST_SRCDIR");
    if (srcdir) in.open(std::string(srcdir) + "/rivet/" + path, std::ios::binary);
  }
  if (!in) return {};
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct Program {
  const char* path;
  bool needs_proposals;  // shared memory, atomics, tail calls: not Wasm 2.0
};

const Program kPrograms[] = {
    {"tests/wasm/sort.wasm", false},
    {"tests/wasm/hash.wasm", false},
    {"tests/wasm/fsm.wasm", false},
    {"tests/wasm/hash_threads.wasm", true},
};

void PrintTo(const Program& program, std::ostream* os) { *os << program.path; }

std::string ProgramName(const testing::TestParamInfo<Program>& info) {
  std::string name = info.param.path;
  name = name.substr(name.rfind('/') + 1);
  return name.substr(0, name.find('.'));
}

// Offsets at which a prefix of the module ends between two sections (where a
// truncated module may still be valid).
std::set<size_t> SectionBoundaries(const Bytes& wasm) {
  std::set<size_t> ends = {8};
  size_t pos = 8;
  while (pos < wasm.size()) {
    ++pos;  // id
    uint64_t size = 0;
    int shift = 0;
    while (pos < wasm.size()) {
      uint8_t byte = wasm[pos++];
      size |= uint64_t{byte & 0x7fu} << shift;
      shift += 7;
      if (!(byte & 0x80)) break;
    }
    pos += size;
    ends.insert(pos);
  }
  return ends;
}

// Checks the shape of an error message: "at offset 0x.. in the <where>: ..."
// or "in the <section> section, ...: at offset 0x..: ...", where the offset
// lies within the input (the end included, for "unexpected end").
::testing::AssertionResult WellFormedError(const std::string& message, size_t input_size) {
  if (message.empty()) return ::testing::AssertionFailure() << "empty error message";
  if (message.rfind("at offset 0x", 0) != 0 && message.rfind("in the ", 0) != 0) {
    return ::testing::AssertionFailure() << "unexpected error format: " << message;
  }
  size_t at = message.find("at offset 0x");
  if (at == std::string::npos) {
    return ::testing::AssertionFailure() << "error without an offset: " << message;
  }
  unsigned long long offset = std::strtoull(message.c_str() + at + 12, nullptr, 16);
  if (offset > input_size) {
    return ::testing::AssertionFailure()
           << "error offset " << offset << " beyond the input's " << input_size
           << " bytes: " << message;
  }
  return ::testing::AssertionSuccess();
}

// Checks every instruction a consumer is shown: in order, inside the body,
// the last one the body's final end.
struct OffsetChecker {
  uint32_t begin = 0, end = 0;
  uint32_t last = 0;
  size_t count = 0;
  bool in_order = true;
  bool in_range = true;
  Opcode last_opcode = 0;
  template <typename V>
  void OnInstruction(const Instruction& ins, const V&) {
    if (count && ins.offset <= last) in_order = false;
    if (ins.offset < begin || ins.offset >= end) in_range = false;
    last = ins.offset;
    last_opcode = ins.opcode;
    ++count;
  }
};

bool Within(const Module& m, uint64_t offset, uint64_t size) {
  return offset <= m.bytes().size() && size <= m.bytes().size() - offset;
}

bool IsConstExprRange(const Module& m, const rivet::ConstExpr& e) {
  return e.size >= 1 && Within(m, e.offset, e.size) && m.bytes()[e.offset + e.size - 1] == 0x0b;
}

// Checks that a decoded module is self-consistent: every index in range,
// every byte range inside the module, and every function body valid again
// under a consumer that checks instruction offsets.
::testing::AssertionResult ConsistentModule(const Module& m, const Features& features) {
  auto fail = [] { return ::testing::AssertionFailure(); };
  const size_t num_funcs = m.functions.size();
  if (m.num_imported_functions > num_funcs) return fail() << "imported functions";
  for (uint32_t i = 0; i < num_funcs; ++i) {
    const Function& f = m.functions[i];
    if (f.type_index >= m.types.size()) return fail() << "function " << i << " type";
    if (m.IsImportedFunction(i)) continue;
    if (f.code_size == 0 || !Within(m, f.code_offset, f.code_size)) {
      return fail() << "function " << i << " code range";
    }
    if (m.bytes()[f.code_offset + f.code_size - 1] != 0x0b) return fail() << "function " << i << " end";
    if (f.body_offset >= f.code_offset) return fail() << "function " << i << " body offset";
    uint64_t sum = 0;
    for (const LocalRun& run : f.locals) sum += run.count;
    if (sum != f.num_locals || sum > 50000) return fail() << "function " << i << " locals";
  }
  if (m.globals.size() < m.num_imported_globals ||
      m.global_inits.size() != m.globals.size() - m.num_imported_globals) {
    return fail() << "global initialisers";
  }
  for (const rivet::ConstExpr& e : m.global_inits) {
    if (!IsConstExprRange(m, e)) return fail() << "global initialiser range";
  }
  for (const ElemSegment& seg : m.elems) {
    if (seg.mode == SegmentMode::kActive &&
        (seg.table >= m.tables.size() || !IsConstExprRange(m, seg.offset))) {
      return fail() << "element segment table or offset";
    }
    for (uint32_t f : seg.func_indices) {
      if (f >= num_funcs) return fail() << "element function index";
    }
    for (const rivet::ConstExpr& e : seg.exprs) {
      if (!IsConstExprRange(m, e)) return fail() << "element expression range";
    }
  }
  for (const DataSegment& seg : m.datas) {
    if (!Within(m, seg.data_offset, seg.data_size)) return fail() << "data range";
    if (seg.mode == SegmentMode::kActive &&
        (seg.memory >= m.memories.size() || !IsConstExprRange(m, seg.offset))) {
      return fail() << "data segment memory or offset";
    }
  }
  if (m.data_count && *m.data_count != m.datas.size()) return fail() << "data count";
  for (const CustomSection& c : m.customs) {
    if (!Within(m, c.offset, c.size)) return fail() << "custom section range";
  }
  std::set<std::string> names;
  for (const Export& e : m.exports) {
    size_t limit = e.kind == ExternKind::kFunc     ? num_funcs
                   : e.kind == ExternKind::kTable  ? m.tables.size()
                   : e.kind == ExternKind::kMemory ? m.memories.size()
                                                   : m.globals.size();
    if (e.index >= limit) return fail() << "export index";
    if (!names.insert(e.name).second) return fail() << "duplicate export " << e.name;
  }
  if (m.start) {
    if (*m.start >= num_funcs) return fail() << "start index";
    const FuncType& t = m.FunctionType(*m.start);
    if (!t.params().empty() || !t.results().empty()) return fail() << "start type";
  }
  for (const MemoryType& mem : m.memories) {
    if (mem.limits.min > 65536 || (mem.limits.max && *mem.limits.max > 65536)) {
      return fail() << "memory limits";
    }
    if (mem.limits.max && mem.limits.min > *mem.limits.max) return fail() << "memory min > max";
  }
  std::vector<bool> refs(num_funcs, true);
  ValidationContext ctx{m, features, refs};
  for (uint32_t i = m.num_imported_functions; i < num_funcs; ++i) {
    const Function& f = m.functions[i];
    OffsetChecker checker;
    checker.begin = f.code_offset;
    checker.end = f.code_offset + f.code_size;
    FunctionValidator<OffsetChecker> validator(ctx, checker);
    Status status = validator.ValidateFunction(i);
    if (!status.ok()) return fail() << "function " << i << " revalidation: " << status.error().message;
    if (!checker.in_order || !checker.in_range) return fail() << "function " << i << " offsets";
    if (checker.last != f.code_offset + f.code_size - 1 || checker.last_opcode != op::kEnd) {
      return fail() << "function " << i << " does not end with its final end";
    }
  }
  return ::testing::AssertionSuccess();
}

// Decodes `bytes` and checks whichever outcome: a well-formed error, or a
// consistent module. Returns whether it decoded.
bool DecodeAndCheck(const Bytes& bytes, const Features& features, const std::string& what) {
  auto result = DecodeModule(bytes, features);
  if (!result.ok()) {
    EXPECT_TRUE(WellFormedError(result.error().message, bytes.size())) << what;
    return false;
  }
  EXPECT_TRUE(ConsistentModule(**result, features)) << what;
  return true;
}

class RealModules : public ::testing::TestWithParam<Program> {
 protected:
  void SetUp() override {
    wasm_ = ReadFile(GetParam().path);
    ASSERT_FALSE(wasm_.empty()) << "cannot read " << GetParam().path << " (cwd-relative runfile)";
    ASSERT_GT(wasm_.size(), 1000u);
  }
  Bytes wasm_;
};

// --- Real modules decode ----------------------------------------------------------------

TEST_P(RealModules, Decode) {
  auto result = DecodeModule(wasm_, Features::All());
  ASSERT_TRUE(result.ok()) << result.error().message;
  const Module& m = **result;
  EXPECT_TRUE(ConsistentModule(m, Features::All()));

  // What the C programs are known to contain.
  EXPECT_GE(m.functions.size() - m.num_imported_functions, 10u);
  ASSERT_EQ(m.tables.size(), 1u) << "function pointers";
  ASSERT_GE(m.elems.size(), 1u);
  EXPECT_GE(m.elems[0].size(), 2u);
  EXPECT_EQ(m.memories.size(), 1u);
  EXPECT_GE(m.datas.size(), 1u) << "initialised arrays and strings";
  EXPECT_GE(m.globals.size(), 2u) << "__stack_pointer and exported addresses";
  EXPECT_TRUE(m.globals[0].is_mutable) << "__stack_pointer";
  EXPECT_GE(m.exports.size(), 10u);
  std::set<std::string> customs;
  for (const CustomSection& c : m.customs) customs.insert(c.name);
  EXPECT_TRUE(customs.count("name"));
  EXPECT_TRUE(customs.count("producers"));
  EXPECT_TRUE(customs.count("target_features"));

  // Every function exported by name has that name in the name section.
  size_t named_exports = 0;
  for (const Export& e : m.exports) {
    if (e.kind != ExternKind::kFunc) continue;
    auto it = m.names.functions.find(e.index);
    ASSERT_NE(it, m.names.functions.end()) << e.name;
    EXPECT_EQ(it->second, e.name);
    EXPECT_EQ(m.FunctionName(e.index), "$" + e.name + " (#" + std::to_string(e.index) + ")");
    ++named_exports;
  }
  EXPECT_GE(named_exports, 5u);

  // Wasm 2.0 accepts the plain programs and rejects the one built with
  // threads and tail calls.
  auto wasm2 = DecodeModule(wasm_, Features::Wasm2());
  if (GetParam().needs_proposals) {
    ASSERT_FALSE(wasm2.ok());
    EXPECT_TRUE(WellFormedError(wasm2.error().message, wasm_.size()));
    EXPECT_TRUE(m.memories[0].limits.shared);
    EXPECT_TRUE(m.data_count.has_value());
    EXPECT_TRUE(m.start.has_value()) << "__wasm_init_memory";
    EXPECT_EQ(m.datas[0].mode, SegmentMode::kPassive);
  } else {
    EXPECT_TRUE(wasm2.ok()) << wasm2.error().message;
  }
}

// Counts some kinds of instruction.
struct Counter {
  size_t instructions = 0, calls = 0, call_indirects = 0, br_tables = 0, loads = 0;
  template <typename V>
  void OnInstruction(const Instruction& ins, const V&) {
    ++instructions;
    calls += ins.opcode == op::kCall;
    call_indirects += ins.opcode == op::kCallIndirect || ins.opcode == op::kReturnCallIndirect;
    br_tables += ins.opcode == op::kBrTable;
    loads += ins.opcode == op::kI32Load;
  }
};

TEST_P(RealModules, InstructionsSeenByAConsumer) {
  auto m = DecodeModule(wasm_).value();
  std::vector<bool> refs(m->functions.size(), true);
  ValidationContext ctx{*m, Features::All(), refs};
  Counter counter;
  FunctionValidator<Counter> validator(ctx, counter);
  for (uint32_t i = m->num_imported_functions; i < m->functions.size(); ++i) {
    Status status = validator.ValidateFunction(i);
    ASSERT_TRUE(status.ok()) << status.error().message;
  }
  EXPECT_GT(counter.instructions, 300u);
  EXPECT_GT(counter.calls, 0u);
  EXPECT_GT(counter.call_indirects, 0u) << "function pointers";
  EXPECT_GT(counter.loads, 0u);
  if (std::string(GetParam().path).find("fsm") != std::string::npos) {
    EXPECT_GT(counter.br_tables, 0u) << "the switch over states";
  }
}

// --- Truncation ---------------------------------------------------------------------------

TEST_P(RealModules, EveryTruncationFails) {
  const std::set<size_t> boundaries = SectionBoundaries(wasm_);
  ASSERT_EQ(*boundaries.rbegin(), wasm_.size()) << "the section walk must end at the end";
  size_t valid_prefixes = 0;
  for (size_t length = 0; length < wasm_.size(); ++length) {
    Bytes prefix(wasm_.begin(), wasm_.begin() + length);
    std::string what = "truncated to " + std::to_string(length) + " bytes";
    auto result = DecodeModule(prefix, Features::All());
    if (boundaries.count(length)) {
      // Between sections: valid when nothing that must match is cut off
      // (e.g. only custom sections, or the data section, are missing).
      if (result.ok()) {
        ++valid_prefixes;
        EXPECT_TRUE(ConsistentModule(**result, Features::All())) << what;
      } else {
        EXPECT_TRUE(WellFormedError(result.error().message, length)) << what;
      }
      continue;
    }
    ASSERT_FALSE(result.ok()) << what << " decoded";
    const std::string& error = result.error().message;
    EXPECT_TRUE(WellFormedError(error, length)) << what;
    EXPECT_TRUE(error.find("unexpected end") != std::string::npos ||
                error.find("magic header not detected") != std::string::npos)
        << what << ": " << error;
  }
  // The header alone, and the module without its trailing custom sections.
  EXPECT_GE(valid_prefixes, 2u);
}

// --- Single-byte changes ---------------------------------------------------------------

TEST_P(RealModules, EveryByteFlipped) {
  size_t decoded = 0;
  Bytes mutant = wasm_;
  for (size_t i = 0; i < wasm_.size(); ++i) {
    for (int kind = 0; kind < 2; ++kind) {
      mutant[i] = kind == 0 ? wasm_[i] ^ 0xff : static_cast<uint8_t>(wasm_[i] + 1);
      decoded += DecodeAndCheck(mutant, Features::All(),
                                "byte " + std::to_string(i) + (kind == 0 ? " xor 0xff" : " + 1"));
      mutant[i] = wasm_[i];
    }
    if (HasFailure()) break;  // one broken mutant is enough to look at
  }
  // Changes inside data segments and custom sections keep modules valid.
  EXPECT_GT(decoded, 0u);
}

TEST_P(RealModules, EveryByteSetToSpecialValues) {
  // Values that mean something to the decoder: LEB continuation, maximal
  // bytes, section ids, `end`, the empty block type, prefixes.
  const uint8_t kValues[] = {0x00, 0x0b, 0x40, 0x7f, 0x80, 0xfc, 0xfd, 0xfe};
  Bytes mutant = wasm_;
  for (size_t i = 0; i < wasm_.size(); ++i) {
    for (uint8_t value : kValues) {
      if (value == wasm_[i]) continue;
      mutant[i] = value;
      DecodeAndCheck(mutant, Features::All(), "byte " + std::to_string(i) + " = " + std::to_string(value));
    }
    mutant[i] = wasm_[i];
    if (HasFailure()) break;
  }
}

// --- Random corruption ---------------------------------------------------------------------

TEST_P(RealModules, RandomCorruptionInsideFunctionBodies) {
  // In-place changes inside the code of one function keep every section and
  // body size intact, so each mutant reaches the validator.
  auto m = DecodeModule(wasm_).value();
  std::mt19937 rng(12345u + static_cast<unsigned>(wasm_.size()));
  constexpr int kMutants = 4000;
  size_t decoded = 0;
  for (int n = 0; n < kMutants; ++n) {
    uint32_t func = m->num_imported_functions +
                    static_cast<uint32_t>(rng() % (m->functions.size() - m->num_imported_functions));
    const Function& f = m->functions[func];
    Bytes mutant = wasm_;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t pos = f.code_offset + rng() % f.code_size;
      switch (rng() % 3) {
        case 0: mutant[pos] = static_cast<uint8_t>(rng()); break;
        case 1: mutant[pos] ^= static_cast<uint8_t>(1u << (rng() % 8)); break;
        case 2: {  // an opcode that takes immediates or changes the control stack
          static const uint8_t kOps[] = {0x02, 0x03, 0x04, 0x05, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
                                         0x10, 0x11, 0x1a, 0x1b, 0x1c, 0x20, 0x23, 0x28, 0x41,
                                         0x42, 0x43, 0x44, 0xd0, 0xd2, 0xfc, 0xfd, 0xfe};
          mutant[pos] = kOps[rng() % sizeof(kOps)];
          break;
        }
      }
    }
    decoded += DecodeAndCheck(mutant, Features::All(), "mutant " + std::to_string(n) +
                                                           " of function " + std::to_string(func));
    if (HasFailure()) break;
  }
  RecordProperty("decoded_mutants", static_cast<int>(decoded));
  EXPECT_GT(decoded, 0u);
}

TEST_P(RealModules, RandomMultiByteCorruption) {
  std::mt19937 rng(20240601u + static_cast<unsigned>(wasm_.size()));  // fixed per module
  constexpr int kMutants = 4000;
  size_t decoded = 0;
  for (int n = 0; n < kMutants; ++n) {
    Bytes mutant = wasm_;
    int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits && !mutant.empty(); ++e) {
      size_t pos = rng() % mutant.size();
      // Mostly in the code section and the header of sections, where the
      // structure is; but anywhere.
      switch (rng() % 6) {
        case 0: mutant[pos] = static_cast<uint8_t>(rng()); break;
        case 1: mutant[pos] ^= static_cast<uint8_t>(1u << (rng() % 8)); break;
        case 2: mutant.insert(mutant.begin() + pos, static_cast<uint8_t>(rng())); break;
        case 3: mutant.erase(mutant.begin() + pos); break;
        case 4: {  // overwrite with a run of 0x80 or 0xff (long LEBs, huge counts)
          uint8_t fill = rng() % 2 ? 0x80 : 0xff;
          for (size_t k = pos; k < mutant.size() && k < pos + 1 + rng() % 6; ++k) mutant[k] = fill;
          break;
        }
        case 5: {  // copy a few bytes from elsewhere in the module
          size_t from = rng() % mutant.size();
          size_t len = 1 + rng() % 16;
          for (size_t k = 0; k < len && pos + k < mutant.size() && from + k < mutant.size(); ++k) {
            mutant[pos + k] = mutant[from + k];
          }
          break;
        }
      }
    }
    decoded += DecodeAndCheck(mutant, Features::All(), "mutant " + std::to_string(n));
    if (HasFailure()) break;
  }
  RecordProperty("decoded_mutants", static_cast<int>(decoded));
}

TEST_P(RealModules, CorruptionWithFeaturesOff) {
  // The same mutants must also be handled with the proposals off.
  std::mt19937 rng(7u);
  for (int n = 0; n < 500; ++n) {
    Bytes mutant = wasm_;
    for (int e = 0; e < 3; ++e) mutant[rng() % mutant.size()] = static_cast<uint8_t>(rng());
    DecodeAndCheck(mutant, Features::Wasm2(), "mutant " + std::to_string(n));
    Features no_refs = Features::Wasm2();
    no_refs.reference_types = false;
    DecodeAndCheck(mutant, no_refs, "mutant " + std::to_string(n) + " without reference types");
    if (HasFailure()) break;
  }
}

INSTANTIATE_TEST_SUITE_P(Programs, RealModules, ::testing::ValuesIn(kPrograms), ProgramName);

// --- Huge declared sizes -------------------------------------------------------------------------

struct Huge {
  const char* what;
  Bytes wasm;
  const char* error;  // a part of the expected error
};

std::vector<Huge> HugeCases() {
  const Bytes kMax = Leb(0xffffffff);
  const Bytes type_section = Section(kTypeId, Vec({Signature({}, {})}));
  const Bytes func_section = Section(kFunctionId, IndexVec({0}));
  auto code = [&](const Bytes& body_content) {
    return Section(kCodeId, Cat(Leb(1), Leb(body_content.size()), body_content));
  };
  return {
      {"types", RawModule(Section(kTypeId, kMax)), "vector of 4294967295 elements cannot fit"},
      {"params", RawModule(Section(kTypeId, Cat(Leb(1), 0x60, kMax))), "cannot fit"},
      {"results", RawModule(Section(kTypeId, Cat(Leb(1), 0x60, Leb(0), kMax, kI32))), "cannot fit"},
      {"imports", RawModule(Section(kImportId, kMax)), "cannot fit"},
      {"import name", RawModule(Section(kImportId, Cat(Leb(1), kMax, Str("abc")))),
       "name length 4294967295 exceeds"},
      {"functions", RawModule(type_section, Section(kFunctionId, kMax)), "cannot fit"},
      {"tables", RawModule(Section(kTableId, kMax)), "cannot fit"},
      {"memories", RawModule(Section(kMemoryId, kMax)), "cannot fit"},
      {"globals", RawModule(Section(kGlobalId, kMax)), "cannot fit"},
      {"exports", RawModule(Section(kExportId, kMax)), "cannot fit"},
      {"elements", RawModule(Section(kElementId, kMax)), "cannot fit"},
      {"element items",
       RawModule(type_section, func_section, Section(kTableId, Cat(Leb(1), kFuncRef, LimitsOf(1))),
                 Section(kElementId, Cat(Leb(1), 0x00, Expr(I32Const(0)), kMax, 0x00))),
       "cannot fit"},
      {"element expressions",
       RawModule(Section(kElementId, Cat(Leb(1), 0x05, kFuncRef, kMax, Expr(RefNull(kFuncRef))))),
       "cannot fit"},
      {"data segments", RawModule(Section(kDataId, kMax)), "cannot fit"},
      {"data bytes", RawModule(Section(kMemoryId, Cat(Leb(1), LimitsOf(1))),
                               Section(kDataId, Cat(Leb(1), 0x01, kMax, Str("abc")))),
       "data segment 0 is 4294967295 bytes"},
      {"data count", RawModule(Section(kDataCountId, kMax)), "4294967295 declared, 0 segments"},
      {"bodies", RawModule(type_section, func_section, Section(kCodeId, kMax)), "cannot fit"},
      {"body size", RawModule(type_section, func_section, Section(kCodeId, Cat(Leb(1), kMax, 0x00))),
       "body of function #0 is 4294967295 bytes"},
      {"local runs", RawModule(type_section, func_section, code(Cat(kMax, kEnd))), "cannot fit"},
      {"locals", RawModule(type_section, func_section, code(Cat(Leb(1), kMax, kI32, kEnd))),
       "too many locals"},
      {"br_table targets",
       RawModule(type_section, func_section, code(Cat(Leb(0), I32Const(0), kBrTableOp, kMax, kEnd))),
       "unexpected end of function body"},
      {"typed select",
       RawModule(type_section, func_section, code(Cat(Leb(0), kSelectTOp, kMax, kI32, kEnd))),
       "invalid result arity"},
      {"custom section name", RawModule(Section(kCustomId, Cat(kMax, Str("abc")))),
       "name length 4294967295 exceeds"},
      {"section size", Cat(Header(), Bytes{kTypeId}, kMax, Leb(0)), "section size 4294967295"},
  };
}

TEST(HugeCounts, FailFastWithoutAllocating) {
  for (const Huge& c : HugeCases()) {
    SCOPED_TRACE(c.what);
#ifndef RIVET_UNDER_ASAN
    g_largest_allocation = 0;
    g_tracking = true;
#endif
    auto result = DecodeModule(c.wasm, Features::All());
#ifndef RIVET_UNDER_ASAN
    g_tracking = false;
    // The input is tiny: nothing decoding it needs more than a few KiB.
    EXPECT_LT(g_largest_allocation, 4096u);
#endif
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find(c.error), std::string::npos) << result.error().message;
    EXPECT_TRUE(WellFormedError(result.error().message, c.wasm.size()));
  }
}

TEST(HugeCounts, NameSectionWithAHugeMap) {
  // The name section is parsed leniently; a huge count must not make it
  // loop or allocate.
  Bytes names = Cat(0x01, Leb(5), Leb(0xffffffff));
  Bytes wasm = RawModule(Section(kTypeId, Vec({Signature({}, {})})), Section(kFunctionId, IndexVec({0})),
                         Section(kCodeId, Vec({Body({}, Cat(kEnd))})), Custom("name", names));
#ifndef RIVET_UNDER_ASAN
  g_largest_allocation = 0;
  g_tracking = true;
#endif
  auto result = DecodeModule(wasm);
#ifndef RIVET_UNDER_ASAN
  g_tracking = false;
  EXPECT_LT(g_largest_allocation, 4096u);
#endif
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_TRUE((*result)->names.functions.empty());
}

TEST(HugeCounts, DeepNestingIsNotRecursive) {
  // 100000 nested blocks: validation keeps its stacks on the heap.
  constexpr int kDepth = 100000;
  Bytes code;
  for (int i = 0; i < kDepth; ++i) code.insert(code.end(), {kBlockOp, kVoid});
  code.insert(code.end(), kDepth + 1, kEnd);
  ModuleBuilder b;
  b.AddFunction(b.AddType({}, {}), code);
  auto result = DecodeModule(b.Build());
  EXPECT_TRUE(result.ok()) << result.error().message;
  // One end short: an error, not a crash.
  code.pop_back();
  ModuleBuilder c;
  c.AddFunction(c.AddType({}, {}), code);
  auto short_result = DecodeModule(c.Build());
  ASSERT_FALSE(short_result.ok());
  EXPECT_NE(short_result.error().message.find("END opcode expected"), std::string::npos);
}

// --- Validation cost ------------------------------------------------------------------------
// Validation should cost time and memory roughly linear in the module's size.
// Validation must stay linear in the size of the code. Unbounded result
// counts once made it quadratic: a label or callee with K results makes each
// one-byte `return`, br_table target or `call` cost K (100000 returns in a
// function with 100000 results took 14 s). rivet now caps the params and
// results of a function type at 1000, as V8 and the JS API do, and bounds
// the operand stack; these tests pin the limit down without timing anything.

// A module with type 0 = () -> (i32 x results), function 0 of that type
// (unreachable), and function 1 of that type with `code`.
Bytes ManyResults(uint32_t results, const Bytes& code) {
  ModuleBuilder b;
  uint32_t multi = b.AddType({}, Bytes(results, kI32));
  b.AddFunction(multi, Cat(kUnreachable, kEnd));
  b.AddFunction(multi, code);
  return b.Build();
}

Bytes Returns(int n) {
  Bytes code = {kUnreachable};
  code.insert(code.end(), n, kReturn);
  code.push_back(kEnd);
  return code;
}

TEST(ValidationCost, ResultCountsAboveTheLimitAreRejected) {
  Bytes wasm = ManyResults(1001, Returns(10));
  auto result = DecodeModule(wasm);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("1001 results, more than the implementation limit of 1000"),
            std::string::npos)
      << result.error().message;
}

TEST(ValidationCost, ManyReturnsAtTheResultLimitValidate) {
  EXPECT_TRUE(DecodeModule(ManyResults(1000, Returns(40000))).ok());
}

TEST(ValidationCost, BrTableTargetsAtTheResultLimitValidate) {
  Bytes code = Cat(Block(TypeIndex(0)), kUnreachable,
                   BrTable(std::vector<uint32_t>(40000, 0), 0), kEnd, kEnd);
  EXPECT_TRUE(DecodeModule(ManyResults(1000, code)).ok());
}

TEST(ValidationCost, OperandStackDepthIsBounded) {
  // 2000 calls pushing 1000 results each would hold two million types.
  Bytes code;
  for (int i = 0; i < 2000; ++i) code.insert(code.end(), {kCallOp, 0x00});
  code.push_back(kEnd);
  auto result = DecodeModule(ManyResults(1000, code));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().message.find("operand stack deeper than the implementation limit"),
            std::string::npos)
      << result.error().message;
}

}  // namespace
}  // namespace rivet::test
