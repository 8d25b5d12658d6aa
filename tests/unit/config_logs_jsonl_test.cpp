// The logs and JSON-lines settings of sdk_config from the environment: OTEL_LOGS_EXPORTER,
// OTEL_BLRP_*, the log record limits (specific over general), AGTEL_JSONL_*, and jsonl as
// an exporter name for every signal. Each invalid value names its variable and keeps the
// value below.
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
using kind = sdk_config::exporter_kind;
using std::chrono::milliseconds;

class config_logs_jsonl : public ::testing::Test {
 protected:
  void set(const std::string& name, std::string value) { env_.set(name, std::move(value)); }
  void unset_all() { env_.unset_all(); }
  std::string warnings() const {
    std::string all;
    for (const auto& w : warnings_) all += w + "\n";
    return all;
  }
  // Exactly one warning so far, holding every fragment; then forgets it.
  void expect_one_warning(std::initializer_list<std::string_view> fragments) {
    ASSERT_EQ(warnings_.size(), 1u) << warnings();
    for (auto f : fragments) EXPECT_THAT(warnings_[0], HasSubstr(std::string(f)));
    warnings_.clear();
    test::capture_diagnostics::reset();
  }

  test::clean_config_env env_;
  std::vector<std::string> warnings_;
  test::capture_diagnostics diagnostics_{
      [this](diag_level l, std::string_view, std::string_view m) {
        if (l >= diag_level::warning) warnings_.emplace_back(m);
      }};
};

TEST_F(config_logs_jsonl, defaults_are_the_spec_s) {
  sdk_config c = config_from_env();
  EXPECT_EQ(c.logs_exporters, std::vector<kind>{kind::otlp});
  EXPECT_EQ(c.log_batch.schedule_delay, milliseconds(1000));
  EXPECT_EQ(c.log_batch.export_timeout, milliseconds(30000));
  EXPECT_EQ(c.log_batch.max_queue_size, 2048u);
  EXPECT_EQ(c.log_batch.max_export_batch_size, 512u);
  EXPECT_EQ(c.log_limits.attribute_count, 128u);
  EXPECT_EQ(c.log_limits.attribute_value_length, SIZE_MAX);
  EXPECT_EQ(c.jsonl.directory, ".");
  EXPECT_EQ(c.jsonl.max_file_bytes, uint64_t{64} << 20);
  EXPECT_EQ(c.jsonl.max_files, 10u);
  EXPECT_EQ(c.jsonl.rotate_interval, milliseconds(0));
  EXPECT_TRUE(warnings_.empty()) << warnings();
}

TEST_F(config_logs_jsonl, logs_variables) {
  set("OTEL_LOGS_EXPORTER", "JSONL, otlp,jsonl");
  set("OTEL_BLRP_SCHEDULE_DELAY", "250");
  set("OTEL_BLRP_EXPORT_TIMEOUT", "0");  // no limit
  set("OTEL_BLRP_MAX_QUEUE_SIZE", "4096");
  set("OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "64");
  set("OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT", "7");
  set("OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT", "100");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.logs_exporters, (std::vector<kind>{kind::jsonl, kind::otlp}));
  EXPECT_EQ(c.log_batch.schedule_delay, milliseconds(250));
  EXPECT_EQ(c.log_batch.export_timeout, milliseconds(2147483647));
  EXPECT_EQ(c.log_batch.max_queue_size, 4096u);
  EXPECT_EQ(c.log_batch.max_export_batch_size, 64u);
  EXPECT_EQ(c.log_limits.attribute_count, 7u);
  EXPECT_EQ(c.log_limits.attribute_value_length, 100u);
  // The span settings are untouched by the log ones.
  EXPECT_EQ(c.batch.schedule_delay, sdk_config{}.batch.schedule_delay);
  EXPECT_EQ(c.limits.attribute_count, sdk_config{}.limits.attribute_count);
  EXPECT_TRUE(warnings_.empty()) << warnings();
}

