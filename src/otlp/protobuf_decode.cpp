// OTLP/protobuf decoding: protobuf's generated parser (hardened against hostile input,
// run on an arena) reads the request, then the messages are checked and converted to the
// SDK's types. Nothing is kept from a request that fails.
//
// What is rejected, with a field path in the message:
//  - anything protobuf's parser rejects: truncation, lengths past the end, malformed
//    varints, invalid wire types, nesting past 100 messages, and `string` fields that are
//    not valid UTF-8 (protobuf 3 requires them to be; the whole request is rejected, as
//    the C++ and Go protobuf runtimes do). protobuf_diagnose.cpp says where.
//  - requests of 2 GiB or more (protobuf's own limit; the receiver caps bodies far lower);
//  - ids of the wrong length: span and trace ids must be 8 and 16 bytes (a span's own ids
//    also not all zero); optional ids (parent, links, exemplars, logs) empty or 8/16 bytes;
//  - explicit histogram points whose bucket counts do not fit their bounds (one more count
//    than bounds), or whose bounds are not strictly increasing finite numbers; exponential
//    histogram points with a scale outside [-10, 20] or buckets past the int32 index range.
// What is accepted and mapped:
//  - unknown enum values (span kind, status code, temporality, severity) become the
//    "unspecified" value of their enum (span kind: internal);
//  - an invalid trace_state is dropped (the W3C rule for a bad tracestate header);
//  - bits 8 and 9 of Span.flags give parent_is_remote (true only when both are set);
//  - values that do not fit the attribute model (maps, byte strings, arrays of mixed or
//    nested values, an empty AnyValue) become a string holding their OTLP/JSON form, e.g.
//    {"kvlistValue":{"values":[{"key":"k","value":{"intValue":"1"}}]}}; an empty array
//    becomes an empty array of strings;
//  - a metric without data becomes a gauge without points; a histogram point without
//    bucket counts keeps no bounds either.
#include <google/protobuf/arena.h>
#include <google/protobuf/stubs/logging.h>

#include <climits>
#include <cstring>
#include <optional>
#include <cmath>

#include "opentelemetry/proto/collector/logs/v1/logs_service.pb.h"
#include "opentelemetry/proto/collector/metrics/v1/metrics_service.pb.h"
#include "opentelemetry/proto/collector/trace/v1/trace_service.pb.h"
#include "otlp/codec.hpp"
#include "otlp/json_writer.hpp"
#include "otlp/protobuf_diagnose.hpp"

namespace agtel::otlp {

namespace {

namespace pb_common = opentelemetry::proto::common::v1;
namespace pb_resource = opentelemetry::proto::resource::v1;
namespace pb_trace = opentelemetry::proto::trace::v1;
namespace pb_metrics = opentelemetry::proto::metrics::v1;
namespace pb_logs = opentelemetry::proto::logs::v1;
namespace pb_collector_trace = opentelemetry::proto::collector::trace::v1;
namespace pb_collector_metrics = opentelemetry::proto::collector::metrics::v1;
namespace pb_collector_logs = opentelemetry::proto::collector::logs::v1;

using google::protobuf::RepeatedPtrField;

// Parses `bytes` into a `Message` on `arena`. Returns null and sets `error` on failure.
template <class Message>
Message* parse(std::string_view bytes, google::protobuf::Arena& arena, std::string& error) {
  if (bytes.size() >= static_cast<size_t>(INT_MAX)) {
    error = "request too large: " + std::to_string(bytes.size()) + " bytes (the limit is 2 GiB)";
    return nullptr;
  }
  auto* m = google::protobuf::Arena::CreateMessage<Message>(&arena);
  bool ok;
  {
    // protobuf logs rejected UTF-8 to stderr; a hostile client must not fill our log. The
    // error is reported to the caller instead.
    google::protobuf::LogSilencer quiet;
    ok = m->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  }
  if (!ok) {
    error = "invalid protobuf " + Message::descriptor()->name() + ": " +
            diagnose_protobuf(*Message::descriptor(), bytes);
    return nullptr;
  }
  return m;
}

// ---- OTLP/JSON text of values that do not fit the attribute model -----------------------

void append_base64(std::string& out, const std::string& bytes) {
  static constexpr char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16 | static_cast<uint8_t>(bytes[i + 1]) << 8 |
                 static_cast<uint8_t>(bytes[i + 2]);
    out += digits[v >> 18];
    out += digits[(v >> 12) & 63];
    out += digits[(v >> 6) & 63];
    out += digits[v & 63];
  }
  if (size_t rest = bytes.size() - i) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16 |
                 (rest == 2 ? static_cast<uint8_t>(bytes[i + 1]) << 8 : 0);
    out += digits[v >> 18];
    out += digits[(v >> 12) & 63];
    out += rest == 2 ? digits[(v >> 6) & 63] : '=';
    out += '=';
  }
}

