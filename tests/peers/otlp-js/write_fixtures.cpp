// Writes OTLP/protobuf export requests for the three signals, made by agtel's encoders
// from the shared fixtures (tests/support/otlp_fixtures.hpp), next to what they must
// contain, described straight from the SDK objects (not from our bytes):
//
//   <dir>/traces.pb   <dir>/traces.expected.json
//   <dir>/metrics.pb  <dir>/metrics.expected.json
//   <dir>/logs.pb     <dir>/logs.expected.json
//
// decode_check.mjs decodes the .pb files with the official OpenTelemetry JavaScript
// decoder and compares. The expected form is flat and normalized (items carry their
// resource and scope; 64-bit integers are decimal strings; ids lower-case hex; doubles are
// JSON numbers, or "-0", "Infinity", "-Infinity", "NaN") so that the two sides compare
// exactly. Usage: otlp_js_write_fixtures <dir>
#include <nlohmann/json.hpp>

#include <bit>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <set>
#include <string>

#include "normalized_json.hpp"
#include "otlp/codec.hpp"
#include "support/otlp_fixtures.hpp"

namespace {

using nlohmann::json;
using namespace agtel;
using peer::attributes;
using peer::number;
using peer::value;

json int64(int64_t v) { return std::to_string(v); }
json uint64(uint64_t v) { return std::to_string(v); }
template <size_t N>
json hex(const trace::basic_id<N>& id) {
  return id.is_valid() ? id.to_hex() : "";
}

json resource_json(const resource* r) {
  if (!r) return {{"attributes", json::object()}, {"droppedAttributesCount", 0}, {"schemaUrl", ""}};
  return {{"attributes", attributes(r->attributes)},
          {"droppedAttributesCount", r->attributes.dropped()},
          {"schemaUrl", r->schema_url}};
}

json scope_json(const instrumentation_scope* s) {
  if (!s) return {{"name", ""}, {"version", ""}, {"attributes", json::object()}, {"droppedAttributesCount", 0}, {"schemaUrl", ""}};
  return {{"name", s->name},
          {"version", s->version},
          {"attributes", attributes(s->attributes)},
          {"droppedAttributesCount", s->attributes.dropped()},
          {"schemaUrl", s->schema_url}};
}

// OTLP Span.flags / Link.flags: W3C flags, and bits 8-9 for "is the parent (or linked
// context) remote": known, and its value.
uint32_t context_flags(trace::trace_flags f, bool remote) { return f.bits | 0x100u | (remote ? 0x200u : 0u); }

json span_json(const trace::span_data& s) {
  json events = json::array();
  for (const auto& e : s.events)
    events.push_back({{"timeUnixNano", uint64(e.time)},
                      {"name", e.name},
                      {"attributes", attributes(e.attributes)},
                      {"droppedAttributesCount", e.attributes.dropped()}});
  json links = json::array();
  for (const auto& l : s.links)
    links.push_back({{"traceId", hex(l.context.trace_id())},
                     {"spanId", hex(l.context.span_id())},
                     {"traceState", l.context.state().serialize()},
                     {"attributes", attributes(l.attributes)},
                     {"droppedAttributesCount", l.attributes.dropped()},
                     {"flags", context_flags(l.context.flags(), l.context.is_remote())}});
  return {{"traceId", hex(s.context.trace_id())},
          {"spanId", hex(s.context.span_id())},
          {"parentSpanId", hex(s.parent_span_id)},
          {"traceState", s.context.state().serialize()},
          {"flags", context_flags(s.context.flags(), s.parent_is_remote)},
          {"name", s.name},
          {"kind", static_cast<int>(s.kind)},
          {"startTimeUnixNano", uint64(s.start_time)},
          {"endTimeUnixNano", uint64(s.end_time)},
          {"attributes", attributes(s.attributes)},
          {"droppedAttributesCount", s.attributes.dropped()},
          {"events", events},
          {"droppedEventsCount", s.dropped_events},
          {"links", links},
          {"droppedLinksCount", s.dropped_links},
          {"status", {{"code", static_cast<int>(s.status.code)}, {"message", s.status.message}}},
          {"resource", resource_json(s.resource)},
          {"scope", scope_json(s.scope)}};
}

json exemplars(const reuse_vector<metrics::exemplar>& list) {
  json a = json::array();
  for (const auto& e : list) {
    json v = e.value.index() == 0 ? json{{"asInt", int64(std::get<0>(e.value))}}
                                  : json{{"asDouble", number(std::get<1>(e.value))}};
    a.push_back({{"filteredAttributes", attributes(e.filtered_attributes)},
                 {"timeUnixNano", uint64(e.time)},
                 {"value", v},
                 {"traceId", hex(e.trace_id)},
                 {"spanId", hex(e.span_id)}});
  }
  return a;
}

template <class Point>
json point_base(const Point& p) {
  return {{"attributes", attributes(p.attributes)},
          {"startTimeUnixNano", uint64(p.start_time)},
          {"timeUnixNano", uint64(p.time)},
          {"flags", p.flags}};
}

json optional_number(const std::optional<double>& v) { return v ? number(*v) : json(nullptr); }

json numbers(const std::vector<double>& v) {
  json a = json::array();
  for (double d : v) a.push_back(number(d));
  return a;
}
json counts(const std::vector<uint64_t>& v) {
  json a = json::array();
  for (uint64_t c : v) a.push_back(uint64(c));
  return a;
}

json metric_json(const metrics::metric_data& m, const resource* r, const instrumentation_scope* s) {
  json j = {{"name", m.name}, {"description", m.description}, {"unit", m.unit},
            {"resource", resource_json(r)}, {"scope", scope_json(s)}};
  json points = json::array();
  auto number_points = [&](const auto& list) {
    for (const auto& p : list.points) {
      json q = point_base(p);
      q["value"] = p.value.index() == 0 ? json{{"asInt", int64(std::get<0>(p.value))}}
                                        : json{{"asDouble", number(std::get<1>(p.value))}};
      q["exemplars"] = exemplars(p.exemplars);
      points.push_back(q);
    }
  };
  if (auto* g = std::get_if<metrics::gauge_data>(&m.data)) {
    j["type"] = "gauge";
    number_points(*g);
  } else if (auto* sd = std::get_if<metrics::sum_data>(&m.data)) {
    j["type"] = "sum";
    j["aggregationTemporality"] = static_cast<int>(sd->temporality);
    j["isMonotonic"] = sd->monotonic;
    number_points(*sd);
  } else if (auto* h = std::get_if<metrics::histogram_data>(&m.data)) {
    j["type"] = "histogram";
    j["aggregationTemporality"] = static_cast<int>(h->temporality);
    for (const auto& p : h->points) {
      json q = point_base(p);
      q["count"] = uint64(p.count);
      q["sum"] = optional_number(p.sum);
      q["min"] = optional_number(p.min);
      q["max"] = optional_number(p.max);
      q["explicitBounds"] = numbers(p.bounds);
      q["bucketCounts"] = counts(p.bucket_counts);
      q["exemplars"] = exemplars(p.exemplars);
      points.push_back(q);
    }
  } else if (auto* e = std::get_if<metrics::exponential_histogram_data>(&m.data)) {
    j["type"] = "exponentialHistogram";
    j["aggregationTemporality"] = static_cast<int>(e->temporality);
    for (const auto& p : e->points) {
      json q = point_base(p);
      q["count"] = uint64(p.count);
      q["sum"] = optional_number(p.sum);
      q["min"] = optional_number(p.min);
      q["max"] = optional_number(p.max);
      q["scale"] = p.scale;
      q["zeroCount"] = uint64(p.zero_count);
      q["zeroThreshold"] = number(p.zero_threshold);
      q["positive"] = {{"offset", p.positive.offset}, {"bucketCounts", counts(p.positive.counts)}};
      q["negative"] = {{"offset", p.negative.offset}, {"bucketCounts", counts(p.negative.counts)}};
      q["exemplars"] = exemplars(p.exemplars);
      points.push_back(q);
    }
  } else {
    j["type"] = "summary";
    for (const auto& p : std::get<metrics::summary_data>(m.data).points) {
      json q = point_base(p);
      q["count"] = uint64(p.count);
      q["sum"] = number(p.sum);
      json qs = json::array();
      for (const auto& v : p.quantiles) qs.push_back({{"quantile", number(v.quantile)}, {"value", number(v.value)}});
      q["quantileValues"] = qs;
      points.push_back(q);
    }
  }
  j["dataPoints"] = points;
  return j;
}

json log_json(const logs::log_record_data& r) {
  return {{"timeUnixNano", uint64(r.time)},
          {"observedTimeUnixNano", uint64(r.observed_time)},
          {"severityNumber", static_cast<int>(r.severity_number)},
          {"severityText", r.severity_text},
          {"body", r.has_body ? value(r.body) : json(nullptr)},
          {"attributes", attributes(r.attributes)},
          {"droppedAttributesCount", r.attributes.dropped()},
          {"flags", r.trace_flags.bits},
          {"traceId", hex(r.trace_id)},
          {"spanId", hex(r.span_id)},
          {"eventName", r.event_name},
          {"resource", resource_json(r.resource)},
          {"scope", scope_json(r.scope)}};
}

template <class Items>
size_t distinct_resources(const Items& items) {
  std::set<const resource*> seen;
  for (const auto& i : items) seen.insert(i->resource);
  return seen.size();
}

bool write_file(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: otlp_js_write_fixtures <output dir>\n";
    return 2;
  }
  std::string dir = argv[1];
  test::otlp_fixture f;
  bool ok = true;
  std::string bytes;

