// An instance whose functions run as native code: its AotContext and what
// that points into, owned by the instance (Instance::engine_code).
#ifndef RIVET_RUNTIME_AOT_NATIVE_INSTANCE_H_
#define RIVET_RUNTIME_AOT_NATIVE_INSTANCE_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "loader/aot_abi.h"
#include "loader/result.h"
#include "runtime/aot/native_code.h"
#include "runtime/store.h"

namespace rivet::aot {

// What Instance::engine_code holds for a natively compiled instance. The
// context's arrays point into the vectors here, which never change size
// after binding; `code` keeps the native code mapped while the instance
// (or any function of it, through a store) can still run.
struct NativeInstance {
  std::shared_ptr<const NativeCode> code;
  std::vector<AotFunc*> functions;
  std::vector<AotMemory*> memories;
  std::vector<AotTable*> tables;
  std::vector<uint64_t*> globals;
  std::vector<uintptr_t> type_ids;
  AotContext context{};
};

// Binds `instance` (whose functions, tables, memories, globals and
// segments exist, and whose `store` is `store`) to `code`: builds its
// AotContext (Instance::aot_context), and for each defined function i sets `aot.code` to
// rivet_func_<i> (when the code has it) with `aot.context`, and `host` to a
// function entering rivet_entry_<i>. Fails, naming the symbol, when an
// exported or start function has no entry wrapper. Functions without one
// (which only compiled code can reach) trap with a host error if the host
// calls them anyway.
Status BindNativeCode(Store& store, Instance& instance, std::shared_ptr<const NativeCode> code);

}  // namespace rivet::aot

#endif  // RIVET_RUNTIME_AOT_NATIVE_INSTANCE_H_
