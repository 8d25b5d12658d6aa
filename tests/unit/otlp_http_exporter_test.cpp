// The OTLP/HTTP exporters against an in-process cpp-httplib server: an independent HTTP
// implementation judges the requests (method, path, headers, gzip) and our own decoders
// read the bodies back. Faults (refused, 503, resets, stalls) are in
// tests/concurrency/otlp_fault_test.cpp.
#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/export/otlp_exporter.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/metrics/metric_reader.hpp"
#include "agtel/version.hpp"
#include "export/otlp/export_core.hpp"
#include "otlp/codec.hpp"

namespace agtel::exporter {
namespace {

using std::chrono::milliseconds;

// One recorded request.
struct received {
  std::string method, path, body;
  httplib::Headers headers;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);  // httplib compares header names case-insensitively
    return it == headers.end() ? std::string() : it->second;
  }
};

// A cpp-httplib server on 127.0.0.1 that records every POST and answers with the status
// and body the test sets.
class sink {
 public:
  sink() {
    server_.Post(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      requests_.push_back({req.method, req.path, req.body, req.headers});
      res.status = status_;
      res.set_content(response_, content_type_);
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs would be lost (httplib 0.11), hanging the join.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~sink() {
    server_.stop();
    thread_.join();
  }
  std::string url(std::string_view path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  void answer(int status, std::string body, std::string content_type) {
    std::lock_guard lock(mutex_);
    status_ = status;
    response_ = std::move(body);
    content_type_ = std::move(content_type);
  }
  std::vector<received> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<received> requests_;
  int status_ = 200;
  std::string response_;
  std::string content_type_ = "application/x-protobuf";
};

const agtel::resource& test_resource() {
  static const agtel::resource r{{{"service.name", "otlp-http-test"}}, ""};
  return r;
}
const instrumentation_scope& test_scope() {
  static const instrumentation_scope s{"agtel.test", "1.0", "", {}};
  return s;
}

std::vector<trace::span_ptr> make_spans(int n) {
  std::vector<trace::span_ptr> out;
  for (int i = 0; i < n; ++i) {
    auto s = trace::span_ptr::make();
    s->context = trace::span_context(*trace::trace_id::from_hex("0102030405060708090a0b0c0d0e0f10"),
                                     *trace::span_id::from_hex("1112131415161718"),
                                     trace::trace_flags(1), false);
    s->name = "span-" + std::to_string(i);
    s->kind = trace::span_kind::client;
    s->start_time = 1'700'000'000'000'000'000ULL + static_cast<uint64_t>(i);
    s->end_time = s->start_time + 1000;
    s->attributes.set("i", int64_t{i});
    s->attributes.set("tool.name", "grep");
    s->resource = &test_resource();
    s->scope = &test_scope();
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<logs::log_record_ptr> make_logs(int n) {
  std::vector<logs::log_record_ptr> out;
  for (int i = 0; i < n; ++i) {
    auto r = logs::log_record_ptr::make();
    r->time = r->observed_time = 1'700'000'000'000'000'000ULL;
    r->severity_number = logs::severity::warn;
    r->severity_text = "WARN";
    r->body = "tool timed out " + std::to_string(i);
    r->has_body = true;
    r->resource = &test_resource();
    r->scope = &test_scope();
    out.push_back(std::move(r));
  }
  return out;
}

// A collection with one counter (2 points) and one histogram (1 point).
void fill_metrics(metrics::resource_metrics& rm) {
  rm.clear();
  rm.resource = &test_resource();
  auto& sm = rm.scopes.next();
  sm.scope = &test_scope();
  sm.metrics.clear();
  auto& counter = sm.metrics.next();
  counter.name = "gen_ai.client.token.usage";
  counter.unit = "{token}";
  metrics::sum_data sum;
  sum.monotonic = true;
  for (int i = 0; i < 2; ++i) {
    auto& p = sum.points.next();
    p.attributes = attribute_list{{"gen_ai.token.type", i == 0 ? "input" : "output"}};
    p.start_time = 1;
    p.time = 2;
    p.value = int64_t{100 + i};
  }
  counter.data = std::move(sum);
  auto& hist = sm.metrics.next();
  hist.name = "tool.duration";
  hist.unit = "s";
  metrics::histogram_data h;
  auto& hp = h.points.next();
  hp.start_time = 1;
  hp.time = 2;
  hp.count = 3;
  hp.sum = 1.5;
  hp.bounds = {0.1, 1.0};
  hp.bucket_counts = {1, 1, 1};
  hist.data = std::move(h);
}

otlp_exporter_options options_for(const sink& s, std::string_view path,
                                  otlp_protocol protocol = otlp_protocol::http_protobuf) {
  otlp_exporter_options o;
  o.protocol = protocol;
  o.endpoint = s.url(path);
  o.timeout = milliseconds(5000);
  return o;
}

// Records diagnostics for the test's lifetime.
class diag_capture {
 public:
  diag_capture() {
    agtel::detail::reset_diagnostics_for_testing();
    set_diagnostic_handler([this](diag_level, std::string_view component, std::string_view m) {
      std::lock_guard lock(mutex_);
      lines_.push_back(std::string(component) + ": " + std::string(m));
    });
  }
  ~diag_capture() {
    set_diagnostic_handler(nullptr);
    agtel::detail::reset_diagnostics_for_testing();
  }
  std::vector<std::string> containing(std::string_view needle) {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (auto& l : lines_)
      if (l.find(needle) != std::string::npos) out.push_back(l);
    return out;
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> lines_;
};

TEST(OtlpHttpExporter, PostsProtobufSpansWithHeaders) {
  sink server;
  auto o = options_for(server, "/v1/traces");
  o.headers = {{"Authorization", "Bearer s3cret"}, {"x-tenant", "a b"}};
  auto exporter = make_otlp_span_exporter(o);
  auto stats = otlp_stats(*exporter);
  ASSERT_TRUE(stats);
  auto spans = make_spans(3);
  EXPECT_EQ(exporter->export_spans(spans, steady_time::max()), export_result::success);

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].path, "/v1/traces");
  EXPECT_EQ(reqs[0].header("Content-Type"), "application/x-protobuf");
  EXPECT_EQ(reqs[0].header("Content-Encoding"), "");
  EXPECT_EQ(reqs[0].header("User-Agent"), std::string("agtel-otlp/") + agtel::version);
  EXPECT_EQ(reqs[0].header("Authorization"), "Bearer s3cret");
  EXPECT_EQ(reqs[0].header("X-Tenant"), "a b");

  otlp::trace_batch decoded;
  ASSERT_EQ(otlp::decode_traces_protobuf(reqs[0].body, decoded), "");
  ASSERT_EQ(decoded.spans.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(decoded.spans[i]->name, "span-" + std::to_string(i));
    EXPECT_EQ(decoded.spans[i]->context.trace_id(), spans[i]->context.trace_id());
    EXPECT_EQ(decoded.spans[i]->start_time, spans[i]->start_time);
  }
  const otlp_exporter_stats st = stats->stats();
  EXPECT_EQ(st.exported_items, 3u);
  EXPECT_EQ(st.failed_items(), 0u);
  EXPECT_EQ(st.requests, 1u);
  EXPECT_EQ(st.retries, 0u);
  EXPECT_EQ(st.bytes_sent, reqs[0].body.size());
  EXPECT_EQ(stats->component_type(), "otlp_http_span_exporter");
  EXPECT_TRUE(stats->component_name().starts_with("otlp_http_span_exporter/"));
}

TEST(OtlpHttpExporter, PostsJsonWhenAsked) {
  sink server;
  server.answer(200, "{}", "application/json");
  auto exporter =
      make_otlp_span_exporter(options_for(server, "/v1/traces", otlp_protocol::http_json));
  EXPECT_EQ(exporter->export_spans(make_spans(2), steady_time::max()), export_result::success);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].header("Content-Type"), "application/json");
  otlp::trace_batch decoded;
  ASSERT_EQ(otlp::decode_traces_json(reqs[0].body, decoded), "");
  ASSERT_EQ(decoded.spans.size(), 2u);
  EXPECT_EQ(decoded.spans[1]->name, "span-1");
  EXPECT_EQ(otlp_stats(*exporter)->component_type(), "otlp_http_json_span_exporter");
}

TEST(OtlpHttpExporter, GzipsTheBodyWhenAsked) {
  sink server;
  auto o = options_for(server, "/v1/traces");
  o.gzip = true;
  auto exporter = make_otlp_span_exporter(o);
  auto stats = otlp_stats(*exporter);
  // Two exports: the compressor is reused between them.
  for (int round = 0; round < 2; ++round)
    EXPECT_EQ(exporter->export_spans(make_spans(200), steady_time::max()), export_result::success);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2u);
  for (const auto& r : reqs) {
    EXPECT_EQ(r.header("Content-Encoding"), "gzip");
    // httplib inflated the body; our decoder reads it.
    otlp::trace_batch decoded;
    ASSERT_EQ(otlp::decode_traces_protobuf(r.body, decoded), "");
    EXPECT_EQ(decoded.spans.size(), 200u);
  }
  // What went on the wire is the compressed size: far smaller than the protobuf.
  EXPECT_LT(stats->stats().bytes_sent, reqs[0].body.size());
  EXPECT_GT(stats->stats().bytes_sent, 0u);
}

TEST(OtlpHttpExporter, ExportsMetricsWithTheTemporalityPreference) {
  sink server;
  auto exporter =
      make_otlp_metric_exporter(options_for(server, "/v1/metrics"), metrics::delta_temporality);
  EXPECT_EQ(exporter->preferred_temporality(metrics::instrument_kind::counter),
            metrics::aggregation_temporality::delta);
  EXPECT_EQ(exporter->preferred_temporality(metrics::instrument_kind::up_down_counter),
            metrics::aggregation_temporality::cumulative);
  EXPECT_EQ(make_otlp_metric_exporter(options_for(server, "/v1/metrics"))
                ->preferred_temporality(metrics::instrument_kind::counter),
            metrics::aggregation_temporality::cumulative);

  metrics::resource_metrics rm;
  fill_metrics(rm);
  EXPECT_EQ(exporter->export_metrics(rm, steady_time::max()), export_result::success);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path, "/v1/metrics");
  otlp::metric_batch decoded;
  ASSERT_EQ(otlp::decode_metrics_protobuf(reqs[0].body, decoded), "");
  ASSERT_EQ(decoded.resource_metrics.size(), 1u);
  ASSERT_EQ(decoded.resource_metrics[0].scopes.size(), 1u);
  EXPECT_EQ(decoded.resource_metrics[0].scopes[0].metrics.size(), 2u);
  auto stats = otlp_stats(*exporter);
  EXPECT_EQ(stats->stats().exported_items, 3u);  // data points, not metrics
  EXPECT_EQ(stats->item_kind(), "metric_data_point");
  // An empty collection sends nothing.
  rm.clear();
  EXPECT_EQ(exporter->export_metrics(rm, steady_time::max()), export_result::success);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(OtlpHttpExporter, ExportsLogs) {
  sink server;
  auto exporter = make_otlp_log_exporter(options_for(server, "/v1/logs"));
  EXPECT_EQ(exporter->export_logs(make_logs(4), steady_time::max()), export_result::success);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].path, "/v1/logs");
  otlp::log_batch decoded;
  ASSERT_EQ(otlp::decode_logs_protobuf(reqs[0].body, decoded), "");
  ASSERT_EQ(decoded.records.size(), 4u);
  EXPECT_EQ(decoded.records[3]->severity_number, logs::severity::warn);
  EXPECT_EQ(std::get<std::string>(decoded.records[3]->body), "tool timed out 3");
  EXPECT_EQ(otlp_stats(*exporter)->stats().exported_items, 4u);
  EXPECT_EQ(otlp_stats(*exporter)->item_kind(), "log");
}

