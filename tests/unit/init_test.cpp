// agtel::sdk::init / shutdown: the configuration turned into an installed SDK.
#include "agtel/sdk/init.hpp"

#include <errno.h>  // program_invocation_short_name
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <mutex>

#include "agtel/diagnostics.hpp"
#include "agtel/logs/logger_provider.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/propagation/composite.hpp"
#include "agtel/trace/tracer_provider.hpp"
#include "support/config_env.hpp"

namespace agtel {
namespace {

using ::testing::HasSubstr;
using exporter_kind = sdk_config::exporter_kind;
using sampler_kind = sdk_config::sampler_kind;

std::string string_attr(const resource& r, std::string_view key) {
  const attribute_value* v = r.attributes.find(key);
  if (!v) return "<missing>";
  auto* s = std::get_if<std::string>(v);
  return s ? *s : "<not a string>";
}

// A configuration that exports nowhere, so tests print nothing.
sdk_config quiet() {
  sdk_config c;
  c.traces_exporters.clear();
  c.metrics_exporters.clear();
  c.logs_exporters.clear();
  return c;
}

class init : public ::testing::Test {
 protected:
  void SetUp() override {
    sdk::shutdown();  // in case an earlier test left the SDK initialized
    messages_.clear();
    test::capture_diagnostics::reset();
  }
  void TearDown() override {
    sdk::shutdown(std::chrono::seconds(1));
    trace::set_global_tracer_provider(nullptr);
    logs::set_global_logger_provider(nullptr);
    propagation::set_global_propagator(nullptr);
  }
  std::vector<std::string> at(diag_level level) const {
    std::vector<std::string> out;
    for (const auto& [l, m] : messages_)
      if (l == level) out.push_back(m);
    return out;
  }

  test::clean_config_env env_;
  std::vector<std::pair<diag_level, std::string>> messages_;
  test::capture_diagnostics diagnostics_{
      [this](diag_level l, std::string_view c, std::string_view m) {
        messages_.push_back({l, std::string(c) + ": " + std::string(m)});
      }};
};

TEST_F(init, installs_the_global_provider) {
  auto provider = sdk::init(quiet());
  ASSERT_NE(provider, nullptr);
  EXPECT_EQ(trace::global_tracer_provider(), provider);
  auto tracer = trace::get_tracer("init_test");
  EXPECT_TRUE(tracer.enabled());
  auto span = tracer.start_span("op");
  EXPECT_TRUE(span.is_recording());  // default sampler: parentbased_always_on
  EXPECT_TRUE(at(diag_level::warning).empty());
}

TEST_F(init, resource_is_default_then_attributes_then_service_name) {
  sdk_config c = quiet();
  c.resource_attributes.set("deployment.environment.name", "prod");
  c.resource_attributes.set("service.name", "from_attributes");
  c.resource_attributes.set("telemetry.sdk.language", "overridden");
  auto provider = sdk::init(c);
  ASSERT_NE(provider, nullptr);
  const resource& r = provider->resource();
  EXPECT_EQ(string_attr(r, "deployment.environment.name"), "prod");
  EXPECT_EQ(string_attr(r, "service.name"), "from_attributes");
  EXPECT_EQ(string_attr(r, "telemetry.sdk.language"), "overridden");
  EXPECT_EQ(string_attr(r, "telemetry.sdk.name"), "agtel");
  sdk::shutdown();

  c.service_name = "coder";
  provider = sdk::init(c);
  EXPECT_EQ(string_attr(provider->resource(), "service.name"), "coder");
}

TEST_F(init, without_a_service_name_the_default_stays) {
  auto provider = sdk::init(quiet());
  EXPECT_EQ(string_attr(provider->resource(), "service.name"),
            "unknown_service:" + std::string(program_invocation_short_name));
}

TEST_F(init, a_second_init_returns_the_same_provider_and_says_so_at_debug) {
  auto first = sdk::init(quiet());
  sdk_config other = quiet();
  other.service_name = "ignored";
  auto second = sdk::init(other);
  EXPECT_EQ(first, second);
  EXPECT_EQ(string_attr(second->resource(), "service.name"),
            "unknown_service:" + std::string(program_invocation_short_name));
  auto debug = at(diag_level::debug);
  ASSERT_EQ(debug.size(), 1u);
  EXPECT_THAT(debug[0], HasSubstr("already initialized"));
  EXPECT_TRUE(at(diag_level::warning).empty());
  EXPECT_EQ(sdk::init(), first);  // the no-argument form too
}

TEST_F(init, concurrent_inits_install_one_provider) {
  std::vector<std::shared_ptr<trace::tracer_provider>> got(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < got.size(); ++i)
    threads.emplace_back([&got, i] { got[i] = sdk::init(quiet()); });
  for (auto& t : threads) t.join();
  ASSERT_NE(got[0], nullptr);
  for (const auto& p : got) EXPECT_EQ(p, got[0]);
  EXPECT_EQ(trace::global_tracer_provider(), got[0]);
}

TEST_F(init, shutdown_then_init_again) {
  auto first = sdk::init(quiet());
  EXPECT_EQ(sdk::shutdown(), sdk_result::ok);
  EXPECT_FALSE(trace::get_tracer("after").enabled());  // the shut-down provider records nothing
  EXPECT_EQ(sdk::shutdown(), sdk_result::already_shutdown);
  auto second = sdk::init(quiet());
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second, first);
  EXPECT_EQ(trace::global_tracer_provider(), second);
}

TEST_F(init, shutdown_without_init) {
  EXPECT_EQ(sdk::shutdown(), sdk_result::already_shutdown);
}

TEST_F(init, disabled_installs_nothing) {
  sdk_config c = quiet();
  c.disabled = true;
  EXPECT_EQ(sdk::init(c), nullptr);
  EXPECT_EQ(trace::global_tracer_provider(), nullptr);
  EXPECT_FALSE(trace::get_tracer("x").enabled());
  auto info = at(diag_level::info);
  ASSERT_EQ(info.size(), 1u);
  EXPECT_THAT(info[0], HasSubstr("disabled"));
  EXPECT_EQ(sdk::shutdown(), sdk_result::already_shutdown);
}

TEST_F(init, disabled_still_installs_the_configured_propagator) {
  sdk_config c = quiet();
  c.disabled = true;
  c.propagators = {"baggage"};
  sdk::init(c);
  auto fields = propagation::global_propagator()->fields();
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0], "baggage");
}

