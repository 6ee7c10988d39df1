#include "runtime/object_ops.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>

namespace rivet {
namespace {

// Threads blocked in memory.atomic.wait, by address. One table serves every
// shared memory: an address identifies the memory and the location.
class WaiterTable {
 public:
  // Returns 0 (woken), 2 (timed out).
  uint32_t Wait(const void* address, int64_t timeout_ns, std::unique_lock<std::mutex>& lock) {
    Waiter waiter;
    auto it = waiters_.emplace(address, &waiter);
    bool woken;
    // A negative timeout waits forever, and so does one too long for the
    // clock arithmetic (now + timeout would overflow into the past).
    constexpr int64_t kForeverNs = int64_t{1} << 62;
    if (timeout_ns < 0 || timeout_ns >= kForeverNs) {
      waiter.cv.wait(lock, [&] { return waiter.woken; });
      woken = true;
    } else {
      woken = waiter.cv.wait_for(lock, std::chrono::nanoseconds(timeout_ns),
                                 [&] { return waiter.woken; });
    }
    if (!woken) waiters_.erase(it);
    return woken ? 0 : 2;
  }

  uint32_t Notify(const void* address, uint32_t count) {
    uint32_t woken = 0;
    auto range = waiters_.equal_range(address);
    for (auto it = range.first; it != range.second && woken < count;) {
      it->second->woken = true;
      it->second->cv.notify_one();
      it = waiters_.erase(it);
      ++woken;
    }
    return woken;
  }

  std::mutex mutex;

 private:
  struct Waiter {
    std::condition_variable cv;
    bool woken = false;
  };
  std::multimap<const void*, Waiter*> waiters_;
};

WaiterTable& Waiters() {
  // Never destroyed: threads may still wait while the process exits.
  static WaiterTable* table = new WaiterTable;
  return *table;
}

}  // namespace

uint32_t AtomicWait(uint8_t* address, bool wide, uint64_t expected, int64_t timeout_ns) {
  WaiterTable& waiters = Waiters();
  std::unique_lock<std::mutex> lock(waiters.mutex);
  uint64_t current =
      wide ? std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t*>(address)).load()
           : std::atomic_ref<uint32_t>(*reinterpret_cast<uint32_t*>(address)).load();
  if (current != expected) return 1;
  return waiters.Wait(address, timeout_ns, lock);
}

uint32_t AtomicNotify(uint8_t* address, uint32_t count) {
  WaiterTable& waiters = Waiters();
  std::lock_guard<std::mutex> lock(waiters.mutex);
  return waiters.Notify(address, count);
}

}  // namespace rivet
