#include "query/exponential_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "query/restart.hpp"

namespace agtel::query {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

void merge_min_max(exponential_histogram& acc, uint64_t count, double min, double max) {
  if (count == 0) return;
  acc.min = std::isnan(acc.min) || std::isnan(min) ? std::nan("") : std::min(acc.min, min);
  acc.max = std::isnan(acc.max) || std::isnan(max) ? std::nan("") : std::max(acc.max, max);
}

// Moves the buckets lying wholly inside [-threshold, threshold] into the zero bucket.
void fold_into_zero(exponential_histogram& h, double threshold) {
  for (exponential_buckets* side : {&h.positive, &h.negative}) {
    for (size_t i = 0; i < side->counts.size(); ++i) {
      if (exponential_upper_bound(h.scale, side->offset + static_cast<int64_t>(i)) > threshold) break;
      h.zero_count += side->counts[i];
      side->counts[i] = 0;
    }
  }
  h.zero_threshold = threshold;
}

// acc gets counts (at `scale`, from `offset`) of one side, count_at(i) for bucket i.
template <class CountAt>
void add_side(exponential_buckets& acc, int32_t acc_scale, int32_t scale, int32_t offset,
              size_t n, CountAt count_at) {
  const int32_t shift = scale - acc_scale;  // >= 0: acc was brought to the smaller scale
  for (size_t i = 0; i < n; ++i) {
    const uint64_t c = count_at(i);
    if (c != 0) acc.add((offset + static_cast<int32_t>(i)) >> shift, c);
  }
}

// Prepares acc for a part at (scale, zero_threshold): the smaller scale, the larger
// threshold (the caller folds the part's own buckets if acc's threshold is larger).
void align(exponential_histogram& acc, int32_t scale, double zero_threshold) {
  if (!acc.has_data) {
    acc.has_data = true;
    acc.scale = scale;
    acc.zero_threshold = zero_threshold;
    return;
  }
  if (scale < acc.scale) {
    acc.positive.downscale(acc.scale - scale);
    acc.negative.downscale(acc.scale - scale);
    acc.scale = scale;
  }
  if (zero_threshold > acc.zero_threshold) fold_into_zero(acc, zero_threshold);
}

// Everything add_point and merge share: a whole histogram given by its parts.
struct parts {
  int32_t scale;
  double zero_threshold;
  uint64_t zero_count;
  int32_t positive_offset;
  std::span<const uint64_t> positive;
  int32_t negative_offset;
  std::span<const uint64_t> negative;
};

void add_parts(exponential_histogram& acc, const parts& p) {
  align(acc, p.scale, p.zero_threshold);
  const double threshold_before = acc.zero_threshold;
  acc.zero_count += p.zero_count;
  add_side(acc.positive, acc.scale, p.scale, p.positive_offset, p.positive.size(),
           [&](size_t i) { return p.positive[i]; });
  add_side(acc.negative, acc.scale, p.scale, p.negative_offset, p.negative.size(),
           [&](size_t i) { return p.negative[i]; });
  // The part's buckets may lie inside acc's wider zero bucket.
  if (p.zero_threshold < threshold_before) fold_into_zero(acc, threshold_before);
}

// One side of a point, brought to a smaller scale only when it must be (the common case,
// equal scales, copies nothing).
struct side_view {
  int32_t offset;
  std::span<const uint64_t> counts;
  exponential_buckets owned;

  side_view(int32_t off, const std::vector<uint64_t>& c, int32_t by) : offset(off), counts(c) {
    if (by > 0 && !c.empty()) {
      owned = exponential_buckets{off, c};
      owned.downscale(by);
      offset = owned.offset;
      counts = owned.counts;
    }
  }
  side_view(const side_view&) = delete;  // `counts` may point into `owned`
  uint64_t at(int64_t index) const {
    const int64_t i = index - offset;
    return i >= 0 && i < static_cast<int64_t>(counts.size()) ? counts[static_cast<size_t>(i)] : 0;
  }
};

// true when every bucket of `before` is <= the same bucket of `after`.
bool grew(const side_view& after, const side_view& before) {
  for (size_t i = 0; i < before.counts.size(); ++i) {
    if (before.counts[i] > after.at(before.offset + static_cast<int64_t>(i))) return false;
  }
  return true;
}

}  // namespace

void exponential_buckets::add(int32_t index, uint64_t n) {
  if (counts.empty()) {
    offset = index;
    counts.assign(1, n);
    return;
  }
  if (index < offset) {
    counts.insert(counts.begin(), static_cast<size_t>(offset - index), 0);
    offset = index;
  }
  const auto i = static_cast<size_t>(index - offset);
  if (i >= counts.size()) counts.resize(i + 1, 0);
  counts[i] += n;
}

void exponential_buckets::downscale(int32_t by) {
  if (by <= 0 || counts.empty()) return;
  const int32_t first = offset >> by;
  const int32_t last = (offset + static_cast<int32_t>(counts.size()) - 1) >> by;
  std::vector<uint64_t> merged(static_cast<size_t>(last - first + 1), 0);
  for (size_t i = 0; i < counts.size(); ++i) {
    merged[static_cast<size_t>(((offset + static_cast<int32_t>(i)) >> by) - first)] += counts[i];
  }
  offset = first;
  counts = std::move(merged);
}

