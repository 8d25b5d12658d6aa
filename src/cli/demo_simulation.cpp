// The simulated orchestration of `agtel demo`; see demo_simulation.hpp.
#include "demo_simulation.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <random>
#include <string>
#include <thread>

#include "agtel/agent/agent.hpp"

namespace agtel::cli {

namespace {

// The simulated clock of the session running on this thread, while one runs: what the
// agent layer's scopes read (settings::clock).
thread_local const timestamp_ns* session_clock = nullptr;

timestamp_ns simulated_now() noexcept {
  return session_clock != nullptr ? *session_clock : now_ns();
}

// Points the agent layer's clock at `clock` for the lifetime of a session.
class use_clock {
 public:
  explicit use_clock(const timestamp_ns& clock) noexcept : saved_(session_clock) {
    session_clock = &clock;
  }
  ~use_clock() { session_clock = saved_; }
  use_clock(const use_clock&) = delete;
  use_clock& operator=(const use_clock&) = delete;

 private:
  const timestamp_ns* saved_;
};

struct model_info {
  const char* name;
  const char* provider;
  double first_chunk_ms;  // median time to first chunk
  double ms_per_token;    // output speed
  int64_t window;         // context window, tokens
};
// llama-3.1-70b has no price in the table on purpose: it shows as unpriced, never as $0.
constexpr model_info sonnet{"claude-sonnet-4", "anthropic", 650, 14, 200000};
constexpr model_info gpt4o{"gpt-4o", "openai", 450, 10, 128000};
constexpr model_info mini{"gpt-4o-mini", "openai", 300, 6, 128000};
constexpr model_info llama{"llama-3.1-70b", "groq", 200, 4, 131072};

struct tool_info {
  const char* name;
  double median_ms, sigma;
  double failure_rate;
  const char* error_type;
  const char* error_message;
  double failure_ms;  // how long a failure takes (a timeout waits it out)
  int64_t result_tokens;
  int max_attempts;
};
enum tool_kind { search, read_file, write_file, run_tests };
constexpr std::array<tool_info, 4> tools{{
    {"search", 350, 0.6, 0.08, "timeout", "search: no response after 10 s", 10000, 900, 3},
    {"read_file", 4, 0.8, 0.03, "not_found", "read_file: no such file", 1, 1500, 1},
    {"write_file", 6, 0.5, 0.01, "permission_denied", "write_file: permission denied", 2, 40, 1},
    {"run_tests", 3500, 0.5, 0.30, "tests_failed", "run_tests: 2 of 41 tests failed", 3500, 600, 1},
}};

double lognormal(std::mt19937_64& rng, double median, double sigma) {
  return std::lognormal_distribution<double>(std::log(median), sigma)(rng);
}
bool chance(std::mt19937_64& rng, double p) {
  return std::uniform_real_distribution<double>(0, 1)(rng) < p;
}
int64_t between(std::mt19937_64& rng, int64_t lo, int64_t hi) {
  return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}
timestamp_ns ns(double ms) {
  return static_cast<timestamp_ns>(ms * 1e6);
}

}  // namespace

// One agent's run: its scope, its own generator and its context window.
struct demo_simulation::agent_state {
  agent_state(uint64_t seed, uint64_t session, int agent, const char* name, const model_info& m,
              const agent::agent_options& o)
      : rng(seed * 0x9E3779B97F4A7C15ull ^ session * 0xBF58476D1CE4E5B9ull ^
            static_cast<uint64_t>(agent) * 0x94D049BB133111EBull),
        run(name, o),
        name(name),
        model(m),
        context(between(rng, 1500, 4000)) {}  // system prompt + task
  std::mt19937_64 rng;
  agent::agent_run run;
  const char* name;
  const model_info& model;
  int64_t context;
  int64_t cached = 0;  // prompt prefix the provider has cached
};

void demo_simulation::configure_prices() {
  agent::settings s;
  s.prices[sonnet.name] = {
      .input_per_million = 3.00, .output_per_million = 15.00, .cached_input_per_million = 0.30};
  s.prices[gpt4o.name] = {
      .input_per_million = 2.50, .output_per_million = 10.00, .cached_input_per_million = 1.25};
  s.prices[mini.name] = {
      .input_per_million = 0.15, .output_per_million = 0.60, .cached_input_per_million = 0.075};
  s.clock = &simulated_now;
  agent::configure(std::move(s));
}

void demo_simulation::advance(double ms) {
  clock_ += ns(ms);
  if (speed_ > 0)
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(ms / speed_));
}

