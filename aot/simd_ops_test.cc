// Differential test of EmitSimdOp (aot/simd_ops.cc) against the
// interpreter's SIMD semantics (interp/simd.h): every non-memory SIMD opcode
// of the opcode table runs edge and random operands through the JIT-compiled
// translation and through the interpreter's function of the same name, and
// the results must be bit-identical, except that where the interpreter's
// float lane is a NaN from IEEE arithmetic (add, sqrt, demote, ...), the
// compiled lane must be a NaN of the class the spec requires: canonical when
// every NaN operand lane is canonical, else arithmetic. Each opcode runs
// with operands loaded at run time and, for a sample, as IR constants that
// LLVM folds; both as emitted and after LLVM's O2 pipeline.
//
// A second test compiles every opcode for riscv32 and riscv64 cores without
// vector units, where LLVM scalarises the generic vector IR.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

// ops_test_util.h uses llvm::utohexstr without including its header.
#include "llvm/ADT/StringExtras.h"

#include "aot/ops.h"
#include "aot/ops_test_util.h"
#include "gtest/gtest.h"
#include "interp/simd.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Triple.h"
#include "loader/opcodes.h"

namespace rivet::aot {
namespace {

using interp::V128;
using testing::CompiledOp;
using testing::OpJit;
using testing::OpOutcome;
using testing::OpTranslator;

using Slots = std::array<uint64_t, 2>;

// --- The interpreter's side -------------------------------------------------

// Reads one parameter of an interpreter function: operands from the slots
// (v128 takes two), immediates from the instruction (a lane index is the
// only uint8_t parameter, the shuffle lanes the only pointer).
template <typename T>
T ReferenceArg(const uint64_t* slots, size_t& next_slot, const Instruction& ins) {
  if constexpr (std::is_same_v<T, V128>) {
    V128 v = interp::FromLanes<uint64_t>({slots[next_slot], slots[next_slot + 1]});
    next_slot += 2;
    return v;
  } else if constexpr (std::is_same_v<T, uint8_t>) {
    return ins.lane;
  } else if constexpr (std::is_same_v<T, const uint8_t*>) {
    return ins.bytes;
  } else {
    static_assert(std::is_same_v<T, uint32_t> || std::is_same_v<T, uint64_t>);
    return static_cast<T>(slots[next_slot++]);
  }
}

template <typename R>
Slots ResultSlots(R result) {
  if constexpr (std::is_same_v<R, V128>) {
    interp::LaneArray<uint64_t> halves = interp::ToLanes<uint64_t>(result);
    return {halves[0], halves[1]};
  } else {
    return {static_cast<uint64_t>(result), 0};
  }
}

// Calls interpreter function `fn` with the operands in `slots`.
template <typename R, typename... P>
Slots CallReference(R (*fn)(P...), const uint64_t* slots, const Instruction& ins) {
  size_t next_slot = 0;
  // Braced initialisation evaluates the arguments left to right.
  std::tuple<P...> args{ReferenceArg<P>(slots, next_slot, ins)...};
  return ResultSlots(std::apply(fn, args));
}

using ReferenceFn = Slots (*)(const uint64_t* slots, const Instruction& ins);

// The value of v128.const is its immediate.
Slots ConstReference(const uint64_t*, const Instruction& ins) {
  Slots result;
  std::memcpy(result.data(), ins.bytes, 16);  // little-endian host
  return result;
}

struct SimdOpcode {
  Opcode opcode;
  std::string_view name;
  ReferenceFn reference;
};

// Every opcode EmitSimdOp must handle, each with the interpreter function of
// the same name: an opcode without one does not compile.
const std::vector<SimdOpcode>& AllSimdOpcodes() {
  static const std::vector<SimdOpcode> opcodes = [] {
    std::vector<SimdOpcode> list;
#define RIVET_SIMD_REFERENCE(Name, code, text, imm, sig, size)                          \
  list.push_back({op::k##Name, text, [](const uint64_t* slots, const Instruction& ins) { \
                    return CallReference(&interp::Name, slots, ins);                    \
                  }});
    RIVET_FOREACH_SIMD_LANE_OPCODE(RIVET_SIMD_REFERENCE)
    RIVET_FOREACH_SIMD_NUMERIC_OPCODE(RIVET_SIMD_REFERENCE)
#undef RIVET_SIMD_REFERENCE
    list.push_back({op::kV128Const, "v128.const", &ConstReference});
    return list;
  }();
  return opcodes;
}

// --- Operand values ----------------------------------------------------------

// Lane values where implementations tend to differ, per lane kind.
const std::vector<uint64_t> kEdge8 = {0x00, 0x01, 0x02, 0x0f, 0x10, 0x11, 0x1f, 0x20, 0x3f,
                                      0x40, 0x7e, 0x7f, 0x80, 0x81, 0xc0, 0xef, 0xf0, 0xfe, 0xff};
const std::vector<uint64_t> kEdge16 = {0x0000, 0x0001, 0x007f, 0x0080, 0x00ff, 0x0100, 0x3fff,
                                       0x4000, 0x7ffe, 0x7fff, 0x8000, 0x8001, 0xff00, 0xff7f,
                                       0xff80, 0xfffe, 0xffff};
const std::vector<uint64_t> kEdge32 = {
    0x00000000, 0x00000001, 0x00007fff, 0x00008000, 0x0000ffff, 0x00010000, 0x7ffffffe,
    0x7fffffff, 0x80000000, 0x80000001, 0xffff7fff, 0xffff8000, 0xfffffffe, 0xffffffff,
    0x00000010, 0x0000001f, 0x00000020, 0x00000021, 0x0000003f, 0x00000040, 0x01000001};
const std::vector<uint64_t> kEdge64 = {
    0x0000000000000000, 0x0000000000000001, 0x000000007fffffff, 0x0000000080000000,
    0x00000000ffffffff, 0x0000000100000000, 0x7ffffffffffffffe, 0x7fffffffffffffff,
    0x8000000000000000, 0x8000000000000001, 0xffffffff7fffffff, 0xffffffff80000000,
    0xfffffffffffffffe, 0xffffffffffffffff, 0x000000000000003f, 0x0000000000000040,
    0x0000000000000041};
const std::vector<uint64_t> kEdgeF32 = {
    0x00000000, 0x80000000,  // +-0
    0x3f800000, 0xbf800000,  // +-1
    0x3f000000, 0xbf000000,  // +-0.5
    0x3fc00000, 0x40200000, 0xc0200000,  // 1.5, 2.5, -2.5
    0x3effffff, 0x3f7fffff, 0xbf666666,  // 0.49999997, 0.99999994, -0.9
    0x7f800000, 0xff800000,  // +-inf
    0x7fc00000, 0xffc00000,  // canonical NaNs
    0x7fc12345, 0xffd00001,  // arithmetic NaNs with payloads
    0x7f800001, 0x7fa00000, 0xff812345,  // signalling NaNs
    0x00000001, 0x007fffff, 0x80000001, 0x807fffff,  // subnormals
    0x00800000, 0x7f7fffff, 0xff7fffff,  // smallest normal, +-max
    0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001,  // around +-2^31
    0x4f7fffff, 0x4f800000,  // around 2^32
    0x4b000000, 0x4affffff, 0x4b7fffff, 0xcafffffd,  // around 2^23
};
const std::vector<uint64_t> kEdgeF64 = {
    0x0000000000000000, 0x8000000000000000,  // +-0
    0x3ff0000000000000, 0xbff0000000000000,  // +-1
    0x3fe0000000000000, 0xbfe0000000000000,  // +-0.5
    0x3ff8000000000000, 0x4004000000000000, 0xc004000000000000,  // 1.5, 2.5, -2.5
    0x3fdfffffffffffff, 0xbfefae147ae147ae,  // 0.49999999999999994, -0.99
    0x7ff0000000000000, 0xfff0000000000000,  // +-inf
    0x7ff8000000000000, 0xfff8000000000000,  // canonical NaNs
    0x7ff8000000012345, 0xfffc000000000001,  // arithmetic NaNs with payloads
    0x7ff0000000000001, 0x7ff4000000000000, 0xfff0000012345678,  // signalling NaNs
    0x0000000000000001, 0x000fffffffffffff, 0x8000000000000001,  // subnormals
    0x0010000000000000, 0x7fefffffffffffff, 0xffefffffffffffff,  // smallest normal, +-max
    0x41dfffffffc00000, 0x41dfffffffffffff, 0x41e0000000000000,  // 2^31-1, below/at 2^31
    0xc1e0000000000000, 0xc1e0000000200000, 0xc1e00000001fffff,  // -2^31, -2^31-1, -2^31-0.99
    0x41efffffffe00000, 0x41efffffffffffff, 0x41f0000000000000,  // 2^32-1, below/at 2^32
    0x4330000000000000, 0x432fffffffffffff, 0xc32ffffffffffffd,  // around 2^52
    0x47efffffe0000000, 0x47f0000000000000,  // f32 max as f64, 2^128 (demote: inf)
    0x3ff0000010000000, 0x3ff0000030000000,  // 1 + 2^-24, 1 + 3*2^-24: demote ties
    0x36a0000000000000, 0x3690000000000000,  // 2^-149, 2^-150: f32 subnormal, tie to 0
    0x380fffffe0000000,                      // rounds up to the smallest f32 normal
};

// How the lanes of a generated v128 are filled.
enum class LaneKind { k8, k16, k32, k64, kF32, kF64 };
constexpr LaneKind kLaneKinds[] = {LaneKind::k8,  LaneKind::k16,  LaneKind::k32,
                                   LaneKind::k64, LaneKind::kF32, LaneKind::kF64};

const std::vector<uint64_t>& EdgesOf(LaneKind kind) {
  switch (kind) {
    case LaneKind::k8:
      return kEdge8;
    case LaneKind::k16:
      return kEdge16;
    case LaneKind::k32:
      return kEdge32;
    case LaneKind::k64:
      return kEdge64;
    case LaneKind::kF32:
      return kEdgeF32;
    case LaneKind::kF64:
      return kEdgeF64;
  }
  return kEdge8;
}

unsigned LaneBits(LaneKind kind) {
  switch (kind) {
    case LaneKind::k8:
      return 8;
    case LaneKind::k16:
      return 16;
    case LaneKind::k32:
    case LaneKind::kF32:
      return 32;
    case LaneKind::k64:
    case LaneKind::kF64:
      return 64;
  }
  return 8;
}

class OperandGenerator {
 public:
  explicit OperandGenerator(uint32_t seed) : random_(seed) {}

