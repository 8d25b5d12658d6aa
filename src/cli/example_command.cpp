// A small agent orchestration, simulated (sleeps stand in for model and tool latency) but
// traced through the real SDK as an application would trace it:
//
//   invoke_agent coordinator
//   ├─ chat (routing)
//   ├─ invoke_agent planner    → chat
//   ├─ invoke_agent researcher → tool calls on a thread pool (context captured at submit,
//   │                            attached on the worker), one failing with an exception and
//   │                            retried, then a summarising chat
//   └─ invoke_agent coder      → chat, execute_tool run_tests, chat
//
// Span names and attributes follow the OpenTelemetry GenAI semantic conventions
// (invoke_agent / chat / execute_tool, gen_ai.* attributes); token usage is summed onto each
// agent span, so the tree shows where the tokens went.
#include "example_command.hpp"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <latch>
#include <memory>
#include <mutex>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "agtel/context/context.hpp"
#include "agtel/trace/batch_span_processor.hpp"
#include "agtel/trace/tracer_provider.hpp"
#include "agtel/version.hpp"

namespace agtel::cli {

// The simulated tool failure. Outside the anonymous namespace so that its recorded
// exception.type reads "agtel::cli::tool_timeout".
struct tool_timeout : std::runtime_error {
  using std::runtime_error::runtime_error;
};

namespace {

using trace::span_kind;
using trace::status_code;

// The simulation's numbers. std::mt19937_64's output sequence is fixed by the standard
// (unlike the std distributions), so a seed means the same run on every platform.
class dice {
 public:
  explicit dice(uint64_t seed) : rng_(seed) {}
  int64_t between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(rng_() % static_cast<uint64_t>(hi - lo + 1));
  }

 private:
  std::mt19937_64 rng_;
};

void work_for(int64_t ms) {
  std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

// A minimal fixed-size pool for the parallel tool calls.
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
  std::vector<std::jthread> workers_;  // last member: joined before the rest is destroyed
};

struct token_usage {
  int64_t input = 0;
  int64_t output = 0;
  token_usage& operator+=(const token_usage& o) {
    input += o.input;
    output += o.output;
    return *this;
  }
};

struct model {
  const char* name;
  const char* provider;
};
constexpr model large_model{"claude-sonnet-4", "anthropic"};
constexpr model small_model{"gpt-4o-mini", "openai"};

class orchestration {
 public:
  orchestration(trace::tracer tracer, uint64_t seed) : tracer_(tracer), dice_(seed) {}

  void run(uint64_t seed) {
    const std::string session = "session-" + std::to_string(seed);
    agent("coordinator", {{"gen_ai.conversation.id", session}}, [&] {
      token_usage used = chat(large_model);
      used += agent("planner", {}, [&] { return chat(large_model); });
      used += agent("researcher", {}, [&] { return research(); });
      used += agent("coder", {}, [&] {
        token_usage u = chat(large_model);
        tool("run_tests", next_call_id(), dice_.between(8, 20));
        u += chat(large_model);
        return u;
      });
      return used;
    });
  }

 private:
  // An agent invocation; its body runs with the agent span current, so every span it
  // starts nests under it. Returns the tokens its model calls used.
  template <class Body>
  token_usage agent(std::string_view name, std::initializer_list<attribute_view> attributes,
                    Body body) {
    auto span = tracer_.start_span(
        "invoke_agent " + std::string(name),
        {.attributes = {{"gen_ai.operation.name", "invoke_agent"}, {"gen_ai.agent.name", name}}});
    span.set_attributes(attributes);
    auto active = span.activate();
    token_usage used = body();
    span.set_attributes(
        {{"gen_ai.usage.input_tokens", used.input}, {"gen_ai.usage.output_tokens", used.output}});
    return used;
  }

  token_usage chat(const model& m) {
    const token_usage used{dice_.between(600, 4000), dice_.between(80, 900)};
    const int64_t latency = dice_.between(12, 40);
    auto span = tracer_.start_span(std::string("chat ") + m.name,
                                   {.kind = span_kind::client,
                                    .attributes = {{"gen_ai.operation.name", "chat"},
                                                   {"gen_ai.provider.name", m.provider},
                                                   {"gen_ai.request.model", m.name}}});
    work_for(latency);
    static constexpr std::string_view finish_reasons[] = {"stop"};
    span.set_attributes(
        {{"gen_ai.usage.input_tokens", used.input},
         {"gen_ai.usage.output_tokens", used.output},
         {"gen_ai.response.finish_reasons", std::span<const std::string_view>(finish_reasons)}});
    return used;
  }

