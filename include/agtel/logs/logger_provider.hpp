// The logs SDK's root: it owns the resource, the record limits, the minimum severity and
// the processors, and hands out loggers.
//
//   agtel::logs::logger_provider_options opts;
//   opts.resource = agtel::resource::sdk_default().merge(my_resource);
//   opts.processors.push_back(std::make_unique<agtel::logs::batch_log_record_processor>(
//       std::move(exporter)));
//   auto provider = std::make_shared<agtel::logs::logger_provider>(std::move(opts));
//   agtel::logs::set_global_logger_provider(provider);
//   auto log = agtel::logs::get_logger("my_runtime", "1.2.0");
//
// Lifetime: loggers and records point into their provider; keep the provider alive while
// they are used (the global slot keeps every provider ever installed alive until exit, so
// loggers obtained from it never dangle). Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string_view>
#include <vector>

#include "agtel/common/resource.hpp"
#include "agtel/common/result.hpp"
#include "agtel/logs/log_record_limits.hpp"
#include "agtel/logs/log_record_processor.hpp"
#include "agtel/logs/logger.hpp"

namespace agtel::logs {

struct logger_provider_options {
  agtel::resource resource = agtel::resource::sdk_default();
  log_record_limits limits;
  // Records below this severity are discarded before any work (unspecified: keep all).
  // Records of unspecified severity are always kept.
  severity minimum_severity = severity::unspecified;
  // Every processor sees every record, in this order.
  std::vector<std::unique_ptr<log_record_processor>> processors;
};

class logger_provider {
 public:
  explicit logger_provider(logger_provider_options options = {});
  ~logger_provider();  // shuts down (with a 5 s deadline) if not done yet
  logger_provider(const logger_provider&) = delete;
  logger_provider& operator=(const logger_provider&) = delete;

  // The same (name, version, schema_url) returns the same logger. An empty name is
  // allowed (the spec says: use it, and warn) and reported.
  logger get_logger(std::string_view name, std::string_view version = {},
                    std::string_view schema_url = {});

  // Changes the minimum severity for every logger of this provider, at once.
  void set_minimum_severity(severity minimum) noexcept;
  severity minimum_severity() const noexcept;

  sdk_result force_flush(std::chrono::milliseconds timeout = std::chrono::seconds(5)) noexcept;
  // Flushes and shuts every processor down within `timeout` in total; afterwards every
  // logger of this provider is disabled.
  sdk_result shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(5)) noexcept;

  const agtel::resource& resource() const noexcept;
  const log_record_limits& limits() const noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

// The process-wide provider. Until one is set, loggers are disabled.
void set_global_logger_provider(std::shared_ptr<logger_provider> provider) noexcept;
std::shared_ptr<logger_provider> global_logger_provider() noexcept;
// A logger from the global provider (a disabled logger when none is set). Keep the
// handle: it stays bound to the provider that was global when it was taken.
logger get_logger(std::string_view name, std::string_view version = {},
                  std::string_view schema_url = {});

}  // namespace agtel::logs
