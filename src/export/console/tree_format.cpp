// The console exporter's tree view. Spans are grouped by trace; inside a trace the parent
// links form a forest (roots are spans whose parent is absent from the batch), printed
// depth first with children in start-time order. Received spans can be hostile, so
// duplicate ids, self-parents and parent cycles are tolerated (a cycle is broken at its
// earliest span, which is then shown as a root), recursion is replaced by an explicit
// stack, and indentation stops growing past a fixed depth.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <unordered_map>
#include <vector>

#include "export/console/format.hpp"
#include "export/console/text.hpp"

namespace agtel::exporter::console {
namespace {

using trace::span_data;

constexpr size_t max_name_length = 128;  // span, event and attribute names
constexpr size_t max_array_items = 16;   // array attribute elements shown
constexpr size_t max_indent_depth = 32;  // deeper spans keep the indentation of this level
constexpr size_t npos = static_cast<size_t>(-1);

constexpr std::string_view bold = "\x1b[1m";
constexpr std::string_view dim = "\x1b[2m";
constexpr std::string_view red = "\x1b[1;31m";
constexpr std::string_view green = "\x1b[32m";
constexpr std::string_view reset = "\x1b[0m";

// Appends `code` ... reset around what `body` appends, or just the body without color.
template <class Body>
void paint(std::string& out, bool color, std::string_view code, Body body) {
  if (color) out += code;
  body();
  if (color) out += reset;
}

std::string_view kind_name(trace::span_kind k) noexcept {
  switch (k) {
    case trace::span_kind::internal:
      return "internal";
    case trace::span_kind::server:
      return "server";
    case trace::span_kind::client:
      return "client";
    case trace::span_kind::producer:
      return "producer";
    case trace::span_kind::consumer:
      return "consumer";
  }
  return "unspecified";
}

void append_number(std::string& out, uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void append_count(std::string& out, uint64_t n, std::string_view singular) {
  append_number(out, n);
  out += ' ';
  out += singular;
  if (n != 1) out += 's';
}

// logfmt habit: a string is quoted only when it would otherwise read ambiguously.
bool needs_quotes(std::string_view s) noexcept {
  if (s.empty()) return true;
  for (unsigned char c : s)
    if (c <= 0x20 || c == '"' || c == 0x7F) return true;
  return false;
}

void append_string_value(std::string& out, std::string_view s, size_t max_length) {
  append_display_text(out, s, max_length, needs_quotes(s));
}

void append_scalar(std::string& out, bool v, size_t) {
  out += v ? "true" : "false";
}
void append_scalar(std::string& out, int64_t v, size_t) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}
void append_scalar(std::string& out, double v, size_t) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  out.append(buf, r.ptr);
}
void append_scalar(std::string& out, const std::string& v, size_t max_length) {
  append_string_value(out, v, max_length);
}

template <class Vector>
void append_array(std::string& out, const Vector& v, size_t max_length) {
  out += '[';
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += ',';
    if (i == max_array_items) {
      out += "\xE2\x80\xA6";
      break;
    }
    append_scalar(out, v[i], max_length);  // a const vector<bool> yields plain bools
  }
  out += ']';
}

void append_value(std::string& out, const attribute_value& value, size_t max_length) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, int64_t> ||
                      std::is_same_v<T, double> || std::is_same_v<T, std::string>)
          append_scalar(out, v, max_length);
        else
          append_array(out, v, max_length);
      },
      value);
}

// "  k=v k=v" for the attributes that `keep` accepts; nothing when there are none.
template <class Keep>
void append_attributes(std::string& out, const attribute_list& attributes, size_t max_length,
                       Keep keep) {
  bool first = true;
  for (const attribute& a : attributes) {
    if (!keep(a.key)) continue;
    out += first ? "  " : " ";
    first = false;
    append_display_text(out, a.key, max_name_length);
    out += '=';
    append_value(out, a.value, max_length);
  }
}
void append_attributes(std::string& out, const attribute_list& attributes, size_t max_length) {
  append_attributes(out, attributes, max_length, [](std::string_view) { return true; });
}

const std::string* string_attribute(const attribute_list& attributes, std::string_view key) {
  const attribute_value* v = attributes.find(key);
  return v ? std::get_if<std::string>(v) : nullptr;
}

void append_dropped(std::string& out, uint32_t attributes, uint32_t events, uint32_t links) {
  if (attributes == 0 && events == 0 && links == 0) return;
  out += "  (dropped:";
  const char* sep = " ";
  if (attributes) {
    out += sep;
    append_count(out, attributes, "attribute");
    sep = ", ";
  }
  if (events) {
    out += sep;
    append_count(out, events, "event");
    sep = ", ";
  }
  if (links) {
    out += sep;
    append_count(out, links, "link");
  }
  out += ')';
}

