// The agtel binary: parses the command line (CLI11) and hands each subcommand to its own
// file. Only commands that work are listed.
#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdint>
#include <iostream>
#include <string>

#include "agtel/version.hpp"
#include "example_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"agtel: OpenTelemetry-native telemetry for AI-agent systems", "agtel"};
  app.set_version_flag("--version", std::string("agtel ") + agtel::version);
  app.require_subcommand(0, 1);

  agtel::cli::example_options example;
  CLI::App* example_cmd = app.add_subcommand(
      "example",
      "Run a simulated agent orchestration (coordinator, sub-agents, tool and LLM calls) "
      "through the SDK and print its trace");
  example_cmd->add_option("--seed", example.seed, "Seed for simulated latencies and token counts")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            // Stricter than CLI11's own conversion, which wraps "-1" and clamps overflow.
            uint64_t parsed;
            auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
            if (error == std::errc() && end == value.data() + value.size()) return {};
            return "expected a whole number from 0 to 18446744073709551615, got '" + value + "'";
          },
          ""))
      ->capture_default_str();
  std::string format = "tree";
  example_cmd->add_option("--format", format, "tree: a readable tree; json: OTLP/JSON lines")
      ->check(CLI::IsMember({"tree", "json"}))
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (*example_cmd) {
    example.format = format == "json" ? agtel::exporter::console_format::json
                                      : agtel::exporter::console_format::tree;
    return agtel::cli::run_example(example);
  }
  std::cout << app.help();
  return 0;
}
