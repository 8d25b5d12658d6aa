// Views: change what an instrument exports without touching the code that records.
//
// A view selects instruments (every set criterion must match) and describes the metric
// stream to produce for them. An instrument matched by several views produces one stream
// per view; an instrument matched by none produces its default stream. Examples:
//
//   // histogram of LLM latency in the agent buckets, keeping only two attributes
//   {.selector = {.name = "gen_ai.client.operation.duration"},
//    .aggregation = explicit_bucket_histogram_aggregation{
//        {buckets::gen_ai_operation_seconds.begin(), buckets::gen_ai_operation_seconds.end()}},
//    .attribute_keys = std::vector<std::string>{"gen_ai.request.model", "error.type"}}
//   // drop every instrument of one library
//   {.selector = {.meter_name = "noisy.lib"}, .aggregation = drop_aggregation{}}
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agtel/metrics/aggregation.hpp"
#include "agtel/metrics/instrument_kind.hpp"

namespace agtel::metrics {

struct instrument_selector {
  // Instrument name; `*` matches any run of characters and `?` one character; matching
  // ignores ASCII case (instrument names are case-insensitive). Empty matches every name.
  std::string name{};
  std::optional<instrument_kind> kind{};
  std::string meter_name{};     // exact; empty matches every meter
  std::string meter_version{};  // exact; empty matches every version
  std::string unit{};           // exact; empty matches every unit
};

struct view {
  instrument_selector selector{};
  // The stream's name; empty keeps the instrument's. A new name with a selector that can
  // match several instruments (a wildcard, or no name) is a configuration error: the view
  // is reported and ignored.
  std::string name{};
  std::string description{};  // empty keeps the instrument's
  metrics::aggregation aggregation = default_aggregation{};
  // Keep only these attribute keys (others are removed before aggregation). nullopt keeps all.
  std::optional<std::vector<std::string>> attribute_keys{};
  // Maximum series of the stream (overflow past it); 0 means the provider's limit.
  size_t cardinality_limit = 0;
};

// True when `pattern` (with `*` and `?`) matches `name`, ignoring ASCII case.
bool wildcard_match(std::string_view pattern, std::string_view name) noexcept;

}  // namespace agtel::metrics
