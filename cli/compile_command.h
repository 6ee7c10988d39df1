// rivet compile: ahead-of-time compilation of a module into rivet.aot
// sections. Host builds only (it needs LLVM and Abseil): cli/BUILD links it,
// and defines RIVET_HAVE_COMPILER, unless built with
// --define=rivet_compiler=off (as the riscv64 cross-build must be).
#ifndef RIVET_CLI_COMPILE_COMMAND_H_
#define RIVET_CLI_COMPILE_COMMAND_H_

#include <span>
#include <string>

namespace rivet::cli {

// rivet compile [--target=x86_64|riscv64|riscv32|host] [--target-abi=ABI]
//               [--cpu=NAME] [--cpu-features=+m,-c,...] [--opt-level=0..3]
//               [--size-level=0..2] [--bounds-checks=explicit|guard-pages]
//               -o OUT IN.wasm
// Each --target starts a new target, to which the options after it apply;
// all of them are compiled into OUT. When OUT already holds the same module
// (same ModuleCodeHash), its sections for other targets are kept.
int CompileCommand(std::span<const std::string> args);

}  // namespace rivet::cli

#endif  // RIVET_CLI_COMPILE_COMMAND_H_
