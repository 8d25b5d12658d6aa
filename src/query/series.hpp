// Stored metric data as the query engine sees it: one metric (its catalogue entry) and the
// series that matched a selection, each with its points in time order. The metric store
// (src/store) decodes its chunks into these; the engine (query.hpp) computes on them.
//
// Values are doubles: integer points are converted (exact up to 2^53). Times are Unix
// nanoseconds as in OTLP. A series' points are sorted by time with no two at the same
// time (the store keeps the last one written).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace agtel::query {

// Label name → value, sorted by name, names unique. A series' labels are its point
// attributes plus the resource's service.name (as "service.name"); values as text
// ("true", "42", "0.5", strings as they are).
using label_set = std::vector<std::pair<std::string, std::string>>;

// The OTLP metric kind, with sums split by monotonicity (a monotonic sum is a counter).
enum class metric_kind : uint8_t {
  gauge = 0,
  counter = 1,        // monotonic sum
  up_down = 2,        // non-monotonic sum: treated like a gauge
  histogram = 3,      // explicit buckets
  exponential_histogram = 4,
};

// OTLP AggregationTemporality (gauges: unspecified).
enum class temporality : uint8_t { unspecified = 0, delta = 1, cumulative = 2 };

struct metric_info {
  std::string name;
  std::string unit;  // UCUM, as received
  std::string description;
  metric_kind kind = metric_kind::gauge;
  query::temporality temporality = temporality::unspecified;
};

// A gauge or sum point. `start_ns` is the start of the aggregation interval (cumulative:
// the stream's start, which changes when the stream restarts; delta: the end of the
// previous interval; 0 when unknown).
struct number_sample {
  int64_t time_ns = 0;
  int64_t start_ns = 0;
  double value = 0;
};

// An explicit-bucket histogram point; counts.size() == bounds.size() + 1 (bucket i covers
// (bounds[i-1], bounds[i]], the last one (bounds.back(), +inf)). sum/min/max are NaN when
// the point had none.
struct histogram_sample {
  int64_t time_ns = 0;
  int64_t start_ns = 0;
  uint64_t count = 0;
  double sum = 0, min = 0, max = 0;
  std::vector<double> bounds;
  std::vector<uint64_t> counts;
};

// A base-2 exponential histogram point (OTLP ExponentialHistogramDataPoint): bucket index
// k covers (base^k, base^(k+1)] with base = 2^(2^-scale); positive[i] counts index
// positive_offset + i, negative[i] the values whose absolute value falls in index
// negative_offset + i.
struct exponential_histogram_sample {
  int64_t time_ns = 0;
  int64_t start_ns = 0;
  uint64_t count = 0;
  double sum = 0, min = 0, max = 0;  // NaN when absent
  int32_t scale = 0;
  uint64_t zero_count = 0;
  double zero_threshold = 0;
  int32_t positive_offset = 0, negative_offset = 0;
  std::vector<uint64_t> positive, negative;
};

// One series: exactly one of the three point lists is used, the one of the metric's kind
// (gauge, counter, up_down: numbers).
struct series {
  label_set labels;
  std::vector<number_sample> numbers;
  std::vector<histogram_sample> histograms;
  std::vector<exponential_histogram_sample> exponential_histograms;
};

// What a selection found: the metric and its matching series (possibly none).
struct series_set {
  metric_info metric;
  std::vector<query::series> series;
};

}  // namespace agtel::query