// ExportTraceServiceResponse{partial_success{rejected_spans: 2, error_message: "bad ids"}}
// written by hand from the wire format: field 1 (message) { field 1 varint, field 2 bytes }.
std::string partial_success_protobuf() {
  std::string inner =
      "\x08\x02\x12\x07"
      "bad ids";
  return std::string("\x0a") + static_cast<char>(inner.size()) + inner;
}

TEST(OtlpHttpExporter, PartialSuccessIsCountedAndReportedOnce) {
  diag_capture diags;
  sink server;
  server.answer(200, partial_success_protobuf(), "application/x-protobuf");
  auto exporter = make_otlp_span_exporter(options_for(server, "/v1/traces"));
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(exporter->export_spans(make_spans(5), steady_time::max()), export_result::success);
  const auto st = otlp_stats(*exporter)->stats();
  EXPECT_EQ(st.rejected_items, 6u);
  EXPECT_EQ(st.exported_items, 9u);
  EXPECT_EQ(st.requests, 3u);  // a partial success is never retried
  auto reports = diags.containing("bad ids");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(reports[0].find("rejected 2 of 5"), std::string::npos) << reports[0];
}

TEST(OtlpHttpExporter, JsonPartialSuccess) {
  diag_capture diags;
  sink server;
  server.answer(200, R"({"partialSuccess":{"rejectedLogRecords":"1","errorMessage":"too long"}})",
                "application/json");
  auto exporter = make_otlp_log_exporter(options_for(server, "/v1/logs", otlp_protocol::http_json));
  EXPECT_EQ(exporter->export_logs(make_logs(3), steady_time::max()), export_result::success);
  EXPECT_EQ(otlp_stats(*exporter)->stats().rejected_items, 1u);
  EXPECT_EQ(otlp_stats(*exporter)->stats().exported_items, 2u);
  EXPECT_EQ(diags.containing("too long").size(), 1u);
}

