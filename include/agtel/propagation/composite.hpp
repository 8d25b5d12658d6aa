// Choosing propagators: several formats at once, the process-wide propagator, and the
// OTEL_PROPAGATORS names.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "agtel/propagation/text_map.hpp"

namespace agtel::propagation {

// Runs several propagators as one: inject calls each in order; extract feeds the context
// returned by each into the next, so a later format overrides an earlier one for the same
// part of the context. fields() is the union, without duplicates. No propagators: a no-op.
class composite_propagator final : public text_map_propagator {
 public:
  explicit composite_propagator(std::vector<std::shared_ptr<const text_map_propagator>> parts);

  void inject(const context& ctx, text_map_writer& carrier) const noexcept override;
  context extract(const text_map_reader& carrier, const context& base) const noexcept override;
  std::span<const std::string_view> fields() const noexcept override { return fields_; }
  std::string_view name() const noexcept override { return "composite"; }

  const std::vector<std::shared_ptr<const text_map_propagator>>& parts() const noexcept {
    return parts_;
  }

 private:
  std::vector<std::shared_ptr<const text_map_propagator>> parts_;
  std::vector<std::string_view> fields_;
};

// Builds a propagator from an OTEL_PROPAGATORS-style list: comma-separated names, spaces
// and letter case ignored, duplicates ignored. Known: `tracecontext`, `baggage`, `none`.
// `none` anywhere means no propagation (a no-op propagator); an empty list means the
// default (`tracecontext,baggage`). `b3`, `b3multi`, `jaeger`, `xray`, `ottrace` and
// unknown names are reported through agtel's diagnostics ("b3 is not supported") and
// skipped; only the first 16 distinct names are read. Never null.
std::shared_ptr<const text_map_propagator> make_propagator(std::string_view names) noexcept;

// The process-wide propagator used by instrumentation that is not given one. Default:
// tracecontext + baggage. Thread-safe; set it once at start-up (agtel's configuration does
// so from OTEL_PROPAGATORS). Setting nullptr restores the default.
std::shared_ptr<const text_map_propagator> global_propagator() noexcept;
void set_global_propagator(std::shared_ptr<const text_map_propagator> propagator) noexcept;

// Shorthands through the global propagator: inject the calling thread's current context,
// and extract with the current context as the base.
void inject(text_map_writer& carrier) noexcept;
context extract(const text_map_reader& carrier) noexcept;

}  // namespace agtel::propagation