  // A v128 of `kind` lanes, each an edge value (or, with probability 1/4,
  // random bits).
  Slots EdgeVector(LaneKind kind) {
    const std::vector<uint64_t>& edges = EdgesOf(kind);
    unsigned bits = LaneBits(kind);
    uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
    Slots v{};
    for (unsigned lane = 0; lane < 128 / bits; ++lane) {
      uint64_t x = random_() % 4 == 0 ? random_() : edges[random_() % edges.size()];
      x &= mask;
      unsigned bit = lane * bits;
      v[bit / 64] |= x << (bit % 64);
    }
    return v;
  }

  Slots AnyVector() {
    switch (random_() % 4) {
      case 0:
        return {random_(), random_()};
      default:
        return EdgeVector(kLaneKinds[random_() % 6]);
    }
  }

  // A scalar operand of wasm type `type`.
  uint64_t Scalar(ValType type) {
    bool edge = random_() % 4 != 0;
    switch (type) {
      case ValType::kI32:
        return edge ? Pick(random_() % 2 ? kEdge32 : kEdgeF32) : random_() & 0xffffffff;
      case ValType::kF32:
        return edge ? Pick(kEdgeF32) : random_() & 0xffffffff;
      case ValType::kI64:
        return edge ? Pick(kEdge64) : random_();
      case ValType::kF64:
        return edge ? Pick(kEdgeF64) : random_();
      default:
        return random_();
    }
  }

