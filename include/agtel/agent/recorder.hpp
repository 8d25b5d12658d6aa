// The recorder API: for code that measured an operation itself (a runtime with its own
// timers, a log replayed after the fact, a language bridge) and wants the same telemetry
// as the scoped operations produce.
//
//   agtel::agent::track_tool_usage({.tool_name = "grep", .start_time = t0, .end_time = t1,
//                                   .failure = {.error_type = failed ? "timeout" : ""}});
//
// Each track_* call emits exactly what the matching scope (tool_call, llm_call, agent_run,
// workflow) emits for the same facts: the span (with the given start and end times, under
// `parent` or the calling thread's current span), its metric points and, on failure, the
// error counter and an ERROR log record. The scopes are built on these same functions, so
// "the same" holds by construction, and the tests check it.
//
// Strings are borrowed for the duration of the call. Times are ns since the epoch
// (agtel::now_ns()); an end time of 0 means now. Never throws.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "agtel/agent/settings.hpp"
#include "agtel/common/time.hpp"
#include "agtel/context/context.hpp"

namespace agtel::agent {

// Failure facts shared by every record. An empty error_type means success.
struct failure_info {
  std::string_view error_type{};  // low cardinality: an exception class, "timeout", ...
  std::string_view message{};     // status message and exception.message
};

struct tool_usage {
  std::string_view tool_name{};
  std::string_view tool_type = "function";  // function | extension | datastore
  std::string_view call_id{};               // span only
  std::string_view agent_name{};            // metric attribute when set
  timestamp_ns start_time = 0;
  timestamp_ns end_time = 0;
  failure_info failure{};
  std::string_view arguments{};  // captured only when content capture is on
  std::string_view result{};
  const context* parent = nullptr;
};

struct llm_call_record {
  std::string_view operation = "chat";  // gen_ai.operation.name
  std::string_view provider{};          // gen_ai.provider.name: openai, anthropic, ...
  std::string_view request_model{};
  std::string_view response_model{};
  double temperature = -1;  // < 0: not set
  int64_t max_tokens = -1;  // < 0: not set
  std::span<const std::string_view> finish_reasons{};
  token_usage usage{};
  std::string_view agent_name{};  // token usage metric attribute when set
  timestamp_ns start_time = 0;
  timestamp_ns end_time = 0;
  // Streaming: when each chunk arrived (ns since epoch), in order. The first gives the time
  // to first chunk; each later one a time per output chunk (since the previous chunk).
  std::span<const timestamp_ns> chunk_times{};
  failure_info failure{};
  std::string_view input_messages{};  // captured only when content capture is on
  std::string_view output_messages{};
  const context* parent = nullptr;
};

struct agent_execution {
  std::string_view agent_name{};
  std::string_view agent_id{};  // span only
  std::string_view phase{};     // agent.phase: plan, execute, review, ...
  std::string_view model{};     // gen_ai.request.model on the span
  bool remote = false;          // the agent runs elsewhere: span kind CLIENT
  token_usage usage{};          // totals over the run (span attributes)
  int64_t iterations = -1;      // < 0: not reported
  int64_t tool_calls = -1;
  timestamp_ns start_time = 0;
  timestamp_ns end_time = 0;
  failure_info failure{};
  const context* parent = nullptr;
};

struct workflow_execution {
  std::string_view workflow_name{};
  std::string_view conversation_id{};  // span only
  timestamp_ns start_time = 0;
  timestamp_ns end_time = 0;
  failure_info failure{};
  const context* parent = nullptr;
};

// Context-window state of an agent: size is the model's window, used what the prompt
// takes now. Recorded on the three context_window gauges (utilization = used / size).
struct context_usage {
  std::string_view agent_name{};
  int64_t size = 0;
  int64_t used = 0;
};

// An error that is not the failure of one of the operations above (a dropped message, a
// bad configuration, a crashed worker): counted in `errors` and logged.
struct error_record {
  std::string_view component{};  // low cardinality: "tool", "llm", "scheduler", ...
  std::string_view error_type{};
  std::string_view severity = "error";
  std::string_view message{};
};

void track_tool_usage(const tool_usage& r) noexcept;
void track_llm_call(const llm_call_record& r) noexcept;
void track_agent_execution(const agent_execution& r) noexcept;
void track_workflow(const workflow_execution& r) noexcept;
void track_context_usage(const context_usage& r) noexcept;
void track_error(const error_record& r) noexcept;

}  // namespace agtel::agent
