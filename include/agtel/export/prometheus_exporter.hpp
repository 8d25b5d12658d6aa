// The Prometheus pull endpoint: a built-in HTTP server that answers each scrape with the
// provider's metrics in Prometheus text format 0.0.4, or in OpenMetrics 1.0 text when the
// scraper asks for it.
//
//   auto prom = std::make_shared<agtel::exporter::prometheus_exporter>(
//       agtel::exporter::prometheus_exporter_options_from_env());
//   agtel::metrics::meter_provider_options opts;
//   opts.readers.push_back(prom->reader());           // a cumulative pull reader
//   auto provider = std::make_shared<agtel::metrics::meter_provider>(std::move(opts));
//   prom->start();                                    // listens on 127.0.0.1:9464/metrics
//
// One scrape: the server thread collects through the pull reader (recorders are never
// blocked, see metric_reader.hpp), renders the collection into a reused buffer, and sends
// it (gzip when the scraper accepts it). Collections are serialized; concurrent scrapes
// wait for each other, never for recorders.
//
// Translation follows the OpenTelemetry "Prometheus and OpenMetrics Compatibility" spec:
//  - names: characters outside [a-zA-Z0-9_] become `_`, a leading digit gets a `_` prefix,
//    runs of `_` collapse to one; the unit is appended (s → `_seconds`, By → `_bytes`,
//    1 → `_ratio` for gauges, `{token}` annotations dropped, `a/b` → `a_per_b`) unless the
//    name already ends with it; monotonic sums get `_total`.
//    gen_ai.client.operation.duration (s) → gen_ai_client_operation_duration_seconds.
//  - where the spec would break Prometheus's naming rules, agtel follows Prometheus, so
//    that `promtool check metrics` finds nothing to say about any output: values are
//    exposed in base units (ms → `_seconds` with values ÷1000, KiBy → `_bytes` ×1024,
//    h → `_seconds` ×3600; histogram bounds, sums and exemplars alike); metric and label
//    names are lower snake_case (`tokensIn` → `tokens_in`) with no `:`; name words promlint
//    reserves (type words like `_gauge`, abbreviated units like `_ms`, non-base units like
//    `_minutes`, and `_total`/`_count`/`_sum`/`_bucket` at the end of a family of another
//    type) are left out. See src/export/prometheus/names.hpp for the exact rules.
//  - types: monotonic cumulative sums → counter; non-monotonic sums and gauges → gauge;
//    histograms → `_bucket{le=…}` (cumulative, ending at `+Inf`), `_count`, and `_sum`
//    (left out when the histogram saw negative values, per the spec). Delta data cannot be
//    exposed and is dropped with a diagnostic; the exporter's own reader is cumulative.
//  - exponential histograms: text formats have no native histograms, so each point is
//    converted to explicit buckets at its own scale (`le` = the upper bound of each
//    exponential bucket, negative buckets and the zero bucket included). Counts and sums
//    stay exact; quantiles are as precise as the scale. Set
//    `exponential_histograms = false` to drop them (with a diagnostic) instead.
//  - labels: attribute keys sanitized like names; keys that collide after sanitizing are
//    merged into one label whose values are joined by `;` in the order of the original
//    keys. An attribute that would clash with a label the exporter adds (`le`, `quantile`
//    — on every family —, `otel_scope_name`, `otel_scope_version`) is renamed
//    `exported_<key>`.
//    Non-string values are written as in JSON (arrays as JSON arrays). Invalid UTF-8
//    becomes U+FFFD; `\`, `"` and newlines are escaped.
//  - every sample carries `otel_scope_name` (and `otel_scope_version` when not empty);
//    scope attributes are not exported (no `otel_scope_info`).
//  - `target_info` (an info metric in OpenMetrics, a gauge of 1 in text) carries the
//    resource attributes.
//  - HELP is the description, or the instrument's own name when it has none (promtool
//    flags a missing HELP). Families sharing a name across scopes are merged (first HELP
//    wins); a metric whose name clashes with a family of another type is dropped and
//    reported.
//  - OpenMetrics only: `# UNIT`, `_created` samples, exemplars (trace_id/span_id) on
//    histogram buckets and counters, and the closing `# EOF`.
// `promtool check metrics` (Prometheus 2.42) finds nothing to say about this output; the
// peer test tests/peers/prometheus checks it for every unit of the agent catalogue and for
// hostile names. (A counter with `total_suffix = false` is the one exception, by request.)
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "agtel/metrics/metric_data.hpp"
#include "agtel/metrics/metric_reader.hpp"

