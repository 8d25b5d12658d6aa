// Explicit-bucket histograms and gauges: bucket edges, sum/count/min/max, temporalities,
// advisory buckets, named bucket sets.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "agtel/export/in_memory_metric_exporter.hpp"
#include "agtel/metrics/buckets.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "metrics_fixture.hpp"

namespace agtel::metrics {
namespace {

using exporter::find_histogram_point;
using exporter::find_metric;
using exporter::find_number_point;

struct fixture : test::metrics_fixture {
  explicit fixture(temporality_selector t = cumulative_temporality, std::vector<view> views = {})
      : metrics_fixture(t, [&] {
          meter_provider_options o;
          o.views = std::move(views);
          return o;
        }()) {}
};

TEST(MetricsHistogram, DefaultBucketsEdgesAreInclusiveUpperBounds) {
  fixture f;
  auto h = f.m.create_histogram<double>("latency", {.unit = "ms"});
  for (double v : {0.0, 5.0, 5.0001, 10000.0, 10001.0, -3.0, 75.0}) h.record(v, {{"k", "v"}});
  auto rm = f.collect();
  const metric_data* md = find_metric(rm, "latency");
  ASSERT_NE(md, nullptr);
  EXPECT_EQ(std::get<histogram_data>(md->data).temporality, aggregation_temporality::cumulative);
  const histogram_point* p = find_histogram_point(*md, {{"k", "v"}});
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->bounds,
            std::vector<double>(buckets::otel_default.begin(), buckets::otel_default.end()));
  ASSERT_EQ(p->bucket_counts.size(), 16u);
  std::vector<uint64_t> want(16, 0);
  want[0] = 2;   // -3 and 0 (<= 0)
  want[1] = 1;   // 5 (0, 5]
  want[2] = 1;   // 5.0001 (5, 10]
  want[5] = 1;   // 75 (50, 75]
  want[14] = 1;  // 10000 (7500, 10000]
  want[15] = 1;  // 10001 (10000, +inf)
  EXPECT_EQ(p->bucket_counts, want);
  EXPECT_EQ(p->count, 7u);
  EXPECT_DOUBLE_EQ(*p->sum, 0 + 5 + 5.0001 + 10000 + 10001 - 3 + 75);
  EXPECT_EQ(*p->min, -3.0);
  EXPECT_EQ(*p->max, 10001.0);
}

TEST(MetricsHistogram, CumulativeAccumulatesAndDeltaResets) {
  fixture cum;
  fixture del(delta_temporality);
  for (fixture* f : {&cum, &del}) {
    auto h = f->m.create_histogram<int64_t>("tokens", {.buckets = {10, 100}});
    h.record(5);
    h.record(50);
    auto rm1 = f->collect();
    const histogram_point* p1 = find_histogram_point(*find_metric(rm1, "tokens"), {});
    ASSERT_NE(p1, nullptr);
    EXPECT_EQ(p1->bucket_counts, (std::vector<uint64_t>{1, 1, 0}));
    h.record(500);
    auto rm2 = f->collect();
    const histogram_point* p2 = find_histogram_point(*find_metric(rm2, "tokens"), {});
    ASSERT_NE(p2, nullptr);
    if (f == &cum) {
      EXPECT_EQ(p2->bucket_counts, (std::vector<uint64_t>{1, 1, 1}));
      EXPECT_EQ(p2->count, 3u);
      EXPECT_EQ(*p2->sum, 555);
      EXPECT_EQ(*p2->min, 5);
      EXPECT_EQ(*p2->max, 500);
      EXPECT_EQ(p2->start_time, p1->start_time);
    } else {
      EXPECT_EQ(p2->bucket_counts, (std::vector<uint64_t>{0, 0, 1}));
      EXPECT_EQ(p2->count, 1u);
      EXPECT_EQ(*p2->sum, 500);
      EXPECT_EQ(*p2->min, 500);  // min/max of the interval only
      EXPECT_EQ(*p2->max, 500);
      EXPECT_EQ(p2->start_time, p1->time);
      auto rm3 = f->collect();
      EXPECT_EQ(find_metric(rm3, "tokens"), nullptr);  // nothing recorded since
    }
  }
}

TEST(MetricsHistogram, AdvisoryBucketsAndNamedSets) {
  fixture f;
  auto h = f.m.create_histogram<double>("gen_ai.client.operation.duration",
                                        {.unit = "s",
                                         .buckets = {buckets::gen_ai_operation_seconds.begin(),
                                                     buckets::gen_ai_operation_seconds.end()}});
  h.record(0.05);
  auto rm = f.collect();
  const histogram_point* p =
      find_histogram_point(*find_metric(rm, "gen_ai.client.operation.duration"), {});
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->bounds.size(), 14u);
  EXPECT_EQ(p->bounds.front(), 0.01);
  EXPECT_EQ(p->bounds.back(), 81.92);
  EXPECT_EQ(p->bucket_counts[3], 1u);  // (0.04, 0.08]

  // Every named set is strictly increasing and finite.
  auto check = [](auto& b) {
    EXPECT_TRUE(std::is_sorted(b.begin(), b.end()));
    EXPECT_EQ(std::adjacent_find(b.begin(), b.end()), b.end());
  };
  check(buckets::otel_default);
  check(buckets::gen_ai_operation_seconds);
  check(buckets::agent_invocation_seconds);
  check(buckets::workflow_seconds);
  check(buckets::tokens);
  check(buckets::agtel_duration_seconds);
  EXPECT_EQ(buckets::tokens.back(), 67108864.0);
  EXPECT_EQ(buckets::agtel_duration_seconds.front(), 0.005);
  EXPECT_EQ(buckets::agtel_duration_seconds.back(), 300.0);
  EXPECT_EQ(buckets::workflow_seconds.back(), 7200.0);
  EXPECT_EQ(buckets::agent_invocation_seconds.back(), 409.6);
}

