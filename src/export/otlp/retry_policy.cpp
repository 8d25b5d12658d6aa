#include "export/otlp/retry_policy.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace agtel::exporter::otlp_detail {

using std::chrono::milliseconds;

std::optional<milliseconds> next_retry_delay(const retry_policy& policy, int attempts_made,
                                             milliseconds retry_after,
                                             std::chrono::nanoseconds time_left,
                                             double random01) noexcept {
  if (attempts_made >= policy.max_attempts) return std::nullopt;
  milliseconds wait;
  if (retry_after.count() >= 0) {
    wait = retry_after;
  } else {
    // Computed in double: multiplier^n overflows no integer, and the cap applies before
    // the conversion back.
    const double initial =
        static_cast<double>(std::max<int64_t>(0, policy.initial_backoff.count()));
    const double cap = static_cast<double>(std::max<int64_t>(0, policy.max_backoff.count()));
    const double multiplier =
        std::isfinite(policy.multiplier) && policy.multiplier >= 1.0 ? policy.multiplier : 1.0;
    const double base =
        std::min(cap, initial * std::pow(multiplier, std::max(0, attempts_made - 1)));
    const double jitter = 0.8 + 0.4 * std::clamp(random01, 0.0, 1.0);  // ±20%
    wait = milliseconds(static_cast<int64_t>(base * jitter));
  }
  // The retry must start before the deadline: a wait that ends at or after it would
  // only delay the failure.
  if (wait >= time_left) return std::nullopt;
  return wait;
}

milliseconds parse_retry_after(std::string_view value, std::time_t now) noexcept {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!value.empty() && space(value.front())) value.remove_prefix(1);
  while (!value.empty() && space(value.back())) value.remove_suffix(1);
  if (value.empty() || value.size() > 64) return milliseconds(-1);
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    // delay-seconds; anything above a day is clamped (the export timeout is far shorter
    // anyway, so the caller gives up either way).
    int64_t seconds = 0;
    for (char c : value) {
      seconds = seconds * 10 + (c - '0');
      if (seconds > 86400) return std::chrono::seconds(86400);
    }
    return std::chrono::seconds(seconds);
  }
  // HTTP-date: libcurl's parser reads all three forms RFC 9110 requires a recipient to
  // accept. It needs a NUL-terminated string.
  char text[65];  // value is at most 64 characters here
  value.copy(text, value.size());
  text[value.size()] = '\0';
  const std::time_t when = curl_getdate(text, nullptr);
  if (when == -1) return milliseconds(-1);
  return when <= now ? milliseconds(0) : std::chrono::seconds(std::min<int64_t>(when - now, 86400));
}

}  // namespace agtel::exporter::otlp_detail
