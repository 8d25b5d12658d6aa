#include "metric_commands.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <limits>

#include "metric_text.hpp"
#include "output.hpp"
#include "query/query.hpp"
#include "store/store.hpp"
#include "store_commands.hpp"
#include "table.hpp"
#include "time_text.hpp"

namespace agtel::cli {
namespace {

constexpr int64_t max_time = std::numeric_limits<int64_t>::max();

std::string json_number(double v) {
  if (std::isnan(v)) return "null";
  if (std::isinf(v)) return v > 0 ? "\"+Inf\"" : "\"-Inf\"";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string json_labels(const query::label_set& labels) {
  std::string out = "{";
  for (const auto& [k, v] : labels) {
    if (out.size() > 1) out += ',';
    out += json_string(k) + ":" + json_string(v);
  }
  return out + "}";
}

// Edit distance, for "did you mean" (names are short; quadratic is fine).
size_t distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

bool on_terminal() { return isatty(STDOUT_FILENO) == 1; }

}  // namespace

struct metric_commands::state {
  std::string db = default_db_path();
  bool json = false;
  CLI::App* metrics = nullptr;
  CLI::App* query = nullptr;
  CLI::App* stats = nullptr;
  CLI::App* anomalies = nullptr;

  // Shared by query, stats, anomalies.
  std::string metric;
  std::vector<std::string> label_lists;
  std::string range = "1h", since, until;
  // query, anomalies
  std::string agg, interval;
  std::vector<std::string> by;
  bool rate = false;
  size_t moving_average = 0;
  // anomalies
  size_t window = 12;
  double k = 3;

  std::unique_ptr<store::reader> open() {
    std::string error;
    auto r = store::reader::open(db, error);
    if (!r) fail(error);
    return r;
  }

  // The time range from --range / --since / --until.
  bool time_range(int64_t& start, int64_t& end, std::string& error) const {
    const timestamp_ns now = realtime_ns();
    timestamp_ns from = 0, to = now;
    if (!until.empty() && !parse_time_point(until, now, to)) {
      error = "bad --until '" + until + "'";
      return false;
    }
    if (!since.empty()) {
      if (!parse_time_point(since, now, from)) {
        error = "bad --since '" + since + "'";
        return false;
      }
    } else if (!parse_time_point(range, to, from)) {
      error = "bad --range '" + range + "': expected a duration such as 15m, 1h or 7d";
      return false;
    }
    if (from > to) {
      error = "the range starts after it ends";
      return false;
    }
    start = static_cast<int64_t>(std::min<timestamp_ns>(from, max_time));
    end = static_cast<int64_t>(std::min<timestamp_ns>(to + 1, max_time));  // `until` included
    return true;
  }

  // Reads the metric's selected series over [start, end); an unknown metric is an error
  // that names the closest known ones.
  bool read(store::reader& r, int64_t start, int64_t end, query::series_set& out,
            std::string& error) {
    std::vector<query::label_matcher> matchers;
    for (const std::string& list : label_lists)
      if (!parse_label_list(list, matchers, error)) return false;
    query::selector select;
    if (!query::selector::compile(matchers, select, error)) return false;
    if (!r.read_series(
            metric, [&](const query::label_set& l) { return select.matches(l); }, start, end,
            out, error))
      return false;
    if (!out.metric.name.empty()) return true;
    error = "no metric named '" + metric + "' in " + db;
    std::vector<store::metric_entry> all;
    std::string ignored;
    if (r.list_metrics(all, ignored) && !all.empty()) {
      std::sort(all.begin(), all.end(), [&](const auto& a, const auto& b) {
        return distance(a.info.name, metric) < distance(b.info.name, metric);
      });
      error += "; did you mean";
      for (size_t i = 0; i < std::min<size_t>(3, all.size()); ++i)
        error += (i ? ", " : " ") + all[i].info.name;
      error += "? (`agtel metrics` lists them)";
    } else {
      error += " (the store has no metrics yet)";
    }
    return false;
  }

