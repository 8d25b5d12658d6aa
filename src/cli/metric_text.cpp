#include "metric_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace agtel::cli {

bool parse_label_list(std::string_view text, std::vector<query::label_matcher>& out,
                      std::string& error) {
  size_t begin = 0;
  char quote = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    const bool at_end = i == text.size();
    const char c = at_end ? ',' : text[i];
    if (!at_end && quote) {
      if (c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if (!at_end && (c == '"' || c == '\'')) {
      quote = c;
      continue;
    }
    if (c != ',') continue;
    if (quote) {
      error = "unterminated quote in '" + std::string(text) + "'";
      return false;
    }
    const std::string_view piece = text.substr(begin, i - begin);
    if (piece.empty()) {
      error = "empty matcher in '" + std::string(text) + "'";
      return false;
    }
    query::label_matcher m;
    if (!query::parse_matcher(piece, m, error)) return false;
    out.push_back(std::move(m));
    begin = i + 1;
  }
  return true;
}

std::string number_text(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  const double a = std::fabs(v);
  if (a != 0 && (a >= 1e12 || a < 1e-4)) std::snprintf(buf, sizeof buf, "%.4g", v);
  else std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

std::string labels_text(const query::label_set& labels) {
  if (labels.empty()) return "(all)";
  std::string out;
  for (const auto& [k, v] : labels) {
    if (!out.empty()) out += ", ";
    out += k + "=" + v;
  }
  return out;
}

std::string sparkline(const std::vector<query::point>& points) {
  static constexpr const char* bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  double lo = INFINITY, hi = -INFINITY;
  for (const query::point& p : points) {
    if (!std::isfinite(p.value)) continue;
    lo = std::min(lo, p.value);
    hi = std::max(hi, p.value);
  }
  std::string out;
  for (const query::point& p : points) {
    if (!std::isfinite(p.value)) {
      out += ' ';
      continue;
    }
    size_t level = 0;
    if (hi > lo) level = static_cast<size_t>(std::lround((p.value - lo) / (hi - lo) * 7));
    out += bars[std::min<size_t>(level, 7)];
  }
  return out;
}

std::string kind_text(const query::metric_info& info) {
  std::string k;
  switch (info.kind) {
    case query::metric_kind::gauge: return "gauge";
    case query::metric_kind::counter: k = "counter"; break;
    case query::metric_kind::up_down: k = "up-down"; break;
    case query::metric_kind::histogram: k = "histogram"; break;
    case query::metric_kind::exponential_histogram: k = "exp-histogram"; break;
  }
  if (info.temporality == query::temporality::delta) k += " (delta)";
  return k;
}

}  // namespace agtel::cli
