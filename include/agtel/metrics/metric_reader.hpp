// Metric readers: how collected data leaves a meter provider.
//
//  - pull_metric_reader collects on demand. The Prometheus endpoint holds one and calls
//    collect() on every scrape.
//  - periodic_metric_reader collects on its own thread every `interval` and hands the
//    result to a metric_exporter (OTLP, console, in-memory…).
//
// A reader is registered with exactly one meter_provider (meter_provider_options::readers)
// and keeps its own temporality and its own accumulation state: a delta reader and a
// cumulative reader on the same provider each see correct data.
//
// A collection reads every instrument's series without a global lock: recorders keep
// recording while it runs (each series is read with atomic loads or swaps; a histogram
// series is locked only for the few nanoseconds its cell is swapped). Observable
// callbacks run on the collecting thread, one after the other; see meter.hpp for what
// happens when one throws or is slow.
//
// Thread-safe: collect() calls on one reader are serialized; different readers collect in
// parallel.
#pragma once

#include <chrono>
#include <memory>

#include "agtel/common/result.hpp"
#include "agtel/metrics/metric_data.hpp"
#include "agtel/metrics/metric_exporter.hpp"

namespace agtel::metrics {

namespace detail {
struct reader_link;  // the connection between a reader and its provider (SDK internal)
}

class metric_reader {
 public:
  virtual ~metric_reader();
  metric_reader(const metric_reader&) = delete;
  metric_reader& operator=(const metric_reader&) = delete;

  // Collects every instrument of the provider into `out`, reusing its storage (see
  // metric_data.hpp). Returns false, with `out` empty, when the reader is not registered
  // with a live provider or is shut down. The pointers in `out` (resource, scopes) stay
  // valid while the provider lives.
  bool collect(resource_metrics& out) noexcept;

  // The temporality this reader produces for `kind`.
  aggregation_temporality temporality(instrument_kind kind) const noexcept;

  // Pull reader: nothing buffered, returns ok. Periodic reader: collects and exports now.
  virtual sdk_result force_flush(
      std::chrono::milliseconds timeout = std::chrono::seconds(5)) noexcept;
  // Later collect() calls return false. Periodic reader: a last collection and export
  // first, then the exporter's shutdown; all within `timeout`.
  virtual sdk_result shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(5)) noexcept;
  bool is_shutdown() const noexcept;

  // For the SDK: the link to the provider (set when the provider registers the reader).
  detail::reader_link& link() noexcept { return *link_; }

 protected:
  explicit metric_reader(temporality_selector temporality);
  // For readers whose temporality comes from elsewhere (an exporter's preference).
  void set_temporality(instrument_kind kind, aggregation_temporality t) noexcept;
  std::shared_ptr<detail::reader_link> shared_link() const noexcept { return link_; }

 private:
  std::shared_ptr<detail::reader_link> link_;
};

// Collects when asked (a Prometheus scrape). Cumulative by default.
class pull_metric_reader final : public metric_reader {
 public:
  explicit pull_metric_reader(temporality_selector temporality = cumulative_temporality)
      : metric_reader(temporality) {}
};

// Defaults are the spec's.
struct periodic_metric_reader_options {
  std::chrono::milliseconds interval{60000};  // OTEL_METRIC_EXPORT_INTERVAL
  std::chrono::milliseconds timeout{30000};   // OTEL_METRIC_EXPORT_TIMEOUT (per export)
};

// The options with OTEL_METRIC_EXPORT_INTERVAL / OTEL_METRIC_EXPORT_TIMEOUT applied (in
// milliseconds). A value that is not a positive integer is reported through the
// diagnostic handler and the default is kept.
periodic_metric_reader_options periodic_metric_reader_options_from_env();

// Collects every `interval` on its own thread and exports with a deadline of `timeout`.
// The temporality is the exporter's preference. force_flush and shutdown return by their
// timeout even if the exporter hangs (the hung export is left to finish on the thread).
// Export outcomes are counted in stats().
class periodic_metric_reader final : public metric_reader {
 public:
  // Invalid options (zero or negative durations) are corrected and reported, never thrown.
  periodic_metric_reader(std::unique_ptr<metric_exporter> exporter,
                         periodic_metric_reader_options options = {});
  ~periodic_metric_reader() override;  // shuts down (5 s) if not done yet

  sdk_result force_flush(
      std::chrono::milliseconds timeout = std::chrono::seconds(5)) noexcept override;
  sdk_result shutdown(
      std::chrono::milliseconds timeout = std::chrono::seconds(5)) noexcept override;

  struct stats {
    uint64_t exports_ok = 0;
    uint64_t exports_failed = 0;  // failure or timeout
  };
  stats export_stats() const noexcept;
  const periodic_metric_reader_options& options() const noexcept;

  struct state;  // shared with the export thread

 private:
  std::shared_ptr<state> state_;
};

}  // namespace agtel::metrics
