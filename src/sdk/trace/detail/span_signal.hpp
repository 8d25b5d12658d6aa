// Spans described for the signal-independent processor machinery
// (sdk/common/detail/batch_engine.hpp, simple_export.hpp).
#pragma once

#include <span>

#include "agtel/export/span_exporter.hpp"

namespace agtel::trace::detail {

struct span_signal {
  using data = span_data;
  using ptr = span_ptr;
  using exporter_type = exporter::span_exporter;
  static export_result export_batch(exporter_type& e, std::span<const ptr> batch,
                                    steady_time deadline) noexcept {
    return e.export_spans(batch, deadline);
  }
};

}  // namespace agtel::trace::detail