TEST_F(config_logs_jsonl, logs_exporter_none_console_and_junk) {
  set("OTEL_LOGS_EXPORTER", "none");
  EXPECT_TRUE(config_from_env().logs_exporters.empty());
  unset_all();
  // console is accepted (init says that no console log exporter exists yet).
  set("OTEL_LOGS_EXPORTER", "console");
  EXPECT_EQ(config_from_env().logs_exporters, std::vector<kind>{kind::console});
  EXPECT_TRUE(warnings_.empty()) << warnings();
  unset_all();
  // prometheus is a metrics-only pull endpoint.
  set("OTEL_LOGS_EXPORTER", "prometheus,jsonl");
  EXPECT_EQ(config_from_env().logs_exporters, std::vector<kind>{kind::jsonl});
  expect_one_warning({"OTEL_LOGS_EXPORTER", "unknown exporter 'prometheus'"});
  unset_all();
  set("OTEL_LOGS_EXPORTER", "zipkin");
  sdk_config base;
  base.logs_exporters = {kind::jsonl};
  EXPECT_EQ(config_from_env(base).logs_exporters, std::vector<kind>{kind::jsonl});
  ASSERT_EQ(warnings_.size(), 2u) << warnings();
  EXPECT_THAT(warnings_[0], HasSubstr("unknown exporter 'zipkin'"));
  EXPECT_THAT(warnings_[1], HasSubstr("OTEL_LOGS_EXPORTER: no usable exporter"));
}

TEST_F(config_logs_jsonl, bad_blrp_values_name_the_variable_and_keep_the_base) {
  const struct {
    const char* name;
    const char* value;
    const char* fragment;
  } cases[] = {
      {"OTEL_BLRP_SCHEDULE_DELAY", "1s", "expected a non-negative integer of milliseconds"},
      {"OTEL_BLRP_EXPORT_TIMEOUT", "-5", "out of range"},
      {"OTEL_BLRP_MAX_QUEUE_SIZE", "0", "out of range"},
      {"OTEL_BLRP_MAX_QUEUE_SIZE", "99999999999999999999999", "expected a positive integer"},
      {"OTEL_BLRP_MAX_EXPORT_BATCH_SIZE", "2097152", "out of range"},
      {"OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT", "ten", "expected a non-negative integer"},
      {"OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT", "2147483648", "out of range"},
  };
  const sdk_config defaults;
  for (const auto& k : cases) {
    set(k.name, k.value);
    sdk_config c = config_from_env();
    EXPECT_EQ(c.log_batch.schedule_delay, defaults.log_batch.schedule_delay) << k.name;
    EXPECT_EQ(c.log_batch.export_timeout, defaults.log_batch.export_timeout) << k.name;
    EXPECT_EQ(c.log_batch.max_queue_size, defaults.log_batch.max_queue_size) << k.name;
    EXPECT_EQ(c.log_batch.max_export_batch_size, defaults.log_batch.max_export_batch_size);
    EXPECT_EQ(c.log_limits.attribute_count, defaults.log_limits.attribute_count) << k.name;
    EXPECT_EQ(c.log_limits.attribute_value_length, defaults.log_limits.attribute_value_length);
    expect_one_warning({k.name, k.fragment});
    unset_all();
  }
}

