// The base-2 exponential histogram of the OpenTelemetry metrics SDK specification
// ("Base2 Exponential Bucket Histogram Aggregation").
//
// Bucket index k at scale s covers (base^k, base^(k+1)] with base = 2^(2^-s). Values are
// mapped as the specification's "Exponent/Logarithm" mapping functions say: exact powers
// of two are computed from the exponent bits (so they land in the bucket they close, never
// one above); other values use the logarithm at positive scales and the exponent bits at
// scales <= 0. Subnormal values are rounded up to the smallest normal value (the
// specification allows this), so they share its bucket.
//
// Each sign keeps at most `max_size` contiguous buckets. When a value falls outside what
// fits, the scale drops (by as many steps as needed, both signs together): every bucket
// merges into bucket index >> steps. Values with |v| <= zero_threshold (0 here: exact
// zeros) count in zero_count.
//
// Not thread-safe: the SDK guards each series' state with a spin lock.
#pragma once

#include <cstdint>
#include <vector>

#include "agtel/metrics/metric_data.hpp"

namespace agtel::metrics::detail {

inline constexpr int32_t exp_min_scale = -10;
inline constexpr int32_t exp_max_scale = 20;

// The bucket index of a positive, finite value at `scale` (in [-10, 20]).
int32_t exp_map_to_index(double value, int32_t scale) noexcept;
// The lower boundary of bucket `index` at `scale` (the upper boundary of index - 1).
double exp_lower_boundary(int32_t index, int32_t scale) noexcept;

class exp_histogram_state {
 public:
  exp_histogram_state() = default;
  exp_histogram_state(int32_t max_size, int32_t max_scale) { configure(max_size, max_scale); }
  // Sets the limits and empties the state (allocates the bucket arrays).
  void configure(int32_t max_size, int32_t max_scale);

  // Records a finite value.
  void record(double v) noexcept;
  // Adds every measurement of `other` (which may be at another scale).
  void merge(const exp_histogram_state& other) noexcept;
  // Empties the state; the scale returns to max_scale. Keeps storage.
  void reset() noexcept;
  // Writes the data fields of a point (count, sum, scale, zero bucket, buckets, min/max).
  void to_point(exponential_histogram_point& p, bool record_min_max) const;

  uint64_t count() const noexcept { return count_; }
  int32_t scale() const noexcept { return scale_; }
  double sum() const noexcept { return sum_; }

  struct side {
    int32_t start = 0;             // bucket index of counts[0]
    int32_t len = 0;               // buckets in use; 0 when empty
    std::vector<uint64_t> counts;  // max_size entries

    int32_t end() const noexcept { return start + len - 1; }  // last index in use
    void clear() noexcept;
    // Merges buckets pairwise `steps` times (index >> steps).
    void downscale(int32_t steps) noexcept;
    // Adds n to bucket `index`, which must fit (see fits()).
    void add(int32_t index, uint64_t n) noexcept;
    // Whether `index` fits with at most `max` buckets at the current scale.
    bool fits(int32_t index, int32_t max) const noexcept;
  };
  const side& positive() const noexcept { return pos_; }
  const side& negative() const noexcept { return neg_; }

 private:
  // Scale steps needed so that [lo, hi] (at the current scale) spans at most max_size_.
  int32_t steps_needed(int64_t lo, int64_t hi) const noexcept;
  void downscale(int32_t steps) noexcept;

  int32_t max_size_ = 160;
  int32_t max_scale_ = 20;
  int32_t scale_ = 20;
  uint64_t count_ = 0;
  uint64_t zero_count_ = 0;
  double sum_ = 0;
  double min_ = 0;
  double max_ = 0;
  side pos_;
  side neg_;
};

}  // namespace agtel::metrics::detail
