// The two renderings of the console exporter. Both append to a caller-owned buffer (the
// exporter reuses one buffer across batches) and are deterministic: the same batch gives
// the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "agtel/trace/span_data.hpp"

namespace agtel::exporter::console {

struct tree_style {
  bool color = false;
  size_t max_value_length = 64;
};

// The tree view of a batch; see include/agtel/export/console_span_exporter.hpp. Null
// entries are skipped.
void append_tree(std::string& out, std::span<const trace::span_ptr> batch, const tree_style& style);

// One OTLP/JSON span object per line, with "resource" and "scope" keys added.
void append_json_lines(std::string& out, std::span<const trace::span_ptr> batch);

// Helpers shared by both views and exposed for tests.
// "850 ns", "12.3 µs", "1.23 ms", "4.5 s", "2 min 5 s", "1 h 2 min".
void append_duration(std::string& out, uint64_t ns);

}  // namespace agtel::exporter::console
