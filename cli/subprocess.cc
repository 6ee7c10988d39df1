#include "cli/subprocess.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace rivet::cli {

std::string ProcessResult::DescribeStatus() const {
  if (signaled) return "killed by signal " + std::to_string(exit_status - 128);
  return "exit status " + std::to_string(exit_status);
}

Result<ProcessResult> RunProcess(const std::vector<std::string>& argv) {
  if (argv.empty()) return Error{"RunProcess: no program given"};
  const auto failure = [&](const char* what, int error) {
    return Error{"cannot run " + argv[0] + ": " + what + ": " + std::strerror(error)};
  };

  // O_CLOEXEC matters when several threads spawn at once: without it, a
  // child spawned by another thread would inherit this pipe's write end and
  // hold it open, so our read below would not see EOF until that unrelated
  // child exited. dup2 in the child clears the flag on fds 1 and 2.
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return failure("pipe", errno);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);

  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);

  // A child inherits the signal mask, and ours may block SIGINT and SIGTERM
  // (see RemoveTempDirsOnSignal); unblocked, Ctrl-C still stops the child.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t no_signals;
  sigemptyset(&no_signals);
  posix_spawnattr_setsigmask(&attributes, &no_signals);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK);

  pid_t pid;
  // posix_spawn rather than fork+exec: it is vfork-based in glibc, so it
  // does not copy a large, multi-threaded parent, and it reports a failed
  // exec (say, wast2json not installed) as its return value.
  int spawn_error = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawn_error != 0) {
    close(pipe_fds[0]);
    return failure("spawn", spawn_error);
  }

  // Drain the pipe before waiting: a child that fills the pipe buffer would
  // otherwise block forever while we wait for it to exit.
  ProcessResult result;
  char chunk[4096];
  while (true) {
    ssize_t n = read(pipe_fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    result.output.append(chunk, static_cast<size_t>(n));
  }
  close(pipe_fds[0]);

  int status;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return failure("waitpid", errno);
  }
  if (WIFSIGNALED(status)) {
    result.signaled = true;
    result.exit_status = 128 + WTERMSIG(status);
  } else {
    result.exit_status = WEXITSTATUS(status);
  }
  return result;
}

}  // namespace rivet::cli
