// The kinds of instrument the metrics API offers. Views select on them, and exporters
// and readers choose a temporality per kind.
#pragma once

#include <cstdint>
#include <string_view>

namespace agtel::metrics {

enum class instrument_kind : uint8_t {
  counter,                     // monotonic sum, recorded synchronously
  up_down_counter,             // non-monotonic sum
  histogram,                   // distribution (explicit buckets by default)
  gauge,                       // last value, recorded synchronously
  observable_counter,          // monotonic sum reported by a callback (a cumulative total)
  observable_up_down_counter,  // non-monotonic sum reported by a callback
  observable_gauge,            // last value reported by a callback
};

inline constexpr int instrument_kind_count = 7;

constexpr std::string_view to_string(instrument_kind k) noexcept {
  switch (k) {
    case instrument_kind::counter:
      return "counter";
    case instrument_kind::up_down_counter:
      return "up_down_counter";
    case instrument_kind::histogram:
      return "histogram";
    case instrument_kind::gauge:
      return "gauge";
    case instrument_kind::observable_counter:
      return "observable_counter";
    case instrument_kind::observable_up_down_counter:
      return "observable_up_down_counter";
    case instrument_kind::observable_gauge:
      return "observable_gauge";
  }
  return "?";
}

}  // namespace agtel::metrics
