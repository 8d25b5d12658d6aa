// JSON-lines files: span, metric and log exporters that append each exported batch as one
// line holding an OTLP/JSON Export*ServiceRequest (exactly what an OTLP/HTTP JSON
// exporter would POST), to files that rotate by size and by age.
//
//   auto spans = agtel::exporter::make_jsonl_span_exporter({.directory = "/var/log/agent"});
//
// Each line is a complete JSON object followed by '\n', written with one write(2) on a file
// opened with O_APPEND, so `tail -f | jq -c .`, Loki's promtail and agtel's own OTLP/JSON
// decoder (otlp::decode_*_json, one call per line) read the files while they grow. A write
// that fails half-way is cut back, so a file never holds a torn line.
//
// Files are named  <prefix>-<signal>-<UTC time the file was opened>-<sequence>.jsonl,
// e.g. agtel-traces-20261123T120000Z-0001.jsonl: names sort by time, and by sequence
// (counted per exporter, from 0001) within one second. Each signal has its own files.
// A new file is started before a line that would take the current one past
// `max_file_bytes` (a line larger than that gets a file of its own; lines are never split),
// and before the first line written `rotate_interval` or more after the current file was
// opened (checked at write time; no timer thread). After each rotation, the oldest files
// of the same prefix and signal are deleted so that at most `max_files` remain, the
// current one included.
//
// Errors (the directory cannot be created, a file cannot be opened or written, a disk is
// full) fail the batch, are counted in stats(), and are reported through agtel's
// diagnostics once per kind of error for the exporter's life; nothing throws. The next
// batch tries again (opening a new file if the old one failed).
//
// Thread-safety: the SDK calls an exporter from one thread at a time; stats() may be
// called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "agtel/export/span_exporter.hpp"
#include "agtel/logs/log_record_exporter.hpp"
#include "agtel/metrics/metric_exporter.hpp"

namespace agtel::exporter {

struct jsonl_exporter_options {
  std::string directory = ".";   // created, with its parents, if missing
  std::string file_prefix = "agtel";
  uint64_t max_file_bytes = uint64_t{64} << 20;      // 64 MiB
  std::chrono::milliseconds rotate_interval{0};      // 0: no rotation by age
  uint32_t max_files = 10;                           // per signal; 0 means no limit
};

struct jsonl_exporter_stats {
  uint64_t batches_written = 0;
  uint64_t bytes_written = 0;
  uint64_t batches_failed = 0;  // batches not written (counted once each)
  uint64_t write_errors = 0;    // failed system calls: mkdir, open, write, unlink
  uint64_t files_opened = 0;
  uint64_t files_deleted = 0;
};

namespace detail {
class jsonl_file;  // the rotating file (src/export/file/jsonl_file.hpp)
}

class jsonl_span_exporter final : public span_exporter {
 public:
  explicit jsonl_span_exporter(jsonl_exporter_options options = {});
  ~jsonl_span_exporter() override;
  export_result export_spans(std::span<const trace::span_ptr> batch,
                             steady_time deadline) noexcept override;
  sdk_result force_flush(steady_time deadline) noexcept override;
  sdk_result shutdown(steady_time deadline) noexcept override;
  jsonl_exporter_stats stats() const noexcept;
  // The file being written ("" before the first batch or after an error).
  std::string current_file() const;

 private:
  std::unique_ptr<detail::jsonl_file> file_;
  std::string line_;  // reused across batches
};

class jsonl_metric_exporter final : public metrics::metric_exporter {
 public:
  explicit jsonl_metric_exporter(jsonl_exporter_options options = {},
                                 metrics::temporality_selector temporality = metrics::cumulative_temporality);
  ~jsonl_metric_exporter() override;
  export_result export_metrics(const metrics::resource_metrics& batch,
                               steady_time deadline) noexcept override;
  metrics::aggregation_temporality preferred_temporality(
      metrics::instrument_kind kind) const noexcept override;
  sdk_result force_flush(steady_time deadline) noexcept override;
  sdk_result shutdown(steady_time deadline) noexcept override;
  jsonl_exporter_stats stats() const noexcept;
  std::string current_file() const;

 private:
  std::unique_ptr<detail::jsonl_file> file_;
  metrics::temporality_selector temporality_;
  std::string line_;
};

class jsonl_log_exporter final : public logs::log_record_exporter {
 public:
  explicit jsonl_log_exporter(jsonl_exporter_options options = {});
  ~jsonl_log_exporter() override;
  export_result export_logs(std::span<const logs::log_record_ptr> batch,
                            steady_time deadline) noexcept override;
  sdk_result force_flush(steady_time deadline) noexcept override;
  sdk_result shutdown(steady_time deadline) noexcept override;
  jsonl_exporter_stats stats() const noexcept;
  std::string current_file() const;

 private:
  std::unique_ptr<detail::jsonl_file> file_;
  std::string line_;
};

inline std::unique_ptr<jsonl_span_exporter> make_jsonl_span_exporter(jsonl_exporter_options o = {}) {
  return std::make_unique<jsonl_span_exporter>(std::move(o));
}
inline std::unique_ptr<jsonl_metric_exporter> make_jsonl_metric_exporter(
    jsonl_exporter_options o = {},
    metrics::temporality_selector temporality = metrics::cumulative_temporality) {
  return std::make_unique<jsonl_metric_exporter>(std::move(o), temporality);
}
inline std::unique_ptr<jsonl_log_exporter> make_jsonl_log_exporter(jsonl_exporter_options o = {}) {
  return std::make_unique<jsonl_log_exporter>(std::move(o));
}

}  // namespace agtel::exporter
