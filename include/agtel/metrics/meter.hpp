// A meter creates the instruments of one instrumentation scope (a library or component).
//
//   auto meter = provider->get_meter("agtel.agent", "0.1.0");
//   auto latency = meter.create_histogram<double>(
//       "gen_ai.client.operation.duration",
//       {.unit = "s", .buckets = {buckets::gen_ai_operation_seconds.begin(),
//                                 buckets::gen_ai_operation_seconds.end()}});
//   auto queue = meter.create_observable_gauge<int64_t>(
//       "task.queue.size", [&](observer<int64_t>& o) { o.observe(q.size(), {{"priority", "high"}});
//       });
//
// Names follow the OpenTelemetry syntax: an ASCII letter, then up to 254 of letters,
// digits, '_', '.', '-', '/'. An invalid name (or a unit longer than 63 ASCII characters)
// is reported and yields a no-op instrument. Asking again for an instrument with the same
// name (ignoring case), kind and value type returns the same instrument; the same name with
// another kind or type is reported and gets a separate instrument.
//
// Observable callbacks run on the collecting thread, one after the other. A callback that
// throws is reported through the diagnostic handler, its observations of that collection
// are discarded, and the collection goes on with the other instruments. A callback that
// takes longer than meter_provider_options::callback_budget is reported (with its
// duration) after it returns; C++ cannot interrupt a running function, so a callback that
// never returns holds its collection (and that reader) forever — keep callbacks short and
// non-blocking.
//
// Thread-safe. A meter is a handle; copies refer to the same scope.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agtel/common/attribute.hpp"
#include "agtel/metrics/instrument_kind.hpp"
#include "agtel/metrics/instruments.hpp"

namespace agtel::metrics {

struct instrument_options {
  std::string description{};
  std::string unit{};  // UCUM: "s", "ms", "By", "1", "{token}"
  // Histograms only: advisory bucket boundaries (strictly increasing, finite), used unless
  // a view sets an aggregation. Empty: buckets::otel_default.
  std::vector<double> buckets{};
};

namespace detail {
struct meter_core;  // SDK internals
}

class meter {
 public:
  meter() noexcept = default;  // a no-op meter
  explicit meter(detail::meter_core* core) noexcept : core_(core) {}

  template <instrument_value T>
  counter<T> create_counter(std::string_view name, const instrument_options& o = {}) {
    return counter<T>(create_sync(name, instrument_kind::counter, is_double<T>, o));
  }
  template <instrument_value T>
  up_down_counter<T> create_up_down_counter(std::string_view name,
                                            const instrument_options& o = {}) {
    return up_down_counter<T>(create_sync(name, instrument_kind::up_down_counter, is_double<T>, o));
  }
  template <instrument_value T>
  histogram<T> create_histogram(std::string_view name, const instrument_options& o = {}) {
    return histogram<T>(create_sync(name, instrument_kind::histogram, is_double<T>, o));
  }
  template <instrument_value T>
  gauge<T> create_gauge(std::string_view name, const instrument_options& o = {}) {
    return gauge<T>(create_sync(name, instrument_kind::gauge, is_double<T>, o));
  }

  // Observable instruments; `callback` may be empty (add callbacks later).
  template <instrument_value T>
  observable_counter<T> create_observable_counter(std::string_view name,
                                                  observable_callback<T> callback = {},
                                                  const instrument_options& o = {}) {
    return make_observable<T>(name, instrument_kind::observable_counter, std::move(callback), o);
  }
  template <instrument_value T>
  observable_up_down_counter<T> create_observable_up_down_counter(
      std::string_view name, observable_callback<T> callback = {},
      const instrument_options& o = {}) {
    return make_observable<T>(name, instrument_kind::observable_up_down_counter,
                              std::move(callback), o);
  }
  template <instrument_value T>
  observable_gauge<T> create_observable_gauge(std::string_view name,
                                              observable_callback<T> callback = {},
                                              const instrument_options& o = {}) {
    return make_observable<T>(name, instrument_kind::observable_gauge, std::move(callback), o);
  }

  bool enabled() const noexcept { return core_ != nullptr; }

 private:
  template <class T>
  static constexpr bool is_double = std::same_as<T, double>;

  template <instrument_value T>
  observable_instrument<T> make_observable(std::string_view name, instrument_kind kind,
                                           observable_callback<T> callback,
                                           const instrument_options& o) {
    observable_instrument<T> inst(create_async(name, kind, is_double<T>, o));
    if (callback) inst.add_callback(std::move(callback));
    return inst;
  }

  // nullptr when the meter is a no-op or the name is invalid.
  detail::sync_instrument* create_sync(std::string_view name, instrument_kind kind, bool is_double,
                                       const instrument_options& o) noexcept;
  detail::async_instrument* create_async(std::string_view name, instrument_kind kind,
                                         bool is_double, const instrument_options& o) noexcept;

  detail::meter_core* core_ = nullptr;
};

// True for a valid OpenTelemetry instrument name.
bool is_valid_instrument_name(std::string_view name) noexcept;

}  // namespace agtel::metrics
