// OTLP/JSON encoding of the three signals: one compact Export*ServiceRequest object per
// call (no newline inside, so that a JSON-lines file holds one request per line).
//
// The mapping (opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding", on top
// of the proto3 JSON mapping): lowerCamelCase keys, trace and span ids as hex, enums as
// integers, 64-bit integers (times, counts, intValue) as decimal strings, doubles as
// numbers or "NaN"/"Infinity"/"-Infinity". Fields that hold their proto3 default (0, "",
// empty lists) are left out, as the mapping allows, except a span's and a record's
// essential fields (ids, name, kind, times), written always so that `jq` filters over
// JSON lines need no fallbacks for them.
#include <algorithm>
#include <type_traits>
#include <variant>

#include "otlp/codec.hpp"
#include "otlp/json_writer.hpp"

namespace agtel::otlp {
namespace {

// OTLP Span.flags / Link.flags: the W3C trace flags in bits 0-7; bit 8 says that bit 9 is
// known, bit 9 says that the parent (or the linked span) is remote.
constexpr uint32_t flag_has_is_remote = 0x100;
constexpr uint32_t flag_is_remote = 0x200;

template <size_t N>
void write_id(json_writer& w, std::string_view key, const trace::basic_id<N>& id) {
  w.key(key);
  w.hex(id.bytes().data(), N);
}
// Optional ids (parentSpanId, a record's or exemplar's ids): left out when invalid.
template <size_t N>
void write_id_if_valid(json_writer& w, std::string_view key, const trace::basic_id<N>& id) {
  if (id.is_valid()) write_id(w, key, id);
}
void write_string_if_set(json_writer& w, std::string_view key, std::string_view v) {
  if (v.empty()) return;
  w.key(key);
  w.string(v);
}
void write_count_if_set(json_writer& w, std::string_view key, uint32_t v) {
  if (v == 0) return;
  w.key(key);
  w.number(int64_t{v});
}

void write_scalar(json_writer& w, bool v) {
  w.begin_object();
  w.key("boolValue");
  w.boolean(v);
  w.end_object();
}
void write_scalar(json_writer& w, int64_t v) {
  w.begin_object();
  w.key("intValue");
  w.quoted(v);
  w.end_object();
}
void write_scalar(json_writer& w, double v) {
  w.begin_object();
  w.key("doubleValue");
  w.number(v);
  w.end_object();
}
void write_scalar(json_writer& w, std::string_view v) {
  w.begin_object();
  w.key("stringValue");
  w.string(v);
  w.end_object();
}

// An AnyValue; arrays become {"arrayValue":{"values":[AnyValue...]}}.
void write_any_value(json_writer& w, const attribute_value& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string>) {
          write_scalar(w, std::string_view(v));
        } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, int64_t> ||
                             std::is_same_v<T, double>) {
          write_scalar(w, v);
        } else {
          w.begin_object();
          w.key("arrayValue");
          w.begin_object();
          if (!v.empty()) {
            w.key("values");
            w.begin_array();
            for (const auto& item : v) {
              if constexpr (std::is_same_v<T, std::vector<bool>>) {
                write_scalar(w, static_cast<bool>(item));
              } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
                write_scalar(w, std::string_view(item));
              } else {
                write_scalar(w, item);
              }
            }
            w.end_array();
          }
          w.end_object();
          w.end_object();
        }
      },
      value);
}

// "<key>":[{"key":..,"value":AnyValue}...] (left out when empty), then the dropped count
// under `dropped_key` when there is one.
void write_attributes(json_writer& w, const attribute_list& attributes,
                      std::string_view key = "attributes",
                      std::string_view dropped_key = "droppedAttributesCount") {
  if (!attributes.empty()) {
    w.key(key);
    w.begin_array();
    for (const attribute& a : attributes) {
      w.begin_object();
      w.key("key");
      w.string(a.key);
      w.key("value");
      write_any_value(w, a.value);
      w.end_object();
    }
    w.end_array();
  }
  if (!dropped_key.empty()) write_count_if_set(w, dropped_key, attributes.dropped());
}

void write_time(json_writer& w, std::string_view key, timestamp_ns t) {
  w.key(key);
  w.quoted(uint64_t{t});
}
void write_time_if_set(json_writer& w, std::string_view key, timestamp_ns t) {
  if (t != 0) write_time(w, key, t);
}

