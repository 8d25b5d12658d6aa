// now_ns(): a TSC clock anchored to CLOCK_REALTIME.
//
// The anchor (tsc0, ns0, ns-per-tick as 32.32 fixed point) sits behind a seqlock: readers
// take two loads of the sequence and three of the anchor, never a lock. The first reader
// that finds the anchor older than one second renews it: it measures the TSC rate over the
// whole time since the first anchor (so the rate estimate keeps improving) and re-bases
// on a fresh CLOCK_REALTIME reading. Without an invariant TSC (or off x86-64), it is plain
// CLOCK_REALTIME.
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
  std::atomic<uint64_t> seq{0};  // odd while the anchor is being written
  std::atomic<uint64_t> tsc0{0}, ns0{0}, mult{0};  // ns = ns0 + (tsc - tsc0) * mult >> 32
  std::atomic<uint64_t> renew_after{0};            // tsc at which the anchor is renewed
  uint64_t first_tsc = 0, first_ns = 0;            // the calibration base (written under seq)
  bool usable = false;

  tsc_clock() noexcept {
    usable = invariant_tsc();
    if (!usable) return;
    // Initial rate over ~200 us: coarse (good to ~0.1%), refined at every renewal.
    first_tsc = __rdtsc();
    first_ns = realtime_ns();
    uint64_t t, n;
    do {
      t = __rdtsc();
      n = realtime_ns();
    } while (n - first_ns < 200'000);
    store(t, n, rate(t - first_tsc, n - first_ns));
  }

  static uint64_t rate(uint64_t ticks, uint64_t ns) noexcept {
    return ticks ? static_cast<uint64_t>((static_cast<u128>(ns) << 32) / ticks) : 0;
  }

  static uint64_t one_second_after(uint64_t t, uint64_t m) noexcept {
    return t + (m ? (uint64_t{1'000'000'000} << 32) / m : 0);
  }

  void store(uint64_t t, uint64_t n, uint64_t m) noexcept {
    seq.fetch_add(1, std::memory_order_acq_rel);
    tsc0.store(t, std::memory_order_relaxed);
    ns0.store(n, std::memory_order_relaxed);
    mult.store(m, std::memory_order_relaxed);
    renew_after.store(one_second_after(t, m), std::memory_order_relaxed);
    seq.fetch_add(1, std::memory_order_release);
  }

  void renew() noexcept {
    uint64_t s = seq.load(std::memory_order_relaxed);
    if (s & 1 || !seq.compare_exchange_strong(s, s + 1, std::memory_order_acquire)) return;  // someone else is renewing
    uint64_t t = __rdtsc();
    uint64_t n = realtime_ns();
    uint64_t m = n > first_ns ? rate(t - first_tsc, n - first_ns) : mult.load(std::memory_order_relaxed);
    tsc0.store(t, std::memory_order_relaxed);
    ns0.store(n, std::memory_order_relaxed);
    mult.store(m, std::memory_order_relaxed);
    renew_after.store(one_second_after(t, m), std::memory_order_relaxed);
    seq.store(s + 2, std::memory_order_release);
  }

  timestamp_ns now() noexcept {
    for (;;) {
      uint64_t s = seq.load(std::memory_order_acquire);
      uint64_t t0 = tsc0.load(std::memory_order_relaxed);
      uint64_t n0 = ns0.load(std::memory_order_relaxed);
      uint64_t m = mult.load(std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_acquire);
      if (s & 1 || seq.load(std::memory_order_relaxed) != s) continue;
      uint64_t t = __rdtsc();
      if (t >= renew_after.load(std::memory_order_relaxed)) [[unlikely]] {
        renew();
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
  return c.usable ? c.now() : realtime_ns();
}
#else
timestamp_ns now_ns() noexcept { return realtime_ns(); }
#endif

}  // namespace agtel
