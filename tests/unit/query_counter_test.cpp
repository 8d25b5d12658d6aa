// evaluate() on counters: cumulative (baselines before the range, resets by value and by
// start time, streams starting in the range) and delta, rate and increase, the
// cross-series aggregations.
#include <gtest/gtest.h>

#include "query_fixture.hpp"

namespace agtel::test {
namespace {

using namespace query_data;

// Buckets [10,20) → 20, [20,30) → 30, [30,40) → 40.
// A (start unknown): 10@5 (before the range: the baseline), 15@15, 25@25, 3@27 (reset:
//   the value fell), 8@35. Increases: 5 | 10 + 3 | 5.
// B: started at 12 s (inside the range, so it counts from 0): 4@15, 6@18, then restarted
//   at 31 s: 7@32 (higher than 6, but a new start: a reset). Increases: 6 | - | 7.
series_set counters() {
  return metric(metric_kind::counter, temporality::cumulative,
                {numbers({{"id", "a"}}, {{5, 10}, {15, 15}, {25, 25}, {27, 3}, {35, 8}}),
                 numbers({{"id", "b"}}, {{15, 4, 12}, {18, 6, 12}, {32, 7, 31}})});
}

TEST(QueryCounter, PerSeriesIncreaseWithResets) {
  const auto d = counters();
  auto q = range(10, 40, 10, aggregation::sum);
  q.by = {"id"};
  std::vector<result_series> out;
  std::string error;
  ASSERT_TRUE(evaluate(d, q, out, error)) << error;
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(seconds(out[0]), (pts{{20, 5}, {30, 13}, {40, 5}}));
  EXPECT_EQ(seconds(out[1]), (pts{{20, 6}, {40, 7}}));

  q.fn = transform::increase;  // the same thing, said explicitly
  ASSERT_TRUE(evaluate(d, q, out, error)) << error;
  EXPECT_EQ(seconds(out[0]), (pts{{20, 5}, {30, 13}, {40, 5}}));

  q.fn = transform::rate;  // per second of the 10 s bucket
  ASSERT_TRUE(evaluate(d, q, out, error)) << error;
  expect_near(seconds(out[0]), {{20, 0.5}, {30, 1.3}, {40, 0.5}});
  expect_near(seconds(out[1]), {{20, 0.6}, {40, 0.7}});
}

TEST(QueryCounter, AcrossSeries) {
  const auto d = counters();
  const auto q = [](aggregation op, double quantile = 0) { return range(10, 40, 10, op, quantile); };
  EXPECT_EQ(eval1(d, q(aggregation::sum)), (pts{{20, 11}, {30, 13}, {40, 12}}));
  EXPECT_EQ(eval1(d, q(aggregation::avg)), (pts{{20, 5.5}, {30, 13}, {40, 6}}));
  EXPECT_EQ(eval1(d, q(aggregation::min)), (pts{{20, 5}, {30, 13}, {40, 5}}));
  EXPECT_EQ(eval1(d, q(aggregation::max)), (pts{{20, 6}, {30, 13}, {40, 7}}));
  EXPECT_EQ(eval1(d, q(aggregation::count)), (pts{{20, 2}, {30, 1}, {40, 2}}));
  EXPECT_EQ(eval1(d, q(aggregation::quantile, 0.5)), (pts{{20, 5.5}, {30, 13}, {40, 6}}));
  // last: the sum of the series' latest cumulative values: 15 + 6 | 3 | 8 + 7.
  EXPECT_EQ(eval1(d, q(aggregation::last)), (pts{{20, 21}, {30, 3}, {40, 15}}));
  auto rate = q(aggregation::sum);
  rate.fn = transform::rate;
  expect_near(eval1(d, rate), {{20, 1.1}, {30, 1.3}, {40, 1.2}});
}

TEST(QueryCounter, RateUsesTheClippedBucketLength) {
  const auto d = counters();
  auto q = range(10, 36, 10, aggregation::sum);  // the last bucket is [30, 36): 6 s
  q.fn = transform::rate;
  q.by = {"id"};
  std::vector<result_series> out;
  std::string error;
  ASSERT_TRUE(evaluate(d, q, out, error)) << error;
  ASSERT_EQ(out.size(), 2u);
  expect_near(seconds(out[0]), {{20, 0.5}, {30, 1.3}, {36, 5.0 / 6}});
}

TEST(QueryCounter, FirstPointWithoutBaseline) {
  // C started at 1 s, before the range, and the store has no earlier point: its first
  // point is only the baseline. D's only point has no baseline at all: no increase, but
  // it still has a value for `last`.
  const auto d = metric(metric_kind::counter, temporality::cumulative,
                        {numbers({{"id", "c"}}, {{12, 100, 1}, {14, 104, 1}}),
                         numbers({{"id", "d"}}, {{22, 50}})});
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::sum)), (pts{{20, 4}}));
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::count)), (pts{{20, 1}}));
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::last)), (pts{{20, 104}, {30, 50}}));
  // A whole-range bucket: the same increase (no extrapolation to the edges).
  EXPECT_EQ(eval1(d, range(10, 30, 0, aggregation::sum)), (pts{{30, 4}}));
}

TEST(QueryCounter, IncreasesAddUpAcrossBuckets) {
  const auto d = counters();
  // One bucket over the range: A 5 + 13 + 5, B 6 + 7.
  EXPECT_EQ(eval1(d, range(10, 40, 0, aggregation::sum)), (pts{{40, 36}}));
}

TEST(QueryCounter, NaNPointsAreSkipped) {
  const auto d = metric(metric_kind::counter, temporality::cumulative,
                        {numbers({}, {{5, 1}, {15, nan}, {16, 4}})});
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::sum)), (pts{{20, 3}}));
}

TEST(QueryCounter, Delta) {
  // 100@5 lies before the range and is ignored; NaN skipped.
  const auto d = metric(metric_kind::counter, temporality::delta,
                        {numbers({{"id", "a"}}, {{5, 100}, {11, 2}, {15, 3}, {21, nan}, {25, 4}}),
                         numbers({{"id", "b"}}, {{12, 1}})});
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::sum)), (pts{{20, 6}, {30, 4}}));
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::max)), (pts{{20, 5}, {30, 4}}));
  EXPECT_EQ(eval1(d, range(10, 30, 10, aggregation::count)), (pts{{20, 2}, {30, 1}}));
  auto q = range(10, 30, 10, aggregation::sum);
  q.fn = transform::rate;
  expect_near(eval1(d, q), {{20, 0.6}, {30, 0.4}});
  EXPECT_NE(eval_error(d, range(10, 30, 10, aggregation::last)).find("delta counter"),
            std::string::npos);
}

TEST(QueryCounter, LastWithAFunctionIsAnError) {
  auto q = range(10, 40, 10, aggregation::last);
  q.fn = transform::rate;
  EXPECT_NE(eval_error(counters(), q).find("not a rate"), std::string::npos);
}

}  // namespace
}  // namespace agtel::test
