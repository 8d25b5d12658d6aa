// OTLP/protobuf encoding of spans, metric points and log records, written straight to the
// wire format with protobuf_writer (no message objects). Field numbers are those of the
// .proto files under proto/ (OTLP 1.5.0).
//
// proto3 leaves a field out when it holds its default (0, "", false, an empty list), and
// so do we; the exceptions are the members of a oneof (AnyValue, a point's value) and
// `optional` fields (a histogram's sum, min and max), whose presence is the information.
// Fields are written in field-number order, as protobuf's own serializer writes them, so
// our bytes equal what protobuf would write for the same message (the tests check this).
#include <algorithm>
#include <bit>
#include <type_traits>
#include <variant>

#include "otlp/codec.hpp"
#include "otlp/protobuf_writer.hpp"

namespace agtel::otlp {

namespace {

// ---- field numbers ----------------------------------------------------------------------

namespace any_value_f {
constexpr uint32_t string_value = 1, bool_value = 2, int_value = 3, double_value = 4,
                   array_value = 5;
}
namespace array_value_f { constexpr uint32_t values = 1; }
namespace key_value_f { constexpr uint32_t key = 1, value = 2; }
namespace scope_f { constexpr uint32_t name = 1, version = 2, attributes = 3, dropped = 4; }
namespace resource_f { constexpr uint32_t attributes = 1, dropped = 2; }
// ResourceSpans/ResourceMetrics/ResourceLogs and their Scope* messages share a layout.
namespace resource_group_f { constexpr uint32_t resource = 1, scopes = 2, schema_url = 3; }
namespace scope_group_f { constexpr uint32_t scope = 1, items = 2, schema_url = 3; }
// Export*ServiceRequest: the repeated Resource* field.
constexpr uint32_t request_resource_groups = 1;

namespace span_f {
constexpr uint32_t trace_id = 1, span_id = 2, trace_state = 3, parent_span_id = 4, name = 5,
                   kind = 6, start_time = 7, end_time = 8, attributes = 9, dropped_attributes = 10,
                   events = 11, dropped_events = 12, links = 13, dropped_links = 14, status = 15,
                   flags = 16;
}
namespace event_f { constexpr uint32_t time = 1, name = 2, attributes = 3, dropped = 4; }
namespace link_f {
constexpr uint32_t trace_id = 1, span_id = 2, trace_state = 3, attributes = 4, dropped = 5,
                   flags = 6;
}
namespace status_f { constexpr uint32_t message = 2, code = 3; }
// SpanFlags: bits 8 and 9 say whether the parent (or the linked context) is remote.
constexpr uint32_t span_flags_has_is_remote = 0x100, span_flags_is_remote = 0x200;

namespace metric_f {
constexpr uint32_t name = 1, description = 2, unit = 3, gauge = 5, sum = 7, histogram = 9,
                   exponential_histogram = 10, summary = 11;
}
namespace metric_data_f { constexpr uint32_t points = 1, temporality = 2, monotonic = 3; }
namespace number_point_f {
constexpr uint32_t start_time = 2, time = 3, as_double = 4, exemplars = 5, as_int = 6,
                   attributes = 7, flags = 8;
}
namespace histogram_point_f {
constexpr uint32_t start_time = 2, time = 3, count = 4, sum = 5, bucket_counts = 6, bounds = 7,
                   exemplars = 8, attributes = 9, flags = 10, min = 11, max = 12;
}
namespace exp_point_f {
constexpr uint32_t attributes = 1, start_time = 2, time = 3, count = 4, sum = 5, scale = 6,
                   zero_count = 7, positive = 8, negative = 9, flags = 10, exemplars = 11,
                   min = 12, max = 13, zero_threshold = 14;
}
namespace buckets_f { constexpr uint32_t offset = 1, counts = 2; }
namespace summary_point_f {
constexpr uint32_t start_time = 2, time = 3, count = 4, sum = 5, quantiles = 6, attributes = 7,
                   flags = 8;
}
namespace quantile_f { constexpr uint32_t quantile = 1, value = 2; }
namespace exemplar_f {
constexpr uint32_t time = 2, as_double = 3, span_id = 4, trace_id = 5, as_int = 6,
                   filtered_attributes = 7;
}

namespace log_f {
constexpr uint32_t time = 1, severity_number = 2, severity_text = 3, body = 5, attributes = 6,
                   dropped_attributes = 7, flags = 8, trace_id = 9, span_id = 10,
                   observed_time = 11, event_name = 12;
}

// ---- common pieces ----------------------------------------------------------------------

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;  // clang before 17 has no aggregate deduction

template <size_t N>
void write_id(protobuf_writer& w, uint32_t field, const trace::basic_id<N>& id) {
  w.bytes_field(field, id.bytes().data(), N);
}

// Fields that proto3 omits at their default.
void write_string(protobuf_writer& w, uint32_t field, std::string_view s) {
  if (!s.empty()) w.string_field(field, s);
}
void write_uint(protobuf_writer& w, uint32_t field, uint64_t v) {
  if (v) w.varint_field(field, v);
}
void write_fixed64(protobuf_writer& w, uint32_t field, uint64_t v) {
  if (v) w.fixed64_field(field, v);
}
void write_double(protobuf_writer& w, uint32_t field, double v) {
  if (std::bit_cast<uint64_t>(v) != 0) w.double_field(field, v);  // -0.0 is not the default
}

// The body of an AnyValue (the oneof member is always written, even when it is 0 or "").
void write_any_value_body(protobuf_writer& w, const attribute_value& v) {
  auto array = [&w](const auto& items, auto write_item) {
    auto a = w.begin(any_value_f::array_value, 2);
    for (const auto& item : items) {
      auto e = w.begin(array_value_f::values);
      write_item(item);
      w.end(e);
    }
    w.end(a);
  };
  std::visit(
      overloaded{
          [&](bool b) { w.bool_field(any_value_f::bool_value, b); },
          [&](int64_t i) { w.int_field(any_value_f::int_value, i); },
          [&](double d) { w.double_field(any_value_f::double_value, d); },
          [&](const std::string& s) { w.string_field(any_value_f::string_value, s); },
          [&](const std::vector<bool>& v) {
            array(v, [&](bool b) { w.bool_field(any_value_f::bool_value, b); });
          },
          [&](const std::vector<int64_t>& v) {
            array(v, [&](int64_t i) { w.int_field(any_value_f::int_value, i); });
          },
          [&](const std::vector<double>& v) {
            array(v, [&](double d) { w.double_field(any_value_f::double_value, d); });
          },
          [&](const std::vector<std::string>& v) {
            array(v, [&](const std::string& s) { w.string_field(any_value_f::string_value, s); });
          },
      },
      v);
}

void write_any_value(protobuf_writer& w, uint32_t field, const attribute_value& v) {
  auto m = w.begin(field);
  write_any_value_body(w, v);
  w.end(m);
}

void write_attributes(protobuf_writer& w, uint32_t field, const attribute_list& attrs) {
  for (const attribute& a : attrs) {
    auto kv = w.begin(field);
    w.string_field(key_value_f::key, a.key);
    write_any_value(w, key_value_f::value, a.value);
    w.end(kv);
  }
}

void write_resource(protobuf_writer& w, const agtel::resource& r) {
  auto m = w.begin(resource_group_f::resource, 2);
  write_attributes(w, resource_f::attributes, r.attributes);
  write_uint(w, resource_f::dropped, r.attributes.dropped());
  w.end(m);
}

void write_scope(protobuf_writer& w, const instrumentation_scope& s) {
  auto m = w.begin(scope_group_f::scope);
  write_string(w, scope_f::name, s.name);
  write_string(w, scope_f::version, s.version);
  write_attributes(w, scope_f::attributes, s.attributes);
  write_uint(w, scope_f::dropped, s.attributes.dropped());
  w.end(m);
}

// ---- grouping by resource and scope -----------------------------------------------------

// Items (spans, log records) in the order they are written: grouped by resource (in the
// order each resource first appears), then by scope within it (same rule), keeping the
// items' own order inside a group. Batches almost always hold one resource and a few
// scopes, so groups are found by a linear search that starts at the previous item's group.
struct grouping {
  struct group {
    const agtel::resource* resource;
    const instrumentation_scope* scope;
    uint32_t resource_rank;  // order of first appearance of `resource`
    uint32_t first = 0;      // into `order`
    uint32_t count = 0;
  };
  std::vector<group> groups;    // in writing order once built
  std::vector<uint32_t> order;  // item indices, group after group

