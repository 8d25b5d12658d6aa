// Label lookups on a sorted label_set (series.hpp).
#pragma once

#include <algorithm>
#include <string_view>

#include "query/series.hpp"

namespace agtel::query {

// The value of `name`, "" when the set has no such label (Prometheus: missing == empty).
inline std::string_view label_value(const label_set& labels, std::string_view name) {
  auto it = std::lower_bound(labels.begin(), labels.end(), name,
                             [](const auto& label, std::string_view n) { return label.first < n; });
  if (it == labels.end() || it->first != name) return {};
  return it->second;
}

}  // namespace agtel::query
