// A test-and-test-and-set spin lock for critical sections of a few nanoseconds (one
// histogram series' update or swap). Never held across anything that can block.
#pragma once

#include <atomic>

namespace agtel::metrics::detail {

class spin_lock {
 public:
  void lock() noexcept {
    while (flag_.exchange(true, std::memory_order_acquire)) {
      while (flag_.load(std::memory_order_relaxed)) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
      }
    }
  }
  void unlock() noexcept {
    flag_.store(false, std::memory_order_release);
  }

 private:
  std::atomic<bool> flag_{false};
};

}  // namespace agtel::metrics::detail
