#include "export/prometheus/negotiation.hpp"

#include <charconv>
#include <optional>

#include "sdk/common/detail/ascii.hpp"

namespace agtel::exporter::prometheus {
namespace {

using agtel::detail::iequals;
using agtel::detail::trim;

// Splits off the next element of a comma-separated list.
std::string_view next_item(std::string_view& list) noexcept {
  size_t comma = list.find(',');
  std::string_view item = list.substr(0, comma);
  list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  return trim(item);
}

// A q-value ("0", "0.5", "1", "1.000"); nullopt when malformed.
std::optional<double> parse_q(std::string_view v) noexcept {
  v = trim(v);
  if (v.empty() || v.size() > 5) return std::nullopt;
  double q = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), q);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size() || q < 0 || q > 1) return std::nullopt;
  return q;
}

struct media_range {
  std::string_view type, subtype;
  std::string_view version;  // the `version` parameter, if any
  double q = 1;
  bool valid = false;
};

media_range parse_range(std::string_view item) noexcept {
  media_range r;
  size_t semi = item.find(';');
  std::string_view mime = trim(item.substr(0, semi));
  size_t slash = mime.find('/');
  if (slash == std::string_view::npos) return r;
  r.type = trim(mime.substr(0, slash));
  r.subtype = trim(mime.substr(slash + 1));
  if (r.type.empty() || r.subtype.empty()) return r;
  std::string_view params = semi == std::string_view::npos ? "" : item.substr(semi + 1);
  while (!params.empty()) {
    size_t next = params.find(';');
    std::string_view p = trim(params.substr(0, next));
    params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
    size_t eq = p.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = trim(p.substr(0, eq)), value = trim(p.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    if (iequals(key, "q")) {
      auto q = parse_q(value);
      if (!q) return r;  // a malformed q-value invalidates the range
      r.q = *q;
    } else if (iequals(key, "version")) {
      r.version = value;
    }
  }
  r.valid = true;
  return r;
}

// How specifically `r` matches type/subtype with acceptable `versions`: 3 exact with a
// matching version, 2 exact without version, 1 type/*, 0 */*, -1 no match.
int match(const media_range& r, std::string_view type, std::string_view subtype,
          std::initializer_list<std::string_view> versions) noexcept {
  if (r.type == "*" && r.subtype == "*") return 0;
  if (!iequals(r.type, type)) return -1;
  if (r.subtype == "*") return 1;
  if (!iequals(r.subtype, subtype)) return -1;
  if (r.version.empty()) return 2;
  for (std::string_view v : versions)
    if (r.version == v) return 3;
  return -1;
}

}  // namespace

prometheus_format negotiate_format(std::string_view accept, bool openmetrics_enabled) noexcept {
  if (!openmetrics_enabled) return prometheus_format::text;
  int om_rank = -1, text_rank = -1;
  double om_q = 0, text_q = 0;
  // The q of the most specific matching range wins; among equally specific ones, the highest.
  const auto consider = [](int rank, double q, int& best_rank, double& best_q) {
    if (rank < 0) return;
    if (rank > best_rank || (rank == best_rank && q > best_q)) {
      best_rank = rank;
      best_q = q;
    }
  };
  std::string_view list = accept;
  int items = 0;
  while (!list.empty() && ++items <= 64) {
    media_range r = parse_range(next_item(list));
    if (!r.valid) continue;
    consider(match(r, "application", "openmetrics-text", {"1.0.0", "0.0.1"}), r.q, om_rank, om_q);
    consider(match(r, "text", "plain", {"0.0.4"}), r.q, text_rank, text_q);
  }
  if (om_rank < 0 || om_q <= 0) return prometheus_format::text;
  if (text_rank < 0 || om_q > text_q) return prometheus_format::openmetrics;
  return prometheus_format::text;
}

bool accepts_gzip(std::string_view accept_encoding) noexcept {
  std::optional<double> gzip_q, star_q;
  std::string_view list = accept_encoding;
  int items = 0;
  while (!list.empty() && ++items <= 64) {
    std::string_view item = next_item(list);
    size_t semi = item.find(';');
    std::string_view coding = trim(item.substr(0, semi));
    double q = 1;
    if (semi != std::string_view::npos) {
      std::string_view p = trim(item.substr(semi + 1));
      size_t eq = p.find('=');
      if (eq == std::string_view::npos || !iequals(trim(p.substr(0, eq)), "q")) continue;
      auto parsed = parse_q(p.substr(eq + 1));
      if (!parsed) continue;
      q = *parsed;
    }
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
      gzip_q = std::max(gzip_q.value_or(0), q);
    } else if (coding == "*") {
      star_q = q;
    }
  }
  if (gzip_q) return *gzip_q > 0;
  return star_q && *star_q > 0;
}

}  // namespace agtel::exporter::prometheus
