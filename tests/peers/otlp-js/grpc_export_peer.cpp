// agtel's OTLP/gRPC exporters against a third-party receiver: a @grpc/grpc-js server that
// decodes with @grpc/proto-loader and the .proto files of the OpenTelemetry JS project
// (grpc_sink.mjs). Spans, metric points and log records with every field we encode go out
// through make_otlp_*_exporter (protocol grpc, gzip, headers); the test reads back what the
// JS side decoded. Then the exporter's behaviour against that server: a retry after
// UNAVAILABLE with RetryInfo, a partial success, a non-retryable answer.
//
// The sink is spawned by the fixture (node, bounded in time) and killed at the end. A
// missing node or node_modules fails the test with the command to run; it is never skipped.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/export/otlp_exporter.hpp"
#include "agtel/logs/log_record_data.hpp"
#include "agtel/metrics/metric_data.hpp"
#include "agtel/trace/span_data.hpp"
#include "support/node_process.hpp"

namespace {

using namespace std::chrono_literals;
using agtel::export_result;
using nlohmann::json;
namespace fs = std::filesystem;
namespace ex = agtel::exporter;

// ---- the sink process -----------------------------------------------------------------------

// grpc_sink.mjs: a grpc-js server, whose requests() are the calls it saw.
struct grpc_sink : agtel::test::node_sink {
  grpc_sink() : node_sink(AGTEL_NODE, std::string(AGTEL_OTLP_JS_DIR) + "/grpc_sink.mjs") {}
};

class OtlpJsGrpcExport : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(std::string(AGTEL_OTLP_JS_DIR) + "/node_modules/@grpc/grpc-js"))
        << "the JS peers are not installed: run `npm ci` in " << AGTEL_OTLP_JS_DIR;
    ASSERT_TRUE(sink_.running()) << "grpc_sink.mjs did not start:\n" << sink_.log();
  }

  ex::otlp_exporter_options options(std::vector<std::pair<std::string, std::string>> headers = {}) {
    ex::otlp_exporter_options o;
    o.protocol = ex::otlp_protocol::grpc;
    o.endpoint = sink_.url();
    o.gzip = true;
    o.timeout = 10s;
    o.headers = std::move(headers);
    o.headers.emplace_back("Authorization", "Bearer agtel-test");
    return o;
  }

  grpc_sink sink_;
};

// ---- data with every field the encoders write ------------------------------------------------

agtel::trace::trace_id tid(const char* hex) {
  return *agtel::trace::trace_id::from_hex(hex);
}
agtel::trace::span_id sid(const char* hex) {
  return *agtel::trace::span_id::from_hex(hex);
}

constexpr const char* trace_hex = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr const char* span_hex = "00f067aa0ba902b7";
constexpr const char* parent_hex = "a1b2c3d4e5f60718";
constexpr const char* link_trace_hex = "0af7651916cd43dd8448eb211c80319c";
constexpr const char* link_span_hex = "b7ad6b7169203331";

const agtel::resource& test_resource() {
  static const agtel::resource r = [] {
    agtel::resource res;
    res.attributes.set("service.name", "grpc-peer");
    res.attributes.set("host.cores", 2);
    return res;
  }();
  return r;
}
const agtel::instrumentation_scope& test_scope() {
  static const agtel::instrumentation_scope s = [] {
    agtel::instrumentation_scope scope;
    scope.name = "agtel.peer";
    scope.version = "1.2.3";
    scope.attributes.set("scope.kind", "test");
    return scope;
  }();
  return s;
}

// Attributes of every type the data model has.
void set_every_type(agtel::attribute_list& a) {
  static const bool flags[] = {true, false, true};
  a.set("str", "tool \xe2\x9c\x93");  // UTF-8
  a.set("bool", false);
  a.set("int", int64_t{-9007199254740993});  // beyond a double's exact range
  a.set("double", 0.25);
  a.set("str_array", std::vector<std::string>{"a", "", "c"});
  a.set("bool_array", std::span<const bool>(flags));
  a.set("int_array", std::vector<int64_t>{1, -2, 3});
  a.set("double_array", std::vector<double>{1.5, -0.5});
}

