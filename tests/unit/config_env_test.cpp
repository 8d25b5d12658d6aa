// The environment layer of the configuration: every OTEL_* rule and its bad inputs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/sdk/config.hpp"
#include "support/config_env.hpp"

namespace agtel {
namespace {

using ::testing::HasSubstr;
using sampler = sdk_config::sampler_kind;
using exporter = sdk_config::exporter_kind;
using std::chrono::milliseconds;

// Unsets every variable the configuration reads, captures diagnostics (all levels, no rate
// limit history), and restores everything afterwards.
class config_env : public ::testing::Test {
 protected:
  // Sets one variable for the rest of the test (or until unset_all()).
  void set(const char* name, std::string value) { env_.set(name, std::move(value)); }
  void unset_all() { env_.unset_all(); }
  // Forgets the warnings so far, and the rate limiter's count (10 per window), so that a
  // loop over many bad inputs sees every message.
  void clear() {
    warnings_.clear();
    test::capture_diagnostics::reset();
  }
  std::string warnings() const {
    std::string all;
    for (const auto& w : warnings_) all += w + "\n";
    return all;
  }
  std::string string_attr(const sdk_config& c, std::string_view key) {
    const attribute_value* v = c.resource_attributes.find(key);
    if (!v) return "<missing>";
    auto* s = std::get_if<std::string>(v);
    return s ? *s : "<not a string>";
  }

