#include "agtel/export/in_memory_log_exporter.hpp"

#include "agtel/diagnostics.hpp"
#include "export/detail/bounded_append.hpp"

namespace agtel::exporter {

std::vector<logs::log_record_ptr> in_memory_log_store::records() const {
  std::lock_guard lock(mutex_);
  return records_;
}

size_t in_memory_log_store::size() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

size_t in_memory_log_store::discarded() const {
  std::lock_guard lock(mutex_);
  return discarded_;
}

void in_memory_log_store::clear() {
  std::lock_guard lock(mutex_);
  records_.clear();
  discarded_ = 0;
}

void in_memory_log_store::add(std::span<const logs::log_record_ptr> batch) {
  std::lock_guard lock(mutex_);
  detail::append_bounded(records_, batch, capacity_, discarded_);
}

export_result in_memory_log_exporter::export_logs(std::span<const logs::log_record_ptr> batch,
                                                  steady_time deadline) noexcept {
  (void)deadline;
  if (shut_down_.load(std::memory_order_acquire) || !store_) return export_result::failure;
  try {
    store_->add(batch);
  } catch (...) {  // std::bad_alloc
    agtel::detail::diag(diag_level::error, "in_memory_log_exporter",
                        "out of memory; batch dropped");
    return export_result::failure;
  }
  return export_result::success;
}

sdk_result in_memory_log_exporter::shutdown(steady_time deadline) noexcept {
  (void)deadline;
  if (shut_down_.exchange(true, std::memory_order_acq_rel)) return sdk_result::already_shutdown;
  return sdk_result::ok;
}

}  // namespace agtel::exporter
