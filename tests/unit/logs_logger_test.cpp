// The logger and its provider: what a record carries, the trace context it picks up,
// enabled checks and the minimum severity, limits, scopes, shutdown and the global slot.
#include "agtel/logs/logger.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "agtel/export/in_memory_log_exporter.hpp"
#include "agtel/logs/logger_provider.hpp"
#include "agtel/logs/simple_log_record_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"

namespace agtel::logs {
namespace {

using namespace std::chrono_literals;

struct setup {
  std::shared_ptr<exporter::in_memory_log_store> store =
      std::make_shared<exporter::in_memory_log_store>();
  std::unique_ptr<logger_provider> provider;

  explicit setup(severity minimum = severity::unspecified, log_record_limits limits = {}) {
    logger_provider_options o;
    o.minimum_severity = minimum;
    o.limits = limits;
    o.processors.push_back(make_simple_log_record_processor(
        std::make_unique<exporter::in_memory_log_exporter>(store)));
    provider = std::make_unique<logger_provider>(std::move(o));
  }
  std::vector<log_record_ptr> records() const { return store->records(); }
};

const std::string* string_body(const log_record_data& r) {
  return std::get_if<std::string>(&r.body);
}

TEST(logs_logger, emit_fills_severity_body_attributes_times_resource_and_scope) {
  setup s;
  auto log = s.provider->get_logger("agent.runtime", "1.2.0", "https://schema/1");
  timestamp_ns before = now_ns();
  log.emit(severity::warn, "tool timed out", {{"tool.name", "grep"}, {"attempt", 3}});
  timestamp_ns after = now_ns();

  auto recs = s.records();
  ASSERT_EQ(recs.size(), 1u);
  const log_record_data& r = *recs[0];
  EXPECT_EQ(r.severity_number, severity::warn);
  EXPECT_EQ(r.severity_text, "");
  ASSERT_TRUE(r.has_body);
  ASSERT_NE(string_body(r), nullptr);
  EXPECT_EQ(*string_body(r), "tool timed out");
  EXPECT_EQ(r.attributes, (attribute_list{{"tool.name", "grep"}, {"attempt", 3}}));
  EXPECT_GE(r.observed_time, before);
  EXPECT_LE(r.observed_time, after);
  EXPECT_EQ(r.time, r.observed_time) << "an emit without a time happened now";
  EXPECT_EQ(r.resource, &s.provider->resource());
  ASSERT_NE(r.scope, nullptr);
  EXPECT_EQ(r.scope->name, "agent.runtime");
  EXPECT_EQ(r.scope->version, "1.2.0");
  EXPECT_EQ(r.scope->schema_url, "https://schema/1");
  EXPECT_TRUE(r.event_name.empty());
  EXPECT_FALSE(r.trace_id.is_valid()) << "no span is active";
  EXPECT_FALSE(r.span_id.is_valid());
}

TEST(logs_logger, full_form_carries_time_text_event_name_typed_body_and_runtime_attributes) {
  setup s;
  auto log = s.provider->get_logger("full");
  const attribute_view extra[] = {{"field", "x"}, {"n", 7}};
  log.emit({.severity_number = severity(18),
            .severity_text = "ERR2",
            .body = int64_t{42},
            .event_name = "agent.step.failed",
            .attributes = {{"step", 3}},
            .time = 1'700'000'000'000'000'000ull},
           extra);
  log.emit({.severity_number = severity::info, .event_name = "no.body"});

  auto recs = s.records();
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0]->severity_number, severity(18));
  EXPECT_EQ(recs[0]->severity_text, "ERR2");
  EXPECT_EQ(recs[0]->body, attribute_value(int64_t{42}));
  EXPECT_EQ(recs[0]->event_name, "agent.step.failed");
  EXPECT_EQ(recs[0]->time, 1'700'000'000'000'000'000ull);
  EXPECT_GT(recs[0]->observed_time, recs[0]->time);
  EXPECT_EQ(recs[0]->attributes, (attribute_list{{"step", 3}, {"field", "x"}, {"n", 7}}));
  EXPECT_FALSE(recs[1]->has_body);
  EXPECT_EQ(recs[1]->event_name, "no.body");
}

