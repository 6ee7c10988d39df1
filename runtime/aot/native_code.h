// The native code of one module, as the runtime needs it: symbols by name.
//
// The AOT image loader (loader/elf, class AotImage) maps a module's compiled
// code for this host; an adapter over it implements NativeCode, and
// Instantiate (runtime/instantiate.h) binds an instance to it. Tests
// implement it with hand-written functions that follow loader/aot_abi.h.
#ifndef RIVET_RUNTIME_AOT_NATIVE_CODE_H_
#define RIVET_RUNTIME_AOT_NATIVE_CODE_H_

#include <string_view>

namespace rivet::aot {

class NativeCode {
 public:
  virtual ~NativeCode() = default;

  // The address of the defined symbol `name` (for example "rivet_func_3" or
  // "rivet_entry_3", loader/aot_abi.h), or null when the code has none.
  // Called at instantiation only; the code must stay mapped for as long as
  // this object lives (instances hold a reference to it).
  virtual void* Symbol(std::string_view name) const = 0;

  // Whether the code skips linear-memory bounds checks and relies on guard
  // regions instead (runtime/aot/guard.h): then it may only be bound to
  // instances whose memories all have one.
  virtual bool needs_guard_regions() const { return false; }
};

}  // namespace rivet::aot

#endif  // RIVET_RUNTIME_AOT_NATIVE_CODE_H_
