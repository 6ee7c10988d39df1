// Differential test of aot/scalar_ops.cc against the interpreter: every
// numeric scalar opcode is JIT-compiled (as emitted, and after LLVM's O2
// pipeline) and run on edge values and random values next to the
// interpreter's function of the same name (interp/scalar_ops.h). Results and
// trap kinds must agree bit for bit, except for NaN results of arithmetic
// instructions, where the spec lets implementations differ: there both must
// be NaN, the JIT's an arithmetic NaN, and a canonical one whenever every NaN
// operand was canonical (the spec's rule, which the interpreter's result is
// also checked against).
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aot/ops.h"
#include "aot/ops_test_util.h"
#include "gtest/gtest.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "interp/scalar_ops.h"
#include "loader/module.h"
#include "loader/opcodes.h"

namespace rivet::aot {
namespace {

using interp::F32Bits;
using interp::F64Bits;
using interp::OrTrap;
using testing::CompiledOp;
using testing::OpJit;
using testing::OpOutcome;

// ---------------------------------------------------------------------------
// The interpreter's functions, called on slots.

// How a C++ parameter or result type of interp/scalar_ops.h maps to a slot.
template <typename T>
struct Slot;
template <>
struct Slot<uint32_t> {
  static constexpr ValType kType = ValType::kI32;
  static uint32_t Decode(uint64_t s) { return static_cast<uint32_t>(s); }
  static uint64_t Encode(uint32_t v) { return v; }
};
template <>
struct Slot<uint64_t> {
  static constexpr ValType kType = ValType::kI64;
  static uint64_t Decode(uint64_t s) { return s; }
  static uint64_t Encode(uint64_t v) { return v; }
};
template <>
struct Slot<float> {
  static constexpr ValType kType = ValType::kF32;
  static float Decode(uint64_t s) { return std::bit_cast<float>(static_cast<uint32_t>(s)); }
  static uint64_t Encode(float v) { return std::bit_cast<uint32_t>(v); }
};
template <>
struct Slot<double> {
  static constexpr ValType kType = ValType::kF64;
  static double Decode(uint64_t s) { return std::bit_cast<double>(s); }
  static uint64_t Encode(double v) { return std::bit_cast<uint64_t>(v); }
};
template <>
struct Slot<F32Bits> {
  static constexpr ValType kType = ValType::kF32;
  static F32Bits Decode(uint64_t s) { return {static_cast<uint32_t>(s)}; }
  static uint64_t Encode(F32Bits v) { return v.bits; }
};
template <>
struct Slot<F64Bits> {
  static constexpr ValType kType = ValType::kF64;
  static F64Bits Decode(uint64_t s) { return {s}; }
  static uint64_t Encode(F64Bits v) { return v.bits; }
};

template <typename R>
struct ResultOf {
  using Value = R;
  static OpOutcome Outcome(R r) { return {.slots = {Slot<R>::Encode(r), 0}}; }
};
template <typename R>
struct ResultOf<OrTrap<R>> {
  using Value = R;
  static OpOutcome Outcome(OrTrap<R> r) {
    if (!r.ok) return {.trap = static_cast<AotTrap>(r.trap)};
    return {.slots = {Slot<R>::Encode(r.value), 0}};
  }
};

// One opcode with the interpreter's semantics for it.
struct ReferenceOp {
  Opcode opcode;
  std::string_view name;
  std::vector<ValType> params;
  ValType result;
  // The spec defines the operation on bits (abs, neg, copysign,
  // reinterpretations): NaNs must come out bit-exact.
  bool bitwise;
  std::function<OpOutcome(std::span<const uint64_t>)> run;
};

template <typename R, typename... A, size_t... I>
OpOutcome CallOnSlots(R (*f)(A...), std::span<const uint64_t> in, std::index_sequence<I...>) {
  return ResultOf<R>::Outcome(f(Slot<A>::Decode(in[I])...));
}

template <typename R, typename... A>
ReferenceOp MakeReference(Opcode opcode, std::string_view name, R (*f)(A...)) {
  using Value = typename ResultOf<R>::Value;
  return ReferenceOp{
      .opcode = opcode,
      .name = name,
      .params = {Slot<A>::kType...},
      .result = Slot<Value>::kType,
      .bitwise = std::is_same_v<Value, F32Bits> || std::is_same_v<Value, F64Bits>,
      .run = [f](std::span<const uint64_t> in) {
        return CallOnSlots(f, in, std::index_sequence_for<A...>{});
      },
  };
}

// Every numeric opcode, from the opcode table itself so none is forgotten.
const std::vector<ReferenceOp>& AllReferenceOps() {
  static const auto* ops = new std::vector<ReferenceOp>{
#define RIVET_REFERENCE_OP(Name, code, text, imm, sig, size) \
  MakeReference(op::k##Name, text, &interp::ops::Name),
      RIVET_FOREACH_NUMERIC_OPCODE(RIVET_REFERENCE_OP)
#undef RIVET_REFERENCE_OP
  };
  return *ops;
}

// ---------------------------------------------------------------------------
// Operand values.

template <typename F>
uint64_t FloatSlot(F value) {
  return Slot<F>::Encode(value);
}

template <typename F>
std::vector<uint64_t> FloatEdges() {
  using Bits = interp::FloatBits<F>;
  constexpr F kInf = std::numeric_limits<F>::infinity();
  std::vector<F> values = {
      0, -F(0), 1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, -3.5, 0.75, -0.75,
      std::nextafter(F(0.5), F(0)), std::nextafter(F(0.5), F(1)), std::nextafter(F(-0.5), F(0)),
      std::numeric_limits<F>::denorm_min(), -std::numeric_limits<F>::denorm_min(),
      std::numeric_limits<F>::min(), -std::numeric_limits<F>::min(),
      std::nextafter(std::numeric_limits<F>::min(), F(0)),  // largest subnormal
      std::numeric_limits<F>::max(), -std::numeric_limits<F>::max(), kInf, -kInf,
      F(3.14159265358979), F(-1e10), F(1e10), F(1e-10),
      interp::FloatTraits<F>::kTwoPowMantissa, -interp::FloatTraits<F>::kTwoPowMantissa,
      interp::FloatTraits<F>::kTwoPowMantissa / 2 + F(0.5),  // largest ties
      -(interp::FloatTraits<F>::kTwoPowMantissa / 2 + F(0.5)),
      std::nextafter(F(-1), F(0)), std::nextafter(F(-1), F(-2)),
  };
  // Every conversion's range boundary, and its neighbours.
  for (int exponent : {31, 32, 63, 64}) {
    for (F sign : {F(1), F(-1)}) {
      F bound = sign * std::ldexp(F(1), exponent);
      values.push_back(bound);
      values.push_back(std::nextafter(bound, kInf));
      values.push_back(std::nextafter(bound, -kInf));
      // -2^31 - 1 and 2^31 - 1 (exact in f64), and halfway values.
      values.push_back(bound - 1);
      values.push_back(bound + 1);
      values.push_back(bound - F(0.5));
      values.push_back(bound + F(0.5));
      values.push_back(std::nextafter(bound - 1, kInf));
      values.push_back(std::nextafter(bound - 1, -kInf));
    }
  }
  std::vector<uint64_t> slots;
  for (F value : values) slots.push_back(FloatSlot(value));
  // NaNs: canonical, arithmetic with a payload, signalling, both signs.
  constexpr Bits kExponent = std::is_same_v<F, float> ? static_cast<Bits>(0x7f800000u)
                                                        : static_cast<Bits>(0x7ff0000000000000u);
  constexpr Bits kQuiet = interp::FloatTraits<F>::kQuietBit;
  constexpr Bits kSign = interp::FloatTraits<F>::kSignBit;
  for (Bits nan : {Bits(kExponent | kQuiet), Bits(kExponent | kQuiet | 1), Bits(kExponent | kQuiet | 0x1234),
                   Bits(kExponent | 1), Bits(kExponent | (kQuiet >> 1)), Bits(kExponent | (kQuiet - 1))}) {
    slots.push_back(nan);
    slots.push_back(nan | kSign);
  }
  return slots;
}

std::vector<uint64_t> IntEdges(ValType type) {
  std::vector<uint64_t> values32 = {
      0, 1, 2, 3, 7, 31, 32, 33, 63, 64, 65, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
      0x10000, 0x7fffffff, 0x80000000, 0x80000001, 0x7ffffffe, 0xffffffff, 0xfffffffe,
      0xffffff80, 0xffff8000, 0x55555555, 0xaaaaaaaa, 0x12345678, 0xfffffff0,
      0x01000001, 0x01000003, 0x01000002,  // f32 rounding ties and near-ties
  };
  if (type == ValType::kI32) return values32;
  std::vector<uint64_t> values64;
  for (uint64_t v : values32) {
    values64.push_back(v);                                                  // zero-extended
    values64.push_back(static_cast<uint64_t>(int64_t(int32_t(uint32_t(v)))));  // sign-extended
  }
  for (uint64_t v : {0x8000000000000000ull, 0x7fffffffffffffffull, 0x8000000000000001ull,
                     0x7ffffffffffffffeull, 0x100000000ull, 0x100000001ull, 0xffffffff00000000ull,
                     0x5555555555555555ull, 0xaaaaaaaaaaaaaaaaull, 0x0123456789abcdefull,
                     0x8000008000000001ull, 0x8000008000000000ull, 0x8000018000000000ull,
                     0x0020000000000001ull, 0x0020000000000003ull, 0x0020000000000002ull,
                     0xfffffffffffff800ull, 0xfffffffffffffc00ull, 0x7ffffc0000000000ull,
                     0xffffff8000000000ull, 0x7fffff8000000001ull}) {
    values64.push_back(v);
  }
  return values64;
}

std::vector<uint64_t> Edges(ValType type) {
  switch (type) {
    case ValType::kF32: return FloatEdges<float>();
    case ValType::kF64: return FloatEdges<double>();
    default: return IntEdges(type);
  }
}

// A random operand: raw bits (every pattern, NaNs included), a small value,
// a float of moderate magnitude (for conversions), or an edge value's bit
// neighbour.
uint64_t RandomValue(ValType type, std::mt19937_64& rng, const std::vector<uint64_t>& edges) {
  uint64_t bits = rng();
  switch (bits % 4) {
    case 0: break;
    case 1:
      bits = static_cast<uint64_t>(static_cast<int64_t>(rng() % 601) - 300);
      if (type == ValType::kF32) return FloatSlot(static_cast<float>(int64_t(bits)) / 4);
      if (type == ValType::kF64) return FloatSlot(static_cast<double>(int64_t(bits)) / 4);
      break;
    case 2: {
      // Magnitudes 2^-4 .. 2^70 cover every conversion's range and beyond.
      double magnitude = std::ldexp(1.0 + double(rng() % (1u << 30)) / (1u << 30),
                                    static_cast<int>(rng() % 75) - 4);
      double value = rng() % 2 ? -magnitude : magnitude;
      if (type == ValType::kF32) return FloatSlot(static_cast<float>(value));
      if (type == ValType::kF64) return FloatSlot(value);
      bits = static_cast<uint64_t>(static_cast<int64_t>(std::ldexp(value, -10)));
      break;
    }
    case 3:
      bits = edges[rng() % edges.size()] + (rng() % 5) - 2;
      break;
  }
  return type == ValType::kI32 || type == ValType::kF32 ? bits & 0xffffffffu : bits;
}

// Operand lists for `op`: every combination of edge values, then random ones.
std::vector<std::vector<uint64_t>> OperandSets(const ReferenceOp& op, uint64_t seed) {
  std::vector<std::vector<uint64_t>> sets;
  std::vector<std::vector<uint64_t>> edges;
  for (ValType t : op.params) edges.push_back(Edges(t));
  if (op.params.size() == 1) {
    for (uint64_t a : edges[0]) sets.push_back({a});
  } else {
    for (uint64_t a : edges[0]) {
      for (uint64_t b : edges[1]) sets.push_back({a, b});
    }
  }
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 4000; ++i) {
    std::vector<uint64_t> set;
    for (size_t p = 0; p < op.params.size(); ++p) {
      set.push_back(RandomValue(op.params[p], rng, edges[p]));
    }
    sets.push_back(std::move(set));
  }
  return sets;
}

// ---------------------------------------------------------------------------
// NaN classes.

enum class NanClass { kNotNaN, kCanonical, kArithmetic, kSignalling };

NanClass ClassifyNan(ValType type, uint64_t slot) {
  if (type == ValType::kF32) {
    uint32_t bits = static_cast<uint32_t>(slot) & 0x7fffffffu;
    if (bits <= 0x7f800000u) return NanClass::kNotNaN;
    if (bits == 0x7fc00000u) return NanClass::kCanonical;
    return bits & 0x00400000u ? NanClass::kArithmetic : NanClass::kSignalling;
  }
  if (type == ValType::kF64) {
    uint64_t bits = slot & 0x7fffffffffffffffull;
    if (bits <= 0x7ff0000000000000ull) return NanClass::kNotNaN;
    if (bits == 0x7ff8000000000000ull) return NanClass::kCanonical;
    return bits & 0x0008000000000000ull ? NanClass::kArithmetic : NanClass::kSignalling;
  }
  return NanClass::kNotNaN;
}

std::string Hex(uint64_t v) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(v));
  return buffer;
}

