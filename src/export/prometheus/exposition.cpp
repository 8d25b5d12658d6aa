// The Prometheus text 0.0.4 / OpenMetrics 1.0 serializer (prometheus_serializer).
//
// Two passes over a collection: the first translates each metric's name (cached across
// scrapes), decides its Prometheus type and groups metrics into families (one HELP/TYPE
// block per name, as both formats require); the second writes the families. Output goes
// straight into the caller's buffer with std::string appends; a histogram point's label
// set is rendered once and copied into each of its bucket lines, and the `le` values of a
// metric's bounds are formatted once per metric.
#include <algorithm>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/export/prometheus_exporter.hpp"
#include "export/prometheus/exponential_buckets.hpp"
#include "export/prometheus/names.hpp"
#include "export/prometheus/text.hpp"

namespace agtel::exporter {

using metrics::aggregation_temporality;

namespace {

constexpr std::string_view diag_component = "prometheus";

enum class family_type : uint8_t { counter, gauge, histogram, summary };

constexpr std::string_view type_name(family_type t) noexcept {
  switch (t) {
    case family_type::counter:
      return "counter";
    case family_type::gauge:
      return "gauge";
    case family_type::histogram:
      return "histogram";
    case family_type::summary:
      return "summary";
  }
  return "unknown";
}

struct string_hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct member {
  const instrumentation_scope* scope;
  const metrics::metric_data* metric;
};

struct family {
  const prometheus::metric_names* names = nullptr;  // owned by the translation cache
  family_type type = family_type::gauge;
  std::string_view help;
  std::vector<member> members;
};

// A label of the point being written: its sanitized name (in `keys`) and its attribute.
struct label_slot {
  uint32_t key_offset;
  uint32_t key_length;
  const attribute* attr;
};

}  // namespace

std::string_view prometheus_content_type(prometheus_format format) noexcept {
  return format == prometheus_format::openmetrics
             ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
             : "text/plain; version=0.0.4; charset=utf-8";
}

struct prometheus_serializer::state {
  prometheus_exposition_options opts;
  bool om = false;  // the current call writes OpenMetrics

  // Translations by (name, unit, kind); nodes are stable, so families point into it.
  std::unordered_map<std::string, prometheus::metric_names, string_hash, std::equal_to<>> names;
  std::string cache_key;

  reuse_vector<family> families;
  std::unordered_map<std::string_view, size_t> family_index;            // family name → index
  std::unordered_set<std::string, string_hash, std::equal_to<>> taken;  // names in use
  std::string name_scratch;

  // The point being written.
  std::string labels;        // `k="v",…` of the point, scope labels included, no braces
  std::string scope_labels;  // `otel_scope_name="…",otel_scope_version="…"` of the member
  std::string keys;          // sanitized label names of the point, back to back
  std::vector<label_slot> slots;
  std::vector<size_t> order;

  // `le` values of the current explicit-bucket metric, formatted once.
  std::vector<double> le_bounds;
  std::string le_text;
  std::vector<uint32_t> le_end;  // end offset of each value in le_text
  std::string le_one;            // scratch: one exemplar label value, to measure it

  // An exponential point converted to explicit buckets.
  std::vector<double> x_bounds;
  // Explicit bounds converted to the base unit.
  std::vector<double> scaled_bounds;
  std::vector<uint64_t> x_counts;

  void serialize(const metrics::resource_metrics& batch, std::string& out);

  // Pass 1.
  void add_metric(const instrumentation_scope* scope, const metrics::metric_data& m);
  bool claim_names(const family& f);

