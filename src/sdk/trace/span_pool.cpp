// The pool behind span_ptr. Spans are made on application threads and released on the
// export thread, so a plain free list would bounce between them on every span; instead
// each thread keeps a small cache and trades with a shared list 32 objects at a time, so
// the shared lock is taken about once per 32 spans. A recycled span keeps the capacity of
// its strings and lists, so steady-state span creation allocates nothing.
//
// Memory is bounded: the shared list keeps at most `max_pooled` objects and frees the rest.
#include <pthread.h>

#include <array>
#include <mutex>
#include <vector>

#include "agtel/trace/span_data.hpp"

namespace agtel::trace {
namespace {

constexpr size_t cache_size = 64;
constexpr size_t trade_size = 32;
constexpr size_t max_pooled = 16384;

struct shared_pool {
  std::mutex mutex;
  std::vector<span_data*> free;
};

// Leaked on purpose: thread caches flush into it during thread exit, which can run after
// static destructors.
shared_pool& pool() {
  static shared_pool* p = [] {
    auto* sp = new shared_pool;
    sp->free.reserve(1024);
    // Hold the lock across fork() so the child never inherits it locked mid-update.
    pthread_atfork([] { pool().mutex.lock(); }, [] { pool().mutex.unlock(); },
                   [] { pool().mutex.unlock(); });
    return sp;
  }();
  return *p;
}

struct thread_cache {
  std::array<span_data*, cache_size> items;
  size_t count = 0;

  ~thread_cache() {
    give_back(count);
  }

  // Moves the top `n` cached objects to the shared list (or frees them past its bound).
  void give_back(size_t n) noexcept {
    shared_pool& p = pool();
    std::vector<span_data*> excess;
    {
      std::lock_guard lock(p.mutex);
      while (n > 0) {
        span_data* s = items[--count];
        --n;
        if (p.free.size() < max_pooled)
          p.free.push_back(s);
        else
          excess.push_back(s);
      }
    }
    for (span_data* s : excess) delete s;
  }

  void take() noexcept {
    shared_pool& p = pool();
    std::lock_guard lock(p.mutex);
    while (count < trade_size && !p.free.empty()) {
      items[count++] = p.free.back();
      p.free.pop_back();
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
  span_data* s = c.count > 0 ? c.items[--c.count] : new span_data;
  s->refs_.store(1, std::memory_order_relaxed);
  return adopt(s);
}

void span_ptr::recycle(span_data* s) noexcept {
  s->reset();
  thread_cache& c = cache;
  if (c.count == cache_size) c.give_back(trade_size);
  c.items[c.count++] = s;
}

}  // namespace agtel::trace
