// Tool calls: the exact span and metric points, the failure paths, and that the wrapper
// changes nothing in the wrapped code's results or exceptions.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "agent_fixture.hpp"
#include "agtel/agent/agent_run.hpp"
#include "agtel/agent/tool_call.hpp"
#include "agtel/metrics/buckets.hpp"

namespace agtel::agent {
namespace {

using exporter::find_histogram_point;
using exporter::find_metric;
using exporter::find_number_point;
using test::int_attr;
using test::str_attr;

struct custom_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

TEST(AgentTool, ScopeEmitsTheSpanAndTheDurationPoint) {
  test::agent_world w;
  { tool_call call("grep", {.call_id = "call_7"}); }
  auto s = w.span("execute_tool grep");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->kind, trace::span_kind::internal);
  EXPECT_EQ(str_attr(s, "gen_ai.operation.name"), "execute_tool");
  EXPECT_EQ(str_attr(s, "gen_ai.tool.name"), "grep");
  EXPECT_EQ(str_attr(s, "gen_ai.tool.type"), "function");
  EXPECT_EQ(str_attr(s, "gen_ai.tool.call.id"), "call_7");
  EXPECT_EQ(str_attr(s, "error.type"), "<absent>");
  EXPECT_EQ(s->status.code, trace::status_code::unset);
  EXPECT_FALSE(s->parent_span_id.is_valid());

  auto rm = w.collect();
  const auto* m = find_metric(rm, "gen_ai.execute_tool.duration");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->unit, "s");
  const auto* p =
      find_histogram_point(*m, {{"gen_ai.tool.name", "grep"}, {"gen_ai.tool.type", "function"}});
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->count, 1u);
  EXPECT_EQ(p->bounds, std::vector<double>(metrics::buckets::gen_ai_operation_seconds.begin(),
                                           metrics::buckets::gen_ai_operation_seconds.end()));
  // The metric's duration is the span's, to the nanosecond.
  EXPECT_DOUBLE_EQ(*p->sum, static_cast<double>(s->end_time - s->start_time) * 1e-9);
  EXPECT_EQ(find_metric(rm, "errors"), nullptr);  // nothing failed
}

TEST(AgentTool, RunToolReturnsTheResultUnchangedAndNestsUnderTheAgent) {
  test::agent_world w;
  std::unique_ptr<int> moved_out;
  {
    agent_run run("coder");
    int calls = 0;
    std::string r = run_tool("search", [&] {
      ++calls;
      return std::string("hits");
    });
    EXPECT_EQ(r, "hits");
    EXPECT_EQ(calls, 1);
    // A move-only result and a reference result pass through untouched.
    moved_out = run_tool("alloc", [] { return std::make_unique<int>(42); });
    int target = 1;
    int& ref = run_tool("ref", [&]() -> int& { return target; });
    EXPECT_EQ(&ref, &target);
    run_tool("void", [] {});
  }
  ASSERT_TRUE(moved_out);
  EXPECT_EQ(*moved_out, 42);
  auto agent = w.span("invoke_agent coder");
  auto tool = w.span("execute_tool search");
  ASSERT_TRUE(agent && tool);
  EXPECT_EQ(tool->context.trace_id(), agent->context.trace_id());
  EXPECT_EQ(tool->parent_span_id, agent->context.span_id());
  EXPECT_EQ(int_attr(agent, "agent.tool_calls"), 4);

  auto rm = w.collect();
  const auto* m = find_metric(rm, "gen_ai.execute_tool.duration");
  ASSERT_NE(m, nullptr);
  // The agent's name is a metric attribute; no ids are.
  const auto* p = find_histogram_point(*m, {{"gen_ai.tool.name", "search"},
                                            {"gen_ai.tool.type", "function"},
                                            {"gen_ai.agent.name", "coder"}});
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->count, 1u);
}

