#include "agent/instruments.hpp"

#include <array>
#include <atomic>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "agtel/agent/semconv.hpp"
#include "agtel/diagnostics.hpp"
#include "agtel/metrics/buckets.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/trace/tracer_provider.hpp"
#include "agtel/version.hpp"

namespace agtel::agent::detail {
namespace {

namespace m = semconv::metric;

template <size_t N>
metrics::instrument_options histogram_options(const semconv::metric_name& name,
                                              const std::array<double, N>& bounds) {
  return {.unit = std::string(name.unit), .buckets = {bounds.begin(), bounds.end()}};
}
metrics::instrument_options unit(const semconv::metric_name& name) {
  return {.unit = std::string(name.unit)};
}

std::unique_ptr<instruments> build(uint64_t tracer_generation, uint64_t meter_generation) {
  namespace b = metrics::buckets;
  auto ins = std::make_unique<instruments>();
  ins->tracer_generation = tracer_generation;
  ins->meter_generation = meter_generation;
  ins->tracer = trace::get_tracer(semconv::scope_name, AGTEL_VERSION);
  metrics::meter meter = metrics::get_meter(semconv::scope_name, AGTEL_VERSION);
  ins->enabled = ins->tracer.enabled() || meter.enabled();
  ins->invoke_agent_duration = meter.create_histogram<double>(
      m::invoke_agent_duration.name,
      histogram_options(m::invoke_agent_duration, b::agent_invocation_seconds));
  ins->execute_tool_duration = meter.create_histogram<double>(
      m::execute_tool_duration.name,
      histogram_options(m::execute_tool_duration, b::gen_ai_operation_seconds));
  ins->workflow_duration = meter.create_histogram<double>(
      m::workflow_duration.name, histogram_options(m::workflow_duration, b::workflow_seconds));
  ins->operation_duration = meter.create_histogram<double>(
      m::operation_duration.name,
      histogram_options(m::operation_duration, b::gen_ai_operation_seconds));
  ins->token_usage = meter.create_histogram<int64_t>(m::token_usage.name,
                                                     histogram_options(m::token_usage, b::tokens));
  ins->time_to_first_chunk = meter.create_histogram<double>(
      m::time_to_first_chunk.name,
      histogram_options(m::time_to_first_chunk, b::gen_ai_operation_seconds));
  ins->time_per_output_chunk = meter.create_histogram<double>(
      m::time_per_output_chunk.name,
      histogram_options(m::time_per_output_chunk, b::gen_ai_operation_seconds));
  ins->agent_active =
      meter.create_up_down_counter<int64_t>(m::agent_active.name, unit(m::agent_active));
  ins->llm_cost = meter.create_counter<double>(m::llm_cost.name, unit(m::llm_cost));
  ins->llm_unpriced_calls =
      meter.create_counter<int64_t>(m::llm_unpriced_calls.name, unit(m::llm_unpriced_calls));
  ins->context_window_size =
      meter.create_gauge<int64_t>(m::context_window_size.name, unit(m::context_window_size));
  ins->context_window_used =
      meter.create_gauge<int64_t>(m::context_window_used.name, unit(m::context_window_used));
  ins->context_window_utilization = meter.create_gauge<double>(m::context_window_utilization.name,
                                                               unit(m::context_window_utilization));
  ins->errors = meter.create_counter<int64_t>(m::errors.name, unit(m::errors));
  ins->task_queue_size =
      meter.create_up_down_counter<int64_t>(m::task_queue_size.name, unit(m::task_queue_size));
  ins->task_duration = meter.create_histogram<double>(
      m::task_duration.name, histogram_options(m::task_duration, b::agtel_duration_seconds));
  ins->session_duration = meter
                              .create_histogram<double>(
                                  m::session_duration.name,
                                  histogram_options(m::session_duration, b::agtel_duration_seconds))
                              .bind(metrics::attribute_views{});
  ins->events_emitted =
      meter.create_counter<int64_t>(m::events_emitted.name, unit(m::events_emitted));
  ins->invocation_duration = meter.create_histogram<double>(
      m::invocation_duration.name,
      histogram_options(m::invocation_duration, b::agtel_duration_seconds));
  return ins;
}

const instruments& no_op() {
  static const instruments* none = new instruments{};  // leaked: used until exit
  return *none;
}

struct cache {
  std::atomic<const instruments*> current{nullptr};
  std::mutex mutex;
  std::vector<std::unique_ptr<instruments>> all;  // every set ever built, kept until exit
};
cache& the_cache() {
  static cache* c = new cache;  // leaked: scopes may end during static destruction
  return *c;
}

}  // namespace

const instruments& current() noexcept {
  auto& c = the_cache();
  const instruments* ins = c.current.load(std::memory_order_acquire);
  const uint64_t tg = trace::global_tracer_provider_generation();
  const uint64_t mg = metrics::global_meter_provider_generation();
  if (ins && ins->tracer_generation == tg && ins->meter_generation == mg) [[likely]]
    return *ins;
  try {
    std::lock_guard lock(c.mutex);
    ins = c.current.load(std::memory_order_relaxed);
    if (ins && ins->tracer_generation == tg && ins->meter_generation == mg) return *ins;
    // Generations are read before the providers: a provider installed in between shows
    // up as a newer generation on the next call, which builds again.
    c.all.push_back(build(tg, mg));
    c.current.store(c.all.back().get(), std::memory_order_release);
    return *c.all.back();
  } catch (...) {
    agtel::detail::diag(diag_level::error, "agent", "out of memory creating the agent instruments");
    return ins ? *ins : no_op();
  }
}

}  // namespace agtel::agent::detail
