// OTLP exporters for the three signals, over HTTP/protobuf (the spec's default),
// HTTP/JSON or gRPC.
//
//   agtel::exporter::otlp_exporter_options o;          // or from sdk_config / OTEL_EXPORTER_OTLP_*
//   o.protocol = agtel::exporter::otlp_protocol::grpc;
//   o.endpoint = "http://collector:4317";
//   auto spans = agtel::exporter::make_otlp_span_exporter(o);
//
// Each export sends one request and waits at most the export timeout (and never past the
// caller's deadline), retrying only answers the spec calls retryable (HTTP 429, 502, 503,
// 504, a refused or reset connection; gRPC UNAVAILABLE, RESOURCE_EXHAUSTED with RetryInfo,
// ...) with exponential backoff and jitter, honouring Retry-After / RetryInfo. A partial
// success is not retried: its rejected count is added to the stats and the first message
// an exporter gets is reported through the SDK's diagnostics (later ones are only counted).
// Nothing throws; the exporters are used from the processors' background threads, never
// from the application's. shutdown interrupts a backoff wait; later exports fail at once.
//
// Self-telemetry: otlp_stats(exporter) reads the counts; observe_otlp_exporter exports
// them as metrics.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agtel/export/span_exporter.hpp"
#include "agtel/logs/log_record_exporter.hpp"
#include "agtel/metrics/metric_exporter.hpp"

namespace agtel::metrics {
class meter_provider;
}

namespace agtel::exporter {

// OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf", "http/json", "grpc".
enum class otlp_protocol : uint8_t { http_protobuf, http_json, grpc };

struct otlp_exporter_options {
  otlp_protocol protocol = otlp_protocol::http_protobuf;
  // The signal's full URL for HTTP ("http://localhost:4318/v1/traces"); scheme, host and
  // port for gRPC ("http://localhost:4317"). Empty: the spec's default for the protocol
  // and signal. https selects TLS.
  std::string endpoint;
  // Sent with every request (HTTP headers / gRPC metadata), e.g. {"authorization", "Bearer …"}.
  std::vector<std::pair<std::string, std::string>> headers;
  bool gzip = false;                         // OTEL_EXPORTER_OTLP_COMPRESSION=gzip
  std::chrono::milliseconds timeout{10000};  // per export, retries included
  // TLS: PEM files; empty means the system's trust store and no client certificate.
  std::string certificate_file;         // trusted CA(s) for the server
  std::string client_key_file;          // mTLS
  std::string client_certificate_file;  // mTLS
  // gRPC only: plaintext for an endpoint given without a scheme
  // (OTEL_EXPORTER_OTLP_INSECURE); http:// is always plaintext, https:// always TLS.
  bool insecure = false;
  // Backoff between retries: initial, multiplied each attempt, capped; each wait is
  // jittered by ±20% and no retry starts past the timeout.
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{5000};
  double backoff_multiplier = 1.5;
  int max_attempts = 5;  // first try included
};

// The exporter's own counts ("items" are spans, metric data points or log records).
// Every item handed to export_* ends in exactly one of exported_items, rejected_items and
// the failed_* counts, once its export has finished (retries included).
struct otlp_exporter_stats {
  uint64_t exported_items = 0;        // accepted by the server
  uint64_t rejected_items = 0;        // rejected by the server in a partial success
  uint64_t failed_timeout = 0;        // no answer before the export's deadline
  uint64_t failed_unavailable = 0;    // retryable failures (no connection, 429, 503, ...) until
                                      // the attempts or the time for another one ran out
  uint64_t failed_non_retryable = 0;  // an answer the spec forbids retrying (400, 413, ...)
  uint64_t failed_shutdown = 0;       // handed in after shutdown, or while it cut an export short
  uint64_t requests = 0;              // requests sent, retries included
  uint64_t retries = 0;               // of those, retries
  uint64_t bytes_sent = 0;            // request bodies on the wire, after compression

  uint64_t failed_items() const noexcept {
    return failed_timeout + failed_unavailable + failed_non_retryable + failed_shutdown;
  }
};

// The counts of one exporter. Shared: the exporter and anyone who holds the pointer keep
// it alive, so it can be read (and observed as metrics) after the exporter is gone.
// Thread-safe; reads are relaxed snapshots.
class otlp_exporter_stats_source {
 public:
  virtual ~otlp_exporter_stats_source() = default;
  virtual otlp_exporter_stats stats() const noexcept = 0;
  // The semantic conventions' names: otel.component.type ("otlp_http_span_exporter",
  // "otlp_http_json_metric_exporter", "otlp_grpc_log_exporter", ...), otel.component.name
  // (the type, '/', a number unique in the process) and the item word of the metric names
  // ("span", "metric_data_point", "log").
  virtual std::string_view component_type() const noexcept = 0;
  virtual std::string_view component_name() const noexcept = 0;
  virtual std::string_view item_kind() const noexcept = 0;
};

std::unique_ptr<span_exporter> make_otlp_span_exporter(const otlp_exporter_options& options);
// `temporality`: OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE (cumulative, delta,
// lowmemory) as a selector from agtel/metrics/metric_exporter.hpp.
std::unique_ptr<metrics::metric_exporter> make_otlp_metric_exporter(
    const otlp_exporter_options& options,
    metrics::temporality_selector temporality = metrics::cumulative_temporality);
std::unique_ptr<logs::log_record_exporter> make_otlp_log_exporter(
    const otlp_exporter_options& options);

// The counts of an exporter made by the factories above; nullptr for any other exporter.
// Take it before handing the exporter to a processor or reader.
std::shared_ptr<const otlp_exporter_stats_source> otlp_stats(const span_exporter& e) noexcept;
std::shared_ptr<const otlp_exporter_stats_source> otlp_stats(
    const metrics::metric_exporter& e) noexcept;
std::shared_ptr<const otlp_exporter_stats_source> otlp_stats(
    const logs::log_record_exporter& e) noexcept;

// Exports an exporter's counts as metrics through `provider`, as observable counters on
// the meter "agtel.sdk", named after the OpenTelemetry SDK self-metrics conventions
// (semconv otel/sdk-metrics), each with otel.component.type and otel.component.name:
//   otel.sdk.exporter.{span|metric_data_point|log}.exported   {span|data_point|log_record}
//       items whose export finished; failures carry error.type: rejected (partial success),
//       timeout, unavailable, non_retryable, shutdown (the stats fields of those names);
//       successes carry none.
//   agtel.sdk.exporter.requests {request}, agtel.sdk.exporter.retries {request},
//   agtel.sdk.exporter.sent {By}   (no convention names these yet)
// The callbacks hold `source` as long as the provider lives. Returns false (nothing
// registered) when `source` is null or the provider is shut down.
bool observe_otlp_exporter(metrics::meter_provider& provider,
                           std::shared_ptr<const otlp_exporter_stats_source> source);

}  // namespace agtel::exporter
