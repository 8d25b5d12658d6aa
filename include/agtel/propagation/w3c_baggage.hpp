// W3C Baggage (https://www.w3.org/TR/baggage/): the `baggage` field.
//
//   baggage: userId=alice,serverNode=DF%2028;region=eu,isProduction=false
//            key=value[;property...] list, keys are RFC 7230 tokens, values percent-encoded
//
// What agtel does where the spec leaves a choice (the same as the OpenTelemetry Java and
// JavaScript SDKs, which skip bad members rather than dropping the whole header):
//  - parse: spaces/tabs around keys, values, properties and members are trimmed; an invalid
//    member (no '=', a key that is not a token, a value character outside baggage-octet, a
//    bad %-escape, a value that does not decode to valid UTF-8, a malformed property) is
//    skipped on its own and the others are kept. '+' is a literal '+', not a space. A
//    repeated key keeps its first position and takes the last value. At most 64 members
//    are kept (later ones are ignored). Of a header longer than 8192 bytes only the members
//    that end within the first 8192 bytes are read; the rest is ignored.
//  - format: values are percent-encoded (every byte outside baggage-octet, and '%'), so any
//    byte string round-trips; metadata is written as given when it is a valid property
//    list, else left out (the member is kept). Members are written in order while they fit:
//    at most 64 members and 8192 bytes; a member that would pass 8192 bytes is skipped (a
//    later, shorter one may still fit), and the drop is reported through agtel's
//    diagnostics.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "agtel/context/baggage.hpp"
#include "agtel/propagation/text_map.hpp"

namespace agtel::propagation {

// Parses a `baggage` header value (repeated headers joined with ','), per the rules above.
// Empty baggage when nothing valid is found.
baggage parse_baggage(std::string_view header) noexcept;

// Appends the `baggage` header value for `bag` to `out`, per the rules above; returns the
// number of members written.
size_t format_baggage(const baggage& bag, std::string& out);

// The `baggage` propagator.
//  - inject: writes `baggage` when the context's baggage has at least one member that
//    fits. Allocates nothing beyond what the carrier stores (a per-thread scratch buffer
//    is reused).
//  - extract: when the header yields at least one valid member, the result is `base` with
//    its baggage replaced by the extracted one; otherwise `base` unchanged.
class w3c_baggage_propagator final : public text_map_propagator {
 public:
  static constexpr std::string_view baggage_field = "baggage";

  void inject(const context& ctx, text_map_writer& carrier) const noexcept override;
  context extract(const text_map_reader& carrier, const context& base) const noexcept override;
  std::span<const std::string_view> fields() const noexcept override;
  std::string_view name() const noexcept override { return "baggage"; }
};

}  // namespace agtel::propagation
