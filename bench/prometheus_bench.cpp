// Prometheus text exposition of 10,000 series: 5,000 counter series (3 labels) and 5,000
// histogram series (2 labels, 15 buckets), agtel beside prometheus-cpp in the same run.
//
//   BM_agtel_serialize_text        agtel: render an already-collected collection (text 0.0.4)
//   BM_agtel_serialize_openmetrics agtel: the same in OpenMetrics 1.0
//   BM_agtel_gzip_text             agtel: gzip of that text (when the scraper accepts gzip)
//   BM_agtel_scrape_text           agtel: one whole scrape minus HTTP: reader pass over a
//                                  live meter provider + rendering
//   BM_prometheus_cpp_scrape_text  prometheus-cpp::core: Registry::Collect + TextSerializer
//                                  over a registry of the same shape (what its Exposer does)
//   BM_prometheus_cpp_serialize_text  prometheus-cpp: TextSerializer only
//
// Budget (issue 3): agtel text exposition of 10,000 series ≤ 8 ms.
#include <benchmark/benchmark.h>
#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "agtel/export/prometheus_exporter.hpp"
#include "agtel/metrics/buckets.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "export/prometheus/gzip.hpp"

namespace {

constexpr int counter_series = 5000;
constexpr int histogram_series = 5000;

const std::vector<double> bounds(agtel::metrics::buckets::otel_default.begin(),
                                 agtel::metrics::buckets::otel_default.end());

const char* const models[] = {"gpt-4o", "gpt-4o-mini", "claude-sonnet", "llama-3-70b",
                              "mistral-large"};
const char* const operations[] = {"chat", "embeddings", "text_completion", "execute_tool"};

// The label values of series i (identical for agtel and prometheus-cpp).
std::string agent_of(int i) {
  return "agent-" + std::to_string(i);
}

// ---- agtel: a collection built directly ------------------------------------------------

struct agtel_fixture {
  agtel::resource resource{{{"service.name", "bench"}, {"service.instance.id", "i-1"}}, ""};
  agtel::instrumentation_scope scope{"agtel.bench", "1.0", "", {}};
  agtel::metrics::resource_metrics batch;

