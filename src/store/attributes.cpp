#include "store/attributes.hpp"

#include <algorithm>
#include <bit>
#include <charconv>

#include "export/console/text.hpp"
#include "store/json_text.hpp"

namespace agtel::store {
namespace {

template <class T, class F>
void write_array(std::string& out, const char* tag, const std::vector<T>& v, F each) {
  out += "{\"";
  out += tag;
  out += "\":[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    each(static_cast<T>(v[i]));
  }
  out += "]}";
}

template <class T, class F>
bool read_array(json::cursor& c, std::vector<T>& out, F each) {
  out.clear();
  if (!c.eat('[')) return false;
  if (c.eat(']')) return true;
  for (;;) {
    T v{};
    if (!each(v)) return false;
    out.push_back(std::move(v));
    if (c.eat(']')) return true;
    if (!c.eat(',')) return false;
  }
}

bool read_value(json::cursor& c, attribute_value& out) {
  char p = c.peek();
  if (p == '"') {
    std::string s;
    if (!c.read_plain_string(s)) return false;
    out = std::move(s);
    return true;
  }
  if (p == 't' || p == 'f') {
    bool b;
    if (!c.read_bool(b)) return false;
    out = b;
    return true;
  }
  if (p == '{') {
    // A tagged value: {"x":hex} string, {"f":..} double, or a typed array.
    json::cursor probe = c;
    probe.eat('{');
    std::string tag;
    if (!probe.read_plain_string(tag)) return false;
    if (tag == "x") {
      std::string s;
      if (!c.read_string(s)) return false;
      out = std::move(s);
      return true;
    }
    if (tag == "f") {
      double d;
      if (!c.read_double(d)) return false;
      out = d;
      return true;
    }
    c = probe;
    if (!c.eat(':')) return false;
    bool ok;
    if (tag == "b") {
      std::vector<bool> v;
      ok = read_array(c, v, [&](bool& x) { return c.read_bool(x); });
      out = std::move(v);
    } else if (tag == "i") {
      std::vector<int64_t> v;
      ok = read_array(c, v, [&](int64_t& x) { return c.read_int(x); });
      out = std::move(v);
    } else if (tag == "d") {
      std::vector<double> v;
      ok = read_array(c, v, [&](double& x) { return c.read_double(x); });
      out = std::move(v);
    } else if (tag == "s") {
      std::vector<std::string> v;
      ok = read_array(c, v, [&](std::string& x) { return c.read_string(x); });
      out = std::move(v);
    } else {
      return false;
    }
    return ok && c.eat('}');
  }
  int64_t i;
  double d;
  bool is_double;
  if (!c.read_number(i, d, is_double)) return false;
  if (is_double) out = d;
  else out = i;
  return true;
}

// Calls each(key text, cursor at the value) for every member of an object; `each` must
// consume the value.
template <class F>
bool for_each_member(json::cursor& c, F each) {
  if (!c.eat('{')) return false;
  if (c.eat('}')) return true;
  std::string key;
  for (;;) {
    if (!c.read_plain_string(key) || !c.eat(':') || !each(key)) return false;
    if (c.eat('}')) return true;
    if (!c.eat(',')) return false;
  }
}

bool write_keyed(const attribute_list& list, key_interner& keys, std::string& out,
                 std::span<const std::string_view> skip = {}) {
  out += '[';
  bool first = true;
  for (const attribute& a : list) {
    if (std::find(skip.begin(), skip.end(), a.key) != skip.end()) continue;
    int64_t id;
    if (!keys.id_of(a.key, id)) return false;
    if (!first) out += ',';
    first = false;
    json::write_int(out, id);
    out += ',';
    encode_value(a.value, out);
  }
  out += ']';
  return true;
}

// [id,value,id,value,...] into `out` (cleared first).
bool read_keyed(json::cursor& c, key_resolver& keys, attribute_list& out) {
  out.clear();
  if (!c.eat('[')) return false;
  if (c.eat(']')) return true;
  std::string name;
  attribute_value v;
  for (;;) {
    int64_t id;
    if (!c.read_int(id) || id <= 0 || !c.eat(',') || !keys.key_of(id, name) ||
        !read_value(c, v))
      return false;
    out.set_value(name, v);
    if (c.eat(']')) return true;
    if (!c.eat(',')) return false;
  }
}

template <class Id>
bool read_id(json::cursor& c, Id& id) {
  std::string hex;
  if (!c.read_plain_string(hex)) return false;
  auto parsed = Id::from_hex(hex);
  if (!parsed) return false;
  id = *parsed;
  return true;
}

}  // namespace

