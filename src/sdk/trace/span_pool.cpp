// The pool behind span_ptr.
//
// Spans are made on application threads and released on the export thread. Each thread
// keeps a small cache and trades with a shared list 32 objects at a time, so a lock is
// taken about once per 32 spans. The shared list is split into stripes, and every span
// remembers the stripe of the thread that first made it: released spans go back to their
// home stripe, so a thread keeps reusing objects whose cache lines are already on its
// core instead of pulling another thread's.
//
// A released span is cleared when it is next handed out, not when it is released:
// release happens on the export thread, and clearing there would dirty the span's cache
// lines on the export thread's core, only for the application thread to pull them back.
// A recycled span keeps the capacity of its strings and lists, so steady-state span
// creation allocates nothing.
//
// Memory is bounded: each stripe keeps at most `max_pooled_per_stripe` objects and frees
// the rest.
#include <pthread.h>

#include <array>
#include <mutex>
#include <vector>

#include "agtel/trace/span_data.hpp"
#include "sdk/common/detail/mpmc_queue.hpp"

namespace agtel::trace {

struct span_pool_access {
  static uint8_t& home(span_data& s) noexcept { return s.home_; }
};

namespace {

constexpr size_t cache_size = 64;
constexpr size_t trade_size = 32;
constexpr size_t stripe_count = 4;
constexpr size_t max_pooled_per_stripe = 4096;

struct alignas(64) stripe {
  std::mutex mutex;
  std::vector<span_data*> free;
};

struct shared_pool {
  std::array<stripe, stripe_count> stripes;
};

// Leaked on purpose: thread caches flush into it during thread exit, which can run after
// static destructors.
shared_pool& pool() {
  static shared_pool* p = [] {
    auto* sp = new shared_pool;
    // Hold the locks across fork() so the child never inherits one locked mid-update.
    pthread_atfork(
        [] {
          for (auto& s : pool().stripes) s.mutex.lock();
        },
        [] {
          for (auto& s : pool().stripes) s.mutex.unlock();
        },
        [] {
          for (auto& s : pool().stripes) s.mutex.unlock();
        });
    return sp;
  }();
  return *p;
}

uint8_t this_thread_stripe() noexcept {
  return static_cast<uint8_t>(agtel::detail::this_thread_shard_hint() % stripe_count);
}

struct thread_cache {
  std::array<span_data*, cache_size> items;
  size_t count = 0;

  ~thread_cache() { give_back(count); }

  // Returns the top `n` cached objects to their home stripes (or frees them past the bound).
  void give_back(size_t n) noexcept {
    shared_pool& p = pool();
    span_data* moving[cache_size];
    size_t m = 0;
    while (n-- > 0) moving[m++] = items[--count];
    for (size_t st = 0; st < stripe_count; ++st) {
      bool any = false;
      for (size_t i = 0; i < m && !any; ++i) any = moving[i] && span_pool_access::home(*moving[i]) == st;
      if (!any) continue;
      std::lock_guard lock(p.stripes[st].mutex);
      auto& free = p.stripes[st].free;
      for (size_t i = 0; i < m; ++i) {
        if (!moving[i] || span_pool_access::home(*moving[i]) != st) continue;
        if (free.size() < max_pooled_per_stripe) {
          try {
            free.push_back(moving[i]);
            moving[i] = nullptr;
          } catch (...) {
          }
        }
      }
    }
    for (size_t i = 0; i < m; ++i) delete moving[i];  // past the bound (nullptr is a no-op)
  }

  // Refills from this thread's stripe, else from the others.
  void take() noexcept {
    shared_pool& p = pool();
    const size_t home = this_thread_stripe();
    for (size_t k = 0; k < stripe_count && count == 0; ++k) {
      stripe& s = p.stripes[(home + k) % stripe_count];
      std::lock_guard lock(s.mutex);
      while (count < trade_size && !s.free.empty()) {
        items[count++] = s.free.back();
        s.free.pop_back();
      }
    }
  }
};

thread_local thread_cache cache;

}  // namespace

void span_data::reset() noexcept {
  context = {};
  parent_span_id = {};
  parent_is_remote = false;
  name.clear();
  kind = span_kind::internal;
  start_time = end_time = 0;
  attributes.clear();
  events.clear();
  links.clear();
  dropped_events = dropped_links = 0;
  status.code = status_code::unset;
  status.message.clear();
  resource = nullptr;
  scope = nullptr;
}

span_ptr span_ptr::make() {
  thread_cache& c = cache;
  if (c.count == 0) c.take();
  span_data* s;
  if (c.count > 0) {
    s = c.items[--c.count];
    s->reset();
  } else {
    s = new span_data;
    span_pool_access::home(*s) = this_thread_stripe();
  }
  s->refs_.store(1, std::memory_order_relaxed);
  return adopt(s);
}

void span_ptr::recycle(span_data* s) noexcept {
  thread_cache& c = cache;
  if (c.count == cache_size) c.give_back(trade_size);
  c.items[c.count++] = s;
}

}  // namespace agtel::trace
