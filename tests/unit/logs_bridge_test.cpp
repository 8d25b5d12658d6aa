// The bridge: level scales (syslog, spdlog, Python, an application's enum) mapped by the
// one mechanism, level names, and bridge_log on the global provider.
#include "agtel/logs/bridge.hpp"

#include <gtest/gtest.h>

#include "agtel/export/in_memory_log_exporter.hpp"
#include "agtel/logs/logger_provider.hpp"
#include "agtel/logs/simple_log_record_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"

namespace agtel::logs {
namespace {

struct expected {
  int level;
  int number;
  std::string_view text;
};

void expect_scale(const level_scale& scale, std::initializer_list<expected> cases) {
  for (const auto& c : cases) {
    level_point p = scale.map(c.level);
    EXPECT_EQ(static_cast<int>(p.number), c.number) << "level " << c.level;
    EXPECT_EQ(p.name, c.text) << "level " << c.level;
  }
}

TEST(logs_bridge, syslog_counts_down_in_severity) {
  expect_scale(syslog_levels, {{7, 5, "debug"},
                               {6, 9, "info"},
                               {5, 10, "notice"},
                               {4, 13, "warning"},
                               {3, 17, "err"},
                               {2, 21, "crit"},
                               {1, 22, "alert"},
                               {0, 23, "emerg"},
                               {-1, 24, ""},  // past the most severe point: one finer level
                               {-9, 24, ""},  // capped at the range's fourth value
                               {8, 0, ""}});  // below debug: no severity
}

TEST(logs_bridge, spdlog_levels) {
  expect_scale(spdlog_levels, {{0, 1, "trace"},
                               {1, 5, "debug"},
                               {2, 9, "info"},
                               {3, 13, "warning"},
                               {4, 17, "error"},
                               {5, 21, "critical"},
                               {-1, 0, ""}});
}

TEST(logs_bridge, python_levels_and_the_levels_between_them) {
  expect_scale(python_levels, {{10, 5, "DEBUG"},
                               {11, 6, ""},
                               {12, 7, ""},
                               {13, 8, ""},
                               {19, 8, ""},  // at most three finer levels: stays DEBUG4
                               {20, 9, "INFO"},
                               {25, 12, ""},
                               {30, 13, "WARNING"},
                               {40, 17, "ERROR"},
                               {50, 21, "CRITICAL"},
                               {51, 22, ""},
                               {99, 24, ""},
                               {1, 1, ""},
                               {5, 4, ""},
                               {0, 0, ""},  // NOTSET
                               {-5, 0, ""}});
}

TEST(logs_bridge, an_application_enum_is_one_more_scale) {
  enum class app_level { verbose = 100, normal = 200, problem = 300 };
  static constexpr level_point points[] = {{100, severity::debug, "verbose"},
                                           {200, severity::info, "normal"},
                                           {300, severity::error, "problem"}};
  constexpr level_scale app{points};
  expect_scale(app, {{100, 5, "verbose"}, {250, 12, ""}, {300, 17, "problem"}, {99, 0, ""}});
  // The extreme ints do not overflow.
  EXPECT_EQ(app.map(INT32_MIN).number, severity::unspecified);
  EXPECT_EQ(app.map(INT32_MAX).number, severity(20));
  EXPECT_EQ(syslog_levels.map(INT32_MIN).number, severity(24));
  EXPECT_EQ(level_scale({}).map(3).number, severity::unspecified);
  (void)app_level::verbose;
}

TEST(logs_bridge, severity_from_name_reads_short_names_and_common_spellings) {
  EXPECT_EQ(severity_from_name("TRACE"), severity::trace);
  EXPECT_EQ(severity_from_name("trace"), severity::trace);
  EXPECT_EQ(severity_from_name("Debug3"), severity(7));
  EXPECT_EQ(severity_from_name("info"), severity::info);
  EXPECT_EQ(severity_from_name("Information"), severity::info);
  EXPECT_EQ(severity_from_name("notice"), severity(10));
  EXPECT_EQ(severity_from_name("warn"), severity::warn);
  EXPECT_EQ(severity_from_name("WARNING"), severity::warn);
  EXPECT_EQ(severity_from_name("err"), severity::error);
  EXPECT_EQ(severity_from_name("error"), severity::error);
  EXPECT_EQ(severity_from_name("critical"), severity::fatal);
  EXPECT_EQ(severity_from_name("crit"), severity::fatal);
  EXPECT_EQ(severity_from_name("alert"), severity(22));
  EXPECT_EQ(severity_from_name("emerg"), severity(23));
  EXPECT_EQ(severity_from_name("FATAL4"), severity(24));
  EXPECT_EQ(severity_from_name(""), severity::unspecified);
  EXPECT_EQ(severity_from_name("warnings"), severity::unspecified);
  EXPECT_EQ(severity_from_name("FATAL5"), severity::unspecified);
  EXPECT_EQ(severity_from_name(std::string_view("info\0", 5)), severity::unspecified);
}

struct global_setup {
  std::shared_ptr<exporter::in_memory_log_store> store =
      std::make_shared<exporter::in_memory_log_store>();
  explicit global_setup(severity minimum = severity::unspecified) {
    logger_provider_options o;
    o.minimum_severity = minimum;
    o.processors.push_back(make_simple_log_record_processor(
        std::make_unique<exporter::in_memory_log_exporter>(store)));
    set_global_logger_provider(std::make_shared<logger_provider>(std::move(o)));
  }
  ~global_setup() { set_global_logger_provider(nullptr); }
};

TEST(logs_bridge, does_nothing_until_a_provider_is_set) {
  set_global_logger_provider(nullptr);
  EXPECT_FALSE(bridge_enabled(syslog_levels, 0));
  bridge_log(syslog_levels, 0, "nowhere");
  bridge_log("error", "nowhere");
  EXPECT_FALSE(bridge_logger().enabled());
}

TEST(logs_bridge, bridge_log_emits_on_the_global_provider_with_text_scope_and_span) {
  global_setup g;
  trace::tracer_provider tp;
  auto span = tp.get_tracer("t").start_span("execute_tool grep");
  {
    auto active = span.activate();
    bridge_log(python_levels, 30, "disk almost full", {{"disk", "/var"}});
  }
  enum class my_level { low = 10, high = 40 };
  bridge_log(python_levels, my_level::high, "from an enum");
  bridge_log("Warning", "by name");
  const attribute_view fields[] = {{"request.id", 17}};
  bridge_log(spdlog_levels, 4, "runtime fields", fields);

  auto recs = g.store->records();
  ASSERT_EQ(recs.size(), 4u);
  EXPECT_EQ(recs[0]->severity_number, severity::warn);
  EXPECT_EQ(recs[0]->severity_text, "WARNING");
  EXPECT_EQ(std::get<std::string>(recs[0]->body), "disk almost full");
  EXPECT_EQ(recs[0]->attributes, (attribute_list{{"disk", "/var"}}));
  EXPECT_EQ(recs[0]->scope->name, bridge_scope_name);
  EXPECT_EQ(recs[0]->trace_id, span.context().trace_id());
  EXPECT_EQ(recs[0]->span_id, span.context().span_id());
  EXPECT_EQ(recs[1]->severity_number, severity::error);
  EXPECT_EQ(recs[1]->severity_text, "ERROR");
  EXPECT_FALSE(recs[1]->trace_id.is_valid());
  EXPECT_EQ(recs[2]->severity_number, severity::warn);
  EXPECT_EQ(recs[2]->severity_text, "Warning") << "the source's own spelling is kept";
  EXPECT_EQ(recs[3]->severity_number, severity::error);
  EXPECT_EQ(recs[3]->attributes, (attribute_list{{"request.id", 17}}));
}

TEST(logs_bridge, the_minimum_severity_applies_to_bridged_levels) {
  global_setup g(severity::warn);
  EXPECT_FALSE(bridge_enabled(syslog_levels, 6));  // info
  EXPECT_TRUE(bridge_enabled(syslog_levels, 4));   // warning
  bridge_log(syslog_levels, 7, "debug: dropped");
  bridge_log(syslog_levels, 3, "err: kept");
  bridge_log("info", "dropped");
  bridge_log("no such level", "kept: unspecified passes the minimum");
  auto recs = g.store->records();
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0]->severity_text, "err");
  EXPECT_EQ(recs[1]->severity_number, severity::unspecified);
  EXPECT_EQ(recs[1]->severity_text, "no such level");
}

TEST(logs_bridge, follows_the_global_provider_when_it_changes) {
  global_setup first;
  bridge_log("info", "one");
  global_setup second;
  bridge_log("info", "two");
  EXPECT_EQ(first.store->size(), 1u);
  EXPECT_EQ(second.store->size(), 1u);
}

}  // namespace
}  // namespace agtel::logs