void encode_value(const attribute_value& v, std::string& out) {
  switch (v.index()) {
    case 0: out += std::get<bool>(v) ? "true" : "false"; break;
    case 1: json::write_int(out, std::get<int64_t>(v)); break;
    case 2: json::write_double(out, std::get<double>(v)); break;
    case 3: json::write_string(out, std::get<std::string>(v)); break;
    case 4:
      write_array(out, "b", std::get<std::vector<bool>>(v),
                  [&](bool x) { out += x ? "true" : "false"; });
      break;
    case 5:
      write_array(out, "i", std::get<std::vector<int64_t>>(v),
                  [&](int64_t x) { json::write_int(out, x); });
      break;
    case 6:
      write_array(out, "d", std::get<std::vector<double>>(v),
                  [&](double x) { json::write_double(out, x); });
      break;
    default: {
      const auto& s = std::get<std::vector<std::string>>(v);
      out += "{\"s\":[";
      for (size_t i = 0; i < s.size(); ++i) {
        if (i) out += ',';
        json::write_string(out, s[i]);
      }
      out += "]}";
    }
  }
}

bool decode_value(std::string_view text, attribute_value& out) {
  json::cursor c(text);
  return read_value(c, out) && c.at_end();
}

bool encode_attributes(const attribute_list& list, key_interner& keys, std::string& out,
                       std::span<const std::string_view> skip) {
  return write_keyed(list, keys, out, skip);
}

bool decode_attributes(std::string_view text, key_resolver& keys, attribute_list& out) {
  json::cursor c(text);
  return read_keyed(c, keys, out) && c.at_end();
}

void encode_named_attributes(const attribute_list& list, std::string& out) {
  out += '{';
  bool first = true;
  for (const attribute& a : list) {
    if (!first) out += ',';
    first = false;
    // Keys must be JSON object keys: a key that is not UTF-8 is written escaped in hex
    // with the prefix "\u0000x" (no real key starts with NUL).
    if (exporter::console::is_valid_utf8(a.key)) {
      json::write_string(out, a.key);
    } else {
      std::string k = std::string("\0x", 2);
      for (unsigned char ch : a.key) {
        k += "0123456789abcdef"[ch >> 4];
        k += "0123456789abcdef"[ch & 0xF];
      }
      json::write_string(out, k);
    }
    out += ':';
    encode_value(a.value, out);
  }
  out += '}';
}

bool decode_named_attributes(std::string_view text, attribute_list& out) {
  out.clear();
  json::cursor c(text);
  attribute_value v;
  bool ok = for_each_member(c, [&](const std::string& key) {
    if (!read_value(c, v)) return false;
    if (key.size() >= 2 && key[0] == '\0' && key[1] == 'x') {
      std::string raw;
      for (size_t i = 2; i + 1 < key.size(); i += 2) {
        uint8_t b = 0;
        std::from_chars(key.data() + i, key.data() + i + 2, b, 16);
        raw += static_cast<char>(b);
      }
      out.set_value(raw, v);
    } else {
      out.set_value(key, v);
    }
    return true;
  });
  return ok && c.at_end();
}

bool encode_events(const reuse_vector<trace::span_event>& events, key_interner& keys,
                   std::string& out) {
  if (events.empty()) return true;
  out += '[';
  for (size_t i = 0; i < events.size(); ++i) {
    const trace::span_event& e = events[i];
    if (i) out += ',';
    out += "{\"n\":";
    json::write_string(out, e.name);
    out += ",\"t\":";
    json::write_int(out, static_cast<int64_t>(e.time));
    if (!e.attributes.empty()) {
      out += ",\"a\":";
      if (!write_keyed(e.attributes, keys, out)) return false;
    }
    if (e.attributes.dropped()) {
      out += ",\"d\":";
      json::write_int(out, e.attributes.dropped());
    }
    out += '}';
  }
  out += ']';
  return true;
}

bool decode_events(std::string_view text, key_resolver& keys,
                   reuse_vector<trace::span_event>& out) {
  out.clear();
  json::cursor c(text);
  if (!c.eat('[')) return false;
  if (c.eat(']')) return c.at_end();
  for (;;) {
    trace::span_event& e = out.next();
    e.name.clear();
    e.time = 0;
    e.attributes.clear();
    bool ok = for_each_member(c, [&](const std::string& key) {
      int64_t n;
      if (key == "n") return c.read_string(e.name);
      if (key == "t") {
        if (!c.read_int(n)) return false;
        e.time = static_cast<timestamp_ns>(n);
        return true;
      }
      if (key == "a") return read_keyed(c, keys, e.attributes);
      if (key == "d") {
        if (!c.read_int(n) || n < 0) return false;
        e.attributes.add_dropped(static_cast<uint32_t>(n));
        return true;
      }
      return false;
    });
    if (!ok) return false;
    if (c.eat(']')) return c.at_end();
    if (!c.eat(',')) return false;
  }
}

