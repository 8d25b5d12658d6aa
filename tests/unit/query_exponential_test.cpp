// evaluate() on exponential histograms: positive, negative and zero buckets, mixed
// scales, zero thresholds, cumulative streams that downscale, resets.
#include <gtest/gtest.h>

#include "query_fixture.hpp"

namespace agtel::test {
namespace {

using namespace query_data;

struct exp_points {
  int32_t scale = 0;
  uint64_t zero_count = 0;
  double zero_threshold = 0;
  int32_t positive_offset = 0;
  std::vector<uint64_t> positive = {};
  int32_t negative_offset = 0;
  std::vector<uint64_t> negative = {};
};

exponential_histogram_sample ehist(int64_t t, const exp_points& b, double sum = 0,
                                   int64_t start = 0) {
  exponential_histogram_sample h;
  h.time_ns = t * s;
  h.start_ns = start * s;
  h.scale = b.scale;
  h.zero_count = b.zero_count;
  h.zero_threshold = b.zero_threshold;
  h.positive_offset = b.positive_offset;
  h.positive = b.positive;
  h.negative_offset = b.negative_offset;
  h.negative = b.negative;
  h.count = b.zero_count;
  for (uint64_t c : b.positive) h.count += c;
  for (uint64_t c : b.negative) h.count += c;
  h.sum = sum;
  h.min = h.max = nan;
  return h;
}

series eseries(std::vector<exponential_histogram_sample> points) {
  series out;
  out.exponential_histograms = std::move(points);
  return out;
}

series_set ehistograms(temporality t, std::vector<series> list) {
  return metric(metric_kind::exponential_histogram, t, std::move(list));
}

pts p(const series_set& d, double q) {
  return eval1(d, range(10, 20, 10, aggregation::quantile, q));
}

TEST(QueryExponential, PositiveBucketsAndAZeroBucketOfWidthZero) {
  // Scale 0 (base 2): zero 1, (1, 2] 2, (2, 4] 1.
  const auto d = ehistograms(temporality::delta,
                             {eseries({ehist(11, {.zero_count = 1, .positive = {2, 1}}, 5)})});
  EXPECT_EQ(p(d, 0.25), (pts{{20, 0}}));    // rank 1: the zero bucket, [0, 0]
  EXPECT_EQ(p(d, 0.5), (pts{{20, 1.5}}));   // rank 2: (1, 2] holding 2, 1 into it
  EXPECT_EQ(p(d, 1), (pts{{20, 4}}));       // rank 4: the top of (2, 4]
  EXPECT_EQ(p(d, 0.875), (pts{{20, 3}}));   // rank 3.5: half-way into (2, 4]
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::count)), (pts{{20, 4}}));
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::avg)), (pts{{20, 1.25}}));
}

TEST(QueryExponential, NegativeBuckets) {
  // Negative index 1: values in [-4, -2), 3 of them; positive (1, 2]: 1.
  const auto d = ehistograms(
      temporality::delta,
      {eseries({ehist(11, {.positive = {1}, .negative_offset = 1, .negative = {3}})})});
  expect_near(p(d, 0.5), {{20, -4 + 2 * (2.0 / 3)}});  // rank 2 of 3 in [-4, -2)
  expect_near(p(d, 0.9), {{20, 1.6}});                 // rank 3.6: 0.6 into (1, 2]
  EXPECT_EQ(p(d, 0), (pts{{20, -4}}));
}

TEST(QueryExponential, ZeroBucketWithAThreshold) {
  // Only positive buckets: the zero bucket is [0, 0.5].
  const auto pos = ehistograms(
      temporality::delta,
      {eseries({ehist(11, {.zero_count = 2, .zero_threshold = 0.5, .positive = {2}})})});
  EXPECT_EQ(p(pos, 0.25), (pts{{20, 0.25}}));
  // Only negative buckets: [-0.5, 0]; negative (1, 2] → [-2, -1) comes first.
  const auto neg = ehistograms(
      temporality::delta,
      {eseries({ehist(11, {.zero_count = 2, .zero_threshold = 0.5, .negative = {2}})})});
  EXPECT_EQ(p(neg, 0.75), (pts{{20, -0.25}}));
  EXPECT_EQ(p(neg, 0.25), (pts{{20, -1.5}}));
  // Both sides: [-0.5, 0.5].
  const auto both = ehistograms(
      temporality::delta,
      {eseries({ehist(11, {.zero_count = 2, .zero_threshold = 0.5, .positive = {1}, .negative = {1}})})});
  EXPECT_EQ(p(both, 0.5), (pts{{20, 0}}));  // rank 2: 1 into the zero bucket holding 2
}