std::string Describe(const OpOutcome& outcome) {
  if (outcome.trap) return "trap " + std::to_string(*outcome.trap);
  return Hex(outcome.slots[0]);
}

// Why `jit` is not an acceptable result where the interpreter gave
// `expected` for `operands`, or empty if it is.
std::string Mismatch(const ReferenceOp& op, std::span<const uint64_t> operands,
                     const OpOutcome& expected, const OpOutcome& jit) {
  if (expected.trap || jit.trap) {
    if (expected.trap == jit.trap) return "";
    return "interpreter gives " + Describe(expected) + ", JIT " + Describe(jit);
  }
  NanClass expected_class = ClassifyNan(op.result, expected.slots[0]);
  if (op.bitwise || expected_class == NanClass::kNotNaN) {
    if (expected.slots[0] == jit.slots[0]) return "";
    return "interpreter gives " + Describe(expected) + ", JIT " + Describe(jit);
  }
  // An arithmetic instruction's NaN: canonical if every NaN operand was.
  bool all_nan_operands_canonical = true;
  for (size_t i = 0; i < operands.size(); ++i) {
    NanClass c = ClassifyNan(op.params[i], operands[i]);
    if (c == NanClass::kArithmetic || c == NanClass::kSignalling) all_nan_operands_canonical = false;
  }
  NanClass required = all_nan_operands_canonical ? NanClass::kCanonical : NanClass::kArithmetic;
  auto satisfies = [required](NanClass c) {
    return c == NanClass::kCanonical || (c == NanClass::kArithmetic && required == NanClass::kArithmetic);
  };
  if (!satisfies(expected_class)) {
    return "the interpreter's NaN " + Hex(expected.slots[0]) + " breaks the spec's NaN rule";
  }
  if (!satisfies(ClassifyNan(op.result, jit.slots[0]))) {
    return "interpreter gives NaN " + Hex(expected.slots[0]) + ", JIT " + Hex(jit.slots[0]) +
           (required == NanClass::kCanonical ? " (a canonical NaN is required)"
                                             : " (an arithmetic NaN is required)");
  }
  return "";
}

