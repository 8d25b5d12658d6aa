// The agtel binary: parses the command line (CLI11) and hands each subcommand to its own
// file. Only commands that work are listed.
#include <CLI/CLI.hpp>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>

#include "agtel/version.hpp"
#include "demo_command.hpp"
#include "example_command.hpp"
#include "serve_command.hpp"
#include "metric_commands.hpp"
#include "store_commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"agtel: OpenTelemetry-native telemetry for AI-agent systems", "agtel"};
  app.set_version_flag("--version", std::string("agtel ") + agtel::version);
  app.require_subcommand(0, 1);

  // Stricter than CLI11's own conversion, which wraps "-1" and clamps overflow.
  const CLI::Validator whole_number(
      [](std::string& value) -> std::string {
        uint64_t parsed;
        auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
        if (error == std::errc() && end == value.data() + value.size()) return {};
        return "expected a whole number from 0 to 18446744073709551615, got '" + value + "'";
      },
      "");

  agtel::cli::example_options example;
  CLI::App* example_cmd = app.add_subcommand(
      "example",
      "Run a simulated agent orchestration (coordinator, sub-agents, tool and LLM calls) "
      "through the SDK and print its trace");
  example_cmd->add_option("--seed", example.seed, "Seed for simulated latencies and token counts")
      ->check(whole_number)
      ->capture_default_str();
  std::string format = "tree";
  example_cmd->add_option("--format", format, "tree: a readable tree; json: OTLP/JSON lines")
      ->check(CLI::IsMember({"tree", "json"}))
      ->capture_default_str();

  agtel::cli::demo_options demo;
  CLI::App* demo_cmd = app.add_subcommand(
      "demo",
      "Simulate a multi-agent orchestration (sessions, sub-agents, tool and LLM calls, one "
      "sub-agent in a child process), export it as OTEL_* variables say (JSON lines in "
      "./agtel-demo-data when none are set) and print a summary");
  demo_cmd
      ->add_option("--seed", demo.seed, "Seed: the same seed gives the same sessions and counts")
      ->check(whole_number)
      ->capture_default_str();
  CLI::Option* sessions_opt =
      demo_cmd->add_option("--sessions", demo.sessions, "Number of sessions to simulate")
          ->check(whole_number)
          ->check(CLI::Range(uint64_t{1}, uint64_t{1000000}))
          ->capture_default_str();
  std::string duration_text, speed_text = "max";
  demo_cmd
      ->add_option("--duration", duration_text,
                   "Keep starting sessions for this long instead (e.g. 30s, 500ms, 5m)")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            std::chrono::milliseconds d;
            if (agtel::cli::parse_duration(value, d)) return {};
            return "expected a duration such as 30s, 500ms, 5m or 1h, got '" + value + "'";
          },
          "DURATION"))
      ->excludes(sessions_opt);
  demo_cmd
      ->add_option("--speed", speed_text,
                   "max: no waiting (simulated durations are still recorded); a factor: "
                   "simulated time runs that many times faster than real time")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            double speed;
            if (agtel::cli::parse_speed(value, speed)) return {};
            return "expected max or a positive factor, got '" + value + "'";
          },
          "max|FACTOR"))
      ->capture_default_str();
  // The hidden child mode (the sub-agent in another process); not for people.
  demo_cmd->add_flag("--child-agent", demo.child)->group("");
  demo_cmd->add_option("--session", demo.child_session)->group("");
  demo_cmd->add_option("--clock", demo.child_clock)->group("");

  agtel::cli::store_commands store_commands(app);
  agtel::cli::metric_commands metric_commands(app);

  agtel::cli::serve_options serve;
  CLI::App* serve_cmd = app.add_subcommand(
      "serve",
      "Receive OTLP/HTTP and OTLP/gRPC (traces, metrics, logs) and keep it in a SQLite store, until "
      "SIGINT/SIGTERM");
  serve_cmd->add_option("--http", serve.http, "Address to listen on, ADDR:PORT")
      ->capture_default_str();
  serve_cmd->add_option("--grpc", serve.grpc,
                        "OTLP/gRPC address, ADDR:PORT, or off (default: 127.0.0.1:4317; a free "
                        "port when --http's port is 0)");
  serve_cmd->add_option("--db", serve.db,
                        "Store file (default: $XDG_DATA_HOME/agtel/agtel.db, else "
                        "~/.local/share/agtel/agtel.db)");
  serve_cmd->add_option("--auth-token-file", serve.auth_token_file,
                        "Require 'Authorization: Bearer <token>' on every endpoint; the token "
                        "is the file's content");
  serve_cmd
      ->add_option("--max-body-bytes", serve.max_body_bytes,
                   "Largest request body, as sent and after gzip inflation (413 past it)")
      ->check(whole_number)
      ->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 30))
      ->capture_default_str();
  std::string retain_traces = "7d", retain_logs = "7d", retain_metrics = "30d";
  const CLI::Validator retention(
      [](std::string& value) -> std::string {
        std::chrono::nanoseconds d;
        if (agtel::cli::parse_retention(value, d)) return {};
        return "expected 0 (forever) or a duration such as 7d, 12h or 90m, got '" + value + "'";
      },
      "DURATION");
  serve_cmd->add_option("--retain-traces", retain_traces, "Delete spans older than this; 0: never")
      ->check(retention)
      ->capture_default_str();
  serve_cmd->add_option("--retain-logs", retain_logs, "Delete log records older than this; 0: never")
      ->check(retention)
      ->capture_default_str();
  serve_cmd
      ->add_option("--retain-metrics", retain_metrics,
                   "Delete metric points older than this; 0: never")
      ->check(retention)
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (auto code = store_commands.run()) return *code;
  if (auto code = metric_commands.run()) return *code;
  if (*demo_cmd) {
    if (!duration_text.empty()) agtel::cli::parse_duration(duration_text, demo.duration);
    agtel::cli::parse_speed(speed_text, demo.speed);
    return agtel::cli::run_demo(demo);
  }
  if (*serve_cmd) {
    agtel::cli::parse_retention(retain_traces, serve.retain_traces);
    agtel::cli::parse_retention(retain_logs, serve.retain_logs);
    agtel::cli::parse_retention(retain_metrics, serve.retain_metrics);
    return agtel::cli::run_serve(serve);
  }
  if (*example_cmd) {
    example.format = format == "json" ? agtel::exporter::console_format::json
                                      : agtel::exporter::console_format::tree;
    return agtel::cli::run_example(example);
  }
  std::cout << app.help();
  return 0;
}
