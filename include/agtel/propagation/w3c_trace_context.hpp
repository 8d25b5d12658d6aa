// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` and
// `tracestate` fields.
//
//   traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
//                version-trace_id-parent_id-flags, lower-case hex
//
// Parsing follows the spec's rules for unknown input: version `ff` is invalid; version
// `00` must be exactly 55 characters; a higher version may be longer if a '-' follows the
// flags (the extra fields are ignored, and inject writes version 00); ids must be
// lower-case hex and not all zero (upper case is invalid: the spec defines the fields as
// HEXDIGLC and tells vendors to ignore non-lower-case ids). Spaces and tabs around the
// value are ignored. Trace flags are kept as received, all 8 bits.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

#include "agtel/propagation/text_map.hpp"
#include "agtel/trace/span_context.hpp"

namespace agtel::propagation {

inline constexpr size_t traceparent_size = 55;

// Parses a `traceparent` value. The result is remote (is_remote() == true) and has no
// trace state. std::nullopt for anything invalid. Does not allocate.
std::optional<trace::span_context> parse_traceparent(std::string_view value) noexcept;

// Writes the version-00 `traceparent` of `span` into `out` and returns 55, or returns 0
// (writing nothing) when `span` is invalid. Does not allocate.
size_t format_traceparent(const trace::span_context& span,
                          std::span<char, traceparent_size> out) noexcept;

// The `tracecontext` propagator (fields `traceparent`, `tracestate`).
//  - inject: writes `traceparent` when the context's span is valid, and `tracestate` when
//    its trace state is not empty. Allocates nothing beyond what the carrier stores.
//  - extract: an absent or invalid `traceparent` returns the base unchanged and
//    `tracestate` is then not read (as the spec requires). An invalid `tracestate` is
//    dropped while the `traceparent` is kept. The result's span context is remote.
class w3c_trace_context_propagator final : public text_map_propagator {
 public:
  static constexpr std::string_view traceparent_field = "traceparent";
  static constexpr std::string_view tracestate_field = "tracestate";

  void inject(const context& ctx, text_map_writer& carrier) const noexcept override;
  context extract(const text_map_reader& carrier, const context& base) const noexcept override;
  std::span<const std::string_view> fields() const noexcept override;
  std::string_view name() const noexcept override { return "tracecontext"; }
};

}  // namespace agtel::propagation
