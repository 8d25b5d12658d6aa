// The YAML layer of the configuration and load_config's precedence chain.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
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
namespace fs = std::filesystem;

const char* const full_example = R"(# agtel configuration
disabled: false
service: { name: coder, attributes: { deployment.environment.name: prod } }
traces:
  sampler: { name: parentbased_traceidratio, arg: 0.25 }
  exporter: console
  console: { format: json }
  batch: { schedule_delay_ms: 250, export_timeout_ms: 1000, max_queue_size: 4096, max_export_batch_size: 64 }
  limits: { attribute_count: 10, attribute_value_length: 4096, event_count: 11, link_count: 12, attributes_per_event: 13, attributes_per_link: 14 }
propagators: [tracecontext, baggage]
)";

class config_yaml : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("agtel_config_yaml_" + std::to_string(getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  sdk_config parse_ok(std::string_view yaml, sdk_config base = {}) {
    auto c = config_from_yaml_string(yaml, std::move(base));
    EXPECT_TRUE(c.has_value()) << yaml << "\n" << warnings();
    return c.value_or(sdk_config{});
  }
  fs::path write(const std::string& name, std::string_view content) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
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
  // Expects exactly one warning, containing every fragment.
  void expect_one_warning(std::initializer_list<std::string_view> fragments) {
    ASSERT_EQ(warnings_.size(), 1u) << warnings();
    for (auto f : fragments) EXPECT_THAT(warnings_[0], HasSubstr(std::string(f)));
    clear();
  }

  test::clean_config_env env_;
  std::vector<std::string> warnings_;
  fs::path dir_;
  test::capture_diagnostics diagnostics_{
      [this](diag_level l, std::string_view, std::string_view m) {
        if (l >= diag_level::warning) warnings_.emplace_back(m);
      }};
};

TEST_F(config_yaml, the_documented_example) {
  sdk_config c = parse_ok(full_example);
  EXPECT_FALSE(c.disabled);
  EXPECT_EQ(c.service_name, "coder");
  EXPECT_EQ(string_attr(c, "deployment.environment.name"), "prod");
  EXPECT_EQ(c.sampler, sampler::parentbased_traceidratio);
  EXPECT_EQ(c.sampler_ratio, 0.25);
  EXPECT_EQ(c.traces_exporters, std::vector<exporter>{exporter::console});
  EXPECT_EQ(c.console, sdk_config::console_format::json);
  EXPECT_EQ(c.batch.schedule_delay, milliseconds(250));
  EXPECT_EQ(c.batch.export_timeout, milliseconds(1000));
  EXPECT_EQ(c.batch.max_queue_size, 4096u);
  EXPECT_EQ(c.batch.max_export_batch_size, 64u);
  EXPECT_EQ(c.limits.attribute_count, 10u);
  EXPECT_EQ(c.limits.attribute_value_length, 4096u);
  EXPECT_EQ(c.limits.event_count, 11u);
  EXPECT_EQ(c.limits.link_count, 12u);
  EXPECT_EQ(c.limits.attributes_per_event, 13u);
  EXPECT_EQ(c.limits.attributes_per_link, 14u);
  EXPECT_EQ(c.propagators, (std::vector<std::string>{"tracecontext", "baggage"}));
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_yaml, block_style_and_alternative_shapes) {
  sdk_config c = parse_ok(R"(
disabled: TRUE
traces:
  sampler: always_off          # shorthand for { name: always_off }
  exporter: [otlp, console, otlp]
propagators: "Baggage, tracecontext"
)");
  EXPECT_TRUE(c.disabled);
  EXPECT_EQ(c.sampler, sampler::always_off);
  EXPECT_EQ(c.traces_exporters, (std::vector<exporter>{exporter::otlp, exporter::console}));
  EXPECT_EQ(c.propagators, (std::vector<std::string>{"baggage", "tracecontext"}));
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_yaml, exporter_none_and_empty_propagators) {
  sdk_config c = parse_ok("traces: { exporter: none }\npropagators: []\n");
  EXPECT_TRUE(c.traces_exporters.empty());
  EXPECT_TRUE(c.propagators.empty());
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_yaml, empty_documents_keep_the_base) {
  sdk_config base;
  base.service_name = "code";
  for (const char* doc : {"", "\n\n", "# only a comment\n", "---\n", "~\n", "null"}) {
    sdk_config c = parse_ok(doc, base);
    EXPECT_EQ(c.service_name, "code") << doc;
  }
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_yaml, the_file_overrides_the_base_only_where_set) {
  sdk_config base;
  base.batch.max_queue_size = 100;
  base.sampler = sampler::always_off;
  base.resource_attributes.set("from", "code");
  base.resource_attributes.set("both", "code");
  sdk_config c = parse_ok(
      "traces: { batch: { max_export_batch_size: 10 } }\n"
      "service: { attributes: { both: file } }\n",
      base);
  EXPECT_EQ(c.batch.max_queue_size, 100u);
  EXPECT_EQ(c.batch.max_export_batch_size, 10u);
  EXPECT_EQ(c.sampler, sampler::always_off);
  EXPECT_EQ(string_attr(c, "from"), "code");
  EXPECT_EQ(string_attr(c, "both"), "file");
}

TEST_F(config_yaml, null_values_mean_not_set) {
  sdk_config c = parse_ok("disabled:\nservice:\ntraces:\n  batch:\n    max_queue_size: ~\n");
  EXPECT_EQ(c.batch.max_queue_size, 2048u);
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_yaml, unknown_keys_are_reported_by_path_and_the_rest_applies) {
  sdk_config c = parse_ok(R"(service:
  name: coder
  nmae: typo
traces:
  batch:
    max_queue_size: 10
    max_queue: 20
  batchh: {}
metrix: {}
)");
  EXPECT_EQ(c.service_name, "coder");
  EXPECT_EQ(c.batch.max_queue_size, 10u);
  ASSERT_EQ(warnings_.size(), 4u) << warnings();
  EXPECT_THAT(warnings_[0], HasSubstr("<string>:3:9: service.nmae: unknown key"));
  EXPECT_THAT(warnings_[1], HasSubstr("traces.batch.max_queue: unknown key"));
  EXPECT_THAT(warnings_[2], HasSubstr("traces.batchh: unknown key"));
  EXPECT_THAT(warnings_[3], HasSubstr("metrix: unknown key"));
}

TEST_F(config_yaml, number_errors_name_the_key_the_value_and_the_default) {
  sdk_config c = parse_ok("traces:\n  batch:\n    max_queue_size: abc\n");
  EXPECT_EQ(c.batch.max_queue_size, 2048u);
  expect_one_warning(
      {"<string>:3:21: traces.batch.max_queue_size: expected a positive integer, "
       "got 'abc'; using 2048"});
}

TEST_F(config_yaml, bad_numbers) {
  const char* values[] = {"-5",         "-1",    "1.5",
                          "1e3",        "0x10",  "0o17",
                          "true",       "2_048", "99999999999999999999999999",
                          "2147483648", "\"\"",  "' 5'",
                          ".inf",       ".nan"};
  for (const char* v : values) {
    sdk_config c = parse_ok(std::string("traces: { limits: { event_count: ") + v + " } }");
    EXPECT_EQ(c.limits.event_count, 128u) << v;
    expect_one_warning({"traces.limits.event_count: ", "using 128"});
  }
}

TEST_F(config_yaml, number_ranges) {
  sdk_config c = parse_ok(
      "traces: { batch: { schedule_delay_ms: 0, export_timeout_ms: 0 },"
      " limits: { attribute_count: 0, attribute_value_length: 2147483647 } }");
  EXPECT_EQ(c.batch.schedule_delay, milliseconds(0));
  EXPECT_EQ(c.batch.export_timeout, milliseconds(2147483647));  // 0 = no limit
  EXPECT_EQ(c.limits.attribute_count, 0u);
  EXPECT_EQ(c.limits.attribute_value_length, 2147483647u);
  EXPECT_EQ(warnings(), "");

  c = parse_ok("traces: { batch: { max_queue_size: 0, max_export_batch_size: 1048577 } }");
  EXPECT_EQ(c.batch.max_queue_size, 2048u);
  EXPECT_EQ(c.batch.max_export_batch_size, 512u);
  ASSERT_EQ(warnings_.size(), 2u);
  EXPECT_THAT(warnings_[0], HasSubstr("traces.batch.max_queue_size: out of range, got '0'"));
  EXPECT_THAT(warnings_[1], HasSubstr("traces.batch.max_export_batch_size: out of range"));
}

TEST_F(config_yaml, wrong_types_name_the_key) {
  struct tc {
    const char* yaml;
    const char* message;
  };
  const tc cases[] = {
      {"traces: 5", "traces: expected a mapping, got a scalar"},
      {"traces: [a, b]", "traces: expected a mapping, got a list"},
      {"service: { name: { first: a } }", "service.name: expected a string, got a mapping"},
      {"service: { attributes: [a, b] }", "service.attributes: expected a mapping, got a list"},
      {"service: { attributes: { k: [1, 2] } }",
       "service.attributes.k: expected a string, got a list"},
      {"disabled: [true]", "disabled: expected true or false, got a list"},
      {"disabled: yes", "disabled: expected true or false, got 'yes'; using false"},
      {"disabled: 1", "disabled: expected true or false, got '1'"},
      {"traces: { batch: { max_queue_size: [1] } }",
       "traces.batch.max_queue_size: expected a non-negative integer, got a list"},
      {"traces: { batch: 5 }", "traces.batch: expected a mapping"},
      {"traces: { sampler: [always_on] }", "traces.sampler: expected a mapping, got a list"},
      {"traces: { sampler: { name: sometimes } }",
       "traces.sampler.name: unknown sampler 'sometimes'"},
      {"traces: { sampler: { arg: 1.5 } }",
       "traces.sampler.arg: expected a probability between 0 and 1, got '1.5'; using 1"},
      {"traces: { sampler: { arg: -0.5 } }", "traces.sampler.arg: expected a probability"},
      {"traces: { sampler: { arg: [0.5] } }",
       "traces.sampler.arg: expected a probability between 0 and 1, got a list"},
      {"traces: { exporter: { name: console } }",
       "traces.exporter: expected an exporter name or a list"},
      {"traces: { exporter: zipkin }", "traces.exporter: unknown exporter 'zipkin'"},
      {"traces: { console: { format: xml } }",
       "traces.console.format: expected tree or json, got 'xml'"},
      {"traces: { console: { colour: true } }", "traces.console.colour: unknown key"},
      {"propagators: { a: b }", "propagators: expected a list of propagator names, got a mapping"},
      {"propagators: [[tracecontext]]", "propagators: expected a propagator name, got a list"},
      {"{ [a, b]: c }", "(top level): keys must be names, got a list"},
  };
  for (const auto& t : cases) {
    clear();
    auto c = config_from_yaml_string(t.yaml);
    ASSERT_TRUE(c.has_value()) << t.yaml;
    ASSERT_GE(warnings_.size(), 1u) << t.yaml;
    EXPECT_THAT(warnings_[0], HasSubstr(t.message)) << t.yaml;
  }
}

TEST_F(config_yaml, a_wrong_type_costs_only_its_own_setting) {
  sdk_config c = parse_ok(R"(
service: { name: [a], attributes: { ok: yes } }
traces:
  batch: { max_queue_size: lots, max_export_batch_size: 7 }
  exporter: console
)");
  EXPECT_EQ(c.service_name, "");
  EXPECT_EQ(string_attr(c, "ok"), "yes");
  EXPECT_EQ(c.batch.max_queue_size, 2048u);
  EXPECT_EQ(c.batch.max_export_batch_size, 7u);
  EXPECT_EQ(c.traces_exporters, std::vector<exporter>{exporter::console});
  EXPECT_EQ(warnings_.size(), 2u) << warnings();
}

TEST_F(config_yaml, attribute_values_are_strings) {
  sdk_config c = parse_ok("service: { attributes: { n: 42, b: true, f: 1.5, s: 'x: y' } }");
  EXPECT_EQ(string_attr(c, "n"), "42");
  EXPECT_EQ(string_attr(c, "b"), "true");
  EXPECT_EQ(string_attr(c, "f"), "1.5");
  EXPECT_EQ(string_attr(c, "s"), "x: y");
}

TEST_F(config_yaml, syntax_errors_ignore_the_document_and_give_line_and_column) {
  const char* docs[] = {
      "traces: [1, 2\n",
      "traces:\n  batch: { max_queue_size: 1\n",
      "service:\n  name: \"bad \\q escape\"\n",
      "a: b\n  c: d\n",
      "a: b: c\n",
      "service:\n\tname: tabs\n",
      "key: value\n- item\n",
      "a: [1, 2]]\n",
  };
  for (const char* d : docs) {
    clear();
    sdk_config base;
    base.service_name = "kept";
    EXPECT_FALSE(config_from_yaml_string(d, base).has_value()) << d;
    ASSERT_EQ(warnings_.size(), 1u) << d << warnings();
    EXPECT_THAT(warnings_[0], ::testing::MatchesRegex("<string>:[0-9]+:[0-9]+: not valid YAML.*"))
        << d;
  }
}

TEST_F(config_yaml, a_top_level_that_is_not_a_mapping_is_refused) {
  for (const char* d : {"- a\n- b\n", "just text", "42", "[]"}) {
    clear();
    EXPECT_FALSE(config_from_yaml_string(d).has_value()) << d;
    ASSERT_EQ(warnings_.size(), 1u) << d;
    EXPECT_THAT(warnings_[0], HasSubstr("expected a mapping of settings at the top level"));
  }
}

TEST_F(config_yaml, deep_nesting_is_refused_before_parsing) {
  // yaml-cpp parses recursively: deep documents are refused before it sees them, with the
  // line where the nesting passed 64 levels.
  struct tc {
    std::string doc;
    const char* where;
  };
  std::string maps, blocks, dashes;
  for (int i = 0; i < 20'000; ++i) maps += "{a: ";
  for (int i = 0; i < 100; ++i) blocks += std::string(static_cast<size_t>(i), ' ') + "a:\n";
  for (int i = 0; i < 100; ++i) dashes += "- ";
  const tc cases[] = {
      {std::string(100'000, '['), "<string>:1: nested deeper than 64 levels"},
      {maps, "<string>:1: nested deeper than 64 levels"},
      {blocks, "<string>:65: nested deeper than 64 levels"},
      {dashes + "x\n", "<string>:1: nested deeper than 64 levels"},
      {"a: 1\nb:\n  - " + std::string(70, '[') + "\n", "<string>:3: nested deeper"},
  };
  for (const auto& t : cases) {
    clear();
    EXPECT_FALSE(config_from_yaml_string(t.doc).has_value());
    ASSERT_EQ(warnings_.size(), 1u);
    EXPECT_THAT(warnings_[0], HasSubstr(t.where));
  }
}

TEST_F(config_yaml, nesting_within_the_limit_is_parsed) {
  // Brackets inside quotes and comments do not count.
  std::string doc = "unknown: " + std::string(40, '[') + std::string(40, ']') + "\n" +
                    "service: { name: '" + std::string(200, '[') + "' } # " +
                    std::string(200, '{') + "\n";
  auto c = config_from_yaml_string(doc);
  ASSERT_TRUE(c.has_value()) << warnings();
  EXPECT_EQ(c->service_name, std::string(200, '['));
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("unknown: unknown key"));
}

TEST_F(config_yaml, aliases_and_anchors) {
  sdk_config c = parse_ok(R"(
x-defaults: &batch { max_queue_size: 99 }
traces:
  batch: *batch
)");
  EXPECT_EQ(c.batch.max_queue_size, 99u);
  EXPECT_THAT(warnings(), HasSubstr("x-defaults: unknown key"));

  // A billion-laughs shape: aliases are shared nodes; nothing is expanded.
  std::string laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char n = 'b'; n <= 'z'; ++n)
    laughs += std::string(1, n) + ": &" + n + " [*" + char(n - 1) + ", *" + char(n - 1) + ", *" +
              char(n - 1) + ", *" + char(n - 1) + ", *" + char(n - 1) + "]\n";
  laughs += "propagators: *z\n";
  clear();
  auto r = config_from_yaml_string(laughs);
  EXPECT_TRUE(r.has_value());
}

TEST_F(config_yaml, invalid_utf8_and_binary_junk) {
  // Invalid UTF-8 inside a value: refused with a message, the rest applies.
  sdk_config c = parse_ok("service: { name: \"caf\\xe9\", attributes: { ok: v } }");
  (void)c;  // yaml-cpp may or may not decode \xe9 to valid UTF-8 (it is U+00E9); no crash

  std::mt19937 rng(12345);
  for (int round = 0; round < 300; ++round) {
    std::string junk(static_cast<size_t>(rng() % 512), '\0');
    for (char& ch : junk) ch = static_cast<char>(rng());
    EXPECT_NO_THROW((void)config_from_yaml_string(junk)) << round;
  }
  // Junk with YAML structure around it.
  for (int round = 0; round < 300; ++round) {
    std::string junk = "traces:\n  batch:\n    max_queue_size: ";
    for (int i = 0; i < 20; ++i) junk += static_cast<char>(rng());
    junk += "\nservice: { name: ";
    for (int i = 0; i < 20; ++i) junk += static_cast<char>(rng());
    junk += " }\n";
    EXPECT_NO_THROW((void)config_from_yaml_string(junk));
  }
  for (const auto& w : warnings_) EXPECT_EQ(w.find('\0'), std::string::npos);
}

TEST_F(config_yaml, raw_invalid_utf8_in_a_name_is_reported) {
  clear();
  auto c = config_from_yaml_string("service: { name: \"ok\" }\nother: \"\xff\xfe\"\n");
  // yaml-cpp refuses or accepts the raw bytes; either way nothing throws, and an accepted
  // document reports the unknown key.
  if (c) {
    EXPECT_EQ(c->service_name, "ok");
  }
  EXPECT_FALSE(warnings_.empty());

  clear();
  c = config_from_yaml_string("service:\n  name: \"a\xc3\x28\"\n");
  if (c) {
    EXPECT_EQ(c->service_name, "");
    ASSERT_EQ(warnings_.size(), 1u);
    EXPECT_THAT(warnings_[0], HasSubstr("service.name: 'a\\xc3(' is not valid UTF-8"));
  }
}

TEST_F(config_yaml, many_and_long_keys) {
  std::string doc = "service:\n  attributes:\n";
  for (int i = 0; i < 5000; ++i) doc += "    k" + std::to_string(i) + ": v\n";
  doc += std::string(1000, 'z') + ": 1\n";  // YAML caps implicit keys at 1024 characters
  auto c = config_from_yaml_string(doc);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->resource_attributes.size(), 5000u);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_LT(warnings_[0].size(), 300u);  // the key is quoted in part only
}

// --- files ------------------------------------------------------------------------------

TEST_F(config_yaml, reads_a_file) {
  sdk_config c = config_from_yaml_file(write("agtel.yaml", full_example)).value();
  EXPECT_EQ(c.service_name, "coder");
  EXPECT_EQ(c.batch.max_queue_size, 4096u);
}

TEST_F(config_yaml, a_missing_file_is_reported_with_its_name) {
  fs::path p = dir_ / "does-not-exist.yaml";
  EXPECT_FALSE(config_from_yaml_file(p).has_value());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr(p.string()));
  EXPECT_THAT(warnings_[0], HasSubstr("No such file or directory"));
}

TEST_F(config_yaml, directories_fifos_and_huge_files_are_refused) {
  EXPECT_FALSE(config_from_yaml_file(dir_).has_value());
  EXPECT_THAT(warnings(), HasSubstr("not a regular file"));

  clear();
  fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_FALSE(config_from_yaml_file(fifo).has_value());  // returns at once: no writer needed
  EXPECT_THAT(warnings(), HasSubstr("not a regular file"));

  clear();
  fs::path big = write("big.yaml", "a: " + std::string((1 << 20) + 10, 'x'));
  EXPECT_FALSE(config_from_yaml_file(big).has_value());
  EXPECT_THAT(warnings(), HasSubstr("larger than 1048576 bytes"));
}

TEST_F(config_yaml, a_path_through_a_file_is_reported) {
  fs::path p = write("plain.yaml", "disabled: true\n") / "child.yaml";
  EXPECT_FALSE(config_from_yaml_file(p).has_value());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("plain.yaml/child.yaml"));
  EXPECT_THAT(warnings_[0], HasSubstr("Not a directory"));
}

