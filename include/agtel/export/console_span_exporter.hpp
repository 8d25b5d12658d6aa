// Prints finished spans, for development: a readable tree per trace, or JSON lines.
//
// Tree (the default), one block per trace in each batch, children under their parent in
// start-time order:
//
//   trace 4bf92f3577b34da6a3ce929d0e0e4736 · my-orchestrator · 3 spans
//   invoke_agent coordinator [internal] 1.52 s  gen_ai.agent.name=coordinator
//   ├─ execute_tool search [internal] 12.3 ms ERROR: timeout  gen_ai.tool.name=search
//   │  • exception: TimeoutError: no answer after 10 s
//   └─ chat gpt-4o [client] 830 ms  gen_ai.usage.input_tokens=1200
//
// A span whose parent is not in the batch (it ended in an earlier batch, or lives in
// another process) is shown as a root with a "↳ parent <span id>" hint. Control
// characters are shown escaped and invalid UTF-8 as U+FFFD, so hostile span data cannot
// drive the terminal.
//
// JSON: one line per span, holding the span in the OTLP/JSON mapping (hex ids, times as
// decimal strings, integer enums, typed attribute values), plus two keys that OTLP keeps
// outside the span: "resource" (an OTLP Resource) and "scope" (an OTLP
// InstrumentationScope). One self-contained line per span suits `jq`, `grep` and log
// shippers better than one large ExportTraceServiceRequest per batch.
//
// Writes happen on the exporter's thread (the batch processor's background thread), one
// write per batch. A write error (a closed pipe, a full disk) is reported through the
// diagnostic handler and fails the batch; it never throws and never raises SIGPIPE.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <optional>

#include "agtel/export/span_exporter.hpp"

namespace agtel::exporter {

enum class console_format { tree, json };

struct console_exporter_options {
  console_format format = console_format::tree;
  // Where to write; nullptr means stdout. Not owned: it must outlive the exporter.
  // (A std::FILE* rather than a std::ostream so that write errors keep their errno;
  // tests pass tmpfile() or open_memstream().)
  std::FILE* out = nullptr;
  // ANSI colors in the tree view. nullopt: on when `out` is a terminal and the NO_COLOR
  // environment variable is unset. JSON is never colored.
  std::optional<bool> color = std::nullopt;
  // Tree view: longer attribute values and status messages are cut to this many
  // characters and end with "…".
  size_t max_value_length = 64;
};

std::unique_ptr<span_exporter> make_console_span_exporter(console_exporter_options options = {});

}  // namespace agtel::exporter
