// Bounds on what one log record may hold, so that a runaway caller cannot grow a record
// without limit. Attributes past the count are dropped and counted on the record
// (`attributes.dropped()`, exported as OTLP's dropped_attributes_count); string values
// (and each string of an array) longer than the length limit are cut at a UTF-8
// character boundary. The body is never cut. Defaults are the OpenTelemetry spec's.
#pragma once

#include <cstddef>
#include <cstdint>

namespace agtel::logs {

struct log_record_limits {
  size_t attribute_count = 128;              // OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT
  size_t attribute_value_length = SIZE_MAX;  // OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT (bytes)
};

}  // namespace agtel::logs
