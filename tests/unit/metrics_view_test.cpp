// Views: selection (name wildcards, kind, meter, unit), rename, description, re-bucket,
// attribute filtering, drop, several views on one instrument, configuration errors.
#include <gtest/gtest.h>

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
  explicit fixture(std::vector<view> views)
      : metrics_fixture(cumulative_temporality, [&] {
          meter_provider_options o;
          o.views = std::move(views);
          return o;
        }()) {}
};

using test::int_value;

TEST(WildcardMatch, Patterns) {
  EXPECT_TRUE(wildcard_match("*", ""));
  EXPECT_TRUE(wildcard_match("*", "anything"));
  EXPECT_TRUE(wildcard_match("gen_ai.*", "gen_ai.client.token.usage"));
  EXPECT_FALSE(wildcard_match("gen_ai.*", "llm.cost"));
  EXPECT_TRUE(wildcard_match("*.duration", "task.duration"));
  EXPECT_FALSE(wildcard_match("*.duration", "task.duration.max"));
  EXPECT_TRUE(wildcard_match("a?c", "abc"));
  EXPECT_FALSE(wildcard_match("a?c", "ac"));
  EXPECT_TRUE(wildcard_match("A*C", "abbbc"));  // case-insensitive
  EXPECT_TRUE(wildcard_match("*a*b*c*", "xxaxxbxxcxx"));
  EXPECT_FALSE(wildcard_match("*a*b*c*", "xxaxxcxxbxx"));
  EXPECT_TRUE(wildcard_match("", ""));
  EXPECT_FALSE(wildcard_match("", "a"));
  EXPECT_TRUE(wildcard_match("**", "ab"));
  // Hostile: many stars against a long non-matching name finishes quickly.
  std::string pattern;
  for (int i = 0; i < 200; ++i) pattern += "a*";
  pattern += "b";
  EXPECT_FALSE(wildcard_match(pattern, std::string(5000, 'a')));
}

TEST(MetricsView, RenameDescriptionAndAttributeFilter) {
  fixture f({{.selector = {.name = "llm.cost"},
              .name = "llm.spend",
              .description = "money",
              .attribute_keys = std::vector<std::string>{"model"}}});
  auto c = f.provider->get_meter("m").create_counter<int64_t>("llm.cost", {.description = "orig"});
  c.add(1, {{"model", "a"}, {"provider", "x"}});
  c.add(2, {{"provider", "y"}, {"model", "a"}});
  c.add(4, {{"model", "b"}});
  c.add(8, {{"provider", "z"}});
  auto rm = f.collect();
  EXPECT_EQ(find_metric(rm, "llm.cost"), nullptr);
  const metric_data* md = find_metric(rm, "llm.spend");
  ASSERT_NE(md, nullptr);
  EXPECT_EQ(md->description, "money");
  EXPECT_EQ(std::get<sum_data>(md->data).points.size(), 3u);
  EXPECT_EQ(int_value(find_number_point(*md, {{"model", "a"}})), 3);
  EXPECT_EQ(int_value(find_number_point(*md, {{"model", "b"}})), 4);
  EXPECT_EQ(int_value(find_number_point(*md, {})), 8);
}

TEST(MetricsView, EmptyKeyListKeepsNoAttributes) {
  fixture f({{.selector = {.name = "c"}, .attribute_keys = std::vector<std::string>{}}});
  auto c = f.provider->get_meter("m").create_counter<int64_t>("c");
  c.add(1, {{"a", 1}});
  c.add(2, {{"b", 2}});
  auto rm = f.collect();
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "c"), {})), 3);
}

TEST(MetricsView, FilterWithManyAttributes) {
  // More attributes than fit on the stack take the slow path: same result.
  fixture f({{.selector = {.name = "c"}, .attribute_keys = std::vector<std::string>{"k3", "k19"}}});
  auto c = f.provider->get_meter("m").create_counter<int64_t>("c");
  std::vector<std::string> keys;
  for (int i = 0; i < 20; ++i) keys.push_back("k" + std::to_string(i));
  std::vector<attribute_view> attrs;
  for (auto& k : keys) attrs.push_back({k, 1});
  c.add(5, attrs);
  c.add(6, {{"k19", 1}, {"k3", 1}});
  auto rm = f.collect();
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "c"), {{"k3", 1}, {"k19", 1}})), 11);
}

TEST(MetricsView, RebucketByWildcardAndKind) {
  fixture f({{.selector = {.name = "*.duration", .kind = instrument_kind::histogram},
              .aggregation = explicit_bucket_histogram_aggregation{
                  .bounds = {buckets::agtel_duration_seconds.begin(),
                             buckets::agtel_duration_seconds.end()}}}});
  auto m = f.provider->get_meter("m");
  auto h = m.create_histogram<double>("task.duration", {.unit = "s"});
  auto other = m.create_histogram<double>("task.size");
  auto c = m.create_counter<int64_t>("x.duration");  // not a histogram: default
  h.record(0.007);
  other.record(7);
  c.add(1);
  auto rm = f.collect();
  const histogram_point* p = find_histogram_point(*find_metric(rm, "task.duration"), {});
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->bounds.size(), 15u);
  EXPECT_EQ(p->bucket_counts[1], 1u);  // (0.005, 0.01]
  EXPECT_EQ(find_histogram_point(*find_metric(rm, "task.size"), {})->bounds.front(), 0.0);
  EXPECT_TRUE(std::holds_alternative<sum_data>(find_metric(rm, "x.duration")->data));
}

