// Workflows (orchestration sessions): the scope, the recorder, and the telemetry both emit.
#include "agtel/agent/workflow.hpp"

#include "agent/emit.hpp"
#include "agtel/agent/semconv.hpp"

namespace agtel::agent {
namespace detail {

namespace a = semconv::attr;

trace::span start_workflow(const instruments& ins, const workflow_execution& r) noexcept {
  trace::span s = start_span(
      ins, semconv::op::invoke_workflow, r.workflow_name, trace::span_kind::internal,
      {{a::operation_name, semconv::op::invoke_workflow}, {a::workflow_name, r.workflow_name}},
      r.parent, r.start_time);
  if (!r.conversation_id.empty()) s.set_attribute(a::conversation_id, r.conversation_id);
  return s;
}

void finish_workflow(const instruments& ins, trace::span& span,
                     const workflow_execution& r) noexcept {
  const timestamp_ns end = or_now(r.end_time);
  record_failure(ins, span, "workflow", r.failure);
  const double duration = seconds(r.start_time, end);
  ins.workflow_duration.record(duration, metric_attrs()
                                             .add(a::workflow_name, r.workflow_name)
                                             .add(a::error_type, r.failure.error_type)
                                             .view());
  // The session metric has no attributes: its handle was bound once.
  ins.session_duration.record(duration);
  span.end(end);
}

}  // namespace detail

workflow::workflow(std::string_view name, const workflow_options& options) noexcept {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  try {
    name_.assign(name);
  } catch (...) {
  }
  begin(detail::start_workflow(*ins_, {.workflow_name = name_,
                                       .conversation_id = options.conversation_id,
                                       .start_time = start_,
                                       .parent = options.parent}));
}

workflow::~workflow() {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  end_activation();
  detail::finish_workflow(*ins_, span_,
                          {.workflow_name = name_,
                           .start_time = start_,
                           .end_time = detail::now(),
                           .failure = {error_type_, error_message_}});
}

void track_workflow(const workflow_execution& r) noexcept {
  const detail::instruments& ins = detail::current();
  workflow_execution rec = r;
  rec.start_time = detail::or_now(r.start_time);
  trace::span span = detail::start_workflow(ins, rec);
  detail::finish_workflow(ins, span, rec);
}

}  // namespace agtel::agent