void write_json(json_writer& w, const pb_common::AnyValue& v) {
  w.begin_object();
  switch (v.value_case()) {
    case pb_common::AnyValue::kStringValue:
      w.key("stringValue");
      w.string(v.string_value());
      break;
    case pb_common::AnyValue::kBoolValue:
      w.key("boolValue");
      w.boolean(v.bool_value());
      break;
    case pb_common::AnyValue::kIntValue:
      w.key("intValue");
      w.quoted(static_cast<int64_t>(v.int_value()));
      break;
    case pb_common::AnyValue::kDoubleValue:
      w.key("doubleValue");
      w.number(v.double_value());
      break;
    case pb_common::AnyValue::kArrayValue:
      w.key("arrayValue");
      w.begin_object();
      w.key("values");
      w.begin_array();
      for (const auto& item : v.array_value().values()) write_json(w, item);
      w.end_array();
      w.end_object();
      break;
    case pb_common::AnyValue::kKvlistValue:
      w.key("kvlistValue");
      w.begin_object();
      w.key("values");
      w.begin_array();
      for (const auto& kv : v.kvlist_value().values()) {
        w.begin_object();
        w.key("key");
        w.string(kv.key());
        w.key("value");
        write_json(w, kv.value());
        w.end_object();
      }
      w.end_array();
      w.end_object();
      break;
    case pb_common::AnyValue::kBytesValue: {
      w.key("bytesValue");
      std::string b64 = "\"";
      append_base64(b64, v.bytes_value());
      b64 += '"';
      w.raw_value(b64);
      break;
    }
    case pb_common::AnyValue::VALUE_NOT_SET:
      break;
  }
  w.end_object();
}

// An array whose items are all strings, all bools, all ints or all doubles.
bool homogeneous_array(const pb_common::ArrayValue& a, attribute_value& out) {
  const auto& items = a.values();
  if (items.empty()) {
    out = std::vector<std::string>();
    return true;
  }
  auto kind = items[0].value_case();
  for (const auto& item : items)
    if (item.value_case() != kind) return false;
  switch (kind) {
    case pb_common::AnyValue::kStringValue: {
      std::vector<std::string> v;
      v.reserve(items.size());
      for (const auto& item : items) v.push_back(item.string_value());
      out = std::move(v);
      return true;
    }
    case pb_common::AnyValue::kBoolValue: {
      std::vector<bool> v;
      v.reserve(items.size());
      for (const auto& item : items) v.push_back(item.bool_value());
      out = std::move(v);
      return true;
    }
    case pb_common::AnyValue::kIntValue: {
      std::vector<int64_t> v;
      v.reserve(items.size());
      for (const auto& item : items) v.push_back(item.int_value());
      out = std::move(v);
      return true;
    }
    case pb_common::AnyValue::kDoubleValue: {
      std::vector<double> v;
      v.reserve(items.size());
      for (const auto& item : items) v.push_back(item.double_value());
      out = std::move(v);
      return true;
    }
    default:
      return false;
  }
}

