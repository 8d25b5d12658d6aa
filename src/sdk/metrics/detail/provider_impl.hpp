// The metrics SDK's internal objects: instruments, meters, the provider and the link from
// a reader to its provider. See metric_stream.hpp for the per-stream machinery.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agtel/metrics/instruments.hpp"
#include "agtel/metrics/meter.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/metrics/metric_reader.hpp"
#include "sdk/common/detail/striped_counter.hpp"
#include "sdk/metrics/detail/metric_stream.hpp"

namespace agtel::metrics::detail {

struct meter_core;
using temporality_table = std::array<aggregation_temporality, instrument_kind_count>;

// A reader's connection to its provider.
struct reader_link {
  temporality_table temporality{};
  std::mutex mutex;  // serializes collections of this reader, and registration
  std::weak_ptr<meter_provider::impl> provider;
  size_t index = 0;  // the reader's slot in every series' per-reader state
  bool registered = false;
  std::atomic<bool> shut_down{false};
};

// Collects for the reader; false (and `out` empty) when not registered, shut down, or the
// provider is gone.
bool collect(reader_link& link, resource_metrics& out) noexcept;

class instrument_base {
 public:
  instrument_base(meter_core* meter, std::string name, instrument_kind kind, bool is_double,
                  std::vector<std::unique_ptr<metric_stream>> streams)
      : meter_(meter),
        name_(std::move(name)),
        kind_(kind),
        is_double_(is_double),
        streams_(std::move(streams)) {}
  virtual ~instrument_base() = default;

  // Appends this instrument's metric streams with points for `reader` to `out`.
  virtual void collect(size_t reader, const temporality_table& t, timestamp_ns now,
                       scope_metrics& out) noexcept;

  const std::string& name() const noexcept { return name_; }
  instrument_kind kind() const noexcept { return kind_; }
  bool is_double() const noexcept { return is_double_; }
  virtual bool is_async() const noexcept = 0;
  const std::vector<std::unique_ptr<metric_stream>>& streams() const noexcept { return streams_; }
  meter_core* meter() const noexcept { return meter_; }

  // False (and counted) for a value the instrument drops.
  bool valid(int64_t v) noexcept {
    if (v < 0 && kind_ == instrument_kind::counter) return invalid();
    return true;
  }
  bool valid(double v) noexcept {
    if (v - v != 0) return invalid();  // NaN or infinite
    if (v < 0 && kind_ == instrument_kind::counter) return invalid();
    return true;
  }
  bool invalid() noexcept;

  agtel::detail::striped_counter invalid_values;
  std::atomic<uint64_t> callback_dropped{0};  // observations discarded with a failed callback

 protected:
  void collect_streams(size_t reader, const temporality_table& t, timestamp_ns now,
                       scope_metrics& out) noexcept;

  meter_core* meter_;
  std::string name_;
  instrument_kind kind_;
  bool is_double_;
  std::vector<std::unique_ptr<metric_stream>> streams_;
};

// What a bound handle resolves to: one series in each stream.
struct binding {
  class sync_instrument* instrument = nullptr;
  std::vector<std::pair<metric_stream*, series_base*>> entries;
  bound_target target;
};

class sync_instrument final : public instrument_base {
 public:
  using instrument_base::instrument_base;
  bool is_async() const noexcept override { return false; }

  bound_target* bind(attribute_views attrs) noexcept;

 private:
  std::mutex bind_mutex_;
  std::vector<std::unique_ptr<binding>> bindings_;
};

class async_instrument final : public instrument_base {
 public:
  using instrument_base::instrument_base;
  bool is_async() const noexcept override { return true; }

  uint64_t add_callback(std::function<void(observation_sink*)> cb) noexcept;
  void remove_callback(uint64_t id) noexcept;
  // Runs the callbacks, then collects the streams, under one lock (two readers collecting
  // at once take turns here).
  void collect(size_t reader, const temporality_table& t, timestamp_ns now,
               scope_metrics& out) noexcept override;

 private:
  struct callback {
    uint64_t id;
    std::function<void(observation_sink*)> fn;
    bool removed = false;
  };
  void run_callbacks() noexcept;

  std::mutex mutex_;
  std::vector<std::unique_ptr<callback>> callbacks_;  // stable while a callback adds another
  uint64_t next_id_ = 1;
};

// Receives a callback's observations for one instrument.
class observation_sink {
 public:
  explicit observation_sink(async_instrument* i) : instrument(i) {}
  template <class V>
  void observe(V v, attribute_views attrs) noexcept;
  void commit() noexcept;
  void rollback() noexcept;

  async_instrument* instrument;
  std::vector<std::pair<metric_stream*, series_base*>> touched;
  uint64_t observations = 0;
};

struct meter_core {
  meter_provider::impl* provider = nullptr;
  instrumentation_scope scope;
  std::mutex mutex;
  std::vector<std::unique_ptr<instrument_base>> instruments;  // creation order
};

}  // namespace agtel::metrics::detail

namespace agtel::metrics {

struct meter_provider::impl : std::enable_shared_from_this<impl> {
  explicit impl(meter_provider_options o);

  // Collects every meter for the reader at `reader` with its temporalities.
  bool collect(size_t reader, const detail::temporality_table& t, resource_metrics& out) noexcept;
  detail::meter_core* get_meter(std::string_view name, std::string_view version,
                                std::string_view schema_url);
  // The configuration of the streams an instrument gets (one per matching view, or the
  // default); empty when every matching view drops it.
  std::vector<detail::stream_config> streams_for(const detail::meter_core& m, std::string_view name,
                                                 instrument_kind kind, bool is_double,
                                                 const instrument_options& o) const;
  void register_self_metrics();
  void snapshot_meters(std::vector<detail::meter_core*>& out, bool with_self);

  meter_provider_options options;
  std::vector<std::shared_ptr<metric_reader>> readers;  // the registered ones
  std::mutex mutex;
  std::vector<std::unique_ptr<detail::meter_core>> meters;
  std::unique_ptr<detail::meter_core> self_meter;
  std::atomic<bool> shut_down{false};
  std::atomic<uint64_t> callback_errors{0};
  std::atomic<uint64_t> slow_callbacks{0};
};

}  // namespace agtel::metrics
