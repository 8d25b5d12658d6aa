// Real peers judge the Prometheus endpoint:
//  1. `promtool check metrics` on the text exposition of a registry that uses every
//     instrument kind, units and escaping cases: exit 0 and nothing printed.
//  2. A real Prometheus 2.42, started on loopback (free port, temp storage, 1 s scrape
//     interval), scrapes two endpoints of this process, one in text 0.0.4 and one in
//     OpenMetrics 1.0. The test then asks Prometheus's /api/v1/query for exact values
//     (counters, gauges, sums, escaped label values, target_info), for
//     histogram_quantile(0.95, sum by (le) (rate(…_bucket[1m]))) against the quantile
//     computed here from the recorded values with Prometheus's own interpolation, and for
//     the exemplars that the OpenMetrics endpoint carried.
//
// This program is both the subject (it records and serves the metrics in-process) and the
// driver (it spawns prometheus/promtool, bounded in time, and kills them at the end).
// Registered with ctest by tests/peers/prometheus/CMakeLists.txt (label "peer").
#include <sys/wait.h>

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "agtel/export/prometheus_exporter.hpp"
#include "agtel/metrics/buckets.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/trace/tracer_provider.hpp"
#include "prometheus_process.hpp"

namespace {

using namespace std::chrono_literals;
using namespace agtel::test;  // prometheus_process.hpp
using agtel::exporter::prometheus_exporter;
using agtel::exporter::prometheus_format;
namespace fs = std::filesystem;
namespace metrics = agtel::metrics;

// ---- the registry under test ------------------------------------------------------------

// Label values with everything that needs escaping or repair.
const std::string hostile_value = "say \"hi\" \\ back\nslash caf\xC3\xA9 \xF0\x9F\xA4\x96 bad\xFF";
const std::string hostile_value_repaired =
    "say \"hi\" \\ back\nslash caf\xC3\xA9 \xF0\x9F\xA4\x96 bad\xEF\xBF\xBD";

// The latency values recorded (twice: once before Prometheus starts, once after its first
// scrape). Some sit exactly on bucket bounds.
const std::vector<double> latencies = {
    0.003, 0.004, 0.01, 0.012, 0.02, 0.025, 0.03, 0.04, 0.05, 0.07, 0.1, 0.1, 0.2, 0.25,
    0.3,   0.4,   0.5,  0.6,   0.75, 0.9,   1,    1.2,  2,    2.5,  3,   4.5, 6,   8,
    10,    12,    25,   31,    45,   59,    70,   100,  130,  250,  299, 400};
const std::vector<double> latency_bounds(metrics::buckets::agtel_duration_seconds.begin(),
                                         metrics::buckets::agtel_duration_seconds.end());

struct registry {
  std::shared_ptr<prometheus_exporter> text_endpoint;
  std::shared_ptr<prometheus_exporter> om_endpoint;
  std::shared_ptr<metrics::meter_provider> provider;
  std::shared_ptr<agtel::trace::tracer_provider> tracers;
  metrics::histogram<double> latency;
  metrics::histogram<double> exp_latency;
  std::string exemplar_trace_id;