TEST(OtlpHttpExporter, AnUnreadableSuccessBodyStillMeansDelivered) {
  sink server;
  server.answer(200, "\xff\xff\xff garbage", "application/x-protobuf");
  auto exporter = make_otlp_span_exporter(options_for(server, "/v1/traces"));
  EXPECT_EQ(exporter->export_spans(make_spans(2), steady_time::max()), export_result::success);
  EXPECT_EQ(otlp_stats(*exporter)->stats().exported_items, 2u);
}

TEST(OtlpHttpExporter, AHugeErrorBodyIsReadAndDroppedAndReportedShort) {
  diag_capture diags;
  sink server;
  server.answer(400, std::string(8 << 20, 'x'), "text/plain");
  auto exporter = make_otlp_span_exporter(options_for(server, "/v1/traces"));
  EXPECT_EQ(exporter->export_spans(make_spans(1), steady_time::max()), export_result::failure);
  EXPECT_EQ(otlp_stats(*exporter)->stats().failed_non_retryable, 1u);
  auto reports = diags.containing("HTTP 400: xxx");
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_LT(reports[0].size(), 400u);  // an excerpt, not the 8 MiB body
  // The connection survived the oversized answer: the next export reuses it.
  server.answer(200, "", "application/x-protobuf");
  EXPECT_EQ(exporter->export_spans(make_spans(1), steady_time::max()), export_result::success);
}

