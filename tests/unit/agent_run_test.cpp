// Agent runs (nested sub-agents, phases, remote agents), planning steps and workflows.
#include <gtest/gtest.h>

#include <stdexcept>

#include "agent_fixture.hpp"
#include "agtel/agent/agent_run.hpp"
#include "agtel/agent/tool_call.hpp"
#include "agtel/agent/workflow.hpp"
#include "agtel/metrics/buckets.hpp"

namespace agtel::agent {
namespace {

using exporter::find_histogram_point;
using exporter::find_metric;
using exporter::find_number_point;
using test::int_attr;
using test::str_attr;

TEST(AgentRun, WorkflowAgentsSubAgentsPlanAndToolsFormOneTree) {
  test::agent_world w;
  {
    workflow session("triage", {.conversation_id = "conv-1"});
    agent_run coordinator("coordinator", {.id = "agent-0001", .phase = "plan"});
    { plan_step plan; }
    {
      agent_run coder("coder", {.phase = "execute"});
      tool_call t("run_tests");
    }
  }
  auto wf = w.span("invoke_workflow triage");
  auto co = w.span("invoke_agent coordinator");
  auto pl = w.span("plan coordinator");
  auto cd = w.span("invoke_agent coder");
  auto tl = w.span("execute_tool run_tests");
  ASSERT_TRUE(wf && co && pl && cd && tl);
  EXPECT_FALSE(wf->parent_span_id.is_valid());
  EXPECT_EQ(co->parent_span_id, wf->context.span_id());
  EXPECT_EQ(pl->parent_span_id, co->context.span_id());
  EXPECT_EQ(cd->parent_span_id, co->context.span_id());
  EXPECT_EQ(tl->parent_span_id, cd->context.span_id());
  for (const auto* s : {&co, &pl, &cd, &tl})
    EXPECT_EQ((*s)->context.trace_id(), wf->context.trace_id());

  EXPECT_EQ(wf->kind, trace::span_kind::internal);
  EXPECT_EQ(str_attr(wf, "gen_ai.workflow.name"), "triage");
  EXPECT_EQ(str_attr(wf, "gen_ai.conversation.id"), "conv-1");
  EXPECT_EQ(co->kind, trace::span_kind::internal);
  EXPECT_EQ(str_attr(co, "gen_ai.operation.name"), "invoke_agent");
  EXPECT_EQ(str_attr(co, "gen_ai.agent.name"), "coordinator");
  EXPECT_EQ(str_attr(co, "gen_ai.agent.id"), "agent-0001");
  EXPECT_EQ(str_attr(co, "agent.phase"), "plan");
  EXPECT_EQ(int_attr(co, "agent.tool_calls"), 0);  // the tool was the sub-agent's
  EXPECT_EQ(int_attr(cd, "agent.tool_calls"), 1);
  EXPECT_EQ(str_attr(pl, "gen_ai.agent.name"), "coordinator");

  auto rm = w.collect();
  const auto* ad = find_metric(rm, "gen_ai.invoke_agent.duration");
  ASSERT_NE(ad, nullptr);
  const auto* cp =
      find_histogram_point(*ad, {{"gen_ai.agent.name", "coordinator"}, {"agent.phase", "plan"}});
  ASSERT_NE(cp, nullptr);
  EXPECT_EQ(cp->bounds, std::vector<double>(metrics::buckets::agent_invocation_seconds.begin(),
                                            metrics::buckets::agent_invocation_seconds.end()));
  EXPECT_NE(find_histogram_point(*ad, {{"gen_ai.agent.name", "coder"}, {"agent.phase", "execute"}}),
            nullptr);
  // No id on any metric.
  for (const auto& p : std::get<metrics::histogram_data>(ad->data).points)
    EXPECT_EQ(p.attributes.find("gen_ai.agent.id"), nullptr);

  const auto* active = find_metric(rm, "agent.active");
  ASSERT_NE(active, nullptr);
  EXPECT_EQ(active->unit, "{agent}");
  const auto* ap = find_number_point(*active, {{"gen_ai.agent.name", "coordinator"}});
  ASSERT_NE(ap, nullptr);
  EXPECT_EQ(std::get<int64_t>(ap->value), 0);  // up at the start, down at the end

  const auto* wd = find_metric(rm, "gen_ai.workflow.duration");
  ASSERT_NE(wd, nullptr);
  const auto* wp = find_histogram_point(*wd, {{"gen_ai.workflow.name", "triage"}});
  ASSERT_NE(wp, nullptr);
  EXPECT_EQ(wp->bounds, std::vector<double>(metrics::buckets::workflow_seconds.begin(),
                                            metrics::buckets::workflow_seconds.end()));
  const auto* sd = find_metric(rm, "session.duration");
  ASSERT_NE(sd, nullptr);
  const auto* sp = find_histogram_point(*sd, {});
  ASSERT_NE(sp, nullptr);
  EXPECT_EQ(sp->count, 1u);
  EXPECT_DOUBLE_EQ(*sp->sum, *wp->sum);
}

TEST(AgentRun, ActiveCountsRunsInFlight) {
  test::agent_world w;
  agent_run a("worker");
  {
    agent_run b("worker");
    auto rm = w.collect();
    EXPECT_EQ(std::get<int64_t>(find_number_point(*find_metric(rm, "agent.active"),
                                                  {{"gen_ai.agent.name", "worker"}})
                                    ->value),
              2);
  }
  auto rm = w.collect();
  EXPECT_EQ(std::get<int64_t>(find_number_point(*find_metric(rm, "agent.active"),
                                                {{"gen_ai.agent.name", "worker"}})
                                  ->value),
            1);
}

TEST(AgentRun, PhaseChangesReachTheSpanAndTheMetric) {
  test::agent_world w;
  {
    agent_run run("reviewer", {.phase = "plan"});
    run.set_phase("review");
  }
  auto s = w.span("invoke_agent reviewer");
  EXPECT_EQ(str_attr(s, "agent.phase"), "review");
  auto rm = w.collect();
  EXPECT_NE(find_histogram_point(*find_metric(rm, "gen_ai.invoke_agent.duration"),
                                 {{"gen_ai.agent.name", "reviewer"}, {"agent.phase", "review"}}),
            nullptr);
}

TEST(AgentRun, RemoteAgentIsAClientSpan) {
  test::agent_world w;
  { agent_run run("remote_coder", {.remote = true}); }
  EXPECT_EQ(w.span("invoke_agent remote_coder")->kind, trace::span_kind::client);
}

TEST(AgentRun, ExplicitParentOverridesTheCurrentSpan) {
  test::agent_world w;
  agtel::context elsewhere;
  {
    workflow session("outer");
    elsewhere = session.context();
  }
  {
    agent_run unrelated("unrelated");
    agent_run child("child", {.parent = &elsewhere});
  }
  EXPECT_EQ(w.span("invoke_agent child")->parent_span_id,
            w.span("invoke_workflow outer")->context.span_id());
  // An invalid parent context starts a new trace even inside another span.
  {
    agent_run outer("outer_agent");
    agtel::context none;
    agent_run root("root_agent", {.parent = &none});
  }
  EXPECT_FALSE(w.span("invoke_agent root_agent")->parent_span_id.is_valid());
}

TEST(AgentRun, FailingAgentAndWorkflow) {
  test::agent_world w;
  EXPECT_THROW(
      run_workflow("wf",
                   [] { run_agent("planner", [] { throw std::out_of_range("plan too long"); }); }),
      std::out_of_range);
  auto a = w.span("invoke_agent planner");
  auto wf = w.span("invoke_workflow wf");
  EXPECT_EQ(str_attr(a, "error.type"), "std::out_of_range");
  EXPECT_EQ(str_attr(wf, "error.type"), "std::out_of_range");
  auto rm = w.collect();
  EXPECT_NE(
      find_histogram_point(*find_metric(rm, "gen_ai.invoke_agent.duration"),
                           {{"gen_ai.agent.name", "planner"}, {"error.type", "std::out_of_range"}}),
      nullptr);
  EXPECT_NE(
      find_histogram_point(*find_metric(rm, "gen_ai.workflow.duration"),
                           {{"gen_ai.workflow.name", "wf"}, {"error.type", "std::out_of_range"}}),
      nullptr);
  const auto* errors = find_metric(rm, "errors");
  EXPECT_NE(find_number_point(*errors, {{"component", "agent"},
                                        {"error.type", "std::out_of_range"},
                                        {"severity", "error"}}),
            nullptr);
  EXPECT_NE(find_number_point(*errors, {{"component", "workflow"},
                                        {"error.type", "std::out_of_range"},
                                        {"severity", "error"}}),
            nullptr);
}

TEST(AgentRun, ContextWindowGauges) {
  test::agent_world w;
  {
    agent_run run("coder");
    run.set_context_window(128000, 32000);
    run.set_context_window(128000, 96000);  // the last value wins
  }
  auto rm = w.collect();
  const std::initializer_list<attribute_view> a = {{"gen_ai.agent.name", "coder"}};
  const auto* size = find_metric(rm, "context_window.size");
  const auto* used = find_metric(rm, "context_window.used");
  const auto* util = find_metric(rm, "context_window.utilization");
  ASSERT_TRUE(size && used && util);
  EXPECT_EQ(size->unit, "{token}");
  EXPECT_EQ(util->unit, "1");
  EXPECT_EQ(std::get<int64_t>(find_number_point(*size, a)->value), 128000);
  EXPECT_EQ(std::get<int64_t>(find_number_point(*used, a)->value), 96000);
  EXPECT_DOUBLE_EQ(std::get<double>(find_number_point(*util, a)->value), 0.75);
}

}  // namespace
}  // namespace agtel::agent

