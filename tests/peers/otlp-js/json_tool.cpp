// The C++ side of json_peer.mjs (OTLP/JSON between agtel and the JavaScript SDK).
//
//   otlp_js_json_tool write <dir>  agtel's OTLP/JSON and OTLP/protobuf encodings of the
//                                  shared fixtures: agtel.<signal>.json and .pb
//   otlp_js_json_tool check <dir>  decodes js.<signal>.json (made by the JS SDK's JSON
//                                  serializers) with agtel's decoder, normalizes it and
//                                  compares it with js.<signal>.expected.json (the JS SDK's
//                                  objects, normalized the same way by json_peer.mjs)
//
// Exit status 0 when everything matches; otherwise each difference is printed.
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
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

template <size_t N>
std::string hex(const trace::basic_id<N>& id) {
  return id.is_valid() ? id.to_hex() : "";
}
json scope(const instrumentation_scope* s) { return {{"name", s->name}, {"version", s->version}}; }

json normalize(const otlp::trace_batch& b) {
  json out = json::array();
  for (const trace::span_ptr& p : b.spans) {
    const trace::span_data& s = *p;
    json events = json::array(), links = json::array();
    for (const auto& e : s.events)
      events.push_back({{"name", e.name}, {"timeUnixNano", std::to_string(e.time)}, {"attributes", attributes(e.attributes)}});
    for (const auto& l : s.links)
      links.push_back({{"traceId", hex(l.context.trace_id())}, {"spanId", hex(l.context.span_id())},
                       {"attributes", attributes(l.attributes)}});
    out.push_back({{"traceId", hex(s.context.trace_id())},
                   {"spanId", hex(s.context.span_id())},
                   {"parentSpanId", hex(s.parent_span_id)},
                   {"name", s.name},
                   {"kind", static_cast<int>(s.kind)},
                   {"startTimeUnixNano", std::to_string(s.start_time)},
                   {"endTimeUnixNano", std::to_string(s.end_time)},
                   {"attributes", attributes(s.attributes)},
                   {"events", events},
                   {"links", links},
                   {"status", {{"code", static_cast<int>(s.status.code)}, {"message", s.status.message}}},
                   {"resource", attributes(s.resource->attributes)},
                   {"scope", scope(s.scope)}});
  }
  return out;
}

json number_value(const metrics::number_value& v) {
  return v.index() == 0 ? json{{"i", std::to_string(std::get<0>(v))}} : json{{"d", number(std::get<1>(v))}};
}

json normalize(const otlp::metric_batch& b) {
  json out = json::array();
  for (const metrics::resource_metrics& rm : b.resource_metrics)
    for (const metrics::scope_metrics& sm : rm.scopes)
      for (const metrics::metric_data& m : sm.metrics) {
        json j = {{"name", m.name}, {"description", m.description}, {"unit", m.unit}, {"monotonic", false},
                  {"temporality", 0}, {"resource", attributes(rm.resource->attributes)}, {"scope", scope(sm.scope)}};
        json points = json::array();
        auto head = [](const auto& p) {
          return json{{"attributes", attributes(p.attributes)}, {"startTimeUnixNano", std::to_string(p.start_time)},
                      {"timeUnixNano", std::to_string(p.time)}};
        };
        if (const auto* g = std::get_if<metrics::gauge_data>(&m.data)) {
          j["type"] = "gauge";
          for (const auto& p : g->points) {
            json pj = head(p);
            pj["value"] = number_value(p.value);
            points.push_back(pj);
          }
        } else if (const auto* s = std::get_if<metrics::sum_data>(&m.data)) {
          j["type"] = "sum";
          j["temporality"] = static_cast<int>(s->temporality);
          j["monotonic"] = s->monotonic;
          for (const auto& p : s->points) {
            json pj = head(p);
            pj["value"] = number_value(p.value);
            points.push_back(pj);
          }
        } else if (const auto* h = std::get_if<metrics::histogram_data>(&m.data)) {
          j["type"] = "histogram";
          j["temporality"] = static_cast<int>(h->temporality);
          for (const auto& p : h->points) {
            json pj = head(p);
            json bounds = json::array(), counts = json::array();
            for (double x : p.bounds) bounds.push_back(number(x));
            for (uint64_t c : p.bucket_counts) counts.push_back(std::to_string(c));
            pj["count"] = std::to_string(p.count);
            pj["sum"] = p.sum ? number(*p.sum) : json();
            pj["min"] = p.min ? number(*p.min) : json();
            pj["max"] = p.max ? number(*p.max) : json();
            pj["bounds"] = bounds;
            pj["bucketCounts"] = counts;
            points.push_back(pj);
          }
        } else {
          j["type"] = "other";
        }
        j["points"] = points;
        out.push_back(j);
      }
  return out;
}

