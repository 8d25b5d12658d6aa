// evaluate() on gauges and up-down sums: buckets, the two stages, grouping with missing
// labels, NaN/Inf, empty ranges, moving average, errors.
#include <gtest/gtest.h>

#include "query_fixture.hpp"

namespace agtel::test {
namespace {

using namespace query_data;

// A {job=api, zone=a}: 1@1 3@2 5@11 NaN@12; B {job=api}: 2@3 7@13;
// C {job=db, zone=b}: 10@5; buckets [0,10) → 10 s and [10,20) → 20 s.
series_set gauges(metric_kind kind = metric_kind::gauge) {
  return metric(kind, temporality::unspecified,
                {numbers({{"job", "api"}, {"zone", "a"}}, {{1, 1}, {2, 3}, {11, 5}, {12, nan}}),
                 numbers({{"job", "api"}}, {{3, 2}, {13, 7}}),
                 numbers({{"job", "db"}, {"zone", "b"}}, {{5, 10}})});
}

TEST(QueryGauge, EachAggregationOneGroup) {
  const auto d = gauges();
  // Raw values pooled: bucket 0 {1, 3, 2, 10}, bucket 1 {5, 7} (NaN skipped).
  EXPECT_EQ(eval1(d, range(0, 20, 10, aggregation::avg)), (pts{{10, 4}, {20, 6}}));
  EXPECT_EQ(eval1(d, range(0, 20, 10, aggregation::min)), (pts{{10, 1}, {20, 5}}));
  EXPECT_EQ(eval1(d, range(0, 20, 10, aggregation::max)), (pts{{10, 10}, {20, 7}}));
  EXPECT_EQ(eval1(d, range(0, 20, 10, aggregation::count)), (pts{{10, 4}, {20, 2}}));
  // sum: each series' last value in the bucket: 3 + 2 + 10, then 5 + 7.
  EXPECT_EQ(eval1(d, range(0, 20, 10, aggregation::sum)), (pts{{10, 15}, {20, 12}}));
  // last: the most recent value of the group: C@5, then B@13.
  EXPECT_EQ(eval1(d, range(0, 20, 10, aggregation::last)), (pts{{10, 10}, {20, 7}}));
  // p50 of {1, 2, 3, 10}: h = 1.5 → 2.5; of {5, 7}: 6. p90 of bucket 0: h = 2.7 → 3 + 0.7·7.
  EXPECT_EQ(eval1(d, range(0, 20, 10, aggregation::quantile, 0.5)), (pts{{10, 2.5}, {20, 6}}));
  expect_near(eval1(d, range(0, 20, 10, aggregation::quantile, 0.9)), {{10, 7.9}, {20, 6.8}});
  EXPECT_EQ(eval1(d, range(0, 20, 10, aggregation::quantile, 0)), (pts{{10, 1}, {20, 5}}));
  EXPECT_EQ(eval1(d, range(0, 20, 10, aggregation::quantile, 1)), (pts{{10, 10}, {20, 7}}));
}

TEST(QueryGauge, UpDownIsAGauge) {
  EXPECT_EQ(eval1(gauges(metric_kind::up_down), range(0, 20, 10, aggregation::sum)),
            (pts{{10, 15}, {20, 12}}));
}

TEST(QueryGauge, StepZeroIsOneBucketAndTheLastBucketIsClipped) {
  const auto d = gauges();
  expect_near(eval1(d, range(0, 20, 0, aggregation::avg)), {{20, 28.0 / 6}});
  // end 12: bucket 1 is [10, 12), its point at 12 s; 7@13 is outside.
  EXPECT_EQ(eval1(d, range(0, 12, 10, aggregation::max)), (pts{{10, 10}, {12, 5}}));
  // start 2: 1@1 is outside; buckets [2,12) → 12 and [12,22) → 20 (clipped).
  EXPECT_EQ(eval1(d, range(2, 20, 10, aggregation::count)), (pts{{12, 4}, {20, 1}}));
}

TEST(QueryGauge, EmptyBucketsAndRangesGiveNoPoints) {
  const auto d = gauges();
  // [20, 30) holds nothing: omitted, not zero.
  EXPECT_EQ(eval1(d, range(0, 30, 10, aggregation::sum)), (pts{{10, 15}, {20, 12}}));
  std::vector<result_series> out{result_series{}};
  std::string error;
  EXPECT_TRUE(evaluate(d, range(5, 5, 10, aggregation::avg), out, error));  // start == end
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(evaluate(d, range(100, 200, 10, aggregation::avg), out, error));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(evaluate(metric(metric_kind::gauge, temporality::unspecified, {}),
                       range(0, 20, 10, aggregation::avg), out, error));
  EXPECT_TRUE(out.empty());
}

TEST(QueryGauge, GroupByWithMissingLabels) {
  const auto d = gauges();
  auto q = range(0, 20, 10, aggregation::avg);
  q.by = {"job"};
  std::vector<result_series> out;
  std::string error;
  ASSERT_TRUE(evaluate(d, q, out, error)) << error;
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].labels, (label_set{{"job", "api"}}));
  EXPECT_EQ(seconds(out[0]), (pts{{10, 2}, {20, 6}}));
  EXPECT_EQ(out[1].labels, (label_set{{"job", "db"}}));
  EXPECT_EQ(seconds(out[1]), (pts{{10, 10}}));

