// WASI through the C++ API (runtime/wasi/wasi.h): configuring a context
// (arguments, environment, redirected and closed standard streams, a socket),
// linking a module's imports, proc_exit and its exit code, and what happens
// when the embedder forgets to give the context its memory.
#include "runtime/wasi/wasi.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "loader/module.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "tests/loader/wasm_builder.h"

namespace rivet {
namespace {

using namespace ::rivet::test;  // NOLINT(build/namespaces)

std::shared_ptr<const Module> Decode(std::vector<uint8_t> bytes) {
  Result<std::shared_ptr<const Module>> module = DecodeModule(std::move(bytes));
  EXPECT_TRUE(module.ok()) << module.error().message;
  return module.ok() ? *module : nullptr;
}

std::shared_ptr<const Module> LoadProgram(const std::string& name) {
  std::ifstream in("tests/wasi/" + name + ".wasm", std::ios::binary);
  return Decode(std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {}));
}

// What running a module's _start came to.
struct Ran {
  std::optional<uint32_t> exit_code;  // from proc_exit
  std::optional<Trap> trap;           // any other trap
};

// Links `module` against `wasi`, instantiates it, hands the context its
// memory and calls _start, as an embedder would.
Ran RunStart(WasiContext& wasi, std::shared_ptr<const Module> module) {
  Store store;
  Result<std::vector<Extern>> imports = WasiImports(store, wasi, *module);
  EXPECT_TRUE(imports.ok()) << imports.error().message;
  if (!imports.ok()) return {};
  auto instantiated = Instantiate(store, module, *imports);
  if (auto* error = std::get_if<InstantiateError>(&instantiated)) {
    ADD_FAILURE() << error->trap.message;
    return {};
  }
  Instance* instance = std::get<Instance*>(instantiated);
  if (std::optional<Extern> memory = instance->GetExport("memory")) wasi.set_memory(memory->memory);
  std::optional<Extern> start = instance->GetExport("_start");
  EXPECT_TRUE(start.has_value());
  if (!start) return {};
  auto outcome = Invoke(store, start->func, {});
  Ran ran;
  if (Trap* trap = std::get_if<Trap>(&outcome)) {
    ran.exit_code = WasiExitCode(wasi, *trap);
    if (!ran.exit_code) ran.trap = *trap;
  }
  return ran;
}

std::string ReadAll(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, n);
  return text;
}

std::unique_ptr<WasiContext> NewContext(WasiConfig config) {
  Result<std::unique_ptr<WasiContext>> wasi = WasiContext::Create(std::move(config));
  EXPECT_TRUE(wasi.ok()) << wasi.error().message;
  return wasi.ok() ? std::move(*wasi) : nullptr;
}

TEST(WasiApiTest, ArgumentsEnvironmentAndRedirectedStdout) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  WasiConfig config;
  config.args = {"prog", "hello", "exit", "3"};
  config.env = {"WASI_TEST_A=from the embedder", "PATH=/bin"};
  config.stdout_fd = out[1];
  config.stderr_fd = out[1];
  std::unique_ptr<WasiContext> wasi = NewContext(config);
  ASSERT_TRUE(wasi);
  close(out[1]);  // the context has its own duplicate

  Ran ran = RunStart(*wasi, LoadProgram("args_env"));
  EXPECT_EQ(ran.exit_code, 3u);
  EXPECT_FALSE(ran.trap);
  wasi.reset();  // closes the guest's stdout, so the pipe ends
  EXPECT_EQ(ReadAll(out[0]),
            "argc=4\n"
            "argv[0] is set\n"
            "argv[1]=[hello]\n"
            "argv[2]=[exit]\n"
            "argv[3]=[3]\n"
            "env WASI_TEST_A=from the embedder\n"
            "getenv(WASI_TEST_A)=from the embedder\n"
            "getenv(WASI_TEST_UNSET)=(unset)\n"
            "to stderr\n");
  close(out[0]);
}

