#include "cli/temp_dir.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace rivet::cli {
namespace {

// Every live TempDir's path, for RemoveTempDirsOnSignal. Never destroyed,
// so that it outlives any TempDir whatever the order of static destruction.
std::mutex& LiveMutex() {
  static auto* mutex = new std::mutex;
  return *mutex;
}
std::set<std::string>& LiveDirs() {
  static auto* dirs = new std::set<std::string>;
  return *dirs;
}

}  // namespace

Result<TempDir> TempDir::Create(const std::string& prefix, const std::string& parent) {
  const char* tmpdir = getenv("TMPDIR");
  std::string base = !parent.empty()                        ? parent
                     : tmpdir != nullptr && *tmpdir != '\0' ? tmpdir
                                                            : "/tmp";
  std::string pattern = base + "/" + prefix + ".XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  // Creating and recording under one lock leaves no moment in which a
  // signal's cleanup could miss the directory.
  std::lock_guard<std::mutex> lock(LiveMutex());
  if (mkdtemp(buffer.data()) == nullptr) {
    return Error{"cannot create a temporary directory in " + base + ": " + std::strerror(errno)};
  }
  LiveDirs().insert(buffer.data());
  return TempDir(std::string(buffer.data()));
}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::move(other.path_);
    other.path_.clear();
  }
  return *this;
}

TempDir::~TempDir() { Remove(); }

void TempDir::Remove() {
  if (path_.empty()) return;
  // Best effort: a leftover directory in /tmp is not worth failing a run
  // over, and a destructor has no one to report to.
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
  // Forgotten only once gone: a signal in between removes the rest.
  std::lock_guard<std::mutex> lock(LiveMutex());
  LiveDirs().erase(path_);
  path_.clear();
}

void RemoveTempDirsOnSignal() {
  sigset_t signals;
  sigemptyset(&signals);
  for (int signal : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&signals, signal);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread([signals] {
    int signal = 0;
    while (sigwait(&signals, &signal) != 0) {
    }
    // Keeps the lock to the end, so no directory is created after this.
    LiveMutex().lock();
    for (const std::string& path : LiveDirs()) {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
    // Die of the signal itself, so that the parent (a shell, `timeout`)
    // sees what happened.
    sigset_t just_this;
    sigemptyset(&just_this);
    sigaddset(&just_this, signal);
    ::signal(signal, SIG_DFL);
    pthread_sigmask(SIG_UNBLOCK, &just_this, nullptr);
    raise(signal);
    _exit(128 + signal);
  }).detach();
}

}  // namespace rivet::cli
