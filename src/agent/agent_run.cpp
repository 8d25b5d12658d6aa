// Agent runs and planning steps: the scopes, the recorder, and the telemetry both emit.
#include "agtel/agent/agent_run.hpp"

#include "agent/emit.hpp"
#include "agtel/agent/semconv.hpp"

namespace agtel::agent {
namespace {
thread_local agent_run* innermost_run = nullptr;

void add_count(int64_t& total, int64_t n) noexcept {
  if (n >= 0) total = (total > 0 ? total : 0) + n;
}
}  // namespace

namespace detail {

namespace a = semconv::attr;

trace::span start_agent(const instruments& ins, const agent_execution& r) noexcept {
  trace::span s =
      start_span(ins, semconv::op::invoke_agent, r.agent_name,
                 r.remote ? trace::span_kind::client : trace::span_kind::internal,
                 {{a::operation_name, semconv::op::invoke_agent}, {a::agent_name, r.agent_name}},
                 r.parent, r.start_time);
  if (s.is_recording()) {
    if (!r.agent_id.empty()) s.set_attribute(a::agent_id, r.agent_id);
    if (!r.phase.empty()) s.set_attribute(a::agent_phase, r.phase);
    if (!r.model.empty()) s.set_attribute(a::request_model, r.model);
  }
  ins.agent_active.add(1, metric_attrs().add(a::agent_name, r.agent_name).view());
  return s;
}

void finish_agent(const instruments& ins, trace::span& span, const agent_execution& r) noexcept {
  const timestamp_ns end = or_now(r.end_time);
  if (span.is_recording()) {
    if (!r.phase.empty()) span.set_attribute(a::agent_phase, r.phase);  // it may have changed
    set_usage_attributes(span, r.usage);
    if (r.iterations >= 0) span.set_attribute(a::agent_iterations, r.iterations);
    if (r.tool_calls >= 0) span.set_attribute(a::agent_tool_calls, r.tool_calls);
  }
  record_failure(ins, span, "agent", r.failure);
  ins.agent_active.add(-1, metric_attrs().add(a::agent_name, r.agent_name).view());
  ins.invoke_agent_duration.record(seconds(r.start_time, end),
                                   metric_attrs()
                                       .add(a::agent_name, r.agent_name)
                                       .add(a::agent_phase, r.phase)
                                       .add(a::error_type, r.failure.error_type)
                                       .view());
  span.end(end);
}

}  // namespace detail

agent_run::agent_run(std::string_view name, const agent_options& options) noexcept
    : remote_(options.remote), outer_(innermost_run) {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  try {
    name_.assign(name);
    id_.assign(options.id);
    phase_.assign(options.phase);
    model_.assign(options.model);
  } catch (...) {
  }
  begin(detail::start_agent(*ins_, {.agent_name = name_,
                                    .agent_id = id_,
                                    .phase = phase_,
                                    .model = model_,
                                    .remote = remote_,
                                    .start_time = start_,
                                    .parent = options.parent}));
  innermost_run = this;
}

agent_run::~agent_run() {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  innermost_run = outer_;
  end_activation();
  detail::finish_agent(*ins_, span_,
                       {.agent_name = name_,
                        .agent_id = id_,
                        .phase = phase_,
                        .model = model_,
                        .remote = remote_,
                        .usage = usage_,
                        .iterations = iterations_ > 0 ? iterations_ : -1,
                        .tool_calls = tool_calls_,
                        .start_time = start_,
                        .end_time = detail::now(),
                        .failure = {error_type_, error_message_}});
}

void agent_run::set_phase(std::string_view phase) noexcept {
  try {
    phase_.assign(phase);
  } catch (...) {
  }
}

void agent_run::add_usage(const token_usage& u) noexcept {
  add_count(usage_.input_tokens, u.input_tokens);
  add_count(usage_.output_tokens, u.output_tokens);
  add_count(usage_.cache_read_input_tokens, u.cache_read_input_tokens);
  add_count(usage_.cache_creation_input_tokens, u.cache_creation_input_tokens);
}

void agent_run::set_context_window(int64_t size, int64_t used) noexcept {
  track_context_usage({.agent_name = name_, .size = size, .used = used});
}

agent_run* agent_run::current() noexcept {
  return innermost_run;
}

plan_step::plan_step(std::string_view agent_name, const agtel::context* parent) noexcept {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  if (agent_name.empty())
    if (const agent_run* run = agent_run::current()) agent_name = run->name();
  begin(detail::start_span(*ins_, semconv::op::plan, agent_name, trace::span_kind::internal,
                           {{semconv::attr::agent_name, agent_name}}, parent, start_));
}

plan_step::~plan_step() {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  end_activation();
  detail::record_failure(*ins_, span_, "agent", {error_type_, error_message_});
  span_.end();
}

void track_agent_execution(const agent_execution& r) noexcept {
  const detail::instruments& ins = detail::current();
  agent_execution rec = r;
  rec.start_time = detail::or_now(r.start_time);
  trace::span span = detail::start_agent(ins, rec);
  detail::finish_agent(ins, span, rec);
}

}  // namespace agtel::agent
