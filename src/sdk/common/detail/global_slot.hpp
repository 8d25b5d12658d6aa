// The process-wide provider slot of a signal (tracer, meter, logger provider).
//
// Handles taken from a provider (tracers, meters, loggers) point into it, so a provider
// that is replaced is not destroyed: it is retired and kept alive until exit. Instances
// are leaked on purpose (they are used until the very end of the process):
//
//   global_slot<logger_provider>& slot() { static auto* s = new global_slot<logger_provider>;
//   return *s; }
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace agtel::detail {

template <class Provider>
class global_slot {
 public:
  // Installs `provider` (null: none). False if memory ran out (the old one stays).
  bool set(std::shared_ptr<Provider> provider) noexcept {
    std::lock_guard lock(mutex_);
    try {
      if (current_) retired_.push_back(current_);
    } catch (...) {
      return false;
    }
    current_ = std::move(provider);
    generation_.fetch_add(1, std::memory_order_release);
    return true;
  }
  std::shared_ptr<Provider> get() const noexcept {
    std::lock_guard lock(mutex_);
    return current_;
  }
  // Changes on every set(): lets a cache of something derived from the provider notice.
  uint64_t generation() const noexcept { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<Provider> current_;
  std::vector<std::shared_ptr<Provider>> retired_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace agtel::detail
