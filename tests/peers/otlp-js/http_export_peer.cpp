// agtel's OTLP/HTTP exporters against a third-party receiver: Node's http server decoding
// with the official OpenTelemetry JavaScript decoder (http_sink.mjs). The shared fixtures
// (tests/support/otlp_fixtures.hpp: every attribute type, events, links, status, every
// metric kind with exemplars, logs of every severity) go out through
// make_otlp_*_exporter over http/protobuf (gzip) and http/json; the test reads back what
// the JS side decoded and checks the values against the fixtures, field by field.
//
// The sink is spawned by the fixture (node, bounded in time) and killed at the end. A
// missing node or node_modules fails the test with the command to run; it is never skipped.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "agtel/export/otlp_exporter.hpp"
#include "agtel/version.hpp"
#include "support/node_process.hpp"
#include "support/otlp_fixtures.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;
namespace ex = agtel::exporter;

// http_sink.mjs: Node's http server with the official OpenTelemetry JS decoder.
struct http_sink : agtel::test::node_sink {
  http_sink() : node_sink(AGTEL_NODE, std::string(AGTEL_OTLP_JS_DIR) + "/http_sink.mjs") {}
};

template <size_t N>
std::string hex(const agtel::trace::basic_id<N>& id) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t b : id.bytes()) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

// The AnyValue of `key` in an OTLP attribute list, or null.
json attr(const json& list, std::string_view key) {
  for (const auto& kv : list)
    if (kv.value("key", "") == key) return kv.value("value", json::object());
  return nullptr;
}

// The items of a decoded request, flattened over resources and scopes.
std::vector<json> items(const json& req, const char* res_key, const char* scope_key,
                        const char* item_key) {
  std::vector<json> out;
  for (const auto& r : req.value(res_key, json::array()))
    for (const auto& s : r.value(scope_key, json::array()))
      for (const auto& i : s.value(item_key, json::array())) out.push_back(i);
  return out;
}

json find_named(const std::vector<json>& list, std::string_view name) {
  for (const auto& i : list)
    if (i.value("name", "") == name) return i;
  return nullptr;
}

// 64-bit integers are strings in both the JSON mapping and the sink's protobuf reading.
std::string u64(const json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

class OtlpJsHttpExport : public testing::TestWithParam<ex::otlp_protocol> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(std::string(AGTEL_OTLP_JS_DIR) +
                           "/node_modules/@opentelemetry/otlp-transformer"))
        << "the JS peers are not installed: run `npm ci` in " << AGTEL_OTLP_JS_DIR;
    ASSERT_TRUE(sink_.running()) << "http_sink.mjs did not start:\n" << sink_.log();
  }
  bool json_protocol() const { return GetParam() == ex::otlp_protocol::http_json; }
  ex::otlp_exporter_options options(std::string_view path) const {
    ex::otlp_exporter_options o;
    o.protocol = GetParam();
    o.endpoint = sink_.url(path);
    o.gzip = !json_protocol();  // one of each: gzip'd protobuf, plain JSON
    o.headers = {{"Authorization", "Bearer agtel-peer"}};
    return o;
  }
  // The one request the sink received, after checking what every request must carry.
  json only_request(std::string_view path) const {
    auto reqs = sink_.requests();
    EXPECT_EQ(reqs.size(), 1u);
    if (reqs.empty()) return json::object();
    const json& r = reqs.back();
    EXPECT_EQ(r.value("path", ""), path);
    EXPECT_EQ(r.value("method", ""), "POST");
    EXPECT_FALSE(r.contains("error")) << r.value("error", "");
    const json& h = r["headers"];
    EXPECT_EQ(h.value("content-type", ""),
              json_protocol() ? "application/json" : "application/x-protobuf");
    EXPECT_EQ(h.value("content-encoding", ""), json_protocol() ? "" : "gzip");
    EXPECT_EQ(h.value("authorization", ""), "Bearer agtel-peer");
    EXPECT_EQ(h.value("user-agent", ""), std::string("agtel-otlp/") + agtel::version);
    return r.value("request", json::object());
  }

  http_sink sink_;
  agtel::test::otlp_fixture fixture_;
};