  // Pass 2.
  void write_target_info(const agtel::resource& res, std::string& out);
  void write_family(const family& f, std::string& out);
  void write_metadata(std::string_view name, std::string_view type, std::string_view unit,
                      std::string_view help, std::string& out);
  void write_member(const family& f, const member& mb, std::string& out);
  void write_number_points(const family& f, const reuse_vector<metrics::number_point>& points,
                           prometheus::unit_scale scale, std::string& out);
  void write_histogram(const family& f, const attribute_list& attrs, timestamp_ns start,
                       const std::vector<double>& bounds, const std::vector<uint64_t>& counts,
                       uint64_t count, const std::optional<double>& sum,
                       const std::optional<double>& min,
                       const reuse_vector<metrics::exemplar>& exemplars,
                       prometheus::unit_scale scale, std::string& out);
  void write_summary(const family& f, const metrics::summary_point& p,
                     prometheus::unit_scale scale, std::string& out);

  // Labels.
  // Renders `attrs` (then scope_labels) into `labels`. Attributes whose label name is in
  // `reserved` (or a scope label name, when `scope_reserved`) are renamed exported_<name>.
  void build_labels(const attribute_list& attrs, std::span<const std::string_view> reserved,
                    bool scope_reserved);
  void append_braced_labels(std::string& out) const;
  // `<base><suffix>{labels} `: a sample line up to its value.
  void begin_sample(std::string_view base, std::string_view suffix, std::string& out) const;
  void append_exemplar(const metrics::exemplar& e, prometheus::unit_scale scale,
                       std::string& out);
  void format_le(const std::vector<double>& bounds);
};

namespace {

// Appends `{labels}` (or nothing when empty) to `out`.
void append_label_set(std::string& out, std::string_view labels) {
  if (labels.empty()) return;
  out += '{';
  out += labels;
  out += '}';
}

void append_number(std::string& out, const metrics::number_value& v, bool om,
                   prometheus::unit_scale scale = {}) {
  if (!scale.identity()) {
    prometheus::append_double(out, scale.apply(metrics::to_double(v)), om);
  } else if (v.index() == 0) {
    prometheus::append_int(out, std::get<0>(v));
  } else {
    prometheus::append_double(out, std::get<1>(v), om);
  }
}

// Label names the exporter adds itself, besides the scope labels. `le` and `quantile` are
// reserved on every family, not only on histograms and summaries: promlint flags them on
// any other type.
using reserved_names = std::span<const std::string_view>;
constexpr std::string_view point_reserved[] = {"le", "quantile"};
constexpr std::string_view job_instance_reserved[] = {"job", "instance", "le", "quantile"};

bool is_reserved(std::string_view key, reserved_names extra, bool scope_labels) noexcept {
  for (std::string_view r : extra)
    if (key == r) return true;
  return scope_labels && (key == "otel_scope_name" || key == "otel_scope_version");
}

}  // namespace

void prometheus_serializer::state::build_labels(const attribute_list& attrs,
                                                std::span<const std::string_view> reserved,
                                                bool scope_reserved) {
  labels.clear();
  keys.clear();
  slots.clear();
  bool collision = false;
  for (const attribute& a : attrs) {
    const size_t off = keys.size();
    prometheus::append_label_name(keys, a.key);
    std::string_view k(keys.data() + off, keys.size() - off);
    if (is_reserved(k, reserved, scope_reserved)) {
      keys.resize(off);
      keys += "exported_";
      prometheus::append_label_name(keys, a.key);
    }
    const auto len = static_cast<uint32_t>(keys.size() - off);
    for (const label_slot& s : slots) {
      if (s.key_length == len && keys.compare(s.key_offset, len, keys, off, len) == 0) {
        collision = true;
        break;
      }
    }
    slots.push_back({static_cast<uint32_t>(off), len, &a});
  }
  const auto key_of = [&](const label_slot& s) {
    return std::string_view(keys.data() + s.key_offset, s.key_length);
  };
  if (!collision) {
    for (const label_slot& s : slots) {
      if (!labels.empty()) labels += ',';
      labels += key_of(s);
      labels += "=\"";
      prometheus::append_attribute_label_value(labels, s.attr->value);
      labels += '"';
    }
  } else {
    // Keys that sanitize to the same label are merged: values joined by ';' in the
    // lexicographic order of the original keys (the spec's rule).
    order.resize(slots.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      const auto ka = key_of(slots[a]), kb = key_of(slots[b]);
      if (ka != kb) return ka < kb;
      return slots[a].attr->key < slots[b].attr->key;
    });
    for (size_t i = 0; i < order.size(); ++i) {
      const label_slot& s = slots[order[i]];
      const bool continues = i > 0 && key_of(slots[order[i - 1]]) == key_of(s);
      if (continues) {
        labels.pop_back();  // the closing quote
        labels += ';';
      } else {
        if (!labels.empty()) labels += ',';
        labels += key_of(s);
        labels += "=\"";
      }
      prometheus::append_attribute_label_value(labels, s.attr->value);
      labels += '"';
    }
  }
  if (!scope_labels.empty()) {
    if (!labels.empty()) labels += ',';
    labels += scope_labels;
  }
}

