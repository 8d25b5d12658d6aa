// For the configuration and init tests: a clean environment and captured diagnostics, each
// for the lifetime of a fixture member.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "support/test_support.hpp"

namespace agtel::test {

// Every environment variable the configuration reads (src/config) that a test may set.
inline constexpr const char* config_variables[] = {
    "OTEL_SDK_DISABLED",
    "OTEL_SERVICE_NAME",
    "OTEL_RESOURCE_ATTRIBUTES",
    "OTEL_LOG_LEVEL",
    "OTEL_PROPAGATORS",
    "OTEL_TRACES_SAMPLER",
    "OTEL_TRACES_SAMPLER_ARG",
    "OTEL_TRACES_EXPORTER",
    "OTEL_METRICS_EXPORTER",
    "OTEL_LOGS_EXPORTER",
    "OTEL_BSP_SCHEDULE_DELAY",
    "OTEL_BSP_EXPORT_TIMEOUT",
    "OTEL_BSP_MAX_QUEUE_SIZE",
    "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
    "OTEL_BLRP_SCHEDULE_DELAY",
    "OTEL_BLRP_EXPORT_TIMEOUT",
    "OTEL_BLRP_MAX_QUEUE_SIZE",
    "OTEL_BLRP_MAX_EXPORT_BATCH_SIZE",
    "OTEL_METRIC_EXPORT_INTERVAL",
    "OTEL_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    "OTEL_SPAN_EVENT_COUNT_LIMIT",
    "OTEL_SPAN_LINK_COUNT_LIMIT",
    "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_EXPORTER_OTLP_TIMEOUT",
    "OTEL_EXPORTER_OTLP_HEADERS",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE",
    "OTEL_EXPORTER_PROMETHEUS_PORT",
    "AGTEL_CONFIG_FILE",
    "AGTEL_CONSOLE_FORMAT",
    "AGTEL_JSONL_DIRECTORY",
    "AGTEL_JSONL_MAX_FILE_BYTES",
    "AGTEL_JSONL_MAX_FILES",
    "AGTEL_JSONL_ROTATE_INTERVAL",
};

// Unsets every one of config_variables while alive; set() sets one more until then (or
// until unset_all()). Everything is restored afterwards.
class clean_config_env {
 public:
  clean_config_env() {
    for (const char* name : config_variables)
      cleared_.push_back(std::make_unique<scoped_env>(name, std::nullopt));
  }
  void set(std::string name, std::string value) {
    set_.push_back(std::make_unique<scoped_env>(std::move(name), std::move(value)));
  }
  // Undoes every set().
  void unset_all() { set_.clear(); }

 private:
  // set_ is destroyed first: its variables go back to unset, then to their old values.
  std::vector<std::unique_ptr<scoped_env>> cleared_, set_;
};

// Sends diagnostics of every level to `handler` while alive, with a fresh rate limiter;
// the stderr handler afterwards.
class capture_diagnostics {
 public:
  explicit capture_diagnostics(diag_handler handler) {
    reset();
    set_diagnostic_handler(std::move(handler));
  }
  ~capture_diagnostics() {
    set_diagnostic_handler(nullptr);
    detail::reset_diagnostics_for_testing();
  }
  capture_diagnostics(const capture_diagnostics&) = delete;
  capture_diagnostics& operator=(const capture_diagnostics&) = delete;

  // Forgets the rate limiter's count (10 per window), so that a loop over many bad inputs
  // sees every message.
  static void reset() {
    detail::reset_diagnostics_for_testing();
    set_diagnostic_level(diag_level::debug);
  }
};

}  // namespace agtel::test
