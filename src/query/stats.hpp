// Statistics over raw values: numpy-style quantiles, mean and population stddev.
#pragma once

#include <cmath>
#include <span>

namespace agtel::query {

// The q-quantile (q in [0, 1]) by linear interpolation between closest ranks, numpy's
// default ("linear", Hyndman & Fan type 7): h = (n−1)·q, x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
// Reorders `values` (nth_element: O(n), no full sort). NaN when empty; values must not
// be NaN. An exact rank returns its value unchanged (so ±Inf survive).
double quantile_linear(std::span<double> values, double q);

// Several quantiles at once, `qs` ascending: each selection works only on the part of
// `values` above the previous one, so p50+p95+p99 cost little more than p50 alone.
void quantiles_linear(std::span<double> values, std::span<const double> qs, std::span<double> out);

// A percentile estimated from histogram buckets, kept within the observed [min, max] when
// the points told them (NaN: unknown). Interpolating inside the last bucket can otherwise
// answer more than the largest value ever recorded.
inline double within_observed(double estimate, double min, double max) noexcept {
  if (std::isnan(estimate)) return estimate;
  if (!std::isnan(min) && estimate < min) return min;
  if (!std::isnan(max) && estimate > max) return max;
  return estimate;
}

struct moments {
  double mean;
  double stddev;  // population
};

// Two passes (mean, then squared deviations) for accuracy; NaN when empty.
moments mean_stddev(std::span<const double> values);

}  // namespace agtel::query