  test::clean_config_env env_;
  std::vector<std::string> warnings_, other_;
  test::capture_diagnostics diagnostics_{
      [this](diag_level l, std::string_view c, std::string_view m) {
        if (l >= diag_level::warning)
          warnings_.push_back(std::string(c) + ": " + std::string(m));
        else
          other_.push_back(std::string(m));
      }};
};

TEST_F(config_env, nothing_set_gives_the_spec_defaults) {
  sdk_config c = config_from_env();
  EXPECT_FALSE(c.disabled);
  EXPECT_EQ(c.service_name, "");
  EXPECT_TRUE(c.resource_attributes.empty());
  EXPECT_EQ(c.sampler, sampler::parentbased_always_on);
  EXPECT_EQ(c.sampler_ratio, 1.0);
  EXPECT_EQ(c.traces_exporters, std::vector<exporter>{exporter::otlp});
  EXPECT_EQ(c.console, sdk_config::console_format::tree);
  EXPECT_EQ(c.propagators, (std::vector<std::string>{"tracecontext", "baggage"}));
  EXPECT_EQ(c.batch.schedule_delay, milliseconds(5000));
  EXPECT_EQ(c.batch.export_timeout, milliseconds(30000));
  EXPECT_EQ(c.batch.max_queue_size, 2048u);
  EXPECT_EQ(c.batch.max_export_batch_size, 512u);
  EXPECT_EQ(c.limits.attribute_count, 128u);
  EXPECT_EQ(c.limits.attribute_value_length, SIZE_MAX);
  EXPECT_EQ(c.limits.event_count, 128u);
  EXPECT_EQ(c.limits.link_count, 128u);
  EXPECT_EQ(c.limits.attributes_per_event, 128u);
  EXPECT_EQ(c.limits.attributes_per_link, 128u);
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, empty_and_blank_values_are_unset) {
  for (const char* name : test::config_variables) set(name, "");
  sdk_config base;
  base.disabled = true;
  base.batch.max_queue_size = 7;
  base.service_name = "from_file";
  sdk_config c = config_from_env(base);
  EXPECT_TRUE(c.disabled);
  EXPECT_EQ(c.batch.max_queue_size, 7u);
  EXPECT_EQ(c.service_name, "from_file");
  EXPECT_EQ(warnings(), "");

  unset_all();
  for (const char* name : test::config_variables) set(name, "  \t ");
  c = config_from_env(base);
  EXPECT_EQ(c.batch.max_queue_size, 7u);
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, environment_overrides_the_base_only_where_set) {
  sdk_config base;
  base.batch.max_queue_size = 100;
  base.batch.max_export_batch_size = 10;
  base.sampler = sampler::always_off;
  set("OTEL_BSP_MAX_QUEUE_SIZE", "300");
  sdk_config c = config_from_env(base);
  EXPECT_EQ(c.batch.max_queue_size, 300u);
  EXPECT_EQ(c.batch.max_export_batch_size, 10u);
  EXPECT_EQ(c.sampler, sampler::always_off);
}

// --- booleans ---------------------------------------------------------------------------

TEST_F(config_env, sdk_disabled_true_in_any_case) {
  for (const char* v : {"true", "TRUE", "True", " true "}) {
    unset_all();
    set("OTEL_SDK_DISABLED", v);
    EXPECT_TRUE(config_from_env().disabled) << v;
  }
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, sdk_disabled_false_without_a_warning) {
  sdk_config base;
  base.disabled = true;
  for (const char* v : {"false", "FALSE", "False"}) {
    unset_all();
    set("OTEL_SDK_DISABLED", v);
    EXPECT_FALSE(config_from_env(base).disabled) << v;
  }
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, sdk_disabled_other_values_are_false_and_reported) {
  sdk_config base;
  base.disabled = true;  // the spec: anything but "true" is false, whatever came before
  for (const char* v : {"1", "yes", "on", "t", "truee", "\xc3\xa9t\xc3\xa9", "\x01"}) {
    clear();
    unset_all();
    set("OTEL_SDK_DISABLED", v);
    EXPECT_FALSE(config_from_env(base).disabled) << v;
    ASSERT_EQ(warnings_.size(), 1u) << v;
    EXPECT_THAT(warnings_[0], HasSubstr("OTEL_SDK_DISABLED"));
    EXPECT_THAT(warnings_[0], HasSubstr("using false"));
  }
  EXPECT_THAT(warnings_[0], HasSubstr("\\x01"));  // control bytes are escaped in messages
}

// --- service name and resource attributes ------------------------------------------------

TEST_F(config_env, service_name) {
  set("OTEL_SERVICE_NAME", "planner");
  EXPECT_EQ(config_from_env().service_name, "planner");
}

TEST_F(config_env, service_name_must_be_utf8) {
  sdk_config base;
  base.service_name = "keep";
  set("OTEL_SERVICE_NAME", "bad\xff\xfe");
  EXPECT_EQ(config_from_env(base).service_name, "keep");
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("OTEL_SERVICE_NAME"));
  EXPECT_THAT(warnings_[0], HasSubstr("\\xff"));
}

TEST_F(config_env, resource_attributes_are_parsed_as_strings) {
  set("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=prod, team = agents ,n=42");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.resource_attributes.size(), 3u);
  EXPECT_EQ(string_attr(c, "deployment.environment.name"), "prod");
  EXPECT_EQ(string_attr(c, "team"), "agents");
  EXPECT_EQ(string_attr(c, "n"), "42");
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, resource_attributes_are_percent_decoded) {
  set("OTEL_RESOURCE_ATTRIBUTES",
      "a%2Cb=c%3Dd,path=%2Fhome%2Fme,check=%E2%9C%93,space=two%20words,pct=100%25");
  sdk_config c = config_from_env();
  EXPECT_EQ(string_attr(c, "a,b"), "c=d");
  EXPECT_EQ(string_attr(c, "path"), "/home/me");
  EXPECT_EQ(string_attr(c, "check"), "\xE2\x9C\x93");
  EXPECT_EQ(string_attr(c, "space"), "two words");
  EXPECT_EQ(string_attr(c, "pct"), "100%");
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, resource_attributes_lenient_forms) {
  // Empty entries carry nothing; an empty value is a value; '=' after the first is part of
  // the value; raw UTF-8 is accepted (other characters "MAY be percent encoded").
  set("OTEL_RESOURCE_ATTRIBUTES", ",a=1,,b=,k8s.label=app=web,name=caf\xc3\xa9,");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.resource_attributes.size(), 4u);
  EXPECT_EQ(string_attr(c, "a"), "1");
  EXPECT_EQ(string_attr(c, "b"), "");
  EXPECT_EQ(string_attr(c, "k8s.label"), "app=web");
  EXPECT_EQ(string_attr(c, "name"), "caf\xc3\xa9");
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, resource_attributes_merge_over_the_base_key_by_key) {
  sdk_config base;
  base.resource_attributes.set("a", "file");
  base.resource_attributes.set("b", "file");
  set("OTEL_RESOURCE_ATTRIBUTES", "b=env,c=env");
  sdk_config c = config_from_env(base);
  EXPECT_EQ(string_attr(c, "a"), "file");
  EXPECT_EQ(string_attr(c, "b"), "env");
  EXPECT_EQ(string_attr(c, "c"), "env");
}

