// What every agent-layer scope shares: its span (made current while the scope lives), its
// start time, and its failure. Users reach it through the scopes' public methods.
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "agtel/common/time.hpp"
#include "agtel/context/context.hpp"
#include "agtel/trace/span.hpp"

namespace agtel::agent {

namespace detail {
struct instruments;  // the tracer and instruments of the current providers (src/agent)
}

// The base of every scope (workflow, agent_run, tool_call, llm_call, ...). Not copyable or
// movable: a scope lives on the stack of the code it times, and its span is the current
// span of that thread until it ends. Scopes end in the reverse order of their creation.
class operation {
 public:
  operation(const operation&) = delete;
  operation& operator=(const operation&) = delete;

  // Marks the operation failed: at its end the span gets status ERROR with `message`, an
  // `exception` event and `error.type`; the duration metric gets `error.type`; `errors` is
  // incremented; an ERROR log record carries the span's ids. The last call wins. `error_type` should be low-cardinality ("timeout",
  // an exception class); empty means "_OTHER".
  void fail(std::string_view error_type, std::string_view message = {}) noexcept;
  // error.type is the exception's class name (demangled), the message its what().
  void fail(const std::exception& e) noexcept;
  // For catch (...): std::current_exception(). Non-std exceptions give "_OTHER".
  void fail(std::exception_ptr e) noexcept;
  bool failed() const noexcept { return !error_type_.empty(); }

  // The span, for attributes and events of your own. Do not end it: the scope does.
  trace::span& span() noexcept { return span_; }
  // This operation's context: parent other work on it, or inject it into a carrier.
  agtel::context context() const noexcept;

 protected:
  operation() noexcept;
  ~operation();
  // Starts timing now (the constructor already did) and makes `s` current on this thread.
  void begin(trace::span s) noexcept;
  // The failure to report at the end: the recorded one, or "_OTHER" when the scope ends
  // while an exception propagates and nobody called fail().
  void end_activation() noexcept;

  const detail::instruments* ins_;
  timestamp_ns start_;
  trace::span span_;
  std::optional<context_scope> active_;
  std::string error_type_;
  std::string error_message_;
  int uncaught_;
};

namespace detail {
// Runs `fn` (with the scope as argument when it takes one) and returns what it returns.
// An exception is recorded on the scope and re-thrown unchanged.
template <class Scope, class F>
decltype(auto) run_in(Scope& scope, F&& fn) {
  try {
    if constexpr (std::is_invocable_v<F&&, Scope&>)
      return std::forward<F>(fn)(scope);
    else
      return std::forward<F>(fn)();
  } catch (...) {
    scope.fail(std::current_exception());
    throw;
  }
}
}  // namespace detail

}  // namespace agtel::agent