TEST(WasiApiTest, ClosedStdin) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  WasiConfig config;
  config.args = {"prog"};
  config.stdin_fd = -1;
  config.stdout_fd = out[1];
  std::unique_ptr<WasiContext> wasi = NewContext(config);
  ASSERT_TRUE(wasi);
  close(out[1]);
  Ran ran = RunStart(*wasi, LoadProgram("stdin"));
  EXPECT_EQ(ran.exit_code, std::nullopt);  // returned from _start
  EXPECT_FALSE(ran.trap);
  wasi.reset();
  std::string text = ReadAll(out[0]);
  EXPECT_EQ(text.rfind("read(10): -1 []\n", 0), 0u) << text;
  EXPECT_NE(text.find("lines=0 bytes=0"), std::string::npos) << text;
  close(out[0]);
}

TEST(WasiApiTest, SocketAsStdin) {
  int sockets[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sockets), 0);
  ASSERT_EQ(write(sockets[0], "ping", 4), 4);
  WasiConfig config;
  config.args = {"sock"};
  config.stdin_fd = sockets[1];
  std::unique_ptr<WasiContext> wasi = NewContext(config);
  ASSERT_TRUE(wasi);
  close(sockets[1]);
  Ran ran = RunStart(*wasi, LoadProgram("sock"));
  EXPECT_FALSE(ran.trap);
  EXPECT_EQ(ran.exit_code.value_or(0), 0u);
  char reply[16] = {0};
  EXPECT_EQ(read(sockets[0], reply, sizeof reply), 4);
  EXPECT_STREQ(reply, "PING");
  EXPECT_EQ(read(sockets[0], reply, sizeof reply), 0);  // shut down for writing
  close(sockets[0]);
}

TEST(WasiApiTest, BadPreopenNamesTheDirectory) {
  WasiConfig config;
  config.preopens.push_back({"/nonexistent/rivet-wasi", "/data"});
  Result<std::unique_ptr<WasiContext>> wasi = WasiContext::Create(config);
  ASSERT_FALSE(wasi.ok());
  EXPECT_NE(wasi.error().message.find("/nonexistent/rivet-wasi"), std::string::npos)
      << wasi.error().message;
}