namespace agtel::agent {
namespace {

// A clock the test moves by hand, read through settings::clock.
timestamp_ns test_clock_now = 0;
timestamp_ns test_clock() noexcept { return test_clock_now; }

TEST(AgentClock, ScopesReadTheInstalledClockForStartEndAndDurations) {
  test::agent_world w;
  settings s;
  s.clock = &test_clock;
  configure(s);
  constexpr timestamp_ns t0 = 1'795'449'901'000'000'000;  // 2026-11-23T16:05:01Z
  test_clock_now = t0;
  {
    workflow session("simulated");
    test_clock_now += 2'000'000'000;
    {
      tool_call t("search");
      test_clock_now += 500'000'000;
    }
    test_clock_now += 1'000'000'000;
  }
  auto wf = w.span("invoke_workflow simulated");
  auto tl = w.span("execute_tool search");
  ASSERT_TRUE(wf && tl);
  EXPECT_EQ(wf->start_time, t0);
  EXPECT_EQ(wf->end_time, t0 + 3'500'000'000);
  EXPECT_EQ(tl->start_time, t0 + 2'000'000'000);
  EXPECT_EQ(tl->end_time, t0 + 2'500'000'000);
  auto rm = w.collect();
  const auto* wd = find_histogram_point(*find_metric(rm, "gen_ai.workflow.duration"),
                                        {{"gen_ai.workflow.name", "simulated"}});
  ASSERT_NE(wd, nullptr);
  EXPECT_DOUBLE_EQ(*wd->sum, 3.5) << "the duration metric uses the same clock";

  // Back to the wall clock: a scope's times are now, not the test clock's.
  configure({});
  const timestamp_ns before = now_ns();
  { tool_call t("fetch"); }
  auto fetch = w.span("execute_tool fetch");
  ASSERT_TRUE(fetch);
  EXPECT_GE(fetch->start_time, before);
}

}  // namespace
}  // namespace agtel::agent