void append_event_line(std::string& out, std::string_view prefix, const trace::span_event& e,
                       const span_data& s, const tree_style& style) {
  out += prefix;
  out += "\xE2\x80\xA2 ";  // •
  if (e.name == "exception") {
    // The semantic conventions' exception event, shown as "exception: Type: message".
    const std::string* type = string_attribute(e.attributes, "exception.type");
    const std::string* message = string_attribute(e.attributes, "exception.message");
    paint(out, style.color, red, [&] {
      out += "exception";
      if (type) {
        out += ": ";
        append_display_text(out, *type, max_name_length);
      }
      if (message) {
        out += ": ";
        append_display_text(out, *message, style.max_value_length);
      }
    });
    append_attributes(out, e.attributes, style.max_value_length, [&](std::string_view key) {
      return !(type && key == "exception.type") && !(message && key == "exception.message") &&
             key != "exception.stacktrace";  // multi-line; the JSON view keeps it
    });
  } else {
    append_display_text(out, e.name, max_name_length);
    if (s.start_time != 0 && e.time >= s.start_time) {
      out += " +";
      append_duration(out, e.time - s.start_time);
    }
    append_attributes(out, e.attributes, style.max_value_length);
  }
  append_dropped(out, e.attributes.dropped(), 0, 0);
  out += '\n';
}

void append_span(std::string& out, const span_data& s, std::string_view line_prefix,
                 std::string_view child_prefix, bool has_children, bool parent_shown,
                 const tree_style& style) {
  out += line_prefix;
  paint(out, style.color, bold, [&] { append_display_text(out, s.name, max_name_length); });
  out += ' ';
  paint(out, style.color, dim, [&] {
    out += '[';
    out += kind_name(s.kind);
    out += ']';
  });
  out += ' ';
  append_duration(out, s.duration_ns());
  if (s.status.code == trace::status_code::error) {
    out += ' ';
    paint(out, style.color, red, [&] {
      out += "ERROR";
      if (!s.status.message.empty()) {
        out += ": ";
        append_display_text(out, s.status.message, style.max_value_length);
      }
    });
  } else if (s.status.code == trace::status_code::ok) {
    out += ' ';
    paint(out, style.color, green, [&] { out += "OK"; });
  }
  append_attributes(out, s.attributes, style.max_value_length);
  if (!s.links.empty()) {
    out += "  (";
    append_count(out, s.links.size(), "link");
    out += ')';
  }
  append_dropped(out, s.attributes.dropped(), s.dropped_events, s.dropped_links);
  if (!parent_shown && s.parent_span_id.is_valid()) {
    out += "  ";
    paint(out, style.color, dim, [&] {
      out += s.parent_is_remote ? "\xE2\x86\xB3 remote parent " : "\xE2\x86\xB3 parent ";  // ↳
      char hex[16];
      s.parent_span_id.write_hex(hex);
      out.append(hex, sizeof hex);
    });
  }
  out += '\n';

  if (s.events.empty()) return;
  std::string event_prefix(child_prefix);
  event_prefix += has_children ? "\xE2\x94\x82  " : "   ";  // │
  for (const trace::span_event& e : s.events) append_event_line(out, event_prefix, e, s, style);
}

// The service.name of the first span (in start order) whose resource has one.
std::string_view service_name(const std::vector<const span_data*>& spans) noexcept {
  for (const span_data* s : spans) {
    if (!s->resource) continue;
    if (const std::string* name = string_attribute(s->resource->attributes, "service.name"))
      return *name;
  }
  return "unknown_service";
}

