#include "agtel/export/in_memory_store.hpp"

#include "agtel/diagnostics.hpp"
#include "agtel/export/in_memory_log_exporter.hpp"
#include "agtel/export/in_memory_span_exporter.hpp"
#include "export/detail/bounded_append.hpp"

namespace agtel::exporter {

template <class T>
std::vector<T> in_memory_store<T>::items() const {
  std::lock_guard lock(mutex_);
  return items_;
}

template <class T>
size_t in_memory_store<T>::size() const {
  std::lock_guard lock(mutex_);
  return items_.size();
}

template <class T>
size_t in_memory_store<T>::discarded() const {
  std::lock_guard lock(mutex_);
  return discarded_;
}

template <class T>
void in_memory_store<T>::clear() {
  std::lock_guard lock(mutex_);
  items_.clear();
  discarded_ = 0;
}

template <class T>
void in_memory_store<T>::add(std::span<const T> batch) {
  std::lock_guard lock(mutex_);
  detail::append_bounded(items_, batch, capacity_, discarded_);
}

template <class T>
export_result in_memory_sink<T>::add(std::span<const T> batch) noexcept {
  if (shut_down_.load(std::memory_order_acquire) || !store_) return export_result::failure;
  try {
    store_->add(batch);
  } catch (...) {  // std::bad_alloc
    agtel::detail::diag(diag_level::error, component_, "out of memory; batch dropped");
    return export_result::failure;
  }
  return export_result::success;
}

template <class T>
sdk_result in_memory_sink<T>::shutdown() noexcept {
  if (shut_down_.exchange(true, std::memory_order_acq_rel)) return sdk_result::already_shutdown;
  return sdk_result::ok;
}

template class in_memory_store<trace::span_ptr>;
template class in_memory_sink<trace::span_ptr>;
template class in_memory_store<logs::log_record_ptr>;
template class in_memory_sink<logs::log_record_ptr>;

}  // namespace agtel::exporter
