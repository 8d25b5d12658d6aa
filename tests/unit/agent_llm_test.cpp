// LLM calls: span, duration, token usage, streaming timings, cost and unpriced calls.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "agent_fixture.hpp"
#include "agtel/agent/agent_run.hpp"
#include "agtel/agent/llm_call.hpp"
#include "agtel/metrics/buckets.hpp"

namespace agtel::agent {
namespace {

using exporter::find_histogram_point;
using exporter::find_metric;
using exporter::find_number_point;
using test::double_attr;
using test::int_attr;
using test::str_attr;

settings priced() {
  settings s;
  s.prices["gpt-4o"] = {
      .input_per_million = 2.5, .output_per_million = 10, .cached_input_per_million = 1.25};
  s.prices["claude-sonnet"] = {.input_per_million = 3, .output_per_million = 15};
  return s;
}

TEST(AgentLlm, SpanCarriesRequestResponseAndUsage) {
  test::agent_world w;
  {
    llm_call call("gpt-4o", {.provider = "openai", .temperature = 0.2, .max_tokens = 1024});
    call.set_usage({.input_tokens = 1200, .output_tokens = 300, .cache_read_input_tokens = 1000});
    call.set_response("gpt-4o-2024-08-06", {"stop", "length"});
  }
  auto s = w.span("chat gpt-4o");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->kind, trace::span_kind::client);
  EXPECT_EQ(str_attr(s, "gen_ai.operation.name"), "chat");
  EXPECT_EQ(str_attr(s, "gen_ai.provider.name"), "openai");
  EXPECT_EQ(str_attr(s, "gen_ai.request.model"), "gpt-4o");
  EXPECT_DOUBLE_EQ(double_attr(s, "gen_ai.request.temperature"), 0.2);
  EXPECT_EQ(int_attr(s, "gen_ai.request.max_tokens"), 1024);
  EXPECT_EQ(str_attr(s, "gen_ai.response.model"), "gpt-4o-2024-08-06");
  const auto* reasons = s->attributes.find("gen_ai.response.finish_reasons");
  ASSERT_NE(reasons, nullptr);
  EXPECT_EQ(std::get<std::vector<std::string>>(*reasons),
            (std::vector<std::string>{"stop", "length"}));
  EXPECT_EQ(int_attr(s, "gen_ai.usage.input_tokens"), 1200);
  EXPECT_EQ(int_attr(s, "gen_ai.usage.output_tokens"), 300);
  EXPECT_EQ(int_attr(s, "gen_ai.usage.cache_read.input_tokens"), 1000);
  EXPECT_EQ(int_attr(s, "gen_ai.usage.cache_creation.input_tokens"), -999);  // not reported
  EXPECT_TRUE(s->events.empty());                                            // not streaming

  auto rm = w.collect();
  const auto* d = find_metric(rm, "gen_ai.client.operation.duration");
  ASSERT_NE(d, nullptr);
  const auto* dp = find_histogram_point(*d, {{"gen_ai.operation.name", "chat"},
                                             {"gen_ai.provider.name", "openai"},
                                             {"gen_ai.request.model", "gpt-4o"}});
  ASSERT_NE(dp, nullptr);
  EXPECT_EQ(dp->count, 1u);
  EXPECT_DOUBLE_EQ(*dp->sum, static_cast<double>(s->end_time - s->start_time) * 1e-9);

  const auto* t = find_metric(rm, "gen_ai.client.token.usage");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->unit, "{token}");
  const auto* in = find_histogram_point(*t, {{"gen_ai.operation.name", "chat"},
                                             {"gen_ai.provider.name", "openai"},
                                             {"gen_ai.request.model", "gpt-4o"},
                                             {"gen_ai.token.type", "input"}});
  const auto* out = find_histogram_point(*t, {{"gen_ai.operation.name", "chat"},
                                              {"gen_ai.provider.name", "openai"},
                                              {"gen_ai.request.model", "gpt-4o"},
                                              {"gen_ai.token.type", "output"}});
  ASSERT_TRUE(in && out);
  EXPECT_EQ(*in->sum, 1200);
  EXPECT_EQ(*out->sum, 300);
  EXPECT_EQ(in->bounds,
            std::vector<double>(metrics::buckets::tokens.begin(), metrics::buckets::tokens.end()));
  // Not streaming: no chunk timings.
  EXPECT_EQ(find_metric(rm, "gen_ai.client.operation.time_to_first_chunk"), nullptr);
  EXPECT_EQ(find_metric(rm, "gen_ai.client.operation.time_per_output_chunk"), nullptr);
  // No price table: counted as unpriced, never as $0.
  EXPECT_EQ(find_metric(rm, "llm.cost"), nullptr);
  const auto* unpriced = find_metric(rm, "llm.cost.unpriced_calls");
  ASSERT_NE(unpriced, nullptr);
  EXPECT_EQ(unpriced->unit, "{call}");
  const auto* up = find_number_point(*unpriced, {{"gen_ai.request.model", "gpt-4o"}});
  ASSERT_NE(up, nullptr);
  EXPECT_EQ(std::get<int64_t>(up->value), 1);
}