TEST(logs_logger, attaches_the_current_span_or_an_explicit_context) {
  setup s;
  auto log = s.provider->get_logger("ctx");
  trace::tracer_provider tp;  // no processors: spans are recording-free but have valid ids
  auto tracer = tp.get_tracer("t");
  auto span = tracer.start_span("invoke_agent");
  ASSERT_TRUE(span.context().is_valid());
  trace::span_context inside_ctx;
  {
    auto active = span.activate();
    log.emit(severity::info, "inside");
  }
  log.emit(severity::info, "outside");
  auto other = tracer.start_span("other", {.root = true});
  agtel::context captured(other.context());
  {
    auto active = span.activate();
    log.emit({.severity_number = severity::info, .body = "explicit", .context = &captured});
  }

  auto recs = s.records();
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0]->trace_id, span.context().trace_id());
  EXPECT_EQ(recs[0]->span_id, span.context().span_id());
  EXPECT_EQ(recs[0]->trace_flags, span.context().flags());
  EXPECT_TRUE(recs[0]->trace_flags.sampled());
  EXPECT_FALSE(recs[1]->trace_id.is_valid());
  EXPECT_FALSE(recs[1]->span_id.is_valid());
  EXPECT_EQ(recs[1]->trace_flags.bits, 0);
  EXPECT_EQ(recs[2]->trace_id, other.context().trace_id())
      << "the explicit context wins over the current one";
  EXPECT_EQ(recs[2]->span_id, other.context().span_id());
}

TEST(logs_logger, minimum_severity_filters_before_any_work_and_unspecified_passes) {
  setup s(severity::info);
  auto log = s.provider->get_logger("min");
  EXPECT_FALSE(log.enabled(severity::debug));
  EXPECT_FALSE(log.enabled(severity(8)));  // DEBUG4
  EXPECT_TRUE(log.enabled(severity::info));
  EXPECT_TRUE(log.enabled(severity::fatal));
  EXPECT_TRUE(log.enabled(severity::unspecified));
  log.emit(severity::debug, "dropped");
  log.emit(severity::info, "kept");
  log.emit(severity::unspecified, "kept too");
  EXPECT_EQ(s.records().size(), 2u);

  s.provider->set_minimum_severity(severity::error);
  EXPECT_EQ(s.provider->minimum_severity(), severity::error);
  EXPECT_FALSE(log.enabled(severity(16)));
  log.emit(severity::warn, "now dropped");
  log.emit(severity::error, "kept");
  EXPECT_EQ(s.records().size(), 3u);

  s.provider->set_minimum_severity(severity::unspecified);
  EXPECT_TRUE(log.enabled(severity::trace));
}

TEST(logs_logger, disabled_without_provider_processors_or_after_shutdown) {
  logger none;
  EXPECT_FALSE(none.enabled());
  none.emit(severity::fatal, "nowhere");  // a no-op, not a crash

  logger_provider empty;
  EXPECT_FALSE(empty.get_logger("x").enabled(severity::fatal)) << "no processor: nothing to do";

  setup s;
  auto log = s.provider->get_logger("shut");
  EXPECT_TRUE(log.enabled());
  EXPECT_EQ(s.provider->shutdown(1s), sdk_result::ok);
  EXPECT_EQ(s.provider->shutdown(1s), sdk_result::already_shutdown);
  EXPECT_EQ(s.provider->force_flush(1s), sdk_result::already_shutdown);
  EXPECT_FALSE(log.enabled());
  log.emit(severity::fatal, "after shutdown");
  EXPECT_EQ(s.records().size(), 0u);
}

// severity is a byte: a bridge may pass any value. Even the highest must not pass a
// provider without processors or after shutdown.
TEST(logs_logger, out_of_range_severity_never_passes_a_disabled_logger) {
  logger_provider empty;
  EXPECT_FALSE(empty.get_logger("x").enabled(severity(255)));

  setup s;
  auto log = s.provider->get_logger("byte");
  EXPECT_TRUE(log.enabled(severity(255)));  // out of the spec's range, but above fatal4
  log.emit(severity(255), "kept");
  EXPECT_EQ(s.records().size(), 1u);
  s.provider->set_minimum_severity(severity(255));
  EXPECT_TRUE(log.enabled(severity(255)));
  EXPECT_FALSE(log.enabled(severity::fatal));
  ASSERT_EQ(s.provider->shutdown(1s), sdk_result::ok);
  EXPECT_FALSE(log.enabled(severity(255)));
  s.provider->set_minimum_severity(severity::unspecified);
  EXPECT_FALSE(log.enabled(severity(255))) << "a minimum set after shutdown re-enables nothing";
}

TEST(logs_logger, same_scope_gives_the_same_logger) {
  setup s;
  s.provider->get_logger("a", "1").emit(severity::info, "1");
  s.provider->get_logger("a", "1").emit(severity::info, "2");
  s.provider->get_logger("a", "2").emit(severity::info, "3");
  auto recs = s.records();
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0]->scope, recs[1]->scope);
  EXPECT_NE(recs[0]->scope, recs[2]->scope);
}