// A loopback OTLP/HTTP sink that records the path and Content-Type of each request.
class otlp_sink {
 public:
  otlp_sink() {
    server_.Post(R"(/v1/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      requests_.push_back(req.path + " " + req.get_header_value("Content-Type"));
      res.status = 200;
      res.set_content("", req.get_header_value("Content-Type"));
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~otlp_sink() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<std::string> requests_;
};

// OTEL_EXPORTER_OTLP_PROTOCOL alone switches the transport of every signal.
TEST_F(init, otlp_traces_and_metrics_follow_the_protocol_variable) {
  for (const char* protocol : {"http/protobuf", "http/json"}) {
    SCOPED_TRACE(protocol);
    otlp_sink sink;
    test::scoped_env endpoint("OTEL_EXPORTER_OTLP_ENDPOINT", sink.url());
    test::scoped_env proto("OTEL_EXPORTER_OTLP_PROTOCOL", protocol);
    sdk_config c = config_from_env();
    ASSERT_NE(sdk::init(c), nullptr);
    trace::get_tracer("init_test").start_span("exported").end();
    auto meters = metrics::global_meter_provider();
    ASSERT_NE(meters, nullptr);
    meters->get_meter("init_test").create_counter<int64_t>("init.requests").add(1);
    logs::get_logger("init_test").emit(logs::severity::info, "exported");
    EXPECT_EQ(sdk::shutdown(std::chrono::seconds(5)), sdk_result::ok);
    const std::string type =
        std::string(protocol) == "http/json" ? "application/json" : "application/x-protobuf";
    EXPECT_THAT(sink.requests(),
                ::testing::UnorderedElementsAre("/v1/traces " + type, "/v1/metrics " + type,
                                                "/v1/logs " + type));
  }
}

TEST_F(init, shutdown_stops_the_meter_provider) {
  sdk_config c = quiet();
  c.metrics_exporters = {exporter_kind::prometheus};
  c.prometheus_port = 0;  // a free port
  ASSERT_NE(sdk::init(c), nullptr);
  auto meters = metrics::global_meter_provider();
  ASSERT_NE(meters, nullptr);
  EXPECT_EQ(sdk::shutdown(), sdk_result::ok);
  EXPECT_NE(metrics::global_meter_provider(), meters);
  EXPECT_EQ(meters->shutdown(), sdk_result::already_shutdown);
}

TEST_F(init, console_metrics_exporter_is_reported_as_missing_never_pretended) {
  sdk_config c = quiet();
  c.metrics_exporters = {exporter_kind::console};
  sdk::init(c);
  auto warnings = at(diag_level::warning);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("OTEL_METRICS_EXPORTER=console"));
}

TEST_F(init, console_exporter_in_json_prints_spans_by_shutdown) {
  sdk_config c = quiet();
  c.traces_exporters = {exporter_kind::console};
  c.console = sdk_config::console_format::json;
  c.service_name = "json_service";
  ::testing::internal::CaptureStdout();
  sdk::init(c);
  trace::get_tracer("init_test").start_span("printed_span").end();
  EXPECT_EQ(sdk::shutdown(), sdk_result::ok);
  std::fflush(stdout);
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_THAT(out, HasSubstr("\"printed_span\""));
  EXPECT_THAT(out, HasSubstr("json_service"));
  EXPECT_EQ(out.front(), '{');
}

TEST_F(init, console_exporter_in_tree_prints_spans_by_shutdown) {
  sdk_config c = quiet();
  c.traces_exporters = {exporter_kind::console};
  ::testing::internal::CaptureStdout();
  sdk::init(c);
  trace::get_tracer("init_test").start_span("tree_span").end();
  sdk::shutdown();
  std::fflush(stdout);
  std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_THAT(out, HasSubstr("tree_span"));
  EXPECT_NE(out.front(), '{');
}

TEST_F(init, sampler_choices_reach_the_provider) {
  struct tc {
    sampler_kind kind;
    double ratio;
    bool root_sampled;
  };
  const tc cases[] = {
      {sampler_kind::always_on, 1.0, true},
      {sampler_kind::always_off, 1.0, false},
      {sampler_kind::traceidratio, 0.0, false},
      {sampler_kind::traceidratio, 1.0, true},
      {sampler_kind::parentbased_always_on, 1.0, true},
      {sampler_kind::parentbased_always_off, 1.0, false},
      {sampler_kind::parentbased_traceidratio, 0.0, false},
      {sampler_kind::parentbased_traceidratio, 1.0, true},
  };
  for (const auto& t : cases) {
    sdk_config c = quiet();
    c.sampler = t.kind;
    c.sampler_ratio = t.ratio;
    auto provider = sdk::init(c);
    ASSERT_NE(provider, nullptr);
    auto span = provider->get_tracer("init_test").start_span("root");
    EXPECT_EQ(span.context().sampled(), t.root_sampled) << to_string(t.kind) << " " << t.ratio;
    span.end();
    sdk::shutdown();
  }
}

TEST_F(init, parent_based_follows_a_sampled_parent) {
  sdk_config c = quiet();
  c.sampler = sampler_kind::parentbased_always_off;
  auto provider = sdk::init(c);
  auto tracer = provider->get_tracer("init_test");
  auto root = tracer.start_span("root");
  EXPECT_FALSE(root.context().sampled());
  // A sampled remote parent is followed even though the root sampler is always_off.
  trace::span_context parent = trace::span_context(
      trace::trace_id::from_hex("4bf92f3577b34da6a3ce929d0e0e4736").value(),
      trace::span_id::from_hex("00f067aa0ba902b7").value(), trace::trace_flags{1}, true);
  auto child = tracer.start_span("child", {.parent = &parent});
  EXPECT_TRUE(child.context().sampled());
}

TEST_F(init, limits_reach_the_provider) {
  sdk_config c = quiet();
  c.limits.attribute_count = 3;
  c.limits.event_count = 4;
  auto provider = sdk::init(c);
  EXPECT_EQ(provider->limits().attribute_count, 3u);
  EXPECT_EQ(provider->limits().event_count, 4u);
}

TEST_F(init, propagators_are_installed_globally) {
  sdk_config c = quiet();
  c.propagators = {"tracecontext"};
  sdk::init(c);
  auto fields = propagation::global_propagator()->fields();
  EXPECT_EQ(std::vector<std::string_view>(fields.begin(), fields.end()),
            (std::vector<std::string_view>{"traceparent", "tracestate"}));
}

TEST_F(init, an_empty_propagator_list_means_none) {
  sdk_config c = quiet();
  c.propagators.clear();
  sdk::init(c);
  EXPECT_TRUE(propagation::global_propagator()->fields().empty());
}

TEST_F(init, no_argument_init_reads_the_environment) {
  test::scoped_env a("OTEL_SERVICE_NAME", "from_env");
  test::scoped_env b("OTEL_TRACES_EXPORTER", "none");
  test::scoped_env d("OTEL_TRACES_SAMPLER", "always_off");
  auto provider = sdk::init();
  ASSERT_NE(provider, nullptr);
  EXPECT_EQ(string_attr(provider->resource(), "service.name"), "from_env");
  EXPECT_FALSE(provider->get_tracer("t").start_span("s").context().sampled());
  EXPECT_TRUE(at(diag_level::warning).empty());
}

TEST_F(init, no_argument_init_honours_otel_sdk_disabled) {
  test::scoped_env a("OTEL_SDK_DISABLED", "true");
  EXPECT_EQ(sdk::init(), nullptr);
  EXPECT_EQ(trace::global_tracer_provider(), nullptr);
}

// ---- Logs and JSON lines ----

namespace fs = std::filesystem;

// A fresh directory for jsonl files, removed at the end of the test.
struct temp_dir {
  fs::path path =
      fs::temp_directory_path() / ("agtel_init_jsonl_" + std::to_string(getpid()) + "_" +
                                   ::testing::UnitTest::GetInstance()->current_test_info()->name());
  temp_dir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  // Every line of every file of `signal` ("traces", "metrics", "logs"), parsed.
  std::vector<nlohmann::json> lines(const std::string& signal) const {
    std::vector<nlohmann::json> out;
    for (const auto& e : fs::directory_iterator(path)) {
      if (e.path().filename().string().find("-" + signal + "-") == std::string::npos) continue;
      std::ifstream in(e.path());
      for (std::string line; std::getline(in, line);)
        out.push_back(nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false));
    }
    return out;
  }
};

