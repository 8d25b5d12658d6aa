// Span processors see every recording span: at start (synchronously, on the caller's
// thread) and at end. They hand finished spans to exporters: the batch processor through
// a bounded queue and a background thread, the simple processor synchronously (tests and
// debugging only).
//
// Every method is noexcept and thread-safe; on_start/on_end run on application threads and
// must never block on I/O.
#pragma once

#include <chrono>

#include "agtel/common/result.hpp"
#include "agtel/trace/span_data.hpp"

namespace agtel::trace {

class span_processor {
 public:
  virtual ~span_processor() = default;

  // The span has started; `span` may be modified (for example, to add attributes).
  virtual void on_start(span_data& span, const span_context& parent) noexcept {
    (void)span;
    (void)parent;
  }
  // The span has ended; `span` holds a reference the processor may keep.
  virtual void on_end(span_ptr span) noexcept = 0;

  // Exports everything received before the call, waiting at most `timeout`.
  virtual sdk_result force_flush(std::chrono::milliseconds timeout) noexcept = 0;
  // Flushes, shuts the exporter down, and stops accepting spans, within `timeout`.
  virtual sdk_result shutdown(std::chrono::milliseconds timeout) noexcept = 0;
};

}  // namespace agtel::trace
