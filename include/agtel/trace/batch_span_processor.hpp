// Queues finished spans and exports them in batches from a background thread.
//
// The application thread never blocks: span::end() places the span in a bounded,
// lock-free queue; when the queue is full the span is dropped and counted
// (`stats().dropped_queue_full`). The export thread wakes every `schedule_delay`, or as
// soon as `max_export_batch_size` spans are waiting, and sends batches of at most that
// size, each bounded by `export_timeout`.
//
// force_flush and shutdown return by their deadline even while an export hangs (the hung
// export is left to finish on its thread). Spans still open when the provider shuts down
// are not exported: they are counted as `dropped_after_shutdown` when they end.
//
// Safe across fork(): the child gets a fresh, empty queue and its own export thread (the
// parent's queued spans are the parent's to export).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "agtel/export/span_exporter.hpp"
#include "agtel/trace/span_processor.hpp"

namespace agtel::trace {

// Defaults are the spec's (OTEL_BSP_*).
struct batch_span_processor_options {
  size_t max_queue_size = 2048;                                  // OTEL_BSP_MAX_QUEUE_SIZE
  std::chrono::milliseconds schedule_delay{5000};                // OTEL_BSP_SCHEDULE_DELAY
  std::chrono::milliseconds export_timeout{30000};               // OTEL_BSP_EXPORT_TIMEOUT
  size_t max_export_batch_size = 512;                            // OTEL_BSP_MAX_EXPORT_BATCH_SIZE
};

// Every sampled span that ended is in exactly one of these (queue_depth while waiting).
struct batch_span_processor_stats {
  uint64_t exported = 0;                // reported delivered by the exporter
  uint64_t export_failed = 0;           // in batches the exporter failed or timed out
  uint64_t dropped_queue_full = 0;      // dropped at end() because the queue was full
  uint64_t dropped_after_shutdown = 0;  // ended after shutdown
  uint64_t queue_depth = 0;             // waiting now (approximate)
};

class batch_span_processor final : public span_processor {
 public:
  // Invalid options (zero sizes, batch larger than the queue) are corrected and reported
  // through the diagnostic handler, never thrown.
  batch_span_processor(std::unique_ptr<exporter::span_exporter> exporter,
                       batch_span_processor_options options = {});
  ~batch_span_processor() override;

  void on_end(span_ptr span) noexcept override;
  sdk_result force_flush(std::chrono::milliseconds timeout) noexcept override;
  sdk_result shutdown(std::chrono::milliseconds timeout) noexcept override;

  batch_span_processor_stats stats() const noexcept;
  const batch_span_processor_options& options() const noexcept;

  struct state;  // implementation, shared with the export thread

 private:
  std::shared_ptr<state> state_;
};

}  // namespace agtel::trace
