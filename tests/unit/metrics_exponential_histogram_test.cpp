// The base-2 exponential histogram: the specification's mapping functions (exact powers of
// two, subnormals, extremes), scale-down on overflow, merging, and the SDK aggregation.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <random>

#include "agtel/export/in_memory_metric_exporter.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "sdk/metrics/detail/exponential_histogram.hpp"

namespace agtel::metrics::detail {
namespace {

TEST(ExponentialMapping, ScaleZeroAndNegative) {
  // scale 0: bucket k is (2^k, 2^(k+1)].
  EXPECT_EQ(exp_map_to_index(1.0, 0), -1);
  EXPECT_EQ(exp_map_to_index(1.5, 0), 0);
  EXPECT_EQ(exp_map_to_index(2.0, 0), 0);
  EXPECT_EQ(exp_map_to_index(3.0, 0), 1);
  EXPECT_EQ(exp_map_to_index(4.0, 0), 1);
  EXPECT_EQ(exp_map_to_index(0.5, 0), -2);
  EXPECT_EQ(exp_map_to_index(0.75, 0), -1);
  // scale -1: base 4.
  EXPECT_EQ(exp_map_to_index(1.0, -1), -1);
  EXPECT_EQ(exp_map_to_index(2.0, -1), 0);
  EXPECT_EQ(exp_map_to_index(4.0, -1), 0);
  EXPECT_EQ(exp_map_to_index(5.0, -1), 1);
  EXPECT_EQ(exp_map_to_index(16.0, -1), 1);
  EXPECT_EQ(exp_map_to_index(17.0, -1), 2);
  // scale -10: the whole double range fits in a few buckets.
  EXPECT_EQ(exp_map_to_index(DBL_MAX, -10), 0);
  EXPECT_EQ(exp_map_to_index(1.0, -10), -1);
  EXPECT_EQ(exp_map_to_index(DBL_MIN, -10), -1);
}

TEST(ExponentialMapping, PositiveScales) {
  // scale 1: base sqrt(2).
  EXPECT_EQ(exp_map_to_index(1.0, 1), -1);
  EXPECT_EQ(exp_map_to_index(1.2, 1), 0);  // (1, 1.414]
  EXPECT_EQ(exp_map_to_index(1.5, 1), 1);  // (1.414, 2]
  EXPECT_EQ(exp_map_to_index(2.0, 1), 1);
  EXPECT_EQ(exp_map_to_index(2.1, 1), 2);
  // scale 20 at the extremes.
  EXPECT_EQ(exp_map_to_index(DBL_MAX, 20), (1024 << 20) - 1);
  EXPECT_EQ(exp_map_to_index(DBL_MIN, 20), -(1022 << 20) - 1);
  EXPECT_EQ(exp_map_to_index(DBL_MAX, 0), 1023);
  EXPECT_EQ(exp_map_to_index(DBL_MIN, 0), -1023);
}

TEST(ExponentialMapping, ExactPowersOfTwoCloseTheirBucket) {
  for (int scale = -10; scale <= 20; ++scale) {
    for (int e = -1022; e <= 1023; e += (scale > 10 ? 37 : 1)) {
      const double v = std::ldexp(1.0, e);
      const int32_t idx = exp_map_to_index(v, scale);
      if (scale > 0) {
        ASSERT_EQ(idx, static_cast<int32_t>((static_cast<int64_t>(e) << scale) - 1))
            << "scale " << scale << " 2^" << e;
      } else {
        ASSERT_EQ(idx, (e - 1) >> -scale) << "scale " << scale << " 2^" << e;
      }
      // The value is the upper boundary of its bucket (exactly, for powers of two).
      if (scale >= 0 || ((e) % (1 << -scale)) == 0) {
        EXPECT_EQ(exp_lower_boundary(idx + 1, scale), v) << "scale " << scale << " 2^" << e;
      }
    }
  }
}

TEST(ExponentialMapping, SubnormalsShareTheSmallestNormalBucket) {
  const double subnormals[] = {std::numeric_limits<double>::denorm_min(), DBL_MIN / 2,
                               std::nextafter(DBL_MIN, 0.0)};
  for (int scale : {-10, -1, 0, 1, 8, 20}) {
    for (double v : subnormals) {
      EXPECT_EQ(exp_map_to_index(v, scale), exp_map_to_index(DBL_MIN, scale)) << scale;
    }
    // The next value above DBL_MIN is in the bucket above (for positive scales) or the same.
    EXPECT_GE(exp_map_to_index(std::nextafter(DBL_MIN, 1.0), scale),
              exp_map_to_index(DBL_MIN, scale));
  }
}

TEST(ExponentialMapping, RandomValuesFallInsideTheirBucket) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> exponent(-300, 300);
  std::uniform_int_distribution<int> scales(-10, 20);
  int checked = 0;
  for (int i = 0; i < 200000; ++i) {
    const double v = std::exp2(exponent(rng));
    const int scale = scales(rng);
    const int32_t idx = exp_map_to_index(v, scale);
    const double lo = exp_lower_boundary(idx, scale);
    const double hi = exp_lower_boundary(idx + 1, scale);
    // Boundaries are computed in floating point: allow one part in 1e12 at the edges.
    ASSERT_GT(v, lo * (1 - 1e-12)) << v << " scale " << scale << " index " << idx;
    ASSERT_LE(v, hi * (1 + 1e-12)) << v << " scale " << scale << " index " << idx;
    ++checked;
  }
  EXPECT_EQ(checked, 200000);
}

TEST(ExponentialHistogramState, ScalesDownWhenTheRangeOverflows) {
  exp_histogram_state h(4, 20);
  for (double v : {1.0, 2.0, 4.0, 8.0, 16.0}) h.record(v);
  // At scale 0 the indices are -1..3 (5 buckets > 4); at scale -1 they are -1..1.
  EXPECT_EQ(h.scale(), -1);
  exponential_histogram_point p;
  h.to_point(p, true);
  EXPECT_EQ(p.scale, -1);
  EXPECT_EQ(p.positive.offset, -1);
  EXPECT_EQ(p.positive.counts, (std::vector<uint64_t>{1, 2, 2}));
  EXPECT_EQ(p.count, 5u);
  EXPECT_EQ(*p.sum, 31.0);
  EXPECT_EQ(*p.min, 1.0);
  EXPECT_EQ(*p.max, 16.0);
}

TEST(ExponentialHistogramState, SingleValueKeepsMaxScale) {
  exp_histogram_state h(160, 20);
  h.record(3.0);
  exponential_histogram_point p;
  h.to_point(p, true);
  EXPECT_EQ(p.scale, 20);
  EXPECT_EQ(p.positive.counts, std::vector<uint64_t>{1});
  EXPECT_EQ(p.positive.offset, exp_map_to_index(3.0, 20));
}

TEST(ExponentialHistogramState, ZerosAndNegatives) {
  exp_histogram_state h(160, 20);
  h.record(0.0);
  h.record(-0.0);
  h.record(-2.0);
  h.record(-2.0);
  h.record(2.0);
  exponential_histogram_point p;
  h.to_point(p, true);
  EXPECT_EQ(p.zero_count, 2u);
  EXPECT_EQ(p.count, 5u);
  EXPECT_EQ(p.negative.counts, std::vector<uint64_t>{2});
  EXPECT_EQ(p.positive.counts, std::vector<uint64_t>{1});
  EXPECT_EQ(p.negative.offset, p.positive.offset);
  EXPECT_EQ(*p.min, -2.0);
  EXPECT_EQ(*p.sum, -2.0);
}

TEST(ExponentialHistogramState, ExtremeRangeEndsAtAScaleThatFits) {
  exp_histogram_state h(160, 20);
  h.record(DBL_MAX);
  h.record(std::numeric_limits<double>::denorm_min());
  exponential_histogram_point p;
  h.to_point(p, true);
  EXPECT_LE(static_cast<int>(p.positive.counts.size()), 160);
  EXPECT_EQ(p.count, 2u);
  // -1023..1023 at scale 0 is 2047 buckets; at scale -4: -64..63 = 128 buckets.
  EXPECT_EQ(p.scale, -4);
  uint64_t total = 0;
  for (auto c : p.positive.counts) total += c;
  EXPECT_EQ(total, 2u);
}

TEST(ExponentialHistogramState, MergeEqualsRecordingEverythingInOne) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(0, 4);
  exp_histogram_state all(20, 20), a(20, 20), b(20, 20);
  for (int i = 0; i < 5000; ++i) {
    double v = dist(rng) * ((i % 7 == 0) ? -1 : 1);
    all.record(v);
    (i % 3 == 0 ? a : b).record(v);
  }
  exp_histogram_state merged(20, 20);
  merged.merge(a);
  merged.merge(b);
  exponential_histogram_point pa, pm;
  all.to_point(pa, true);
  merged.to_point(pm, true);
  EXPECT_EQ(pm.count, pa.count);
  EXPECT_EQ(pm.scale, pa.scale);
  EXPECT_EQ(pm.positive.offset, pa.positive.offset);
  EXPECT_EQ(pm.positive.counts, pa.positive.counts);
  EXPECT_EQ(pm.negative.offset, pa.negative.offset);
  EXPECT_EQ(pm.negative.counts, pa.negative.counts);
  EXPECT_EQ(*pm.min, *pa.min);
  EXPECT_EQ(*pm.max, *pa.max);
  EXPECT_NEAR(*pm.sum, *pa.sum, std::fabs(*pa.sum) * 1e-12);
}

