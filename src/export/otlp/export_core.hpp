// What the three OTLP exporters share: the transport, the retry loop, partial-success
// handling and the stats. Each exporter encodes its batch into `body()` and calls send().
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "agtel/diagnostics.hpp"
#include "agtel/export/otlp_exporter.hpp"
#include "export/otlp/retry_policy.hpp"
#include "export/otlp/transport.hpp"
#include "otlp/codec.hpp"

namespace agtel::exporter::otlp_detail {

// The counts behind otlp_exporter_stats_source: relaxed atomics, written by the export
// thread, read from anywhere (a snapshot may mix two exports' counts; each count is exact).
class stats_block final : public otlp_exporter_stats_source {
 public:
  stats_block(otlp_protocol protocol, otlp::signal signal);

  otlp_exporter_stats stats() const noexcept override;
  std::string_view component_type() const noexcept override { return type_; }
  std::string_view component_name() const noexcept override { return name_; }
  std::string_view item_kind() const noexcept override { return kind_; }

  std::atomic<uint64_t> exported{0}, rejected{0}, failed_timeout{0}, failed_unavailable{0},
      failed_non_retryable{0}, failed_shutdown{0}, requests{0}, retries{0}, bytes_sent{0};

 private:
  std::string type_, name_;
  std::string_view kind_;
};

// "http://localhost:4318/v1/traces" and the like: the spec's default endpoints.
std::string default_endpoint(otlp_protocol protocol, otlp::signal signal);

class export_core {
 public:
  export_core(const otlp_exporter_options& options, otlp::signal signal);

  // The encode buffer: overwritten by each export, capacity kept.
  std::string& body() noexcept { return body_; }
  otlp_protocol protocol() const noexcept { return options_.protocol; }

  // Sends body() holding `items` items with retries, by min(deadline, now + timeout),
  // and counts the outcome.
  export_result send(uint64_t items, steady_time deadline) noexcept;
  // Counts `items` as failed because they could not be encoded (out of memory).
  export_result encode_failed(uint64_t items) noexcept;
  // True (and the items counted as failed) when the exporter is shut down.
  bool refuse_after_shutdown(uint64_t items) noexcept;
  // Later exports fail at once; a backoff wait in progress ends now.
  sdk_result shutdown() noexcept;

  const std::shared_ptr<stats_block>& stats() const noexcept { return stats_; }

 private:
  void handle_response(const send_outcome& outcome, uint64_t items) noexcept;
  // Reports the concatenation of `parts` (strings and integers); a message that cannot be
  // built (out of memory) is dropped.
  template <class... Parts>
  void report(diag_level level, const Parts&... parts) noexcept {
    try {
      std::string message;
      (append(message, parts), ...);
      report_message(level, message);
    } catch (...) {
    }
  }
  static void append(std::string& m, std::string_view s) { m += s; }
  static void append(std::string& m, uint64_t n) { m += std::to_string(n); }
  void report_message(diag_level level, std::string_view message) noexcept;
  // Sleeps until `until` or shutdown; false on shutdown.
  bool wait_before_retry(steady_time until) noexcept;

  otlp_exporter_options options_;
  retry_policy policy_;
  std::shared_ptr<stats_block> stats_;
  std::unique_ptr<transport> transport_;  // null when the options cannot work
  std::string body_;
  std::minstd_rand jitter_;
  bool partial_success_reported_ = false;  // only the export thread touches it

  std::mutex mutex_;  // guards the shutdown wait
  std::condition_variable wake_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace agtel::exporter::otlp_detail
