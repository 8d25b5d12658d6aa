// The pool behind span_ptr and log_record_ptr: one mechanism for every pooled record type.
//
// Records are made on application threads and released on the export thread. Each thread
// keeps a small cache and trades with a shared list 32 objects at a time, so a lock is
// taken about once per 32 records. The shared list is split into stripes, and every
// object remembers the stripe of the thread that first made it: released objects go back
// to their home stripe, so a thread keeps reusing objects whose cache lines are already on
// its core instead of pulling another thread's.
//
// A released object is cleared (`T::reset()`) when it is next handed out, not when it is
// released: release happens on the export thread, and clearing there would dirty the
// object's cache lines on the export thread's core, only for the application thread to
// pull them back. A recycled object keeps the capacity of its strings and lists, so
// steady-state record creation allocates nothing.
//
// Memory is bounded: each stripe keeps at most `max_pooled_per_stripe` objects and frees
// the rest.
//
// `Access` reaches the object's private home-stripe byte: `static uint8_t& home(T&)`.
//
// Each user defines the per-thread cache itself, in its own .cpp:
//
//   using pool = object_pool<span_data, span_pool_access>;
//   thread_local pool::thread_cache cache;   // in an anonymous namespace
//   ... pool::acquire(cache) ... pool::release(cache, p) ...
//
// (A thread_local static member of the template would be an inline variable, whose every
// access calls a TLS init wrapper; a file-local one costs a guard byte test: 3-4 ns less
// per record, measured in trace_bench.)
#pragma once

#include <pthread.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

#include "sdk/common/detail/mpmc_queue.hpp"

namespace agtel::detail {

template <class T, class Access>
class object_pool {
 public:
  struct thread_cache;  // defined below; one per thread per record type

  // A reset object from the calling thread's cache `c`, or a new one (may throw bad_alloc).
  static T* acquire(thread_cache& c) {
    if (c.count == 0) c.take();
    if (c.count > 0) {
      T* p = c.items[--c.count];
      p->reset();
      return p;
    }
    T* p = new T;
    Access::home(*p) = this_thread_stripe();
    return p;
  }

  // Takes back an object nobody references any more.
  static void release(thread_cache& c, T* p) noexcept {
    if (c.count == cache_size) c.give_back(trade_size);
    c.items[c.count++] = p;
  }

 private:
  static constexpr size_t cache_size = 64;
  static constexpr size_t trade_size = 32;
  static constexpr size_t stripe_count = 4;
  static constexpr size_t max_pooled_per_stripe = 4096;

  struct alignas(64) stripe {
    std::mutex mutex;
    std::vector<T*> free;
  };
  using shared_pool = std::array<stripe, stripe_count>;

  // Leaked on purpose: thread caches flush into it during thread exit, which can run
  // after static destructors.
  static shared_pool& pool() {
    static shared_pool* p = [] {
      auto* sp = new shared_pool;
      // Hold the locks across fork() so the child never inherits one locked mid-update.
      pthread_atfork(
          [] {
            for (auto& s : pool()) s.mutex.lock();
          },
          [] {
            for (auto& s : pool()) s.mutex.unlock();
          },
          [] {
            for (auto& s : pool()) s.mutex.unlock();
          });
      return sp;
    }();
    return *p;
  }

  static uint8_t this_thread_stripe() noexcept {
    return static_cast<uint8_t>(this_thread_shard_hint() % stripe_count);
  }

 public:
  struct thread_cache {
    std::array<T*, cache_size> items;
    size_t count = 0;

    ~thread_cache() { give_back(count); }

    // Returns the top `n` cached objects to their home stripes (or frees them past the bound).
    void give_back(size_t n) noexcept {
      shared_pool& p = pool();
      T* moving[cache_size];
      size_t m = 0;
      while (n-- > 0) moving[m++] = items[--count];
      for (size_t st = 0; st < stripe_count; ++st) {
        bool any = false;
        for (size_t i = 0; i < m && !any; ++i) any = moving[i] && Access::home(*moving[i]) == st;
        if (!any) continue;
        std::lock_guard lock(p[st].mutex);
        auto& free = p[st].free;
        for (size_t i = 0; i < m; ++i) {
          if (!moving[i] || Access::home(*moving[i]) != st) continue;
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
        stripe& s = p[(home + k) % stripe_count];
        std::lock_guard lock(s.mutex);
        while (count < trade_size && !s.free.empty()) {
          items[count++] = s.free.back();
          s.free.pop_back();
        }
      }
    }
  };
};

}  // namespace agtel::detail
