// OTLP/protobuf encoding, against the budget of issue 4 (Release build):
//   encode 10,000 spans (4 attributes, 1 event each) to OTLP protobuf   <= 5 ms
// and, for the record, 10,000 metric points (sums and histograms) and 10,000 log records.
// The output string is reused across iterations, as the exporters reuse theirs. Decoding
// (the receiver's side) is measured too, for the same batches.
#include <benchmark/benchmark.h>

#include <deque>
#include <string>
#include <vector>

#include "otlp/codec.hpp"

namespace {

using namespace agtel;

constexpr int batch_size = 10000;

struct source {
  resource res;
  instrumentation_scope scope;
  source() {
    res.attributes.set("service.name", "agent-runtime");
    res.attributes.set("telemetry.sdk.name", "agtel");
    res.attributes.set("telemetry.sdk.language", "cpp");
    res.attributes.set("telemetry.sdk.version", "0.1.0");
    res.attributes.set("host.name", "bench-host");
    scope.name = "agtel.agent";
    scope.version = "0.1.0";
  }
};

template <size_t N>
trace::basic_id<N> id(uint32_t seed) {
  std::array<uint8_t, N> b{};
  for (size_t i = 0; i < N; ++i) b[i] = static_cast<uint8_t>(seed * 31 + i * 7 + 1);
  return trace::basic_id<N>(b);
}

// The budget's span: a tool call with 4 attributes and one event.
std::vector<trace::span_ptr> make_spans(const source& src) {
  std::vector<trace::span_ptr> spans;
  for (int i = 0; i < batch_size; ++i) {
    trace::span_ptr s = trace::span_ptr::make();
    s->context = trace::span_context(id<16>(static_cast<uint32_t>(i / 10)), id<8>(static_cast<uint32_t>(i)), {1}, false);
    s->parent_span_id = id<8>(static_cast<uint32_t>(i / 10));
    s->name = "execute_tool search";
    s->kind = trace::span_kind::internal;
    s->start_time = 1700000000000000000ULL + static_cast<uint64_t>(i) * 1000;
    s->end_time = s->start_time + 250000;
    s->attributes.set("gen_ai.tool.name", "search");
    s->attributes.set("gen_ai.tool.type", "function");
    s->attributes.set("gen_ai.agent.name", "researcher");
    s->attributes.set("attempt", 1);
    auto& e = s->events.next();
    e.name = "gen_ai.tool.result";
    e.time = s->start_time + 200000;
    e.attributes.clear();
    e.attributes.set("result.size", 4096);
    s->resource = &src.res;
    s->scope = &src.scope;
    spans.push_back(std::move(s));
  }
  return spans;
}

// 10,000 points: 100 metrics of 100 series each, counters or histograms with the default
// 16 bounds.
metrics::resource_metrics make_metrics(const source& src, bool histograms) {
  metrics::resource_metrics rm;
  rm.resource = &src.res;
  auto& sm = rm.scopes.next();
  sm.scope = &src.scope;
  sm.metrics.clear();
  for (int m = 0; m < 100; ++m) {
    auto& md = sm.metrics.next();
    md.name = "gen_ai.metric." + std::to_string(m);
    md.unit = histograms ? "s" : "{token}";
    if (histograms) {
      auto& d = md.data.emplace<metrics::histogram_data>();
      for (int p = 0; p < 100; ++p) {
        auto& pt = d.points.next();
        pt.attributes.set("gen_ai.agent.name", "agent-" + std::to_string(p));
        pt.attributes.set("gen_ai.request.model", "m-large");
        pt.start_time = 1700000000000000000ULL;
        pt.time = 1700000060000000000ULL;
        pt.count = 1000;
        pt.sum = 1234.5;
        pt.min = 0.01;
        pt.max = 250.0;
        pt.bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 180, 300};
        pt.bucket_counts.assign(17, 58);
      }
    } else {
      auto& d = md.data.emplace<metrics::sum_data>();
      d.monotonic = true;
      for (int p = 0; p < 100; ++p) {
        auto& pt = d.points.next();
        pt.attributes.set("gen_ai.agent.name", "agent-" + std::to_string(p));
        pt.attributes.set("gen_ai.token.type", "input");
        pt.start_time = 1700000000000000000ULL;
        pt.time = 1700000060000000000ULL;
        pt.value = int64_t{123456} + p;
      }
    }
  }
  return rm;
}

// A log record with 3 attributes and a string body, inside a span.
std::vector<logs::log_record_ptr> make_records(const source& src) {
  std::vector<logs::log_record_ptr> records;
  for (int i = 0; i < batch_size; ++i) {
    logs::log_record_ptr r = logs::log_record_ptr::make();
    r->time = 1700000000000000000ULL + static_cast<uint64_t>(i);
    r->observed_time = r->time + 1000;
    r->severity_number = logs::severity::info;
    r->severity_text = "INFO";
    r->body = std::string("tool call finished in 250 ms with 3 results");
    r->has_body = true;
    r->attributes.set("gen_ai.tool.name", "search");
    r->attributes.set("gen_ai.agent.name", "researcher");
    r->attributes.set("attempt", 1);
    r->trace_id = id<16>(static_cast<uint32_t>(i / 10));
    r->span_id = id<8>(static_cast<uint32_t>(i));
    r->trace_flags = {1};
    r->resource = &src.res;
    r->scope = &src.scope;
    records.push_back(std::move(r));
  }
  return records;
}

template <class Encode>
void run_encode(benchmark::State& state, Encode encode) {
  std::string out;
  encode(out);
  for (auto _ : state) {
    encode(out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * batch_size);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(out.size()));
  state.counters["request_bytes"] = static_cast<double>(out.size());
}

void BM_encode_10k_spans(benchmark::State& state) {
  source src;
  auto spans = make_spans(src);
  run_encode(state, [&](std::string& out) { otlp::encode_traces_protobuf(spans, out); });
}
BENCHMARK(BM_encode_10k_spans)->Unit(benchmark::kMillisecond);

void BM_encode_10k_sum_points(benchmark::State& state) {
  source src;
  auto rm = make_metrics(src, false);
  run_encode(state, [&](std::string& out) { otlp::encode_metrics_protobuf(rm, out); });
}
BENCHMARK(BM_encode_10k_sum_points)->Unit(benchmark::kMillisecond);

void BM_encode_10k_histogram_points(benchmark::State& state) {
  source src;
  auto rm = make_metrics(src, true);
  run_encode(state, [&](std::string& out) { otlp::encode_metrics_protobuf(rm, out); });
}
BENCHMARK(BM_encode_10k_histogram_points)->Unit(benchmark::kMillisecond);

void BM_encode_10k_log_records(benchmark::State& state) {
  source src;
  auto records = make_records(src);
  run_encode(state, [&](std::string& out) { otlp::encode_logs_protobuf(records, out); });
}
BENCHMARK(BM_encode_10k_log_records)->Unit(benchmark::kMillisecond);

void BM_decode_10k_spans(benchmark::State& state) {
  source src;
  auto spans = make_spans(src);
  std::string bytes;
  otlp::encode_traces_protobuf(spans, bytes);
  spans.clear();
  for (auto _ : state) {
    otlp::trace_batch batch;
    std::string error = otlp::decode_traces_protobuf(bytes, batch);
    benchmark::DoNotOptimize(error.data());
  }
  state.SetItemsProcessed(state.iterations() * batch_size);
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes.size()));
}
BENCHMARK(BM_decode_10k_spans)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
