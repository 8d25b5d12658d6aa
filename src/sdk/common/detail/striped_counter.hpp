// A counter that many threads add to without sharing a cache line: each thread adds to
// its own stripe (by its shard hint), and readers sum the stripes. For drop and queue
// counts on hot paths; reads are rare and may be a moment stale.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "sdk/common/detail/mpmc_queue.hpp"

namespace agtel::detail {

class striped_counter {
 public:
  void add(uint64_t n = 1) noexcept {
    stripes_[this_thread_shard_hint() % stripes_.size()].value.fetch_add(n, std::memory_order_relaxed);
  }
  uint64_t load() const noexcept {
    uint64_t sum = 0;
    for (const auto& s : stripes_) sum += s.value.load(std::memory_order_relaxed);
    return sum;
  }

 private:
  struct alignas(64) stripe {
    std::atomic<uint64_t> value{0};
  };
  std::array<stripe, 4> stripes_;
};

}  // namespace agtel::detail
