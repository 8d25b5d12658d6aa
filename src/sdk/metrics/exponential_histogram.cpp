#include "sdk/metrics/detail/exponential_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>

namespace agtel::metrics::detail {
namespace {

constexpr uint64_t significand_mask = (uint64_t{1} << 52) - 1;
constexpr int exponent_bias = 1023;

// The unbiased exponent of a normal double.
inline int32_t base2_exponent(uint64_t bits) noexcept {
  return static_cast<int32_t>((bits >> 52) & 0x7ff) - exponent_bias;
}

}  // namespace

int32_t exp_map_to_index(double value, int32_t scale) noexcept {
  if (value < DBL_MIN) value = DBL_MIN;  // subnormals round up to the smallest normal
  const uint64_t bits = std::bit_cast<uint64_t>(value);
  const int32_t exp = base2_exponent(bits);
  const bool power_of_two = (bits & significand_mask) == 0;
  if (scale <= 0) {
    // The specification's exponent mapping: (exponent - 1 for exact powers of two) >> -scale.
    const int32_t e = power_of_two ? exp - 1 : exp;
    return e >> -scale;  // arithmetic shift rounds toward -inf, as the mapping needs
  }
  if (power_of_two) return static_cast<int32_t>((static_cast<int64_t>(exp) << scale) - 1);
  // The logarithm mapping. The result is correct except possibly within an ulp of a
  // bucket boundary, which the specification accepts; clamp it into the value's octave so
  // that it never crosses an exact power of two.
  const double scale_factor = std::ldexp(1.0 / std::log(2.0), scale);  // 2^scale / ln 2
  int64_t index = static_cast<int64_t>(std::floor(std::log(value) * scale_factor));
  const int64_t lo = (static_cast<int64_t>(exp) << scale);          // first index above 2^exp
  const int64_t hi = (static_cast<int64_t>(exp + 1) << scale) - 1;  // closes at 2^(exp+1)
  index = std::clamp(index, lo, hi);
  return static_cast<int32_t>(index);
}

double exp_lower_boundary(int32_t index, int32_t scale) noexcept {
  if (scale <= 0) return std::ldexp(1.0, static_cast<int>(static_cast<int64_t>(index) << -scale));
  // 2^(index / 2^scale) = 2^(whole) * 2^(fraction / 2^scale)
  const int64_t whole = static_cast<int64_t>(index) >> scale;
  const int64_t frac = static_cast<int64_t>(index) - (whole << scale);
  return std::ldexp(std::exp2(std::ldexp(static_cast<double>(frac), -scale)),
                    static_cast<int>(whole));
}

void exp_histogram_state::side::clear() noexcept {
  std::fill(counts.begin(), counts.begin() + len, 0);
  start = 0;
  len = 0;
}

bool exp_histogram_state::side::fits(int32_t index, int32_t max) const noexcept {
  if (len == 0) return true;
  const int64_t lo = std::min<int64_t>(start, index);
  const int64_t hi = std::max<int64_t>(end(), index);
  return hi - lo + 1 <= max;
}

void exp_histogram_state::side::add(int32_t index, uint64_t n) noexcept {
  if (len == 0) {
    start = index;
    len = 1;
    counts[0] = n;
    return;
  }
  if (index < start) {
    const int32_t shift = start - index;
    std::move_backward(counts.begin(), counts.begin() + len, counts.begin() + len + shift);
    std::fill(counts.begin(), counts.begin() + shift, 0);
    start = index;
    len += shift;
  } else if (index > end()) {
    len = index - start + 1;  // the slots past the old end are zero
  }
  counts[static_cast<size_t>(index - start)] += n;
}

void exp_histogram_state::side::downscale(int32_t steps) noexcept {
  if (steps <= 0 || len == 0) return;
  const int32_t new_start = start >> steps;
  int32_t new_end = new_start;
  for (int32_t i = 0; i < len; ++i) {
    const uint64_t c = counts[static_cast<size_t>(i)];
    counts[static_cast<size_t>(i)] = 0;
    const int32_t ni = (start + i) >> steps;
    counts[static_cast<size_t>(ni - new_start)] += c;  // ni - new_start <= i: no clobbering
    new_end = ni;
  }
  start = new_start;
  len = new_end - new_start + 1;
}

void exp_histogram_state::configure(int32_t max_size, int32_t max_scale) {
  max_size_ = std::max<int32_t>(2, max_size);
  max_scale_ = std::clamp(max_scale, exp_min_scale, exp_max_scale);
  pos_.counts.assign(static_cast<size_t>(max_size_), 0);
  neg_.counts.assign(static_cast<size_t>(max_size_), 0);
  pos_.len = neg_.len = 0;
  reset();
}

void exp_histogram_state::reset() noexcept {
  pos_.clear();
  neg_.clear();
  scale_ = max_scale_;
  count_ = zero_count_ = 0;
  sum_ = min_ = max_ = 0;
}

int32_t exp_histogram_state::steps_needed(int64_t lo, int64_t hi) const noexcept {
  int32_t steps = 0;
  while (hi - lo + 1 > max_size_ && scale_ - steps > exp_min_scale) {
    lo >>= 1;
    hi >>= 1;
    ++steps;
  }
  return steps;
}

void exp_histogram_state::downscale(int32_t steps) noexcept {
  if (steps <= 0) return;
  pos_.downscale(steps);
  neg_.downscale(steps);
  scale_ -= steps;
}

void exp_histogram_state::record(double v) noexcept {
  if (count_ == 0) {
    min_ = max_ = v;
  } else {
    min_ = std::min(min_, v);
    max_ = std::max(max_, v);
  }
  ++count_;
  sum_ += v;
  if (v == 0) {
    ++zero_count_;
    return;
  }
  side& s = v > 0 ? pos_ : neg_;
  int32_t index = exp_map_to_index(std::fabs(v), scale_);
  if (!s.fits(index, max_size_)) {
    downscale(steps_needed(std::min<int64_t>(s.start, index), std::max<int64_t>(s.end(), index)));
    index = exp_map_to_index(std::fabs(v), scale_);
  }
  s.add(index, 1);
}

void exp_histogram_state::merge(const exp_histogram_state& o) noexcept {
  if (o.count_ == 0) return;
  if (count_ == 0) {
    min_ = o.min_;
    max_ = o.max_;
  } else {
    min_ = std::min(min_, o.min_);
    max_ = std::max(max_, o.max_);
  }
  count_ += o.count_;
  sum_ += o.sum_;
  zero_count_ += o.zero_count_;
  // Common scale: the lower of the two, then lower still until each side's union fits.
  if (o.scale_ < scale_) downscale(scale_ - o.scale_);
  const int32_t shift_o = o.scale_ - scale_;  // >= 0: how far `o`'s indices must shift
  int32_t extra = 0;
  for (const auto* pair : {&pos_, &neg_}) {
    const side& mine = *pair;
    const side& theirs = pair == &pos_ ? o.pos_ : o.neg_;
    if (theirs.len == 0) continue;
    int64_t lo = theirs.start >> shift_o, hi = theirs.end() >> shift_o;
    if (mine.len > 0) {
      lo = std::min<int64_t>(lo, mine.start);
      hi = std::max<int64_t>(hi, mine.end());
    }
    extra = std::max(extra, steps_needed(lo, hi));
  }
  downscale(extra);
  const int32_t shift = o.scale_ - scale_;
  for (int sign = 0; sign < 2; ++sign) {
    side& mine = sign == 0 ? pos_ : neg_;
    const side& theirs = sign == 0 ? o.pos_ : o.neg_;
    for (int32_t i = 0; i < theirs.len; ++i) {
      const uint64_t c = theirs.counts[static_cast<size_t>(i)];
      if (c != 0) mine.add((theirs.start + i) >> shift, c);
    }
  }
}

void exp_histogram_state::to_point(exponential_histogram_point& p, bool record_min_max) const {
  p.count = count_;
  p.sum = sum_;
  p.scale = scale_;
  p.zero_count = zero_count_;
  p.zero_threshold = 0;
  auto copy = [](const side& s, exponential_buckets& out) {
    out.offset = s.len > 0 ? s.start : 0;
    out.counts.assign(s.counts.begin(), s.counts.begin() + s.len);
  };
  copy(pos_, p.positive);
  copy(neg_, p.negative);
  if (record_min_max && count_ > 0) {
    p.min = min_;
    p.max = max_;
  } else {
    p.min.reset();
    p.max.reset();
  }
}

}  // namespace agtel::metrics::detail