// ---------------------------------------------------------------------------
// Tests.

struct Case {
  size_t op_index;
  OpJit::Optimize optimize;
};

// Names a case in failure messages (instead of gtest's byte dump).
void PrintTo(const Case& c, std::ostream* os) {
  *os << AllReferenceOps()[c.op_index].name
      << (c.optimize == OpJit::Optimize::kO2 ? " after O2" : " as emitted");
}

OpJit& JitFor(OpJit::Optimize optimize) {
  static auto* unoptimized = new OpJit(OpJit::Optimize::kNone);
  static auto* optimized = new OpJit(OpJit::Optimize::kO2);
  return optimize == OpJit::Optimize::kO2 ? *optimized : *unoptimized;
}

class ScalarOpTest : public ::testing::TestWithParam<Case> {};

TEST_P(ScalarOpTest, MatchesInterpreter) {
  const ReferenceOp& op = AllReferenceOps()[GetParam().op_index];
  OpJit& jit = JitFor(GetParam().optimize);
  Instruction ins{.opcode = op.opcode};
  llvm::Expected<CompiledOp> compiled = jit.Compile(ins);
  ASSERT_TRUE(bool(compiled)) << llvm::toString(compiled.takeError());

  int failures = 0;
  for (const std::vector<uint64_t>& operands : OperandSets(op, op.opcode)) {
    OpOutcome expected = op.run(operands);
    OpOutcome got = compiled->Run(operands);
    std::string mismatch = Mismatch(op, operands, expected, got);
    if (mismatch.empty()) continue;
    std::string operand_text;
    for (uint64_t v : operands) operand_text += " " + Hex(v);
    ADD_FAILURE() << op.name << operand_text << ": " << mismatch;
    if (++failures == 8) {
      ADD_FAILURE() << "stopping after 8 mismatches; IR of " << op.name << ":\n"
                    << jit.DumpIr(ins);
      break;
    }
  }
}

