// The metrics and OTLP exporter settings of sdk_config from the environment: every
// variable valid and invalid (the diagnostic names the variable, the value below is kept),
// per-signal over generic, the endpoint rule, and environment over the base.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/sdk/config.hpp"
#include "support/test_support.hpp"

namespace agtel {
namespace {

using ::testing::HasSubstr;
using exporter::otlp_protocol;
using kind = sdk_config::exporter_kind;
using signal = telemetry_signal;

std::vector<std::string> all_variables() {
  std::vector<std::string> v = {"OTEL_METRICS_EXPORTER",
                                "OTEL_METRIC_EXPORT_INTERVAL",
                                "OTEL_METRIC_EXPORT_TIMEOUT",
                                "OTEL_METRICS_EXEMPLAR_FILTER",
                                "OTEL_EXPORTER_PROMETHEUS_HOST",
                                "OTEL_EXPORTER_PROMETHEUS_PORT",
                                "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"};
  for (std::string sig : {"", "TRACES_", "METRICS_", "LOGS_"})
    for (const char* k : {"ENDPOINT", "PROTOCOL", "HEADERS", "COMPRESSION", "TIMEOUT",
                          "CERTIFICATE", "CLIENT_KEY", "CLIENT_CERTIFICATE", "INSECURE"})
      v.push_back("OTEL_EXPORTER_OTLP_" + sig + k);
  return v;
}

class config_otlp_metrics : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const std::string& name : all_variables())
      cleared_.push_back(std::make_unique<test::scoped_env>(name, std::nullopt));
    detail::reset_diagnostics_for_testing();
    set_diagnostic_handler([this](diag_level l, std::string_view c, std::string_view m) {
      if (l >= diag_level::warning) warnings_ += std::string(c) + ": " + std::string(m) + "\n";
    });
  }
  void TearDown() override {
    set_diagnostic_handler(nullptr);
    detail::reset_diagnostics_for_testing();
  }
  void set(const std::string& name, std::string value) {
    vars_.push_back(std::make_unique<test::scoped_env>(name, std::move(value)));
  }

  std::vector<std::unique_ptr<test::scoped_env>> cleared_, vars_;
  std::string warnings_;
};

