// Instantiation and invocation: binds a validated module to a store.
#ifndef RIVET_RUNTIME_INSTANTIATE_H_
#define RIVET_RUNTIME_INSTANTIATE_H_

#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "loader/module.h"
#include "runtime/store.h"

namespace rivet {

struct InstantiateError {
  bool link_error = false;  // an import was missing or of the wrong type
  Trap trap;                // what trapped; for link errors, the message
};

// Instantiates `module` in `store` with `imports` (one per module import, in
// order): checks their types, creates the module's objects, compiles its
// code, initialises tables and memories and runs the start function. As the
// spec says, a failure after writing into imported tables or memories leaves
// those writes in place.
std::variant<Instance*, InstantiateError> Instantiate(Store& store,
                                                      std::shared_ptr<const Module> module,
                                                      std::span<const Extern> imports);

// Calls `func` with `args` (slots); returns the result slots or the trap.
std::variant<std::vector<Slot>, Trap> Invoke(Store& store, FuncInstance* func,
                                             std::span<const Slot> args);

}  // namespace rivet

#endif  // RIVET_RUNTIME_INSTANTIATE_H_
