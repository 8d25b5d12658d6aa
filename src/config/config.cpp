// The configuration's shared parts: value parsers, the numeric settings table, names, and
// load_config (the defaults -> file -> environment chain).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "config/config_internal.hpp"
#include "export/console/text.hpp"
#include "sdk/common/detail/ascii.hpp"

namespace agtel {
namespace config_detail {

namespace {

using kind = numeric_setting::kind;
using std::chrono::milliseconds;

constexpr uint64_t max_spans = 1 << 20;

uint64_t ms(milliseconds d) {
  return static_cast<uint64_t>(d.count());
}
milliseconds to_ms(uint64_t v) {
  return milliseconds(static_cast<milliseconds::rep>(v));
}
// The timeout a layer of OTLP settings has, falling back to `generic`, then the default.
uint64_t otlp_timeout(const sdk_config::otlp_settings& s,
                      const sdk_config::otlp_settings* generic = nullptr) {
  if (s.timeout) return ms(*s.timeout);
  if (generic != nullptr && generic->timeout) return ms(*generic->timeout);
  return ms(exporter::otlp_exporter_options{}.timeout);
}

}  // namespace

std::string printable(std::string_view s, size_t max_bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  size_t i = 0;
  while (i < s.size() && i < max_bytes) {
    auto c = static_cast<unsigned char>(s[i]);
    const auto seq = exporter::console::next_utf8_sequence(s.substr(i));
    const size_t n = seq.valid ? seq.length : 0;
    if (n == 0 || c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
      ++i;
    } else if (i + n > max_bytes) {
      break;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  if (i < s.size()) out += "...";
  return out;
}

bool iequals(std::string_view a, std::string_view b) noexcept { return detail::iequals(a, b); }

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) noexcept { return detail::trim(s); }

bool valid_utf8(std::string_view s) noexcept { return exporter::console::is_valid_utf8(s); }

std::optional<uint64_t> parse_uint(std::string_view s) noexcept {
  if (s.empty()) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string format_ratio(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  // Prefer the shortest form that reads back as the same value ("0.25", not "0.2500...01").
  for (int precision = 1; precision < 17; ++precision) {
    char shorter[32];
    std::snprintf(shorter, sizeof shorter, "%.*g", precision, v);
    if (std::strtod(shorter, nullptr) == v) return shorter;
  }
  return buf;
}

std::optional<double> parse_probability(std::string_view s) noexcept {
  if (s.empty()) return std::nullopt;
  // Plain decimal notation only: from_chars would also take "inf", "nan" and hex floats.
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'))
      return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  if (v < 0.0 || v > 1.0) return std::nullopt;
  return v;
}

std::optional<sdk_config::sampler_kind> parse_sampler(std::string_view s) noexcept {
  using k = sdk_config::sampler_kind;
  for (k v : {k::always_on, k::always_off, k::traceidratio, k::parentbased_always_on,
              k::parentbased_always_off, k::parentbased_traceidratio})
    if (iequals(s, to_string(v))) return v;
  return std::nullopt;
}

std::optional<sdk_config::exporter_kind> parse_exporter(std::string_view s) noexcept {
  using k = sdk_config::exporter_kind;
  for (k v : {k::console, k::otlp, k::prometheus, k::jsonl})
    if (iequals(s, to_string(v))) return v;
  return std::nullopt;
}

std::optional<exporter::otlp_protocol> parse_protocol(std::string_view s) noexcept {
  using p = exporter::otlp_protocol;
  for (p v : {p::http_protobuf, p::http_json, p::grpc})
    if (iequals(s, to_string(v))) return v;
  return std::nullopt;
}

std::optional<bool> parse_compression(std::string_view s) noexcept {
  if (iequals(s, "gzip")) return true;
  if (iequals(s, "none")) return false;
  return std::nullopt;
}

std::optional<metrics::exemplar_filter> parse_exemplar_filter(std::string_view s) noexcept {
  using f = metrics::exemplar_filter;
  if (iequals(s, "trace_based")) return f::trace_based;
  if (iequals(s, "always_on")) return f::always_on;
  if (iequals(s, "always_off")) return f::always_off;
  return std::nullopt;
}

std::optional<sdk_config::temporality_preference> parse_temporality(std::string_view s) noexcept {
  using t = sdk_config::temporality_preference;
  for (t v : {t::cumulative, t::delta, t::lowmemory})
    if (iequals(s, to_string(v))) return v;
  return std::nullopt;
}

namespace {
// UTF-8 text with no byte at or below ' ' and no DEL.
bool clean_token(std::string_view s) noexcept {
  if (s.empty() || !valid_utf8(s)) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
}
}  // namespace

bool valid_endpoint(std::string_view s) noexcept {
  const bool url =
      (s.starts_with("http://") && s.size() > 7) || (s.starts_with("https://") && s.size() > 8);
  return url && clean_token(s);
}

bool valid_host(std::string_view s) noexcept {
  return clean_token(s);
}

std::optional<sdk_config::console_format> parse_console_format(std::string_view s) noexcept {
  using f = sdk_config::console_format;
  for (f v : {f::tree, f::json})
    if (iequals(s, to_string(v))) return v;
  return std::nullopt;
}

std::span<const numeric_setting> numeric_settings() noexcept {
  // Queue and batch sizes must be positive (the spec), and are capped at 2^20 spans because
  // the batch processor allocates both up front (a 2^31 queue would be 32 GiB); everything
  // else may be 0. The general attribute limits come first so that the span-specific
  // variables override them.
  static const numeric_setting table[] = {
      {"OTEL_ATTRIBUTE_COUNT_LIMIT", "", kind::integer, 0, max_integer,
       [](const sdk_config& c) -> uint64_t { return c.limits.attribute_count; },
       [](sdk_config& c, uint64_t v) {
         c.limits.attribute_count = v;
         c.limits.attributes_per_event = v;
         c.limits.attributes_per_link = v;
         c.log_limits.attribute_count = v;
       }},
      {"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "", kind::integer, 0, max_integer,
       [](const sdk_config& c) -> uint64_t { return c.limits.attribute_value_length; },
       [](sdk_config& c, uint64_t v) {
         c.limits.attribute_value_length = v;
         c.log_limits.attribute_value_length = v;
       }},
      {"OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT", "logs.limits.attribute_count", kind::integer, 0,
       max_integer, [](const sdk_config& c) -> uint64_t { return c.log_limits.attribute_count; },
       [](sdk_config& c, uint64_t v) { c.log_limits.attribute_count = v; }},
      {"OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT", "logs.limits.attribute_value_length",
       kind::integer, 0, max_integer,
       [](const sdk_config& c) -> uint64_t { return c.log_limits.attribute_value_length; },
       [](sdk_config& c, uint64_t v) { c.log_limits.attribute_value_length = v; }},
      {"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "traces.limits.attribute_count", kind::integer, 0,
       max_integer, [](const sdk_config& c) -> uint64_t { return c.limits.attribute_count; },
       [](sdk_config& c, uint64_t v) { c.limits.attribute_count = v; }},
      {"OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "traces.limits.attribute_value_length",
       kind::integer, 0, max_integer,
       [](const sdk_config& c) -> uint64_t { return c.limits.attribute_value_length; },
       [](sdk_config& c, uint64_t v) { c.limits.attribute_value_length = v; }},
      {"OTEL_SPAN_EVENT_COUNT_LIMIT", "traces.limits.event_count", kind::integer, 0, max_integer,
       [](const sdk_config& c) -> uint64_t { return c.limits.event_count; },
       [](sdk_config& c, uint64_t v) { c.limits.event_count = v; }},
      {"OTEL_SPAN_LINK_COUNT_LIMIT", "traces.limits.link_count", kind::integer, 0, max_integer,
       [](const sdk_config& c) -> uint64_t { return c.limits.link_count; },
       [](sdk_config& c, uint64_t v) { c.limits.link_count = v; }},
      {"OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "traces.limits.attributes_per_event", kind::integer, 0,
       max_integer, [](const sdk_config& c) -> uint64_t { return c.limits.attributes_per_event; },
       [](sdk_config& c, uint64_t v) { c.limits.attributes_per_event = v; }},
      {"OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "traces.limits.attributes_per_link", kind::integer, 0,
       max_integer, [](const sdk_config& c) -> uint64_t { return c.limits.attributes_per_link; },
       [](sdk_config& c, uint64_t v) { c.limits.attributes_per_link = v; }},
      {"OTEL_BSP_SCHEDULE_DELAY", "traces.batch.schedule_delay_ms", kind::duration, 0, max_integer,
       [](const sdk_config& c) { return ms(c.batch.schedule_delay); },
       [](sdk_config& c, uint64_t v) { c.batch.schedule_delay = to_ms(v); }},
      {"OTEL_BSP_EXPORT_TIMEOUT", "traces.batch.export_timeout_ms", kind::timeout, 0, max_integer,
       [](const sdk_config& c) { return ms(c.batch.export_timeout); },
       [](sdk_config& c, uint64_t v) { c.batch.export_timeout = to_ms(v); }},
      {"OTEL_BSP_MAX_QUEUE_SIZE", "traces.batch.max_queue_size", kind::integer, 1, max_spans,
       [](const sdk_config& c) -> uint64_t { return c.batch.max_queue_size; },
       [](sdk_config& c, uint64_t v) { c.batch.max_queue_size = v; }},
      {"OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "traces.batch.max_export_batch_size", kind::integer, 1,
       max_spans, [](const sdk_config& c) -> uint64_t { return c.batch.max_export_batch_size; },
       [](sdk_config& c, uint64_t v) { c.batch.max_export_batch_size = v; }},
      {"OTEL_BLRP_SCHEDULE_DELAY", "logs.batch.schedule_delay_ms", kind::duration, 0, max_integer,
       [](const sdk_config& c) { return ms(c.log_batch.schedule_delay); },
       [](sdk_config& c, uint64_t v) { c.log_batch.schedule_delay = to_ms(v); }},
      {"OTEL_BLRP_EXPORT_TIMEOUT", "logs.batch.export_timeout_ms", kind::timeout, 0, max_integer,
       [](const sdk_config& c) { return ms(c.log_batch.export_timeout); },
       [](sdk_config& c, uint64_t v) { c.log_batch.export_timeout = to_ms(v); }},
      {"OTEL_BLRP_MAX_QUEUE_SIZE", "logs.batch.max_queue_size", kind::integer, 1, max_spans,
       [](const sdk_config& c) -> uint64_t { return c.log_batch.max_queue_size; },
       [](sdk_config& c, uint64_t v) { c.log_batch.max_queue_size = v; }},
      {"OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "logs.batch.max_export_batch_size", kind::integer, 1,
       max_spans, [](const sdk_config& c) -> uint64_t { return c.log_batch.max_export_batch_size; },
       [](sdk_config& c, uint64_t v) { c.log_batch.max_export_batch_size = v; }},
      {"OTEL_METRIC_EXPORT_INTERVAL", "metrics.export_interval_ms", kind::duration, 1, max_integer,
       [](const sdk_config& c) { return ms(c.metric_export_interval); },
       [](sdk_config& c, uint64_t v) { c.metric_export_interval = to_ms(v); }},
      {"OTEL_METRIC_EXPORT_TIMEOUT", "metrics.export_timeout_ms", kind::timeout, 0, max_integer,
       [](const sdk_config& c) { return ms(c.metric_export_timeout); },
       [](sdk_config& c, uint64_t v) { c.metric_export_timeout = to_ms(v); }},
      {"OTEL_EXPORTER_PROMETHEUS_PORT", "metrics.prometheus.port", kind::integer, 0, 65535,
       [](const sdk_config& c) -> uint64_t { return c.prometheus_port; },
       [](sdk_config& c, uint64_t v) { c.prometheus_port = static_cast<uint16_t>(v); }},
      {"OTEL_EXPORTER_OTLP_TIMEOUT", "otlp.timeout_ms", kind::timeout, 0, max_integer,
       [](const sdk_config& c) { return otlp_timeout(c.otlp); },
       [](sdk_config& c, uint64_t v) { c.otlp.timeout = to_ms(v); }},
      {"OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "otlp.traces.timeout_ms", kind::timeout, 0, max_integer,
       [](const sdk_config& c) { return otlp_timeout(c.otlp_traces, &c.otlp); },
       [](sdk_config& c, uint64_t v) { c.otlp_traces.timeout = to_ms(v); }},
      {"OTEL_EXPORTER_OTLP_METRICS_TIMEOUT", "otlp.metrics.timeout_ms", kind::timeout, 0,
       max_integer, [](const sdk_config& c) { return otlp_timeout(c.otlp_metrics, &c.otlp); },
       [](sdk_config& c, uint64_t v) { c.otlp_metrics.timeout = to_ms(v); }},
      {"OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "otlp.logs.timeout_ms", kind::timeout, 0, max_integer,
       [](const sdk_config& c) { return otlp_timeout(c.otlp_logs, &c.otlp); },
       [](sdk_config& c, uint64_t v) { c.otlp_logs.timeout = to_ms(v); }},
      // A file of at least 1 KiB (a smaller cap would put every batch in its own file), at
      // most 1 TiB; at most 2^31-1 files (0: keep all); rotation by age in ms (0: none).
      {"AGTEL_JSONL_MAX_FILE_BYTES", "jsonl.max_file_bytes", kind::integer, 1024, uint64_t{1} << 40,
       [](const sdk_config& c) -> uint64_t { return c.jsonl.max_file_bytes; },
       [](sdk_config& c, uint64_t v) { c.jsonl.max_file_bytes = v; }},
      {"AGTEL_JSONL_MAX_FILES", "jsonl.max_files", kind::integer, 0, max_integer,
       [](const sdk_config& c) -> uint64_t { return c.jsonl.max_files; },
       [](sdk_config& c, uint64_t v) { c.jsonl.max_files = static_cast<uint32_t>(v); }},
      {"AGTEL_JSONL_ROTATE_INTERVAL", "jsonl.rotate_interval_ms", kind::duration, 0, max_integer,
       [](const sdk_config& c) { return ms(c.jsonl.rotate_interval); },
       [](sdk_config& c, uint64_t v) { c.jsonl.rotate_interval = to_ms(v); }},
  };
  return table;
}

std::optional<uint64_t> check_numeric(const numeric_setting& s, std::string_view where,
                                      std::string_view name, std::string_view text,
                                      const sdk_config& current) {
  const char* unit = s.type == kind::integer ? "" : " ms";
  auto v = parse_uint(text);
  if (v && *v >= s.min && *v <= s.max) {
    if (s.type == kind::timeout && *v == 0) return max_integer;  // 0 = no limit (the spec)
    return v;
  }
  std::string msg(where);
  msg.append(name).append(": ");
  if (v || (text.size() > 1 && text[0] == '-' && parse_uint(text.substr(1)))) {
    msg += "out of range, got '" + printable(text) + "' (valid: " + std::to_string(s.min) + " to " +
           std::to_string(s.max) + unit + ")";
  } else {
    msg += s.min > 0 ? "expected a positive integer" : "expected a non-negative integer";
    if (s.type != kind::integer) msg += " of milliseconds";
    msg += ", got '" + printable(text) + "'";
  }
  uint64_t keep = s.get(current);
  msg += "; using " + (keep == SIZE_MAX ? std::string("no limit") : std::to_string(keep) + unit);
  report(diag_level::warning, msg);
  return std::nullopt;
}

void add_name(std::vector<std::string>& names, std::string_view name) {
  std::string n = to_lower(name);
  for (const auto& existing : names)
    if (existing == n) return;
  names.push_back(std::move(n));
}

std::vector<std::string> parse_name_list(std::string_view s) {
  std::vector<std::string> names;
  while (!s.empty()) {
    size_t comma = s.find(',');
    std::string_view item = trim(s.substr(0, comma));
    if (!item.empty()) add_name(names, item);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return names;
}

bool apply_exporter_names(std::span<const std::string> names, std::string_view where,
                          std::string_view name, std::vector<sdk_config::exporter_kind>& out,
                          telemetry_signal signal) {
  const bool pull_allowed = signal == telemetry_signal::metrics;
  std::vector<sdk_config::exporter_kind> chosen;
  bool none = false;
  for (const auto& n : names) {
    auto k = parse_exporter(n);
    if (k == sdk_config::exporter_kind::prometheus && !pull_allowed) k.reset();
    if (iequals(n, "none")) {
      none = true;
    } else if (k) {
      bool dup = false;
      for (auto c : chosen) dup = dup || c == *k;
      if (!dup) chosen.push_back(*k);
    } else {
      report(diag_level::warning, std::string(where) + std::string(name) + ": unknown exporter '" +
                                      printable(n) + "' (agtel has: otlp, jsonl, console, " +
                                      (pull_allowed ? "prometheus, " : "") + "none); ignored");
    }
  }
  if (none && !chosen.empty()) {
    report(diag_level::warning, std::string(where) + std::string(name) +
                                    ": 'none' listed with other exporters; 'none' ignored");
  }
  if (chosen.empty() && !none) return false;
  out = std::move(chosen);
  return true;
}

void report(diag_level level, std::string_view message) noexcept {
  detail::diag(level, component, message);
}

}  // namespace config_detail

std::string_view to_string(sdk_config::sampler_kind k) noexcept {
  using s = sdk_config::sampler_kind;
  switch (k) {
    case s::always_on:
      return "always_on";
    case s::always_off:
      return "always_off";
    case s::traceidratio:
      return "traceidratio";
    case s::parentbased_always_on:
      return "parentbased_always_on";
    case s::parentbased_always_off:
      return "parentbased_always_off";
    case s::parentbased_traceidratio:
      return "parentbased_traceidratio";
  }
  return "?";
}

std::string_view to_string(sdk_config::exporter_kind k) noexcept {
  switch (k) {
    case sdk_config::exporter_kind::console:
      return "console";
    case sdk_config::exporter_kind::otlp:
      return "otlp";
    case sdk_config::exporter_kind::prometheus:
      return "prometheus";
    case sdk_config::exporter_kind::jsonl:
      return "jsonl";
  }
  return "?";
}

std::string_view to_string(sdk_config::temporality_preference p) noexcept {
  switch (p) {
    case sdk_config::temporality_preference::cumulative:
      return "cumulative";
    case sdk_config::temporality_preference::delta:
      return "delta";
    case sdk_config::temporality_preference::lowmemory:
      return "lowmemory";
  }
  return "?";
}

std::string_view to_string(sdk_config::console_format f) noexcept {
  switch (f) {
    case sdk_config::console_format::tree:
      return "tree";
    case sdk_config::console_format::json:
      return "json";
  }
  return "?";
}

sdk_config load_config(std::optional<std::filesystem::path> yaml_file) noexcept {
  sdk_config config;
  try {
    if (!yaml_file) {
      const char* env = std::getenv("AGTEL_CONFIG_FILE");
      if (env && *env) yaml_file = std::filesystem::path(env);
    }
    if (yaml_file) {
      if (auto from_file = config_from_yaml_file(*yaml_file, config))
        config = std::move(*from_file);
    }
  } catch (...) {
    config_detail::report(diag_level::error, "out of memory reading the configuration file");
  }
  return config_from_env(std::move(config));
}

}  // namespace agtel