TEST_F(config_otlp_metrics, defaults) {
  sdk_config c = config_from_env();
  EXPECT_EQ(c.metrics_exporters, std::vector<kind>{kind::otlp});
  EXPECT_EQ(c.metric_export_interval, std::chrono::milliseconds(60000));
  EXPECT_EQ(c.metric_export_timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(c.exemplar_filter, metrics::exemplar_filter::trace_based);
  EXPECT_EQ(c.prometheus_host, "127.0.0.1");
  EXPECT_EQ(c.prometheus_port, 9464);
  EXPECT_EQ(c.metrics_temporality, sdk_config::temporality_preference::cumulative);
  const auto o = otlp_options_for(c, signal::traces);
  EXPECT_EQ(o.protocol, otlp_protocol::http_protobuf);
  EXPECT_EQ(o.endpoint, "");  // the exporter's default
  EXPECT_EQ(o.timeout, std::chrono::milliseconds(10000));
  EXPECT_FALSE(o.gzip);
  EXPECT_EQ(warnings_, "");
}

TEST_F(config_otlp_metrics, metrics_variables) {
  set("OTEL_METRICS_EXPORTER", "prometheus, OTLP,prometheus");
  set("OTEL_METRIC_EXPORT_INTERVAL", "1500");
  set("OTEL_METRIC_EXPORT_TIMEOUT", "250");
  set("OTEL_METRICS_EXEMPLAR_FILTER", "Always_On");
  set("OTEL_EXPORTER_PROMETHEUS_HOST", "0.0.0.0");
  set("OTEL_EXPORTER_PROMETHEUS_PORT", "0");
  set("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "LowMemory");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.metrics_exporters, (std::vector<kind>{kind::prometheus, kind::otlp}));
  EXPECT_EQ(c.metric_export_interval, std::chrono::milliseconds(1500));
  EXPECT_EQ(c.metric_export_timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(c.exemplar_filter, metrics::exemplar_filter::always_on);
  EXPECT_EQ(c.prometheus_host, "0.0.0.0");
  EXPECT_EQ(c.prometheus_port, 0);
  EXPECT_EQ(c.metrics_temporality, sdk_config::temporality_preference::lowmemory);
  EXPECT_EQ(temporality_for(c.metrics_temporality), metrics::low_memory_temporality);
  EXPECT_EQ(warnings_, "");
}

TEST_F(config_otlp_metrics, metrics_none_and_invalid_values_keep_the_base) {
  sdk_config base;
  base.metric_export_interval = std::chrono::milliseconds(777);
  base.prometheus_port = 9999;
  set("OTEL_METRICS_EXPORTER", "none");
  set("OTEL_METRIC_EXPORT_INTERVAL", "0");  // must be positive
  set("OTEL_METRIC_EXPORT_TIMEOUT", "soon");
  set("OTEL_METRICS_EXEMPLAR_FILTER", "sometimes");
  set("OTEL_EXPORTER_PROMETHEUS_HOST", "bad host");
  set("OTEL_EXPORTER_PROMETHEUS_PORT", "65536");
  set("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "weekly");
  sdk_config c = config_from_env(base);
  EXPECT_TRUE(c.metrics_exporters.empty());
  EXPECT_EQ(c.metric_export_interval, std::chrono::milliseconds(777));
  EXPECT_EQ(c.metric_export_timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(c.exemplar_filter, metrics::exemplar_filter::trace_based);
  EXPECT_EQ(c.prometheus_host, "127.0.0.1");
  EXPECT_EQ(c.prometheus_port, 9999);
  EXPECT_EQ(c.metrics_temporality, sdk_config::temporality_preference::cumulative);
  for (const char* name : {"OTEL_METRIC_EXPORT_INTERVAL", "OTEL_METRIC_EXPORT_TIMEOUT",
                           "OTEL_METRICS_EXEMPLAR_FILTER", "OTEL_EXPORTER_PROMETHEUS_HOST",
                           "OTEL_EXPORTER_PROMETHEUS_PORT",
                           "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE"})
    EXPECT_THAT(warnings_, HasSubstr(std::string("config: ") + name + ":")) << name;
}

TEST_F(config_otlp_metrics, prometheus_is_not_a_span_exporter) {
  set("OTEL_METRICS_EXPORTER", "bogus");
  vars_.push_back(std::make_unique<test::scoped_env>("OTEL_TRACES_EXPORTER", "prometheus"));
  sdk_config c = config_from_env();
  EXPECT_EQ(c.traces_exporters, std::vector<kind>{kind::otlp});  // kept
  EXPECT_EQ(c.metrics_exporters, std::vector<kind>{kind::otlp});
  EXPECT_THAT(warnings_, HasSubstr("OTEL_TRACES_EXPORTER: unknown exporter 'prometheus'"));
  EXPECT_THAT(warnings_, HasSubstr("OTEL_METRICS_EXPORTER: unknown exporter 'bogus'"));
}

TEST_F(config_otlp_metrics, generic_settings_apply_to_every_signal) {
  set("OTEL_EXPORTER_OTLP_ENDPOINT", "https://collector:4318");
  set("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer%20t0k,x-tenant = a%3Db , ,");
  set("OTEL_EXPORTER_OTLP_COMPRESSION", "GZIP");
  set("OTEL_EXPORTER_OTLP_TIMEOUT", "2500");
  set("OTEL_EXPORTER_OTLP_CERTIFICATE", "/etc/ca.pem");
  set("OTEL_EXPORTER_OTLP_CLIENT_KEY", "/etc/key.pem");
  set("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "/etc/cert.pem");
  set("OTEL_EXPORTER_OTLP_INSECURE", "TRUE");
  sdk_config c = config_from_env();
  for (auto [sig, path] : {std::pair{signal::traces, "/v1/traces"},
                           std::pair{signal::metrics, "/v1/metrics"},
                           std::pair{signal::logs, "/v1/logs"}}) {
    const auto o = otlp_options_for(c, sig);
    EXPECT_EQ(o.endpoint, std::string("https://collector:4318") + path);
    ASSERT_EQ(o.headers.size(), 2u);
    EXPECT_EQ(o.headers[0], (std::pair<std::string, std::string>{"Authorization", "Bearer t0k"}));
    EXPECT_EQ(o.headers[1], (std::pair<std::string, std::string>{"x-tenant", "a=b"}));
    EXPECT_TRUE(o.gzip);
    EXPECT_EQ(o.timeout, std::chrono::milliseconds(2500));
    EXPECT_EQ(o.certificate_file, "/etc/ca.pem");
    EXPECT_EQ(o.client_key_file, "/etc/key.pem");
    EXPECT_EQ(o.client_certificate_file, "/etc/cert.pem");
    EXPECT_TRUE(o.insecure);
  }
  EXPECT_EQ(warnings_, "");
}

TEST_F(config_otlp_metrics, endpoint_rule) {
  sdk_config c;
  c.otlp.endpoint = "http://h:4318/";  // a trailing slash is not doubled
  EXPECT_EQ(otlp_options_for(c, signal::logs).endpoint, "http://h:4318/v1/logs");
  c.otlp.endpoint = "http://h/prefix";  // a path prefix is kept
  EXPECT_EQ(otlp_options_for(c, signal::metrics).endpoint, "http://h/prefix/v1/metrics");
  c.otlp.protocol = otlp_protocol::grpc;  // gRPC: as is
  EXPECT_EQ(otlp_options_for(c, signal::metrics).endpoint, "http://h/prefix");
  c.otlp.protocol = otlp_protocol::http_json;
  c.otlp_traces.endpoint = "http://t:1/custom";  // per-signal: as is
  EXPECT_EQ(otlp_options_for(c, signal::traces).endpoint, "http://t:1/custom");
  EXPECT_EQ(otlp_options_for(c, signal::logs).endpoint, "http://h/prefix/v1/logs");
}

TEST_F(config_otlp_metrics, per_signal_wins_over_generic) {
  for (std::string sig : {"TRACES", "METRICS", "LOGS"}) {
    SCOPED_TRACE(sig);
    vars_.clear();
    set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
    set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://generic:4318");
    set("OTEL_EXPORTER_OTLP_HEADERS", "a=1");
    set("OTEL_EXPORTER_OTLP_TIMEOUT", "1000");
    set("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
    set("OTEL_EXPORTER_OTLP_" + sig + "_PROTOCOL", "grpc");
    set("OTEL_EXPORTER_OTLP_" + sig + "_ENDPOINT", "http://own:4317");
    set("OTEL_EXPORTER_OTLP_" + sig + "_HEADERS", "b=2");
    set("OTEL_EXPORTER_OTLP_" + sig + "_TIMEOUT", "0");  // 0: no limit
    set("OTEL_EXPORTER_OTLP_" + sig + "_COMPRESSION", "none");
    set("OTEL_EXPORTER_OTLP_" + sig + "_INSECURE", "true");
    set("OTEL_EXPORTER_OTLP_" + sig + "_CERTIFICATE", "/own.pem");
    sdk_config c = config_from_env();
    const signal own = sig == "TRACES" ? signal::traces
                       : sig == "METRICS" ? signal::metrics
                                          : signal::logs;
    const auto o = otlp_options_for(c, own);
    EXPECT_EQ(o.protocol, otlp_protocol::grpc);
    EXPECT_EQ(o.endpoint, "http://own:4317");
    ASSERT_EQ(o.headers.size(), 1u);
    EXPECT_EQ(o.headers[0].first, "b");
    EXPECT_EQ(o.timeout, std::chrono::milliseconds(2147483647));
    EXPECT_FALSE(o.gzip);
    EXPECT_TRUE(o.insecure);
    EXPECT_EQ(o.certificate_file, "/own.pem");
    // Another signal keeps the generic settings.
    const signal other = own == signal::traces ? signal::logs : signal::traces;
    const auto g = otlp_options_for(c, other);
    EXPECT_EQ(g.protocol, otlp_protocol::http_json);
    EXPECT_THAT(g.endpoint, ::testing::StartsWith("http://generic:4318/v1/"));
    EXPECT_EQ(g.headers[0].first, "a");
    EXPECT_EQ(g.timeout, std::chrono::milliseconds(1000));
    EXPECT_TRUE(g.gzip);
  }
  EXPECT_EQ(warnings_, "");
}

TEST_F(config_otlp_metrics, invalid_otlp_values_are_reported_and_ignored) {
  const std::pair<const char*, const char*> bad[] = {
      {"OTEL_EXPORTER_OTLP_PROTOCOL", "http"},
      {"OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"},
      {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://a b"},
      {"OTEL_EXPORTER_OTLP_HEADERS", "a=1,novalue"},
      {"OTEL_EXPORTER_OTLP_METRICS_HEADERS", "k=%zz"},
      {"OTEL_EXPORTER_OTLP_COMPRESSION", "zstd"},
      {"OTEL_EXPORTER_OTLP_TIMEOUT", "-5"},
      {"OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "1e3"},
      {"OTEL_EXPORTER_OTLP_INSECURE", "yes"},
      {"OTEL_EXPORTER_OTLP_CERTIFICATE", "/bad\xFF"},
  };
  for (auto [name, value] : bad) set(name, value);
  sdk_config c = config_from_env();
  for (auto [name, value] : bad)
    EXPECT_THAT(warnings_, HasSubstr(std::string("config: ") + name + ":")) << name;
  for (signal s : {signal::traces, signal::metrics, signal::logs}) {
    const auto o = otlp_options_for(c, s);
    EXPECT_EQ(o.protocol, otlp_protocol::http_protobuf);
    EXPECT_EQ(o.endpoint, "");
    EXPECT_TRUE(o.headers.empty());
    EXPECT_FALSE(o.gzip);
    EXPECT_EQ(o.timeout, std::chrono::milliseconds(10000));
    EXPECT_FALSE(o.insecure);
    EXPECT_EQ(o.certificate_file, "");
  }
}

TEST_F(config_otlp_metrics, environment_over_the_base) {
  sdk_config base;  // as a YAML file or code would leave it
  base.otlp.endpoint = "http://from-file:4318";
  base.otlp.gzip = true;
  set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://from-env:4318");
  sdk_config c = config_from_env(base);
  const auto o = otlp_options_for(c, signal::traces);
  EXPECT_EQ(o.endpoint, "http://from-env:4318/v1/traces");
  EXPECT_TRUE(o.gzip);  // not set in the environment: the base's
}

}  // namespace
}  // namespace agtel
