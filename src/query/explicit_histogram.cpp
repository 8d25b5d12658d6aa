#include "query/explicit_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <span>

#include "query/restart.hpp"

namespace agtel::query {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

void merge_min_max(explicit_histogram& acc, uint64_t count, double min, double max) {
  if (count == 0) return;
  acc.min = std::isnan(acc.min) || std::isnan(min) ? std::nan("") : std::min(acc.min, min);
  acc.max = std::isnan(acc.max) || std::isnan(max) ? std::nan("") : std::max(acc.max, max);
}

// acc.counts += counts (defined on `bounds`), moving acc onto the union of bounds if they
// differ. count_at(i) gives the source's count for its bucket i.
template <class CountAt>
void add_buckets(explicit_histogram& acc, std::span<const double> bounds, CountAt count_at) {
  const size_t n = bounds.size() + 1;
  if (acc.counts.empty()) {
    acc.bounds.assign(bounds.begin(), bounds.end());
    acc.counts.assign(n, 0);
  }
  if (std::equal(acc.bounds.begin(), acc.bounds.end(), bounds.begin(), bounds.end())) {
    for (size_t i = 0; i < n; ++i) acc.counts[i] += count_at(i);
    return;
  }
  std::vector<double> merged;
  merged.reserve(acc.bounds.size() + bounds.size());
  std::set_union(acc.bounds.begin(), acc.bounds.end(), bounds.begin(), bounds.end(),
                 std::back_inserter(merged));
  std::vector<uint64_t> counts(merged.size() + 1, 0);
  // Bucket i of a histogram has upper bound bounds[i] (+Inf past the end); it lands in
  // the union bucket with that upper bound.
  auto slot = [&](std::span<const double> b, size_t i) {
    if (i == b.size()) return merged.size();
    return static_cast<size_t>(std::lower_bound(merged.begin(), merged.end(), b[i]) - merged.begin());
  };
  for (size_t i = 0; i < acc.counts.size(); ++i) counts[slot(acc.bounds, i)] += acc.counts[i];
  for (size_t i = 0; i < n; ++i) counts[slot(bounds, i)] += count_at(i);
  acc.bounds = std::move(merged);
  acc.counts = std::move(counts);
}

}  // namespace

void explicit_histogram::clear() {
  count = 0;
  sum = 0;
  min = inf;
  max = -inf;
  bounds.clear();
  counts.clear();
}

bool valid(const histogram_sample& p) {
  if (p.counts.size() != p.bounds.size() + 1) return false;
  for (size_t i = 0; i < p.bounds.size(); ++i) {
    if (std::isnan(p.bounds[i]) || (i > 0 && !(p.bounds[i - 1] < p.bounds[i]))) return false;
  }
  return true;
}

void add_point(explicit_histogram& acc, const histogram_sample& p) {
  add_buckets(acc, p.bounds, [&](size_t i) { return p.counts[i]; });
  acc.count += p.count;
  if (p.count > 0) acc.sum += p.sum;  // an empty point's missing sum says nothing
  merge_min_max(acc, p.count, p.min, p.max);
}

bool add_difference(explicit_histogram& acc, const histogram_sample& p,
                    const histogram_sample& prev) {
  if (restarted(p.start_ns, prev.start_ns) || p.count < prev.count || p.bounds != prev.bounds) return false;
  for (size_t i = 0; i < p.counts.size(); ++i) {
    if (p.counts[i] < prev.counts[i]) return false;
  }
  add_buckets(acc, p.bounds, [&](size_t i) { return p.counts[i] - prev.counts[i]; });
  const uint64_t count = p.count - prev.count;
  acc.count += count;
  if (count > 0) acc.sum += p.sum - prev.sum;
  // The points' min/max cover the whole stream, not the difference: unknown.
  merge_min_max(acc, count, std::nan(""), std::nan(""));
  return true;
}

void merge(explicit_histogram& acc, const explicit_histogram& h) {
  if (h.empty()) return;
  add_buckets(acc, h.bounds, [&](size_t i) { return h.counts[i]; });
  acc.count += h.count;
  if (h.count > 0) acc.sum += h.sum;
  merge_min_max(acc, h.count, h.min, h.max);
}

double quantile(const explicit_histogram& h, double q) {
  const double nan = std::nan("");
  // (upper bound, cumulative count), equal bounds coalesced: bounds may end with +Inf.
  thread_local std::vector<std::pair<double, double>> b;
  b.clear();
  double cumulative = 0;
  for (size_t i = 0; i < h.counts.size(); ++i) {
    const double upper = i < h.bounds.size() ? h.bounds[i] : inf;
    cumulative += static_cast<double>(h.counts[i]);
    if (!b.empty() && b.back().first == upper) b.back().second = cumulative;
    else b.emplace_back(upper, cumulative);
  }
  if (b.size() < 2) return nan;
  const size_t m = b.size();
  const double observations = b[m - 1].second;
  if (observations == 0) return nan;
  double rank = q * observations;
  size_t i = 0;
  while (i < m - 1 && b[i].second < rank) ++i;
  if (i == m - 1) return b[m - 2].first;
  if (i == 0 && b[0].first <= 0) return b[0].first;
  double start = 0;
  double count = b[i].second;
  if (i > 0) {
    start = b[i - 1].first;
    count -= b[i - 1].second;
    rank -= b[i - 1].second;
  }
  return start + (b[i].first - start) * (rank / count);
}

}  // namespace agtel::query