// "resource":{...} — a ResourceSpans/ResourceMetrics/ResourceLogs' first member.
void write_resource(json_writer& w, const agtel::resource* r) {
  w.key("resource");
  w.begin_object();
  if (r) write_attributes(w, r->attributes);
  w.end_object();
}
void write_scope(json_writer& w, const instrumentation_scope* s) {
  w.key("scope");
  w.begin_object();
  if (s) {
    write_string_if_set(w, "name", s->name);
    write_string_if_set(w, "version", s->version);
    write_attributes(w, s->attributes);
  }
  w.end_object();
}

// ---- grouping ---------------------------------------------------------------------------

// Items (spans, log records) grouped by resource, then by scope, each in order of first
// appearance. Batches nearly always come from one provider, so the previous item's group
// is tried first.
struct scope_group {
  const instrumentation_scope* scope;
  std::vector<uint32_t> items;
};
struct resource_group {
  const agtel::resource* resource;
  std::vector<scope_group> scopes;
};

template <class Ptr>
std::vector<resource_group> group_by_resource_and_scope(std::span<const Ptr> items) {
  std::vector<resource_group> groups;
  scope_group* last = nullptr;
  const agtel::resource* last_resource = nullptr;
  for (uint32_t i = 0; i < items.size(); ++i) {
    const Ptr& p = items[i];
    if (!p) continue;
    if (!last || last_resource != p->resource || last->scope != p->scope) {
      auto r = std::find_if(groups.begin(), groups.end(),
                            [&](const resource_group& g) { return g.resource == p->resource; });
      if (r == groups.end()) r = groups.insert(groups.end(), resource_group{p->resource, {}});
      auto s = std::find_if(r->scopes.begin(), r->scopes.end(),
                            [&](const scope_group& g) { return g.scope == p->scope; });
      if (s == r->scopes.end()) s = r->scopes.insert(r->scopes.end(), scope_group{p->scope, {}});
      last = &*s;
      last_resource = p->resource;
    }
    last->items.push_back(i);
  }
  return groups;
}

