// WASI clocks, randomness and poll_oneoff.
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include "runtime/wasi/calls.h"
#include "runtime/wasi/fd_table.h"

namespace rivet::wasi {
namespace {

std::optional<clockid_t> HostClock(uint32_t id) {
  switch (id) {
    case kClockRealtime: return CLOCK_REALTIME;
    case kClockMonotonic: return CLOCK_MONOTONIC;
    case kClockProcessCputime: return CLOCK_PROCESS_CPUTIME_ID;
    case kClockThreadCputime: return CLOCK_THREAD_CPUTIME_ID;
    default: return std::nullopt;
  }
}

uint64_t Now(clockid_t clock) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

uint64_t SaturatingAdd(uint64_t a, uint64_t b) {
  return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max()
                                                      : a + b;
}

struct Event {
  uint64_t userdata = 0;
  uint16_t error = kSuccess;
  uint8_t type = 0;
  uint64_t nbytes = 0;
  uint16_t flags = 0;
};

// Bytes ready to read on `fd`, as far as the host can tell.
uint64_t BytesReadable(int fd) {
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    off_t position = lseek(fd, 0, SEEK_CUR);
    return position >= 0 && st.st_size > position ? st.st_size - position : 0;
  }
#ifdef FIONREAD
  int available = 0;
  if (ioctl(fd, FIONREAD, &available) == 0 && available > 0) return available;
#endif
  return 0;
}

}  // namespace

// clock_res_get(id, out: *timestamp) -> errno
Errno ClockResGet(WasiCall& call, const Slot* args) {
  std::optional<clockid_t> clock = HostClock(U32(args[0]));
  if (!clock) return kInval;
  timespec ts;
  if (clock_getres(*clock, &ts) != 0) return ErrnoFromPosix(errno);
  uint64_t resolution =
      static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
  return call.mem.WriteU64(U32(args[1]), resolution) ? kSuccess : kFault;
}

// clock_time_get(id, precision, out: *timestamp) -> errno. The precision
// is a hint; every clock is read at its best.
Errno ClockTimeGet(WasiCall& call, const Slot* args) {
  std::optional<clockid_t> clock = HostClock(U32(args[0]));
  if (!clock) return kInval;
  timespec ts;
  if (clock_gettime(*clock, &ts) != 0) return ErrnoFromPosix(errno);
  uint64_t time =
      static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
  return call.mem.WriteU64(U32(args[2]), time) ? kSuccess : kFault;
}

// random_get(buf, buf_len) -> errno
Errno RandomGet(WasiCall& call, const Slot* args) {
  std::optional<std::span<uint8_t>> buffer = call.mem.Bytes(U32(args[0]), U32(args[1]));
  if (!buffer) return kFault;
  // getentropy gives at most 256 bytes a call.
  for (size_t done = 0; done < buffer->size();) {
    size_t n = std::min<size_t>(256, buffer->size() - done);
    if (getentropy(buffer->data() + done, n) != 0) {
      // No getrandom syscall (old kernels): the device instead.
      int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
      if (fd < 0) return ErrnoFromPosix(errno);
      while (done < buffer->size()) {
        ssize_t r = RetryOnEintr([&] {
          return read(fd, buffer->data() + done, buffer->size() - done);
        });
        if (r <= 0) {
          close(fd);
          return kIo;
        }
        done += r;
      }
      close(fd);
      break;
    }
    done += n;
  }
  return kSuccess;
}