void demo_simulation::llm(agent_state& a, double output_median) {
  const model_info& m = a.model;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    demo_call call{.llm = true, .name = m.name};
    const timestamp_ns start = clock_;
    agent::llm_call_record r{.provider = m.provider,
                             .request_model = m.name,
                             .temperature = 0.2,
                             .max_tokens = 4096,
                             .agent_name = a.name,
                             .start_time = start};
    if (chance(a.rng, 0.05)) {  // the provider pushes back; retried after a pause
      call.failed = true;
      const bool timeout = chance(a.rng, 0.25);
      call.ms = timeout ? 60000 : lognormal(a.rng, 120, 0.3);
      r.failure = timeout ? agent::failure_info{"timeout", "no response after 60 s"}
                          : agent::failure_info{"rate_limited", "429: rate limit exceeded"};
      advance(call.ms);
      r.end_time = clock_;
      agent::track_llm_call(r);
      counts.calls.push_back(call);
      if (attempt < 3) ++counts.retries;
      continue;
    }
    const int64_t output =
        std::clamp<int64_t>(static_cast<int64_t>(lognormal(a.rng, output_median, 0.5)), 5, 4096);
    const double first_chunk = lognormal(a.rng, m.first_chunk_ms, 0.4);
    call.ms = first_chunk + static_cast<double>(output) * m.ms_per_token * lognormal(a.rng, 1, 0.2);
    call.input_tokens = a.context;
    call.cached_tokens = a.cached;
    call.output_tokens = output;
    const agent::token_usage usage{
        .input_tokens = a.context, .output_tokens = output, .cache_read_input_tokens = a.cached};
    const std::array<timestamp_ns, 2> chunks{start + ns(first_chunk), start + ns(call.ms)};
    const std::array<std::string_view, 1> finish{"stop"};
    r.response_model = m.name;
    r.usage = usage;
    r.chunk_times = chunks;
    r.finish_reasons = finish;
    const auto& prices = agent::current_settings().prices;
    if (const agent::model_price* p = agent::find_price(prices, m.name, m.name))
      call.cost_usd = agent::cost_usd(*p, usage);
    advance(call.ms);
    r.end_time = clock_;
    agent::track_llm_call(r);  // adds to a.run's usage totals (the innermost run here)
    counts.calls.push_back(call);
    a.cached = a.context;  // the next prompt repeats this one as its prefix
    a.context = std::min(a.context + output, m.window);
    a.run.set_context_window(m.window, a.context);
    return;
  }
}

void demo_simulation::tool(agent_state& a, int kind) {
  const tool_info& t = tools[static_cast<size_t>(kind)];
  for (int attempt = 1; attempt <= t.max_attempts; ++attempt) {
    demo_call call{.name = t.name};
    call.failed = chance(a.rng, t.failure_rate);
    call.ms = call.failed ? t.failure_ms : lognormal(a.rng, t.median_ms, t.sigma);
    const std::string id = "call_" + std::to_string(next_call_id_++);
    const timestamp_ns start = clock_;
    advance(call.ms);
    agent::track_tool_usage({.tool_name = t.name,
                             .call_id = id,
                             .agent_name = a.name,
                             .start_time = start,
                             .end_time = clock_,
                             .failure = call.failed
                                            ? agent::failure_info{t.error_type, t.error_message}
                                            : agent::failure_info{}});
    // (counted in a.run's agent.tool_calls by the layer: it is the innermost run here)
    counts.calls.push_back(call);
    if (!call.failed) {
      a.context = std::min(a.context + t.result_tokens, a.model.window);
      return;
    }
    if (attempt < t.max_attempts) ++counts.retries;
  }
}

