// Instantiation and invocation: binds a validated module to a store.
#ifndef RIVET_RUNTIME_INSTANTIATE_H_
#define RIVET_RUNTIME_INSTANTIATE_H_

#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "loader/module.h"
#include "runtime/aot/native_code.h"
#include "runtime/store.h"

namespace rivet {

struct InstantiateError {
  bool link_error = false;  // an import was missing or of the wrong type
  Trap trap;                // what trapped; for link errors, the message
};

struct InstantiateOptions {
  // The module's code compiled for this host (`rivet compile`, mapped by the
  // AOT image loader). With it, the instance's functions run natively (see
  // runtime/aot/native_instance.h) instead of in the interpreter; every
  // caller (Invoke, the interpreter, the C API) calls them the same way.
  std::shared_ptr<const aot::NativeCode> native_code;
};

// Instantiates `module` in `store` with `imports` (one per module import, in
// order): checks their types, creates the module's objects, compiles its
// code (or binds it to `options.native_code`), initialises tables and
// memories and runs the start function. As the spec says, a failure after
// writing into imported tables or memories leaves those writes in place.
std::variant<Instance*, InstantiateError> Instantiate(Store& store,
                                                      std::shared_ptr<const Module> module,
                                                      std::span<const Extern> imports,
                                                      const InstantiateOptions& options = {});

// Calls `func` with `args` (slots); returns the result slots or the trap.
std::variant<std::vector<Slot>, Trap> Invoke(Store& store, FuncInstance* func,
                                             std::span<const Slot> args);

}  // namespace rivet

#endif  // RIVET_RUNTIME_INSTANTIATE_H_
