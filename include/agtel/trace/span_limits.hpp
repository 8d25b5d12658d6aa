// Bounds on what one span may hold, so that a runaway loop cannot grow a span without
// limit. Anything past a limit is dropped and counted on the span (the dropped counts
// travel with it to exporters). Defaults are the OpenTelemetry spec's.
#pragma once

#include <cstdint>
#include <cstddef>

namespace agtel::trace {

struct span_limits {
  size_t attribute_count = 128;                   // OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT
  size_t attribute_value_length = SIZE_MAX;       // OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT (bytes)
  size_t event_count = 128;                       // OTEL_SPAN_EVENT_COUNT_LIMIT
  size_t link_count = 128;                        // OTEL_SPAN_LINK_COUNT_LIMIT
  size_t attributes_per_event = 128;              // OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT
  size_t attributes_per_link = 128;               // OTEL_LINK_ATTRIBUTE_COUNT_LIMIT
};

}  // namespace agtel::trace
