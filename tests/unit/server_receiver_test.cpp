// The OTLP/HTTP receiver's success paths over real loopback HTTP into a real store: each
// signal in protobuf and JSON, gzip and identity; what the store gives back equals what was
// sent; the answers are the spec's Export*ServiceResponse in the request's encoding; the
// server's /healthz and /metrics.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "agtel/version.hpp"
#include "otlp/codec.hpp"
#include "support/otlp_compare.hpp"
#include "support/otlp_fixtures.hpp"
#include "unit/server_fixture.hpp"

namespace agtel::test {
namespace {

struct wire_case {
  bool protobuf;
  bool gzipped;
};

std::string case_name(const testing::TestParamInfo<wire_case>& info) {
  return std::string(info.param.protobuf ? "protobuf" : "json") +
         (info.param.gzipped ? "_gzip" : "_identity");
}

const char* content_type(bool protobuf) {
  return protobuf ? "application/x-protobuf" : "application/json";
}

otlp::partial_success decode_answer(const httplib::Response& res, bool protobuf) {
  otlp::partial_success p;
  EXPECT_EQ(res.get_header_value("Content-Type"), content_type(protobuf));
  EXPECT_TRUE(protobuf ? otlp::decode_response_protobuf(res.body, p)
                       : otlp::decode_response_json(res.body, p))
      << res.body;
  return p;
}

// Resources and scopes as the store keeps them: attributes, names, versions and schema
// URLs; their dropped-attribute counts have no column in schema version 1 (store.hpp).
void expect_same_stored_resource(const resource* a, const resource* b) {
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(a->attributes == b->attributes) << "resource";
  EXPECT_EQ(a->attributes.size(), b->attributes.size());
  EXPECT_EQ(a->schema_url, b->schema_url);
}
void expect_same_stored_scope(const instrumentation_scope* a, const instrumentation_scope* b) {
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->name, b->name);
  EXPECT_EQ(a->version, b->version);
  EXPECT_EQ(a->schema_url, b->schema_url);
  EXPECT_TRUE(a->attributes == b->attributes) << "scope " << a->name;
}

void expect_same_log(const logs::log_record_data& a, const logs::log_record_data& b) {
  SCOPED_TRACE("log n=" + std::to_string(std::get<int64_t>(*a.attributes.find("n"))));
  EXPECT_EQ(a.time, b.time);
  EXPECT_EQ(a.observed_time, b.observed_time);
  EXPECT_EQ(a.severity_number, b.severity_number);
  EXPECT_EQ(a.severity_text, b.severity_text);
  EXPECT_EQ(a.has_body, b.has_body);
  if (a.has_body) {
    EXPECT_EQ(a.body, b.body);
  }
  EXPECT_EQ(a.event_name, b.event_name);
  expect_same_attributes(a.attributes, b.attributes, "log");
  EXPECT_EQ(a.trace_id, b.trace_id);
  EXPECT_EQ(a.span_id, b.span_id);
  EXPECT_EQ(a.trace_flags, b.trace_flags);
  expect_same_stored_resource(a.resource, b.resource);
  expect_same_stored_scope(a.scope, b.scope);
}

class server_receiver : public testing::TestWithParam<wire_case> {};

TEST_P(server_receiver, traces_are_stored_and_read_back_equal) {
  const wire_case c = GetParam();
  receiver_env env;
  env.start();
  otlp_fixture f;
  std::string body;
  if (c.protobuf)
    otlp::encode_traces_protobuf(f.spans, body);
  else
    otlp::encode_traces_json(f.spans, body);

  auto res = env.post("/v1/traces", content_type(c.protobuf), body, c.gzipped);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body;
  const otlp::partial_success p = decode_answer(*res, c.protobuf);
  EXPECT_EQ(p.rejected, 0);
  EXPECT_EQ(p.error_message, "");
  EXPECT_EQ(res->body, c.protobuf ? "" : "{}");  // the empty message: full success

  // Acknowledged means committed: a reader sees every span now, without waiting.
  auto reader = env.reader();
  ASSERT_TRUE(reader);
  std::set<std::string> trace_ids;
  for (const auto& s : f.spans) trace_ids.insert(s->context.trace_id().to_hex());
  size_t found = 0;
  for (const auto& sent : f.spans) {
    otlp::trace_batch back;
    std::string error;
    ASSERT_TRUE(reader->read_trace(sent->context.trace_id(), back, error)) << error;
    trace::span_data* got = nullptr;
    for (const auto& s : back.spans)
      if (s->context.span_id() == sent->context.span_id()) got = s.get();
    ASSERT_NE(got, nullptr) << sent->name;
    expect_same_stored_resource(sent->resource, got->resource);
    expect_same_stored_scope(sent->scope, got->scope);
    got->resource = sent->resource;  // compared above; everything else field by field
    got->scope = sent->scope;
    expect_same_span(*sent, *got);
    ++found;
  }
  EXPECT_EQ(found, f.spans.size());
  EXPECT_EQ(env.writer->stats().spans_stored, f.spans.size());
}

TEST_P(server_receiver, logs_are_stored_and_read_back_equal) {
  const wire_case c = GetParam();
  receiver_env env;
  env.start();
  otlp_fixture f;
  std::string body;
  if (c.protobuf)
    otlp::encode_logs_protobuf(f.records, body);
  else
    otlp::encode_logs_json(f.records, body);

  auto res = env.post("/v1/logs", content_type(c.protobuf), body, c.gzipped);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body;
  const otlp::partial_success p = decode_answer(*res, c.protobuf);
  EXPECT_EQ(p.rejected, 0);

  auto reader = env.reader();
  ASSERT_TRUE(reader);
  otlp::log_batch back;
  store::log_query q;
  q.limit = 1000;
  std::string error;
  ASSERT_TRUE(reader->find_logs(q, back, error)) << error;
  ASSERT_EQ(back.records.size(), f.records.size());
  std::map<int64_t, const logs::log_record_data*> by_n;
  for (const auto& r : back.records) by_n[std::get<int64_t>(*r->attributes.find("n"))] = r.get();
  for (const auto& sent : f.records) {
    const int64_t n = std::get<int64_t>(*sent->attributes.find("n"));
    ASSERT_TRUE(by_n.count(n)) << n;
    expect_same_log(*sent, *by_n[n]);
  }
}

TEST_P(server_receiver, metrics_are_stored_and_summaries_reported_as_not_stored) {
  const wire_case c = GetParam();
  receiver_env env;
  env.start();
  otlp_fixture f;
  std::string body;
  if (c.protobuf)
    otlp::encode_metrics_protobuf(f.metrics, body);
  else
    otlp::encode_metrics_json(f.metrics, body);
  // Points flagged "no recorded value" mark a stream's end: accepted, nothing to store.
  size_t points = 0, summaries = 0, no_value = 0;
  for (const auto& sm : f.metrics.scopes)
    for (const auto& m : sm.metrics) {
      std::visit(
          [&](const auto& d) {
            points += d.points.size();
            for (const auto& pt : d.points)
              no_value += (pt.flags & metrics::point_flag_no_recorded_value) ? 1 : 0;
          },
          m.data);
      if (auto* q = std::get_if<metrics::summary_data>(&m.data)) summaries += q->points.size();
    }
  ASSERT_EQ(no_value, 1u);
  ASSERT_GT(points, summaries);

  auto res = env.post("/v1/metrics", content_type(c.protobuf), body, c.gzipped);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  ASSERT_EQ(res->status, 200) << res->body;
  const otlp::partial_success p = decode_answer(*res, c.protobuf);
  EXPECT_EQ(p.rejected, static_cast<int64_t>(summaries));
  ASSERT_GT(summaries, 0u);  // the fixture has one
  EXPECT_NE(p.error_message.find("summary data point(s) not stored"), std::string::npos)
      << p.error_message;
  // Acknowledged: committed.
  EXPECT_EQ(env.writer->stats().metric_points_stored, points - summaries - no_value);
}

INSTANTIATE_TEST_SUITE_P(wire, server_receiver,
                         testing::Values(wire_case{true, false}, wire_case{true, true},
                                         wire_case{false, false}, wire_case{false, true}),
                         case_name);

TEST(server_receiver_endpoints, content_type_parameters_and_case_are_accepted) {
  receiver_env env;
  env.start();
  otlp_fixture f;
  std::string body;
  otlp::encode_traces_json(f.spans, body);
  auto res = env.post("/v1/traces", "Application/JSON; charset=utf-8", body);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(env.writer->stats().spans_stored, f.spans.size());
}

TEST(server_receiver_endpoints, an_empty_request_is_a_success) {
  receiver_env env;
  env.start();
  auto res = env.post("/v1/logs", "application/x-protobuf", "");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  res = env.post("/v1/traces", "application/json", "{}");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
}

TEST(server_receiver_endpoints, healthz_and_metrics) {
  receiver_env env;
  env.start();
  otlp_fixture f;
  std::string body;
  otlp::encode_traces_protobuf(f.spans, body);
  ASSERT_EQ(env.post("/v1/traces", "application/x-protobuf", body)->status, 200);
  ASSERT_EQ(env.post("/v1/traces", "application/x-protobuf", "\xff\xff")->status, 400);

  httplib::Client c = env.client();
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok\n");

  auto m = c.Get("/metrics");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->status, 200);
  EXPECT_NE(m->get_header_value("Content-Type").find("version=0.0.4"), std::string::npos);
  const std::string& t = m->body;
  EXPECT_NE(t.find("# TYPE agtel_server_requests_total counter"), std::string::npos) << t;
  const std::string scope = std::string("otel_scope_name=\"agtel.server\",otel_scope_version=\"") +
                            agtel::version + "\"}";
  EXPECT_NE(t.find("agtel_server_requests_total{outcome=\"accepted\",signal=\"traces\"," + scope +
                   " 1\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("agtel_server_requests_total{outcome=\"bad_request\",signal=\"traces\"," +
                   scope + " 1\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("agtel_server_items_received_total{signal=\"traces\"," + scope + " " +
                   std::to_string(f.spans.size()) + "\n"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("agtel_store_queued_items{"), std::string::npos) << t;
  EXPECT_NE(t.find("agtel_store_commit_time_seconds_total{"), std::string::npos) << t;
  EXPECT_NE(t.find("agtel_store_transactions_total{"), std::string::npos) << t;
  EXPECT_NE(t.find("agtel_server_request_duration_seconds_bucket{"), std::string::npos) << t;

  auto missing = c.Get("/v1/nothing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

}  // namespace
}  // namespace agtel::test
