// The logs hot path, against the budget of issue 4 (Release build):
//   a log record with 3 attributes, emitted inside a span, into the batch processor
//   (the caller's thread)                                                  <= 150 ns
// plus the cost of a call below the minimum severity (what a disabled debug line costs),
// the bridge's path, and the record's own cost with no hand-off to another thread.
#include <benchmark/benchmark.h>

#include "agtel/logs/batch_log_record_processor.hpp"
#include "agtel/logs/bridge.hpp"
#include "agtel/logs/logger_provider.hpp"
#include "agtel/trace/tracer_provider.hpp"

namespace {

using namespace agtel;
using namespace agtel::logs;
using namespace std::chrono_literals;

// Accepts and forgets: measures the SDK, not an exporter.
class discard_exporter final : public log_record_exporter {
 public:
  export_result export_logs(std::span<const log_record_ptr> batch, steady_time) noexcept override {
    benchmark::DoNotOptimize(batch.data());
    return export_result::success;
  }
  sdk_result shutdown(steady_time) noexcept override { return sdk_result::ok; }
};

std::shared_ptr<logger_provider> make_provider(severity minimum = severity::unspecified) {
  logger_provider_options o;
  o.minimum_severity = minimum;
  o.processors.push_back(std::make_unique<batch_log_record_processor>(
      std::make_unique<discard_exporter>(),
      batch_log_record_processor_options{.max_queue_size = 65536, .schedule_delay = 200ms}));
  return std::make_shared<logger_provider>(std::move(o));
}

// The record the budget speaks of: a tool warning with 3 attributes, inside a span.
void BM_log_3_attributes_in_span_batch(benchmark::State& state) {
  auto p = make_provider();
  auto log = p->get_logger("bench");
  trace::tracer_provider tp;
  auto span = tp.get_tracer("bench").start_span("execute_tool grep");
  auto active = span.activate();
  for (auto _ : state)
    log.emit(severity::warn, "tool timed out",
             {{"gen_ai.tool.name", "grep"}, {"gen_ai.agent.name", "researcher"}, {"attempt", 2}});
  p->shutdown(5s);
}
BENCHMARK(BM_log_3_attributes_in_span_batch);

// A debug line under an info minimum: the enabled check alone.
void BM_log_below_minimum_severity(benchmark::State& state) {
  auto p = make_provider(severity::info);
  auto log = p->get_logger("bench");
  for (auto _ : state)
    log.emit(severity::debug, "tool args",
             {{"gen_ai.tool.name", "grep"}, {"args", "-r TODO"}, {"attempt", 2}});
}
BENCHMARK(BM_log_below_minimum_severity);

// No provider at all: a default logger.
void BM_log_noop_logger(benchmark::State& state) {
  logger log;
  for (auto _ : state) log.emit(severity::error, "nowhere", {{"k", 1}});
}
BENCHMARK(BM_log_noop_logger);

// The bridge on the global provider: scale mapping plus the emit above (one attribute).
void BM_bridge_log_syslog_level_in_span(benchmark::State& state) {
  auto p = make_provider();
  set_global_logger_provider(p);
  trace::tracer_provider tp;
  auto span = tp.get_tracer("bench").start_span("execute_tool grep");
  auto active = span.activate();
  for (auto _ : state)
    bridge_log(syslog_levels, 4, "grep took 2.1 s", {{"gen_ai.tool.name", "grep"}});
  p->shutdown(5s);
  set_global_logger_provider(nullptr);
}
BENCHMARK(BM_bridge_log_syslog_level_in_span);

// The record's own cost with no hand-off: a processor that drops the reference at once,
// so the record goes straight back to this thread's pool.
class drop_processor final : public log_record_processor {
 public:
  void on_emit(log_record_ptr) noexcept override {}
  sdk_result force_flush(std::chrono::milliseconds) noexcept override { return sdk_result::ok; }
  sdk_result shutdown(std::chrono::milliseconds) noexcept override { return sdk_result::ok; }
};

void BM_log_3_attributes_no_handoff(benchmark::State& state) {
  logger_provider_options o;
  o.processors.push_back(std::make_unique<drop_processor>());
  logger_provider p(std::move(o));
  auto log = p.get_logger("bench");
  for (auto _ : state)
    log.emit(severity::warn, "tool timed out",
             {{"gen_ai.tool.name", "grep"}, {"gen_ai.agent.name", "researcher"}, {"attempt", 2}});
}
BENCHMARK(BM_log_3_attributes_no_handoff);

}  // namespace

BENCHMARK_MAIN();