TEST_F(config_env, service_name_precedence) {
  sdk_config base;
  base.service_name = "from_file";
  set("OTEL_RESOURCE_ATTRIBUTES", "service.name=from_attributes");
  EXPECT_EQ(config_from_env(base).service_name, "from_attributes");
  set("OTEL_SERVICE_NAME", "from_service_name");  // the spec: OTEL_SERVICE_NAME wins
  EXPECT_EQ(config_from_env(base).service_name, "from_service_name");
}

struct bad_attributes_case {
  const char* value;
  const char* names;  // what the message must quote
};

TEST_F(config_env, any_invalid_resource_attribute_discards_the_whole_variable) {
  const bad_attributes_case cases[] = {
      {"a=1,novalue,b=2", "'novalue'"}, {"a=1,=2", "empty key"},    {"a=1, =2", "empty key"},
      {"a=1,bad=%zz", "'bad'"},         {"a=1,bad=%4", "'bad'"},    {"a=1,bad=abc%", "'bad'"},
      {"a=1,bad=%FF%FE", "'bad'"},                                   // decodes to invalid UTF-8
      {"a=1,bad=\xff", "'bad'"},                                     // raw invalid UTF-8
      {"a=1,bad=x\x01y", "'bad'"},                                   // raw control character
      {"a=1,%zz=1", "key '%zz'"},       {"a=1,%C3=1", "key '%C3'"},  // a truncated UTF-8 sequence
  };
  for (const auto& tc : cases) {
    clear();
    unset_all();
    sdk_config base;
    base.resource_attributes.set("kept", "yes");
    set("OTEL_RESOURCE_ATTRIBUTES", tc.value);
    sdk_config c = config_from_env(base);
    EXPECT_EQ(c.resource_attributes.size(), 1u) << tc.value;  // nothing from the variable
    EXPECT_EQ(c.resource_attributes.find("a"), nullptr) << tc.value;
    EXPECT_EQ(string_attr(c, "kept"), "yes");
    ASSERT_EQ(warnings_.size(), 1u) << tc.value << "\n" << warnings();
    EXPECT_THAT(warnings_[0], HasSubstr("OTEL_RESOURCE_ATTRIBUTES"));
    EXPECT_THAT(warnings_[0], HasSubstr(tc.names)) << tc.value;
    EXPECT_THAT(warnings_[0], HasSubstr("the whole variable is ignored"));
  }
}

TEST_F(config_env, percent_encoded_control_characters_are_text) {
  // Only raw control characters are invalid; encoded ones are ordinary UTF-8 text.
  set("OTEL_RESOURCE_ATTRIBUTES", "multi=line%0Atwo");
  EXPECT_EQ(string_attr(config_from_env(), "multi"), "line\ntwo");
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, invalid_resource_attributes_keep_the_service_name_from_the_base) {
  sdk_config base;
  base.service_name = "from_file";
  set("OTEL_RESOURCE_ATTRIBUTES", "service.name=x,broken");
  EXPECT_EQ(config_from_env(base).service_name, "from_file");
}

