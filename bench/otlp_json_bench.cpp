// OTLP/JSON codec: encode and decode the budget's batch, 10,000 spans with 4 attributes
// and 1 event each (issue 4 budget: encode ≤ 20 ms). Also the parse step alone with
// simdjson (what the decoder uses) and with nlohmann::json, the measurement behind the
// choice of parser (src/otlp/json_reader.hpp).
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "otlp/codec.hpp"
#include "otlp/json_reader.hpp"

namespace {

using namespace agtel;

struct budget_batch {
  agtel::resource res;
  instrumentation_scope scope{"agtel.bench", "0.1.0", "", {}};
  std::vector<trace::span_ptr> spans;

  explicit budget_batch(size_t n) {
    res.attributes.set("service.name", "bench");
    res.attributes.set("host.name", "machine-1");
    for (size_t i = 0; i < n; ++i) {
      trace::span_ptr s = trace::span_ptr::make();
      std::array<uint8_t, 16> t{};
      std::array<uint8_t, 8> id{}, parent{};
      for (size_t k = 0; k < 8; ++k) {
        t[k] = static_cast<uint8_t>(i * 31 + k + 1);
        t[k + 8] = static_cast<uint8_t>(i * 17 + k);
        id[k] = static_cast<uint8_t>(i * 13 + k + 1);
        parent[k] = static_cast<uint8_t>(i * 7 + k + 1);
      }
      s->context = trace::span_context(trace::trace_id(t), trace::span_id(id), {1}, false);
      s->parent_span_id = trace::span_id(parent);
      s->name = "execute_tool search";
      s->kind = trace::span_kind::internal;
      s->start_time = 1700000000000000000 + i * 1000;
      s->end_time = s->start_time + 12345678;
      s->attributes.set("gen_ai.tool.name", "search");
      s->attributes.set("gen_ai.tool.type", "function");
      s->attributes.set("gen_ai.agent.name", "researcher");
      s->attributes.set("attempt", 1);
      auto& e = s->events.next();
      e.name = "retry";
      e.time = s->start_time + 1000;
      e.attributes.clear();
      s->resource = &res;
      s->scope = &scope;
      spans.push_back(std::move(s));
    }
  }
};

const budget_batch& batch() {
  static const budget_batch b(10000);
  return b;
}

const std::string& encoded() {
  static const std::string text = [] {
    std::string out;
    otlp::encode_traces_json(batch().spans, out);
    return out;
  }();
  return text;
}

void BM_encode_traces_json_10k(benchmark::State& state) {
  std::string out;
  for (auto _ : state) {
    otlp::encode_traces_json(batch().spans, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * batch().spans.size()));
}
BENCHMARK(BM_encode_traces_json_10k)->Unit(benchmark::kMillisecond);

void BM_decode_traces_json_10k(benchmark::State& state) {
  const std::string& text = encoded();
  otlp::trace_batch out;
  for (auto _ : state) {
    std::string err = otlp::decode_traces_json(text, out);
    if (!err.empty()) state.SkipWithError(err.c_str());
    benchmark::DoNotOptimize(out.spans.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 10000));
}
BENCHMARK(BM_decode_traces_json_10k)->Unit(benchmark::kMillisecond);

// The parse step alone: simdjson's DOM (reused parser), as the decoder does it.
void BM_parse_only_simdjson_10k(benchmark::State& state) {
  const std::string& text = encoded();
  for (auto _ : state) {
    otlp::json::document doc(text);
    benchmark::DoNotOptimize(doc.root());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_parse_only_simdjson_10k)->Unit(benchmark::kMillisecond);

// The alternative: nlohmann::json builds a tree of maps, vectors and strings.
void BM_parse_only_nlohmann_10k(benchmark::State& state) {
  const std::string& text = encoded();
  for (auto _ : state) {
    auto j = nlohmann::json::parse(text);
    benchmark::DoNotOptimize(j.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_parse_only_nlohmann_10k)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
