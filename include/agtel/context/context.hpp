// The execution context: which span is active, and the baggage that travels with it.
//
// Each thread has a current context. `context_scope` (from `context::attach()` or
// `span::activate()`) makes a context current until the scope ends, then restores the
// previous one. A `context` is a plain value: capture it on one thread and attach it on
// another, and work done there (a thread-pool task, a resumed coroutine, a callback)
// continues inside the right parent:
//
//   auto ctx = agtel::context::current();            // on the submitting thread
//   pool.submit([ctx] { auto scope = ctx.attach();   // on the worker
//                       auto s = tracer.start_span("execute_tool search"); ... });
//
// Scopes must end in the reverse order of their creation on a thread (they are RAII
// objects, so ordinary C++ scoping does this). Copying a context copies two shared
// pointers that are null unless trace state or baggage is present.
#pragma once

#include "agtel/context/baggage.hpp"
#include "agtel/trace/span_context.hpp"

namespace agtel {

class context_scope;

class context {
 public:
  context() noexcept = default;
  explicit context(trace::span_context span, agtel::baggage bag = {}) noexcept
      : span_(std::move(span)), baggage_(std::move(bag)) {}

  // A copy of the calling thread's current context (empty if none was attached).
  static context current() noexcept;

  // The active span's context; invalid when no span is active.
  const trace::span_context& span() const noexcept { return span_; }
  const agtel::baggage& baggage() const noexcept { return baggage_; }

  context with_span(trace::span_context s) const { return context(std::move(s), baggage_); }
  context with_baggage(agtel::baggage b) const { return context(span_, std::move(b)); }

  // Makes this context current on the calling thread until the returned scope ends.
  [[nodiscard]] context_scope attach() const noexcept;

  friend bool operator==(const context&, const context&) noexcept = default;

 private:
  trace::span_context span_;
  agtel::baggage baggage_;
};

// Restores the previously current context when it ends. Move-only.
class context_scope {
 public:
  context_scope(context_scope&& other) noexcept;
  context_scope& operator=(context_scope&&) = delete;
  context_scope(const context_scope&) = delete;
  ~context_scope();

 private:
  friend class context;
  explicit context_scope(const context& ctx) noexcept;
  context previous_;
  bool active_ = true;
};

namespace detail {
// The calling thread's current context, by reference (no copy); for the SDK's hot path.
const context& current_context() noexcept;
}  // namespace detail

}  // namespace agtel