TEST_F(config_env, oversized_resource_attributes) {
  // 2000 attributes of 50-byte values: parsed, nothing lost.
  std::string big;
  for (int i = 0; i < 2000; ++i) big += "k" + std::to_string(i) + "=" + std::string(50, 'v') + ",";
  set("OTEL_RESOURCE_ATTRIBUTES", big);
  EXPECT_EQ(config_from_env().resource_attributes.size(), 2000u);

  // One huge invalid entry: the message quotes a bounded prefix only.
  unset_all();
  set("OTEL_RESOURCE_ATTRIBUTES", std::string(100'000, 'x'));
  EXPECT_TRUE(config_from_env().resource_attributes.empty());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_LT(warnings_[0].size(), 300u);
  EXPECT_THAT(warnings_[0], HasSubstr("..."));
}

// --- sampler ----------------------------------------------------------------------------

TEST_F(config_env, every_spec_sampler_name_case_insensitive) {
  const std::pair<const char*, sampler> cases[] = {
      {"always_on", sampler::always_on},
      {"ALWAYS_OFF", sampler::always_off},
      {"traceidratio", sampler::traceidratio},
      {"parentbased_always_on", sampler::parentbased_always_on},
      {"ParentBased_Always_Off", sampler::parentbased_always_off},
      {"parentbased_traceidratio", sampler::parentbased_traceidratio},
  };
  for (auto [text, kind] : cases) {
    unset_all();
    set("OTEL_TRACES_SAMPLER", text);
    EXPECT_EQ(config_from_env().sampler, kind) << text;
  }
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, unknown_sampler_is_reported_and_the_base_kept) {
  for (const char* v : {"jaeger_remote", "xray", "always-on", "\xe2\x9c\x93"}) {
    clear();
    unset_all();
    sdk_config base;
    base.sampler = sampler::always_off;
    set("OTEL_TRACES_SAMPLER", v);
    EXPECT_EQ(config_from_env(base).sampler, sampler::always_off) << v;
    ASSERT_EQ(warnings_.size(), 1u);
    EXPECT_THAT(warnings_[0], HasSubstr("OTEL_TRACES_SAMPLER"));
    EXPECT_THAT(warnings_[0], HasSubstr(std::string("'") + v + "'"));
    EXPECT_THAT(warnings_[0], HasSubstr("using always_off"));
  }
}

TEST_F(config_env, sampler_arg_sets_the_ratio_of_ratio_samplers) {
  set("OTEL_TRACES_SAMPLER", "parentbased_traceidratio");
  const std::pair<const char*, double> cases[] = {{"0.25", 0.25}, {"0", 0.0},       {"1", 1.0},
                                                  {"1.0", 1.0},   {"2.5e-1", 0.25}, {".5", 0.5}};
  for (auto [text, value] : cases) {
    set("OTEL_TRACES_SAMPLER_ARG", text);
    EXPECT_EQ(config_from_env().sampler_ratio, value) << text;
  }
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, invalid_sampler_arg_is_reported_and_the_base_ratio_kept) {
  set("OTEL_TRACES_SAMPLER", "traceidratio");
  for (const char* v : {"1.5", "-0.1", "abc", "nan", "inf", "-inf", "0x1p-2", "50%", "0.5.1",
                        "1e400", "\xd9\xa0.5"}) {
    clear();
    set("OTEL_TRACES_SAMPLER_ARG", v);
    sdk_config base;
    base.sampler_ratio = 0.75;
    EXPECT_EQ(config_from_env(base).sampler_ratio, 0.75) << v;
    ASSERT_EQ(warnings_.size(), 1u) << v;
    EXPECT_THAT(warnings_[0], HasSubstr("OTEL_TRACES_SAMPLER_ARG"));
    EXPECT_THAT(warnings_[0], HasSubstr("between 0 and 1"));
    EXPECT_THAT(warnings_[0], ::testing::EndsWith("; using 0.75"));
  }
}

TEST_F(config_env, sampler_arg_without_a_sampler_is_ignored_and_reported) {
  set("OTEL_TRACES_SAMPLER_ARG", "0.1");
  sdk_config base;
  base.sampler = sampler::traceidratio;  // e.g. from the file
  base.sampler_ratio = 0.5;
  EXPECT_EQ(config_from_env(base).sampler_ratio, 0.5);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("OTEL_TRACES_SAMPLER_ARG"));
  EXPECT_THAT(warnings_[0], HasSubstr("OTEL_TRACES_SAMPLER is not set"));
}

TEST_F(config_env, sampler_arg_for_a_sampler_without_argument_is_ignored) {
  set("OTEL_TRACES_SAMPLER", "always_on");
  set("OTEL_TRACES_SAMPLER_ARG", "0.1");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.sampler, sampler::always_on);
  EXPECT_EQ(c.sampler_ratio, 1.0);
  EXPECT_EQ(warnings(), "");
  ASSERT_FALSE(other_.empty());  // said at debug level
  EXPECT_THAT(other_.back(), HasSubstr("takes no argument"));
}

