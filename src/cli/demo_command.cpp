// `agtel demo`: exporter choice, the session loop, the child process, the summary.
#include "demo_command.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "agtel/agent/propagation.hpp"
#include "agtel/propagation/carriers.hpp"
#include "agtel/sdk/init.hpp"
#include "demo_simulation.hpp"
#include "demo_summary.hpp"

namespace agtel::cli {

namespace {

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0';
}

// Whether the user said where telemetry goes. If not, the SDK's default (OTLP to
// localhost:4318) would only produce connection errors on a fresh machine.
bool exporters_configured() {
  for (const char* name : {"OTEL_TRACES_EXPORTER", "OTEL_METRICS_EXPORTER", "OTEL_LOGS_EXPORTER",
                           "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                           "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
                           "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", "AGTEL_CONFIG_FILE"})
    if (env_set(name)) return true;
  return false;
}

// Sets the SDK up from the environment (and AGTEL_CONFIG_FILE), as any program would.
sdk_config init_sdk(bool child) {
  sdk_config config = load_config();
  if (config.service_name.empty())
    config.service_name = child ? "agtel-demo-reviewer" : "agtel-demo";
  // The child writes its own JSON-lines files next to the parent's.
  if (child) config.jsonl.file_prefix += "-child";
  sdk::init(config);
  demo_simulation::configure_prices();
  return config;
}

std::string exporter_list(const std::vector<sdk_config::exporter_kind>& kinds) {
  std::string s;
  for (auto k : kinds) s += (s.empty() ? "" : ", ") + std::string(to_string(k));
  return s.empty() ? "none" : s;
}

std::string destination_text(const sdk_config& c, bool defaulted) {
  std::string s = "  data:        traces -> " + exporter_list(c.traces_exporters) +
                  "; metrics -> " + exporter_list(c.metrics_exporters) + "; logs -> " +
                  exporter_list(c.logs_exporters) + "\n";
  bool jsonl = false;
  for (const auto* kinds : {&c.traces_exporters, &c.metrics_exporters, &c.logs_exporters})
    for (auto k : *kinds) jsonl |= k == sdk_config::exporter_kind::jsonl;
  if (jsonl) {
    s += "               JSON lines in " + c.jsonl.directory +
         "/ (agtel-* from this process, "
         "agtel-child-* from the child)\n";
    s += "  look further: jq -c '.resourceSpans[].scopeSpans[].spans[] | {name, traceId}' " +
         c.jsonl.directory + "/agtel*-traces-*.jsonl\n";
  }
  if (defaulted)
    s += "  (no exporter variables were set; set OTEL_TRACES_EXPORTER etc. or "
         "OTEL_EXPORTER_OTLP_ENDPOINT to send elsewhere)\n";
  bool otlp = false;
  for (auto k : c.traces_exporters) otlp |= k == sdk_config::exporter_kind::otlp;
  if (otlp)
    s += "  look further: agtel traces, then agtel trace <id> (when the endpoint is agtel "
         "serve)\n";
  else
    s += "  to keep it in agtel's store: run `agtel serve` and set "
         "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318\n";
  return s;
}

// Runs session `session`'s reviewer in a child process (this binary, hidden mode) with the
// current context in its environment; its counts come back on a pipe.
bool run_child(const demo_options& options, uint64_t session, timestamp_ns& clock,
               demo_counts& counts, int& pid_out) {
  std::array<char, 4096> exe{};
  const ssize_t n = ::readlink("/proc/self/exe", exe.data(), exe.size() - 1);
  if (n <= 0) return false;
  std::vector<std::string> args = {exe.data(),
                                   "demo",
                                   "--child-agent",
                                   "--session",
                                   std::to_string(session),
                                   "--clock",
                                   std::to_string(clock),
                                   "--seed",
                                   std::to_string(options.seed),
                                   "--speed",
                                   options.speed > 0 ? std::to_string(options.speed) : "max"};
  std::vector<std::string> env = propagation::child_environment();
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  pid_t pid = 0;
  const int rc = ::posix_spawn(&pid, exe.data(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    std::fprintf(stderr, "agtel demo: could not start the child process: error %d\n", rc);
    return false;
  }
  pid_out = pid;
  std::string text;
  std::array<char, 4096> buf;
  for (ssize_t got; (got = ::read(fds[0], buf.data(), buf.size())) != 0;) {
    if (got < 0) {
      if (errno == EINTR) continue;
      break;
    }
    text.append(buf.data(), static_cast<size_t>(got));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return false;
  for (size_t pos = 0; pos < text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string_view line = std::string_view(text).substr(pos, end - pos);
    timestamp_ns child_clock = 0;
    if (line.starts_with("clock ")) {
      const auto [p, ec] = std::from_chars(line.data() + 6, line.data() + line.size(), child_clock);
      if (ec == std::errc() && p == line.data() + line.size() && child_clock > clock)
        clock = child_clock;  // the parent's simulated time goes on where the child's ended
    } else {
      counts.parse_line(line);
    }
    pos = end + 1;
  }
  return true;
}

int run_child_agent(const demo_options& options) {
  init_sdk(true);
  const agtel::context parent = agent::parent_from_environment();
  demo_simulation sim(options.seed, options.speed);
  sim.run_reviewer(options.child_session, &parent, options.child_clock);
  sdk::shutdown();  // flushes before the parent reads our counts
  std::fputs(sim.counts.serialize().c_str(), stdout);
  std::printf("clock %llu\n", static_cast<unsigned long long>(sim.clock()));
  return std::fflush(stdout) == 0 ? 0 : 1;
}

}  // namespace

bool parse_speed(const std::string& text, double& speed) {
  if (text == "max") {
    speed = 0;
    return true;
  }
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !(v > 0) || v > 1e9) return false;
  speed = v;
  return true;
}

bool parse_duration(const std::string& text, std::chrono::milliseconds& duration) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  const std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
  if (ec != std::errc() || end == text.data() || v == 0 || v > 1'000'000'000) return false;
  if (unit == "ms")
    duration = std::chrono::milliseconds(v);
  else if (unit == "s")
    duration = std::chrono::seconds(v);
  else if (unit == "m")
    duration = std::chrono::minutes(v);
  else if (unit == "h")
    duration = std::chrono::hours(v);
  else
    return false;
  return true;
}

int run_demo(const demo_options& options) {
  if (options.child) return run_child_agent(options);

  const bool defaulted = !exporters_configured();
  if (defaulted) {
    // Set in our own environment, so the child process inherits the same choice.
    ::setenv("OTEL_TRACES_EXPORTER", "jsonl", 1);
    ::setenv("OTEL_METRICS_EXPORTER", "jsonl", 1);
    ::setenv("OTEL_LOGS_EXPORTER", "jsonl", 1);
    if (!env_set("AGTEL_JSONL_DIRECTORY")) ::setenv("AGTEL_JSONL_DIRECTORY", "agtel-demo-data", 1);
    std::printf(
        "agtel demo: no exporter configured, so writing JSON lines (traces, metrics, logs) "
        "to %s/\n(to keep them in agtel's store instead, run `agtel serve` and set "
        "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318)\n",
        std::getenv("AGTEL_JSONL_DIRECTORY"));
  }
  const sdk_config config = init_sdk(false);
  if (options.duration.count() > 0)
    std::printf("agtel demo: starting sessions for %lld ms (seed %llu)\n",
                static_cast<long long>(options.duration.count()),
                static_cast<unsigned long long>(options.seed));
  else
    std::printf("agtel demo: running %llu sessions (seed %llu)\n",
                static_cast<unsigned long long>(options.sessions),
                static_cast<unsigned long long>(options.seed));
  std::fflush(stdout);

  demo_summary_context summary{.seed = options.seed};
  demo_simulation sim(options.seed, options.speed);
  const auto remote = [&](uint64_t session, timestamp_ns& clock) {
    demo_counts child;
    summary.child_ok = run_child(options, session, clock, child, summary.child_pid);
    sim.counts.merge(child);
    return summary.child_ok;
  };
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t session = 1;; ++session) {
    if (options.duration.count() > 0) {
      if (std::chrono::steady_clock::now() - start >= options.duration) break;
    } else if (session > options.sessions) {
      break;
    }
    sim.run_session(session, remote);
  }
  sdk::shutdown();
  summary.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.destination = destination_text(config, defaulted);
  print_summary(stdout, sim.counts, summary);
  return summary.child_pid != 0 && !summary.child_ok ? 1 : 0;
}

}  // namespace agtel::cli
