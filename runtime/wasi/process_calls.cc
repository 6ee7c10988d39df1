// WASI arguments, environment, exit and scheduling.
#include <sched.h>

#include <string>
#include <vector>

#include "runtime/wasi/calls.h"

namespace rivet::wasi {
namespace {

// Writes `strings` as args_get/environ_get do: a table of pointers at
// `pointers`, and the NUL-terminated strings one after another at `buffer`.
Errno WriteStrings(WasiCall& call, const std::vector<std::string>& strings, uint32_t pointers,
                   uint32_t buffer) {
  uint64_t total = 0;
  for (const std::string& s : strings) total += s.size() + 1;
  if (!call.mem.Bytes(pointers, uint64_t{strings.size()} * 4) ||
      !call.mem.Bytes(buffer, total)) {
    return kFault;
  }
  uint64_t offset = buffer;
  for (size_t i = 0; i < strings.size(); ++i) {
    call.mem.WriteU32(pointers + i * 4, static_cast<uint32_t>(offset));
    call.mem.Write(offset, strings[i].c_str(), strings[i].size() + 1);
    offset += strings[i].size() + 1;
  }
  return kSuccess;
}

// Writes the count of `strings` and the bytes they need (with their NULs).
Errno WriteSizes(WasiCall& call, const std::vector<std::string>& strings, uint32_t count_out,
                 uint32_t size_out) {
  uint64_t total = 0;
  for (const std::string& s : strings) total += s.size() + 1;
  if (!call.mem.Bytes(count_out, 4) || !call.mem.Bytes(size_out, 4)) return kFault;
  if (total > UINT32_MAX) return kOverflow;
  call.mem.WriteU32(count_out, static_cast<uint32_t>(strings.size()));
  call.mem.WriteU32(size_out, static_cast<uint32_t>(total));
  return kSuccess;
}

}  // namespace

// args_get(argv: **u8, argv_buf: *u8) -> errno
Errno ArgsGet(WasiCall& call, const Slot* args) {
  return WriteStrings(call, call.ctx.args(), U32(args[0]), U32(args[1]));
}

// args_sizes_get(out: *size, out: *size) -> errno
Errno ArgsSizesGet(WasiCall& call, const Slot* args) {
  return WriteSizes(call, call.ctx.args(), U32(args[0]), U32(args[1]));
}

// environ_get(environ: **u8, environ_buf: *u8) -> errno
Errno EnvironGet(WasiCall& call, const Slot* args) {
  return WriteStrings(call, call.ctx.env(), U32(args[0]), U32(args[1]));
}

// environ_sizes_get(out: *size, out: *size) -> errno
Errno EnvironSizesGet(WasiCall& call, const Slot* args) {
  return WriteSizes(call, call.ctx.env(), U32(args[0]), U32(args[1]));
}

// proc_exit(rval). Does not return: the trap unwinds the guest, and the
// embedder reads the code with WasiExitCode.
Errno ProcExit(WasiCall& call, const Slot* args) {
  call.ctx.set_exit_code(U32(args[0]));
  call.trap = HostTrap(std::string(kWasiProcExitMessage));
  return kSuccess;
}

// proc_raise(sig) -> errno. Deprecated in WASI and not used by wasi-libc's
// raise() (which emulates signals in the guest): rivet delivers no signals
// to the guest, so raising one ends it like an uncaught signal would,
// with a trap naming the signal.
Errno ProcRaise(WasiCall& call, const Slot* args) {
  uint32_t signal = U32(args[0]);
  if (signal == 0) return kSuccess;  // "none"
  if (signal > 30) return kInval;    // past SIGSYS, the last WASI signal
  call.trap = HostTrap("wasi proc_raise(" + std::to_string(signal) +
                       "): the guest raised a signal");
  return kSuccess;
}

// sched_yield() -> errno
Errno SchedYield(WasiCall&, const Slot*) {
  sched_yield();
  return kSuccess;
}

}  // namespace rivet::wasi
