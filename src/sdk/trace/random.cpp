#include "sdk/trace/detail/random.hpp"

#include <pthread.h>
#include <sys/random.h>

#include <chrono>
#include <cstring>
#include <mutex>

namespace agtel::trace::detail {
namespace {

struct xoshiro256pp {
  uint64_t s[4];
  bool seeded;
};

thread_local xoshiro256pp rng{{0, 0, 0, 0}, false};

uint64_t rotl(uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

uint64_t splitmix64(uint64_t& x) noexcept {
  uint64_t z = (x += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

void seed(xoshiro256pp& g) noexcept {
  uint64_t seed_bytes[4] = {};
  ssize_t got = getrandom(seed_bytes, sizeof seed_bytes, GRND_NONBLOCK);
  if (got != static_cast<ssize_t>(sizeof seed_bytes)) {
    // No entropy yet (early boot) or no getrandom: mix the clock, the thread and the stack
    // address. Ids stay unique in practice; they were never secrets.
    uint64_t x = static_cast<uint64_t>(std::chrono::high_resolution_clock::now().time_since_epoch().count()) ^
                 reinterpret_cast<uintptr_t>(&g) ^ static_cast<uint64_t>(pthread_self());
    for (auto& w : seed_bytes) w ^= splitmix64(x);
  }
  std::memcpy(g.s, seed_bytes, sizeof g.s);
  if ((g.s[0] | g.s[1] | g.s[2] | g.s[3]) == 0) g.s[0] = 1;  // the one bad state
  g.seeded = true;
}

// In the child, only the forking thread exists: reseed its generator (the others are gone).
void reseed_after_fork() noexcept { seed(rng); }

std::once_flag atfork_once;

}  // namespace

uint64_t random_u64() noexcept {
  xoshiro256pp& g = rng;
  if (!g.seeded) [[unlikely]] {
    std::call_once(atfork_once, [] { pthread_atfork(nullptr, nullptr, reseed_after_fork); });
    seed(g);
  }
  uint64_t* s = g.s;
  const uint64_t result = rotl(s[0] + s[3], 23) + s[0];
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

trace_id random_trace_id() noexcept {
  std::array<uint8_t, 16> b;
  uint64_t hi, lo;
  do {
    hi = random_u64();
    lo = random_u64();
  } while ((hi | lo) == 0);
  std::memcpy(b.data(), &hi, 8);
  std::memcpy(b.data() + 8, &lo, 8);
  return trace_id(b);
}

span_id random_span_id() noexcept {
  std::array<uint8_t, 8> b;
  uint64_t v;
  do v = random_u64();
  while (v == 0);
  std::memcpy(b.data(), &v, 8);
  return span_id(b);
}

}  // namespace agtel::trace::detail
