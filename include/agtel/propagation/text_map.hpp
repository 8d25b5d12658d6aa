// Context propagation over string key/value carriers: HTTP headers, message envelope
// headers, gRPC metadata, environment variables.
//
// A propagator reads and writes a few named fields (`traceparent`, `tracestate`,
// `baggage`, ...) through a carrier adapter. Outbound:
//
//   agtel::propagation::header_writer out(request_headers);        // carriers.hpp
//   agtel::propagation::global_propagator()->inject(agtel::context::current(), out);
//
// Inbound:
//
//   agtel::propagation::header_reader in(request.headers);
//   agtel::context parent = agtel::propagation::global_propagator()->extract(in, {});
//   auto scope = parent.attach();
//
// Propagators never throw and ignore what they cannot parse: extract then returns the base
// context unchanged. Propagator objects are immutable and thread-safe; carrier adapters
// are not (use one per request).
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "agtel/context/context.hpp"

namespace agtel::propagation {

// The read side of a carrier.
class text_map_reader {
 public:
  virtual ~text_map_reader() = default;

  // The value stored under `key`, "" when absent. The key is matched the way the carrier's
  // protocol matches names (HTTP header names case-insensitively). When the carrier holds
  // several values for the key (HTTP allows repeated `tracestate` and `baggage` headers),
  // they are returned joined with ',' in carrier order, as RFC 7230 §3.2.2 combines them.
  // The view stays valid until the next `get` on this reader or until the carrier changes.
  virtual std::string_view get(std::string_view key) const noexcept = 0;

  // Appends every key the carrier holds (for propagators that read prefixed keys). The
  // views stay valid until the carrier changes. Default: appends nothing.
  virtual void keys(std::vector<std::string_view>& out) const noexcept { (void)out; }
};

// The write side of a carrier.
class text_map_writer {
 public:
  virtual ~text_map_writer() = default;

  // Stores `value` under `key`, replacing every value already stored under that key (in any
  // letter case, for case-insensitive carriers). Propagators pass lower-case keys. The
  // carrier copies both views before returning.
  virtual void set(std::string_view key, std::string_view value) noexcept = 0;
};

// Moves a context into and out of carriers in one wire format.
class text_map_propagator {
 public:
  virtual ~text_map_propagator() = default;

  // Writes the fields of `ctx` that this format carries; writes nothing when `ctx` has
  // nothing to carry (no valid span, no baggage).
  virtual void inject(const context& ctx, text_map_writer& carrier) const noexcept = 0;

  // Returns `base` with what the carrier holds in this format replacing the matching part
  // (the span context, or the baggage). Missing or invalid fields leave `base` unchanged.
  virtual context extract(const text_map_reader& carrier, const context& base) const noexcept = 0;

  // The keys this propagator reads and writes (lower case), e.g. to pre-allocate a carrier
  // or to clear stale values before injecting. The span lives as long as the propagator.
  virtual std::span<const std::string_view> fields() const noexcept = 0;

  // A short name for diagnostics ("tracecontext", "baggage", "composite", "none").
  virtual std::string_view name() const noexcept = 0;
};

}  // namespace agtel::propagation
