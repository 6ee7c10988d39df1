// The __atomic_*_N library functions LLVM calls for atomics on cores without
// A (every size) and for 8-byte atomics on rv32, as templates over the
// access type; the table instantiates them for 1, 2, 4 and 8 bytes.
//
// Memory-order arguments are ignored: every operation is sequentially
// consistent, which is at least as strong as any order asked for.
//
// When this build has atomic instructions (x86-64, RISC-V with A: every
// hosted Linux build) the operations use the compiler's __atomic builtins,
// so they are atomic against other threads and against compiled code that
// uses native atomics on the same memory. Sizes the build cannot access
// atomically (8 bytes on rv32 with A) take a process-wide spinlock; compiled
// code reaches those only through these helpers, so they are atomic with
// respect to each other.
//
// When it has none (freestanding rv32 without A), they are plain loads and
// stores: correct for single-hart firmware only, where nothing but an
// interrupt could interleave and wasm code never runs in interrupts.
//
// Internal to loader/helpers; freestanding.
#ifndef RIVET_LOADER_HELPERS_ATOMIC_HELPERS_H_
#define RIVET_LOADER_HELPERS_ATOMIC_HELPERS_H_

#include <stdint.h>

namespace rivet::helpers {

#if defined(__riscv) && !defined(__riscv_atomic)
inline constexpr bool kBuildHasAtomics = false;
#else
inline constexpr bool kBuildHasAtomics = true;
#endif

enum class AtomicOp { kAdd, kSub, kAnd, kOr, kXor, kNand };

namespace internal {

// Guards the sizes this build cannot access atomically.
inline uint32_t atomic_fallback_lock = 0;

template <typename T>
constexpr bool UsesBuiltins() {
  return kBuildHasAtomics && __atomic_always_lock_free(sizeof(T), 0);
}

// Holds the fallback lock for its lifetime (a no-op on single-hart builds).
class FallbackLock {
 public:
  FallbackLock() {
    if constexpr (kBuildHasAtomics) {
      while (__atomic_exchange_n(&atomic_fallback_lock, 1u, __ATOMIC_ACQUIRE) != 0) {
      }
    }
  }
  ~FallbackLock() {
    if constexpr (kBuildHasAtomics) __atomic_store_n(&atomic_fallback_lock, 0u, __ATOMIC_RELEASE);
  }
  FallbackLock(const FallbackLock&) = delete;
  FallbackLock& operator=(const FallbackLock&) = delete;
};

template <typename T>
T Apply(AtomicOp op, T old_value, T operand) {
  switch (op) {
    case AtomicOp::kAdd:
      return static_cast<T>(old_value + operand);
    case AtomicOp::kSub:
      return static_cast<T>(old_value - operand);
    case AtomicOp::kAnd:
      return static_cast<T>(old_value & operand);
    case AtomicOp::kOr:
      return static_cast<T>(old_value | operand);
    case AtomicOp::kXor:
      return static_cast<T>(old_value ^ operand);
    case AtomicOp::kNand:
      return static_cast<T>(~(old_value & operand));
  }
  return old_value;
}

// The old value; stores Apply(op, old, operand).
template <typename T, AtomicOp kOp>
T FetchAndApply(volatile void* address, T operand) {
  volatile T* target = static_cast<volatile T*>(address);
  if constexpr (UsesBuiltins<T>()) {
    switch (kOp) {
      case AtomicOp::kAdd:
        return __atomic_fetch_add(target, operand, __ATOMIC_SEQ_CST);
      case AtomicOp::kSub:
        return __atomic_fetch_sub(target, operand, __ATOMIC_SEQ_CST);
      case AtomicOp::kAnd:
        return __atomic_fetch_and(target, operand, __ATOMIC_SEQ_CST);
      case AtomicOp::kOr:
        return __atomic_fetch_or(target, operand, __ATOMIC_SEQ_CST);
      case AtomicOp::kXor:
        return __atomic_fetch_xor(target, operand, __ATOMIC_SEQ_CST);
      case AtomicOp::kNand:
        return __atomic_fetch_nand(target, operand, __ATOMIC_SEQ_CST);
    }
  }
  FallbackLock lock;
  const T old_value = *target;
  *target = Apply(kOp, old_value, operand);
  return old_value;
}

}  // namespace internal

template <typename T>
T AtomicLoad(const volatile void* address, int /*order*/) {
  const volatile T* source = static_cast<const volatile T*>(address);
  if constexpr (internal::UsesBuiltins<T>()) return __atomic_load_n(source, __ATOMIC_SEQ_CST);
  internal::FallbackLock lock;
  return *source;
}

template <typename T>
void AtomicStore(volatile void* address, T value, int /*order*/) {
  volatile T* target = static_cast<volatile T*>(address);
  if constexpr (internal::UsesBuiltins<T>()) {
    __atomic_store_n(target, value, __ATOMIC_SEQ_CST);
  } else {
    internal::FallbackLock lock;
    *target = value;
  }
}

template <typename T>
T AtomicExchange(volatile void* address, T value, int /*order*/) {
  volatile T* target = static_cast<volatile T*>(address);
  if constexpr (internal::UsesBuiltins<T>()) {
    return __atomic_exchange_n(target, value, __ATOMIC_SEQ_CST);
  }
  internal::FallbackLock lock;
  const T old_value = *target;
  *target = value;
  return old_value;
}

// Stores `desired` if the value equals *expected and returns true; otherwise
// writes the value to *expected and returns false.
template <typename T>
bool AtomicCompareExchange(volatile void* address, void* expected, T desired,
                           int /*success_order*/, int /*failure_order*/) {
  volatile T* target = static_cast<volatile T*>(address);
  T* expected_value = static_cast<T*>(expected);
  if constexpr (internal::UsesBuiltins<T>()) {
    return __atomic_compare_exchange_n(target, expected_value, desired, /*weak=*/false,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  }
  internal::FallbackLock lock;
  const T current = *target;
  if (current == *expected_value) {
    *target = desired;
    return true;
  }
  *expected_value = current;
  return false;
}

// __atomic_fetch_<op>_N: returns the old value.
template <typename T, AtomicOp kOp>
T AtomicFetch(volatile void* address, T operand, int /*order*/) {
  return internal::FetchAndApply<T, kOp>(address, operand);
}

// __atomic_<op>_fetch_N: returns the new value.
template <typename T, AtomicOp kOp>
T AtomicOpFetch(volatile void* address, T operand, int /*order*/) {
  return internal::Apply(kOp, internal::FetchAndApply<T, kOp>(address, operand), operand);
}

}  // namespace rivet::helpers

#endif  // RIVET_LOADER_HELPERS_ATOMIC_HELPERS_H_