TEST(OtlpHttpExporter, ConnectionIsKeptAlive) {
  // httplib's keep-alive: several exports, one TCP connection. Observed through the
  // server's view of the client port.
  httplib::Server server;
  std::mutex m;
  std::vector<int> client_ports;
  server.Post("/v1/traces", [&](const httplib::Request& req, httplib::Response&) {
    std::lock_guard lock(m);
    client_ports.push_back(req.remote_port);
  });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread t([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  otlp_exporter_options o;
  o.endpoint = "http://127.0.0.1:" + std::to_string(port) + "/v1/traces";
  auto exporter = make_otlp_span_exporter(o);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(exporter->export_spans(make_spans(1), steady_time::max()), export_result::success);
  exporter.reset();  // closes the connection, so that stop() need not wait for its idle timeout
  server.stop();
  t.join();
  ASSERT_EQ(client_ports.size(), 4u);
  for (int p : client_ports) EXPECT_EQ(p, client_ports[0]);
}

TEST(OtlpHttpExporter, DefaultEndpointsFollowTheSpec) {
  using otlp_detail::default_endpoint;
  EXPECT_EQ(default_endpoint(otlp_protocol::http_protobuf, otlp::signal::traces),
            "http://localhost:4318/v1/traces");
  EXPECT_EQ(default_endpoint(otlp_protocol::http_json, otlp::signal::metrics),
            "http://localhost:4318/v1/metrics");
  EXPECT_EQ(default_endpoint(otlp_protocol::http_protobuf, otlp::signal::logs),
            "http://localhost:4318/v1/logs");
  EXPECT_EQ(default_endpoint(otlp_protocol::grpc, otlp::signal::traces), "http://localhost:4317");
}

TEST(OtlpHttpExporter, UnusableOptionsAreReportedAndEveryExportFails) {
  diag_capture diags;
  for (std::string bad :
       {"ftp://127.0.0.1/v1/traces", "not a url", "http://", "file:///etc/passwd"}) {
    otlp_exporter_options o;
    o.endpoint = bad;
    auto exporter = make_otlp_span_exporter(o);
    EXPECT_EQ(exporter->export_spans(make_spans(2), steady_time::max()), export_result::failure)
        << bad;
    EXPECT_EQ(otlp_stats(*exporter)->stats().failed_non_retryable, 2u) << bad;
    EXPECT_EQ(otlp_stats(*exporter)->stats().requests, 0u) << bad;
  }
  EXPECT_FALSE(diags.containing("is not an http:// or https:// URL").empty());

  otlp_exporter_options tls;
  tls.endpoint = "https://127.0.0.1:1/v1/traces";
  tls.certificate_file = "/nonexistent/ca.pem";
  auto exporter = make_otlp_span_exporter(tls);
  EXPECT_EQ(exporter->export_spans(make_spans(1), steady_time::max()), export_result::failure);
  EXPECT_FALSE(diags.containing("/nonexistent/ca.pem").empty());
}

TEST(OtlpHttpExporter, HeadersThatWouldBreakTheRequestAreRefused) {
  diag_capture diags;
  sink server;
  auto o = options_for(server, "/v1/traces");
  o.headers = {{"x-ok", "1"},
               {"x-evil", "a\r\nInjected: yes"},
               {"bad name", "v"},
               {"content-type", "text/plain"}};
  auto exporter = make_otlp_span_exporter(o);
  EXPECT_EQ(exporter->export_spans(make_spans(1), steady_time::max()), export_result::success);
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].header("x-ok"), "1");
  EXPECT_EQ(reqs[0].header("Injected"), "");
  EXPECT_EQ(reqs[0].header("x-evil"), "");
  EXPECT_EQ(reqs[0].header("Content-Type"), "application/x-protobuf");
  EXPECT_EQ(diags.containing("ignored").size(), 3u);
}

