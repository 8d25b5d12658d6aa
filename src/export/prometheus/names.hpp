// Name translation for the Prometheus exposition (OpenTelemetry "Prometheus and
// OpenMetrics Compatibility" spec): metric and label name sanitizing and the UCUM unit →
// Prometheus unit-word mapping.
#pragma once

#include <string>
#include <string_view>

namespace agtel::exporter::prometheus {

// Appends `name` as a valid metric name, [a-zA-Z_:][a-zA-Z0-9_:]*: every other byte
// becomes `_`, a leading digit gets a `_` prefix, runs of `_` collapse to one (also runs
// that were already in `name`). An empty name becomes "_".
void append_metric_name(std::string& out, std::string_view name);

// Appends `key` as a valid label name, [a-zA-Z_][a-zA-Z0-9_]* (no `:`), by the same rules.
void append_label_name(std::string& out, std::string_view key);

// The Prometheus unit word for a UCUM unit: "s" → "seconds", "ms" → "milliseconds",
// "By" → "bytes", "By/s" → "bytes_per_second", "{token}" → "" (annotations are dropped),
// "1" → "ratio" when `is_gauge` (else ""), an unknown unit → itself, sanitized to
// [a-zA-Z0-9_] with no leading or trailing `_`.
std::string unit_word(std::string_view ucum, bool is_gauge);

// The names one metric stream gets.
struct metric_names {
  std::string family;  // the metric family name, unit suffix included, without `_total`
  std::string unit;    // the unit word (for OpenMetrics # UNIT); empty when none
};

// Translates an OpenTelemetry metric name and unit. `counter`: a monotonic sum, whose
// `_total` suffix (if the name has one) is taken off the family name. `is_gauge`: an
// OpenTelemetry gauge (the only kind whose unit "1" becomes "ratio").
metric_names translate_metric_name(std::string_view name, std::string_view unit, bool counter,
                                   bool is_gauge, bool unit_suffixes);

}  // namespace agtel::exporter::prometheus
