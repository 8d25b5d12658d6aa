// From the layered OTLP settings of sdk_config to one exporter's options (the spec's
// "OTLP Exporter Configuration": per-signal over generic over defaults).
#include <string>

#include "agtel/sdk/config.hpp"

namespace agtel {
namespace {

std::string_view signal_path(telemetry_signal s) noexcept {
  switch (s) {
    case telemetry_signal::traces:
      return "v1/traces";
    case telemetry_signal::metrics:
      return "v1/metrics";
    case telemetry_signal::logs:
      return "v1/logs";
  }
  return "v1/traces";
}

const sdk_config::otlp_settings& layer(const sdk_config& c, telemetry_signal s) noexcept {
  switch (s) {
    case telemetry_signal::traces:
      return c.otlp_traces;
    case telemetry_signal::metrics:
      return c.otlp_metrics;
    case telemetry_signal::logs:
      return c.otlp_logs;
  }
  return c.otlp_traces;
}

template <class T>
void pick(T& out, const std::optional<T>& specific, const std::optional<T>& generic) {
  if (specific)
    out = *specific;
  else if (generic)
    out = *generic;
}

}  // namespace

exporter::otlp_exporter_options otlp_options_for(const sdk_config& c, telemetry_signal signal) {
  const sdk_config::otlp_settings& own = layer(c, signal);
  const sdk_config::otlp_settings& all = c.otlp;
  exporter::otlp_exporter_options o;
  pick(o.protocol, own.protocol, all.protocol);
  pick(o.headers, own.headers, all.headers);
  pick(o.gzip, own.gzip, all.gzip);
  pick(o.timeout, own.timeout, all.timeout);
  pick(o.certificate_file, own.certificate_file, all.certificate_file);
  pick(o.client_key_file, own.client_key_file, all.client_key_file);
  pick(o.client_certificate_file, own.client_certificate_file, all.client_certificate_file);
  pick(o.insecure, own.insecure, all.insecure);
  if (own.endpoint) {
    o.endpoint = *own.endpoint;  // the signal's full URL, as is
  } else if (all.endpoint) {
    // The spec: for OTLP/HTTP the generic endpoint is a base URL, and the signal's path is
    // appended relative to it ("http://h:4318" and "http://h:4318/" → .../v1/traces;
    // "http://h/prefix" → .../prefix/v1/traces). gRPC takes it as is.
    o.endpoint = *all.endpoint;
    if (o.protocol != exporter::otlp_protocol::grpc) {
      if (!o.endpoint.ends_with('/')) o.endpoint += '/';
      o.endpoint += signal_path(signal);
    }
  }
  return o;
}

metrics::temporality_selector temporality_for(sdk_config::temporality_preference p) noexcept {
  switch (p) {
    case sdk_config::temporality_preference::delta:
      return metrics::delta_temporality;
    case sdk_config::temporality_preference::lowmemory:
      return metrics::low_memory_temporality;
    case sdk_config::temporality_preference::cumulative:
      break;
  }
  return metrics::cumulative_temporality;
}

std::string_view to_string(exporter::otlp_protocol p) noexcept {
  switch (p) {
    case exporter::otlp_protocol::http_protobuf:
      return "http/protobuf";
    case exporter::otlp_protocol::http_json:
      return "http/json";
    case exporter::otlp_protocol::grpc:
      return "grpc";
  }
  return "?";
}

}  // namespace agtel
