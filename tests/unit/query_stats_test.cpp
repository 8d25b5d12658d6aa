// summarize(), find_anomalies() and the numpy-style quantile of raw values.
#include <gtest/gtest.h>

#include <cmath>

#include "query/stats.hpp"
#include "query_fixture.hpp"

namespace agtel::test {
namespace {

using namespace query_data;

TEST(QueryQuantileLinear, MatchesNumpy) {
  // numpy.quantile([1, 2, 3, 10], q) for q = 0, .25, .5, .9, 1: 1, 1.75, 2.5, 7.9, 10.
  const double expected[][2] = {{0, 1}, {0.25, 1.75}, {0.5, 2.5}, {0.9, 7.9}, {1, 10}};
  for (const auto& [q, value] : expected) {
    std::vector<double> v = {10, 3, 1, 2};
    EXPECT_DOUBLE_EQ(quantile_linear(v, q), value) << q;
  }
  std::vector<double> one = {4};
  EXPECT_EQ(quantile_linear(one, 0.99), 4);
  std::vector<double> none;
  EXPECT_TRUE(std::isnan(quantile_linear(none, 0.5)));
  std::vector<double> infinite = {inf, inf, 1};
  EXPECT_EQ(quantile_linear(infinite, 0.75), inf);  // between +Inf and +Inf: +Inf, not NaN
}

TEST(QueryQuantileLinear, SeveralAtOnceMatchOneByOne) {
  std::vector<double> v;
  for (int i = 0; i < 101; ++i) v.push_back((i * 37) % 101 + 0.5 * (i % 3));
  const double qs[] = {0, 0.1, 0.5, 0.5, 0.95, 0.99, 1};
  double together[7];
  std::vector<double> work = v;
  quantiles_linear(work, qs, together);
  for (size_t i = 0; i < 7; ++i) {
    std::vector<double> alone = v;
    EXPECT_EQ(together[i], quantile_linear(alone, qs[i])) << qs[i];
  }
  std::vector<double> none;
  double out[2];
  quantiles_linear(none, std::span<const double>(qs, 2), out);
  EXPECT_TRUE(std::isnan(out[0]) && std::isnan(out[1]));
}

summary stats(const series_set& d, int64_t start, int64_t end) {
  summary out;
  std::string error;
  EXPECT_TRUE(summarize(d, start * s, end * s, out, error)) << error;
  return out;
}

TEST(QuerySummarize, GaugeRawValues) {
  // 1, 2, 3, 4 (NaN skipped; 100@0 and 100@20 outside [1, 20)).
  const auto d = metric(metric_kind::gauge, temporality::unspecified,
                        {numbers({}, {{0, 100}, {1, 1}, {2, 3}, {3, nan}, {20, 100}}),
                         numbers({}, {{5, 4}, {6, 2}})});
  const summary r = stats(d, 1, 20);
  EXPECT_EQ(r.count, 4u);
  EXPECT_EQ(r.min, 1);
  EXPECT_EQ(r.max, 4);
  EXPECT_EQ(r.avg, 2.5);
  EXPECT_DOUBLE_EQ(r.stddev, std::sqrt(1.25));  // population
  EXPECT_EQ(r.p50, 2.5);
  EXPECT_DOUBLE_EQ(r.p95, 3.85);  // h = 2.85
  EXPECT_DOUBLE_EQ(r.p99, 3.97);
}

TEST(QuerySummarize, CounterIncreases) {
  // 10@5 baseline; increases 5, 10, 3 (reset), 5.
  const auto d = metric(metric_kind::counter, temporality::cumulative,
                        {numbers({}, {{5, 10}, {15, 15}, {25, 25}, {27, 3}, {35, 8}})});
  const summary r = stats(d, 10, 40);
  EXPECT_EQ(r.count, 4u);
  EXPECT_EQ(r.min, 3);
  EXPECT_EQ(r.max, 10);
  EXPECT_EQ(r.avg, 5.75);
  EXPECT_DOUBLE_EQ(r.stddev, std::sqrt(26.75 / 4));
  EXPECT_EQ(r.p50, 5);
  const auto delta = metric(metric_kind::counter, temporality::delta,
                            {numbers({}, {{11, 2}, {12, 4}})});
  const summary rd = stats(delta, 10, 20);
  EXPECT_EQ(rd.count, 2u);
  EXPECT_EQ(rd.avg, 3);
  EXPECT_EQ(rd.stddev, 1);
}

TEST(QuerySummarize, HistogramFromBuckets) {
  // Cumulative {1,1,0,0}@5, {2,2,1,1}@15, {3,3,3,1}@25 over [10, 30): delta {2,2,3,1}.
  series one;
  auto h = [](int64_t t, std::vector<uint64_t> counts, double sum) {
    histogram_sample p;
    p.time_ns = t * s;
    for (uint64_t c : counts) p.count += c;
    p.sum = sum;
    p.min = p.max = nan;
    p.bounds = {1, 2, 5};
    p.counts = std::move(counts);
    return p;
  };
  one.histograms = {h(5, {1, 1, 0, 0}, 3), h(15, {2, 2, 1, 1}, 12), h(25, {3, 3, 3, 1}, 20)};
  const auto d = metric(metric_kind::histogram, temporality::cumulative, {one});
  const summary r = stats(d, 10, 30);
  EXPECT_EQ(r.count, 8u);
  EXPECT_EQ(r.avg, 17.0 / 8);
  EXPECT_TRUE(std::isnan(r.min));  // differences of cumulative points: unknown
  EXPECT_TRUE(std::isnan(r.stddev));
  EXPECT_EQ(r.p50, 2);    // rank 4: the top of (1, 2]
  EXPECT_EQ(r.p95, 5);    // rank 7.6 lies in +Inf: the highest finite bound
  EXPECT_EQ(r.p99, 5);
}

TEST(QuerySummarize, EmptyAndErrors) {
  const auto d = metric(metric_kind::gauge, temporality::unspecified, {numbers({}, {{1, 1}})});
  const summary r = stats(d, 10, 20);
  EXPECT_EQ(r.count, 0u);
  EXPECT_TRUE(std::isnan(r.avg));
  EXPECT_TRUE(std::isnan(r.p99));
  EXPECT_EQ(stats(d, 5, 5).count, 0u);
  summary out;
  std::string error;
  EXPECT_FALSE(summarize(d, 20 * s, 10 * s, out, error));
  EXPECT_NE(error.find("ends before"), std::string::npos);
}

result_series values(label_set labels, std::vector<double> v) {
  result_series r;
  r.labels = std::move(labels);
  for (size_t i = 0; i < v.size(); ++i) r.points.push_back({static_cast<int64_t>(i) * s, v[i]});
  return r;
}

TEST(QueryAnomalies, TrailingWindow) {
  const std::vector<result_series> in = {
      values({{"id", "flat"}}, {1, 1, 1, 1, 5, 1}),
      values({{"id", "ramp"}}, {1, 2, 3, 4, 10, 3}),
  };
  const auto found = find_anomalies(in, 4, 3);
  ASSERT_EQ(found.size(), 2u);
  // Flat window: stddev 0, any other value is an anomaly with z = +Inf. The 1 after the
  // 5: window {1,1,1,5}, mean 2, stddev √3, |1 − 2| < 3√3.
  EXPECT_EQ(found[0].labels, (label_set{{"id", "flat"}}));
  EXPECT_EQ(found[0].time_ns, 4 * s);
  EXPECT_EQ(found[0].value, 5);
  EXPECT_EQ(found[0].mean, 1);
  EXPECT_EQ(found[0].stddev, 0);
  EXPECT_EQ(found[0].z, inf);
  // Window {1,2,3,4}: mean 2.5, stddev √1.25; 10 is 7.5 away, z = 7.5/√1.25 ≈ 6.7.
  EXPECT_EQ(found[1].time_ns, 4 * s);
  EXPECT_EQ(found[1].mean, 2.5);
  EXPECT_DOUBLE_EQ(found[1].stddev, std::sqrt(1.25));
  EXPECT_DOUBLE_EQ(found[1].z, 7.5 / std::sqrt(1.25));
  // Lower k: more anomalies; a drop gives a negative z.
  const auto low = find_anomalies({values({}, {1, 2, 1, 2, -5})}, 4, 1);
  ASSERT_EQ(low.size(), 1u);
  EXPECT_DOUBLE_EQ(low[0].z, -6.5 / 0.5);
}

TEST(QueryAnomalies, NeedsAFullWindow) {
  EXPECT_TRUE(find_anomalies({values({}, {1, 1, 100})}, 3, 1).empty());
  EXPECT_TRUE(find_anomalies({values({}, {1, 1, 100})}, 0, 1).empty());
  EXPECT_TRUE(find_anomalies({}, 3, 1).empty());
  // A value equal to a flat window's mean is not an anomaly; Inf in the window finds none.
  EXPECT_TRUE(find_anomalies({values({}, {2, 2, 2})}, 2, 0).empty());
  EXPECT_TRUE(find_anomalies({values({}, {inf, 1, 100})}, 2, 1).empty());
}

}  // namespace
}  // namespace agtel::test
