// Keeps exported log records in memory, for tests and for programs that inspect their own
// telemetry. Bounded: past `capacity` records the oldest are discarded and counted.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "agtel/logs/log_record_exporter.hpp"

namespace agtel::exporter {

// The storage, shared between the exporter (owned by a processor) and the code that reads
// it. Thread-safe.
class in_memory_log_store {
 public:
  explicit in_memory_log_store(size_t capacity = 100'000) : capacity_(capacity) {}

  // A snapshot of the records exported so far, in export order.
  std::vector<logs::log_record_ptr> records() const;
  size_t size() const;
  size_t discarded() const;
  void clear();

  // Appends `batch`; past `capacity` the oldest records are discarded and counted.
  void add(std::span<const logs::log_record_ptr> batch);

 private:
  mutable std::mutex mutex_;
  std::vector<logs::log_record_ptr> records_;
  size_t capacity_;
  size_t discarded_ = 0;
};

// Adds every batch to the store. After shutdown (or without a store) exports fail.
class in_memory_log_exporter final : public logs::log_record_exporter {
 public:
  explicit in_memory_log_exporter(std::shared_ptr<in_memory_log_store> store)
      : store_(std::move(store)) {}

  export_result export_logs(std::span<const logs::log_record_ptr> batch,
                            steady_time deadline) noexcept override;
  sdk_result shutdown(steady_time deadline) noexcept override;

 private:
  std::shared_ptr<in_memory_log_store> store_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace agtel::exporter
