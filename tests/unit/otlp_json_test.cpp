// The OTLP/JSON codec: the writer's escaping, exact output for a small fixture, round
// trips of every field of the three signals, what the decoder accepts per the mapping, and
// what it rejects (with the field path).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "otlp/codec.hpp"
#include "otlp/json_writer.hpp"
#include "support/otlp_compare.hpp"
#include "support/otlp_fixtures.hpp"

namespace agtel::otlp {
namespace {

using nlohmann::json;

trace::trace_id tid(uint8_t seed) {
  std::array<uint8_t, 16> b{};
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(seed + i);
  return trace::trace_id(b);
}
trace::span_id sid(uint8_t seed) {
  std::array<uint8_t, 8> b{};
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(seed + i);
  return trace::span_id(b);
}

// Every attribute type, for resources, spans, events, links, points and records.
void set_every_type(attribute_list& a) {
  a.set("s", "text \"quoted\" \\ \n é 漢");
  a.set("b", true);
  a.set("i", int64_t{-9007199254740993});  // below -2^53: survives only as a string
  a.set("d", 0.1);
  const std::vector<std::string> strings{"x", "", "z"};
  a.set("as", strings);
  const bool bools[] = {true, false};
  a.set("ab", std::span<const bool>(bools));
  a.set("ai", std::vector<int64_t>{1, std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()});
  a.set("ad", std::vector<double>{1.5, -0.0, 1e300});
}

struct trace_fixture {
  agtel::resource res1, res2;
  instrumentation_scope scope1, scope2;
  std::vector<trace::span_ptr> spans;

