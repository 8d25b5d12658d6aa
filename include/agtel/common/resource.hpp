// The entity that produces telemetry (a service, a process, a host), as attributes.
//
// A provider owns one resource for its lifetime; every span, metric point and log record
// it produces points at it. Spans decoded by the receiver point at a resource owned by the
// batch they came in.
#pragma once

#include <string>

#include "agtel/common/attribute.hpp"

namespace agtel {

struct resource {
  attribute_list attributes;
  std::string schema_url;

  // The SDK's default resource: telemetry.sdk.{name,language,version}, service.name
  // ("unknown_service:<process name>"), process.pid, process.executable.name, host.name.
  // Reads no environment variable: OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME are
  // applied on top by the configuration (agtel/sdk/config.hpp). No schema URL.
  static resource sdk_default();

  // `other` wins where both have a key (the OpenTelemetry merge rule); schema_url is kept
  // when one side is empty or both agree, and is emptied (and reported) when they differ.
  resource merge(const resource& other) const;
};

// The library or component that emitted the telemetry ("agtel.agent", "my_orchestrator").
struct instrumentation_scope {
  std::string name;
  std::string version;
  std::string schema_url;
  attribute_list attributes;
};

}  // namespace agtel
