// The table of helpers by symbol name, with one variant per float ABI for the
// helpers that take or return floats.
#include <stddef.h>
#include <stdint.h>

#include "loader/helpers/atomic_helpers.h"
#include "loader/helpers/helper_impl.h"
#include "loader/helpers/helpers.h"

// Whether this build passes float / double in FP registers: only then can a
// C++ function receive them the way hard-float code passes them.
#if defined(__x86_64__) || defined(__aarch64__) || \
    (defined(__riscv) && (defined(__riscv_float_abi_single) || defined(__riscv_float_abi_double)))
#define RIVET_HELPERS_HARD_SINGLE 1
#else
#define RIVET_HELPERS_HARD_SINGLE 0
#endif
#if defined(__x86_64__) || defined(__aarch64__) || \
    (defined(__riscv) && defined(__riscv_float_abi_double))
#define RIVET_HELPERS_HARD_DOUBLE 1
#else
#define RIVET_HELPERS_HARD_DOUBLE 0
#endif

namespace rivet::helpers {
namespace {

template <bool kCondition, typename IfTrue, typename IfFalse>
struct Select {
  using Type = IfTrue;
};
template <typename IfTrue, typename IfFalse>
struct Select<false, IfTrue, IfFalse> {
  using Type = IfFalse;
};

// How a value of core type T travels in code of float ABI kAbi: integers as
// they are, floats as `float`/`double` (FP registers) or as their bits
// (integer registers).
template <FloatAbi kAbi, typename T>
struct AbiValue {
  using Type = T;
  static T ToCore(T value) { return value; }
  static T FromCore(T value) { return value; }
};

template <FloatAbi kAbi>
struct AbiValue<kAbi, Float32> {
  using Type = typename Select<kAbi != FloatAbi::kSoft, float, uint32_t>::Type;
  static Float32 ToCore(Type value) { return Float32{__builtin_bit_cast(uint32_t, value)}; }
  static Type FromCore(Float32 value) { return __builtin_bit_cast(Type, value.bits); }
};

template <FloatAbi kAbi>
struct AbiValue<kAbi, Float64> {
  using Type = typename Select<kAbi == FloatAbi::kDouble, double, uint64_t>::Type;
  static Float64 ToCore(Type value) { return Float64{__builtin_bit_cast(uint64_t, value)}; }
  static Type FromCore(Float64 value) { return __builtin_bit_cast(Type, value.bits); }
};

// Variant<kAbi, &Core>::Call: Core with the calling convention of code of
// float ABI kAbi.
template <FloatAbi kAbi, auto kCore>
struct Variant;

template <FloatAbi kAbi, typename Result, typename... Args, Result (*kCore)(Args...)>
struct Variant<kAbi, kCore> {
  static typename AbiValue<kAbi, Result>::Type Call(typename AbiValue<kAbi, Args>::Type... args) {
    return AbiValue<kAbi, Result>::FromCore(kCore(AbiValue<kAbi, Args>::ToCore(args)...));
  }
};

// The table is a constant aggregate (addresses only, no constructor calls)
// so that it is in place before any code runs, also in firmware whose
// start-up code runs no initialisers.
#define RIVET_ADDRESS(...) reinterpret_cast<const void*>(&__VA_ARGS__)
#define RIVET_SOFT(function) RIVET_ADDRESS(Variant<FloatAbi::kSoft, &function>::Call)
#if RIVET_HELPERS_HARD_SINGLE
#define RIVET_SINGLE(function) RIVET_ADDRESS(Variant<FloatAbi::kSingle, &function>::Call)
#else
#define RIVET_SINGLE(function) nullptr
#endif
#if RIVET_HELPERS_HARD_DOUBLE
#define RIVET_DOUBLE(function) RIVET_ADDRESS(Variant<FloatAbi::kDouble, &function>::Call)
#else
#define RIVET_DOUBLE(function) nullptr
#endif

// A helper without float operands: one address for every ABI.
#define RIVET_INTEGER_HELPER(symbol, feature, ...) \
  {symbol, {RIVET_ADDRESS(__VA_ARGS__), RIVET_ADDRESS(__VA_ARGS__), RIVET_ADDRESS(__VA_ARGS__)}, feature}
// A helper with float operands: a variant per ABI.
#define RIVET_FLOAT_HELPER(symbol, feature, function) \
  {symbol, {RIVET_SOFT(function), RIVET_SINGLE(function), RIVET_DOUBLE(function)}, feature}

#define RIVET_ATOMICS_OF_SIZE(n, T)                                                               \
  RIVET_INTEGER_HELPER("__atomic_load_" #n, "+a", AtomicLoad<T>),                                 \
      RIVET_INTEGER_HELPER("__atomic_store_" #n, "+a", AtomicStore<T>),                           \
      RIVET_INTEGER_HELPER("__atomic_exchange_" #n, "+a", AtomicExchange<T>),                     \
      RIVET_INTEGER_HELPER("__atomic_compare_exchange_" #n, "+a", AtomicCompareExchange<T>),      \
      RIVET_INTEGER_HELPER("__atomic_fetch_add_" #n, "+a", AtomicFetch<T, AtomicOp::kAdd>),       \
      RIVET_INTEGER_HELPER("__atomic_fetch_sub_" #n, "+a", AtomicFetch<T, AtomicOp::kSub>),       \
      RIVET_INTEGER_HELPER("__atomic_fetch_and_" #n, "+a", AtomicFetch<T, AtomicOp::kAnd>),       \
      RIVET_INTEGER_HELPER("__atomic_fetch_or_" #n, "+a", AtomicFetch<T, AtomicOp::kOr>),         \
      RIVET_INTEGER_HELPER("__atomic_fetch_xor_" #n, "+a", AtomicFetch<T, AtomicOp::kXor>),       \
      RIVET_INTEGER_HELPER("__atomic_fetch_nand_" #n, "+a", AtomicFetch<T, AtomicOp::kNand>),     \
      RIVET_INTEGER_HELPER("__atomic_add_fetch_" #n, "+a", AtomicOpFetch<T, AtomicOp::kAdd>),     \
      RIVET_INTEGER_HELPER("__atomic_sub_fetch_" #n, "+a", AtomicOpFetch<T, AtomicOp::kSub>),     \
      RIVET_INTEGER_HELPER("__atomic_and_fetch_" #n, "+a", AtomicOpFetch<T, AtomicOp::kAnd>),     \
      RIVET_INTEGER_HELPER("__atomic_or_fetch_" #n, "+a", AtomicOpFetch<T, AtomicOp::kOr>),       \
      RIVET_INTEGER_HELPER("__atomic_xor_fetch_" #n, "+a", AtomicOpFetch<T, AtomicOp::kXor>),     \
      RIVET_INTEGER_HELPER("__atomic_nand_fetch_" #n, "+a", AtomicOpFetch<T, AtomicOp::kNand>)

const HelperEntry kHelpers[] = {
    // Integer arithmetic. On rv32, 64-bit division is called even with M.
    RIVET_INTEGER_HELPER("__mulsi3", "+m", MulSi3),
    RIVET_INTEGER_HELPER("__muldi3", "+m", MulDi3),
    RIVET_INTEGER_HELPER("__divsi3", "+m", DivSi3),
    RIVET_INTEGER_HELPER("__udivsi3", "+m", UDivSi3),
    RIVET_INTEGER_HELPER("__modsi3", "+m", ModSi3),
    RIVET_INTEGER_HELPER("__umodsi3", "+m", UModSi3),
    RIVET_INTEGER_HELPER("__divdi3", "+m", DivDi3),
    RIVET_INTEGER_HELPER("__udivdi3", "+m", UDivDi3),
    RIVET_INTEGER_HELPER("__moddi3", "+m", ModDi3),
    RIVET_INTEGER_HELPER("__umoddi3", "+m", UModDi3),
    // LLVM expands these inline on RISC-V and x86-64; they are here for code
    // from other compilers' conventions. No extension is needed for them.
    RIVET_INTEGER_HELPER("__ashldi3", "", AshlDi3),
    RIVET_INTEGER_HELPER("__ashrdi3", "", AshrDi3),
    RIVET_INTEGER_HELPER("__lshrdi3", "", LshrDi3),
    RIVET_INTEGER_HELPER("__clzsi2", "+zbb", ClzSi2),
    RIVET_INTEGER_HELPER("__clzdi2", "+zbb", ClzDi2),
    RIVET_INTEGER_HELPER("__ctzsi2", "+zbb", CtzSi2),
    RIVET_INTEGER_HELPER("__ctzdi2", "+zbb", CtzDi2),
    RIVET_INTEGER_HELPER("__popcountsi2", "+zbb", PopcountSi2),
    RIVET_INTEGER_HELPER("__popcountdi2", "+zbb", PopcountDi2),

    RIVET_FLOAT_HELPER("__addsf3", "+f", AddSf3),
    RIVET_FLOAT_HELPER("__subsf3", "+f", SubSf3),
    RIVET_FLOAT_HELPER("__mulsf3", "+f", MulSf3),
    RIVET_FLOAT_HELPER("__divsf3", "+f", DivSf3),
    RIVET_FLOAT_HELPER("__negsf2", "+f", NegSf2),
    RIVET_FLOAT_HELPER("__adddf3", "+d", AddDf3),
    RIVET_FLOAT_HELPER("__subdf3", "+d", SubDf3),
    RIVET_FLOAT_HELPER("__muldf3", "+d", MulDf3),
    RIVET_FLOAT_HELPER("__divdf3", "+d", DivDf3),
    RIVET_FLOAT_HELPER("__negdf2", "+d", NegDf2),
    RIVET_FLOAT_HELPER("__eqsf2", "+f", EqSf2),
    RIVET_FLOAT_HELPER("__nesf2", "+f", NeSf2),
    RIVET_FLOAT_HELPER("__ltsf2", "+f", LtSf2),
    RIVET_FLOAT_HELPER("__lesf2", "+f", LeSf2),
    RIVET_FLOAT_HELPER("__gtsf2", "+f", GtSf2),
    RIVET_FLOAT_HELPER("__gesf2", "+f", GeSf2),
    RIVET_FLOAT_HELPER("__unordsf2", "+f", UnordSf2),
    RIVET_FLOAT_HELPER("__eqdf2", "+d", EqDf2),
    RIVET_FLOAT_HELPER("__nedf2", "+d", NeDf2),
    RIVET_FLOAT_HELPER("__ltdf2", "+d", LtDf2),
    RIVET_FLOAT_HELPER("__ledf2", "+d", LeDf2),
    RIVET_FLOAT_HELPER("__gtdf2", "+d", GtDf2),
    RIVET_FLOAT_HELPER("__gedf2", "+d", GeDf2),
    RIVET_FLOAT_HELPER("__unorddf2", "+d", UnordDf2),
    // Conversions. On rv32 those between i64 and floats are called even with
    // F and D (there are no such instructions).
    RIVET_FLOAT_HELPER("__fixsfsi", "+f", FixSfSi),
    RIVET_FLOAT_HELPER("__fixsfdi", "+f", FixSfDi),
    RIVET_FLOAT_HELPER("__fixunssfsi", "+f", FixUnsSfSi),
    RIVET_FLOAT_HELPER("__fixunssfdi", "+f", FixUnsSfDi),
    RIVET_FLOAT_HELPER("__fixdfsi", "+d", FixDfSi),
    RIVET_FLOAT_HELPER("__fixdfdi", "+d", FixDfDi),
    RIVET_FLOAT_HELPER("__fixunsdfsi", "+d", FixUnsDfSi),
    RIVET_FLOAT_HELPER("__fixunsdfdi", "+d", FixUnsDfDi),
    RIVET_FLOAT_HELPER("__floatsisf", "+f", FloatSiSf),
    RIVET_FLOAT_HELPER("__floatdisf", "+f", FloatDiSf),
    RIVET_FLOAT_HELPER("__floatunsisf", "+f", FloatUnSiSf),
    RIVET_FLOAT_HELPER("__floatundisf", "+f", FloatUnDiSf),
    RIVET_FLOAT_HELPER("__floatsidf", "+d", FloatSiDf),
    RIVET_FLOAT_HELPER("__floatdidf", "+d", FloatDiDf),
    RIVET_FLOAT_HELPER("__floatunsidf", "+d", FloatUnSiDf),
    RIVET_FLOAT_HELPER("__floatundidf", "+d", FloatUnDiDf),
    RIVET_FLOAT_HELPER("__extendsfdf2", "+d", ExtendSfDf2),
    RIVET_FLOAT_HELPER("__truncdfsf2", "+d", TruncDfSf2),
    // The C library's functions. F and D lower ceil, floor, trunc, round,
    // roundeven, rint, fmin, fmax and sqrt inline; nearbyint must not raise
    // the inexact flag, so LLVM calls it whatever the extensions.
    RIVET_FLOAT_HELPER("ceilf", "+f", CeilF),
    RIVET_FLOAT_HELPER("floorf", "+f", FloorF),
    RIVET_FLOAT_HELPER("truncf", "+f", TruncF),
    RIVET_FLOAT_HELPER("roundf", "+f", RoundF),
    RIVET_FLOAT_HELPER("roundevenf", "+f", RoundEvenF),
    RIVET_FLOAT_HELPER("rintf", "+f", RintF),
    RIVET_FLOAT_HELPER("nearbyintf", "", NearbyIntF),
    RIVET_FLOAT_HELPER("sqrtf", "+f", SqrtF),
    RIVET_FLOAT_HELPER("fminf", "+f", FminF),
    RIVET_FLOAT_HELPER("fmaxf", "+f", FmaxF),
    RIVET_FLOAT_HELPER("copysignf", "+f", CopySignF),
    RIVET_FLOAT_HELPER("fabsf", "+f", FabsF),
    RIVET_FLOAT_HELPER("ceil", "+d", Ceil),
    RIVET_FLOAT_HELPER("floor", "+d", Floor),
    RIVET_FLOAT_HELPER("trunc", "+d", Trunc),
    RIVET_FLOAT_HELPER("round", "+d", Round),
    RIVET_FLOAT_HELPER("roundeven", "+d", RoundEven),
    RIVET_FLOAT_HELPER("rint", "+d", Rint),
    RIVET_FLOAT_HELPER("nearbyint", "", NearbyInt),
    RIVET_FLOAT_HELPER("sqrt", "+d", Sqrt),
    RIVET_FLOAT_HELPER("fmin", "+d", Fmin),
    RIVET_FLOAT_HELPER("fmax", "+d", Fmax),
    RIVET_FLOAT_HELPER("copysign", "+d", CopySign),
    RIVET_FLOAT_HELPER("fabs", "+d", Fabs),

    RIVET_INTEGER_HELPER("memcpy", "", MemCopy),
    RIVET_INTEGER_HELPER("memmove", "", MemMove),
    RIVET_INTEGER_HELPER("memset", "", MemSet),

    RIVET_ATOMICS_OF_SIZE(1, uint8_t),
    RIVET_ATOMICS_OF_SIZE(2, uint16_t),
    RIVET_ATOMICS_OF_SIZE(4, uint32_t),
    RIVET_ATOMICS_OF_SIZE(8, uint64_t),
};

#undef RIVET_ATOMICS_OF_SIZE
#undef RIVET_FLOAT_HELPER
#undef RIVET_INTEGER_HELPER
#undef RIVET_DOUBLE
#undef RIVET_SINGLE
#undef RIVET_SOFT
#undef RIVET_ADDRESS

bool NameEquals(const char* entry_name, const char* name, size_t name_length) {
  for (size_t i = 0; i < name_length; ++i) {
    if (entry_name[i] != name[i] || entry_name[i] == '\0') return false;
  }
  return entry_name[name_length] == '\0';
}

}  // namespace

bool HostSupportsFloatAbi(FloatAbi abi) {
  switch (abi) {
    case FloatAbi::kSoft:
      return true;
    case FloatAbi::kSingle:
      return RIVET_HELPERS_HARD_SINGLE != 0;
    case FloatAbi::kDouble:
      return RIVET_HELPERS_HARD_DOUBLE != 0;
  }
  return false;
}

HelperTableView AllHelpers() {
  return HelperTableView{kHelpers, sizeof(kHelpers) / sizeof(kHelpers[0])};
}

const HelperEntry* FindHelperEntry(const char* name, size_t name_length) {
  // A linear scan: lookups happen once per symbol when an image loads.
  for (const HelperEntry& entry : AllHelpers()) {
    if (NameEquals(entry.name, name, name_length)) return &entry;
  }
  return nullptr;
}

const void* FindHelper(const char* name, size_t name_length, FloatAbi abi) {
  const HelperEntry* entry = FindHelperEntry(name, name_length);
  const size_t index = static_cast<size_t>(abi);
  if (entry == nullptr || index >= kFloatAbiCount) return nullptr;
  return entry->address[index];
}

const char* FeatureAvoiding(const char* name, size_t name_length) {
  const HelperEntry* entry = FindHelperEntry(name, name_length);
  return entry != nullptr ? entry->avoiding_feature : "";
}

}  // namespace rivet::helpers
