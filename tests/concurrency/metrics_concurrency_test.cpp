// Many threads recording into the metrics SDK while collections run: sums, counts and
// bucket totals stay exact (no measurement lost or counted twice), new series and the
// overflow series are created safely, callbacks and bindings race cleanly. Run under TSan.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "agtel/export/in_memory_metric_exporter.hpp"
#include "agtel/metrics/meter_provider.hpp"

namespace agtel::metrics {
namespace {

constexpr int threads = 4;
#if defined(__SANITIZE_THREAD__)
constexpr int per_thread = 20000;
#else
constexpr int per_thread = 200000;
#endif

using exporter::find_metric;

// Sums every int64 sum point of `name` in `rm` into `total`.
void add_sum(const resource_metrics& rm, std::string_view name, int64_t& total) {
  if (const metric_data* md = find_metric(rm, name))
    for (const auto& p : std::get<sum_data>(md->data).points) total += std::get<int64_t>(p.value);
}

TEST(MetricsConcurrency, SumsStayExactUnderFourThreadsAndDeltaCollections) {
  auto reader = std::make_shared<pull_metric_reader>(delta_temporality);
  meter_provider_options o;
  o.readers.push_back(reader);
  o.self_metrics = false;
  meter_provider p(std::move(o));
  auto m = p.get_meter("m");
  auto c = m.create_counter<int64_t>("c");
  auto cd = m.create_counter<double>("cd");
  auto bound = c.bind({{"shared", true}});

  std::atomic<bool> done{false};
  int64_t collected = 0;
  double collected_d = 0;
  std::thread collector([&] {
    resource_metrics rm;
    while (!done.load()) {
      reader->collect(rm);
      add_sum(rm, "c", collected);
      if (const metric_data* md = find_metric(rm, "cd"))
        for (const auto& pt : std::get<sum_data>(md->data).points)
          collected_d += std::get<double>(pt.value);
    }
  });
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        c.add(1, {{"shared", true}});                  // every thread, one series
        c.add(2, {{"thread", t}, {"parity", i & 1}});  // per-thread series
        bound.add(3);
        cd.add(0.5, {{"k", "v"}});  // exact in binary
      }
    });
  }
  for (auto& w : workers) w.join();
  done = true;
  collector.join();
  resource_metrics rm;
  reader->collect(rm);
  add_sum(rm, "c", collected);
  if (const metric_data* md = find_metric(rm, "cd"))
    for (const auto& pt : std::get<sum_data>(md->data).points)
      collected_d += std::get<double>(pt.value);
  EXPECT_EQ(collected, int64_t{threads} * per_thread * (1 + 2 + 3));
  EXPECT_EQ(collected_d, threads * per_thread * 0.5);
}

TEST(MetricsConcurrency, HistogramCountsAndSumsExactWithCumulativeAndDeltaReaders) {
  auto cum = std::make_shared<pull_metric_reader>();
  auto del = std::make_shared<pull_metric_reader>(delta_temporality);
  meter_provider_options o;
  o.readers = {cum, del};
  o.self_metrics = false;
  o.views.push_back({.selector = {.name = "e"},
                     .aggregation = exponential_histogram_aggregation{.max_size = 20}});
  meter_provider p(std::move(o));
  auto h = p.get_meter("m").create_histogram<int64_t>("h", {.buckets = {10, 100}});
  auto e = p.get_meter("m").create_histogram<double>("e");
  auto bound = h.bind({{"b", 1}});

  std::atomic<bool> done{false};
  uint64_t del_count = 0, del_e_count = 0;
  double del_sum = 0;
  // Adds one delta collection's points to the totals.
  const auto add_delta = [&](const resource_metrics& rm) {
    if (const metric_data* md = find_metric(rm, "h"))
      for (const auto& pt : std::get<histogram_data>(md->data).points) {
        del_count += pt.count;
        del_sum += *pt.sum;
      }
    if (const metric_data* md = find_metric(rm, "e"))
      for (const auto& pt : std::get<exponential_histogram_data>(md->data).points)
        del_e_count += pt.count;
  };
  std::thread collector([&] {
    resource_metrics rm;
    while (!done.load()) {
      del->collect(rm);
      add_delta(rm);
      resource_metrics other;
      cum->collect(other);  // a second reader collecting at the same time
    }
  });
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        h.record(i % 200, {{"t", t % 2}});
        bound.record(5);
        e.record((i % 1000) * 0.37 + 0.001 * t);
      }
    });
  }
  for (auto& w : workers) w.join();
  done = true;
  collector.join();
  resource_metrics rm;
  del->collect(rm);
  add_delta(rm);
  const uint64_t n = uint64_t{threads} * per_thread;
  double expected_sum = 0;
  for (int i = 0; i < per_thread; ++i) expected_sum += i % 200;
  expected_sum = expected_sum * threads + 5.0 * n;
  EXPECT_EQ(del_count, 2 * n);
  EXPECT_EQ(del_sum, expected_sum);
  EXPECT_EQ(del_e_count, n);

  ASSERT_TRUE(cum->collect(rm));
  uint64_t cum_count = 0, bucket_total = 0;
  for (const auto& pt : std::get<histogram_data>(find_metric(rm, "h")->data).points) {
    cum_count += pt.count;
    for (auto b : pt.bucket_counts) bucket_total += b;
  }
  EXPECT_EQ(cum_count, 2 * n);
  EXPECT_EQ(bucket_total, 2 * n);
  const auto& ep = std::get<exponential_histogram_data>(find_metric(rm, "e")->data).points[0];
  uint64_t e_total = ep.zero_count;
  for (auto b : ep.positive.counts) e_total += b;
  EXPECT_EQ(e_total, n);
  EXPECT_EQ(ep.count, n);
}