void prometheus_serializer::state::append_braced_labels(std::string& out) const {
  append_label_set(out, labels);
}

void prometheus_serializer::state::begin_sample(std::string_view base, std::string_view suffix,
                                                std::string& out) const {
  out += base;
  out += suffix;
  append_label_set(out, labels);
  out += ' ';
}

void prometheus_serializer::state::append_exemplar(const metrics::exemplar& e,
                                                   prometheus::unit_scale scale,
                                                   std::string& out) {
  // OpenMetrics: ` # {trace_id="…",span_id="…"} value timestamp`. The label names and values
  // together may hold at most 128 characters: filtered attributes are added while they fit.
  constexpr size_t limit = 128;
  out += " # {";
  size_t used = 0;
  bool any = false;
  if (e.trace_id.is_valid()) {
    out += "trace_id=\"";
    char hex[32];
    e.trace_id.write_hex(hex);
    out.append(hex, 32);
    out += "\",span_id=\"";
    e.span_id.write_hex(hex);
    out.append(hex, 16);
    out += '"';
    used = 8 + 32 + 7 + 16;
    any = true;
  }
  for (const attribute& a : e.filtered_attributes) {
    std::string& name = name_scratch;
    name.clear();
    prometheus::append_label_name(name, a.key);
    if (name == "trace_id" || name == "span_id") continue;
    le_one.clear();  // the raw value, to measure it
    prometheus::append_attribute_label_value(le_one, a.value);
    const size_t n = name.size() + prometheus::utf8_length(le_one);
    if (used + n > limit) continue;
    used += n;
    if (any) out += ',';
    any = true;
    out += name;
    out += "=\"";
    out += le_one;
    out += '"';
  }
  out += "} ";
  append_number(out, e.value, true, scale);
  if (e.time != 0) {
    out += ' ';
    prometheus::append_seconds(out, e.time);
  }
}

void prometheus_serializer::state::format_le(const std::vector<double>& bounds) {
  if (le_end.size() == bounds.size() && bounds == le_bounds) return;
  le_bounds = bounds;
  le_text.clear();
  le_end.clear();
  for (double b : bounds) {
    prometheus::append_double(le_text, b, om);
    le_end.push_back(static_cast<uint32_t>(le_text.size()));
  }
}

