// evaluate() on explicit-bucket histograms: cumulative differences and resets, delta
// sums, differing bounds, the +Inf bucket and Prometheus's quantile rules.
#include <gtest/gtest.h>

#include "query_fixture.hpp"

namespace agtel::test {
namespace {

using namespace query_data;

histogram_sample hist(int64_t t, std::vector<double> bounds, std::vector<uint64_t> counts,
                      double sum, int64_t start = 0, double min = nan, double max = nan) {
  histogram_sample h;
  h.time_ns = t * s;
  h.start_ns = start * s;
  for (uint64_t c : counts) h.count += c;
  h.sum = sum;
  h.min = min;
  h.max = max;
  h.bounds = std::move(bounds);
  h.counts = std::move(counts);
  return h;
}

series hseries(label_set labels, std::vector<histogram_sample> points) {
  series out;
  out.labels = std::move(labels);
  out.histograms = std::move(points);
  return out;
}

series_set histograms(temporality t, std::vector<series> list) {
  return metric(metric_kind::histogram, t, std::move(list));
}

const std::vector<double> b125 = {1, 2, 5};

// Cumulative, bounds {1, 2, 5}: {1,1,0,0}@5 (baseline), {2,2,1,1}@15, {3,3,3,1}@25.
// Deltas: [10,20) {1,1,1,1} count 4 sum 9; [20,30) {1,1,2,0} count 4 sum 8.
series_set cumulative() {
  return histograms(temporality::cumulative,
                    {hseries({}, {hist(5, b125, {1, 1, 0, 0}, 3), hist(15, b125, {2, 2, 1, 1}, 12),
                                  hist(25, b125, {3, 3, 3, 1}, 20)})});
}

TEST(QueryHistogram, QuantilesLikePrometheus) {
  const auto d = cumulative();
  const auto q = [](double quantile) { return range(10, 30, 10, aggregation::quantile, quantile); };
  // Bucket 0, cumulative 1 2 3 4: rank 2 lands in (1, 2] exactly at its top.
  EXPECT_EQ(eval1(d, q(0.5)), (pts{{20, 2}, {30, 2}}));
  // rank 0.4 in the first bucket, interpolated from 0 (its upper bound is positive).
  expect_near(eval1(d, q(0.1)), {{20, 0.4}, {30, 0.4}});
  // Bucket 1, cumulative 1 2 4 4: rank 3 in (2, 5] holding 2 → 2 + 3·(1/2).
  expect_near(eval1(d, q(0.75)), {{20, 5}, {30, 3.5}});
  // Bucket 0: rank 3.6 is in +Inf: the highest finite bound. Bucket 1: 2 + 3·(1.6/2).
  expect_near(eval1(d, q(0.9)), {{20, 5}, {30, 4.4}});
  EXPECT_EQ(eval1(d, q(1)), (pts{{20, 5}, {30, 5}}));
}

TEST(QueryHistogram, CountSumAvgRate) {
  const auto d = cumulative();
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::count)), (pts{{20, 4}, {30, 4}}));
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::sum)), (pts{{20, 9}, {30, 8}}));
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::avg)), (pts{{20, 2.25}, {30, 2}}));
  auto q = range(10, 30, 10, aggregation::count);
  q.fn = transform::rate;
  expect_near(eval1(d, q), {{20, 0.4}, {30, 0.4}});
  q.agg = aggregate{aggregation::quantile, 0.5};  // a ratio: unchanged by rate
  EXPECT_EQ(eval1(d, q), (pts{{20, 2}, {30, 2}}));
  // Cumulative differences do not know min/max: no points.
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::min)), pts{});
  EXPECT_NE(eval_error(d, range(10, 30, 10, aggregation::last)).find("histograms"),
            std::string::npos);
}

TEST(QueryHistogram, ResetsCountFromZero) {
  // {3,3,3,1}@25 then {0,1,0,0}@27: the count fell, a reset: bucket 1 gets
  // {1,1,2,0} + {0,1,0,0} (its start time 26 s says nothing next to the unknown 0 before).
  // Then a restart (start 26 s → 27 s) @28 with more counts than before: counted whole.
  auto d = cumulative();
  auto& points = d.series[0].histograms;
  points.push_back(hist(27, b125, {0, 1, 0, 0}, 1.5, 26));
  points.push_back(hist(28, b125, {9, 9, 9, 9}, 100, 28));
  points.back().start_ns = 27 * s + 1;
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::count)), (pts{{20, 4}, {30, 41}}));
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::sum)), (pts{{20, 9}, {30, 109.5}}));
}

TEST(QueryHistogram, StreamStartingInTheRangeKnowsMinMax) {
  const auto d = histograms(temporality::cumulative,
                            {hseries({}, {hist(12, b125, {1, 0, 1, 0}, 4.5, 11, 0.5, 4)})});
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::min)), (pts{{20, 0.5}}));
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::max)), (pts{{20, 4}}));
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::count)), (pts{{20, 2}}));
  // Started before the range with no earlier point: only a baseline, no data.
  const auto before = histograms(temporality::cumulative,
                                 {hseries({}, {hist(12, b125, {1, 0, 1, 0}, 4.5, 5)})});
  EXPECT_EQ(eval1(before, range(10, 20, 10, aggregation::count)), pts{});
}

