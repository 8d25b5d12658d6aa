// Timestamps are nanoseconds since the Unix epoch (the OpenTelemetry wire format).
#pragma once

#include <chrono>
#include <cstdint>

namespace agtel {

using timestamp_ns = uint64_t;

// Wall-clock time in ns since the epoch, for span and event timestamps.
//
// On x86-64 with an invariant TSC this reads the TSC (about 10 ns, against about 30 ns
// for clock_gettime under a kvm-clock) and converts it with a calibration that is renewed
// against CLOCK_REALTIME every second, so it follows the wall clock to within
// microseconds and picks up clock steps within a second. Elsewhere it is CLOCK_REALTIME.
timestamp_ns now_ns() noexcept;

// CLOCK_REALTIME itself.
timestamp_ns realtime_ns() noexcept;

// A point on the monotonic clock, for deadlines and timeouts.
using steady_time = std::chrono::steady_clock::time_point;

}  // namespace agtel
