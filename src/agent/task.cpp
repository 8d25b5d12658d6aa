// Tasks: queued on one thread, run on another.
#include "agtel/agent/task.hpp"

#include "agent/emit.hpp"
#include "agtel/agent/semconv.hpp"

namespace agtel::agent {

namespace a = semconv::attr;

queued_task::queued_task(std::string_view type, const task_options& options) noexcept
    : ins_(&detail::current()), queued_at_(detail::now()), pending_(ins_->enabled) {
  if (!pending_) return;  // no provider installed: nothing to record
  try {
    type_.assign(type);
    priority_.assign(options.priority);
  } catch (...) {
  }
  span_ = detail::start_span(*ins_, semconv::op::task, type_, trace::span_kind::internal,
                             {{a::task_type, type_}, {a::task_priority, priority_}}, options.parent,
                             queued_at_);
  if (!options.id.empty()) span_.set_attribute(a::task_id, options.id);
  ins_->task_queue_size.add(1, detail::metric_attrs().add(a::task_priority, priority_).view());
}

queued_task::queued_task(queued_task&& o) noexcept
    : ins_(o.ins_),
      span_(std::move(o.span_)),
      type_(std::move(o.type_)),
      priority_(std::move(o.priority_)),
      queued_at_(o.queued_at_),
      pending_(std::exchange(o.pending_, false)) {}

queued_task::~queued_task() {
  if (!pending_) return;
  ins_->task_queue_size.add(-1, detail::metric_attrs().add(a::task_priority, priority_).view());
  detail::record_failure(*ins_, span_, "task",
                         {semconv::value::error_cancelled, "the task was never started"});
  span_.end();
}

task_run queued_task::start() noexcept {
  return task_run(*this);
}

task_run::task_run(queued_task& task) noexcept : live_(task.pending_) {
  if (!live_) return;
  ins_ = task.ins_;
  task.pending_ = false;
  ins_->task_queue_size.add(-1,
                            detail::metric_attrs().add(a::task_priority, task.priority_).view());
  type_ = std::move(task.type_);
  trace::span s = std::move(task.span_);
  s.add_event(semconv::event::task_started, {}, start_);
  s.set_attribute(a::task_queue_time, detail::seconds(task.queued_at_, start_));
  begin(std::move(s));
}

task_run::~task_run() {
  end_activation();
  if (!live_) return;
  const timestamp_ns end = detail::now();
  const failure_info f{error_type_, error_message_};
  detail::record_failure(*ins_, span_, "task", f);
  ins_->task_duration.record(
      detail::seconds(start_, end),
      detail::metric_attrs().add(a::task_type, type_).add(a::error_type, f.error_type).view());
  span_.end(end);
}

}  // namespace agtel::agent
