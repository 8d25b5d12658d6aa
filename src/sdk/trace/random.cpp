#include "sdk/trace/detail/random.hpp"

#include <pthread.h>
#include <sys/random.h>

#include <chrono>
#include <mutex>

namespace agtel::trace::detail {
namespace {

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
void reseed_after_fork() noexcept { seed(rng_state); }

std::once_flag atfork_once;

}  // namespace

void seed_this_thread() noexcept {
  std::call_once(atfork_once, [] { pthread_atfork(nullptr, nullptr, reseed_after_fork); });
  seed(rng_state);
}

}  // namespace agtel::trace::detail
