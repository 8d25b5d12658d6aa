// Log records described for the signal-independent processor machinery
// (sdk/common/detail/batch_engine.hpp, simple_export.hpp).
#pragma once

#include <span>

#include "agtel/logs/log_record_exporter.hpp"

namespace agtel::logs::detail {

struct log_signal {
  using data = log_record_data;
  using ptr = log_record_ptr;
  using exporter_type = log_record_exporter;
  static export_result export_batch(exporter_type& e, std::span<const ptr> batch,
                                    steady_time deadline) noexcept {
    return e.export_logs(batch, deadline);
  }
};

}  // namespace agtel::logs::detail
