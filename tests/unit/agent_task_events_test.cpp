// Tasks across threads, event publishing and request-reply across an envelope, and the
// invocation middleware.
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <thread>

#include "agent_fixture.hpp"
#include "agtel/agent/agent_run.hpp"
#include "agtel/agent/events.hpp"
#include "agtel/agent/invocation.hpp"
#include "agtel/agent/propagation.hpp"
#include "agtel/agent/semconv.hpp"
#include "agtel/agent/task.hpp"
#include "agtel/agent/tool_call.hpp"

namespace agtel::agent {
namespace {

using exporter::find_histogram_point;
using exporter::find_metric;
using exporter::find_number_point;
using test::double_attr;
using test::str_attr;

int64_t queue_size(test::agent_world& w, std::string_view priority) {
  auto rm = w.collect();
  const auto* m = find_metric(rm, "task.queue.size");
  if (!m) return -1;
  const auto* p = find_number_point(*m, {{"priority", priority}});
  return p ? std::get<int64_t>(p->value) : -1;
}

TEST(AgentTask, QueuedStartedFinishedOnAnotherThread) {
  test::agent_world w;
  trace::span_context submitter;
  {
    agent_run run("coordinator");
    submitter = run.span().context();
    queued_task t("embed", {.id = "task-9", .priority = "high"});
    EXPECT_EQ(queue_size(w, "high"), 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    std::thread worker([t = std::move(t), &w]() mutable {
      auto run = t.start();
      EXPECT_EQ(queue_size(w, "high"), 0);
      tool_call inner("vector_store");  // nests under the task on the worker
    });
    worker.join();
  }
  auto task = w.span("task embed");
  ASSERT_TRUE(task);
  EXPECT_EQ(task->parent_span_id, submitter.span_id());
  EXPECT_EQ(str_attr(task, "task.type"), "embed");
  EXPECT_EQ(str_attr(task, "task.id"), "task-9");
  EXPECT_EQ(str_attr(task, "priority"), "high");
  EXPECT_GE(double_attr(task, "task.queue_time"), 0.003);
  ASSERT_EQ(task->events.size(), 1u);
  EXPECT_EQ(task->events[0].name, "task.started");
  EXPECT_EQ(w.span("execute_tool vector_store")->parent_span_id, task->context.span_id());

  auto rm = w.collect();
  const auto* d = find_metric(rm, "task.duration");
  ASSERT_NE(d, nullptr);
  const auto* p = find_histogram_point(*d, {{"task.type", "embed"}});
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->count, 1u);
  // The duration is the run, without the wait in the queue.
  EXPECT_LT(*p->sum, static_cast<double>(task->end_time - task->start_time) * 1e-9 - 0.002);
}

TEST(AgentTask, NeverStartedIsCancelledAndLeavesTheQueue) {
  test::agent_world w;
  { queued_task t("index", {.priority = "low"}); }
  EXPECT_EQ(queue_size(w, "low"), 0);
  auto s = w.span("task index");
  EXPECT_EQ(str_attr(s, "error.type"), "cancelled");
  auto rm = w.collect();
  EXPECT_NE(find_number_point(
                *find_metric(rm, "errors"),
                {{"component", "task"}, {"error.type", "cancelled"}, {"severity", "error"}}),
            nullptr);
  EXPECT_EQ(find_metric(rm, "task.duration"), nullptr);
}

TEST(AgentTask, StartingTwiceRecordsOnce) {
  test::agent_world w;
  queued_task t("once");
  { auto a = t.start(); }
  { auto b = t.start(); }
  auto rm = w.collect();
  EXPECT_EQ(find_histogram_point(*find_metric(rm, "task.duration"), {{"task.type", "once"}})->count,
            1u);
  EXPECT_EQ(queue_size(w, "normal"), 0);
}

TEST(AgentEvents, PublishThroughAnEnvelopeContinuesTheTrace) {
  test::agent_world w;
  std::map<std::string, std::string> headers{{"content-type", "json"}};
  {
    event_publish pub("tasks.created", "task_created", {.id = "env-1"});
    pub.inject(headers);
  }
  ASSERT_TRUE(headers.count("traceparent"));
  auto parent = extract_headers(headers);
  { agent_run consumer("consumer", {.parent = &parent}); }
  auto pub = w.span("publish tasks.created");
  ASSERT_TRUE(pub);
  EXPECT_EQ(pub->kind, trace::span_kind::producer);
  EXPECT_EQ(str_attr(pub, "event.topic"), "tasks.created");
  EXPECT_EQ(str_attr(pub, "event.type"), "task_created");
  EXPECT_EQ(str_attr(pub, "event.id"), "env-1");
  auto c = w.span("invoke_agent consumer");
  EXPECT_EQ(c->context.trace_id(), pub->context.trace_id());
  EXPECT_EQ(c->parent_span_id, pub->context.span_id());
  EXPECT_TRUE(c->parent_is_remote);

  auto rm = w.collect();
  const auto* e = find_metric(rm, "events.emitted");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->unit, "{event}");
  EXPECT_EQ(std::get<int64_t>(find_number_point(*e, {{"event.topic", "tasks.created"},
                                                     {"event.type", "task_created"}})
                                  ->value),
            1);
}

TEST(AgentEvents, AFailedPublishIsAnErrorNotAnEvent) {
  test::agent_world w;
  {
    event_publish pub("t", "x");
    pub.fail("broker_unavailable");
  }
  auto rm = w.collect();
  EXPECT_EQ(find_metric(rm, "events.emitted"), nullptr);
  EXPECT_NE(find_number_point(*find_metric(rm, "errors"), {{"component", "event"},
                                                           {"error.type", "broker_unavailable"},
                                                           {"severity", "error"}}),
            nullptr);
}

TEST(AgentEvents, RequestReplyTimeout) {
  test::agent_world w;
  std::vector<std::pair<std::string, std::string>> headers;
  {
    request_reply req("planner.ask", {.correlation_id = "c-1", .timeout_s = 5});
    req.inject(headers);
    req.fail(semconv::value::error_timeout, "no reply in 5 s");
  }
  auto s = w.span("request planner.ask");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->kind, trace::span_kind::client);
  EXPECT_EQ(str_attr(s, "event.correlation_id"), "c-1");
  EXPECT_DOUBLE_EQ(double_attr(s, "event.timeout"), 5.0);
  EXPECT_EQ(str_attr(s, "error.type"), "timeout");
  ASSERT_EQ(headers.size(), 1u);
  EXPECT_EQ(headers[0].first, "traceparent");
  EXPECT_NE(headers[0].second.find(s->context.span_id().to_hex()), std::string::npos);
}