void prometheus_serializer::state::add_metric(const instrumentation_scope* scope,
                                              const metrics::metric_data& m) {
  family_type type;
  bool counter = false, is_gauge = false;
  prometheus::family_kind kind = prometheus::family_kind::gauge;
  const char* drop_reason = nullptr;
  switch (m.data.index()) {
    case 0:
      type = family_type::gauge;
      is_gauge = true;
      if (std::get<metrics::gauge_data>(m.data).points.empty()) return;
      break;
    case 1: {
      const auto& s = std::get<metrics::sum_data>(m.data);
      if (s.points.empty()) return;
      if (s.temporality != aggregation_temporality::cumulative) {
        drop_reason = "a delta sum cannot be exposed to Prometheus (use a cumulative reader)";
      }
      counter = s.monotonic;
      type = s.monotonic ? family_type::counter : family_type::gauge;
      if (counter) kind = prometheus::family_kind::counter;
      break;
    }
    case 2: {
      const auto& h = std::get<metrics::histogram_data>(m.data);
      if (h.points.empty()) return;
      if (h.temporality != aggregation_temporality::cumulative)
        drop_reason = "a delta histogram cannot be exposed to Prometheus (use a cumulative reader)";
      type = family_type::histogram;
      kind = prometheus::family_kind::histogram;
      break;
    }
    case 3: {
      const auto& h = std::get<metrics::exponential_histogram_data>(m.data);
      if (h.points.empty()) return;
      if (h.temporality != aggregation_temporality::cumulative)
        drop_reason = "a delta exponential histogram cannot be exposed to Prometheus";
      else if (!opts.exponential_histograms)
        drop_reason = "exponential histograms are not exported (exponential_histograms = false)";
      type = family_type::histogram;
      kind = prometheus::family_kind::histogram;
      break;
    }
    default:
      if (std::get<metrics::summary_data>(m.data).points.empty()) return;
      type = family_type::summary;
      kind = prometheus::family_kind::summary;
      break;
  }
  if (drop_reason != nullptr) {
    detail::diag(diag_level::warning, diag_component,
                 "metric '" + m.name + "' dropped: " + drop_reason);
    return;
  }

  // Key: kind, gauge flag, the name's length, the name, the unit (unambiguous for any bytes).
  cache_key.clear();
  cache_key += static_cast<char>('0' + static_cast<int>(kind) * 2 + static_cast<int>(is_gauge));
  prometheus::append_uint(cache_key, m.name.size());
  cache_key += ':';
  cache_key += m.name;
  cache_key += m.unit;
  auto it = names.find(std::string_view(cache_key));
  if (it == names.end()) {
    it = names
             .emplace(cache_key, prometheus::translate_metric_name(m.name, m.unit, kind, is_gauge,
                                                                   opts.unit_suffixes))
             .first;
  }
  const prometheus::metric_names& n = it->second;

  if (auto fi = family_index.find(n.family); fi != family_index.end()) {
    family& f = families[fi->second];
    if (f.type != type) {
      detail::diag(diag_level::warning, diag_component,
                   "metric '" + m.name + "' dropped: its Prometheus name '" + n.family +
                       "' is already used by a " + std::string(type_name(f.type)) + " family");
      return;
    }
    f.members.push_back({scope, &m});
    return;
  }
  family& f = families.next();
  f.names = &n;
  f.type = type;
  f.help = m.description.empty() ? std::string_view(m.name) : std::string_view(m.description);
  f.members.clear();
  f.members.push_back({scope, &m});
  if (!claim_names(f)) {
    families.pop_back();
    detail::diag(diag_level::warning, diag_component,
                 "metric '" + m.name + "' dropped: its Prometheus series names clash with " +
                     "another metric's ('" + n.family + "')");
    return;
  }
  family_index.emplace(n.family, families.size() - 1);
}

// Reserves the family name and every sample name the family will write; false (nothing
// reserved) when one is taken already.
bool prometheus_serializer::state::claim_names(const family& f) {
  static constexpr std::string_view counter_suffixes[] = {"", "_total", "_created"};
  static constexpr std::string_view gauge_suffixes[] = {""};
  static constexpr std::string_view histogram_suffixes[] = {"", "_bucket", "_count", "_sum",
                                                            "_created"};
  static constexpr std::string_view summary_suffixes[] = {"", "_count", "_sum", "_created"};
  std::span<const std::string_view> suffixes;
  switch (f.type) {
    case family_type::counter:
      suffixes = counter_suffixes;
      break;
    case family_type::gauge:
      suffixes = gauge_suffixes;
      break;
    case family_type::histogram:
      suffixes = histogram_suffixes;
      break;
    case family_type::summary:
      suffixes = summary_suffixes;
      break;
  }
  const std::string& base = f.names->family;
  for (std::string_view sfx : suffixes) {
    name_scratch.assign(base);
    name_scratch += sfx;
    if (taken.find(std::string_view(name_scratch)) != taken.end()) return false;
  }
  for (std::string_view sfx : suffixes) {
    name_scratch.assign(base);
    name_scratch += sfx;
    taken.insert(name_scratch);
  }
  return true;
}

