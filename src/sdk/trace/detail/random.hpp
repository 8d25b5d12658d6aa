// Random trace and span ids: a per-thread xoshiro256++ generator seeded from getrandom().
//
// xoshiro256++ (Blackman and Vigna, 2019) passes BigCrush and costs about 1 ns per 64 bits;
// ids need uniqueness, not secrecy. The generator is inline so that a span start pays no
// call per id. After fork() the child reseeds (pthread_atfork), so a parent and its child
// never produce the same ids.
#pragma once

#include <cstdint>
#include <cstring>

#include "agtel/trace/ids.hpp"

namespace agtel::trace::detail {

struct xoshiro256pp {
  uint64_t s[4];
  bool seeded;
};

inline thread_local xoshiro256pp rng_state{{0, 0, 0, 0}, false};

// Seeds this thread's generator (and registers the fork handler once).
void seed_this_thread() noexcept;

inline uint64_t random_u64() noexcept {
  xoshiro256pp& g = rng_state;
  if (!g.seeded) [[unlikely]]
    seed_this_thread();
  uint64_t* s = g.s;
  auto rotl = [](uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
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

// Never all-zero.
inline trace_id random_trace_id() noexcept {
  uint64_t hi, lo;
  do {
    hi = random_u64();
    lo = random_u64();
  } while ((hi | lo) == 0);
  std::array<uint8_t, 16> b;
  std::memcpy(b.data(), &hi, 8);
  std::memcpy(b.data() + 8, &lo, 8);
  return trace_id(b);
}

// Never all-zero.
inline span_id random_span_id() noexcept {
  uint64_t v;
  do v = random_u64();
  while (v == 0);
  std::array<uint8_t, 8> b;
  std::memcpy(b.data(), &v, 8);
  return span_id(b);
}

}  // namespace agtel::trace::detail