void to_value(const pb_common::AnyValue& v, attribute_value& out) {
  switch (v.value_case()) {
    case pb_common::AnyValue::kStringValue:
      out = v.string_value();
      return;
    case pb_common::AnyValue::kBoolValue:
      out = v.bool_value();
      return;
    case pb_common::AnyValue::kIntValue:
      out = static_cast<int64_t>(v.int_value());
      return;
    case pb_common::AnyValue::kDoubleValue:
      out = v.double_value();
      return;
    case pb_common::AnyValue::kArrayValue:
      if (homogeneous_array(v.array_value(), out)) return;
      break;
    default:
      break;
  }
  std::string json;
  json_writer w(json);
  write_json(w, v);
  out = std::move(json);
}

void to_attributes(const RepeatedPtrField<pb_common::KeyValue>& kvs, uint32_t dropped,
                   attribute_list& out) {
  out.clear();
  attribute_value v;
  for (const auto& kv : kvs) {
    to_value(kv.value(), v);
    out.set_value(kv.key(), v);
  }
  out.add_dropped(dropped);
}

void to_resource(const pb_resource::Resource& r, const std::string& schema_url, agtel::resource& out) {
  to_attributes(r.attributes(), r.dropped_attributes_count(), out.attributes);
  out.schema_url = schema_url;
}

void to_scope(const pb_common::InstrumentationScope& s, const std::string& schema_url,
              instrumentation_scope& out) {
  out.name = s.name();
  out.version = s.version();
  out.schema_url = schema_url;
  to_attributes(s.attributes(), s.dropped_attributes_count(), out.attributes);
}

// ---- field paths and checks -------------------------------------------------------------

// Where the decoder is, as "resource_spans[0].scope_spans[1].spans[7]"; formatted only
// when something is wrong.
class field_path {
 public:
  struct segment {
    const char* name;
    int index;  // -1: not a list
  };
  class scope {
   public:
    scope(field_path& p, const char* name, int index = -1) : p_(p) { p_.segments_.push_back({name, index}); }
    ~scope() { p_.segments_.pop_back(); }
    scope(const scope&) = delete;
    scope& operator=(const scope&) = delete;

   private:
    field_path& p_;
  };

  std::string str(const char* leaf = nullptr) const {
    std::string s;
    for (const segment& seg : segments_) {
      if (!s.empty()) s += '.';
      s += seg.name;
      if (seg.index >= 0) s += "[" + std::to_string(seg.index) + "]";
    }
    if (leaf) {
      if (!s.empty()) s += '.';
      s += leaf;
    }
    return s;
  }

 private:
  std::vector<segment> segments_;
};

class checker {
 public:
  field_path path;
  std::string error;

  bool fail(const char* field, const std::string& what) {
    error = path.str(field) + ": " + what;
    return false;
  }

  // An id that must be present: exactly N bytes, not all zero.
  template <size_t N>
  bool required_id(const std::string& bytes, const char* field, trace::basic_id<N>& out) {
    if (!optional_id(bytes, field, out)) return false;
    if (!out.is_valid())
      return fail(field, bytes.empty() ? "missing" : "all zero (an invalid id)");
    return true;
  }
  // An id that may be absent: empty (the invalid id) or exactly N bytes.
  template <size_t N>
  bool optional_id(const std::string& bytes, const char* field, trace::basic_id<N>& out) {
    out = trace::basic_id<N>();
    if (bytes.empty()) return true;
    if (bytes.size() != N)
      return fail(field, std::to_string(bytes.size()) + " bytes, want " + std::to_string(N));
    std::memcpy(out.bytes().data(), bytes.data(), N);
    return true;
  }
};

// ---- traces -----------------------------------------------------------------------------

constexpr uint32_t span_flags_trace_flags = 0xFF, span_flags_has_is_remote = 0x100,
                   span_flags_is_remote = 0x200;

