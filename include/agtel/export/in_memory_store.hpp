// What the in-memory exporters (in_memory_span_exporter, in_memory_log_exporter) share:
// the store, a thread-safe list of exported items shared between an exporter (owned by a
// processor) and the code that reads it, and the sink through which an exporter adds to it.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "agtel/common/result.hpp"

namespace agtel::exporter {

// Bounded: past `capacity` items the oldest are discarded and counted.
template <class T>
class in_memory_store {
 public:
  explicit in_memory_store(size_t capacity) : capacity_(capacity) {}

  // A snapshot of the items exported so far, in export order.
  std::vector<T> items() const;
  size_t size() const;
  size_t discarded() const;
  void clear();

  // Appends `batch`; past `capacity` the oldest items are discarded and counted.
  void add(std::span<const T> batch);

 private:
  mutable std::mutex mutex_;
  std::vector<T> items_;
  size_t capacity_;
  size_t discarded_ = 0;
};

// An exporter's side: adds every batch to the store. After shutdown (or without a store)
// exports fail; out of memory, the batch fails and is reported under `component`.
template <class T>
class in_memory_sink {
 public:
  in_memory_sink(std::shared_ptr<in_memory_store<T>> store, const char* component)
      : store_(std::move(store)), component_(component) {}

  export_result add(std::span<const T> batch) noexcept;
  sdk_result shutdown() noexcept;

 private:
  std::shared_ptr<in_memory_store<T>> store_;
  const char* component_;
  std::atomic<bool> shut_down_{false};
};

}  // namespace agtel::exporter
