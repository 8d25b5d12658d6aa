// Exponential histogram points as explicit buckets, for text formats that have no native
// histograms (Prometheus text 0.0.4 and OpenMetrics 1.0).
#pragma once

#include <cstdint>
#include <vector>

#include "agtel/metrics/metric_data.hpp"

namespace agtel::exporter::prometheus {

// The lower bound of exponential bucket `index` at `scale`: base^index with
// base = 2^(2^-scale), computed without accumulating rounding error.
double exponential_bucket_lower_bound(int64_t index, int32_t scale) noexcept;

// Fills `bounds` (strictly increasing, finite) and `counts` (bounds.size() + 1 entries, the
// last for +Inf) from `p`, in the layout of metrics::histogram_point:
//   negative buckets, most negative first, each with upper bound -base^k;
//   the zero bucket with upper bound zero_threshold;
//   positive buckets, each with upper bound base^(k+1).
// A bucket whose bound is not finite or not above the previous one is folded into its
// neighbour, so the total count is always preserved.
void to_explicit_buckets(const metrics::exponential_histogram_point& p, std::vector<double>& bounds,
                         std::vector<uint64_t>& counts);

}  // namespace agtel::exporter::prometheus