TEST_F(init, a_log_record_inside_a_span_reaches_the_jsonl_file_with_its_trace_and_span) {
  temp_dir dir;
  sdk_config c = quiet();
  c.service_name = "jsonl_service";
  c.traces_exporters = {exporter_kind::jsonl};
  c.logs_exporters = {exporter_kind::jsonl};
  c.jsonl.directory = dir.path.string();
  ASSERT_NE(sdk::init(c), nullptr);
  ASSERT_NE(logs::global_logger_provider(), nullptr);

  auto log = logs::get_logger("init_test");
  auto span = trace::get_tracer("init_test").start_span("tool_call");
  const std::string trace_id = span.context().trace_id().to_hex();
  const std::string span_id = span.context().span_id().to_hex();
  {
    auto active = span.activate();
    log.emit(logs::severity::warn, "tool timed out", {{"tool.name", "grep"}});
  }
  span.end();
  log.emit(logs::severity::info, "outside any span");
  EXPECT_EQ(sdk::shutdown(std::chrono::seconds(5)), sdk_result::ok);

  auto log_lines = dir.lines("logs");
  ASSERT_EQ(log_lines.size(), 1u);  // one batch, flushed by shutdown
  const auto& rl = log_lines[0]["resourceLogs"][0];
  EXPECT_THAT(rl["resource"].dump(), HasSubstr("jsonl_service"));  // the provider's resource
  const auto& records = rl["scopeLogs"][0]["logRecords"];
  ASSERT_EQ(records.size(), 2u) << log_lines[0].dump();
  EXPECT_EQ(records[0]["body"]["stringValue"], "tool timed out");
  EXPECT_EQ(records[0]["traceId"], trace_id);
  EXPECT_EQ(records[0]["spanId"], span_id);
  EXPECT_EQ(records[1]["body"]["stringValue"], "outside any span");
  EXPECT_FALSE(records[1].contains("traceId") && records[1]["traceId"] == trace_id);

  auto span_lines = dir.lines("traces");
  ASSERT_EQ(span_lines.size(), 1u);
  const auto& spans = span_lines[0]["resourceSpans"][0]["scopeSpans"][0]["spans"];
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0]["traceId"], trace_id);
  EXPECT_EQ(spans[0]["spanId"], span_id);
  EXPECT_TRUE(at(diag_level::warning).empty());
}