bool to_span(checker& c, const pb_trace::Span& s, trace::span_data& out) {
  trace::trace_id tid;
  trace::span_id sid;
  if (!c.required_id(s.trace_id(), "trace_id", tid) || !c.required_id(s.span_id(), "span_id", sid))
    return false;
  trace::trace_flags flags{static_cast<uint8_t>(s.flags() & span_flags_trace_flags)};
  out.context = trace::span_context(tid, sid, flags, false, trace::trace_state::parse(s.trace_state()));
  if (!c.optional_id(s.parent_span_id(), "parent_span_id", out.parent_span_id)) return false;
  out.parent_is_remote = (s.flags() & (span_flags_has_is_remote | span_flags_is_remote)) ==
                         (span_flags_has_is_remote | span_flags_is_remote);
  out.name = s.name();
  int kind = s.kind();
  out.kind = kind >= 1 && kind <= 5 ? static_cast<trace::span_kind>(kind) : trace::span_kind::internal;
  out.start_time = s.start_time_unix_nano();
  out.end_time = s.end_time_unix_nano();
  to_attributes(s.attributes(), s.dropped_attributes_count(), out.attributes);
  out.events.clear();
  for (const auto& e : s.events()) {
    trace::span_event& ev = out.events.next();
    ev.name = e.name();
    ev.time = e.time_unix_nano();
    to_attributes(e.attributes(), e.dropped_attributes_count(), ev.attributes);
  }
  out.dropped_events = s.dropped_events_count();
  out.links.clear();
  int li = 0;
  for (const auto& l : s.links()) {
    field_path::scope at(c.path, "links", li++);
    trace::trace_id ltid;
    trace::span_id lsid;
    if (!c.optional_id(l.trace_id(), "trace_id", ltid) || !c.optional_id(l.span_id(), "span_id", lsid))
      return false;
    trace::span_link& link = out.links.next();
    bool remote = (l.flags() & span_flags_is_remote) && (l.flags() & span_flags_has_is_remote);
    link.context = trace::span_context(ltid, lsid, {static_cast<uint8_t>(l.flags() & span_flags_trace_flags)},
                                       remote, trace::trace_state::parse(l.trace_state()));
    to_attributes(l.attributes(), l.dropped_attributes_count(), link.attributes);
  }
  out.dropped_links = s.dropped_links_count();
  int code = s.status().code();
  out.status.code = code >= 0 && code <= 2 ? static_cast<trace::status_code>(code) : trace::status_code::unset;
  out.status.message = s.status().message();
  return true;
}

// ---- metrics ----------------------------------------------------------------------------

template <class Point>
bool to_number(const Point& p, metrics::number_value& out) {
  if (p.value_case() == Point::kAsDouble)
    out = p.as_double();
  else
    out = static_cast<int64_t>(p.as_int());  // as_int, or no value (0)
  return true;
}

// Converts each message of `in` with convert(message), under the field path `field`[i];
// false at the first that fails.
template <class In, class Convert>
bool each(checker& c, const char* field, const RepeatedPtrField<In>& in, Convert convert) {
  int i = 0;
  for (const In& m : in) {
    field_path::scope at(c.path, field, i++);
    if (!convert(m)) return false;
  }
  return true;
}

bool to_exemplars(checker& c, const RepeatedPtrField<pb_metrics::Exemplar>& in,
                  reuse_vector<metrics::exemplar>& out) {
  out.clear();
  return each(c, "exemplars", in, [&](const pb_metrics::Exemplar& e) {
    metrics::exemplar& x = out.next();
    to_attributes(e.filtered_attributes(), 0, x.filtered_attributes);
    x.time = e.time_unix_nano();
    to_number(e, x.value);
    return c.optional_id(e.trace_id(), "trace_id", x.trace_id) &&
           c.optional_id(e.span_id(), "span_id", x.span_id);
  });
}

metrics::aggregation_temporality to_temporality(int t) {
  return t == 1 || t == 2 ? static_cast<metrics::aggregation_temporality>(t)
                          : metrics::aggregation_temporality::unspecified;
}

std::optional<double> optional_double(bool has, double v) {
  return has ? std::optional<double>(v) : std::nullopt;
}

// The members every data point kind has.
template <class In, class Out>
void to_point_common(const In& p, Out& q) {
  to_attributes(p.attributes(), 0, q.attributes);
  q.start_time = p.start_time_unix_nano();
  q.time = p.time_unix_nano();
  q.flags = p.flags();
}

