// Keeps exported log records in memory, for tests and for programs that inspect their own
// telemetry. Bounded: past `capacity` records the oldest are discarded and counted.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "agtel/export/in_memory_store.hpp"
#include "agtel/logs/log_record_exporter.hpp"

namespace agtel::exporter {

extern template class in_memory_store<logs::log_record_ptr>;
extern template class in_memory_sink<logs::log_record_ptr>;

// The storage, shared between the exporter and the code that reads it (see
// in_memory_store.hpp).
class in_memory_log_store : public in_memory_store<logs::log_record_ptr> {
 public:
  explicit in_memory_log_store(size_t capacity = 100'000) : in_memory_store(capacity) {}

  // A snapshot of the records exported so far, in export order.
  std::vector<logs::log_record_ptr> records() const { return items(); }
};

// Adds every batch to the store. After shutdown (or without a store) exports fail.
class in_memory_log_exporter final : public logs::log_record_exporter {
 public:
  explicit in_memory_log_exporter(std::shared_ptr<in_memory_log_store> store)
      : sink_(std::move(store), "in_memory_log_exporter") {}

  export_result export_logs(std::span<const logs::log_record_ptr> batch,
                            steady_time) noexcept override {
    return sink_.add(batch);
  }
  sdk_result shutdown(steady_time) noexcept override { return sink_.shutdown(); }

 private:
  in_memory_sink<logs::log_record_ptr> sink_;
};

}  // namespace agtel::exporter
