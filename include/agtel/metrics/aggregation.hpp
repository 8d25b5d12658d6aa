// How a metric stream aggregates measurements. The default depends on the instrument
// kind (the OpenTelemetry rule): counters and up-down counters → sum, gauges → last
// value, histograms → explicit-bucket histogram (with the instrument's advisory buckets,
// else buckets::otel_default). A view can choose another.
#pragma once

#include <cstdint>
#include <variant>
#include <vector>

namespace agtel::metrics {

struct default_aggregation {};
// Records nothing; the stream is not exported.
struct drop_aggregation {};
struct sum_aggregation {};
struct last_value_aggregation {};

struct explicit_bucket_histogram_aggregation {
  // Strictly increasing, finite upper bounds. Empty: the instrument's advisory buckets if
  // any, else buckets::otel_default. Invalid bounds are reported and replaced by the default.
  std::vector<double> bounds;
  bool record_min_max = true;
};

// Base-2 exponential histogram (the OpenTelemetry spec's): the scale starts at max_scale
// and drops by one each time the recorded range needs more than max_size buckets.
struct exponential_histogram_aggregation {
  int32_t max_size = 160;  // buckets per sign; at least 2
  int32_t max_scale = 20;  // in [-10, 20]
  bool record_min_max = true;
};

using aggregation =
    std::variant<default_aggregation, drop_aggregation, sum_aggregation, last_value_aggregation,
                 explicit_bucket_histogram_aggregation, exponential_histogram_aggregation>;

}  // namespace agtel::metrics
