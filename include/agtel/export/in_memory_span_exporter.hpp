// Keeps exported spans in memory, for tests and for programs that inspect their own
// telemetry. Bounded: past `capacity` spans the oldest are discarded and counted.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "agtel/export/in_memory_store.hpp"
#include "agtel/export/span_exporter.hpp"

namespace agtel::exporter {

extern template class in_memory_store<trace::span_ptr>;
extern template class in_memory_sink<trace::span_ptr>;

// The storage, shared between the exporter and the code that reads it (see
// in_memory_store.hpp).
class in_memory_span_store : public in_memory_store<trace::span_ptr> {
 public:
  explicit in_memory_span_store(size_t capacity = 100'000) : in_memory_store(capacity) {}

  // A snapshot of the spans exported so far, in export order.
  std::vector<trace::span_ptr> spans() const { return items(); }
};

// Adds every batch to the store. After shutdown (or without a store) exports fail.
class in_memory_span_exporter final : public span_exporter {
 public:
  explicit in_memory_span_exporter(std::shared_ptr<in_memory_span_store> store)
      : sink_(std::move(store), "in_memory_exporter") {}

  export_result export_spans(std::span<const trace::span_ptr> batch,
                             steady_time) noexcept override {
    return sink_.add(batch);
  }
  sdk_result shutdown(steady_time) noexcept override { return sink_.shutdown(); }

 private:
  in_memory_sink<trace::span_ptr> sink_;
};

}  // namespace agtel::exporter