TEST(MetricsView, DropByMeterName) {
  fixture f({{.selector = {.meter_name = "noisy"}, .aggregation = drop_aggregation{}}});
  auto noisy = f.provider->get_meter("noisy").create_counter<int64_t>("c");
  auto quiet = f.provider->get_meter("quiet").create_counter<int64_t>("c");
  noisy.add(1);
  noisy.bind({}).add(1);
  quiet.add(2);
  auto rm = f.collect();
  ASSERT_EQ(rm.scopes.size(), 1u);
  EXPECT_EQ(rm.scopes[0].scope->name, "quiet");
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "c"), {})), 2);
}

TEST(MetricsView, SelectByUnitAndMeterVersion) {
  fixture f(
      {{.selector = {.meter_version = "2.0", .unit = "ms"}, .aggregation = drop_aggregation{}}});
  auto v1 = f.provider->get_meter("m", "1.0").create_counter<int64_t>("a", {.unit = "ms"});
  auto v2ms = f.provider->get_meter("m", "2.0").create_counter<int64_t>("b", {.unit = "ms"});
  auto v2s = f.provider->get_meter("m", "2.0").create_counter<int64_t>("c", {.unit = "s"});
  v1.add(1);
  v2ms.add(1);
  v2s.add(1);
  auto rm = f.collect();
  EXPECT_NE(find_metric(rm, "a"), nullptr);
  EXPECT_EQ(find_metric(rm, "b"), nullptr);
  EXPECT_NE(find_metric(rm, "c"), nullptr);
}

TEST(MetricsView, TwoViewsMakeTwoStreams) {
  fixture f(
      {{.selector = {.name = "latency"}, .name = "latency.sum", .aggregation = sum_aggregation{}},
       {.selector = {.name = "latency"},
        .name = "latency.last",
        .aggregation = last_value_aggregation{}}});
  auto h = f.provider->get_meter("m").create_histogram<double>("latency");
  h.record(2, {{"a", 1}});
  h.record(3, {{"a", 1}});
  auto b = h.bind({{"a", 1}});
  b.record(5);
  auto rm = f.collect();
  EXPECT_EQ(find_metric(rm, "latency"), nullptr);
  const metric_data* s = find_metric(rm, "latency.sum");
  const metric_data* l = find_metric(rm, "latency.last");
  ASSERT_NE(s, nullptr);
  ASSERT_NE(l, nullptr);
  EXPECT_TRUE(std::get<sum_data>(s->data).monotonic);
  EXPECT_EQ(std::get<double>(find_number_point(*s, {{"a", 1}})->value), 10.0);
  EXPECT_EQ(std::get<double>(find_number_point(*l, {{"a", 1}})->value), 5.0);
}

TEST(MetricsView, ConfigurationErrorsAreReportedNotFatal) {
  fixture f({// a rename with a wildcard selector: ignored
             {.selector = {.name = "a*"}, .name = "renamed"},
             // invalid bounds: replaced by the default
             {.selector = {.name = "h"},
              .aggregation = explicit_bucket_histogram_aggregation{.bounds = {3, 2, 1}}},
             // a histogram on an observable gauge: its default instead
             {.selector = {.name = "og"}, .aggregation = explicit_bucket_histogram_aggregation{}},
             // exponential with bad limits: corrected
             {.selector = {.name = "e"},
              .aggregation = exponential_histogram_aggregation{.max_size = 0, .max_scale = 99}}});
  auto m = f.provider->get_meter("m");
  m.create_counter<int64_t>("abc").add(1);
  m.create_histogram<double>("h").record(1);
  m.create_observable_gauge<int64_t>("og", [](observer<int64_t>& o) { o.observe(4); });
  m.create_histogram<double>("e").record(1);
  auto rm = f.collect();
  EXPECT_NE(find_metric(rm, "abc"), nullptr);
  EXPECT_EQ(find_metric(rm, "renamed"), nullptr);
  EXPECT_EQ(find_histogram_point(*find_metric(rm, "h"), {})->bounds.size(), 15u);
  EXPECT_TRUE(std::holds_alternative<gauge_data>(find_metric(rm, "og")->data));
  EXPECT_EQ(std::get<exponential_histogram_data>(find_metric(rm, "e")->data).points[0].scale, 20);
}

TEST(MetricsView, CardinalityLimitPerView) {
  fixture f({{.selector = {.name = "c"}, .cardinality_limit = 3}});
  auto c = f.provider->get_meter("m").create_counter<int64_t>("c");
  for (int i = 0; i < 10; ++i) c.add(1, {{"i", i}});
  auto rm = f.collect();
  const metric_data* md = find_metric(rm, "c");
  EXPECT_EQ(std::get<sum_data>(md->data).points.size(), 4u);  // 3 + overflow
  EXPECT_EQ(int_value(find_number_point(*md, {{"otel.metric.overflow", true}})), 7);
}

}  // namespace
}  // namespace agtel::metrics
