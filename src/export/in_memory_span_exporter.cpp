#include "agtel/export/in_memory_span_exporter.hpp"

#include <algorithm>

#include "agtel/diagnostics.hpp"

namespace agtel::exporter {

std::vector<trace::span_ptr> in_memory_span_store::spans() const {
  std::lock_guard lock(mutex_);
  return spans_;
}

size_t in_memory_span_store::size() const {
  std::lock_guard lock(mutex_);
  return spans_.size();
}

size_t in_memory_span_store::discarded() const {
  std::lock_guard lock(mutex_);
  return discarded_;
}

void in_memory_span_store::clear() {
  std::lock_guard lock(mutex_);
  spans_.clear();
  discarded_ = 0;
}

void in_memory_span_store::add(std::span<const trace::span_ptr> batch) {
  std::lock_guard lock(mutex_);
  // Keep the newest `capacity_` spans: drop what does not fit from the front of the batch
  // first, then make room by erasing the oldest stored spans in one step.
  if (batch.size() > capacity_) {
    discarded_ += batch.size() - capacity_;
    batch = batch.last(capacity_);
  }
  const size_t room = capacity_ - spans_.size();
  if (batch.size() > room) {
    const size_t evict = batch.size() - room;
    spans_.erase(spans_.begin(), spans_.begin() + static_cast<std::ptrdiff_t>(evict));
    discarded_ += evict;
  }
  spans_.insert(spans_.end(), batch.begin(), batch.end());
}

export_result in_memory_span_exporter::export_spans(std::span<const trace::span_ptr> batch,
                                                    steady_time deadline) noexcept {
  (void)deadline;
  if (shut_down_.load(std::memory_order_acquire) || !store_) return export_result::failure;
  try {
    store_->add(batch);
  } catch (...) {  // std::bad_alloc
    detail::diag(diag_level::error, "in_memory_exporter", "out of memory; batch dropped");
    return export_result::failure;
  }
  return export_result::success;
}

sdk_result in_memory_span_exporter::shutdown(steady_time deadline) noexcept {
  (void)deadline;
  if (shut_down_.exchange(true, std::memory_order_acq_rel)) return sdk_result::already_shutdown;
  return sdk_result::ok;
}

}  // namespace agtel::exporter
