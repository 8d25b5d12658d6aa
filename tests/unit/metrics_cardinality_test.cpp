// Cardinality limits: the overflow series, the SDK's own overflow/dropped metrics, and
// attribute sets that existed before the limit keep their series.
#include <gtest/gtest.h>

#include <cmath>

#include "agtel/export/in_memory_metric_exporter.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "metrics_fixture.hpp"

namespace agtel::metrics {
namespace {

using exporter::find_metric;
using exporter::find_number_point;

using test::int_value;

TEST(MetricsCardinality, DefaultLimitIs2000AndOverflowSeriesCollectsTheRest) {
  auto reader = std::make_shared<pull_metric_reader>();
  meter_provider_options o;
  o.readers.push_back(reader);
  meter_provider p(std::move(o));
  auto c = p.get_meter("m").create_counter<int64_t>("agent.calls");
  for (int i = 0; i < 2500; ++i) c.add(1, {{"session.id", i}});
  c.add(10, {{"session.id", 5}});                 // existing series: not overflow
  c.add(3, {{"session.id", 99999}});              // new past the limit: overflow
  auto bound = c.bind({{"session.id", 123456}});  // binds the overflow series
  bound.add(2);
  resource_metrics rm;
  ASSERT_TRUE(reader->collect(rm));
  const metric_data* md = find_metric(rm, "agent.calls");
  ASSERT_NE(md, nullptr);
  EXPECT_EQ(std::get<sum_data>(md->data).points.size(), 2001u);
  EXPECT_EQ(int_value(find_number_point(*md, {{"session.id", 5}})), 11);
  EXPECT_EQ(int_value(find_number_point(*md, {{"otel.metric.overflow", true}})), 500 + 3 + 2);
  EXPECT_EQ(p.stats().overflow_measurements, 502u);

  // The SDK's own metric reports it, per stream.
  const metric_data* self = find_metric(rm, "agtel.sdk.metrics.overflow_measurements");
  ASSERT_NE(self, nullptr);
  EXPECT_TRUE(std::get<sum_data>(self->data).monotonic);
  EXPECT_EQ(self->unit, "{measurement}");
  EXPECT_EQ(int_value(find_number_point(*self, {{"otel.metric.name", "agent.calls"}})), 502);
  bool self_scope = false;
  for (auto& sm : rm.scopes)
    if (sm.scope->name == "agtel.sdk") self_scope = true;
  EXPECT_TRUE(self_scope);
}

TEST(MetricsCardinality, DroppedMeasurementsAreExported) {
  auto reader = std::make_shared<pull_metric_reader>();
  meter_provider_options o;
  o.readers.push_back(reader);
  meter_provider p(std::move(o));
  auto c = p.get_meter("m").create_counter<double>("llm.cost");
  c.add(-1);
  c.add(NAN);
  c.add(1);
  resource_metrics rm;
  ASSERT_TRUE(reader->collect(rm));
  const metric_data* d = find_metric(rm, "agtel.sdk.metrics.dropped_measurements");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(int_value(find_number_point(
                *d, {{"otel.metric.name", "llm.cost"}, {"reason", "invalid_value"}})),
            2);
}

TEST(MetricsCardinality, ProviderLimitApplies) {
  auto reader = std::make_shared<pull_metric_reader>();
  meter_provider_options o;
  o.readers.push_back(reader);
  o.cardinality_limit = 2;
  o.self_metrics = false;
  meter_provider p(std::move(o));
  auto h = p.get_meter("m").create_histogram<double>("h");
  h.record(1, {{"a", 1}});
  h.record(1, {{"a", 2}});
  h.record(1, {{"a", 3}});
  h.record(1, {{"a", 4}});
  resource_metrics rm;
  ASSERT_TRUE(reader->collect(rm));
  const auto* hp =
      exporter::find_histogram_point(*find_metric(rm, "h"), {{"otel.metric.overflow", true}});
  ASSERT_NE(hp, nullptr);
  EXPECT_EQ(hp->count, 2u);
  EXPECT_EQ(find_metric(rm, "agtel.sdk.metrics.overflow_measurements"), nullptr);  // disabled
}

}  // namespace
}  // namespace agtel::metrics
