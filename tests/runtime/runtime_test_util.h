// Helpers shared by the runtime tests: decoding and instantiating modules
// built with wasm_builder.h, calling exports, and checking results and traps
// with messages that show what happened instead.
#ifndef RIVET_TESTS_RUNTIME_RUNTIME_TEST_UTIL_H_
#define RIVET_TESTS_RUNTIME_RUNTIME_TEST_UTIL_H_

#include <bit>
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "loader/features.h"
#include "loader/module.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::runtime_test {

// The module builder shared with the loader tests.
using namespace ::rivet::test;  // NOLINT(build/namespaces)

// Opcodes the builder has no constant for (binary format specification).
inline constexpr uint8_t kI32Ne = 0x47;
inline constexpr uint8_t kI32LtU = 0x49;
inline constexpr uint8_t kI32GtS = 0x4a;
inline constexpr uint8_t kI32DivU = 0x6e;
inline constexpr uint8_t kI32RemS = 0x6f;
inline constexpr uint8_t kI32And = 0x71;
inline constexpr uint8_t kI64Eq = 0x51;
inline constexpr uint8_t kI64DivS = 0x7f;
inline constexpr uint8_t kF32Mul = 0x94;
inline constexpr uint8_t kF64Mul = 0xa2;
inline constexpr uint8_t kI32TruncF32S = 0xa8;
inline constexpr uint8_t kI32TruncF64S = 0xaa;
inline constexpr uint8_t kI32TruncF64U = 0xab;
inline constexpr uint8_t kI64TruncF64S = 0xb0;

// Atomic sub-opcodes (0xFE prefix).
inline Bytes MemoryAtomicNotify(uint32_t offset = 0) { return Mem(Atomic(0x00), 2, offset); }
inline Bytes MemoryAtomicWait32(uint32_t offset = 0) { return Mem(Atomic(0x01), 2, offset); }
inline Bytes MemoryAtomicWait64(uint32_t offset = 0) { return Mem(Atomic(0x02), 3, offset); }
inline Bytes I32AtomicLoad(uint32_t offset = 0) { return Mem(Atomic(0x10), 2, offset); }
inline Bytes I32AtomicStore(uint32_t offset = 0) { return Mem(Atomic(0x17), 2, offset); }
inline Bytes I32AtomicRmwAdd(uint32_t offset = 0) { return Mem(Atomic(0x1e), 2, offset); }

// Value types as the runtime spells them.
inline constexpr ValType I32 = ValType::kI32;
inline constexpr ValType I64 = ValType::kI64;
inline constexpr ValType F32 = ValType::kF32;
inline constexpr ValType F64 = ValType::kF64;

// Slots for float arguments and results (f32 in the low 32 bits).
inline Slot F32Slot(float v) { return std::bit_cast<uint32_t>(v); }
inline Slot F64Slot(double v) { return std::bit_cast<uint64_t>(v); }
inline float SlotF32(Slot s) { return std::bit_cast<float>(static_cast<uint32_t>(s)); }
inline double SlotF64(Slot s) { return std::bit_cast<double>(s); }
// An i32 argument or result: the value zero-extended to 64 bits.
inline Slot I32Slot(int32_t v) { return static_cast<uint32_t>(v); }

inline std::shared_ptr<const Module> Decode(const Bytes& bytes,
                                            const Features& features = Features::All()) {
  auto result = DecodeModule(bytes, features);
  if (!result.ok()) {
    ADD_FAILURE() << "module does not decode: " << result.error().message;
    return nullptr;
  }
  return *result;
}

inline Extern FuncExtern(FuncInstance* f) {
  Extern e;
  e.kind = ExternKind::kFunc;
  e.func = f;
  return e;
}
inline Extern MemoryExtern(Memory* m) {
  Extern e;
  e.kind = ExternKind::kMemory;
  e.memory = m;
  return e;
}
inline Extern TableExtern(Table* t) {
  Extern e;
  e.kind = ExternKind::kTable;
  e.table = t;
  return e;
}
inline Extern GlobalExtern(Global* g) {
  Extern e;
  e.kind = ExternKind::kGlobal;
  e.global = g;
  return e;
}

