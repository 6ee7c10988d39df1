// Entering native code and unwinding out of it.
//
// Each thread keeps a chain of activations, one per entry into compiled code
// still running on it. rivet_aot_trap longjmps to the innermost one; a trap
// that a host function returned to compiled code (through rivet_aot_call) is
// kept in the activation meanwhile, so that it arrives at the caller intact
// (its kind, message and backtrace: WASI's proc_exit carries its exit code
// this way).
#ifndef RIVET_RUNTIME_AOT_ENTRY_H_
#define RIVET_RUNTIME_AOT_ENTRY_H_

#include <cstdint>
#include <optional>
#include <span>

#include "loader/aot_abi.h"
#include "runtime/store.h"

namespace rivet::aot {

// rivet_entry_<i> (loader/aot_abi.h).
using EntryFunction = void (*)(AotContext* context, uint64_t* slots);

// The native-stack margin and limit (runtime/store.h), shared with the
// interpreter, which bounds calls nested through host functions by them too.
using ::rivet::kNativeStackMargin;
inline uintptr_t ThreadStackLimit() { return ::rivet::NativeStackLimit(); }

// Calls `entry` (the entry wrapper of `func`, a function of a natively
// compiled instance) with `args`, writing its results to `results`; returns
// the trap that ended it instead, with `func`'s name appended to its
// backtrace. Sets `store.aot.stack_limit` for this thread first. This is
// the body of FuncInstance::host for such functions.
std::optional<Trap> CallNative(Store& store, const FuncInstance& func, EntryFunction entry,
                               AotContext* context, std::span<const Slot> args,
                               std::span<Slot> results);

// Unwinds to the innermost activation on this thread with a trap of `kind`
// (a TrapKind value; others become a host error naming the value). Frames it
// unwinds must hold nothing that needs destroying: helpers finish their C++
// work in an inner function and raise from a frame with no such objects.
// Outside any activation (a contract violation by the caller), it reports
// the trap on stderr and aborts, since it cannot return.
[[noreturn]] void RaiseTrap(uint32_t kind);

// Keeps `trap` (a host function's trap) in the innermost activation, to be
// delivered as it is by RaisePendingTrap. Returns normally, so that `trap`
// and the caller's objects are destroyed before unwinding. Returns false
// outside any activation.
bool SetPendingTrap(Trap trap);

// Unwinds to the innermost activation with the trap SetPendingTrap kept.
[[noreturn]] void RaisePendingTrap();

// Whether this thread is running compiled code (some activation is active).
bool InNativeCode();

}  // namespace rivet::aot

#endif  // RIVET_RUNTIME_AOT_ENTRY_H_
