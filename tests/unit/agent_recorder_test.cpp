// The recorder API produces the same telemetry as the scoped form for the same facts:
// the same spans (name, kind, status, attributes, events) and the same metric points
// (attributes, counts, buckets, and values other than durations, which depend on timing).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>

#include "agent_fixture.hpp"
#include "agtel/agent/agent_run.hpp"
#include "agtel/agent/llm_call.hpp"
#include "agtel/agent/recorder.hpp"
#include "agtel/agent/tool_call.hpp"
#include "agtel/agent/workflow.hpp"

namespace agtel::agent {
namespace {

std::string render(const attribute_value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        std::ostringstream o;
        if constexpr (std::is_same_v<T, std::string>) {
          o << '"' << x << '"';
        } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, int64_t> ||
                             std::is_same_v<T, double>) {
          o << x;
        } else {
          o << '[';
          for (const auto& e : x) o << e << ',';
          o << ']';
        }
        return o.str();
      },
      v);
}

std::string render(const attribute_list& attrs) {
  std::vector<std::string> parts;
  for (const auto& a : attrs) parts.push_back(a.key + "=" + render(a.value));
  std::sort(parts.begin(), parts.end());
  std::string out;
  for (const auto& p : parts) out += p + ";";
  return out;
}

// Everything about the exported spans except ids and times, sorted by name.
std::vector<std::string> describe_spans(const test::agent_world& w) {
  std::vector<std::string> out;
  for (const auto& s : w.spans()) {
    std::string d = s->name + " kind=" + std::to_string(static_cast<int>(s->kind)) +
                    " status=" + std::to_string(static_cast<int>(s->status.code)) + ":" +
                    s->status.message + " root=" + std::to_string(!s->parent_span_id.is_valid()) +
                    " {" + render(s->attributes) + "}";
    for (const auto& e : s->events) d += " event " + e.name + " {" + render(e.attributes) + "}";
    out.push_back(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every metric point: attributes, counts and buckets; values except for durations (unit s).
std::map<std::string, std::string> describe_metrics(test::agent_world& w) {
  std::map<std::string, std::string> out;
  auto rm = w.collect();
  for (const auto& sm : rm.scopes)
    for (const auto& m : sm.metrics) {
      const bool timing = m.unit == "s";
      if (const auto* h = std::get_if<metrics::histogram_data>(&m.data)) {
        for (const auto& p : h->points) {
          std::ostringstream o;
          o << "count=" << p.count;
          if (!timing) o << " sum=" << *p.sum;
          o << " bounds=" << p.bounds.size();
          if (!timing) {
            o << " buckets=";
            for (auto c : p.bucket_counts) o << c << ',';
          }
          out[m.name + "{" + render(p.attributes) + "}"] = o.str();
        }
      } else if (const auto* s = std::get_if<metrics::sum_data>(&m.data)) {
        for (const auto& p : s->points)
          out[m.name + "{" + render(p.attributes) + "}"] =
              std::to_string(metrics::to_double(p.value));
      } else if (const auto* g = std::get_if<metrics::gauge_data>(&m.data)) {
        for (const auto& p : g->points)
          out[m.name + "{" + render(p.attributes) + "}"] =
              std::to_string(metrics::to_double(p.value));
      }
    }
  return out;
}

template <class Scoped, class Recorded>
void expect_same(Scoped scoped, Recorded recorded) {
  std::vector<std::string> spans_a, spans_b;
  std::map<std::string, std::string> metrics_a, metrics_b;
  {
    test::agent_world w;
    scoped();
    spans_a = describe_spans(w);
    metrics_a = describe_metrics(w);
  }
  {
    test::agent_world w;
    recorded();
    spans_b = describe_spans(w);
    metrics_b = describe_metrics(w);
  }
  EXPECT_FALSE(spans_a.empty());
  EXPECT_FALSE(metrics_a.empty());
  EXPECT_EQ(spans_a, spans_b);
  EXPECT_EQ(metrics_a, metrics_b);
}

TEST(AgentRecorder, ToolUsageIsTheSameAsTheScope) {
  expect_same(
      [] {
        tool_call t("grep", {.type = "datastore", .call_id = "c1", .agent_name = "coder"});
        t.fail("timeout", "slow disk");
      },
      [] {
        const timestamp_ns now = now_ns();
        track_tool_usage({.tool_name = "grep",
                          .tool_type = "datastore",
                          .call_id = "c1",
                          .agent_name = "coder",
                          .start_time = now - 1000,
                          .end_time = now,
                          .failure = {"timeout", "slow disk"}});
      });
}

TEST(AgentRecorder, LlmCallIsTheSameAsTheScope) {
  settings prices;
  prices.prices["gpt-4o"] = {.input_per_million = 2.5, .output_per_million = 10};
  expect_same(
      [&] {
        configure(prices);
        llm_call c(
            "gpt-4o",
            {.provider = "openai", .temperature = 0.5, .max_tokens = 256, .agent_name = "coder"});
        c.on_chunk();
        c.on_chunk();
        c.set_usage({.input_tokens = 500, .output_tokens = 40, .cache_read_input_tokens = 100});
        c.set_response("gpt-4o-2024-08-06", {"stop"});
      },
      [&] {
        configure(prices);
        const timestamp_ns now = now_ns();
        const std::array<std::string_view, 1> reasons = {"stop"};
        const std::array<timestamp_ns, 2> chunks = {now - 600, now - 300};
        track_llm_call(
            {.provider = "openai",
             .request_model = "gpt-4o",
             .response_model = "gpt-4o-2024-08-06",
             .temperature = 0.5,
             .max_tokens = 256,
             .finish_reasons = reasons,
             .usage = {.input_tokens = 500, .output_tokens = 40, .cache_read_input_tokens = 100},
             .agent_name = "coder",
             .start_time = now - 1000,
             .end_time = now,
             .chunk_times = chunks});
      });
}

TEST(AgentRecorder, AgentExecutionIsTheSameAsTheScope) {
  expect_same(
      [] {
        agent_run r("planner", {.id = "a-1", .phase = "plan", .model = "gpt-4o"});
        r.add_usage({.input_tokens = 10, .output_tokens = 5});
        r.next_iteration();
        r.next_iteration();
        r.count_tool_call();
        r.fail("std::runtime_error", "bad plan");
      },
      [] {
        const timestamp_ns now = now_ns();
        track_agent_execution({.agent_name = "planner",
                               .agent_id = "a-1",
                               .phase = "plan",
                               .model = "gpt-4o",
                               .usage = {.input_tokens = 10, .output_tokens = 5},
                               .iterations = 2,
                               .tool_calls = 1,
                               .start_time = now - 1000,
                               .end_time = now,
                               .failure = {"std::runtime_error", "bad plan"}});
      });
}

TEST(AgentRecorder, WorkflowIsTheSameAsTheScope) {
  expect_same([] { workflow wf("triage", {.conversation_id = "conv"}); },
              [] {
                const timestamp_ns now = now_ns();
                track_workflow({.workflow_name = "triage",
                                .conversation_id = "conv",
                                .start_time = now - 1000,
                                .end_time = now});
              });
}

// The comparison itself can fail: a different call id, or a different cost, is seen.
TEST(AgentRecorder, TheComparisonSeesDifferences) {
  EXPECT_NONFATAL_FAILURE(
      expect_same([] { tool_call t("grep", {.call_id = "c1"}); },
                  [] { track_tool_usage({.tool_name = "grep", .call_id = "c2"}); }),
      "spans_b");
  // Same spans, but priced once and unpriced once: only the metrics differ.
  EXPECT_NONFATAL_FAILURE(
      expect_same(
          [] {
            settings s;
            s.prices["m"] = {.input_per_million = 1};
            configure(s);
            llm_call c("m");
            c.set_usage({.input_tokens = 5});
          },
          [] {
            configure({});
            track_llm_call({.request_model = "m", .usage = {.input_tokens = 5}});
          }),
      "metrics_b");
}

TEST(AgentRecorder, RecordedTimesAreTheSpanTimes) {
  test::agent_world w;
  track_tool_usage({.tool_name = "t", .start_time = 1'000'000'000, .end_time = 3'500'000'000});
  auto s = w.span("execute_tool t");
  EXPECT_EQ(s->start_time, 1'000'000'000u);
  EXPECT_EQ(s->end_time, 3'500'000'000u);
  auto rm = w.collect();
  const auto* p =
      exporter::find_histogram_point(*exporter::find_metric(rm, "gen_ai.execute_tool.duration"),
                                     {{"gen_ai.tool.name", "t"}, {"gen_ai.tool.type", "function"}});
  ASSERT_NE(p, nullptr);
  EXPECT_DOUBLE_EQ(*p->sum, 2.5);
}

TEST(AgentRecorder, ContextUsageAndErrors) {
  test::agent_world w;
  track_context_usage({.agent_name = "coder", .size = 200000, .used = 50000});
  track_context_usage({.agent_name = "empty", .size = 0, .used = 0});  // no utilization for size 0
  track_error({.component = "scheduler", .error_type = "queue_full", .severity = "warning"});
  track_error({.component = "scheduler", .error_type = "queue_full", .severity = "warning"});
  track_error({.component = "bus", .error_type = ""});
  auto rm = w.collect();
  using exporter::find_metric;
  using exporter::find_number_point;
  EXPECT_DOUBLE_EQ(
      std::get<double>(find_number_point(*find_metric(rm, "context_window.utilization"),
                                         {{"gen_ai.agent.name", "coder"}})
                           ->value),
      0.25);
  EXPECT_EQ(find_number_point(*find_metric(rm, "context_window.utilization"),
                              {{"gen_ai.agent.name", "empty"}}),
            nullptr);
  const auto* errors = find_metric(rm, "errors");
  EXPECT_EQ(std::get<int64_t>(find_number_point(*errors, {{"component", "scheduler"},
                                                          {"error.type", "queue_full"},
                                                          {"severity", "warning"}})
                                  ->value),
            2);
  EXPECT_NE(find_number_point(
                *errors, {{"component", "bus"}, {"error.type", "_OTHER"}, {"severity", "error"}}),
            nullptr);
  // Each error is logged with its severity.
  ASSERT_EQ(w.logs().size(), 3u);
  EXPECT_EQ(w.logs()[0]->severity_number, logs::severity::warn);
  EXPECT_EQ(std::get<std::string>(w.logs()[0]->body), "queue_full");
  EXPECT_EQ(w.logs()[2]->severity_number, logs::severity::error);
}

}  // namespace
}  // namespace agtel::agent