// `spans` holds one trace, sorted by start time.
void append_trace(std::string& out, const std::vector<const span_data*>& spans,
                  const tree_style& style) {
  const size_t n = spans.size();
  paint(out, style.color, bold, [&] {
    out += "trace ";
    out += spans[0]->context.trace_id().to_hex();
    out += " \xC2\xB7 ";  // ·
    append_display_text(out, service_name(spans), style.max_value_length);
    out += " \xC2\xB7 ";
    append_count(out, n, "span");
  });
  out += '\n';

  // Parent links within the batch. With duplicate span ids, the first span holding an id
  // is the parent of the spans that name it.
  std::unordered_map<trace::span_id, size_t> index_of;
  index_of.reserve(n);
  for (size_t i = 0; i < n; ++i) index_of.try_emplace(spans[i]->context.span_id(), i);
  std::vector<size_t> parent(n, npos);
  std::vector<std::vector<size_t>> children(n);  // in start order, as `spans` is sorted
  for (size_t i = 0; i < n; ++i) {
    if (!spans[i]->parent_span_id.is_valid()) continue;
    auto it = index_of.find(spans[i]->parent_span_id);
    if (it == index_of.end() || it->second == i) continue;
    parent[i] = it->second;
    children[it->second].push_back(i);
  }

  // Mark what the roots reach; what stays unmarked is in, or hangs off, a parent cycle.
  // The earliest unmarked span becomes a root (cutting its parent link) until every span
  // is reached, so each span prints exactly once.
  std::vector<bool> reached(n, false);
  std::vector<size_t> todo;
  const auto reach_from = [&](size_t root) {
    todo.push_back(root);
    reached[root] = true;
    while (!todo.empty()) {
      size_t i = todo.back();
      todo.pop_back();
      for (size_t c : children[i]) {
        if (!reached[c]) {
          reached[c] = true;
          todo.push_back(c);
        }
      }
    }
  };
  for (size_t i = 0; i < n; ++i)
    if (parent[i] == npos) reach_from(i);
  for (size_t i = 0; i < n; ++i) {
    if (reached[i]) continue;
    auto& siblings = children[parent[i]];
    siblings.erase(std::find(siblings.begin(), siblings.end(), i));
    parent[i] = npos;
    reach_from(i);
  }

  // Depth-first printing with an explicit stack (a hostile parent chain could be deep).
  struct frame {
    size_t node;
    size_t next_child;
    std::string child_prefix;  // what lines under this span start with
  };
  std::vector<frame> stack;
  for (size_t root = 0; root < n; ++root) {
    if (parent[root] != npos) continue;
    append_span(out, *spans[root], "", "", !children[root].empty(), false, style);
    stack.push_back({root, 0, ""});
    while (!stack.empty()) {
      frame& f = stack.back();
      const auto& kids = children[f.node];
      if (f.next_child == kids.size()) {
        stack.pop_back();
        continue;
      }
      const size_t c = kids[f.next_child++];
      const bool last = f.next_child == kids.size();
      std::string line_prefix = f.child_prefix + (last ? "\xE2\x94\x94\xE2\x94\x80 "    // └─
                                                       : "\xE2\x94\x9C\xE2\x94\x80 ");  // ├─
      std::string child_prefix = f.child_prefix;
      if (stack.size() < max_indent_depth) child_prefix += last ? "   " : "\xE2\x94\x82  ";  // │
      append_span(out, *spans[c], line_prefix, child_prefix, !children[c].empty(), true, style);
      stack.push_back({c, 0, std::move(child_prefix)});  // invalidates `f`
    }
  }
  out += '\n';
}

}  // namespace

void append_duration(std::string& out, uint64_t ns) {
  if (ns < 1000) {
    append_number(out, ns);
    out += " ns";
    return;
  }
  // Three significant digits, trailing zeros trimmed: 1.23 ms, 12.3 ms, 123 ms, 4.5 s.
  struct unit {
    double scale;
    const char* name;
  };
  static constexpr unit units[] = {{1e3, "\xC2\xB5s"}, {1e6, "ms"}, {1e9, "s"}};  // µs
  for (const unit& u : units) {
    const double v = static_cast<double>(ns) / u.scale;
    if (v >= 999.5 && u.scale < 1e9) continue;  // rounds to 1000: use the next unit
    if (v >= 59.95 && u.scale == 1e9) break;    // a minute or more
    char buf[32];
    int len = std::snprintf(buf, sizeof buf, "%.*f", v < 9.995 ? 2 : v < 99.95 ? 1 : 0, v);
    std::string_view text(buf, static_cast<size_t>(len));
    if (text.find('.') != std::string_view::npos) {
      while (text.back() == '0') text.remove_suffix(1);
      if (text.back() == '.') text.remove_suffix(1);
    }
    out += text;
    out += ' ';
    out += u.name;
    return;
  }
  const uint64_t seconds = ns / 1'000'000'000 + (ns % 1'000'000'000 >= 500'000'000);
  if (seconds < 3600) {
    append_number(out, seconds / 60);
    out += " min ";
    append_number(out, seconds % 60);
    out += " s";
  } else {
    const uint64_t minutes = (seconds + 30) / 60;
    append_number(out, minutes / 60);
    out += " h ";
    append_number(out, minutes % 60);
    out += " min";
  }
}

void append_tree(std::string& out, std::span<const trace::span_ptr> batch,
                 const tree_style& style) {
  // Group by trace, each sorted by (start time, span id), ties kept in batch order.
  std::unordered_map<trace::trace_id, size_t> group_of;
  std::vector<std::vector<const span_data*>> groups;
  for (const trace::span_ptr& p : batch) {
    if (!p) continue;
    auto [it, inserted] = group_of.try_emplace(p->context.trace_id(), groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(p.get());
  }
  for (auto& g : groups) {
    std::stable_sort(g.begin(), g.end(), [](const span_data* a, const span_data* b) {
      if (a->start_time != b->start_time) return a->start_time < b->start_time;
      return a->context.span_id() < b->context.span_id();
    });
  }
  // Traces in order of their first span's start, then trace id.
  std::sort(groups.begin(), groups.end(), [](const auto& a, const auto& b) {
    if (a[0]->start_time != b[0]->start_time) return a[0]->start_time < b[0]->start_time;
    return a[0]->context.trace_id() < b[0]->context.trace_id();
  });
  for (const auto& g : groups) append_trace(out, g, style);
}

}  // namespace agtel::exporter::console