TEST(AgentTool, AnExceptionIsRecordedAndRethrownUnchanged) {
  test::agent_world w;
  try {
    run_tool("fetch", []() -> int { throw custom_error("connection reset"); });
    FAIL() << "no exception";
  } catch (const custom_error& e) {  // the same type and message come out
    EXPECT_STREQ(e.what(), "connection reset");
  }
  auto s = w.span("execute_tool fetch");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->status.code, trace::status_code::error);
  EXPECT_EQ(s->status.message, "connection reset");
  const std::string type = "agtel::agent::(anonymous namespace)::custom_error";
  EXPECT_EQ(str_attr(s, "error.type"), type);
  ASSERT_EQ(s->events.size(), 1u);
  EXPECT_EQ(s->events[0].name, "exception");
  EXPECT_EQ(test::str_attr(s->events[0].attributes, "exception.type"), type);
  EXPECT_EQ(test::str_attr(s->events[0].attributes, "exception.message"), "connection reset");

  auto rm = w.collect();
  const auto* m = find_metric(rm, "gen_ai.execute_tool.duration");
  ASSERT_NE(m, nullptr);
  EXPECT_NE(find_histogram_point(*m, {{"gen_ai.tool.name", "fetch"},
                                      {"gen_ai.tool.type", "function"},
                                      {"error.type", type}}),
            nullptr);
  const auto* errors = find_metric(rm, "errors");
  ASSERT_NE(errors, nullptr);
  EXPECT_EQ(errors->unit, "{error}");
  const auto* e = find_number_point(
      *errors, {{"component", "tool"}, {"error.type", type}, {"severity", "error"}});
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(std::get<int64_t>(e->value), 1);

  // One log record, ERROR, carrying the failed span's ids.
  ASSERT_EQ(w.logs().size(), 1u);
  const auto& log = w.logs()[0];
  EXPECT_EQ(log->severity_number, logs::severity::error);
  EXPECT_EQ(std::get<std::string>(log->body), "connection reset");
  EXPECT_EQ(log->trace_id, s->context.trace_id());
  EXPECT_EQ(log->span_id, s->context.span_id());
  EXPECT_EQ(test::str_attr(log->attributes, "component"), "tool");
  EXPECT_EQ(test::str_attr(log->attributes, "error.type"), type);
}

TEST(AgentTool, SuccessLogsNothing) {
  test::agent_world w;
  run_tool("ok", [] {});
  EXPECT_TRUE(w.logs().empty());
}

TEST(AgentTool, NonStandardExceptionsAreOther) {
  test::agent_world w;
  EXPECT_THROW(run_tool("weird", [] { throw 42; }), int);
  auto s = w.span("execute_tool weird");
  ASSERT_TRUE(s);
  EXPECT_EQ(str_attr(s, "error.type"), "_OTHER");
  EXPECT_EQ(s->status.code, trace::status_code::error);
}

TEST(AgentTool, ExplicitFailureWithALowCardinalityType) {
  test::agent_world w;
  {
    tool_call call("http_get", {.type = "extension"});
    call.fail("timeout", "no answer in 30 s");
  }
  auto s = w.span("execute_tool http_get");
  ASSERT_TRUE(s);
  EXPECT_EQ(str_attr(s, "error.type"), "timeout");
  EXPECT_EQ(s->status.message, "no answer in 30 s");
  auto rm = w.collect();
  EXPECT_NE(find_histogram_point(*find_metric(rm, "gen_ai.execute_tool.duration"),
                                 {{"gen_ai.tool.name", "http_get"},
                                  {"gen_ai.tool.type", "extension"},
                                  {"error.type", "timeout"}}),
            nullptr);
}

TEST(AgentTool, ScopeLeftByAnExceptionWithoutFailIsOther) {
  test::agent_world w;
  try {
    tool_call call("unwound");
    throw std::runtime_error("boom");
  } catch (const std::exception&) {
  }
  auto s = w.span("execute_tool unwound");
  ASSERT_TRUE(s);
  EXPECT_EQ(str_attr(s, "error.type"), "_OTHER");
}

TEST(AgentTool, WithoutProvidersNothingIsRecordedAndNothingBreaks) {
  // No provider installed: the scopes are no-ops, the wrapper still returns and throws.
  trace::set_global_tracer_provider(nullptr);
  metrics::set_global_meter_provider(nullptr);
  EXPECT_EQ(run_tool("x", [] { return 7; }), 7);
  EXPECT_THROW(run_tool("x", [] { throw std::logic_error("no"); }), std::logic_error);
}

TEST(AgentTool, ANewGlobalProviderIsPickedUpAtOnce) {
  auto first = std::make_unique<test::agent_world>();
  run_tool("a", [] {});
  EXPECT_EQ(first->spans().size(), 1u);
  test::agent_world second;  // installs new providers
  run_tool("b", [] {});
  EXPECT_EQ(first->spans().size(), 1u);
  ASSERT_EQ(second.spans().size(), 1u);
  EXPECT_EQ(second.spans()[0]->name, "execute_tool b");
  auto rm = second.collect();
  EXPECT_NE(find_metric(rm, "gen_ai.execute_tool.duration"), nullptr);
}

}  // namespace
}  // namespace agtel::agent
