#include "runtime/aot/guard.h"

#include <signal.h>
#include <ucontext.h>

#include <atomic>
#include <cstring>
#include <mutex>

#include "loader/aot_abi.h"
#include "runtime/aot/entry.h"

namespace rivet::aot {
namespace {

// The registry is read in a signal handler: fixed-size and lock-free.
// Registration takes a mutex (never held by the handler).
constexpr int kMaxRanges = 4096;
std::atomic<uintptr_t> range_begin[kMaxRanges];
std::atomic<uintptr_t> range_end[kMaxRanges];
std::mutex registry_mutex;

struct sigaction previous_segv;
struct sigaction previous_bus;

bool InGuardedCode(uintptr_t pc) {
  for (int i = 0; i < kMaxRanges; ++i) {
    uintptr_t begin = range_begin[i].load(std::memory_order_acquire);
    if (begin != 0 && pc >= begin && pc < range_end[i].load(std::memory_order_acquire)) {
      return true;
    }
  }
  return false;
}

uintptr_t ProgramCounter(void* context) {
  auto* uc = static_cast<ucontext_t*>(context);
#if defined(__x86_64__)
  return static_cast<uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
#elif defined(__riscv)
  return static_cast<uintptr_t>(uc->uc_mcontext.__gregs[REG_PC]);
#else
  (void)uc;
  return 0;
#endif
}

void ForwardToPrevious(const struct sigaction& previous, int signal, siginfo_t* info,
                       void* context) {
  if (previous.sa_flags & SA_SIGINFO) {
    if (previous.sa_sigaction != nullptr) return previous.sa_sigaction(signal, info, context);
  } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
    return previous.sa_handler(signal);
  }
  // The default action: restore it and return, so that the faulting
  // instruction runs again and ends the process as it would have.
  struct sigaction default_action;
  std::memset(&default_action, 0, sizeof default_action);
  default_action.sa_handler = SIG_DFL;
  sigaction(signal, &default_action, nullptr);
}

void HandleFault(int signal, siginfo_t* info, void* context) {
  if (InNativeCode() && InGuardedCode(ProgramCounter(context))) {
    // SA_NODEFER left this signal unblocked, so nothing needs restoring
    // after unwinding out of the handler.
    RaiseTrap(kAotTrapMemoryOutOfBounds);
  }
  ForwardToPrevious(signal == SIGBUS ? previous_bus : previous_segv, signal, info, context);
}

}  // namespace

bool InstallGuardHandler() {
  static const bool installed = [] {
    struct sigaction action;
    std::memset(&action, 0, sizeof action);
    action.sa_sigaction = HandleFault;
    action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGSEGV, &action, &previous_segv) == 0 &&
           sigaction(SIGBUS, &action, &previous_bus) == 0;
  }();
  return installed;
}

int RegisterGuardedCode(uintptr_t begin, uintptr_t end) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  for (int i = 0; i < kMaxRanges; ++i) {
    if (range_begin[i].load(std::memory_order_relaxed) == 0) {
      range_end[i].store(end, std::memory_order_release);
      range_begin[i].store(begin, std::memory_order_release);
      return i;
    }
  }
  return -1;
}

void UnregisterGuardedCode(int handle) {
  if (handle < 0 || handle >= kMaxRanges) return;
  std::lock_guard<std::mutex> lock(registry_mutex);
  range_begin[handle].store(0, std::memory_order_release);
  range_end[handle].store(0, std::memory_order_release);
}

}  // namespace rivet::aot
