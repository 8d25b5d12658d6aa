// Counters and up-down counters: exact values, temporalities, attribute-set identity,
// bound handles, invalid values.
#include <gtest/gtest.h>

#include <cmath>

#include "agtel/export/in_memory_metric_exporter.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "metrics_fixture.hpp"

namespace agtel::metrics {
namespace {

using exporter::find_metric;
using exporter::find_number_point;

using fixture = test::metrics_fixture;
using test::double_value;
using test::int_value;

TEST(MetricsSum, CounterCumulativeExact) {
  fixture f;
  auto c = f.m.create_counter<int64_t>("requests", {.description = "reqs", .unit = "{request}"});
  c.add(1, {{"route", "/a"}, {"code", 200}});
  c.add(2, {{"code", 200}, {"route", "/a"}});  // same set, other order
  c.add(5, {{"route", "/b"}, {"code", 200}});
  c.add(7);
  auto rm = f.collect();
  ASSERT_NE(rm.resource, nullptr);
  ASSERT_EQ(rm.scopes.size(), 1u);
  EXPECT_EQ(rm.scopes[0].scope->name, "test");
  EXPECT_EQ(rm.scopes[0].scope->version, "1.0");
  const metric_data* md = find_metric(rm, "requests");
  ASSERT_NE(md, nullptr);
  EXPECT_EQ(md->description, "reqs");
  EXPECT_EQ(md->unit, "{request}");
  const auto& sum = std::get<sum_data>(md->data);
  EXPECT_TRUE(sum.monotonic);
  EXPECT_EQ(sum.temporality, aggregation_temporality::cumulative);
  EXPECT_EQ(sum.points.size(), 3u);
  EXPECT_EQ(int_value(find_number_point(*md, {{"route", "/a"}, {"code", 200}})), 3);
  EXPECT_EQ(int_value(find_number_point(*md, {{"route", "/b"}, {"code", 200}})), 5);
  EXPECT_EQ(int_value(find_number_point(*md, {})), 7);

  c.add(10, {{"route", "/a"}, {"code", 200}});
  auto rm2 = f.collect();
  const metric_data* md2 = find_metric(rm2, "requests");
  ASSERT_NE(md2, nullptr);
  const auto* p = find_number_point(*md2, {{"route", "/a"}, {"code", 200}});
  EXPECT_EQ(int_value(p), 13);
  // Cumulative keeps its start time; time moves on.
  const auto* p1 = find_number_point(*md, {{"route", "/a"}, {"code", 200}});
  EXPECT_EQ(p->start_time, p1->start_time);
  EXPECT_GE(p->time, p1->time);
  EXPECT_LE(p->start_time, p->time);
  // Series without new measurements are still reported (cumulative).
  EXPECT_EQ(int_value(find_number_point(*md2, {})), 7);
}

TEST(MetricsSum, CounterDeltaResetsEachCollection) {
  fixture f(delta_temporality);
  auto c = f.m.create_counter<int64_t>("c");
  c.add(4, {{"k", "v"}});
  auto rm1 = f.collect();
  const auto* p1 = find_number_point(*find_metric(rm1, "c"), {{"k", "v"}});
  EXPECT_EQ(std::get<sum_data>(find_metric(rm1, "c")->data).temporality,
            aggregation_temporality::delta);
  EXPECT_EQ(int_value(p1), 4);
  c.add(6, {{"k", "v"}});
  c.add(1, {{"k", "v"}});
  auto rm2 = f.collect();
  const auto* p2 = find_number_point(*find_metric(rm2, "c"), {{"k", "v"}});
  EXPECT_EQ(int_value(p2), 7);
  // The delta interval starts where the previous one ended.
  EXPECT_EQ(p2->start_time, p1->time);
  // Nothing recorded: no point, no metric.
  auto rm3 = f.collect();
  EXPECT_EQ(find_metric(rm3, "c"), nullptr);
}

TEST(MetricsSum, UpDownCounterAndDoubles) {
  fixture f;
  auto u = f.m.create_up_down_counter<int64_t>("active");
  u.add(5);
  u.add(-7);
  auto d = f.m.create_counter<double>("cost", {.unit = "{USD}"});
  d.add(0.25, {{"model", "m"}});
  d.add(0.5, {{"model", "m"}});
  auto rm = f.collect();
  const metric_data* a = find_metric(rm, "active");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(std::get<sum_data>(a->data).monotonic);
  EXPECT_EQ(int_value(find_number_point(*a, {})), -2);
  EXPECT_DOUBLE_EQ(double_value(find_number_point(*find_metric(rm, "cost"), {{"model", "m"}})),
                   0.75);
}

TEST(MetricsSum, InvalidValuesAreDroppedAndCounted) {
  fixture f;
  auto c = f.m.create_counter<int64_t>("c");
  auto d = f.m.create_counter<double>("d");
  auto u = f.m.create_up_down_counter<double>("u");
  c.add(-1);
  c.add(3);
  d.add(std::numeric_limits<double>::quiet_NaN());
  d.add(std::numeric_limits<double>::infinity());
  d.add(-0.5);
  d.add(1.5);
  u.add(-2.5);  // fine for an up-down counter
  u.add(std::numeric_limits<double>::quiet_NaN());
  auto b = c.bind({});
  b.add(-4);
  auto rm = f.collect();
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "c"), {})), 3);
  EXPECT_DOUBLE_EQ(double_value(find_number_point(*find_metric(rm, "d"), {})), 1.5);
  EXPECT_DOUBLE_EQ(double_value(find_number_point(*find_metric(rm, "u"), {})), -2.5);
  EXPECT_EQ(f.provider->stats().invalid_measurements, 6u);
}

