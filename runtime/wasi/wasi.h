// WASI preview 1 (the "wasi_snapshot_preview1" import module) for rivet.
//
// A WasiContext is one guest process's view of the host: its arguments,
// environment, standard streams and the host directories it may reach
// (preopens). WasiImports turns a module's WASI imports into host functions
// bound to a context:
//
//   Result<std::unique_ptr<WasiContext>> wasi = WasiContext::Create(config);
//   Result<std::vector<Extern>> imports = WasiImports(store, **wasi, *module);
//   auto instance = Instantiate(store, module, *imports);
//   (*wasi)->set_memory(exported "memory" of the instance);
//   auto outcome = Invoke(store, _start, {});
//   if the outcome is a trap: WasiExitCode(**wasi, trap) says whether it was
//   proc_exit, and with which code.
//
// Host functions do not learn which instance called them, so the embedder
// hands the context the instance's memory after instantiation; every guest
// pointer and length is checked against that memory (a bad one returns
// EFAULT). A call that needs memory before set_memory traps.
//
// Sandbox: guest paths resolve only inside the preopened directories. They
// are walked one component at a time with openat(O_NOFOLLOW); "..", absolute
// paths and symbolic links are followed only while they stay inside the
// directory the guest named them from, otherwise the call fails with
// ENOTCAPABLE (76).
//
// Built from the C++ standard library and POSIX only. Not thread-safe: one
// context serves one instance on one thread at a time.
#ifndef RIVET_RUNTIME_WASI_WASI_H_
#define RIVET_RUNTIME_WASI_WASI_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "loader/module.h"
#include "loader/result.h"
#include "runtime/store.h"

namespace rivet {

namespace wasi {
class FdTable;
}

// The import module name of WASI preview 1.
inline constexpr std::string_view kWasiModuleName = "wasi_snapshot_preview1";

// A host directory the guest may use, and the name the guest knows it by
// (what fd_prestat_dir_name returns; wasi-libc matches paths against it).
struct WasiPreopen {
  std::string host_path;
  std::string guest_path;
};

struct WasiConfig {
  std::vector<std::string> args;  // argv, including argv[0]
  std::vector<std::string> env;   // "KEY=VALUE"
  std::vector<WasiPreopen> preopens;  // become fds 3, 4, ... in this order
  // Host descriptors behind the guest's fds 0, 1 and 2. The context uses
  // duplicates (the guest closing its fd 1 does not close the host's); -1
  // leaves the guest fd closed.
  int stdin_fd = 0;
  int stdout_fd = 1;
  int stderr_fd = 2;
};

class WasiContext {
 public:
  // Opens the preopened directories; fails naming one that cannot be opened.
  static Result<std::unique_ptr<WasiContext>> Create(WasiConfig config);
  ~WasiContext();
  WasiContext(const WasiContext&) = delete;
  WasiContext& operator=(const WasiContext&) = delete;

  // The linear memory guest pointers refer to: the instance's exported
  // "memory". Set after instantiation, before calling into the instance.
  void set_memory(Memory* memory) { memory_ = memory; }
  Memory* memory() const { return memory_; }

  // Set once the guest called proc_exit.
  std::optional<uint32_t> exit_code() const { return exit_code_; }

  // For the implementation (runtime/wasi/*.cc).
  const std::vector<std::string>& args() const { return config_.args; }
  const std::vector<std::string>& env() const { return config_.env; }
  wasi::FdTable& fds() { return *fds_; }
  void set_exit_code(uint32_t code) { exit_code_ = code; }

 private:
  explicit WasiContext(WasiConfig config);

  WasiConfig config_;
  std::unique_ptr<wasi::FdTable> fds_;
  Memory* memory_ = nullptr;
  std::optional<uint32_t> exit_code_;
};

// The message of the trap proc_exit raises to stop the guest.
inline constexpr std::string_view kWasiProcExitMessage = "wasi proc_exit";

// If `trap` is the one proc_exit raised in `wasi`'s guest: its exit code.
std::optional<uint32_t> WasiExitCode(const WasiContext& wasi, const Trap& trap);

// One Extern per import of `module`, in order, each a host function of
// `wasi` created in `store` (they refer to `wasi`, which must outlive every
// call of them). Every import must be a function of
// wasi_snapshot_preview1 that rivet implements, with WASI's signature; the
// error lists every one that is not (naming the unimplemented functions).
Result<std::vector<Extern>> WasiImports(Store& store, WasiContext& wasi, const Module& module);

// The host function for WASI function `name` (e.g. "fd_write"), for
// embedders that mix WASI with imports of their own; an error if rivet does
// not implement it.
Result<FuncInstance*> WasiFunction(Store& store, WasiContext& wasi, std::string_view name);

// The names of every WASI preview 1 function rivet implements.
std::vector<std::string_view> WasiFunctionNames();

}  // namespace rivet

#endif  // RIVET_RUNTIME_WASI_WASI_H_