TEST_F(config_env, sampler_arg_of_an_unknown_sampler_goes_with_it) {
  set("OTEL_TRACES_SAMPLER", "jaeger_remote");
  set("OTEL_TRACES_SAMPLER_ARG", "endpoint=http://localhost:14250");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.sampler, sampler::parentbased_always_on);
  EXPECT_EQ(warnings_.size(), 1u) << warnings();  // only the sampler is reported
}

// --- exporters, console format, propagators ---------------------------------------------

TEST_F(config_env, traces_exporter_values) {
  struct tc {
    const char* value;
    std::vector<exporter> expected;
  };
  const tc cases[] = {
      {"console", {exporter::console}},
      {"otlp", {exporter::otlp}},
      {"none", {}},
      {"NONE", {}},
      {"console,otlp", {exporter::console, exporter::otlp}},
      {" otlp , CONSOLE ,console", {exporter::otlp, exporter::console}},
  };
  for (const auto& c : cases) {
    unset_all();
    set("OTEL_TRACES_EXPORTER", c.value);
    EXPECT_EQ(config_from_env().traces_exporters, c.expected) << c.value;
  }
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, unknown_exporters_are_reported) {
  set("OTEL_TRACES_EXPORTER", "zipkin,console,logging");
  EXPECT_EQ(config_from_env().traces_exporters, std::vector<exporter>{exporter::console});
  ASSERT_EQ(warnings_.size(), 2u);
  EXPECT_THAT(warnings_[0], HasSubstr("OTEL_TRACES_EXPORTER: unknown exporter 'zipkin'"));
  EXPECT_THAT(warnings_[1], HasSubstr("'logging'"));
}

TEST_F(config_env, only_unknown_exporters_keep_the_base) {
  sdk_config base;
  base.traces_exporters = {exporter::console};
  set("OTEL_TRACES_EXPORTER", "zipkin");
  EXPECT_EQ(config_from_env(base).traces_exporters, std::vector<exporter>{exporter::console});
  EXPECT_THAT(warnings(), HasSubstr("no usable exporter"));

  clear();
  unset_all();
  set("OTEL_TRACES_EXPORTER", ",,");
  EXPECT_EQ(config_from_env(base).traces_exporters, std::vector<exporter>{exporter::console});
  EXPECT_THAT(warnings(), HasSubstr("OTEL_TRACES_EXPORTER: no usable exporter"));
}

TEST_F(config_env, none_with_other_exporters_is_reported) {
  set("OTEL_TRACES_EXPORTER", "none,console");
  EXPECT_EQ(config_from_env().traces_exporters, std::vector<exporter>{exporter::console});
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("'none' listed with other exporters"));
}

