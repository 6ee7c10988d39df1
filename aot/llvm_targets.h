// The LLVM backends rivet compiles for, registered once per process.
#ifndef RIVET_AOT_LLVM_TARGETS_H_
#define RIVET_AOT_LLVM_TARGETS_H_

namespace rivet::aot {

// Registers the X86 and RISCV targets (target info, MC layer, code
// generator, asm printer) with LLVM's TargetRegistry. Thread-safe; only the
// first call does anything. Every entry point that looks a target up calls
// it, so callers never need to.
void InitializeLlvmTargets();

}  // namespace rivet::aot

#endif  // RIVET_AOT_LLVM_TARGETS_H_