TEST_F(config_logs_jsonl, general_attribute_limits_apply_to_log_records_under_the_specific) {
  set("OTEL_ATTRIBUTE_COUNT_LIMIT", "20");
  set("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "300");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.log_limits.attribute_count, 20u);
  EXPECT_EQ(c.log_limits.attribute_value_length, 300u);
  EXPECT_EQ(c.limits.attribute_count, 20u);
  // The specific variables win over the general ones, for each signal separately.
  set("OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT", "5");
  set("OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "9");
  c = config_from_env();
  EXPECT_EQ(c.log_limits.attribute_count, 5u);
  EXPECT_EQ(c.limits.attribute_count, 9u);
  EXPECT_EQ(c.log_limits.attribute_value_length, 300u);
  EXPECT_TRUE(warnings_.empty()) << warnings();
}

TEST_F(config_logs_jsonl, jsonl_is_an_exporter_for_every_signal) {
  set("OTEL_TRACES_EXPORTER", "jsonl,console");
  set("OTEL_METRICS_EXPORTER", "prometheus, jsonl");
  set("OTEL_LOGS_EXPORTER", "jsonl");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.traces_exporters, (std::vector<kind>{kind::jsonl, kind::console}));
  EXPECT_EQ(c.metrics_exporters, (std::vector<kind>{kind::prometheus, kind::jsonl}));
  EXPECT_EQ(c.logs_exporters, std::vector<kind>{kind::jsonl});
  EXPECT_TRUE(warnings_.empty()) << warnings();
  EXPECT_EQ(to_string(kind::jsonl), "jsonl");
}

TEST_F(config_logs_jsonl, jsonl_variables) {
  set("AGTEL_JSONL_DIRECTORY", "  /var/log/agent  ");
  set("AGTEL_JSONL_MAX_FILE_BYTES", "1048576");
  set("AGTEL_JSONL_MAX_FILES", "0");
  set("AGTEL_JSONL_ROTATE_INTERVAL", "3600000");
  sdk_config c = config_from_env();
  EXPECT_EQ(c.jsonl.directory, "/var/log/agent");
  EXPECT_EQ(c.jsonl.max_file_bytes, 1048576u);
  EXPECT_EQ(c.jsonl.max_files, 0u);
  EXPECT_EQ(c.jsonl.rotate_interval, milliseconds(3600000));
  EXPECT_EQ(c.jsonl.file_prefix, "agtel");  // not configurable from the environment
  EXPECT_TRUE(warnings_.empty()) << warnings();
  // Sizes past 2^31 are allowed for files (the cap is 1 TiB).
  unset_all();
  set("AGTEL_JSONL_MAX_FILE_BYTES", "8589934592");
  EXPECT_EQ(config_from_env().jsonl.max_file_bytes, uint64_t{8} << 30);
  EXPECT_TRUE(warnings_.empty()) << warnings();
}

TEST_F(config_logs_jsonl, bad_jsonl_values_name_the_variable_and_keep_the_base) {
  sdk_config base;
  base.jsonl.directory = "/from/the/file";
  base.jsonl.max_file_bytes = 4096;
  base.jsonl.max_files = 3;
  base.jsonl.rotate_interval = milliseconds(5000);
  const struct {
    const char* name;
    std::string value;
    const char* fragment;
  } cases[] = {
      {"AGTEL_JSONL_DIRECTORY", "/tmp/\xff\xfe", "not valid UTF-8; using /from/the/file"},
      {"AGTEL_JSONL_MAX_FILE_BYTES", "512", "out of range, got '512' (valid: 1024 to"},
      {"AGTEL_JSONL_MAX_FILE_BYTES", "1099511627777", "out of range"},
      {"AGTEL_JSONL_MAX_FILE_BYTES", "64MiB", "using 4096"},
      {"AGTEL_JSONL_MAX_FILES", "-1", "out of range"},
      {"AGTEL_JSONL_MAX_FILES", "2147483648", "using 3"},
      {"AGTEL_JSONL_ROTATE_INTERVAL", "1h", "of milliseconds, got '1h'; using 5000 ms"},
  };
  for (const auto& k : cases) {
    set(k.name, k.value);
    sdk_config c = config_from_env(base);
    EXPECT_EQ(c.jsonl.directory, "/from/the/file") << k.name;
    EXPECT_EQ(c.jsonl.max_file_bytes, 4096u) << k.name;
    EXPECT_EQ(c.jsonl.max_files, 3u) << k.name;
    EXPECT_EQ(c.jsonl.rotate_interval, milliseconds(5000)) << k.name;
    expect_one_warning({k.name, k.fragment});
    unset_all();
  }
}

TEST_F(config_logs_jsonl, the_environment_wins_over_the_base_only_where_set) {
  sdk_config base;
  base.logs_exporters = {kind::jsonl};
  base.log_batch.max_queue_size = 100;
  base.jsonl.max_files = 2;
  set("OTEL_BLRP_MAX_QUEUE_SIZE", "200");
  sdk_config c = config_from_env(base);
  EXPECT_EQ(c.logs_exporters, std::vector<kind>{kind::jsonl});
  EXPECT_EQ(c.log_batch.max_queue_size, 200u);
  EXPECT_EQ(c.jsonl.max_files, 2u);
}

}  // namespace
}  // namespace agtel