  // The query of `agtel query` / `agtel anomalies` for the metric's kind.
  bool make_query(const query::metric_info& info, int64_t start, int64_t end,
                  query::range_query& q, std::string& error) const {
    q.start_ns = start;
    q.end_ns = end;
    const std::string a = !agg.empty()                                  ? agg
                          : info.kind == query::metric_kind::gauge ||
                                    info.kind == query::metric_kind::up_down
                              ? "avg"
                          : info.kind == query::metric_kind::counter ? "sum"
                                                                     : "p95";
    if (!query::parse_aggregate(a, q.agg, error)) return false;
    uint64_t step = 0;
    if (!interval.empty()) {
      if (!parse_duration_ns(interval, step) || step == 0) {
        error = "bad --interval '" + interval + "': expected a duration such as 30s, 5m or 1h";
        return false;
      }
    } else {
      // About 30 points, in whole seconds.
      const uint64_t span = static_cast<uint64_t>(end - start);
      step = std::max<uint64_t>(1, span / 30 / 1'000'000'000) * 1'000'000'000;
    }
    q.step_ns = static_cast<int64_t>(std::min<uint64_t>(step, static_cast<uint64_t>(max_time)));
    q.fn = rate ? query::transform::rate : query::transform::none;
    q.by = by;
    q.moving_average = moving_average;
    return true;
  }

  // What query and anomalies share: the range, the selection, the evaluation. `found`, or
  // the exit code of the failure (reported).
  int select_and_evaluate(query::series_set& data, query::range_query& q,
                          std::vector<query::result_series>& result) {
    int64_t start = 0, end = 0;
    std::string error;
    if (!time_range(start, end, error)) return fail(error);
    auto r = open();
    if (!r) return failed;
    if (!read(*r, start, end, data, error) || !make_query(data.metric, start, end, q, error) ||
        !query::evaluate(data, q, result, error))
      return fail(error);
    return found;
  }

  int run_metrics();
  int run_query();
  int run_stats();
  int run_anomalies();
};

metric_commands::metric_commands(CLI::App& app) : s_(std::make_unique<state>()) {
  state& s = *s_;
  auto common = [&](CLI::App* cmd) {
    cmd->add_option("--db", s.db, "The store's database file")->capture_default_str();
    cmd->add_flag("--json", s.json, "JSON for scripts instead of a table");
  };
  auto selection = [&](CLI::App* cmd) {
    cmd->add_option("metric", s.metric, "The metric's name (`agtel metrics` lists them)")
        ->required();
    cmd->add_option("--labels", s.label_lists,
                    "Label matchers, comma-separated: k=v, k!=v, k=~regex, k!~regex "
                    "(e.g. gen_ai.request.model=~'gpt.*',service.name=demo)");
    cmd->add_option("--range", s.range, "How far back from now (or from --until): 15m, 1h, 7d")
        ->capture_default_str();
    cmd->add_option("--since", s.since, "From this time instead: 15m (ago) or an RFC 3339 time")
        ->check(time_point_check());
    cmd->add_option("--until", s.until, "Up to this time: 5m (ago) or an RFC 3339 time")
        ->check(time_point_check());
  };
  auto shaping = [&](CLI::App* cmd) {
    cmd->add_option("--agg", s.agg,
                    "sum, avg, min, max, count, last, or a percentile p50 p90 p95 p99 "
                    "(default: sum for counters, p95 for histograms, avg otherwise)");
    cmd->add_option("--interval", s.interval, "Bucket width: 30s, 5m, 1h (default: range/30)");
    cmd->add_option("--by", s.by, "Group by these labels (comma-separated)")->delimiter(',');
    cmd->add_flag("--rate", s.rate, "Counters and histograms: per second instead of per bucket");
  };

  s.metrics = app.add_subcommand("metrics", "The stored metrics: kind, unit, series, last value");
  common(s.metrics);

  s.query = app.add_subcommand("query", "A metric over time, aggregated and grouped");
  common(s.query);
  selection(s.query);
  shaping(s.query);
  s.query->add_option("--moving-average", s.moving_average,
                      "Smooth each series over this many points");

  s.stats = app.add_subcommand("stats", "Summary statistics of a metric over a range");
  common(s.stats);
  selection(s.stats);

  s.anomalies = app.add_subcommand(
      "anomalies", "Points more than K standard deviations from their trailing window");
  common(s.anomalies);
  selection(s.anomalies);
  shaping(s.anomalies);
  s.anomalies->add_option("--window", s.window, "Points in the trailing window")
      ->check(CLI::Range(size_t{2}, size_t{100000}))
      ->capture_default_str();
  s.anomalies->add_option("--k", s.k, "Standard deviations")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

metric_commands::~metric_commands() = default;

std::optional<int> metric_commands::run() {
  if (*s_->metrics) return s_->run_metrics();
  if (*s_->query) return s_->run_query();
  if (*s_->stats) return s_->run_stats();
  if (*s_->anomalies) return s_->run_anomalies();
  return std::nullopt;
}

int metric_commands::state::run_metrics() {
  auto r = open();
  if (!r) return failed;
  std::vector<store::metric_entry> list;
  std::string error;
  if (!r->list_metrics(list, error)) return fail(error);
  std::string out = json ? "[" : "";
  table t({{"METRIC", table::align::left, 64},
           {"KIND"},
           {"UNIT"},
           {"SERIES", table::align::right},
           {"LAST", table::align::right},
           {"AT"}});
  for (const store::metric_entry& e : list) {
    // Each series' latest point: the "baseline" of a range past every point.
    query::series_set latest;
    if (!r->read_series(e.info.name, {}, max_time - 1, max_time, latest, error))
      return fail(error);
    if (latest.metric.kind != e.info.kind || latest.metric.temporality != e.info.temporality)
      latest.series.clear();  // a name with several kinds: the others show no last value
    // The last value: the sum over series of their latest value (counters: the total so
    // far; a gauge with one series: its value), or of histograms' counts.
    double last = 0;
    int64_t at = 0;
    bool have = false;
    for (const query::series& sr : latest.series) {
      if (!sr.numbers.empty()) last += sr.numbers.back().value, at = std::max(at, sr.numbers.back().time_ns);
      if (!sr.histograms.empty())
        last += static_cast<double>(sr.histograms.back().count),
            at = std::max(at, sr.histograms.back().time_ns);
      if (!sr.exponential_histograms.empty())
        last += static_cast<double>(sr.exponential_histograms.back().count),
            at = std::max(at, sr.exponential_histograms.back().time_ns);
      have = true;
    }
    const bool histogram = e.info.kind == query::metric_kind::histogram ||
                           e.info.kind == query::metric_kind::exponential_histogram;
    const bool gauge_sum = e.info.kind == query::metric_kind::gauge && latest.series.size() > 1;
    if (json) {
      if (out.size() > 1) out += ',';
      out += "{\"name\":" + json_string(e.info.name) + ",\"kind\":" +
             json_string(kind_text(e.info)) + ",\"unit\":" + json_string(e.info.unit) +
             ",\"description\":" + json_string(e.info.description) +
             ",\"series\":" + std::to_string(e.series);
      if (have && !gauge_sum)
        out += std::string(histogram ? ",\"lastCount\":" : ",\"lastValue\":") + json_number(last);
      if (have) out += ",\"lastTime\":" + json_string(format_utc(static_cast<timestamp_ns>(at)));
      out += "}";
    } else {
      std::string last_text = !have       ? "-"
                              : gauge_sum ? "(" + std::to_string(latest.series.size()) + " values)"
                              : histogram ? number_text(last) + " obs"
                                          : number_text(last);
      t.add_row({e.info.name, kind_text(e.info), e.info.unit, std::to_string(e.series), last_text,
                 have ? format_utc(static_cast<timestamp_ns>(at)) : ""});
    }
  }
  if (json) print(out + "]\n");
  else if (!list.empty()) print(t.render());
  if (list.empty()) {
    if (!json) std::fprintf(stderr, "agtel: the store has no metrics\n");
    return none;
  }
  return found;
}

int metric_commands::state::run_query() {
  query::series_set data;
  query::range_query q;
  std::vector<query::result_series> result;
  if (int code = select_and_evaluate(data, q, result); code != found) return code;

  if (json) {
    std::string out = "{\"metric\":" + json_string(data.metric.name) +
                      ",\"kind\":" + json_string(kind_text(data.metric)) +
                      ",\"unit\":" + json_string(data.metric.unit) +
                      ",\"stepSeconds\":" + json_number(static_cast<double>(q.step_ns) / 1e9) +
                      ",\"series\":[";
    for (size_t i = 0; i < result.size(); ++i) {
      if (i) out += ',';
      out += "{\"labels\":" + json_labels(result[i].labels) + ",\"points\":[";
      for (size_t j = 0; j < result[i].points.size(); ++j) {
        const query::point& p = result[i].points[j];
        if (j) out += ',';
        out += "{\"time\":" + json_string(format_utc(static_cast<timestamp_ns>(p.time_ns))) +
               ",\"timeUnixNano\":\"" + std::to_string(p.time_ns) +
               "\",\"value\":" + json_number(p.value) + "}";
      }
      out += "]}";
    }
    print(out + "]}\n");
  } else if (!result.empty()) {
    std::string out;
    if (on_terminal()) {
      table lines({{"SERIES", table::align::left, 64}, {"TREND", table::align::left, 200},
                   {"LAST", table::align::right}});
      for (const auto& s : result)
        lines.add_row({labels_text(s.labels), sparkline(s.points),
                       number_text(s.points.back().value)});
      out += lines.render() + "\n";
    }
    const std::string unit = data.metric.unit.empty() ? "" : " (" + data.metric.unit + ")";
    table t({{"TIME"}, {"SERIES", table::align::left, 64}, {"VALUE" + unit, table::align::right}});
    for (const auto& s : result)
      for (const query::point& p : s.points)
        t.add_row({format_utc(static_cast<timestamp_ns>(p.time_ns)), labels_text(s.labels),
                   number_text(p.value)});
    print(out + t.render());
  }
  if (result.empty()) {
    if (!json) std::fprintf(stderr, "agtel: no points of %s in that range\n", metric.c_str());
    return none;
  }
  return found;
}

int metric_commands::state::run_stats() {
  int64_t start = 0, end = 0;
  std::string error;
  if (!time_range(start, end, error)) return fail(error);
  auto r = open();
  if (!r) return failed;
  query::series_set data;
  if (!read(*r, start, end, data, error)) return fail(error);
  query::summary sum;
  if (!query::summarize(data, start, end, sum, error)) return fail(error);
  const std::pair<const char*, double> rows[] = {{"min", sum.min},       {"max", sum.max},
                                                 {"avg", sum.avg},       {"stddev", sum.stddev},
                                                 {"p50", sum.p50},       {"p95", sum.p95},
                                                 {"p99", sum.p99}};
  if (json) {
    std::string out = "{\"metric\":" + json_string(data.metric.name) +
                      ",\"unit\":" + json_string(data.metric.unit) +
                      ",\"series\":" + std::to_string(data.series.size()) +
                      ",\"count\":" + std::to_string(sum.count);
    for (const auto& [name, v] : rows) out += ",\"" + std::string(name) + "\":" + json_number(v);
    print(out + "}\n");
  } else if (sum.count > 0) {
    std::string out = data.metric.name + " (" + kind_text(data.metric) +
                      (data.metric.unit.empty() ? "" : ", " + data.metric.unit) + "), " +
                      std::to_string(data.series.size()) + " series\n";
    table t({{"STAT"}, {"VALUE", table::align::right}});
    t.add_row({"count", std::to_string(sum.count)});
    for (const auto& [name, v] : rows) t.add_row({name, number_text(v)});
    print(out + t.render());
  }
  if (sum.count == 0) {
    if (!json) std::fprintf(stderr, "agtel: no points of %s in that range\n", metric.c_str());
    return none;
  }
  return found;
}

int metric_commands::state::run_anomalies() {
  if (range == "1h" && since.empty()) range = "24h";  // a window needs history
  query::series_set data;
  query::range_query q;
  std::vector<query::result_series> result;
  if (int code = select_and_evaluate(data, q, result); code != found) return code;
  const std::vector<query::anomaly> found_anomalies = query::find_anomalies(result, window, k);
  if (json) {
    std::string out = "[";
    for (const query::anomaly& a : found_anomalies) {
      if (out.size() > 1) out += ',';
      out += "{\"labels\":" + json_labels(a.labels) +
             ",\"time\":" + json_string(format_utc(static_cast<timestamp_ns>(a.time_ns))) +
             ",\"value\":" + json_number(a.value) + ",\"mean\":" + json_number(a.mean) +
             ",\"stddev\":" + json_number(a.stddev) + ",\"z\":" + json_number(a.z) + "}";
    }
    print(out + "]\n");
  } else if (!found_anomalies.empty()) {
    table t({{"TIME"},
             {"SERIES", table::align::left, 64},
             {"VALUE", table::align::right},
             {"MEAN", table::align::right},
             {"STDDEV", table::align::right},
             {"Z", table::align::right}});
    for (const query::anomaly& a : found_anomalies)
      t.add_row({format_utc(static_cast<timestamp_ns>(a.time_ns)), labels_text(a.labels),
                 number_text(a.value), number_text(a.mean), number_text(a.stddev),
                 number_text(a.z)});
    print(t.render());
  }
  if (found_anomalies.empty()) {
    if (!json)
      std::fprintf(stderr, "agtel: no anomaly in %zu points of %s\n",
                   [&] {
                     size_t n = 0;
                     for (const auto& s : result) n += s.points.size();
                     return n;
                   }(),
                   metric.c_str());
    return none;
  }
  return found;
}

}  // namespace agtel::cli
