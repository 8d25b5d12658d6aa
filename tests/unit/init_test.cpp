// agtel::sdk::init / shutdown: the configuration turned into an installed SDK.
#include "agtel/sdk/init.hpp"

#include <errno.h>  // program_invocation_short_name
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/propagation/composite.hpp"
#include "agtel/trace/tracer_provider.hpp"
#include "support/test_support.hpp"

namespace agtel {
namespace {

using ::testing::HasSubstr;
using exporter_kind = sdk_config::exporter_kind;
using sampler_kind = sdk_config::sampler_kind;

const char* const env_variables[] = {
    "OTEL_SDK_DISABLED",       "OTEL_SERVICE_NAME",       "OTEL_RESOURCE_ATTRIBUTES",
    "OTEL_TRACES_SAMPLER",     "OTEL_TRACES_SAMPLER_ARG", "OTEL_TRACES_EXPORTER",
    "OTEL_PROPAGATORS",        "AGTEL_CONSOLE_FORMAT",    "AGTEL_CONFIG_FILE",
    "OTEL_BSP_MAX_QUEUE_SIZE",
};

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
  return c;
}

class init : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : env_variables)
      env_.push_back(std::make_unique<test::scoped_env>(name, std::nullopt));
    sdk::shutdown();  // in case an earlier test left the SDK initialized
    detail::reset_diagnostics_for_testing();
    set_diagnostic_level(diag_level::debug);
    set_diagnostic_handler([this](diag_level l, std::string_view c, std::string_view m) {
      messages_.push_back({l, std::string(c) + ": " + std::string(m)});
    });
  }
  void TearDown() override {
    sdk::shutdown(std::chrono::seconds(1));
    trace::set_global_tracer_provider(nullptr);
    propagation::set_global_propagator(nullptr);
    set_diagnostic_handler(nullptr);
    detail::reset_diagnostics_for_testing();
  }
  std::vector<std::string> at(diag_level level) const {
    std::vector<std::string> out;
    for (const auto& [l, m] : messages_)
      if (l == level) out.push_back(m);
    return out;
  }

  std::vector<std::unique_ptr<test::scoped_env>> env_;
  std::vector<std::pair<diag_level, std::string>> messages_;
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

TEST_F(init, otlp_is_reported_as_missing_never_pretended) {
  sdk_config c;  // the default exporter is otlp
  auto provider = sdk::init(c);
  ASSERT_NE(provider, nullptr);
  auto warnings = at(diag_level::warning);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "sdk: OTEL_TRACES_EXPORTER=otlp: the OTLP exporter is not available in this build; "
            "spans are not exported");
}

TEST_F(init, otlp_next_to_console_says_where_spans_go) {
  sdk_config c;
  c.traces_exporters = {exporter_kind::otlp, exporter_kind::console};
  ::testing::internal::CaptureStdout();
  sdk::init(c);
  sdk::shutdown();
  ::testing::internal::GetCapturedStdout();
  auto warnings = at(diag_level::warning);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr("spans go only to: console"));
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

}  // namespace
}  // namespace agtel
