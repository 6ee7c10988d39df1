// Helpers shared by the embedding API tests (c_api_test.cc, cpp_api_test.cc):
// RAII owners for C API objects, value constructors, and calls that report
// what happened instead of crashing the test.
#ifndef RIVET_TESTS_API_API_TEST_UTIL_H_
#define RIVET_TESTS_API_API_TEST_UTIL_H_

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "runtime/rivet.h"
#include "tests/loader/wasm_builder.h"

namespace rivet::api_test {

using namespace ::rivet::test;  // NOLINT(build/namespaces): the module builder

// Opcodes the builder has no constant for (binary format specification).
inline constexpr uint8_t kI32Ne = 0x47;
inline constexpr uint8_t kI32LtU = 0x49;
inline constexpr uint8_t kI32Xor = 0x73;

// Whether `haystack` contains `needle`, saying what it is when not.
inline ::testing::AssertionResult Contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << haystack << "\" does not contain \"" << needle
                                       << "\"";
}

// --- Owners ------------------------------------------------------------------

struct StoreDeleter {
  void operator()(rivet_store* s) const { rivet_store_delete(s); }
};
struct ModuleDeleter {
  void operator()(rivet_module* m) const { rivet_module_delete(m); }
};
using StorePtr = std::unique_ptr<rivet_store, StoreDeleter>;
using ModulePtr = std::unique_ptr<rivet_module, ModuleDeleter>;

inline StorePtr NewStore() { return StorePtr(rivet_store_new()); }

// Takes an error's message and frees it; "" for no error.
inline std::string TakeError(rivet_error* error) {
  if (!error) return "";
  std::string message = rivet_error_message(error);
  rivet_error_delete(error);
  return message;
}

// A trap as plain data (taken from a rivet_trap, which is freed).
struct TrapInfo {
  bool trapped = false;
  rivet_trapkind kind = RIVET_TRAP_UNREACHABLE;
  std::string message;
  std::vector<std::string> backtrace;
};
inline TrapInfo TakeTrap(rivet_trap* trap) {
  TrapInfo info;
  if (!trap) return info;
  info.trapped = true;
  info.kind = rivet_trap_kind(trap);
  info.message = rivet_trap_message(trap);
  for (size_t i = 0; i < rivet_trap_backtrace_size(trap); ++i) {
    info.backtrace.emplace_back(rivet_trap_backtrace_frame(trap, i));
  }
  rivet_trap_delete(trap);
  return info;
}
inline std::ostream& operator<<(std::ostream& os, const TrapInfo& t) {
  if (!t.trapped) return os << "(no trap)";
  os << "trap kind " << int(t.kind) << " \"" << t.message << "\" at [";
  for (size_t i = 0; i < t.backtrace.size(); ++i) os << (i ? ", " : "") << t.backtrace[i];
  return os << "]";
}

// --- Modules and instances ------------------------------------------------------------

// Decodes `bytes`, expecting success (nullptr after a test failure).
inline ModulePtr LoadModule(const Bytes& bytes) {
  rivet_module* module = nullptr;
  std::string error = TakeError(rivet_module_new(bytes.data(), bytes.size(), &module));
  if (!error.empty()) ADD_FAILURE() << "module does not decode: " << error;
  return ModulePtr(module);
}

// Decodes `bytes`, expecting an error; returns its message.
inline std::string LoadError(const Bytes& bytes) {
  rivet_module* module = reinterpret_cast<rivet_module*>(uintptr_t{1});  // must become NULL
  std::string error = TakeError(rivet_module_new(bytes.data(), bytes.size(), &module));
  EXPECT_FALSE(error.empty()) << "the module decoded";
  EXPECT_EQ(module, nullptr) << "*out is not NULL after an error";
  if (error.empty() && module) rivet_module_delete(module);
  return error;
}

// Instantiates, expecting success (nullptr after a test failure).
inline rivet_instance* InstantiateOk(rivet_store* store, const rivet_module* module,
                                     const std::vector<rivet_extern>& imports = {}) {
  if (!module) return nullptr;
  rivet_instance* instance = nullptr;
  rivet_trap* trap = nullptr;
  std::string error = TakeError(
      rivet_instance_new(store, module, imports.data(), imports.size(), &instance, &trap));
  if (!error.empty()) ADD_FAILURE() << "link error: " << error;
  if (trap) ADD_FAILURE() << "trap during instantiation: " << TakeTrap(trap);
  return instance;
}

// Instantiates, expecting a link error; returns its message.
inline std::string LinkError(rivet_store* store, const rivet_module* module,
                             const std::vector<rivet_extern>& imports) {
  rivet_instance* instance = nullptr;
  rivet_trap* trap = nullptr;
  std::string error = TakeError(
      rivet_instance_new(store, module, imports.data(), imports.size(), &instance, &trap));
  EXPECT_FALSE(error.empty()) << "instantiation succeeded";
  EXPECT_EQ(instance, nullptr);
  EXPECT_EQ(trap, nullptr) << TakeTrap(trap);
  return error;
}

