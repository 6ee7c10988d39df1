// The interpreter's execution loop.
#ifndef RIVET_INTERP_INTERPRETER_H_
#define RIVET_INTERP_INTERPRETER_H_

#include <atomic>
#include <span>
#include <variant>
#include <vector>

#include "runtime/store.h"

namespace rivet::interp {

// Calls `func` (a wasm or host function) with `args` in slots. Wasm calls
// nest on rivet's own stacks, never the host's, so deep recursion ends in a
// "call stack exhausted" trap at `limits`, not a crash.
// Consumes `limits.fuel` when it is not negative; stops with an
// "interrupted" trap when `*interrupt` is set (checked at every function
// entry, and at loop headers in code compiled metered). An outermost call
// clears `*interrupt` when it starts.
std::variant<std::vector<Slot>, Trap> Call(FuncInstance* func, std::span<const Slot> args,
                                           ExecutionLimits& limits,
                                           std::atomic<bool>* interrupt = nullptr);

}  // namespace rivet::interp

#endif  // RIVET_INTERP_INTERPRETER_H_
