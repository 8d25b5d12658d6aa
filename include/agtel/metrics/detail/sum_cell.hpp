// SDK internals that the inline hot path of bound instruments needs. Not API.
//
// A sum cell is one series' running sum, split into stripes on separate cache lines: each
// thread adds to the stripe of its own index, so two threads adding to the same series do
// not bounce one cache line between cores. A collection takes (exchanges to zero) every
// stripe, so what it reads is exactly what was added since the previous take.
#pragma once

#include <atomic>
#include <cstdint>

namespace agtel::metrics::detail {

inline constexpr unsigned sum_stripes = 4;

// A new stripe index for the calling thread (round robin over threads).
unsigned assign_stripe() noexcept;

// The calling thread's stripe (assigned on first use).
inline unsigned this_thread_stripe() noexcept {
  // 1 + the index; 0 means not assigned yet. Constant-initialized: no TLS guard.
  static constinit thread_local __attribute__((tls_model("initial-exec"))) unsigned stripe = 0;
  if (stripe == 0) [[unlikely]]
    stripe = assign_stripe() + 1;
  return stripe - 1;
}

template <class T>
struct sum_cell {
  struct alignas(64) stripe {
    std::atomic<T> value{0};
    std::atomic<bool> touched{false};  // a measurement arrived since the last take
  };
  stripe stripes[sum_stripes];

  void add(T v) noexcept {
    stripe& s = stripes[this_thread_stripe()];
    s.value.fetch_add(v, std::memory_order_relaxed);
    if (!s.touched.load(std::memory_order_relaxed))
      s.touched.store(true, std::memory_order_relaxed);
  }
  // What was added since the last take; `touched` says whether anything was.
  T take(bool& touched) noexcept {
    T sum = 0;
    touched = false;
    for (stripe& s : stripes) {
      if (s.touched.exchange(false, std::memory_order_relaxed)) touched = true;
      sum += s.value.exchange(0, std::memory_order_relaxed);
    }
    if (sum != 0) touched = true;  // an add whose flag store raced with this take
    return sum;
  }
};

}  // namespace agtel::metrics::detail