  agtel_fixture() {
    batch.resource = &resource;
    auto& sm = batch.scopes.next();
    sm.scope = &scope;
    auto& c = sm.metrics.next();
    c.name = "gen_ai.requests";
    c.unit = "{request}";
    c.description = "LLM requests.";
    c.data = agtel::metrics::sum_data{};
    auto& sum = std::get<agtel::metrics::sum_data>(c.data);
    sum.monotonic = true;
    for (int i = 0; i < counter_series; ++i) {
      auto& p = sum.points.next();
      p.attributes = {{"gen_ai.request.model", models[i % 5]},
                      {"gen_ai.operation.name", operations[i % 4]},
                      {"gen_ai.agent.name", agent_of(i)}};
      p.start_time = 1'700'000'000'000'000'000;
      p.time = 1'700'000'060'000'000'000;
      p.value = int64_t{1000 + i};
    }
    auto& h = sm.metrics.next();
    h.name = "gen_ai.client.operation.duration";
    h.unit = "s";
    h.description = "LLM latency.";
    h.data = agtel::metrics::histogram_data{};
    auto& hist = std::get<agtel::metrics::histogram_data>(h.data);
    for (int i = 0; i < histogram_series; ++i) {
      auto& p = hist.points.next();
      p.attributes = {{"gen_ai.request.model", models[i % 5]}, {"gen_ai.agent.name", agent_of(i)}};
      p.start_time = 1'700'000'000'000'000'000;
      p.time = 1'700'000'060'000'000'000;
      p.bounds = bounds;
      p.bucket_counts.assign(bounds.size() + 1, 0);
      for (size_t b = 0; b < p.bucket_counts.size(); ++b)
        p.bucket_counts[b] = static_cast<uint64_t>((i + b) % 7);
      p.count = 0;
      for (uint64_t n : p.bucket_counts) p.count += n;
      p.sum = 123.25 + i;
    }
  }
};

void serialize(benchmark::State& state, agtel::exporter::prometheus_format format) {
  agtel_fixture f;
  agtel::exporter::prometheus_serializer serializer;
  std::string out;
  for (auto _ : state) {
    out.clear();
    serializer.serialize(f.batch, format, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
  state.counters["series"] = counter_series + histogram_series;
}

void BM_agtel_serialize_text(benchmark::State& state) {
  serialize(state, agtel::exporter::prometheus_format::text);
}
BENCHMARK(BM_agtel_serialize_text)->Unit(benchmark::kMillisecond);

void BM_agtel_serialize_openmetrics(benchmark::State& state) {
  serialize(state, agtel::exporter::prometheus_format::openmetrics);
}
BENCHMARK(BM_agtel_serialize_openmetrics)->Unit(benchmark::kMillisecond);

// The gzip step of a scrape whose scraper sends Accept-Encoding: gzip (zlib level 1).
void BM_agtel_gzip_text(benchmark::State& state) {
  agtel_fixture f;
  agtel::exporter::prometheus_serializer serializer;
  std::string text, gz;
  serializer.serialize(f.batch, agtel::exporter::prometheus_format::text, text);
  for (auto _ : state) {
    agtel::exporter::prometheus::gzip_compress(text, gz);
    benchmark::DoNotOptimize(gz.data());
  }
  state.counters["bytes"] = static_cast<double>(gz.size());
}
BENCHMARK(BM_agtel_gzip_text)->Unit(benchmark::kMillisecond);

// ---- agtel: a whole scrape over a live provider -----------------------------------------

void BM_agtel_scrape_text(benchmark::State& state) {
  agtel::exporter::prometheus_exporter_options o;
  o.port = 0;
  auto exporter = std::make_shared<agtel::exporter::prometheus_exporter>(o);
  agtel::metrics::meter_provider_options po;
  po.resource = agtel::resource{{{"service.name", "bench"}}, ""};
  po.readers.push_back(exporter->reader());
  po.cardinality_limit = 10000;
  po.self_metrics = false;
  agtel::metrics::meter_provider provider(std::move(po));
  auto meter = provider.get_meter("agtel.bench", "1.0");
  auto counter = meter.create_counter<int64_t>("gen_ai.requests", {.unit = "{request}"});
  auto hist = meter.create_histogram<double>("gen_ai.client.operation.duration",
                                             {.unit = "s", .buckets = bounds});
  for (int i = 0; i < counter_series; ++i) {
    const std::string agent = agent_of(i);
    counter.add(1000 + i, {{"gen_ai.request.model", models[i % 5]},
                           {"gen_ai.operation.name", operations[i % 4]},
                           {"gen_ai.agent.name", agent}});
  }
  for (int i = 0; i < histogram_series; ++i) {
    const std::string agent = agent_of(i);
    for (int v = 0; v < 3; ++v)
      hist.record(static_cast<double>((i * 37 + v * 1000) % 12000),
                  {{"gen_ai.request.model", models[i % 5]}, {"gen_ai.agent.name", agent}});
  }
  std::string out;
  for (auto _ : state) {
    out.clear();
    if (!exporter->scrape(agtel::exporter::prometheus_format::text, out)) {
      state.SkipWithError("scrape failed");
      break;
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_agtel_scrape_text)->Unit(benchmark::kMillisecond);

// ---- prometheus-cpp, same shape ----------------------------------------------------------

struct prometheus_cpp_fixture {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();

  prometheus_cpp_fixture() {
    auto& counters = prometheus::BuildCounter()
                         .Name("gen_ai_requests_total")
                         .Help("LLM requests.")
                         .Register(*registry);
    for (int i = 0; i < counter_series; ++i) {
      counters
          .Add({{"gen_ai_request_model", models[i % 5]},
                {"gen_ai_operation_name", operations[i % 4]},
                {"gen_ai_agent_name", agent_of(i)}})
          .Increment(1000 + i);
    }
    auto& histograms = prometheus::BuildHistogram()
                           .Name("gen_ai_client_operation_duration_seconds")
                           .Help("LLM latency.")
                           .Register(*registry);
    for (int i = 0; i < histogram_series; ++i) {
      auto& h = histograms.Add(
          {{"gen_ai_request_model", models[i % 5]}, {"gen_ai_agent_name", agent_of(i)}},
          prometheus::Histogram::BucketBoundaries(bounds.begin(), bounds.end()));
      for (int v = 0; v < 3; ++v) h.Observe(static_cast<double>((i * 37 + v * 1000) % 12000));
    }
  }
};

void BM_prometheus_cpp_scrape_text(benchmark::State& state) {
  prometheus_cpp_fixture f;
  prometheus::TextSerializer serializer;
  size_t bytes = 0;
  for (auto _ : state) {
    std::ostringstream os;
    serializer.Serialize(os, f.registry->Collect());
    bytes = static_cast<size_t>(os.tellp());
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_prometheus_cpp_scrape_text)->Unit(benchmark::kMillisecond);

void BM_prometheus_cpp_serialize_text(benchmark::State& state) {
  prometheus_cpp_fixture f;
  prometheus::TextSerializer serializer;
  const auto families = f.registry->Collect();
  size_t bytes = 0;
  for (auto _ : state) {
    std::ostringstream os;
    serializer.Serialize(os, families);
    bytes = static_cast<size_t>(os.tellp());
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_prometheus_cpp_serialize_text)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