  registry() {
    agtel::exporter::prometheus_exporter_options o;
    o.port = 0;
    o.openmetrics = false;  // this endpoint always answers text 0.0.4
    text_endpoint = std::make_shared<prometheus_exporter>(o);
    o.openmetrics = true;
    om_endpoint = std::make_shared<prometheus_exporter>(o);

    metrics::meter_provider_options po;
    po.resource = agtel::resource{{{"service.name", "peer-test"},
                                   {"service.instance.id", "peer-1"},
                                   {"deployment.environment", hostile_value}},
                                  ""};
    po.readers.push_back(text_endpoint->reader());
    po.readers.push_back(om_endpoint->reader());
    po.exemplars = metrics::exemplar_filter::trace_based;
    po.views.push_back({.selector = {.name = "peer.exp.latency"},
                        .aggregation = metrics::exponential_histogram_aggregation{}});
    provider = std::make_shared<metrics::meter_provider>(std::move(po));
    tracers = std::make_shared<agtel::trace::tracer_provider>();

    auto meter = provider->get_meter("agtel.peer", "0.1.0");
    auto other = provider->get_meter("agtel.peer.other");  // no version
    // Every instrument kind, int and double, with units and escaping cases.
    auto requests = meter.create_counter<int64_t>(
        "peer.requests",
        {.description = "Requests \"served\"\nby route \\ method.", .unit = "{request}"});
    requests.add(3, {{"route", "/a"}, {"http.method", "GET"}});
    requests.add(4, {{"http.method", "GET"}, {"route", "/a"}});  // same series
    requests.add(1, {{"route", hostile_value}, {"http.method", "POST"}});
    other.create_counter<int64_t>("peer.requests", {.unit = "{request}"})
        .add(2, {{"route", "/b"}});  // the same family from another scope
    meter.create_counter<double>("llm.cost", {.description = "Cost.", .unit = "{USD}"})
        .add(0.375, {{"gen_ai.request.model", "gpt-4o"}});
    auto queue = meter.create_up_down_counter<int64_t>("task.queue.size", {.unit = "{task}"});
    queue.add(5, {{"priority", "high"}});
    queue.add(-2, {{"priority", "high"}});
    meter.create_gauge<double>("context_window.utilization", {.unit = "1"})
        .record(0.625, {{"gen_ai.agent.name", "coder"}});
    meter.create_gauge<int64_t>("context_window.used", {.unit = "{token}"})
        .record(4096, {{"gen_ai.agent.name", "coder"}});
    meter.create_gauge<double>("escape.check", {.description = "Escaping."})
        .record(1, {{"value", hostile_value}, {"weird-key.name", "k"}, {"weird_key:name", "c"}});
    meter.create_observable_counter<int64_t>("peer.observed.bytes",
                                             [](metrics::observer<int64_t>& o) {
                                               o.observe(4096, {{"dir", "in"}});
                                             },
                                             {.unit = "By"});
    meter.create_observable_up_down_counter<int64_t>(
        "peer.active.sessions", [](metrics::observer<int64_t>& o) { o.observe(4); },
        {.unit = "{session}"});
    meter.create_observable_gauge<double>(
        "peer.temperature", [](metrics::observer<double>& o) { o.observe(21.5); }, {.unit = "Cel"});
    meter.create_observable_gauge<double>("peer.throughput",
                                          [](metrics::observer<double>& o) { o.observe(1.5e6); },
                                          {.unit = "By/s"});
    meter
        .create_histogram<int64_t>(
            "gen_ai.client.token.usage",
            {.unit = "{token}",
             .buckets = {metrics::buckets::tokens.begin(), metrics::buckets::tokens.end()}})
        .record(1200, {{"gen_ai.token.type", "input"}});
    latency = meter.create_histogram<double>(
        "task.duration", {.description = "Task time.", .unit = "s", .buckets = latency_bounds});
    exp_latency = meter.create_histogram<double>("peer.exp.latency", {.unit = "s"});
    record_latencies();
  }

  void record_latencies() {
    for (double v : latencies) {
      latency.record(v, {{"task.type", "plan"}});
      exp_latency.record(v);
    }
  }

