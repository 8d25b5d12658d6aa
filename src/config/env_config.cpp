// The environment layer: OTEL_* variables (and AGTEL_CONSOLE_FORMAT, AGTEL_JSONL_*) over a
// base config,
// parsed by the rules of the OpenTelemetry environment variable specification.
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "config/config_internal.hpp"

namespace agtel {
namespace {

using namespace config_detail;

// The variable's value, trimmed; nullopt when unset or empty (the spec: empty == unset).
std::optional<std::string_view> env(const char* name) noexcept {
  const char* v = std::getenv(name);
  if (!v) return std::nullopt;
  std::string_view s = trim(v);
  if (s.empty()) return std::nullopt;
  return s;
}

void warn(std::string_view name, const std::string& problem) {
  report(diag_level::warning, std::string(name) + ": " + problem);
}

// Percent-decodes one key or value of OTEL_RESOURCE_ATTRIBUTES. nullopt for a '%' not
// followed by two hex digits, a raw control character, or a result that is not UTF-8.
std::optional<std::string> percent_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return std::nullopt;
    if (c != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;  // truncated escape
    int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi << 4 | lo);
    i += 2;
  }
  if (!valid_utf8(out)) return std::nullopt;
  return out;
}

// OTEL_RESOURCE_ATTRIBUTES: "key=value,key2=value2", keys and values percent-encoded
// (',' and '=' must be; others may be), whitespace around each trimmed, all values strings.
// The spec: "In case of any error ... the entire environment variable value SHOULD be
// discarded and an error SHOULD be reported". So this returns nullopt after reporting the
// first invalid entry, by its key when it has one. Empty entries (",,", a trailing comma)
// carry nothing and are skipped. A '=' inside a value is taken literally: splitting at the
// first '=' is unambiguous, and it is what other SDKs do.
// OTEL_EXPORTER_OTLP_*HEADERS use the same W3C-baggage-like format and rules.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_key_value_list(
    std::string_view name, std::string_view text) {
  const std::string discarded = "; the whole variable is ignored";
  std::vector<std::pair<std::string, std::string>> out;
  std::string_view rest = text;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view entry = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (entry.empty()) continue;
    size_t eq = entry.find('=');
    if (eq == std::string_view::npos) {
      warn(name, "entry '" + printable(entry) + "' has no '='" + discarded);
      return std::nullopt;
    }
    std::string_view raw_key = trim(entry.substr(0, eq));
    std::string_view raw_value = trim(entry.substr(eq + 1));
    if (raw_key.empty()) {
      warn(name, "entry '" + printable(entry) + "' has an empty key" + discarded);
      return std::nullopt;
    }
    auto key = percent_decode(raw_key);
    if (!key || key->empty()) {
      warn(name,
           "key '" + printable(raw_key) + "' is not valid percent-encoded UTF-8 text" + discarded);
      return std::nullopt;
    }
    auto value = percent_decode(raw_value);
    if (!value) {
      warn(name, "the value of '" + printable(*key) + "' ('" + printable(raw_value) +
                     "') is not valid percent-encoded UTF-8 text" + discarded);
      return std::nullopt;
    }
    out.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

bool is_ratio(sdk_config::sampler_kind k) {
  return k == sdk_config::sampler_kind::traceidratio ||
         k == sdk_config::sampler_kind::parentbased_traceidratio;
}

void apply_sampler(sdk_config& out) {
  auto sampler = env("OTEL_TRACES_SAMPLER");
  bool chosen = false;
  if (sampler) {
    if (auto k = parse_sampler(*sampler)) {
      out.sampler = *k;
      chosen = true;
    } else {
      warn("OTEL_TRACES_SAMPLER",
           "unknown sampler '" + printable(*sampler) +
               "' (agtel has: always_on, always_off, traceidratio, parentbased_always_on, "
               "parentbased_always_off, parentbased_traceidratio); using " +
               std::string(to_string(out.sampler)));
    }
  }
  auto arg = env("OTEL_TRACES_SAMPLER_ARG");
  if (!arg) return;
  if (!sampler) {
    // The spec: the argument "will only be used if OTEL_TRACES_SAMPLER is set".
    warn("OTEL_TRACES_SAMPLER_ARG",
         "ignored because OTEL_TRACES_SAMPLER is not set (set both, or use the file's "
         "traces.sampler.arg)");
    return;
  }
  if (!chosen) return;  // the sampler was reported and ignored; its argument goes with it
  if (!is_ratio(out.sampler)) {
    report(diag_level::debug, "OTEL_TRACES_SAMPLER_ARG: ignored; the " +
                                  std::string(to_string(out.sampler)) +
                                  " sampler takes no argument");
    return;
  }
  if (auto p = parse_probability(*arg)) {
    out.sampler_ratio = *p;
  } else {
    warn("OTEL_TRACES_SAMPLER_ARG", "expected a probability between 0 and 1, got '" +
                                        printable(*arg) + "'; using " +
                                        format_ratio(out.sampler_ratio));
  }
}

// OTEL_EXPORTER_OTLP_<signal>* into one layer of settings. `prefix` is
// "OTEL_EXPORTER_OTLP_" or "OTEL_EXPORTER_OTLP_TRACES_" etc. (timeouts are numeric settings).
void apply_otlp_env(const std::string& prefix, sdk_config::otlp_settings& out) {
  const auto var = [&](const char* suffix) { return prefix + suffix; };
  const auto expected = [&](const std::string& n, std::string_view what, std::string_view got) {
    warn(n, "expected " + std::string(what) + ", got '" + printable(got) + "'; ignored");
  };
  if (std::string n = var("PROTOCOL"); auto v = env(n.c_str())) {
    if (auto p = parse_protocol(*v))
      out.protocol = *p;
    else
      expected(n, expected_protocol, *v);
  }
  if (std::string n = var("ENDPOINT"); auto v = env(n.c_str())) {
    if (valid_endpoint(*v))
      out.endpoint = std::string(*v);
    else
      expected(n, "an http:// or https:// URL", *v);
  }
  if (std::string n = var("HEADERS"); auto v = env(n.c_str())) {
    if (auto headers = parse_key_value_list(n, *v)) out.headers = std::move(*headers);
  }
  if (std::string n = var("COMPRESSION"); auto v = env(n.c_str())) {
    if (auto gzip = parse_compression(*v))
      out.gzip = *gzip;
    else
      expected(n, expected_compression, *v);
  }
  const auto path = [&](const char* suffix, std::optional<std::string>& field) {
    std::string n = var(suffix);
    if (auto v = env(n.c_str())) {
      if (valid_utf8(*v))
        field = std::string(*v);
      else
        warn(n, "'" + printable(*v) + "' is not valid UTF-8; ignored");
    }
  };
  path("CERTIFICATE", out.certificate_file);
  path("CLIENT_KEY", out.client_key_file);
  path("CLIENT_CERTIFICATE", out.client_certificate_file);
  if (std::string n = var("INSECURE"); auto v = env(n.c_str())) {
    out.insecure = iequals(*v, "true");
    if (!*out.insecure && !iequals(*v, "false"))
      warn(n, "expected true or false, got '" + printable(*v) + "'; using false");
  }
}

// OTEL_{TRACES,METRICS,LOGS}_EXPORTER into `out`.
void apply_exporters_env(const char* name, telemetry_signal signal,
                         std::vector<sdk_config::exporter_kind>& out) {
  if (auto v = env(name)) {
    auto names = parse_name_list(*v);
    if (!apply_exporter_names(names, "", name, out, signal))
      warn(name, "no usable exporter in '" + printable(*v) + "'; ignored");
  }
}

void apply_metrics_env(sdk_config& out) {
  apply_exporters_env("OTEL_METRICS_EXPORTER", telemetry_signal::metrics, out.metrics_exporters);
  if (auto v = env("OTEL_METRICS_EXEMPLAR_FILTER")) {
    if (auto f = parse_exemplar_filter(*v))
      out.exemplar_filter = *f;
    else
      warn("OTEL_METRICS_EXEMPLAR_FILTER", "expected " + std::string(expected_exemplar_filter) +
                                               ", got '" + printable(*v) + "'; ignored");
  }
  if (auto v = env("OTEL_EXPORTER_PROMETHEUS_HOST")) {
    if (valid_host(*v))
      out.prometheus_host = std::string(*v);
    else
      warn("OTEL_EXPORTER_PROMETHEUS_HOST",
           "'" + printable(*v) + "' is not a host name or address; using " + out.prometheus_host);
  }
  if (auto v = env("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE")) {
    if (auto t = parse_temporality(*v))
      out.metrics_temporality = *t;
    else
      warn("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE",
           "expected " + std::string(expected_temporality) + ", got '" + printable(*v) +
               "'; ignored");
  }
}

void apply_jsonl_env(sdk_config& out) {
  if (auto v = env("AGTEL_JSONL_DIRECTORY")) {
    if (valid_utf8(*v))
      out.jsonl.directory = std::string(*v);
    else
      warn("AGTEL_JSONL_DIRECTORY", "'" + printable(*v) + "' is not valid UTF-8; using " +
                                        printable(out.jsonl.directory, 256));
  }
}

sdk_config apply_env(sdk_config out) {
  if (auto v = env("OTEL_SDK_DISABLED")) {
    // The spec: only "true" (any case) is true; anything else is false, reported unless it
    // is "false".
    out.disabled = iequals(*v, "true");
    if (!out.disabled && !iequals(*v, "false"))
      warn("OTEL_SDK_DISABLED", "expected true or false, got '" + printable(*v) + "'; using false");
  }

  if (auto v = env("OTEL_RESOURCE_ATTRIBUTES")) {
    if (auto attrs = parse_key_value_list("OTEL_RESOURCE_ATTRIBUTES", *v)) {
      for (auto& [key, value] : *attrs) {
        out.resource_attributes.set(key, value);
        // This layer's service.name beats the file's `service.name`; OTEL_SERVICE_NAME
        // (below) beats both.
        if (key == "service.name") out.service_name = value;
      }
    }
  }
  if (auto v = env("OTEL_SERVICE_NAME")) {
    if (valid_utf8(*v))
      out.service_name = std::string(*v);
    else
      warn("OTEL_SERVICE_NAME", "'" + printable(*v) + "' is not valid UTF-8; ignored");
  }

  apply_sampler(out);

  apply_exporters_env("OTEL_TRACES_EXPORTER", telemetry_signal::traces, out.traces_exporters);
  if (auto v = env("AGTEL_CONSOLE_FORMAT")) {
    if (auto f = parse_console_format(*v))
      out.console = *f;
    else
      warn("AGTEL_CONSOLE_FORMAT", "expected tree or json, got '" + printable(*v) + "'; using " +
                                       std::string(to_string(out.console)));
  }
  if (auto v = env("OTEL_PROPAGATORS")) {
    auto names = parse_name_list(*v);
    if (names.empty())
      warn("OTEL_PROPAGATORS", "no propagator named in '" + printable(*v) + "'; ignored");
    else
      out.propagators = std::move(names);
  }

  apply_metrics_env(out);
  apply_exporters_env("OTEL_LOGS_EXPORTER", telemetry_signal::logs, out.logs_exporters);
  apply_jsonl_env(out);
  apply_otlp_env("OTEL_EXPORTER_OTLP_", out.otlp);
  apply_otlp_env("OTEL_EXPORTER_OTLP_TRACES_", out.otlp_traces);
  apply_otlp_env("OTEL_EXPORTER_OTLP_METRICS_", out.otlp_metrics);
  apply_otlp_env("OTEL_EXPORTER_OTLP_LOGS_", out.otlp_logs);

  for (const numeric_setting& s : numeric_settings()) {
    if (s.env.empty()) continue;
    std::string name(s.env);
    if (auto v = env(name.c_str()))
      if (auto n = check_numeric(s, "", s.env, *v, out)) s.set(out, *n);
  }
  return out;
}

}  // namespace

sdk_config config_from_env(sdk_config base) noexcept {
  try {
    return apply_env(base);
  } catch (...) {
    report(diag_level::error, "out of memory reading OTEL_* variables; they are ignored");
    return base;
  }
}

}  // namespace agtel
