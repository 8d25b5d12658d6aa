#include "query/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace agtel::query {

void quantiles_linear(std::span<double> values, std::span<const double> qs, std::span<double> out) {
  const size_t n = values.size();
  size_t placed = 0;  // values[0, placed) are <= everything after them, values[placed-1] in place
  for (size_t i = 0; i < qs.size(); ++i) {
    if (n == 0) {
      out[i] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    const double h = static_cast<double>(n - 1) * qs[i];
    const double lo_rank = std::floor(h);
    const auto lo = std::min(static_cast<size_t>(lo_rank), n - 1);
    if (lo + 1 > placed) {
      std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(placed),
                       values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
      placed = lo + 1;
    }
    const double a = values[lo];
    const double frac = h - lo_rank;
    if (frac == 0 || lo == n - 1) {
      out[i] = a;
      continue;
    }
    // The next rank is the smallest of the elements after lo (nth_element partitioned them).
    const double b = *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end());
    if (a == b) {  // also keeps equal infinities from becoming NaN
      out[i] = a;
      continue;
    }
    // numpy's _lerp: from the nearer end, so that results are bit-identical to numpy's.
    const double diff = b - a;
    out[i] = frac >= 0.5 ? b - diff * (1 - frac) : a + diff * frac;
  }
}

double quantile_linear(std::span<double> values, double q) {
  double out = 0;
  quantiles_linear(values, std::span<const double>(&q, 1), std::span<double>(&out, 1));
  return out;
}

moments mean_stddev(std::span<const double> values) {
  if (values.empty()) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan};
  }
  double sum = 0;
  for (double v : values) sum += v;
  const double n = static_cast<double>(values.size());
  const double mean = sum / n;
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return {mean, std::sqrt(squares / n)};
}

}  // namespace agtel::query