TEST(OtlpHttpExporter, ExportsAfterShutdownFailAtOnce) {
  sink server;
  auto exporter = make_otlp_span_exporter(options_for(server, "/v1/traces"));
  EXPECT_EQ(exporter->shutdown(steady_time::max()), sdk_result::ok);
  EXPECT_EQ(exporter->shutdown(steady_time::max()), sdk_result::already_shutdown);
  EXPECT_EQ(exporter->export_spans(make_spans(3), steady_time::max()), export_result::failure);
  EXPECT_EQ(server.requests().size(), 0u);
  EXPECT_EQ(otlp_stats(*exporter)->stats().failed_shutdown, 3u);
}

TEST(OtlpHttpExporter, StatsOutliveTheExporterAndOnlyOtlpExportersHaveThem) {
  sink server;
  std::shared_ptr<const otlp_exporter_stats_source> stats;
  {
    auto exporter = make_otlp_span_exporter(options_for(server, "/v1/traces"));
    stats = otlp_stats(*exporter);
    exporter->export_spans(make_spans(2), steady_time::max());
  }
  EXPECT_EQ(stats->stats().exported_items, 2u);

  struct other final : span_exporter {
    export_result export_spans(std::span<const trace::span_ptr>, steady_time) noexcept override {
      return export_result::success;
    }
    sdk_result shutdown(steady_time) noexcept override { return sdk_result::ok; }
  } not_otlp;
  EXPECT_EQ(otlp_stats(not_otlp), nullptr);
}