  trace_fixture() {
    set_every_type(res1.attributes);
    res1.attributes.add_dropped(2);
    res1.schema_url = "https://opentelemetry.io/schemas/1.26.0";
    res2.attributes.set("service.name", "other");
    scope1 = {"agtel.test", "1.2.3", "https://scope.schema", {}};
    scope1.attributes.set("scope.attr", int64_t{7});
    scope2.name = "second";

    trace::span_ptr full = trace::span_ptr::make();
    full->context = trace::span_context(tid(1), sid(2), trace::trace_flags{0x01}, false,
                                        trace::trace_state::parse("vendor=abc,other=x-y"));
    full->parent_span_id = sid(9);
    full->parent_is_remote = true;
    full->name = "chat gpt-4o";
    full->kind = trace::span_kind::client;
    full->start_time = 1700000000123456789;
    full->end_time = 1700000000987654321;
    set_every_type(full->attributes);
    full->attributes.add_dropped(3);
    auto& e = full->events.next();
    e.name = "exception";
    e.time = 1700000000500000000;
    e.attributes.clear();
    e.attributes.set("exception.message", "boom");
    e.attributes.add_dropped(1);
    auto& e2 = full->events.next();
    e2.name = "no attributes";
    e2.time = 1;
    e2.attributes.clear();
    auto& l = full->links.next();
    l.context = trace::span_context(tid(50), sid(60), trace::trace_flags{0x01}, true,
                                    trace::trace_state::parse("k=v"));
    l.attributes.clear();
    l.attributes.set("link.kind", "follows");
    l.attributes.add_dropped(4);
    auto& l2 = full->links.next();
    l2.context = trace::span_context(tid(70), sid(80), trace::trace_flags{0x00}, false);
    l2.attributes.clear();
    full->dropped_events = 5;
    full->dropped_links = 6;
    full->status = {trace::status_code::error, "timeout after 10 s"};
    full->resource = &res1;
    full->scope = &scope1;
    spans.push_back(full);

    // A minimal root span under another scope, and one under another resource; then one
    // more in the first group (grouping must gather it with the first span).
    spans.push_back(minimal(3, &res1, &scope2, trace::span_kind::server, trace::status_code::ok));
    spans.push_back(minimal(4, &res2, &scope1, trace::span_kind::producer, trace::status_code::unset));
    spans.push_back(minimal(5, &res1, &scope1, trace::span_kind::consumer, trace::status_code::unset));
  }
  static trace::span_ptr minimal(uint8_t seed, const agtel::resource* r,
                                 const instrumentation_scope* s, trace::span_kind kind,
                                 trace::status_code code) {
    trace::span_ptr p = trace::span_ptr::make();
    p->context = trace::span_context(tid(seed), sid(seed), trace::trace_flags{0}, false);
    p->name = "span" + std::to_string(seed);
    p->kind = kind;
    p->start_time = 10;
    p->end_time = 20;
    p->status.code = code;
    p->resource = r;
    p->scope = s;
    return p;
  }
};

using test::expect_same_attributes;
using test::expect_same_span;

// ---- the writer -------------------------------------------------------------------------

std::string escaped(std::string_view s) {
  std::string out;
  json_writer::append_escaped(out, s);
  return out;
}

TEST(OtlpJsonWriter, EscapesWhatJsonRequires) {
  EXPECT_EQ(escaped("plain"), "\"plain\"");
  EXPECT_EQ(escaped("q\"b\\s/"), "\"q\\\"b\\\\s/\"");
  EXPECT_EQ(escaped("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
  EXPECT_EQ(escaped(std::string_view("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(escaped("é漢😀"), "\"é漢😀\"");  // valid UTF-8 passes through
}

TEST(OtlpJsonWriter, ReplacesIllFormedUtf8) {
  const std::string fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(escaped("a\xff" "b"), "\"a" + fffd + "b\"");
  EXPECT_EQ(escaped("\x80"), "\"" + fffd + "\"");                 // stray continuation
  EXPECT_EQ(escaped("\xC0\xAF"), "\"" + fffd + fffd + "\"");      // overlong: two bad bytes
  EXPECT_EQ(escaped("\xED\xA0\x80"), "\"" + fffd + fffd + fffd + "\"");  // surrogate
  EXPECT_EQ(escaped("\xF4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");  // > U+10FFFF
  EXPECT_EQ(escaped("x\xE6\xBC"), "\"x" + fffd + "\"");           // truncated at the end
  EXPECT_EQ(escaped("\xE6\xBC" "a"), "\"" + fffd + "a\"");        // truncated in the middle
  for (int c = 0; c < 256; ++c) {  // whatever the byte, the result parses
    std::string s(1, static_cast<char>(c));
    EXPECT_TRUE(json::accept(escaped(s))) << c;
  }
}

TEST(OtlpJsonWriter, NumbersFollowTheProtobufMapping) {
  std::string out;
  json_writer w(out);
  w.begin_array();
  w.number(std::numeric_limits<double>::quiet_NaN());
  w.number(std::numeric_limits<double>::infinity());
  w.number(-std::numeric_limits<double>::infinity());
  w.number(0.1);
  w.number(1e300);
  w.number(-0.0);
  w.quoted(std::numeric_limits<uint64_t>::max());
  w.quoted(std::numeric_limits<int64_t>::min());
  w.number(int64_t{-5});
  const uint8_t bytes[] = {0x00, 0xab, 0xff};
  w.hex(bytes, 3);
  w.end_array();
  EXPECT_EQ(out,
            "[\"NaN\",\"Infinity\",\"-Infinity\",0.1,1e+300,-0.0,\"18446744073709551615\","
            "\"-9223372036854775808\",-5,\"00abff\"]");
}

// ---- exact output -----------------------------------------------------------------------

TEST(OtlpJsonEncode, SmallSpanExactly) {
  agtel::resource res;
  res.attributes.set("service.name", "svc");
  instrumentation_scope scope{"lib", "", "", {}};
  trace::span_ptr s = trace::span_ptr::make();
  s->context = trace::span_context(tid(0xa0), sid(0xb0), trace::trace_flags{1}, false);
  s->parent_span_id = sid(0xc0);
  s->name = "tool";
  s->kind = trace::span_kind::internal;
  s->start_time = 1000;
  s->end_time = 2500;
  s->attributes.set("n", int64_t{3});
  auto& e = s->events.next();
  e.name = "ev";
  e.time = 2000;
  e.attributes.clear();
  s->status.code = trace::status_code::error;
  s->status.message = "bad";
  s->resource = &res;
  s->scope = &scope;
  std::string out = "stale";
  const trace::span_ptr batch[] = {s};
  encode_traces_json(batch, out);
  EXPECT_EQ(out,
            R"({"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},)"
            R"("scopeSpans":[{"scope":{"name":"lib"},"spans":[{"traceId":"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",)"
            R"("spanId":"b0b1b2b3b4b5b6b7","parentSpanId":"c0c1c2c3c4c5c6c7","flags":257,"name":"tool","kind":1,)"
            R"("startTimeUnixNano":"1000","endTimeUnixNano":"2500","attributes":[{"key":"n","value":{"intValue":"3"}}],)"
            R"("events":[{"timeUnixNano":"2000","name":"ev"}],"status":{"message":"bad","code":2}}]}]}]})");
}

TEST(OtlpJsonEncode, EmptyBatchesAreEmptyRequests) {
  std::string out;
  encode_traces_json({}, out);
  EXPECT_EQ(out, R"({"resourceSpans":[]})");
  metrics::resource_metrics rm;
  encode_metrics_json(rm, out);
  EXPECT_EQ(out, R"({"resourceMetrics":[]})");
  encode_logs_json({}, out);
  EXPECT_EQ(out, R"({"resourceLogs":[]})");
}

// ---- traces both ways -------------------------------------------------------------------

TEST(OtlpJsonTraces, GroupsByResourceAndScopeInFirstSeenOrder) {
  trace_fixture f;
  std::string out;
  encode_traces_json(f.spans, out);
  EXPECT_EQ(out.find('\n'), std::string::npos);
  json j = json::parse(out);
  ASSERT_EQ(j["resourceSpans"].size(), 2u);
  const json& r1 = j["resourceSpans"][0];
  EXPECT_EQ(r1["schemaUrl"], "https://opentelemetry.io/schemas/1.26.0");
  EXPECT_EQ(r1["resource"]["droppedAttributesCount"], 2);
  ASSERT_EQ(r1["scopeSpans"].size(), 2u);
  EXPECT_EQ(r1["scopeSpans"][0]["scope"]["name"], "agtel.test");
  EXPECT_EQ(r1["scopeSpans"][0]["scope"]["version"], "1.2.3");
  EXPECT_EQ(r1["scopeSpans"][0]["schemaUrl"], "https://scope.schema");
  ASSERT_EQ(r1["scopeSpans"][0]["spans"].size(), 2u);
  EXPECT_EQ(r1["scopeSpans"][0]["spans"][1]["name"], "span5");
  EXPECT_EQ(r1["scopeSpans"][1]["scope"]["name"], "second");
  EXPECT_EQ(j["resourceSpans"][1]["scopeSpans"][0]["spans"][0]["name"], "span4");

  const json& span = r1["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(span["traceId"], tid(1).to_hex());
  EXPECT_EQ(span["parentSpanId"], sid(9).to_hex());
  EXPECT_EQ(span["flags"], 0x301);  // sampled, parent remote known and true
  EXPECT_EQ(span["kind"], 3);
  EXPECT_EQ(span["traceState"], "vendor=abc,other=x-y");
  EXPECT_EQ(span["startTimeUnixNano"], "1700000000123456789");
  EXPECT_EQ(span["droppedAttributesCount"], 3);
  EXPECT_EQ(span["droppedEventsCount"], 5);
  EXPECT_EQ(span["droppedLinksCount"], 6);
  EXPECT_EQ(span["links"][0]["flags"], 0x301);
  EXPECT_EQ(span["links"][1]["flags"], 0x100);
  EXPECT_EQ(span["links"][0]["droppedAttributesCount"], 4);
  json attrs = span["attributes"];
  EXPECT_EQ(attrs[2]["value"]["intValue"], "-9007199254740993");
  EXPECT_EQ(attrs[5]["value"]["arrayValue"]["values"][1]["boolValue"], false);
  EXPECT_EQ(attrs[6]["value"]["arrayValue"]["values"][2]["intValue"], "-9223372036854775808");
}

TEST(OtlpJsonTraces, RoundTripKeepsEveryField) {
  trace_fixture f;
  std::string first;
  encode_traces_json(f.spans, first);
  trace_batch batch;
  ASSERT_EQ(decode_traces_json(first, batch), "");
  ASSERT_EQ(batch.spans.size(), 4u);
  // Grouped order: res1/scope1 (full, span5), res1/scope2 (span3), res2/scope1 (span4).
  expect_same_span(*batch.spans[0], *f.spans[0]);
  expect_same_span(*batch.spans[1], *f.spans[3]);
  expect_same_span(*batch.spans[2], *f.spans[1]);
  expect_same_span(*batch.spans[3], *f.spans[2]);
  const trace::span_data& s = *batch.spans[0];
  ASSERT_NE(s.resource, nullptr);
  expect_same_attributes(s.resource->attributes, f.res1.attributes);
  EXPECT_EQ(s.resource->schema_url, f.res1.schema_url);
  EXPECT_EQ(s.scope->name, "agtel.test");
  EXPECT_EQ(s.scope->version, "1.2.3");
  EXPECT_EQ(s.scope->schema_url, "https://scope.schema");
  expect_same_attributes(s.scope->attributes, f.scope1.attributes);
  EXPECT_EQ(batch.spans[1]->resource, s.resource);
  EXPECT_EQ(batch.spans[1]->scope, s.scope);
  EXPECT_NE(batch.spans[2]->scope, s.scope);
  EXPECT_NE(batch.spans[3]->resource, s.resource);
  EXPECT_EQ(batch.spans[3]->resource->attributes, f.res2.attributes);

  std::string second;
  encode_traces_json(batch.spans, second);
  EXPECT_EQ(second, first);
}

TEST(OtlpJsonTraces, DecoderAcceptsWhatTheMappingAllows) {
  // Numbers for 64-bit integers, strings for 32-bit ones, upper-case hex, null as the
  // default, unknown members and snake_case names ignored, keys in any order, NaN strings.
  const std::string text = R"({"resourceSpans":[{"scopeSpans":[{"spans":[{
    "name":"n","kind":"2","spanId":"00000000000000FF","traceId":"0102030405060708090A0B0C0D0E0F10",
    "startTimeUnixNano":1700000000000000001,"endTimeUnixNano":"1700000000000000002",
    "parentSpanId":"","status":null,"future_field":{"x":[1,2,3]},"trace_state":"ignored=1",
    "dropped_attributes_count":9,"attributes":[
      {"value":{"doubleValue":"NaN"},"key":"nan"},
      {"key":"inf","value":{"doubleValue":"-Infinity"}},
      {"key":"num","value":{"doubleValue":"2.5"}},
      {"key":"int","value":{"intValue":12}},
      {"key":"nested","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":1},{"arrayValue":{}}]}}},
      {"key":"map","value":{"kvlistValue":{"values":[{"value":{"boolValue":true},"key":"k","x":1},{"key":"novalue"}]}}},
      {"key":"bytes","value":{"bytesValue":"AQID"}},
      {"key":"empty","value":{}},
      {"key":"emptyarr","value":{"arrayValue":{}}}]}]}]}],"unknown":true})";
  trace_batch b;
  ASSERT_EQ(decode_traces_json(text, b), "");
  ASSERT_EQ(b.spans.size(), 1u);
  const trace::span_data& s = *b.spans[0];
  EXPECT_EQ(s.kind, trace::span_kind::server);
  EXPECT_EQ(s.context.trace_id(), *trace::trace_id::from_hex("0102030405060708090a0b0c0d0e0f10"));
  EXPECT_EQ(s.context.span_id().to_hex(), "00000000000000ff");
  EXPECT_EQ(s.start_time, 1700000000000000001u);
  EXPECT_EQ(s.end_time, 1700000000000000002u);
  EXPECT_FALSE(s.parent_span_id.is_valid());
  EXPECT_TRUE(s.context.state().empty());
  EXPECT_EQ(s.attributes.dropped(), 0u);
  EXPECT_TRUE(std::isnan(std::get<double>(*s.attributes.find("nan"))));
  EXPECT_EQ(std::get<double>(*s.attributes.find("inf")), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(std::get<double>(*s.attributes.find("num")), 2.5);
  EXPECT_EQ(std::get<int64_t>(*s.attributes.find("int")), 12);
  // Structured values become their canonical OTLP/JSON text (ints as strings, members in
  // the encoder's order), the text the protobuf decoder makes of the same value.
  EXPECT_EQ(std::get<std::string>(*s.attributes.find("nested")),
            R"({"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"1"},{"arrayValue":{"values":[]}}]}})");
  EXPECT_EQ(std::get<std::string>(*s.attributes.find("map")),
            R"({"kvlistValue":{"values":[{"key":"k","value":{"boolValue":true}},{"key":"novalue","value":{}}]}})");
  EXPECT_EQ(std::get<std::string>(*s.attributes.find("bytes")), R"({"bytesValue":"AQID"})");
  EXPECT_EQ(std::get<std::string>(*s.attributes.find("empty")), "{}");
  EXPECT_TRUE(std::get<std::vector<std::string>>(*s.attributes.find("emptyarr")).empty());
  EXPECT_EQ(s.kind, trace::span_kind::server);
}