TEST_F(config_yaml, an_unreadable_file_is_reported) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any file";
  fs::path p = write("secret.yaml", "disabled: true\n");
  fs::permissions(p, fs::perms::none);
  EXPECT_FALSE(config_from_yaml_file(p).has_value());
  EXPECT_THAT(warnings(), HasSubstr("Permission denied"));
}

TEST_F(config_yaml, a_syntax_error_in_a_file_names_file_line_and_column) {
  fs::path p = write("broken.yaml", "service:\n  name: coder\ntraces: [oops\n");
  EXPECT_FALSE(config_from_yaml_file(p).has_value());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], ::testing::StartsWith(p.string() + ":"));
  EXPECT_THAT(warnings_[0],
              ::testing::MatchesRegex(".*broken\\.yaml:[0-9]+:[0-9]+: not valid YAML.*"));
}

TEST_F(config_yaml, errors_in_a_file_name_the_file) {
  fs::path p = write("typo.yaml", "traces:\n  batch:\n    max_queue_size: -3\n");
  sdk_config c = config_from_yaml_file(p).value();
  EXPECT_EQ(c.batch.max_queue_size, 2048u);
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr(p.string() + ":3:21: traces.batch.max_queue_size: "
                                                   "out of range, got '-3'"));
}

// --- load_config: defaults < file < environment -------------------------------------------