TEST(WasiApiTest, FunctionNames) {
  std::vector<std::string_view> names = WasiFunctionNames();
  EXPECT_EQ(names.size(), 46u);
  for (const char* name :
       {"args_get", "args_sizes_get", "environ_get", "environ_sizes_get", "clock_res_get",
        "clock_time_get", "random_get", "fd_read", "fd_write", "fd_pread", "fd_pwrite", "fd_seek",
        "fd_tell", "fd_close", "fd_sync", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
        "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_readdir",
        "fd_renumber", "fd_advise", "fd_allocate", "fd_prestat_get", "fd_prestat_dir_name",
        "path_open", "path_create_directory", "path_remove_directory", "path_unlink_file",
        "path_rename", "path_filestat_get", "path_filestat_set_times", "path_readlink",
        "path_symlink", "path_link", "poll_oneoff", "proc_exit", "sched_yield"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  std::unique_ptr<WasiContext> wasi = NewContext({});
  Store store;
  EXPECT_TRUE(WasiFunction(store, *wasi, "fd_write").ok());
  Result<FuncInstance*> missing = WasiFunction(store, *wasi, "fd_frobnicate");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("fd_frobnicate"), std::string::npos);
}

TEST(WasiApiTest, ImportErrorsNameEveryProblem) {
  ModuleBuilder b;
  uint32_t t_i_i = b.AddType({kI32}, {kI32});
  uint32_t t_v_v = b.AddType({}, {});
  b.ImportFunction("wasi_snapshot_preview1", "proc_exit", b.AddType({kI32}, {}));
  b.ImportFunction("wasi_snapshot_preview1", "path_frobnicate", t_i_i);
  b.ImportFunction("wasi_snapshot_preview1", "fd_close", t_v_v);
  b.ImportFunction("env", "callback", t_v_v);
  b.ImportMemory("wasi_snapshot_preview1", "memory", 1);
  b.ImportFunction("wasi_unstable", "fd_write", t_i_i);
  std::shared_ptr<const Module> module = Decode(b.Build());
  ASSERT_TRUE(module);
  std::unique_ptr<WasiContext> wasi = NewContext({});
  Store store;
  Result<std::vector<Extern>> imports = WasiImports(store, *wasi, *module);
  ASSERT_FALSE(imports.ok());
  const std::string& message = imports.error().message;
  for (const char* text :
       {"WASI functions rivet does not implement: path_frobnicate",
        "\"wasi_snapshot_preview1\" \"fd_close\" has type () -> (), but WASI's fd_close has type "
        "(i32) -> (i32)",
        "\"env\" \"callback\" (function) is not from wasi_snapshot_preview1",
        "\"wasi_snapshot_preview1\" \"memory\" is a memory",
        "\"wasi_unstable\" \"fd_write\""}) {
    EXPECT_NE(message.find(text), std::string::npos) << "missing: " << text << "\n" << message;
  }
  EXPECT_EQ(message.find("proc_exit"), std::string::npos) << message;
}

// A module calling one WASI function from an export "f" with constant
// arguments; optionally with an exported memory.
std::shared_ptr<const Module> CallerOf(std::string_view name, const Bytes& params,
                                       const Bytes& results, const Bytes& args, bool memory) {
  ModuleBuilder b;
  uint32_t imported = b.ImportFunction("wasi_snapshot_preview1", name, b.AddType(params, results));
  Bytes body = Cat(args, Call(imported));
  if (!results.empty()) body = Cat(body, kDrop);
  uint32_t f = b.AddFunction(b.AddType({}, {}), Cat(body, kEnd));
  b.AddExport("f", kExternFunc, f);
  if (memory) {
    b.AddMemory(1);
    b.AddExport("memory", kExternMemory, 0);
  }
  return Decode(b.Build());
}

std::variant<std::vector<Slot>, Trap> CallF(WasiContext& wasi, Store& store,
                                            std::shared_ptr<const Module> module,
                                            bool set_memory) {
  Result<std::vector<Extern>> imports = WasiImports(store, wasi, *module);
  EXPECT_TRUE(imports.ok());
  auto instantiated = Instantiate(store, module, *imports);
  Instance* instance = std::get<Instance*>(instantiated);
  if (set_memory) wasi.set_memory(instance->GetExport("memory")->memory);
  return Invoke(store, instance->GetExport("f")->func, {});
}

TEST(WasiApiTest, ProcExitTrapsWithItsCode) {
  std::unique_ptr<WasiContext> wasi = NewContext({});
  Store store;
  auto outcome = CallF(*wasi, store, CallerOf("proc_exit", {kI32}, {}, I32Const(42), false), false);
  ASSERT_TRUE(std::holds_alternative<Trap>(outcome));
  const Trap& trap = std::get<Trap>(outcome);
  EXPECT_EQ(trap.kind, TrapKind::kHostError);
  EXPECT_EQ(trap.message, kWasiProcExitMessage);
  EXPECT_EQ(WasiExitCode(*wasi, trap), 42u);
  EXPECT_EQ(wasi->exit_code(), 42u);
  EXPECT_EQ(WasiExitCode(*wasi, Trap{TrapKind::kUnreachable, "unreachable"}), std::nullopt);
}

TEST(WasiApiTest, MemoryNotSetIsATrapNotACrash) {
  std::unique_ptr<WasiContext> wasi = NewContext({});
  Store store;
  // args_sizes_get(0, 4) needs memory to write to.
  auto module = CallerOf("args_sizes_get", {kI32, kI32}, {kI32}, Cat(I32Const(0), I32Const(4)),
                         true);
  auto outcome = CallF(*wasi, store, module, /*set_memory=*/false);
  ASSERT_TRUE(std::holds_alternative<Trap>(outcome));
  EXPECT_NE(std::get<Trap>(outcome).message.find("set_memory"), std::string::npos)
      << std::get<Trap>(outcome).message;
  // sched_yield needs none.
  outcome = CallF(*wasi, store, CallerOf("sched_yield", {}, {kI32}, {}, false), false);
  EXPECT_TRUE(std::holds_alternative<std::vector<Slot>>(outcome));
}

TEST(WasiApiTest, GuestClosingStdoutLeavesTheHostsOpen) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  WasiConfig config;
  config.stdout_fd = out[1];
  std::unique_ptr<WasiContext> wasi = NewContext(config);
  Store store;
  auto outcome = CallF(*wasi, store, CallerOf("fd_close", {kI32}, {kI32}, I32Const(1), false),
                       false);
  EXPECT_TRUE(std::holds_alternative<std::vector<Slot>>(outcome));
  EXPECT_EQ(write(out[1], "x", 1), 1);
  close(out[0]);
  close(out[1]);
}

}  // namespace
}  // namespace rivet
