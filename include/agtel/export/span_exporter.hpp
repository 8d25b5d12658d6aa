// The interface every span exporter implements (console, in-memory, OTLP, JSON lines,
// the embedded store).
//
// Processors call export_spans from one thread at a time (never concurrently for one
// exporter), usually a background thread. An exporter may finish the work inside the call
// (synchronous), or copy the span_ptrs (a cheap reference count) and send them later
// (asynchronous); either way it must return by `deadline` and must not throw.
#pragma once

#include <span>

#include "agtel/common/result.hpp"
#include "agtel/common/time.hpp"
#include "agtel/trace/span_data.hpp"

namespace agtel::exporter {

class span_exporter {
 public:
  virtual ~span_exporter() = default;

  virtual export_result export_spans(std::span<const trace::span_ptr> batch,
                                     steady_time deadline) noexcept = 0;
  // Delivers whatever the exporter still buffers.
  virtual sdk_result force_flush(steady_time deadline) noexcept {
    (void)deadline;
    return sdk_result::ok;
  }
  // Flushes and releases resources; later exports fail.
  virtual sdk_result shutdown(steady_time deadline) noexcept = 0;
};

}  // namespace agtel::exporter
