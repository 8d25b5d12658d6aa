// Samplers decide, when a span starts, whether it is recorded and whether it is exported.
//
// Called on the caller's thread for every span: implementations must be fast, must not
// block, and must not throw. The built-in samplers follow the OpenTelemetry spec.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "agtel/common/attribute.hpp"
#include "agtel/trace/span_context.hpp"
#include "agtel/trace/span_data.hpp"

namespace agtel::trace {

enum class sampling_decision : uint8_t {
  drop,               // not recorded, not exported: the span is a cheap non-recording handle
  record_only,        // recorded and seen by processors, not exported, sampled flag off
  record_and_sample,  // recorded, exported, sampled flag on
};

struct sampling_result {
  sampling_decision decision = sampling_decision::drop;
  // The trace state the new span carries; samplers normally pass the parent's on.
  trace_state state;
};

// What a sampler sees of the span being started.
struct sampling_input {
  const span_context& parent;  // invalid for a root span
  const ::agtel::trace::trace_id& trace_id;  // the parent's, or a new one for a root span
  std::string_view name;
  span_kind kind;
  std::span<const attribute_view> attributes;  // attributes given at start
};

class sampler {
 public:
  virtual ~sampler() = default;
  virtual sampling_result should_sample(const sampling_input& in) const noexcept = 0;
  // As the spec's GetDescription: "AlwaysOnSampler", "TraceIdRatioBased{0.25}", ...
  virtual std::string description() const = 0;
};

std::shared_ptr<sampler> always_on_sampler();
std::shared_ptr<sampler> always_off_sampler();

// Samples a fraction `ratio` (clamped to [0,1]) of traces, decided from the trace id alone
// so that every service samples the same traces: the span is sampled when the trace id's
// 56 least significant bits (its randomness, per W3C Trace Context level 2) are at or above
// the rejection threshold (1 - ratio) * 2^56. The parent is ignored; wrap it in
// parent_based for the usual behaviour.
std::shared_ptr<sampler> trace_id_ratio_sampler(double ratio);

// Follows the parent's decision when there is a parent, else asks `root`.
struct parent_based_options {
  std::shared_ptr<sampler> root;                              // required
  std::shared_ptr<sampler> remote_parent_sampled = nullptr;      // default: always_on
  std::shared_ptr<sampler> remote_parent_not_sampled = nullptr;  // default: always_off
  std::shared_ptr<sampler> local_parent_sampled = nullptr;       // default: always_on
  std::shared_ptr<sampler> local_parent_not_sampled = nullptr;   // default: always_off
};
std::shared_ptr<sampler> parent_based_sampler(parent_based_options options);
inline std::shared_ptr<sampler> parent_based_sampler(std::shared_ptr<sampler> root) {
  return parent_based_sampler(parent_based_options{.root = std::move(root)});
}

}  // namespace agtel::trace
