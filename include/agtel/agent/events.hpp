// Messages between agents: publishing an event, and a request that waits for its reply.
//
//   agtel::agent::event_publish pub("tasks.created", "task_created", {.id = envelope.id});
//   pub.inject(envelope.headers);            // the consumer continues this trace
//   bus.send(envelope);
//
//   agtel::agent::request_reply req("planner.ask", {.correlation_id = cid, .timeout_s = 5});
//   req.inject(msg.headers);
//   if (!wait_for_reply(5s)) req.fail("timeout");
//
// event_publish emits the span `publish {topic}` (PRODUCER; event.topic, event.type,
// event.id) and events.emitted {event.topic, event.type}; request_reply the span
// `request {topic}` (CLIENT; event.topic, event.correlation_id, event.timeout).
// On the receiving side, propagation.hpp's extract functions give the parent context.
#pragma once

#include <string>
#include <string_view>

#include "agtel/agent/operation.hpp"
#include "agtel/propagation/carriers.hpp"
#include "agtel/propagation/composite.hpp"

namespace agtel::agent {

struct publish_options {
  std::string_view id{};  // the envelope id (span only)
  const agtel::context* parent = nullptr;
};

class event_publish final : public operation {
 public:
  event_publish(std::string_view topic, std::string_view type,
                const publish_options& options = {}) noexcept;
  ~event_publish();

  // Writes this span's context (traceparent, tracestate, baggage) into envelope headers:
  // any map, multimap or vector of string pairs.
  template <class Headers>
  void inject(Headers& headers) const noexcept {
    propagation::header_writer<Headers> out(headers);
    propagation::global_propagator()->inject(context(), out);
  }

 private:
  std::string topic_, type_;
};

struct request_options {
  std::string_view correlation_id{};  // span only
  double timeout_s = -1;              // event.timeout; < 0: none
  const agtel::context* parent = nullptr;
};

class request_reply final : public operation {
 public:
  explicit request_reply(std::string_view topic, const request_options& options = {}) noexcept;
  ~request_reply();

  template <class Headers>
  void inject(Headers& headers) const noexcept {
    propagation::header_writer<Headers> out(headers);
    propagation::global_propagator()->inject(context(), out);
  }
};

}  // namespace agtel::agent
