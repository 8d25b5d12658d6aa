// The interface every log record exporter implements (OTLP, JSON lines, console,
// in-memory, the embedded store). Same contract as exporter::span_exporter: called from
// one thread at a time, returns by `deadline`, never throws; an asynchronous exporter
// copies the log_record_ptrs it keeps (a reference count each).
#pragma once

#include <span>

#include "agtel/common/result.hpp"
#include "agtel/common/time.hpp"
#include "agtel/logs/log_record_data.hpp"

namespace agtel::logs {

class log_record_exporter {
 public:
  virtual ~log_record_exporter() = default;

  virtual export_result export_logs(std::span<const log_record_ptr> batch,
                                    steady_time deadline) noexcept = 0;
  // Delivers whatever the exporter still buffers.
  virtual sdk_result force_flush(steady_time deadline) noexcept {
    (void)deadline;
    return sdk_result::ok;
  }
  // Flushes and releases resources; later exports fail.
  virtual sdk_result shutdown(steady_time deadline) noexcept = 0;
};

}  // namespace agtel::logs