TEST(QueryHistogram, DeltaWithDifferingBounds) {
  // X bounds {1, 2}: {1, 2, 3}; Y bounds {2, 4}: {4, 5, 6}. Union {1, 2, 4}:
  // X → {1, 2, 0, 3}; Y's (−Inf, 2] lands in (1, 2]: {0, 4, 5, 6}. Merged {1, 6, 5, 9},
  // cumulative 1 7 12 21.
  const auto d = histograms(
      temporality::delta,
      {hseries({{"id", "x"}}, {hist(12, {1, 2}, {1, 2, 3}, 30, 11, 0.5, 10)}),
       hseries({{"id", "y"}}, {hist(15, {2, 4}, {4, 5, 6}, 60, 14, 0.1, 20)})});
  // p50: rank 10.5 in (2, 4] holding 5, 3.5 into it → 2 + 2·0.7.
  expect_near(eval1(d, range(10, 20, 10, aggregation::quantile, 0.5)), {{20, 3.4}});
  // p99: rank 20.79 in +Inf → 4.
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::quantile, 0.99)), (pts{{20, 4}}));
  // p20: rank 4.2 in (1, 2] holding 6 → 1 + 3.2/6.
  expect_near(eval1(d, range(10, 20, 10, aggregation::quantile, 0.2)), {{20, 1 + 3.2 / 6}});
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::count)), (pts{{20, 21}}));
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::sum)), (pts{{20, 90}}));
  expect_near(eval1(d, range(10, 20, 10, aggregation::avg)), {{20, 90.0 / 21}});
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::min)), (pts{{20, 0.1}}));
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::max)), (pts{{20, 20}}));
}

TEST(QueryHistogram, DeltaPointsAddUpAndMinMaxNeedsEveryPart) {
  // Two delta points in one bucket add; the second has no min/max: min unknown.
  const auto d = histograms(temporality::delta,
                            {hseries({}, {hist(11, b125, {1, 0, 0, 0}, 0.5, 10, 0.5, 0.5),
                                          hist(12, b125, {0, 1, 0, 0}, 1.5, 11),
                                          hist(21, b125, {0, 0, 1, 0}, 3, 20, 3, 3)})});
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::count)), (pts{{20, 2}, {30, 1}}));
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::min)), (pts{{30, 3}}));
  // The second bucket's one value is known to be 3 (min = max = 3): interpolation in
  // (2, 5] would say 3.5, the observed range keeps it at 3. The first bucket's min/max are
  // unknown (one part did not tell): no clamp.
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::quantile, 0.5)), (pts{{20, 1}, {30, 3}}));
}

TEST(QueryHistogram, QuantilesStayWithinTheObservedMinAndMax) {
  // One delta point: 4 values in (1, 2], min 1.2, max 1.4; p99 by interpolation ≈ 1.99.
  const auto d = histograms(temporality::delta,
                            {hseries({}, {hist(11, b125, {0, 4, 0, 0}, 5.2, 10, 1.2, 1.4)})});
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::quantile, 0.99)), (pts{{20, 1.4}}));
  // p1 by interpolation ≈ 1.01: below the min.
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::quantile, 0.01)), (pts{{20, 1.2}}));
  query::summary sum;
  std::string error;
  ASSERT_TRUE(query::summarize(d, 10 * s, 20 * s, sum, error)) << error;
  EXPECT_EQ(sum.p99, 1.4);
  EXPECT_EQ(sum.max, 1.4);
}

TEST(QueryHistogram, PrometheusEdgeCases) {
  const auto q = range(10, 20, 10, aggregation::quantile, 0.5);
  // Lowest bucket with a non-positive upper bound: its bound is the answer.
  EXPECT_EQ(eval1(histograms(temporality::delta,
                             {hseries({}, {hist(11, {-1, 0, 1}, {2, 0, 0, 0}, -4)})}),
                  q),
            (pts{{20, -1}}));
  // No finite bound (only +Inf): no answer.
  EXPECT_EQ(eval1(histograms(temporality::delta, {hseries({}, {hist(11, {}, {5}, 10)})}), q),
            pts{});
  // No observations: no quantile, no avg, but a count of 0.
  const auto empty = histograms(temporality::delta, {hseries({}, {hist(11, b125, {0, 0, 0, 0}, 0)})});
  EXPECT_EQ(eval1(empty, q), pts{});
  EXPECT_EQ(eval1(empty, range(10, 20, 10, aggregation::avg)), pts{});
  EXPECT_EQ(eval1(empty, range(10, 20, 10, aggregation::count)), (pts{{20, 0}}));
  // Explicit +Inf among the bounds coalesces with the overflow bucket.
  EXPECT_EQ(eval1(histograms(temporality::delta,
                             {hseries({}, {hist(11, {1, inf}, {1, 1, 2}, 10)})}),
                  range(10, 20, 10, aggregation::quantile, 0.9)),
            (pts{{20, 1}}));
  // An inconsistent point (counts do not match bounds) is skipped.
  auto bad = hist(11, b125, {1, 1}, 1);
  EXPECT_EQ(eval1(histograms(temporality::delta, {hseries({}, {bad})}),
                  range(10, 20, 10, aggregation::count)),
            pts{});
}

TEST(QueryHistogram, GroupBy) {
  const auto d = histograms(temporality::delta,
                            {hseries({{"m", "a"}}, {hist(11, b125, {1, 0, 0, 0}, 1)}),
                             hseries({{"m", "b"}}, {hist(11, b125, {0, 0, 2, 0}, 8)}),
                             hseries({{"m", "a"}}, {hist(12, b125, {0, 1, 0, 0}, 2)})});
  auto q = range(10, 20, 10, aggregation::count);
  q.by = {"m"};
  std::vector<result_series> out;
  std::string error;
  ASSERT_TRUE(evaluate(d, q, out, error)) << error;
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(seconds(out[0]), (pts{{20, 2}}));
  EXPECT_EQ(seconds(out[1]), (pts{{20, 2}}));
}

}  // namespace
}  // namespace agtel::test
