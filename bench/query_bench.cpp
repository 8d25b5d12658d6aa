// The query engine (issue 7) on in-memory series_sets, as the store would hand them over.
//
//   BM_query_histogram_p95_1h/<step s>  p95 of a cumulative explicit histogram (15
//                              bounds) over 1 hour × 1,000 series at 15 s (240 points per
//                              series plus one baseline before the hour); step 0 = one
//                              bucket, 60 = one point per minute.
//   BM_query_*_1M              1,000 series × 1,000 points = 1,000,000 raw points, 10 s
//                              apart, one bucket per minute:
//     gauge_p95, gauge_avg_by   pooled raw-value p95; avg grouped by a 10-value label
//     counter_rate_sum          cumulative counters with a reset every 100 points
//     histogram_p95             cumulative histograms, 15 bounds
//     summarize_gauge, summarize_counter
//     anomalies                 find_anomalies over 1,000 result series × 1,000 points,
//                               window 30, k 3
//     moving_average            evaluate avg with a 10-point moving average
//
// Budgets (issue 7): histogram p95 over 1 h × 1,000 series ≤ 20 ms; any function over
// 1,000,000 raw points ≤ 100 ms.
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "query/query.hpp"

namespace {

using namespace agtel::query;

constexpr int64_t s = 1'000'000'000;
constexpr int64_t t0 = 1'700'000'000 * s;
const std::vector<double> bounds = {0,   5,   10,   25,   50,   75,   100, 250,
                                    500, 750, 1000, 2500, 5000, 7500, 10000};

label_set labels_of(size_t i) {
  return {{"agent", "agent-" + std::to_string(i % 10)}, {"instance", std::to_string(i)},
          {"service.name", "svc"}};
}

// Cumulative histograms: `points` points `interval` apart starting at t0 - interval (the
// first is the baseline before the range).
series_set histogram_set(size_t n_series, size_t points, int64_t interval) {
  series_set d;
  d.metric = {"latency", "ms", "", metric_kind::histogram, temporality::cumulative};
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> latency(4, 1.2);
  for (size_t i = 0; i < n_series; ++i) {
    series se;
    se.labels = labels_of(i);
    histogram_sample h;
    h.start_ns = t0 - 3600 * s;
    h.bounds = bounds;
    h.counts.assign(bounds.size() + 1, 0);
    h.min = h.max = std::nan("");
    for (size_t p = 0; p < points; ++p) {
      for (int k = 0; k < 20; ++k) {  // 20 observations per interval
        const double v = latency(rng);
        const size_t b = static_cast<size_t>(std::lower_bound(bounds.begin(), bounds.end(), v) - bounds.begin());
        ++h.counts[b];
        ++h.count;
        h.sum += v;
      }
      h.time_ns = t0 - interval + static_cast<int64_t>(p) * interval;
      se.histograms.push_back(h);
    }
    d.series.push_back(std::move(se));
  }
  return d;
}

series_set number_set(metric_kind kind) {
  series_set d;
  d.metric = {"m", "1", "", kind,
              kind == metric_kind::counter ? temporality::cumulative : temporality::unspecified};
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(100, 15);
  for (size_t i = 0; i < 1000; ++i) {
    series se;
    se.labels = labels_of(i);
    double total = 0;
    for (int64_t p = 0; p < 1000; ++p) {
      double v = noise(rng);
      if (kind == metric_kind::counter) {
        total = p % 100 == 99 ? 0 : total + std::fabs(v);  // a reset every 100 points
        v = total;
      }
      se.numbers.push_back({t0 + p * 10 * s, t0 - s, v});
    }
    d.series.push_back(std::move(se));
  }
  return d;
}

range_query minute_range(int64_t seconds, aggregate agg) {
  range_query q;
  q.start_ns = t0;
  q.end_ns = t0 + seconds * s;
  q.step_ns = 60 * s;
  q.agg = agg;
  return q;
}

void run(benchmark::State& state, const series_set& d, const range_query& q) {
  std::vector<result_series> out;
  std::string error;
  for (auto _ : state) {
    if (!evaluate(d, q, out, error)) state.SkipWithError(error.c_str());
    benchmark::DoNotOptimize(out.data());
  }
  size_t points = 0;
  for (const auto& r : out) points += r.points.size();
  state.counters["result_points"] = static_cast<double>(points);
}

void BM_query_histogram_p95_1h(benchmark::State& state) {
  static const series_set d = histogram_set(1000, 241, 15 * s);
  range_query q = minute_range(3600, {aggregation::quantile, 0.95});
  q.step_ns = state.range(0) * s;
  run(state, d, q);
}
BENCHMARK(BM_query_histogram_p95_1h)->Arg(0)->Arg(60)->Unit(benchmark::kMillisecond);

const series_set& gauges() {
  static const series_set d = number_set(metric_kind::gauge);
  return d;
}
const series_set& counters() {
  static const series_set d = number_set(metric_kind::counter);
  return d;
}

void BM_query_gauge_p95_1M(benchmark::State& state) {
  run(state, gauges(), minute_range(10000, {aggregation::quantile, 0.95}));
}
BENCHMARK(BM_query_gauge_p95_1M)->Unit(benchmark::kMillisecond);

void BM_query_gauge_avg_by_1M(benchmark::State& state) {
  range_query q = minute_range(10000, {aggregation::avg, 0});
  q.by = {"agent"};
  run(state, gauges(), q);
}
BENCHMARK(BM_query_gauge_avg_by_1M)->Unit(benchmark::kMillisecond);

void BM_query_moving_average_1M(benchmark::State& state) {
  range_query q = minute_range(10000, {aggregation::avg, 0});
  q.by = {"instance"};  // 1,000 result series of 167 points
  q.moving_average = 10;
  run(state, gauges(), q);
}
BENCHMARK(BM_query_moving_average_1M)->Unit(benchmark::kMillisecond);

void BM_query_counter_rate_sum_1M(benchmark::State& state) {
  range_query q = minute_range(10000, {aggregation::sum, 0});
  q.fn = transform::rate;
  run(state, counters(), q);
}
BENCHMARK(BM_query_counter_rate_sum_1M)->Unit(benchmark::kMillisecond);

void BM_query_histogram_p95_1M(benchmark::State& state) {
  static const series_set d = histogram_set(1000, 1000, 10 * s);
  run(state, d, minute_range(10000, {aggregation::quantile, 0.95}));
}
BENCHMARK(BM_query_histogram_p95_1M)->Unit(benchmark::kMillisecond);

void summarize_bench(benchmark::State& state, const series_set& d) {
  summary out;
  std::string error;
  for (auto _ : state) {
    if (!summarize(d, t0, t0 + 10000 * s, out, error)) state.SkipWithError(error.c_str());
    benchmark::DoNotOptimize(out);
  }
  state.counters["count"] = static_cast<double>(out.count);
}
void BM_query_summarize_gauge_1M(benchmark::State& state) { summarize_bench(state, gauges()); }
BENCHMARK(BM_query_summarize_gauge_1M)->Unit(benchmark::kMillisecond);
void BM_query_summarize_counter_1M(benchmark::State& state) { summarize_bench(state, counters()); }
BENCHMARK(BM_query_summarize_counter_1M)->Unit(benchmark::kMillisecond);

void BM_query_anomalies_1M(benchmark::State& state) {
  std::vector<result_series> in;
  for (const series& se : gauges().series) {
    result_series r{se.labels, {}};
    for (const number_sample& p : se.numbers) r.points.push_back({p.time_ns, p.value});
    in.push_back(std::move(r));
  }
  size_t found = 0;
  for (auto _ : state) {
    auto a = find_anomalies(in, 30, 3);
    found = a.size();
    benchmark::DoNotOptimize(a.data());
  }
  state.counters["anomalies"] = static_cast<double>(found);
}
BENCHMARK(BM_query_anomalies_1M)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
