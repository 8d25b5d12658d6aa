// What the environment and YAML readers share: value parsers that never throw, the table of
// numeric settings (so that both readers apply the same ranges and messages), and the
// helper that quotes user input safely inside a diagnostic.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/sdk/config.hpp"

namespace agtel::config_detail {

inline constexpr std::string_view component = "config";

// The OpenTelemetry spec asks SDKs to support integers in [0, 2^31-1]; agtel accepts exactly
// that range (a value outside it is reported and ignored, like any invalid value).
inline constexpr uint64_t max_integer = 2147483647;

// `s` for a diagnostic: at most `max_bytes` (then "..."), control bytes and bytes of
// invalid UTF-8 written as \xNN.
std::string printable(std::string_view s, size_t max_bytes = 64);

bool iequals(std::string_view a, std::string_view b) noexcept;
std::string to_lower(std::string_view s);
std::string_view trim(std::string_view s) noexcept;  // ASCII spaces and tabs
bool valid_utf8(std::string_view s) noexcept;

// A decimal integer of digits only (no sign, no spaces, no exponent); nullopt if it is
// anything else or does not fit in 64 bits.
std::optional<uint64_t> parse_uint(std::string_view s) noexcept;
// A ratio for messages: "0.25", "1" (shortest form, not std::to_string's "0.250000").
std::string format_ratio(double v);
// A finite decimal number in [0, 1].
std::optional<double> parse_probability(std::string_view s) noexcept;

std::optional<sdk_config::sampler_kind> parse_sampler(std::string_view s) noexcept;
// "console", "otlp", "prometheus" or "jsonl" ("none" is handled by apply_exporter_names).
std::optional<sdk_config::exporter_kind> parse_exporter(std::string_view s) noexcept;
std::optional<sdk_config::console_format> parse_console_format(std::string_view s) noexcept;

// The values both readers accept for the metrics and OTLP settings, case-insensitive; each
// returns nullopt for anything else, and the caller reports it with its own key name.
// `expected_*` are the valid spellings, for those messages.
std::optional<exporter::otlp_protocol> parse_protocol(std::string_view s) noexcept;
inline constexpr std::string_view expected_protocol = "grpc, http/protobuf or http/json";
std::optional<bool> parse_compression(std::string_view s) noexcept;  // gzip: true, none: false
inline constexpr std::string_view expected_compression = "gzip or none";
std::optional<metrics::exemplar_filter> parse_exemplar_filter(std::string_view s) noexcept;
inline constexpr std::string_view expected_exemplar_filter = "trace_based, always_on or always_off";
std::optional<sdk_config::temporality_preference> parse_temporality(std::string_view s) noexcept;
inline constexpr std::string_view expected_temporality = "cumulative, delta or lowmemory";
// An http:// or https:// URL of UTF-8 text without spaces or control characters.
bool valid_endpoint(std::string_view s) noexcept;
// A host name or address: non-empty UTF-8 text without spaces or control characters.
bool valid_host(std::string_view s) noexcept;

// A numeric setting reachable from the environment, the YAML file, or both.
struct numeric_setting {
  enum class kind { integer, duration, timeout };
  std::string_view env;   // "OTEL_BSP_MAX_QUEUE_SIZE"; empty: YAML only
  std::string_view yaml;  // "traces.batch.max_queue_size"; empty: environment only
  kind type;
  uint64_t min;
  uint64_t max;
  uint64_t (*get)(const sdk_config&);
  void (*set)(sdk_config&, uint64_t);
};

// In the order the environment applies them (general limits before specific ones).
std::span<const numeric_setting> numeric_settings() noexcept;

// Validates `text` as a value of `s`. Returns the value to store (a timeout of 0, meaning
// "no limit", becomes max_integer ms), or reports "<where><name>: <problem>, got '<text>';
// using <current value>" and returns nullopt.
std::optional<uint64_t> check_numeric(const numeric_setting& s, std::string_view where,
                                      std::string_view name, std::string_view text,
                                      const sdk_config& current);

// Parses "tracecontext, Baggage,tracecontext" into {"tracecontext", "baggage"}: trimmed,
// lower-cased, empty items skipped, duplicates removed (the spec requires it).
std::vector<std::string> parse_name_list(std::string_view s);
// Adds one name the same way (lower-cased, unless already present).
void add_name(std::vector<std::string>& names, std::string_view name);

// Applies the exporter names to `out`: "none" empties the list, unknown names (and
// prometheus for any signal but metrics) are reported (`where` + `name` say where they
// came from). Returns false, leaving `out` untouched, if no name was usable.
bool apply_exporter_names(std::span<const std::string> names, std::string_view where,
                          std::string_view name, std::vector<sdk_config::exporter_kind>& out,
                          telemetry_signal signal);

void report(diag_level level, std::string_view message) noexcept;

}  // namespace agtel::config_detail
