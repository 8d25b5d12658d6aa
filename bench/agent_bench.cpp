// The agent layer's cost on the caller's thread, against the budgets of issue 5 (Release):
//   scoped tool call (span + metric recordings)              <= 300 ns
//   LLM call with usage (span + 4 recordings)                 <= 500 ns
//   a CPU-bound agent step at ~1,000 LLM calls/s, telemetry on vs off: difference < 1%
// Spans go to the batch processor with an exporter that forgets them; metrics to a pull
// reader nobody pulls (recording cost only). Same provider set-up as trace_bench.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <memory>

#include "agtel/agent/agent_run.hpp"
#include "agtel/agent/llm_call.hpp"
#include "agtel/agent/tool_call.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"

namespace {

using namespace agtel;
using namespace std::chrono_literals;

class discard_exporter final : public exporter::span_exporter {
 public:
  export_result export_spans(std::span<const trace::span_ptr> batch,
                             steady_time) noexcept override {
    benchmark::DoNotOptimize(batch.data());
    return export_result::success;
  }
  sdk_result shutdown(steady_time) noexcept override { return sdk_result::ok; }
};

// Installs recording providers for the life of a benchmark, or none (telemetry off).
struct telemetry {
  explicit telemetry(bool on) {
    if (!on) {
      trace::set_global_tracer_provider(nullptr);
      metrics::set_global_meter_provider(nullptr);
      return;
    }
    trace::tracer_provider_options t;
    t.processors.push_back(std::make_unique<trace::batch_span_processor>(
        std::make_unique<discard_exporter>(),
        trace::batch_span_processor_options{
            .max_queue_size = 65536, .schedule_delay = 200ms, .max_export_batch_size = 512}));
    tracer = std::make_shared<trace::tracer_provider>(std::move(t));
    metrics::meter_provider_options m;
    m.readers.push_back(std::make_shared<metrics::pull_metric_reader>());
    meter = std::make_shared<metrics::meter_provider>(std::move(m));
    trace::set_global_tracer_provider(tracer);
    metrics::set_global_meter_provider(meter);
    agent::settings s;
    s.prices["gpt-4o"] = {.input_per_million = 2.5, .output_per_million = 10};
    agent::configure(std::move(s));
  }
  ~telemetry() {
    if (tracer) tracer->shutdown(5s);
    trace::set_global_tracer_provider(nullptr);
    metrics::set_global_meter_provider(nullptr);
  }
  std::shared_ptr<trace::tracer_provider> tracer;
  std::shared_ptr<metrics::meter_provider> meter;
};

// tool_call: the span (4 attributes at start) and gen_ai.execute_tool.duration.
void BM_tool_call_scoped(benchmark::State& state) {
  telemetry on(true);
  for (auto _ : state) {
    agent::tool_call call("search");
  }
}
BENCHMARK(BM_tool_call_scoped);

// Inside an agent run: the metric also carries gen_ai.agent.name, the run counts the call.
void BM_tool_call_in_agent_run(benchmark::State& state) {
  telemetry on(true);
  agent::agent_run run("researcher");
  for (auto _ : state) {
    agent::tool_call call("search");
  }
}
BENCHMARK(BM_tool_call_in_agent_run);

// The failure path: error.type, status, exception event, and the errors counter too.
void BM_tool_call_failed(benchmark::State& state) {
  telemetry on(true);
  for (auto _ : state) {
    agent::tool_call call("search");
    call.fail("timeout", "no answer");
  }
}
BENCHMARK(BM_tool_call_failed);

// llm_call with usage: span (request/response/usage attributes) + operation.duration +
// token.usage input + token.usage output + llm.cost = 4 recordings.
void BM_llm_call_with_usage(benchmark::State& state) {
  telemetry on(true);
  for (auto _ : state) {
    agent::llm_call call("gpt-4o", {.provider = "openai", .max_tokens = 1024});
    call.set_usage({.input_tokens = 1200, .output_tokens = 300});
    call.set_response("gpt-4o", {"stop"});
  }
}
BENCHMARK(BM_llm_call_with_usage);

// The floor under BM_llm_call_with_usage: the same span and the same 4 recordings made
// directly with the SDK (instruments created once, attributes written inline). The
// difference between the two is the agent layer's own cost.
void BM_llm_call_sdk_floor(benchmark::State& state) {
  telemetry on(true);
  auto tracer = trace::get_tracer("floor");
  auto meter = metrics::get_meter("floor");
  auto duration = meter.create_histogram<double>("d", {.unit = "s"});
  auto tokens = meter.create_histogram<int64_t>("t", {.unit = "{token}"});
  auto cost = meter.create_counter<double>("c", {.unit = "{USD}"});
  const std::array<std::string_view, 1> reasons = {"stop"};
  for (auto _ : state) {
    const timestamp_ns start = now_ns();
    auto s = tracer.start_span("chat gpt-4o", {.kind = trace::span_kind::client,
                                               .attributes = {{"gen_ai.operation.name", "chat"},
                                                              {"gen_ai.provider.name", "openai"},
                                                              {"gen_ai.request.model", "gpt-4o"}},
                                               .start_time = start});
    s.set_attribute("gen_ai.request.max_tokens", 1024);
    s.set_attribute("gen_ai.response.model", "gpt-4o");
    s.set_attribute("gen_ai.response.finish_reasons", std::span<const std::string_view>(reasons));
    s.set_attribute("gen_ai.usage.input_tokens", 1200);
    s.set_attribute("gen_ai.usage.output_tokens", 300);
    const timestamp_ns end = now_ns();
    duration.record(static_cast<double>(end - start) * 1e-9, {{"gen_ai.operation.name", "chat"},
                                                              {"gen_ai.provider.name", "openai"},
                                                              {"gen_ai.request.model", "gpt-4o"}});
    tokens.record(1200, {{"gen_ai.operation.name", "chat"},
                         {"gen_ai.provider.name", "openai"},
                         {"gen_ai.request.model", "gpt-4o"},
                         {"gen_ai.token.type", "input"}});
    tokens.record(300, {{"gen_ai.operation.name", "chat"},
                        {"gen_ai.provider.name", "openai"},
                        {"gen_ai.request.model", "gpt-4o"},
                        {"gen_ai.token.type", "output"}});
    cost.add(0.006, {{"gen_ai.provider.name", "openai"}, {"gen_ai.request.model", "gpt-4o"}});
    s.end(end);
  }
}
BENCHMARK(BM_llm_call_sdk_floor);

void BM_tool_call_no_provider(benchmark::State& state) {
  telemetry off(false);
  for (auto _ : state) {
    agent::tool_call call("search");
  }
}
BENCHMARK(BM_tool_call_no_provider);

// ---- Overhead at a realistic rate --------------------------------------------------------
// One agent step: ~1 ms of CPU-bound work (what 1,000 LLM calls/s on one core leaves per
// call), instrumented with an agent span, a tool span and an LLM call with usage (4
// recordings). The "off" variant runs the same work with no instrumentation at all; the
// report's figure is (on - off) / off.
uint64_t work(uint64_t seed) {
  // ~1 ms of integer hashing (xorshift), not optimisable away.
  uint64_t x = seed | 1;
  for (int i = 0; i < 560'000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
  }
  return x;
}

void BM_agent_step_telemetry_off(benchmark::State& state) {
  uint64_t seed = 1;
  for (auto _ : state) {
    seed = work(seed);
    benchmark::DoNotOptimize(seed);
  }
}
BENCHMARK(BM_agent_step_telemetry_off)->Unit(benchmark::kMicrosecond);

void BM_agent_step_telemetry_on(benchmark::State& state) {
  telemetry on(true);
  uint64_t seed = 1;
  for (auto _ : state) {
    agent::agent_run run("researcher", {.phase = "execute"});
    {
      agent::tool_call call("search");
      seed = work(seed);
    }
    agent::llm_call llm("gpt-4o", {.provider = "openai"});
    llm.set_usage({.input_tokens = 1200, .output_tokens = 300});
    benchmark::DoNotOptimize(seed);
  }
}
BENCHMARK(BM_agent_step_telemetry_on)->Unit(benchmark::kMicrosecond);

// The instrumentation of one step alone (no work): the numerator of the overhead figure,
// measured without the work's run-to-run noise. overhead = this / BM_agent_step_telemetry_off.
void BM_agent_step_instrumentation_only(benchmark::State& state) {
  telemetry on(true);
  for (auto _ : state) {
    agent::agent_run run("researcher", {.phase = "execute"});
    { agent::tool_call call("search"); }
    agent::llm_call llm("gpt-4o", {.provider = "openai"});
    llm.set_usage({.input_tokens = 1200, .output_tokens = 300});
  }
}
BENCHMARK(BM_agent_step_instrumentation_only);

}  // namespace

BENCHMARK_MAIN();
