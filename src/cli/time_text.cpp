#include "time_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace agtel::cli {
namespace {

constexpr uint64_t ns_per_s = 1'000'000'000;

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Reads exactly `n` digits at s[i...]; advances i.
bool digits(std::string_view s, size_t& i, size_t n, unsigned& out) noexcept {
  if (i + n > s.size()) return false;
  out = 0;
  for (size_t k = 0; k < n; ++k) {
    const char c = s[i + k];
    if (c < '0' || c > '9') return false;
    out = out * 10 + static_cast<unsigned>(c - '0');
  }
  i += n;
  return true;
}

bool expect(std::string_view s, size_t& i, char c) noexcept {
  if (i >= s.size() || (s[i] != c && !(c == 'T' && (s[i] == 't' || s[i] == ' ')))) return false;
  ++i;
  return true;
}

bool parse_rfc3339(std::string_view s, timestamp_ns& out) noexcept {
  size_t i = 0;
  unsigned year, month, day, hour, minute, second;
  if (!digits(s, i, 4, year) || !expect(s, i, '-') || !digits(s, i, 2, month) ||
      !expect(s, i, '-') || !digits(s, i, 2, day) || !expect(s, i, 'T') || !digits(s, i, 2, hour) ||
      !expect(s, i, ':') || !digits(s, i, 2, minute) || !expect(s, i, ':') ||
      !digits(s, i, 2, second))
    return false;
  static constexpr unsigned month_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] ||
      (month == 2 && day == 29 && !leap) || hour > 23 || minute > 59 || second > 60)
    return false;
  uint64_t fraction_ns = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t n = 0;
    uint64_t scale = ns_per_s;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      if (scale > 1) {
        scale /= 10;
        fraction_ns += static_cast<uint64_t>(s[i] - '0') * scale;
      }
      ++i;
      ++n;
    }
    if (n == 0) return false;
  }
  int64_t offset_s = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
    ++i;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    const int sign = s[i] == '-' ? -1 : 1;
    ++i;
    unsigned oh, om;
    if (!digits(s, i, 2, oh) || !expect(s, i, ':') || !digits(s, i, 2, om) || oh > 23 || om > 59)
      return false;
    offset_s = sign * static_cast<int64_t>(oh * 3600 + om * 60);
  } else {
    return false;  // RFC 3339 requires the offset
  }
  if (i != s.size()) return false;
  const int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                          std::min(second, 59u) - offset_s;
  // timestamp_ns is unsigned 64-bit nanoseconds: 1970 to 2554; keep to what fits.
  if (seconds < 0 || static_cast<uint64_t>(seconds) > UINT64_MAX / ns_per_s - 1) return false;
  out = static_cast<uint64_t>(seconds) * ns_per_s + fraction_ns;
  return true;
}

}  // namespace

std::string format_utc(timestamp_ns t) {
  const std::time_t seconds = static_cast<std::time_t>(t / ns_per_s);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[48];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ",
                              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                              tm.tm_sec, static_cast<unsigned>(t % ns_per_s / 1'000'000));
  return std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
}

bool parse_duration_ns(std::string_view text, uint64_t& out) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end == text.data() || !std::isfinite(v) || v < 0) return false;
  const std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
  double scale;
  if (unit == "ns")
    scale = 1;
  else if (unit == "us" || unit == "µs")
    scale = 1e3;
  else if (unit == "ms")
    scale = 1e6;
  else if (unit == "s")
    scale = 1e9;
  else if (unit == "m")
    scale = 60e9;
  else if (unit == "h")
    scale = 3600e9;
  else if (unit == "d")
    scale = 86400e9;
  else
    return false;
  const double ns = v * scale;
  if (ns >= 18446744073709549568.0) return false;  // the largest double below 2^64
  out = static_cast<uint64_t>(ns);
  return true;
}

bool parse_time_point(std::string_view text, timestamp_ns now, timestamp_ns& out) {
  if (parse_rfc3339(text, out)) return true;
  uint64_t ago;
  if (!parse_duration_ns(text, ago)) return false;
  out = ago >= now ? 0 : now - ago;
  return true;
}

}  // namespace agtel::cli
