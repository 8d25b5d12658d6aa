// Low-level writers of the Prometheus and OpenMetrics text formats: numbers, escaped
// label values and HELP text. Each appends to a caller's buffer and allocates only when
// the buffer grows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "agtel/common/attribute.hpp"
#include "agtel/common/time.hpp"

namespace agtel::exporter::prometheus {

// A float sample value or `le`/`quantile` label: "NaN", "+Inf", "-Inf", else the shortest
// decimal that reads back to the same double. `openmetrics` adds ".0" to integral values
// ("1.0"), the canonical form the OpenMetrics spec asks for in `le` and `quantile`.
void append_double(std::string& out, double v, bool openmetrics);
void append_uint(std::string& out, uint64_t v);
void append_int(std::string& out, int64_t v);

// A timestamp in seconds with up to nine decimals ("1700000000.25"), as OpenMetrics
// writes `_created` values and exemplar timestamps.
void append_seconds(std::string& out, timestamp_ns t);

// A label value without its quotes: `\` → `\\`, `"` → `\"`, newline → `\n`, invalid UTF-8
// → U+FFFD (Prometheus rejects a scrape with an invalid UTF-8 label value).
void append_label_value(std::string& out, std::string_view v);

// An attribute value as a label value: strings as above, bool as true/false, numbers in
// decimal (doubles as append_double), arrays as JSON arrays; then escaped.
void append_attribute_label_value(std::string& out, const attribute_value& v);

// HELP text: `\` → `\\`, newline → `\n`, and for OpenMetrics also `"` → `\"`; invalid UTF-8
// → U+FFFD.
void append_help(std::string& out, std::string_view help, bool openmetrics);

// The number of characters (code points, an invalid byte counting as one U+FFFD) in `s`:
// the measure of the OpenMetrics 128-character exemplar label limit.
size_t utf8_length(std::string_view s) noexcept;

}  // namespace agtel::exporter::prometheus
