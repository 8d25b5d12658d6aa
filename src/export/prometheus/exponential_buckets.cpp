#include "export/prometheus/exponential_buckets.hpp"

#include <algorithm>
#include <cmath>

namespace agtel::exporter::prometheus {

double exponential_bucket_lower_bound(int64_t index, int32_t scale) noexcept {
  // Indexes come from int32 offsets plus at most a few hundred buckets; clamping keeps the
  // arithmetic below from overflowing on hostile (received) data.
  index = std::clamp<int64_t>(index, -(int64_t{1} << 32), int64_t{1} << 32);
  scale = std::clamp(scale, -20, 20);
  if (scale <= 0) {
    // base = 2^(2^-scale): base^index = 2^(index << -scale), exact.
    const int64_t e = index * (int64_t{1} << -scale);
    return std::ldexp(1.0, static_cast<int>(std::clamp<int64_t>(e, -2000, 2000)));
  }
  // base^index = 2^(index / 2^scale) = 2^q · 2^(r / 2^scale), 0 <= r < 2^scale.
  const int64_t denom = int64_t{1} << scale;
  int64_t q = index / denom;
  int64_t r = index % denom;
  if (r < 0) {
    r += denom;
    --q;
  }
  return std::ldexp(std::exp2(static_cast<double>(r) / static_cast<double>(denom)),
                    static_cast<int>(std::clamp<int64_t>(q, -2000, 2000)));
}

void to_explicit_buckets(const metrics::exponential_histogram_point& p, std::vector<double>& bounds,
                         std::vector<uint64_t>& counts) {
  bounds.clear();
  counts.clear();
  uint64_t overflow = 0;  // counts whose bound is not finite: they go to +Inf
  const auto push = [&](double bound, uint64_t count) {
    if (!std::isfinite(bound)) {
      overflow += count;
    } else if (!bounds.empty() && !(bound > bounds.back())) {
      counts.back() += count;
    } else {
      bounds.push_back(bound);
      counts.push_back(count);
    }
  };
  const auto& neg = p.negative;
  for (size_t i = neg.counts.size(); i-- > 0;) {
    const int64_t k = neg.offset + static_cast<int64_t>(i);
    push(-exponential_bucket_lower_bound(k, p.scale), neg.counts[i]);
  }
  push(p.zero_threshold >= 0 ? p.zero_threshold : 0.0, p.zero_count);
  const auto& pos = p.positive;
  for (size_t i = 0; i < pos.counts.size(); ++i) {
    const int64_t k = pos.offset + static_cast<int64_t>(i);
    push(exponential_bucket_lower_bound(k + 1, p.scale), pos.counts[i]);
  }
  counts.push_back(overflow);
}

}  // namespace agtel::exporter::prometheus