TEST(OtlpJsonTraces, KindZeroReadsAsInternal) {
  trace_batch b;
  ASSERT_EQ(decode_traces_json(R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708","kind":0}]}]}]})", b), "");
  EXPECT_EQ(b.spans[0]->kind, trace::span_kind::internal);
}

// ---- bad input --------------------------------------------------------------------------

std::string wrap_span(std::string_view members) {
  const std::string ok = R"({"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708"})";
  return R"({"resourceSpans":[{"scopeSpans":[{},{"spans":[)" + ok + "," + ok + "," + ok +
         R"(,{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708",)" +
         std::string(members) + "}]}]}]}";
}

TEST(OtlpJsonBadInput, ErrorsNameTheFieldPath) {
  struct bad_case {
    std::string text;
    std::string message;
  };
  const std::string span = "resourceSpans[0].scopeSpans[1].spans[3]";
  const bad_case cases[] = {
      {wrap_span(R"("name":"x","traceId":"abc")"), span + ".traceId: expected 32 hex digits"},
      {wrap_span(R"("traceId":"0102030405060708090a0b0c0d0e0fzz")"), span + ".traceId: expected 32 hex digits"},
      {wrap_span(R"("spanId":7)"), span + ".spanId: expected a string"},
      {wrap_span(R"("parentSpanId":"01")"), span + ".parentSpanId: expected 16 hex digits"},
      {wrap_span(R"("name":5)"), span + ".name: expected a string"},
      {wrap_span(R"("kind":6)"), span + ".kind: expected a span kind 0..5"},
      {wrap_span(R"("kind":"SPAN_KIND_SERVER")"), span + ".kind: expected a 64-bit integer as a decimal string"},
      {wrap_span(R"("kind":1.5)"), span + ".kind: expected a 64-bit integer"},
      {wrap_span(R"("startTimeUnixNano":-1)"), span + ".startTimeUnixNano: expected a non-negative integer"},
      {wrap_span(R"("startTimeUnixNano":"12x")"), span + ".startTimeUnixNano: expected an unsigned 64-bit integer as a decimal string"},
      {wrap_span(R"("startTimeUnixNano":"18446744073709551616")"), span + ".startTimeUnixNano: expected an unsigned 64-bit integer as a decimal string"},
      {wrap_span(R"("startTimeUnixNano":true)"), span + ".startTimeUnixNano: expected an unsigned 64-bit integer (a decimal string or a number)"},
      {wrap_span(R"("flags":4294967296)"), span + ".flags: integer out of the uint32 range"},
      {wrap_span(R"("attributes":{})"), span + ".attributes: expected an array"},
      {wrap_span(R"("attributes":[{"key":"k","value":{"intValue":"9223372036854775808"}}])"),
       span + ".attributes[0].value.intValue: expected a 64-bit integer as a decimal string"},
      {wrap_span(R"("attributes":[{"key":"k","value":{"intValue":18446744073709551615}}])"),
       span + ".attributes[0].value.intValue: integer out of the int64 range"},
      {wrap_span(R"("attributes":[{"key":"k","value":{"doubleValue":"inf"}}])"),
       span + ".attributes[0].value.doubleValue: expected a number, \"NaN\", \"Infinity\" or \"-Infinity\""},
      {wrap_span(R"("attributes":[{"key":"k","value":{"boolValue":"true"}}])"),
       span + ".attributes[0].value.boolValue: expected true or false"},
      {wrap_span(R"("attributes":[{"key":1}])"), span + ".attributes[0].key: expected a string"},
      {wrap_span(R"("attributes":[5])"), span + ".attributes[0]: expected an object"},
      {wrap_span(R"("events":[{"name":"e"},{"timeUnixNano":{}}])"), span + ".events[1].timeUnixNano: expected an unsigned 64-bit integer (a decimal string or a number)"},
      {wrap_span(R"("links":[{"traceId":"00"}])"), span + ".links[0].traceId: expected 32 hex digits"},
      {wrap_span(R"("status":{"code":3})"), span + ".status.code: expected a status code 0..2"},
      {R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"0102030405060708"}]}]}]})",
       "resourceSpans[0].scopeSpans[0].spans[0]: missing traceId"},
      {R"({"resourceSpans":{}})", "resourceSpans: expected an array"},
      {R"([])", "(document): expected an object"},
      {R"({"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":{"kvlistValue":3}}]}}]})",
       "resourceSpans[0].resource.attributes[0].value.kvlistValue: expected an object"},
      {"", "empty document"},
      {"{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"\xC3\x28\"}]}}]}", "invalid UTF-8 at byte 53"},
      {R"({"resourceSpans":[1e999]})", "a number that fits neither a 64-bit integer nor a double"},
      {R"({"resourceSpans":[123456789012345678901234567890]})", "a number that fits neither a 64-bit integer nor a double"},
      {std::string(200, '[') + std::string(200, ']'), "nesting deeper than 128 levels"},
      {R"({"a":1} {"b":2})", "not valid JSON (The JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc.)"},
  };
  for (const bad_case& c : cases) {
    trace_batch b;
    EXPECT_EQ(decode_traces_json(c.text, b), c.message) << c.text;
    EXPECT_TRUE(b.spans.empty() && b.resources.empty() && b.scopes.empty()) << c.text;
  }
}