  template <class Item>
  void build(std::span<const Item> items) {
    std::vector<uint32_t> group_of(items.size());
    std::vector<const agtel::resource*> resources;
    size_t last = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      const agtel::resource* r = items[i]->resource;
      const instrumentation_scope* s = items[i]->scope;
      if (groups.empty() || groups[last].resource != r || groups[last].scope != s) {
        last = groups.size();
        for (size_t g = 0; g < groups.size(); ++g)
          if (groups[g].resource == r && groups[g].scope == s) last = g;
        if (last == groups.size()) {
          auto rank = std::find(resources.begin(), resources.end(), r) - resources.begin();
          if (rank == static_cast<ptrdiff_t>(resources.size())) resources.push_back(r);
          groups.push_back({r, s, static_cast<uint32_t>(rank)});
        }
      }
      group_of[i] = static_cast<uint32_t>(last);
      ++groups[last].count;
    }
    // Writing order of the groups: by resource rank, stable (scopes in appearance order).
    std::vector<uint32_t> position(groups.size());
    for (size_t g = 0; g < groups.size(); ++g) position[g] = static_cast<uint32_t>(g);
    std::stable_sort(position.begin(), position.end(), [this](uint32_t a, uint32_t b) {
      return groups[a].resource_rank < groups[b].resource_rank;
    });
    std::vector<group> sorted;
    sorted.reserve(groups.size());
    std::vector<uint32_t> new_index(groups.size());
    uint32_t first = 0;
    for (uint32_t g : position) {
      new_index[g] = static_cast<uint32_t>(sorted.size());
      sorted.push_back(groups[g]);
      sorted.back().first = first;
      first += groups[g].count;
    }
    groups = std::move(sorted);
    order.resize(items.size());
    std::vector<uint32_t> fill(groups.size());
    for (size_t g = 0; g < groups.size(); ++g) fill[g] = groups[g].first;
    for (size_t i = 0; i < items.size(); ++i) order[fill[new_index[group_of[i]]]++] = static_cast<uint32_t>(i);
  }
};

// Writes one Export*ServiceRequest: a Resource* message per resource, a Scope* message per
// scope, and `write_item(item)` for every item in its scope.
template <class Item, class WriteItem>
void write_grouped(protobuf_writer& w, std::span<const Item> items, WriteItem write_item) {
  grouping g;
  g.build(items);
  for (size_t gi = 0; gi < g.groups.size();) {
    const agtel::resource* r = g.groups[gi].resource;
    auto rm = w.begin(request_resource_groups, 3);
    if (r) write_resource(w, *r);
    for (; gi < g.groups.size() && g.groups[gi].resource == r; ++gi) {
      const auto& group = g.groups[gi];
      auto sm = w.begin(resource_group_f::scopes, 3);
      if (group.scope) write_scope(w, *group.scope);
      for (uint32_t k = 0; k < group.count; ++k) write_item(*items[g.order[group.first + k]]);
      if (group.scope) write_string(w, scope_group_f::schema_url, group.scope->schema_url);
      w.end(sm);
    }
    if (r) write_string(w, resource_group_f::schema_url, r->schema_url);
    w.end(rm);
  }
}

// ---- traces -----------------------------------------------------------------------------

uint32_t context_flags(trace::trace_flags flags, bool is_remote) {
  return flags.bits | span_flags_has_is_remote | (is_remote ? span_flags_is_remote : 0);
}

void write_trace_state(protobuf_writer& w, uint32_t field, const trace::trace_state& state,
                       std::string& scratch) {
  if (state.empty()) return;
  scratch.clear();
  state.serialize_to(scratch);
  write_string(w, field, scratch);
}

void write_span(protobuf_writer& w, const trace::span_data& s, std::string& scratch) {
  auto m = w.begin(scope_group_f::items, 2);
  write_id(w, span_f::trace_id, s.context.trace_id());
  write_id(w, span_f::span_id, s.context.span_id());
  write_trace_state(w, span_f::trace_state, s.context.state(), scratch);
  if (s.parent_span_id.is_valid()) write_id(w, span_f::parent_span_id, s.parent_span_id);
  write_string(w, span_f::name, s.name);
  write_uint(w, span_f::kind, static_cast<uint64_t>(s.kind));
  write_fixed64(w, span_f::start_time, s.start_time);
  write_fixed64(w, span_f::end_time, s.end_time);
  write_attributes(w, span_f::attributes, s.attributes);
  write_uint(w, span_f::dropped_attributes, s.attributes.dropped());
  for (const trace::span_event& e : s.events) {
    auto em = w.begin(span_f::events);
    write_fixed64(w, event_f::time, e.time);
    write_string(w, event_f::name, e.name);
    write_attributes(w, event_f::attributes, e.attributes);
    write_uint(w, event_f::dropped, e.attributes.dropped());
    w.end(em);
  }
  write_uint(w, span_f::dropped_events, s.dropped_events);
  for (const trace::span_link& l : s.links) {
    auto lm = w.begin(span_f::links);
    write_id(w, link_f::trace_id, l.context.trace_id());
    write_id(w, link_f::span_id, l.context.span_id());
    write_trace_state(w, link_f::trace_state, l.context.state(), scratch);
    write_attributes(w, link_f::attributes, l.attributes);
    write_uint(w, link_f::dropped, l.attributes.dropped());
    w.fixed32_field(link_f::flags, context_flags(l.context.flags(), l.context.is_remote()));
    w.end(lm);
  }
  write_uint(w, span_f::dropped_links, s.dropped_links);
  if (s.status.code != trace::status_code::unset || !s.status.message.empty()) {
    auto sm = w.begin(span_f::status);
    write_string(w, status_f::message, s.status.message);
    write_uint(w, status_f::code, static_cast<uint64_t>(s.status.code));
    w.end(sm);
  }
  w.fixed32_field(span_f::flags, context_flags(s.context.flags(), s.parent_is_remote));
  w.end(m);
}

// ---- metrics ----------------------------------------------------------------------------

void write_exemplars(protobuf_writer& w, uint32_t field, const reuse_vector<metrics::exemplar>& exemplars) {
  for (const metrics::exemplar& e : exemplars) {
    auto m = w.begin(field);
    write_fixed64(w, exemplar_f::time, e.time);
    if (e.value.index() == 1) w.double_field(exemplar_f::as_double, std::get<1>(e.value));
    if (e.span_id.is_valid()) write_id(w, exemplar_f::span_id, e.span_id);
    if (e.trace_id.is_valid()) write_id(w, exemplar_f::trace_id, e.trace_id);
    if (e.value.index() == 0) w.sfixed64_field(exemplar_f::as_int, std::get<0>(e.value));
    write_attributes(w, exemplar_f::filtered_attributes, e.filtered_attributes);
    w.end(m);
  }
}

void write_optional_double(protobuf_writer& w, uint32_t field, const std::optional<double>& v) {
  if (v) w.double_field(field, *v);
}

// ---- a point's members, in field-number order (as protobuf serializes them)

void write_point(protobuf_writer& w, const metrics::number_point& p) {
  write_fixed64(w, number_point_f::start_time, p.start_time);
  write_fixed64(w, number_point_f::time, p.time);
  if (p.value.index() == 1) w.double_field(number_point_f::as_double, std::get<1>(p.value));
  write_exemplars(w, number_point_f::exemplars, p.exemplars);
  if (p.value.index() == 0) w.sfixed64_field(number_point_f::as_int, std::get<0>(p.value));
  write_attributes(w, number_point_f::attributes, p.attributes);
  write_uint(w, number_point_f::flags, p.flags);
}

void write_point(protobuf_writer& w, const metrics::histogram_point& p) {
  write_fixed64(w, histogram_point_f::start_time, p.start_time);
  write_fixed64(w, histogram_point_f::time, p.time);
  write_fixed64(w, histogram_point_f::count, p.count);
  write_optional_double(w, histogram_point_f::sum, p.sum);
  w.packed_fixed64_field(histogram_point_f::bucket_counts, p.bucket_counts);
  w.packed_double_field(histogram_point_f::bounds, p.bounds);
  write_exemplars(w, histogram_point_f::exemplars, p.exemplars);
  write_attributes(w, histogram_point_f::attributes, p.attributes);
  write_uint(w, histogram_point_f::flags, p.flags);
  write_optional_double(w, histogram_point_f::min, p.min);
  write_optional_double(w, histogram_point_f::max, p.max);
}

void write_buckets(protobuf_writer& w, uint32_t field, const metrics::exponential_buckets& b) {
  if (b.offset == 0 && b.counts.empty()) return;
  auto m = w.begin(field);
  if (b.offset != 0) w.sint32_field(buckets_f::offset, b.offset);
  w.packed_varint_field(buckets_f::counts, b.counts);
  w.end(m);
}

void write_point(protobuf_writer& w, const metrics::exponential_histogram_point& p) {
  write_attributes(w, exp_point_f::attributes, p.attributes);
  write_fixed64(w, exp_point_f::start_time, p.start_time);
  write_fixed64(w, exp_point_f::time, p.time);
  write_fixed64(w, exp_point_f::count, p.count);
  write_optional_double(w, exp_point_f::sum, p.sum);
  if (p.scale != 0) w.sint32_field(exp_point_f::scale, p.scale);
  write_fixed64(w, exp_point_f::zero_count, p.zero_count);
  write_buckets(w, exp_point_f::positive, p.positive);
  write_buckets(w, exp_point_f::negative, p.negative);
  write_uint(w, exp_point_f::flags, p.flags);
  write_exemplars(w, exp_point_f::exemplars, p.exemplars);
  write_optional_double(w, exp_point_f::min, p.min);
  write_optional_double(w, exp_point_f::max, p.max);
  write_double(w, exp_point_f::zero_threshold, p.zero_threshold);
}

void write_point(protobuf_writer& w, const metrics::summary_point& p) {
  write_fixed64(w, summary_point_f::start_time, p.start_time);
  write_fixed64(w, summary_point_f::time, p.time);
  write_fixed64(w, summary_point_f::count, p.count);
  write_double(w, summary_point_f::sum, p.sum);
  for (const auto& q : p.quantiles) {
    auto qm = w.begin(summary_point_f::quantiles);
    write_double(w, quantile_f::quantile, q.quantile);
    write_double(w, quantile_f::value, q.value);
    w.end(qm);
  }
  write_attributes(w, summary_point_f::attributes, p.attributes);
  write_uint(w, summary_point_f::flags, p.flags);
}

// ---- the five kinds of metric data

// The Metric field of each kind.
constexpr uint32_t data_field(const metrics::gauge_data&) {
  return metric_f::gauge;
}
constexpr uint32_t data_field(const metrics::sum_data&) {
  return metric_f::sum;
}
constexpr uint32_t data_field(const metrics::histogram_data&) {
  return metric_f::histogram;
}
constexpr uint32_t data_field(const metrics::exponential_histogram_data&) {
  return metric_f::exponential_histogram;
}
constexpr uint32_t data_field(const metrics::summary_data&) {
  return metric_f::summary;
}

// Bytes to reserve for a point's length (end() moves the point when it guessed wrong):
// number points are usually under 128 bytes, the others seldom.
template <class Point>
constexpr uint32_t point_length_hint = 2;
template <>
constexpr uint32_t point_length_hint<metrics::number_point> = 1;

// Gauge, Sum, Histogram, ExponentialHistogram or Summary: the points, then the
// temporality and monotonicity where the kind has them.
template <class Data>
void write_metric_data(protobuf_writer& w, const Data& d) {
  auto m = w.begin(data_field(d), 2);
  for (const auto& p : d.points) {
    auto pm = w.begin(metric_data_f::points, point_length_hint<std::decay_t<decltype(p)>>);
    write_point(w, p);
    w.end(pm);
  }
  if constexpr (requires { d.temporality; })
    write_uint(w, metric_data_f::temporality, static_cast<uint64_t>(d.temporality));
  if constexpr (requires { d.monotonic; })
    if (d.monotonic) w.bool_field(metric_data_f::monotonic, true);
  w.end(m);
}

void write_metric(protobuf_writer& w, const metrics::metric_data& md) {
  auto m = w.begin(scope_group_f::items, 2);
  write_string(w, metric_f::name, md.name);
  write_string(w, metric_f::description, md.description);
  write_string(w, metric_f::unit, md.unit);
  std::visit([&w](const auto& d) { write_metric_data(w, d); }, md.data);
  w.end(m);
}

// ---- logs -------------------------------------------------------------------------------

void write_log_record(protobuf_writer& w, const logs::log_record_data& r) {
  auto m = w.begin(scope_group_f::items, 2);
  write_fixed64(w, log_f::time, r.time);
  write_uint(w, log_f::severity_number, static_cast<uint64_t>(r.severity_number));
  write_string(w, log_f::severity_text, r.severity_text);
  if (r.has_body) write_any_value(w, log_f::body, r.body);
  write_attributes(w, log_f::attributes, r.attributes);
  write_uint(w, log_f::dropped_attributes, r.attributes.dropped());
  if (r.trace_flags.bits) w.fixed32_field(log_f::flags, r.trace_flags.bits);
  if (r.trace_id.is_valid()) write_id(w, log_f::trace_id, r.trace_id);
  if (r.span_id.is_valid()) write_id(w, log_f::span_id, r.span_id);
  write_fixed64(w, log_f::observed_time, r.observed_time);
  write_string(w, log_f::event_name, r.event_name);
  w.end(m);
}

}  // namespace

