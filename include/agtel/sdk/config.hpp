// The SDK's configuration: one plain struct, filled from three layers, each overriding
// the one before it key by key:
//
//   code defaults (this struct)  <  YAML file  <  OTEL_* environment variables
//
//   agtel::sdk_config cfg = agtel::load_config();      // defaults, AGTEL_CONFIG_FILE, env
//   cfg.service_name = "planner";                       // or adjust in code, then
//   agtel::sdk::init(cfg);                              // (agtel/sdk/init.hpp)
//
// Nothing here throws. A bad value (an unparseable number, an unknown sampler, a YAML key
// of the wrong type) is reported through the diagnostic handler with the name of the
// variable or key, the bad value and what is used instead, and that one setting keeps the
// value of the layer below; the rest of the configuration still applies.
//
// Environment variables follow the OpenTelemetry rules: an empty value is the same as
// unset; enum values are case-insensitive; booleans are true only for "true"
// (case-insensitive); numbers are decimal integers in [0, 2^31-1] (durations and timeouts
// in milliseconds); OTEL_RESOURCE_ATTRIBUTES is `key=value,...` with percent-encoding, and
// is ignored as a whole if any entry is invalid.
//
// The YAML file mirrors the struct; every key has an environment variable (in brackets
// where the name is not obvious), and the variable wins where both are set:
//
//   disabled: false
//   service: { name: coder, attributes: { deployment.environment.name: prod } }
//   traces:
//     sampler: { name: parentbased_traceidratio, arg: 0.25 }
//     exporter: console                     # or a list: [console, otlp]; none for no exporter
//     console: { format: tree }             # tree | json   [AGTEL_CONSOLE_FORMAT]
//     batch: { schedule_delay_ms: 5000, export_timeout_ms: 30000, max_queue_size: 2048,
//              max_export_batch_size: 512 }                        [OTEL_BSP_*]
//     limits: { attribute_count: 128, attribute_value_length: 4096, event_count: 128,
//               link_count: 128, attributes_per_event: 128, attributes_per_link: 128 }
//   metrics:
//     exporter: [otlp, prometheus]          # otlp, prometheus, jsonl, console, none
//     export_interval_ms: 60000             # [OTEL_METRIC_EXPORT_INTERVAL]
//     export_timeout_ms: 30000              # [OTEL_METRIC_EXPORT_TIMEOUT]
//     exemplar_filter: trace_based          # trace_based | always_on | always_off
//     temporality_preference: cumulative    # cumulative | delta | lowmemory
//                                           # [OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE]
//     prometheus: { host: 127.0.0.1, port: 9464 }   # [OTEL_EXPORTER_PROMETHEUS_HOST/_PORT]
//   logs:
//     exporter: otlp                        # otlp, jsonl, console, none
//     batch: { schedule_delay_ms: 1000, export_timeout_ms: 30000, max_queue_size: 2048,
//              max_export_batch_size: 512 }                        [OTEL_BLRP_*]
//     limits: { attribute_count: 128, attribute_value_length: 4096 }
//                                           # [OTEL_LOGRECORD_ATTRIBUTE_*_LIMIT]
//   otlp:                                   # [OTEL_EXPORTER_OTLP_*]
//     protocol: http/protobuf               # http/protobuf | http/json | grpc
//     endpoint: http://collector:4318       # a base URL (see the endpoint rule below)
//     headers: { authorization: Bearer abc }
//     compression: gzip                     # gzip | none
//     timeout_ms: 10000
//     certificate: /etc/ca.pem              # also client_key, client_certificate
//     insecure: false
//     traces: { endpoint: http://tempo:4318/v1/traces }   # the same keys per signal:
//     metrics: { timeout_ms: 5000 }                        # [OTEL_EXPORTER_OTLP_<SIGNAL>_*]
//     logs: { protocol: grpc }
//   jsonl:                                  # the jsonl exporters' files   [AGTEL_JSONL_*]
//     directory: /var/log/agent             # [AGTEL_JSONL_DIRECTORY]
//     max_file_bytes: 67108864              # [AGTEL_JSONL_MAX_FILE_BYTES]
//     max_files: 10                         # per signal; 0: no limit   [AGTEL_JSONL_MAX_FILES]
//     rotate_interval_ms: 3600000           # 0: no rotation by age [AGTEL_JSONL_ROTATE_INTERVAL]
//   propagators: [tracecontext, baggage]
//
// Exporters, per signal (OTEL_{TRACES,METRICS,LOGS}_EXPORTER, a comma-separated list):
//   otlp (the default for all three), jsonl (JSON-lines files, agtel/export/jsonl_exporter.hpp),
//   console (traces; for metrics and logs agtel has no console exporter yet, which init
//   reports), prometheus (metrics only: a pull endpoint), none.
// Other variables:
//   OTEL_METRICS_EXEMPLAR_FILTER    trace_based (default), always_on, always_off
//   OTEL_EXPORTER_OTLP_{ENDPOINT, PROTOCOL, HEADERS, COMPRESSION, TIMEOUT, CERTIFICATE,
//     CLIENT_KEY, CLIENT_CERTIFICATE, INSECURE}, and each per signal as
//     OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_<same>: the per-signal value wins. The
//     generic ENDPOINT is a base URL: for HTTP "/v1/<signal>" is appended; a per-signal
//     ENDPOINT is the full URL, used as is (gRPC endpoints are used as is either way).
//   OTEL_ATTRIBUTE_{COUNT,VALUE_LENGTH}_LIMIT   the general limits, for spans and log records,
//     under the specific OTEL_SPAN_* and OTEL_LOGRECORD_* ones.
//
// Unknown keys are reported (a typo must not silently do nothing) and ignored.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agtel/common/attribute.hpp"
#include "agtel/export/jsonl_exporter.hpp"
#include "agtel/export/otlp_exporter.hpp"
#include "agtel/logs/batch_log_record_processor.hpp"
#include "agtel/logs/log_record_limits.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/span_limits.hpp"

