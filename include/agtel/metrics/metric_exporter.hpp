// The interface every metric exporter implements (OTLP, console, in-memory, the embedded
// store). A periodic reader calls it; a pull consumer (the Prometheus endpoint) reads a
// pull_metric_reader instead and needs no exporter.
//
// The reader calls export_metrics from one thread at a time. The batch is valid only
// during the call (the reader refills it on its next collection): an asynchronous exporter
// copies what it keeps. export_metrics must return by `deadline` and must not throw.
#pragma once

#include "agtel/common/result.hpp"
#include "agtel/common/time.hpp"
#include "agtel/metrics/instrument_kind.hpp"
#include "agtel/metrics/metric_data.hpp"

namespace agtel::metrics {

// Which temporality a consumer wants for each instrument kind.
using temporality_selector = aggregation_temporality (*)(instrument_kind) noexcept;

// Everything cumulative: what Prometheus and the OTLP default expect.
constexpr aggregation_temporality cumulative_temporality(instrument_kind) noexcept {
  return aggregation_temporality::cumulative;
}
// The spec's "delta" preference: counters, observable counters and histograms are delta;
// up-down counters (and gauges, which have no temporality) stay cumulative.
constexpr aggregation_temporality delta_temporality(instrument_kind k) noexcept {
  switch (k) {
    case instrument_kind::counter:
    case instrument_kind::observable_counter:
    case instrument_kind::histogram:
      return aggregation_temporality::delta;
    default:
      return aggregation_temporality::cumulative;
  }
}
// The spec's "low memory" preference: synchronous counters and histograms are delta.
constexpr aggregation_temporality low_memory_temporality(instrument_kind k) noexcept {
  switch (k) {
    case instrument_kind::counter:
    case instrument_kind::histogram:
      return aggregation_temporality::delta;
    default:
      return aggregation_temporality::cumulative;
  }
}

class metric_exporter {
 public:
  virtual ~metric_exporter() = default;

  // Sends one collection. `failure` means the data is dropped (the reader counts it and
  // does not retry it); a cumulative consumer recovers on the next export anyway.
  virtual export_result export_metrics(const resource_metrics& batch,
                                       steady_time deadline) noexcept = 0;

  // The temporality this exporter wants for `kind`; the reader asks once per instrument.
  virtual aggregation_temporality preferred_temporality(instrument_kind kind) const noexcept {
    return cumulative_temporality(kind);
  }

  // Delivers whatever the exporter still buffers.
  virtual sdk_result force_flush(steady_time deadline) noexcept {
    (void)deadline;
    return sdk_result::ok;
  }
  // Flushes and releases resources; later exports fail.
  virtual sdk_result shutdown(steady_time deadline) noexcept = 0;
};

}  // namespace agtel::metrics