TEST(MetricsSum, BoundCounterSharesTheSeries) {
  fixture f;
  auto c = f.m.create_counter<int64_t>("c");
  auto b1 = c.bind({{"a", "1"}, {"b", "2"}});
  auto b2 = c.bind({{"b", "2"}, {"a", "1"}});
  ASSERT_TRUE(b1.enabled());
  b1.add(1);
  b2.add(10);
  c.add(100, {{"a", "1"}, {"b", "2"}});
  auto bd = f.m.create_counter<double>("cd").bind({{"x", true}});
  bd.add(0.5);
  bd.add(0.25);
  auto ud = f.m.create_up_down_counter<int64_t>("ud").bind({});
  ud.add(-3);
  auto rm = f.collect();
  const metric_data* md = find_metric(rm, "c");
  EXPECT_EQ(std::get<sum_data>(md->data).points.size(), 1u);
  EXPECT_EQ(int_value(find_number_point(*md, {{"a", "1"}, {"b", "2"}})), 111);
  EXPECT_DOUBLE_EQ(double_value(find_number_point(*find_metric(rm, "cd"), {{"x", true}})), 0.75);
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "ud"), {})), -3);
}

TEST(MetricsSum, AttributeValueTypesMakeDistinctSeries) {
  fixture f;
  auto c = f.m.create_counter<int64_t>("c");
  c.add(1, {{"k", "1"}});
  c.add(2, {{"k", int64_t{1}}});
  c.add(4, {{"k", 1.0}});
  c.add(8, {{"k", true}});
  c.add(16, {{"k", -0.0}});
  c.add(32, {{"k", 0.0}});  // -0.0 and 0.0 are one value
  auto rm = f.collect();
  const metric_data* md = find_metric(rm, "c");
  EXPECT_EQ(std::get<sum_data>(md->data).points.size(), 5u);
  EXPECT_EQ(int_value(find_number_point(*md, {{"k", "1"}})), 1);
  EXPECT_EQ(int_value(find_number_point(*md, {{"k", int64_t{1}}})), 2);
  EXPECT_EQ(int_value(find_number_point(*md, {{"k", 1.0}})), 4);
  EXPECT_EQ(int_value(find_number_point(*md, {{"k", true}})), 8);
}