// The members both histogram kinds have.
template <class In, class Out>
void to_histogram_common(const In& p, Out& q) {
  to_point_common(p, q);
  q.count = p.count();
  q.sum = optional_double(p.has_sum(), p.sum());
  q.min = optional_double(p.has_min(), p.min());
  q.max = optional_double(p.has_max(), p.max());
}

bool to_number_point(checker& c, const pb_metrics::NumberDataPoint& p, metrics::number_point& q) {
  to_point_common(p, q);
  to_number(p, q.value);
  return to_exemplars(c, p.exemplars(), q.exemplars);
}

bool to_histogram_point(checker& c, const pb_metrics::HistogramDataPoint& p,
                        metrics::histogram_point& q) {
  to_histogram_common(p, q);
  q.bucket_counts.assign(p.bucket_counts().begin(), p.bucket_counts().end());
  q.bounds.clear();
  if (!q.bucket_counts.empty()) {
    if (static_cast<size_t>(p.explicit_bounds_size()) + 1 != q.bucket_counts.size())
      return c.fail("bucket_counts", std::to_string(q.bucket_counts.size()) + " counts for " +
                                         std::to_string(p.explicit_bounds_size()) +
                                         " explicit_bounds (want one more count than bounds)");
    q.bounds.assign(p.explicit_bounds().begin(), p.explicit_bounds().end());
    for (size_t i = 0; i < q.bounds.size(); ++i)
      if (!std::isfinite(q.bounds[i]) || (i > 0 && !(q.bounds[i - 1] < q.bounds[i])))
        return c.fail("explicit_bounds", "not strictly increasing finite numbers (at index " +
                                             std::to_string(i) + ")");
  }
  return to_exemplars(c, p.exemplars(), q.exemplars);
}

bool to_buckets(checker& c, const char* field, const pb_metrics::ExponentialHistogramDataPoint::Buckets& b,
                metrics::exponential_buckets& out) {
  out.offset = b.offset();
  out.counts.assign(b.bucket_counts().begin(), b.bucket_counts().end());
  if (static_cast<int64_t>(out.offset) + static_cast<int64_t>(out.counts.size()) > INT32_MAX)
    return c.fail(field, "bucket indices past the int32 range");
  return true;
}

bool to_exponential_point(checker& c, const pb_metrics::ExponentialHistogramDataPoint& p,
                          metrics::exponential_histogram_point& q) {
  to_histogram_common(p, q);
  q.scale = p.scale();
  if (q.scale < -10 || q.scale > 20)
    return c.fail("scale", std::to_string(q.scale) + " is outside [-10, 20]");
  q.zero_count = p.zero_count();
  q.zero_threshold = p.zero_threshold();
  return to_buckets(c, "positive", p.positive(), q.positive) &&
         to_buckets(c, "negative", p.negative(), q.negative) &&
         to_exemplars(c, p.exemplars(), q.exemplars);
}

bool to_summary_point(checker&, const pb_metrics::SummaryDataPoint& p, metrics::summary_point& q) {
  to_point_common(p, q);
  q.count = p.count();
  q.sum = p.sum();
  q.quantiles.clear();
  for (const auto& v : p.quantile_values()) q.quantiles.push_back({v.quantile(), v.value()});
  return true;
}

template <class In, class Out, class Convert>
bool to_points(checker& c, const RepeatedPtrField<In>& in, reuse_vector<Out>& out,
               Convert convert) {
  out.clear();
  return each(c, "data_points", in, [&](const In& p) { return convert(c, p, out.next()); });
}