TEST_F(init, jsonl_metrics_are_written_at_shutdown_in_the_configured_temporality) {
  temp_dir dir;
  sdk_config c = quiet();
  c.metrics_exporters = {exporter_kind::jsonl};
  c.metrics_temporality = sdk_config::temporality_preference::delta;
  c.jsonl.directory = dir.path.string();
  ASSERT_NE(sdk::init(c), nullptr);
  metrics::global_meter_provider()
      ->get_meter("init_test")
      .create_counter<int64_t>("jsonl.calls")
      .add(3);
  EXPECT_EQ(sdk::shutdown(std::chrono::seconds(5)), sdk_result::ok);
  auto lines = dir.lines("metrics");
  ASSERT_FALSE(lines.empty());
  const std::string all = lines.back().dump();
  EXPECT_THAT(all, HasSubstr("\"jsonl.calls\""));
  EXPECT_THAT(all, HasSubstr("\"aggregationTemporality\":1"));  // DELTA
}

TEST_F(init, otlp_exporters_counts_are_exported_as_metrics) {
  otlp_sink sink;
  temp_dir dir;
  sdk_config c = quiet();
  c.traces_exporters = {exporter_kind::otlp};
  c.metrics_exporters = {exporter_kind::jsonl};
  c.otlp.endpoint = sink.url();
  c.jsonl.directory = dir.path.string();
  ASSERT_NE(sdk::init(c), nullptr);
  trace::get_tracer("init_test").start_span("counted").end();
  // Shutdown ends the tracer provider first, so the last metric collection sees the span
  // exporter's final count.
  EXPECT_EQ(sdk::shutdown(std::chrono::seconds(5)), sdk_result::ok);
  auto lines = dir.lines("metrics");
  ASSERT_FALSE(lines.empty());
  const std::string all = lines.back().dump();
  EXPECT_THAT(all, HasSubstr("\"otel.sdk.exporter.span.exported\""));
  EXPECT_THAT(all, HasSubstr("\"otlp_http_span_exporter\""));
  EXPECT_THAT(all, HasSubstr("\"asInt\":\"1\""));
}