  q.by = {"zone"};  // B has no zone: its own group, without the label
  ASSERT_TRUE(evaluate(d, q, out, error)) << error;
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].labels, label_set{});
  EXPECT_EQ(seconds(out[0]), (pts{{10, 2}, {20, 7}}));
  EXPECT_EQ(out[1].labels, (label_set{{"zone", "a"}}));
  EXPECT_EQ(seconds(out[1]), (pts{{10, 2}, {20, 5}}));
  EXPECT_EQ(out[2].labels, (label_set{{"zone", "b"}}));

  q.by = {"zone", "job", "zone"};  // sorted, duplicates dropped
  ASSERT_TRUE(evaluate(d, q, out, error)) << error;
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].labels, (label_set{{"job", "api"}}));
  EXPECT_EQ(out[1].labels, (label_set{{"job", "api"}, {"zone", "a"}}));
  EXPECT_EQ(out[2].labels, (label_set{{"job", "db"}, {"zone", "b"}}));

  q.by = {"nowhere"};  // nobody has it: one group without labels
  ASSERT_TRUE(evaluate(d, q, out, error)) << error;
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].labels, label_set{});
}

TEST(QueryGauge, EmptyLabelValueGroupsWithMissing) {
  const auto d = metric(metric_kind::gauge, temporality::unspecified,
                        {numbers({{"zone", ""}}, {{1, 1}}), numbers({}, {{2, 3}})});
  auto q = range(0, 10, 10, aggregation::avg);
  q.by = {"zone"};
  std::vector<result_series> out;
  std::string error;
  ASSERT_TRUE(evaluate(d, q, out, error));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].labels, label_set{});
  EXPECT_EQ(seconds(out[0]), (pts{{10, 2}}));
}

TEST(QueryGauge, NaNSkippedInfinityKept) {
  const auto d = metric(metric_kind::gauge, temporality::unspecified,
                        {numbers({{"s", "1"}}, {{1, inf}, {2, nan}}),
                         numbers({{"s", "2"}}, {{3, -inf}, {4, 1}})});
  const auto q = [](aggregation op) { return range(0, 10, 10, op); };
  EXPECT_EQ(eval1(d, q(aggregation::min)), (pts{{10, -inf}}));
  EXPECT_EQ(eval1(d, q(aggregation::max)), (pts{{10, inf}}));
  EXPECT_EQ(eval1(d, q(aggregation::count)), (pts{{10, 3}}));
  EXPECT_EQ(eval1(d, q(aggregation::last)), (pts{{10, 1}}));
  auto avg = eval1(d, q(aggregation::avg));  // +Inf + -Inf
  ASSERT_EQ(avg.size(), 1u);
  EXPECT_TRUE(std::isnan(avg[0].second));
  auto sum = eval1(d, q(aggregation::sum));  // lasts: +Inf (the NaN is skipped) + 1
  EXPECT_EQ(sum, (pts{{10, inf}}));
  // Sorted {-Inf, 1, +Inf}: the median is an exact rank.
  EXPECT_EQ(eval1(d, range(0, 10, 10, aggregation::quantile, 0.5)), (pts{{10, 1}}));
  // A series holding only NaN has no data.
  const auto only_nan = metric(metric_kind::gauge, temporality::unspecified,
                               {numbers({}, {{1, nan}})});
  EXPECT_EQ(eval1(only_nan, q(aggregation::count)), pts{});
}

TEST(QueryGauge, LastTieGoesToTheFirstSeries) {
  const auto d = metric(metric_kind::gauge, temporality::unspecified,
                        {numbers({{"s", "1"}}, {{5, 1}}), numbers({{"s", "2"}}, {{5, 2}})});
  EXPECT_EQ(eval1(d, range(0, 10, 10, aggregation::last)), (pts{{10, 1}}));
}

TEST(QueryGauge, MovingAverage) {
  const auto d = metric(metric_kind::gauge, temporality::unspecified,
                        {numbers({}, {{1, 1}, {11, 2}, {21, 6}, {41, 10}})});
  auto q = range(0, 50, 10, aggregation::avg);
  q.moving_average = 2;  // over output points: the empty bucket [30, 40) is not a point
  EXPECT_EQ(eval1(d, q), (pts{{10, 1}, {20, 1.5}, {30, 4}, {50, 8}}));
  q.moving_average = 3;
  EXPECT_EQ(eval1(d, q), (pts{{10, 1}, {20, 1.5}, {30, 3}, {50, 6}}));
  q.moving_average = 1;
  EXPECT_EQ(eval1(d, q), (pts{{10, 1}, {20, 2}, {30, 6}, {50, 10}}));
}

TEST(QueryGauge, Errors) {
  const auto d = gauges();
  EXPECT_NE(eval_error(d, range(0, 20, -1, aggregation::avg)).find("step"), std::string::npos);
  EXPECT_NE(eval_error(d, range(20, 10, 1, aggregation::avg)).find("ends before"),
            std::string::npos);
  auto q = range(0, 20, 10, aggregation::sum);
  q.fn = transform::rate;
  EXPECT_EQ(eval_error(d, q), "rate needs a counter or a histogram: m is a gauge");
  q.fn = transform::increase;
  EXPECT_EQ(eval_error(gauges(metric_kind::up_down), q),
            "increase needs a counter or a histogram: m is an up-down counter");
  range_query many = range(0, 2'000'000, 1, aggregation::avg);
  EXPECT_NE(eval_error(d, many).find("too many buckets"), std::string::npos);
  EXPECT_NE(eval_error(d, range(0, 20, 10, aggregation::quantile, 1.5)).find("quantile"),
            std::string::npos);
}

}  // namespace
}  // namespace agtel::test