TEST(OtlpJsonBadInput, EveryTruncationFailsCleanly) {
  trace_fixture f;
  std::string text;
  encode_traces_json(f.spans, text);
  for (size_t n = 0; n < text.size(); ++n) {
    trace_batch b;
    std::string err = decode_traces_json(std::string_view(text).substr(0, n), b);
    EXPECT_FALSE(err.empty()) << n;
    EXPECT_TRUE(b.spans.empty() && b.resources.empty()) << n;
  }
}

TEST(OtlpJsonBadInput, AFailedDecodeEmptiesAFilledBatch) {
  trace_fixture f;
  std::string text;
  encode_traces_json(f.spans, text);
  trace_batch b;
  ASSERT_EQ(decode_traces_json(text, b), "");
  ASSERT_FALSE(b.spans.empty());
  EXPECT_NE(decode_traces_json(wrap_span(R"("kind":9)"), b), "");
  EXPECT_TRUE(b.spans.empty() && b.resources.empty() && b.scopes.empty());
}

TEST(OtlpJsonBadInput, OversizedInputIsHandled) {
  // 5 MB of one string attribute: decoded (nothing in the mapping limits sizes; the
  // receiver limits the body), and the thread's parser gives back its large buffers.
  std::string big(5 << 20, 'x');
  std::string text = wrap_span(R"("attributes":[{"key":"k","value":{"stringValue":")" + big + "\"}}]");
  trace_batch b;
  ASSERT_EQ(decode_traces_json(text, b), "");
  EXPECT_EQ(std::get<std::string>(*b.spans[3]->attributes.find("k")).size(), big.size());
  trace_batch small;
  EXPECT_EQ(decode_traces_json(wrap_span(R"("name":"after")"), small), "");
  EXPECT_EQ(small.spans[3]->name, "after");
}

