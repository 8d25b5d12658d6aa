// Delta explicit-bucket histograms: the difference of two cumulative points, sums of
// deltas, merges across series with differing bounds, and Prometheus's quantile.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "query/series.hpp"

namespace agtel::query {

// What a series contributed to a time bucket, or the merge of a group's contributions.
// min/max: +Inf/−Inf before any observation, NaN once an observation with unknown
// min/max was added (so a merge knows them only if every part did).
struct explicit_histogram {
  uint64_t count = 0;
  double sum = 0;  // NaN: a part had no sum
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  std::vector<double> bounds;    // strictly increasing, finite or +Inf
  std::vector<uint64_t> counts;  // bounds.size() + 1 once anything was added
  bool empty() const { return counts.empty(); }
  void clear();  // keeps the capacity (buffers are reused across buckets)
};

// A point the store may hand us with inconsistent arrays is skipped, not trusted.
bool valid(const histogram_sample& p);

// Adds a whole point (a stream counted from 0, or a delta point).
void add_point(explicit_histogram& acc, const histogram_sample& p);

// Adds p − prev when p continues prev's cumulative stream (same start and bounds, no
// count decreasing); returns false, leaving acc unchanged, on a reset.
bool add_difference(explicit_histogram& acc, const histogram_sample& p,
                    const histogram_sample& prev);

// acc += h. Equal bounds add bucket-wise; otherwise both move onto the union of the
// bounds, each bucket's count to the union bucket with the same upper bound (query.hpp
// says how this departs from Prometheus's sum by (le)).
void merge(explicit_histogram& acc, const explicit_histogram& h);

// Prometheus 2.42 histogram_quantile (promql/quantile.go bucketQuantile); NaN when there
// are no finite bounds or no observations.
double quantile(const explicit_histogram& h, double q);

}  // namespace agtel::query