TEST(AgentInvocation, MiddlewareWrapsAHandlerByPath) {
  test::agent_world w;
  int r = invoke("self.memory.recall", [] { return 5; }, {.observer = "planner"});
  EXPECT_EQ(r, 5);
  EXPECT_THROW(invoke("self.memory.store", [] { throw std::invalid_argument("full"); }),
               std::invalid_argument);
  invoke("/tools/grep", [] {});

  auto ok = w.span("invoke self.memory.recall");
  ASSERT_TRUE(ok);
  EXPECT_EQ(str_attr(ok, "invocation.path"), "self.memory.recall");
  EXPECT_EQ(str_attr(ok, "invocation.root"), "self");
  EXPECT_EQ(str_attr(ok, "invocation.observer"), "planner");
  EXPECT_EQ(str_attr(ok, "invocation.result"), "ok");
  auto bad = w.span("invoke self.memory.store");
  EXPECT_EQ(str_attr(bad, "invocation.result"), "error");
  EXPECT_EQ(str_attr(bad, "error.type"), "std::invalid_argument");
  EXPECT_EQ(str_attr(w.span("invoke /tools/grep"), "invocation.root"), "tools");

  auto rm = w.collect();
  const auto* d = find_metric(rm, "invocation.duration");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(find_histogram_point(*d, {{"invocation.root", "self"}})->count, 1u);
  EXPECT_EQ(find_histogram_point(
                *d, {{"invocation.root", "self"}, {"error.type", "std::invalid_argument"}})
                ->count,
            1u);
  EXPECT_EQ(find_histogram_point(*d, {{"invocation.root", "tools"}})->count, 1u);
}

TEST(AgentInvocation, RootOf) {
  EXPECT_EQ(invocation::root_of("self.memory.recall"), "self");
  EXPECT_EQ(invocation::root_of("self"), "self");
  EXPECT_EQ(invocation::root_of("/a/b"), "a");
  EXPECT_EQ(invocation::root_of(""), "");
  EXPECT_EQ(invocation::root_of("..."), "");
}

}  // namespace
}  // namespace agtel::agent