namespace agtel::exporter {

enum class prometheus_format : uint8_t {
  text,         // Prometheus text exposition format 0.0.4
  openmetrics,  // OpenMetrics 1.0 text
};

// The Content-Type of a response in `format`, e.g. "text/plain; version=0.0.4; charset=utf-8".
std::string_view prometheus_content_type(prometheus_format format) noexcept;

struct prometheus_exposition_options {
  bool target_info = true;             // the target_info metric from the resource
  bool scope_labels = true;            // otel_scope_name / otel_scope_version on every sample
  // `_seconds`, `_bytes`, … (and OpenMetrics # UNIT), values converted to the base unit.
  // false: names without the unit, values as recorded.
  bool unit_suffixes = true;
  bool total_suffix = true;            // `_total` on counters
  bool exponential_histograms = true;  // convert to explicit buckets; false: drop
  // Also put `job` (service.namespace/service.name) and `instance` (service.instance.id)
  // on target_info, as the spec asks of the Collector's exporters. Off by default: for an
  // SDK endpoint Prometheus sets job and instance itself and would rename these to
  // exported_job / exported_instance.
  bool job_instance_labels = false;
};

// Renders collected metrics as an exposition. Keeps scratch state (name translations,
// label buffers) between calls so that a steady scrape allocates little. Not thread-safe:
// one serializer per thread, or a lock around it.
class prometheus_serializer {
 public:
  explicit prometheus_serializer(prometheus_exposition_options options = {});
  ~prometheus_serializer();
  prometheus_serializer(const prometheus_serializer&) = delete;
  prometheus_serializer& operator=(const prometheus_serializer&) = delete;

  // Appends the exposition of `batch` to `out` (OpenMetrics output ends with "# EOF\n").
  void serialize(const metrics::resource_metrics& batch, prometheus_format format,
                 std::string& out);

  struct state;

 private:
  std::unique_ptr<state> state_;
};

struct prometheus_exporter_options {
  std::string host = "127.0.0.1";  // OTEL_EXPORTER_PROMETHEUS_HOST
  uint16_t port = 9464;            // OTEL_EXPORTER_PROMETHEUS_PORT; 0 picks a free port
  std::string path = "/metrics";   // any other path answers 404, any method but GET/HEAD 405
  prometheus_exposition_options exposition{};
  bool openmetrics = true;  // answer OpenMetrics when the Accept header asks; false: always text
  bool gzip = true;         // compress when the scraper sends Accept-Encoding: gzip
  // Scrapes served at once; more connections wait in the kernel's accept queue.
  unsigned worker_threads = 2;
  // A client that has not sent its whole request (or read the answer) within this time is
  // disconnected, so a slow or idle client holds a worker at most this long.
  std::chrono::milliseconds io_timeout{5000};
};

// `base` with OTEL_EXPORTER_PROMETHEUS_HOST and OTEL_EXPORTER_PROMETHEUS_PORT applied. An
// empty host or a port that is not an integer in 0..65535 is reported through the
// diagnostic handler and the base value is kept.
prometheus_exporter_options prometheus_exporter_options_from_env(
    prometheus_exporter_options base = {});

struct prometheus_exporter_stats {
  uint64_t scrapes = 0;         // answered with 200
  uint64_t failed_scrapes = 0;  // 503: the reader is not registered or is shut down
  uint64_t rejected = 0;        // 404 and 405 answers
};

class prometheus_exporter {
 public:
  explicit prometheus_exporter(prometheus_exporter_options options = {});
  ~prometheus_exporter();  // stops the server
  prometheus_exporter(const prometheus_exporter&) = delete;
  prometheus_exporter& operator=(const prometheus_exporter&) = delete;

  // The cumulative pull reader to register with the meter provider.
  std::shared_ptr<metrics::metric_reader> reader() const noexcept;

  // Binds and starts serving on a thread of its own. Returns false (and reports why) when
  // the address cannot be bound or the server already runs.
  bool start() noexcept;
  // The bound port (useful with port 0), or 0 when not serving.
  uint16_t port() const noexcept;
  // Stops serving; in-flight scrapes finish first. Safe to call more than once.
  void stop() noexcept;

  // One scrape without HTTP: collects through the reader and appends the exposition to
  // `out`. False when the reader is not registered with a live provider.
  bool scrape(prometheus_format format, std::string& out) noexcept;

  prometheus_exporter_stats stats() const noexcept;
  const prometheus_exporter_options& options() const noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace agtel::exporter
