// The metrics hot path and collection, against the budgets of issue 3 (Release build),
// with prometheus-cpp measured in the same program as the peer:
//   bound counter add                          <=  6 ns  (peer: resolved Increment())
//   counter add, 3 attributes (unbound)        <= 40 ns  (peer: Family.Add({3 labels}).Increment())
//   the same, 2 threads on one series: CPU/add <= 1.5x one thread
//   histogram record, 2 attributes             <= 45 ns
//   bound histogram record                     <= 15 ns  (peer: Histogram::Observe)
//   collection of 10,000 series                <=  5 ms
// plus the floor (one relaxed atomic add) and the exemplar path for information.
#include <benchmark/benchmark.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "agtel/metrics/buckets.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/trace/tracer_provider.hpp"

namespace {

using namespace agtel;
using namespace agtel::metrics;

// Values spread over the default buckets, so the bucket search is not always the first.
constexpr std::array<double, 8> values = {3, 17, 42, 120, 480, 900, 3100, 12000};

struct sdk {
  std::shared_ptr<pull_metric_reader> reader = std::make_shared<pull_metric_reader>();
  std::unique_ptr<meter_provider> provider;
  meter m;
  sdk() {
    meter_provider_options o;
    o.readers.push_back(reader);
    provider = std::make_unique<meter_provider>(std::move(o));
    m = provider->get_meter("bench");
  }
};

sdk& shared_sdk() {
  static sdk* s = new sdk;
  return *s;
}

// ---- floor ----------------------------------------------------------------------------

void BM_floor_atomic_add(benchmark::State& state) {
  static std::atomic<int64_t> a{0};
  for (auto _ : state) a.fetch_add(1, std::memory_order_relaxed);
}
BENCHMARK(BM_floor_atomic_add);
BENCHMARK(BM_floor_atomic_add)->Threads(2);

// ---- counters ---------------------------------------------------------------------------

void BM_agtel_bound_counter_add(benchmark::State& state) {
  static auto bound = shared_sdk()
                          .m.create_counter<int64_t>("bound.counter")
                          .bind({{"gen_ai.operation.name", "chat"},
                                 {"gen_ai.request.model", "gpt-4o"},
                                 {"error.type", "none"}});
  for (auto _ : state) bound.add(1);
}
BENCHMARK(BM_agtel_bound_counter_add);
BENCHMARK(BM_agtel_bound_counter_add)->Threads(2);

void BM_agtel_bound_counter_add_double(benchmark::State& state) {
  static auto bound = shared_sdk().m.create_counter<double>("bound.counter.double").bind({});
  for (auto _ : state) bound.add(0.5);
}
BENCHMARK(BM_agtel_bound_counter_add_double);

void BM_agtel_counter_add_3_attributes(benchmark::State& state) {
  static auto c = shared_sdk().m.create_counter<int64_t>("counter.3attrs");
  for (auto _ : state)
    c.add(1, {{"gen_ai.operation.name", "chat"},
              {"gen_ai.request.model", "gpt-4o"},
              {"error.type", "none"}});
}
BENCHMARK(BM_agtel_counter_add_3_attributes);
BENCHMARK(BM_agtel_counter_add_3_attributes)->Threads(2);

// Same set, another order: the order-independent hash and the equality fallback.
void BM_agtel_counter_add_3_attributes_shuffled(benchmark::State& state) {
  static auto c = shared_sdk().m.create_counter<int64_t>("counter.3attrs");
  for (auto _ : state)
    c.add(1, {{"error.type", "none"},
              {"gen_ai.operation.name", "chat"},
              {"gen_ai.request.model", "gpt-4o"}});
}
BENCHMARK(BM_agtel_counter_add_3_attributes_shuffled);

// Inside a sampled span: the trace-based exemplar filter keeps the measurement.
void BM_agtel_counter_add_3_attributes_in_sampled_span(benchmark::State& state) {
  static auto c = shared_sdk().m.create_counter<int64_t>("counter.3attrs.span");
  auto tp = std::make_unique<trace::tracer_provider>();
  auto span = tp->get_tracer("bench").start_span("op");
  auto scope = span.activate();
  for (auto _ : state)
    c.add(1, {{"gen_ai.operation.name", "chat"},
              {"gen_ai.request.model", "gpt-4o"},
              {"error.type", "none"}});
}
BENCHMARK(BM_agtel_counter_add_3_attributes_in_sampled_span);

// ---- histograms -------------------------------------------------------------------------

void BM_agtel_histogram_record_2_attributes(benchmark::State& state) {
  static auto h = shared_sdk().m.create_histogram<double>("histogram.2attrs");
  size_t i = 0;
  for (auto _ : state)
    h.record(values[i++ & 7], {{"gen_ai.operation.name", "chat"}, {"error.type", "none"}});
}
BENCHMARK(BM_agtel_histogram_record_2_attributes);
BENCHMARK(BM_agtel_histogram_record_2_attributes)->Threads(2);

void BM_agtel_bound_histogram_record(benchmark::State& state) {
  static auto h = shared_sdk()
                      .m.create_histogram<double>("histogram.bound")
                      .bind({{"gen_ai.operation.name", "chat"}, {"error.type", "none"}});
  size_t i = 0;
  for (auto _ : state) h.record(values[i++ & 7]);
}
BENCHMARK(BM_agtel_bound_histogram_record);

void BM_agtel_exponential_histogram_record(benchmark::State& state) {
  static auto h = [] {
    auto reader = std::make_shared<pull_metric_reader>();
    meter_provider_options o;
    o.readers.push_back(reader);
    o.views.push_back(
        {.selector = {.name = "exp"}, .aggregation = exponential_histogram_aggregation{}});
    static auto* p = new meter_provider(std::move(o));
    return p->get_meter("bench").create_histogram<double>("exp").bind({});
  }();
  size_t i = 0;
  for (auto _ : state) h.record(values[i++ & 7]);
}
BENCHMARK(BM_agtel_exponential_histogram_record);

// ---- collection -------------------------------------------------------------------------

// 10,000 series: 5,000 counter series and 5,000 histogram series (15 buckets), 3 attributes.
void BM_agtel_collect_10000_series(benchmark::State& state) {
  auto reader = std::make_shared<pull_metric_reader>(state.range(0) ? delta_temporality
                                                                    : cumulative_temporality);
  meter_provider_options o;
  o.readers.push_back(reader);
  o.cardinality_limit = 10000;
  meter_provider p(std::move(o));
  auto m = p.get_meter("bench");
  auto c = m.create_counter<int64_t>("requests");
  auto h = m.create_histogram<double>("latency");
  std::vector<bound_counter<int64_t>> cs;
  std::vector<bound_histogram<double>> hs;
  for (int i = 0; i < 5000; ++i) {
    const std::string agent = "agent-" + std::to_string(i % 50);
    const std::string tool = "tool-" + std::to_string(i / 50);
    cs.push_back(c.bind({{"agent", agent}, {"tool", tool}, {"status", "ok"}}));
    hs.push_back(h.bind({{"agent", agent}, {"tool", tool}, {"status", "ok"}}));
  }
  resource_metrics out;
  size_t points = 0;
  for (auto _ : state) {
    state.PauseTiming();
    for (size_t i = 0; i < cs.size(); ++i) {
      cs[i].add(1);
      hs[i].record(values[i & 7]);
    }
    state.ResumeTiming();
    reader->collect(out);
    points = 0;
    for (auto& sm : out.scopes) {
      for (auto& md : sm.metrics) {
        if (auto* s = std::get_if<sum_data>(&md.data)) points += s->points.size();
        if (auto* hd = std::get_if<histogram_data>(&md.data)) points += hd->points.size();
      }
    }
  }
  state.counters["points"] = static_cast<double>(points);
}
BENCHMARK(BM_agtel_collect_10000_series)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Recording while another thread collects in a loop: the recorder must not wait.
void BM_agtel_counter_add_during_collections(benchmark::State& state) {
  static sdk* s = new sdk;
  static auto c = s->m.create_counter<int64_t>("counter.during");
  static std::atomic<bool> stop{false};
  static std::thread collector;
  if (state.thread_index() == 0) {
    for (int i = 0; i < 2000; ++i) c.add(1, {{"i", i}});
    stop = false;
    collector = std::thread([] {
      resource_metrics out;
      while (!stop.load()) s->reader->collect(out);
    });
  }
  for (auto _ : state)
    c.add(1, {{"gen_ai.operation.name", "chat"},
              {"gen_ai.request.model", "gpt-4o"},
              {"error.type", "none"}});
  if (state.thread_index() == 0) {
    stop = true;
    collector.join();
  }
}
BENCHMARK(BM_agtel_counter_add_during_collections);

// ---- prometheus-cpp, the peer ----------------------------------------------------------

prometheus::Registry& prom_registry() {
  static auto* r = new prometheus::Registry;
  return *r;
}

void BM_prometheus_resolved_increment(benchmark::State& state) {
  static auto& family = prometheus::BuildCounter().Name("resolved_total").Register(prom_registry());
  static auto& counter =
      family.Add({{"operation", "chat"}, {"model", "gpt-4o"}, {"error_type", "none"}});
  for (auto _ : state) counter.Increment();
}
BENCHMARK(BM_prometheus_resolved_increment);
BENCHMARK(BM_prometheus_resolved_increment)->Threads(2);

void BM_prometheus_family_add_3_labels_increment(benchmark::State& state) {
  static auto& family = prometheus::BuildCounter().Name("family_total").Register(prom_registry());
  for (auto _ : state)
    family.Add({{"operation", "chat"}, {"model", "gpt-4o"}, {"error_type", "none"}}).Increment();
}
BENCHMARK(BM_prometheus_family_add_3_labels_increment);
BENCHMARK(BM_prometheus_family_add_3_labels_increment)->Threads(2);

void BM_prometheus_histogram_observe(benchmark::State& state) {
  static auto& family = prometheus::BuildHistogram().Name("latency").Register(prom_registry());
  static auto& h = family.Add({{"operation", "chat"}, {"error_type", "none"}},
                              prometheus::Histogram::BucketBoundaries(buckets::otel_default.begin(),
                                                                      buckets::otel_default.end()));
  size_t i = 0;
  for (auto _ : state) h.Observe(values[i++ & 7]);
}
BENCHMARK(BM_prometheus_histogram_observe);

void BM_prometheus_family_add_2_labels_observe(benchmark::State& state) {
  static auto& family = prometheus::BuildHistogram().Name("latency2").Register(prom_registry());
  static const prometheus::Histogram::BucketBoundaries bounds(buckets::otel_default.begin(),
                                                              buckets::otel_default.end());
  size_t i = 0;
  for (auto _ : state)
    family.Add({{"operation", "chat"}, {"error_type", "none"}}, bounds).Observe(values[i++ & 7]);
}
BENCHMARK(BM_prometheus_family_add_2_labels_observe);

}  // namespace

BENCHMARK_MAIN();
