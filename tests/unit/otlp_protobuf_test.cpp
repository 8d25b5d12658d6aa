// The OTLP/protobuf codec: round trips of every field of every signal, protobuf's own
// generated classes as an independent judge of the bytes we write (they parse them and,
// re-serializing, write exactly the same bytes), the wire writer's edge cases, and hostile
// input for the decoder.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "export/console/text.hpp"
#include "otlp/codec.hpp"
#include "otlp/protobuf_writer.hpp"
#include "support/otlp_compare.hpp"
#include "support/otlp_fixtures.hpp"

namespace agtel::otlp {
namespace {

namespace pb_common = opentelemetry::proto::common::v1;
namespace pb_trace = opentelemetry::proto::trace::v1;
namespace pb_metrics = opentelemetry::proto::metrics::v1;
namespace pb_logs = opentelemetry::proto::logs::v1;
using pb_trace_request = opentelemetry::proto::collector::trace::v1::ExportTraceServiceRequest;
using pb_metrics_request = opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceRequest;
using pb_logs_request = opentelemetry::proto::collector::logs::v1::ExportLogsServiceRequest;
using test::expect_same_attributes;
using test::expect_same_metric;
using test::expect_same_resource;
using test::expect_same_scope;
using test::expect_same_span;
using test::otlp_fixture;

// ---- comparison helpers -----------------------------------------------------------------

const trace::span_data* find_span(const trace_batch& batch, const trace::span_id& id) {
  for (const auto& s : batch.spans)
    if (s->context.span_id() == id) return s.get();
  return nullptr;
}

void expect_same_record(const logs::log_record_data& a, const logs::log_record_data& b) {
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
  expect_same_resource(a.resource, b.resource);
  expect_same_scope(a.scope, b.scope);
}

// True when `m` or any message inside it holds a field its schema does not define.
bool has_unknown_fields(const google::protobuf::Message& m) {
  const auto* r = m.GetReflection();
  if (!r->GetUnknownFields(m).empty()) return true;
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const auto* f : fields) {
    if (f->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(m, f); ++i)
        if (has_unknown_fields(r->GetRepeatedMessage(m, f, i))) return true;
    } else if (has_unknown_fields(r->GetMessage(m, f))) {
      return true;
    }
  }
  return false;
}

// protobuf's generated class parses `bytes` and, serializing what it parsed, writes the
// very same bytes: our encoding is canonical (field order, minimal varints, packed
// repeated fields, defaults left out) and carries nothing the schema does not know.
template <class Message>
Message parse_canonical(const std::string& bytes) {
  Message m;
  EXPECT_TRUE(m.ParseFromString(bytes));
  EXPECT_EQ(m.SerializeAsString(), bytes) << "re-serialized bytes differ";
  EXPECT_FALSE(has_unknown_fields(m)) << "a field the schema does not know";
  return m;
}

std::string id_bytes(const auto& id) { return std::string(reinterpret_cast<const char*>(id.bytes().data()), id.bytes().size()); }

const pb_common::AnyValue* find_attr(const google::protobuf::RepeatedPtrField<pb_common::KeyValue>& kvs,
                                     const std::string& key) {
  for (const auto& kv : kvs)
    if (kv.key() == key) return &kv.value();
  return nullptr;
}

// ---- round trips ------------------------------------------------------------------------

TEST(OtlpProtobuf, TracesRoundTripEveryField) {
  otlp_fixture f;
  std::string bytes;
  encode_traces_protobuf(f.spans, bytes);
  trace_batch batch;
  ASSERT_EQ(decode_traces_protobuf(bytes, batch), "");
  ASSERT_EQ(batch.spans.size(), f.spans.size());
  for (const auto& s : f.spans) {
    const trace::span_data* d = find_span(batch, s->context.span_id());
    ASSERT_NE(d, nullptr) << s->name;
    expect_same_span(*s, *d);
  }
}

TEST(OtlpProtobuf, TracesAreGroupedByResourceThenScopeInOrderOfAppearance) {
  otlp_fixture f;
  std::string bytes;
  encode_traces_protobuf(f.spans, bytes);
  auto req = parse_canonical<pb_trace_request>(bytes);
  // spans: a(ra,s1) b(rb,s2) child0(ra,s1) child1(rb,s1) child2(ra,s2)
  ASSERT_EQ(req.resource_spans_size(), 2);
  const auto& r0 = req.resource_spans(0);
  const auto& r1 = req.resource_spans(1);
  EXPECT_EQ(r0.resource().attributes(0).value().string_value(), "agent-runtime");
  ASSERT_EQ(r0.scope_spans_size(), 2);
  EXPECT_EQ(r0.scope_spans(0).scope().name(), "agtel.agent");
  ASSERT_EQ(r0.scope_spans(0).spans_size(), 2);
  EXPECT_EQ(r0.scope_spans(0).spans(0).name(), "invoke_agent planner");
  EXPECT_EQ(r0.scope_spans(0).spans(1).name(), "child 0");
  EXPECT_EQ(r0.scope_spans(1).scope().name(), "tools");
  EXPECT_EQ(r0.scope_spans(1).spans(0).name(), "child 2");
  EXPECT_EQ(r1.resource().attributes(0).value().string_value(), "tool-runner");
  ASSERT_EQ(r1.scope_spans_size(), 2);
  EXPECT_EQ(r1.scope_spans(0).scope().name(), "tools");
  EXPECT_EQ(r1.scope_spans(0).spans(0).name(), "root");
  EXPECT_EQ(r1.scope_spans(1).spans(0).name(), "child 1");
}

