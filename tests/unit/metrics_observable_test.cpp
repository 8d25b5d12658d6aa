// Observable instruments: callback values, temporalities, callbacks that throw or are
// slow, adding and removing callbacks (also from inside a callback).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/export/in_memory_metric_exporter.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "metrics_fixture.hpp"

namespace agtel::metrics {
namespace {

using exporter::find_metric;
using exporter::find_number_point;

using fixture = test::metrics_fixture;
using test::int_value;

// Captures diagnostics for the test's lifetime.
struct diag_capture {
  diag_capture() {
    agtel::detail::reset_diagnostics_for_testing();
    set_diagnostic_handler([this](diag_level, std::string_view, std::string_view msg) {
      std::lock_guard lock(mutex);
      messages.emplace_back(msg);
    });
  }
  ~diag_capture() {
    set_diagnostic_handler(nullptr);
    agtel::detail::reset_diagnostics_for_testing();
  }
  bool contains(std::string_view s) {
    std::lock_guard lock(mutex);
    for (auto& m : messages)
      if (m.find(s) != std::string::npos) return true;
    return false;
  }
  std::mutex mutex;
  std::vector<std::string> messages;
};

TEST(MetricsObservable, CounterCumulativeAndDelta) {
  int64_t total = 0;
  auto cb = [&](observer<int64_t>& o) { o.observe(total, {{"queue", "a"}}); };
  fixture cum;
  fixture del(delta_temporality);
  cum.m.create_observable_counter<int64_t>("processed", cb);
  del.m.create_observable_counter<int64_t>("processed", cb);
  total = 10;
  auto c1 = cum.collect();
  auto d1 = del.collect();
  total = 25;
  auto c2 = cum.collect();
  auto d2 = del.collect();
  EXPECT_EQ(int_value(find_number_point(*find_metric(c1, "processed"), {{"queue", "a"}})), 10);
  EXPECT_EQ(int_value(find_number_point(*find_metric(c2, "processed"), {{"queue", "a"}})), 25);
  EXPECT_EQ(int_value(find_number_point(*find_metric(d1, "processed"), {{"queue", "a"}})), 10);
  EXPECT_EQ(int_value(find_number_point(*find_metric(d2, "processed"), {{"queue", "a"}})), 15);
  const auto& s = std::get<sum_data>(find_metric(d2, "processed")->data);
  EXPECT_TRUE(s.monotonic);
  EXPECT_EQ(s.temporality, aggregation_temporality::delta);
  // Delta intervals chain.
  EXPECT_EQ(find_number_point(*find_metric(d2, "processed"), {{"queue", "a"}})->start_time,
            find_number_point(*find_metric(d1, "processed"), {{"queue", "a"}})->time);
}

TEST(MetricsObservable, GaugeAndUpDownReportOnlyWhatWasObserved) {
  fixture f;
  int round = 0;
  f.m.create_observable_gauge<double>("context_window.utilization", [&](observer<double>& o) {
    o.observe(0.5, {{"agent", "a"}});
    if (round == 0) o.observe(0.9, {{"agent", "b"}});
  });
  f.m.create_observable_up_down_counter<int64_t>("task.queue.size", [&](observer<int64_t>& o) {
    o.observe(-3, {{"priority", "high"}});
    o.observe(7, {{"priority", "high"}});  // same series twice: the last value
  });
  auto rm1 = f.collect();
  round = 1;
  auto rm2 = f.collect();
  const metric_data* g1 = find_metric(rm1, "context_window.utilization");
  const metric_data* g2 = find_metric(rm2, "context_window.utilization");
  EXPECT_EQ(std::get<gauge_data>(g1->data).points.size(), 2u);
  EXPECT_EQ(std::get<gauge_data>(g2->data).points.size(), 1u);
  EXPECT_EQ(std::get<double>(find_number_point(*g2, {{"agent", "a"}})->value), 0.5);
  const metric_data* q = find_metric(rm2, "task.queue.size");
  EXPECT_FALSE(std::get<sum_data>(q->data).monotonic);
  EXPECT_EQ(int_value(find_number_point(*q, {{"priority", "high"}})), 7);
}

TEST(MetricsObservable, ThrowingCallbackDoesNotBreakTheOthers) {
  diag_capture diags;
  fixture f(cumulative_temporality, {}, /*self_metrics=*/true);  // counts the dropped
  f.m.create_observable_gauge<int64_t>("before", [](observer<int64_t>& o) { o.observe(1); });
  auto bad = f.m.create_observable_gauge<int64_t>("bad", [](observer<int64_t>& o) {
    o.observe(99, {{"partial", true}});  // discarded with the throw
    throw std::runtime_error("database is down");
  });
  bad.add_callback([](observer<int64_t>& o) { o.observe(5, {{"second", true}}); });
  f.m.create_observable_gauge<int64_t>("weird", [](observer<int64_t>&) { throw 42; });
  f.m.create_observable_gauge<int64_t>("after", [](observer<int64_t>& o) { o.observe(2); });
  auto rm = f.collect();
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "before"), {})), 1);
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "after"), {})), 2);
  const metric_data* b = find_metric(rm, "bad");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(find_number_point(*b, {{"partial", true}}), nullptr);
  EXPECT_EQ(int_value(find_number_point(*b, {{"second", true}})), 5);
  EXPECT_EQ(find_metric(rm, "weird"), nullptr);
  EXPECT_EQ(f.provider->stats().callback_errors, 2u);
  EXPECT_TRUE(diags.contains("database is down"));
  EXPECT_TRUE(diags.contains("non-standard exception"));
  const metric_data* dropped = find_metric(rm, "agtel.sdk.metrics.dropped_measurements");
  ASSERT_NE(dropped, nullptr);
  EXPECT_EQ(int_value(find_number_point(
                *dropped, {{"otel.metric.name", "bad"}, {"reason", "callback_error"}})),
            1);
}