  uint64_t Pick(const std::vector<uint64_t>& values) { return values[random_() % values.size()]; }
  uint64_t Bits() { return random_(); }

 private:
  std::mt19937_64 random_;
};

// --- Comparing results --------------------------------------------------------

// Opcodes whose float result lanes come from IEEE arithmetic on the same
// lane of each operand. The spec lets such a NaN be any arithmetic NaN, and
// a canonical one when every NaN operand lane is canonical; which one the
// hardware returns depends even on how the compiler ordered the operands of
// the interpreter's `x + y`. So for a NaN lane only the class the spec
// requires is checked. Every other result is compared bit for bit (bit
// moves, comparisons, and the min/max/rounding NaNs that the interpreter
// fixes and the translation reproduces).
struct FloatArithmetic {
  bool result_f32;   // f32 result lanes (else f64)
  bool operand_f32;  // f32 operand lanes (else f64)
  unsigned lanes;    // result lanes computed from operand lane i
};
std::optional<FloatArithmetic> FloatArithmeticResult(Opcode opcode) {
  switch (opcode) {
    case op::kF32x4Add:
    case op::kF32x4Sub:
    case op::kF32x4Mul:
    case op::kF32x4Div:
    case op::kF32x4Sqrt:
      return FloatArithmetic{true, true, 4};
    case op::kF32x4DemoteF64x2Zero:
      return FloatArithmetic{true, false, 2};  // lanes 2 and 3 are +0
    case op::kF64x2Add:
    case op::kF64x2Sub:
    case op::kF64x2Mul:
    case op::kF64x2Div:
    case op::kF64x2Sqrt:
      return FloatArithmetic{false, false, 2};
    case op::kF64x2PromoteLowF32x4:
      return FloatArithmetic{false, true, 2};
    default:
      return std::nullopt;
  }
}

enum class NaNClass { kNotNaN, kCanonical, kArithmetic, kSignalling };

template <typename Bits>
NaNClass ClassOf(Bits bits, Bits exponent, Bits quiet) {
  Bits magnitude = bits & ~(Bits{1} << (sizeof(Bits) * 8 - 1));  // drop the sign
  if ((magnitude & exponent) != exponent || magnitude == exponent) return NaNClass::kNotNaN;
  if (magnitude == (exponent | quiet)) return NaNClass::kCanonical;
  return (magnitude & quiet) ? NaNClass::kArithmetic : NaNClass::kSignalling;
}

uint64_t LaneValue(const uint64_t* v, bool is_f32, unsigned lane) {
  return is_f32 ? (v[lane / 2] >> (32 * (lane % 2))) & 0xffffffff : v[lane];
}

NaNClass LaneClass(const uint64_t* v, bool is_f32, unsigned lane) {
  uint64_t bits = LaneValue(v, is_f32, lane);
  if (is_f32) return ClassOf<uint32_t>(static_cast<uint32_t>(bits), 0x7f800000u, 0x00400000u);
  return ClassOf<uint64_t>(bits, 0x7ff0000000000000u, 0x0008000000000000u);
}

// Empty if `actual` (the JIT's) matches `expected` (the interpreter's) for
// v128 `operands`; otherwise what differs.
std::string Mismatch(Opcode opcode, std::span<const uint64_t> operands, const Slots& expected,
                     const Slots& actual) {
  std::optional<FloatArithmetic> shape = FloatArithmeticResult(opcode);
  if (!shape) {
    return expected == actual ? "" : "results differ";
  }
  // Lanes past those computed (demote's zeros) are compared exactly.
  unsigned all_lanes = shape->result_f32 ? 4 : 2;
  for (unsigned lane = 0; lane < all_lanes; ++lane) {
    std::string where = "lane " + std::to_string(lane);
    if (LaneClass(expected.data(), shape->result_f32, lane) == NaNClass::kNotNaN ||
        lane >= shape->lanes) {
      if (LaneValue(expected.data(), shape->result_f32, lane) !=
          LaneValue(actual.data(), shape->result_f32, lane)) {
        return where + " differs";
      }
      continue;
    }
    bool all_nan_operands_canonical = true;
    for (size_t slot = 0; slot < operands.size(); slot += 2) {
      NaNClass operand = LaneClass(operands.data() + slot, shape->operand_f32, lane);
      if (operand != NaNClass::kNotNaN && operand != NaNClass::kCanonical) {
        all_nan_operands_canonical = false;
      }
    }
    NaNClass got = LaneClass(actual.data(), shape->result_f32, lane);
    if (got == NaNClass::kNotNaN) return where + " should be a NaN";
    if (all_nan_operands_canonical && got != NaNClass::kCanonical) {
      return where + " should be a canonical NaN (every NaN operand is)";
    }
    if (got == NaNClass::kSignalling) return where + " should be an arithmetic NaN";
  }
  return "";
}

std::string Hex(uint64_t x) {
  char buffer[24];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(x));
  return buffer;
}