void exponential_histogram::clear() {
  has_data = false;
  count = 0;
  sum = 0;
  min = inf;
  max = -inf;
  scale = 0;
  zero_threshold = 0;
  zero_count = 0;
  positive.counts.clear();
  negative.counts.clear();
}

bool valid(const exponential_histogram_sample& p) {
  return p.scale >= -10 && p.scale <= 20 && !(p.zero_threshold < 0) &&
         !std::isnan(p.zero_threshold);
}

double exponential_upper_bound(int32_t scale, int64_t index) {
  if (scale <= 0) {  // exact powers of two; clamped far beyond double's range
    const int64_t e = std::clamp<int64_t>((index + 1) * (int64_t{1} << -scale), -4000, 4000);
    return std::ldexp(1.0, static_cast<int>(e));
  }
  return std::exp2(static_cast<double>(index + 1) / static_cast<double>(int64_t{1} << scale));
}

void add_point(exponential_histogram& acc, const exponential_histogram_sample& p) {
  add_parts(acc, {p.scale, p.zero_threshold, p.zero_count, p.positive_offset, p.positive,
                  p.negative_offset, p.negative});
  acc.count += p.count;
  if (p.count > 0) acc.sum += p.sum;
  merge_min_max(acc, p.count, p.min, p.max);
}

bool add_difference(exponential_histogram& acc, const exponential_histogram_sample& p,
                    const exponential_histogram_sample& prev) {
  if (restarted(p.start_ns, prev.start_ns) || p.zero_threshold != prev.zero_threshold ||
      p.count < prev.count || p.zero_count < prev.zero_count) {
    return false;
  }
  const int32_t scale = std::min(p.scale, prev.scale);
  const side_view pos(p.positive_offset, p.positive, p.scale - scale);
  const side_view neg(p.negative_offset, p.negative, p.scale - scale);
  const side_view prev_pos(prev.positive_offset, prev.positive, prev.scale - scale);
  const side_view prev_neg(prev.negative_offset, prev.negative, prev.scale - scale);
  if (!grew(pos, prev_pos) || !grew(neg, prev_neg)) return false;

  align(acc, scale, p.zero_threshold);
  const double threshold_before = acc.zero_threshold;
  acc.zero_count += p.zero_count - prev.zero_count;
  add_side(acc.positive, acc.scale, scale, pos.offset, pos.counts.size(),
           [&](size_t i) { return pos.counts[i] - prev_pos.at(pos.offset + static_cast<int64_t>(i)); });
  add_side(acc.negative, acc.scale, scale, neg.offset, neg.counts.size(),
           [&](size_t i) { return neg.counts[i] - prev_neg.at(neg.offset + static_cast<int64_t>(i)); });
  if (p.zero_threshold < threshold_before) fold_into_zero(acc, threshold_before);
  const uint64_t count = p.count - prev.count;
  acc.count += count;
  if (count > 0) acc.sum += p.sum - prev.sum;
  merge_min_max(acc, count, std::nan(""), std::nan(""));  // cover the stream, not the delta
  return true;
}

void merge(exponential_histogram& acc, const exponential_histogram& h) {
  if (!h.has_data) return;
  add_parts(acc, {h.scale, h.zero_threshold, h.zero_count, h.positive.offset, h.positive.counts,
                  h.negative.offset, h.negative.counts});
  acc.count += h.count;
  if (h.count > 0) acc.sum += h.sum;
  merge_min_max(acc, h.count, h.min, h.max);
}

double quantile(const exponential_histogram& h, double q) {
  uint64_t negatives = 0, positives = 0;
  for (uint64_t c : h.negative.counts) negatives += c;
  for (uint64_t c : h.positive.counts) positives += c;
  const double total = static_cast<double>(negatives + positives + h.zero_count);
  if (total == 0) return std::nan("");
  const double rank = q * total;
  double cumulative = 0;
  // Returns true (and sets `result`) when the rank falls in [lower, upper] holding c.
  double result = std::nan("");
  auto visit = [&](double lower, double upper, uint64_t c) {
    if (c == 0) return false;
    const double count = static_cast<double>(c);
    cumulative += count;
    if (cumulative < rank) return false;
    result = lower + (upper - lower) * ((rank - (cumulative - count)) / count);
    return true;
  };
  const auto& neg = h.negative;
  for (size_t i = neg.counts.size(); i-- > 0;) {  // most negative values first
    const int64_t k = neg.offset + static_cast<int64_t>(i);
    if (visit(-exponential_upper_bound(h.scale, k), -exponential_upper_bound(h.scale, k - 1),
              neg.counts[i])) {
      return result;
    }
  }
  const double lower = negatives == 0 && positives > 0 ? 0 : -h.zero_threshold;
  const double upper = positives == 0 && negatives > 0 ? 0 : h.zero_threshold;
  if (visit(lower, upper, h.zero_count)) return result;
  const auto& pos = h.positive;
  for (size_t i = 0; i < pos.counts.size(); ++i) {
    const int64_t k = pos.offset + static_cast<int64_t>(i);
    if (visit(exponential_upper_bound(h.scale, k - 1), exponential_upper_bound(h.scale, k),
              pos.counts[i])) {
      return result;
    }
  }
  return result;  // unreachable: the last non-empty bucket reaches rank = q·total <= total
}

}  // namespace agtel::query
