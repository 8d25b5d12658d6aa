// Every name the agent layer emits: span names, attribute keys and values, metric names
// and units. The catalogue is shared/spec/metrics.md.
//
// Where the OpenTelemetry GenAI semantic conventions name something, the name here is
// theirs; names the conventions do not cover are agtel's own and marked "agtel". The
// conventions are still "development": a rename is a one-line change in this file, and
// `aliases` lets a receiver map names from older instrumentations onto the current ones.
#pragma once

#include <array>
#include <string_view>
#include <utility>

namespace agtel::agent::semconv {

// ---- Instrumentation scope --------------------------------------------------------------
inline constexpr std::string_view scope_name = "agtel.agent";

// ---- gen_ai.operation.name values (also the first word of span names) -------------------
namespace op {
inline constexpr std::string_view chat = "chat";
inline constexpr std::string_view text_completion = "text_completion";
inline constexpr std::string_view generate_content = "generate_content";
inline constexpr std::string_view embeddings = "embeddings";
inline constexpr std::string_view invoke_agent = "invoke_agent";
inline constexpr std::string_view invoke_workflow = "invoke_workflow";
inline constexpr std::string_view execute_tool = "execute_tool";
inline constexpr std::string_view plan = "plan";        // agtel
inline constexpr std::string_view publish = "publish";  // messaging
inline constexpr std::string_view request = "request";  // agtel
inline constexpr std::string_view invoke = "invoke";    // agtel (invocation middleware)
inline constexpr std::string_view task = "task";        // agtel
}  // namespace op

// ---- Attributes ---------------------------------------------------------------------------
namespace attr {
// GenAI semantic conventions.
inline constexpr std::string_view operation_name = "gen_ai.operation.name";
inline constexpr std::string_view provider_name = "gen_ai.provider.name";
inline constexpr std::string_view request_model = "gen_ai.request.model";
inline constexpr std::string_view request_temperature = "gen_ai.request.temperature";
inline constexpr std::string_view request_max_tokens = "gen_ai.request.max_tokens";
inline constexpr std::string_view request_top_p = "gen_ai.request.top_p";
inline constexpr std::string_view response_model = "gen_ai.response.model";
inline constexpr std::string_view response_id = "gen_ai.response.id";
inline constexpr std::string_view response_finish_reasons = "gen_ai.response.finish_reasons";
inline constexpr std::string_view usage_input_tokens = "gen_ai.usage.input_tokens";
inline constexpr std::string_view usage_output_tokens = "gen_ai.usage.output_tokens";
inline constexpr std::string_view usage_cache_read_input_tokens =
    "gen_ai.usage.cache_read.input_tokens";
inline constexpr std::string_view usage_cache_creation_input_tokens =
    "gen_ai.usage.cache_creation.input_tokens";
inline constexpr std::string_view token_type = "gen_ai.token.type";
inline constexpr std::string_view agent_name = "gen_ai.agent.name";
inline constexpr std::string_view agent_id = "gen_ai.agent.id";
inline constexpr std::string_view workflow_name = "gen_ai.workflow.name";
inline constexpr std::string_view conversation_id = "gen_ai.conversation.id";
inline constexpr std::string_view tool_name = "gen_ai.tool.name";
inline constexpr std::string_view tool_call_id = "gen_ai.tool.call.id";
inline constexpr std::string_view tool_type = "gen_ai.tool.type";
inline constexpr std::string_view tool_call_arguments = "gen_ai.tool.call.arguments";  // opt-in
inline constexpr std::string_view tool_call_result = "gen_ai.tool.call.result";        // opt-in
inline constexpr std::string_view input_messages = "gen_ai.input.messages";            // opt-in
inline constexpr std::string_view output_messages = "gen_ai.output.messages";          // opt-in
inline constexpr std::string_view error_type = "error.type";  // general conventions

// agtel.
inline constexpr std::string_view agent_phase = "agent.phase";
inline constexpr std::string_view agent_iterations = "agent.iterations";
inline constexpr std::string_view agent_tool_calls = "agent.tool_calls";
inline constexpr std::string_view component = "component";
inline constexpr std::string_view severity = "severity";
inline constexpr std::string_view task_type = "task.type";
inline constexpr std::string_view task_id = "task.id";
inline constexpr std::string_view task_priority = "priority";
inline constexpr std::string_view task_queue_time = "task.queue_time";  // seconds
inline constexpr std::string_view event_topic = "event.topic";
inline constexpr std::string_view event_type = "event.type";
inline constexpr std::string_view event_id = "event.id";  // the envelope id
inline constexpr std::string_view event_correlation_id = "event.correlation_id";
inline constexpr std::string_view event_timeout = "event.timeout";  // seconds
inline constexpr std::string_view invocation_path = "invocation.path";
inline constexpr std::string_view invocation_root = "invocation.root";
inline constexpr std::string_view invocation_observer = "invocation.observer";
inline constexpr std::string_view invocation_result = "invocation.result";
// Content capture bookkeeping (agtel): a captured value cut to the size cap gets a second
// attribute, its key plus this suffix, holding the number of bytes cut
// ("gen_ai.tool.call.result.truncated_bytes").
inline constexpr std::string_view truncated_suffix = ".truncated_bytes";
}  // namespace attr

// ---- Attribute values ---------------------------------------------------------------------
namespace value {
inline constexpr std::string_view token_input = "input";
inline constexpr std::string_view token_output = "output";
inline constexpr std::string_view error_other = "_OTHER";         // error.type fallback
inline constexpr std::string_view error_timeout = "timeout";      // request-reply, tasks
inline constexpr std::string_view error_cancelled = "cancelled";  // a task never started
inline constexpr std::string_view severity_error = "error";
inline constexpr std::string_view result_ok = "ok";
inline constexpr std::string_view result_error = "error";
}  // namespace value

// ---- Span events ----------------------------------------------------------------------------
namespace event {
// A streaming LLM call's first chunk (agtel; the conventions keep it as a metric).
inline constexpr std::string_view first_chunk = "gen_ai.first_chunk";
inline constexpr std::string_view task_started = "task.started";  // agtel
}  // namespace event

// ---- Metrics: name and unit ---------------------------------------------------------------
struct metric_name {
  std::string_view name;
  std::string_view unit;
};
namespace metric {
inline constexpr metric_name invoke_agent_duration{"gen_ai.invoke_agent.duration", "s"};
inline constexpr metric_name execute_tool_duration{"gen_ai.execute_tool.duration", "s"};
inline constexpr metric_name workflow_duration{"gen_ai.workflow.duration", "s"};
inline constexpr metric_name operation_duration{"gen_ai.client.operation.duration", "s"};
inline constexpr metric_name token_usage{"gen_ai.client.token.usage", "{token}"};
inline constexpr metric_name time_to_first_chunk{"gen_ai.client.operation.time_to_first_chunk",
                                                 "s"};
inline constexpr metric_name time_per_output_chunk{"gen_ai.client.operation.time_per_output_chunk",
                                                   "s"};
// agtel.
inline constexpr metric_name agent_active{"agent.active", "{agent}"};
inline constexpr metric_name llm_cost{"llm.cost", "{USD}"};
inline constexpr metric_name llm_unpriced_calls{"llm.cost.unpriced_calls", "{call}"};
inline constexpr metric_name context_window_size{"context_window.size", "{token}"};
inline constexpr metric_name context_window_used{"context_window.used", "{token}"};
inline constexpr metric_name context_window_utilization{"context_window.utilization", "1"};
inline constexpr metric_name errors{"errors", "{error}"};
inline constexpr metric_name task_queue_size{"task.queue.size", "{task}"};
inline constexpr metric_name task_duration{"task.duration", "s"};
inline constexpr metric_name session_duration{"session.duration", "s"};
inline constexpr metric_name events_emitted{"events.emitted", "{event}"};
inline constexpr metric_name invocation_duration{"invocation.duration", "s"};
}  // namespace metric

// ---- Older names a receiver maps onto the current ones --------------------------------------
// {older name, current name}: data from older instrumentations lands in the same columns.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 5> aliases = {{
    {"gen_ai.system", attr::provider_name},
    {"gen_ai.usage.prompt_tokens", attr::usage_input_tokens},
    {"gen_ai.usage.completion_tokens", attr::usage_output_tokens},
    {"llm.token_count.prompt", attr::usage_input_tokens},
    {"llm.token_count.completion", attr::usage_output_tokens},
}};

// The current name for `key`: itself unless it is an older alias.
constexpr std::string_view canonical(std::string_view key) noexcept {
  for (const auto& [older, current] : aliases)
    if (older == key) return current;
  return key;
}

}  // namespace agtel::agent::semconv