std::vector<agtel::trace::span_ptr> test_spans() {
  using namespace agtel::trace;
  auto child = span_ptr::make();
  child->context = span_context(tid(trace_hex), sid(span_hex), trace_flags{1}, false,
                                trace_state::parse("vendor=value"));
  child->parent_span_id = sid(parent_hex);
  child->name = "llm.call";
  child->kind = span_kind::client;
  child->start_time = 1'700'000'000'123'456'789ull;
  child->end_time = 1'700'000'001'123'456'789ull;
  set_every_type(child->attributes);
  auto& event = child->events.next();
  event.name = "first_token";
  event.time = 1'700'000'000'500'000'000ull;
  event.attributes.clear();
  event.attributes.set("tokens", 12);
  auto& link = child->links.next();
  link.context = span_context(tid(link_trace_hex), sid(link_span_hex), trace_flags{1}, true,
                              trace_state::parse("k=v"));
  link.attributes.clear();
  link.attributes.set("link.reason", "retry");
  child->dropped_events = 2;
  child->dropped_links = 1;
  child->status = {status_code::error, "rate limited"};
  child->resource = &test_resource();
  child->scope = &test_scope();

  auto root = span_ptr::make();
  root->context = span_context(tid(trace_hex), sid(parent_hex), trace_flags{1}, false);
  root->name = "agent.run";
  root->kind = span_kind::server;
  root->start_time = 1'700'000'000'000'000'000ull;
  root->end_time = 1'700'000'002'000'000'000ull;
  root->status = {status_code::ok, ""};
  root->resource = &test_resource();
  root->scope = &test_scope();
  return {child, root};
}

// A sum with an exemplar, a gauge, an explicit-bucket and an exponential histogram.
agtel::metrics::resource_metrics test_metrics() {
  using namespace agtel::metrics;
  resource_metrics batch;
  batch.resource = &test_resource();
  auto& scope = batch.scopes.next();
  scope.scope = &test_scope();
  scope.metrics.clear();

  auto& tokens = scope.metrics.next();
  tokens.name = "gen_ai.client.token.usage.total";
  tokens.description = "tokens used";
  tokens.unit = "{token}";
  sum_data sum;
  sum.temporality = aggregation_temporality::cumulative;
  sum.monotonic = true;
  auto& sp = sum.points.next();
  sp.attributes.set("gen_ai.request.model", "m-1");
  sp.start_time = 1'700'000'000'000'000'000ull;
  sp.time = 1'700'000'060'000'000'000ull;
  sp.value = int64_t{4096};
  auto& ex = sp.exemplars.next();
  ex.time = 1'700'000'030'000'000'000ull;
  ex.value = int64_t{512};
  ex.trace_id = tid(trace_hex);
  ex.span_id = sid(span_hex);
  ex.filtered_attributes.set("user", "u1");
  tokens.data = std::move(sum);

  auto& ratio = scope.metrics.next();
  ratio.name = "agent.context.utilization";
  ratio.unit = "1";
  gauge_data gauge;
  auto& gp = gauge.points.next();
  gp.time = 1'700'000'060'000'000'000ull;
  gp.value = 0.75;
  ratio.data = std::move(gauge);

  auto& latency = scope.metrics.next();
  latency.name = "gen_ai.client.operation.duration";
  latency.unit = "s";
  histogram_data hist;
  hist.temporality = aggregation_temporality::delta;
  auto& hp = hist.points.next();
  hp.attributes.set("tool", "search");
  hp.start_time = 1'700'000'000'000'000'000ull;
  hp.time = 1'700'000'060'000'000'000ull;
  hp.count = 6;
  hp.sum = 12.5;
  hp.min = 0.004;
  hp.max = 7.0;
  hp.bounds = {0.005, 0.1, 1.0, 5.0};
  hp.bucket_counts = {1, 2, 0, 2, 1};
  auto& hex = hp.exemplars.next();
  hex.time = 1'700'000'059'000'000'000ull;
  hex.value = 7.0;
  hex.trace_id = tid(trace_hex);
  hex.span_id = sid(span_hex);
  latency.data = std::move(hist);

  auto& sizes = scope.metrics.next();
  sizes.name = "agent.payload.size";
  sizes.unit = "By";
  exponential_histogram_data expo;
  expo.temporality = aggregation_temporality::cumulative;
  auto& ep = expo.points.next();
  ep.start_time = 1'700'000'000'000'000'000ull;
  ep.time = 1'700'000'060'000'000'000ull;
  ep.count = 7;
  ep.sum = 100.0;
  ep.scale = 2;
  ep.zero_count = 1;
  ep.positive = {3, {2, 3}};
  ep.negative = {-1, {1}};
  ep.min = -1.0;
  ep.max = 40.0;
  sizes.data = std::move(expo);
  return batch;
}

