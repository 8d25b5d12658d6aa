// The simulated orchestration behind `agtel demo`: a coordinator that plans and delegates
// to sub-agents (planner, researcher, coder, reviewer), which call tools and LLMs with
// log-normal latencies, growing contexts, retries, failures and timeouts, all recorded
// through the agent layer.
//
// Structure and counts depend only on the seed and the session number (each agent draws
// from its own generator), so a session's reviewer does the same work whether it runs here
// or in a child process. Tool and LLM calls are recorded with the recorder API and their
// simulated start and end times, laid end to end on a per-session simulated clock; the
// sessions and agent runs around them are the agent layer's scopes, which time themselves
// with the real clock (the scopes take no explicit times), so with --speed other than 1 a
// parent span is shorter than the simulated calls inside it.
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
  // run, with the simulated clock. Returns false when that failed.
  using remote_agent = std::function<bool(uint64_t session, timestamp_ns clock)>;

  // One session. When `remote` is set, session 1's reviewer runs through it.
  void run_session(uint64_t session, const remote_agent& remote = {});

  // The reviewer of `session` alone, under `parent` (the child process's part), starting at
  // simulated time `clock` (0: now).
  void run_reviewer(uint64_t session, const agtel::context* parent, timestamp_ns clock);

  // Installs the demo's price table (every model but the self-hosted one is priced).
  static void configure_prices();

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
