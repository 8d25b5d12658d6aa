#include "export/prometheus/names.hpp"

#include <array>
#include <vector>

#include "sdk/common/detail/ascii.hpp"

namespace agtel::exporter::prometheus {
namespace {

using agtel::detail::trim;

constexpr bool is_lower(unsigned char c) noexcept {
  return c >= 'a' && c <= 'z';
}
constexpr bool is_upper(unsigned char c) noexcept {
  return c >= 'A' && c <= 'Z';
}
constexpr bool is_digit(unsigned char c) noexcept {
  return c >= '0' && c <= '9';
}

// Sanitizes and snake_cases `s` onto `out`. An upper-case letter starts a new word after a
// lower-case letter or digit (`fooBar` → foo_bar), and at the end of an acronym
// (`HTTPServer` → http_server).
void append_sanitized(std::string& out, std::string_view s) {
  const size_t start = out.size();
  if (s.empty() || is_digit(static_cast<unsigned char>(s[0]))) out += '_';
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (is_upper(c)) {
      const bool after_word = out.size() > start && out.back() != '_';
      const auto prev = i > 0 ? static_cast<unsigned char>(s[i - 1]) : 0;
      const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
      if (after_word && (is_lower(prev) || is_digit(prev) || (is_upper(prev) && is_lower(next))))
        out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else if (is_lower(c) || is_digit(c)) {
      out += static_cast<char>(c);
    } else if (out.size() == start || out.back() != '_') {
      out += '_';
    }
  }
}

struct unit_entry {
  std::string_view ucum;
  std::string_view word;
  double multiply;
  double divide;
};

// UCUM units (case-sensitive): the OpenTelemetry Collector translator's table (which the
// compatibility spec points to), except that prefixed and non-SI time units are converted
// to the base unit instead of being named (`_milliseconds`, `_kibibytes`, `_days` are not
// base units to Prometheus).
constexpr std::array<unit_entry, 25> units = {{
    {"d", "seconds", 86400, 1},
    {"h", "seconds", 3600, 1},
    {"min", "seconds", 60, 1},
    {"s", "seconds", 1, 1},
    {"ms", "seconds", 1, 1e3},
    {"us", "seconds", 1, 1e6},
    {"ns", "seconds", 1, 1e9},
    {"By", "bytes", 1, 1},
    {"KiBy", "bytes", 1024.0, 1},
    {"MiBy", "bytes", 1024.0 * 1024, 1},
    {"GiBy", "bytes", 1024.0 * 1024 * 1024, 1},
    {"TiBy", "bytes", 1024.0 * 1024 * 1024 * 1024, 1},
    {"KBy", "bytes", 1e3, 1},
    {"MBy", "bytes", 1e6, 1},
    {"GBy", "bytes", 1e9, 1},
    {"TBy", "bytes", 1e12, 1},
    {"m", "meters", 1, 1},
    {"V", "volts", 1, 1},
    {"A", "amperes", 1, 1},
    {"J", "joules", 1, 1},
    {"W", "watts", 1, 1},
    {"g", "grams", 1, 1},
    {"Cel", "celsius", 1, 1},
    {"Hz", "hertz", 1, 1},
    {"%", "percent", 1, 1},
}};

// The denominator of "x/y" units, singular (promlint does not flag singular words):
// "By/s" → bytes_per_second. Rates keep their denominator; "m" is the Collector's minute.
constexpr std::array<std::pair<std::string_view, std::string_view>, 11> per_units = {{
    {"s", "second"},
    {"m", "minute"},
    {"min", "minute"},
    {"h", "hour"},
    {"d", "day"},
    {"w", "week"},
    {"mo", "month"},
    {"y", "year"},
    {"ms", "millisecond"},
    {"us", "microsecond"},
    {"ns", "nanosecond"},
}};

// promlint's word lists (prometheus/client_golang testutil/promlint, as vendored by
// promtool 2.42). A unit word, with an SI/IEC prefix or none, that is not its base unit:
constexpr std::array<std::pair<std::string_view, std::string_view>, 24> lint_units = {{
    {"amperes", "amperes"}, {"bytes", "bytes"},       {"celsius", "celsius"},
    {"grams", "grams"},     {"joules", "joules"},     {"kelvin", "kelvin"},
    {"meters", "meters"},   {"metres", "metres"},     {"seconds", "seconds"},
    {"volts", "volts"},     {"minutes", "seconds"},   {"hours", "seconds"},
    {"days", "seconds"},    {"weeks", "seconds"},     {"kelvins", "kelvin"},
    {"fahrenheit", "celsius"}, {"rankine", "celsius"}, {"inches", "meters"},
    {"yards", "meters"},    {"miles", "meters"},      {"bits", "bytes"},
    {"calories", "joules"}, {"pounds", "grams"},      {"ounces", "grams"},
}};
constexpr std::array<std::string_view, 18> lint_prefixes = {
    "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo",
    "kibi", "mega", "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi"};
// Abbreviated units and type words, flagged after a `_`.
constexpr std::array<std::string_view, 18> lint_words = {
    "s",  "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d",
    "counter", "gauge", "histogram", "summary"};

template <typename Range>
bool contains(const Range& r, std::string_view w) noexcept {
  for (std::string_view x : r)
    if (x == w) return true;
  return false;
}

bool is_non_base_unit(std::string_view word) noexcept {
  for (const auto& [unit, base] : lint_units) {
    if (!word.ends_with(unit) || word == base) continue;
    std::string_view prefix = word.substr(0, word.size() - unit.size());
    if (prefix.empty() || contains(lint_prefixes, prefix)) return true;
  }
  return false;
}

// Leaves out of the `_`-separated words of `name` those promlint flags: a non-base unit
// word anywhere, an abbreviated unit or type word after a `_`. A leading `_` stays.
std::string drop_reserved_words(std::string_view name) {
  std::string out;
  const bool lead = name.starts_with('_');
  if (lead) out += '_';
  size_t pos = 0;
  while (pos <= name.size()) {
    size_t end = name.find('_', pos);
    if (end == std::string_view::npos) end = name.size();
    std::string_view word = name.substr(pos, end - pos);
    const bool after_underscore = pos > 0;
    if (!word.empty() && !is_non_base_unit(word) &&
        !(after_underscore && contains(lint_words, word))) {
      if (!out.empty() && out.back() != '_') out += '_';
      out += word;
    }
    pos = end + 1;
  }
  return out;
}

// Snake-cases an unknown unit into a word with no `_` at either end.
std::string unit_to_word(std::string_view u) {
  std::string s = "_";  // the word follows a `_` in the metric name
  append_sanitized(s, u);
  std::string w = drop_reserved_words(s);
  while (!w.empty() && w.front() == '_') w.erase(0, 1);
  while (!w.empty() && w.back() == '_') w.pop_back();
  return w;
}

}  // namespace

void append_metric_name(std::string& out, std::string_view name) {
  append_sanitized(out, name);
}

void append_label_name(std::string& out, std::string_view key) {
  append_sanitized(out, key);
}

unit_translation translate_unit(std::string_view ucum, bool is_gauge) {
  // Drop {annotations}: "{token}" → "", "{packet}/s" → "/s".
  std::string bare;
  int depth = 0;
  for (char c : ucum) {
    if (c == '{') {
      ++depth;
    } else if (c == '}' && depth > 0) {
      --depth;
    } else if (depth == 0) {
      bare += c;
    }
  }
  unit_translation t;
  std::string_view u = trim(bare);
  if (u.empty()) return t;

  std::string_view main = u, per;
  if (size_t slash = u.find('/'); slash != std::string_view::npos) {
    main = trim(u.substr(0, slash));
    per = trim(u.substr(slash + 1));
  }
  if (main == "1") {
    if (per.empty() && is_gauge) t.word = "ratio";
  } else if (!main.empty()) {
    const unit_entry* known = nullptr;
    for (const unit_entry& e : units)
      if (e.ucum == main) known = &e;
    if (known != nullptr) {
      t.word = known->word;
      t.scale = {known->multiply, known->divide};
    } else {
      t.word = unit_to_word(main);
    }
  }
  if (!per.empty()) {
    std::string per_word;
    for (const auto& [k, v] : per_units)
      if (k == per) per_word = v;
    if (per_word.empty()) per_word = unit_to_word(per);
    if (!per_word.empty()) {
      t.word += t.word.empty() ? "per_" : "_per_";
      t.word += per_word;
    }
  }
  return t;
}

metric_names translate_metric_name(std::string_view name, std::string_view unit, family_kind kind,
                                   bool is_gauge, bool unit_suffixes) {
  metric_names n;
  std::string body;
  append_metric_name(body, name);
  constexpr std::string_view total = "_total";
  if (kind == family_kind::counter && body.size() > total.size() && body.ends_with(total))
    body.resize(body.size() - total.size());
  if (unit_suffixes) {
    unit_translation t = translate_unit(unit, is_gauge);
    n.unit = std::move(t.word);
    n.scale = t.scale;
  }
  if (!n.unit.empty()) {
    const bool has_suffix = body.size() > n.unit.size() && body.ends_with(n.unit) &&
                            body[body.size() - n.unit.size() - 1] == '_';
    if (!has_suffix) {
      if (body.back() != '_') body += '_';
      body += n.unit;
    }
  }
  n.family = drop_reserved_words(body);
  // Endings that only the matching type may have.
  const auto reserved_ending = [&](std::string_view word) {
    if (word == "total") return kind != family_kind::counter;
    if (word == "bucket") return kind != family_kind::histogram;
    if (word == "count" || word == "sum")
      return kind != family_kind::histogram && kind != family_kind::summary;
    return false;
  };
  for (;;) {
    const size_t cut = n.family.rfind('_');
    if (cut == std::string::npos || !reserved_ending(std::string_view(n.family).substr(cut + 1)))
      break;
    n.family.resize(cut);
  }
  if (n.family.empty()) n.family = "_";
  return n;
}

}  // namespace agtel::exporter::prometheus
