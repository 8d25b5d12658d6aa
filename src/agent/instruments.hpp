// The tracer and instruments of the agent layer, created once per pair of global providers.
#pragma once

#include <cstdint>

#include "agtel/metrics/instruments.hpp"
#include "agtel/trace/tracer.hpp"

namespace agtel::agent::detail {

struct instruments {
  uint64_t tracer_generation = 0;
  uint64_t meter_generation = 0;
  trace::tracer tracer;
  // False when neither a tracer nor a meter provider is installed: scopes then skip all
  // work (a no-op span would only repeat the current context).
  bool enabled = false;

  metrics::histogram<double> invoke_agent_duration;
  metrics::histogram<double> execute_tool_duration;
  metrics::histogram<double> workflow_duration;
  metrics::histogram<double> operation_duration;
  metrics::histogram<int64_t> token_usage;
  metrics::histogram<double> time_to_first_chunk;
  metrics::histogram<double> time_per_output_chunk;
  metrics::up_down_counter<int64_t> agent_active;
  metrics::counter<double> llm_cost;
  metrics::counter<int64_t> llm_unpriced_calls;
  metrics::gauge<int64_t> context_window_size;
  metrics::gauge<int64_t> context_window_used;
  metrics::gauge<double> context_window_utilization;
  metrics::counter<int64_t> errors;
  metrics::up_down_counter<int64_t> task_queue_size;
  metrics::histogram<double> task_duration;
  mutable metrics::bound_histogram<double> session_duration;  // no attributes: bound once
  metrics::counter<int64_t> events_emitted;
  metrics::histogram<double> invocation_duration;
};

// The instruments of the providers installed now. The first call after a provider is
// installed builds a new set (under a lock); every other call is three atomic loads. The
// reference stays valid until exit (retired sets are kept, like retired providers).
const instruments& current() noexcept;

}  // namespace agtel::agent::detail
