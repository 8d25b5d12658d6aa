// Delta base-2 exponential histograms (OTLP ExponentialHistogramDataPoint): differences
// of cumulative points, merges across scales and zero thresholds, quantiles.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "query/series.hpp"

namespace agtel::query {

// Counts of consecutive bucket indexes from `offset`.
struct exponential_buckets {
  int32_t offset = 0;
  std::vector<uint64_t> counts;

  uint64_t at(int64_t index) const {
    const int64_t i = index - offset;
    return i >= 0 && i < static_cast<int64_t>(counts.size()) ? counts[static_cast<size_t>(i)] : 0;
  }
  void add(int32_t index, uint64_t n);
  // Halves the resolution `by` times: index k becomes k >> by (floor, also for negative k).
  void downscale(int32_t by);
};

// As explicit_histogram: min/max ±Inf before any observation, NaN once one with unknown
// min/max was added.
struct exponential_histogram {
  bool has_data = false;  // anything added yet (fixes the scale)
  uint64_t count = 0;
  double sum = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  int32_t scale = 0;
  double zero_threshold = 0;
  uint64_t zero_count = 0;
  exponential_buckets positive, negative;

  void clear();  // keeps the capacity
};

// Scales outside OTLP's [-10, 20] are not trusted.
bool valid(const exponential_histogram_sample& p);

void add_point(exponential_histogram& acc, const exponential_histogram_sample& p);

// Adds p − prev when p continues prev (same start and zero threshold, no count decreasing
// once both are at the smaller of their scales: SDKs downscale a cumulative stream as its
// range grows); false, acc unchanged, on a reset.
bool add_difference(exponential_histogram& acc, const exponential_histogram_sample& p,
                    const exponential_histogram_sample& prev);

// acc += h at the smaller scale and the larger zero threshold (buckets wholly inside it
// join the zero bucket).
void merge(exponential_histogram& acc, const exponential_histogram& h);

// Upper bound of bucket `index` at `scale`: base^(index+1), base = 2^(2^-scale).
double exponential_upper_bound(int32_t scale, int64_t index);

// The walk of Prometheus 2.42's histogramQuantile over native histograms, with linear
// interpolation inside a bucket (query.hpp gives the bucket order and zero-bucket rule);
// NaN without observations in buckets.
double quantile(const exponential_histogram& h, double q);

}  // namespace agtel::query