  // One more latency, inside a sampled span: the OpenMetrics endpoint shows it as an
  // exemplar.
  void record_with_exemplar() {
    auto tracer = tracers->get_tracer("peer");
    auto span = tracer.start_span("slow task");
    auto active = span.activate();
    exemplar_trace_id = span.context().trace_id().to_hex();
    latency.record(0.6, {{"task.type", "exemplar"}});
  }
};

// ---- a Prometheus server ---------------------------------------------------------------

// Test 2 asks Prometheus every `poll` until it has what the test waits for.
constexpr std::chrono::milliseconds poll = 250ms;

// Prometheus scraping both endpoints (exemplar storage on), and the answers test 2 reads.
class peer_prometheus : public prometheus_server {
 public:
  peer_prometheus(const fs::path& dir, uint16_t text_port, uint16_t om_port)
      : prometheus_server(dir, {.jobs = {{"agtel_text", text_port}, {"agtel_om", om_port}},
                                .flags = {"--enable-feature=exemplar-storage"},
                                .read_timeout = 5s}) {}
  // The instant vector of `q` now (empty on any failure).
  nlohmann::json vector(const std::string& q) {
    auto data = query(q);
    if (data.is_null() || data["resultType"] != "vector") return nlohmann::json::array();
    return data["result"];
  }
  // The single value of `q`, if it has exactly one series.
  std::optional<double> value(const std::string& q) {
    auto r = vector(q);
    if (r.size() != 1) return std::nullopt;
    return std::stod(r[0]["value"][1].get<std::string>());
  }
};

// histogram_quantile as Prometheus 2.42 computes it (promql/quantile.go bucketQuantile):
// linear interpolation inside the bucket where the rank falls, the first bucket starting
// at 0, the +Inf bucket answering the highest finite bound.
double prometheus_quantile(double q, const std::vector<double>& bounds,
                           const std::vector<double>& values) {
  std::vector<double> cumulative(bounds.size() + 1, 0);
  for (double v : values) {
    for (size_t i = 0; i < bounds.size(); ++i)
      if (v <= bounds[i]) cumulative[i] += 1;
    cumulative[bounds.size()] += 1;
  }
  const double rank = q * cumulative.back();
  size_t b = 0;
  while (b < bounds.size() && cumulative[b] < rank) ++b;
  if (b == bounds.size()) return bounds.back();
  if (b == 0 && bounds[0] <= 0) return bounds[0];
  double start = 0, count = cumulative[b], r = rank;
  if (b > 0) {
    start = bounds[b - 1];
    count -= cumulative[b - 1];
    r -= cumulative[b - 1];
  }
  return start + (bounds[b] - start) * (r / count);
}

bool near(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b));
}

// ---- 1. promtool -------------------------------------------------------------------------

TEST(PrometheusPeer, PromtoolFindsNothingToSay) {
  ASSERT_TRUE(fs::exists(AGTEL_PROMTOOL)) << "promtool not found: apt-get install prometheus";
  registry reg;
  reg.record_with_exemplar();
  ASSERT_TRUE(reg.text_endpoint->start());
  // Through HTTP, as a scraper sees it.
  httplib::Client c("127.0.0.1", reg.text_endpoint->port());
  auto r = c.Get("/metrics");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  temp_dir dir;
  const fs::path exposition = dir.path / "metrics.txt";
  std::ofstream(exposition, std::ios::binary) << r->body;
  // Every kind made it into the exposition.
  for (const char* needle :
       {"# TYPE peer_requests_total counter", "# TYPE llm_cost_total counter",
        "# TYPE task_queue_size gauge", "# TYPE context_window_utilization_ratio gauge",
        "# TYPE peer_observed_bytes_total counter", "# TYPE peer_active_sessions gauge",
        "# TYPE peer_temperature_celsius gauge", "# TYPE peer_throughput_bytes_per_second gauge",
        "# TYPE gen_ai_client_token_usage histogram", "# TYPE task_duration_seconds histogram",
        "# TYPE peer_exp_latency_seconds histogram", "# TYPE target_info gauge",
        "weird_key_name=\"k;c\""})
    EXPECT_NE(r->body.find(needle), std::string::npos) << needle << "\n" << r->body;

  const std::string cmd = std::string(AGTEL_PROMTOOL) + " check metrics < " + exposition.string() +
                          " > " + (dir.path / "out.txt").string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  const std::string said = read_file(dir.path / "out.txt");
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "promtool exit status " << status << ":\n"
      << said << "\n"
      << r->body;
  EXPECT_EQ(said, "") << r->body;
}

// Runs `promtool check metrics` on `exposition`; its exit status and what it printed.
std::pair<int, std::string> promtool_check(const std::string& exposition) {
  temp_dir dir;
  const fs::path file = dir.path / "metrics.txt";
  std::ofstream(file, std::ios::binary) << exposition;
  const std::string cmd = std::string(AGTEL_PROMTOOL) + " check metrics < " + file.string() +
                          " > " + (dir.path / "out.txt").string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(dir.path / "out.txt")};
}