// poll_oneoff(in: *subscription, out: *event, nsubscriptions, out: *size)
// -> errno. Waits until at least one subscription is ready: a clock
// (relative or absolute, on the realtime or monotonic clock) has passed, or
// a descriptor can be read or written. Regular files are always ready.
// Errors of single subscriptions (a bad fd or clock) come back as events.
Errno PollOneoff(WasiCall& call, const Slot* args) {
  uint32_t in = U32(args[0]), out = U32(args[1]), count = U32(args[2]);
  if (count == 0) return kInval;
  std::optional<std::span<uint8_t>> subscriptions =
      call.mem.Bytes(in, uint64_t{count} * kSubscriptionSize);
  if (!subscriptions || !call.mem.Bytes(out, uint64_t{count} * kEventSize) ||
      !call.mem.Bytes(U32(args[3]), 4)) {
    return kFault;
  }

  struct ClockWait {
    uint64_t userdata;
    uint64_t deadline;  // on the monotonic clock
  };
  struct FdWait {
    uint64_t userdata;
    uint8_t type;
  };
  std::vector<Event> events;
  std::vector<ClockWait> clocks;
  std::vector<FdWait> fd_waits;
  std::vector<pollfd> pollfds;
  uint64_t start = Now(CLOCK_MONOTONIC);
  for (uint32_t i = 0; i < count; ++i) {
    const uint8_t* sub = subscriptions->data() + i * kSubscriptionSize;
    uint64_t userdata = GetU64(sub);
    uint8_t type = sub[8];
    if (type == kEventtypeClock) {
      uint32_t id = GetU32(sub + 16);
      uint64_t timeout = GetU64(sub + 24);
      uint16_t flags = GetU16(sub + 40);
      if (id != kClockRealtime && id != kClockMonotonic) {
        events.push_back({userdata, kInval, type});  // CPU-time clocks cannot be waited on
        continue;
      }
      uint64_t deadline;
      if (!(flags & kSubclockAbstime)) {
        deadline = SaturatingAdd(start, timeout);
      } else if (id == kClockMonotonic) {
        deadline = timeout;
      } else {
        uint64_t now = Now(CLOCK_REALTIME);
        deadline = SaturatingAdd(start, timeout > now ? timeout - now : 0);
      }
      clocks.push_back({userdata, deadline});
    } else if (type == kEventtypeFdRead || type == kEventtypeFdWrite) {
      FdEntry* entry;
      if (Errno e = call.ctx.fds().Get(GetU32(sub + 16), kRightPollFdReadwrite, &entry)) {
        events.push_back({userdata, e, type});
        continue;
      }
      if (entry->filetype == kFiletypeRegularFile || entry->filetype == kFiletypeDirectory) {
        uint64_t nbytes = type == kEventtypeFdRead ? BytesReadable(entry->host_fd) : 0;
        events.push_back({userdata, kSuccess, type, nbytes});
        continue;
      }
      pollfds.push_back(pollfd{entry->host_fd,
                               static_cast<short>(type == kEventtypeFdRead ? POLLIN : POLLOUT), 0});
      fd_waits.push_back({userdata, type});
    } else {
      return kInval;
    }
  }

  for (;;) {
    // How long to wait: not at all when something is ready, else until the
    // earliest clock (forever without one).
    std::optional<uint64_t> earliest;
    for (const ClockWait& c : clocks) earliest = std::min(earliest.value_or(c.deadline), c.deadline);
    uint64_t now = Now(CLOCK_MONOTONIC);
    int timeout_ms = -1;
    if (!events.empty() || (earliest && *earliest <= now)) {
      timeout_ms = 0;
    } else if (earliest) {
      uint64_t ms = (*earliest - now + 999999) / 1000000;
      timeout_ms = static_cast<int>(std::min<uint64_t>(ms, INT_MAX));
    }
    if (pollfds.empty()) {
      if (timeout_ms > 0) {
        // Sleep exactly to the deadline, not to the next millisecond.
        timespec until;
        until.tv_sec = static_cast<time_t>(*earliest / 1000000000u);
        until.tv_nsec = static_cast<long>(*earliest % 1000000000u);
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr);
      }
    } else {
      int ready = poll(pollfds.data(), pollfds.size(), timeout_ms);
      if (ready < 0 && errno != EINTR) return ErrnoFromPosix(errno);
      for (size_t i = 0; ready > 0 && i < pollfds.size(); ++i) {
        short revents = pollfds[i].revents;
        if (revents == 0) continue;
        Event event{fd_waits[i].userdata, kSuccess, fd_waits[i].type};
        if (revents & POLLNVAL) {
          event.error = kBadf;
        } else {
          if (revents & POLLHUP) event.flags |= kEventFdReadwriteHangup;
          if (event.type == kEventtypeFdRead) event.nbytes = BytesReadable(pollfds[i].fd);
          if ((revents & POLLERR) && !(revents & (POLLIN | POLLOUT | POLLHUP))) event.error = kIo;
        }
        events.push_back(event);
      }
    }
    now = Now(CLOCK_MONOTONIC);
    for (const ClockWait& c : clocks) {
      if (c.deadline <= now) events.push_back({c.userdata, kSuccess, kEventtypeClock});
    }
    if (!events.empty()) break;
  }

  for (size_t i = 0; i < events.size(); ++i) {
    uint8_t bytes[kEventSize] = {};
    PutU64(bytes, events[i].userdata);
    PutU16(bytes + 8, events[i].error);
    bytes[10] = events[i].type;
    PutU64(bytes + 16, events[i].nbytes);
    PutU16(bytes + 24, events[i].flags);
    call.mem.Write(out + i * kEventSize, bytes, sizeof bytes);  // checked above
  }
  call.mem.WriteU32(U32(args[3]), static_cast<uint32_t>(events.size()));
  return kSuccess;
}

}  // namespace rivet::wasi
