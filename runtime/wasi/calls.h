// The WASI preview 1 functions, one C++ function each, as wasi.cc binds
// them to imports. Each reads its wasm arguments from slots (i32 in the low
// 32 bits), returns WASI's errno, and may set `trap` to stop the guest
// (proc_exit). Internal to runtime/wasi/.
#ifndef RIVET_RUNTIME_WASI_CALLS_H_
#define RIVET_RUNTIME_WASI_CALLS_H_

#include <sys/stat.h>
#include <time.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "runtime/store.h"
#include "runtime/wasi/abi.h"
#include "runtime/wasi/guest_memory.h"
#include "runtime/wasi/wasi.h"

namespace rivet::wasi {

struct WasiCall {
  WasiContext& ctx;
  GuestMemory mem;
  std::optional<Trap> trap;
};

inline uint32_t U32(Slot slot) { return static_cast<uint32_t>(slot); }

// A trap raised by a WASI function (TrapKind::kHostError).
inline Trap HostTrap(std::string message) {
  Trap trap;
  trap.kind = TrapKind::kHostError;
  trap.message = std::move(message);
  return trap;
}

using WasiImpl = Errno (*)(WasiCall& call, const Slot* args);

// process_calls.cc: arguments, environment, exit, signals, scheduling.
Errno ArgsGet(WasiCall& call, const Slot* args);
Errno ArgsSizesGet(WasiCall& call, const Slot* args);
Errno EnvironGet(WasiCall& call, const Slot* args);
Errno EnvironSizesGet(WasiCall& call, const Slot* args);
Errno ProcExit(WasiCall& call, const Slot* args);
Errno ProcRaise(WasiCall& call, const Slot* args);
Errno SchedYield(WasiCall& call, const Slot* args);

// time_calls.cc: clocks, randomness, poll_oneoff.
Errno ClockResGet(WasiCall& call, const Slot* args);
Errno ClockTimeGet(WasiCall& call, const Slot* args);
Errno RandomGet(WasiCall& call, const Slot* args);
Errno PollOneoff(WasiCall& call, const Slot* args);

// fd_calls.cc: operations on descriptors.
Errno FdAdvise(WasiCall& call, const Slot* args);
Errno FdAllocate(WasiCall& call, const Slot* args);
Errno FdClose(WasiCall& call, const Slot* args);
Errno FdDatasync(WasiCall& call, const Slot* args);
Errno FdFdstatGet(WasiCall& call, const Slot* args);
Errno FdFdstatSetFlags(WasiCall& call, const Slot* args);
Errno FdFdstatSetRights(WasiCall& call, const Slot* args);
Errno FdFilestatGet(WasiCall& call, const Slot* args);
Errno FdFilestatSetSize(WasiCall& call, const Slot* args);
Errno FdFilestatSetTimes(WasiCall& call, const Slot* args);
Errno FdPread(WasiCall& call, const Slot* args);
Errno FdPrestatGet(WasiCall& call, const Slot* args);
Errno FdPrestatDirName(WasiCall& call, const Slot* args);
Errno FdPwrite(WasiCall& call, const Slot* args);
Errno FdRead(WasiCall& call, const Slot* args);
Errno FdReaddir(WasiCall& call, const Slot* args);
Errno FdRenumber(WasiCall& call, const Slot* args);
Errno FdSeek(WasiCall& call, const Slot* args);
Errno FdSync(WasiCall& call, const Slot* args);
Errno FdTell(WasiCall& call, const Slot* args);
Errno FdWrite(WasiCall& call, const Slot* args);
Errno SockAccept(WasiCall& call, const Slot* args);
Errno SockRecv(WasiCall& call, const Slot* args);
Errno SockSend(WasiCall& call, const Slot* args);
Errno SockShutdown(WasiCall& call, const Slot* args);

// path_calls.cc: operations on paths inside the sandbox.
Errno PathCreateDirectory(WasiCall& call, const Slot* args);
Errno PathFilestatGet(WasiCall& call, const Slot* args);
Errno PathFilestatSetTimes(WasiCall& call, const Slot* args);
Errno PathLink(WasiCall& call, const Slot* args);
Errno PathOpen(WasiCall& call, const Slot* args);
Errno PathReadlink(WasiCall& call, const Slot* args);
Errno PathRemoveDirectory(WasiCall& call, const Slot* args);
Errno PathRename(WasiCall& call, const Slot* args);
Errno PathSymlink(WasiCall& call, const Slot* args);
Errno PathUnlinkFile(WasiCall& call, const Slot* args);

// Shared by fd_calls.cc and path_calls.cc: a filestat from host stat data,
// and timespecs for futimens/utimensat from WASI times and fstflags.
void EncodeFilestat(const struct stat& st, uint8_t out[kFilestatSize]);
Errno TimesFromWasi(uint64_t atim, uint64_t mtim, uint16_t fstflags, struct timespec times[2]);

}  // namespace rivet::wasi

#endif  // RIVET_RUNTIME_WASI_CALLS_H_