inline rivet_func* ExportedFunc(const rivet_instance* instance, const char* name) {
  rivet_extern ext;
  if (!instance || !rivet_instance_export(instance, name, &ext) ||
      ext.kind != RIVET_EXTERN_FUNC) {
    ADD_FAILURE() << "no exported function " << name;
    return nullptr;
  }
  return ext.of.func;
}
inline rivet_memory* ExportedMemory(const rivet_instance* instance, const char* name) {
  rivet_extern ext;
  if (!instance || !rivet_instance_export(instance, name, &ext) ||
      ext.kind != RIVET_EXTERN_MEMORY) {
    ADD_FAILURE() << "no exported memory " << name;
    return nullptr;
  }
  return ext.of.memory;
}
inline rivet_global* ExportedGlobal(const rivet_instance* instance, const char* name) {
  rivet_extern ext;
  if (!instance || !rivet_instance_export(instance, name, &ext) ||
      ext.kind != RIVET_EXTERN_GLOBAL) {
    ADD_FAILURE() << "no exported global " << name;
    return nullptr;
  }
  return ext.of.global;
}
inline rivet_table* ExportedTable(const rivet_instance* instance, const char* name) {
  rivet_extern ext;
  if (!instance || !rivet_instance_export(instance, name, &ext) ||
      ext.kind != RIVET_EXTERN_TABLE) {
    ADD_FAILURE() << "no exported table " << name;
    return nullptr;
  }
  return ext.of.table;
}

inline rivet_extern FuncExtern(rivet_func* f) {
  rivet_extern e{};
  e.kind = RIVET_EXTERN_FUNC;
  e.of.func = f;
  return e;
}
inline rivet_extern MemoryExtern(rivet_memory* m) {
  rivet_extern e{};
  e.kind = RIVET_EXTERN_MEMORY;
  e.of.memory = m;
  return e;
}
inline rivet_extern TableExtern(rivet_table* t) {
  rivet_extern e{};
  e.kind = RIVET_EXTERN_TABLE;
  e.of.table = t;
  return e;
}
inline rivet_extern GlobalExtern(rivet_global* g) {
  rivet_extern e{};
  e.kind = RIVET_EXTERN_GLOBAL;
  e.of.global = g;
  return e;
}

// --- Values --------------------------------------------------------------------------

inline rivet_val ValI32(int32_t v) {
  rivet_val x{};
  x.kind = RIVET_I32;
  x.of.i32 = v;
  return x;
}
inline rivet_val ValI64(int64_t v) {
  rivet_val x{};
  x.kind = RIVET_I64;
  x.of.i64 = v;
  return x;
}
// Floats by their bits, so that NaN payloads are exact.
inline rivet_val ValF32Bits(uint32_t bits) {
  rivet_val x{};
  x.kind = RIVET_F32;
  std::memcpy(&x.of.f32, &bits, 4);
  return x;
}
inline rivet_val ValF64Bits(uint64_t bits) {
  rivet_val x{};
  x.kind = RIVET_F64;
  std::memcpy(&x.of.f64, &bits, 8);
  return x;
}
inline rivet_val ValF32(float v) {
  rivet_val x{};
  x.kind = RIVET_F32;
  x.of.f32 = v;
  return x;
}
inline rivet_val ValF64(double v) {
  rivet_val x{};
  x.kind = RIVET_F64;
  x.of.f64 = v;
  return x;
}
inline rivet_val ValV128(const uint8_t (&bytes)[16]) {
  rivet_val x{};
  x.kind = RIVET_V128;
  std::memcpy(x.of.v128, bytes, 16);
  return x;
}
inline rivet_val ValRef(rivet_valkind kind, void* ref) {
  rivet_val x{};
  x.kind = kind;
  x.of.ref = ref;
  return x;
}
inline uint32_t F32Bits(const rivet_val& v) {
  uint32_t bits;
  std::memcpy(&bits, &v.of.f32, 4);
  return bits;
}
inline uint64_t F64Bits(const rivet_val& v) {
  uint64_t bits;
  std::memcpy(&bits, &v.of.f64, 8);
  return bits;
}

// --- Calls ---------------------------------------------------------------------------

// Calls `func` with i32 arguments and one i32 result; a trap is a test
// failure (and returns INT32_MIN).
inline int32_t CallI32(rivet_store* store, rivet_func* func, std::vector<int32_t> args) {
  if (!func) return INT32_MIN;
  std::vector<rivet_val> vals;
  for (int32_t a : args) vals.push_back(ValI32(a));
  rivet_val result{};
  TrapInfo trap = TakeTrap(rivet_func_call(store, func, vals.data(), vals.size(), &result, 1));
  if (trap.trapped) {
    ADD_FAILURE() << "unexpected " << trap;
    return INT32_MIN;
  }
  EXPECT_EQ(result.kind, RIVET_I32);
  return result.of.i32;
}

// Calls `func` expecting a trap; returns it.
inline TrapInfo CallTrap(rivet_store* store, rivet_func* func, std::vector<rivet_val> args,
                         size_t num_results) {
  if (!func) return {};
  std::vector<rivet_val> results(num_results + 1);
  TrapInfo trap = TakeTrap(
      rivet_func_call(store, func, args.data(), args.size(), results.data(), num_results));
  EXPECT_TRUE(trap.trapped) << "the call returned";
  return trap;
}

}  // namespace rivet::api_test

#endif  // RIVET_TESTS_API_API_TEST_UTIL_H_
