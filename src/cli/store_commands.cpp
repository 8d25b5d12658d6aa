#include "store_commands.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "clear_command.hpp"
#include "export/console/format.hpp"
#include "export/console/text.hpp"
#include "otlp/codec.hpp"
#include "output.hpp"
#include "sdk/common/detail/ascii.hpp"
#include "store/store.hpp"
#include "table.hpp"
#include "time_text.hpp"

namespace agtel::cli {
namespace {

std::string bytes_text(uint64_t n) {
  char buf[32];
  if (n < 1024) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(n));
  } else {
    static constexpr const char* units[] = {"KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(n) / 1024;
    size_t u = 0;
    for (; v >= 1024 && u + 1 < std::size(units); ++u) v /= 1024;
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  }
  return buf;
}

std::string duration_text(uint64_t ns) {
  std::string out;
  exporter::console::append_duration(out, ns);
  return out;
}

std::string service_of(const agtel::resource* r) {
  if (r == nullptr) return {};
  const attribute_value* v = r->attributes.find("service.name");
  const auto* s = v ? std::get_if<std::string>(v) : nullptr;
  return s ? *s : std::string();
}

// A log body or other attribute value as one line of text.
std::string value_text(const attribute_value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) {
          return x;
        } else if constexpr (std::is_same_v<T, bool>) {
          return x ? "true" : "false";
        } else if constexpr (std::is_arithmetic_v<T>) {
          return std::to_string(x);
        } else {
          std::string out = "[";
          for (size_t i = 0; i < x.size(); ++i) {
            if (i > 0) out += ", ";
            if constexpr (std::is_same_v<typename T::value_type, std::string>)
              out += x[i];
            else if constexpr (std::is_same_v<typename T::value_type, bool>)
              out += x[i] ? "true" : "false";
            else
              out += std::to_string(x[i]);
          }
          return out + "]";
        }
      },
      v);
}

bool parse_severity(std::string_view text, logs::severity& out) {
  static constexpr std::pair<std::string_view, logs::severity> names[] = {
      {"trace", logs::severity::trace},  {"debug", logs::severity::debug},
      {"info", logs::severity::info},    {"warn", logs::severity::warn},
      {"warning", logs::severity::warn}, {"error", logs::severity::error},
      {"fatal", logs::severity::fatal}};
  for (const auto& [name, s] : names)
    if (agtel::detail::iequals(text, name)) {
      out = s;
      return true;
    }
  unsigned n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > 24) return false;
  out = static_cast<logs::severity>(n);
  return true;
}

CLI::Validator duration_check() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        uint64_t ns;
        if (parse_duration_ns(value, ns)) return {};
        return "expected a duration such as 250ms, 1.5s or 2m, got '" + value + "'";
      },
      "DURATION");
}

}  // namespace

CLI::Validator time_point_check() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        timestamp_ns t;
        if (parse_time_point(value, realtime_ns(), t)) return {};
        return "expected a duration before now (90s, 15m, 2h, 7d) or an RFC 3339 time "
               "(2026-11-23T16:05:00Z), got '" +
               value + "'";
      },
      "TIME");
}

std::string default_db_path() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && xdg[0] == '/')
    return std::string(xdg) + "/agtel/agtel.db";
  if (const char* home = std::getenv("HOME"); home != nullptr && home[0] != '\0')
    return std::string(home) + "/.local/share/agtel/agtel.db";
  return "agtel.db";
}

struct store_commands::state {
  std::string db = default_db_path();
  bool json = false;
  CLI::App* status = nullptr;
  CLI::App* traces = nullptr;
  CLI::App* trace = nullptr;
  CLI::App* logs = nullptr;
  std::unique_ptr<clear_command> clear;  // `agtel clear`: clear_command.hpp

  // traces
  store::trace_query tq;
  std::vector<std::string> attributes;
  std::string min_duration, max_duration, status_filter, since, until;
  // trace
  std::string trace_id;
  // logs
  store::log_query lq;
  std::string severity, log_trace;

  std::unique_ptr<store::reader> open() {
    std::string error;
    auto r = store::reader::open(db, error);
    if (!r) fail(error);
    return r;
  }

  int run_status();
  int run_traces();
  int run_trace();
  int run_logs();
};