bool encode_links(const reuse_vector<trace::span_link>& links, key_interner& keys,
                  std::string& out) {
  if (links.empty()) return true;
  out += '[';
  char hex[32];
  for (size_t i = 0; i < links.size(); ++i) {
    const trace::span_link& l = links[i];
    if (i) out += ',';
    out += "{\"t\":\"";
    l.context.trace_id().write_hex(hex);
    out.append(hex, 32);
    out += "\",\"s\":\"";
    l.context.span_id().write_hex(hex);
    out.append(hex, 16);
    out += "\",\"f\":";
    json::write_int(out, l.context.flags().bits | (l.context.is_remote() ? 0x300 : 0));
    if (!l.context.state().empty()) {
      out += ",\"ts\":";
      json::write_string(out, l.context.state().serialize());
    }
    if (!l.attributes.empty()) {
      out += ",\"a\":";
      if (!write_keyed(l.attributes, keys, out)) return false;
    }
    if (l.attributes.dropped()) {
      out += ",\"d\":";
      json::write_int(out, l.attributes.dropped());
    }
    out += '}';
  }
  out += ']';
  return true;
}

bool decode_links(std::string_view text, key_resolver& keys, reuse_vector<trace::span_link>& out) {
  out.clear();
  json::cursor c(text);
  if (!c.eat('[')) return false;
  if (c.eat(']')) return c.at_end();
  std::string state;
  for (;;) {
    trace::span_link& l = out.next();
    l.attributes.clear();
    trace::trace_id tid;
    trace::span_id sid;
    int64_t flags = 0;
    state.clear();
    uint32_t dropped = 0;
    bool ok = for_each_member(c, [&](const std::string& key) {
      if (key == "t") return read_id(c, tid);
      if (key == "s") return read_id(c, sid);
      if (key == "f") return c.read_int(flags);
      if (key == "ts") return c.read_string(state);
      if (key == "a") return read_keyed(c, keys, l.attributes);
      if (key == "d") {
        int64_t n;
        if (!c.read_int(n) || n < 0) return false;
        dropped = static_cast<uint32_t>(n);
        return true;
      }
      return false;
    });
    if (!ok) return false;
    l.attributes.add_dropped(dropped);
    l.context = trace::span_context(tid, sid, {static_cast<uint8_t>(flags & 0xFF)},
                                    (flags & 0x300) == 0x300, trace::trace_state::parse(state));
    if (c.eat(']')) return c.at_end();
    if (!c.eat(',')) return false;
  }
}

bool attribute_equals(std::string_view text, int64_t key_id, std::string_view value) {
  // Cheap rejection first: most rows of a scan do not carry the key at all (the id is
  // written after '[' or ',' and followed by ',').
  char needle[24];
  auto r = std::to_chars(needle, needle + 21, key_id);
  *r.ptr++ = ',';
  std::string_view n(needle, static_cast<size_t>(r.ptr - needle));
  if (text.find(n) == std::string_view::npos) return false;
  // The needle may also occur inside a value: walk the pairs to be exact.
  json::cursor c(text);
  if (!c.eat('[')) return false;
  if (c.eat(']')) return false;
  for (;;) {
    int64_t id;
    if (!c.read_int(id) || !c.eat(',')) return false;
    if (id == key_id) {
      attribute_value v;
      if (!read_value(c, v)) return false;
      std::string t;
      switch (v.index()) {
        case 0: return value == (std::get<bool>(v) ? "true" : "false");
        case 1: json::write_int(t, std::get<int64_t>(v)); return value == t;
        case 2: {
          double d = std::get<double>(v);
          char buf[40];
          auto e = std::to_chars(buf, buf + sizeof buf, d);
          return value == std::string_view(buf, static_cast<size_t>(e.ptr - buf));
        }
        case 3: return value == std::get<std::string>(v);
        default: encode_value(v, t); return value == t;
      }
    }
    if (!c.skip_value()) return false;
    if (c.eat(']')) return false;
    if (!c.eat(',')) return false;
  }
}

attribute_probe make_attribute_probe(int64_t key_id, std::string_view value) {
  attribute_probe p;
  p.key_id = key_id;
  p.value.assign(value);
  std::string id;
  json::write_int(id, key_id);
  id += ',';
  p.needles[p.count] = id;  // a string value as the writer encodes it
  json::write_string(p.needles[p.count], value);
  ++p.count;
  // Numbers and booleans are written as their text (a prefix is enough: 1 matches 1.0).
  bool scalar = value == "true" || value == "false" ||
                (!value.empty() && value.find_first_not_of("0123456789+-.eE") == value.npos);
  if (scalar) p.needles[p.count++] = id + std::string(value);
  p.needles[p.count++] = id + '{';  // non-finite doubles, hex strings, arrays
  return p;
}

bool attribute_equals(std::string_view text, const attribute_probe& probe) {
  for (size_t i = 0; i < probe.count; ++i)
    if (text.find(probe.needles[i]) != std::string_view::npos)
      return attribute_equals(text, probe.key_id, probe.value);
  return false;
}

}  // namespace agtel::store
