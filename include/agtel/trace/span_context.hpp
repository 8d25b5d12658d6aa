// The part of a span that crosses boundaries: ids, flags, trace state, and whether it
// came from another process. Immutable and cheap to copy.
#pragma once

#include "agtel/trace/ids.hpp"
#include "agtel/trace/trace_state.hpp"

namespace agtel::trace {

// (Inside the class, the id types are written fully qualified: the accessors share their names.)
class span_context {
 public:
  // The invalid context (all-zero ids): "no parent".
  span_context() noexcept = default;
  span_context(::agtel::trace::trace_id tid, ::agtel::trace::span_id sid, trace_flags flags, bool is_remote,
               trace_state state = {}) noexcept
      : trace_id_(tid), span_id_(sid), flags_(flags), remote_(is_remote), state_(std::move(state)) {}

  const ::agtel::trace::trace_id& trace_id() const noexcept { return trace_id_; }
  const ::agtel::trace::span_id& span_id() const noexcept { return span_id_; }
  trace_flags flags() const noexcept { return flags_; }
  bool sampled() const noexcept { return flags_.sampled(); }
  // True when extracted from a carrier (another process), false when created here.
  bool is_remote() const noexcept { return remote_; }
  const trace_state& state() const noexcept { return state_; }

  // Both ids non-zero.
  bool is_valid() const noexcept { return trace_id_.is_valid() && span_id_.is_valid(); }

  friend bool operator==(const span_context&, const span_context&) noexcept = default;

 private:
  ::agtel::trace::trace_id trace_id_;
  ::agtel::trace::span_id span_id_;
  trace_flags flags_;
  bool remote_ = false;
  trace_state state_;
};

}  // namespace agtel::trace
