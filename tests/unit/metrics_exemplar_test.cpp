// Exemplars: the trace-based filter keeps measurements taken inside a sampled span (with
// its trace and span id), one per histogram bucket (the latest), a few per sum series;
// always_on / always_off filters; attributes removed by a view stay on the exemplar.
#include <gtest/gtest.h>

#include <thread>

#include "agtel/context/context.hpp"
#include "agtel/export/in_memory_metric_exporter.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/trace/tracer_provider.hpp"
#include "metrics_fixture.hpp"

namespace agtel::metrics {
namespace {

using exporter::find_histogram_point;
using exporter::find_metric;
using exporter::find_number_point;

trace::span_context make_span(uint8_t id, bool sampled) {
  std::array<uint8_t, 16> t{};
  std::array<uint8_t, 8> s{};
  t[15] = id;
  t[0] = 0xab;
  s[7] = id;
  return trace::span_context(trace::trace_id(t), trace::span_id(s),
                             trace::trace_flags{static_cast<uint8_t>(sampled ? 1 : 0)}, false);
}

struct fixture : test::metrics_fixture {
  explicit fixture(exemplar_filter filter = exemplar_filter::trace_based,
                   temporality_selector t = cumulative_temporality, std::vector<view> views = {})
      : metrics_fixture(t, [&] {
          meter_provider_options o;
          o.views = std::move(views);
          o.exemplars = filter;
          return o;
        }()) {}
};

TEST(MetricsExemplar, HistogramBucketKeepsLatestSampledMeasurement) {
  fixture f;
  auto h = f.m.create_histogram<double>("latency", {.buckets = {1, 10}});
  h.record(0.5);  // no span: no exemplar
  {
    auto scope = context(make_span(1, true)).attach();
    h.record(5.0);
    h.record(6.0);  // same bucket (1, 10]: replaces the previous one
  }
  {
    auto scope = context(make_span(2, false)).attach();
    h.record(0.7);  // unsampled span: no exemplar
    h.record(50);
  }
  {
    auto scope = context(make_span(3, true)).attach();
    h.record(20.0);  // bucket (10, inf)
  }
  auto rm = f.collect();
  const histogram_point* p = find_histogram_point(*find_metric(rm, "latency"), {});
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->exemplars.size(), 2u);
  const exemplar& e1 = p->exemplars[0];
  EXPECT_EQ(std::get<double>(e1.value), 6.0);
  EXPECT_EQ(e1.trace_id, make_span(1, true).trace_id());
  EXPECT_EQ(e1.span_id, make_span(1, true).span_id());
  EXPECT_GT(e1.time, 0u);
  const exemplar& e2 = p->exemplars[1];
  EXPECT_EQ(std::get<double>(e2.value), 20.0);
  EXPECT_EQ(e2.span_id, make_span(3, true).span_id());
  // Cumulative: the exemplars stay until replaced.
  auto rm2 = f.collect();
  EXPECT_EQ(find_histogram_point(*find_metric(rm2, "latency"), {})->exemplars.size(), 2u);
}

TEST(MetricsExemplar, DeltaReportsEachExemplarOnce) {
  fixture f(exemplar_filter::trace_based, delta_temporality);
  auto h = f.m.create_histogram<int64_t>("h", {.buckets = {10}});
  {
    auto scope = context(make_span(1, true)).attach();
    h.record(3);
  }
  auto rm = f.collect();
  const histogram_point* p = find_histogram_point(*find_metric(rm, "h"), {});
  ASSERT_EQ(p->exemplars.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(p->exemplars[0].value), 3);
  h.record(4);  // outside a span
  auto rm2 = f.collect();
  EXPECT_TRUE(find_histogram_point(*find_metric(rm2, "h"), {})->exemplars.empty());
}

TEST(MetricsExemplar, SumsKeepAFewAndBoundCountersToo) {
  fixture f;
  auto c = f.m.create_counter<int64_t>("c");
  auto b = f.m.create_counter<int64_t>("b").bind({{"k", "v"}});
  {
    auto scope = context(make_span(7, true)).attach();
    for (int i = 0; i < 100; ++i) c.add(1);
    b.add(5);
  }
  b.add(1);
  auto rm = f.collect();
  const number_point* p = find_number_point(*find_metric(rm, "c"), {});
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(std::get<int64_t>(p->value), 100);
  EXPECT_EQ(p->exemplars.size(), 4u);  // the fixed reservoir's size
  for (const auto& e : p->exemplars) EXPECT_EQ(e.span_id, make_span(7, true).span_id());
  const number_point* bp = find_number_point(*find_metric(rm, "b"), {{"k", "v"}});
  ASSERT_EQ(bp->exemplars.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(bp->exemplars[0].value), 5);
}

TEST(MetricsExemplar, RealTracerSpans) {
  fixture f;
  auto h = f.m.create_histogram<double>("h");
  trace::tracer_provider tp;
  auto tracer = tp.get_tracer("t");
  auto span = tracer.start_span("op");
  {
    auto active = span.activate();
    h.record(42);
  }
  auto rm = f.collect();
  const histogram_point* p = find_histogram_point(*find_metric(rm, "h"), {});
  ASSERT_EQ(p->exemplars.size(), 1u);
  EXPECT_EQ(p->exemplars[0].trace_id, span.context().trace_id());
  EXPECT_EQ(p->exemplars[0].span_id, span.context().span_id());
  span.end();
}

TEST(MetricsExemplar, FiltersAlwaysOnAndOff) {
  fixture on(exemplar_filter::always_on);
  fixture off(exemplar_filter::always_off);
  for (fixture* f : {&on, &off}) {
    auto h = f->m.create_histogram<double>("h");
    auto b = f->m.create_counter<int64_t>("b").bind({});
    h.record(1);
    b.add(1);
    {
      auto scope = context(make_span(1, true)).attach();
      h.record(100);
    }
    auto rm = f->collect();
    const histogram_point* p = find_histogram_point(*find_metric(rm, "h"), {});
    const number_point* bp = find_number_point(*find_metric(rm, "b"), {});
    if (f == &on) {
      ASSERT_EQ(p->exemplars.size(), 2u);
      EXPECT_FALSE(p->exemplars[0].trace_id.is_valid());  // recorded outside any span
      EXPECT_TRUE(p->exemplars[1].trace_id.is_valid());
      EXPECT_EQ(bp->exemplars.size(), 1u);
    } else {
      EXPECT_TRUE(p->exemplars.empty());
      EXPECT_TRUE(bp->exemplars.empty());
    }
  }
}

TEST(MetricsExemplar, KeepsAttributesRemovedByTheView) {
  fixture f(exemplar_filter::trace_based, cumulative_temporality,
            {{.selector = {.name = "h"}, .attribute_keys = std::vector<std::string>{"model"}}});
  auto h = f.m.create_histogram<double>("h", {.buckets = {10}});
  {
    auto scope = context(make_span(1, true)).attach();
    h.record(1, {{"model", "m"}, {"session.id", "s-42"}});
  }
  auto rm = f.collect();
  const histogram_point* p = find_histogram_point(*find_metric(rm, "h"), {{"model", "m"}});
  ASSERT_NE(p, nullptr);
  ASSERT_EQ(p->exemplars.size(), 1u);
  EXPECT_EQ(p->exemplars[0].filtered_attributes, attribute_list({{"session.id", "s-42"}}));
}

TEST(MetricsExemplar, ContextOnAnotherThreadIsIndependent) {
  fixture f;
  auto h = f.m.create_histogram<double>("h", {.buckets = {10}});
  auto scope = context(make_span(1, true)).attach();
  std::thread([&] { h.record(1); }).join();  // the other thread has no span
  auto rm = f.collect();
  EXPECT_TRUE(find_histogram_point(*find_metric(rm, "h"), {})->exemplars.empty());
  h.record(2);
  rm = f.collect();
  EXPECT_EQ(find_histogram_point(*find_metric(rm, "h"), {})->exemplars.size(), 1u);
}

}  // namespace
}  // namespace agtel::metrics
