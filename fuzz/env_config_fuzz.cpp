// libFuzzer target for the environment reader (src/config/env_config.cpp).
//
// The input is split at '\n' into values for the OTEL_* variables below, in order (NUL
// bytes, which an environment cannot hold, are dropped). Any values must yield a
// configuration within its documented ranges, without crashing or throwing, and
// diagnostics without raw control bytes.
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "agtel/diagnostics.hpp"
#include "agtel/sdk/config.hpp"

namespace {

const char* const variables[] = {
    "OTEL_RESOURCE_ATTRIBUTES",
    "OTEL_TRACES_SAMPLER",
    "OTEL_TRACES_SAMPLER_ARG",
    "OTEL_TRACES_EXPORTER",
    "OTEL_PROPAGATORS",
    "OTEL_BSP_MAX_QUEUE_SIZE",
    "OTEL_BSP_SCHEDULE_DELAY",
    "OTEL_BSP_EXPORT_TIMEOUT",
    "OTEL_BSP_MAX_EXPORT_BATCH_SIZE",
    "OTEL_SDK_DISABLED",
    "OTEL_SERVICE_NAME",
    "OTEL_ATTRIBUTE_COUNT_LIMIT",
    "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT",
    "AGTEL_CONSOLE_FORMAT",
};

void check_message(agtel::diag_level, std::string_view, std::string_view message) {
  for (char c : message)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  agtel::set_diagnostic_handler(check_message);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  agtel::detail::reset_diagnostics_for_testing();
  agtel::set_diagnostic_level(agtel::diag_level::debug);
  std::string_view in(reinterpret_cast<const char*>(data), size);
  for (const char* name : variables) {
    size_t nl = in.find('\n');
    std::string value(in.substr(0, nl));
    std::erase(value, '\0');
    setenv(name, value.c_str(), 1);
    in = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  }
  agtel::sdk_config c = agtel::config_from_env();
  if (!(c.sampler_ratio >= 0.0 && c.sampler_ratio <= 1.0)) __builtin_trap();
  if (c.batch.max_queue_size == 0 || c.batch.max_queue_size > (1u << 20)) __builtin_trap();
  if (c.batch.max_export_batch_size == 0) __builtin_trap();
  if (c.batch.schedule_delay.count() < 0 || c.batch.export_timeout.count() < 0) __builtin_trap();
  for (const auto& attr : c.resource_attributes)
    if (attr.key.empty()) __builtin_trap();
  for (const char* name : variables) unsetenv(name);
  return 0;
}