TEST_F(init, jsonl_rotation_settings_reach_the_exporter) {
  temp_dir dir;
  sdk_config c = quiet();
  c.logs_exporters = {exporter_kind::jsonl};
  c.jsonl.directory = dir.path.string();
  c.jsonl.max_file_bytes = 1024;  // every batch below is larger: one file each
  c.jsonl.max_files = 2;
  c.log_batch.max_export_batch_size = 1;
  ASSERT_NE(sdk::init(c), nullptr);
  auto log = logs::get_logger("init_test");
  const std::string big(1500, 'x');
  for (int i = 0; i < 4; ++i) {
    log.emit(logs::severity::info, big);
    ASSERT_EQ(logs::global_logger_provider()->force_flush(std::chrono::seconds(5)), sdk_result::ok);
  }
  EXPECT_EQ(sdk::shutdown(), sdk_result::ok);
  size_t files = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path)) ++files;
  EXPECT_EQ(files, 2u);  // max_files
  EXPECT_EQ(dir.lines("logs").size(), 2u);
}

TEST_F(init, logger_provider_gets_the_resource_and_the_log_limits) {
  temp_dir dir;
  sdk_config c = quiet();
  c.logs_exporters = {exporter_kind::jsonl};
  c.jsonl.directory = dir.path.string();
  c.service_name = "limited";
  c.log_limits.attribute_count = 1;
  c.log_limits.attribute_value_length = 3;
  ASSERT_NE(sdk::init(c), nullptr);
  auto provider = logs::global_logger_provider();
  ASSERT_NE(provider, nullptr);
  EXPECT_EQ(string_attr(provider->resource(), "service.name"), "limited");
  EXPECT_EQ(provider->limits().attribute_count, 1u);
  EXPECT_EQ(provider->limits().attribute_value_length, 3u);
  logs::get_logger("init_test")
      .emit(logs::severity::info, "body is never cut", {{"a", "abcdef"}, {"b", "dropped"}});
  EXPECT_EQ(sdk::shutdown(), sdk_result::ok);
  auto lines = dir.lines("logs");
  ASSERT_EQ(lines.size(), 1u);
  const auto& rec = lines[0]["resourceLogs"][0]["scopeLogs"][0]["logRecords"][0];
  EXPECT_EQ(rec["body"]["stringValue"], "body is never cut");
  ASSERT_EQ(rec["attributes"].size(), 1u);
  EXPECT_EQ(rec["attributes"][0]["value"]["stringValue"], "abc");
  EXPECT_EQ(rec["droppedAttributesCount"], 1);
}