TEST(MetricsSum, RepeatedKeyLastValueWins) {
  fixture f;
  auto c = f.m.create_counter<int64_t>("c");
  c.add(1, {{"k", "a"}, {"k", "b"}});
  c.add(2, {{"k", "b"}});
  auto rm = f.collect();
  const metric_data* md = find_metric(rm, "c");
  EXPECT_EQ(std::get<sum_data>(md->data).points.size(), 1u);
  EXPECT_EQ(int_value(find_number_point(*md, {{"k", "b"}})), 3);
}

TEST(MetricsSum, SameInstrumentReturnedForRepeatedRegistration) {
  fixture f;
  auto a = f.m.create_counter<int64_t>("Requests");
  auto b = f.m.create_counter<int64_t>("requests");  // names ignore case
  a.add(1);
  b.add(2);
  auto rm = f.collect();
  EXPECT_EQ(rm.scopes[0].metrics.size(), 1u);
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "Requests"), {})), 3);
}

TEST(MetricsSum, InvalidNamesAndUnitsGiveNoOpInstruments) {
  fixture f;
  const std::string_view bads[] = {"",     "1abc",        "_x", "a b",
                                   "a\nb", "caf\xc3\xa9", "a*", std::string_view("a\0b", 3)};
  for (std::string_view bad : bads) {
    EXPECT_FALSE(f.m.create_counter<int64_t>(bad).enabled()) << bad;
  }
  EXPECT_FALSE(f.m.create_counter<int64_t>(std::string(256, 'a')).enabled());
  EXPECT_TRUE(f.m.create_counter<int64_t>(std::string(255, 'a')).enabled());
  EXPECT_TRUE(f.m.create_counter<int64_t>("a.b-c/d_E9").enabled());
  EXPECT_FALSE(f.m.create_counter<int64_t>("u1", {.unit = std::string(64, 's')}).enabled());
  EXPECT_FALSE(f.m.create_counter<int64_t>("u2", {.unit = "\xc2\xb5s"}).enabled());
  EXPECT_TRUE(f.m.create_counter<int64_t>("u3", {.unit = std::string(63, 's')}).enabled());
  counter<int64_t> noop;
  noop.add(1);  // does nothing, does not crash
  EXPECT_FALSE(noop.bind({}).enabled());
  noop.bind({}).add(1);
}

TEST(MetricsSum, NoOpMeterAndGlobalProvider) {
  meter none;
  EXPECT_FALSE(none.create_counter<int64_t>("x").enabled());
  EXPECT_FALSE(get_meter("nothing-set").enabled() && global_meter_provider() == nullptr);
  auto reader = std::make_shared<pull_metric_reader>();
  meter_provider_options o;
  o.readers.push_back(reader);
  auto p = std::make_shared<meter_provider>(std::move(o));
  set_global_meter_provider(p);
  auto c = get_meter("g").create_counter<int64_t>("global.c");
  c.add(2);
  resource_metrics rm;
  ASSERT_TRUE(reader->collect(rm));
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "global.c"), {})), 2);
  set_global_meter_provider(nullptr);
  EXPECT_FALSE(get_meter("g").enabled());
}

TEST(MetricsSum, AfterShutdownCollectFailsAndMetersAreNoOp) {
  fixture f;
  auto c = f.m.create_counter<int64_t>("c");
  c.add(1);
  EXPECT_EQ(f.provider->shutdown(), sdk_result::ok);
  EXPECT_EQ(f.provider->shutdown(), sdk_result::already_shutdown);
  resource_metrics rm;
  EXPECT_FALSE(f.reader->collect(rm));
  EXPECT_TRUE(rm.scopes.empty());
  EXPECT_FALSE(f.provider->get_meter("late").enabled());
  c.add(1);  // still safe
}

}  // namespace
}  // namespace agtel::metrics
