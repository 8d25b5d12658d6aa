// Name translation for the Prometheus exposition (OpenTelemetry "Prometheus and
// OpenMetrics Compatibility" spec): metric and label name sanitizing, and the UCUM unit →
// Prometheus unit mapping.
//
// Where the spec leaves Prometheus's own naming rules unmet, agtel follows Prometheus, so
// that `promtool check metrics` (promlint) finds nothing to say about any output:
//  - names are snake_case: `fooBar` → `foo_bar`, `HTTPServer` → `http_server`, all
//    lower case (promlint flags camelCase metric and label names);
//  - no `:` in metric names (Prometheus reserves it for recording rules);
//  - values are exposed in base units: a unit with a prefix or a non-SI time unit is
//    converted (ms → seconds ÷1000, KiBy → bytes ×1024, h → seconds ×3600), and bounds,
//    sums and exemplars with it, because Prometheus names and queries assume base units
//    (promlint: "use base unit");
//  - name words that promlint reserves are left out of the name: type words (`_counter`,
//    `_gauge`, `_histogram`, `_summary`), abbreviated units (`_ms`, `_s`, `_kb`, …),
//    non-base unit words (`milliseconds`, `minutes`, `kilobytes`, …) and, at the end of a
//    family that is not of that type, `_total` / `_count` / `_sum` / `_bucket`. The unit
//    belongs in the unit suffix and the type in `# TYPE`; a name left with no word is `_`.
#pragma once

#include <string>
#include <string_view>

namespace agtel::exporter::prometheus {

// Appends `name` as a valid metric name, [a-z_][a-z0-9_]*: camelCase becomes snake_case,
// letters become lower case, every other byte becomes `_`, a leading digit gets a `_`
// prefix, runs of `_` collapse to one. An empty name becomes "_".
void append_metric_name(std::string& out, std::string_view name);

// Appends `key` as a valid label name, by the same rules.
void append_label_name(std::string& out, std::string_view key);

// value × multiply ÷ divide converts a value to the base unit. Both factors are exact in
// binary (powers of ten up to 1e12, powers of two, 60, 3600, 86400); dividing instead of
// multiplying by 0.001 keeps a converted value the double nearest the exact result, so
// 5 ms prints as 0.005, not 0.005000000000000001.
struct unit_scale {
  double multiply = 1;
  double divide = 1;
  bool identity() const noexcept { return multiply == 1 && divide == 1; }
  double apply(double v) const noexcept { return v * multiply / divide; }
};

struct unit_translation {
  std::string word;  // "seconds", "bytes_per_second", "ratio", or "" (no suffix)
  unit_scale scale;  // from the recorded unit to `word`
};

// The Prometheus unit of a UCUM unit: "s" → seconds, "ms" → seconds ÷1000, "By" → bytes,
// "KiBy/s" → bytes_per_second ×1024, "{token}" → "" (annotations are dropped), "1" →
// "ratio" when `is_gauge` (else ""). An unknown unit becomes its own word, snake_cased,
// with the words promlint reserves left out.
unit_translation translate_unit(std::string_view ucum, bool is_gauge);

// What a family is exposed as; it decides which name endings are reserved.
enum class family_kind : unsigned char { counter, gauge, histogram, summary };

// The names one metric stream gets.
struct metric_names {
  std::string family;  // the metric family name, unit suffix included, without `_total`
  std::string unit;    // the unit word (for OpenMetrics # UNIT); empty when none
  unit_scale scale;    // applied to every value of the stream (identity without suffixes)
};

// Translates an OpenTelemetry metric name and unit. For a counter, a `_total` suffix of the
// name is taken off the family name (the sample adds it back). `is_gauge`: an OpenTelemetry
// gauge (the only kind whose unit "1" becomes "ratio"). Without `unit_suffixes` neither
// the unit word nor the conversion to base units is applied.
metric_names translate_metric_name(std::string_view name, std::string_view unit, family_kind kind,
                                   bool is_gauge, bool unit_suffixes);

}  // namespace agtel::exporter::prometheus