std::vector<agtel::logs::log_record_ptr> test_logs() {
  using namespace agtel::logs;
  auto in_span = log_record_ptr::make();
  in_span->time = 1'700'000'000'700'000'000ull;
  in_span->observed_time = 1'700'000'000'700'000'100ull;
  in_span->severity_number = severity::warn;
  in_span->severity_text = "warning";
  in_span->body = std::string("tool call retried");
  in_span->has_body = true;
  in_span->attributes.set("attempt", 2);
  in_span->attributes.set("tool", "search");
  in_span->trace_id = tid(trace_hex);
  in_span->span_id = sid(span_hex);
  in_span->trace_flags = agtel::trace::trace_flags{1};
  in_span->resource = &test_resource();
  in_span->scope = &test_scope();

  auto numeric = log_record_ptr::make();
  numeric->time = 1'700'000'000'800'000'000ull;
  numeric->observed_time = 1'700'000'000'800'000'000ull;
  numeric->severity_number = static_cast<severity>(18);  // ERROR2
  numeric->body = int64_t{42};
  numeric->has_body = true;
  numeric->resource = &test_resource();
  numeric->scope = &test_scope();

  auto bodiless = log_record_ptr::make();
  bodiless->observed_time = 1'700'000'000'900'000'000ull;
  bodiless->severity_number = severity::info;
  bodiless->resource = &test_resource();
  bodiless->scope = &test_scope();
  return {in_span, numeric, bodiless};
}

// ---- reading proto-loader's objects ----------------------------------------------------------

// The AnyValue under `key` in a KeyValue list, or null.
json attribute(const json& list, const std::string& key) {
  if (!list.is_array()) return nullptr;
  for (const auto& kv : list)
    if (kv.value("key", "") == key) return kv.at("value");
  return nullptr;
}

void expect_every_type(const json& attrs) {
  EXPECT_EQ(attribute(attrs, "str")["stringValue"], "tool \xe2\x9c\x93");
  EXPECT_EQ(attribute(attrs, "bool")["value"], "boolValue");
  EXPECT_EQ(attribute(attrs, "bool")["boolValue"], false);
  EXPECT_EQ(attribute(attrs, "int")["intValue"], "-9007199254740993");
  EXPECT_EQ(attribute(attrs, "double")["doubleValue"], 0.25);
  EXPECT_EQ(attribute(attrs, "str_array")["arrayValue"]["values"],
            json::parse(R"([{"stringValue":"a","value":"stringValue"},
                            {"stringValue":"","value":"stringValue"},
                            {"stringValue":"c","value":"stringValue"}])"));
  EXPECT_EQ(attribute(attrs, "bool_array")["arrayValue"]["values"],
            json::parse(R"([{"boolValue":true,"value":"boolValue"},
                            {"boolValue":false,"value":"boolValue"},
                            {"boolValue":true,"value":"boolValue"}])"));
  EXPECT_EQ(
      attribute(attrs, "int_array")["arrayValue"]["values"],
      json::parse(R"([{"intValue":"1","value":"intValue"},{"intValue":"-2","value":"intValue"},
                            {"intValue":"3","value":"intValue"}])"));
  EXPECT_EQ(attribute(attrs, "double_array")["arrayValue"]["values"],
            json::parse(R"([{"doubleValue":1.5,"value":"doubleValue"},
                            {"doubleValue":-0.5,"value":"doubleValue"}])"));
}

void expect_resource_and_scope(const json& resource_level, const char* scope_list) {
  EXPECT_EQ(attribute(resource_level["resource"]["attributes"], "service.name")["stringValue"],
            "grpc-peer");
  EXPECT_EQ(attribute(resource_level["resource"]["attributes"], "host.cores")["intValue"], "2");
  const json& scope = resource_level[scope_list].at(0)["scope"];
  EXPECT_EQ(scope["name"], "agtel.peer");
  EXPECT_EQ(scope["version"], "1.2.3");
  // (Scope attributes are not checked here: the 0.38 .proto files predate them. The
  // protobuf peer test checks them with the 0.57 decoder.)
}

