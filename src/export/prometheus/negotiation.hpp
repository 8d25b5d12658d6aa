// HTTP content negotiation for a scrape: which exposition format (Accept) and whether to
// gzip (Accept-Encoding). Pure functions over header values; malformed input never fails,
// it just does not match.
#pragma once

#include <string_view>

#include "agtel/export/prometheus_exporter.hpp"

namespace agtel::exporter::prometheus {

// OpenMetrics when the Accept header prefers it (by q-value, the most specific matching
// range deciding) to text 0.0.4: `application/openmetrics-text` with version 1.0.0, 0.0.1
// or none. Text on a tie, on an empty or malformed header, and when `openmetrics_enabled`
// is false. Prometheus 2.42 sends
//   application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;
//   q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1
// which selects OpenMetrics.
prometheus_format negotiate_format(std::string_view accept, bool openmetrics_enabled) noexcept;

// True when Accept-Encoding allows gzip (gzip or x-gzip with q > 0, or `*` with q > 0 when
// gzip is not explicitly refused).
bool accepts_gzip(std::string_view accept_encoding) noexcept;

}  // namespace agtel::exporter::prometheus
