// The tracing hot path, against the budgets of issue 2 (Release build):
//   sampled span, 4 attributes, into the batch processor  <= 150 ns
//   unsampled span                                         <=  15 ns
//   child span under an active parent, made active         <= 150 ns
//   2 threads at once: per-span CPU                        <= 1.5x one thread
//   overload (queue full): caller cost                     <= 2x budget, no allocation storm
// plus the floors (clock read, atomic add) measured in the same run.
#include <benchmark/benchmark.h>

#include <atomic>
#include <thread>

#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/simple_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"

namespace {

using namespace agtel;
using namespace agtel::trace;
using namespace std::chrono_literals;

// Accepts and forgets: measures the SDK, not an exporter.
class discard_exporter final : public exporter::span_exporter {
 public:
  explicit discard_exporter(std::chrono::microseconds delay = {}) : delay_(delay) {}
  export_result export_spans(std::span<const span_ptr> batch, steady_time) noexcept override {
    benchmark::DoNotOptimize(batch.data());
    if (delay_.count()) std::this_thread::sleep_for(delay_);
    return export_result::success;
  }
  sdk_result shutdown(steady_time) noexcept override { return sdk_result::ok; }

 private:
  std::chrono::microseconds delay_;
};

std::unique_ptr<tracer_provider> make_provider(std::shared_ptr<sampler> s, size_t queue = 65536,
                                               std::chrono::microseconds export_delay = {}) {
  tracer_provider_options o;
  o.sampler = std::move(s);
  o.processors.push_back(std::make_unique<batch_span_processor>(
      std::make_unique<discard_exporter>(export_delay),
      batch_span_processor_options{.max_queue_size = queue, .schedule_delay = 200ms, .max_export_batch_size = 512}));
  return std::make_unique<tracer_provider>(std::move(o));
}

// The span the budgets speak of: a tool call with 4 attributes given at start.
span tool_span(const tracer& t) {
  return t.start_span("execute_tool search", {.attributes = {{"gen_ai.tool.name", "search"},
                                                            {"gen_ai.tool.type", "function"},
                                                            {"gen_ai.agent.name", "researcher"},
                                                            {"attempt", 1}}});
}

void BM_floor_clock_gettime(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(realtime_ns());
}
BENCHMARK(BM_floor_clock_gettime);

void BM_clock_now_ns(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(now_ns());
}
BENCHMARK(BM_clock_now_ns);

void BM_floor_atomic_add(benchmark::State& state) {
  static std::atomic<uint64_t> counter{0};
  for (auto _ : state) counter.fetch_add(1, std::memory_order_relaxed);
}
BENCHMARK(BM_floor_atomic_add);

// Shared across the threads of a multi-threaded run.
std::unique_ptr<tracer_provider> shared_provider;

void setup_shared(const benchmark::State&) { shared_provider = make_provider(always_on_sampler()); }
void teardown_shared(const benchmark::State&) {
  shared_provider->shutdown(5s);
  shared_provider.reset();
}

void BM_span_sampled_4_attributes_batch(benchmark::State& state) {
  auto t = shared_provider->get_tracer("bench");
  for (auto _ : state) {
    auto s = tool_span(t);
  }
}
BENCHMARK(BM_span_sampled_4_attributes_batch)
    ->Setup(setup_shared)
    ->Teardown(teardown_shared)
    ->Threads(1)
    ->Threads(2);

void BM_span_unsampled(benchmark::State& state) {
  auto p = make_provider(always_off_sampler());
  auto t = p->get_tracer("bench");
  for (auto _ : state) {
    auto s = t.start_span("execute_tool search");
    benchmark::DoNotOptimize(s.context());
  }
}
BENCHMARK(BM_span_unsampled);

void BM_span_unsampled_ratio_root(benchmark::State& state) {
  auto p = make_provider(parent_based_sampler(trace_id_ratio_sampler(0.0)));
  auto t = p->get_tracer("bench");
  for (auto _ : state) {
    auto s = t.start_span("execute_tool search", {.attributes = {{"gen_ai.tool.name", "search"}}});
    benchmark::DoNotOptimize(s.context());
  }
}
BENCHMARK(BM_span_unsampled_ratio_root);

void BM_child_span_active_parent_then_activated(benchmark::State& state) {
  auto p = make_provider(always_on_sampler());
  auto t = p->get_tracer("bench");
  auto parent = t.start_span("invoke_agent coder");
  auto parent_scope = parent.activate();
  for (auto _ : state) {
    auto child = t.start_span("execute_tool search");
    auto child_scope = child.activate();
  }
}
BENCHMARK(BM_child_span_active_parent_then_activated);

void BM_span_sampled_simple_processor(benchmark::State& state) {
  tracer_provider_options o;
  o.processors.push_back(make_simple_span_processor(std::make_unique<discard_exporter>()));
  tracer_provider p(std::move(o));
  auto t = p.get_tracer("bench");
  for (auto _ : state) {
    auto s = tool_span(t);
  }
}
BENCHMARK(BM_span_sampled_simple_processor);

// The exporter takes 50 ms per batch and the queue holds 2048: nearly every span is
// dropped at end(). The caller's cost must stay flat (no blocking, no allocation).
void BM_span_sampled_overload(benchmark::State& state) {
  auto p = make_provider(always_on_sampler(), 2048, 50ms);
  auto t = p->get_tracer("bench");
  for (auto _ : state) {
    auto s = tool_span(t);
  }
  p->shutdown(0ms);
}
BENCHMARK(BM_span_sampled_overload);

// The span's own cost with no hand-off to another thread: a processor that drops the
// reference at once, so the span goes straight back to this thread's pool.
class drop_processor final : public span_processor {
 public:
  void on_end(span_ptr) noexcept override {}
  sdk_result force_flush(std::chrono::milliseconds) noexcept override { return sdk_result::ok; }
  sdk_result shutdown(std::chrono::milliseconds) noexcept override { return sdk_result::ok; }
};

void BM_span_sampled_4_attributes_no_handoff(benchmark::State& state) {
  tracer_provider_options o;
  o.processors.push_back(std::make_unique<drop_processor>());
  tracer_provider p(std::move(o));
  auto t = p.get_tracer("bench");
  for (auto _ : state) {
    auto s = tool_span(t);
  }
}
BENCHMARK(BM_span_sampled_4_attributes_no_handoff);

void BM_span_with_event_and_status(benchmark::State& state) {
  auto p = make_provider(always_on_sampler());
  auto t = p->get_tracer("bench");
  for (auto _ : state) {
    auto s = t.start_span("chat gpt-4o", {.kind = span_kind::client,
                                          .attributes = {{"gen_ai.provider.name", "openai"},
                                                         {"gen_ai.request.model", "gpt-4o"}}});
    s.set_attribute("gen_ai.usage.input_tokens", 1200);
    s.set_attribute("gen_ai.usage.output_tokens", 300);
    s.add_event("gen_ai.first_chunk");
    s.set_status(status_code::error, "rate limited");
  }
}
BENCHMARK(BM_span_with_event_and_status);

}  // namespace

BENCHMARK_MAIN();
