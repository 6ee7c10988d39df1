// Out-of-bounds accesses of code compiled for guard pages.
//
// Such code (`rivet compile --bounds-checks=guard-pages`) does not check
// linear-memory bounds: each memory it uses sits at the start of a reservation
// larger than any wasm32 address can reach (Memory::kGuardRegions), and an
// access past its end faults. A SIGSEGV handler turns a fault whose program
// counter lies in registered native code, on a thread running compiled code,
// into the "out of bounds memory access" trap, unwinding as rivet_aot_trap
// does. Any other fault keeps its usual meaning (the previous handler, or
// the default action).
#ifndef RIVET_RUNTIME_AOT_GUARD_H_
#define RIVET_RUNTIME_AOT_GUARD_H_

#include <cstdint>

namespace rivet::aot {

// Installs the handler (once per process; later calls do nothing). Returns
// false if it could not be installed.
bool InstallGuardHandler();

// Registers [begin, end) as compiled code whose faults are out-of-bounds
// accesses; returns a handle for UnregisterGuardedCode, or -1 when the
// fixed-size registry is full (the caller must then not use the code with
// unchecked accesses).
int RegisterGuardedCode(uintptr_t begin, uintptr_t end);
void UnregisterGuardedCode(int handle);

}  // namespace rivet::aot

#endif  // RIVET_RUNTIME_AOT_GUARD_H_