// Operand sets in which every edge value of every operand occurs, paired
// with varying edge values of the other operand: small enough to compile
// each as its own constant-folded function.
std::vector<std::vector<uint64_t>> EdgeCoveringSets(const ReferenceOp& op) {
  std::vector<std::vector<uint64_t>> edges;
  for (ValType t : op.params) edges.push_back(Edges(t));
  std::vector<std::vector<uint64_t>> sets;
  if (op.params.size() == 1) {
    for (uint64_t a : edges[0]) sets.push_back({a});
    return sets;
  }
  for (size_t i = 0; i < edges[0].size(); ++i) {
    sets.push_back({edges[0][i], edges[1][(i * 5) % edges[1].size()]});
  }
  for (size_t i = 0; i < edges[1].size(); ++i) {
    sets.push_back({edges[0][(i * 7) % edges[0].size()], edges[1][i]});
  }
  return sets;
}

// The same comparison with constant operands, which LLVM folds by its IR
// semantics (poison, undefined intrinsic inputs) rather than running the
// host's instructions, which may be more forgiving.
TEST_P(ScalarOpTest, ConstantFoldedMatchesInterpreter) {
  const ReferenceOp& op = AllReferenceOps()[GetParam().op_index];
  OpJit& jit = JitFor(GetParam().optimize);
  Instruction ins{.opcode = op.opcode};
  std::vector<std::vector<uint64_t>> sets = EdgeCoveringSets(op);
  llvm::Expected<std::vector<CompiledOp>> compiled = jit.CompileWithConstantOperands(ins, sets);
  ASSERT_TRUE(bool(compiled)) << llvm::toString(compiled.takeError());
  ASSERT_EQ(compiled->size(), sets.size());

  int failures = 0;
  for (size_t i = 0; i < sets.size(); ++i) {
    std::string mismatch = Mismatch(op, sets[i], op.run(sets[i]), (*compiled)[i].Run({}));
    if (mismatch.empty()) continue;
    std::string operand_text;
    for (uint64_t v : sets[i]) operand_text += " " + Hex(v);
    ADD_FAILURE() << op.name << operand_text << " (constant operands): " << mismatch;
    if (++failures == 8) {
      ADD_FAILURE() << "stopping after 8 mismatches; IR of " << op.name << ":\n"
                    << jit.DumpIr(ins);
      break;
    }
  }
}