// Every unit of the agent catalogue (shared/spec/metrics.md) and of the UCUM table the
// exporter knows, on every instrument kind, and names built to trip each promlint rule:
// promtool must exit 0 and print nothing.
TEST(PrometheusPeer, PromtoolFindsNothingToSayAboutAnyUnitOrName) {
  ASSERT_TRUE(fs::exists(AGTEL_PROMTOOL)) << "promtool not found: apt-get install prometheus";
  agtel::exporter::prometheus_exporter_options o;
  o.port = 0;
  prometheus_exporter endpoint(o);
  metrics::meter_provider_options po;
  po.resource = agtel::resource{{{"service.name", "lint"}, {"le", "x"}, {"camelKey", "y"}}, ""};
  po.readers.push_back(endpoint.reader());
  metrics::meter_provider provider(std::move(po));
  auto meter = provider.get_meter("agtel.lint", "1.0");

  const std::vector<std::string> units = {
      // the agent catalogue
      "s", "{token}", "{agent}", "{USD}", "{call}", "1", "{error}", "{task}", "{event}",
      // UCUM units with a Prometheus word, prefixed ones included
      "d", "h", "min", "ms", "us", "ns", "By", "KiBy", "MiBy", "GiBy", "TiBy", "KBy", "MBy",
      "GBy", "TBy", "m", "V", "A", "J", "W", "g", "Cel", "Hz", "%",
      // rates, and units the exporter does not know
      "By/s", "KiBy/s", "1/s", "{req}/min", "{req}/ms", "/h", "kilometers", "ms/op", "USD",
      "kb", "count", "weirdUnit"};
  int i = 0;
  for (const std::string& unit : units) {
    const std::string name = "lint.unit" + std::to_string(i++);
    const metrics::instrument_options io{.description = "unit " + unit, .unit = unit};
    meter.create_counter<int64_t>(name + ".c", io).add(3, {{"k", "v"}});
    meter.create_up_down_counter<int64_t>(name + ".u", io).add(-2);
    meter.create_gauge<double>(name + ".g", io).record(0.5);
    meter.create_histogram<double>(name + ".dist", io).record(12.5);
  }
  const std::vector<std::string> names = {
      "camelCaseName", "HTTPServerLatency", "dotted.name.here", "9leading.digit", "colon:name",
      "unicode.\xE5\xBB\xB6\xE8\xBF\x9F.latency", "\xF0\x9F\xA4\x96", "request.counter",
      "queue.gauge", "latency.histogram", "rpc.summary", "latency.ms", "size.kb", "uptime.s",
      "duration.minutes", "payload.kilobytes", "minutes", "tokens.total", "items.count",
      "items.sum", "items.bucket", ".counter", "_", "__x__", "a" + std::string(300, 'b'),
      "metres.kilometres", "bits.sent"};
  for (const std::string& name : names) {
    const metrics::instrument_options io{.description = "odd"};
    const agtel::attribute_view attrs_array[] = {{"camelKey", "1"},  {"le", "2"},
                                                 {"quantile", "3"},  {"9digit", "4"},
                                                 {"dotted.key", "5"}, {"\xC3\xA9", "6"}};
    const metrics::attribute_views attrs(attrs_array);
    meter.create_counter<int64_t>(name, io).add(1, attrs);
    meter.create_up_down_counter<int64_t>(name + ".ud", io).add(1, attrs);
    meter.create_gauge<int64_t>(name + "Gauge", io).record(1, attrs);
    meter.create_histogram<double>(name + ".dist", {.description = "odd", .unit = "ms"})
        .record(7, attrs);
  }

  std::string text;
  ASSERT_TRUE(endpoint.scrape(prometheus_format::text, text));
  // Values are in base units: 12.5 ms is 0.0125 s, 3 KiBy is 3072 bytes.
  EXPECT_NE(text.find("lint_unit12_dist_seconds_sum{otel_scope_name=\"agtel.lint\","
                      "otel_scope_version=\"1.0\"} 0.0125\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lint_unit16_c_bytes_total{k=\"v\",otel_scope_name=\"agtel.lint\","
                      "otel_scope_version=\"1.0\"} 3072\n"),
            std::string::npos)
      << text;
  const auto [status, said] = promtool_check(text);
  EXPECT_EQ(status, 0) << said << "\n" << text;
  EXPECT_EQ(said, "") << text;
}

