// The per-series, per-time-bucket stage of evaluate(): each series reduced to one small
// "partial" per bucket in which it has data. The cross-series stage (evaluate.cpp) only
// ever sees partials, so pre-aggregated rollups (1-minute, 1-hour) can feed it by
// producing partials from their rows instead of from raw points: a rollup row holds
// count, sum, min, max, last, the increase and a delta histogram; only quantiles of raw
// gauge values need `values`, which a rollup cannot give (it would need a sketch).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "query/explicit_histogram.hpp"
#include "query/exponential_histogram.hpp"
#include "query/restart.hpp"
#include "query/series.hpp"
#include "query/time_grid.hpp"

namespace agtel::query {

// Gauges, up_down sums and counters.
struct number_partial {
  size_t bucket = 0;
  uint64_t count = 0;  // non-NaN points in the bucket
  double sum = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  double last = 0;  // the latest value (counters: the cumulative value)
  int64_t last_time_ns = 0;
  // Counters: the increase over the bucket (query.hpp says how), when known.
  bool has_increase = false;
  double increase = 0;
  std::vector<double> values;  // the raw values, only when asked for (gauge quantiles)
};

struct histogram_partial {
  size_t bucket = 0;
  explicit_histogram delta;
};

struct exponential_partial {
  size_t bucket = 0;
  exponential_histogram delta;
};

// A list whose elements (and their buffers) are reused from one series to the next:
// clear() forgets the elements without freeing them.
template <class T>
class partial_list {
 public:
  void clear() { used_ = 0; }
  // A fresh element (reset to T's defaults, but keeping its vectors' capacity).
  T& add() {
    if (used_ == items_.size()) items_.emplace_back();
    T& t = items_[used_++];
    reset(t);
    return t;
  }
  T& back() { return items_[used_ - 1]; }
  size_t size() const { return used_; }
  bool empty() const { return used_ == 0; }
  const T* begin() const { return items_.data(); }
  const T* end() const { return items_.data() + used_; }

 private:
  static void reset(number_partial& p) {
    auto values = std::move(p.values);
    values.clear();
    p = number_partial{};
    p.values = std::move(values);
  }
  static void reset(histogram_partial& p) { p.delta.clear(); }
  static void reset(exponential_partial& p) { p.delta.clear(); }

  std::vector<T> items_;
  size_t used_ = 0;
};

// One increase of a counter, point by point (query.hpp: counters). `known` is false for a
// first point that is only the baseline.
struct counter_step {
  const number_sample* point;
  bool known;
  double increase;
};

// Calls f(counter_step) for each non-NaN point in [start, end) of a counter, using the
// points before `start` only as the baseline.
template <class F>
void for_each_counter_step(const std::vector<number_sample>& points, temporality t,
                           int64_t start, int64_t end, F&& f) {
  const number_sample* prev = nullptr;
  for (const number_sample& p : points) {
    if (p.value != p.value) continue;  // NaN
    if (p.time_ns >= end) break;
    if (p.time_ns < start) {
      prev = &p;
      continue;
    }
    if (t == temporality::delta) {
      f(counter_step{&p, true, p.value});
    } else if (prev != nullptr) {
      const bool reset = p.value < prev->value || restarted(p.start_ns, prev->start_ns);
      f(counter_step{&p, true, reset ? p.value : p.value - prev->value});
    } else if (p.start_ns != 0 && p.start_ns >= start && p.start_ns <= p.time_ns) {
      f(counter_step{&p, true, p.value});  // the stream began inside the range
    } else {
      f(counter_step{&p, false, 0});
    }
    prev = &p;
  }
}

// Same walk for histogram points: f(point, prev) with prev == nullptr when the point
// counts from 0 (delta points, a stream begun in the range); baseline-only points are not
// passed. Invalid points are skipped.
template <class Sample, class F>
void for_each_histogram_step(const std::vector<Sample>& points, temporality t, int64_t start,
                             int64_t end, F&& f) {
  const Sample* prev = nullptr;
  for (const Sample& p : points) {
    if (!valid(p)) continue;
    if (p.time_ns >= end) break;
    if (p.time_ns >= start) {
      if (t == temporality::delta) f(p, nullptr);
      else if (prev != nullptr) f(p, prev);
      else if (p.start_ns != 0 && p.start_ns >= start && p.start_ns <= p.time_ns) f(p, nullptr);
    }
    prev = &p;
  }
}

// The partials of one series on `grid`, in bucket order, into `out` (cleared first).
void gauge_partials(const std::vector<number_sample>& points, const time_grid& grid,
                    bool keep_values, partial_list<number_partial>& out);
void counter_partials(const std::vector<number_sample>& points, temporality t,
                      const time_grid& grid, partial_list<number_partial>& out);
void histogram_partials(const std::vector<histogram_sample>& points, temporality t,
                        const time_grid& grid, partial_list<histogram_partial>& out);
void exponential_partials(const std::vector<exponential_histogram_sample>& points,
                          temporality t, const time_grid& grid,
                          partial_list<exponential_partial>& out);

}  // namespace agtel::query
