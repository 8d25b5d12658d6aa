// The tracing SDK's root: it owns the resource, the sampler, the span limits and the
// processors, and hands out tracers.
//
//   agtel::trace::tracer_provider_options opts;
//   opts.resource = agtel::resource::sdk_default().merge(my_resource);
//   opts.processors.push_back(std::make_unique<batch_span_processor>(std::move(exporter)));
//   auto provider = std::make_shared<agtel::trace::tracer_provider>(std::move(opts));
//   agtel::trace::set_global_tracer_provider(provider);
//   auto tracer = agtel::trace::get_tracer("my_runtime", "1.2.0");
//
// Lifetime: tracers and spans point into their provider; keep the provider alive while
// they are used (the global slot keeps every provider ever installed alive until exit,
// so tracers obtained from it never dangle). Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "agtel/common/resource.hpp"
#include "agtel/common/result.hpp"
#include "agtel/trace/sampler.hpp"
#include "agtel/trace/span_limits.hpp"
#include "agtel/trace/span_processor.hpp"
#include "agtel/trace/tracer.hpp"

namespace agtel::trace {

struct tracer_provider_options {
  agtel::resource resource = agtel::resource::sdk_default();
  // Default: parent_based(always_on), the spec's default.
  std::shared_ptr<trace::sampler> sampler = parent_based_sampler(always_on_sampler());
  span_limits limits;
  // Every processor sees every recording span, in this order.
  std::vector<std::unique_ptr<span_processor>> processors;
};

class tracer_provider {
 public:
  explicit tracer_provider(tracer_provider_options options = {});
  ~tracer_provider();  // shuts down (with a 5 s deadline) if not done yet
  tracer_provider(const tracer_provider&) = delete;
  tracer_provider& operator=(const tracer_provider&) = delete;

  // The same (name, version, schema_url) returns the same tracer. An empty name is
  // allowed (the spec says: use it, and warn) and reported once.
  tracer get_tracer(std::string_view name, std::string_view version = {},
                    std::string_view schema_url = {});

  sdk_result force_flush(std::chrono::milliseconds timeout = std::chrono::seconds(5)) noexcept;
  // Flushes and shuts every processor down within `timeout` in total; afterwards tracers
  // start only non-recording spans.
  sdk_result shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(5)) noexcept;

  const agtel::resource& resource() const noexcept;
  const span_limits& limits() const noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

// The process-wide provider. Until one is set, tracers are no-op (spans propagate their
// parent's context but record nothing).
void set_global_tracer_provider(std::shared_ptr<tracer_provider> provider) noexcept;
std::shared_ptr<tracer_provider> global_tracer_provider() noexcept;
// Grows by one each time set_global_tracer_provider runs: a cache of tracers taken from
// the global provider (the agent layer's) notices a new provider with one atomic load.
uint64_t global_tracer_provider_generation() noexcept;
// A tracer from the global provider (a no-op tracer when none is set).
tracer get_tracer(std::string_view name, std::string_view version = {},
                  std::string_view schema_url = {});

}  // namespace agtel::trace
