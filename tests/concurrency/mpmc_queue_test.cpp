// The export queues under contention: nothing lost, nothing delivered twice, and a
// successful push is never reported as "full" even when the consumer drains at once.
#include "sdk/common/detail/mpmc_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace agtel::detail {
namespace {

template <class Queue>
void every_item_exactly_once(Queue& q, int producers, int per_producer) {
  std::atomic<int> rejected{0};
  std::atomic<bool> done{false};
  std::vector<int> seen(producers * per_producer + 1, 0);
  std::thread consumer([&] {
    uintptr_t v;
    for (;;) {
      bool got = q.try_pop(v);
      if (got) {
        seen[v]++;
      } else if (done.load()) {
        if (!q.try_pop(v)) break;
        seen[v]++;
      }
    }
  });
  std::vector<std::thread> threads;
  for (int p = 0; p < producers; ++p)
    threads.emplace_back([&, p] {
      for (int i = 0; i < per_producer; ++i) {
        uintptr_t item = static_cast<uintptr_t>(p * per_producer + i + 1);
        while (!q.try_push(item)) rejected++;  // retry until taken: each item must arrive once
      }
    });
  for (auto& t : threads) t.join();
  done = true;
  consumer.join();
  for (size_t i = 1; i < seen.size(); ++i) ASSERT_EQ(seen[i], 1) << "item " << i;
}

TEST(mpmc_queue, every_item_exactly_once) {
  mpmc_queue<uintptr_t> q(64);
  every_item_exactly_once(q, 3, 20000);
}

TEST(sharded_queue, every_item_exactly_once_with_tiny_shards) {
  sharded_queue<uintptr_t> q(256);  // 4 shards of 64
  every_item_exactly_once(q, 3, 20000);
}

TEST(sharded_queue, capacity_and_full) {
  sharded_queue<uintptr_t> q(4);
  EXPECT_EQ(q.capacity(), 4u);
  for (uintptr_t i = 1; i <= 4; ++i) EXPECT_GE(q.try_push(i), 1u);
  EXPECT_EQ(q.try_push(5), 0u);
  uintptr_t v;
  EXPECT_TRUE(q.try_pop(v));
  EXPECT_EQ(v, 1u);
  EXPECT_GE(q.try_push(5), 1u);
}

}  // namespace
}  // namespace agtel::detail