TEST_P(OtlpJsHttpExport, Spans) {
  auto exporter = ex::make_otlp_span_exporter(options("/v1/traces"));
  ASSERT_EQ(exporter->export_spans(fixture_.spans, agtel::steady_time::max()),
            agtel::export_result::success);
  const json req = only_request("/v1/traces");
  const auto spans = items(req, "resourceSpans", "scopeSpans", "spans");
  ASSERT_EQ(spans.size(), fixture_.spans.size());

  const auto& a = *fixture_.spans[0];
  const json s = find_named(spans, a.name);
  ASSERT_FALSE(s.is_null());
  EXPECT_EQ(s.value("traceId", ""), hex(a.context.trace_id()));
  EXPECT_EQ(s.value("spanId", ""), hex(a.context.span_id()));
  EXPECT_EQ(s.value("parentSpanId", ""), hex(a.parent_span_id));
  EXPECT_EQ(s.value("traceState", ""), "vendor=abc,other=x-y");
  EXPECT_EQ(s.value("kind", 0), 2);  // SERVER
  EXPECT_EQ(u64(s["startTimeUnixNano"]), std::to_string(a.start_time));
  EXPECT_EQ(u64(s["endTimeUnixNano"]), std::to_string(a.end_time));
  const json& at = s["attributes"];
  EXPECT_EQ(attr(at, "str")["stringValue"], "value");
  EXPECT_EQ(attr(at, "str.unicode")["stringValue"], "h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x98\x80");
  EXPECT_EQ(attr(at, "bool.true")["boolValue"], true);
  EXPECT_EQ(attr(at, "bool.false")["boolValue"], false);
  EXPECT_EQ(u64(attr(at, "int.max")["intValue"]), "9223372036854775807");
  EXPECT_EQ(u64(attr(at, "int.min")["intValue"]), "-9223372036854775808");
  EXPECT_EQ(u64(attr(at, "int.negative")["intValue"]), "-42");
  EXPECT_EQ(attr(at, "double")["doubleValue"], 3.25);
  const json arr = attr(at, "array.int")["arrayValue"]["values"];
  ASSERT_EQ(arr.size(), 3u);
  EXPECT_EQ(u64(arr[2]["intValue"]), "3000000000");
  EXPECT_EQ(attr(at, "array.string")["arrayValue"]["values"][2]["stringValue"], "c");
  EXPECT_EQ(attr(at, "array.bool")["arrayValue"]["values"][0]["boolValue"], true);
  EXPECT_EQ(attr(at, "array.double")["arrayValue"]["values"][1]["doubleValue"], -1.5);
  EXPECT_EQ(s.value("droppedAttributesCount", 0), 3);
  ASSERT_EQ(s["events"].size(), 2u);
  EXPECT_EQ(s["events"][0]["name"], "gen_ai.choice");
  EXPECT_EQ(attr(s["events"][0]["attributes"], "finish_reason")["stringValue"], "stop");
  ASSERT_EQ(s["links"].size(), 2u);
  EXPECT_EQ(s["links"][0]["traceId"], hex(a.links[0].context.trace_id()));
  EXPECT_EQ(s["links"][0]["spanId"], hex(a.links[0].context.span_id()));
  EXPECT_EQ(s["links"][0]["traceState"], "k=v");
  EXPECT_EQ(attr(s["links"][0]["attributes"], "link.kind")["stringValue"], "follows_from");
  EXPECT_EQ(s["status"].value("code", 0), 2);  // ERROR
  EXPECT_EQ(s["status"].value("message", ""), "tool timed out");
  const json root = find_named(spans, "root");
  ASSERT_FALSE(root.is_null());
  EXPECT_EQ(root["status"].value("code", 0), 1);  // OK

  // The resource travelled with the spans.
  const json& res = req["resourceSpans"][0]["resource"]["attributes"];
  EXPECT_FALSE(attr(res, "service.name").is_null());
}

