// Timestamps are nanoseconds since the Unix epoch (the OpenTelemetry wire format).
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>

namespace agtel {

using timestamp_ns = uint64_t;

// Wall-clock time (CLOCK_REALTIME) in ns since the epoch; about 20 ns through the vDSO.
inline timestamp_ns now_ns() noexcept {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<timestamp_ns>(ts.tv_sec) * 1'000'000'000u + static_cast<timestamp_ns>(ts.tv_nsec);
}

// A point on the monotonic clock, for deadlines and timeouts.
using steady_time = std::chrono::steady_clock::time_point;

}  // namespace agtel
