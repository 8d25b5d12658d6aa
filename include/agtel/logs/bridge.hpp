// The bridge: how an application's existing logging — a function called with a level and
// a message — produces OpenTelemetry log records, carrying the current span's ids.
//
//   // inside the application's own log function:
//   void my_log(int level, std::string_view msg) {
//     ...                                                      // what it did before
//     agtel::logs::bridge_log(agtel::logs::python_levels, level, msg);
//   }
//   agtel::logs::bridge_log("warning", "disk almost full", {{"disk", "/var"}});
//
// One mechanism covers every integer convention: a `level_scale` lists a convention's
// named levels from least to most severe, with the OpenTelemetry severity of each. The
// scale may count up (Python: 10 DEBUG .. 50 CRITICAL) or down (syslog: 7 debug ..
// 0 emerg); which way is read from the points. A level between two points takes the less
// severe point's range and one finer severity per level past it, at most three (Python's
// 25 is INFO4, 11 is DEBUG2), as OpenTelemetry's Python SDK does; past the most severe
// point likewise (capped at the range's fourth value); below the least severe point it is
// `unspecified`. Scales for syslog, spdlog and Python are provided; an application with
// its own enum defines its points the same way.
//
// Records go to the global provider's logger "agtel.bridge", resolved once per provider
// (the call is one atomic load before the logger's own enabled check). Nothing happens
// until a provider is set. Never throws.
#pragma once

#include <initializer_list>
#include <span>
#include <string_view>
#include <type_traits>

#include "agtel/common/attribute.hpp"
#include "agtel/logs/log_record_data.hpp"
#include "agtel/logs/logger.hpp"

namespace agtel::logs {

inline constexpr std::string_view bridge_scope_name = "agtel.bridge";

// One named level of a convention.
struct level_point {
  int level;
  severity number;
  std::string_view name;  // the convention's own name, used as severity_text; may be empty
};

// A convention's levels, least severe first. Borrows `points` (make them static).
class level_scale {
 public:
  constexpr explicit level_scale(std::span<const level_point> points) noexcept : points_(points) {}

  // The severity of `level`, and the point's name as text when `level` is exactly a point.
  level_point map(int level) const noexcept;
  std::span<const level_point> points() const noexcept { return points_; }

 private:
  std::span<const level_point> points_;
};

// syslog (RFC 5424): 7 debug, 6 info, 5 notice (INFO2), 4 warning, 3 err, 2 crit (FATAL),
// 1 alert (FATAL2), 0 emerg (FATAL3).
inline constexpr level_point syslog_points[] = {
    {7, severity::debug, "debug"},  {6, severity::info, "info"}, {5, severity(10), "notice"},
    {4, severity::warn, "warning"}, {3, severity::error, "err"}, {2, severity::fatal, "crit"},
    {1, severity(22), "alert"},     {0, severity(23), "emerg"}};
inline constexpr level_scale syslog_levels{syslog_points};

// spdlog's level enum: trace 0, debug 1, info 2, warn 3, err 4, critical 5 (off 6 is not
// a level: it maps past critical, and callers should not log at it).
inline constexpr level_point spdlog_points[] = {
    {0, severity::trace, "trace"}, {1, severity::debug, "debug"},
    {2, severity::info, "info"},   {3, severity::warn, "warning"},
    {4, severity::error, "error"}, {5, severity::fatal, "critical"}};
inline constexpr level_scale spdlog_levels{spdlog_points};

// Python's logging: 10 DEBUG, 20 INFO, 30 WARNING, 40 ERROR, 50 CRITICAL; 1..9 are TRACE
// levels, 0 (NOTSET) is unspecified.
inline constexpr level_point python_points[] = {
    {1, severity::trace, ""},       {10, severity::debug, "DEBUG"},
    {20, severity::info, "INFO"},   {30, severity::warn, "WARNING"},
    {40, severity::error, "ERROR"}, {50, severity::fatal, "CRITICAL"}};
inline constexpr level_scale python_levels{python_points};

// The severity a level name stands for, case-insensitive: the OpenTelemetry short names
// ("TRACE" .. "FATAL4") and the common spellings (warning, err, information, notice,
// critical, crit, alert, emerg, emergency, panic). `unspecified` when unknown.
severity severity_from_name(std::string_view name) noexcept;

// The global provider's bridge logger (disabled until a provider is set).
logger bridge_logger() noexcept;

// True when a record at this level would be kept: check before building an expensive message.
bool bridge_enabled(const level_scale& scale, int level) noexcept;

// Emits `message` at `level` of `scale`, with the level's name as severity_text.
void bridge_log(const level_scale& scale, int level, std::string_view message,
                std::span<const attribute_view> attributes) noexcept;
inline void bridge_log(const level_scale& scale, int level, std::string_view message,
                       std::initializer_list<attribute_view> attributes = {}) noexcept {
  bridge_log(scale, level, message,
             std::span<const attribute_view>(attributes.begin(), attributes.size()));
}
// An application enum works directly: its underlying value is the level.
template <class Level>
requires std::is_enum_v<Level>
void bridge_log(const level_scale& scale, Level level, std::string_view message,
                std::initializer_list<attribute_view> attributes = {}) noexcept {
  bridge_log(scale, static_cast<int>(level), message, attributes);
}

// Emits `message` at the severity named `level_name` (see severity_from_name), which is
// kept verbatim as severity_text.
void bridge_log(std::string_view level_name, std::string_view message,
                std::span<const attribute_view> attributes) noexcept;
inline void bridge_log(std::string_view level_name, std::string_view message,
                       std::initializer_list<attribute_view> attributes = {}) noexcept {
  bridge_log(level_name, message,
             std::span<const attribute_view>(attributes.begin(), attributes.size()));
}

}  // namespace agtel::logs
