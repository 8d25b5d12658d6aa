// What a tracer handle points at: its scope, and the provider state it shares with the
// other tracers of the same provider. Spans keep a pointer to it to reach the limits and
// the processors when they end.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "agtel/common/resource.hpp"
#include "agtel/trace/sampler.hpp"
#include "agtel/trace/span.hpp"
#include "agtel/trace/span_limits.hpp"
#include "agtel/trace/span_processor.hpp"
#include "agtel/trace/tracer.hpp"

namespace agtel::trace::detail {

struct provider_state {
  agtel::resource resource;
  std::shared_ptr<trace::sampler> sampler;
  span_limits limits;
  std::vector<std::unique_ptr<span_processor>> processors;
  std::atomic<bool> shut_down{false};
};

class tracer_core {
 public:
  tracer_core(provider_state* provider, instrumentation_scope scope)
      : provider_(provider), scope_(std::move(scope)) {}

  span start_span(std::string_view name, const span_options& options) const noexcept;
  // Takes over the one reference `data` carries.
  void end_span(span_data* data) const noexcept;

  bool enabled() const noexcept { return !provider_->shut_down.load(std::memory_order_relaxed); }
  const span_limits& limits() const noexcept { return provider_->limits; }
  const instrumentation_scope& scope() const noexcept { return scope_; }

  // A non-recording span that carries the parent's context (the API's no-op behaviour).
  static span non_recording(const span_options& options) noexcept;

 private:
  provider_state* provider_;
  instrumentation_scope scope_;
};

}  // namespace agtel::trace::detail