void prometheus_serializer::state::serialize(const metrics::resource_metrics& batch,
                                             std::string& out) {
  if (names.size() > 10000) names.clear();  // a bound on the cache; families are rebuilt below
  families.clear();
  family_index.clear();
  taken.clear();
  le_bounds.clear();
  le_end.clear();

  const bool with_target =
      opts.target_info && batch.resource != nullptr && !batch.resource->attributes.empty();
  if (with_target) {
    taken.insert("target");
    taken.insert("target_info");
  }
  for (const metrics::scope_metrics& sm : batch.scopes)
    for (const metrics::metric_data& m : sm.metrics) add_metric(sm.scope, m);

  if (with_target) write_target_info(*batch.resource, out);
  for (const family& f : families) write_family(f, out);
  if (om) out += "# EOF\n";
}

void prometheus_serializer::state::write_metadata(std::string_view name, std::string_view type,
                                                  std::string_view unit, std::string_view help,
                                                  std::string& out) {
  if (om) {
    out += "# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
    if (!unit.empty()) {
      out += "# UNIT ";
      out += name;
      out += ' ';
      out += unit;
      out += '\n';
    }
  }
  out += "# HELP ";
  out += name;
  out += ' ';
  prometheus::append_help(out, help, om);
  out += '\n';
  if (!om) {
    out += "# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
  }
}

void prometheus_serializer::state::write_target_info(const agtel::resource& res, std::string& out) {
  write_metadata(om ? "target" : "target_info", om ? "info" : "gauge", {}, "Target metadata", out);
  scope_labels.clear();
  if (!opts.job_instance_labels) {
    build_labels(res.attributes, point_reserved, false);
  } else {
    // job = service.namespace/service.name, instance = service.instance.id; attributes
    // that sanitize to "job" or "instance" become exported_job / exported_instance.
    build_labels(res.attributes, job_instance_reserved, false);
    const auto str = [&](std::string_view key) -> std::string_view {
      const attribute_value* v = res.attributes.find(key);
      return v != nullptr && std::holds_alternative<std::string>(*v)
                 ? std::string_view(std::get<std::string>(*v))
                 : std::string_view();
    };
    std::string extra = "job=\"";
    if (!str("service.namespace").empty()) {
      prometheus::append_label_value(extra, str("service.namespace"));
      extra += '/';
    }
    prometheus::append_label_value(extra, str("service.name"));
    extra += "\",instance=\"";
    prometheus::append_label_value(extra, str("service.instance.id"));
    extra += '"';
    if (!labels.empty()) extra += ',';
    labels.insert(0, extra);
  }
  out += "target_info";
  append_braced_labels(out);
  out += " 1\n";
}

void prometheus_serializer::state::write_family(const family& f, std::string& out) {
  const std::string& base = f.names->family;
  const bool counter_total = f.type == family_type::counter && opts.total_suffix;
  std::string_view type = type_name(f.type);
  // A counter without `_total` is not a valid OpenMetrics counter: call it unknown there.
  if (om && f.type == family_type::counter && !counter_total) type = "unknown";
  std::string_view unit = om && opts.unit_suffixes ? std::string_view(f.names->unit) : "";
  if (!om && counter_total) {
    name_scratch.assign(base);
    name_scratch += "_total";
    write_metadata(name_scratch, type, unit, f.help, out);
  } else {
    write_metadata(base, type, unit, f.help, out);
  }
  for (const member& mb : f.members) write_member(f, mb, out);
}