// ---- metrics ----------------------------------------------------------------------------

struct metric_fixture {
  agtel::resource res;
  instrumentation_scope scope{"meter", "0.1", "", {}};
  metrics::resource_metrics batch;

  metric_fixture() {
    set_every_type(res.attributes);
    res.schema_url = "https://schema";
    batch.resource = &res;
    metrics::scope_metrics& sm = batch.scopes.next();
    sm.scope = &scope;
    sm.metrics.clear();

    metrics::exemplar ex;
    ex.filtered_attributes.set("user", "u1");
    ex.time = 1234;
    ex.value = 0.25;
    ex.trace_id = tid(3);
    ex.span_id = sid(4);

    auto& gauge = sm.metrics.next();
    gauge = {"gen_ai.context.utilization", "fraction of the window", "1", metrics::gauge_data{}};
    auto& gp = std::get<metrics::gauge_data>(gauge.data).points.next();
    gp = {};
    gp.attributes.set("agent", "coder");
    gp.time = 50;
    gp.value = 0.75;
    gp.flags = metrics::point_flag_no_recorded_value;

    auto& sum = sm.metrics.next();
    sum = {"tokens", "", "{token}", metrics::sum_data{}};
    auto& sd = std::get<metrics::sum_data>(sum.data);
    sd.temporality = metrics::aggregation_temporality::delta;
    sd.monotonic = true;
    auto& sp = sd.points.next();
    sp = {};
    sp.start_time = 10;
    sp.time = 60;
    sp.value = int64_t{std::numeric_limits<int64_t>::max()};
    metrics::exemplar int_ex = ex;
    int_ex.value = int64_t{-3};
    int_ex.trace_id = {};
    int_ex.span_id = {};
    sp.exemplars.next() = int_ex;

    auto& hist = sm.metrics.next();
    hist = {"latency", "", "s", metrics::histogram_data{}};
    auto& hd = std::get<metrics::histogram_data>(hist.data);
    auto& hp = hd.points.next();
    hp = {};
    hp.attributes.set("tool", "search");
    hp.start_time = 1;
    hp.time = 2;
    hp.count = 6;
    hp.sum = 3.5;
    hp.min = 0.001;
    hp.max = 2.0;
    hp.bounds = {0.005, 0.5, 5};
    hp.bucket_counts = {1, 2, 3, 0};
    hp.exemplars.next() = ex;
    auto& hp2 = hd.points.next();  // no sum, min, max
    hp2 = {};
    hp2.time = 3;
    hp2.bounds = {1};
    hp2.bucket_counts = {0, 0};

    auto& expo = sm.metrics.next();
    expo = {"expo", "d", "ms", metrics::exponential_histogram_data{}};
    auto& ed = std::get<metrics::exponential_histogram_data>(expo.data);
    ed.temporality = metrics::aggregation_temporality::delta;
    auto& ep = ed.points.next();
    ep = {};
    ep.time = 9;
    ep.count = 8;
    ep.sum = -1.5;
    ep.scale = -3;
    ep.zero_count = 1;
    ep.zero_threshold = 1e-9;
    ep.positive = {-2, {1, 2}};
    ep.negative = {5, {4}};
    ep.min = -4;
    ep.max = 3;
    ep.exemplars.next() = ex;

    auto& summary = sm.metrics.next();
    summary = {"summary", "", "", metrics::summary_data{}};
    auto& qp = std::get<metrics::summary_data>(summary.data).points.next();
    qp = {};
    qp.time = 5;
    qp.count = 3;
    qp.sum = std::numeric_limits<double>::infinity();
    qp.quantiles = {{0, 1}, {0.5, 2}, {1, 3}};
  }
};