TEST(MetricsHistogram, InvalidAdvisoryBucketsFallBackToDefault) {
  fixture f;
  auto h1 = f.m.create_histogram<double>("h1", {.buckets = {5, 1}});
  auto h2 = f.m.create_histogram<double>("h2", {.buckets = {1, NAN}});
  auto h3 = f.m.create_histogram<double>("h3", {.buckets = {1, 1}});
  h1.record(1);
  h2.record(1);
  h3.record(1);
  auto rm = f.collect();
  for (auto* name : {"h1", "h2", "h3"}) {
    const histogram_point* p = find_histogram_point(*find_metric(rm, name), {});
    ASSERT_NE(p, nullptr) << name;
    EXPECT_EQ(p->bounds.size(), buckets::otel_default.size()) << name;
  }
}

TEST(MetricsHistogram, NoBucketsMeansOneBucket) {
  fixture f({}, {{.selector = {.name = "h"},
                  .aggregation = explicit_bucket_histogram_aggregation{.bounds = {},
                                                                       .record_min_max = false}}});
  auto h = f.m.create_histogram<double>("h", {.buckets = {1.0}});
  h.record(3);
  h.record(-1);
  auto rm = f.collect();
  const histogram_point* p = find_histogram_point(*find_metric(rm, "h"), {});
  ASSERT_NE(p, nullptr);
  // An empty bound list in a view means "the default": the advisory one here.
  EXPECT_EQ(p->bounds, std::vector<double>{1.0});
  EXPECT_EQ(p->bucket_counts, (std::vector<uint64_t>{1, 1}));
  EXPECT_FALSE(p->min.has_value());
  EXPECT_FALSE(p->max.has_value());
  EXPECT_EQ(*p->sum, 2.0);
}

TEST(MetricsHistogram, NonFiniteValuesAreDropped) {
  fixture f;
  auto h = f.m.create_histogram<double>("h");
  h.record(INFINITY);
  h.record(NAN);
  h.record(-INFINITY);
  h.record(1);
  auto rm = f.collect();
  const histogram_point* p = find_histogram_point(*find_metric(rm, "h"), {});
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->count, 1u);
  EXPECT_EQ(f.provider->stats().invalid_measurements, 3u);
}

TEST(MetricsHistogram, BoundHistogram) {
  fixture f;
  auto h = f.m.create_histogram<double>("h", {.buckets = {1, 2}});
  auto b = h.bind({{"a", 1}});
  b.record(0.5);
  b.record(1.5);
  h.record(2.5, {{"a", 1}});
  auto rm = f.collect();
  const histogram_point* p = find_histogram_point(*find_metric(rm, "h"), {{"a", 1}});
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->bucket_counts, (std::vector<uint64_t>{1, 1, 1}));
  EXPECT_EQ(*p->sum, 4.5);
}

TEST(MetricsGauge, LastValueWins) {
  fixture f;
  auto g = f.m.create_gauge<double>("context_window.utilization", {.unit = "1"});
  auto gi = f.m.create_gauge<int64_t>("context_window.used");
  g.record(0.25, {{"agent", "a"}});
  g.record(0.75, {{"agent", "a"}});
  g.record(0.5, {{"agent", "b"}});
  gi.record(100);
  gi.record(-7);
  auto rm = f.collect();
  const metric_data* md = find_metric(rm, "context_window.utilization");
  ASSERT_NE(md, nullptr);
  ASSERT_TRUE(std::holds_alternative<gauge_data>(md->data));
  EXPECT_EQ(std::get<double>(find_number_point(*md, {{"agent", "a"}})->value), 0.75);
  EXPECT_EQ(std::get<double>(find_number_point(*md, {{"agent", "b"}})->value), 0.5);
  EXPECT_EQ(
      std::get<int64_t>(find_number_point(*find_metric(rm, "context_window.used"), {})->value), -7);
  // Cumulative: still reported without a new value.
  auto rm2 = f.collect();
  EXPECT_EQ(std::get<double>(
                find_number_point(*find_metric(rm2, "context_window.utilization"), {{"agent", "b"}})
                    ->value),
            0.5);
}

TEST(MetricsGauge, DeltaReportsOnlyUpdatedSeries) {
  // delta_temporality keeps gauges cumulative (the spec's preference); ask for delta.
  fixture f([](instrument_kind) noexcept { return aggregation_temporality::delta; });
  auto g = f.m.create_gauge<int64_t>("g");
  g.record(1, {{"s", "a"}});
  g.record(2, {{"s", "b"}});
  f.collect();
  g.record(3, {{"s", "b"}});
  auto rm = f.collect();
  const metric_data* md = find_metric(rm, "g");
  ASSERT_NE(md, nullptr);
  EXPECT_EQ(std::get<gauge_data>(md->data).points.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(find_number_point(*md, {{"s", "b"}})->value), 3);
}

TEST(MetricsGauge, DeltaPreferenceKeepsGaugesCumulative) {
  fixture f(delta_temporality);
  auto g = f.m.create_gauge<int64_t>("g");
  g.record(1, {{"s", "a"}});
  f.collect();
  auto rm = f.collect();
  ASSERT_NE(find_metric(rm, "g"), nullptr);
  EXPECT_EQ(std::get<int64_t>(find_number_point(*find_metric(rm, "g"), {{"s", "a"}})->value), 1);
}

}  // namespace
}  // namespace agtel::metrics
