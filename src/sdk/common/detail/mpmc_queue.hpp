// Bounded lock-free queues for handing telemetry from application threads to an export
// thread.
//
// `mpmc_queue` is Dmitry Vyukov's bounded MPMC queue: each cell carries a sequence number,
// so a push is one CAS on the enqueue counter plus one release store, and a full queue is
// detected without locks. Capacity is a power of two.
//
// `sharded_queue` spreads producers over a few such queues so that two threads pushing at
// once do not bounce one counter's cache line between their cores: each thread has a home
// shard, and tries the others only when its own is full, so the total capacity is still
// usable by a single busy thread. FIFO holds per shard, not across shards; export order
// does not matter to the consumers here (each span carries its own timestamps).
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace agtel::detail {

template <class T>
class mpmc_queue {
 public:
  explicit mpmc_queue(size_t min_capacity)
      : capacity_(std::bit_ceil(min_capacity < 2 ? size_t{2} : min_capacity)),
        mask_(capacity_ - 1),
        cells_(std::make_unique<cell[]>(capacity_)) {
    for (size_t i = 0; i < capacity_; ++i) cells_[i].seq.store(i, std::memory_order_relaxed);
  }

  bool try_push(T value) noexcept {
    size_t pos = enqueue_pos_.load(std::memory_order_relaxed);
    for (;;) {
      cell& c = cells_[pos & mask_];
      size_t seq = c.seq.load(std::memory_order_acquire);
      auto dif = static_cast<intptr_t>(seq) - static_cast<intptr_t>(pos);
      if (dif == 0) {
        if (enqueue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          c.value = value;
          c.seq.store(pos + 1, std::memory_order_release);
          return true;
        }
      } else if (dif < 0) {
        return false;  // full
      } else {
        pos = enqueue_pos_.load(std::memory_order_relaxed);
      }
    }
  }

  bool try_pop(T& out) noexcept {
    size_t pos = dequeue_pos_.load(std::memory_order_relaxed);
    for (;;) {
      cell& c = cells_[pos & mask_];
      size_t seq = c.seq.load(std::memory_order_acquire);
      auto dif = static_cast<intptr_t>(seq) - static_cast<intptr_t>(pos + 1);
      if (dif == 0) {
        if (dequeue_pos_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) {
          out = c.value;
          c.seq.store(pos + mask_ + 1, std::memory_order_release);
          return true;
        }
      } else if (dif < 0) {
        return false;  // empty
      } else {
        pos = dequeue_pos_.load(std::memory_order_relaxed);
      }
    }
  }

  // May be stale by the time it returns; good for wake-up decisions and gauges.
  size_t approx_size() const noexcept {
    size_t e = enqueue_pos_.load(std::memory_order_relaxed);
    size_t d = dequeue_pos_.load(std::memory_order_relaxed);
    return e > d ? e - d : 0;
  }
  size_t capacity() const noexcept { return capacity_; }

 private:
  struct cell {
    std::atomic<size_t> seq;
    T value;
  };
  const size_t capacity_;
  const size_t mask_;
  std::unique_ptr<cell[]> cells_;
  alignas(64) std::atomic<size_t> enqueue_pos_{0};
  alignas(64) std::atomic<size_t> dequeue_pos_{0};
};

// Per-thread home shard index; assigned round-robin on a thread's first push.
unsigned this_thread_shard_hint() noexcept;

template <class T>
class sharded_queue {
 public:
  // Capacity `max_size` is split over the shards (each rounded up to a power of two); small
  // queues use one shard so the bound stays close to what was asked.
  explicit sharded_queue(size_t max_size) {
    size_t shards = max_size >= 256 ? 4 : 1;
    size_t per_shard = (max_size + shards - 1) / shards;
    for (size_t i = 0; i < shards; ++i) shards_.push_back(std::make_unique<shard>(per_shard));
  }

  // Pushes to the calling thread's home shard, else to the first other shard with room.
  // Returns 0 when every shard is full (the value was not taken); otherwise the fill of
  // the shard it went to, at least 1 (the consumer may already have drained it, value
  // included, by the time the fill is read).
  size_t try_push(T value) noexcept {
    const size_t n = shards_.size();
    const size_t home = n == 1 ? 0 : this_thread_shard_hint() % n;
    for (size_t i = 0; i < n; ++i) {
      shard& s = *shards_[(home + i) % n];
      if (s.queue.try_push(value)) return std::max<size_t>(1, s.queue.approx_size());
    }
    return 0;
  }

  // Pops from the shards in turn; false when all are empty.
  bool try_pop(T& out) noexcept {
    for (size_t i = 0; i < shards_.size(); ++i) {
      shard& s = *shards_[(next_pop_ + i) % shards_.size()];
      if (s.queue.try_pop(out)) {
        next_pop_ = (next_pop_ + i + 1) % shards_.size();
        return true;
      }
    }
    return false;
  }

  size_t approx_size() const noexcept {
    size_t total = 0;
    for (const auto& s : shards_) total += s->queue.approx_size();
    return total;
  }
  size_t capacity() const noexcept { return shards_.size() * shards_[0]->queue.capacity(); }
  size_t shard_count() const noexcept { return shards_.size(); }

 private:
  struct shard {
    explicit shard(size_t cap) : queue(cap) {}
    mpmc_queue<T> queue;
  };
  std::vector<std::unique_ptr<shard>> shards_;
  size_t next_pop_ = 0;  // consumer-side only
};

}  // namespace agtel::detail
