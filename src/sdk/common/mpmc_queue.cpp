#include "sdk/common/detail/mpmc_queue.hpp"

namespace agtel::detail {

unsigned this_thread_shard_hint() noexcept {
  static std::atomic<unsigned> next{0};
  thread_local unsigned hint = next.fetch_add(1, std::memory_order_relaxed);
  return hint;
}

}  // namespace agtel::detail
