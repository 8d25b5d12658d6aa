// A span: one timed operation in a trace (an agent run, a tool call, an LLM call).
//
// `span` is a move-only handle returned by `tracer::start_span`. It ends the span when it
// is destroyed (or earlier, with `end()`), so ordinary C++ scoping times the operation:
//
//   {
//     auto s = tracer.start_span("execute_tool search", {.kind = span_kind::internal});
//     auto active = s.activate();          // children started here nest under `s`
//     s.set_attribute("gen_ai.tool.name", "search");
//     ...
//   }                                      // `active` restores the old context, `s` ends
//
// A sampled-out span is a non-recording handle: every method is a cheap no-op, but its
// context() is valid so the trace still propagates.
//
// Threading: a handle has one owner at a time, like any C++ object; move it to hand it to
// another thread. This departs from the spec's "Span methods are safe to call
// concurrently" on purpose: other SDKs need that rule because they share the span itself
// through the context; agtel's context carries only the immutable span_context, so no
// second thread can reach a recording span, and the hot path takes no lock.
//
// No method throws; values past the span limits are dropped and counted.
#pragma once

#include <exception>
#include <initializer_list>
#include <string_view>
#include <utility>

#include "agtel/common/attribute.hpp"
#include "agtel/common/time.hpp"
#include "agtel/context/context.hpp"
#include "agtel/trace/span_context.hpp"
#include "agtel/trace/span_data.hpp"

namespace agtel::trace {

namespace detail {
class tracer_core;
}

class span {
 public:
  // A non-recording span with an invalid context.
  span() noexcept = default;
  span(span&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), tracer_(o.tracer_), context_(std::move(o.context_)) {}
  span& operator=(span&& o) noexcept;
  span(const span&) = delete;
  span& operator=(const span&) = delete;
  ~span() { end(); }

  // True until end() for a span its sampler chose to record.
  bool is_recording() const noexcept { return data_ != nullptr; }
  const span_context& context() const noexcept { return context_; }

  span& set_attribute(std::string_view key, attribute_value_view value) noexcept;
  span& set_attributes(std::initializer_list<attribute_view> attrs) noexcept;
  // `time` 0 means now.
  span& add_event(std::string_view name, std::initializer_list<attribute_view> attrs = {},
                  timestamp_ns time = 0) noexcept;
  span& add_link(const span_context& linked, std::initializer_list<attribute_view> attrs = {}) noexcept;
  // Spec rules: ok is final (later calls are ignored); unset never overrides; the message
  // is kept only with error.
  span& set_status(status_code code, std::string_view message = {}) noexcept;
  span& update_name(std::string_view name) noexcept;

  // Adds an "exception" event with exception.type, exception.message (and
  // exception.stacktrace when given), per the semantic conventions. Does not set the
  // status: call set_status(status_code::error, ...) as well when the operation failed.
  span& record_exception(std::string_view type, std::string_view message,
                         std::string_view stacktrace = {},
                         std::initializer_list<attribute_view> attrs = {}) noexcept;
  // The type is the exception's demangled dynamic type, the message its what().
  span& record_exception(const std::exception& e, std::initializer_list<attribute_view> attrs = {}) noexcept;
  // For catch (...) blocks: std::current_exception(). Non-std exceptions are recorded
  // with type "unknown".
  span& record_exception(std::exception_ptr e, std::initializer_list<attribute_view> attrs = {}) noexcept;

  // Ends the span (end time 0 means now) and hands it to the processors. Later calls to
  // any method are ignored.
  void end(timestamp_ns end_time = 0) noexcept {
    if (data_) end_recording(end_time);
  }

  // Makes this span the current one on the calling thread until the scope ends.
  [[nodiscard]] context_scope activate() const noexcept;

 private:
  friend class detail::tracer_core;
  span(span_data* data, const detail::tracer_core* tracer, span_context ctx) noexcept
      : data_(data), tracer_(tracer), context_(std::move(ctx)) {}
  void end_recording(timestamp_ns end_time) noexcept;

  span_data* data_ = nullptr;  // owned (one reference) while recording
  const detail::tracer_core* tracer_ = nullptr;
  span_context context_;
};

}  // namespace agtel::trace
