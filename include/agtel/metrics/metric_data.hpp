// Collected metric data: what a reader produces, what exporters (OTLP, Prometheus, the
// embedded store) consume, and what the OTLP receiver decodes into. It mirrors the
// OpenTelemetry metrics data model (opentelemetry/proto/metrics/v1/metrics.proto):
//
//   resource_metrics ─► scope_metrics (one per instrumentation scope)
//                         ─► metric_data {name, description, unit, data}
//                              data = gauge | sum | histogram | exponential_histogram | summary
//                                       ─► points (attributes, start_time, time, value…, exemplars)
//
// Plain structs with public fields. Lists are `reuse_vector`s: a reader refills the same
// resource_metrics on every collection (a Prometheus scrape, a periodic export), so the
// strings, attribute lists and bucket vectors keep their capacity and a steady-state
// collection allocates little. Build a list with `next()` and overwrite every field of the
// slot it returns (it may hold stale data from an earlier collection).
//
// The SDK never produces `summary_data` (the OpenTelemetry SDK has no summary
// aggregation); it is here so that received OTLP summaries have a place to land.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "agtel/common/attribute.hpp"
#include "agtel/common/resource.hpp"
#include "agtel/common/reuse_vector.hpp"
#include "agtel/common/time.hpp"
#include "agtel/trace/ids.hpp"

namespace agtel::metrics {

// OTLP's AggregationTemporality numbering (0 is "unspecified" on the wire).
enum class aggregation_temporality : uint8_t { unspecified = 0, delta = 1, cumulative = 2 };

// A measurement or aggregated value: integer instruments produce int64_t, floating ones
// double (OTLP NumberDataPoint.value is the same oneof).
using number_value = std::variant<int64_t, double>;

// The value as a double, whichever alternative it holds.
inline double to_double(const number_value& v) noexcept {
  return v.index() == 0 ? static_cast<double>(std::get<0>(v)) : std::get<1>(v);
}

// OTLP DataPointFlags.
inline constexpr uint32_t point_flag_no_recorded_value = 1;

// One sampled measurement kept next to an aggregated point, linking it to the trace that
// was active when it was recorded (a slow histogram bucket → the slow trace).
struct exemplar {
  // The measurement's attributes that the point does not carry (those removed by a view's
  // attribute filter); usually empty.
  attribute_list filtered_attributes;
  timestamp_ns time = 0;
  number_value value = int64_t{0};
  trace::trace_id trace_id;  // invalid (all zero) when recorded outside a span
  trace::span_id span_id;
};

// A sum or gauge point.
struct number_point {
  attribute_list attributes;
  timestamp_ns start_time = 0;  // start of the aggregation interval (0 for gauges if unknown)
  timestamp_ns time = 0;        // when the point was collected
  number_value value = int64_t{0};
  reuse_vector<exemplar> exemplars;
  uint32_t flags = 0;
};

// An explicit-bucket histogram point. Bucket i counts values v with
// bounds[i-1] < v <= bounds[i] (the first bucket is (-inf, bounds[0]], the last
// (bounds.back(), +inf)), so bucket_counts.size() == bounds.size() + 1.
struct histogram_point {
  attribute_list attributes;
  timestamp_ns start_time = 0;
  timestamp_ns time = 0;
  uint64_t count = 0;
  std::optional<double> sum;  // set by the SDK; OTLP allows it absent
  std::optional<double> min;  // absent when count == 0 or not recorded
  std::optional<double> max;
  std::vector<double> bounds;  // strictly increasing, finite
  std::vector<uint64_t> bucket_counts;
  reuse_vector<exemplar> exemplars;
  uint32_t flags = 0;
};

// One side (positive or negative values) of an exponential histogram. counts[i] counts the
// values whose bucket index is offset + i; bucket index k covers (base^k, base^(k+1)] with
// base = 2^(2^-scale).
struct exponential_buckets {
  int32_t offset = 0;
  std::vector<uint64_t> counts;
};

// A base-2 exponential histogram point (OTLP ExponentialHistogramDataPoint).
struct exponential_histogram_point {
  attribute_list attributes;
  timestamp_ns start_time = 0;
  timestamp_ns time = 0;
  uint64_t count = 0;  // == zero_count + every positive and negative bucket count
  std::optional<double> sum;
  int32_t scale = 0;
  uint64_t zero_count = 0;      // values with |v| <= zero_threshold
  double zero_threshold = 0.0;  // 0: only exact zeros
  exponential_buckets positive;
  exponential_buckets negative;
  std::optional<double> min;
  std::optional<double> max;
  reuse_vector<exemplar> exemplars;
  uint32_t flags = 0;
};

// A received summary point (never produced by the SDK).
struct summary_point {
  struct quantile_value {
    double quantile = 0;  // in [0, 1]
    double value = 0;
  };
  attribute_list attributes;
  timestamp_ns start_time = 0;
  timestamp_ns time = 0;
  uint64_t count = 0;
  double sum = 0;
  std::vector<quantile_value> quantiles;
  uint32_t flags = 0;
};

// Last-value data (Gauge, observable gauge). No temporality.
struct gauge_data {
  reuse_vector<number_point> points;
};

// Sums (counters, up-down counters and their observable forms).
struct sum_data {
  aggregation_temporality temporality = aggregation_temporality::cumulative;
  bool monotonic = false;  // true for counters: Prometheus exposes these as *_total
  reuse_vector<number_point> points;
};

struct histogram_data {
  aggregation_temporality temporality = aggregation_temporality::cumulative;
  reuse_vector<histogram_point> points;
};

struct exponential_histogram_data {
  aggregation_temporality temporality = aggregation_temporality::cumulative;
  reuse_vector<exponential_histogram_point> points;
};

struct summary_data {
  reuse_vector<summary_point> points;
};

// One metric stream: an instrument's data after views (a view may rename it).
struct metric_data {
  std::string name;
  std::string description;
  std::string unit;  // UCUM, e.g. "s", "By", "{token}", "1"
  std::variant<gauge_data, sum_data, histogram_data, exponential_histogram_data, summary_data> data;
};

// The metrics of one instrumentation scope (one meter).
struct scope_metrics {
  // Owned by the meter provider (SDK) or by the decoded batch (receiver); never null in
  // data the SDK produces.
  const instrumentation_scope* scope = nullptr;
  reuse_vector<metric_data> metrics;
};

// Everything one collection produced, for one resource.
struct resource_metrics {
  // Owned by the meter provider (SDK) or by the decoded batch (receiver).
  const agtel::resource* resource = nullptr;
  reuse_vector<scope_metrics> scopes;

  // Empties the lists for a refill; keeps their storage.
  void clear() noexcept { scopes.clear(); }
};

}  // namespace agtel::metrics
