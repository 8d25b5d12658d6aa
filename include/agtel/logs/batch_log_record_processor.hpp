// Queues emitted log records and exports them in batches from a background thread.
//
// The application thread never blocks: logger::emit places the record in a bounded,
// lock-free queue; when the queue is full the record is dropped and counted
// (`stats().dropped_queue_full`). The export thread wakes every `schedule_delay`, or as
// soon as `max_export_batch_size` records are waiting, and sends batches of at most that
// size, each bounded by `export_timeout`.
//
// force_flush and shutdown return by their deadline even while an export hangs (the hung
// export is left to finish on its thread). Records emitted after shutdown are counted as
// `dropped_after_shutdown`. Safe across fork(): the child starts with an empty queue and
// its own export thread.
//
// The same mechanism as trace::batch_span_processor (one engine serves both).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "agtel/logs/log_record_exporter.hpp"
#include "agtel/logs/log_record_processor.hpp"

namespace agtel::logs {

// Defaults are the spec's (OTEL_BLRP_*).
struct batch_log_record_processor_options {
  size_t max_queue_size = 2048;                     // OTEL_BLRP_MAX_QUEUE_SIZE
  std::chrono::milliseconds schedule_delay{1000};   // OTEL_BLRP_SCHEDULE_DELAY
  std::chrono::milliseconds export_timeout{30000};  // OTEL_BLRP_EXPORT_TIMEOUT
  size_t max_export_batch_size = 512;               // OTEL_BLRP_MAX_EXPORT_BATCH_SIZE
};

// Every record handed to the processor is in exactly one of these (queue_depth while
// waiting).
struct batch_log_record_processor_stats {
  uint64_t exported = 0;                // reported delivered by the exporter
  uint64_t export_failed = 0;           // in batches the exporter failed or timed out
  uint64_t dropped_queue_full = 0;      // dropped at emit because the queue was full
  uint64_t dropped_after_shutdown = 0;  // emitted after shutdown
  uint64_t queue_depth = 0;             // waiting now (approximate)
};

class batch_log_record_processor final : public log_record_processor {
 public:
  // Invalid options (zero sizes, batch larger than the queue) are corrected and reported
  // through the diagnostic handler, never thrown.
  explicit batch_log_record_processor(std::unique_ptr<log_record_exporter> exporter,
                                      batch_log_record_processor_options options = {});
  ~batch_log_record_processor() override;

  void on_emit(log_record_ptr record) noexcept override;
  sdk_result force_flush(std::chrono::milliseconds timeout) noexcept override;
  sdk_result shutdown(std::chrono::milliseconds timeout) noexcept override;

  batch_log_record_processor_stats stats() const noexcept;
  // The options in effect (after correction).
  const batch_log_record_processor_options& options() const noexcept;

  struct state;  // implementation, shared with the export thread

 private:
  std::shared_ptr<state> state_;
};

}  // namespace agtel::logs