std::string SlotsText(std::span<const uint64_t> slots) {
  std::string text;
  for (uint64_t slot : slots) text += (text.empty() ? "" : " ") + Hex(slot);
  return text;
}

// --- The differential test --------------------------------------------------------

struct SignatureSlots {
  std::vector<ValType> params;
  size_t operand_slots = 0;
};

SignatureSlots SignatureOf(Opcode opcode) {
  const OpInfo& info = GetOpInfo(opcode);
  SignatureSlots s;
  for (int i = 0; i < info.num_params; ++i) {
    ValType type = static_cast<ValType>(info.params[i]);
    s.params.push_back(type);
    s.operand_slots += type == ValType::kV128 ? 2 : 1;
  }
  return s;
}

// Operand slot lists for an instruction of signature `sig`: edge lanes of
// every lane kind, uniform vectors pairing every edge value with every other
// one lane-aligned, then `random_cases` random ones.
std::vector<std::vector<uint64_t>> MakeOperandSets(const SignatureSlots& sig, int random_cases,
                                                   OperandGenerator& gen) {
  std::vector<std::vector<uint64_t>> sets;
  auto add = [&](auto make_vector) {
    std::vector<uint64_t>& operands = sets.emplace_back();
    for (ValType type : sig.params) {
      if (type == ValType::kV128) {
        Slots v = make_vector();
        operands.push_back(v[0]);
        operands.push_back(v[1]);
      } else {
        operands.push_back(gen.Scalar(type));
      }
    }
  };
  for (LaneKind kind : kLaneKinds) {
    for (int i = 0; i < 40; ++i) add([&] { return gen.EdgeVector(kind); });
  }
  for (LaneKind kind : kLaneKinds) {
    const std::vector<uint64_t>& edges = EdgesOf(kind);
    unsigned bits = LaneBits(kind);
    auto uniform = [&](uint64_t x) {
      Slots v{};
      for (unsigned bit = 0; bit < 128; bit += bits) v[bit / 64] |= x << (bit % 64);
      return v;
    };
    for (uint64_t x : edges) {
      for (uint64_t y : edges) {
        bool first = true;
        add([&] {
          Slots v = uniform(first ? x : y);
          first = false;
          return v;
        });
      }
    }
  }
  for (int i = 0; i < random_cases; ++i) add([&] { return gen.AnyVector(); });
  return sets;
}