TEST_F(config_env, console_format) {
  set("AGTEL_CONSOLE_FORMAT", "JSON");
  EXPECT_EQ(config_from_env().console, sdk_config::console_format::json);
  set("AGTEL_CONSOLE_FORMAT", "tree");
  EXPECT_EQ(config_from_env().console, sdk_config::console_format::tree);
  set("AGTEL_CONSOLE_FORMAT", "xml");
  sdk_config base;
  base.console = sdk_config::console_format::json;
  EXPECT_EQ(config_from_env(base).console, sdk_config::console_format::json);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("AGTEL_CONSOLE_FORMAT: expected tree or json, got 'xml'"));
  EXPECT_THAT(warnings_[0], HasSubstr("using json"));
}

TEST_F(config_env, propagators_are_trimmed_lowercased_and_deduplicated) {
  set("OTEL_PROPAGATORS", " Baggage ,tracecontext,baggage,,B3 ");
  EXPECT_EQ(config_from_env().propagators,
            (std::vector<std::string>{"baggage", "tracecontext", "b3"}));
  set("OTEL_PROPAGATORS", "none");
  EXPECT_EQ(config_from_env().propagators, std::vector<std::string>{"none"});
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, propagators_without_a_name_are_reported) {
  sdk_config base;
  base.propagators = {"baggage"};
  set("OTEL_PROPAGATORS", " , ,");
  EXPECT_EQ(config_from_env(base).propagators, std::vector<std::string>{"baggage"});
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("OTEL_PROPAGATORS"));
}

// --- numbers: batch processor and limits ------------------------------------------------

TEST_F(config_env, batch_processor_variables) {
  set("OTEL_BSP_SCHEDULE_DELAY", "250");
  set("OTEL_BSP_EXPORT_TIMEOUT", "1000");
  set("OTEL_BSP_MAX_QUEUE_SIZE", "4096");
  set("OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "64");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.batch.schedule_delay, milliseconds(250));
  EXPECT_EQ(c.batch.export_timeout, milliseconds(1000));
  EXPECT_EQ(c.batch.max_queue_size, 4096u);
  EXPECT_EQ(c.batch.max_export_batch_size, 64u);
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, zero_durations) {
  // A zero duration is a duration; a zero timeout means "no limit" (the spec).
  set("OTEL_BSP_SCHEDULE_DELAY", "0");
  set("OTEL_BSP_EXPORT_TIMEOUT", "0");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.batch.schedule_delay, milliseconds(0));
  EXPECT_EQ(c.batch.export_timeout, milliseconds(2147483647));
  EXPECT_EQ(warnings(), "");
}

struct bad_number {
  const char* value;
  const char* problem;
};

TEST_F(config_env, invalid_numbers_name_the_variable_and_value_and_keep_the_base) {
  const bad_number cases[] = {
      {"abc", "expected a positive integer"},
      {"-1", "out of range"},
      {"-0", "out of range"},
      {"+5", "expected a positive integer"},
      {"1.5", "expected a positive integer"},
      {"1e3", "expected a positive integer"},
      {"0x10", "expected a positive integer"},
      {"12 3", "expected a positive integer"},
      {"99999999999999999999999", "expected a positive integer"},  // past 64 bits
      {"1048577", "out of range"},                                 // past 2^20 spans
      {"0", "out of range"},                                       // must be positive
      {"\xd9\xa3", "expected a positive integer"},                 // an Arabic-Indic digit
  };
  for (const auto& tc : cases) {
    clear();
    unset_all();
    sdk_config base;
    base.batch.max_queue_size = 100;
    set("OTEL_BSP_MAX_QUEUE_SIZE", tc.value);
    EXPECT_EQ(config_from_env(base).batch.max_queue_size, 100u) << tc.value;
    ASSERT_EQ(warnings_.size(), 1u) << tc.value;
    EXPECT_THAT(warnings_[0], HasSubstr("OTEL_BSP_MAX_QUEUE_SIZE: "));
    EXPECT_THAT(warnings_[0], HasSubstr(tc.problem)) << tc.value;
    EXPECT_THAT(warnings_[0], HasSubstr(std::string("'") + tc.value + "'"));
    EXPECT_THAT(warnings_[0], HasSubstr("using 100"));
  }
}

