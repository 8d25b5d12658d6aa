// evaluate(): the cross-series stage. Series are grouped by the `by` labels; each group's
// series are reduced to partials (partial.hpp) and the partials of each time bucket are
// combined into one cell, which gives the bucket's value. Groups are evaluated one at a
// time so that memory is one group's cells, not groups × buckets.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "query/labels.hpp"
#include "query/partial.hpp"
#include "query/query.hpp"
#include "query/stats.hpp"

namespace agtel::query {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr uint32_t no_cell = std::numeric_limits<uint32_t>::max();

// The combined values of one group in one bucket, for numbers.
struct number_cell {
  uint64_t count = 0;  // gauges: raw values; counters: series with an increase
  double sum = 0, min = inf, max = -inf;
  double sum_of_lasts = 0;
  double last = 0;
  int64_t last_time_ns = 0;
  bool has_last = false;
  std::vector<double> values;  // quantiles only

  void clear() {
    auto keep = std::move(values);
    keep.clear();
    *this = number_cell{};
    values = std::move(keep);
  }
};

// One group's cells, indexed by bucket; cells and the index are reused across groups.
template <class Cell>
class bucket_cells {
 public:
  explicit bucket_cells(size_t buckets) : slot_(buckets, no_cell) {}

  Cell& at(size_t bucket) {
    uint32_t& s = slot_[bucket];
    if (s == no_cell) {
      s = static_cast<uint32_t>(touched_.size());
      touched_.push_back(bucket);
      if (pool_.size() < touched_.size()) pool_.emplace_back();
      pool_[s].clear();
    }
    return pool_[s];
  }
  // f(bucket, cell) in bucket order, then forgets the cells.
  template <class F>
  void drain(F&& f) {
    std::vector<std::pair<size_t, uint32_t>> order;
    order.reserve(touched_.size());
    for (size_t b : touched_) order.emplace_back(b, slot_[b]);
    std::sort(order.begin(), order.end());
    for (const auto& [b, s] : order) {
      f(b, pool_[s]);
      slot_[b] = no_cell;
    }
    touched_.clear();
  }

