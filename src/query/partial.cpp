// The per-series, per-bucket stage: raw points → partials (partial.hpp).
#include "query/partial.hpp"

#include <algorithm>
#include <cmath>

namespace agtel::query {
namespace {

// The partial of `bucket`, the last one in `out` or a new one (points come in time order).
template <class T>
T& partial_for(partial_list<T>& out, size_t bucket) {
  if (!out.empty() && out.back().bucket == bucket) return out.back();
  T& p = out.add();
  p.bucket = bucket;
  return p;
}

}  // namespace

void gauge_partials(const std::vector<number_sample>& points, const time_grid& grid,
                    bool keep_values, partial_list<number_partial>& out) {
  out.clear();
  auto first = std::lower_bound(points.begin(), points.end(), grid.start,
                                [](const number_sample& p, int64_t t) { return p.time_ns < t; });
  for (auto it = first; it != points.end() && it->time_ns < grid.end; ++it) {
    const double v = it->value;
    if (std::isnan(v)) continue;
    number_partial& p = partial_for(out, grid.index_of(it->time_ns));
    ++p.count;
    p.sum += v;
    p.min = std::min(p.min, v);
    p.max = std::max(p.max, v);
    p.last = v;
    p.last_time_ns = it->time_ns;
    if (keep_values) p.values.push_back(v);
  }
}

void counter_partials(const std::vector<number_sample>& points, temporality t,
                      const time_grid& grid, partial_list<number_partial>& out) {
  out.clear();
  for_each_counter_step(points, t, grid.start, grid.end, [&](const counter_step& s) {
    number_partial& p = partial_for(out, grid.index_of(s.point->time_ns));
    ++p.count;
    p.last = s.point->value;
    p.last_time_ns = s.point->time_ns;
    if (s.known) {
      p.has_increase = true;
      p.increase += s.increase;
    }
  });
}

void histogram_partials(const std::vector<histogram_sample>& points, temporality t,
                        const time_grid& grid, partial_list<histogram_partial>& out) {
  out.clear();
  for_each_histogram_step(points, t, grid.start, grid.end,
                          [&](const histogram_sample& p, const histogram_sample* prev) {
                            auto& delta = partial_for(out, grid.index_of(p.time_ns)).delta;
                            if (prev == nullptr || !add_difference(delta, p, *prev)) {
                              add_point(delta, p);  // counted from 0 (or after a reset)
                            }
                          });
}

void exponential_partials(const std::vector<exponential_histogram_sample>& points,
                          temporality t, const time_grid& grid,
                          partial_list<exponential_partial>& out) {
  out.clear();
  for_each_histogram_step(
      points, t, grid.start, grid.end,
      [&](const exponential_histogram_sample& p, const exponential_histogram_sample* prev) {
        auto& delta = partial_for(out, grid.index_of(p.time_ns)).delta;
        if (prev == nullptr || !add_difference(delta, p, *prev)) add_point(delta, p);
      });
}

}  // namespace agtel::query
