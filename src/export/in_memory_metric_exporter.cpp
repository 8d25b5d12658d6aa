#include "agtel/export/in_memory_metric_exporter.hpp"

namespace agtel::exporter {

std::vector<metrics::resource_metrics> in_memory_metric_store::collections() const {
  std::lock_guard lock(mutex_);
  return {items_.begin(), items_.end()};
}

std::optional<metrics::resource_metrics> in_memory_metric_store::last() const {
  std::lock_guard lock(mutex_);
  if (items_.empty()) return std::nullopt;
  return items_.back();
}

size_t in_memory_metric_store::size() const {
  std::lock_guard lock(mutex_);
  return items_.size();
}

size_t in_memory_metric_store::discarded() const {
  std::lock_guard lock(mutex_);
  return discarded_;
}

void in_memory_metric_store::clear() {
  std::lock_guard lock(mutex_);
  items_.clear();
  discarded_ = 0;
}

void in_memory_metric_store::add(const metrics::resource_metrics& batch) {
  std::lock_guard lock(mutex_);
  items_.push_back(batch);
  while (items_.size() > capacity_) {
    items_.pop_front();
    ++discarded_;
  }
}

export_result in_memory_metric_exporter::export_metrics(const metrics::resource_metrics& batch,
                                                        steady_time) noexcept {
  if (shut_down_.load() || !store_) return export_result::failure;
  try {
    store_->add(batch);
  } catch (...) {
    return export_result::failure;
  }
  return export_result::success;
}

sdk_result in_memory_metric_exporter::shutdown(steady_time) noexcept {
  if (shut_down_.exchange(true)) return sdk_result::already_shutdown;
  return sdk_result::ok;
}

const metrics::metric_data* find_metric(const metrics::resource_metrics& rm,
                                        std::string_view name) noexcept {
  for (const auto& sm : rm.scopes)
    for (const auto& m : sm.metrics)
      if (m.name == name) return &m;
  return nullptr;
}

namespace {
template <class Point, class Data>
const Point* find_point(const Data* d, std::initializer_list<attribute_view> attrs) {
  if (d == nullptr) return nullptr;
  const attribute_list want(attrs);
  for (const auto& p : d->points)
    if (p.attributes == want) return &p;
  return nullptr;
}
}  // namespace

const metrics::number_point* find_number_point(const metrics::metric_data& m,
                                               std::initializer_list<attribute_view> attrs) {
  if (auto* s = std::get_if<metrics::sum_data>(&m.data))
    return find_point<metrics::number_point>(s, attrs);
  return find_point<metrics::number_point>(std::get_if<metrics::gauge_data>(&m.data), attrs);
}

const metrics::histogram_point* find_histogram_point(const metrics::metric_data& m,
                                                     std::initializer_list<attribute_view> attrs) {
  return find_point<metrics::histogram_point>(std::get_if<metrics::histogram_data>(&m.data), attrs);
}

}  // namespace agtel::exporter