void encode_traces_protobuf(std::span<const trace::span_ptr> spans, std::string& out) {
  protobuf_writer w(out);
  std::string scratch;  // a serialized trace state
  write_grouped(w, spans, [&](const trace::span_data& s) { write_span(w, s, scratch); });
  w.finish();
}

void encode_metrics_protobuf(const metrics::resource_metrics& batch, std::string& out) {
  protobuf_writer w(out);
  if (!batch.scopes.empty()) {
    auto rm = w.begin(request_resource_groups, 3);
    if (batch.resource) write_resource(w, *batch.resource);
    for (const metrics::scope_metrics& sm : batch.scopes) {
      auto s = w.begin(resource_group_f::scopes, 3);
      if (sm.scope) write_scope(w, *sm.scope);
      for (const metrics::metric_data& md : sm.metrics) write_metric(w, md);
      if (sm.scope) write_string(w, scope_group_f::schema_url, sm.scope->schema_url);
      w.end(s);
    }
    if (batch.resource) write_string(w, resource_group_f::schema_url, batch.resource->schema_url);
    w.end(rm);
  }
  w.finish();
}

void encode_logs_protobuf(std::span<const logs::log_record_ptr> records, std::string& out) {
  protobuf_writer w(out);
  write_grouped(w, records, [&](const logs::log_record_data& r) { write_log_record(w, r); });
  w.finish();
}

}  // namespace agtel::otlp
