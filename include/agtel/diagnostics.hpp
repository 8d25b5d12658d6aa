// The SDK's own diagnostics: what went wrong inside telemetry (an exporter that cannot
// connect, a bad OTEL_* value, a full queue), reported without ever throwing into the
// application.
//
// Messages go to one handler. The default handler writes one line per message to stderr,
//   agtel: <level>: <component>: <message>
// with a single write(2), so lines from several threads never interleave. Repeats are rate
// limited per component: at most 10 messages per component in a 10 second window; the
// rest are counted, and the component's next message after the window ends is preceded by
// one "N messages suppressed" line (the stderr handler also writes that line at exit). The minimum
// level comes from OTEL_LOG_LEVEL (debug|info|warn|error|none, case-insensitive; default info; an
// unknown value is reported once and means info) unless set_diagnostic_level was called.
//
// Every function here is thread-safe and noexcept.
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

namespace agtel {

enum class diag_level { debug = 0, info = 1, warning = 2, error = 3, none = 4 };

using diag_handler =
    std::function<void(diag_level, std::string_view component, std::string_view message)>;

// Replaces the handler (nullptr restores the stderr handler). The handler may be called
// from any thread, one call at a time; it must not throw (an exception is swallowed).
// Messages the handler itself reports through detail::diag are dropped (no recursion).
void set_diagnostic_handler(diag_handler handler) noexcept;

// Sets the minimum level in code; OTEL_LOG_LEVEL is then no longer consulted.
void set_diagnostic_level(diag_level min_level) noexcept;
// The minimum level in effect (reads OTEL_LOG_LEVEL on first use).
diag_level diagnostic_level() noexcept;

// "debug", "info", "warn", "error", "none": the OTEL_LOG_LEVEL spellings.
std::string_view to_string(diag_level level) noexcept;

namespace detail {
// Reports a message, rate-limited per component. Never throws, never blocks on I/O
// beyond the handler's own write.
void diag(diag_level level, std::string_view component, std::string_view message) noexcept;

// For tests: forgets the rate-limit state and any level set in code (so OTEL_LOG_LEVEL is
// read again), and makes the rate limiter read `clock` (nullptr: steady_clock::now).
using diag_clock = std::chrono::steady_clock::time_point (*)() noexcept;
void reset_diagnostics_for_testing(diag_clock clock = nullptr) noexcept;
}  // namespace detail

}  // namespace agtel
