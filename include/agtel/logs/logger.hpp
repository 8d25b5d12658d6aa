// A logger emits log records for one instrumentation scope ("agtel.agent", "my_runtime").
//
// One call does everything: check the severity against the provider's minimum (one
// relaxed load, inline, so a disabled call costs about a nanosecond), take a record from
// the pool, copy the body and attributes, stamp observed_time (and time, unless given),
// attach the current span's trace id, span id and flags, and hand the record to the
// processors (the batch processor queues it without blocking).
//
//   auto log = agtel::logs::get_logger("my_runtime");
//   log.emit(logs::severity::warn, "tool timed out", {{"tool.name", "grep"}});
//   if (log.enabled(logs::severity::debug)) log.emit(logs::severity::debug, expensive());
//   log.emit({.severity_number = logs::severity::error, .severity_text = "E",
//             .body = 42, .event_name = "agent.step.failed",
//             .attributes = {{"step", 3}}, .context = &captured});
//
// `logger` is a cheap handle (two pointers) from a logger_provider; copy it freely and
// keep it. A default-constructed logger, or one from a shut-down provider, is disabled.
// Thread-safe; no method throws (under memory pressure a record is dropped and reported).
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>

#include "agtel/common/attribute.hpp"
#include "agtel/common/time.hpp"
#include "agtel/context/context.hpp"
#include "agtel/logs/log_record_data.hpp"

namespace agtel::logs {

namespace detail {
class logger_core;
}

// The fuller form of a record, for designated initializers. Everything is borrowed for
// the duration of the emit call.
struct log_record {
  severity severity_number = severity::unspecified;  // any value 0..24
  std::string_view severity_text = {};  // the source's own level name ("warning"); may be empty
  std::optional<attribute_value_view> body = std::nullopt;  // any attribute type; none when empty
  std::string_view event_name = {};                         // OTLP LogRecord.event_name
  std::initializer_list<attribute_view> attributes = {};
  timestamp_ns time = 0;  // when the event happened; 0 means now
  // The trace context to attach. Null: the calling thread's current context (for records
  // emitted on behalf of work captured elsewhere, pass that work's context).
  const agtel::context* context = nullptr;
};

class logger {
 public:
  logger() noexcept = default;

  // False when a record of this severity would be discarded: the provider's minimum is
  // above it, the provider has no processors or shut down, or this is a no-op logger.
  // Records of unspecified severity pass any minimum.
  bool enabled(severity s = severity::unspecified) const noexcept {
    if (!threshold_) return false;
    const auto n = s == severity::unspecified ? uint8_t{24} : static_cast<uint8_t>(s);
    return n >= threshold_->load(std::memory_order_relaxed);
  }

  // The common case: a severity, a text body, attributes.
  void emit(severity s, std::string_view body,
            std::initializer_list<attribute_view> attributes = {}) const noexcept {
    if (enabled(s))
      emit_enabled({.severity_number = s, .body = body, .attributes = attributes}, {});
  }
  // The full form. `more_attributes` adds a list built at run time (a bridge's fields).
  void emit(const log_record& record,
            std::span<const attribute_view> more_attributes = {}) const noexcept {
    if (enabled(record.severity_number)) emit_enabled(record, more_attributes);
  }

 private:
  friend class detail::logger_core;
  logger(const detail::logger_core* core, const std::atomic<uint16_t>* threshold) noexcept
      : core_(core), threshold_(threshold) {}
  void emit_enabled(const log_record& record, std::span<const attribute_view> more) const noexcept;

  const detail::logger_core* core_ = nullptr;
  // The provider's lowest emitted severity number; 256 (above every severity byte): nothing
  // is emitted.
  const std::atomic<uint16_t>* threshold_ = nullptr;
};

}  // namespace agtel::logs