// The metadata every call carried.
void expect_metadata(const json& call) {
  EXPECT_EQ(call["metadata"]["authorization"], "Bearer agtel-test");
  EXPECT_THAT(call["metadata"]["user-agent"].get<std::string>(),
              testing::StartsWith("OTel-OTLP-Exporter-Cpp-agtel/"));
}

// ---- the tests -------------------------------------------------------------------------------

TEST_F(OtlpJsGrpcExport, SpansAsTheJsServerDecodesThem) {
  auto exporter = ex::make_otlp_span_exporter(options());
  const auto spans = test_spans();
  ASSERT_EQ(exporter->export_spans(spans, std::chrono::steady_clock::now() + 10s),
            export_result::success);
  const auto calls = sink_.requests();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["signal"], "traces");
  expect_metadata(calls[0]);
  const json& rs = calls[0]["request"]["resourceSpans"];
  ASSERT_EQ(rs.size(), 1u);
  expect_resource_and_scope(rs[0], "scopeSpans");
  const json& out = rs[0]["scopeSpans"][0]["spans"];
  ASSERT_EQ(out.size(), 2u);

  const json& child = out[0];
  EXPECT_EQ(child["traceId"], trace_hex);
  EXPECT_EQ(child["spanId"], span_hex);
  EXPECT_EQ(child["parentSpanId"], parent_hex);
  EXPECT_EQ(child["traceState"], "vendor=value");
  EXPECT_EQ(child["name"], "llm.call");
  EXPECT_EQ(child["kind"], 3);  // SPAN_KIND_CLIENT
  EXPECT_EQ(child["startTimeUnixNano"], "1700000000123456789");
  EXPECT_EQ(child["endTimeUnixNano"], "1700000001123456789");
  expect_every_type(child["attributes"]);
  ASSERT_EQ(child["events"].size(), 1u);
  EXPECT_EQ(child["events"][0]["name"], "first_token");
  EXPECT_EQ(child["events"][0]["timeUnixNano"], "1700000000500000000");
  EXPECT_EQ(attribute(child["events"][0]["attributes"], "tokens")["intValue"], "12");
  EXPECT_EQ(child["droppedEventsCount"], 2);
  ASSERT_EQ(child["links"].size(), 1u);
  EXPECT_EQ(child["links"][0]["traceId"], link_trace_hex);
  EXPECT_EQ(child["links"][0]["spanId"], link_span_hex);
  EXPECT_EQ(child["links"][0]["traceState"], "k=v");
  EXPECT_EQ(attribute(child["links"][0]["attributes"], "link.reason")["stringValue"], "retry");
  EXPECT_EQ(child["droppedLinksCount"], 1);
  EXPECT_EQ(child["status"]["code"], 2);  // STATUS_CODE_ERROR
  EXPECT_EQ(child["status"]["message"], "rate limited");

  const json& root = out[1];
  EXPECT_EQ(root["spanId"], parent_hex);
  EXPECT_FALSE(root.contains("parentSpanId"));  // no parent: the field is absent
  EXPECT_EQ(root["kind"], 2);                   // SPAN_KIND_SERVER
  EXPECT_EQ(root["status"]["code"], 1);         // STATUS_CODE_OK

  const auto stats = ex::otlp_stats(*exporter)->stats();
  EXPECT_EQ(stats.exported_items, 2u);
  EXPECT_EQ(stats.requests, 1u);
  EXPECT_GT(stats.bytes_sent, 0u);
}

