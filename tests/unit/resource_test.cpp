#include "agtel/common/resource.hpp"

#include <errno.h>  // program_invocation_short_name
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <limits.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/version.hpp"
#include "support/test_support.hpp"

namespace agtel {
namespace {

// The test program's name as it was started (glibc's program_invocation_short_name), an
// independent source for what sdk_default reads from /proc/self/exe.
std::string program_name() {
  return program_invocation_short_name;
}

std::string string_attr(const resource& r, std::string_view key) {
  const attribute_value* v = r.attributes.find(key);
  if (!v) return "<missing>";
  if (auto* s = std::get_if<std::string>(v)) return *s;
  return "<not a string>";
}

resource make(std::initializer_list<attribute_view> attrs, std::string schema = {}) {
  resource r;
  r.attributes = attribute_list(attrs);
  r.schema_url = std::move(schema);
  return r;
}

TEST(resource, sdk_default_describes_the_sdk) {
  resource r = resource::sdk_default();
  EXPECT_EQ(string_attr(r, "telemetry.sdk.name"), "agtel");
  EXPECT_EQ(string_attr(r, "telemetry.sdk.language"), "cpp");
  EXPECT_EQ(string_attr(r, "telemetry.sdk.version"), agtel::version);
  EXPECT_EQ(std::string(agtel::version), AGTEL_VERSION);
  EXPECT_TRUE(r.schema_url.empty());
}

TEST(resource, sdk_default_describes_the_process_and_host) {
  resource r = resource::sdk_default();
  EXPECT_EQ(string_attr(r, "process.executable.name"), program_name());
  EXPECT_EQ(string_attr(r, "service.name"), "unknown_service:" + program_name());
  const attribute_value* pid = r.attributes.find("process.pid");
  ASSERT_NE(pid, nullptr);
  ASSERT_TRUE(std::holds_alternative<int64_t>(*pid));
  EXPECT_EQ(std::get<int64_t>(*pid), static_cast<int64_t>(getpid()));
  char host[HOST_NAME_MAX + 1] = {};
  ASSERT_EQ(gethostname(host, sizeof host - 1), 0);
  EXPECT_EQ(string_attr(r, "host.name"), host);
}

TEST(resource, sdk_default_reads_no_environment) {
  test::scoped_env a("OTEL_RESOURCE_ATTRIBUTES", "service.name=from_env,extra=1");
  test::scoped_env b("OTEL_SERVICE_NAME", "from_env");
  resource r = resource::sdk_default();
  EXPECT_EQ(string_attr(r, "service.name"), "unknown_service:" + program_name());
  EXPECT_EQ(r.attributes.find("extra"), nullptr);
}

TEST(resource, merge_updating_resource_wins_and_keys_are_united) {
  resource old_r = make({{"service.name", "a"}, {"only.old", 1}});
  resource upd = make({{"service.name", "b"}, {"only.new", true}});
  resource m = old_r.merge(upd);
  EXPECT_EQ(string_attr(m, "service.name"), "b");
  EXPECT_EQ(m.attributes.size(), 3u);
  ASSERT_NE(m.attributes.find("only.old"), nullptr);
  EXPECT_EQ(std::get<int64_t>(*m.attributes.find("only.old")), 1);
  ASSERT_NE(m.attributes.find("only.new"), nullptr);
  EXPECT_EQ(std::get<bool>(*m.attributes.find("only.new")), true);
  // The operands are untouched.
  EXPECT_EQ(string_attr(old_r, "service.name"), "a");
  EXPECT_EQ(old_r.attributes.size(), 2u);
}

TEST(resource, merge_keeps_order_of_the_old_resource_first) {
  resource m = make({{"a", 1}, {"b", 2}}).merge(make({{"c", 3}, {"a", 4}}));
  ASSERT_EQ(m.attributes.size(), 3u);
  EXPECT_EQ(m.attributes[0].key, "a");
  EXPECT_EQ(std::get<int64_t>(m.attributes[0].value), 4);
  EXPECT_EQ(m.attributes[1].key, "b");
  EXPECT_EQ(m.attributes[2].key, "c");
}

TEST(resource, merge_with_empty_resources) {
  resource a = make({{"k", "v"}});
  EXPECT_EQ(a.merge(resource{}).attributes, a.attributes);
  EXPECT_EQ(resource{}.merge(a).attributes, a.attributes);
}

class resource_schema : public ::testing::Test {
 protected:
  void SetUp() override {
    detail::reset_diagnostics_for_testing();
    set_diagnostic_handler([this](diag_level, std::string_view c, std::string_view m) {
      messages_.push_back(std::string(c) + ": " + std::string(m));
    });
  }
  void TearDown() override {
    set_diagnostic_handler(nullptr);
    detail::reset_diagnostics_for_testing();
  }
  std::vector<std::string> messages_;
};

TEST_F(resource_schema, schema_url_rules) {
  const std::string s1 = "https://opentelemetry.io/schemas/1.24.0";
  const std::string s2 = "https://opentelemetry.io/schemas/1.26.0";
  EXPECT_EQ(make({}, "").merge(make({}, s1)).schema_url, s1);
  EXPECT_EQ(make({}, s1).merge(make({}, "")).schema_url, s1);
  EXPECT_EQ(make({}, s1).merge(make({}, s1)).schema_url, s1);
  EXPECT_TRUE(messages_.empty());

  resource conflict = make({{"a", 1}}, s1).merge(make({{"b", 2}}, s2));
  EXPECT_EQ(conflict.schema_url, "");
  EXPECT_EQ(conflict.attributes.size(), 2u);  // attributes are still merged
  ASSERT_EQ(messages_.size(), 1u);
  EXPECT_THAT(messages_[0], ::testing::HasSubstr("different schema URLs"));
  EXPECT_THAT(messages_[0], ::testing::HasSubstr(s2));
}

}  // namespace
}  // namespace agtel
