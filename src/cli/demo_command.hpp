// `agtel demo`: a simulated multi-agent orchestration (demo_simulation.hpp) exported
// wherever the standard OTEL_* variables say, ending with a summary of what it did.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace agtel::cli {

struct demo_options {
  uint64_t seed = 1;
  uint64_t sessions = 10;
  std::chrono::milliseconds duration{0};  // > 0: keep starting sessions for this long
  double speed = 0;                       // 0: as fast as possible; else sleeps / speed
  // The hidden child mode: run session `child_session`'s reviewer under the context in the
  // environment, starting at simulated time `child_clock`, and report its counts on stdout.
  bool child = false;
  uint64_t child_session = 0;
  uint64_t child_clock = 0;
};

// Parses "max" (0: no sleeping) or a positive factor into `speed`; false on bad input.
bool parse_speed(const std::string& text, double& speed);
// Parses "30s", "500ms", "2m" (a positive whole number and a unit).
bool parse_duration(const std::string& text, std::chrono::milliseconds& duration);

// Returns the process exit code.
int run_demo(const demo_options& options);

}  // namespace agtel::cli