void demo_simulation::run_session(uint64_t session, const remote_agent& remote) {
  clock_ = now_ns();
  use_clock simulated(clock_);
  const std::string conversation = "session-" + std::to_string(session);
  agent::workflow w("agent-demo", {.conversation_id = conversation});
  ++counts.sessions;
  coordinator(session, remote);
}

void demo_simulation::coordinator(uint64_t session, const remote_agent& remote) {
  agent_state a(seed_, session, 0, "coordinator", sonnet, {.phase = "plan", .model = sonnet.name});
  ++counts.agent_runs;
  {
    agent::plan_step plan;
    llm(a, 300);
  }
  // The plan becomes queued tasks (task.queue.size {priority}, task.duration), picked up
  // in turn; each sub-agent runs inside its task.
  agent::queued_task plan_task("plan", {.priority = "high"});
  agent::queued_task research_task("research", {.priority = "normal"});
  agent::queued_task code_task("code", {.priority = "normal"});
  agent::queued_task review_task("review", {.priority = "low"});
  {
    agent::task_run t = plan_task.start();
    planner(session);
  }
  {
    agent::task_run t = research_task.start();
    researcher(session);
  }
  {
    agent::task_run t = code_task.start();
    coder(session);
  }
  {
    agent::task_run t = review_task.start();
    if (remote && session == 1) {
      agent::agent_run r("reviewer", {.phase = "review", .model = llama.name, .remote = true});
      ++counts.agent_runs;
      if (!remote(session, clock_)) r.fail("child_failed", "the reviewer's child process failed");
    } else {
      reviewer(session, nullptr);
    }
  }
  a.run.set_phase("respond");
  llm(a, 500);
}

void demo_simulation::planner(uint64_t session) {
  agent_state a(seed_, session, 1, "planner", gpt4o, {.phase = "plan", .model = gpt4o.name});
  ++counts.agent_runs;
  const int64_t steps = between(a.rng, 1, 2);
  for (int64_t i = 0; i < steps; ++i) {
    a.run.next_iteration();
    llm(a, 400);
  }
}

void demo_simulation::researcher(uint64_t session) {
  agent_state a(seed_, session, 2, "researcher", mini, {.phase = "execute", .model = mini.name});
  ++counts.agent_runs;
  for (int64_t i = between(a.rng, 2, 4); i > 0; --i) tool(a, search);
  for (int64_t i = between(a.rng, 1, 3); i > 0; --i) tool(a, read_file);
  llm(a, 600);
}

void demo_simulation::coder(uint64_t session) {
  agent_state a(seed_, session, 3, "coder", sonnet, {.phase = "execute", .model = sonnet.name});
  ++counts.agent_runs;
  for (int iteration = 1; iteration <= 3; ++iteration) {
    a.run.next_iteration();
    tool(a, read_file);
    llm(a, 900);
    for (int64_t i = between(a.rng, 1, 2); i > 0; --i) tool(a, write_file);
    const size_t before = counts.calls.size();
    tool(a, run_tests);
    if (!counts.calls[before].failed) return;
  }
  a.run.fail("tests_failed", "tests still failing after 3 iterations");
}

void demo_simulation::reviewer(uint64_t session, const agtel::context* parent) {
  agent_state a(seed_, session, 4, "reviewer", llama,
                {.phase = "review", .model = llama.name, .parent = parent});
  ++counts.agent_runs;
  for (int64_t i = between(a.rng, 1, 2); i > 0; --i) tool(a, read_file);
  llm(a, 350);
}

void demo_simulation::run_reviewer(uint64_t session, const agtel::context* parent,
                                   timestamp_ns clock) {
  clock_ = clock != 0 ? clock : now_ns();
  use_clock simulated(clock_);
  reviewer(session, parent);
}

}  // namespace agtel::cli