// The value of `name`'s point whose attributes contain error.type=`error_type` ("" for none).
std::optional<int64_t> point_value(const metrics::resource_metrics& rm, std::string_view name,
                                   std::string_view error_type) {
  for (const auto& sm : rm.scopes)
    for (const auto& m : sm.metrics) {
      if (m.name != name) continue;
      const auto* sum = std::get_if<metrics::sum_data>(&m.data);
      if (!sum) return std::nullopt;
      for (const auto& p : sum->points) {
        const attribute_value* e = p.attributes.find("error.type");
        const bool match =
            error_type.empty() ? e == nullptr : e && std::get<std::string>(*e) == error_type;
        if (match && p.attributes.find("otel.component.name")) return std::get<int64_t>(p.value);
      }
    }
  return std::nullopt;
}

TEST(OtlpHttpExporter, SelfMetricsFollowTheSdkConventions) {
  sink server;
  server.answer(200, partial_success_protobuf(), "application/x-protobuf");
  auto exporter = make_otlp_span_exporter(options_for(server, "/v1/traces"));
  auto stats = otlp_stats(*exporter);
  exporter->export_spans(make_spans(5), steady_time::max());  // 3 exported, 2 rejected
  exporter->shutdown(steady_time::max());
  exporter->export_spans(make_spans(4), steady_time::max());  // 4 failed: shutdown

  auto reader = std::make_shared<metrics::pull_metric_reader>();
  metrics::meter_provider_options po;
  po.readers.push_back(reader);
  metrics::meter_provider provider(std::move(po));
  ASSERT_TRUE(observe_otlp_exporter(provider, stats));
  EXPECT_FALSE(observe_otlp_exporter(provider, nullptr));

  metrics::resource_metrics rm;
  ASSERT_TRUE(reader->collect(rm));
  EXPECT_EQ(point_value(rm, "otel.sdk.exporter.span.exported", ""), 3);
  EXPECT_EQ(point_value(rm, "otel.sdk.exporter.span.exported", "rejected"), 2);
  EXPECT_EQ(point_value(rm, "otel.sdk.exporter.span.exported", "shutdown"), 4);
  EXPECT_EQ(point_value(rm, "otel.sdk.exporter.span.exported", "timeout"), std::nullopt);
  EXPECT_EQ(point_value(rm, "agtel.sdk.exporter.requests", ""), 1);
  EXPECT_EQ(point_value(rm, "agtel.sdk.exporter.retries", ""), 0);
  EXPECT_GT(point_value(rm, "agtel.sdk.exporter.sent", "").value_or(0), 0);

  provider.shutdown();
  EXPECT_FALSE(observe_otlp_exporter(provider, stats));
}

}  // namespace
}  // namespace agtel::exporter
