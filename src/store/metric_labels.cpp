#include "store/metric_labels.hpp"

#include <algorithm>
#include <charconv>

#include "store/attributes.hpp"
#include "store/json_text.hpp"

namespace agtel::store {
namespace {

constexpr std::string_view resource_labels[] = {"service.name", "service.instance.id"};

}  // namespace

void label_text(const attribute_value& v, std::string& out) {
  out.clear();
  if (auto* s = std::get_if<std::string>(&v)) {
    out = *s;
  } else if (auto* b = std::get_if<bool>(&v)) {
    out = *b ? "true" : "false";
  } else if (auto* i = std::get_if<int64_t>(&v)) {
    out = std::to_string(*i);
  } else if (auto* d = std::get_if<double>(&v)) {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, *d);
    out.assign(buf, r.ptr);
  } else {
    encode_value(v, out);  // arrays: the store's JSON form
  }
}

void make_labels(const agtel::resource* resource, const attribute_list& attributes,
                 query::label_set& out) {
  out.clear();
  std::string text;
  for (const attribute& a : attributes) {
    label_text(a.value, text);
    out.emplace_back(a.key, text);
  }
  if (resource) {
    for (std::string_view key : resource_labels) {
      const attribute_value* v = resource->attributes.find(key);
      if (!v || attributes.find(key)) continue;
      label_text(*v, text);
      out.emplace_back(std::string(key), text);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
}

void write_labels_json(const query::label_set& labels, std::string& out) {
  out.push_back('{');
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i) out.push_back(',');
    json::write_string(out, labels[i].first);
    out.push_back(':');
    json::write_string(out, labels[i].second);
  }
  out.push_back('}');
}

bool read_labels_json(std::string_view text, query::label_set& out) {
  out.clear();
  json::cursor c(text);
  if (!c.expect('{')) return false;
  if (c.eat('}')) return c.at_end();
  do {
    std::string k, v;
    if (!c.read_string(k) || !c.expect(':') || !c.read_string(v)) return false;
    out.emplace_back(std::move(k), std::move(v));
  } while (c.eat(','));
  return c.expect('}') && c.at_end();
}

}  // namespace agtel::store
