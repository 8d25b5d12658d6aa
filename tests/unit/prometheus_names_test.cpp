// Name translation of the Prometheus exporter (src/export/prometheus/names.cpp).
#include "export/prometheus/names.hpp"

#include <gtest/gtest.h>

#include <string>

namespace agtel::exporter::prometheus {
namespace {

std::string metric_name(std::string_view s) {
  std::string out;
  append_metric_name(out, s);
  return out;
}
std::string label_name(std::string_view s) {
  std::string out;
  append_label_name(out, s);
  return out;
}

TEST(PrometheusNames, MetricNameSanitizing) {
  EXPECT_EQ(metric_name("gen_ai.client.operation.duration"), "gen_ai_client_operation_duration");
  EXPECT_EQ(metric_name("http_requests"), "http_requests");
  EXPECT_EQ(metric_name("ns:sub:metric"), "ns:sub:metric");  // colons are valid in metric names
  EXPECT_EQ(metric_name("a-b/c d"), "a_b_c_d");
  EXPECT_EQ(metric_name("a..b"), "a_b");        // runs of replaced characters collapse
  EXPECT_EQ(metric_name("a__b___c"), "a_b_c");  // and so do runs already in the name
  EXPECT_EQ(metric_name("1st"), "_1st");        // no leading digit
  EXPECT_EQ(metric_name(".x"), "_x");
  EXPECT_EQ(metric_name("x."), "x_");
  EXPECT_EQ(metric_name(""), "_");
  EXPECT_EQ(metric_name("h\xC3\xA9llo"), "h_llo");  // each non-ASCII byte is invalid
  EXPECT_EQ(metric_name(std::string_view("a\0b", 3)), "a_b");
  EXPECT_EQ(metric_name("Caps.OK"), "Caps_OK");
}

TEST(PrometheusNames, LabelNameSanitizing) {
  EXPECT_EQ(label_name("gen_ai.request.model"), "gen_ai_request_model");
  EXPECT_EQ(label_name("ns:key"), "ns_key");  // no colon in label names
  EXPECT_EQ(label_name("9lives"), "_9lives");
  EXPECT_EQ(label_name("__reserved"), "_reserved");  // never the reserved `__` prefix
  EXPECT_EQ(label_name("_private"), "_private");
  EXPECT_EQ(label_name("\xF0\x9F\x98\x80"), "_");
  EXPECT_EQ(label_name(""), "_");
}

TEST(PrometheusNames, UnitWords) {
  EXPECT_EQ(unit_word("s", false), "seconds");
  EXPECT_EQ(unit_word("ms", false), "milliseconds");
  EXPECT_EQ(unit_word("us", false), "microseconds");
  EXPECT_EQ(unit_word("ns", false), "nanoseconds");
  EXPECT_EQ(unit_word("min", false), "minutes");
  EXPECT_EQ(unit_word("h", false), "hours");
  EXPECT_EQ(unit_word("d", false), "days");
  EXPECT_EQ(unit_word("By", false), "bytes");
  EXPECT_EQ(unit_word("KiBy", false), "kibibytes");
  EXPECT_EQ(unit_word("MiBy", false), "mebibytes");
  EXPECT_EQ(unit_word("GiBy", false), "gibibytes");
  EXPECT_EQ(unit_word("TiBy", false), "tibibytes");
  EXPECT_EQ(unit_word("KBy", false), "kilobytes");
  EXPECT_EQ(unit_word("MBy", false), "megabytes");
  EXPECT_EQ(unit_word("GBy", false), "gigabytes");
  EXPECT_EQ(unit_word("TBy", false), "terabytes");
  EXPECT_EQ(unit_word("m", false), "meters");
  EXPECT_EQ(unit_word("V", false), "volts");
  EXPECT_EQ(unit_word("A", false), "amperes");
  EXPECT_EQ(unit_word("J", false), "joules");
  EXPECT_EQ(unit_word("W", false), "watts");
  EXPECT_EQ(unit_word("g", false), "grams");
  EXPECT_EQ(unit_word("Cel", false), "celsius");
  EXPECT_EQ(unit_word("Hz", false), "hertz");
  EXPECT_EQ(unit_word("%", false), "percent");
  // "1" is "ratio" for gauges only.
  EXPECT_EQ(unit_word("1", true), "ratio");
  EXPECT_EQ(unit_word("1", false), "");
  // Annotations are dropped: a count of things is unitless.
  EXPECT_EQ(unit_word("{token}", false), "");
  EXPECT_EQ(unit_word("{token}", true), "");
  EXPECT_EQ(unit_word("{a}{b}", false), "");
  EXPECT_EQ(unit_word("s{wall}", false), "seconds");
  EXPECT_EQ(unit_word("{unclosed", false), "");
  // Rates.
  EXPECT_EQ(unit_word("By/s", false), "bytes_per_second");
  EXPECT_EQ(unit_word("m/s", false), "meters_per_second");
  EXPECT_EQ(unit_word("{packet}/s", false), "per_second");
  EXPECT_EQ(unit_word("1/s", true), "per_second");
  EXPECT_EQ(unit_word("/h", false), "per_hour");
  EXPECT_EQ(unit_word("By/", false), "bytes");
  EXPECT_EQ(unit_word("{req}/mo", false), "per_month");
  // Unknown units are kept, sanitized.
  EXPECT_EQ(unit_word("requests", false), "requests");
  EXPECT_EQ(unit_word("USD", false), "USD");
  EXPECT_EQ(unit_word(" s ", false), "seconds");
  EXPECT_EQ(unit_word("foo bar", false), "foo_bar");
  EXPECT_EQ(unit_word("\xC3\xA9", false), "");
  EXPECT_EQ(unit_word("", false), "");
  EXPECT_EQ(unit_word(std::string(10000, '{'), false), "");
}

metric_names tr(std::string_view name, std::string_view unit, bool counter = false,
                bool gauge = false, bool suffixes = true) {
  return translate_metric_name(name, unit, counter, gauge, suffixes);
}

TEST(PrometheusNames, Translate) {
  EXPECT_EQ(tr("gen_ai.client.operation.duration", "s").family,
            "gen_ai_client_operation_duration_seconds");
  EXPECT_EQ(tr("gen_ai.client.operation.duration", "s").unit, "seconds");
  EXPECT_EQ(tr("gen_ai.client.token.usage", "{token}").family, "gen_ai_client_token_usage");
  EXPECT_EQ(tr("gen_ai.client.token.usage", "{token}").unit, "");
  EXPECT_EQ(tr("context_window.utilization", "1", false, true).family,
            "context_window_utilization_ratio");
  EXPECT_EQ(tr("agent.active", "1").family, "agent_active");  // not a gauge: no ratio
  // The unit is not repeated when the name already ends with it.
  EXPECT_EQ(tr("request_duration_seconds", "s").family, "request_duration_seconds");
  EXPECT_EQ(tr("request.duration.seconds", "s").family, "request_duration_seconds");
  // …but a name that only *contains* it, or is the unit itself, gets the suffix.
  EXPECT_EQ(tr("seconds_in_queue", "s").family, "seconds_in_queue_seconds");
  EXPECT_EQ(tr("seconds", "s").family, "seconds_seconds");
  EXPECT_EQ(tr("x.", "s").family, "x_seconds");
  // Counters: `_total` comes off the family name (it is added back on the sample).
  EXPECT_EQ(tr("llm.cost", "{USD}", true).family, "llm_cost");
  EXPECT_EQ(tr("requests_total", "", true).family, "requests");
  EXPECT_EQ(tr("busy_total", "s", true).family, "busy_seconds");
  EXPECT_EQ(tr("_total", "", true).family, "_total");  // nothing left to take it off
  EXPECT_EQ(tr("requests_total", "", false).family, "requests_total");  // not a counter
  // Unit suffixes off.
  EXPECT_EQ(tr("latency", "ms", false, false, false).family, "latency");
  EXPECT_EQ(tr("latency", "ms", false, false, false).unit, "");
}

}  // namespace
}  // namespace agtel::exporter::prometheus