  otlp::encode_traces_protobuf(f.spans, bytes);
  json traces = {{"resourceGroups", distinct_resources(f.spans)}, {"items", json::array()}};
  for (const auto& s : f.spans) traces["items"].push_back(span_json(*s));
  ok &= write_file(dir + "/traces.pb", bytes) && write_file(dir + "/traces.expected.json", traces.dump(1));

  otlp::encode_metrics_protobuf(f.metrics, bytes);
  json metrics = {{"resourceGroups", 1}, {"items", json::array()}};
  for (const auto& sm : f.metrics.scopes)
    for (const auto& m : sm.metrics) metrics["items"].push_back(metric_json(m, f.metrics.resource, sm.scope));
  ok &= write_file(dir + "/metrics.pb", bytes) && write_file(dir + "/metrics.expected.json", metrics.dump(1));

  otlp::encode_logs_protobuf(f.records, bytes);
  json logs = {{"resourceGroups", distinct_resources(f.records)}, {"items", json::array()}};
  for (const auto& r : f.records) logs["items"].push_back(log_json(*r));
  ok &= write_file(dir + "/logs.pb", bytes) && write_file(dir + "/logs.expected.json", logs.dump(1));

  if (!ok) {
    std::cerr << "cannot write the fixtures to " << dir << "\n";
    return 1;
  }
  return 0;
}