store_commands::store_commands(CLI::App& app) : s_(std::make_unique<state>()) {
  auto common = [&](CLI::App* cmd) {
    cmd->add_option("--db", s_->db, "The store's database file")->capture_default_str();
    cmd->add_flag("--json", s_->json, "JSON for scripts instead of a table");
  };
  auto time_range = [&](CLI::App* cmd, std::string& since, std::string& until) {
    cmd->add_option("--since", since, "From this time: 15m (ago) or an RFC 3339 time")
        ->check(time_point_check());
    cmd->add_option("--until", until, "Up to this time: 5m (ago) or an RFC 3339 time")
        ->check(time_point_check());
  };

  s_->status = app.add_subcommand("status", "What the store holds: size, counts, time span");
  common(s_->status);

  s_->traces = app.add_subcommand("traces", "Find traces in the store, newest first");
  common(s_->traces);
  s_->traces->add_option("--service", s_->tq.service, "Service name (resource service.name)");
  s_->traces->add_option("--name", s_->tq.span_name, "A span of the trace has this name");
  s_->traces
      ->add_option("--attr", s_->attributes, "KEY=VALUE: a span of the trace has this attribute")
      ->check(CLI::Validator(
          [](std::string& v) -> std::string {
            const size_t eq = v.find('=');
            return eq == std::string::npos || eq == 0 ? "expected KEY=VALUE, got '" + v + "'"
                                                      : std::string();
          },
          "KEY=VALUE"));
  s_->traces->add_option("--min-duration", s_->min_duration, "At least this long (e.g. 2s)")
      ->check(duration_check());
  s_->traces->add_option("--max-duration", s_->max_duration, "At most this long")
      ->check(duration_check());
  s_->traces->add_option("--status", s_->status_filter, "error: a span of the trace failed")
      ->check(CLI::IsMember({"error"}));
  time_range(s_->traces, s_->since, s_->until);
  s_->traces->add_option("--limit", s_->tq.limit, "At most this many traces")
      ->check(CLI::Range(size_t{1}, size_t{100000}))
      ->capture_default_str();

  s_->trace = app.add_subcommand("trace", "One trace as a tree: durations, status, tokens");
  common(s_->trace);
  s_->trace->add_option("id", s_->trace_id, "The trace id (32 hex characters)")->required();

  s_->logs = app.add_subcommand("logs", "Find log records in the store, newest first");
  common(s_->logs);
  s_->logs
      ->add_option("--severity", s_->severity,
                   "At least this severity: trace, debug, info, warn, error, fatal or 1-24")
      ->check(CLI::Validator(
          [](std::string& v) -> std::string {
            logs::severity s;
            return parse_severity(v, s) ? std::string()
                                        : "expected a severity name or number, got '" + v + "'";
          },
          "SEVERITY"));
  s_->logs->add_option("--trace", s_->log_trace, "Records emitted inside this trace")
      ->check(CLI::Validator(
          [](std::string& v) -> std::string {
            return trace::trace_id::from_hex(v) ? std::string()
                                                : "expected 32 hex characters, got '" + v + "'";
          },
          "TRACE_ID"));
  s_->logs->add_option("--grep", s_->lq.text, "The body contains this text");
  s_->logs->add_option("--service", s_->lq.service, "Service name (resource service.name)");
  time_range(s_->logs, s_->since, s_->until);
  s_->logs->add_option("--limit", s_->lq.limit, "At most this many records")
      ->check(CLI::Range(size_t{1}, size_t{1000000}))
      ->capture_default_str();

  s_->clear = std::make_unique<clear_command>(app);
}

store_commands::~store_commands() = default;

std::optional<int> store_commands::run() {
  if (*s_->status) return s_->run_status();
  if (*s_->traces) return s_->run_traces();
  if (*s_->trace) return s_->run_trace();
  if (*s_->logs) return s_->run_logs();
  if (auto code = s_->clear->run()) return code;
  return std::nullopt;
}

int store_commands::state::run_status() {
  auto r = open();
  if (!r) return failed;
  store::store_status st;
  std::string error;
  if (!r->status(st, error)) return fail(error);
  if (json) {
    std::string out =
        "{\"path\":" + json_string(st.path) + ",\"fileBytes\":" + std::to_string(st.file_bytes) +
        ",\"schemaVersion\":" + std::to_string(st.schema_version) +
        ",\"spans\":" + std::to_string(st.spans) + ",\"traces\":" + std::to_string(st.traces) +
        ",\"logs\":" + std::to_string(st.logs) + ",\"metrics\":" + std::to_string(st.metrics) +
        ",\"metricSeries\":" + std::to_string(st.metric_series) +
        ",\"metricPoints\":" + std::to_string(st.metric_points);
    if (st.first_ns != 0) out += ",\"firstTime\":" + json_string(format_utc(st.first_ns));
    if (st.last_ns != 0) out += ",\"lastTime\":" + json_string(format_utc(st.last_ns));
    print(out + "}\n");
    return found;
  }
  std::string out = "store   " + st.path + "\n";
  out += "size    " + bytes_text(st.file_bytes) + " (schema " + std::to_string(st.schema_version) +
         ")\n";
  out += "spans   " + std::to_string(st.spans) + " in " + std::to_string(st.traces) + " traces\n";
  out += "logs    " + std::to_string(st.logs) + "\n";
  out += "metrics " + std::to_string(st.metrics) + " in " + std::to_string(st.metric_series) +
         " series, " + std::to_string(st.metric_points) + " points\n";
  if (st.first_ns != 0)
    out += "from    " + format_utc(st.first_ns) + "\nto      " + format_utc(st.last_ns) + "\n";
  print(out);
  return found;
}

