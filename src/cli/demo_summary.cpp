// Summary of `agtel demo` from its own counts; see demo_summary.hpp.
#include "demo_summary.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>

namespace agtel::cli {

void demo_counts::merge(const demo_counts& other) {
  sessions += other.sessions;
  agent_runs += other.agent_runs;
  retries += other.retries;
  calls.insert(calls.end(), other.calls.begin(), other.calls.end());
}

std::string demo_counts::serialize() const {
  std::ostringstream s;
  s << "S " << sessions << "\nA " << agent_runs << "\nR " << retries << "\n";
  for (const demo_call& c : calls)
    s << "C " << (c.llm ? 'L' : 'T') << ' ' << c.name << ' ' << c.ms << ' ' << c.input_tokens << ' '
      << c.output_tokens << ' ' << c.cached_tokens << ' ' << c.cost_usd << ' ' << c.failed << "\n";
  return s.str();
}

bool demo_counts::parse_line(std::string_view line) {
  std::istringstream s{std::string(line)};
  char tag = 0;
  if (!(s >> tag)) return false;
  uint64_t n = 0;
  switch (tag) {
    case 'S':
      return static_cast<bool>(s >> n) && (sessions += n, true);
    case 'A':
      return static_cast<bool>(s >> n) && (agent_runs += n, true);
    case 'R':
      return static_cast<bool>(s >> n) && (retries += n, true);
    case 'C': {
      demo_call c;
      char kind = 0;
      if (!(s >> kind >> c.name >> c.ms >> c.input_tokens >> c.output_tokens >> c.cached_tokens >>
            c.cost_usd >> c.failed))
        return false;
      c.llm = kind == 'L';
      calls.push_back(std::move(c));
      return true;
    }
    default:
      return false;
  }
}

namespace {

// Nearest-rank percentile of `v` (sorted here), in ms.
double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

std::string duration_text(double ms) {
  char buf[32];
  if (ms < 1000)
    std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  else
    std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000);
  return buf;
}

double percent(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

void print_summary(std::FILE* out, const demo_counts& counts, const demo_summary_context& ctx) {
  struct model_totals {
    uint64_t calls = 0, failed = 0, unpriced = 0;
    int64_t input = 0, output = 0, cached = 0;
    double cost = 0;
  };
  std::map<std::string, model_totals> models;
  std::map<std::string, std::pair<uint64_t, uint64_t>> tools;  // calls, failed
  std::vector<double> llm_ms, tool_ms;
  uint64_t llm_calls = 0, llm_failed = 0, tool_calls = 0, tool_failed = 0;
  uint64_t priced = 0, unpriced = 0;
  double cost = 0;
  for (const demo_call& c : counts.calls) {
    if (c.llm) {
      ++llm_calls;
      llm_failed += c.failed;
      llm_ms.push_back(c.ms);
      model_totals& m = models[c.name];
      ++m.calls;
      m.failed += c.failed;
      m.input += c.input_tokens;
      m.output += c.output_tokens;
      m.cached += c.cached_tokens;
      if (c.failed) continue;  // no usage, nothing to price
      if (c.cost_usd < 0) {
        ++unpriced;
        ++m.unpriced;
      } else {
        ++priced;
        cost += c.cost_usd;
        m.cost += c.cost_usd;
      }
    } else {
      ++tool_calls;
      tool_failed += c.failed;
      tool_ms.push_back(c.ms);
      auto& t = tools[c.name];
      ++t.first;
      t.second += c.failed;
    }
  }

  std::fprintf(out, "\nagtel demo summary (seed %llu, %.2f s wall)\n",
               static_cast<unsigned long long>(ctx.seed), ctx.wall_seconds);
  std::fprintf(out, "  sessions:    %llu\n", static_cast<unsigned long long>(counts.sessions));
  std::fprintf(out, "  agent runs:  %llu", static_cast<unsigned long long>(counts.agent_runs));
  if (ctx.child_pid != 0)
    std::fprintf(out, " (the reviewer of session 1 ran in child process %d%s)", ctx.child_pid,
                 ctx.child_ok ? "" : ", which FAILED");
  std::fprintf(out, "\n  tool calls:  %llu, %llu failed (%.1f%%):",
               static_cast<unsigned long long>(tool_calls),
               static_cast<unsigned long long>(tool_failed), percent(tool_failed, tool_calls));
  for (const auto& [name, t] : tools)
    std::fprintf(out, " %s %llu/%llu", name.c_str(), static_cast<unsigned long long>(t.second),
                 static_cast<unsigned long long>(t.first));
  std::fprintf(out, "\n  LLM calls:   %llu, %llu failed (%.1f%%), %llu retries\n",
               static_cast<unsigned long long>(llm_calls),
               static_cast<unsigned long long>(llm_failed), percent(llm_failed, llm_calls),
               static_cast<unsigned long long>(counts.retries));
  std::fprintf(out, "  latency:     LLM p50 %s p95 %s; tools p50 %s p95 %s (simulated)\n",
               duration_text(percentile(llm_ms, 0.5)).c_str(),
               duration_text(percentile(llm_ms, 0.95)).c_str(),
               duration_text(percentile(tool_ms, 0.5)).c_str(),
               duration_text(percentile(tool_ms, 0.95)).c_str());
  std::fprintf(out, "  tokens by model (input / cached input / output, cost):\n");
  for (const auto& [name, m] : models) {
    std::fprintf(out, "    %-18s %10lld / %9lld / %9lld  ", name.c_str(),
                 static_cast<long long>(m.input), static_cast<long long>(m.cached),
                 static_cast<long long>(m.output));
    if (m.unpriced != 0)
      std::fprintf(out, "unpriced (%llu calls)\n", static_cast<unsigned long long>(m.unpriced));
    else
      std::fprintf(out, "$%.4f\n", m.cost);
  }
  std::fprintf(out, "  cost:        $%.4f over %llu priced calls; %llu calls to unpriced models\n",
               cost, static_cast<unsigned long long>(priced),
               static_cast<unsigned long long>(unpriced));
  std::fprintf(out, "%s", ctx.destination.c_str());
}

}  // namespace agtel::cli
