// agtel's query engine against a real Prometheus 2.42, on one workload (issue 7, Tests).
//
// agreement_workload.cpp records with agtel's metrics SDK and exports, in the same process,
// over OTLP/HTTP (cumulative, every 500 ms) to a running `agtel serve` (temp --db) and on
// /metrics to a Prometheus 2.42 (temp storage, 1 s scrape). It runs twice in a row on the
// same resource and port: the restart resets every counter and histogram, which both
// systems must handle. Its values change in steps separated by 4 s plateaus, so on each
// plateau agtel's store and Prometheus's TSDB hold the same values. The five plateaus:
//   0, 1, 2 (first run)   3, 4 (second run)
// For each plateau the test picks a whole second T inside it, at least 2.5 s after its
// step (both systems have sampled it) and 0.4 s before its end; a range (i, j) is
// [T_i, T_j], D = T_j − T_i. Then, for the metrics
//   agree.tokens   counter {token}        → agree_tokens_total
//   agree.busy     counter ms             → agree_busy_seconds_total (values / 1000)
//   agree.latency  histogram ms, 9 bounds → agree_latency_seconds_bucket (le in seconds)
// all with a label model=a|b:
//   increase  `agtel query M --agg sum --by model --interval D --since T_i --until T_j`
//             vs `X_total - X_total offset D` (exact: neither extrapolates), and on ranges
//             across the restart vs the reset-aware difference of the raw samples
//             Prometheus returns for `X_total[D]` (Prometheus's own increase() before its
//             extrapolation step), with `resets(X_total[D])` = 1;
//   increase() Prometheus's extrapolated answer: asserted to be the raw increase times
//             Prometheus 2.42's extrapolation factor recomputed from those raw samples
//             (promql/functions.go extrapolatedRate), and bounded: agtel ≤ increase() ≤
//             agtel · D / (last − first sample time) — with a 1 s scrape over D = 4 s that
//             is up to ≈ 1.4× agtel's answer. agtel deliberately does not extrapolate.
//   rate      `--rate` vs (X_total − X_total offset D) / D (the raw increase / D across
//             the restart);
//   sum by    `--agg last --by model` over [T−2 s, T] vs `sum by (model) (X_total)` at T;
//   quantiles p50/p95/p99 of the histogram over [T_i, T_j], all series merged and by
//             model, vs histogram_quantile(q, sum by (le) (increase(X_bucket[D]))) (and
//             `sum by (le, model)`): increase() scales every bucket of a scrape by the same
//             factor — the workload's first steps record a large baseline in every bucket
//             so that Prometheus's zero-point cap never makes the factors differ — and the
//             quantile is scale-invariant, so the answers agree within floating point
//             (1e-9 relative, after ms → s);
//   count     `--agg count` (Δcount) vs sum(X_count − X_count offset D).
// Integers compare exactly; doubles that went through ms → s within 1e-9 relative.
//
// Registered with ctest by tests/peers/prometheus/CMakeLists.txt (label "peer"); about 35 s.
#include <sys/wait.h>

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "prometheus_process.hpp"

namespace {

using namespace std::chrono_literals;
using namespace agtel::test;  // prometheus_process.hpp
namespace fs = std::filesystem;
using json = nlohmann::json;
using by_model = std::map<std::string, double>;  // model label ("" when none) → value

bool near(double a, double b, double rel = 1e-9) {
  return std::fabs(a - b) <= rel * std::max(1e-12, std::max(std::fabs(a), std::fabs(b)));
}

std::string text(const by_model& m) {
  std::ostringstream out;
  out.precision(17);
  out << "{";
  for (const auto& [k, v] : m) out << (out.tellp() > 1 ? ", " : "") << k << ": " << v;
  out << "}";
  return out.str();
}

// ---- Prometheus ---------------------------------------------------------------------------

// Prometheus scraping the workload's /metrics, and its answers keyed by the model label.
class agreement_prometheus : public prometheus_server {
 public:
  agreement_prometheus(const fs::path& dir, uint16_t target_port)
      : prometheus_server(dir, {.jobs = {{"agtel", target_port}}}) {}

  // An instant vector at `t`, keyed by its model label.
  std::optional<by_model> vector(const std::string& q, int64_t t) {
    json data = query(q, t);
    if (data.is_null() || data["resultType"] != "vector") return std::nullopt;
    by_model out;
    for (const auto& s : data["result"])
      out[s["metric"].value("model", std::string())] =
          std::stod(s["value"][1].get<std::string>());
    return out;
  }

