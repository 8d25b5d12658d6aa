// SDK internals for the inline hot path: is the calling thread inside a sampled span?
// (the trace-based exemplar filter's question). Not API.
#pragma once

#include "agtel/context/context.hpp"

namespace agtel::metrics::detail {

// The thread's current context lives in one thread-local object for the thread's life, so
// its address is looked up once per thread and the check is then two loads and a test.
// (Measurements recorded from thread-local destructors that run after the context's own
// destructor read a destroyed object's flags: at worst a wrong exemplar decision.)
inline bool in_sampled_span() noexcept {
  static constinit thread_local __attribute__((tls_model("initial-exec"))) const context* current =
      nullptr;
  if (current == nullptr) [[unlikely]]
    current = &agtel::detail::current_context();
  return current->span().sampled();
}

}  // namespace agtel::metrics::detail
