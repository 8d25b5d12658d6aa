#include "agtel/logs/bridge.hpp"

#include <algorithm>
#include <array>

namespace agtel::logs {

level_point level_scale::map(int level) const noexcept {
  if (points_.empty()) return {level, severity::unspecified, {}};
  // Read every scale as counting up in severity.
  const bool up = points_.back().level >= points_.front().level;
  const auto key = [up](int l) {
    return up ? static_cast<long long>(l) : -static_cast<long long>(l);
  };
  const level_point* at = nullptr;  // the most severe point the level reaches
  for (const level_point& p : points_)
    if (key(p.level) <= key(level)) at = &p;
  if (!at) return {level, severity::unspecified, {}};
  const long long past = key(level) - key(at->level);
  if (past == 0) return *at;
  // One finer severity per level past the point, staying inside the point's range of four.
  const int base = static_cast<int>(at->number);
  const int range_top = base == 0 ? 0 : ((base - 1) / 4) * 4 + 4;
  const int n = std::min<long long>(std::min<long long>(base + past, base + 3), range_top);
  return {level, static_cast<severity>(n), {}};
}

severity severity_from_name(std::string_view name) noexcept {
  const auto equal = [name](std::string_view known) {
    return std::equal(name.begin(), name.end(), known.begin(), known.end(), [](char a, char b) {
      return (a >= 'a' && a <= 'z' ? a - 'a' + 'A' : a) == b;
    });
  };
  for (int n = 1; n <= 24; ++n)
    if (equal(short_name(static_cast<severity>(n)))) return static_cast<severity>(n);
  struct alias {
    std::string_view name;
    severity number;
  };
  static constexpr std::array<alias, 12> aliases = {{{"WARNING", severity::warn},
                                                     {"ERR", severity::error},
                                                     {"INFORMATION", severity::info},
                                                     {"INFORMATIONAL", severity::info},
                                                     {"NOTICE", severity(10)},
                                                     {"CRITICAL", severity::fatal},
                                                     {"CRIT", severity::fatal},
                                                     {"ALERT", severity(22)},
                                                     {"EMERG", severity(23)},
                                                     {"EMERGENCY", severity(23)},
                                                     {"PANIC", severity::fatal},
                                                     {"VERBOSE", severity::trace}}};
  for (const alias& a : aliases)
    if (equal(a.name)) return a.number;
  return severity::unspecified;
}

bool bridge_enabled(const level_scale& scale, int level) noexcept {
  return bridge_logger().enabled(scale.map(level).number);
}

void bridge_log(const level_scale& scale, int level, std::string_view message,
                std::span<const attribute_view> attributes) noexcept {
  const logger log = bridge_logger();
  if (!log.enabled()) return;  // nothing installed: skip the mapping
  const level_point p = scale.map(level);
  log.emit({.severity_number = p.number, .severity_text = p.name, .body = message}, attributes);
}

void bridge_log(std::string_view level_name, std::string_view message,
                std::span<const attribute_view> attributes) noexcept {
  const logger log = bridge_logger();
  if (!log.enabled()) return;
  log.emit({.severity_number = severity_from_name(level_name),
            .severity_text = level_name,
            .body = message},
           attributes);
}

}  // namespace agtel::logs
