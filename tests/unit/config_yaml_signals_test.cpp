// The YAML sections for metrics, logs, OTLP and JSON lines: every key read, wrong types and
// bad values reported with the file position and the key's path (and only that setting
// lost), and the precedence environment > file > defaults through load_config.
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/sdk/config.hpp"
#include "support/config_env.hpp"

namespace agtel {
namespace {

using ::testing::HasSubstr;
using kind = sdk_config::exporter_kind;
using exporter::otlp_protocol;
using std::chrono::milliseconds;
namespace fs = std::filesystem;

const char* const example = R"(metrics:
  exporter: [prometheus, jsonl]
  export_interval_ms: 15000
  export_timeout_ms: 0
  exemplar_filter: ALWAYS_OFF
  temporality_preference: delta
  prometheus: { host: 0.0.0.0, port: 9100 }
logs:
  exporter: jsonl, otlp
  batch: { schedule_delay_ms: 200, export_timeout_ms: 700, max_queue_size: 300, max_export_batch_size: 30 }
  limits: { attribute_count: 16, attribute_value_length: 1024 }
otlp:
  protocol: http/json
  endpoint: http://collector:4318
  headers: { authorization: Bearer abc, x-tenant: "a=b" }
  compression: gzip
  timeout_ms: 2500
  certificate: /etc/ca.pem
  client_key: /etc/key.pem
  client_certificate: /etc/cert.pem
  insecure: true
  traces: { endpoint: "http://tempo:4318/v1/traces", timeout_ms: 100 }
  metrics: { protocol: grpc, compression: none, headers: {} }
  logs: { insecure: false }
jsonl:
  directory: /var/log/agent
  max_file_bytes: 1048576
  max_files: 4
  rotate_interval_ms: 60000
)";

class config_yaml_signals : public ::testing::Test {
 protected:
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  sdk_config parse_ok(std::string_view yaml, sdk_config base = {}) {
    auto c = config_from_yaml_string(yaml, std::move(base));
    EXPECT_TRUE(c.has_value()) << yaml << "\n" << warnings();
    return c.value_or(sdk_config{});
  }
  std::string warnings() const {
    std::string all;
    for (const auto& w : warnings_) all += w + "\n";
    return all;
  }
  void clear() {
    warnings_.clear();
    test::capture_diagnostics::reset();
  }
  void set(const std::string& name, std::string value) { env_.set(name, std::move(value)); }
  fs::path write(std::string_view content) {
    dir_ = fs::temp_directory_path() / ("agtel_yaml_signals_" + std::to_string(getpid()));
    fs::create_directories(dir_);
    fs::path p = dir_ / "agtel.yaml";
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

  test::clean_config_env env_;
  std::vector<std::string> warnings_;
  fs::path dir_;
  test::capture_diagnostics diagnostics_{
      [this](diag_level l, std::string_view, std::string_view m) {
        if (l >= diag_level::warning) warnings_.emplace_back(m);
      }};
};

TEST_F(config_yaml_signals, every_key_of_the_example_is_read) {
  sdk_config c = parse_ok(example);
  EXPECT_TRUE(warnings_.empty()) << warnings();

  EXPECT_EQ(c.metrics_exporters, (std::vector<kind>{kind::prometheus, kind::jsonl}));
  EXPECT_EQ(c.metric_export_interval, milliseconds(15000));
  EXPECT_EQ(c.metric_export_timeout, milliseconds(2147483647));  // 0: no limit
  EXPECT_EQ(c.exemplar_filter, metrics::exemplar_filter::always_off);
  EXPECT_EQ(c.metrics_temporality, sdk_config::temporality_preference::delta);
  EXPECT_EQ(c.prometheus_host, "0.0.0.0");
  EXPECT_EQ(c.prometheus_port, 9100);

  EXPECT_EQ(c.logs_exporters, (std::vector<kind>{kind::jsonl, kind::otlp}));
  EXPECT_EQ(c.log_batch.schedule_delay, milliseconds(200));
  EXPECT_EQ(c.log_batch.export_timeout, milliseconds(700));
  EXPECT_EQ(c.log_batch.max_queue_size, 300u);
  EXPECT_EQ(c.log_batch.max_export_batch_size, 30u);
  EXPECT_EQ(c.log_limits.attribute_count, 16u);
  EXPECT_EQ(c.log_limits.attribute_value_length, 1024u);

  EXPECT_EQ(c.otlp.protocol, otlp_protocol::http_json);
  EXPECT_EQ(c.otlp.endpoint, "http://collector:4318");
  using headers = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(c.otlp.headers, (headers{{"authorization", "Bearer abc"}, {"x-tenant", "a=b"}}));
  EXPECT_EQ(c.otlp.gzip, true);
  EXPECT_EQ(c.otlp.timeout, milliseconds(2500));
  EXPECT_EQ(c.otlp.certificate_file, "/etc/ca.pem");
  EXPECT_EQ(c.otlp.client_key_file, "/etc/key.pem");
  EXPECT_EQ(c.otlp.client_certificate_file, "/etc/cert.pem");
  EXPECT_EQ(c.otlp.insecure, true);
  EXPECT_EQ(c.otlp_traces.endpoint, "http://tempo:4318/v1/traces");
  EXPECT_EQ(c.otlp_traces.timeout, milliseconds(100));
  EXPECT_EQ(c.otlp_metrics.protocol, otlp_protocol::grpc);
  EXPECT_EQ(c.otlp_metrics.gzip, false);
  EXPECT_EQ(c.otlp_metrics.headers, headers{});  // an empty mapping: no headers
  EXPECT_EQ(c.otlp_logs.insecure, false);

  EXPECT_EQ(c.jsonl.directory, "/var/log/agent");
  EXPECT_EQ(c.jsonl.max_file_bytes, 1048576u);
  EXPECT_EQ(c.jsonl.max_files, 4u);
  EXPECT_EQ(c.jsonl.rotate_interval, milliseconds(60000));
}

TEST_F(config_yaml_signals, the_file_s_otlp_layers_resolve_per_signal) {
  sdk_config c = parse_ok(example);
  auto traces = otlp_options_for(c, telemetry_signal::traces);
  EXPECT_EQ(traces.endpoint, "http://tempo:4318/v1/traces");  // per-signal: as is
  EXPECT_EQ(traces.protocol, otlp_protocol::http_json);
  EXPECT_EQ(traces.timeout, milliseconds(100));
  EXPECT_TRUE(traces.gzip);
  auto metrics = otlp_options_for(c, telemetry_signal::metrics);
  EXPECT_EQ(metrics.protocol, otlp_protocol::grpc);
  EXPECT_EQ(metrics.endpoint, "http://collector:4318");  // gRPC: the base as is
  EXPECT_FALSE(metrics.gzip);
  EXPECT_TRUE(metrics.headers.empty());
  auto logs = otlp_options_for(c, telemetry_signal::logs);
  EXPECT_EQ(logs.endpoint, "http://collector:4318/v1/logs");
  EXPECT_FALSE(logs.insecure);
  EXPECT_EQ(logs.headers.size(), 2u);
  EXPECT_EQ(logs.timeout, milliseconds(2500));
}

TEST_F(config_yaml_signals, wrong_types_name_the_path_line_and_column) {
  const struct {
    const char* yaml;
    const char* fragment;
  } cases[] = {
      {"metrics:\n  exporter: {otlp: 1}\n",
       "<string>:2:13: metrics.exporter: expected an exporter"},
      {"metrics:\n  export_interval_ms: [1]\n",
       "<string>:2:23: metrics.export_interval_ms: expected a non-negative integer, got a list"},
      {"metrics:\n  exemplar_filter: {a: b}\n",
       "<string>:2:20: metrics.exemplar_filter: expected trace_based, always_on or always_off, "
       "got a mapping"},
      {"metrics:\n  prometheus: 9464\n", "<string>:2:15: metrics.prometheus: expected a mapping"},
      {"metrics:\n  prometheus:\n    port: [1]\n", "<string>:3:11: metrics.prometheus.port:"},
      {"logs: [otlp]\n", "<string>:1:7: logs: expected a mapping, got a list"},
      {"logs:\n  batch: 5\n", "<string>:2:10: logs.batch: expected a mapping"},
      {"logs:\n  limits:\n    attribute_count: {n: 1}\n",
       "<string>:3:22: logs.limits.attribute_count: expected a non-negative integer, got a "
       "mapping"},
      {"otlp: http://x\n", "<string>:1:7: otlp: expected a mapping, got a scalar"},
      {"otlp:\n  endpoint: [http://x]\n", "<string>:2:13: otlp.endpoint: expected a string"},
      {"otlp:\n  headers: [a, b]\n", "<string>:2:12: otlp.headers: expected a mapping of header"},
      {"otlp:\n  headers: {a: [1]}\n", "<string>:2:16: otlp.headers.a: expected a string"},
      {"otlp:\n  insecure: [true]\n", "<string>:2:13: otlp.insecure: expected true or false"},
      {"otlp:\n  traces:\n    timeout_ms: {a: 1}\n", "<string>:3:17: otlp.traces.timeout_ms:"},
      {"otlp:\n  logs: gzip\n", "<string>:2:9: otlp.logs: expected a mapping"},
      {"jsonl: /tmp\n", "<string>:1:8: jsonl: expected a mapping, got a scalar"},
      {"jsonl:\n  directory: {a: 1}\n", "<string>:2:14: jsonl.directory: expected a string"},
      {"jsonl:\n  max_files: [1, 2]\n", "<string>:2:14: jsonl.max_files: expected a non-negative"},
  };
  for (const auto& k : cases) {
    sdk_config c = parse_ok(k.yaml);
    ASSERT_EQ(warnings_.size(), 1u) << k.yaml << warnings();
    EXPECT_THAT(warnings_[0], HasSubstr(k.fragment)) << k.yaml;
    // The setting keeps the default.
    const sdk_config d;
    EXPECT_EQ(c.metrics_exporters, d.metrics_exporters);
    EXPECT_EQ(c.metric_export_interval, d.metric_export_interval);
    EXPECT_EQ(c.prometheus_port, d.prometheus_port);
    EXPECT_EQ(c.log_limits.attribute_count, d.log_limits.attribute_count);
    EXPECT_FALSE(c.otlp.endpoint || c.otlp.headers || c.otlp.insecure || c.otlp_traces.timeout);
    EXPECT_EQ(c.jsonl.directory, d.jsonl.directory);
    EXPECT_EQ(c.jsonl.max_files, d.jsonl.max_files);
    clear();
  }
}

TEST_F(config_yaml_signals, bad_values_are_reported_and_keep_the_layer_below) {
  sdk_config base;
  base.otlp.protocol = otlp_protocol::grpc;
  base.otlp.gzip = true;
  base.prometheus_host = "127.0.0.2";
  base.jsonl.max_file_bytes = 2048;
  const struct {
    const char* yaml;
    const char* fragment;
  } cases[] = {
      {"otlp: { protocol: udp }",
       "otlp.protocol: expected grpc, http/protobuf or http/json, got 'udp'"},
      {"otlp: { compression: zstd }", "otlp.compression: expected gzip or none, got 'zstd'"},
      {"otlp: { endpoint: ftp://x }", "otlp.endpoint: expected an http:// or https:// URL"},
      {"otlp: { endpoint: 'http://a b' }", "got 'http://a b'"},
      {"otlp: { insecure: yes }", "otlp.insecure: expected true or false, got 'yes'"},
      {"otlp: { metrics: { protocol: http } }", "otlp.metrics.protocol: expected grpc"},
      {"otlp: { timeout_ms: -1 }", "otlp.timeout_ms: out of range"},
      {"metrics: { temporality_preference: sometimes }",
       "metrics.temporality_preference: expected cumulative, delta or lowmemory"},
      {"metrics: { exemplar_filter: never }", "metrics.exemplar_filter: expected trace_based"},
      {"metrics: { prometheus: { host: 'a host' } }",
       "metrics.prometheus.host: expected a host name or address, got 'a host'"},
      {"metrics: { prometheus: { port: 70000 } }",
       "metrics.prometheus.port: out of range, got '70000' (valid: 0 to 65535)"},
      {"metrics: { export_interval_ms: 0 }", "metrics.export_interval_ms: out of range"},
      {"logs: { batch: { max_queue_size: 0 } }", "logs.batch.max_queue_size: out of range"},
      {"jsonl: { max_file_bytes: 10 }", "jsonl.max_file_bytes: out of range, got '10'"},
      {"jsonl: { rotate_interval_ms: 1h }", "jsonl.rotate_interval_ms: expected a non-negative"},
      {"metrics: { exporter: zipkin }", "metrics.exporter: unknown exporter 'zipkin'"},
      {"logs: { exporter: [prometheus] }", "logs.exporter: unknown exporter 'prometheus'"},
  };
  for (const auto& k : cases) {
    sdk_config c = parse_ok(k.yaml, base);
    ASSERT_FALSE(warnings_.empty()) << k.yaml;
    EXPECT_THAT(warnings_[0], HasSubstr(k.fragment)) << k.yaml;
    EXPECT_THAT(warnings_[0], HasSubstr("<string>:1:")) << k.yaml;
    EXPECT_EQ(c.otlp.protocol, otlp_protocol::grpc) << k.yaml;
    EXPECT_EQ(c.otlp.gzip, true) << k.yaml;
    EXPECT_FALSE(c.otlp.endpoint || c.otlp.insecure || c.otlp.timeout || c.otlp_metrics.protocol);
    EXPECT_EQ(c.prometheus_host, "127.0.0.2") << k.yaml;
    EXPECT_EQ(c.prometheus_port, base.prometheus_port) << k.yaml;
    EXPECT_EQ(c.metrics_temporality, base.metrics_temporality) << k.yaml;
    EXPECT_EQ(c.metrics_exporters, base.metrics_exporters) << k.yaml;
    EXPECT_EQ(c.logs_exporters, base.logs_exporters) << k.yaml;
    EXPECT_EQ(c.log_batch.max_queue_size, base.log_batch.max_queue_size) << k.yaml;
    EXPECT_EQ(c.jsonl.max_file_bytes, 2048u) << k.yaml;
    EXPECT_EQ(c.jsonl.rotate_interval, base.jsonl.rotate_interval) << k.yaml;
    clear();
  }
}

TEST_F(config_yaml_signals, unknown_keys_in_the_new_sections_are_reported_by_path) {
  sdk_config c = parse_ok(
      "metrics: { intervall_ms: 5, export_interval_ms: 5 }\n"
      "logs: { exporters: jsonl, batch: { max_queue: 1 } }\n"
      "otlp: { traces: { traces: { endpoint: http://x } }, endpiont: http://y }\n"
      "jsonl: { prefix: x }\n");
  EXPECT_EQ(c.metric_export_interval, milliseconds(5));
  const std::string all = warnings();
  for (const char* path : {"metrics.intervall_ms", "logs.exporters", "logs.batch.max_queue",
                           "otlp.traces.traces", "otlp.endpiont", "jsonl.prefix"})
    EXPECT_THAT(all, HasSubstr(std::string(path) + ": unknown key")) << all;
  EXPECT_EQ(warnings_.size(), 6u) << all;
  EXPECT_FALSE(c.otlp.endpoint || c.otlp_traces.endpoint);
}

TEST_F(config_yaml_signals, null_values_and_empty_sections_keep_the_base) {
  sdk_config base;
  base.logs_exporters = {kind::jsonl};
  base.jsonl.directory = "/base";
  sdk_config c =
      parse_ok("metrics:\nlogs: { exporter: }\notlp: {}\njsonl: { directory: '' }\n", base);
  EXPECT_EQ(c.logs_exporters, std::vector<kind>{kind::jsonl});
  EXPECT_EQ(c.jsonl.directory, "/base");  // an empty directory is not a setting
  EXPECT_FALSE(c.otlp.endpoint);
  EXPECT_TRUE(warnings_.empty()) << warnings();
  c = parse_ok("logs: { exporter: none }\nmetrics: { exporter: [none] }\n", base);
  EXPECT_TRUE(c.logs_exporters.empty());
  EXPECT_TRUE(c.metrics_exporters.empty());
}

TEST_F(config_yaml_signals, hostile_header_entries_cost_only_themselves) {
  using headers = std::vector<std::pair<std::string, std::string>>;
  sdk_config base;
  base.otlp.headers = headers{{"below", "kept"}};
  sdk_config c = parse_ok(
      "otlp:\n  headers:\n    good: yes\n    \"\": empty\n    bad: [1]\n"
      "    ? [complex]\n    : key\n",
      base);
  EXPECT_EQ(c.otlp.headers, (headers{{"good", "yes"}}));
  EXPECT_EQ(warnings_.size(), 3u) << warnings();
  EXPECT_THAT(warnings(), HasSubstr("otlp.headers.bad: expected a string"));
  clear();
  // Nothing usable: the layer below stays.
  c = parse_ok("otlp: { headers: { bad: [1] } }", base);
  EXPECT_EQ(c.otlp.headers, (headers{{"below", "kept"}}));
  EXPECT_EQ(warnings_.size(), 1u) << warnings();
}

TEST_F(config_yaml_signals, environment_over_file_over_defaults) {
  fs::path file = write(R"(metrics:
  exporter: jsonl
  export_interval_ms: 5000
  temporality_preference: delta
  prometheus: { port: 9100 }
logs:
  exporter: jsonl
  batch: { max_queue_size: 300, schedule_delay_ms: 200 }
  limits: { attribute_count: 16 }
otlp:
  endpoint: http://file:4318
  protocol: grpc
  timeout_ms: 1000
  headers: { a: file }
  traces: { endpoint: http://file-traces/v1/traces }
jsonl: { directory: /from/file, max_files: 4, max_file_bytes: 4096 }
)");
  // The environment sets some of the same keys; the rest come from the file; untouched
  // keys keep the defaults.
  set("OTEL_LOGS_EXPORTER", "otlp");
  set("OTEL_BLRP_MAX_QUEUE_SIZE", "999");
  set("OTEL_EXPORTER_OTLP_ENDPOINT", "http://env:4318");
  set("OTEL_EXPORTER_OTLP_HEADERS", "b=env");
  set("OTEL_EXPORTER_PROMETHEUS_PORT", "9200");
  set("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE", "lowmemory");
  set("AGTEL_JSONL_DIRECTORY", "/from/env");
  sdk_config c = load_config(file);
  EXPECT_TRUE(warnings_.empty()) << warnings();
  const sdk_config d;

  EXPECT_EQ(c.logs_exporters, std::vector<kind>{kind::otlp});                       // env
  EXPECT_EQ(c.metrics_exporters, std::vector<kind>{kind::jsonl});                   // file
  EXPECT_EQ(c.metric_export_interval, milliseconds(5000));                          // file
  EXPECT_EQ(c.metric_export_timeout, d.metric_export_timeout);                      // default
  EXPECT_EQ(c.metrics_temporality, sdk_config::temporality_preference::lowmemory);  // env
  EXPECT_EQ(c.prometheus_port, 9200);                                               // env
  EXPECT_EQ(c.prometheus_host, d.prometheus_host);                                  // default
  EXPECT_EQ(c.log_batch.max_queue_size, 999u);                                      // env
  EXPECT_EQ(c.log_batch.schedule_delay, milliseconds(200));                         // file
  EXPECT_EQ(c.log_batch.export_timeout, d.log_batch.export_timeout);                // default
  EXPECT_EQ(c.log_limits.attribute_count, 16u);                                     // file
  EXPECT_EQ(c.otlp.endpoint, "http://env:4318");                                    // env
  EXPECT_EQ(c.otlp.protocol, otlp_protocol::grpc);                                  // file
  EXPECT_EQ(c.otlp.timeout, milliseconds(1000));                                    // file
  using headers = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(c.otlp.headers, (headers{{"b", "env"}}));  // env replaces the file's whole list
  EXPECT_EQ(c.otlp_traces.endpoint, "http://file-traces/v1/traces");  // file
  EXPECT_EQ(c.jsonl.directory, "/from/env");                          // env
  EXPECT_EQ(c.jsonl.max_files, 4u);                                   // file
  EXPECT_EQ(c.jsonl.max_file_bytes, 4096u);                           // file
  EXPECT_EQ(c.jsonl.rotate_interval, d.jsonl.rotate_interval);        // default

  // The per-signal file endpoint still beats the generic environment one (the spec's
  // per-signal-over-generic rule holds across layers).
  EXPECT_EQ(otlp_options_for(c, telemetry_signal::traces).endpoint, "http://file-traces/v1/traces");
  EXPECT_EQ(otlp_options_for(c, telemetry_signal::logs).endpoint, "http://env:4318");  // grpc
}

TEST_F(config_yaml_signals, a_bad_environment_value_falls_back_to_the_file_not_the_default) {
  fs::path file = write("logs: { batch: { max_queue_size: 300 } }\njsonl: { max_files: 4 }\n");
  set("OTEL_BLRP_MAX_QUEUE_SIZE", "lots");
  set("AGTEL_JSONL_MAX_FILES", "-3");
  sdk_config c = load_config(file);
  EXPECT_EQ(c.log_batch.max_queue_size, 300u);
  EXPECT_EQ(c.jsonl.max_files, 4u);
  ASSERT_EQ(warnings_.size(), 2u) << warnings();
  EXPECT_THAT(warnings(), HasSubstr("OTEL_BLRP_MAX_QUEUE_SIZE: expected a positive integer, got "
                                    "'lots'; using 300"));
  EXPECT_THAT(warnings(), HasSubstr("AGTEL_JSONL_MAX_FILES: out of range, got '-3'"));
  EXPECT_THAT(warnings(), HasSubstr("using 4"));
}

}  // namespace
}  // namespace agtel
