// Which WebAssembly proposals beyond Wasm 2.0 the decoder accepts.
#ifndef RIVET_LOADER_FEATURES_H_
#define RIVET_LOADER_FEATURES_H_

namespace rivet {

// Wasm 2.0 (MVP, sign extension, non-trapping float-to-int, multi-value,
// bulk memory, reference types, fixed-width SIMD) is always on. The
// proposals below change what is valid or well-formed, so the spec suite for
// Wasm 2.0 (which asserts, say, that two memories are invalid) runs with them
// off, and each proposal's own suite runs with it on.
struct Features {
  // Reference types are part of Wasm 2.0; turning them off restores the MVP
  // rules (one table, no reference instructions or values) for proposal
  // suites written against the MVP, such as the threads suite.
  bool reference_types = true;
  bool threads = true;         // shared memories, atomics, wait/notify
  bool tail_call = true;       // return_call, return_call_indirect
  bool extended_const = true;  // i32/i64 add, sub, mul in constant expressions
  bool multi_memory = true;    // more than one memory, memory indices

  static constexpr Features All() { return Features{}; }
  static constexpr Features Wasm2() { return Features{true, false, false, false, false}; }
};

}  // namespace rivet

#endif  // RIVET_LOADER_FEATURES_H_