std::vector<Case> AllCases() {
  std::vector<Case> cases;
  for (OpJit::Optimize optimize : {OpJit::Optimize::kNone, OpJit::Optimize::kO2}) {
    for (size_t i = 0; i < AllReferenceOps().size(); ++i) cases.push_back({i, optimize});
  }
  return cases;
}

std::string CaseName(const ::testing::TestParamInfo<Case>& info) {
  std::string name(AllReferenceOps()[info.param.op_index].name);
  for (char& c : name) {
    if (c == '.') c = '_';
  }
  return name + (info.param.optimize == OpJit::Optimize::kO2 ? "_O2" : "_O0");
}

INSTANTIATE_TEST_SUITE_P(AllNumericOpcodes, ScalarOpTest, ::testing::ValuesIn(AllCases()),
                         CaseName);

// The translation must lower on every core rivet compiles for, including
// those without hardware floats, where LLVM turns float operations into the
// compiler helpers of the AOT contract. (A backend that cannot lower an
// operation aborts with "LLVM ERROR: ...", which fails this test.)
struct CodegenTarget {
  const char* triple;
  const char* cpu;
  const char* features;
};

class ScalarOpsCodegenTest : public ::testing::TestWithParam<CodegenTarget> {};

TEST_P(ScalarOpsCodegenTest, EveryNumericOpcodeLowers) {
  static const bool initialised = [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    return true;
  }();
  (void)initialised;
  const CodegenTarget& target = GetParam();
  std::string error;
  const llvm::Target* llvm_target = llvm::TargetRegistry::lookupTarget(target.triple, error);
  ASSERT_NE(llvm_target, nullptr) << target.triple << ": " << error;

  for (bool optimize : {false, true}) {
    std::unique_ptr<llvm::TargetMachine> machine(llvm_target->createTargetMachine(
        target.triple, target.cpu, target.features, llvm::TargetOptions(), llvm::Reloc::PIC_));
    ASSERT_NE(machine, nullptr) << target.triple;
    llvm::LLVMContext context;
    llvm::Module module("codegen", context);
    module.setTargetTriple(target.triple);
    module.setDataLayout(machine->createDataLayout());
    for (const ReferenceOp& op : AllReferenceOps()) {
      Instruction ins{.opcode = op.opcode};
      llvm::Expected<OpJit::Signature> signature = OpJit::TableSignature(ins);
      ASSERT_TRUE(bool(signature)) << llvm::toString(signature.takeError());
      std::string name = "op_" + std::string(op.name);
      llvm::Expected<size_t> added = OpJit::AddWrapper(module, name, ins, *signature);
      ASSERT_TRUE(bool(added)) << llvm::toString(added.takeError());
    }
    if (optimize) OpJit::RunO2(module, machine.get());

    llvm::SmallVector<char, 0> object;
    llvm::raw_svector_ostream stream(object);
    llvm::legacy::PassManager passes;
    ASSERT_FALSE(machine->addPassesToEmitFile(passes, stream, nullptr,
                                              llvm::CodeGenFileType::ObjectFile))
        << target.triple << " cannot emit object files";
    passes.run(module);
    EXPECT_GT(object.size(), 0u) << target.triple << (optimize ? " after O2" : "");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Targets, ScalarOpsCodegenTest,
    ::testing::Values(CodegenTarget{"x86_64-unknown-linux-gnu", "x86-64", ""},
                      // rv64gc, the usual Linux core.
                      CodegenTarget{"riscv64-unknown-linux-gnu", "generic-rv64", "+m,+a,+f,+d,+c"},
                      // Single-precision hardware only: f64 is soft-float.
                      CodegenTarget{"riscv64-unknown-linux-gnu", "generic-rv64", "+m,+f"},
                      // No float hardware at all, and no multiplier.
                      CodegenTarget{"riscv32-unknown-elf", "generic-rv32", ""},
                      CodegenTarget{"riscv32-unknown-elf", "generic-rv32", "+m,+zfa,+f,+d"}),
    [](const ::testing::TestParamInfo<CodegenTarget>& info) {
      std::string triple = info.param.triple;
      std::string name = triple.substr(0, triple.find('-'));
      name += std::string("_") + (*info.param.features ? info.param.features : "none");
      for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(ScalarOpsCoverageTest, EveryNumericOpcodeHasAReferenceWithTheTableSignature) {
  size_t count = 0;
#define RIVET_COUNT_OP(Name, code, text, imm, sig, size) ++count;
  RIVET_FOREACH_NUMERIC_OPCODE(RIVET_COUNT_OP)
#undef RIVET_COUNT_OP
  ASSERT_EQ(AllReferenceOps().size(), count);
  for (const ReferenceOp& op : AllReferenceOps()) {
    const OpInfo& info = GetOpInfo(op.opcode);
    ASSERT_TRUE(info.known() && info.has_signature) << op.name;
    EXPECT_EQ(info.name, op.name);
    ASSERT_EQ(info.num_params, op.params.size()) << op.name;
    for (size_t i = 0; i < op.params.size(); ++i) {
      EXPECT_EQ(static_cast<ValType>(info.params[i]), op.params[i]) << op.name << " operand " << i;
    }
    ASSERT_EQ(info.num_results, 1) << op.name;
    EXPECT_EQ(static_cast<ValType>(info.result), op.result) << op.name;
  }
}

TEST(ScalarOpsCoverageTest, OtherOpcodesAreNotTranslated) {
  OpJit jit;
  for (Opcode opcode : {op::kI32Const, op::kI32Load, op::kF32x4Add, op::kNop}) {
    // The operands the table gives it, so that only the opcode can make the
    // translator refuse.
    const OpInfo& info = GetOpInfo(opcode);
    std::vector<ValType> params;
    for (int i = 0; i < info.num_params; ++i) params.push_back(static_cast<ValType>(info.params[i]));
    llvm::Expected<CompiledOp> compiled =
        jit.Compile(Instruction{.opcode = opcode},
                    OpJit::Signature{params, ValType::kI32, testing::OpTranslator::kScalar});
    ASSERT_FALSE(bool(compiled)) << GetOpInfo(opcode).name << " was translated";
    std::string error = llvm::toString(compiled.takeError());
    EXPECT_NE(error.find("returned null"), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace rivet::aot