TEST(OtlpJsonMetrics, RoundTripKeepsEveryField) {
  metric_fixture f;
  std::string first;
  encode_metrics_json(f.batch, first);
  json j = json::parse(first);
  const json& ms = j["resourceMetrics"][0]["scopeMetrics"][0]["metrics"];
  EXPECT_EQ(ms[0]["gauge"]["dataPoints"][0]["asDouble"], 0.75);
  EXPECT_EQ(ms[0]["gauge"]["dataPoints"][0]["flags"], 1);
  EXPECT_EQ(ms[1]["sum"]["aggregationTemporality"], 1);
  EXPECT_EQ(ms[1]["sum"]["isMonotonic"], true);
  EXPECT_EQ(ms[1]["sum"]["dataPoints"][0]["asInt"], "9223372036854775807");
  EXPECT_EQ(ms[1]["sum"]["dataPoints"][0]["exemplars"][0]["asInt"], "-3");
  EXPECT_FALSE(ms[1]["sum"]["dataPoints"][0]["exemplars"][0].contains("traceId"));
  EXPECT_EQ(ms[2]["histogram"]["aggregationTemporality"], 2);
  EXPECT_EQ(ms[2]["histogram"]["dataPoints"][0]["bucketCounts"], json({"1", "2", "3", "0"}));
  EXPECT_EQ(ms[2]["histogram"]["dataPoints"][0]["explicitBounds"], json({0.005, 0.5, 5.0}));
  EXPECT_EQ(ms[2]["histogram"]["dataPoints"][0]["exemplars"][0]["traceId"], tid(3).to_hex());
  EXPECT_FALSE(ms[2]["histogram"]["dataPoints"][1].contains("sum"));
  EXPECT_EQ(ms[3]["exponentialHistogram"]["dataPoints"][0]["negative"]["offset"], 5);
  EXPECT_EQ(ms[3]["exponentialHistogram"]["dataPoints"][0]["scale"], -3);
  EXPECT_EQ(ms[4]["summary"]["dataPoints"][0]["sum"], "Infinity");

  metric_batch b;
  ASSERT_EQ(decode_metrics_json(first, b), "");
  ASSERT_EQ(b.resource_metrics.size(), 1u);
  const metrics::resource_metrics& rm = b.resource_metrics[0];
  expect_same_attributes(rm.resource->attributes, f.res.attributes);
  EXPECT_EQ(rm.resource->schema_url, "https://schema");
  ASSERT_EQ(rm.scopes.size(), 1u);
  EXPECT_EQ(rm.scopes[0].scope->name, "meter");
  EXPECT_EQ(rm.scopes[0].scope->version, "0.1");
  const auto& m = rm.scopes[0].metrics;
  ASSERT_EQ(m.size(), 5u);
  EXPECT_EQ(m[0].description, "fraction of the window");
  EXPECT_EQ(m[1].unit, "{token}");
  const auto& gp = std::get<metrics::gauge_data>(m[0].data).points[0];
  EXPECT_EQ(std::get<double>(gp.value), 0.75);
  EXPECT_EQ(gp.flags, 1u);
  EXPECT_EQ(gp.attributes, f.batch.scopes[0].metrics[0].data.index() == 0
                               ? std::get<metrics::gauge_data>(f.batch.scopes[0].metrics[0].data).points[0].attributes
                               : attribute_list{});
  const auto& sd = std::get<metrics::sum_data>(m[1].data);
  EXPECT_EQ(sd.temporality, metrics::aggregation_temporality::delta);
  EXPECT_TRUE(sd.monotonic);
  EXPECT_EQ(std::get<int64_t>(sd.points[0].value), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(sd.points[0].start_time, 10u);
  EXPECT_EQ(std::get<int64_t>(sd.points[0].exemplars[0].value), -3);
  const auto& hp = std::get<metrics::histogram_data>(m[2].data).points[0];
  EXPECT_EQ(hp.count, 6u);
  EXPECT_EQ(hp.sum, 3.5);
  EXPECT_EQ(hp.min, 0.001);
  EXPECT_EQ(hp.max, 2.0);
  EXPECT_EQ(hp.bounds, (std::vector<double>{0.005, 0.5, 5}));
  EXPECT_EQ(hp.bucket_counts, (std::vector<uint64_t>{1, 2, 3, 0}));
  const auto& hx = hp.exemplars[0];
  EXPECT_EQ(hx.trace_id, tid(3));
  EXPECT_EQ(hx.span_id, sid(4));
  EXPECT_EQ(hx.time, 1234u);
  EXPECT_EQ(std::get<double>(hx.value), 0.25);
  EXPECT_EQ(hx.filtered_attributes.size(), 1u);
  EXPECT_FALSE(std::get<metrics::histogram_data>(m[2].data).points[1].sum.has_value());
  const auto& ep = std::get<metrics::exponential_histogram_data>(m[3].data).points[0];
  EXPECT_EQ(ep.scale, -3);
  EXPECT_EQ(ep.zero_count, 1u);
  EXPECT_EQ(ep.zero_threshold, 1e-9);
  EXPECT_EQ(ep.positive.offset, -2);
  EXPECT_EQ(ep.positive.counts, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(ep.negative.offset, 5);
  EXPECT_EQ(ep.min, -4);
  const auto& qp = std::get<metrics::summary_data>(m[4].data).points[0];
  EXPECT_EQ(qp.sum, std::numeric_limits<double>::infinity());
  ASSERT_EQ(qp.quantiles.size(), 3u);
  EXPECT_EQ(qp.quantiles[1].quantile, 0.5);
  EXPECT_EQ(qp.quantiles[2].value, 3);

  std::string second;
  encode_metrics_json(b.resource_metrics[0], second);
  EXPECT_EQ(second, first);
}

TEST(OtlpJsonMetrics, RejectsBrokenInvariants) {
  const std::string head = R"({"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m",)";
  const std::string tail = "}]}]}]}";
  struct bad_case {
    std::string body;
    std::string message;
  };
  const std::string at = "resourceMetrics[0].scopeMetrics[0].metrics[0]";
  const bad_case cases[] = {
      {R"("histogram":{"dataPoints":[{"explicitBounds":[1,1],"bucketCounts":["0","0","0"]}]})",
       at + ".histogram.dataPoints[0]: explicitBounds: expected strictly increasing finite numbers"},
      {R"("histogram":{"dataPoints":[{"explicitBounds":[1,"Infinity"],"bucketCounts":["0","0","0"]}]})",
       at + ".histogram.dataPoints[0]: explicitBounds: expected strictly increasing finite numbers"},
      {R"("histogram":{"dataPoints":[{"explicitBounds":[1,2],"bucketCounts":["0"]}]})",
       at + ".histogram.dataPoints[0]: bucketCounts: expected one more count than explicitBounds has bounds"},
      {R"("histogram":{"dataPoints":[{"bucketCounts":[-1]}]})",
       at + ".histogram.dataPoints[0].bucketCounts[0]: expected a non-negative integer"},
      {R"("sum":{"aggregationTemporality":3})", at + ".sum.aggregationTemporality: expected an aggregation temporality 0..2"},
      {R"("exponentialHistogram":{"dataPoints":[{"scale":21}]})",
       at + ".exponentialHistogram.dataPoints[0].scale: expected a scale in [-10, 20]"},
      {R"("exponentialHistogram":{"dataPoints":[{"positive":{"offset":2147483648}}]})",
       at + ".exponentialHistogram.dataPoints[0].positive.offset: integer out of the int32 range"},
      {R"("summary":{"dataPoints":[{"quantileValues":[{"quantile":1.5}]}]})",
       at + ".summary.dataPoints[0].quantileValues[0].quantile: expected a quantile in [0, 1]"},
      {R"("gauge":{"dataPoints":[{"asInt":"1.5"}]})", at + ".gauge.dataPoints[0].asInt: expected a 64-bit integer as a decimal string"},
      {R"("gauge":{"dataPoints":[{"exemplars":[{"spanId":"xyz"}]}]})",
       at + ".gauge.dataPoints[0].exemplars[0].spanId: expected 16 hex digits"},
  };
  for (const bad_case& c : cases) {
    metric_batch b;
    EXPECT_EQ(decode_metrics_json(head + c.body + tail, b), c.message) << c.body;
    EXPECT_TRUE(b.resource_metrics.empty());
  }
  // No bucket counts and no bounds: one bucket with the whole count.
  metric_batch b;
  ASSERT_EQ(decode_metrics_json(head + R"("histogram":{"dataPoints":[{"count":"4"}]})" + tail, b), "");
  const auto& hp = std::get<metrics::histogram_data>(b.resource_metrics[0].scopes[0].metrics[0].data).points[0];
  EXPECT_EQ(hp.bucket_counts, std::vector<uint64_t>{4});
}

// ---- logs -------------------------------------------------------------------------------

TEST(OtlpJsonLogs, RoundTripKeepsEveryField) {
  agtel::resource res;
  res.attributes.set("service.name", "svc");
  instrumentation_scope scope{"logger", "2", "", {}};
  std::vector<logs::log_record_ptr> records;
  logs::log_record_ptr full = logs::log_record_ptr::make();
  full->time = 111;
  full->observed_time = 222;
  full->severity_number = logs::severity::warn;
  full->severity_text = "warning";
  full->body = std::string("disk \"almost\" full\n");
  full->has_body = true;
  full->event_name = "disk.alert";
  set_every_type(full->attributes);
  full->attributes.add_dropped(2);
  full->trace_id = tid(7);
  full->span_id = sid(8);
  full->trace_flags.bits = 1;
  full->resource = &res;
  full->scope = &scope;
  records.push_back(full);
  logs::log_record_ptr bare = logs::log_record_ptr::make();  // no body, no ids
  bare->observed_time = 5;
  bare->body = int64_t{3};
  bare->has_body = false;
  bare->resource = &res;
  bare->scope = &scope;
  records.push_back(bare);
  logs::log_record_ptr typed = logs::log_record_ptr::make();  // a non-string body
  typed->body = std::vector<double>{1.5, 2};
  typed->has_body = true;
  typed->severity_number = static_cast<logs::severity>(24);
  typed->resource = &res;
  typed->scope = &scope;
  records.push_back(typed);

  std::string first;
  encode_logs_json(records, first);
  json j = json::parse(first);
  const json& lr = j["resourceLogs"][0]["scopeLogs"][0]["logRecords"];
  EXPECT_EQ(lr[0]["severityNumber"], 13);
  EXPECT_EQ(lr[0]["body"]["stringValue"], "disk \"almost\" full\n");
  EXPECT_EQ(lr[0]["traceId"], tid(7).to_hex());
  EXPECT_EQ(lr[0]["flags"], 1);
  EXPECT_EQ(lr[0]["eventName"], "disk.alert");
  EXPECT_FALSE(lr[1].contains("body"));
  EXPECT_FALSE(lr[1].contains("traceId"));

  log_batch b;
  ASSERT_EQ(decode_logs_json(first, b), "");
  ASSERT_EQ(b.records.size(), 3u);
  const logs::log_record_data& r = *b.records[0];
  EXPECT_EQ(r.time, 111u);
  EXPECT_EQ(r.observed_time, 222u);
  EXPECT_EQ(r.severity_number, logs::severity::warn);
  EXPECT_EQ(r.severity_text, "warning");
  EXPECT_TRUE(r.has_body);
  EXPECT_EQ(std::get<std::string>(r.body), "disk \"almost\" full\n");
  EXPECT_EQ(r.event_name, "disk.alert");
  expect_same_attributes(r.attributes, full->attributes);
  EXPECT_EQ(r.trace_id, tid(7));
  EXPECT_EQ(r.span_id, sid(8));
  EXPECT_EQ(r.trace_flags.bits, 1);
  EXPECT_EQ(r.scope->name, "logger");
  EXPECT_EQ(r.resource->attributes, res.attributes);
  EXPECT_FALSE(b.records[1]->has_body);
  EXPECT_FALSE(b.records[1]->trace_id.is_valid());
  EXPECT_EQ(std::get<std::vector<double>>(b.records[2]->body), (std::vector<double>{1.5, 2}));
  EXPECT_EQ(static_cast<int>(b.records[2]->severity_number), 24);

  std::string second;
  encode_logs_json(b.records, second);
  EXPECT_EQ(second, first);
}

TEST(OtlpJsonLogs, StructuredBodyBecomesItsJsonText) {
  log_batch b;
  ASSERT_EQ(decode_logs_json(R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[
      {"body":{"kvlistValue":{"values":[{"key":"a","value":{"intValue":"1"}}]}}},
      {"body":{},"severityNumber":25}]}]}]})", b),
            "resourceLogs[0].scopeLogs[0].logRecords[1].severityNumber: expected a severity number 0..24");
  ASSERT_EQ(decode_logs_json(R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[
      {"body":{"kvlistValue":{"values":[{"key":"a","value":{"intValue":"1"}}]}}},
      {"body":{},"traceId":"","spanId":""}]}]}]})", b), "");
  EXPECT_EQ(std::get<std::string>(b.records[0]->body),
            R"({"kvlistValue":{"values":[{"key":"a","value":{"intValue":"1"}}]}})");
  EXPECT_FALSE(b.records[1]->has_body);
}

