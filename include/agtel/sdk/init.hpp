// One call sets the SDK (traces, metrics, logs) up from configuration; one call flushes and
// stops it.
//
//   int main() {
//     agtel::sdk::init();        // defaults < AGTEL_CONFIG_FILE (YAML) < OTEL_* variables
//     auto tracer = agtel::trace::get_tracer("my_runtime", "1.2.0");
//     ...
//     agtel::sdk::shutdown();    // exports what is still queued
//   }
//
// init builds a tracer_provider (resource: the SDK default, then the configured resource
// attributes, then the service name; the sampler; the span limits; one batch processor per
// exporter), a meter_provider (one reader per metrics exporter) and a logger_provider (the
// same resource, the log record limits, one batch processor per logs exporter), installs
// them as the global providers (the meter and logger providers only when they have an
// exporter), and installs the configured propagator as the global propagator. Problems (an unknown
// exporter, an exporter missing from this build) are reported through the diagnostic handler; init
// never throws.
//
// Idempotent: while initialized, init does nothing and returns the provider it already
// installed (reported at debug level). After shutdown, init may run again. Thread-safe.
#pragma once

#include <chrono>
#include <memory>

#include "agtel/common/result.hpp"
#include "agtel/sdk/config.hpp"
#include "agtel/trace/tracer_provider.hpp"

namespace agtel::sdk {

// init(load_config()), except that the configuration is not read again when already
// initialized.
std::shared_ptr<trace::tracer_provider> init() noexcept;

// Returns the installed provider; nullptr when `config.disabled` (nothing is installed
// then, except the propagator, which the spec keeps independent of OTEL_SDK_DISABLED) or
// when building the SDK failed (out of memory, reported).
std::shared_ptr<trace::tracer_provider> init(const sdk_config& config) noexcept;

// Flushes and shuts down the providers that init installed (traces, then logs, then
// metrics), within `timeout` in total. Tracers from them then start non-recording spans,
// and loggers discard records. already_shutdown when nothing was
// initialized (or shutdown already ran).
sdk_result shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(5)) noexcept;

}  // namespace agtel::sdk