  // Tool call ids are handed out on the orchestrating thread, so they do not depend on
  // which pool thread runs first.
  std::string next_call_id() { return "call_" + std::to_string(++calls_); }

  // A tool call on the calling thread (thread-safe: it touches no member state). `start` 0
  // means now.
  void tool(std::string_view name, const std::string& call_id, int64_t latency, bool fails = false,
            int64_t attempt = 1, timestamp_ns start = 0) const {
    auto span = tracer_.start_span(
        "execute_tool " + std::string(name),
        {.attributes = {{"gen_ai.operation.name", "execute_tool"}, {"gen_ai.tool.name", name}},
         .start_time = start});
    span.set_attribute("gen_ai.tool.call.id", call_id);
    if (attempt > 1) span.set_attribute("agtel.tool.attempt", attempt);
    try {
      work_for(latency);
      if (fails) throw tool_timeout(std::string(name) + ": no response after 10 s");
    } catch (const std::exception& e) {
      span.record_exception(e);
      span.set_status(status_code::error, e.what());
      span.set_attribute("error.type", "timeout");
    }
  }

  // Three tool calls in parallel on a pool, then a summary. The pool's threads do not see
  // this thread's current span, so each task carries the context captured at submission.
  token_usage research() {
    struct job {
      std::string name;
      std::string call_id;
      int64_t latency;
      bool fails;
      std::string retry_call_id;
      int64_t retry_latency;
    };
    // Drawn here, on one thread, in a fixed order: the results do not depend on scheduling.
    std::vector<job> jobs;
    for (const char* name : {"web_search", "fetch_url", "read_docs"}) {
      const bool fails = std::string_view(name) == "fetch_url";
      jobs.push_back({name, next_call_id(), dice_.between(5, 15), fails,
                      fails ? next_call_id() : "", dice_.between(5, 15)});
    }

    thread_pool pool(2);
    std::latch done(static_cast<std::ptrdiff_t>(jobs.size()));
    timestamp_ns dispatched = 0;
    for (const job& j : jobs) {
      // The span starts when the agent dispatches the call (queueing included, as the agent
      // sees it); strictly increasing, so siblings always print in dispatch order.
      dispatched = std::max(now_ns(), dispatched + 1);
      pool.submit([this, &j, &done, dispatched, ctx = context::current()] {
        auto scope = ctx.attach();
        tool(j.name, j.call_id, j.latency, j.fails, 1, dispatched);
        if (j.fails) tool(j.name, j.retry_call_id, j.retry_latency, false, 2);  // succeeds
        done.count_down();
      });
    }
    done.wait();
    return chat(small_model);
  }

  trace::tracer tracer_;
  dice dice_;
  int calls_ = 0;
};

}  // namespace

int run_example(const example_options& options) {
  resource app;
  app.attributes.set("service.name", "agtel-example");
  app.attributes.set("service.version", version);
  trace::tracer_provider_options provider_options;
  provider_options.resource = resource::sdk_default().merge(app);
  // One batch for the whole run, printed at shutdown, so the trace shows as one tree.
  trace::batch_span_processor_options batch;
  batch.max_queue_size = 2048;
  batch.max_export_batch_size = 2048;
  batch.schedule_delay = std::chrono::hours(1);
  provider_options.processors.push_back(std::make_unique<trace::batch_span_processor>(
      exporter::make_console_span_exporter({.format = options.format, .out = options.out}), batch));
  trace::tracer_provider provider(std::move(provider_options));

  orchestration(provider.get_tracer("agtel.example", version), options.seed).run(options.seed);

  const sdk_result result = provider.shutdown();
  if (result != sdk_result::ok) {
    std::fprintf(stderr, "agtel example: the trace could not be printed (%s)\n",
                 std::string(to_string(result)).c_str());
    return 1;
  }
  return 0;
}

}  // namespace agtel::cli
