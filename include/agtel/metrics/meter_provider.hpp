// The metrics SDK's root: it owns the resource, the views, the readers and every meter.
//
//   auto reader = std::make_shared<agtel::metrics::pull_metric_reader>();
//   agtel::metrics::meter_provider_options opts;
//   opts.readers.push_back(reader);
//   opts.readers.push_back(std::make_shared<periodic_metric_reader>(std::move(otlp_exporter)));
//   auto provider = std::make_shared<agtel::metrics::meter_provider>(std::move(opts));
//   agtel::metrics::set_global_meter_provider(provider);
//   auto meter = agtel::metrics::get_meter("my_runtime", "1.2.0");
//
// Cardinality: each metric stream keeps at most `cardinality_limit` series (a view may set
// its own limit). Measurements with a further attribute set go to one overflow series whose
// only attribute is otel.metric.overflow=true. So a stream with at most cardinality_limit
// distinct attribute sets never overflows (the specification's guarantee), and an
// overflowing stream reports cardinality_limit + 1 points. Series are never forgotten
// while the provider lives (a delta reader reports only the series that changed in its
// interval).
//
// The SDK's own metrics, exported with everything else under the scope "agtel.sdk"
// (disable with `self_metrics = false`):
//   agtel.sdk.metrics.overflow_measurements  counter {measurement}, attribute
//       otel.metric.name: measurements aggregated into a stream's overflow series.
//   agtel.sdk.metrics.dropped_measurements   counter {measurement}, attributes
//       otel.metric.name and reason ("invalid_value": negative counter increment, NaN or
//       infinity; "callback_error": observations of a callback that threw).
//
// Lifetime: meters and instruments point into their provider; keep it alive while they
// are used (the global slot keeps every provider ever installed alive until exit).
// Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "agtel/common/resource.hpp"
#include "agtel/common/result.hpp"
#include "agtel/metrics/meter.hpp"
#include "agtel/metrics/metric_reader.hpp"
#include "agtel/metrics/view.hpp"

namespace agtel::metrics {

// Which measurements may become exemplars (OTEL_METRICS_EXEMPLAR_FILTER).
enum class exemplar_filter : uint8_t {
  trace_based,  // only measurements taken inside a sampled span (the default)
  always_on,
  always_off,
};

struct meter_provider_options {
  agtel::resource resource = agtel::resource::sdk_default();
  // Each reader is registered with this provider only.
  std::vector<std::shared_ptr<metric_reader>> readers;
  std::vector<view> views;
  size_t cardinality_limit = 2000;  // per stream, when the view sets none
  exemplar_filter exemplars = exemplar_filter::trace_based;
  // A callback that runs longer than this is reported (it is not interrupted).
  std::chrono::milliseconds callback_budget{100};
  bool self_metrics = true;
};

struct meter_provider_stats {
  uint64_t overflow_measurements = 0;  // over all streams
  uint64_t invalid_measurements = 0;   // dropped values
  uint64_t callback_errors = 0;        // callbacks that threw
  uint64_t slow_callbacks = 0;         // callbacks over callback_budget
};

class meter_provider {
 public:
  explicit meter_provider(meter_provider_options options = {});
  ~meter_provider();  // shuts down (5 s) if not done yet
  meter_provider(const meter_provider&) = delete;
  meter_provider& operator=(const meter_provider&) = delete;

  // The same (name, version, schema_url) returns the same meter. After shutdown, a no-op meter.
  metrics::meter get_meter(std::string_view name, std::string_view version = {},
                           std::string_view schema_url = {});

  // Force-flushes / shuts down every reader within `timeout` in total.
  sdk_result force_flush(std::chrono::milliseconds timeout = std::chrono::seconds(5)) noexcept;
  sdk_result shutdown(std::chrono::milliseconds timeout = std::chrono::seconds(5)) noexcept;

  const agtel::resource& resource() const noexcept;
  meter_provider_stats stats() const noexcept;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

// The process-wide provider. Until one is set, meters are no-op.
void set_global_meter_provider(std::shared_ptr<meter_provider> provider) noexcept;
std::shared_ptr<meter_provider> global_meter_provider() noexcept;
// Grows by one each time set_global_meter_provider runs: a cache of instruments taken from
// the global provider (the agent layer's) notices a new provider with one atomic load.
uint64_t global_meter_provider_generation() noexcept;
metrics::meter get_meter(std::string_view name, std::string_view version = {},
                         std::string_view schema_url = {});

}  // namespace agtel::metrics