TEST(OtlpProtobuf, GeneratedClassesReadOurSpanFields) {
  otlp_fixture f;
  std::string bytes;
  encode_traces_protobuf(f.spans, bytes);
  auto req = parse_canonical<pb_trace_request>(bytes);
  const auto& rs = req.resource_spans(0);
  EXPECT_EQ(rs.schema_url(), "https://opentelemetry.io/schemas/1.26.0");
  EXPECT_EQ(rs.resource().dropped_attributes_count(), 2u);
  const auto& ss = rs.scope_spans(0);
  EXPECT_EQ(ss.schema_url(), "https://opentelemetry.io/schemas/1.25.0");
  EXPECT_EQ(ss.scope().version(), "0.1.0");
  EXPECT_EQ(ss.scope().dropped_attributes_count(), 1u);
  EXPECT_EQ(ss.scope().attributes(0).value().int_value(), 7);

  const pb_trace::Span& a = ss.spans(0);
  const trace::span_data& fa = *f.spans[0];
  EXPECT_EQ(a.trace_id(), id_bytes(fa.context.trace_id()));
  EXPECT_EQ(a.span_id(), id_bytes(fa.context.span_id()));
  EXPECT_EQ(a.parent_span_id(), id_bytes(fa.parent_span_id));
  EXPECT_EQ(a.trace_state(), "vendor=abc,other=x-y");
  // sampled | HAS_IS_REMOTE | IS_REMOTE (the parent is remote)
  EXPECT_EQ(a.flags(), 0x301u);
  EXPECT_EQ(a.kind(), pb_trace::Span::SPAN_KIND_SERVER);
  EXPECT_EQ(a.start_time_unix_nano(), 1700000000123456789ULL);
  EXPECT_EQ(a.end_time_unix_nano(), 1700000001987654321ULL);
  EXPECT_EQ(a.dropped_attributes_count(), 3u);
  EXPECT_EQ(a.dropped_events_count(), 5u);
  EXPECT_EQ(a.dropped_links_count(), 6u);
  EXPECT_EQ(a.status().code(), pb_trace::Status::STATUS_CODE_ERROR);
  EXPECT_EQ(a.status().message(), "tool timed out");

  // Every attribute type, with oneof members present even at their zero value.
  auto attr = [&](const char* k) { return find_attr(a.attributes(), k); };
  ASSERT_NE(attr("bool.false"), nullptr);
  EXPECT_EQ(attr("bool.false")->value_case(), pb_common::AnyValue::kBoolValue);
  EXPECT_FALSE(attr("bool.false")->bool_value());
  EXPECT_EQ(attr("str.empty")->value_case(), pb_common::AnyValue::kStringValue);
  EXPECT_EQ(attr("int.zero")->value_case(), pb_common::AnyValue::kIntValue);
  EXPECT_EQ(attr("int.min")->int_value(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(attr("int.max")->int_value(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(attr("double")->double_value(), 3.25);
  EXPECT_TRUE(std::signbit(attr("double.negative_zero")->double_value()));
  EXPECT_TRUE(std::isinf(attr("double.inf")->double_value()));
  EXPECT_EQ(attr("str.unicode")->string_value(), "h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x98\x80");
  const auto& ints = attr("array.int")->array_value();
  ASSERT_EQ(ints.values_size(), 3);
  EXPECT_EQ(ints.values(2).int_value(), 3000000000);
  EXPECT_EQ(attr("array.bool")->array_value().values(1).value_case(), pb_common::AnyValue::kBoolValue);
  EXPECT_EQ(attr("array.double")->array_value().values(2).value_case(), pb_common::AnyValue::kDoubleValue);
  EXPECT_EQ(attr("array.string")->array_value().values(1).value_case(), pb_common::AnyValue::kStringValue);

  ASSERT_EQ(a.events_size(), 2);
  EXPECT_EQ(a.events(0).name(), "gen_ai.choice");
  EXPECT_EQ(a.events(0).time_unix_nano(), 1700000000500000000ULL);
  EXPECT_EQ(a.events(0).dropped_attributes_count(), 1u);
  EXPECT_EQ(a.events(1).attributes_size(), 0);
  ASSERT_EQ(a.links_size(), 2);
  EXPECT_EQ(a.links(0).trace_state(), "k=v");
  EXPECT_EQ(a.links(0).flags(), 0x301u);  // sampled, remote
  EXPECT_EQ(a.links(0).dropped_attributes_count(), 4u);
  EXPECT_EQ(a.links(1).flags(), 0x100u);  // not sampled, known not remote
  EXPECT_EQ(a.links(1).trace_state(), "");

  const pb_trace::Span& root = req.resource_spans(1).scope_spans(0).spans(0);
  EXPECT_TRUE(root.parent_span_id().empty());
  EXPECT_EQ(root.flags(), 0x100u);
  EXPECT_EQ(root.kind(), pb_trace::Span::SPAN_KIND_INTERNAL);
  EXPECT_EQ(root.status().code(), pb_trace::Status::STATUS_CODE_OK);
  EXPECT_FALSE(root.status().message().size());
}

TEST(OtlpProtobuf, MetricsRoundTripEveryKind) {
  otlp_fixture f;
  std::string bytes;
  encode_metrics_protobuf(f.metrics, bytes);
  metric_batch batch;
  ASSERT_EQ(decode_metrics_protobuf(bytes, batch), "");
  ASSERT_EQ(batch.resource_metrics.size(), 1u);
  const auto& rm = batch.resource_metrics[0];
  expect_same_resource(f.metrics.resource, rm.resource);
  ASSERT_EQ(rm.scopes.size(), f.metrics.scopes.size());
  for (size_t s = 0; s < rm.scopes.size(); ++s) {
    expect_same_scope(f.metrics.scopes[s].scope, rm.scopes[s].scope);
    ASSERT_EQ(rm.scopes[s].metrics.size(), f.metrics.scopes[s].metrics.size());
    for (size_t m = 0; m < rm.scopes[s].metrics.size(); ++m)
      expect_same_metric(f.metrics.scopes[s].metrics[m], rm.scopes[s].metrics[m]);
  }
}

TEST(OtlpProtobuf, GeneratedClassesReadOurMetricFields) {
  otlp_fixture f;
  std::string bytes;
  encode_metrics_protobuf(f.metrics, bytes);
  auto req = parse_canonical<pb_metrics_request>(bytes);
  ASSERT_EQ(req.resource_metrics_size(), 1);
  const auto& sm1 = req.resource_metrics(0).scope_metrics(0);
  const auto& sm2 = req.resource_metrics(0).scope_metrics(1);

  const auto& gauge = sm1.metrics(0);
  EXPECT_EQ(gauge.description(), "How full the context window is");
  ASSERT_TRUE(gauge.has_gauge());
  EXPECT_EQ(gauge.gauge().data_points(0).as_double(), 0.75);
  EXPECT_EQ(gauge.gauge().data_points(0).start_time_unix_nano(), 0u);
  const auto& ex = gauge.gauge().data_points(0).exemplars(0);
  EXPECT_EQ(ex.trace_id(), id_bytes(test::fixture_id<16>(1)));
  EXPECT_EQ(ex.span_id(), id_bytes(test::fixture_id<8>(2)));
  EXPECT_EQ(ex.as_double(), 0.5);
  EXPECT_EQ(ex.filtered_attributes(0).key(), "session");
  const auto& g2 = gauge.gauge().data_points(1);
  EXPECT_EQ(g2.value_case(), pb_metrics::NumberDataPoint::kAsInt);
  EXPECT_EQ(g2.as_int(), -3);
  EXPECT_EQ(g2.flags(), static_cast<uint32_t>(pb_metrics::DATA_POINT_FLAGS_NO_RECORDED_VALUE_MASK));
  EXPECT_TRUE(g2.exemplars(0).trace_id().empty());
  EXPECT_EQ(g2.exemplars(0).as_int(), 9);

  const auto& counter = sm1.metrics(1);
  ASSERT_TRUE(counter.has_sum());
  EXPECT_TRUE(counter.sum().is_monotonic());
  EXPECT_EQ(counter.sum().aggregation_temporality(), pb_metrics::AGGREGATION_TEMPORALITY_CUMULATIVE);
  EXPECT_EQ(counter.sum().data_points(0).as_int(), 123456789012);
  EXPECT_EQ(sm1.metrics(2).sum().aggregation_temporality(), pb_metrics::AGGREGATION_TEMPORALITY_DELTA);
  EXPECT_FALSE(sm1.metrics(2).sum().is_monotonic());

  const auto& hist = sm2.metrics(0).histogram();
  EXPECT_EQ(hist.aggregation_temporality(), pb_metrics::AGGREGATION_TEMPORALITY_DELTA);
  const auto& h1 = hist.data_points(0);
  EXPECT_EQ(h1.count(), 6u);
  EXPECT_TRUE(h1.has_sum());
  EXPECT_EQ(h1.sum(), 12.5);
  EXPECT_EQ(h1.min(), 0.001);
  EXPECT_EQ(h1.max(), 9.0);
  EXPECT_EQ(std::vector<double>(h1.explicit_bounds().begin(), h1.explicit_bounds().end()),
            (std::vector<double>{0.005, 0.1, 1.0, 5.0}));
  EXPECT_EQ(std::vector<uint64_t>(h1.bucket_counts().begin(), h1.bucket_counts().end()),
            (std::vector<uint64_t>{1, 0, 2, 2, 1}));
  const auto& h2 = hist.data_points(1);
  EXPECT_FALSE(h2.has_sum());
  EXPECT_FALSE(h2.has_min());
  EXPECT_FALSE(h2.has_max());
  EXPECT_EQ(h2.bucket_counts_size(), 1);

  const auto& e = sm2.metrics(1).exponential_histogram().data_points(0);
  EXPECT_EQ(e.scale(), -3);
  EXPECT_EQ(e.zero_count(), 2u);
  EXPECT_EQ(e.zero_threshold(), 1e-9);
  EXPECT_EQ(e.positive().offset(), -2);
  EXPECT_EQ(e.positive().bucket_counts(3), 300u);
  EXPECT_EQ(e.negative().offset(), 5);
  EXPECT_EQ(e.sum(), -3.5);
  EXPECT_EQ(e.min(), -40.0);
  const auto& e2 = sm2.metrics(1).exponential_histogram().data_points(1);
  EXPECT_FALSE(e2.has_positive());
  EXPECT_FALSE(e2.has_sum());

  const auto& q = sm2.metrics(2).summary().data_points(0);
  EXPECT_EQ(q.count(), 100u);
  EXPECT_EQ(q.sum(), 2500.25);
  ASSERT_EQ(q.quantile_values_size(), 4);
  EXPECT_EQ(q.quantile_values(2).quantile(), 0.99);
  EXPECT_EQ(q.quantile_values(2).value(), 99.5);
}

TEST(OtlpProtobuf, LogsRoundTripEverySeverityAndBody) {
  otlp_fixture f;
  std::string bytes;
  encode_logs_protobuf(f.records, bytes);
  log_batch batch;
  ASSERT_EQ(decode_logs_protobuf(bytes, batch), "");
  ASSERT_EQ(batch.records.size(), f.records.size());
  for (const auto& r : f.records) {
    int64_t n = std::get<int64_t>(*r->attributes.find("n"));
    const logs::log_record_data* d = nullptr;
    for (const auto& x : batch.records)
      if (std::get<int64_t>(*x->attributes.find("n")) == n) d = x.get();
    ASSERT_NE(d, nullptr);
    expect_same_record(*r, *d);
  }
}

TEST(OtlpProtobuf, GeneratedClassesReadOurLogFields) {
  otlp_fixture f;
  std::string bytes;
  encode_logs_protobuf(f.records, bytes);
  auto req = parse_canonical<pb_logs_request>(bytes);
  int seen = 0;
  for (const auto& rl : req.resource_logs())
    for (const auto& sl : rl.scope_logs())
      for (const pb_logs::LogRecord& r : sl.log_records()) {
        ++seen;
        int64_t n = find_attr(r.attributes(), "n")->int_value();
        const logs::log_record_data& src = *f.records[static_cast<size_t>(n)];
        EXPECT_EQ(static_cast<int64_t>(r.severity_number()), n);
        EXPECT_EQ(r.severity_text(), src.severity_text);
        EXPECT_EQ(r.time_unix_nano(), src.time);
        EXPECT_EQ(r.observed_time_unix_nano(), src.observed_time);
        EXPECT_EQ(r.has_body(), src.has_body) << n;
        EXPECT_EQ(r.flags(), src.trace_flags.bits);
        EXPECT_EQ(r.trace_id().size(), src.trace_id.is_valid() ? 16u : 0u);
        EXPECT_EQ(r.span_id().size(), src.span_id.is_valid() ? 8u : 0u);
        if (n == 9) {
          EXPECT_EQ(r.event_name(), "gen_ai.user.message");
        }
        if (n == 0) {
          EXPECT_EQ(r.body().string_value(), "tool call failed: timeout after 30 s");
        }
        if (n == 1) {
          EXPECT_EQ(r.body().int_value(), 42);
        }
        if (n == 2) {
          EXPECT_EQ(r.body().double_value(), 3.5);
        }
        if (n == 3) {
          EXPECT_TRUE(r.body().bool_value());
        }
        if (n == 4) {
          EXPECT_EQ(r.body().array_value().values(1).string_value(), "b");
        }
        if (n == 5) {
          EXPECT_EQ(r.dropped_attributes_count(), 8u);
        }
      }
  EXPECT_EQ(seen, 25);
}

TEST(OtlpProtobuf, EmptyBatchesEncodeToEmptyRequests) {
  std::string bytes = "stale";
  encode_traces_protobuf({}, bytes);
  EXPECT_EQ(bytes, "");
  metrics::resource_metrics none;
  encode_metrics_protobuf(none, bytes);
  EXPECT_EQ(bytes, "");
  encode_logs_protobuf({}, bytes);
  EXPECT_EQ(bytes, "");
  trace_batch t;
  EXPECT_EQ(decode_traces_protobuf("", t), "");
  EXPECT_TRUE(t.spans.empty());
}

TEST(OtlpProtobuf, EncodingReusesTheOutputAndOverwritesIt) {
  otlp_fixture f;
  std::string first, again;
  encode_traces_protobuf(f.spans, first);
  again = std::string(first.size() * 3, 'x');  // longer stale content
  encode_traces_protobuf(f.spans, again);
  EXPECT_EQ(again, first);
  encode_traces_protobuf(std::span<const trace::span_ptr>(f.spans).first(1), again);
  EXPECT_LT(again.size(), first.size());
  parse_canonical<pb_trace_request>(again);
}

TEST(OtlpProtobuf, NullResourceAndScopeAreLeftOut) {
  trace::span_ptr s = trace::span_ptr::make();
  s->context = trace::span_context(test::fixture_id<16>(1), test::fixture_id<8>(1), {}, false);
  s->name = "bare";
  std::vector<trace::span_ptr> spans{s};
  std::string bytes;
  encode_traces_protobuf(spans, bytes);
  auto req = parse_canonical<pb_trace_request>(bytes);
  EXPECT_FALSE(req.resource_spans(0).has_resource());
  EXPECT_FALSE(req.resource_spans(0).scope_spans(0).has_scope());
  trace_batch batch;
  ASSERT_EQ(decode_traces_protobuf(bytes, batch), "");
  EXPECT_EQ(batch.spans[0]->name, "bare");
  EXPECT_TRUE(batch.spans[0]->resource->attributes.empty());
  EXPECT_EQ(batch.spans[0]->scope->name, "");
}

// ---- the writer -------------------------------------------------------------------------

TEST(ProtobufWriter, VarintSizes) {
  EXPECT_EQ(protobuf_writer::varint_size(0), 1u);
  EXPECT_EQ(protobuf_writer::varint_size(127), 1u);
  EXPECT_EQ(protobuf_writer::varint_size(128), 2u);
  EXPECT_EQ(protobuf_writer::varint_size(16383), 2u);
  EXPECT_EQ(protobuf_writer::varint_size(16384), 3u);
  EXPECT_EQ(protobuf_writer::varint_size(~uint64_t{0}), 10u);
}

// A nested message whose length needs fewer, as many, or more bytes than reserved: the
// result is always the canonical encoding.
TEST(ProtobufWriter, NestedLengthsAreMinimalWhateverWasReserved) {
  for (size_t body : {0, 1, 127, 128, 300, 16383, 16384, 70000}) {
    for (uint32_t hint : {1u, 2u, 3u, 4u}) {
      std::string out;
      protobuf_writer w(out);
      auto m = w.begin(2, hint);  // KeyValue.value: an AnyValue
      w.string_field(1, std::string(body, 'a'));
      w.end(m);
      w.finish();
      pb_common::KeyValue kv;
      ASSERT_TRUE(kv.ParseFromString(out)) << body << " " << hint;
      EXPECT_EQ(kv.value().string_value().size(), body);
      EXPECT_EQ(kv.SerializeAsString(), out) << body << " " << hint;
    }
  }
}

TEST(ProtobufWriter, IllFormedUtf8BecomesReplacementCharacters) {
  auto clean = [](std::string_view s) {
    std::string out;
    protobuf_writer w(out);
    w.string_field(pb_common::AnyValue::kStringValueFieldNumber, s);
    w.finish();
    pb_common::AnyValue v;
    EXPECT_TRUE(v.ParseFromString(out)) << s;  // protobuf rejects ill-formed UTF-8
    return v.string_value();
  };
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(clean("plain"), "plain");
  EXPECT_EQ(clean("\xC3\xA9"), "\xC3\xA9");
  EXPECT_EQ(clean("a\xFF" "b"), "a" + r + "b");
  EXPECT_EQ(clean("\xC0\xAF"), r + r);          // overlong: two ill-formed bytes
  EXPECT_EQ(clean("\xED\xA0\x80"), r + r + r);  // a surrogate
  EXPECT_EQ(clean("\xE2\x9C"), r);              // truncated: one maximal subsequence
  EXPECT_EQ(clean("\xF4\x90\x80\x80"), r + r + r + r);  // past U+10FFFF
  EXPECT_TRUE(exporter::console::is_valid_utf8("\xF0\x9F\x98\x80"));
  EXPECT_FALSE(exporter::console::is_valid_utf8("\xF0\x9F\x98"));

  // The encoder never writes ill-formed UTF-8, which protobuf parsers reject.
  trace::span_ptr s = trace::span_ptr::make();
  s->context = trace::span_context(test::fixture_id<16>(1), test::fixture_id<8>(1), {}, false);
  s->name = "bad\xFF";
  s->attributes.set("k\xC0", "v\xE2\x9C");
  std::vector<trace::span_ptr> spans{s};
  std::string bytes;
  encode_traces_protobuf(spans, bytes);
  trace_batch batch;
  ASSERT_EQ(decode_traces_protobuf(bytes, batch), "");
  EXPECT_EQ(batch.spans[0]->name, "bad" + r);
  EXPECT_EQ(batch.spans[0]->attributes[0].key, "k" + r);
  EXPECT_EQ(std::get<std::string>(batch.spans[0]->attributes[0].value), "v" + r);
}

// ---- decoding what the SDK does not produce ---------------------------------------------

pb_trace::Span& one_span(pb_trace_request& req) {
  auto* s = req.add_resource_spans()->add_scope_spans()->add_spans();
  s->set_trace_id(std::string(16, '\x01'));
  s->set_span_id(std::string(8, '\x02'));
  s->set_name("s");
  return *s;
}

TEST(OtlpProtobufDecode, ValuesOutsideTheAttributeModelBecomeTheirOtlpJson) {
  pb_trace_request req;
  auto& s = one_span(req);
  auto add = [&](const char* key) { auto* kv = s.add_attributes(); kv->set_key(key); return kv->mutable_value(); };
  auto* kvl = add("map")->mutable_kvlist_value()->add_values();
  kvl->set_key("k");
  kvl->mutable_value()->set_int_value(1);
  add("bytes")->set_bytes_value(std::string("\x00\xFF\x10", 3));
  auto* mixed = add("mixed")->mutable_array_value();
  mixed->add_values()->set_string_value("a");
  mixed->add_values()->set_double_value(1.5);
  add("empty");
  add("empty_array")->mutable_array_value();
  s.set_kind(static_cast<pb_trace::Span::SpanKind>(42));
  s.mutable_status()->set_code(static_cast<pb_trace::Status::StatusCode>(9));

  trace_batch batch;
  ASSERT_EQ(decode_traces_protobuf(req.SerializeAsString(), batch), "");
  const auto& a = batch.spans[0]->attributes;
  EXPECT_EQ(std::get<std::string>(*a.find("map")),
            R"({"kvlistValue":{"values":[{"key":"k","value":{"intValue":"1"}}]}})");
  EXPECT_EQ(std::get<std::string>(*a.find("bytes")), R"({"bytesValue":"AP8Q"})");
  EXPECT_EQ(std::get<std::string>(*a.find("mixed")),
            R"({"arrayValue":{"values":[{"stringValue":"a"},{"doubleValue":1.5}]}})");
  EXPECT_EQ(std::get<std::string>(*a.find("empty")), "{}");
  EXPECT_TRUE(std::get<std::vector<std::string>>(*a.find("empty_array")).empty());
  EXPECT_EQ(batch.spans[0]->kind, trace::span_kind::internal);
  EXPECT_EQ(batch.spans[0]->status.code, trace::status_code::unset);
  EXPECT_FALSE(batch.spans[0]->parent_is_remote);
}

TEST(OtlpProtobufDecode, UnknownFieldsAreSkipped) {
  pb_trace_request req;
  one_span(req);
  std::string bytes = req.SerializeAsString();
  std::string extra;
  protobuf_writer w(extra);
  w.varint_field(99, 7);
  w.string_field(100, "future");
  w.finish();
  trace_batch batch;
  ASSERT_EQ(decode_traces_protobuf(bytes + extra, batch), "");
  EXPECT_EQ(batch.spans.size(), 1u);
}

// ---- hostile input ----------------------------------------------------------------------

TEST(OtlpProtobufDecode, TruncatedAtEveryByte) {
  otlp_fixture f;
  std::string bytes;
  encode_traces_protobuf(f.spans, bytes);
  size_t failures = 0;
  for (size_t n = 0; n < bytes.size(); ++n) {
    trace_batch batch;
    ASSERT_EQ(decode_traces_protobuf(bytes, batch), "");  // full batch first: out is not empty
    std::string error = decode_traces_protobuf(std::string_view(bytes).substr(0, n), batch);
    if (error.empty()) {
      // Only a cut between two top-level ResourceSpans parses: fewer spans, never more.
      EXPECT_LT(batch.spans.size(), f.spans.size()) << n;
    } else {
      ++failures;
      EXPECT_TRUE(batch.spans.empty() && batch.resources.empty() && batch.scopes.empty()) << n;
    }
  }
  EXPECT_GE(failures, bytes.size() - 2);  // the empty prefix and the cut between the groups

  std::string metric_bytes, log_bytes;
  encode_metrics_protobuf(f.metrics, metric_bytes);
  encode_logs_protobuf(f.records, log_bytes);
  for (size_t n = 1; n < metric_bytes.size(); ++n) {
    metric_batch batch;
    std::string error = decode_metrics_protobuf(std::string_view(metric_bytes).substr(0, n), batch);
    EXPECT_FALSE(error.empty()) << n;  // one ResourceMetrics: every cut is inside it
    EXPECT_TRUE(batch.resource_metrics.empty());
  }
  for (size_t n = 1; n < log_bytes.size(); ++n) {
    log_batch batch;
    std::string error = decode_logs_protobuf(std::string_view(log_bytes).substr(0, n), batch);
    if (!error.empty()) {
      EXPECT_TRUE(batch.records.empty()) << n;
    }
  }
}

TEST(OtlpProtobufDecode, TruncationIsReportedWithAFieldPath) {
  otlp_fixture f;
  std::string bytes;
  encode_traces_protobuf(f.spans, bytes);
  trace_batch batch;
  std::string error = decode_traces_protobuf(std::string_view(bytes).substr(0, 200), batch);
  EXPECT_NE(error.find("invalid protobuf ExportTraceServiceRequest: resource_spans[0]"), std::string::npos)
      << error;
  EXPECT_NE(error.find("runs past the end"), std::string::npos) << error;
}

TEST(OtlpProtobufDecode, WrongWireTypes) {
  // A known field with another wire type is an unknown field to protobuf: skipped. A span
  // whose span_id came as a varint therefore has no span id, which is an error.
  std::string span;
  {
    protobuf_writer w(span);
    w.bytes_field(1, std::string(16, '\x01').data(), 16);
    w.varint_field(2, 12345);  // span_id as a varint
    w.finish();
  }
  std::string req;
  {
    protobuf_writer w(req);
    auto rs = w.begin(1);
    auto ss = w.begin(2);
    w.bytes_field(2, span.data(), span.size());
    w.end(ss);
    w.end(rs);
    w.finish();
  }
  trace_batch batch;
  EXPECT_EQ(decode_traces_protobuf(req, batch),
            "resource_spans[0].scope_spans[0].spans[0].span_id: missing");
  EXPECT_TRUE(batch.spans.empty());

  // Wire types 6 and 7 do not exist; 3/4 (groups) must be balanced.
  for (std::string bad : {std::string("\x0e"), std::string("\x0f"), std::string("\x0c")}) {
    std::string error = decode_traces_protobuf(bad, batch);
    EXPECT_FALSE(error.empty());
    EXPECT_TRUE(error.find("wire type") != std::string::npos || error.find("group") != std::string::npos)
        << error;
  }
}

TEST(OtlpProtobufDecode, OversizedLengths) {
  for (uint64_t len : {uint64_t{100}, uint64_t{1} << 31, uint64_t{1} << 40, ~uint64_t{0} >> 1}) {
    std::string bytes;
    protobuf_writer w(bytes);
    w.tag(1, wire_type::len);
    w.varint(len);
    w.raw("abc", 3);
    w.finish();
    trace_batch batch;
    std::string error = decode_traces_protobuf(bytes, batch);
    EXPECT_NE(error.find("resource_spans[0]: length"), std::string::npos) << error;
  }
  // An 11-byte varint.
  trace_batch batch;
  EXPECT_NE(decode_traces_protobuf(std::string(11, '\xff'), batch), "");
}

TEST(OtlpProtobufDecode, GarbageNeverCrashesAndLeavesNothing) {
  std::mt19937 rng(12345);
  otlp_fixture f;
  std::string good;
  encode_traces_protobuf(f.spans, good);
  for (int i = 0; i < 2000; ++i) {
    std::string bytes;
    if (i % 2) {
      bytes.resize(rng() % 200);
      for (char& c : bytes) c = static_cast<char>(rng());
    } else {  // flip a few bytes of a valid request
      bytes = good;
      for (int k = 0; k < 3; ++k) bytes[rng() % bytes.size()] = static_cast<char>(rng());
    }
    trace_batch t;
    if (!decode_traces_protobuf(bytes, t).empty()) {
      EXPECT_TRUE(t.spans.empty() && t.resources.empty());
    }
    metric_batch m;
    if (!decode_metrics_protobuf(bytes, m).empty()) {
      EXPECT_TRUE(m.resource_metrics.empty());
    }
    log_batch l;
    if (!decode_logs_protobuf(bytes, l).empty()) {
      EXPECT_TRUE(l.records.empty());
    }
    partial_success p;
    decode_response_protobuf(bytes, p);
  }
}

std::string nested_arrays(int depth) {
  pb_trace_request req;
  auto& s = one_span(req);
  auto* kv = s.add_attributes();
  kv->set_key("deep");
  pb_common::AnyValue* v = kv->mutable_value();
  for (int i = 0; i < depth; ++i) v = v->mutable_array_value()->add_values();
  v->set_int_value(1);
  return req.SerializePartialAsString();
}

TEST(OtlpProtobufDecode, DeepNesting) {
  trace_batch batch;
  // 20 nested arrays: well within the limit; the value is kept as its OTLP/JSON.
  ASSERT_EQ(decode_traces_protobuf(nested_arrays(20), batch), "");
  const std::string& json = std::get<std::string>(*batch.spans[0]->attributes.find("deep"));
  EXPECT_EQ(json.substr(0, 30), R"({"arrayValue":{"values":[{"arr)");
  // 60 arrays are 120 messages (AnyValue and ArrayValue) plus the span's own nesting.
  std::string error = decode_traces_protobuf(nested_arrays(60), batch);
  EXPECT_NE(error.find("nested deeper than 100 messages"), std::string::npos) << error;
  EXPECT_NE(error.find("resource_spans[0].scope_spans[0].spans[0].attributes[0].value.array_value"),
            std::string::npos)
      << error;
  EXPECT_TRUE(batch.spans.empty());
}

TEST(OtlpProtobufDecode, InvalidUtf8InAStringFieldRejectsTheRequest) {
  pb_trace_request req;
  one_span(req);
  std::string bytes = req.SerializeAsString();
  size_t at = bytes.rfind('s');  // the span's name
  bytes[at] = '\xff';
  trace_batch batch;
  EXPECT_EQ(decode_traces_protobuf(bytes, batch),
            "invalid protobuf ExportTraceServiceRequest: resource_spans[0].scope_spans[0].spans[0].name: "
            "invalid UTF-8 in a string field at byte " +
                std::to_string(at - 2));
  EXPECT_TRUE(batch.spans.empty());
}

TEST(OtlpProtobufDecode, WrongLengthIdsNameTheField) {
  struct id_case {
    std::function<void(pb_trace_request&)> mutate;
    std::string error;
  };
  const std::string span = "resource_spans[0].scope_spans[0].spans[0].";
  std::vector<id_case> cases = {
      {[](auto& r) { one_span(r).set_trace_id(std::string(15, '\x01')); }, span + "trace_id: 15 bytes, want 16"},
      {[](auto& r) { one_span(r).set_trace_id(""); }, span + "trace_id: missing"},
      {[](auto& r) { one_span(r).set_trace_id(std::string(16, '\0')); }, span + "trace_id: all zero (an invalid id)"},
      {[](auto& r) { one_span(r).set_span_id(std::string(9, '\x01')); }, span + "span_id: 9 bytes, want 8"},
      {[](auto& r) { one_span(r).set_parent_span_id(std::string(7, '\x01')); }, span + "parent_span_id: 7 bytes, want 8"},
      {[](auto& r) { one_span(r).add_links()->set_trace_id(std::string(32, 'a')); }, span + "links[0].trace_id: 32 bytes, want 16"},
      {[](auto& r) {
         one_span(r);
         one_span(r).add_links();
         r.mutable_resource_spans(1)->mutable_scope_spans(0)->mutable_spans(0)->mutable_links(0)->set_span_id("abc");
       },
       "resource_spans[1].scope_spans[0].spans[0].links[0].span_id: 3 bytes, want 8"},
  };
  for (const auto& c : cases) {
    pb_trace_request req;
    c.mutate(req);
    trace_batch batch;
    EXPECT_EQ(decode_traces_protobuf(req.SerializeAsString(), batch), c.error);
    EXPECT_TRUE(batch.spans.empty());
  }

  pb_logs_request logs;
  auto* rec = logs.add_resource_logs()->add_scope_logs()->add_log_records();
  rec->set_span_id("12345");
  log_batch lb;
  EXPECT_EQ(decode_logs_protobuf(logs.SerializeAsString(), lb),
            "resource_logs[0].scope_logs[0].log_records[0].span_id: 5 bytes, want 8");

  pb_metrics_request metrics;
  auto* point = metrics.add_resource_metrics()->add_scope_metrics()->add_metrics()->mutable_gauge()->add_data_points();
  point->add_exemplars()->set_trace_id("x");
  metric_batch mb;
  EXPECT_EQ(decode_metrics_protobuf(metrics.SerializeAsString(), mb),
            "resource_metrics[0].scope_metrics[0].metrics[0].gauge.data_points[0].exemplars[0].trace_id: 1 "
            "bytes, want 16");
  EXPECT_TRUE(mb.resource_metrics.empty());
}

TEST(OtlpProtobufDecode, InconsistentHistogramsAreRejected) {
  auto decode_point = [](auto fill) {
    pb_metrics_request req;
    auto* m = req.add_resource_metrics()->add_scope_metrics()->add_metrics();
    fill(*m);
    metric_batch batch;
    return decode_metrics_protobuf(req.SerializeAsString(), batch);
  };
  const std::string at = "resource_metrics[0].scope_metrics[0].metrics[0].";
  EXPECT_EQ(decode_point([](pb_metrics::Metric& m) {
              auto* p = m.mutable_histogram()->add_data_points();
              p->add_explicit_bounds(1);
              p->add_bucket_counts(1);
            }),
            at + "histogram.data_points[0].bucket_counts: 1 counts for 1 explicit_bounds (want one more count than bounds)");
  EXPECT_EQ(decode_point([](pb_metrics::Metric& m) {
              auto* p = m.mutable_histogram()->add_data_points();
              p->add_explicit_bounds(2);
              p->add_explicit_bounds(1);
              for (int i = 0; i < 3; ++i) p->add_bucket_counts(1);
            }),
            at + "histogram.data_points[0].explicit_bounds: not strictly increasing finite numbers (at index 1)");
  EXPECT_EQ(decode_point([](pb_metrics::Metric& m) {
              auto* p = m.mutable_histogram()->add_data_points();
              p->add_explicit_bounds(NAN);
              for (int i = 0; i < 2; ++i) p->add_bucket_counts(1);
            }),
            at + "histogram.data_points[0].explicit_bounds: not strictly increasing finite numbers (at index 0)");
  EXPECT_EQ(decode_point([](pb_metrics::Metric& m) { m.mutable_exponential_histogram()->add_data_points()->set_scale(21); }),
            at + "exponential_histogram.data_points[0].scale: 21 is outside [-10, 20]");
  EXPECT_EQ(decode_point([](pb_metrics::Metric& m) {
              auto* b = m.mutable_exponential_histogram()->add_data_points()->mutable_positive();
              b->set_offset(INT32_MAX);
              b->add_bucket_counts(1);
              b->add_bucket_counts(1);
            }),
            at + "exponential_histogram.data_points[0].positive: bucket indices past the int32 range");
  // Without bucket counts a point keeps no bounds either (count and sum only).
  pb_metrics_request req;
  auto* p = req.add_resource_metrics()->add_scope_metrics()->add_metrics()->mutable_histogram()->add_data_points();
  p->add_explicit_bounds(1);
  p->set_count(3);
  metric_batch batch;
  ASSERT_EQ(decode_metrics_protobuf(req.SerializeAsString(), batch), "");
  const auto& hp = std::get<metrics::histogram_data>(batch.resource_metrics[0].scopes[0].metrics[0].data).points[0];
  EXPECT_TRUE(hp.bounds.empty());
  EXPECT_EQ(hp.count, 3u);
}

TEST(OtlpProtobufDecode, Responses) {
  partial_success p;
  EXPECT_TRUE(decode_response_protobuf("", p));
  EXPECT_EQ(p.rejected, 0);
  EXPECT_EQ(p.error_message, "");

  opentelemetry::proto::collector::metrics::v1::ExportMetricsServiceResponse res;
  res.mutable_partial_success()->set_rejected_data_points(3);
  res.mutable_partial_success()->set_error_message("bad points");
  ASSERT_TRUE(decode_response_protobuf(res.SerializeAsString(), p));
  EXPECT_EQ(p.rejected, 3);
  EXPECT_EQ(p.error_message, "bad points");

  EXPECT_FALSE(decode_response_protobuf("\x0a\x05\x08", p));  // truncated
  EXPECT_EQ(p.rejected, 0);
  EXPECT_FALSE(decode_response_protobuf("<html>502 Bad Gateway</html>", p));
}

}  // namespace
}  // namespace agtel::otlp
