// What `agtel demo` did, counted by the demo itself (never read back from an exporter),
// and the summary printed from it. The child process reports its calls to the parent as
// text lines in the same form, so one summary covers both processes.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace agtel::cli {

struct demo_call {
  bool llm = false;                                                // an LLM call, else a tool call
  std::string name;                                                // the model (LLM) or the tool
  double ms = 0;                                                   // simulated duration
  int64_t input_tokens = 0, output_tokens = 0, cached_tokens = 0;  // LLM only
  double cost_usd = -1;  // LLM only; < 0: the model has no price
  bool failed = false;
};

struct demo_counts {
  uint64_t sessions = 0;
  uint64_t agent_runs = 0;
  uint64_t retries = 0;
  std::vector<demo_call> calls;

  void merge(const demo_counts& other);
  // One line per fact ("S", "A", "R", "C ..."), for the child to hand to its parent; and
  // back. parse_line ignores lines it does not know (returns false).
  std::string serialize() const;
  bool parse_line(std::string_view line);
};

struct demo_summary_context {
  uint64_t seed = 0;
  double wall_seconds = 0;
  std::string destination{};  // where the data went, one or more lines
  int child_pid = 0;          // 0: no child ran
  bool child_ok = false;
};

void print_summary(std::FILE* out, const demo_counts& counts, const demo_summary_context& ctx);

}  // namespace agtel::cli
