// Translation of a whole validated module into one LLVM module, following
// the calling contract in loader/aot_abi.h.
#ifndef RIVET_AOT_TRANSLATE_H_
#define RIVET_AOT_TRANSLATE_H_

#include "absl/status/status.h"
#include "aot/compiler.h"
#include "llvm/IR/Module.h"
#include "loader/module.h"

namespace rivet::aot {

// Adds to `out` (whose triple and data layout are already set for `target`)
// rivet_func_<i> for every defined function and rivet_entry_<i> for every
// function the host may call, with declarations of the helpers they use.
absl::Status TranslateModule(const Module& module, const ResolvedTarget& target,
                             const TargetOptions& options, llvm::Module& out);

}  // namespace rivet::aot

#endif  // RIVET_AOT_TRANSLATE_H_