TEST(AgentLlm, CostFromThePriceTableWithCachedInput) {
  test::agent_world w;
  configure(priced());
  {
    llm_call call("gpt-4o", {.provider = "openai"});
    call.set_usage(
        {.input_tokens = 1'000'000, .output_tokens = 100'000, .cache_read_input_tokens = 400'000});
  }
  {
    llm_call call("claude-sonnet", {.provider = "anthropic"});
    call.set_usage({.input_tokens = 2'000'000, .output_tokens = 0});
  }
  {
    llm_call call("mystery-model", {.provider = "local"});
    call.set_usage({.input_tokens = 10, .output_tokens = 10});
  }
  auto rm = w.collect();
  const auto* cost = find_metric(rm, "llm.cost");
  ASSERT_NE(cost, nullptr);
  EXPECT_EQ(cost->unit, "{USD}");
  const auto* openai = find_number_point(
      *cost, {{"gen_ai.provider.name", "openai"}, {"gen_ai.request.model", "gpt-4o"}});
  ASSERT_NE(openai, nullptr);
  // 600k fresh input at 2.5 + 400k cached at 1.25 + 100k output at 10, per million.
  EXPECT_NEAR(std::get<double>(openai->value), 1.5 + 0.5 + 1.0, 1e-9);
  const auto* anthropic = find_number_point(
      *cost, {{"gen_ai.provider.name", "anthropic"}, {"gen_ai.request.model", "claude-sonnet"}});
  ASSERT_NE(anthropic, nullptr);
  EXPECT_NEAR(std::get<double>(anthropic->value), 6.0, 1e-9);
  EXPECT_EQ(find_number_point(*cost, {{"gen_ai.provider.name", "local"},
                                      {"gen_ai.request.model", "mystery-model"}}),
            nullptr);
  const auto* unpriced = find_metric(rm, "llm.cost.unpriced_calls");
  ASSERT_NE(unpriced, nullptr);
  ASSERT_EQ(std::get<metrics::sum_data>(unpriced->data).points.size(), 1u);
  EXPECT_NE(find_number_point(*unpriced, {{"gen_ai.request.model", "mystery-model"}}), nullptr);
}

TEST(AgentLlm, ResponseModelIsPricedFirst) {
  settings s;
  s.prices["gpt-4o"] = {.input_per_million = 1};
  s.prices["gpt-4o-mini-2024"] = {.input_per_million = 100};
  EXPECT_EQ(find_price(s.prices, "gpt-4o-mini-2024", "gpt-4o")->input_per_million, 100);
  EXPECT_EQ(find_price(s.prices, "gpt-4o-2024-08-06", "gpt-4o")->input_per_million, 1);
  EXPECT_EQ(find_price(s.prices, "x", "y"), nullptr);
  // Cached tokens never exceed input tokens in the arithmetic; unreported counts are zero.
  EXPECT_DOUBLE_EQ(
      cost_usd({.input_per_million = 1, .output_per_million = 2, .cached_input_per_million = 0.5},
               {.input_tokens = 100, .output_tokens = -1, .cache_read_input_tokens = 500}),
      100 * 0.5 / 1e6);
}

TEST(AgentLlm, NoUsageNoTokenPointsAndNoCost) {
  test::agent_world w;
  configure(priced());
  { llm_call call("gpt-4o", {.provider = "openai"}); }
  auto rm = w.collect();
  EXPECT_NE(find_metric(rm, "gen_ai.client.operation.duration"), nullptr);
  EXPECT_EQ(find_metric(rm, "gen_ai.client.token.usage"), nullptr);
  EXPECT_EQ(find_metric(rm, "llm.cost"), nullptr);
  EXPECT_EQ(find_metric(rm, "llm.cost.unpriced_calls"), nullptr);
}