class SimdDifferentialTest : public ::testing::TestWithParam<OpJit::Optimize> {
 protected:
  // Runs `compiled` (which loads `operands`, or has them built in as
  // constants) and the reference; records a failure (at most a few per
  // opcode) on a mismatch.
  void Check(const SimdOpcode& simd, const Instruction& ins, const CompiledOp& compiled,
             std::span<const uint64_t> operands, bool constant_operands) {
    ++cases_[simd.opcode];
    OpOutcome outcome =
        compiled.Run(constant_operands ? std::span<const uint64_t>() : operands);
    if (outcome.trap) {
      ADD_FAILURE() << simd.name << " trapped on " << SlotsText(operands);
      return;
    }
    Slots expected = simd.reference(operands.data(), ins);
    std::string mismatch = Mismatch(simd.opcode, operands, expected, outcome.slots);
    if (!mismatch.empty() && ++failures_[simd.opcode] <= 5) {
      ADD_FAILURE() << simd.name << " (lane immediate " << int{ins.lane} << ", "
                    << (constant_operands ? "constant" : "loaded") << " operands): " << mismatch
                    << "\n  operands: " << SlotsText(operands)
                    << "\n  interpreter: " << SlotsText(expected)
                    << "\n  compiled:    " << SlotsText(outcome.slots) << "\n"
                    << (failures_[simd.opcode] == 1 ? jit_.DumpIr(ins) : "");
    }
  }

