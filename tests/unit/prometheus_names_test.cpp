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
  EXPECT_EQ(metric_name("ns:sub:metric"), "ns_sub_metric");  // `:` is for recording rules
  EXPECT_EQ(metric_name("a-b/c d"), "a_b_c_d");
  EXPECT_EQ(metric_name("a..b"), "a_b");        // runs of replaced characters collapse
  EXPECT_EQ(metric_name("a__b___c"), "a_b_c");  // and so do runs already in the name
  EXPECT_EQ(metric_name("1st"), "_1st");        // no leading digit
  EXPECT_EQ(metric_name(".x"), "_x");
  EXPECT_EQ(metric_name("x."), "x_");
  EXPECT_EQ(metric_name(""), "_");
  EXPECT_EQ(metric_name("h\xC3\xA9llo"), "h_llo");  // each non-ASCII byte is invalid
  EXPECT_EQ(metric_name(std::string_view("a\0b", 3)), "a_b");
}

TEST(PrometheusNames, SnakeCase) {
  EXPECT_EQ(metric_name("Caps.OK"), "caps_ok");
  EXPECT_EQ(metric_name("tokensIn"), "tokens_in");
  EXPECT_EQ(metric_name("HTTPServerLatency"), "http_server_latency");
  EXPECT_EQ(metric_name("getHTTP"), "get_http");
  EXPECT_EQ(metric_name("http2Requests"), "http2_requests");
  EXPECT_EQ(metric_name("already_Snake"), "already_snake");
  EXPECT_EQ(metric_name("ABC"), "abc");
  EXPECT_EQ(label_name("userId"), "user_id");
  EXPECT_EQ(label_name("X-Request-ID"), "x_request_id");
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

// The unit word and the factor to the base unit.
void expect_unit(std::string_view ucum, std::string_view word, double one_in_base = 1,
                 bool gauge = false) {
  unit_translation t = translate_unit(ucum, gauge);
  EXPECT_EQ(t.word, word) << ucum;
  EXPECT_EQ(t.scale.apply(1), one_in_base) << ucum;
}

TEST(PrometheusNames, UnitsAreBaseUnits) {
  expect_unit("s", "seconds");
  expect_unit("ms", "seconds", 0.001);
  expect_unit("us", "seconds", 0.000001);
  expect_unit("ns", "seconds", 1e-9);
  expect_unit("min", "seconds", 60);
  expect_unit("h", "seconds", 3600);
  expect_unit("d", "seconds", 86400);
  expect_unit("By", "bytes");
  expect_unit("KiBy", "bytes", 1024);
  expect_unit("MiBy", "bytes", 1048576);
  expect_unit("GiBy", "bytes", 1073741824);
  expect_unit("TiBy", "bytes", 1099511627776.0);
  expect_unit("KBy", "bytes", 1e3);
  expect_unit("MBy", "bytes", 1e6);
  expect_unit("GBy", "bytes", 1e9);
  expect_unit("TBy", "bytes", 1e12);
  expect_unit("m", "meters");
  expect_unit("V", "volts");
  expect_unit("A", "amperes");
  expect_unit("J", "joules");
  expect_unit("W", "watts");
  expect_unit("g", "grams");
  expect_unit("Cel", "celsius");
  expect_unit("Hz", "hertz");
  expect_unit("%", "percent");
}

TEST(PrometheusNames, ScaledValuesAreTheNearestDouble) {
  // Dividing, not multiplying by 0.001: 5 ms is exactly the double 0.005 prints as.
  unit_scale ms = translate_unit("ms", false).scale;
  EXPECT_EQ(ms.apply(5), 0.005);
  EXPECT_EQ(ms.apply(250), 0.25);
  EXPECT_EQ(ms.apply(7), 0.007);
  EXPECT_EQ(translate_unit("ns", false).scale.apply(3), 3e-9);
  EXPECT_TRUE(translate_unit("s", false).scale.identity());
  EXPECT_TRUE(translate_unit("{token}", false).scale.identity());
}

TEST(PrometheusNames, UnitWords) {
  // "1" is "ratio" for gauges only.
  expect_unit("1", "ratio", 1, true);
  expect_unit("1", "");
  // Annotations are dropped: a count of things is unitless.
  expect_unit("{token}", "");
  expect_unit("{token}", "", 1, true);
  expect_unit("{a}{b}", "");
  expect_unit("s{wall}", "seconds");
  expect_unit("{unclosed", "");
  // Rates keep their denominator (singular words are not flagged); the numerator is base.
  expect_unit("By/s", "bytes_per_second");
  expect_unit("KiBy/s", "bytes_per_second", 1024);
  expect_unit("m/s", "meters_per_second");
  expect_unit("{packet}/s", "per_second");
  expect_unit("1/s", "per_second", 1, true);
  expect_unit("/h", "per_hour");
  expect_unit("By/", "bytes");
  expect_unit("{req}/mo", "per_month");
  expect_unit("{req}/ms", "per_millisecond");
  expect_unit("{req}/min", "per_minute");
  // Unknown units are kept, snake_cased, without words promlint reserves.
  expect_unit("requests", "requests");
  expect_unit("USD", "usd");
  expect_unit(" s ", "seconds");
  expect_unit("foo bar", "foo_bar");
  expect_unit("kilometers", "");  // a non-base unit word
  expect_unit("kb", "");          // an abbreviation
  expect_unit("\xC3\xA9", "");
  expect_unit("", "");
  expect_unit(std::string(10000, '{'), "");
}

metric_names tr(std::string_view name, std::string_view unit,
                family_kind kind = family_kind::gauge, bool gauge = false, bool suffixes = true) {
  return translate_metric_name(name, unit, kind, gauge, suffixes);
}
constexpr family_kind counter = family_kind::counter;
constexpr family_kind histogram = family_kind::histogram;
constexpr family_kind summary = family_kind::summary;

TEST(PrometheusNames, Translate) {
  EXPECT_EQ(tr("gen_ai.client.operation.duration", "s").family,
            "gen_ai_client_operation_duration_seconds");
  EXPECT_EQ(tr("gen_ai.client.operation.duration", "s").unit, "seconds");
  EXPECT_EQ(tr("gen_ai.client.token.usage", "{token}").family, "gen_ai_client_token_usage");
  EXPECT_EQ(tr("gen_ai.client.token.usage", "{token}").unit, "");
  EXPECT_EQ(tr("context_window.utilization", "1", family_kind::gauge, true).family,
            "context_window_utilization_ratio");
  EXPECT_EQ(tr("agent.active", "1").family, "agent_active");  // not a gauge: no ratio
  // The unit is not repeated when the name already ends with it.
  EXPECT_EQ(tr("request_duration_seconds", "s").family, "request_duration_seconds");
  EXPECT_EQ(tr("request.duration.seconds", "s").family, "request_duration_seconds");
  EXPECT_EQ(tr("request.duration.seconds", "ms").family, "request_duration_seconds");
  // …but a name that only *contains* it, or is the unit itself, gets the suffix.
  EXPECT_EQ(tr("seconds_in_queue", "s").family, "seconds_in_queue_seconds");
  EXPECT_EQ(tr("seconds", "s").family, "seconds_seconds");
  EXPECT_EQ(tr("x.", "s").family, "x_seconds");
  // Counters: `_total` comes off the family name (it is added back on the sample).
  EXPECT_EQ(tr("llm.cost", "{USD}", counter).family, "llm_cost");
  EXPECT_EQ(tr("requests_total", "", counter).family, "requests");
  EXPECT_EQ(tr("busy_total", "s", counter).family, "busy_seconds");
  EXPECT_EQ(tr("_total", "", counter).family, "_total");  // nothing left to take it off
  // Unit suffixes off: no word, no conversion.
  EXPECT_EQ(tr("latency", "ms", family_kind::gauge, false, false).family, "latency");
  EXPECT_EQ(tr("latency", "ms", family_kind::gauge, false, false).unit, "");
  EXPECT_TRUE(tr("latency", "ms", family_kind::gauge, false, false).scale.identity());
  // Base units.
  EXPECT_EQ(tr("latency", "ms").family, "latency_seconds");
  EXPECT_EQ(tr("latency", "ms").scale.apply(1500), 1.5);
  EXPECT_EQ(tr("heap", "KiBy").family, "heap_bytes");
  EXPECT_EQ(tr("heap", "KiBy").scale.apply(2), 2048);
}

TEST(PrometheusNames, WordsPromlintReservesAreLeftOut) {
  // Abbreviated units and type words after a `_`; the unit suffix says it instead.
  EXPECT_EQ(tr("latency.ms", "ms").family, "latency_seconds");
  EXPECT_EQ(tr("latency_ms", "").family, "latency");
  EXPECT_EQ(tr("size.kb.total", "KBy").family, "size_total_bytes");
  EXPECT_EQ(tr("request.counter", "", counter).family, "request");
  EXPECT_EQ(tr("queue.gauge", "").family, "queue");
  EXPECT_EQ(tr("latency.histogram", "s", histogram).family, "latency_seconds");
  EXPECT_EQ(tr("rpc.summary.x", "", summary).family, "rpc_x");
  EXPECT_EQ(tr("ms.first", "").family, "ms_first");  // not after a `_`: not flagged
  // Non-base unit words anywhere.
  EXPECT_EQ(tr("latency_milliseconds", "ms").family, "latency_seconds");
  EXPECT_EQ(tr("minutes.played", "").family, "played");
  EXPECT_EQ(tr("heap.kibibytes", "KiBy").family, "heap_bytes");
  EXPECT_EQ(tr("thermometers", "").family, "thermometers");  // not a prefix: kept
  // Endings of other types.
  EXPECT_EQ(tr("tokens.total", "").family, "tokens");
  EXPECT_EQ(tr("process.thread.count", "{thread}").family, "process_thread");
  EXPECT_EQ(tr("x_count_sum", "").family, "x");
  EXPECT_EQ(tr("x.bucket", "", summary).family, "x");
  EXPECT_EQ(tr("x.count", "", histogram).family, "x_count");  // a histogram may
  EXPECT_EQ(tr("x.count", "", summary).family, "x_count");
  EXPECT_EQ(tr("x.total", "", counter).family, "x");
  // Nothing left: `_`.
  EXPECT_EQ(tr("minutes", "").family, "_");
  EXPECT_EQ(tr(".counter", "").family, "_");
  EXPECT_EQ(tr("count", "").family, "count");  // a lone word is not an ending
}

}  // namespace
}  // namespace agtel::exporter::prometheus