TEST_P(OtlpJsHttpExport, Metrics) {
  auto exporter = ex::make_otlp_metric_exporter(options("/v1/metrics"));
  ASSERT_EQ(exporter->export_metrics(fixture_.metrics, agtel::steady_time::max()),
            agtel::export_result::success);
  const json req = only_request("/v1/metrics");
  const auto metrics = items(req, "resourceMetrics", "scopeMetrics", "metrics");

  const json gauge = find_named(metrics, "gen_ai.context.utilization");
  ASSERT_FALSE(gauge.is_null());
  const json& g1 = gauge["gauge"]["dataPoints"][0];
  EXPECT_EQ(g1["asDouble"], 0.75);
  ASSERT_EQ(g1["exemplars"].size(), 1u);
  EXPECT_EQ(g1["exemplars"][0]["asDouble"], 0.5);
  EXPECT_EQ(attr(g1["exemplars"][0]["filteredAttributes"], "session")["stringValue"], "s-1");
  EXPECT_EQ(g1["exemplars"][0].value("traceId", "").size(), 32u);

  const json counter = find_named(metrics, "gen_ai.client.token.usage");
  ASSERT_FALSE(counter.is_null());
  EXPECT_EQ(counter["sum"].value("isMonotonic", false), true);
  EXPECT_EQ(u64(counter["sum"]["dataPoints"][0]["asInt"]), "123456789012");

  const json hist = find_named(metrics, "gen_ai.client.operation.duration");
  ASSERT_FALSE(hist.is_null());
  const json& h1 = hist["histogram"]["dataPoints"][0];
  EXPECT_EQ(u64(h1["count"]), "6");
  EXPECT_EQ(h1["explicitBounds"], json::array({0.005, 0.1, 1.0, 5.0}));
  ASSERT_EQ(h1["bucketCounts"].size(), 5u);
  std::vector<std::string> buckets;
  for (const auto& b : h1["bucketCounts"]) buckets.push_back(u64(b));
  EXPECT_EQ(buckets, (std::vector<std::string>{"1", "0", "2", "2", "1"}));
  EXPECT_EQ(h1["exemplars"][0]["asDouble"], 9.0);
  EXPECT_EQ(attr(h1["attributes"], "gen_ai.request.model")["stringValue"], "m-large");

  const json exph = find_named(metrics, "tool.latency");
  ASSERT_FALSE(exph.is_null());
  EXPECT_EQ(u64(exph["exponentialHistogram"]["dataPoints"][0]["count"]), "12");
  EXPECT_FALSE(find_named(metrics, "legacy.summary")["summary"].is_null());
  EXPECT_FALSE(find_named(metrics, "agent.queue.depth").is_null());
}

TEST_P(OtlpJsHttpExport, Logs) {
  auto exporter = ex::make_otlp_log_exporter(options("/v1/logs"));
  ASSERT_EQ(exporter->export_logs(fixture_.records, agtel::steady_time::max()),
            agtel::export_result::success);
  const json req = only_request("/v1/logs");
  const auto records = items(req, "resourceLogs", "scopeLogs", "logRecords");
  ASSERT_EQ(records.size(), fixture_.records.size());
  int checked = 0;
  for (const auto& expected : fixture_.records) {
    const int64_t n = std::get<int64_t>(*expected->attributes.find("n"));
    for (const auto& r : records) {
      if (u64(attr(r["attributes"], "n")["intValue"]) != std::to_string(n)) continue;
      ++checked;
      EXPECT_EQ(r.value("severityNumber", 0), static_cast<int>(expected->severity_number)) << n;
      EXPECT_EQ(r.value("severityText", ""), expected->severity_text) << n;
      EXPECT_EQ(u64(r.value("timeUnixNano", json("0"))), std::to_string(expected->time)) << n;
      if (expected->trace_id.is_valid()) {
        EXPECT_EQ(r.value("traceId", ""), hex(expected->trace_id)) << n;
      }
      if (expected->has_body) {
        const json& body = r["body"];
        std::visit(
            [&](const auto& v) {
              using T = std::decay_t<decltype(v)>;
              if constexpr (std::is_same_v<T, std::string>) {
                EXPECT_EQ(body["stringValue"], v) << n;
              } else if constexpr (std::is_same_v<T, int64_t>) {
                EXPECT_EQ(u64(body["intValue"]), std::to_string(v)) << n;
              } else if constexpr (std::is_same_v<T, bool>) {
                EXPECT_EQ(body["boolValue"], v) << n;
              } else if constexpr (std::is_same_v<T, double>) {
                EXPECT_EQ(body["doubleValue"], v) << n;
              } else {
                EXPECT_TRUE(body.contains("arrayValue")) << n;
              }
            },
            expected->body);
      } else {
        EXPECT_FALSE(r.contains("body")) << n;
      }
    }
  }
  EXPECT_EQ(checked, static_cast<int>(fixture_.records.size()));
}

INSTANTIATE_TEST_SUITE_P(Protocols, OtlpJsHttpExport,
                         testing::Values(ex::otlp_protocol::http_protobuf,
                                         ex::otlp_protocol::http_json),
                         [](const auto& info) {
                           return info.param == ex::otlp_protocol::http_json ? "http_json"
                                                                             : "http_protobuf_gzip";
                         });

}  // namespace