 private:
  std::vector<uint32_t> slot_;
  std::vector<size_t> touched_;
  std::vector<Cell> pool_;
};

struct context {
  const series_set& data;
  const range_query& query;
  const time_grid& grid;
};

void add_point(std::vector<point>& out, const time_grid& grid, size_t bucket, double v) {
  out.push_back(point{grid.bucket_end(bucket), v});
}

void eval_numbers(const context& c, const std::vector<size_t>& members, std::vector<point>& out) {
  const bool counter = c.data.metric.kind == metric_kind::counter;
  const aggregation op = c.query.agg.op;
  const bool quantile = op == aggregation::quantile;
  const bool rate = c.query.fn == transform::rate;
  thread_local partial_list<number_partial> partials;
  bucket_cells<number_cell> cells(c.grid.size);
  for (size_t i : members) {
    const auto& points = c.data.series[i].numbers;
    if (counter) counter_partials(points, c.data.metric.temporality, c.grid, partials);
    else gauge_partials(points, c.grid, quantile, partials);
    for (const number_partial& p : partials) {
      number_cell& cell = cells.at(p.bucket);
      cell.sum_of_lasts += p.last;
      if (!cell.has_last || p.last_time_ns > cell.last_time_ns) {
        cell.last = p.last;
        cell.last_time_ns = p.last_time_ns;
        cell.has_last = true;
      }
      if (!counter) {  // pool the raw values
        cell.count += p.count;
        cell.sum += p.sum;
        cell.min = std::min(cell.min, p.min);
        cell.max = std::max(cell.max, p.max);
        if (quantile) cell.values.insert(cell.values.end(), p.values.begin(), p.values.end());
      } else if (p.has_increase) {  // one value per series
        const double v = rate ? p.increase / c.grid.bucket_seconds(p.bucket) : p.increase;
        ++cell.count;
        cell.sum += v;
        cell.min = std::min(cell.min, v);
        cell.max = std::max(cell.max, v);
        if (quantile) cell.values.push_back(v);
      }
    }
  }
  cells.drain([&](size_t b, number_cell& cell) {
    if (op == aggregation::last) {
      if (cell.has_last) add_point(out, c.grid, b, counter ? cell.sum_of_lasts : cell.last);
      return;
    }
    if (cell.count == 0) return;  // a counter bucket holding only a baseline point
    switch (op) {
      case aggregation::sum: add_point(out, c.grid, b, counter ? cell.sum : cell.sum_of_lasts); break;
      case aggregation::avg: add_point(out, c.grid, b, cell.sum / static_cast<double>(cell.count)); break;
      case aggregation::min: add_point(out, c.grid, b, cell.min); break;
      case aggregation::max: add_point(out, c.grid, b, cell.max); break;
      case aggregation::count: add_point(out, c.grid, b, static_cast<double>(cell.count)); break;
      case aggregation::quantile: add_point(out, c.grid, b, quantile_linear(cell.values, c.query.agg.q)); break;
      case aggregation::last: break;
    }
  });
}

// The value of a merged delta histogram (either kind) for the query's aggregation; NaN
// for "no point".
template <class Histogram>
double histogram_value(const Histogram& h, const range_query& query, double seconds) {
  const double nan = std::nan("");
  const double per = query.fn == transform::rate ? seconds : 1;
  const double count = static_cast<double>(h.count);
  switch (query.agg.op) {
    case aggregation::quantile: return within_observed(quantile(h, query.agg.q), h.min, h.max);
    case aggregation::count: return count / per;
    case aggregation::sum: return h.sum / per;
    case aggregation::avg: return h.count == 0 ? nan : h.sum / count;
    case aggregation::min: return h.count == 0 ? nan : h.min;
    case aggregation::max: return h.count == 0 ? nan : h.max;
    case aggregation::last: return nan;  // rejected before evaluation
  }
  return nan;
}

template <class Partial, class Produce>
void eval_histograms(const context& c, const std::vector<size_t>& members, Produce produce,
                     std::vector<point>& out) {
  using histogram = decltype(Partial::delta);
  thread_local partial_list<Partial> partials;
  bucket_cells<histogram> cells(c.grid.size);
  for (size_t i : members) {
    produce(c.data.series[i], partials);
    for (const Partial& p : partials) merge(cells.at(p.bucket), p.delta);
  }
  cells.drain([&](size_t b, const histogram& h) {
    const double v = histogram_value(h, c.query, c.grid.bucket_seconds(b));
    if (!std::isnan(v)) add_point(out, c.grid, b, v);
  });
}

bool check(const series_set& data, const range_query& query, std::string& error) {
  const aggregate& agg = query.agg;
  if (agg.op == aggregation::quantile && !(agg.q >= 0 && agg.q <= 1)) {
    error = "quantile out of range: " + std::to_string(agg.q) + " (0..1)";
    return false;
  }
  const metric_info& m = data.metric;
  const bool transformed = query.fn != transform::none;
  switch (m.kind) {
    case metric_kind::gauge:
    case metric_kind::up_down:
      if (transformed) {
        error = std::string(query.fn == transform::rate ? "rate" : "increase") +
                " needs a counter or a histogram: " + m.name + " is " +
                (m.kind == metric_kind::gauge ? "a gauge" : "an up-down counter");
        return false;
      }
      return true;
    case metric_kind::counter:
      if (agg.op == aggregation::last && m.temporality == temporality::delta) {
        error = "last needs cumulative values: " + m.name + " is a delta counter (use sum)";
        return false;
      }
      if (agg.op == aggregation::last && transformed) {
        error = "last is the counter's value, not a rate or increase: drop the function";
        return false;
      }
      return true;
    case metric_kind::histogram:
    case metric_kind::exponential_histogram:
      if (agg.op == aggregation::last) {
        error = "last is not defined for histograms: " + m.name +
                " (use count, sum, avg, min, max or a percentile)";
        return false;
      }
      return true;
  }
  error = "unknown metric kind";
  return false;
}

void smooth(std::vector<point>& points, size_t n) {
  // Recomputed per point (not a running sum) so that an Inf leaving the window leaves.
  std::vector<double> values(points.size());
  for (size_t i = 0; i < points.size(); ++i) values[i] = points[i].value;
  for (size_t i = 0; i < points.size(); ++i) {
    const size_t first = i + 1 >= n ? i + 1 - n : 0;
    double sum = 0;
    for (size_t j = first; j <= i; ++j) sum += values[j];
    points[i].value = sum / static_cast<double>(i + 1 - first);
  }
}

}  // namespace

bool evaluate(const series_set& data, const range_query& query, std::vector<result_series>& out,
              std::string& error) {
  out.clear();
  time_grid grid;
  if (!time_grid::make(query.start_ns, query.end_ns, query.step_ns, max_buckets, grid, error) ||
      !check(data, query, error)) {
    return false;
  }
  if (grid.size == 0) return true;

  std::vector<std::string> by = query.by;
  std::sort(by.begin(), by.end());
  by.erase(std::unique(by.begin(), by.end()), by.end());
  std::map<label_set, std::vector<size_t>> groups;  // ordered: results come out sorted
  for (size_t i = 0; i < data.series.size(); ++i) {
    label_set key;
    for (const std::string& name : by) {
      const std::string_view v = label_value(data.series[i].labels, name);
      if (!v.empty()) key.emplace_back(name, std::string(v));
    }
    groups[std::move(key)].push_back(i);
  }

  const context c{data, query, grid};
  const temporality t = data.metric.temporality;
  for (auto& [labels, members] : groups) {
    result_series r;
    switch (data.metric.kind) {
      case metric_kind::gauge:
      case metric_kind::up_down:
      case metric_kind::counter: eval_numbers(c, members, r.points); break;
      case metric_kind::histogram:
        eval_histograms<histogram_partial>(
            c, members,
            [&](const series& s, partial_list<histogram_partial>& p) {
              histogram_partials(s.histograms, t, grid, p);
            },
            r.points);
        break;
      case metric_kind::exponential_histogram:
        eval_histograms<exponential_partial>(
            c, members,
            [&](const series& s, partial_list<exponential_partial>& p) {
              exponential_partials(s.exponential_histograms, t, grid, p);
            },
            r.points);
        break;
    }
    if (r.points.empty()) continue;
    if (query.moving_average > 1) smooth(r.points, query.moving_average);
    r.labels = labels;
    out.push_back(std::move(r));
  }
  return true;
}

}  // namespace agtel::query