// ---- 2. a live Prometheus ----------------------------------------------------------------

TEST(PrometheusPeer, PrometheusScrapesAndQueries) {
  ASSERT_TRUE(fs::exists(AGTEL_PROMETHEUS)) << "prometheus not found: apt-get install prometheus";
  const auto deadline = std::chrono::steady_clock::now() + 60s;  // the whole test
  registry reg;  // the first half of the latencies is recorded before any scrape
  ASSERT_TRUE(reg.text_endpoint->start());
  ASSERT_TRUE(reg.om_endpoint->start());
  temp_dir dir;
  peer_prometheus prom(dir.path, reg.text_endpoint->port(), reg.om_endpoint->port());
  ASSERT_TRUE(wait_until(deadline, [&] { return prom.ready() || !prom.running(); }, poll) &&
              prom.running())
      << prom.log();

  const double n = static_cast<double>(latencies.size());
  const auto count_is = [&](double want) {
    for (const char* job : {"agtel_text", "agtel_om"}) {
      auto v = prom.value(std::string("task_duration_seconds_count{task_type=\"plan\",job=\"") +
                          job + "\"}");
      if (!v || *v != want) return false;
    }
    return true;
  };
  ASSERT_TRUE(wait_until(deadline, [&] { return count_is(n); }, poll))
      << "Prometheus never saw the first half\n"
      << prom.log() << prom.vector("up").dump();

  // Second half, after Prometheus has a sample of the first: rate() over the window then
  // scales every bucket by the same factor (see the quantile check below).
  reg.record_latencies();
  reg.record_with_exemplar();
  ASSERT_TRUE(wait_until(deadline, [&] { return count_is(2 * n); }, poll)) << prom.log();

  for (const std::string job : {"agtel_text", "agtel_om"}) {
    SCOPED_TRACE(job);
    const std::string j = "job=\"" + job + "\"";
    EXPECT_EQ(prom.value("up{" + j + "}"), 1.0);
    // Counters, summed over both scopes and exact.
    EXPECT_EQ(prom.value("peer_requests_total{route=\"/a\",http_method=\"GET\"," + j + "}"), 7.0);
    EXPECT_EQ(prom.value("peer_requests_total{otel_scope_name=\"agtel.peer.other\"," + j + "}"),
              2.0);
    EXPECT_EQ(prom.value("peer_requests_total{otel_scope_name=\"agtel.peer\","
                         "otel_scope_version=\"0.1.0\",route=\"/a\"," +
                         j + "}"),
              7.0);
    EXPECT_EQ(prom.value("llm_cost_total{gen_ai_request_model=\"gpt-4o\"," + j + "}"), 0.375);
    EXPECT_EQ(prom.value("task_queue_size{priority=\"high\"," + j + "}"), 3.0);
    EXPECT_EQ(prom.value("context_window_utilization_ratio{" + j + "}"), 0.625);
    EXPECT_EQ(prom.value("context_window_used{" + j + "}"), 4096.0);
    EXPECT_EQ(prom.value("peer_observed_bytes_total{dir=\"in\"," + j + "}"), 4096.0);
    EXPECT_EQ(prom.value("peer_active_sessions{" + j + "}"), 4.0);
    EXPECT_EQ(prom.value("peer_temperature_celsius{" + j + "}"), 21.5);
    EXPECT_EQ(prom.value("peer_throughput_bytes_per_second{" + j + "}"), 1.5e6);
    EXPECT_EQ(prom.value("gen_ai_client_token_usage_count{" + j + "}"), 1.0);
    EXPECT_EQ(prom.value("gen_ai_client_token_usage_bucket{le=~\"1024(.0)?\"," + j + "}"), 0.0);
    EXPECT_EQ(prom.value("gen_ai_client_token_usage_bucket{le=~\"4096(.0)?\"," + j + "}"), 1.0);
    // The exponential histogram, as explicit buckets: the count is exact.
    EXPECT_EQ(prom.value("peer_exp_latency_seconds_count{" + j + "}"), 2 * n);
    EXPECT_EQ(prom.value("peer_exp_latency_seconds_bucket{le=\"+Inf\"," + j + "}"), 2 * n);

    // The histogram's sum.
    double sum = 0;
    for (int round = 0; round < 2; ++round)
      for (double v : latencies) sum += v;
    auto s = prom.value("task_duration_seconds_sum{task_type=\"plan\"," + j + "}");
    ASSERT_TRUE(s);
    EXPECT_TRUE(near(*s, sum)) << *s << " vs " << sum;

    // The quantile, from the rate of the buckets. Every bucket's first sample in the
    // window holds the first half and its last the whole, so rate() scales all buckets
    // alike and the quantile equals the quantile of the recorded values.
    const double expected = prometheus_quantile(0.95, latency_bounds, latencies);
    auto q = prom.value(
        "histogram_quantile(0.95, sum by (le) (rate(task_duration_seconds_bucket{"
        "task_type=\"plan\"," +
        j + "}[1m])))");
    ASSERT_TRUE(q) << prom.vector("task_duration_seconds_bucket{" + j + "}").dump();
    EXPECT_TRUE(near(*q, expected)) << "Prometheus: " << *q << ", expected " << expected;
    // And the median, which falls in another bucket.
    auto median = prom.value(
        "histogram_quantile(0.5, sum by (le) (rate("
        "task_duration_seconds_bucket{task_type=\"plan\"," +
        j + "}[1m])))");
    ASSERT_TRUE(median);
    EXPECT_TRUE(near(*median, prometheus_quantile(0.5, latency_bounds, latencies))) << *median;

    // Escaped label values come back byte for byte (invalid UTF-8 as U+FFFD), and keys
    // that collide after sanitizing are merged with ';'.
    auto esc = prom.vector("escape_check{" + j + "}");
    ASSERT_EQ(esc.size(), 1u) << esc.dump();
    EXPECT_EQ(esc[0]["metric"]["value"], hostile_value_repaired);
    EXPECT_EQ(esc[0]["metric"]["weird_key_name"], "k;c");
    auto hostile_route = prom.vector("peer_requests_total{http_method=\"POST\"," + j + "}");
    ASSERT_EQ(hostile_route.size(), 1u);
    EXPECT_EQ(hostile_route[0]["metric"]["route"], hostile_value_repaired);

    // target_info carries the resource.
    auto target = prom.vector("target_info{" + j + "}");
    ASSERT_EQ(target.size(), 1u) << target.dump();
    EXPECT_EQ(target[0]["metric"]["service_name"], "peer-test");
    EXPECT_EQ(target[0]["metric"]["service_instance_id"], "peer-1");
    EXPECT_EQ(target[0]["metric"]["deployment_environment"], hostile_value_repaired);
    EXPECT_EQ(target[0]["value"][1], "1");
  }

  // Exemplars: only the OpenMetrics endpoint carries them.
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const auto exemplar_trace_ids = [&](const std::string& job) {
    std::vector<std::string> ids;
    auto data = prom.api("/api/v1/query_exemplars",
                         {{"query", "task_duration_seconds_bucket{job=\"" + job + "\"}"},
                          {"start", std::to_string(now - 120)},
                          {"end", std::to_string(now + 60)}});
    if (data.is_array())
      for (const auto& series : data)
        for (const auto& e : series["exemplars"])
          ids.push_back(e["labels"].value("trace_id", std::string()));
    return ids;
  };
  std::vector<std::string> om_ids;
  EXPECT_TRUE(wait_until(deadline,
                         [&] {
                           om_ids = exemplar_trace_ids("agtel_om");
                           return std::find(om_ids.begin(), om_ids.end(), reg.exemplar_trace_id) !=
                                  om_ids.end();
                         },
                         poll))
      << "trace " << reg.exemplar_trace_id << " not among " << om_ids.size() << " exemplars";
  EXPECT_TRUE(exemplar_trace_ids("agtel_text").empty());
  EXPECT_TRUE(prom.running()) << prom.log();
}

}  // namespace
