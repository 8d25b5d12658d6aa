// The receiver's own metrics, served on GET /metrics in Prometheus text format 0.0.4. They
// are recorded with agtel's metrics SDK (a private meter provider with a pull reader, not
// the global one) and rendered by the Prometheus serializer, so the exposition follows the
// same naming rules as every agtel endpoint and passes `promtool check metrics`:
//
//   agtel_server_requests_total{signal, outcome}    OTLP requests answered; outcome is
//       accepted | bad_request | too_large | unsupported | unauthorized | throttled |
//       unavailable | timeout
//   agtel_server_items_received_total{signal}       spans, data points, log records decoded
//   agtel_server_items_rejected_total{signal}       of those, not stored (metrics: all)
//   agtel_server_request_duration_seconds{signal}   accepted requests, body read to answer
//                                                   (includes the wait for COMMIT)
//   agtel_store_queued_items                        items queued for the writer now
//   agtel_store_items_stored_total{signal}          spans and log records committed
//   agtel_store_transactions_total, agtel_store_batches_failed_total,
//   agtel_store_submits_refused_total               (queue full)
//   agtel_store_commit_time_seconds_total           summed BEGIN..COMMIT time
//   agtel_store_last_commit_duration_seconds        the latest transaction's
//
// Thread-safe: recording is lock-free (SDK counters); render() serializes itself.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "otlp/codec.hpp"
#include "store/store.hpp"

namespace agtel::server {

class server_metrics {
 public:
  // Reads the writer's stats at every render; `writer` must outlive this object.
  explicit server_metrics(const store::writer& writer);
  ~server_metrics();
  server_metrics(const server_metrics&) = delete;
  server_metrics& operator=(const server_metrics&) = delete;

  void count_request(otlp::signal s, std::string_view outcome) noexcept;
  void count_items(otlp::signal s, uint64_t received, uint64_t rejected) noexcept;
  void record_duration(otlp::signal s, std::chrono::nanoseconds d) noexcept;

  // Appends the exposition to `out`; false when the collection failed.
  bool render(std::string& out);

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

std::string_view signal_name(otlp::signal s) noexcept;

}  // namespace agtel::server
