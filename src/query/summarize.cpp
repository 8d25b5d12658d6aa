// summarize(): `agtel stats` — one summary over a range, all series together.
#include <algorithm>
#include <cmath>

#include "query/partial.hpp"
#include "query/query.hpp"
#include "query/stats.hpp"

namespace agtel::query {
namespace {

void from_values(std::vector<double>& values, summary& out) {
  out = summary{};
  if (values.empty()) return;
  out.count = values.size();
  const auto [min, max] = std::minmax_element(values.begin(), values.end());
  out.min = *min;
  out.max = *max;
  const moments m = mean_stddev(values);
  out.avg = m.mean;
  out.stddev = m.stddev;
  static constexpr double qs[] = {0.50, 0.95, 0.99};
  double p[3];
  quantiles_linear(values, qs, p);
  out.p50 = p[0];
  out.p95 = p[1];
  out.p99 = p[2];
}

// The merged delta histogram of all series over the grid's single bucket.
template <class Partial, class Produce>
void from_histograms(const series_set& data, Produce produce, summary& out) {
  decltype(Partial::delta) merged;
  partial_list<Partial> partials;
  for (const series& s : data.series) {
    produce(s, partials);
    for (const Partial& p : partials) merge(merged, p.delta);
  }
  out = summary{};
  out.count = merged.count;
  if (merged.count == 0) return;
  out.avg = merged.sum / static_cast<double>(merged.count);
  out.min = merged.min;  // NaN when a part did not know it
  out.max = merged.max;
  out.p50 = within_observed(quantile(merged, 0.50), merged.min, merged.max);
  out.p95 = within_observed(quantile(merged, 0.95), merged.min, merged.max);
  out.p99 = within_observed(quantile(merged, 0.99), merged.min, merged.max);
}

}  // namespace

bool summarize(const series_set& data, int64_t start_ns, int64_t end_ns, summary& out,
               std::string& error) {
  out = summary{};
  time_grid grid;  // one bucket: [start, end)
  if (!time_grid::make(start_ns, end_ns, 0, 1, grid, error)) return false;
  if (grid.size == 0) return true;
  const temporality t = data.metric.temporality;
  std::vector<double> values;
  size_t points = 0;
  for (const series& s : data.series) points += s.numbers.size();
  values.reserve(points);  // an upper bound: one allocation instead of ~20 regrowths
  switch (data.metric.kind) {
    case metric_kind::gauge:
    case metric_kind::up_down:
      for (const series& s : data.series) {
        auto first = std::lower_bound(s.numbers.begin(), s.numbers.end(), start_ns,
                                      [](const number_sample& p, int64_t x) { return p.time_ns < x; });
        for (auto it = first; it != s.numbers.end() && it->time_ns < end_ns; ++it) {
          if (!std::isnan(it->value)) values.push_back(it->value);
        }
      }
      from_values(values, out);
      return true;
    case metric_kind::counter:
      for (const series& s : data.series) {
        for_each_counter_step(s.numbers, t, start_ns, end_ns, [&](const counter_step& step) {
          if (step.known) values.push_back(step.increase);
        });
      }
      from_values(values, out);
      return true;
    case metric_kind::histogram:
      from_histograms<histogram_partial>(
          data,
          [&](const series& s, partial_list<histogram_partial>& p) {
            histogram_partials(s.histograms, t, grid, p);
          },
          out);
      return true;
    case metric_kind::exponential_histogram:
      from_histograms<exponential_partial>(
          data,
          [&](const series& s, partial_list<exponential_partial>& p) {
            exponential_partials(s.exponential_histograms, t, grid, p);
          },
          out);
      return true;
  }
  error = "unknown metric kind";
  return false;
}

}  // namespace agtel::query
