#include "export/prometheus/names.hpp"

#include <array>
#include <utility>

namespace agtel::exporter::prometheus {
namespace {

constexpr bool is_alpha(unsigned char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_digit(unsigned char c) noexcept {
  return c >= '0' && c <= '9';
}

template <bool AllowColon>
void append_sanitized(std::string& out, std::string_view s) {
  const size_t start = out.size();
  if (s.empty() || is_digit(static_cast<unsigned char>(s[0]))) out += '_';
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    const bool keep = is_alpha(c) || is_digit(c) || (AllowColon && c == ':');
    if (keep) {
      out += ch;
    } else if (out.size() == start || out.back() != '_') {
      out += '_';
    }
  }
}

// UCUM units (case-sensitive) and their Prometheus words: the table of the OpenTelemetry
// Collector's translator, which the compatibility spec points to.
constexpr std::array<std::pair<std::string_view, std::string_view>, 25> unit_words = {{
    {"d", "days"},          {"h", "hours"},         {"min", "minutes"},    {"s", "seconds"},
    {"ms", "milliseconds"}, {"us", "microseconds"}, {"ns", "nanoseconds"}, {"By", "bytes"},
    {"KiBy", "kibibytes"},  {"MiBy", "mebibytes"},  {"GiBy", "gibibytes"}, {"TiBy", "tibibytes"},
    {"KBy", "kilobytes"},   {"MBy", "megabytes"},   {"GBy", "gigabytes"},  {"TBy", "terabytes"},
    {"m", "meters"},        {"V", "volts"},         {"A", "amperes"},      {"J", "joules"},
    {"W", "watts"},         {"g", "grams"},         {"Cel", "celsius"},    {"Hz", "hertz"},
    {"%", "percent"},
}};

// The denominator of "x/y" units, singular: "By/s" → bytes_per_second.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> per_unit_words = {{
    {"s", "second"},
    {"m", "minute"},
    {"h", "hour"},
    {"d", "day"},
    {"w", "week"},
    {"mo", "month"},
    {"y", "year"},
}};

template <size_t N>
std::string_view lookup(const std::array<std::pair<std::string_view, std::string_view>, N>& table,
                        std::string_view key) noexcept {
  for (const auto& [k, v] : table)
    if (k == key) return v;
  return key;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

void append_metric_name(std::string& out, std::string_view name) {
  append_sanitized<true>(out, name);
}

void append_label_name(std::string& out, std::string_view key) {
  append_sanitized<false>(out, key);
}

std::string unit_word(std::string_view ucum, bool is_gauge) {
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
  std::string_view u = trim(bare);
  if (u.empty()) return {};

  std::string_view main = u, per;
  if (size_t slash = u.find('/'); slash != std::string_view::npos) {
    main = trim(u.substr(0, slash));
    per = trim(u.substr(slash + 1));
  }
  std::string word;
  if (main == "1") {
    if (per.empty() && is_gauge) word = "ratio";
  } else if (!main.empty()) {
    word = lookup(unit_words, main);
  }
  if (!per.empty()) {
    word += word.empty() ? "per_" : "_per_";
    word += lookup(per_unit_words, per);
  }
  // Keep [a-zA-Z0-9_], collapse `_` runs, no `_` at either end.
  std::string clean;
  for (char ch : word) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_alpha(c) || is_digit(c)) {
      clean += ch;
    } else if (!clean.empty() && clean.back() != '_') {
      clean += '_';
    }
  }
  while (!clean.empty() && clean.back() == '_') clean.pop_back();
  return clean;
}

metric_names translate_metric_name(std::string_view name, std::string_view unit, bool counter,
                                   bool is_gauge, bool unit_suffixes) {
  metric_names n;
  append_metric_name(n.family, name);
  constexpr std::string_view total = "_total";
  if (counter && n.family.size() > total.size() && n.family.ends_with(total))
    n.family.resize(n.family.size() - total.size());
  if (unit_suffixes) n.unit = unit_word(unit, is_gauge);
  if (!n.unit.empty()) {
    const bool has_suffix = n.family.size() > n.unit.size() && n.family.ends_with(n.unit) &&
                            n.family[n.family.size() - n.unit.size() - 1] == '_';
    if (!has_suffix) {
      if (n.family.back() != '_') n.family += '_';
      n.family += n.unit;
    }
  }
  return n;
}

}  // namespace agtel::exporter::prometheus
