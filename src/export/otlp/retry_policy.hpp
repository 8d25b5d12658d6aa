// When to retry an OTLP export, and how long to wait first.
//
// Pure functions, so that the policy is tested without a network or a clock: the caller
// passes the attempt count, the time left before its deadline and a random number.
//
// The schedule is the one the OTLP exporter specification asks for ("exponential backoff
// with jitter"): the n-th retry waits initial_backoff * multiplier^(n-1), capped at
// max_backoff, then jittered by ±20% (the spread gRPC's connection backoff and the
// OpenTelemetry JS exporters use) so that many exporters knocked out by one outage do not
// come back in lockstep. A server's Retry-After / RetryInfo replaces the computed wait
// (without jitter: the server asked for that time). No retry is made that could not start
// before the deadline, and none after max_attempts attempts.
#pragma once

#include <chrono>
#include <ctime>
#include <optional>
#include <string_view>

namespace agtel::exporter::otlp_detail {

struct retry_policy {
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{5000};
  double multiplier = 1.5;
  int max_attempts = 5;  // the first attempt included; 1 means never retry
};

// The wait before the next attempt, or nullopt when the export must give up now.
//   attempts_made  attempts already sent (>= 1)
//   retry_after    the server's requested delay; negative when it gave none
//   time_left      until the export's deadline
//   random01       uniform in [0, 1), the jitter's source
std::optional<std::chrono::milliseconds> next_retry_delay(const retry_policy& policy,
                                                          int attempts_made,
                                                          std::chrono::milliseconds retry_after,
                                                          std::chrono::nanoseconds time_left,
                                                          double random01) noexcept;

// An HTTP Retry-After value (RFC 9110 §10.2.3): delay-seconds ("120") or an HTTP-date
// ("Wed, 21 Oct 2015 07:28:00 GMT", and the obsolete RFC 850 and asctime forms), taken
// relative to `now`. A date in the past is 0. Negative (-1 ms) when the value is neither.
std::chrono::milliseconds parse_retry_after(std::string_view value, std::time_t now) noexcept;

}  // namespace agtel::exporter::otlp_detail