TEST(logs_logger, attribute_limits_drop_and_count_and_cut_at_utf8_boundaries_but_not_the_body) {
  setup s(severity::unspecified, {.attribute_count = 2, .attribute_value_length = 4});
  auto log = s.provider->get_logger("limits");
  // "aé€" is 1 + 2 + 3 bytes: a 4-byte cut would split the euro sign, so it stops before it.
  log.emit(severity::info, "a body longer than four bytes",
           {{"k1", "a\xC3\xA9\xE2\x82\xAC"},
            {"k2", "abcdefgh"},
            {"k3", "dropped"},
            {"k1", "overwrite ok"}});
  auto recs = s.records();
  ASSERT_EQ(recs.size(), 1u);
  const auto& a = recs[0]->attributes;
  EXPECT_EQ(a.size(), 2u);
  EXPECT_EQ(a.dropped(), 1u);
  EXPECT_EQ(*a.find("k1"), attribute_value(std::string("over")));
  EXPECT_EQ(*a.find("k2"), attribute_value(std::string("abcd")));
  EXPECT_EQ(a.find("k3"), nullptr);
  EXPECT_EQ(*string_body(*recs[0]), "a body longer than four bytes");

  setup u(severity::unspecified, {.attribute_count = 128, .attribute_value_length = 4});
  u.provider->get_logger("utf8").emit(severity::info, "b", {{"k", "a\xC3\xA9\xE2\x82\xAC"}});
  EXPECT_EQ(*u.records()[0]->attributes.find("k"), attribute_value(std::string("a\xC3\xA9")));
}

TEST(logs_logger, processors_see_records_in_order_and_may_change_them) {
  struct tagging_processor : log_record_processor {
    void on_emit(log_record_ptr r) noexcept override { r->attributes.set("tagged", true); }
    sdk_result force_flush(std::chrono::milliseconds) noexcept override { return sdk_result::ok; }
    sdk_result shutdown(std::chrono::milliseconds) noexcept override { return sdk_result::ok; }
  };
  auto store = std::make_shared<exporter::in_memory_log_store>();
  logger_provider_options o;
  o.processors.push_back(std::make_unique<tagging_processor>());
  o.processors.push_back(
      make_simple_log_record_processor(std::make_unique<exporter::in_memory_log_exporter>(store)));
  logger_provider p(std::move(o));
  p.get_logger("order").emit(severity::info, "x");
  ASSERT_EQ(store->size(), 1u);
  EXPECT_NE(store->records()[0]->attributes.find("tagged"), nullptr);
}

TEST(logs_logger, global_provider_slot) {
  set_global_logger_provider(nullptr);
  EXPECT_FALSE(get_logger("g").enabled());
  EXPECT_EQ(global_logger_provider(), nullptr);

  auto first = std::make_shared<setup>();
  set_global_logger_provider(std::shared_ptr<logger_provider>(first, first->provider.get()));
  auto log = get_logger("g");
  EXPECT_TRUE(log.enabled());
  log.emit(severity::info, "to first");

  auto second = std::make_shared<setup>();
  set_global_logger_provider(std::shared_ptr<logger_provider>(second, second->provider.get()));
  log.emit(severity::info, "still to first: a logger stays with its provider");
  get_logger("g").emit(severity::info, "to second");
  EXPECT_EQ(first->records().size(), 2u);
  EXPECT_EQ(second->records().size(), 1u);
  set_global_logger_provider(nullptr);
  EXPECT_FALSE(get_logger("g").enabled());
}

TEST(logs_severity, short_names_follow_the_spec) {
  EXPECT_EQ(short_name(severity::unspecified), "");
  EXPECT_EQ(short_name(severity::trace), "TRACE");
  EXPECT_EQ(short_name(severity(4)), "TRACE4");
  EXPECT_EQ(short_name(severity::debug), "DEBUG");
  EXPECT_EQ(short_name(severity(10)), "INFO2");
  EXPECT_EQ(short_name(severity::warn), "WARN");
  EXPECT_EQ(short_name(severity(19)), "ERROR3");
  EXPECT_EQ(short_name(severity::fatal), "FATAL");
  EXPECT_EQ(short_name(severity(24)), "FATAL4");
  EXPECT_EQ(short_name(severity(25)), "");
  EXPECT_EQ(short_name(severity(255)), "");
}

TEST(logs_record, recycled_records_come_back_empty) {
  for (int i = 0; i < 200; ++i) {  // more than a thread cache: some records are recycled
    auto r = log_record_ptr::make();
    EXPECT_EQ(r->severity_number, severity::unspecified);
    EXPECT_FALSE(r->has_body);
    EXPECT_TRUE(r->attributes.empty());
    EXPECT_TRUE(r->event_name.empty());
    EXPECT_TRUE(r->severity_text.empty());
    EXPECT_FALSE(r->trace_id.is_valid());
    EXPECT_EQ(r->time, 0u);
    ASSERT_NE(std::get_if<std::string>(&r->body), nullptr);
    EXPECT_TRUE(std::get<std::string>(r->body).empty());
    r->severity_number = severity::error;
    r->severity_text = "E";
    r->body = int64_t{5};
    r->has_body = true;
    r->event_name = "e";
    r->attributes.set("k", "v");
    r->trace_id = trace::trace_id({1});
    r->time = 9;
  }
}

}  // namespace
}  // namespace agtel::logs
