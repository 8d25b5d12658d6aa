// OTLP/HTTP export, against the budgets of issue 4 (Release build):
//   end-to-end export to a loopback OTLP/HTTP sink     >= 500,000 spans/s of CPU time on the
//                                                         exporting thread (spans/s, bytes/s)
//   the application's per-span cost, endpoint down     <= 2x the tracing budget (300 ns)
//
// The sink is tests/support/loopback_http_server.hpp: a raw-socket HTTP/1.1 server on its
// own thread that reads each request and answers 200. Google Benchmark measures the CPU
// time of the benchmark thread only, so `items_per_second` is spans per CPU-second of the
// exporting thread: encoding, gzip when on, libcurl's request and response handling.
// Batches are the batch processor's default size (512 spans), each span a tool call with
// 4 attributes and 1 event (the encode budget's span).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "../tests/support/loopback_http_server.hpp"
#include "agtel/diagnostics.hpp"
#include "agtel/export/otlp_exporter.hpp"
#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"

namespace {

using namespace agtel;
using namespace std::chrono_literals;

const resource& bench_resource() {
  static const resource r = [] {
    resource x = resource::sdk_default();
    x.attributes.set("service.name", "otlp-bench");
    return x;
  }();
  return r;
}
const instrumentation_scope& bench_scope() {
  static const instrumentation_scope s{"agtel.bench", "0.1.0", "", {}};
  return s;
}

std::vector<trace::span_ptr> tool_spans(size_t n) {
  std::vector<trace::span_ptr> out;
  for (size_t i = 0; i < n; ++i) {
    auto s = trace::span_ptr::make();
    std::array<uint8_t, 16> t{};
    std::array<uint8_t, 8> id{};
    t[0] = static_cast<uint8_t>(i + 1);
    t[15] = 7;
    id[0] = static_cast<uint8_t>(i + 1);
    id[7] = static_cast<uint8_t>(i >> 8);
    s->context =
        trace::span_context(trace::trace_id(t), trace::span_id(id), trace::trace_flags(1), false);
    s->name = "execute_tool search";
    s->kind = trace::span_kind::internal;
    s->start_time = 1'700'000'000'000'000'000ULL + i * 1000;
    s->end_time = s->start_time + 250'000;
    s->attributes.set("gen_ai.tool.name", "search");
    s->attributes.set("gen_ai.tool.type", "function");
    s->attributes.set("gen_ai.agent.name", "researcher");
    s->attributes.set("attempt", int64_t{1});
    auto& e = s->events.next();
    e.name = "tool.result";
    e.time = s->start_time + 200'000;
    e.attributes.clear();
    e.attributes.set("result.size", int64_t{512});
    s->resource = &bench_resource();
    s->scope = &bench_scope();
    out.push_back(std::move(s));
  }
  return out;
}

// Arguments: protocol (0 http/protobuf, 1 http/json), gzip (0/1).
void BM_otlp_http_export_512_spans(benchmark::State& state) {
  test::loopback_http_server sink([](const test::http_request&) { return test::http_reply{}; });
  exporter::otlp_exporter_options o;
  o.protocol =
      state.range(0) ? exporter::otlp_protocol::http_json : exporter::otlp_protocol::http_protobuf;
  o.gzip = state.range(1) != 0;
  o.endpoint = sink.url("/v1/traces");
  auto e = exporter::make_otlp_span_exporter(o);
  auto stats = exporter::otlp_stats(*e);
  const auto batch = tool_spans(512);
  for (auto _ : state) {
    if (e->export_spans(batch, steady_time::max()) != export_result::success) {
      state.SkipWithError("export failed");
      break;
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 512);
  state.SetBytesProcessed(static_cast<int64_t>(stats->stats().bytes_sent));
  state.counters["bytes_per_request"] =
      static_cast<double>(stats->stats().bytes_sent) /
      static_cast<double>(std::max<uint64_t>(1, stats->stats().requests));
}
BENCHMARK(BM_otlp_http_export_512_spans)
    ->ArgNames({"json", "gzip"})
    ->Args({0, 0})
    ->Args({0, 1})
    ->Args({1, 0})
    ->Args({1, 1});

// The application's cost per span (start, 4 attributes, end) when the collector is down:
// the batch processor in front of an OTLP exporter pointed at a closed port. The queue
// stays bounded (2048 spans); what cannot wait is dropped and counted, never blocks.
void BM_app_span_endpoint_down(benchmark::State& state) {
  exporter::otlp_exporter_options o;
  o.endpoint = "http://127.0.0.1:" + std::to_string(test::loopback_http_server::closed_port()) +
               "/v1/traces";
  o.timeout = 200ms;
  o.initial_backoff = 10ms;
  o.max_backoff = 50ms;
  trace::tracer_provider_options po;
  po.processors.push_back(std::make_unique<trace::batch_span_processor>(
      exporter::make_otlp_span_exporter(o),
      trace::batch_span_processor_options{.max_queue_size = 2048,
                                          .schedule_delay = 100ms,
                                          .export_timeout = 1s,
                                          .max_export_batch_size = 512}));
  auto* bsp = static_cast<trace::batch_span_processor*>(po.processors.back().get());
  trace::tracer_provider provider(std::move(po));
  auto tracer = provider.get_tracer("agtel.bench");
  for (auto _ : state) {
    auto s = tracer.start_span("execute_tool search",
                               {.attributes = {{"gen_ai.tool.name", "search"},
                                               {"gen_ai.tool.type", "function"},
                                               {"gen_ai.agent.name", "researcher"},
                                               {"attempt", 1}}});
    s.end();
  }
  const auto c = bsp->stats();
  state.counters["dropped_queue_full"] = static_cast<double>(c.dropped_queue_full);
  state.counters["export_failed"] = static_cast<double>(c.export_failed);
  state.counters["queue_depth"] = static_cast<double>(c.queue_depth);
  provider.shutdown(500ms);
}
BENCHMARK(BM_app_span_endpoint_down);

}  // namespace

int main(int argc, char** argv) {
  // The endpoint-down benchmark fails exports by design: keep its diagnostics off stderr.
  agtel::set_diagnostic_handler([](agtel::diag_level, std::string_view, std::string_view) {});
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
