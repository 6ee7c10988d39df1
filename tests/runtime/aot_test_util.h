// Helpers for tests of natively compiled instances: a NativeCode made of
// hand-written C++ functions that follow loader/aot_abi.h, standing in for
// code compiled by `rivet compile`.
#ifndef RIVET_TESTS_RUNTIME_AOT_TEST_UTIL_H_
#define RIVET_TESTS_RUNTIME_AOT_TEST_UTIL_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "loader/aot_abi.h"
#include "runtime/aot/native_code.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "tests/runtime/runtime_test_util.h"

namespace rivet::runtime_test {

using aot::AotContext;

// Native code whose symbols are functions of the test program.
class TestCode : public aot::NativeCode {
 public:
  // rivet_func_<index> and rivet_entry_<index>; either may be null.
  TestCode& Define(uint32_t index, void* func, void* entry) {
    if (func) symbols_[std::string(aot::kFuncSymbolPrefix) + std::to_string(index)] = func;
    if (entry) symbols_[std::string(aot::kEntrySymbolPrefix) + std::to_string(index)] = entry;
    return *this;
  }
  void* Symbol(std::string_view name) const override {
    auto it = symbols_.find(std::string(name));
    return it == symbols_.end() ? nullptr : it->second;
  }

 private:
  std::map<std::string, void*> symbols_;
};

template <typename F>
void* Address(F* function) {
  return reinterpret_cast<void*>(function);
}

// Instantiates `bytes` with `imports` bound to `code`, expecting success;
// nullptr after a test failure otherwise.
inline Instance* InstantiateNative(Store& store, const Bytes& bytes,
                                   std::shared_ptr<const TestCode> code,
                                   const std::vector<Extern>& imports = {}) {
  auto module = Decode(bytes);
  if (!module) return nullptr;
  InstantiateOptions options;
  options.native_code = std::move(code);
  auto result = Instantiate(store, module, imports, options);
  if (auto* error = std::get_if<InstantiateError>(&result)) {
    ADD_FAILURE() << "instantiation failed (link_error=" << error->link_error
                  << "): " << error->trap.message;
    return nullptr;
  }
  return std::get<Instance*>(result);
}

// The i32 in a slot, as compiled code receives it.
inline int32_t SlotI32(uint64_t slot) { return static_cast<int32_t>(static_cast<uint32_t>(slot)); }

}  // namespace rivet::runtime_test

#endif  // RIVET_TESTS_RUNTIME_AOT_TEST_UTIL_H_