TEST_F(OtlpJsGrpcExport, MetricsAsTheJsServerDecodesThem) {
  auto exporter = ex::make_otlp_metric_exporter(options());
  const auto batch = test_metrics();
  ASSERT_EQ(exporter->export_metrics(batch, std::chrono::steady_clock::now() + 10s),
            export_result::success);
  const auto calls = sink_.requests();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["signal"], "metrics");
  expect_metadata(calls[0]);
  const json& rm = calls[0]["request"]["resourceMetrics"];
  ASSERT_EQ(rm.size(), 1u);
  expect_resource_and_scope(rm[0], "scopeMetrics");
  const json& metrics = rm[0]["scopeMetrics"][0]["metrics"];
  ASSERT_EQ(metrics.size(), 4u);

  const json& sum = metrics[0];
  EXPECT_EQ(sum["name"], "gen_ai.client.token.usage.total");
  EXPECT_EQ(sum["description"], "tokens used");
  EXPECT_EQ(sum["unit"], "{token}");
  EXPECT_EQ(sum["data"], "sum");
  EXPECT_EQ(sum["sum"]["aggregationTemporality"], 2);
  EXPECT_EQ(sum["sum"]["isMonotonic"], true);
  const json& sp = sum["sum"]["dataPoints"].at(0);
  EXPECT_EQ(sp["asInt"], "4096");
  EXPECT_EQ(sp["startTimeUnixNano"], "1700000000000000000");
  EXPECT_EQ(sp["timeUnixNano"], "1700000060000000000");
  EXPECT_EQ(attribute(sp["attributes"], "gen_ai.request.model")["stringValue"], "m-1");
  const json& ex = sp["exemplars"].at(0);
  EXPECT_EQ(ex["asInt"], "512");
  EXPECT_EQ(ex["timeUnixNano"], "1700000030000000000");
  EXPECT_EQ(ex["traceId"], trace_hex);
  EXPECT_EQ(ex["spanId"], span_hex);
  EXPECT_EQ(attribute(ex["filteredAttributes"], "user")["stringValue"], "u1");

  const json& gauge = metrics[1];
  EXPECT_EQ(gauge["data"], "gauge");
  EXPECT_EQ(gauge["gauge"]["dataPoints"].at(0)["asDouble"], 0.75);

  const json& hist = metrics[2];
  EXPECT_EQ(hist["data"], "histogram");
  EXPECT_EQ(hist["histogram"]["aggregationTemporality"], 1);
  const json& hp = hist["histogram"]["dataPoints"].at(0);
  EXPECT_EQ(hp["count"], "6");
  EXPECT_EQ(hp["sum"], 12.5);
  EXPECT_EQ(hp["min"], 0.004);
  EXPECT_EQ(hp["max"], 7.0);
  EXPECT_EQ(hp["explicitBounds"], json::parse("[0.005, 0.1, 1.0, 5.0]"));
  EXPECT_EQ(hp["bucketCounts"], json::parse(R"(["1","2","0","2","1"])"));
  EXPECT_EQ(attribute(hp["attributes"], "tool")["stringValue"], "search");
  EXPECT_EQ(hp["exemplars"].at(0)["asDouble"], 7.0);
  EXPECT_EQ(hp["exemplars"].at(0)["spanId"], span_hex);

  const json& expo = metrics[3];
  EXPECT_EQ(expo["data"], "exponentialHistogram");
  const json& ep = expo["exponentialHistogram"]["dataPoints"].at(0);
  EXPECT_EQ(ep["count"], "7");
  EXPECT_EQ(ep["sum"], 100.0);
  EXPECT_EQ(ep["scale"], 2);
  EXPECT_EQ(ep["zeroCount"], "1");
  EXPECT_EQ(ep["positive"]["offset"], 3);
  EXPECT_EQ(ep["positive"]["bucketCounts"], json::parse(R"(["2","3"])"));
  EXPECT_EQ(ep["negative"]["offset"], -1);
  EXPECT_EQ(ep["negative"]["bucketCounts"], json::parse(R"(["1"])"));
  EXPECT_EQ(ep["min"], -1.0);
  EXPECT_EQ(ep["max"], 40.0);

  EXPECT_EQ(ex::otlp_stats(*exporter)->stats().exported_items, 4u);
}

TEST_F(OtlpJsGrpcExport, LogsAsTheJsServerDecodesThem) {
  auto exporter = ex::make_otlp_log_exporter(options());
  const auto records = test_logs();
  ASSERT_EQ(exporter->export_logs(records, std::chrono::steady_clock::now() + 10s),
            export_result::success);
  const auto calls = sink_.requests();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]["signal"], "logs");
  expect_metadata(calls[0]);
  const json& rl = calls[0]["request"]["resourceLogs"];
  ASSERT_EQ(rl.size(), 1u);
  expect_resource_and_scope(rl[0], "scopeLogs");
  const json& out = rl[0]["scopeLogs"][0]["logRecords"];
  ASSERT_EQ(out.size(), 3u);

  EXPECT_EQ(out[0]["timeUnixNano"], "1700000000700000000");
  EXPECT_EQ(out[0]["observedTimeUnixNano"], "1700000000700000100");
  EXPECT_EQ(out[0]["severityNumber"], 13);  // WARN
  EXPECT_EQ(out[0]["severityText"], "warning");
  EXPECT_EQ(out[0]["body"]["stringValue"], "tool call retried");
  EXPECT_EQ(attribute(out[0]["attributes"], "attempt")["intValue"], "2");
  EXPECT_EQ(attribute(out[0]["attributes"], "tool")["stringValue"], "search");
  EXPECT_EQ(out[0]["traceId"], trace_hex);
  EXPECT_EQ(out[0]["spanId"], span_hex);
  EXPECT_EQ(out[0]["flags"], 1);

  EXPECT_EQ(out[1]["severityNumber"], 18);  // ERROR2
  EXPECT_EQ(out[1]["body"]["intValue"], "42");
  EXPECT_FALSE(out[1].contains("traceId"));  // outside a span: no ids on the wire

  EXPECT_EQ(out[2]["severityNumber"], 9);  // INFO
  EXPECT_FALSE(out[2].contains("body"));

  EXPECT_EQ(ex::otlp_stats(*exporter)->stats().exported_items, 3u);
}

