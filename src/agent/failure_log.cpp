// The log record of a failure: every failed operation and every track_error call emits
// one (severity ERROR unless told otherwise), carrying the failed operation's trace and
// span ids so a log search leads to the trace.
//
// The logger is looked up from the global provider on each failure (a lock and a map
// lookup): failures are rare, and this way a newly installed logger provider is used at
// once without a cache on the success path.
#include "agent/emit.hpp"
#include "agtel/agent/semconv.hpp"
#include "agtel/logs/logger_provider.hpp"

namespace agtel::agent::detail {

namespace {
logs::severity severity_of(std::string_view s) noexcept {
  if (s == "fatal" || s == "critical") return logs::severity::fatal;
  if (s == "warning" || s == "warn") return logs::severity::warn;
  if (s == "info") return logs::severity::info;
  if (s == "debug") return logs::severity::debug;
  return logs::severity::error;
}
}  // namespace

void log_failure(std::string_view component, std::string_view error_type, std::string_view severity,
                 std::string_view message, const trace::span_context* span) noexcept {
  try {
    const logs::logger log = logs::get_logger(semconv::scope_name);
    const logs::severity sev = severity_of(severity);
    if (!log.enabled(sev)) return;
    agtel::context ctx;
    if (span && span->is_valid()) ctx = agtel::context::current().with_span(*span);
    log.emit({.severity_number = sev,
              .body = message.empty() ? error_type : message,
              .attributes = {{semconv::attr::component, component},
                             {semconv::attr::error_type, error_type},
                             {semconv::attr::severity, severity}},
              .context = span && span->is_valid() ? &ctx : nullptr});
  } catch (...) {  // out of memory: the log record is lost, the metric and span are not
  }
}

}  // namespace agtel::agent::detail