bool to_metric(checker& c, const pb_metrics::Metric& m, metrics::metric_data& out) {
  out.name = m.name();
  out.description = m.description();
  out.unit = m.unit();
  switch (m.data_case()) {
    case pb_metrics::Metric::kGauge: {
      field_path::scope at(c.path, "gauge");
      auto& d = out.data.emplace<metrics::gauge_data>();
      return to_points(c, m.gauge().data_points(), d.points, to_number_point);
    }
    case pb_metrics::Metric::kSum: {
      field_path::scope at(c.path, "sum");
      auto& d = out.data.emplace<metrics::sum_data>();
      d.temporality = to_temporality(m.sum().aggregation_temporality());
      d.monotonic = m.sum().is_monotonic();
      return to_points(c, m.sum().data_points(), d.points, to_number_point);
    }
    case pb_metrics::Metric::kHistogram: {
      field_path::scope at(c.path, "histogram");
      auto& d = out.data.emplace<metrics::histogram_data>();
      d.temporality = to_temporality(m.histogram().aggregation_temporality());
      return to_points(c, m.histogram().data_points(), d.points, to_histogram_point);
    }
    case pb_metrics::Metric::kExponentialHistogram: {
      field_path::scope at(c.path, "exponential_histogram");
      auto& d = out.data.emplace<metrics::exponential_histogram_data>();
      d.temporality = to_temporality(m.exponential_histogram().aggregation_temporality());
      return to_points(c, m.exponential_histogram().data_points(), d.points, to_exponential_point);
    }
    case pb_metrics::Metric::kSummary: {
      field_path::scope at(c.path, "summary");
      auto& d = out.data.emplace<metrics::summary_data>();
      return to_points(c, m.summary().data_points(), d.points, to_summary_point);
    }
    case pb_metrics::Metric::DATA_NOT_SET:
      out.data.emplace<metrics::gauge_data>();
      return true;
  }
  return true;
}

// ---- logs -------------------------------------------------------------------------------

bool to_log_record(checker& c, const pb_logs::LogRecord& r, logs::log_record_data& out) {
  if (!c.optional_id(r.trace_id(), "trace_id", out.trace_id) ||
      !c.optional_id(r.span_id(), "span_id", out.span_id))
    return false;
  out.time = r.time_unix_nano();
  out.observed_time = r.observed_time_unix_nano();
  int sev = r.severity_number();
  out.severity_number = sev >= 0 && sev <= 24 ? static_cast<logs::severity>(sev) : logs::severity::unspecified;
  out.severity_text = r.severity_text();
  out.has_body = r.has_body() && r.body().value_case() != pb_common::AnyValue::VALUE_NOT_SET;
  if (out.has_body)
    to_value(r.body(), out.body);
  else
    out.body = std::string();
  out.event_name = r.event_name();
  to_attributes(r.attributes(), r.dropped_attributes_count(), out.attributes);
  out.trace_flags.bits = static_cast<uint8_t>(r.flags() & 0xFF);
  return true;
}

// ---- the shared request walk ------------------------------------------------------------

std::vector<trace::span_ptr>& items(trace_batch& b) {
  return b.spans;
}
std::vector<metrics::resource_metrics>& items(metric_batch& b) {
  return b.resource_metrics;
}
std::vector<logs::log_record_ptr>& items(log_batch& b) {
  return b.records;
}

// Empties `b`, its items first (they point into its resources and scopes).
template <class Batch>
void clear(Batch& b) noexcept {
  items(b).clear();
  b.scopes.clear();
  b.resources.clear();
}

// Parses a `Request` and runs read(checker, request) on it; on any failure empties `out`
// and returns why.
template <class Request, class Batch, class Read>
std::string decode(std::string_view bytes, Batch& out, Read read) {
  clear(out);
  std::string error;
  google::protobuf::Arena arena;
  auto* req = parse<Request>(bytes, arena, error);
  if (!req) return error;
  checker c;
  if (read(c, *req)) return "";
  clear(out);
  return c.error;
}

// Walks the resource groups `groups` (field `fields[0]`) and their scope groups
// (scopes_of(group), field `fields[1]`), adding each resource and scope to `out`. Calls
// begin_resource(resource) for each resource group and read_scope(scope group, resource,
// scope) for each scope group, which converts its items.
template <class Batch, class Group, class ScopesOf, class BeginResource, class ReadScope>
bool walk_groups(checker& c, const RepeatedPtrField<Group>& groups, const char* const (&fields)[2],
                 Batch& out, ScopesOf scopes_of, BeginResource begin_resource,
                 ReadScope read_scope) {
  return each(c, fields[0], groups, [&](const Group& g) {
    agtel::resource& res = out.resources.emplace_back();
    to_resource(g.resource(), g.schema_url(), res);
    begin_resource(res);
    return each(c, fields[1], scopes_of(g), [&](const auto& sg) {
      instrumentation_scope& scope = out.scopes.emplace_back();
      to_scope(sg.scope(), sg.schema_url(), scope);
      return read_scope(sg, res, scope);
    });
  });
}