  struct sample {
    int64_t t_ms;
    double v;
  };
  // A range vector at `t` (raw samples), keyed by its model label.
  std::optional<std::map<std::string, std::vector<sample>>> matrix(const std::string& q,
                                                                   int64_t t) {
    json data = query(q, t);
    if (data.is_null() || data["resultType"] != "matrix") return std::nullopt;
    std::map<std::string, std::vector<sample>> out;
    for (const auto& s : data["result"]) {
      auto& samples = out[s["metric"].value("model", std::string())];
      for (const auto& p : s["values"])
        samples.push_back({std::llround(p[0].get<double>() * 1000),
                           std::stod(p[1].get<std::string>())});
    }
    return out;
  }
};

// Prometheus's increase() before extrapolation: last − first sample, plus the value before
// each decrease (a counter reset).
double raw_increase(const std::vector<agreement_prometheus::sample>& s) {
  double result = s.back().v - s.front().v, last = 0;
  for (const auto& p : s) {
    if (p.v < last) result += last;
    last = p.v;
  }
  return result;
}

// Prometheus 2.42's increase(): raw_increase scaled by its extrapolation factor
// (promql/functions.go extrapolatedRate with isCounter, not isRate).
double prometheus_increase(const std::vector<agreement_prometheus::sample>& s, int64_t start_ms,
                           int64_t end_ms) {
  double result = raw_increase(s);
  double to_start = static_cast<double>(s.front().t_ms - start_ms) / 1000;
  const double to_end = static_cast<double>(end_ms - s.back().t_ms) / 1000;
  const double sampled = static_cast<double>(s.back().t_ms - s.front().t_ms) / 1000;
  const double average = sampled / static_cast<double>(s.size() - 1);
  if (result > 0 && s.front().v >= 0) {
    const double to_zero = sampled * (s.front().v / result);
    if (to_zero < to_start) to_start = to_zero;
  }
  const double threshold = average * 1.1;
  double interval = sampled;
  interval += to_start < threshold ? to_start : average / 2;
  interval += to_end < threshold ? to_end : average / 2;
  return result * (interval / sampled);
}

// ---- agtel ---------------------------------------------------------------------------------

// Runs `command` (stderr included); its output, and its exit status in `status`.
std::string run(const std::string& command, int* status = nullptr) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int s = ::pclose(p);
  if (status) *status = s;
  return out;
}

