// OTLP/JSON decoding of the three Export*ServiceRequests (and of the responses) into the
// SDK's types. See otlp/json_reader.hpp for the mapping rules the reader applies.
//
// What the SDK types cannot hold as such:
//  - AnyValue kvlistValue, bytesValue, and arrays whose values are not all of one scalar
//    type (or hold arrays or maps), become a string holding that AnyValue's canonical
//    OTLP/JSON text, e.g. {"kvlistValue":{"values":[...]}} (see
//    agtel/logs/log_record_data.hpp) — the same text the protobuf decoder makes of the
//    same value, so that both encodings of a request decode to the same data.
//  - An empty AnyValue as an attribute value is the string "{}" (its JSON text, as from
//    the protobuf decoder); as a log body it means "no body".
// Checks beyond the JSON types, so that consumers can rely on the data model's
// invariants: span kind 0..5, status code 0..2, temporality 0..2, severity 0..24, a span's
// traceId and spanId present, explicit bounds strictly increasing and finite with one
// more bucket count than bounds, exponential scale in [-10, 20], quantiles in [0, 1].
#include <cmath>
#include <new>
#include <optional>

#include "otlp/codec.hpp"
#include "otlp/json_reader.hpp"
#include "otlp/json_writer.hpp"

namespace agtel::otlp {
namespace {

using json::element;
using json::reader;

// ---- AnyValue and attributes ------------------------------------------------------------

// The scalar a single-typed array holds.
enum class scalar_kind { none, string, boolean, integer, floating };

struct scalar {
  scalar_kind kind = scalar_kind::none;
  std::string_view s;
  bool b = false;
  int64_t i = 0;
  double d = 0;
};

// Reads an AnyValue member into `s` when it is a scalar one; false when `key` names none.
bool read_scalar_member(reader& r, std::string_view key, element v, scalar& s) {
  if (key == "stringValue") {
    s.kind = scalar_kind::string;
    s.s = r.string(v);
  } else if (key == "boolValue") {
    s.kind = scalar_kind::boolean;
    s.b = r.boolean(v);
  } else if (key == "intValue") {
    s.kind = scalar_kind::integer;
    s.i = r.i64(v);
  } else if (key == "doubleValue") {
    s.kind = scalar_kind::floating;
    s.d = r.f64(v);
  } else {
    return false;
  }
  return true;
}

// Reads a scalar AnyValue; kind none when `any` holds an array, a map, bytes or nothing.
scalar read_scalar(reader& r, element any) {
  scalar out;
  bool other = false;
  r.fields(any, [&](std::string_view key, element v) {
    if (!read_scalar_member(r, key, v, out) &&
        (key == "arrayValue" || key == "kvlistValue" || key == "bytesValue"))
      other = true;
  });
  if (other) out.kind = scalar_kind::none;
  return out;
}

// Writes an AnyValue in the canonical OTLP/JSON form, as the encoder (and the protobuf
// decoder, for the same value) writes it: 64-bit integers as strings, "values" always
// present, one member per AnyValue (the last one given, as for a protobuf oneof).
void write_canonical(reader& r, element any, json_writer& w) {
  auto is_value = [](std::string_view key) {
    return key == "stringValue" || key == "boolValue" || key == "intValue" ||
           key == "doubleValue" || key == "arrayValue" || key == "kvlistValue" || key == "bytesValue";
  };
  size_t member = 0, chosen = SIZE_MAX;
  r.fields(any, [&](std::string_view key, element) {
    if (is_value(key)) chosen = member;
    ++member;
  });
  w.begin_object();
  // Visit the chosen member inside fields() so that errors carry its path.
  member = 0;
  r.fields(any, [&](std::string_view key, element v) {
    if (member++ != chosen) return;
    w.key(key);
    if (key == "stringValue" || key == "bytesValue") {
      w.string(r.string(v));  // (bytes: the base64 text as received)
    } else if (key == "boolValue") {
      w.boolean(r.boolean(v));
    } else if (key == "intValue") {
      w.quoted(r.i64(v));
    } else if (key == "doubleValue") {
      w.number(r.f64(v));
    } else {
      const bool kvlist = key == "kvlistValue";
      w.begin_object();
      w.key("values");
      w.begin_array();
      r.fields(v, [&](std::string_view k, element list) {
        if (k != "values") return;
        r.items(list, [&](element item) {
          if (!kvlist) {
            write_canonical(r, item, w);
            return;
          }
          std::string_view item_key;
          r.fields(item, [&](std::string_view ik, element iv) {
            if (ik == "key") item_key = r.string(iv);
          });
          w.begin_object();
          w.key("key");
          w.string(item_key);
          w.key("value");
          bool has_value = false;
          r.fields(item, [&](std::string_view ik, element iv) {
            if (ik != "value") return;
            has_value = true;
            write_canonical(r, iv, w);
          });
          if (!has_value) {
            w.begin_object();
            w.end_object();
          }
          w.end_object();
        });
      });
      w.end_array();
      w.end_object();
    }
  });
  w.end_object();
}

// The canonical OTLP/JSON text of a structured AnyValue.
std::string json_text(reader& r, element any) {
  std::string out;
  json_writer w(out);
  write_canonical(r, any, w);
  return out;
}

// One member of each scalar, as a vector<T>.
template <class T, class Member>
std::vector<T> collect(const std::vector<scalar>& items, Member scalar::*member) {
  std::vector<T> v;
  v.reserve(items.size());
  for (const scalar& s : items) v.push_back(T(s.*member));
  return v;
}

// Reads {"values":[AnyValue...]} into a single-typed vector in `out`; false when the
// values are of mixed or non-scalar types. An empty array is an empty string array.
bool read_scalar_array(reader& r, element array_value, attribute_value& out) {
  std::vector<scalar> items;
  bool mixed = false;
  r.fields(array_value, [&](std::string_view key, element v) {
    if (key != "values") return;
    items.clear();
    mixed = false;
    r.items(v, [&](element item) {
      scalar s = read_scalar(r, item);
      if (s.kind == scalar_kind::none || (!items.empty() && s.kind != items[0].kind)) mixed = true;
      items.push_back(s);
    });
  });
  if (mixed) return false;
  if (items.empty()) {
    out = std::vector<std::string>{};
    return true;
  }
  switch (items[0].kind) {
    case scalar_kind::string:
      out = collect<std::string>(items, &scalar::s);
      return true;
    case scalar_kind::boolean:
      out = collect<bool>(items, &scalar::b);
      return true;
    case scalar_kind::integer:
      out = collect<int64_t>(items, &scalar::i);
      return true;
    case scalar_kind::floating:
      out = collect<double>(items, &scalar::d);
      return true;
    case scalar_kind::none: break;
  }
  return false;
}

// An AnyValue: a scalar comes back in `view` (borrowing the document), anything else in
// `owned`. (A value with several members set, which the oneof forbids, takes the last.)
enum class any_result { empty, view, owned };

any_result read_any(reader& r, element any, std::optional<attribute_value_view>& view,
                    attribute_value& owned) {
  enum class which { none, scalar, array, structured, bytes } w = which::none;
  scalar s;
  element array_value;
  r.fields(any, [&](std::string_view key, element v) {
    if (read_scalar_member(r, key, v, s)) {
      w = which::scalar;
    } else if (key == "arrayValue") {
      array_value = v;
      w = which::array;
    } else if (key == "kvlistValue") {
      if (!v.is_object()) r.fail("expected an object");
      w = which::structured;
    } else if (key == "bytesValue") {
      (void)r.string(v);  // must be a string
      w = which::bytes;
    }
  });
  switch (w) {
    case which::none: return any_result::empty;
    case which::scalar:
      switch (s.kind) {
        case scalar_kind::string: view.emplace(s.s); break;
        case scalar_kind::boolean: view.emplace(s.b); break;
        case scalar_kind::integer: view.emplace(s.i); break;
        default: view.emplace(s.d); break;
      }
      return any_result::view;
    case which::array:
      if (!read_scalar_array(r, array_value, owned)) owned = json_text(r, any);
      return any_result::owned;
    case which::structured:
    case which::bytes: owned = json_text(r, any); return any_result::owned;
  }
  return any_result::empty;
}

// [{"key":..,"value":AnyValue}...] into `list` (later duplicates overwrite earlier ones).
void read_attributes(reader& r, element array, attribute_list& list) {
  attribute_value owned;
  r.items(array, [&](element kv) {
    // Two passes: the key may come after the value.
    std::string_view key;
    bool has_value = false;
    r.fields(kv, [&](std::string_view k, element v) {
      if (k == "key") {
        key = r.string(v);
      } else if (k == "value") {
        has_value = true;
      }
    });
    if (!has_value) {
      list.set(key, std::string_view("{}"));  // an empty AnyValue's JSON text
      return;
    }
    std::optional<attribute_value_view> view;
    r.fields(kv, [&](std::string_view k, element v) {
      if (k != "value") return;
      switch (read_any(r, v, view, owned)) {
        case any_result::empty: list.set(key, std::string_view("{}")); break;
        case any_result::view: list.set(key, *view); break;
        case any_result::owned: list.set_value(key, owned); break;
      }
    });
  });
}

// The attributes and droppedAttributesCount members of resources, scopes, spans, events,
// links and log records; true when `key` is one of them.
bool read_attributes_member(reader& r, std::string_view key, element v, attribute_list& list) {
  if (key == "attributes") {
    read_attributes(r, v, list);
  } else if (key == "droppedAttributesCount") {
    list.add_dropped(r.u32(v));
  } else {
    return false;
  }
  return true;
}

// Resource {attributes, droppedAttributesCount}.
void read_resource(reader& r, element e, agtel::resource& res) {
  r.fields(e, [&](std::string_view key, element v) {
    read_attributes_member(r, key, v, res.attributes);
  });
}

// InstrumentationScope {name, version, attributes, droppedAttributesCount}.
void read_scope(reader& r, element e, instrumentation_scope& scope) {
  r.fields(e, [&](std::string_view key, element v) {
    if (read_attributes_member(r, key, v, scope.attributes)) return;
    if (key == "name") {
      scope.name = r.string(v);
    } else if (key == "version") {
      scope.version = r.string(v);
    }
  });
}

// A hook that does nothing.
struct ignore {
  void operator()(const auto&...) const noexcept {}
};

// Walks {"<resource_key>":[{"resource", "<scope_key>":[{"scope", "<items_key>":[...],
// "schemaUrl"}], "schemaUrl"}]}, adding each resource and scope to `out`; calls
// begin_resource(resource) and begin_scope(scope) as each group starts, and
// read_item(item, resource, scope) for each item.
template <class Batch, class ReadItem, class BeginResource = ignore, class BeginScope = ignore>
void read_grouped(reader& r, element root, Batch& out, std::string_view resource_key,
                  std::string_view scope_key, std::string_view items_key, ReadItem read_item,
                  BeginResource begin_resource = {}, BeginScope begin_scope = {}) {
  r.fields(root, [&](std::string_view key, element resources) {
    if (key != resource_key) return;
    r.items(resources, [&](element rs) {
      agtel::resource& res = out.resources.emplace_back();
      begin_resource(res);
      r.fields(rs, [&](std::string_view k, element v) {
        if (k == "resource") {
          read_resource(r, v, res);
        } else if (k == "schemaUrl") {
          res.schema_url = r.string(v);
        } else if (k == scope_key) {
          r.items(v, [&](element ss) {
            instrumentation_scope& scope = out.scopes.emplace_back();
            begin_scope(scope);
            r.fields(ss, [&](std::string_view sk, element sv) {
              if (sk == "scope") {
                read_scope(r, sv, scope);
              } else if (sk == "schemaUrl") {
                scope.schema_url = r.string(sv);
              } else if (sk == items_key) {
                r.items(sv, [&](element item) { read_item(item, res, scope); });
              }
            });
          });
        }
      });
    });
  });
}

// A read_grouped item reader for spans and log records: each item becomes a new `Ptr` of
// its resource and scope, read by read(reader, item, data) and appended to `out`.
template <class Ptr, class Read>
auto new_items(reader& r, std::vector<Ptr>& out, Read read) {
  return [&r, &out, read](element item, const agtel::resource& res,
                          const instrumentation_scope& scope) {
    Ptr p = Ptr::make();
    p->resource = &res;
    p->scope = &scope;
    read(r, item, *p);
    out.push_back(std::move(p));
  };
}

// ---- traces -----------------------------------------------------------------------------

constexpr uint32_t flag_has_is_remote = 0x100;
constexpr uint32_t flag_is_remote = 0x200;

bool remote_from_flags(uint32_t flags) noexcept {
  return (flags & flag_has_is_remote) && (flags & flag_is_remote);
}

void read_event(reader& r, element e, trace::span_event& event) {
  event.name.clear();
  event.time = 0;
  event.attributes.clear();
  r.fields(e, [&](std::string_view key, element v) {
    if (read_attributes_member(r, key, v, event.attributes)) return;
    if (key == "timeUnixNano") {
      event.time = r.u64(v);
    } else if (key == "name") {
      event.name = r.string(v);
    }
  });
}

// The span context members of spans and links.
struct context_members {
  std::optional<trace::trace_id> trace_id;
  std::optional<trace::span_id> span_id;
  trace::trace_state state;
  uint32_t flags = 0;