// Converts each of a scope group's spans or log records (field `field`) into a new
// `Ptr` of its resource and scope, appended to `out`.
template <class Ptr, class In, class Convert>
bool to_items(checker& c, const char* field, const RepeatedPtrField<In>& in,
              const agtel::resource& res, const instrumentation_scope& scope, std::vector<Ptr>& out,
              Convert convert) {
  return each(c, field, in, [&](const In& m) {
    Ptr item = Ptr::make();
    if (!convert(c, m, *item)) return false;
    item->resource = &res;
    item->scope = &scope;
    out.push_back(std::move(item));
    return true;
  });
}

void no_op(const agtel::resource&) noexcept {}

}  // namespace

std::string decode_traces_protobuf(std::string_view bytes, trace_batch& out) {
  return decode<pb_collector_trace::ExportTraceServiceRequest>(
      bytes, out, [&](checker& c, const auto& req) {
        return walk_groups(
            c, req.resource_spans(), {"resource_spans", "scope_spans"}, out,
            [](const pb_trace::ResourceSpans& g) -> const auto& { return g.scope_spans(); }, no_op,
            [&](const pb_trace::ScopeSpans& sg, const agtel::resource& res,
                const instrumentation_scope& scope) {
              return to_items(c, "spans", sg.spans(), res, scope, out.spans, to_span);
            });
      });
}

std::string decode_metrics_protobuf(std::string_view bytes, metric_batch& out) {
  return decode<pb_collector_metrics::ExportMetricsServiceRequest>(
      bytes, out, [&](checker& c, const auto& req) {
        return walk_groups(
            c, req.resource_metrics(), {"resource_metrics", "scope_metrics"}, out,
            [](const pb_metrics::ResourceMetrics& g) -> const auto& { return g.scope_metrics(); },
            [&](const agtel::resource& res) {
              out.resource_metrics.emplace_back().resource = &res;
            },
            [&](const pb_metrics::ScopeMetrics& sg, const agtel::resource&,
                const instrumentation_scope& scope) {
              metrics::scope_metrics& sm = out.resource_metrics.back().scopes.next();
              sm.scope = &scope;
              sm.metrics.clear();
              return each(c, "metrics", sg.metrics(), [&](const pb_metrics::Metric& m) {
                return to_metric(c, m, sm.metrics.next());
              });
            });
      });
}

std::string decode_logs_protobuf(std::string_view bytes, log_batch& out) {
  return decode<pb_collector_logs::ExportLogsServiceRequest>(
      bytes, out, [&](checker& c, const auto& req) {
        return walk_groups(
            c, req.resource_logs(), {"resource_logs", "scope_logs"}, out,
            [](const pb_logs::ResourceLogs& g) -> const auto& { return g.scope_logs(); }, no_op,
            [&](const pb_logs::ScopeLogs& sg, const agtel::resource& res,
                const instrumentation_scope& scope) {
              return to_items(c, "log_records", sg.log_records(), res, scope, out.records,
                              to_log_record);
            });
      });
}

bool decode_response_protobuf(std::string_view body, partial_success& out) {
  out = partial_success();
  // The three Export*ServiceResponse messages have the same layout (partial_success = 1
  // holding a count = 1 and error_message = 2), so one of them reads all three.
  std::string error;
  google::protobuf::Arena arena;
  auto* res = parse<pb_collector_trace::ExportTraceServiceResponse>(body, arena, error);
  if (!res) return false;
  out.rejected = res->partial_success().rejected_spans();
  out.error_message = res->partial_success().error_message();
  return true;
}

}  // namespace agtel::otlp
