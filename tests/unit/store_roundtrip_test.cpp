// The store gives back exactly what it was given: spans (every attribute type, events,
// links, status, kinds, trace state, flags, dropped counts, resources, scopes) through
// read_trace, and log records through find_logs.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <limits>

#include "store_fixture.hpp"
#include "support/otlp_compare.hpp"

namespace agtel::test {
namespace {

using StoreRoundTrip = store_test;

void fill_every_type(attribute_list& a) {
  a.set("b", true);
  a.set("f", false);
  a.set("i", int64_t{-42});
  a.set("imin", std::numeric_limits<int64_t>::min());
  a.set("imax", std::numeric_limits<int64_t>::max());
  a.set("d", 0.1);
  a.set("d1", 1.0);
  a.set("dneg0", -0.0);
  a.set("dbig", 1e300);
  a.set("dtiny", 5e-324);
  a.set("s", "plain");
  a.set("s_escaped", "q\"uote\\ back\nline\ttab\x01\x1f\x7f");
  a.set("s_unicode", "héllo ✓ 𝄞");
  a.set("s_empty", "");
  a.set("s_looks_tagged", R"({"x":"41"})");
  a.set_value("ab", std::vector<bool>{true, false, true});
  a.set_value("ai", std::vector<int64_t>{1, -2, std::numeric_limits<int64_t>::min()});
  a.set_value("ai_empty", std::vector<int64_t>{});
  a.set_value("ad", std::vector<double>{1.5, -0.0, 2.0, HUGE_VAL});
  a.set_value("as", std::vector<std::string>{"a", "", "\xff\xfe", "\"x\""});
  a.set_value("as_empty", std::vector<std::string>{});
  a.set("bad_utf8", "ok\xc3\x28\xed\xa0\x80 end");
}

TEST_F(StoreRoundTrip, SpansComeBackEqual) {
  otlp::trace_batch in;
  // The resources and scopes outlive the batch (the writer drops it after the commit):
  // the expected spans still point at them.
  std::deque<agtel::resource> resources;
  std::deque<instrumentation_scope> scopes;
  agtel::resource& r = resources.emplace_back();
  r.attributes.set("service.name", "api");
  r.attributes.set("host.name", "h1");
  r.attributes.set("process.pid", int64_t{77});
  r.schema_url = "https://opentelemetry.io/schemas/1.26.0";
  instrumentation_scope& sc = scopes.emplace_back();
  sc.name = "agtel.agent";
  sc.version = "0.1.0";
  sc.schema_url = "https://example.com/s";
  sc.attributes.set("scope.attr", int64_t{3});
  agtel::resource& r2 = resources.emplace_back();
  r2.attributes.set("service.name", "worker");
  instrumentation_scope& sc2 = scopes.emplace_back();
  sc2.name = "other";

  trace::trace_id t = tid(0xab, 0xcd);
  trace::span_ptr root = trace::span_ptr::make();
  root->context = trace::span_context(t, sid(1), {1}, false,
                                      trace::trace_state::parse("vendor=abc,other=x-1"));
  root->name = "invoke_agent coder";
  root->kind = trace::span_kind::server;
  root->start_time = 1'700'000'000'000'000'000;
  root->end_time = root->start_time + 5'000'000;
  fill_every_type(root->attributes);
  root->attributes.add_dropped(3);
  auto& e1 = root->events.next();
  e1.name = "gen_ai.first_chunk";
  e1.time = root->start_time + 10;
  e1.attributes.set("n", int64_t{1});
  e1.attributes.add_dropped(2);
  auto& e2 = root->events.next();
  e2.name = "";
  e2.time = root->start_time + 20;
  auto& l1 = root->links.next();
  l1.context = trace::span_context(tid(9), sid(99), {1}, true,
                                   trace::trace_state::parse("k=v"));
  l1.attributes.set("link.kind", "follows");
  l1.attributes.add_dropped(1);
  auto& l2 = root->links.next();
  l2.context = trace::span_context(tid(8), sid(98), {0}, false);
  root->dropped_events = 4;
  root->dropped_links = 5;
  root->status = {trace::status_code::error, "tool failed: \"x\""};
  root->resource = &r;
  root->scope = &sc;
  in.spans.push_back(root);

  const trace::span_kind kinds[] = {trace::span_kind::internal, trace::span_kind::client,
                                    trace::span_kind::producer, trace::span_kind::consumer};
  for (int i = 0; i < 4; ++i) {
    trace::span_ptr c = trace::span_ptr::make();
    c->context = trace::span_context(t, sid(10 + static_cast<uint64_t>(i)),
                                     {static_cast<uint8_t>(i % 2 ? 0x81 : 0)}, false);
    c->parent_span_id = sid(1);
    c->parent_is_remote = i == 2;
    c->name = "child " + std::to_string(i);
    c->kind = kinds[i];
    c->start_time = root->start_time + 100 + static_cast<uint64_t>(i);
    c->end_time = c->start_time + 1000;
    c->status.code = i == 0 ? trace::status_code::ok : trace::status_code::unset;
    c->attributes.set("gen_ai.tool.name", "search");
    c->resource = i < 2 ? &r : &r2;
    c->scope = i < 2 ? &sc : &sc2;
    in.spans.push_back(c);
  }

  std::vector<trace::span_ptr> expected = in.spans;
  auto w = open_writer();
  ASSERT_TRUE(w);
  ASSERT_TRUE(store_batch(*w, std::move(in)));
  auto rd = open_reader();
  ASSERT_TRUE(rd);
  otlp::trace_batch out;
  std::string error;
  ASSERT_TRUE(rd->read_trace(t, out, error)) << error;
  ASSERT_EQ(out.spans.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE(i);
    expect_same_span(*expected[i], *out.spans[i]);
    // Same resource (by content) means same pointer inside one read: deduplicated.
  }
  EXPECT_EQ(out.resources.size(), 2u);
  EXPECT_EQ(out.scopes.size(), 2u);
  EXPECT_EQ(out.spans[1]->resource, out.spans[0]->resource);
  EXPECT_NE(out.spans[3]->resource, out.spans[0]->resource);

  // Not stored: an empty batch, no error.
  ASSERT_TRUE(rd->read_trace(tid(0x77), out, error)) << error;
  EXPECT_TRUE(out.spans.empty());
  // The same first 8 bytes (the trace key), another trace id: not mixed in.
  ASSERT_TRUE(rd->read_trace(tid(0xab, 0xce), out, error)) << error;
  EXPECT_TRUE(out.spans.empty());
}

TEST_F(StoreRoundTrip, NonFiniteDoublesComeBack) {
  otlp::trace_batch in;
  add_span(in, "svc", tid(1), 1, 0, "x", 1000, 10);
  attribute_list& a = in.spans[0]->attributes;
  a.set("nan", std::nan(""));
  a.set("inf", HUGE_VAL);
  a.set("ninf", -HUGE_VAL);
  a.set_value("arr", std::vector<double>{std::nan(""), -HUGE_VAL, 0.5});
  auto w = open_writer();
  ASSERT_TRUE(store_batch(*w, std::move(in)));
  auto rd = open_reader();
  otlp::trace_batch out;
  std::string error;
  ASSERT_TRUE(rd->read_trace(tid(1), out, error)) << error;
  ASSERT_EQ(out.spans.size(), 1u);
  const attribute_list& b = out.spans[0]->attributes;
  ASSERT_NE(b.find("nan"), nullptr);
  EXPECT_TRUE(std::isnan(std::get<double>(*b.find("nan"))));
  EXPECT_EQ(std::get<double>(*b.find("inf")), HUGE_VAL);
  EXPECT_EQ(std::get<double>(*b.find("ninf")), -HUGE_VAL);
  const auto& arr = std::get<std::vector<double>>(*b.find("arr"));
  ASSERT_EQ(arr.size(), 3u);
  EXPECT_TRUE(std::isnan(arr[0]));
  EXPECT_EQ(arr[1], -HUGE_VAL);
  EXPECT_EQ(arr[2], 0.5);
}

struct log_owner {
  std::deque<agtel::resource> resources;
  std::deque<instrumentation_scope> scopes;
};

logs::log_record_ptr make_record(otlp::log_batch& b, log_owner& o, timestamp_ns time, logs::severity sev,
                                 std::string body) {
  logs::log_record_ptr r = logs::log_record_ptr::make();
  r->time = time;
  r->observed_time = time + 5;
  r->severity_number = sev;
  r->severity_text = std::string(logs::short_name(sev));
  r->body = std::move(body);
  r->has_body = true;
  r->resource = &o.resources.back();
  r->scope = &o.scopes.back();
  b.records.push_back(r);
  return r;
}

TEST_F(StoreRoundTrip, LogsComeBackEqualAndFilter) {
  otlp::log_batch in;
  log_owner own;  // outlives the batch, for the comparison
  own.resources.emplace_back().attributes.set("service.name", "api");
  own.scopes.emplace_back().name = "logs";
  auto a = make_record(in, own, 1000, logs::severity::info, "started the run");
  a->attributes.set("run", int64_t{7});
  a->attributes.add_dropped(2);
  a->event_name = "agent.start";
  a->trace_id = tid(5);
  a->span_id = sid(6);
  a->trace_flags.bits = 1;
  auto b = make_record(in, own, 2000, logs::severity::error, "tool Failed badly \xff");
  auto c = make_record(in, own, 3000, logs::severity::warn, "");
  c->body = std::vector<int64_t>{1, 2, 3};  // a structured body
  auto d = make_record(in, own, 0, logs::severity::unspecified, "");
  d->has_body = false;
  d->observed_time = 4000;
  own.resources.emplace_back().attributes.set("service.name", "worker");
  auto e = make_record(in, own, 5000, logs::severity::fatal, "worker died");

  auto w = open_writer();
  ASSERT_TRUE(store_batch(*w, std::move(in)));
  auto rd = open_reader();
  std::string error;
  otlp::log_batch out;
  ASSERT_TRUE(rd->find_logs({}, out, error)) << error;
  ASSERT_EQ(out.records.size(), 5u);
  // Newest first, every field back.
  const logs::log_record_ptr expected[] = {e, d, c, b, a};
  for (size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    const auto& x = *expected[i];
    const auto& y = *out.records[i];
    EXPECT_EQ(x.time, y.time);
    EXPECT_EQ(x.observed_time, y.observed_time);
    EXPECT_EQ(x.severity_number, y.severity_number);
    EXPECT_EQ(x.severity_text, y.severity_text);
    EXPECT_EQ(x.has_body, y.has_body);
    if (x.has_body) {
      EXPECT_EQ(x.body, y.body);
    }
    EXPECT_EQ(x.event_name, y.event_name);
    EXPECT_EQ(x.trace_id, y.trace_id);
    EXPECT_EQ(x.span_id, y.span_id);
    EXPECT_EQ(x.trace_flags, y.trace_flags);
    expect_same_attributes(x.attributes, y.attributes, "log");
    expect_same_resource(x.resource, y.resource);
  }

  auto count = [&](const store::log_query& q) {
    otlp::log_batch o;
    EXPECT_TRUE(rd->find_logs(q, o, error)) << error;
    return o.records.size();
  };
  store::log_query q;
  q.min_severity = logs::severity::error;
  EXPECT_EQ(count(q), 2u);
  q = {};
  q.trace = tid(5);
  EXPECT_EQ(count(q), 1u);
  q = {};
  q.text = "Failed";
  EXPECT_EQ(count(q), 1u);
  q.text = "failed";  // case-sensitive
  EXPECT_EQ(count(q), 0u);
  q = {};
  q.service = "worker";
  EXPECT_EQ(count(q), 1u);
  q.service = "nobody";
  EXPECT_EQ(count(q), 0u);
  q = {};
  q.since_ns = 2000;
  q.until_ns = 4000;  // the record without a time is placed by its observed time
  EXPECT_EQ(count(q), 3u);
  q = {};
  q.limit = 2;
  EXPECT_EQ(count(q), 2u);
}

}  // namespace
}  // namespace agtel::test
