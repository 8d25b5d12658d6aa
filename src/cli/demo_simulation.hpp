// The simulated orchestration behind `agtel demo`: a coordinator that plans and delegates
// to sub-agents (planner, researcher, coder, reviewer), which call tools and LLMs with
// log-normal latencies, growing contexts, retries, failures and timeouts, all recorded
// through the agent layer.
//
// Structure and counts depend only on the seed and the session number (each agent draws
// from its own generator), so a session's reviewer does the same work whether it runs here
// or in a child process. Tool and LLM calls are recorded with the recorder API and their
// simulated start and end times, laid end to end on a per-session simulated clock; the
// sessions and agent runs around them are the agent layer's scopes, which read the same
// simulated clock (agent::settings::clock, installed by configure_prices), so every parent
// span covers the calls inside it whatever the --speed.
#pragma once

#include <cstdint>
#include <functional>

#include "agtel/common/time.hpp"
#include "agtel/context/context.hpp"
#include "demo_summary.hpp"

namespace agtel::cli {

class demo_simulation {
 public:
  // speed: 0 runs flat out (no sleeping); otherwise simulated durations are slept / speed.
  demo_simulation(uint64_t seed, double speed) noexcept : seed_(seed), speed_(speed) {}

  // Runs the reviewer of `session` elsewhere; called inside the parent's (remote) reviewer
  // run, with the simulated clock, which it moves to the end of the remote run. Returns
  // false when that failed.
  using remote_agent = std::function<bool(uint64_t session, timestamp_ns& clock)>;

  // One session. When `remote` is set, session 1's reviewer runs through it.
  void run_session(uint64_t session, const remote_agent& remote = {});

  // The reviewer of `session` alone, under `parent` (the child process's part), starting at
  // simulated time `clock` (0: now).
  void run_reviewer(uint64_t session, const agtel::context* parent, timestamp_ns clock);

  // Installs the demo's price table (every model but the self-hosted one is priced) and
  // its clock: the simulated clock of the session running on the calling thread.
  static void configure_prices();

  // The simulated time now (where the last call ended).
  timestamp_ns clock() const noexcept { return clock_; }

  demo_counts counts;

 private:
  struct agent_state;
  void coordinator(uint64_t session, const remote_agent& remote);
  void planner(uint64_t session);
  void researcher(uint64_t session);
  void coder(uint64_t session);
  void reviewer(uint64_t session, const agtel::context* parent);
  void llm(agent_state& a, double output_median);
  void tool(agent_state& a, int kind);
  void advance(double ms);

  uint64_t seed_;
  double speed_;
  timestamp_ns clock_ = 0;
  uint64_t next_call_id_ = 1;
};

}  // namespace agtel::cli
