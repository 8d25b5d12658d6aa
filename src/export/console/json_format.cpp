// The console exporter's JSON lines: each span in the OTLP/JSON mapping (the protobuf JSON
// mapping with OTLP's exceptions: trace and span ids as hex, enums as integers). 64-bit
// integers are decimal strings, as the mapping requires; non-finite doubles are the
// strings "NaN", "Infinity" and "-Infinity". Every field is written, defaults included,
// so that `jq` filters need no fallbacks; an absent parent is "parentSpanId":"".
#include <charconv>
#include <cmath>

#include "export/console/format.hpp"
#include "export/console/text.hpp"

namespace agtel::exporter::console {
namespace {

using trace::span_data;

// OTLP Span.flags: the W3C trace flags in bits 0-7; bit 8 says that bit 9 is known, and
// bit 9 says that the parent (or the linked span) is remote.
constexpr uint32_t has_is_remote = 0x100;
constexpr uint32_t is_remote = 0x200;

template <size_t N>
void append_id(std::string& out, std::string_view key, const trace::basic_id<N>& id,
               bool valid_only) {
  out += '"';
  out += key;
  out += "\":\"";
  if (!valid_only || id.is_valid()) {
    char hex[2 * N];
    id.write_hex(hex);
    out.append(hex, sizeof hex);
  }
  out += '"';
}

void append_string(std::string& out, std::string_view key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":";
  append_json_string(out, value);
}

template <class Int>
void append_int(std::string& out, std::string_view key, Int v, bool quoted) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out += '"';
  out += key;
  out += "\":";
  if (quoted) out += '"';
  out.append(buf, r.ptr);
  if (quoted) out += '"';
}

void append_any(std::string& out, bool v) {
  out += v ? "{\"boolValue\":true}" : "{\"boolValue\":false}";
}
void append_any(std::string& out, int64_t v) {
  out += '{';
  append_int(out, "intValue", v, true);
  out += '}';
}
void append_any(std::string& out, double v) {
  out += "{\"doubleValue\":";
  if (std::isnan(v)) {
    out += "\"NaN\"";
  } else if (std::isinf(v)) {
    out += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest form that reads back exactly
    out.append(buf, r.ptr);
  }
  out += '}';
}
void append_any(std::string& out, const std::string& v) {
  out += "{\"stringValue\":";
  append_json_string(out, v);
  out += '}';
}

void append_value(std::string& out, const attribute_value& value) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, int64_t> ||
                      std::is_same_v<T, double> || std::is_same_v<T, std::string>) {
          append_any(out, v);
        } else {
          out += "{\"arrayValue\":{\"values\":[";
          for (size_t i = 0; i < v.size(); ++i) {
            if (i > 0) out += ',';
            append_any(out, v[i]);  // a const vector<bool> yields plain bools
          }
          out += "]}}";
        }
      },
      value);
}

// "attributes":[...],"droppedAttributesCount":N
void append_attributes(std::string& out, const attribute_list& attributes) {
  out += "\"attributes\":[";
  bool first = true;
  for (const attribute& a : attributes) {
    if (!first) out += ',';
    first = false;
    out += "{\"key\":";
    append_json_string(out, a.key);
    out += ",\"value\":";
    append_value(out, a.value);
    out += '}';
  }
  out += "],";
  append_int(out, "droppedAttributesCount", attributes.dropped(), false);
}

uint32_t otlp_flags(trace::trace_flags flags, bool remote) noexcept {
  return flags.bits | has_is_remote | (remote ? is_remote : 0);
}

void append_span(std::string& out, const span_data& s) {
  out += '{';
  append_id(out, "traceId", s.context.trace_id(), false);
  out += ',';
  append_id(out, "spanId", s.context.span_id(), false);
  out += ',';
  append_string(out, "traceState", s.context.state().serialize());
  out += ',';
  append_id(out, "parentSpanId", s.parent_span_id, true);
  out += ',';
  append_int(out, "flags", otlp_flags(s.context.flags(), s.parent_is_remote), false);
  out += ',';
  append_string(out, "name", s.name);
  out += ',';
  append_int(out, "kind", static_cast<int>(s.kind), false);
  out += ',';
  append_int(out, "startTimeUnixNano", s.start_time, true);
  out += ',';
  append_int(out, "endTimeUnixNano", s.end_time, true);
  out += ',';
  append_attributes(out, s.attributes);

  out += ",\"events\":[";
  for (size_t i = 0; i < s.events.size(); ++i) {
    const trace::span_event& e = s.events[i];
    if (i > 0) out += ',';
    out += '{';
    append_int(out, "timeUnixNano", e.time, true);
    out += ',';
    append_string(out, "name", e.name);
    out += ',';
    append_attributes(out, e.attributes);
    out += '}';
  }
  out += "],";
  append_int(out, "droppedEventsCount", s.dropped_events, false);

  out += ",\"links\":[";
  for (size_t i = 0; i < s.links.size(); ++i) {
    const trace::span_link& l = s.links[i];
    if (i > 0) out += ',';
    out += '{';
    append_id(out, "traceId", l.context.trace_id(), false);
    out += ',';
    append_id(out, "spanId", l.context.span_id(), false);
    out += ',';
    append_string(out, "traceState", l.context.state().serialize());
    out += ',';
    append_attributes(out, l.attributes);
    out += ',';
    append_int(out, "flags", otlp_flags(l.context.flags(), l.context.is_remote()), false);
    out += '}';
  }
  out += "],";
  append_int(out, "droppedLinksCount", s.dropped_links, false);

  out += ",\"status\":{";
  append_string(out, "message", s.status.message);
  out += ',';
  append_int(out, "code", static_cast<int>(s.status.code), false);
  out += "}";

  // Outside OTLP's Span message: the resource and scope the span belongs to.
  static const attribute_list no_attributes;
  out += ",\"resource\":{";
  append_attributes(out, s.resource ? s.resource->attributes : no_attributes);
  out += "},\"scope\":{";
  append_string(out, "name", s.scope ? std::string_view(s.scope->name) : "");
  out += ',';
  append_string(out, "version", s.scope ? std::string_view(s.scope->version) : "");
  out += ',';
  append_attributes(out, s.scope ? s.scope->attributes : no_attributes);
  out += "}}\n";
}

}  // namespace

void append_json_lines(std::string& out, std::span<const trace::span_ptr> batch) {
  for (const trace::span_ptr& p : batch)
    if (p) append_span(out, *p);
}

}  // namespace agtel::exporter::console