inline MemoryType MemType(uint64_t min, std::optional<uint64_t> max = std::nullopt,
                          bool shared = false) {
  MemoryType type;
  type.limits.min = min;
  type.limits.max = max;
  type.limits.shared = shared;
  return type;
}

// Instantiates `bytes` with `imports`, expecting success; nullptr after a
// test failure otherwise.
inline Instance* InstantiateOk(Store& store, const Bytes& bytes,
                               const std::vector<Extern>& imports = {},
                               const Features& features = Features::All()) {
  auto module = Decode(bytes, features);
  if (!module) return nullptr;
  auto result = Instantiate(store, module, imports);
  if (auto* error = std::get_if<InstantiateError>(&result)) {
    ADD_FAILURE() << "instantiation failed (link_error=" << error->link_error
                  << "): " << error->trap.message;
    return nullptr;
  }
  return std::get<Instance*>(result);
}

// Instantiates `bytes`, expecting failure; the error, or a test failure and
// an error no expectation matches.
inline InstantiateError InstantiateFails(Store& store, const Bytes& bytes,
                                         const std::vector<Extern>& imports = {}) {
  auto module = Decode(bytes);
  if (!module) return InstantiateError{false, Trap{TrapKind::kHostError, "<did not decode>"}};
  auto result = Instantiate(store, module, imports);
  if (auto* error = std::get_if<InstantiateError>(&result)) return *error;
  ADD_FAILURE() << "expected instantiation to fail, but it succeeded";
  return InstantiateError{false, Trap{TrapKind::kHostError, "<instantiated>"}};
}

// The exported function `name`, or nullptr after a test failure.
inline FuncInstance* ExportedFunc(const Instance* instance, std::string_view name) {
  if (!instance) return nullptr;
  std::optional<Extern> e = instance->GetExport(name);
  if (!e || e->kind != ExternKind::kFunc) {
    ADD_FAILURE() << "no exported function " << name;
    return nullptr;
  }
  return e->func;
}

using Outcome = std::variant<std::vector<Slot>, Trap>;

inline std::string Describe(const Outcome& outcome) {
  std::ostringstream out;
  if (const Trap* trap = std::get_if<Trap>(&outcome)) {
    out << "trap (kind " << int(trap->kind) << "): \"" << trap->message << "\"";
  } else {
    out << "results {";
    const char* sep = "";
    for (Slot s : std::get<std::vector<Slot>>(outcome)) {
      out << sep << s << " (0x" << std::hex << s << std::dec << ")";
      sep = ", ";
    }
    out << "}";
  }
  return out.str();
}

// EXPECT_TRUE(Returns(Invoke(...), {1, 2})): the call returned exactly these slots.
inline ::testing::AssertionResult Returns(const Outcome& outcome,
                                          const std::vector<Slot>& expected) {
  const auto* results = std::get_if<std::vector<Slot>>(&outcome);
  if (results && *results == expected) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "expected " << Describe(Outcome(expected)) << ", got " << Describe(outcome);
}

// EXPECT_TRUE(Traps(Invoke(...), TrapKind::kUnreachable, "unreachable")).
inline ::testing::AssertionResult Traps(const Outcome& outcome, TrapKind kind,
                                        std::string_view message) {
  const Trap* trap = std::get_if<Trap>(&outcome);
  if (trap && trap->kind == kind && trap->message == message) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "expected trap (kind " << int(kind) << "): \""
                                       << message << "\", got " << Describe(outcome);
}

// Invokes `func` with `args`; a null `func` (already reported) gives a trap.
inline Outcome CallFunc(Store& store, FuncInstance* func, const std::vector<Slot>& args = {}) {
  if (!func) return Trap{TrapKind::kHostError, "<no function>"};
  return Invoke(store, func, args);
}

}  // namespace rivet::runtime_test

#endif  // RIVET_TESTS_RUNTIME_RUNTIME_TEST_UTIL_H_
