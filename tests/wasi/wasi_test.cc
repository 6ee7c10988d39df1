// WASI end to end: C programs built for wasm32-wasi run through `rivet run`
// and, built natively, directly; both in fresh directories of their own,
// with the same arguments, environment and input. Their output, error
// output, exit status and the files they leave must be the same. What only
// exists in wasm (the sandbox, raw WASI calls, traps, unsatisfiable
// imports) is checked against the expected text.
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace {

// A file from the test's data, as an absolute path (the processes started
// here run in other directories).
std::string Runfile(const std::string& path) {
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd) == nullptr) return path;
  return std::string(cwd) + "/" + path;
}

std::string Rivet() { return Runfile("cli/rivet"); }
std::string Wasm(const std::string& name) { return Runfile("tests/wasi/" + name + ".wasm"); }
std::string Native(const std::string& name) { return Runfile("tests/wasi/" + name + "_native"); }

std::string MakeTempDir() {
  const char* base = getenv("TEST_TMPDIR");
  std::string pattern = std::string(base ? base : "/tmp") + "/wasi_XXXXXX";
  char* made = mkdtemp(pattern.data());
  if (made == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    return "/nonexistent";
  }
  return made;
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteWholeFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Every path under `dir`, relative, sorted; directories end in "/", links
// in " -> TARGET".
std::vector<std::string> ListTree(const std::string& dir, const std::string& prefix = "") {
  std::vector<std::string> paths;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return paths;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) continue;
    if (S_ISLNK(st.st_mode)) {
      char target[PATH_MAX] = {0};
      ssize_t n = readlink(path.c_str(), target, sizeof target - 1);
      paths.push_back(prefix + name + " -> " + std::string(target, n > 0 ? n : 0));
    } else if (S_ISDIR(st.st_mode)) {
      paths.push_back(prefix + name + "/");
      std::vector<std::string> inner = ListTree(path, prefix + name + "/");
      paths.insert(paths.end(), inner.begin(), inner.end());
    } else {
      paths.push_back(prefix + name);
    }
  }
  closedir(d);
  std::sort(paths.begin(), paths.end());
  return paths;
}

struct Outcome {
  int status = -1;  // the exit status, or 128 + the signal that ended it
  std::string out;
  std::string err;
};

struct Command {
  std::vector<std::string> argv;
  std::string cwd;
  std::vector<std::string> env;             // KEY=VALUE, all the process gets
  std::string stdin_file = "/dev/null";     // standard input from a file,
  std::optional<std::string> stdin_pipe;    // or through a pipe
};