json normalize(const otlp::log_batch& b) {
  json out = json::array();
  for (const logs::log_record_ptr& p : b.records) {
    const logs::log_record_data& r = *p;
    out.push_back({{"timeUnixNano", std::to_string(r.time)},
                   {"observedTimeUnixNano", std::to_string(r.observed_time)},
                   {"severityNumber", static_cast<int>(r.severity_number)},
                   {"severityText", r.severity_text},
                   {"body", r.has_body ? value(r.body) : json()},
                   {"attributes", attributes(r.attributes)},
                   {"traceId", hex(r.trace_id)},
                   {"spanId", hex(r.span_id)},
                   {"flags", r.trace_flags.bits},
                   {"resource", attributes(r.resource->attributes)},
                   {"scope", scope(r.scope)}});
  }
  return out;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
void write(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path);
}

// Decodes js.<signal>.json and compares with the expected description; true when equal.
template <class Batch, class Decode>
bool check(const std::string& dir, const std::string& signal, Decode decode) {
  const std::string text = read(dir + "/js." + signal + ".json");
  Batch batch;
  if (std::string err = decode(text, batch); !err.empty()) {
    std::cerr << signal << ": agtel cannot decode the JS SDK's JSON: " << err << "\n" << text << "\n";
    return false;
  }
  const json got = normalize(batch);
  const json expected = json::parse(read(dir + "/js." + signal + ".expected.json"));
  if (got == expected) {
    std::cout << "js-to-agtel " << signal << ": " << got.size() << " items match (" << text.size()
              << " bytes of JSON)\n";
    return true;
  }
  std::cerr << signal << ": decoded differs from the JS SDK's objects\n";
  const json diff = json::diff(expected, got);
  std::cerr << "diff (expected -> decoded): " << diff.dump(1) << "\n";
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: otlp_js_json_tool (write|check) <dir>\n";
    return 2;
  }
  const std::string mode = argv[1], dir = argv[2];
  try {
    if (mode == "write") {
      test::otlp_fixture f;
      std::string out;
      otlp::encode_traces_json(f.spans, out);
      write(dir + "/agtel.traces.json", out);
      otlp::encode_traces_protobuf(f.spans, out);
      write(dir + "/agtel.traces.pb", out);
      otlp::encode_metrics_json(f.metrics, out);
      write(dir + "/agtel.metrics.json", out);
      otlp::encode_metrics_protobuf(f.metrics, out);
      write(dir + "/agtel.metrics.pb", out);
      otlp::encode_logs_json(f.records, out);
      write(dir + "/agtel.logs.json", out);
      otlp::encode_logs_protobuf(f.records, out);
      write(dir + "/agtel.logs.pb", out);
      return 0;
    }
    if (mode == "check") {
      bool ok = check<otlp::trace_batch>(dir, "traces", otlp::decode_traces_json);
      ok &= check<otlp::metric_batch>(dir, "metrics", otlp::decode_metrics_json);
      ok &= check<otlp::log_batch>(dir, "logs", otlp::decode_logs_json);
      return ok ? 0 : 1;
    }
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
  std::cerr << "unknown mode " << mode << "\n";
  return 2;
}
