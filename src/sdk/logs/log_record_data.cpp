// The pool behind log_record_ptr (the shared object pool, sdk/common/detail/object_pool.hpp),
// what a recycled record clears, and the severity short names.
#include "agtel/logs/log_record_data.hpp"

#include <array>

#include "sdk/common/detail/object_pool.hpp"

namespace agtel::logs {

struct log_record_pool_access {
  static uint8_t& home(log_record_data& r) noexcept { return r.home_; }
};

namespace {
using pool = agtel::detail::object_pool<log_record_data, log_record_pool_access>;
thread_local pool::thread_cache cache;
}  // namespace

std::string_view short_name(severity s) noexcept {
  static constexpr std::array<std::string_view, 25> names = {
      "",       "TRACE",  "TRACE2", "TRACE3", "TRACE4", "DEBUG",  "DEBUG2", "DEBUG3", "DEBUG4",
      "INFO",   "INFO2",  "INFO3",  "INFO4",  "WARN",   "WARN2",  "WARN3",  "WARN4",  "ERROR",
      "ERROR2", "ERROR3", "ERROR4", "FATAL",  "FATAL2", "FATAL3", "FATAL4"};
  const auto n = static_cast<size_t>(s);
  return n < names.size() ? names[n] : std::string_view();
}

void log_record_data::reset() noexcept {
  time = observed_time = 0;
  severity_number = severity::unspecified;
  severity_text.clear();
  // Keep a string body's capacity: almost every record's body is a string.
  if (auto* text = std::get_if<std::string>(&body))
    text->clear();
  else
    body.emplace<std::string>();
  has_body = false;
  event_name.clear();
  attributes.clear();
  trace_id = {};
  span_id = {};
  trace_flags = {};
  resource = nullptr;
  scope = nullptr;
}

log_record_ptr log_record_ptr::make() {
  log_record_data* r = pool::acquire(cache);
  r->refs_.store(1, std::memory_order_relaxed);
  return adopt(r);
}

void log_record_ptr::recycle(log_record_data* r) noexcept {
  pool::release(cache, r);
}

}  // namespace agtel::logs
