// An agent run (one invocation of an agent, including a sub-agent inside another's run)
// and the planning steps inside it.
//
//   agtel::agent::agent_run run("coder", {.id = agent_id, .phase = "execute"});
//   {
//     agtel::agent::plan_step plan;            // "plan coder"
//     ...
//   }
//   agtel::agent::tool_call t("grep");         // counted in the run's agent.tool_calls
//
// Emits the span `invoke_agent {name}` (INTERNAL, or CLIENT for a remote agent) with
// gen_ai.operation.name=invoke_agent, gen_ai.agent.name, gen_ai.agent.id, agent.phase,
// gen_ai.request.model, and at the end the usage totals (gen_ai.usage.*), agent.iterations
// and agent.tool_calls; agent.active {gen_ai.agent.name} goes up at the start and down at
// the end; gen_ai.invoke_agent.duration {gen_ai.agent.name, agent.phase, error.type}.
//
// Tool and LLM calls made on the same thread while the run is the innermost one add to its
// tool call count and usage totals, and carry its name as gen_ai.agent.name on their
// metrics. Work on other threads reports through add_usage()/count_tool_call() and names
// the agent in its own options.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "agtel/agent/operation.hpp"
#include "agtel/agent/settings.hpp"

namespace agtel::agent {

struct agent_options {
  std::string_view id{};     // gen_ai.agent.id (span only)
  std::string_view phase{};  // agent.phase: plan, execute, review, ... (bounded!)
  std::string_view model{};  // gen_ai.request.model, when the agent uses one model
  bool remote = false;       // the agent runs in another process or service: kind CLIENT
  const agtel::context* parent = nullptr;
};

class agent_run final : public operation {
 public:
  explicit agent_run(std::string_view name, const agent_options& options = {}) noexcept;
  ~agent_run();

  // Changes agent.phase (for the duration metric too) before the run ends.
  void set_phase(std::string_view phase) noexcept;
  // Adds to the run's usage totals (counts < 0 are ignored).
  void add_usage(const token_usage& usage) noexcept;
  void count_tool_call() noexcept { ++tool_calls_; }
  // One more reasoning/acting loop iteration (agent.iterations).
  void next_iteration() noexcept { ++iterations_; }
  // Records the context_window gauges for this agent (see recorder.hpp).
  void set_context_window(int64_t size, int64_t used) noexcept;

  std::string_view name() const noexcept { return name_; }
  // The innermost agent run on the calling thread, or null.
  static agent_run* current() noexcept;

 private:
  std::string name_, id_, phase_, model_;
  bool remote_;
  token_usage usage_{};
  int64_t iterations_ = 0;
  int64_t tool_calls_ = 0;
  agent_run* outer_;
};

// A planning step of an agent: the span `plan {agent}` (INTERNAL, gen_ai.agent.name).
// The agent defaults to the innermost agent run on this thread. No metrics of its own.
class plan_step final : public operation {
 public:
  explicit plan_step(std::string_view agent_name = {},
                     const agtel::context* parent = nullptr) noexcept;
  ~plan_step();
};

// Runs `fn` inside an agent run; see detail::run_in.
template <class F>
decltype(auto) run_agent(std::string_view name, F&& fn) {
  agent_run scope(name);
  return detail::run_in(scope, std::forward<F>(fn));
}
template <class F>
decltype(auto) run_agent(std::string_view name, const agent_options& options, F&& fn) {
  agent_run scope(name, options);
  return detail::run_in(scope, std::forward<F>(fn));
}

}  // namespace agtel::agent