  // Runs the operand sets of MakeOperandSets through `ins` compiled once with
  // loaded operands, and `constant_cases` of them (spread over the list)
  // compiled with constant operands, which LLVM folds by its own rules.
  void RunOperands(const SimdOpcode& simd, const Instruction& ins, int random_cases,
                   size_t constant_cases, OperandGenerator& gen) {
    std::vector<std::vector<uint64_t>> sets =
        MakeOperandSets(SignatureOf(simd.opcode), random_cases, gen);
    llvm::Expected<CompiledOp> compiled = jit_.Compile(ins);
    ASSERT_TRUE(bool(compiled)) << simd.name << ": " << llvm::toString(compiled.takeError());
    for (const std::vector<uint64_t>& operands : sets) {
      Check(simd, ins, *compiled, operands, false);
    }

    std::vector<std::vector<uint64_t>> constant_sets;
    for (size_t i = 0; i < constant_cases; ++i) {
      constant_sets.push_back(sets[i * sets.size() / constant_cases]);
    }
    llvm::Expected<std::vector<CompiledOp>> folded =
        jit_.CompileWithConstantOperands(ins, constant_sets);
    ASSERT_TRUE(bool(folded)) << simd.name << ": " << llvm::toString(folded.takeError());
    for (size_t i = 0; i < constant_sets.size(); ++i) {
      Check(simd, ins, (*folded)[i], constant_sets[i], true);
    }
  }

  OpJit jit_{GetParam()};
  std::map<Opcode, int> cases_;
  std::map<Opcode, int> failures_;
};

TEST_P(SimdDifferentialTest, EveryOpcodeMatchesTheInterpreter) {
  OperandGenerator gen(0x5eed0001);
  for (const SimdOpcode& simd : AllSimdOpcodes()) {
    const OpInfo& info = GetOpInfo(simd.opcode);
    ASSERT_TRUE(info.known()) << simd.name;
    Instruction ins{.opcode = simd.opcode};
    switch (info.imm) {
      case Imm::kLane:
        // access_size is the lane count of a lane instruction.
        for (unsigned lane = 0; lane < info.access_size; ++lane) {
          ins.lane = static_cast<uint8_t>(lane);
          RunOperands(simd, ins, 500, 12, gen);
        }
        break;
      case Imm::kShuffle: {
        // Fixed patterns (identity, all of b, reverse, broadcasts) and random
        // lane lists, each a separately compiled instruction.
        std::vector<std::array<uint8_t, 16>> masks;
        std::array<uint8_t, 16> mask;
        for (int i = 0; i < 16; ++i) mask[i] = static_cast<uint8_t>(i);
        masks.push_back(mask);
        for (int i = 0; i < 16; ++i) mask[i] = static_cast<uint8_t>(16 + i);
        masks.push_back(mask);
        for (int i = 0; i < 16; ++i) mask[i] = static_cast<uint8_t>(31 - i);
        masks.push_back(mask);
        for (uint8_t lane : {0, 15, 16, 31}) {
          mask.fill(lane);
          masks.push_back(mask);
        }
        for (int m = 0; m < 40; ++m) {
          for (uint8_t& lane : mask) lane = static_cast<uint8_t>(gen.Bits() % 32);
          masks.push_back(mask);
        }
        for (const auto& lanes : masks) {
          ins.bytes = lanes.data();
          RunOperands(simd, ins, 50, 6, gen);
        }
        break;
      }
      case Imm::kV128: {
        for (int c = 0; c < 20; ++c) {
          std::array<uint8_t, 16> bytes;
          Slots v = c < 6 ? gen.EdgeVector(kLaneKinds[c]) : Slots{gen.Bits(), gen.Bits()};
          std::memcpy(bytes.data(), v.data(), 16);
          ins.bytes = bytes.data();
          llvm::Expected<CompiledOp> compiled = jit_.Compile(ins);
          ASSERT_TRUE(bool(compiled)) << simd.name << ": " << llvm::toString(compiled.takeError());
          Check(simd, ins, *compiled, {}, false);
        }
        break;
      }
      default:
        RunOperands(simd, ins, 3000, 64, gen);
        break;
    }
  }
  // Every opcode ran, and the list holds every SIMD lane and numeric opcode of
  // the table (plus v128.const) exactly once.
  size_t table_size = 1;
#define RIVET_COUNT(Name, code, text, imm, sig, size) ++table_size;
  RIVET_FOREACH_SIMD_LANE_OPCODE(RIVET_COUNT)
  RIVET_FOREACH_SIMD_NUMERIC_OPCODE(RIVET_COUNT)
#undef RIVET_COUNT
  EXPECT_EQ(AllSimdOpcodes().size(), table_size);
  EXPECT_EQ(cases_.size(), table_size);
  for (const SimdOpcode& simd : AllSimdOpcodes()) {
    EXPECT_GE(cases_[simd.opcode], simd.opcode == op::kV128Const ? 20 : 1000)
        << simd.name << " was not exercised";
  }
}