namespace agtel {

struct sdk_config {
  // The spec's sampler names (OTEL_TRACES_SAMPLER).
  enum class sampler_kind {
    always_on,
    always_off,
    traceidratio,
    parentbased_always_on,
    parentbased_always_off,
    parentbased_traceidratio,
  };
  // prometheus: metrics only (a pull endpoint). jsonl: JSON-lines files for any signal.
  enum class exporter_kind { console, otlp, prometheus, jsonl };
  enum class console_format { tree, json };

  // OTEL_SDK_DISABLED / `disabled`: init installs nothing (the API stays no-op).
  bool disabled = false;

  // OTEL_SERVICE_NAME / `service.name`. Empty: the resource's default,
  // "unknown_service:<executable>". Wins over a service.name resource attribute.
  std::string service_name;
  // OTEL_RESOURCE_ATTRIBUTES / `service.attributes`: string-valued resource attributes,
  // merged over the SDK's default resource. The environment's entries are merged over the
  // file's, key by key.
  attribute_list resource_attributes;

  // OTEL_TRACES_SAMPLER / `traces.sampler.name`.
  sampler_kind sampler = sampler_kind::parentbased_always_on;
  // OTEL_TRACES_SAMPLER_ARG / `traces.sampler.arg`: the probability, in [0, 1], used by
  // the two traceidratio samplers (ignored by the others).
  double sampler_ratio = 1.0;

  // OTEL_TRACES_EXPORTER / `traces.exporter`: each gets its own batch processor. Empty
  // means "none". otlp is the spec's default; a build without the OTLP exporter reports
  // that at init and exports nothing for it.
  std::vector<exporter_kind> traces_exporters = {exporter_kind::otlp};
  // AGTEL_CONSOLE_FORMAT / `traces.console.format`: a span tree per trace for people, or
  // one JSON object per span for tools.
  console_format console = console_format::tree;

  // OTEL_BSP_* / `traces.batch.*`.
  trace::batch_span_processor_options batch;
  // OTEL_SPAN_*_LIMIT, OTEL_{EVENT,LINK}_ATTRIBUTE_COUNT_LIMIT, and the general
  // OTEL_ATTRIBUTE_{COUNT,VALUE_LENGTH}_LIMIT under them / `traces.limits.*`.
  trace::span_limits limits;

  // OTEL_PROPAGATORS / `propagators`: lower-case names, duplicates removed, in order.
  std::vector<std::string> propagators = {"tracecontext", "baggage"};

  // ---- Metrics ----
  // OTEL_METRICS_EXPORTER / `metrics.exporter`: otlp and jsonl get a periodic reader each,
  // prometheus a pull endpoint. Empty means "none".
  std::vector<exporter_kind> metrics_exporters = {exporter_kind::otlp};
  // OTEL_METRIC_EXPORT_INTERVAL / OTEL_METRIC_EXPORT_TIMEOUT (the periodic readers') /
  // `metrics.export_{interval,timeout}_ms`.
  std::chrono::milliseconds metric_export_interval{60000};
  std::chrono::milliseconds metric_export_timeout{30000};
  // OTEL_METRICS_EXEMPLAR_FILTER / `metrics.exemplar_filter`.
  metrics::exemplar_filter exemplar_filter = metrics::exemplar_filter::trace_based;
  // OTEL_EXPORTER_PROMETHEUS_HOST / _PORT / `metrics.prometheus.{host,port}` (0: a free port).
  std::string prometheus_host = "127.0.0.1";
  uint16_t prometheus_port = 9464;
  // OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE / `metrics.temporality_preference`;
  // the jsonl metric exporter follows it too.
  enum class temporality_preference { cumulative, delta, lowmemory };
  temporality_preference metrics_temporality = temporality_preference::cumulative;