int store_commands::state::run_traces() {
  const timestamp_ns now = realtime_ns();
  if (!since.empty()) parse_time_point(since, now, tq.since_ns);
  if (!until.empty()) parse_time_point(until, now, tq.until_ns);
  uint64_t ns;
  if (!min_duration.empty() && parse_duration_ns(min_duration, ns)) tq.min_duration_ns = ns;
  if (!max_duration.empty() && parse_duration_ns(max_duration, ns)) tq.max_duration_ns = ns;
  if (status_filter == "error") tq.status = trace::status_code::error;
  for (const std::string& a : attributes) {
    const size_t eq = a.find('=');
    tq.attributes.emplace_back(a.substr(0, eq), a.substr(eq + 1));
  }
  auto r = open();
  if (!r) return failed;
  std::vector<store::trace_summary> found_traces;
  std::string error;
  if (!r->find_traces(tq, found_traces, error)) return fail(error);

  if (json) {
    std::string out = "[";
    for (const auto& t : found_traces) {
      if (out.size() > 1) out += ',';
      out += "{\"traceId\":\"" + t.id.to_hex() + "\",\"rootName\":" + json_string(t.root_name) +
             ",\"service\":" + json_string(t.service) +
             ",\"startTime\":" + json_string(format_utc(t.start_ns)) +
             ",\"durationNs\":" + std::to_string(t.duration_ns) +
             ",\"spans\":" + std::to_string(t.spans) + ",\"errors\":" + std::to_string(t.errors) +
             ",\"inputTokens\":" + std::to_string(t.input_tokens) +
             ",\"outputTokens\":" + std::to_string(t.output_tokens) + "}";
    }
    print(out + "]\n");
  } else if (!found_traces.empty()) {
    table t({{"START"},
             {"TRACE ID"},
             {"ROOT"},
             {"SERVICE"},
             {"DURATION", table::align::right},
             {"SPANS", table::align::right},
             {"ERRORS", table::align::right},
             {"TOKENS IN/OUT", table::align::right}});
    for (const auto& s : found_traces) {
      const bool tokens = s.input_tokens > 0 || s.output_tokens > 0;
      t.add_row(
          {format_utc(s.start_ns), s.id.to_hex(), s.root_name, s.service,
           duration_text(s.duration_ns), std::to_string(s.spans), std::to_string(s.errors),
           tokens ? std::to_string(s.input_tokens) + "/" + std::to_string(s.output_tokens) : "-"});
    }
    print(t.render());
  }
  if (found_traces.empty()) {
    if (!json) std::fprintf(stderr, "agtel: no trace matches\n");
    return none;
  }
  return found;
}

int store_commands::state::run_trace() {
  const auto id = trace::trace_id::from_hex(trace_id);
  if (!id || !id->is_valid())
    return fail("'" + trace_id + "' is not a trace id (32 hex characters, not all zero)");
  auto r = open();
  if (!r) return failed;
  otlp::trace_batch batch;
  std::string error;
  if (!r->read_trace(*id, batch, error)) return fail(error);
  if (batch.spans.empty()) {
    std::fprintf(stderr, "agtel: trace %s is not in the store\n", trace_id.c_str());
    return none;
  }
  std::string out;
  if (json) {
    otlp::encode_traces_json(batch.spans, out);
    out += '\n';
  } else {
    exporter::console::tree_style style;
    style.color = isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
    exporter::console::append_tree(out, batch.spans, style);
  }
  print(out);
  return found;
}

int store_commands::state::run_logs() {
  const timestamp_ns now = realtime_ns();
  if (!since.empty()) parse_time_point(since, now, lq.since_ns);
  if (!until.empty()) parse_time_point(until, now, lq.until_ns);
  logs::severity sev;
  if (!severity.empty() && parse_severity(severity, sev)) lq.min_severity = sev;
  if (!log_trace.empty()) lq.trace = trace::trace_id::from_hex(log_trace);
  auto r = open();
  if (!r) return failed;
  otlp::log_batch batch;
  std::string error;
  if (!r->find_logs(lq, batch, error)) return fail(error);
  if (json) {
    std::string out;
    if (!batch.records.empty())
      otlp::encode_logs_json(batch.records, out);
    else
      out = "{}";
    print(out + "\n");
  } else if (!batch.records.empty()) {
    table t({{"TIME"}, {"SEVERITY"}, {"SERVICE"}, {"TRACE ID"}, {"BODY", table::align::left, 200}});
    for (const auto& rec : batch.records) {
      std::string sev_text(logs::short_name(rec->severity_number));
      if (sev_text.empty()) sev_text = rec->severity_text;
      t.add_row({format_utc(rec->time != 0 ? rec->time : rec->observed_time), sev_text,
                 service_of(rec->resource), rec->trace_id.is_valid() ? rec->trace_id.to_hex() : "",
                 rec->has_body ? value_text(rec->body) : ""});
    }
    print(t.render());
  }
  if (batch.records.empty()) {
    if (!json) std::fprintf(stderr, "agtel: no log record matches\n");
    return none;
  }
  return found;
}

}  // namespace agtel::cli
