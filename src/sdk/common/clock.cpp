// now_ns(): a TSC clock anchored to CLOCK_REALTIME.
//
// For its first 10 ms the clock is CLOCK_REALTIME while it measures the TSC rate; then
// the anchor (tsc0, ns0, ns-per-tick as 32.32 fixed point) sits behind a seqlock: readers
// take two loads of the sequence and three of the anchor, never a lock. The first reader
// that finds the anchor older than one second renews it: it measures the TSC rate over the
// whole time since the first sample (so the estimate keeps improving) and re-bases on a
// fresh CLOCK_REALTIME reading. Each (TSC, wall clock) sample is the tightest of 8
// brackets, so a preemption between the reads cannot skew it. Without an invariant TSC
// (or off x86-64), and if the wall clock ever steps back past the first sample, it is
// plain CLOCK_REALTIME.
#include "agtel/common/time.hpp"

#include <atomic>
#include <ctime>

#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>
#endif

namespace agtel {

timestamp_ns realtime_ns() noexcept {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<timestamp_ns>(ts.tv_sec) * 1'000'000'000u + static_cast<timestamp_ns>(ts.tv_nsec);
}

#if defined(__x86_64__)
namespace {

__extension__ typedef unsigned __int128 u128;  // GCC/Clang extension; -Wpedantic knows it this way

bool invariant_tsc() noexcept {
  unsigned a, b, c, d;
  if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u) return false;
  __get_cpuid(0x80000007u, &a, &b, &c, &d);
  return d & (1u << 8);
}

struct tsc_clock {
  enum phase : int { calibrating, ready, unusable };

  std::atomic<int> state{calibrating};
  std::atomic<uint64_t> seq{0};  // odd while the anchor is being written
  std::atomic<uint64_t> tsc0{0}, ns0{0}, mult{0};  // ns = ns0 + (tsc - tsc0) * mult >> 32
  std::atomic<uint64_t> renew_after{0};            // tsc at which the anchor is renewed
  uint64_t first_tsc = 0, first_ns = 0;            // the rate is measured from here

  struct sample_pair {
    uint64_t tsc, ns;
  };

  // A (tsc, wall clock) pair read as close together as possible: the best of 8 brackets,
  // so a preemption between the two reads does not skew the calibration.
  static sample_pair sample() noexcept {
    sample_pair best{0, 0};
    uint64_t best_width = UINT64_MAX;
    for (int i = 0; i < 8; ++i) {
      uint64_t t1 = __rdtsc();
      uint64_t n = realtime_ns();
      uint64_t t2 = __rdtsc();
      if (t2 >= t1 && t2 - t1 < best_width) {
        best_width = t2 - t1;
        best = {t1 + (t2 - t1) / 2, n};
      }
    }
    return best;
  }

  tsc_clock() noexcept {
    if (!invariant_tsc()) {
      state.store(unusable);
      return;
    }
    sample_pair p = sample();
    first_tsc = p.tsc;
    first_ns = p.ns;
  }

  static uint64_t one_second_after(uint64_t t, uint64_t m) noexcept {
    return t + (m ? (uint64_t{1'000'000'000} << 32) / m : 0);
  }

  // Measures the rate over everything since the first sample and re-bases on a fresh
  // sample. One thread at a time (the others keep reading the old anchor or spin briefly).
  void reanchor() noexcept {
    uint64_t s = seq.load(std::memory_order_relaxed);
    if (s & 1 || !seq.compare_exchange_strong(s, s + 1, std::memory_order_acquire)) return;
    sample_pair p = sample();
    if (p.tsc > first_tsc && p.ns > first_ns) {
      uint64_t m = static_cast<uint64_t>((static_cast<u128>(p.ns - first_ns) << 32) / (p.tsc - first_tsc));
      tsc0.store(p.tsc, std::memory_order_relaxed);
      ns0.store(p.ns, std::memory_order_relaxed);
      mult.store(m, std::memory_order_relaxed);
      renew_after.store(one_second_after(p.tsc, m), std::memory_order_relaxed);
      state.store(ready, std::memory_order_release);
    } else {
      state.store(unusable, std::memory_order_release);  // the wall clock went back a lot, or no TSC progress
    }
    seq.store(s + 2, std::memory_order_release);
  }

  timestamp_ns now() noexcept {
    if (state.load(std::memory_order_acquire) != ready) [[unlikely]] {
      // Until 10 ms have passed there is no rate good enough: read the wall clock.
      uint64_t n = realtime_ns();
      if (state.load(std::memory_order_relaxed) == calibrating && n - first_ns >= 10'000'000) reanchor();
      return n;
    }
    for (;;) {
      // Acquire loads keep the second read of `seq` after the anchor's (free on x86-64,
      // and unlike a fence, TSan understands them).
      uint64_t s = seq.load(std::memory_order_acquire);
      uint64_t t0 = tsc0.load(std::memory_order_acquire);
      uint64_t n0 = ns0.load(std::memory_order_acquire);
      uint64_t m = mult.load(std::memory_order_acquire);
      if (s & 1 || seq.load(std::memory_order_relaxed) != s) continue;
      uint64_t t = __rdtsc();
      if (t >= renew_after.load(std::memory_order_relaxed)) [[unlikely]] {
        reanchor();
        if (state.load(std::memory_order_acquire) != ready) return realtime_ns();
        continue;
      }
      uint64_t delta = t > t0 ? t - t0 : 0;
      return n0 + static_cast<uint64_t>((static_cast<u128>(delta) * m) >> 32);
    }
  }
};

tsc_clock& clock_instance() noexcept {
  static tsc_clock c;
  return c;
}

}  // namespace

timestamp_ns now_ns() noexcept {
  static tsc_clock& c = clock_instance();
  return c.now();
}
#else
timestamp_ns now_ns() noexcept { return realtime_ns(); }
#endif

}  // namespace agtel
