// Log record processors receive every record a logger emits, synchronously on the
// emitting thread, and hand it to an exporter: the batch processor through a bounded queue
// and a background thread, the simple processor synchronously (tests and debugging only).
//
// Every method is noexcept and thread-safe; on_emit runs on application threads and must
// never block on I/O.
#pragma once

#include <chrono>

#include "agtel/common/result.hpp"
#include "agtel/logs/log_record_data.hpp"

namespace agtel::logs {

class log_record_processor {
 public:
  virtual ~log_record_processor() = default;

  // A record was emitted. The processor may keep the reference, and may modify the record
  // (processors run in the provider's order, so later ones see earlier changes).
  virtual void on_emit(log_record_ptr record) noexcept = 0;

  // Exports everything received before the call, waiting at most `timeout`.
  virtual sdk_result force_flush(std::chrono::milliseconds timeout) noexcept = 0;
  // Flushes, shuts the exporter down, and stops accepting records, within `timeout`.
  virtual sdk_result shutdown(std::chrono::milliseconds timeout) noexcept = 0;
};

}  // namespace agtel::logs
