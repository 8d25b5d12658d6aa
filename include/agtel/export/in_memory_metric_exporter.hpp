// Keeps exported metric collections in memory, for tests and for programs that inspect
// their own telemetry. Bounded: past `capacity` collections the oldest are discarded and
// counted. Each stored collection is a deep copy (its resource and scope pointers still
// point into the meter provider, so read them while the provider lives).
#pragma once

#include <atomic>
#include <cstddef>
#include <deque>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "agtel/metrics/metric_exporter.hpp"

namespace agtel::exporter {

// Thread-safe storage shared between the exporter (owned by a reader) and the test.
class in_memory_metric_store {
 public:
  explicit in_memory_metric_store(size_t capacity = 1000) : capacity_(capacity) {}

  // Snapshot of the stored collections, oldest first.
  std::vector<metrics::resource_metrics> collections() const;
  // The most recent collection, if any.
  std::optional<metrics::resource_metrics> last() const;
  size_t size() const;
  size_t discarded() const;
  void clear();

  void add(const metrics::resource_metrics& batch);

 private:
  mutable std::mutex mutex_;
  std::deque<metrics::resource_metrics> items_;
  size_t capacity_;
  size_t discarded_ = 0;
};

class in_memory_metric_exporter final : public metrics::metric_exporter {
 public:
  explicit in_memory_metric_exporter(
      std::shared_ptr<in_memory_metric_store> store,
      metrics::temporality_selector temporality = metrics::cumulative_temporality)
      : store_(std::move(store)), temporality_(temporality) {}

  export_result export_metrics(const metrics::resource_metrics& batch,
                               steady_time deadline) noexcept override;
  metrics::aggregation_temporality preferred_temporality(
      metrics::instrument_kind kind) const noexcept override {
    return temporality_(kind);
  }
  sdk_result shutdown(steady_time deadline) noexcept override;

 private:
  std::shared_ptr<in_memory_metric_store> store_;
  metrics::temporality_selector temporality_;
  std::atomic<bool> shut_down_{false};
};

// Test helpers. The first metric named `name` in a collection, or nullptr:
const metrics::metric_data* find_metric(const metrics::resource_metrics& rm,
                                        std::string_view name) noexcept;
// The point of `m` whose attributes are exactly `attrs` (in any order), or nullptr.
const metrics::number_point* find_number_point(const metrics::metric_data& m,
                                               std::initializer_list<attribute_view> attrs);
const metrics::histogram_point* find_histogram_point(const metrics::metric_data& m,
                                                     std::initializer_list<attribute_view> attrs);

}  // namespace agtel::exporter