TEST(MetricsObservable, SlowCallbackIsReportedAndCollectionCompletes) {
  diag_capture diags;
  meter_provider_options o;
  o.callback_budget = std::chrono::milliseconds(5);
  fixture f(cumulative_temporality, std::move(o));
  f.m.create_observable_gauge<int64_t>("slow", [](observer<int64_t>& obs) {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    obs.observe(1);
  });
  f.m.create_observable_gauge<int64_t>("fast", [](observer<int64_t>& obs) { obs.observe(2); });
  auto rm = f.collect();
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "slow"), {})), 1);
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "fast"), {})), 2);
  EXPECT_EQ(f.provider->stats().slow_callbacks, 1u);
  EXPECT_TRUE(diags.contains("callback of slow took"));
}

TEST(MetricsObservable, AddAndRemoveCallbacks) {
  fixture f;
  auto g = f.m.create_observable_gauge<int64_t>("g");
  auto rm = f.collect();
  EXPECT_EQ(find_metric(rm, "g"), nullptr);  // no callback yet
  uint64_t id = g.add_callback([](observer<int64_t>& o) { o.observe(1, {{"cb", 1}}); });
  EXPECT_NE(id, 0u);
  uint64_t self_id = 0;
  int self_calls = 0;
  self_id = g.add_callback([&](observer<int64_t>& o) {
    ++self_calls;
    o.observe(2, {{"cb", 2}});
    g.remove_callback(self_id);  // removing itself from inside: no deadlock
  });
  rm = f.collect();
  EXPECT_EQ(std::get<gauge_data>(find_metric(rm, "g")->data).points.size(), 2u);
  rm = f.collect();
  EXPECT_EQ(self_calls, 1);
  EXPECT_EQ(std::get<gauge_data>(find_metric(rm, "g")->data).points.size(), 1u);
  g.remove_callback(id);
  rm = f.collect();
  EXPECT_EQ(find_metric(rm, "g"), nullptr);
  g.remove_callback(12345);  // unknown id: nothing
  observable_gauge<int64_t> noop;
  EXPECT_EQ(noop.add_callback([](observer<int64_t>&) {}), 0u);
}

TEST(MetricsObservable, AttributeFilterAddsUpObservations) {
  meter_provider_options o;
  o.views.push_back(
      {.selector = {.name = "bytes"}, .attribute_keys = std::vector<std::string>{"dir"}});
  fixture f(cumulative_temporality, std::move(o));
  f.m.create_observable_counter<int64_t>("bytes", [](observer<int64_t>& obs) {
    obs.observe(100, {{"dir", "in"}, {"iface", "eth0"}});
    obs.observe(50, {{"dir", "in"}, {"iface", "eth1"}});
    obs.observe(7, {{"dir", "out"}, {"iface", "eth0"}});
  });
  auto rm = f.collect();
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "bytes"), {{"dir", "in"}})), 150);
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "bytes"), {{"dir", "out"}})), 7);
}

TEST(MetricsObservable, NonFiniteObservationsAreDropped) {
  fixture f;
  f.m.create_observable_gauge<double>("g", [](observer<double>& o) {
    o.observe(NAN, {{"k", 1}});
    o.observe(1.5, {{"k", 2}});
  });
  auto rm = f.collect();
  EXPECT_EQ(std::get<gauge_data>(find_metric(rm, "g")->data).points.size(), 1u);
  EXPECT_EQ(f.provider->stats().invalid_measurements, 1u);
}

}  // namespace
}  // namespace agtel::metrics