  // ---- Logs ----
  // OTEL_LOGS_EXPORTER / `logs.exporter`: each gets its own batch processor. Empty means
  // "none" (then no logger provider is installed and loggers stay disabled).
  std::vector<exporter_kind> logs_exporters = {exporter_kind::otlp};
  // OTEL_BLRP_* / `logs.batch.*`.
  logs::batch_log_record_processor_options log_batch;
  // OTEL_LOGRECORD_ATTRIBUTE_{COUNT,VALUE_LENGTH}_LIMIT, and the general OTEL_ATTRIBUTE_*
  // under them / `logs.limits.*`.
  logs::log_record_limits log_limits;

  // ---- JSON lines ----
  // AGTEL_JSONL_{DIRECTORY, MAX_FILE_BYTES, MAX_FILES, ROTATE_INTERVAL} / `jsonl.*`: the
  // files of every jsonl exporter (each signal writes its own files in the directory).
  exporter::jsonl_exporter_options jsonl;

  // ---- OTLP ----
  // One layer of OTLP settings; an unset field falls back to the generic layer, then to
  // exporter::otlp_exporter_options' defaults.
  struct otlp_settings {
    std::optional<exporter::otlp_protocol> protocol;
    std::optional<std::string> endpoint;
    std::optional<std::vector<std::pair<std::string, std::string>>> headers;
    std::optional<bool> gzip;
    std::optional<std::chrono::milliseconds> timeout;
    std::optional<std::string> certificate_file;
    std::optional<std::string> client_key_file;
    std::optional<std::string> client_certificate_file;
    std::optional<bool> insecure;
  };
  otlp_settings otlp;          // OTEL_EXPORTER_OTLP_*          / `otlp.*`
  otlp_settings otlp_traces;   // OTEL_EXPORTER_OTLP_TRACES_*   / `otlp.traces.*`
  otlp_settings otlp_metrics;  // OTEL_EXPORTER_OTLP_METRICS_*  / `otlp.metrics.*`
  otlp_settings otlp_logs;     // OTEL_EXPORTER_OTLP_LOGS_*     / `otlp.logs.*`
};

enum class telemetry_signal { traces, metrics, logs };

// The OTLP exporter options for one signal: per-signal settings over the generic ones over
// the defaults, with the endpoint rule above. An unset endpoint stays empty (the
// exporter's default for the protocol and signal).
exporter::otlp_exporter_options otlp_options_for(const sdk_config& config, telemetry_signal signal);
// The temporality selector of config.metrics_temporality.
metrics::temporality_selector temporality_for(sdk_config::temporality_preference p) noexcept;

// `base` with every OTEL_* (and AGTEL_CONSOLE_FORMAT, AGTEL_JSONL_*) variable that is set
// applied on top.
sdk_config config_from_env(sdk_config base = {}) noexcept;

// `base` with the file's settings applied on top. nullopt (and a diagnostic naming the file,
// line and column) when the file cannot be read or is not YAML at all; bad individual keys
// only cost their own setting. Files over 1 MiB, and documents nested deeper than 64
// levels, are refused.
std::optional<sdk_config> config_from_yaml_file(const std::filesystem::path& path,
                                                sdk_config base = {}) noexcept;
std::optional<sdk_config> config_from_yaml_string(std::string_view yaml,
                                                  sdk_config base = {}) noexcept;

// The whole chain: defaults, then the YAML file (`yaml_file`, else the AGTEL_CONFIG_FILE
// variable, else none), then the environment. A file that cannot be used is reported and
// skipped: the environment still applies.
sdk_config load_config(std::optional<std::filesystem::path> yaml_file = std::nullopt) noexcept;

// The configuration spellings ("parentbased_traceidratio", "console", "json", "delta").
std::string_view to_string(sdk_config::sampler_kind k) noexcept;
std::string_view to_string(sdk_config::exporter_kind k) noexcept;
std::string_view to_string(sdk_config::console_format f) noexcept;
std::string_view to_string(sdk_config::temporality_preference p) noexcept;
std::string_view to_string(exporter::otlp_protocol p) noexcept;  // "http/protobuf", ...

}  // namespace agtel
