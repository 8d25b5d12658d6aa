// `agtel example`: a simulated agent orchestration, traced through the real SDK and printed
// with the console exporter.
#pragma once

#include <cstdint>
#include <cstdio>

#include "agtel/export/console_span_exporter.hpp"

namespace agtel::cli {

struct example_options {
  // Chooses the simulated latencies and token counts. The same seed gives the same trace
  // shape, names, attributes and sibling order; ids and measured durations differ per run.
  uint64_t seed = 1;
  exporter::console_format format = exporter::console_format::tree;
  std::FILE* out = nullptr;  // nullptr: stdout
};

// Runs the orchestration and prints its trace. Returns the process exit code: 0, or 1 when
// the trace could not be printed (a diagnostic says why).
int run_example(const example_options& options);

}  // namespace agtel::cli