void prometheus_serializer::state::write_member(const family& f, const member& mb,
                                                std::string& out) {
  scope_labels.clear();
  if (opts.scope_labels && mb.scope != nullptr) {
    scope_labels += "otel_scope_name=\"";
    prometheus::append_label_value(scope_labels, mb.scope->name);
    scope_labels += '"';
    if (!mb.scope->version.empty()) {
      scope_labels += ",otel_scope_version=\"";
      prometheus::append_label_value(scope_labels, mb.scope->version);
      scope_labels += '"';
    }
  }
  const metrics::metric_data& m = *mb.metric;
  const prometheus::unit_scale scale = f.names->scale;
  switch (m.data.index()) {
    case 0:
      write_number_points(f, std::get<metrics::gauge_data>(m.data).points, scale, out);
      break;
    case 1:
      write_number_points(f, std::get<metrics::sum_data>(m.data).points, scale, out);
      break;
    case 2:
      for (const metrics::histogram_point& p : std::get<metrics::histogram_data>(m.data).points) {
        if ((p.flags & metrics::point_flag_no_recorded_value) != 0) continue;
        if (!p.bucket_counts.empty() && p.bucket_counts.size() != p.bounds.size() + 1) {
          detail::diag(diag_level::warning, diag_component,
                       "metric '" + m.name + "': a histogram point with " +
                           std::to_string(p.bucket_counts.size()) + " bucket counts for " +
                           std::to_string(p.bounds.size()) + " bounds was dropped");
          continue;
        }
        const std::vector<double>* bounds = &p.bounds;
        if (!scale.identity()) {
          scaled_bounds.clear();
          for (double b : p.bounds) scaled_bounds.push_back(scale.apply(b));
          bounds = &scaled_bounds;
        }
        write_histogram(f, p.attributes, p.start_time, *bounds, p.bucket_counts, p.count, p.sum,
                        p.min, p.exemplars, scale, out);
      }
      break;
    case 3:
      for (const auto& p : std::get<metrics::exponential_histogram_data>(m.data).points) {
        if ((p.flags & metrics::point_flag_no_recorded_value) != 0) continue;
        prometheus::to_explicit_buckets(p, x_bounds, x_counts);
        if (!scale.identity())
          for (double& b : x_bounds) b = scale.apply(b);
        write_histogram(f, p.attributes, p.start_time, x_bounds, x_counts, p.count, p.sum, p.min,
                        p.exemplars, scale, out);
      }
      break;
    default:
      for (const auto& p : std::get<metrics::summary_data>(m.data).points) {
        if ((p.flags & metrics::point_flag_no_recorded_value) != 0) continue;
        write_summary(f, p, scale, out);
      }
      break;
  }
}

void prometheus_serializer::state::write_number_points(
    const family& f, const reuse_vector<metrics::number_point>& points,
    prometheus::unit_scale scale, std::string& out) {
  const std::string& base = f.names->family;
  const bool counter = f.type == family_type::counter;
  const bool total = counter && opts.total_suffix;
  for (const metrics::number_point& p : points) {
    if ((p.flags & metrics::point_flag_no_recorded_value) != 0) continue;
    build_labels(p.attributes, point_reserved, opts.scope_labels);
    begin_sample(base, total ? "_total" : "", out);
    append_number(out, p.value, om, scale);
    if (om && counter && !p.exemplars.empty()) {
      // The most recent exemplar.
      const metrics::exemplar* latest = &p.exemplars[0];
      for (const metrics::exemplar& e : p.exemplars)
        if (e.time >= latest->time) latest = &e;
      append_exemplar(*latest, scale, out);
    }
    out += '\n';
    if (om && total && p.start_time != 0) {
      begin_sample(base, "_created", out);
      prometheus::append_seconds(out, p.start_time);
      out += '\n';
    }
  }
}

