// dump_ir: translates a wasm module into LLVM IR and prints it, verified.
// A tool for working on the translator: `dump_ir [--target=riscv32] FILE.wasm`.
#include <fstream>
#include <iostream>
#include <iterator>

#include "aot/translate.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char** argv) {
  rivet::aot::ResolvedTarget target{rivet::aot::AotMachine::kX86_64, "x86_64-unknown-linux-gnu"};
  const char* path = nullptr;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--target=riscv32") {
      target = {rivet::aot::AotMachine::kRiscv32, "riscv32-unknown-elf"};
      target.pointer_bits = 32;
    } else if (arg == "--target=riscv64") {
      target = {rivet::aot::AotMachine::kRiscv64, "riscv64-unknown-linux-gnu"};
    } else if (arg == "--quiet") {
      quiet = true;
    } else {
      path = argv[i];
    }
  }
  if (path == nullptr) {
    std::cerr << "usage: dump_ir [--target=riscv32|riscv64] [--quiet] FILE.wasm\n";
    return 2;
  }
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  auto module = rivet::DecodeModule(std::move(bytes));
  if (!module.ok()) {
    std::cerr << path << ": " << module.error().message << "\n";
    return 1;
  }
  llvm::LLVMContext context;
  llvm::Module out("wasm", context);
  out.setTargetTriple(target.triple);
  rivet::aot::TargetOptions options;
  absl::Status status = rivet::aot::TranslateModule(**module, target, options, out);
  if (!status.ok()) {
    std::cerr << path << ": " << status.message() << "\n";
    return 1;
  }
  std::string errors;
  llvm::raw_string_ostream error_stream(errors);
  if (llvm::verifyModule(out, &error_stream)) {
    std::cerr << path << ": invalid IR:\n" << errors << "\n";
    if (!quiet) out.print(llvm::errs(), nullptr);
    return 1;
  }
  if (!quiet) out.print(llvm::outs(), nullptr);
  return 0;
}
