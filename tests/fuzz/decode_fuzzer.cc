// libFuzzer target: the decoder and validator on arbitrary bytes.
//
// DecodeModule must return a module or an error for every input, never
// crash, hang or leak; a module it accepts must be self-consistent. The
// input is decoded twice, with every feature and with Wasm 2.0's, because
// the two take different paths through the validator (multi-memory indices,
// atomics, tail calls).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "loader/features.h"
#include "loader/module.h"

namespace {

// A decoded module's parts must agree with each other; a mismatch is a
// decoder bug that would surface later as an out-of-range read.
void CheckConsistent(const rivet::Module& module) {
  auto fail = [](const char* what) {
    std::fprintf(stderr, "decode_fuzzer: accepted module is inconsistent: %s\n", what);
    std::abort();
  };
  if (module.num_imported_functions > module.functions.size()) fail("imported functions");
  if (module.num_imported_tables > module.tables.size()) fail("imported tables");
  if (module.num_imported_memories > module.memories.size()) fail("imported memories");
  if (module.num_imported_globals > module.globals.size()) fail("imported globals");
  if (module.global_inits.size() != module.globals.size() - module.num_imported_globals) {
    fail("global initialisers");
  }
  for (uint32_t i = 0; i < module.functions.size(); ++i) {
    if (module.functions[i].type_index >= module.types.size()) fail("function type index");
  }
  for (const rivet::Export& e : module.exports) {
    size_t space = 0;
    switch (e.kind) {
      case rivet::ExternKind::kFunc: space = module.functions.size(); break;
      case rivet::ExternKind::kTable: space = module.tables.size(); break;
      case rivet::ExternKind::kMemory: space = module.memories.size(); break;
      case rivet::ExternKind::kGlobal: space = module.globals.size(); break;
    }
    if (e.index >= space) fail("export index");
  }
}

void DecodeWith(const uint8_t* data, size_t size, const rivet::Features& features) {
  auto module = rivet::DecodeModule(std::vector<uint8_t>(data, data + size), features);
  if (module.ok()) {
    CheckConsistent(**module);
  } else if (module.error().message.empty()) {
    std::fprintf(stderr, "decode_fuzzer: an error without a message\n");
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  DecodeWith(data, size, rivet::Features::All());
  DecodeWith(data, size, rivet::Features::Wasm2());
  return 0;
}
