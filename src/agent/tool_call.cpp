// Tool calls: the scope, the recorder, and the telemetry both emit.
#include "agtel/agent/tool_call.hpp"

#include "agent/emit.hpp"
#include "agtel/agent/agent_run.hpp"
#include "agtel/agent/semconv.hpp"

namespace agtel::agent {
namespace detail {

namespace a = semconv::attr;

trace::span start_tool(const instruments& ins, const tool_usage& r) noexcept {
  if (agent_run* run = agent_run::current()) run->count_tool_call();
  trace::span s =
      start_span(ins, semconv::op::execute_tool, r.tool_name, trace::span_kind::internal,
                 {{a::operation_name, semconv::op::execute_tool},
                  {a::tool_name, r.tool_name},
                  {a::tool_type, r.tool_type}},
                 r.parent, r.start_time);
  if (!r.call_id.empty()) s.set_attribute(a::tool_call_id, r.call_id);
  return s;
}

void finish_tool(const instruments& ins, trace::span& span, const tool_usage& r) noexcept {
  const timestamp_ns end = or_now(r.end_time);
  if (!r.arguments.empty()) capture_content(span, a::tool_call_arguments, r.arguments);
  if (!r.result.empty()) capture_content(span, a::tool_call_result, r.result);
  record_failure(ins, span, "tool", r.failure);
  std::string_view agent = r.agent_name;
  if (agent.empty())
    if (const agent_run* run = agent_run::current()) agent = run->name();
  ins.execute_tool_duration.record(seconds(r.start_time, end),
                                   metric_attrs()
                                       .add(a::tool_name, r.tool_name)
                                       .add(a::tool_type, r.tool_type)
                                       .add(a::agent_name, agent)
                                       .add(a::error_type, r.failure.error_type)
                                       .view());
  span.end(end);
}

}  // namespace detail

tool_call::tool_call(std::string_view name, const tool_options& options) noexcept {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  try {
    name_.assign(name);
    type_.assign(options.type);
    agent_name_.assign(options.agent_name);
  } catch (...) {
  }
  begin(detail::start_tool(*ins_, {.tool_name = name_,
                                   .tool_type = type_,
                                   .call_id = options.call_id,
                                   .start_time = start_,
                                   .parent = options.parent}));
}

tool_call::~tool_call() {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  end_activation();
  detail::finish_tool(*ins_, span_,
                      {.tool_name = name_,
                       .tool_type = type_,
                       .agent_name = agent_name_,
                       .start_time = start_,
                       .end_time = detail::now(),
                       .failure = {error_type_, error_message_}});
}

void tool_call::set_arguments(std::string_view arguments) noexcept {
  detail::capture_content(span_, semconv::attr::tool_call_arguments, arguments);
}
void tool_call::set_result(std::string_view result) noexcept {
  detail::capture_content(span_, semconv::attr::tool_call_result, result);
}

void track_tool_usage(const tool_usage& r) noexcept {
  const detail::instruments& ins = detail::current();
  tool_usage rec = r;
  rec.start_time = detail::or_now(r.start_time);
  trace::span span = detail::start_tool(ins, rec);
  detail::finish_tool(ins, span, rec);
}

}  // namespace agtel::agent