  // True when `key` is traceId, spanId, traceState or flags.
  bool read(reader& r, std::string_view key, element v) {
    if (key == "traceId") {
      trace_id = r.id<16>(v, false);
    } else if (key == "spanId") {
      span_id = r.id<8>(v, false);
    } else if (key == "traceState") {
      state = trace::trace_state::parse(r.string(v));
    } else if (key == "flags") {
      flags = r.u32(v);
    } else {
      return false;
    }
    return true;
  }
  trace::trace_flags trace_flags() const noexcept {
    return trace::trace_flags{static_cast<uint8_t>(flags & 0xff)};
  }
};

void read_link(reader& r, element e, trace::span_link& link) {
  context_members c;
  link.attributes.clear();
  r.fields(e, [&](std::string_view key, element v) {
    if (!c.read(r, key, v)) read_attributes_member(r, key, v, link.attributes);
  });
  link.context = trace::span_context(c.trace_id.value_or(trace::trace_id()),
                                     c.span_id.value_or(trace::span_id()), c.trace_flags(),
                                     remote_from_flags(c.flags), std::move(c.state));
}

void read_span(reader& r, element e, trace::span_data& s) {
  context_members c;
  r.fields(e, [&](std::string_view key, element v) {
    if (c.read(r, key, v) || read_attributes_member(r, key, v, s.attributes)) return;
    if (key == "parentSpanId") {
      s.parent_span_id = r.id<8>(v, true);
    } else if (key == "name") {
      s.name = r.string(v);
    } else if (key == "kind") {
      int32_t k = r.i32(v);
      if (k < 0 || k > 5) r.fail("expected a span kind 0..5");
      s.kind = k == 0 ? trace::span_kind::internal : static_cast<trace::span_kind>(k);
    } else if (key == "startTimeUnixNano") {
      s.start_time = r.u64(v);
    } else if (key == "endTimeUnixNano") {
      s.end_time = r.u64(v);
    } else if (key == "events") {
      r.items(v, [&](element ev) { read_event(r, ev, s.events.next()); });
    } else if (key == "droppedEventsCount") {
      s.dropped_events = r.u32(v);
    } else if (key == "links") {
      r.items(v, [&](element l) { read_link(r, l, s.links.next()); });
    } else if (key == "droppedLinksCount") {
      s.dropped_links = r.u32(v);
    } else if (key == "status") {
      r.fields(v, [&](std::string_view sk, element sv) {
        if (sk == "message") {
          s.status.message = r.string(sv);
        } else if (sk == "code") {
          int32_t c = r.i32(sv);
          if (c < 0 || c > 2) r.fail("expected a status code 0..2");
          s.status.code = static_cast<trace::status_code>(c);
        }
      });
    }
  });
  if (!c.trace_id) r.fail("missing traceId");
  if (!c.span_id) r.fail("missing spanId");
  s.context =
      trace::span_context(*c.trace_id, *c.span_id, c.trace_flags(), false, std::move(c.state));
  s.parent_is_remote = remote_from_flags(c.flags);
}

// ---- metrics ----------------------------------------------------------------------------

void read_number_value(reader& r, std::string_view key, element v, metrics::number_value& out) {
  if (key == "asInt") {
    out = r.i64(v);
  } else {
    out = r.f64(v);
  }
}

void read_exemplars(reader& r, element array, reuse_vector<metrics::exemplar>& out) {
  r.items(array, [&](element e) {
    metrics::exemplar& x = out.next();
    x = metrics::exemplar{};
    r.fields(e, [&](std::string_view key, element v) {
      if (key == "filteredAttributes") {
        read_attributes(r, v, x.filtered_attributes);
      } else if (key == "timeUnixNano") {
        x.time = r.u64(v);
      } else if (key == "asInt" || key == "asDouble") {
        read_number_value(r, key, v, x.value);
      } else if (key == "spanId") {
        x.span_id = r.id<8>(v, true);
      } else if (key == "traceId") {
        x.trace_id = r.id<16>(v, true);
      }
    });
  });
}

// The members that several data point kinds share, each read where `Point` has it; true
// when `key` is one of them (a member the kind lacks is ignored, as unknown members are).
template <class Point>
bool read_point_common(reader& r, std::string_view key, element v, Point& p) {
  if (key == "attributes") {
    read_attributes(r, v, p.attributes);
  } else if (key == "startTimeUnixNano") {
    p.start_time = r.u64(v);
  } else if (key == "timeUnixNano") {
    p.time = r.u64(v);
  } else if (key == "flags") {
    p.flags = r.u32(v);
  } else if (key == "exemplars") {
    if constexpr (requires { p.exemplars; }) read_exemplars(r, v, p.exemplars);
  } else if (key == "count") {
    if constexpr (requires { p.count; }) p.count = r.u64(v);
  } else if (key == "sum") {
    if constexpr (requires { p.sum; }) p.sum = r.f64(v);
  } else if (key == "min") {
    if constexpr (requires { p.min; }) p.min = r.f64(v);
  } else if (key == "max") {
    if constexpr (requires { p.max; }) p.max = r.f64(v);
  } else {
    return false;
  }
  return true;
}

metrics::aggregation_temporality read_temporality(reader& r, element v) {
  int32_t t = r.i32(v);
  if (t < 0 || t > 2) r.fail("expected an aggregation temporality 0..2");
  return static_cast<metrics::aggregation_temporality>(t);
}

void read_counts(reader& r, element array, std::vector<uint64_t>& out) {
  out.clear();
  r.items(array, [&](element c) { out.push_back(r.u64(c)); });
}
void read_doubles(reader& r, element array, std::vector<double>& out) {
  out.clear();
  r.items(array, [&](element c) { out.push_back(r.f64(c)); });
}

// The checks a point's members can only have once all are read: none for most kinds.
template <class Point>
void check_point(reader&, Point&) {}

void check_point(reader& r, metrics::histogram_point& p) {
  for (size_t i = 0; i < p.bounds.size(); ++i)
    if (!std::isfinite(p.bounds[i]) || (i > 0 && !(p.bounds[i - 1] < p.bounds[i])))
      r.fail("explicitBounds: expected strictly increasing finite numbers");
  // OTLP allows no bucket counts at all; the data model's one-bucket equivalent is the
  // whole count in (-inf, +inf).
  if (p.bucket_counts.empty() && p.bounds.empty()) p.bucket_counts.push_back(p.count);
  if (p.bucket_counts.size() != p.bounds.size() + 1)
    r.fail("bucketCounts: expected one more count than explicitBounds has bounds");
}

// The members only one kind of point has.
void read_point_own(reader& r, std::string_view key, element v, metrics::number_point& p) {
  if (key == "asInt" || key == "asDouble") read_number_value(r, key, v, p.value);
}

void read_point_own(reader& r, std::string_view key, element v, metrics::histogram_point& p) {
  if (key == "bucketCounts") {
    read_counts(r, v, p.bucket_counts);
  } else if (key == "explicitBounds") {
    read_doubles(r, v, p.bounds);
  }
}

void read_buckets(reader& r, element e, metrics::exponential_buckets& b) {
  r.fields(e, [&](std::string_view key, element v) {
    if (key == "offset") {
      b.offset = r.i32(v);
    } else if (key == "bucketCounts") {
      read_counts(r, v, b.counts);
    }
  });
}

void read_point_own(reader& r, std::string_view key, element v,
                    metrics::exponential_histogram_point& p) {
  if (key == "scale") {
    p.scale = r.i32(v);
    if (p.scale < -10 || p.scale > 20) r.fail("expected a scale in [-10, 20]");
  } else if (key == "zeroCount") {
    p.zero_count = r.u64(v);
  } else if (key == "zeroThreshold") {
    p.zero_threshold = r.f64(v);
  } else if (key == "positive") {
    read_buckets(r, v, p.positive);
  } else if (key == "negative") {
    read_buckets(r, v, p.negative);
  }
}

void read_point_own(reader& r, std::string_view key, element v, metrics::summary_point& p) {
  if (key != "quantileValues") return;
  r.items(v, [&](element qe) {
    metrics::summary_point::quantile_value q;
    r.fields(qe, [&](std::string_view qk, element qv) {
      if (qk == "quantile") {
        q.quantile = r.f64(qv);
        if (!(q.quantile >= 0 && q.quantile <= 1)) r.fail("expected a quantile in [0, 1]");
      } else if (qk == "value") {
        q.value = r.f64(qv);
      }
    });
    p.quantiles.push_back(q);
  });
}

// A Gauge, Sum, Histogram, ExponentialHistogram or Summary: its dataPoints, and its
// aggregationTemporality and isMonotonic where the kind has them.
template <class Data>
void read_metric_data(reader& r, element e, Data& d) {
  if constexpr (requires { d.temporality; })
    d.temporality = metrics::aggregation_temporality::unspecified;
  r.fields(e, [&](std::string_view key, element v) {
    if (key == "dataPoints") {
      r.items(v, [&](element pe) {
        auto& p = d.points.next();
        p = {};
        r.fields(pe, [&](std::string_view k, element pv) {
          if (!read_point_common(r, k, pv, p)) read_point_own(r, k, pv, p);
        });
        check_point(r, p);
      });
    } else if (key == "aggregationTemporality") {
      if constexpr (requires { d.temporality; }) d.temporality = read_temporality(r, v);
    } else if (key == "isMonotonic") {
      if constexpr (requires { d.monotonic; }) d.monotonic = r.boolean(v);
    }
  });
}

void read_metric(reader& r, element e, metrics::metric_data& m) {
  m = metrics::metric_data{};
  r.fields(e, [&](std::string_view key, element v) {
    if (key == "name") {
      m.name = r.string(v);
    } else if (key == "description") {
      m.description = r.string(v);
    } else if (key == "unit") {
      m.unit = r.string(v);
    } else if (key == "gauge") {
      read_metric_data(r, v, m.data.emplace<metrics::gauge_data>());
    } else if (key == "sum") {
      read_metric_data(r, v, m.data.emplace<metrics::sum_data>());
    } else if (key == "histogram") {
      read_metric_data(r, v, m.data.emplace<metrics::histogram_data>());
    } else if (key == "exponentialHistogram") {
      read_metric_data(r, v, m.data.emplace<metrics::exponential_histogram_data>());
    } else if (key == "summary") {
      read_metric_data(r, v, m.data.emplace<metrics::summary_data>());
    }
  });
}

// ---- logs -------------------------------------------------------------------------------

void read_log_record(reader& r, element e, logs::log_record_data& rec) {
  r.fields(e, [&](std::string_view key, element v) {
    if (read_attributes_member(r, key, v, rec.attributes)) return;
    if (key == "timeUnixNano") {
      rec.time = r.u64(v);
    } else if (key == "observedTimeUnixNano") {
      rec.observed_time = r.u64(v);
    } else if (key == "severityNumber") {
      int32_t s = r.i32(v);
      if (s < 0 || s > 24) r.fail("expected a severity number 0..24");
      rec.severity_number = static_cast<logs::severity>(s);
    } else if (key == "severityText") {
      rec.severity_text = r.string(v);
    } else if (key == "body") {
      std::optional<attribute_value_view> view;
      attribute_value owned = std::string();
      switch (read_any(r, v, view, owned)) {
        case any_result::empty:
          rec.has_body = false;
          break;
        case any_result::view:
          assign_attribute_value(rec.body, *view);
          rec.has_body = true;
          break;
        case any_result::owned:
          rec.body = std::move(owned);
          rec.has_body = true;
          break;
      }
    } else if (key == "flags") {
      rec.trace_flags.bits = static_cast<uint8_t>(r.u32(v) & 0xff);
    } else if (key == "traceId") {
      rec.trace_id = r.id<16>(v, true);
    } else if (key == "spanId") {
      rec.span_id = r.id<8>(v, true);
    } else if (key == "eventName") {
      rec.event_name = r.string(v);
    }
  });
}

// ---- the entry points -------------------------------------------------------------------

void clear(trace_batch& b) noexcept {
  b.spans.clear();
  b.scopes.clear();
  b.resources.clear();
}
void clear(metric_batch& b) noexcept {
  b.resource_metrics.clear();
  b.scopes.clear();
  b.resources.clear();
}
void clear(log_batch& b) noexcept {
  b.records.clear();
  b.scopes.clear();
  b.resources.clear();
}

// Runs `read` on the parsed document; on any failure empties `out` and returns why.
template <class Batch, class Read>
std::string decode(std::string_view text, Batch& out, Read read) {
  clear(out);
  try {
    json::document doc(text);
    reader r;
    read(r, doc.root(), out);
    return {};
  } catch (const json::json_error& e) {
    clear(out);
    return e.what();
  } catch (const std::bad_alloc&) {
    clear(out);
    return "out of memory";
  } catch (const std::exception& e) {
    clear(out);
    return std::string("decoding failed: ") + e.what();
  }
}

}  // namespace

std::string decode_traces_json(std::string_view text, trace_batch& out) {
  return decode(text, out, [](reader& r, element root, trace_batch& b) {
    read_grouped(r, root, b, "resourceSpans", "scopeSpans", "spans",
                 new_items(r, b.spans, read_span));
  });
}

std::string decode_metrics_json(std::string_view text, metric_batch& out) {
  return decode(text, out, [](reader& r, element root, metric_batch& b) {
    metrics::scope_metrics* sm = nullptr;
    read_grouped(
        r, root, b, "resourceMetrics", "scopeMetrics", "metrics",
        [&](element item, const agtel::resource&, const instrumentation_scope&) {
          read_metric(r, item, sm->metrics.next());
        },
        [&](const agtel::resource& res) { b.resource_metrics.emplace_back().resource = &res; },
        [&](const instrumentation_scope& scope) {
          sm = &b.resource_metrics.back().scopes.next();
          sm->scope = &scope;
          sm->metrics.clear();
        });
  });
}

std::string decode_logs_json(std::string_view text, log_batch& out) {
  return decode(text, out, [](reader& r, element root, log_batch& b) {
    read_grouped(r, root, b, "resourceLogs", "scopeLogs", "logRecords",
                 new_items(r, b.records, read_log_record));
  });
}

bool decode_response_json(std::string_view body, partial_success& out) {
  out = partial_success{};
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return true;
  try {
    json::document doc(body);
    reader r;
    r.fields(doc.root(), [&](std::string_view key, element ps) {
      if (key != "partialSuccess") return;
      r.fields(ps, [&](std::string_view k, element v) {
        if (k == "rejectedSpans" || k == "rejectedDataPoints" || k == "rejectedLogRecords") {
          out.rejected = r.i64(v);
        } else if (k == "errorMessage") {
          out.error_message = r.string(v);
        }
      });
    });
    return true;
  } catch (...) {
    out = partial_success{};
    return false;
  }
}

}  // namespace agtel::otlp
