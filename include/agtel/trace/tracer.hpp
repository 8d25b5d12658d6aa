// A tracer starts spans for one instrumentation scope ("agtel.agent", "my_runtime").
//
// `tracer` is a cheap handle (one pointer) obtained from a tracer_provider; copy it freely
// and keep it: looking it up again per span is wasted work. A default-constructed tracer,
// or one from a shut-down provider, starts non-recording spans that still propagate their
// parent's context. Thread-safe.
#pragma once

#include <initializer_list>
#include <string_view>

#include "agtel/common/attribute.hpp"
#include "agtel/common/time.hpp"
#include "agtel/trace/span.hpp"

namespace agtel::trace {

// A link given at span start (samplers see start-time attributes, not links).
struct link_view {
  span_context context;
  std::initializer_list<attribute_view> attributes = {};
};

struct span_options {
  span_kind kind = span_kind::internal;
  // Attributes known at start; samplers see them, so set sampling-relevant ones here.
  std::initializer_list<attribute_view> attributes = {};
  std::initializer_list<link_view> links = {};
  // The parent. Null: the calling thread's current span (if any). Point at an explicit
  // context (for example one extracted from a message) to parent elsewhere.
  const span_context* parent = nullptr;
  // Ignore the current span and start a new trace.
  bool root = false;
  // 0 means now.
  timestamp_ns start_time = 0;
};

class tracer {
 public:
  tracer() noexcept = default;

  // Never throws; under memory pressure it returns a non-recording span.
  span start_span(std::string_view name, const span_options& options = {}) const noexcept;

  // False for a no-op tracer or after the provider shut down: skip building expensive
  // attributes when nobody is listening.
  bool enabled() const noexcept;

 private:
  friend class tracer_provider;
  explicit tracer(const detail::tracer_core* core) noexcept : core_(core) {}
  const detail::tracer_core* core_ = nullptr;
};

}  // namespace agtel::trace
