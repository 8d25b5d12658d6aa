// Event publishing and request-reply.
#include "agtel/agent/events.hpp"

#include "agent/emit.hpp"
#include "agtel/agent/semconv.hpp"

namespace agtel::agent {

namespace a = semconv::attr;

event_publish::event_publish(std::string_view topic, std::string_view type,
                             const publish_options& options) noexcept {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  try {
    topic_.assign(topic);
    type_.assign(type);
  } catch (...) {
  }
  begin(detail::start_span(*ins_, semconv::op::publish, topic, trace::span_kind::producer,
                           {{a::event_topic, topic}, {a::event_type, type}}, options.parent,
                           start_));
  if (!options.id.empty()) span_.set_attribute(a::event_id, options.id);
}

event_publish::~event_publish() {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  end_activation();
  const failure_info f{error_type_, error_message_};
  detail::record_failure(*ins_, span_, "event", f);
  // Counted once it went out: a failed publish is an error, not an emitted event.
  if (f.error_type.empty())
    ins_->events_emitted.add(
        1, detail::metric_attrs().add(a::event_topic, topic_).add(a::event_type, type_).view());
  span_.end();
}

request_reply::request_reply(std::string_view topic, const request_options& options) noexcept {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  begin(detail::start_span(*ins_, semconv::op::request, topic, trace::span_kind::client,
                           {{a::event_topic, topic}}, options.parent, start_));
  if (!options.correlation_id.empty())
    span_.set_attribute(a::event_correlation_id, options.correlation_id);
  if (options.timeout_s >= 0) span_.set_attribute(a::event_timeout, options.timeout_s);
}

request_reply::~request_reply() {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  end_activation();
  detail::record_failure(*ins_, span_, "event", {error_type_, error_message_});
  span_.end();
}

}  // namespace agtel::agent