TEST_F(OtlpJsGrpcExport, UnavailableWithRetryInfoIsRetriedAfterTheServersDelay) {
  // The sink answers the first call UNAVAILABLE with RetryInfo 200 ms, then OK. The
  // exporter's own backoff (5 s) is far longer: a retry around 200 ms proves the RetryInfo
  // trailer was read from a real grpc-js server.
  auto o = options({{"x-sink-answer", "unavailable-once"}, {"x-sink-key", "retry"}});
  o.initial_backoff = 5s;
  o.max_backoff = 5s;
  auto exporter = ex::make_otlp_span_exporter(o);
  const auto spans = test_spans();
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(exporter->export_spans(spans, start + 10s), export_result::success);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 200ms);
  EXPECT_LT(took, 3s);

  const auto calls = sink_.requests();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0]["answer"], "UNAVAILABLE");
  EXPECT_EQ(calls[1]["answer"], "OK");
  EXPECT_EQ(calls[0]["request"], calls[1]["request"]);  // the same batch, sent again
  EXPECT_EQ(calls[1]["request"]["resourceSpans"][0]["scopeSpans"][0]["spans"].size(), 2u);

  const auto stats = ex::otlp_stats(*exporter)->stats();
  EXPECT_EQ(stats.requests, 2u);
  EXPECT_EQ(stats.retries, 1u);
  EXPECT_EQ(stats.exported_items, 2u);
  EXPECT_EQ(stats.failed_items(), 0u);
}

TEST_F(OtlpJsGrpcExport, APartialSuccessIsCountedReportedOnceAndNotRetried) {
  std::mutex mutex;
  std::vector<std::string> diagnostics;
  agtel::detail::reset_diagnostics_for_testing();
  agtel::set_diagnostic_handler([&](agtel::diag_level, std::string_view, std::string_view m) {
    std::lock_guard lock(mutex);
    diagnostics.emplace_back(m);
  });
  {
    auto exporter = ex::make_otlp_log_exporter(options({{"x-sink-answer", "partial"}}));
    const auto records = test_logs();
    EXPECT_EQ(exporter->export_logs(records, std::chrono::steady_clock::now() + 10s),
              export_result::success);
    EXPECT_EQ(exporter->export_logs(records, std::chrono::steady_clock::now() + 10s),
              export_result::success);
    const auto stats = ex::otlp_stats(*exporter)->stats();
    EXPECT_EQ(stats.requests, 2u);  // one per export: no retry
    EXPECT_EQ(stats.rejected_items, 2u);
    EXPECT_EQ(stats.exported_items, 4u);
  }
  agtel::set_diagnostic_handler(nullptr);
  EXPECT_EQ(sink_.requests().size(), 2u);
  int reports = 0;
  for (const auto& m : diagnostics)
    reports += m.find("sink rejected one item") != std::string::npos;
  EXPECT_EQ(reports, 1);
}

TEST_F(OtlpJsGrpcExport, InvalidArgumentIsNotRetried) {
  auto exporter = ex::make_otlp_metric_exporter(options({{"x-sink-answer", "invalid"}}));
  const auto batch = test_metrics();
  EXPECT_EQ(exporter->export_metrics(batch, std::chrono::steady_clock::now() + 10s),
            export_result::failure);
  EXPECT_EQ(sink_.requests().size(), 1u);
  const auto stats = ex::otlp_stats(*exporter)->stats();
  EXPECT_EQ(stats.requests, 1u);
  EXPECT_EQ(stats.failed_non_retryable, 4u);
}

}  // namespace