// ---- agreement with the protobuf codec ---------------------------------------------------

// The shared fixtures (every field of every signal) read back through either encoding give
// the same telemetry, compared through its JSON text.
TEST(OtlpJsonCodecs, JsonAndProtobufReadBackTheSameTelemetry) {
  test::otlp_fixture f;
  std::string via_json, via_protobuf, bytes;

  trace_batch tj, tp;
  encode_traces_json(f.spans, bytes);
  ASSERT_EQ(decode_traces_json(bytes, tj), "");
  encode_traces_protobuf(f.spans, bytes);
  ASSERT_EQ(decode_traces_protobuf(bytes, tp), "");
  encode_traces_json(tj.spans, via_json);
  encode_traces_json(tp.spans, via_protobuf);
  EXPECT_EQ(via_json, via_protobuf);
  encode_traces_json(f.spans, bytes);
  EXPECT_EQ(via_json, bytes);

  metric_batch mj, mp;
  encode_metrics_json(f.metrics, bytes);
  ASSERT_EQ(decode_metrics_json(bytes, mj), "");
  encode_metrics_protobuf(f.metrics, bytes);
  ASSERT_EQ(decode_metrics_protobuf(bytes, mp), "");
  ASSERT_EQ(mj.resource_metrics.size(), 1u);
  ASSERT_EQ(mp.resource_metrics.size(), 1u);
  encode_metrics_json(mj.resource_metrics[0], via_json);
  encode_metrics_json(mp.resource_metrics[0], via_protobuf);
  EXPECT_EQ(via_json, via_protobuf);
  encode_metrics_json(f.metrics, bytes);
  EXPECT_EQ(via_json, bytes);

  log_batch lj, lp;
  encode_logs_json(f.records, bytes);
  ASSERT_EQ(decode_logs_json(bytes, lj), "");
  encode_logs_protobuf(f.records, bytes);
  ASSERT_EQ(decode_logs_protobuf(bytes, lp), "");
  encode_logs_json(lj.records, via_json);
  encode_logs_json(lp.records, via_protobuf);
  EXPECT_EQ(via_json, via_protobuf);
  encode_logs_json(f.records, bytes);
  EXPECT_EQ(via_json, bytes);
}

