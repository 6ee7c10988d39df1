// The WASI context and the table binding each wasi_snapshot_preview1
// function to its implementation (calls.h) and its wasm signature.
#include "runtime/wasi/wasi.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "runtime/wasi/calls.h"
#include "runtime/wasi/fd_table.h"

namespace rivet {
namespace {

using wasi::WasiCall;
using wasi::WasiImpl;

struct WasiFunctionDef {
  std::string_view name;
  std::string_view params;  // one letter per parameter: i = i32, I = i64
  bool returns_errno;       // every function but proc_exit returns an i32 errno
  WasiImpl impl;
};

// In the order of the WASI preview 1 specification.
constexpr WasiFunctionDef kFunctions[] = {
    {"args_get", "ii", true, wasi::ArgsGet},
    {"args_sizes_get", "ii", true, wasi::ArgsSizesGet},
    {"environ_get", "ii", true, wasi::EnvironGet},
    {"environ_sizes_get", "ii", true, wasi::EnvironSizesGet},
    {"clock_res_get", "ii", true, wasi::ClockResGet},
    {"clock_time_get", "iIi", true, wasi::ClockTimeGet},
    {"fd_advise", "iIIi", true, wasi::FdAdvise},
    {"fd_allocate", "iII", true, wasi::FdAllocate},
    {"fd_close", "i", true, wasi::FdClose},
    {"fd_datasync", "i", true, wasi::FdDatasync},
    {"fd_fdstat_get", "ii", true, wasi::FdFdstatGet},
    {"fd_fdstat_set_flags", "ii", true, wasi::FdFdstatSetFlags},
    {"fd_fdstat_set_rights", "iII", true, wasi::FdFdstatSetRights},
    {"fd_filestat_get", "ii", true, wasi::FdFilestatGet},
    {"fd_filestat_set_size", "iI", true, wasi::FdFilestatSetSize},
    {"fd_filestat_set_times", "iIIi", true, wasi::FdFilestatSetTimes},
    {"fd_pread", "iiiIi", true, wasi::FdPread},
    {"fd_prestat_get", "ii", true, wasi::FdPrestatGet},
    {"fd_prestat_dir_name", "iii", true, wasi::FdPrestatDirName},
    {"fd_pwrite", "iiiIi", true, wasi::FdPwrite},
    {"fd_read", "iiii", true, wasi::FdRead},
    {"fd_readdir", "iiiIi", true, wasi::FdReaddir},
    {"fd_renumber", "ii", true, wasi::FdRenumber},
    {"fd_seek", "iIii", true, wasi::FdSeek},
    {"fd_sync", "i", true, wasi::FdSync},
    {"fd_tell", "ii", true, wasi::FdTell},
    {"fd_write", "iiii", true, wasi::FdWrite},
    {"path_create_directory", "iii", true, wasi::PathCreateDirectory},
    {"path_filestat_get", "iiiii", true, wasi::PathFilestatGet},
    {"path_filestat_set_times", "iiiiIIi", true, wasi::PathFilestatSetTimes},
    {"path_link", "iiiiiii", true, wasi::PathLink},
    {"path_open", "iiiiiIIii", true, wasi::PathOpen},
    {"path_readlink", "iiiiii", true, wasi::PathReadlink},
    {"path_remove_directory", "iii", true, wasi::PathRemoveDirectory},
    {"path_rename", "iiiiii", true, wasi::PathRename},
    {"path_symlink", "iiiii", true, wasi::PathSymlink},
    {"path_unlink_file", "iii", true, wasi::PathUnlinkFile},
    {"poll_oneoff", "iiii", true, wasi::PollOneoff},
    {"proc_exit", "i", false, wasi::ProcExit},
    {"proc_raise", "i", true, wasi::ProcRaise},
    {"sched_yield", "", true, wasi::SchedYield},
    {"random_get", "ii", true, wasi::RandomGet},
    {"sock_accept", "iii", true, wasi::SockAccept},
    {"sock_recv", "iiiiii", true, wasi::SockRecv},
    {"sock_send", "iiiii", true, wasi::SockSend},
    {"sock_shutdown", "ii", true, wasi::SockShutdown},
};

const WasiFunctionDef* FindFunction(std::string_view name) {
  for (const WasiFunctionDef& def : kFunctions) {
    if (def.name == name) return &def;
  }
  return nullptr;
}

FuncType TypeOf(const WasiFunctionDef& def) {
  std::vector<ValType> params;
  for (char c : def.params) params.push_back(c == 'I' ? ValType::kI64 : ValType::kI32);
  std::vector<ValType> results;
  if (def.returns_errno) results.push_back(ValType::kI32);
  return FuncType(std::move(params), std::move(results));
}

FuncInstance* NewWasiFunction(Store& store, WasiContext& wasi, const WasiFunctionDef& def) {
  return store.NewHostFunction(
      TypeOf(def),
      [&wasi, &def](std::span<const Slot> args, std::span<Slot> results) -> std::optional<Trap> {
        WasiCall call{wasi, wasi::GuestMemory(wasi.memory()), std::nullopt};
        wasi::Errno error = def.impl(call, args.data());
        if (call.trap) return std::move(call.trap);
        if (call.mem.missing()) {
          return wasi::HostTrap("wasi " + std::string(def.name) +
                                ": no linear memory to read or write (the embedder must call "
                                "WasiContext::set_memory with the instance's exported "
                                "\"memory\")");
        }
        if (!results.empty()) results[0] = error;
        return std::nullopt;
      });
}

}  // namespace

WasiContext::WasiContext(WasiConfig config)
    : config_(std::move(config)), fds_(std::make_unique<wasi::FdTable>()) {}

WasiContext::~WasiContext() = default;

Result<std::unique_ptr<WasiContext>> WasiContext::Create(WasiConfig config) {
  std::unique_ptr<WasiContext> context(new WasiContext(std::move(config)));
  const WasiConfig& c = context->config_;
  const int stdio[3] = {c.stdin_fd, c.stdout_fd, c.stderr_fd};
  for (uint32_t fd = 0; fd < 3; ++fd) {
    if (stdio[fd] < 0) continue;
    // A duplicate, so that the guest closing it leaves the host's open.
    int host = fcntl(stdio[fd], F_DUPFD_CLOEXEC, 3);
    if (host < 0) continue;  // not open on the host either: closed for the guest
    context->fds_->InsertAt(fd, wasi::NewFdEntry(host));
  }
  for (size_t i = 0; i < c.preopens.size(); ++i) {
    const WasiPreopen& preopen = c.preopens[i];
    int host = open(preopen.host_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (host < 0) {
      return Error{"cannot open directory \"" + preopen.host_path + "\" for the guest: " +
                   std::strerror(errno)};
    }
    std::unique_ptr<wasi::FdEntry> entry = wasi::NewFdEntry(host);
    entry->preopen_name = preopen.guest_path;
    context->fds_->InsertAt(static_cast<uint32_t>(3 + i), std::move(entry));
  }
  return context;
}

std::optional<uint32_t> WasiExitCode(const WasiContext& wasi, const Trap& trap) {
  if (trap.kind != TrapKind::kHostError || trap.message != kWasiProcExitMessage) {
    return std::nullopt;
  }
  return wasi.exit_code();
}

Result<FuncInstance*> WasiFunction(Store& store, WasiContext& wasi, std::string_view name) {
  const WasiFunctionDef* def = FindFunction(name);
  if (def == nullptr) {
    return Error{"rivet does not implement the WASI function \"" + std::string(name) + "\""};
  }
  return NewWasiFunction(store, wasi, *def);
}

std::vector<std::string_view> WasiFunctionNames() {
  std::vector<std::string_view> names;
  for (const WasiFunctionDef& def : kFunctions) names.push_back(def.name);
  return names;
}

Result<std::vector<Extern>> WasiImports(Store& store, WasiContext& wasi, const Module& module) {
  std::vector<Extern> externs;
  std::vector<std::string> problems;
  std::vector<std::string> unimplemented;
  for (const Import& import : module.imports) {
    std::string what = "\"" + import.module + "\" \"" + import.name + "\"";
    if (import.module != kWasiModuleName) {
      problems.push_back("import " + what + " (" + std::string(ExternKindName(import.kind)) +
                         ") is not from " + std::string(kWasiModuleName) +
                         ", the only module rivet provides");
      continue;
    }
    if (import.kind != ExternKind::kFunc) {
      problems.push_back("import " + what + " is a " +
                         std::string(ExternKindName(import.kind)) +
                         ", but WASI provides only functions");
      continue;
    }
    const WasiFunctionDef* def = FindFunction(import.name);
    if (def == nullptr) {
      unimplemented.push_back(import.name);
      continue;
    }
    FuncType expected = TypeOf(*def);
    const FuncType& declared = module.FunctionType(import.index);
    if (!(declared == expected)) {
      problems.push_back("import " + what + " has type " + declared.ToString() +
                         ", but WASI's " + std::string(def->name) + " has type " +
                         expected.ToString());
      continue;
    }
    Extern e;
    e.kind = ExternKind::kFunc;
    e.func = NewWasiFunction(store, wasi, *def);
    externs.push_back(e);
  }
  if (!unimplemented.empty()) {
    std::string list;
    for (const std::string& name : unimplemented) list += (list.empty() ? "" : ", ") + name;
    problems.insert(problems.begin(), "the module imports WASI functions rivet does not implement: " +
                                          list);
  }
  if (!problems.empty()) {
    std::string message = "cannot satisfy the module's imports: ";
    for (size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
    return Error{message};
  }
  return externs;
}

}  // namespace rivet
