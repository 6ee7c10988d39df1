// Translation of validated wasm functions into the interpreter's code form.
#ifndef RIVET_INTERP_COMPILER_H_
#define RIVET_INTERP_COMPILER_H_

#include <memory>

#include "interp/code.h"
#include "loader/result.h"
#include "runtime/store.h"

namespace rivet::interp {

// Translates every defined function of `instance` (whose functions, tables,
// memories, globals and segments already exist: the code refers to them
// directly) into instance.code, and points each Function at its code.
// `metered` code also checks for interrupts and consumes fuel at every
// loop iteration.
Status CompileInstance(Instance& instance, bool metered = false);

}  // namespace rivet::interp

#endif  // RIVET_INTERP_COMPILER_H_