TEST(MetricsConcurrency, NewSeriesAndOverflowRaceCleanly) {
  auto reader = std::make_shared<pull_metric_reader>();
  meter_provider_options o;
  o.readers.push_back(reader);
  o.cardinality_limit = 500;
  o.self_metrics = false;
  meter_provider p(std::move(o));
  auto c = p.get_meter("m").create_counter<int64_t>("c");
  constexpr int n = 2000;
  std::atomic<bool> done{false};
  std::thread collector([&] {
    resource_metrics rm;
    while (!done.load()) reader->collect(rm);
  });
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < n; ++i) {
        c.add(1, {{"i", i}});  // all threads race to create the same series
        if (i % 7 == 0) c.bind({{"i", i}}).add(1);
      }
    });
  }
  for (auto& w : workers) w.join();
  done = true;
  collector.join();
  resource_metrics rm;
  ASSERT_TRUE(reader->collect(rm));
  int64_t total = 0;
  add_sum(rm, "c", total);
  int64_t expected_bound = 0;
  for (int i = 0; i < n; i += 7) ++expected_bound;
  EXPECT_EQ(total, int64_t{threads} * (n + expected_bound));
  EXPECT_EQ(std::get<sum_data>(find_metric(rm, "c")->data).points.size(), 501u);
}

TEST(MetricsConcurrency, InstrumentsMetersAndCallbacksFromManyThreads) {
  auto r1 = std::make_shared<pull_metric_reader>();
  auto r2 = std::make_shared<pull_metric_reader>(delta_temporality);
  meter_provider_options o;
  o.readers = {r1, r2};
  meter_provider p(std::move(o));
  std::atomic<int64_t> value{0};
  std::atomic<bool> done{false};
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        auto m = p.get_meter("m" + std::to_string(i % 3));
        m.create_counter<int64_t>("shared.counter").add(1, {{"t", t}});
        auto g = m.create_observable_gauge<int64_t>("g" + std::to_string(i % 5));
        auto id = g.add_callback([&](observer<int64_t>& obs) { obs.observe(value.load()); });
        if (i % 2) g.remove_callback(id);
        value.fetch_add(1);
      }
    });
  }
  std::thread c1([&] {
    resource_metrics rm;
    while (!done.load()) r1->collect(rm);
  });
  std::thread c2([&] {
    resource_metrics rm;
    while (!done.load()) r2->collect(rm);
  });
  for (auto& t : ts) t.join();
  done = true;
  c1.join();
  c2.join();
  resource_metrics rm;
  ASSERT_TRUE(r1->collect(rm));
  int64_t total = 0;
  for (auto& sm : rm.scopes)
    for (auto& md : sm.metrics)
      if (md.name == "shared.counter")
        for (const auto& pt : std::get<sum_data>(md.data).points)
          total += std::get<int64_t>(pt.value);
  EXPECT_EQ(total, threads * 200);
}

}  // namespace
}  // namespace agtel::metrics