TEST_F(init, without_a_logs_exporter_no_logger_provider_is_installed) {
  ASSERT_NE(sdk::init(quiet()), nullptr);
  EXPECT_EQ(logs::global_logger_provider(), nullptr);
  EXPECT_FALSE(logs::get_logger("init_test").enabled());
}

TEST_F(init, shutdown_shuts_the_logger_provider_down_and_uninstalls_it) {
  temp_dir dir;
  sdk_config c = quiet();
  c.logs_exporters = {exporter_kind::jsonl};
  c.jsonl.directory = dir.path.string();
  ASSERT_NE(sdk::init(c), nullptr);
  auto provider = logs::global_logger_provider();
  ASSERT_NE(provider, nullptr);
  auto log = logs::get_logger("init_test");
  EXPECT_TRUE(log.enabled(logs::severity::info));
  EXPECT_EQ(sdk::shutdown(), sdk_result::ok);
  EXPECT_EQ(logs::global_logger_provider(), nullptr);
  EXPECT_FALSE(log.enabled(logs::severity::info));  // the old handle is disabled
  EXPECT_EQ(provider->shutdown(), sdk_result::already_shutdown);
}

TEST_F(init, console_logs_exporter_is_reported_as_missing_never_pretended) {
  sdk_config c = quiet();
  c.logs_exporters = {exporter_kind::console};
  ASSERT_NE(sdk::init(c), nullptr);
  auto warnings = at(diag_level::warning);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("OTEL_LOGS_EXPORTER=console"));
  EXPECT_EQ(logs::global_logger_provider(), nullptr);  // nothing to export to
}

// A logs endpoint that never answers: shutdown still returns within its one deadline
// (traces, logs and metrics share it), reporting the timeout.
TEST_F(init, shutdown_keeps_one_deadline_when_the_logs_exporter_hangs) {
  httplib::Server server;
  std::mutex m;
  std::condition_variable cv;
  bool release = false;
  server.Post(R"(/v1/.*)", [&](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(m);
    cv.wait_for(lock, std::chrono::seconds(10), [&] { return release; });
    res.status = 200;
  });
  server.set_keep_alive_max_count(1);  // so that stop() does not wait out a keep-alive
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread t([&] { server.listen_after_bind(); });
  sdk_config c = quiet();
  c.logs_exporters = {exporter_kind::otlp};
  c.metrics_exporters = {exporter_kind::otlp};
  c.otlp.endpoint = "http://127.0.0.1:" + std::to_string(port);
  ASSERT_NE(sdk::init(c), nullptr);
  logs::get_logger("init_test").emit(logs::severity::info, "stuck");
  metrics::global_meter_provider()->get_meter("init_test").create_counter<int64_t>("c").add(1);
  const auto start = std::chrono::steady_clock::now();
  sdk_result r = sdk::shutdown(std::chrono::milliseconds(500));
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_NE(r, sdk_result::ok);
  EXPECT_LT(took, std::chrono::milliseconds(1500));
  EXPECT_EQ(logs::global_logger_provider(), nullptr);
  {
    std::lock_guard lock(m);
    release = true;
  }
  cv.notify_all();
  server.stop();
  t.join();
}

TEST_F(init, logs_settings_from_the_environment_reach_init) {
  temp_dir dir;
  test::scoped_env exporter("OTEL_LOGS_EXPORTER", "jsonl");
  test::scoped_env directory("AGTEL_JSONL_DIRECTORY", dir.path.string());
  test::scoped_env traces("OTEL_TRACES_EXPORTER", "none");
  test::scoped_env metrics("OTEL_METRICS_EXPORTER", "none");
  ASSERT_NE(sdk::init(), nullptr);
  logs::get_logger("init_test").emit(logs::severity::error, "from the environment");
  EXPECT_EQ(sdk::shutdown(), sdk_result::ok);
  auto lines = dir.lines("logs");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0].dump(), HasSubstr("from the environment"));
}

}  // namespace
}  // namespace agtel