// Writes {"<resource_key>":[{resource, "<scope_key>":[{scope, "<items_key>":[...],
// schemaUrl}], schemaUrl}]} calling write_item(w, item) for each item.
template <class Ptr, class WriteItem>
void write_grouped(std::span<const Ptr> items, std::string& out, std::string_view resource_key,
                   std::string_view scope_key, std::string_view items_key, WriteItem write_item) {
  out.clear();
  json_writer w(out);
  w.begin_object();
  w.key(resource_key);
  w.begin_array();
  for (const resource_group& r : group_by_resource_and_scope(items)) {
    w.begin_object();
    write_resource(w, r.resource);
    w.key(scope_key);
    w.begin_array();
    for (const scope_group& s : r.scopes) {
      w.begin_object();
      write_scope(w, s.scope);
      w.key(items_key);
      w.begin_array();
      for (uint32_t i : s.items) write_item(w, *items[i]);
      w.end_array();
      if (s.scope) write_string_if_set(w, "schemaUrl", s.scope->schema_url);
      w.end_object();
    }
    w.end_array();
    if (r.resource) write_string_if_set(w, "schemaUrl", r.resource->schema_url);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

// ---- traces -----------------------------------------------------------------------------

uint32_t otlp_flags(trace::trace_flags flags, bool remote) noexcept {
  return flags.bits | flag_has_is_remote | (remote ? flag_is_remote : 0);
}

void write_span(json_writer& w, const trace::span_data& s) {
  w.begin_object();
  write_id(w, "traceId", s.context.trace_id());
  write_id(w, "spanId", s.context.span_id());
  if (!s.context.state().empty()) {
    w.key("traceState");
    w.string(s.context.state().serialize());
  }
  write_id_if_valid(w, "parentSpanId", s.parent_span_id);
  w.key("flags");
  w.number(int64_t{otlp_flags(s.context.flags(), s.parent_is_remote)});
  w.key("name");
  w.string(s.name);
  w.key("kind");
  w.number(int64_t{static_cast<uint8_t>(s.kind)});
  write_time(w, "startTimeUnixNano", s.start_time);
  write_time(w, "endTimeUnixNano", s.end_time);
  write_attributes(w, s.attributes);
  if (!s.events.empty()) {
    w.key("events");
    w.begin_array();
    for (const trace::span_event& e : s.events) {
      w.begin_object();
      write_time(w, "timeUnixNano", e.time);
      w.key("name");
      w.string(e.name);
      write_attributes(w, e.attributes);
      w.end_object();
    }
    w.end_array();
  }
  write_count_if_set(w, "droppedEventsCount", s.dropped_events);
  if (!s.links.empty()) {
    w.key("links");
    w.begin_array();
    for (const trace::span_link& l : s.links) {
      w.begin_object();
      write_id(w, "traceId", l.context.trace_id());
      write_id(w, "spanId", l.context.span_id());
      if (!l.context.state().empty()) {
        w.key("traceState");
        w.string(l.context.state().serialize());
      }
      write_attributes(w, l.attributes);
      w.key("flags");
      w.number(int64_t{otlp_flags(l.context.flags(), l.context.is_remote())});
      w.end_object();
    }
    w.end_array();
  }
  write_count_if_set(w, "droppedLinksCount", s.dropped_links);
  if (s.status.code != trace::status_code::unset || !s.status.message.empty()) {
    w.key("status");
    w.begin_object();
    write_string_if_set(w, "message", s.status.message);
    if (s.status.code != trace::status_code::unset) {
      w.key("code");
      w.number(int64_t{static_cast<uint8_t>(s.status.code)});
    }
    w.end_object();
  }
  w.end_object();
}

// ---- metrics ----------------------------------------------------------------------------

void write_number_value(json_writer& w, const metrics::number_value& v, std::string_view int_key,
                        std::string_view double_key) {
  if (v.index() == 0) {
    w.key(int_key);
    w.quoted(std::get<0>(v));
  } else {
    w.key(double_key);
    w.number(std::get<1>(v));
  }
}

void write_exemplars(json_writer& w, const reuse_vector<metrics::exemplar>& exemplars) {
  if (exemplars.empty()) return;
  w.key("exemplars");
  w.begin_array();
  for (const metrics::exemplar& e : exemplars) {
    w.begin_object();
    write_attributes(w, e.filtered_attributes, "filteredAttributes", {});
    write_time(w, "timeUnixNano", e.time);
    write_number_value(w, e.value, "asInt", "asDouble");
    write_id_if_valid(w, "spanId", e.span_id);
    write_id_if_valid(w, "traceId", e.trace_id);
    w.end_object();
  }
  w.end_array();
}

void write_flags(json_writer& w, uint32_t flags) { write_count_if_set(w, "flags", flags); }
void write_double(json_writer& w, std::string_view key, double v) {
  w.key(key);
  w.number(v);
}
void write_double(json_writer& w, std::string_view key, const std::optional<double>& v) {
  if (v) write_double(w, key, *v);
}
void write_counts(json_writer& w, std::string_view key, const std::vector<uint64_t>& counts) {
  if (counts.empty()) return;
  w.key(key);
  w.begin_array();
  for (uint64_t c : counts) w.quoted(c);
  w.end_array();
}
void write_temporality(json_writer& w, metrics::aggregation_temporality t) {
  if (t == metrics::aggregation_temporality::unspecified) return;
  w.key("aggregationTemporality");
  w.number(int64_t{static_cast<uint8_t>(t)});
}

// The members every data point starts with (count and sum where the kind has them).
template <class Point>
void write_point_head(json_writer& w, const Point& p) {
  write_attributes(w, p.attributes, "attributes", {});
  write_time_if_set(w, "startTimeUnixNano", p.start_time);
  write_time(w, "timeUnixNano", p.time);
  if constexpr (requires { p.count; }) {
    w.key("count");
    w.quoted(p.count);
    write_double(w, "sum", p.sum);
  }
}

// ---- the members of each kind of point after its head

void write_point_rest(json_writer& w, const metrics::number_point& p) {
  write_number_value(w, p.value, "asInt", "asDouble");
  write_exemplars(w, p.exemplars);
  write_flags(w, p.flags);
}

void write_point_rest(json_writer& w, const metrics::histogram_point& p) {
  write_counts(w, "bucketCounts", p.bucket_counts);
  if (!p.bounds.empty()) {
    w.key("explicitBounds");
    w.begin_array();
    for (double b : p.bounds) w.number(b);
    w.end_array();
  }
  write_exemplars(w, p.exemplars);
  write_flags(w, p.flags);
  write_double(w, "min", p.min);
  write_double(w, "max", p.max);
}

void write_buckets(json_writer& w, std::string_view key, const metrics::exponential_buckets& b) {
  if (b.offset == 0 && b.counts.empty()) return;
  w.key(key);
  w.begin_object();
  if (b.offset != 0) {
    w.key("offset");
    w.number(int64_t{b.offset});
  }
  write_counts(w, "bucketCounts", b.counts);
  w.end_object();
}

void write_point_rest(json_writer& w, const metrics::exponential_histogram_point& p) {
  w.key("scale");
  w.number(int64_t{p.scale});
  w.key("zeroCount");
  w.quoted(p.zero_count);
  write_buckets(w, "positive", p.positive);
  write_buckets(w, "negative", p.negative);
  write_flags(w, p.flags);
  write_exemplars(w, p.exemplars);
  write_double(w, "min", p.min);
  write_double(w, "max", p.max);
  if (p.zero_threshold != 0.0) write_double(w, "zeroThreshold", p.zero_threshold);
}

void write_point_rest(json_writer& w, const metrics::summary_point& p) {
  if (!p.quantiles.empty()) {
    w.key("quantileValues");
    w.begin_array();
    for (const auto& q : p.quantiles) {
      w.begin_object();
      write_double(w, "quantile", q.quantile);
      write_double(w, "value", q.value);
      w.end_object();
    }
    w.end_array();
  }
  write_flags(w, p.flags);
}

// ---- the five kinds of metric data

// The Metric member of each kind.
constexpr std::string_view data_key(const metrics::gauge_data&) {
  return "gauge";
}
constexpr std::string_view data_key(const metrics::sum_data&) {
  return "sum";
}
constexpr std::string_view data_key(const metrics::histogram_data&) {
  return "histogram";
}
constexpr std::string_view data_key(const metrics::exponential_histogram_data&) {
  return "exponentialHistogram";
}
constexpr std::string_view data_key(const metrics::summary_data&) {
  return "summary";
}

// Gauge, Sum, Histogram, ExponentialHistogram or Summary: the points, then the
// temporality and monotonicity where the kind has them.
template <class Data>
void write_data(json_writer& w, const Data& d) {
  w.key(data_key(d));
  w.begin_object();
  w.key("dataPoints");
  w.begin_array();
  for (const auto& p : d.points) {
    w.begin_object();
    write_point_head(w, p);
    write_point_rest(w, p);
    w.end_object();
  }
  w.end_array();
  if constexpr (requires { d.temporality; }) write_temporality(w, d.temporality);
  if constexpr (requires { d.monotonic; }) {
    if (d.monotonic) {
      w.key("isMonotonic");
      w.boolean(true);
    }
  }
  w.end_object();
}

void write_metric(json_writer& w, const metrics::metric_data& m) {
  w.begin_object();
  w.key("name");
  w.string(m.name);
  write_string_if_set(w, "description", m.description);
  write_string_if_set(w, "unit", m.unit);
  std::visit([&](const auto& d) { write_data(w, d); }, m.data);
  w.end_object();
}

// ---- logs -------------------------------------------------------------------------------

void write_log_record(json_writer& w, const logs::log_record_data& r) {
  w.begin_object();
  write_time(w, "timeUnixNano", r.time);
  write_time(w, "observedTimeUnixNano", r.observed_time);
  if (r.severity_number != logs::severity::unspecified) {
    w.key("severityNumber");
    w.number(int64_t{static_cast<uint8_t>(r.severity_number)});
  }
  write_string_if_set(w, "severityText", r.severity_text);
  if (r.has_body) {
    w.key("body");
    write_any_value(w, r.body);
  }
  write_attributes(w, r.attributes);
  write_count_if_set(w, "flags", r.trace_flags.bits);
  write_id_if_valid(w, "traceId", r.trace_id);
  write_id_if_valid(w, "spanId", r.span_id);
  write_string_if_set(w, "eventName", r.event_name);
  w.end_object();
}

}  // namespace

void encode_traces_json(std::span<const trace::span_ptr> spans, std::string& out) {
  write_grouped(spans, out, "resourceSpans", "scopeSpans", "spans", write_span);
}

void encode_metrics_json(const metrics::resource_metrics& batch, std::string& out) {
  out.clear();
  json_writer w(out);
  w.begin_object();
  w.key("resourceMetrics");
  w.begin_array();
  if (!batch.scopes.empty()) {
    w.begin_object();
    write_resource(w, batch.resource);
    w.key("scopeMetrics");
    w.begin_array();
    for (const metrics::scope_metrics& s : batch.scopes) {
      w.begin_object();
      write_scope(w, s.scope);
      w.key("metrics");
      w.begin_array();
      for (const metrics::metric_data& m : s.metrics) write_metric(w, m);
      w.end_array();
      if (s.scope) write_string_if_set(w, "schemaUrl", s.scope->schema_url);
      w.end_object();
    }
    w.end_array();
    if (batch.resource) write_string_if_set(w, "schemaUrl", batch.resource->schema_url);
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void encode_logs_json(std::span<const logs::log_record_ptr> records, std::string& out) {
  write_grouped(records, out, "resourceLogs", "scopeLogs", "logRecords", write_log_record);
}

}  // namespace agtel::otlp
