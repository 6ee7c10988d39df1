// rivet's compiler-helper table: software implementations of every function
// LLVM 19 may call from code compiled for any RISC-V core (rv32/rv64 with any
// of M, A, F, D, C, Zbb) or for x86-64, looked up by symbol name when the
// loader resolves an AOT image's undefined symbols.
//
// The table holds every helper whatever the runtime itself was built for, so
// code compiled for a small core (no M, no A, soft-float) loads and runs on a
// runtime built for a bigger one. The implementations (see helper_impl.h) use
// nothing but integer operations they implement themselves, so they compile
// and work on rv32i freestanding firmware as well.
//
// This header is freestanding (<stddef.h>/<stdint.h>); hosted builds also get
// std::string_view overloads.
#ifndef RIVET_LOADER_HELPERS_HELPERS_H_
#define RIVET_LOADER_HELPERS_HELPERS_H_

#include <stddef.h>
#include <stdint.h>

#if __STDC_HOSTED__
#include <string_view>
#endif

namespace rivet::helpers {

// How the calling code passes float and double values, i.e. its ABI (not
// which instructions it may use): rv32/rv64 ilp32/lp64 are kSoft (both in
// integer registers), ilp32f/lp64f kSingle (float in FP registers, double in
// integer ones), ilp32d/lp64d kDouble (both in FP registers). x86-64 code is
// always kDouble (SSE registers).
enum class FloatAbi : uint8_t { kSoft = 0, kSingle = 1, kDouble = 2 };
inline constexpr size_t kFloatAbiCount = 3;

// Whether this runtime build can provide helpers for code of that float ABI:
// a helper taking `float` in an FP register can only be written in C++ if
// this build passes `float` in FP registers too. kSoft always is; kSingle
// needs a hard-float build (x86-64, or RISC-V ilp32f/ilp32d/lp64f/lp64d);
// kDouble needs doubles in FP registers (x86-64, RISC-V ilp32d/lp64d).
bool HostSupportsFloatAbi(FloatAbi abi);

struct HelperEntry {
  // The symbol compiled code refers to, e.g. "__mulsi3".
  const char* name;
  // The implementation for code of each FloatAbi (indexed by its value).
  // Helpers without float arguments or results have the same address in all
  // three; the others have one variant per ABI, null where this build cannot
  // provide it (see HostSupportsFloatAbi).
  const void* address[kFloatAbiCount];
  // The --cpu-features flag that makes LLVM not call this helper ("+m",
  // "+a", "+f", "+d", "+zbb"), or "" if no RISC-V extension avoids it
  // (memcpy, memmove, memset, nearbyint, nearbyintf). On rv32, 64-bit
  // division and conversions between i64 and floats are called even with
  // that feature; the flag names the extension that avoids them on rv64.
  const char* avoiding_feature;
};

// The whole table, in no particular order, for iteration.
struct HelperTableView {
  const HelperEntry* entries;
  size_t size;
  const HelperEntry* begin() const { return entries; }
  const HelperEntry* end() const { return entries + size; }
};
HelperTableView AllHelpers();

// The entry for `name` (not NUL-terminated), or null if it is no helper.
const HelperEntry* FindHelperEntry(const char* name, size_t name_length);

// The address to bind `name` to in code of float ABI `abi`, or null if there
// is no such helper or this build cannot provide that variant.
const void* FindHelper(const char* name, size_t name_length, FloatAbi abi);

// The feature flag that would make the compiler not need `name` (see
// HelperEntry::avoiding_feature); "" for unknown names and helpers no feature
// avoids.
const char* FeatureAvoiding(const char* name, size_t name_length);

#if __STDC_HOSTED__
inline const HelperEntry* FindHelperEntry(std::string_view name) {
  return FindHelperEntry(name.data(), name.size());
}
inline const void* FindHelper(std::string_view name, FloatAbi abi) {
  return FindHelper(name.data(), name.size(), abi);
}
inline std::string_view FeatureAvoiding(std::string_view name) {
  return FeatureAvoiding(name.data(), name.size());
}
#endif

}  // namespace rivet::helpers

#endif  // RIVET_LOADER_HELPERS_HELPERS_H_
