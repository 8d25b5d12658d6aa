// The agent catalogue as Prometheus sees it: every metric under its translated name
// (shared/spec/metrics.md's last column), and promtool — the real linter — has nothing to
// say about the exposition.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "agent_fixture.hpp"
#include "agtel/agent/agent.hpp"
#include "agtel/export/prometheus_exporter.hpp"

namespace agtel::agent {
namespace {

// Runs every operation once, with a failure and a priced and an unpriced call.
void exercise_everything() {
  settings s;
  s.prices["gpt-4o"] = {.input_per_million = 2.5, .output_per_million = 10};
  configure(s);
  workflow session("triage");
  agent_run run("coder", {.phase = "execute"});
  run.set_context_window(128000, 64000);
  run_tool("grep", [] {});
  try {
    run_tool("compile", [] { throw std::runtime_error("x"); });
  } catch (...) {
  }
  {
    llm_call call("gpt-4o", {.provider = "openai"});
    call.on_chunk();
    call.on_chunk();
    call.set_usage({.input_tokens = 10, .output_tokens = 5});
  }
  {
    llm_call call("local-llama", {.provider = "local"});
    call.set_usage({.input_tokens = 10, .output_tokens = 5});
  }
  { auto t = queued_task("embed").start(); }
  { event_publish pub("topic", "type"); }
  invoke("self.memory.recall", [] {});
}

TEST(AgentPrometheus, CatalogueNamesAndPromtoolIsSilent) {
  test::agent_world w;
  exercise_everything();
  auto rm = w.collect();
  std::string text;
  exporter::prometheus_serializer serializer;
  serializer.serialize(rm, exporter::prometheus_format::text, text);

  for (const char* name :
       {"gen_ai_invoke_agent_duration_seconds_bucket",
        "gen_ai_execute_tool_duration_seconds_bucket", "gen_ai_workflow_duration_seconds_bucket",
        "gen_ai_client_operation_duration_seconds_bucket", "gen_ai_client_token_usage_bucket",
        "gen_ai_client_operation_time_to_first_chunk_seconds_bucket",
        "gen_ai_client_operation_time_per_output_chunk_seconds_bucket", "agent_active{",
        "llm_cost_total{", "llm_cost_unpriced_calls_total{", "context_window_size{",
        "context_window_used{", "context_window_utilization_ratio{", "errors_total{",
        "task_queue_size{", "task_duration_seconds_bucket", "session_duration_seconds_bucket",
        "events_emitted_total{", "invocation_duration_seconds_bucket"})
    EXPECT_NE(text.find(std::string("\n") + name), std::string::npos) << name << "\n" << text;

  const std::string path = ::testing::TempDir() + "agent_exposition.prom";
  std::ofstream(path) << text;
  FILE* p = popen(("promtool check metrics < " + path + " 2>&1").c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = pclose(p);
  EXPECT_EQ(status, 0) << "promtool (is it installed? scripts/setup.sh installs it):\n" << out;
  EXPECT_EQ(out, "");
}

}  // namespace
}  // namespace agtel::agent