Outcome Execute(const Command& command) {
  std::string capture = MakeTempDir();
  std::string out_path = capture + "/stdout", err_path = capture + "/stderr";
  int pipe_fds[2] = {-1, -1};
  if (command.stdin_pipe && pipe(pipe_fds) != 0) {
    ADD_FAILURE() << "pipe failed";
    return {};
  }
  std::vector<char*> argv, envp;
  for (const std::string& arg : command.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  for (const std::string& var : command.env) envp.push_back(const_cast<char*>(var.c_str()));
  envp.push_back(nullptr);

  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGPIPE, SIG_DFL);
    int in = command.stdin_pipe ? pipe_fds[0] : open(command.stdin_file.c_str(), O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || chdir(command.cwd.c_str()) != 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    if (command.stdin_pipe) close(pipe_fds[1]);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  if (command.stdin_pipe) {
    close(pipe_fds[0]);
    const std::string& data = *command.stdin_pipe;
    for (size_t done = 0; done < data.size();) {
      ssize_t n = write(pipe_fds[1], data.data() + done, data.size() - done);
      if (n <= 0) break;  // the program stopped reading
      done += n;
    }
    close(pipe_fds[1]);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  Outcome outcome;
  outcome.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  outcome.out = ReadWholeFile(out_path);
  outcome.err = ReadWholeFile(err_path);
  return outcome;
}

// A run of `program` natively and in wasm, to compare.
struct Comparison {
  Outcome native;
  Outcome wasm;
  std::string native_dir;  // where each ran (the wasm one's preopened ".")
  std::string wasm_dir;
};

struct Input {
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::string stdin_file = "/dev/null";
  std::optional<std::string> stdin_pipe;
};

Comparison RunBoth(const std::string& program, const Input& input) {
  Comparison c;
  c.native_dir = MakeTempDir();
  c.wasm_dir = MakeTempDir();

  Command native;
  native.argv = {Native(program)};
  native.argv.insert(native.argv.end(), input.args.begin(), input.args.end());
  native.cwd = c.native_dir;
  native.env = input.env;
  native.stdin_file = input.stdin_file;
  native.stdin_pipe = input.stdin_pipe;
  c.native = Execute(native);

  Command wasm;
  wasm.argv = {Rivet(), "run", "--dir", c.wasm_dir + "::."};
  for (const std::string& var : input.env) {
    wasm.argv.push_back("--env");
    wasm.argv.push_back(var);
  }
  wasm.argv.push_back(Wasm(program));
  wasm.argv.insert(wasm.argv.end(), input.args.begin(), input.args.end());
  wasm.cwd = MakeTempDir();  // not the preopened directory: only --dir reaches it
  wasm.stdin_file = input.stdin_file;
  wasm.stdin_pipe = input.stdin_pipe;
  c.wasm = Execute(wasm);
  return c;
}

void ExpectSame(const Comparison& c) {
  EXPECT_EQ(c.native.out, c.wasm.out);
  EXPECT_EQ(c.native.err, c.wasm.err);
  EXPECT_EQ(c.native.status, c.wasm.status);
  EXPECT_EQ(ListTree(c.native_dir), ListTree(c.wasm_dir));
}

class WasiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { signal(SIGPIPE, SIG_IGN); }
};

TEST_F(WasiTest, ArgumentsEnvironmentAndStderr) {
  Input input;
  input.args = {"one", "two words", "--flag", "", "ünïcode"};
  input.env = {"WASI_TEST_A=alpha", "WASI_TEST_B=b c=d", "WASI_TEST_EMPTY=", "OTHER=x"};
  Comparison c = RunBoth("args_env", input);
  ExpectSame(c);
  EXPECT_NE(c.wasm.out.find("argv[2]=[two words]"), std::string::npos) << c.wasm.out;
  EXPECT_NE(c.wasm.out.find("env WASI_TEST_B=b c=d"), std::string::npos) << c.wasm.out;
  EXPECT_EQ(c.wasm.err, "to stderr\n");
  EXPECT_EQ(c.wasm.status, 0);
}

TEST_F(WasiTest, ExitCodes) {
  for (const char* code : {"0", "1", "7", "255"}) {
    for (const char* how : {"exit", "return"}) {
      SCOPED_TRACE(std::string(how) + " " + code);
      Comparison c = RunBoth("args_env", {{how, code}});
      ExpectSame(c);
      EXPECT_EQ(c.wasm.status, atoi(code));
    }
  }
}

TEST_F(WasiTest, Clocks) {
  Comparison c = RunBoth("clocks", {});
  ExpectSame(c);
  EXPECT_EQ(c.wasm.out.find("no\n"), std::string::npos) << c.wasm.out;
  EXPECT_EQ(c.wasm.status, 0);
}

TEST_F(WasiTest, Random) {
  Comparison c = RunBoth("random", {});
  ExpectSame(c);
  EXPECT_NE(c.wasm.out.find("non-zero bytes: most"), std::string::npos) << c.wasm.out;
  EXPECT_NE(c.wasm.out.find("two calls differ: yes"), std::string::npos) << c.wasm.out;
}

TEST_F(WasiTest, Files) {
  Comparison c = RunBoth("files", {});
  ExpectSame(c);
  EXPECT_EQ(c.wasm.status, 0) << c.wasm.err;
  // Spot checks, so that a broken native build cannot hide a broken wasm one.
  for (const char* line : {"read: 5 [hello]\n", "seek end-6: 6\n", "pread(5, 6): 5 [world]\n",
                           "read d/a.txt: [HELLO000000+tail]\n",
                           "read back 200000 bytes, checksum matches\n",
                           "stat d/b.txt: file size=16 nlink=2\n", "readlink d/s: 5 [b.txt]\n",
                           "ls d (7, again 7): b.txt:f big.bin:f dangling:l nowhere:f s:l "
                           "sub:d sublink:l\n",
                           "mtime: 1234567890.000000500 atime: 1000000000\n",
                           "rmdir(\"d\"): ENOTEMPTY\n", "ls . (0, again 0):\n"}) {
    EXPECT_NE(c.wasm.out.find(line), std::string::npos) << "missing: " << line << c.wasm.out;
  }
}

std::string SampleInput() {
  std::string text = "first line here\n";
  for (int i = 0; i < 3000; ++i) text += "line " + std::to_string(i) + " of the input\n";
  return text + "no newline at the end";
}

TEST_F(WasiTest, StdinFromAFile) {
  std::string dir = MakeTempDir();
  WriteWholeFile(dir + "/input.txt", SampleInput());
  Input input;
  input.stdin_file = dir + "/input.txt";
  Comparison c = RunBoth("stdin", input);
  ExpectSame(c);
  EXPECT_NE(c.wasm.out.find("lines=3002 bytes=67927 eof=1 error=0\n"), std::string::npos)
      << c.wasm.out;
}

TEST_F(WasiTest, StdinFromAPipe) {
  Input input;
  input.stdin_pipe = SampleInput();
  Comparison c = RunBoth("stdin", input);
  ExpectSame(c);
  EXPECT_NE(c.wasm.out.find("3000 (22): LINE 2998 OF THE INPUT\n"), std::string::npos)
      << c.wasm.out;
}

TEST_F(WasiTest, Poll) {
  std::string dir = MakeTempDir();
  WriteWholeFile(dir + "/input.txt", "some input\n");
  Input input;
  input.stdin_file = dir + "/input.txt";
  Comparison c = RunBoth("poll", input);
  ExpectSame(c);
  EXPECT_EQ(c.wasm.out,
            "stdin: 1 in=1 out=0 nval=0\n"
            "stdout: 1 in=0 out=1 nval=0\n"
            "timeout: 0, waited 40ms..5s: yes\n"
            "file: 2 in=1 out=1\n"
            "bad fd: 1 in=0 out=0 nval=1\n");
  input.stdin_file = "/dev/null";
  input.stdin_pipe = "piped\n";
  ExpectSame(RunBoth("poll", input));
}

// The sandbox: the directory sandbox.c expects, inside and outside.
TEST_F(WasiTest, SandboxEscapesFail) {
  std::string root = MakeTempDir();
  std::string inner = root + "/inner", outside = root + "/outside";
  ASSERT_EQ(mkdir(inner.c_str(), 0755), 0);
  ASSERT_EQ(mkdir((inner + "/sub").c_str(), 0755), 0);
  ASSERT_EQ(mkdir(outside.c_str(), 0755), 0);
  WriteWholeFile(outside + "/secret.txt", "secret\n");
  WriteWholeFile(inner + "/file_in.txt", "inside\n");
  const std::pair<std::string, std::string> links[] = {
      {"../file_in.txt", "sub/link_up"},
      {"../link_out", "sub/link_chain"},
      {"..", "sub/link_parent"},
      {"../outside/secret.txt", "link_out"},
      {outside + "/secret.txt", "link_abs"},
      {"..", "link_dir_out"},
      {"loop2", "loop1"},
      {"loop1", "loop2"},
  };
  for (const auto& [target, name] : links) {
    ASSERT_EQ(symlink(target.c_str(), (inner + "/" + name).c_str()), 0) << name;
  }
  std::vector<std::string> before = ListTree(root);

  Command command;
  command.argv = {Rivet(), "run", "--dir", inner + "::.", Wasm("sandbox")};
  command.cwd = root;
  Outcome outcome = Execute(command);
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  EXPECT_EQ(outcome.err, "");
  EXPECT_EQ(outcome.out,
            "open file_in.txt: 0 [inside]\n"
            "open .: 0\n"
            "open sub/../file_in.txt: 0 [inside]\n"
            "open sub/link_up (follow): 0 [inside]\n"
            "open sub/link_parent/file_in.txt: 0 [inside]\n"
            "open ./sub/./../file_in.txt: 0 [inside]\n"
            "open ..: 76\n"
            "open ../outside/secret.txt: 76\n"
            "open sub/../../outside/secret.txt: 76\n"
            "open sub/../sub/../..: 76\n"
            "open /etc/passwd: 76\n"
            "open /: 76\n"
            "open link_out (follow): 76\n"
            "open link_out: 32\n"
            "open link_abs (follow): 76\n"
            "open link_dir_out/outside/secret.txt: 76\n"
            "open sub/link_chain (follow): 76\n"
            "open sub/link_parent/../outside/secret.txt: 76\n"
            "open loop1 (follow): 32\n"
            "stat link_out (follow): 76\n"
            "stat link_out: 0 type=7\n"
            "stat link_dir_out/: 76\n"
            "stat sub/link_up (follow): 0 type=4\n"
            "open sub: 0\n"
            "open ../file_in.txt: 76\n"
            "open link_up (follow): 76\n"
            "mkdir ../made: 76\n"
            "unlink ../outside/secret.txt: 76\n"
            "unlink link_dir_out/outside/secret.txt: 76\n"
            "rmdir ../outside: 76\n"
            "rename file_in.txt -> ../stolen.txt: 76\n"
            "rename ../outside/secret.txt -> here.txt: 76\n"
            "link ../outside/secret.txt -> hard.txt: 76\n"
            "link link_out (follow) -> hard.txt: 76\n"
            "symlink /etc/passwd -> abs: 76\n"
            "symlink into ../: 76\n"
            "set times link_out (follow): 76\n"
            "create through link_dir_out: 76\n"
            "readlink link_out: 0 [../outside/secret.txt]\n"
            "fopen ../outside/secret.txt: ENOTCAPABLE\n"
            "fopen /etc/passwd: ENOENT\n"
            "fopen link_out: ENOTCAPABLE\n"
            "fopen sub/link_up: opened\n");
  // Nothing changed, inside or out.
  EXPECT_EQ(ListTree(root), before);
  EXPECT_EQ(ReadWholeFile(outside + "/secret.txt"), "secret\n");
  struct stat st;
  ASSERT_EQ(stat((outside + "/secret.txt").c_str(), &st), 0);
  EXPECT_NE(st.st_mtime, 1000000000);
}

TEST_F(WasiTest, RawCallsCheckPointersAndArguments) {
  std::string dir = MakeTempDir();
  std::string input = MakeTempDir() + "/input.txt";
  WriteWholeFile(input, SampleInput());
  Command command;
  command.argv = {Rivet(), "run", "--dir", dir + "::/sandbox", Wasm("raw")};
  command.cwd = MakeTempDir();
  command.stdin_file = input;
  Outcome outcome = Execute(command);
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  EXPECT_EQ(outcome.err, "");
  EXPECT_EQ(outcome.out,
            "fd_write iovs out of bounds: 21\n"
            "fd_write buffer out of bounds: 21\n"
            "fd_write nwritten out of bounds: 21\n"
            "fd_write huge iovs_len: 21\n"
            "fd_read buffer out of bounds: 21\n"
            "fd_pread iovs out of bounds: 21\n"
            "args_sizes_get out of bounds: 21\n"
            "args_get out of bounds: 21\n"
            "environ_sizes_get out of bounds: 21\n"
            "environ_get out of bounds: 21\n"
            "clock_time_get out of bounds: 21\n"
            "clock_res_get out of bounds: 21\n"
            "random_get out of bounds: 21\n"
            "fd_fdstat_get out of bounds: 21\n"
            "fd_filestat_get out of bounds: 21\n"
            "fd_prestat_get out of bounds: 21\n"
            "fd_prestat_dir_name out of bounds: 21\n"
            "fd_seek out of bounds: 21\n"
            "fd_tell out of bounds: 21\n"
            "fd_readdir out of bounds: 21\n"
            "path_open result out of bounds: 21\n"
            "path_filestat_get out of bounds: 21\n"
            "poll_oneoff out of bounds: 21\n"
            "clock_time_get unknown clock: 28\n"
            "fd_write bad fd: 8\n"
            "fd_close bad fd: 8\n"
            "fd_seek bad whence: 28\n"
            "fd_prestat_get stdin: 8\n"
            "fd_prestat_get past preopens: 8\n"
            "fd_prestat_get preopen: 0 tag=0 name_len=8\n"
            "fd_prestat_dir_name short buffer: 37\n"
            "fd_prestat_dir_name: 0 [/sandbox]\n"
            "fd_readdir on a file: 54\n"
            "path_open on a file: 54\n"
            "path_open empty path: 44\n"
            "fd_filestat_set_times atim and atim_now: 28\n"
            "sched_yield: 0\n"
            "sock_accept on a file: 57\n"
            "sock_shutdown bad fd: 8\n"
            "fd_fdstat_get stdin: 0 filetype=4 read=1\n"
            "fd_fdstat_get preopen: 0 filetype=3 path_open=1\n"
            "write a.txt: 0\n"
            "fd_fdstat_set_rights drop write: 0\n"
            "write without the right: 76\n"
            "fd_fdstat_set_rights add it back: 76\n"
            "fd_renumber a -> b: 0\n"
            "pread b: 0 [contents of a]\n"
            "fd_close a: 8\n"
            "fd_renumber to a closed fd: 8\n"
            "fd_close b: 0\n"
            "fd_readdir small buffer: 0 used=30\n"
            "fd_readdir: 0 entries=4\n"
            "poll two clocks: 0 n=1 userdata=11 error=0 type=0\n"
            "poll stdin and a clock: 0 n=1 userdata=13 error=0 type=1 nbytes=67927\n"
            "poll a bad fd: 0 n=1 userdata=13 error=8\n"
            "poll a past realtime deadline: 0 n=1\n"
            "poll a cputime clock: 0 n=1 error=28\n"
            "poll nothing: 28\n"
            "random_get 100000: 0 mostly non-zero: yes\n"
            "path_unlink_file: 0 0\n");
  EXPECT_EQ(ListTree(dir), std::vector<std::string>{});
}

TEST_F(WasiTest, TrapExitsWithStatus3) {
  Command command;
  command.argv = {Rivet(), "run", Wasm("trap")};
  command.cwd = MakeTempDir();
  Outcome outcome = Execute(command);
  EXPECT_EQ(outcome.status, 3);
  EXPECT_EQ(outcome.out, "before the trap\n");
  EXPECT_EQ(outcome.err.rfind("trap: unreachable", 0), 0u) << outcome.err;
}

TEST_F(WasiTest, ImportsRivetCannotSatisfyAreNamed) {
  Command command;
  command.argv = {Rivet(), "run", Wasm("unimplemented")};
  command.cwd = MakeTempDir();
  Outcome outcome = Execute(command);
  EXPECT_EQ(outcome.status, 1);
  EXPECT_EQ(outcome.out, "");
  for (const char* text : {"WASI functions rivet does not implement: not_a_wasi_function",
                           "\"wasi_snapshot_preview1\" \"fd_write\" has type (i32) -> (i32)",
                           "\"env\" \"host_thing\""}) {
    EXPECT_NE(outcome.err.find(text), std::string::npos) << "missing: " << text << "\n"
                                                         << outcome.err;
  }
}

TEST_F(WasiTest, InvokeAReactorExport) {
  Command command;
  command.argv = {Rivet(), "run", "--invoke=shout", Wasm("reactor"), "21"};
  command.cwd = MakeTempDir();
  Outcome outcome = Execute(command);
  EXPECT_EQ(outcome.status, 0) << outcome.err;
  EXPECT_EQ(outcome.out, "shout 21, counter 100\n42\n");

  // Without --invoke it needs a _start.
  command.argv = {Rivet(), "run", Wasm("reactor")};
  outcome = Execute(command);
  EXPECT_EQ(outcome.status, 1);
  EXPECT_NE(outcome.err.find("no exported function \"_start\""), std::string::npos)
      << outcome.err;
}

TEST_F(WasiTest, CommandLine) {
  Command command;
  command.cwd = MakeTempDir();
  command.argv = {Rivet(), "run", "--help"};
  Outcome outcome = Execute(command);
  EXPECT_EQ(outcome.status, 0);
  for (const char* option : {"--dir HOST[::GUEST]", "--env KEY=VALUE", "--engine=auto|aot|interp",
                             "--invoke=NAME", "proc_exit", "trap: MESSAGE"}) {
    EXPECT_NE(outcome.out.find(option), std::string::npos) << option;
  }

  // A directory that cannot be opened is a usage error.
  command.argv = {Rivet(), "run", "--dir", command.cwd + "/missing", Wasm("trap")};
  outcome = Execute(command);
  EXPECT_EQ(outcome.status, 2);
  EXPECT_NE(outcome.err.find("missing"), std::string::npos) << outcome.err;

  // --dir=HOST and --env=KEY=VALUE work too, and --env KEY passes rivet's
  // own value; arguments after FILE go to the program even if they look
  // like options.
  std::string dir = MakeTempDir();
  command.argv = {Rivet(),        "run",      "--dir=" + dir + "::.",
                  "--env=WASI_TEST_A=one",   "--env",    "WASI_TEST_B",
                  Wasm("args_env"), "--dir", "exit", "4"};
  command.env = {"WASI_TEST_B=from rivet"};
  outcome = Execute(command);
  EXPECT_EQ(outcome.status, 4) << outcome.err;
  EXPECT_NE(outcome.out.find("argv[1]=[--dir]\n"), std::string::npos) << outcome.out;
  EXPECT_NE(outcome.out.find("env WASI_TEST_A=one\nenv WASI_TEST_B=from rivet\n"),
            std::string::npos)
      << outcome.out;
}

}  // namespace