TEST(AgentLlm, StreamingRecordsFirstChunkAndPerChunkTimes) {
  test::agent_world w;
  {
    llm_call call("gpt-4o", {.provider = "openai"});
    for (int i = 0; i < 4; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      call.on_chunk();
    }
    call.set_usage({.input_tokens = 10, .output_tokens = 4});  // from the final chunk
  }
  auto s = w.span("chat gpt-4o");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->events.size(), 1u);
  EXPECT_EQ(s->events[0].name, "gen_ai.first_chunk");
  EXPECT_GT(s->events[0].time, s->start_time);
  EXPECT_EQ(int_attr(s, "gen_ai.usage.output_tokens"), 4);

  auto rm = w.collect();
  const std::initializer_list<attribute_view> attrs = {{"gen_ai.operation.name", "chat"},
                                                       {"gen_ai.provider.name", "openai"},
                                                       {"gen_ai.request.model", "gpt-4o"}};
  const auto* first = find_metric(rm, "gen_ai.client.operation.time_to_first_chunk");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->unit, "s");
  const auto* fp = find_histogram_point(*first, attrs);
  ASSERT_NE(fp, nullptr);
  EXPECT_EQ(fp->count, 1u);
  EXPECT_NEAR(*fp->sum, static_cast<double>(s->events[0].time - s->start_time) * 1e-9, 1e-12);
  EXPECT_GE(*fp->sum, 0.002);
  const auto* per = find_metric(rm, "gen_ai.client.operation.time_per_output_chunk");
  ASSERT_NE(per, nullptr);
  const auto* pp = find_histogram_point(*per, attrs);
  ASSERT_NE(pp, nullptr);
  EXPECT_EQ(pp->count, 3u);  // every chunk after the first
  EXPECT_GE(*pp->min, 0.002);
}

TEST(AgentLlm, FailureSetsErrorTypeOnSpanAndDuration) {
  test::agent_world w;
  EXPECT_THROW(run_llm("gpt-4o", {.provider = "openai"},
                       [](llm_call&) -> int { throw std::runtime_error("429 Too Many Requests"); }),
               std::runtime_error);
  auto s = w.span("chat gpt-4o");
  ASSERT_TRUE(s);
  EXPECT_EQ(str_attr(s, "error.type"), "std::runtime_error");
  EXPECT_EQ(s->status.code, trace::status_code::error);
  auto rm = w.collect();
  EXPECT_NE(find_histogram_point(*find_metric(rm, "gen_ai.client.operation.duration"),
                                 {{"gen_ai.operation.name", "chat"},
                                  {"gen_ai.provider.name", "openai"},
                                  {"gen_ai.request.model", "gpt-4o"},
                                  {"error.type", "std::runtime_error"}}),
            nullptr);
  EXPECT_NE(find_number_point(*find_metric(rm, "errors"), {{"component", "llm"},
                                                           {"error.type", "std::runtime_error"},
                                                           {"severity", "error"}}),
            nullptr);
}

TEST(AgentLlm, UsageAddsUpInTheAgentRunAndNamesTheAgent) {
  test::agent_world w;
  {
    agent_run run("researcher", {.model = "gpt-4o"});
    for (int i = 0; i < 3; ++i) {
      run.next_iteration();
      llm_call call("gpt-4o", {.operation = "chat", .provider = "openai"});
      call.set_usage({.input_tokens = 100, .output_tokens = 10});
    }
  }
  auto a = w.span("invoke_agent researcher");
  ASSERT_TRUE(a);
  EXPECT_EQ(int_attr(a, "gen_ai.usage.input_tokens"), 300);
  EXPECT_EQ(int_attr(a, "gen_ai.usage.output_tokens"), 30);
  EXPECT_EQ(int_attr(a, "agent.iterations"), 3);
  EXPECT_EQ(int_attr(a, "agent.tool_calls"), 0);
  EXPECT_EQ(str_attr(a, "gen_ai.request.model"), "gpt-4o");
  for (const auto& s : w.spans())
    if (s->name == "chat gpt-4o") {
      EXPECT_EQ(s->parent_span_id, a->context.span_id());
    }
  auto rm = w.collect();
  const auto* p = find_histogram_point(*find_metric(rm, "gen_ai.client.token.usage"),
                                       {{"gen_ai.operation.name", "chat"},
                                        {"gen_ai.provider.name", "openai"},
                                        {"gen_ai.request.model", "gpt-4o"},
                                        {"gen_ai.token.type", "input"},
                                        {"gen_ai.agent.name", "researcher"}});
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->count, 3u);
}

}  // namespace
}  // namespace agtel::agent
