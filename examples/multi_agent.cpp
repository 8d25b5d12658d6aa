// A coordinator that plans and delegates to sub-agents on a thread pool, with the agent
// layer: one line per operation. Each sub-agent runs as a task on a worker (queued →
// started → finished), calls tools and an LLM; one tool fails and is retried. At the end
// the program prints its trace (console exporter) and reads its own metrics back: calls,
// failures, tokens and cost, the numbers an operator's dashboard shows.
//
// Providers are wired in code here so the example needs no configuration; a real program
// calls agtel's init instead, and the agent layer records through whatever it installed.
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <functional>
#include <latch>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "agtel/agent/agent.hpp"
#include "agtel/export/console_span_exporter.hpp"
#include "agtel/export/in_memory_metric_exporter.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"

namespace agent = agtel::agent;

// A minimal fixed-size pool (nothing agtel-specific in it).
class thread_pool {
 public:
  explicit thread_pool(int threads) {
    for (int i = 0; i < threads; ++i)
      workers_.emplace_back([this](std::stop_token stop) { run(stop); });
  }
  void submit(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(task));
    }
    ready_.notify_one();
  }

 private:
  void run(std::stop_token stop) {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mutex_);
        if (!ready_.wait(lock, stop, [&] { return !tasks_.empty(); })) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }
  std::mutex mutex_;
  std::condition_variable_any ready_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::jthread> workers_;
};

// Stand-ins for real tools and a real model client.
std::string search(const std::string& q) {
  return "3 results for " + q;
}
std::atomic<int> flaky_attempts{0};
std::string read_file(const std::string& path) {
  if (flaky_attempts++ == 0) throw std::runtime_error("EAGAIN reading " + path);
  return "contents of " + path;
}
struct completion {
  std::string text;
  int64_t input_tokens, output_tokens;
};
completion ask_llm(agent::llm_call& call, const std::string& prompt) {
  for (int chunk = 0; chunk < 3; ++chunk) call.on_chunk();  // a streamed answer
  completion c{"answer to " + prompt, static_cast<int64_t>(prompt.size() * 40), 120};
  call.set_usage({.input_tokens = c.input_tokens, .output_tokens = c.output_tokens});
  call.set_response("gpt-4o-2024-08-06", {"stop"});
  return c;
}

void sub_agent(const std::string& name, const std::string& goal) {
  agent::agent_run run(name, {.phase = "execute", .model = "gpt-4o"});
  run.set_context_window(128000, 9000);
  agent::run_tool("search", [&] { return search(goal); });
  for (int attempt = 0;; ++attempt) {  // one failure, then a retry that succeeds
    try {
      agent::run_tool("read_file", [&] { return read_file("src/" + name + ".cpp"); });
      break;
    } catch (const std::exception&) {
      if (attempt == 2) throw;
    }
  }
  agent::run_llm("gpt-4o", {.provider = "openai"},
                 [&](agent::llm_call& call) { return ask_llm(call, goal); });
}

int main() {
  agtel::resource app;
  app.attributes.set("service.name", "multi_agent_example");
  const agtel::resource resource = agtel::resource::sdk_default().merge(app);
  agtel::trace::tracer_provider_options t;
  t.resource = resource;
  t.processors.push_back(std::make_unique<agtel::trace::batch_span_processor>(
      agtel::exporter::make_console_span_exporter()));
  auto tracer_provider = std::make_shared<agtel::trace::tracer_provider>(std::move(t));
  auto reader = std::make_shared<agtel::metrics::pull_metric_reader>();
  agtel::metrics::meter_provider_options m;
  m.resource = resource;
  m.readers.push_back(reader);
  auto meter_provider = std::make_shared<agtel::metrics::meter_provider>(std::move(m));
  agtel::trace::set_global_tracer_provider(tracer_provider);
  agtel::metrics::set_global_meter_provider(meter_provider);

  agent::settings prices;
  prices.prices["gpt-4o"] = {.input_per_million = 2.50, .output_per_million = 10.00};
  agent::configure(std::move(prices));

  thread_pool pool(2);
  {
    agent::workflow session("feature_request", {.conversation_id = "conv-42"});
    agent::agent_run coordinator("coordinator", {.phase = "plan"});
    { agent::plan_step plan; }  // decide who does what
    const std::vector<std::pair<std::string, std::string>> work = {
        {"researcher", "prior art"}, {"coder", "the patch"}, {"reviewer", "the diff"}};
    std::latch done(static_cast<std::ptrdiff_t>(work.size()));
    for (const auto& [name, goal] : work) {
      // Queued here (under the coordinator), started on a worker: the task carries the trace.
      agent::queued_task task("sub_agent", {.priority = "normal"});
      pool.submit(
          [task = std::make_shared<agent::queued_task>(std::move(task)), name, goal, &done] {
            {
              auto running = task->start();
              sub_agent(name, goal);
            }
            done.count_down();
          });
    }
    done.wait();
  }
  tracer_provider->shutdown();  // prints the trace

  // Read the numbers back, as a dashboard would.
  agtel::metrics::resource_metrics rm;
  reader->collect(rm);
  using agtel::exporter::find_metric;
  std::printf("\nsummary\n");
  if (const auto* tools = find_metric(rm, "gen_ai.execute_tool.duration"))
    for (const auto& p : std::get<agtel::metrics::histogram_data>(tools->data).points) {
      const auto* tool = p.attributes.find("gen_ai.tool.name");
      const auto* by = p.attributes.find("gen_ai.agent.name");
      const bool failed = p.attributes.find("error.type") != nullptr;
      std::printf("  %-10s %-10s %s calls=%llu\n", std::get<std::string>(*by).c_str(),
                  std::get<std::string>(*tool).c_str(), failed ? "failed" : "ok    ",
                  static_cast<unsigned long long>(p.count));
    }
  double cost = 0;
  if (const auto* c = find_metric(rm, "llm.cost"))
    for (const auto& p : std::get<agtel::metrics::sum_data>(c->data).points)
      cost += agtel::metrics::to_double(p.value);
  double tokens = 0;
  if (const auto* tk = find_metric(rm, "gen_ai.client.token.usage"))
    for (const auto& p : std::get<agtel::metrics::histogram_data>(tk->data).points)
      tokens += p.sum.value_or(0);
  std::printf("  tokens %.0f, cost $%.6f\n", tokens, cost);
  meter_provider->shutdown();
  return cost > 0 ? 0 : 1;  // the example checks itself: priced calls were recorded
}
