// The SDK's configuration: one plain struct, filled from three layers, each overriding
// the one before it key by key:
//
//   code defaults (this struct)  <  YAML file  <  OTEL_* environment variables
//
//   agtel::sdk_config cfg = agtel::load_config();      // defaults, AGTEL_CONFIG_FILE, env
//   cfg.service_name = "planner";                       // or adjust in code, then
//   agtel::sdk::init(cfg);                              // (agtel/sdk/init.hpp)
//
// Nothing here throws. A bad value (an unparseable number, an unknown sampler, a YAML key
// of the wrong type) is reported through the diagnostic handler with the name of the
// variable or key, the bad value and what is used instead, and that one setting keeps the
// value of the layer below; the rest of the configuration still applies.
//
// Environment variables follow the OpenTelemetry rules: an empty value is the same as
// unset; enum values are case-insensitive; booleans are true only for "true"
// (case-insensitive); numbers are decimal integers in [0, 2^31-1] (durations and timeouts
// in milliseconds); OTEL_RESOURCE_ATTRIBUTES is `key=value,...` with percent-encoding, and
// is ignored as a whole if any entry is invalid.
//
// The YAML file mirrors the struct (agtel's own schema):
//
//   disabled: false
//   service: { name: coder, attributes: { deployment.environment.name: prod } }
//   traces:
//     sampler: { name: parentbased_traceidratio, arg: 0.25 }
//     exporter: console                     # or a list: [console, otlp]; none for no exporter
//     console: { format: tree }             # tree | json
//     batch: { schedule_delay_ms: 5000, export_timeout_ms: 30000, max_queue_size: 2048,
//              max_export_batch_size: 512 }
//     limits: { attribute_count: 128, attribute_value_length: 4096, event_count: 128,
//               link_count: 128, attributes_per_event: 128, attributes_per_link: 128 }
//   propagators: [tracecontext, baggage]
//
// Unknown keys are reported (a typo must not silently do nothing) and ignored.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agtel/common/attribute.hpp"
#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/span_limits.hpp"

namespace agtel {

struct sdk_config {
  // The spec's sampler names (OTEL_TRACES_SAMPLER).
  enum class sampler_kind {
    always_on,
    always_off,
    traceidratio,
    parentbased_always_on,
    parentbased_always_off,
    parentbased_traceidratio,
  };
  enum class exporter_kind { console, otlp };
  enum class console_format { tree, json };

  // OTEL_SDK_DISABLED / `disabled`: init installs nothing (the API stays no-op).
  bool disabled = false;

  // OTEL_SERVICE_NAME / `service.name`. Empty: the resource's default,
  // "unknown_service:<executable>". Wins over a service.name resource attribute.
  std::string service_name;
  // OTEL_RESOURCE_ATTRIBUTES / `service.attributes`: string-valued resource attributes,
  // merged over the SDK's default resource. The environment's entries are merged over the
  // file's, key by key.
  attribute_list resource_attributes;

  // OTEL_TRACES_SAMPLER / `traces.sampler.name`.
  sampler_kind sampler = sampler_kind::parentbased_always_on;
  // OTEL_TRACES_SAMPLER_ARG / `traces.sampler.arg`: the probability, in [0, 1], used by
  // the two traceidratio samplers (ignored by the others).
  double sampler_ratio = 1.0;

  // OTEL_TRACES_EXPORTER / `traces.exporter`: each gets its own batch processor. Empty
  // means "none". otlp is the spec's default; a build without the OTLP exporter reports
  // that at init and exports nothing for it.
  std::vector<exporter_kind> traces_exporters = {exporter_kind::otlp};
  // AGTEL_CONSOLE_FORMAT / `traces.console.format`: a span tree per trace for people, or
  // one JSON object per span for tools.
  console_format console = console_format::tree;

  // OTEL_BSP_* / `traces.batch.*`.
  trace::batch_span_processor_options batch;
  // OTEL_SPAN_*_LIMIT, OTEL_{EVENT,LINK}_ATTRIBUTE_COUNT_LIMIT, and the general
  // OTEL_ATTRIBUTE_{COUNT,VALUE_LENGTH}_LIMIT under them / `traces.limits.*`.
  trace::span_limits limits;

  // OTEL_PROPAGATORS / `propagators`: lower-case names, duplicates removed, in order.
  std::vector<std::string> propagators = {"tracecontext", "baggage"};
};

// `base` with every OTEL_* (and AGTEL_CONSOLE_FORMAT) variable that is set applied on top.
sdk_config config_from_env(sdk_config base = {}) noexcept;

// `base` with the file's settings applied on top. nullopt (and a diagnostic naming the file,
// line and column) when the file cannot be read or is not YAML at all; bad individual keys
// only cost their own setting. Files over 1 MiB, and documents nested deeper than 64
// levels, are refused.
std::optional<sdk_config> config_from_yaml_file(const std::filesystem::path& path,
                                                sdk_config base = {}) noexcept;
std::optional<sdk_config> config_from_yaml_string(std::string_view yaml,
                                                  sdk_config base = {}) noexcept;

// The whole chain: defaults, then the YAML file (`yaml_file`, else the AGTEL_CONFIG_FILE
// variable, else none), then the environment. A file that cannot be used is reported and
// skipped: the environment still applies.
sdk_config load_config(std::optional<std::filesystem::path> yaml_file = std::nullopt) noexcept;

// The configuration spellings ("parentbased_traceidratio", "console", "json").
std::string_view to_string(sdk_config::sampler_kind k) noexcept;
std::string_view to_string(sdk_config::exporter_kind k) noexcept;
std::string_view to_string(sdk_config::console_format f) noexcept;

}  // namespace agtel