TEST_F(config_yaml, load_config_without_a_file_is_defaults_then_environment) {
  test::scoped_env e("OTEL_SERVICE_NAME", "env");
  sdk_config c = load_config();
  EXPECT_EQ(c.service_name, "env");
  EXPECT_EQ(c.batch.max_queue_size, 2048u);
  EXPECT_EQ(warnings(), "");
}

TEST_F(config_yaml, load_config_environment_wins_over_the_file) {
  fs::path p = write("agtel.yaml", full_example);
  test::scoped_env q("OTEL_BSP_MAX_QUEUE_SIZE", "300");
  test::scoped_env s("OTEL_TRACES_SAMPLER", "always_on");
  sdk_config c = load_config(p);
  EXPECT_EQ(c.batch.max_queue_size, 300u);        // environment
  EXPECT_EQ(c.batch.max_export_batch_size, 64u);  // file
  EXPECT_EQ(c.sampler, sampler::always_on);       // environment
  EXPECT_EQ(c.sampler_ratio, 0.25);               // file
  EXPECT_EQ(c.limits.link_count, 12u);            // file
  EXPECT_EQ(c.service_name, "coder");             // file
  EXPECT_EQ(c.resource_attributes.size(), 1u);    // file
}

TEST_F(config_yaml, load_config_reads_agtel_config_file) {
  fs::path p = write("from-env.yaml", "service: { name: from_agtel_config_file }\n");
  test::scoped_env f("AGTEL_CONFIG_FILE", p.string());
  EXPECT_EQ(load_config().service_name, "from_agtel_config_file");

  // The argument wins over the variable.
  fs::path q = write("arg.yaml", "service: { name: from_argument }\n");
  EXPECT_EQ(load_config(q).service_name, "from_argument");
}

TEST_F(config_yaml, load_config_with_a_bad_file_still_applies_the_environment) {
  test::scoped_env f("AGTEL_CONFIG_FILE", (dir_ / "missing.yaml").string());
  test::scoped_env q("OTEL_BSP_MAX_QUEUE_SIZE", "300");
  sdk_config c = load_config();
  EXPECT_EQ(c.batch.max_queue_size, 300u);
  EXPECT_EQ(c.service_name, "");
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_THAT(warnings_[0], HasSubstr("missing.yaml"));

  clear();
  fs::path broken = write("broken.yaml", "traces: [\n");
  c = load_config(broken);
  EXPECT_EQ(c.batch.max_queue_size, 300u);
  EXPECT_EQ(warnings_.size(), 1u);
}

TEST_F(config_yaml, load_config_empty_agtel_config_file_means_none) {
  test::scoped_env f("AGTEL_CONFIG_FILE", "");
  sdk_config c = load_config();
  EXPECT_EQ(c.batch.max_queue_size, 2048u);
  EXPECT_EQ(warnings(), "");
}

}  // namespace
}  // namespace agtel