std::string rfc3339(int64_t unix_s) {
  const std::time_t t = unix_s;
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

struct agtel_cli {
  std::string db;
  std::string last_command, last_output;

  // `agtel query metric --agg agg --interval Ds --since from --until to --json [args]`: the
  // value of each result series at `to` (the end of the range's one full bucket); empty
  // when the range has no point.
  std::optional<by_model> query(const std::string& metric, const std::string& agg, int64_t from,
                                int64_t to, const std::string& args = "") {
    last_command = std::string(AGTEL_CLI) + " query " + metric + " --db " + db + " --agg " + agg +
                   " --interval " + std::to_string(to - from) + "s --since " + rfc3339(from) +
                   " --until " + rfc3339(to) + " --json " + args;
    int status = -1;
    last_output = run(last_command, &status);
    // Exit 1: no point (e.g. min/max that no point told): an empty answer, not a failure.
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1) return std::nullopt;
    json j = json::parse(last_output, nullptr, false);
    if (j.is_discarded()) return std::nullopt;
    by_model out;
    const std::string at = std::to_string(to * 1'000'000'000);
    for (const auto& s : j["series"])
      for (const auto& p : s["points"])
        if (p["timeUnixNano"] == at && p["value"].is_number())
          out[s["labels"].value("model", std::string())] = p["value"].get<double>();
    return out;
  }
};

// ---- the test ------------------------------------------------------------------------------

struct plateau {
  int64_t begin_ns, end_ns;  // the end of its step; the start of the next step (or exit)
  int64_t t = 0;             // the whole second chosen inside it
};

// The workload's step lines → plateaus.
bool add_plateaus(const std::string& out, std::vector<plateau>& plateaus, std::string& error) {
  std::istringstream lines(out);
  std::string line;
  std::vector<std::pair<int64_t, int64_t>> steps;
  int64_t exit_ns = 0;
  while (std::getline(lines, line)) {
    json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    if (j.contains("exit_ns")) exit_ns = j["exit_ns"];
    else steps.emplace_back(j["begin_ns"], j["end_ns"]);
  }
  if (steps.empty() || exit_ns == 0) return error = "no steps in the workload's output:\n" + out, false;
  for (size_t k = 0; k < steps.size(); ++k) {
    plateau p{steps[k].second, k + 1 < steps.size() ? steps[k + 1].first : exit_ns};
    // At least 2.5 s after the step (≥ 2 scrapes and ≥ 4 exports since), at least 0.4 s
    // before the plateau ends.
    p.t = (p.begin_ns + 2'500'000'000 + 999'999'999) / 1'000'000'000;
    if (p.t * 1'000'000'000 + 400'000'000 > p.end_ns)
      return error = "plateau " + std::to_string(plateaus.size()) + " too short (a slow machine?)",
             false;
    plateaus.push_back(p);
  }
  return true;
}

// The range (i, j) of plateaus: [from, to] = [T_i, T_j] in unix seconds, its length d = D
// and D as a duration argument ds ("4s"), and whether it spans the workload's restart.
struct plateau_range {
  size_t i, j;
  int64_t from, to, d;
  std::string ds;
  bool across_restart;

  // The workload restarted after plateau `restart_after`.
  plateau_range(const std::vector<plateau>& plateaus, size_t first, size_t last,
                size_t restart_after)
      : i(first),
        j(last),
        from(plateaus[first].t),
        to(plateaus[last].t),
        d(to - from),
        ds(std::to_string(d) + "s"),
        across_restart(first <= restart_after && last > restart_after) {}

  // For SCOPED_TRACE: "range plateau i → j: [from, to], D = ds".
  std::string describe() const {
    return "range plateau " + std::to_string(i) + " → " + std::to_string(j) + ": [" +
           std::to_string(from) + ", " + std::to_string(to) + "], D = " + ds;
  }
};

struct counter_metric {
  std::string agtel, prom;  // names
  double scale;             // agtel value × scale = Prometheus value
};

TEST(PrometheusAgreement, QueryEngineAgreesWithPrometheus) {
  ASSERT_TRUE(fs::exists(AGTEL_PROMETHEUS)) << "prometheus not found: apt-get install prometheus";
  const auto deadline = std::chrono::steady_clock::now() + 100s;
  temp_dir dir("agtel-agree");

  // agtel serve on a free port (it says which).
  child_process serve({AGTEL_CLI, "serve", "--http", "127.0.0.1:0", "--db",
                       (dir.path / "agtel.db").string()},
                      dir.path / "serve.log");
  std::string serve_port;
  ASSERT_TRUE(wait_until(std::chrono::steady_clock::now() + 10s, [&] {
    std::smatch m;
    const std::string log = read_file(dir.path / "serve.log");
    if (std::regex_search(log, m, std::regex(R"(127\.0\.0\.1:([0-9]+))"))) serve_port = m[1];
    return !serve_port.empty() || !serve.running();
  }) && !serve_port.empty())
      << "agtel serve did not start:\n" << read_file(dir.path / "serve.log");

  const uint16_t metrics_port = free_port();
  agreement_prometheus prom(dir.path, metrics_port);
  ASSERT_TRUE(wait_until(deadline, [&] { return prom.ready() || !prom.running(); }) &&
              prom.running())
      << prom.log();
  // Ready is not scraping yet: Prometheus applies its targets up to 5 s later. Its first
  // scrape (of nothing: `up` is 0) must come before the workload's first plateau.
  ASSERT_TRUE(wait_until(deadline, [&] {
    auto up = prom.vector("up{job=\"agtel\"}", std::time(nullptr));
    return up && !up->empty();
  })) << "Prometheus never scraped its target\n"
      << prom.log();

  // The workload, twice: one service instance restarted (same resource, same port).
  const std::vector<std::string> env = child_env({
      "OTEL_METRICS_EXPORTER=otlp,prometheus",
      "OTEL_TRACES_EXPORTER=none",
      "OTEL_LOGS_EXPORTER=none",
      "OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
      "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:" + serve_port,
      "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=cumulative",
      "OTEL_METRIC_EXPORT_INTERVAL=500",
      "OTEL_EXPORTER_PROMETHEUS_PORT=" + std::to_string(metrics_port),
      "OTEL_SERVICE_NAME=agreement",
      // The SDK's default resource has process.pid: pin it, so that the restarted process
      // continues the same series in agtel (a reset: new start time, lower value), as it
      // does in Prometheus (same job and instance).
      "OTEL_RESOURCE_ATTRIBUTES=service.instance.id=agree-1,process.pid=1",
  });
  std::vector<plateau> plateaus;
  for (const char* phase : {"first", "second"}) {
    const fs::path log = dir.path / (std::string("workload-") + phase + ".log");
    child_process run({AGTEL_WORKLOAD, phase}, log, env);
    ASSERT_TRUE(run.wait_for(40s)) << phase << " run did not end:\n" << read_file(log);
    ASSERT_TRUE(run.exited_ok()) << phase << " run failed:\n" << read_file(log);
    std::string error;
    ASSERT_TRUE(add_plateaus(read_file(log), plateaus, error)) << error;
  }
  ASSERT_EQ(plateaus.size(), 5u);
  ASSERT_TRUE(serve.running()) << read_file(dir.path / "serve.log");
  ASSERT_TRUE(prom.running()) << prom.log();
  const size_t restart_after = 2;  // plateaus 0–2: first run; 3–4: second run

  agtel_cli agtel;
  agtel.db = (dir.path / "agtel.db").string();
  const auto agtel_fails = [&] { return "\n  " + agtel.last_command + "\n  " + agtel.last_output; };
  const auto at = [](int64_t t) { return " at " + std::to_string(t); };

  const std::vector<counter_metric> counters = {{"agree.tokens", "agree_tokens_total", 1},
                                                {"agree.busy", "agree_busy_seconds_total", 1e-3}};
  std::vector<plateau_range> ranges;
  for (const auto& [i, j] : std::vector<std::pair<size_t, size_t>>{
           {0, 1}, {1, 2}, {0, 2}, {3, 4}, {2, 3}, {1, 4}, {0, 4}})
    ranges.emplace_back(plateaus, i, j, restart_after);
  // Equal: exactly for integers (scale 1), within 1e-9 relative after ms → s.
  const auto same = [](double a, double b, double scale) { return scale == 1 ? a == b : near(a, b); };

  // One series per model in agtel's store too: the restarted process continued each
  // series (a reset), it did not start new ones.
  {
    const std::string cmd = std::string(AGTEL_CLI) + " metrics --json --db " + agtel.db;
    const std::string out = run(cmd);
    json list = json::parse(out, nullptr, false);
    ASSERT_TRUE(list.is_array()) << cmd << "\n" << out;
    for (const char* name : {"agree.tokens", "agree.busy", "agree.latency"}) {
      auto it = std::find_if(list.begin(), list.end(), [&](const json& m) { return m["name"] == name; });
      ASSERT_NE(it, list.end()) << name << " not in " << cmd << "\n" << out;
      EXPECT_EQ((*it)["series"], 2) << name << ": " << it->dump();
    }
  }

  // ---- sum by (model) on every plateau
  for (const counter_metric& c : counters)
    for (const plateau& p : plateaus) {
      const std::string q = "sum by (model) (" + c.prom + ")";
      auto want = prom.vector(q, p.t);
      ASSERT_TRUE(want) << q << ": " << prom.last_error();
      auto got = agtel.query(c.agtel, "last", p.t - 2, p.t, "--by model");
      ASSERT_TRUE(got) << agtel_fails();
      ASSERT_EQ(got->size(), 2u) << agtel_fails();
      ASSERT_EQ(want->size(), 2u) << q << at(p.t) << " " << text(*want);
      for (const auto& [model, v] : *want)
        EXPECT_TRUE(same((*got)[model] * c.scale, v, c.scale))
            << "sum by model=" << model << at(p.t) << ": agtel " << agtel.last_command << " → "
            << (*got)[model] << " (× " << c.scale << "), Prometheus " << q << " → " << v;
    }

  // ---- increase, increase(), rate, resets
  for (const plateau_range& range : ranges) {
    SCOPED_TRACE(range.describe());
    const auto& [i, j, from, to, d, ds, across_restart] = range;
    for (const counter_metric& c : counters) {
      auto inc = agtel.query(c.agtel, "sum", from, to, "--by model");
      ASSERT_TRUE(inc) << agtel_fails();
      const std::string inc_cmd = agtel.last_command;
      auto rate = agtel.query(c.agtel, "sum", from, to, "--by model --rate");
      ASSERT_TRUE(rate) << agtel_fails();
      const std::string rate_cmd = agtel.last_command;
      ASSERT_EQ(inc->size(), 2u) << inc_cmd << " → " << text(*inc);
      ASSERT_EQ(rate->size(), 2u) << rate_cmd << " → " << text(*rate);

      // Prometheus's raw samples over the range, its reset count and its increase().
      const std::string raw_q = c.prom + "[" + ds + "]";
      auto raw = prom.matrix(raw_q, to);
      ASSERT_TRUE(raw) << raw_q << ": " << prom.last_error();
      const std::string resets_q = "resets(" + raw_q + ")", increase_q = "increase(" + raw_q + ")";
      auto resets = prom.vector(resets_q, to);
      auto extrapolated = prom.vector(increase_q, to);
      ASSERT_TRUE(resets && extrapolated) << prom.last_error();
      ASSERT_EQ(raw->size(), 2u) << raw_q << at(to);

      std::optional<by_model> offset_diff;  // X − X offset D (not reset-aware)
      const std::string offset_q = c.prom + " - " + c.prom + " offset " + ds;
      if (!across_restart) {
        offset_diff = prom.vector(offset_q, to);
        ASSERT_TRUE(offset_diff) << offset_q << ": " << prom.last_error();
        // All series together: `--agg sum` without --by.
        const std::string total_q = "sum(" + offset_q + ")";
        auto total = prom.vector(total_q, to);
        ASSERT_TRUE(total && total->size() == 1) << total_q << ": " << prom.last_error();
        auto got = agtel.query(c.agtel, "sum", from, to);
        ASSERT_TRUE(got && got->size() == 1) << agtel_fails();
        EXPECT_TRUE(same(got->begin()->second * c.scale, total->begin()->second, c.scale))
            << "increase: agtel " << agtel.last_command << " → " << got->begin()->second
            << " (× " << c.scale << "), Prometheus " << total_q << at(to) << " → "
            << total->begin()->second;
      }
      for (const auto& [model, samples] : *raw) {
        SCOPED_TRACE(c.prom + "{model=\"" + model + "\"}");
        ASSERT_GE(samples.size(), 2u);
        const double agtel_inc = (*inc)[model] * c.scale, agtel_rate = (*rate)[model] * c.scale;
        const double raw_inc = raw_increase(samples);
        ASSERT_EQ(resets->count(model), 1u) << resets_q << at(to) << " → " << text(*resets);
        ASSERT_EQ(extrapolated->count(model), 1u) << increase_q << at(to) << " → " << text(*extrapolated);
        EXPECT_EQ(resets->at(model), across_restart ? 1 : 0) << resets_q << at(to);
        if (offset_diff) {
          const double want = offset_diff->count(model) ? offset_diff->at(model) : NAN;
          EXPECT_TRUE(same(agtel_inc, want, c.scale))
              << "increase: agtel " << inc_cmd << " → " << (*inc)[model] << " (× " << c.scale
              << "), Prometheus " << offset_q << at(to) << " → " << want;
          ASSERT_EQ(offset_diff->count(model), 1u) << offset_q << at(to) << " → " << text(*offset_diff);
          EXPECT_TRUE(near(agtel_rate, want / static_cast<double>(d)))
              << "rate: agtel " << rate_cmd << " → " << (*rate)[model] << " (× " << c.scale
              << "), Prometheus (" << offset_q << ") / " << d << at(to) << " → " << want / d;
        }
        EXPECT_TRUE(same(agtel_inc, raw_inc, c.scale))
            << "increase: agtel " << inc_cmd << " → " << (*inc)[model] << " (× " << c.scale
            << "), Prometheus's raw samples of " << raw_q << at(to) << " (reset-aware) → "
            << raw_inc;
        EXPECT_TRUE(near(agtel_rate, raw_inc / static_cast<double>(d)))
            << "rate: agtel " << rate_cmd << " → " << (*rate)[model] << ", Prometheus raw "
            << raw_q << " / " << d << " → " << raw_inc / d;

        // Prometheus extrapolates: increase() = raw × its factor, and the factor lies in
        // [1, D / sampled interval].
        const double got = (*extrapolated)[model];
        const double recomputed = prometheus_increase(samples, from * 1000, to * 1000);
        const double sampled = static_cast<double>(samples.back().t_ms - samples.front().t_ms) / 1000;
        std::printf("increase %s{model=%s} plateaus %zu→%zu D=%llds: agtel %.17g, "
                    "Prometheus raw %.17g, increase() %.17g (factor %.6f)\n",
                    c.prom.c_str(), model.c_str(), i, j, static_cast<long long>(d), agtel_inc,
                    raw_inc, got, agtel_inc ? got / agtel_inc : 1.0);
        EXPECT_TRUE(near(got, recomputed))
            << increase_q << at(to) << " → " << got << ", extrapolatedRate recomputed from "
            << samples.size() << " raw samples → " << recomputed;
        EXPECT_TRUE(got >= agtel_inc * (1 - 1e-9) &&
                    got <= agtel_inc * static_cast<double>(d) / sampled * (1 + 1e-9))
            << increase_q << at(to) << " → " << got << " outside [agtel " << agtel_inc
            << ", agtel × " << d << " / " << sampled << "]";
      }
    }
  }

  // ---- histogram: quantiles and count
  const std::string bucket = "agree_latency_seconds_bucket";
  for (const plateau_range& range : ranges) {
    SCOPED_TRACE(range.describe());
    const auto& [i, j, from, to, d, ds, across_restart] = range;
    for (const auto& [pct, q] : std::vector<std::pair<std::string, std::string>>{
             {"p50", "0.5"}, {"p95", "0.95"}, {"p99", "0.99"}}) {
      for (const bool grouped : {false, true}) {
        const std::string pq = "histogram_quantile(" + q + ", sum by (le" +
                               (grouped ? ", model" : "") + ") (increase(" + bucket + "[" + ds +
                               "])))";
        auto want = prom.vector(pq, to);
        ASSERT_TRUE(want) << pq << ": " << prom.last_error();
        auto got = agtel.query("agree.latency", pct, from, to, grouped ? "--by model" : "");
        ASSERT_TRUE(got) << agtel_fails();
        ASSERT_EQ(got->size(), grouped ? 2u : 1u) << agtel.last_command << " → " << text(*got);
        ASSERT_EQ(want->size(), got->size()) << pq << at(to) << " → " << text(*want);
        // Where the points tell the observed min/max (a stream counted from 0, e.g. after
        // the restart), agtel keeps its percentile within them; Prometheus has no min/max
        // and can interpolate past the largest value recorded.
        auto lo = agtel.query("agree.latency", "min", from, to, grouped ? "--by model" : "");
        auto hi = agtel.query("agree.latency", "max", from, to, grouped ? "--by model" : "");
        ASSERT_TRUE(lo && hi) << agtel_fails();
        for (const auto& [model, v] : *want) {
          double expected = v;
          if (auto it = lo->find(model); it != lo->end()) expected = std::max(expected, it->second / 1000);
          if (auto it = hi->find(model); it != hi->end()) expected = std::min(expected, it->second / 1000);
          std::printf("%s model=%s plateaus %zu→%zu: agtel %.17g ms, Prometheus %.17g s%s\n",
                      pct.c_str(), model.c_str(), i, j, (*got)[model], v,
                      expected != v ? " (clamped to the observed range)" : "");
          EXPECT_TRUE(near((*got)[model] / 1000, expected))
              << "quantile: agtel " << agtel.last_command << " → " << (*got)[model]
              << " ms, Prometheus " << pq << at(to) << " → " << v
              << " s, within agtel's observed min/max → " << expected << " s";
        }
      }
    }
    if (!across_restart) {
      const std::string cq = "sum(agree_latency_seconds_count - agree_latency_seconds_count offset " +
                             ds + ")";
      auto want = prom.vector(cq, to);
      ASSERT_TRUE(want && want->size() == 1) << cq << ": " << prom.last_error();
      auto got = agtel.query("agree.latency", "count", from, to);
      ASSERT_TRUE(got && got->size() == 1) << agtel_fails();
      EXPECT_EQ(got->begin()->second, want->begin()->second)
          << "count: agtel " << agtel.last_command << " → " << got->begin()->second
          << ", Prometheus " << cq << at(to) << " → " << want->begin()->second;
    }
  }
  EXPECT_TRUE(prom.running()) << prom.log();
  EXPECT_TRUE(serve.running()) << read_file(dir.path / "serve.log");
}

}  // namespace
