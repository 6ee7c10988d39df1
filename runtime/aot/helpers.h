// The runtime helpers that compiled code calls (declared with C linkage in
// loader/aot_abi.h: rivet_aot_trap, rivet_aot_call, rivet_aot_memory_*,
// rivet_aot_table_*, ...), by name, for the loader's symbol resolution.
#ifndef RIVET_RUNTIME_AOT_HELPERS_H_
#define RIVET_RUNTIME_AOT_HELPERS_H_

#include <span>
#include <string_view>

namespace rivet::aot {

// The address of runtime helper `name` (e.g. "rivet_aot_memory_grow"), or
// null when `name` is not one. Compiler helpers (__mulsi3, memcpy, ...) are
// not here: loader/helpers has them.
const void* FindRuntimeHelper(std::string_view name);

// Every runtime helper's name, in the order of aot_abi.h.
std::span<const std::string_view> RuntimeHelperNames();

}  // namespace rivet::aot

#endif  // RIVET_RUNTIME_AOT_HELPERS_H_