INSTANTIATE_TEST_SUITE_P(Optimization, SimdDifferentialTest,
                         ::testing::Values(OpJit::Optimize::kNone, OpJit::Optimize::kO2),
                         [](const auto& info) {
                           return info.param == OpJit::Optimize::kNone ? "AsEmitted" : "O2";
                         });

// EmitSimdOp leaves everything that is not a SIMD value instruction to others.
TEST(SimdOpsTest, ReturnsNullForOtherOpcodes) {
  OpJit jit;
  llvm::Expected<CompiledOp> add =
      jit.Compile(Instruction{.opcode = op::kI32Add},
                  {{ValType::kI32, ValType::kI32}, ValType::kI32, OpTranslator::kSimd});
  ASSERT_FALSE(bool(add));
  EXPECT_NE(llvm::toString(add.takeError()).find("returned null"), std::string::npos);

  llvm::Expected<CompiledOp> load = jit.Compile(Instruction{.opcode = op::kV128Load},
                                                {{ValType::kI32}, ValType::kV128, OpTranslator::kSimd});
  ASSERT_FALSE(bool(load));
  EXPECT_NE(llvm::toString(load.takeError()).find("returned null"), std::string::npos);
}

// --- Targets without vector units ------------------------------------------------

// An OpContext for building IR only: no SIMD op may trap.
class BuildOnlyContext : public OpContext {
 public:
  BuildOnlyContext(llvm::Module& module, llvm::IRBuilder<>& builder)
      : module_(module), builder_(builder) {}
  llvm::IRBuilder<>& builder() override { return builder_; }
  llvm::Module& module() override { return module_; }
  void TrapIf(llvm::Value*, AotTrap kind) override {
    ADD_FAILURE() << "a SIMD op asked to trap with kind " << kind;
  }

 private:
  llvm::Module& module_;
  llvm::IRBuilder<>& builder_;
};

llvm::Type* IrType(llvm::LLVMContext& context, ValType type) {
  switch (type) {
    case ValType::kI32:
      return llvm::Type::getInt32Ty(context);
    case ValType::kI64:
      return llvm::Type::getInt64Ty(context);
    case ValType::kF32:
      return llvm::Type::getFloatTy(context);
    case ValType::kF64:
      return llvm::Type::getDoubleTy(context);
    default:
      return llvm::FixedVectorType::get(llvm::Type::getInt64Ty(context), 2);
  }
}

