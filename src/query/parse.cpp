// parse_matcher and parse_aggregate: the text forms the CLI (and later PromQL) accepts.
#include <cctype>
#include <charconv>

#include "query/query.hpp"

namespace agtel::query {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// A quoted value: 'text' or "text", backslash escaping the quote and itself.
bool unquote(std::string_view s, std::string& out, std::string& error) {
  const char quote = s.front();
  out.clear();
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == quote) {
      if (i + 1 != s.size()) {
        error = "unexpected text after the closing quote: " + std::string(s.substr(i + 1));
        return false;
      }
      return true;
    }
    if (c == '\\' && i + 1 < s.size()) c = s[++i];
    out.push_back(c);
  }
  error = "unterminated quoted value: " + std::string(s);
  return false;
}

}  // namespace

bool parse_matcher(std::string_view text, label_matcher& out, std::string& error) {
  const size_t at = text.find_first_of("=!");
  if (at == std::string_view::npos) {
    error = "bad matcher \"" + std::string(text) + "\": expected k=v, k!=v, k=~re or k!~re";
    return false;
  }
  label_matcher m;
  m.name = std::string(trim(text.substr(0, at)));
  size_t value_at = at + 1;
  if (text[at] == '!') {
    if (at + 1 >= text.size() || (text[at + 1] != '=' && text[at + 1] != '~')) {
      error = "bad matcher \"" + std::string(text) + "\": expected != or !~";
      return false;
    }
    m.kind = text[at + 1] == '=' ? label_matcher::op::not_equal : label_matcher::op::not_regex;
    value_at = at + 2;
  } else if (at + 1 < text.size() && text[at + 1] == '~') {
    m.kind = label_matcher::op::regex;
    value_at = at + 2;
  } else {
    m.kind = label_matcher::op::equal;
  }
  if (m.name.empty()) {
    error = "bad matcher \"" + std::string(text) + "\": the label name is empty";
    return false;
  }
  for (char c : m.name) {
    if (c == '"' || c == '\'' || std::isspace(static_cast<unsigned char>(c))) {
      error = "bad matcher \"" + std::string(text) + "\": bad character in the label name";
      return false;
    }
  }
  std::string_view value = text.substr(value_at);
  std::string_view trimmed = trim(value);
  if (!trimmed.empty() && (trimmed.front() == '"' || trimmed.front() == '\'')) {
    if (!unquote(trimmed, m.value, error)) {
      error = "bad matcher \"" + std::string(text) + "\": " + error;
      return false;
    }
  } else {
    m.value = std::string(value);  // unquoted: as written (spaces are data)
  }
  out = std::move(m);
  return true;
}

bool parse_aggregate(std::string_view text, aggregate& out, std::string& error) {
  std::string t(trim(text));
  for (char& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::pair<std::string_view, aggregation> names[] = {
      {"sum", aggregation::sum},     {"avg", aggregation::avg},
      {"min", aggregation::min},     {"max", aggregation::max},
      {"count", aggregation::count}, {"last", aggregation::last}};
  for (const auto& [name, op] : names) {
    if (t == name) {
      out = aggregate{op, 0};
      return true;
    }
  }
  const std::string accepted = "sum, avg, min, max, count, last or a percentile p0..p100 (p95, p99.9)";
  if (t.size() >= 2 && t[0] == 'p') {
    // Digits with at most one '.', nothing else: from_chars alone would take "1e2", "inf".
    bool ok = std::isdigit(static_cast<unsigned char>(t[1])) != 0;
    int dots = 0;
    for (size_t i = 1; ok && i < t.size(); ++i) {
      if (t[i] == '.') ok = ++dots == 1 && i + 1 < t.size();
      else ok = std::isdigit(static_cast<unsigned char>(t[i])) != 0;
    }
    double percent = 0;
    if (ok) {
      auto [end, ec] = std::from_chars(t.data() + 1, t.data() + t.size(), percent);
      ok = ec == std::errc() && end == t.data() + t.size();
    }
    if (ok && percent > 100) {
      error = "percentile out of range: " + std::string(text) + " (p0..p100)";
      return false;
    }
    if (ok) {
      out = aggregate{aggregation::quantile, percent / 100};
      return true;
    }
  }
  error = "unknown aggregation \"" + std::string(text) + "\": expected " + accepted;
  return false;
}

}  // namespace agtel::query