TEST_F(config_env, durations_are_integer_milliseconds) {
  for (const char* v : {"5s", "1.5", "-10", "PT5S", "2147483648"}) {
    clear();
    unset_all();
    set("OTEL_BSP_SCHEDULE_DELAY", v);
    EXPECT_EQ(config_from_env().batch.schedule_delay, milliseconds(5000)) << v;
    ASSERT_EQ(warnings_.size(), 1u) << v;
    EXPECT_THAT(warnings_[0], HasSubstr("OTEL_BSP_SCHEDULE_DELAY"));
    EXPECT_THAT(warnings_[0], HasSubstr("using 5000 ms"));
  }
}

TEST_F(config_env, integers_accept_the_spec_range) {
  set("OTEL_SPAN_EVENT_COUNT_LIMIT", "2147483647");
  set("OTEL_SPAN_LINK_COUNT_LIMIT", "0");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.limits.event_count, 2147483647u);
  EXPECT_EQ(c.limits.link_count, 0u);
  set("OTEL_SPAN_EVENT_COUNT_LIMIT", "2147483648");
  EXPECT_EQ(config_from_env().limits.event_count, 128u);
  EXPECT_THAT(warnings(), HasSubstr("OTEL_SPAN_EVENT_COUNT_LIMIT: out of range"));
}

TEST_F(config_env, span_limit_variables) {
  set("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "10");
  set("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "4096");
  set("OTEL_SPAN_EVENT_COUNT_LIMIT", "11");
  set("OTEL_SPAN_LINK_COUNT_LIMIT", "12");
  set("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "13");
  set("OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "14");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.limits.attribute_count, 10u);
  EXPECT_EQ(c.limits.attribute_value_length, 4096u);
  EXPECT_EQ(c.limits.event_count, 11u);
  EXPECT_EQ(c.limits.link_count, 12u);
  EXPECT_EQ(c.limits.attributes_per_event, 13u);
  EXPECT_EQ(c.limits.attributes_per_link, 14u);
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_env, general_attribute_limits_apply_unless_a_specific_one_is_set) {
  set("OTEL_ATTRIBUTE_COUNT_LIMIT", "5");
  set("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "100");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.limits.attribute_count, 5u);
  EXPECT_EQ(c.limits.attributes_per_event, 5u);
  EXPECT_EQ(c.limits.attributes_per_link, 5u);
  EXPECT_EQ(c.limits.attribute_value_length, 100u);
  EXPECT_EQ(c.limits.event_count, 128u);  // not an attribute limit

  set("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "50");
  set("OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", "7");
  set("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", "200");
  c = config_from_env();
  EXPECT_EQ(c.limits.attribute_count, 50u);
  EXPECT_EQ(c.limits.attributes_per_event, 7u);
  EXPECT_EQ(c.limits.attributes_per_link, 5u);
  EXPECT_EQ(c.limits.attribute_value_length, 200u);
}

TEST_F(config_env, invalid_value_length_limit_reports_no_limit) {
  set("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "lots");
  EXPECT_EQ(config_from_env().limits.attribute_value_length, SIZE_MAX);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: expected a "
                                      "non-negative integer, got 'lots'; using no limit"));
}

// --- hostile input ----------------------------------------------------------------------

TEST_F(config_env, hostile_values_everywhere_never_throw_and_stay_bounded) {
  const std::string junk[] = {
      std::string(200'000, '9'),
      std::string("\x01\x02\x7f\xff\xfe,=%,=%%", 12),
      std::string(50'000, ','),
      "\xe2\x80\xae"
      "reversed",
      std::string(10'000, '%'),
  };
  for (const auto& j : junk) {
    unset_all();
    clear();
    for (const char* name : test::config_variables)
      if (std::string_view(name) != "OTEL_LOG_LEVEL") set(name, j);
    sdk_config c;
    EXPECT_NO_THROW(c = config_from_env());
    for (const auto& w : warnings_) {
      EXPECT_LT(w.size(), 600u);
      EXPECT_EQ(w.find('\x01'), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace agtel