TEST(ExponentialHistogramState, EveryValueCountedOnceAfterManyDownscales) {
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> e(-60, 60);
  exp_histogram_state h(8, 20);
  for (int i = 0; i < 10000; ++i) h.record(std::exp2(e(rng)));
  exponential_histogram_point p;
  h.to_point(p, true);
  uint64_t total = 0;
  for (auto c : p.positive.counts) total += c;
  EXPECT_EQ(total, 10000u);
  EXPECT_LE(p.positive.counts.size(), 8u);
  // Every bucket boundary still contains min and max.
  EXPECT_GT(*p.min, exp_lower_boundary(p.positive.offset, p.scale) * (1 - 1e-12));
  EXPECT_LE(*p.max,
            exp_lower_boundary(p.positive.offset + static_cast<int32_t>(p.positive.counts.size()),
                               p.scale) *
                (1 + 1e-12));
}

TEST(ExponentialHistogramSdk, ViewSelectsItAndDeltaResetsScale) {
  auto reader = std::make_shared<pull_metric_reader>(delta_temporality);
  meter_provider_options o;
  o.readers.push_back(reader);
  o.self_metrics = false;
  o.views.push_back(
      {.selector = {.name = "latency"},
       .aggregation = exponential_histogram_aggregation{.max_size = 4, .max_scale = 20}});
  meter_provider p(std::move(o));
  auto h = p.get_meter("t").create_histogram<double>("latency");
  for (double v : {1.0, 2.0, 4.0, 8.0, 16.0}) h.record(v);
  resource_metrics rm;
  ASSERT_TRUE(reader->collect(rm));
  const metric_data* md = exporter::find_metric(rm, "latency");
  ASSERT_NE(md, nullptr);
  const auto& d = std::get<exponential_histogram_data>(md->data);
  EXPECT_EQ(d.temporality, aggregation_temporality::delta);
  ASSERT_EQ(d.points.size(), 1u);
  EXPECT_EQ(d.points[0].scale, -1);
  EXPECT_EQ(d.points[0].positive.counts, (std::vector<uint64_t>{1, 2, 2}));
  h.record(3.0);
  ASSERT_TRUE(reader->collect(rm));
  const auto& d2 = std::get<exponential_histogram_data>(exporter::find_metric(rm, "latency")->data);
  EXPECT_EQ(d2.points[0].scale, 20);  // a new interval starts at max scale
  EXPECT_EQ(d2.points[0].count, 1u);
}

}  // namespace
}  // namespace agtel::metrics::detail
