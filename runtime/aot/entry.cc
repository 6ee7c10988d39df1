#include "runtime/aot/entry.h"

#include <pthread.h>
#include <setjmp.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

namespace rivet::aot {
namespace {

// One entry into compiled code still running on this thread.
struct Activation {
  sigjmp_buf jump;
  Activation* previous = nullptr;
  // Why it unwound: a TrapKind value, or the trap a host function returned.
  uint32_t kind = 0;
  std::optional<Trap> pending;
};

thread_local Activation* innermost_activation = nullptr;

Trap MakeTrap(TrapKind kind) { return Trap{kind, std::string(TrapMessage(kind)), {}}; }

// Calls the entry wrapper, or returns false when it unwound. Kept apart and
// free of objects with destructors: longjmp returns here, and every frame it
// skips (compiled code, helpers) must have nothing to destroy.
[[gnu::noinline]] bool RunEntry(Activation* activation, EntryFunction entry,
                                AotContext* context, uint64_t* slots) {
  // sigsetjmp(..., 0): the signal mask is not saved, which spares a system
  // call per entry; compiled code never changes it.
  if (sigsetjmp(activation->jump, 0) != 0) return false;
  entry(context, slots);
  return true;
}

std::string FunctionDisplayName(const FuncInstance& func) {
  return func.instance ? func.instance->module->FunctionName(func.index) : "host function";
}

[[noreturn]] void NoActivation(uint32_t kind) {
  std::fprintf(stderr,
               "rivet: compiled code trapped (kind %u) outside any entry into native code; "
               "rivet_aot_* helpers may only be called from code the runtime entered\n",
               kind);
  std::abort();
}

}  // namespace

bool InNativeCode() { return innermost_activation != nullptr; }

std::optional<Trap> CallNative(Store& store, const FuncInstance& func, EntryFunction entry,
                               AotContext* context, std::span<const Slot> args,
                               std::span<Slot> results) {
  // The entry reads arguments from and writes results over one buffer.
  size_t count = std::max(args.size(), results.size());
  constexpr size_t kInlineSlots = 16;
  uint64_t inline_slots[kInlineSlots];
  std::unique_ptr<uint64_t[]> heap_slots;
  uint64_t* slots = inline_slots;
  if (count > kInlineSlots) {
    heap_slots = std::make_unique<uint64_t[]>(count);
    slots = heap_slots.get();
  }
  std::copy(args.begin(), args.end(), slots);

  // Set on every entry, not only a thread's outermost: the store may have
  // been used on another thread before, and a host function may enter
  // another store's code.
  uintptr_t limit = ThreadStackLimit();
  store.aot.stack_limit = limit;
  // Re-entry through host functions nests on this stack too: refuse to
  // enter below the limit, where compiled code could not even check it.
  if (reinterpret_cast<uintptr_t>(__builtin_frame_address(0)) < limit) {
    Trap trap = MakeTrap(TrapKind::kCallStackExhausted);
    trap.backtrace.push_back(FunctionDisplayName(func));
    return trap;
  }

  Activation activation;
  activation.previous = innermost_activation;
  innermost_activation = &activation;
  bool completed = RunEntry(&activation, entry, context, slots);
  innermost_activation = activation.previous;

  if (!completed) {
    Trap trap;
    if (activation.pending) {
      trap = std::move(*activation.pending);
    } else if (activation.kind <= uint32_t(kLastTrapKind)) {
      trap = MakeTrap(static_cast<TrapKind>(activation.kind));
    } else {
      trap = Trap{TrapKind::kHostError,
                  "compiled code trapped with unknown trap kind " +
                      std::to_string(activation.kind),
                  {}};
    }
    // Compiled frames leave no record; the function entered is the one
    // frame known, and it is outermost of those the trap unwound.
    trap.backtrace.push_back(FunctionDisplayName(func));
    return trap;
  }
  std::copy(slots, slots + results.size(), results.begin());
  return std::nullopt;
}

void RaiseTrap(uint32_t kind) {
  Activation* activation = innermost_activation;
  if (!activation) NoActivation(kind);
  activation->kind = kind;
  activation->pending.reset();
  siglongjmp(activation->jump, 1);
}

bool SetPendingTrap(Trap trap) {
  Activation* activation = innermost_activation;
  if (!activation) return false;
  activation->pending = std::move(trap);
  return true;
}

void RaisePendingTrap() {
  Activation* activation = innermost_activation;
  if (!activation) NoActivation(uint32_t(TrapKind::kHostError));
  if (!activation->pending) {
    // Nothing was kept: still unwind, as a host error rather than silently.
    activation->pending = Trap{TrapKind::kHostError, "compiled code raised a trap it never set", {}};
  }
  siglongjmp(activation->jump, 1);
}

}  // namespace rivet::aot