// One function per opcode (lane 1, a fixed shuffle), each taking its operands
// as arguments and returning its result.
void AddEveryOpcode(llvm::Module& module) {
  static const uint8_t kBytes[16] = {0, 17, 2, 19, 4, 21, 6, 23, 31, 30, 13, 12, 11, 10, 9, 8};
  llvm::LLVMContext& context = module.getContext();
  for (const SimdOpcode& simd : AllSimdOpcodes()) {
    const OpInfo& info = GetOpInfo(simd.opcode);
    std::vector<llvm::Type*> params;
    for (int i = 0; i < info.num_params; ++i) {
      params.push_back(IrType(context, static_cast<ValType>(info.params[i])));
    }
    auto* type = llvm::FunctionType::get(IrType(context, static_cast<ValType>(info.result)),
                                         params, false);
    std::string name(simd.name);
    for (char& c : name) c = c == '.' ? '_' : c;
    auto* function = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module);
    llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "entry", function));
    BuildOnlyContext cx(module, builder);
    std::vector<llvm::Value*> operands;
    for (llvm::Argument& arg : function->args()) operands.push_back(&arg);
    Instruction ins{.opcode = simd.opcode, .lane = 1, .bytes = kBytes};
    llvm::Value* result = EmitSimdOp(cx, ins, operands);
    ASSERT_NE(result, nullptr) << simd.name;
    builder.CreateRet(result);
  }
}

void RunO2(llvm::Module& module, llvm::TargetMachine& machine) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, modules);
}

TEST(SimdOpsTest, CompilesForRiscvWithoutVectorUnits) {
  LLVMInitializeRISCVTargetInfo();
  LLVMInitializeRISCVTarget();
  LLVMInitializeRISCVTargetMC();
  LLVMInitializeRISCVAsmPrinter();
  struct Target {
    const char* triple;
    const char* cpu;
    const char* features;
    const char* abi;
  };
  for (const Target& target :
       {Target{"riscv64-unknown-linux-gnu", "generic-rv64", "+m,+f,+d", "lp64d"},
        Target{"riscv64-unknown-linux-gnu", "generic-rv64", "+m,+a,+c", "lp64"},
        Target{"riscv32-unknown-none-elf", "generic-rv32", "+m", "ilp32"},
        Target{"riscv32-unknown-none-elf", "generic-rv32", "+m,+f,+d", "ilp32d"}}) {
    SCOPED_TRACE(std::string(target.triple) + " " + target.features);
    std::string error;
    const llvm::Target* llvm_target = llvm::TargetRegistry::lookupTarget(target.triple, error);
    ASSERT_NE(llvm_target, nullptr) << error;
    llvm::TargetOptions options;
    options.MCOptions.ABIName = target.abi;
    std::unique_ptr<llvm::TargetMachine> machine(llvm_target->createTargetMachine(
        target.triple, target.cpu, target.features, options, std::nullopt));
    ASSERT_NE(machine, nullptr);

    // The IR as emitted, and after the O2 pipeline (whose rewrites must not
    // introduce anything the backend cannot lower either).
    for (bool optimize : {false, true}) {
      SCOPED_TRACE(optimize ? "O2" : "as emitted");
      llvm::LLVMContext context;
      llvm::Module module("simd_ops", context);
      module.setTargetTriple(target.triple);
      module.setDataLayout(machine->createDataLayout());
      AddEveryOpcode(module);
      std::string verifier_message;
      llvm::raw_string_ostream verifier_stream(verifier_message);
      ASSERT_FALSE(llvm::verifyModule(module, &verifier_stream)) << verifier_message;
      // For running llc by hand: RIVET_SIMD_OPS_IR=/tmp/simd.ll.
      if (const char* path = std::getenv("RIVET_SIMD_OPS_IR"); path != nullptr && !optimize) {
        std::error_code ec;
        llvm::raw_fd_ostream ir(path, ec);
        module.print(ir, nullptr);
      }
      if (optimize) RunO2(module, *machine);

      llvm::SmallVector<char, 0> object;
      llvm::raw_svector_ostream stream(object);
      llvm::legacy::PassManager passes;
      ASSERT_FALSE(machine->addPassesToEmitFile(passes, stream, nullptr,
                                                llvm::CodeGenFileType::ObjectFile));
      passes.run(module);
      EXPECT_GT(object.size(), 1000u);
    }
  }
}

}  // namespace
}  // namespace rivet::aot