TEST(QueryExponential, MixedScalesDownscaleToTheSmallest) {
  // P at scale 1 (base √2): indexes 2, 3 = (2, 2√2], (2√2, 4]; Q at scale 0: (2, 4] 2.
  // At scale 0 both of P's land in index 1 = (2, 4]: 4 in all.
  const auto d = ehistograms(
      temporality::delta,
      {eseries({ehist(11, {.scale = 1, .positive_offset = 2, .positive = {1, 1}})}),
       eseries({ehist(12, {.scale = 0, .positive_offset = 1, .positive = {2}})})});
  EXPECT_EQ(p(d, 0.5), (pts{{20, 3}}));
  // Alone, P keeps its resolution: rank 1 is the top of (2, 2√2].
  const auto alone = ehistograms(
      temporality::delta,
      {eseries({ehist(11, {.scale = 1, .positive_offset = 2, .positive = {1, 1}})})});
  expect_near(p(alone, 0.5), {{20, 2 * std::sqrt(2.0)}});
  // Negative scales: scale -1 has base 4, index 0 = (1, 4].
  const auto coarse = ehistograms(
      temporality::delta, {eseries({ehist(11, {.scale = -1, .positive = {2}})})});
  EXPECT_EQ(p(coarse, 0.5), (pts{{20, 2.5}}));
}

TEST(QueryExponential, WiderZeroThresholdAbsorbsBuckets) {
  // R: threshold 0, zero 1, (0.25, 0.5] 1. S: threshold 0.5, zero 1, (1, 2] 1.
  // Merged at threshold 0.5: R's (0.25, 0.5] joins the zero bucket: zero 3, (1, 2] 1.
  const auto d = ehistograms(
      temporality::delta,
      {eseries({ehist(11, {.zero_count = 1, .positive_offset = -2, .positive = {1}})}),
       eseries({ehist(12, {.zero_count = 1, .zero_threshold = 0.5, .positive = {1}})})});
  expect_near(p(d, 0.5), {{20, 0.5 * 2 / 3}});  // rank 2 of 3 in [0, 0.5]
  EXPECT_EQ(p(d, 1), (pts{{20, 2}}));
}

TEST(QueryExponential, CumulativeDownscaledStream) {
  // The SDK downscaled between the points: (2, 2√2] 1 + (2√2, 4] 1 at scale 1, then
  // (2, 4] 5 at scale 0: the difference is 3 in (2, 4].
  const auto d = ehistograms(
      temporality::cumulative,
      {eseries({ehist(5, {.scale = 1, .positive_offset = 2, .positive = {1, 1}}, 5),
                ehist(15, {.scale = 0, .positive_offset = 1, .positive = {5}}, 15)})});
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::count)), (pts{{20, 3}}));
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::sum)), (pts{{20, 10}}));
  EXPECT_EQ(p(d, 0.5), (pts{{20, 3}}));
}

TEST(QueryExponential, CumulativeResets) {
  // zero 2, (1, 2] 3 → then (1, 2] 1 only: a bucket fell, so the whole point counts.
  const auto d = ehistograms(
      temporality::cumulative,
      {eseries({ehist(5, {.zero_count = 2, .positive = {3}}),
                ehist(12, {.zero_count = 2, .positive = {4}}),
                ehist(15, {.zero_count = 3, .positive = {1}})})});
  // [10,20): 1 in (1, 2] from the difference, then reset: zero 3, (1, 2] 1.
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::count)), (pts{{20, 5}}));
  // Moving buckets: a point whose buckets moved (offset) but none fell is a difference.
  const auto moved = ehistograms(
      temporality::cumulative,
      {eseries({ehist(5, {.positive_offset = 1, .positive = {3}}),
                ehist(15, {.positive_offset = 0, .positive = {2, 3, 1}})})});
  EXPECT_EQ(eval1(moved, range(10, 20, 10, aggregation::count)), (pts{{20, 3}}));
  EXPECT_EQ(p(moved, 0.5), (pts{{20, 1.75}}));  // {2 in (1,2], 1 in (4,8]}: rank 1.5
}

TEST(QueryExponential, EmptyHistogramHasNoQuantile) {
  const auto d = ehistograms(temporality::delta, {eseries({ehist(11, {})})});
  EXPECT_EQ(p(d, 0.5), pts{});
  EXPECT_EQ(eval1(d, range(10, 20, 10, aggregation::count)), (pts{{20, 0}}));
}

}  // namespace
}  // namespace agtel::test
