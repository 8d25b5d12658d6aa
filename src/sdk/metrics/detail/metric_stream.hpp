// A metric stream: one instrument's measurements aggregated as one view (or the default)
// says, with its own series table, cardinality limit and per-reader state.
//
// Concurrency:
//  - recorders look series up without a lock (series_table::find) and update the series'
//    cell with atomics (sums, last values) or a per-series spin lock (histograms);
//  - a new series is created under the table's mutex;
//  - a collection holds the stream's collect mutex (other collections of the same stream
//    wait; recorders do not), copies the series list, then per series takes the cell's
//    content (what was recorded since the previous take, by any reader) and merges it into
//    every reader's state, so that each reader has exactly its own delta or cumulative view.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "agtel/common/attribute.hpp"
#include "agtel/metrics/instrument_kind.hpp"
#include "agtel/metrics/instruments.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/metrics/metric_data.hpp"
#include "sdk/common/detail/striped_counter.hpp"
#include "sdk/metrics/detail/attribute_set.hpp"
#include "sdk/metrics/detail/exemplar_reservoir.hpp"

namespace agtel::metrics::detail {

enum class aggregation_kind : uint8_t {
  sum,
  last_value,
  histogram,
  exponential_histogram,
  async_sum,         // observable counters and up-down counters (callbacks report totals)
  async_last_value,  // observable gauges
};

// Everything a stream needs to know, resolved from the instrument and the view.
struct stream_config {
  std::string name;
  std::string description;
  std::string unit;
  instrument_kind kind = instrument_kind::counter;
  bool is_double = false;
  bool monotonic = false;
  aggregation_kind aggregation = aggregation_kind::sum;
  std::vector<double> bounds;  // histogram
  bool record_min_max = true;
  int32_t exp_max_size = 160;
  int32_t exp_max_scale = 20;
  std::optional<std::vector<std::string>> keys;  // sorted, unique
  size_t cardinality_limit = 2000;
  exemplar_filter exemplars = exemplar_filter::trace_based;
  size_t reader_count = 1;
};

// What every series has, whatever its aggregation.
struct series_base {
  uint64_t hash = 0;
  attribute_list attributes;  // sorted by key
  bool overflow = false;      // the otel.metric.overflow=true series
  timestamp_ns created = 0;
  std::atomic<binding*> bound{nullptr};                 // the binding for these attributes
  std::atomic<exemplar_reservoir*> reservoir{nullptr};  // created on the first exemplar
  std::unique_ptr<exemplar_reservoir> reservoir_owner;  // written under the table mutex
  virtual ~series_base() = default;
};

// A series table: open addressing over atomic pointers, read without a lock. Writers
// (holding `mutex`) insert into the current array or publish a larger copy; replaced
// arrays are kept until the table dies, so a reader never sees freed memory. Series are
// never removed.
class series_table {
 public:
  series_table();
  ~series_table();

  // The series with exactly these attributes (unique keys) and this hash, or nullptr.
  series_base* find(uint64_t hash, attribute_views attrs) const noexcept;
  // Appends every series to `out` (cleared first) in creation order.
  void snapshot(std::vector<series_base*>& out) const;
  size_t size() const noexcept { return count_.load(std::memory_order_acquire); }
  std::mutex& mutex() const noexcept { return mutex_; }
  // Adds a series that is found by attributes (caller holds mutex(); the hash and set are
  // not present yet).
  void insert(std::unique_ptr<series_base> s);
  // Adds a series that is not looked up by attributes (the overflow series).
  void adopt(std::unique_ptr<series_base> s);

 private:
  struct array {
    size_t mask;
    std::unique_ptr<std::atomic<series_base*>[]> slots;
  };
  std::atomic<array*> current_;
  std::vector<std::unique_ptr<array>> arrays_;
  std::vector<std::unique_ptr<series_base>> series_;  // creation order
  std::atomic<size_t> count_{0};
  mutable std::mutex mutex_;
};

class metric_stream {
 public:
  explicit metric_stream(stream_config cfg) : cfg_(std::move(cfg)) {}
  virtual ~metric_stream() = default;

  const stream_config& config() const noexcept { return cfg_; }

  // Synchronous measurements (already validated by the instrument).
  virtual void record(int64_t v, attribute_views attrs) noexcept = 0;
  virtual void record(double v, attribute_views attrs) noexcept = 0;
  // The series for `attrs` (after the view's key filter), created if needed; the overflow
  // series past the cardinality limit.
  virtual series_base* resolve(attribute_views attrs) noexcept = 0;
  // A measurement for a resolved series (bound instruments).
  virtual void record_series(series_base* s, int64_t v) noexcept = 0;
  virtual void record_series(series_base* s, double v) noexcept = 0;
  // Offers a sum measurement of a resolved series to its exemplar reservoir (bound fast path).
  virtual void offer_exemplar(series_base* s, number_value v) noexcept = 0;
  // The series' sum_cell<T> when this is a sum stream (bound handles add to it inline).
  virtual void* sum_cell_of(series_base* s) noexcept = 0;

  // Observations (observable instruments; called on the collecting thread). The series is
  // marked pending; commit() makes pending values current, rollback() forgets them.
  virtual series_base* observe(int64_t v, attribute_views attrs) noexcept = 0;
  virtual series_base* observe(double v, attribute_views attrs) noexcept = 0;
  virtual void commit(series_base* s) noexcept = 0;
  virtual void rollback(series_base* s) noexcept = 0;

  // Collects for reader `reader` into `out` (name, description, unit and data; points are
  // refilled). Returns false when the stream has no point for this reader.
  virtual bool collect(size_t reader, aggregation_temporality t, timestamp_ns now,
                       metric_data& out) noexcept = 0;

  uint64_t overflowed() const noexcept { return overflowed_.load(); }
  size_t series_count() const noexcept { return table_.size(); }

 protected:
  stream_config cfg_;
  series_table table_;
  agtel::detail::striped_counter overflowed_;
};

std::unique_ptr<metric_stream> make_stream(stream_config cfg);

}  // namespace agtel::metrics::detail
