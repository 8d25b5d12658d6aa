// selector: compiled label matchers (Prometheus semantics, RE2 regexes).
#include <re2/re2.h>

#include <algorithm>

#include "query/labels.hpp"
#include "query/query.hpp"

namespace agtel::query {

selector::selector() = default;
selector::~selector() = default;
selector::selector(selector&&) noexcept = default;
selector& selector::operator=(selector&&) noexcept = default;

bool selector::compile(const std::vector<label_matcher>& matchers, selector& out,
                       std::string& error) {
  std::vector<compiled> result;
  result.reserve(matchers.size());
  for (const label_matcher& m : matchers) {
    compiled c{m.name, m.kind, m.value, nullptr};
    if (m.kind == label_matcher::op::regex || m.kind == label_matcher::op::not_regex) {
      RE2::Options options;
      options.set_log_errors(false);  // the message goes to the caller, not to stderr
      // Anchored as Prometheus does (^(?:re)$); FullMatch would anchor too, but the
      // explicit group keeps "a|b" meaning ^(?:a|b)$ wherever the regex is reused.
      c.regex = std::make_unique<RE2>("^(?:" + m.value + ")$", options);
      if (!c.regex->ok()) {
        error = "bad regex for " + m.name + ": " + c.regex->error() + ": " + m.value;
        return false;
      }
    }
    result.push_back(std::move(c));
  }
  out.matchers_ = std::move(result);
  return true;
}

bool selector::matches(const label_set& labels) const {
  for (const compiled& m : matchers_) {
    const std::string_view value = label_value(labels, m.name);  // "" when missing
    bool ok = false;
    switch (m.kind) {
      case label_matcher::op::equal: ok = value == m.value; break;
      case label_matcher::op::not_equal: ok = value != m.value; break;
      case label_matcher::op::regex:
        ok = RE2::FullMatch(re2::StringPiece(value.data(), value.size()), *m.regex);
        break;
      case label_matcher::op::not_regex:
        ok = !RE2::FullMatch(re2::StringPiece(value.data(), value.size()), *m.regex);
        break;
    }
    if (!ok) return false;
  }
  return true;
}

}  // namespace agtel::query
