// How each operation becomes telemetry: one start_* and one finish_* per operation, shared
// by the scopes (which fill a record from their members at the end) and the recorder API
// (which is handed the record). Keeping one path is what makes the two forms emit the same
// spans and points.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <new>
#include <string_view>
#include <type_traits>

#include "agent/instruments.hpp"
#include "agtel/agent/settings.hpp"
#include "agtel/agent/recorder.hpp"
#include "agtel/common/attribute.hpp"
#include "agtel/trace/span.hpp"
#include "agtel/trace/tracer.hpp"

namespace agtel::agent::detail {

// A metric attribute set built on the stack; empty values are left out (a Prometheus label
// with an empty value is the same as no label). The slots are raw storage: only the ones
// in use are ever written (this is on every operation's path).
class metric_attrs {
 public:
  metric_attrs() noexcept = default;
  metric_attrs(const metric_attrs& o) noexcept : n_(o.n_) {
    for (size_t i = 0; i < n_; ++i) new (&slots_[i]) attribute_view(o.at(i));
  }
  metric_attrs& operator=(const metric_attrs&) = delete;

  metric_attrs& add(std::string_view key, std::string_view value) noexcept {
    if (!value.empty() && n_ < capacity) new (&slots_[n_++]) attribute_view{key, value};
    return *this;
  }
  metrics::attribute_views view() const noexcept { return {n_ ? &at(0) : nullptr, n_}; }

 private:
  static constexpr size_t capacity = 6;
  static_assert(std::is_trivially_destructible_v<attribute_view>);
  const attribute_view& at(size_t i) const noexcept {
    return *std::launder(reinterpret_cast<const attribute_view*>(&slots_[i]));
  }
  struct slot {
    alignas(attribute_view) std::byte bytes[sizeof(attribute_view)];
  };
  std::array<slot, capacity> slots_;
  size_t n_ = 0;
};

inline double seconds(timestamp_ns start, timestamp_ns end) noexcept {
  return end > start ? static_cast<double>(end - start) * 1e-9 : 0.0;
}
// The agent layer's time: the installed settings' clock, else the wall clock.
inline timestamp_ns now() noexcept {
  const auto clock = current_settings().clock;
  return clock != nullptr ? clock() : now_ns();
}
inline timestamp_ns or_now(timestamp_ns t) noexcept {
  return t != 0 ? t : now();
}

// Starts "<op> <name>" (or just `op` when `name` is empty) with the given start attributes.
trace::span start_span(const instruments& ins, std::string_view op, std::string_view name,
                       trace::span_kind kind, std::initializer_list<attribute_view> attributes,
                       const agtel::context* parent, timestamp_ns start_time) noexcept;

// The failure part of the end of every operation: span status ERROR with the message, an
// exception event, error.type on the span, and errors {component, error.type, severity}.
// Nothing when `f.error_type` is empty.
void record_failure(const instruments& ins, trace::span& span, std::string_view component,
                    const failure_info& f) noexcept;

// Emits the log record of a failure (see failure_log.cpp). `span`: the failed operation's
// span, or null for the current context.
void log_failure(std::string_view component, std::string_view error_type, std::string_view severity,
                 std::string_view message, const trace::span_context* span) noexcept;

// Sets the gen_ai.usage.* attributes of the token counts that are known (>= 0).
void set_usage_attributes(trace::span& span, const token_usage& u) noexcept;

// Sets an opt-in content attribute when capture is on: redacted, then capped.
void capture_content(trace::span& span, std::string_view key, std::string_view content) noexcept;

// error.type of an exception: its demangled class name.
std::string exception_type(const std::exception& e);

// Per operation.
trace::span start_tool(const instruments& ins, const tool_usage& r) noexcept;
void finish_tool(const instruments& ins, trace::span& span, const tool_usage& r) noexcept;

trace::span start_llm(const instruments& ins, const llm_call_record& r) noexcept;
// A chunk that arrived at `at`; `previous` is the previous chunk's time, or 0 for the first.
void record_chunk(const instruments& ins, trace::span& span, const llm_call_record& r,
                  timestamp_ns previous, timestamp_ns at) noexcept;
void finish_llm(const instruments& ins, trace::span& span, const llm_call_record& r) noexcept;

trace::span start_agent(const instruments& ins, const agent_execution& r) noexcept;
void finish_agent(const instruments& ins, trace::span& span, const agent_execution& r) noexcept;

trace::span start_workflow(const instruments& ins, const workflow_execution& r) noexcept;
void finish_workflow(const instruments& ins, trace::span& span,
                     const workflow_execution& r) noexcept;

}  // namespace agtel::agent::detail