// ---- responses --------------------------------------------------------------------------

TEST(OtlpJsonResponse, PartialSuccess) {
  partial_success p;
  EXPECT_TRUE(decode_response_json("", p));
  EXPECT_EQ(p.rejected, 0);
  EXPECT_TRUE(decode_response_json("{}", p));
  EXPECT_TRUE(decode_response_json(R"({"partialSuccess":{"rejectedSpans":"3","errorMessage":"bad ids"}})", p));
  EXPECT_EQ(p.rejected, 3);
  EXPECT_EQ(p.error_message, "bad ids");
  EXPECT_TRUE(decode_response_json(R"({"partialSuccess":{"rejectedDataPoints":2}})", p));
  EXPECT_EQ(p.rejected, 2);
  EXPECT_EQ(p.error_message, "");
  EXPECT_TRUE(decode_response_json(R"({"partialSuccess":{"rejectedLogRecords":"0","errorMessage":"warn"}})", p));
  EXPECT_EQ(p.rejected, 0);
  EXPECT_EQ(p.error_message, "warn");
  EXPECT_FALSE(decode_response_json("<html>", p));
  EXPECT_FALSE(decode_response_json(R"({"partialSuccess":{"rejectedSpans":"x"}})", p));
  EXPECT_EQ(p.rejected, 0);
}

}  // namespace
}  // namespace agtel::otlp
