// Readers: pull and periodic, per-reader temporality, deadlines with a hung exporter,
// OTEL_METRIC_EXPORT_INTERVAL / _TIMEOUT, registration rules, the in-memory exporter.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "agtel/export/in_memory_metric_exporter.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "metrics_fixture.hpp"
#include "support/test_support.hpp"

namespace agtel::metrics {
namespace {

using namespace std::chrono_literals;
using exporter::find_metric;
using exporter::find_number_point;
using exporter::in_memory_metric_exporter;
using exporter::in_memory_metric_store;

using test::int_value;

// Blocks every export until released.
class hanging_exporter final : public metric_exporter {
 public:
  export_result export_metrics(const resource_metrics&, steady_time) noexcept override {
    std::unique_lock lock(mutex_);
    entered_ = true;
    cv_.notify_all();
    cv_.wait(lock, [&] { return released_; });
    return export_result::success;
  }
  sdk_result shutdown(steady_time) noexcept override { return sdk_result::ok; }
  void wait_entered() {
    std::unique_lock lock(mutex_);
    cv_.wait(lock, [&] { return entered_; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool released_ = false;
};

class failing_exporter final : public metric_exporter {
 public:
  export_result export_metrics(const resource_metrics&, steady_time) noexcept override {
    return export_result::failure;
  }
  sdk_result shutdown(steady_time) noexcept override { return sdk_result::ok; }
};

TEST(MetricsReader, PullReaderCollectsOnDemandAndReusesTheBuffer) {
  auto reader = std::make_shared<pull_metric_reader>();
  resource_metrics rm;
  EXPECT_FALSE(reader->collect(rm));  // not registered yet
  meter_provider_options o;
  o.readers.push_back(reader);
  o.resource.attributes.set("service.name", "svc");
  o.self_metrics = false;
  auto p = std::make_unique<meter_provider>(std::move(o));
  auto c = p->get_meter("m").create_counter<int64_t>("c");
  c.add(1, {{"a", "x"}});
  ASSERT_TRUE(reader->collect(rm));
  ASSERT_NE(rm.resource, nullptr);
  EXPECT_EQ(std::get<std::string>(*rm.resource->attributes.find("service.name")), "svc");
  c.add(1, {{"a", "x"}});
  ASSERT_TRUE(reader->collect(rm));  // refilled in place
  EXPECT_EQ(rm.scopes.size(), 1u);
  EXPECT_EQ(int_value(find_number_point(*find_metric(rm, "c"), {{"a", "x"}})), 2);
  p.reset();  // the provider is gone
  EXPECT_FALSE(reader->collect(rm));
  EXPECT_TRUE(rm.scopes.empty());
}

TEST(MetricsReader, EachReaderHasItsOwnTemporality) {
  auto cum = std::make_shared<pull_metric_reader>(cumulative_temporality);
  auto del = std::make_shared<pull_metric_reader>(delta_temporality);
  meter_provider_options o;
  o.readers = {cum, del};
  o.self_metrics = false;
  meter_provider p(std::move(o));
  auto c = p.get_meter("m").create_counter<int64_t>("c");
  auto h = p.get_meter("m").create_histogram<double>("h", {.buckets = {1}});
  resource_metrics a, b;
  c.add(5);
  h.record(0.5);
  ASSERT_TRUE(del->collect(b));  // the delta reader takes first
  EXPECT_EQ(int_value(find_number_point(*find_metric(b, "c"), {})), 5);
  c.add(3);
  h.record(2);
  ASSERT_TRUE(cum->collect(a));
  EXPECT_EQ(int_value(find_number_point(*find_metric(a, "c"), {})), 8);
  EXPECT_EQ(exporter::find_histogram_point(*find_metric(a, "h"), {})->count, 2u);
  c.add(1);
  ASSERT_TRUE(del->collect(b));
  EXPECT_EQ(int_value(find_number_point(*find_metric(b, "c"), {})), 4);
  EXPECT_EQ(exporter::find_histogram_point(*find_metric(b, "h"), {})->count, 1u);
  ASSERT_TRUE(cum->collect(a));
  EXPECT_EQ(int_value(find_number_point(*find_metric(a, "c"), {})), 9);
}

TEST(MetricsReader, ReaderRegisteredWithOneProviderOnly) {
  auto reader = std::make_shared<pull_metric_reader>();
  meter_provider_options o1, o2;
  o1.readers.push_back(reader);
  o2.readers.push_back(reader);
  o1.self_metrics = o2.self_metrics = false;
  meter_provider p1(std::move(o1));
  meter_provider p2(std::move(o2));  // reported and ignored
  p1.get_meter("m").create_counter<int64_t>("one").add(1);
  p2.get_meter("m").create_counter<int64_t>("two").add(1);
  resource_metrics rm;
  ASSERT_TRUE(reader->collect(rm));
  EXPECT_NE(find_metric(rm, "one"), nullptr);
  EXPECT_EQ(find_metric(rm, "two"), nullptr);
}

TEST(MetricsReader, PeriodicReaderExportsOnItsInterval) {
  auto store = std::make_shared<in_memory_metric_store>();
  auto reader = std::make_shared<periodic_metric_reader>(
      std::make_unique<in_memory_metric_exporter>(store), periodic_metric_reader_options{20ms, 1s});
  meter_provider_options o;
  o.readers.push_back(reader);
  o.self_metrics = false;
  meter_provider p(std::move(o));
  auto c = p.get_meter("m").create_counter<int64_t>("c");
  c.add(7);
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (store->size() < 2 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(5ms);
  ASSERT_GE(store->size(), 2u);
  auto last = store->last();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(int_value(find_number_point(*find_metric(*last, "c"), {})), 7);
  EXPECT_GE(reader->export_stats().exports_ok, 2u);
  EXPECT_EQ(p.shutdown(1s), sdk_result::ok);
  EXPECT_TRUE(reader->is_shutdown());
}

TEST(MetricsReader, ForceFlushAndShutdownExportNowWithTheExportersTemporality) {
  auto store = std::make_shared<in_memory_metric_store>();
  auto reader = std::make_shared<periodic_metric_reader>(
      std::make_unique<in_memory_metric_exporter>(store, delta_temporality),
      periodic_metric_reader_options{1h, 1s});
  EXPECT_EQ(reader->temporality(instrument_kind::counter), aggregation_temporality::delta);
  EXPECT_EQ(reader->temporality(instrument_kind::up_down_counter),
            aggregation_temporality::cumulative);
  meter_provider_options o;
  o.readers.push_back(reader);
  o.self_metrics = false;
  meter_provider p(std::move(o));
  auto c = p.get_meter("m").create_counter<int64_t>("c");
  c.add(2);
  EXPECT_EQ(p.force_flush(5s), sdk_result::ok);
  ASSERT_EQ(store->size(), 1u);
  EXPECT_EQ(int_value(find_number_point(*find_metric(*store->last(), "c"), {})), 2);
  c.add(3);
  EXPECT_EQ(p.shutdown(5s), sdk_result::ok);  // a last collection
  ASSERT_EQ(store->size(), 2u);
  EXPECT_EQ(int_value(find_number_point(*find_metric(*store->last(), "c"), {})), 3);
  EXPECT_EQ(reader->force_flush(1s), sdk_result::already_shutdown);
  EXPECT_EQ(reader->shutdown(1s), sdk_result::already_shutdown);
}

TEST(MetricsReader, DeadlinesHoldWhenTheExporterHangs) {
  auto hang = std::make_unique<hanging_exporter>();
  hanging_exporter* h = hang.get();
  auto reader = std::make_shared<periodic_metric_reader>(std::move(hang),
                                                         periodic_metric_reader_options{1h, 1s});
  meter_provider_options o;
  o.readers.push_back(reader);
  auto p = std::make_unique<meter_provider>(std::move(o));
  p->get_meter("m").create_counter<int64_t>("c").add(1);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(reader->force_flush(100ms), sdk_result::timeout);
  h->wait_entered();
  EXPECT_EQ(reader->shutdown(100ms), sdk_result::timeout);
  EXPECT_EQ(p->shutdown(100ms), sdk_result::ok);  // the reader is already shut down
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_LT(took, 2s);
  resource_metrics rm;
  EXPECT_FALSE(reader->collect(rm));
  h->release();  // let the thread finish (it owns the exporter through its state)
  p.reset();
}

TEST(MetricsReader, FailedExportsAreCounted) {
  auto reader = std::make_shared<periodic_metric_reader>(std::make_unique<failing_exporter>(),
                                                         periodic_metric_reader_options{1h, 1s});
  meter_provider_options o;
  o.readers.push_back(reader);
  meter_provider p(std::move(o));
  p.get_meter("m").create_counter<int64_t>("c").add(1);
  EXPECT_EQ(reader->force_flush(5s), sdk_result::failure);
  EXPECT_EQ(reader->export_stats().exports_failed, 1u);
}

TEST(MetricsReader, OptionsFromEnvironment) {
  {
    test::scoped_env a("OTEL_METRIC_EXPORT_INTERVAL", std::nullopt);
    test::scoped_env b("OTEL_METRIC_EXPORT_TIMEOUT", std::nullopt);
    auto o = periodic_metric_reader_options_from_env();
    EXPECT_EQ(o.interval, 60000ms);
    EXPECT_EQ(o.timeout, 30000ms);
  }
  {
    test::scoped_env a("OTEL_METRIC_EXPORT_INTERVAL", "1500");
    test::scoped_env b("OTEL_METRIC_EXPORT_TIMEOUT", " 250 ");
    auto o = periodic_metric_reader_options_from_env();
    EXPECT_EQ(o.interval, 1500ms);
    EXPECT_EQ(o.timeout, 250ms);
  }
  for (const char* bad : {"abc", "-5", "0", "12x", "1e3", "99999999999999999999", "５", ""}) {
    test::scoped_env a("OTEL_METRIC_EXPORT_INTERVAL", bad);
    auto o = periodic_metric_reader_options_from_env();
    EXPECT_EQ(o.interval, 60000ms) << bad;
  }
}

TEST(MetricsReader, InvalidOptionsAreCorrected) {
  auto store = std::make_shared<in_memory_metric_store>();
  periodic_metric_reader r(std::make_unique<in_memory_metric_exporter>(store),
                           periodic_metric_reader_options{0ms, -1ms});
  EXPECT_EQ(r.options().interval, 60000ms);
  EXPECT_EQ(r.options().timeout, 30000ms);
  periodic_metric_reader none(nullptr);  // no exporter: reported, harmless
  EXPECT_EQ(none.shutdown(1s), sdk_result::ok);
}

TEST(InMemoryMetricExporter, BoundedStore) {
  in_memory_metric_store store(2);
  resource_metrics rm;
  store.add(rm);
  store.add(rm);
  store.add(rm);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.discarded(), 1u);
  store.clear();
  EXPECT_EQ(store.size(), 0u);
  EXPECT_FALSE(store.last().has_value());
  in_memory_metric_exporter e(nullptr);
  EXPECT_EQ(e.export_metrics(rm, {}), export_result::failure);
  auto s = std::make_shared<in_memory_metric_store>();
  in_memory_metric_exporter e2(s);
  EXPECT_EQ(e2.export_metrics(rm, {}), export_result::success);
  EXPECT_EQ(e2.shutdown({}), sdk_result::ok);
  EXPECT_EQ(e2.export_metrics(rm, {}), export_result::failure);
}

}  // namespace
}  // namespace agtel::metrics
