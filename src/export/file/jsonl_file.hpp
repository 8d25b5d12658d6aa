// The rotating JSON-lines file behind the three jsonl exporters: naming, rotation by size
// and age, the cap on kept files, and error accounting. See
// include/agtel/export/jsonl_exporter.hpp for the behaviour users rely on.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <string_view>

#include "agtel/common/time.hpp"
#include "agtel/export/jsonl_exporter.hpp"

namespace agtel::exporter::detail {

class jsonl_file {
 public:
  // `signal` is "traces", "metrics" or "logs": the middle of the file names.
  jsonl_file(jsonl_exporter_options options, std::string_view signal);
  ~jsonl_file();
  jsonl_file(const jsonl_file&) = delete;
  jsonl_file& operator=(const jsonl_file&) = delete;

  // Appends `line` (one JSON object and its '\n') with one write, rotating first if due.
  // False when it was not written (counted in stats and reported). Calls are serialized
  // by the caller (the exporter contract).
  bool append(std::string_view line) noexcept;
  // fdatasync of the current file; false on error.
  bool sync() noexcept;
  // Syncs and closes the file; later appends fail. failure when the sync failed,
  // already_shutdown when it was closed before.
  sdk_result shutdown() noexcept;

  jsonl_exporter_stats stats() const noexcept;
  std::string current_path() const;

  // "<prefix>-<signal>-" : every file of this exporter starts so.
  const std::string& name_stem() const noexcept { return stem_; }

 private:
  enum class error_kind { directory, open, write, remove, sync, count_ };
  bool rotation_due(size_t line_size) const noexcept;
  bool open_next() noexcept;
  void prune() noexcept;
  void close_fd() noexcept;
  // Counts the error; reports it when it is the first of its kind.
  void report(error_kind kind, std::string_view what, std::string_view path,
              std::string_view reason) noexcept;

  const jsonl_exporter_options options_;
  const std::string stem_;
  int fd_ = -1;
  uint64_t size_ = 0;
  steady_time opened_at_{};
  uint32_t sequence_ = 0;
  bool closed_ = false;

  mutable std::mutex path_mutex_;  // current_path_ is read by other threads
  std::string current_path_;

  std::atomic<uint64_t> batches_written_{0}, bytes_written_{0}, batches_failed_{0},
      write_errors_{0}, files_opened_{0}, files_deleted_{0};
  std::atomic<bool> reported_[static_cast<int>(error_kind::count_)] = {};
};

}  // namespace agtel::exporter::detail