void prometheus_serializer::state::write_histogram(
    const family& f, const attribute_list& attrs, timestamp_ns start,
    const std::vector<double>& bounds, const std::vector<uint64_t>& counts, uint64_t count,
    const std::optional<double>& sum, const std::optional<double>& min,
    const reuse_vector<metrics::exemplar>& exemplars, prometheus::unit_scale scale,
    std::string& out) {
  const std::string& base = f.names->family;
  build_labels(attrs, point_reserved, opts.scope_labels);
  format_le(bounds);
  const bool with_exemplars = om && !exemplars.empty();
  uint64_t cumulative = 0;
  size_t le_begin = 0;
  const size_t n = counts.empty() ? 0 : bounds.size();
  for (size_t i = 0; i <= n; ++i) {
    const bool inf = i == n;
    cumulative += counts.empty() ? count : counts[i];
    out += base;
    out += "_bucket{";
    out += labels;
    if (!labels.empty()) out += ',';
    out += "le=\"";
    if (inf) {
      out += "+Inf";
    } else {
      out.append(le_text, le_begin, le_end[i] - le_begin);
      le_begin = le_end[i];
    }
    out += "\"} ";
    prometheus::append_uint(out, cumulative);
    if (with_exemplars) {
      // The largest exemplar at or below this bound: the bucket's own largest if it has
      // one, else the highest from a lower bucket (the spec's rule for pull exporters).
      const metrics::exemplar* best = nullptr;
      for (const metrics::exemplar& e : exemplars) {
        const double v = metrics::to_double(e.value);
        if ((inf || scale.apply(v) <= bounds[i]) &&
            (best == nullptr || v > metrics::to_double(best->value)))
          best = &e;
      }
      if (best != nullptr) append_exemplar(*best, scale, out);
    }
    out += '\n';
  }
  // _sum only when it is a counter, i.e. no negative value was recorded (the spec's rule).
  const bool negative = min ? *min < 0 : (sum && *sum < 0);
  if (sum && !negative) {
    begin_sample(base, "_sum", out);
    prometheus::append_double(out, scale.apply(*sum), om);
    out += '\n';
  }
  begin_sample(base, "_count", out);
  prometheus::append_uint(out, cumulative);
  out += '\n';
  if (om && start != 0) {
    begin_sample(base, "_created", out);
    prometheus::append_seconds(out, start);
    out += '\n';
  }
}

void prometheus_serializer::state::write_summary(const family& f, const metrics::summary_point& p,
                                                 prometheus::unit_scale scale, std::string& out) {
  const std::string& base = f.names->family;
  build_labels(p.attributes, point_reserved, opts.scope_labels);
  for (const auto& q : p.quantiles) {
    out += base;
    out += '{';
    out += labels;
    if (!labels.empty()) out += ',';
    out += "quantile=\"";
    prometheus::append_double(out, q.quantile, om);
    out += "\"} ";
    prometheus::append_double(out, scale.apply(q.value), om);
    out += '\n';
  }
  begin_sample(base, "_sum", out);
  prometheus::append_double(out, scale.apply(p.sum), om);
  out += '\n';
  begin_sample(base, "_count", out);
  prometheus::append_uint(out, p.count);
  out += '\n';
  if (om && p.start_time != 0) {
    begin_sample(base, "_created", out);
    prometheus::append_seconds(out, p.start_time);
    out += '\n';
  }
}

prometheus_serializer::prometheus_serializer(prometheus_exposition_options options)
    : state_(std::make_unique<state>()) {
  state_->opts = options;
}

prometheus_serializer::~prometheus_serializer() = default;

void prometheus_serializer::serialize(const metrics::resource_metrics& batch,
                                      prometheus_format format, std::string& out) {
  state_->om = format == prometheus_format::openmetrics;
  state_->serialize(batch, out);
}

}  // namespace agtel::exporter
