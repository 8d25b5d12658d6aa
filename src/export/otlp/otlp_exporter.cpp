// The OTLP span, metric and log exporters: encode by protocol, hand the bytes to
// export_core (transport, retries, stats).
#include "agtel/export/otlp_exporter.hpp"

#include "export/otlp/export_core.hpp"
#include "otlp/codec.hpp"

namespace agtel::exporter {

namespace otlp_detail {
namespace {

// Lets otlp_stats() find the stats behind the public exporter interfaces.
class has_stats {
 public:
  virtual ~has_stats() = default;
  virtual std::shared_ptr<const otlp_exporter_stats_source> stats_source() const noexcept = 0;
};

// What every signal's exporter shares: the core, its stats, and the export path.
class exporter_base : public has_stats {
 public:
  exporter_base(const otlp_exporter_options& o, otlp::signal s) : core_(o, s) {}
  std::shared_ptr<const otlp_exporter_stats_source> stats_source() const noexcept override {
    return core_.stats();
  }

 protected:
  // Sends `batch` of `items` (spans, data points, log records), encoded by protocol with
  // one of two codec functions into the core's reused buffer (gRPC carries protobuf too).
  template <class Batch, class Protobuf, class Json>
  export_result export_batch(const Batch& batch, uint64_t items, steady_time deadline,
                             Protobuf protobuf, Json json) noexcept {
    if (items == 0) return export_result::success;
    if (core_.refuse_after_shutdown(items)) return export_result::failure;
    try {
      if (core_.protocol() == otlp_protocol::http_json)
        json(batch, core_.body());
      else
        protobuf(batch, core_.body());
    } catch (...) {  // out of memory
      return core_.encode_failed(items);
    }
    return core_.send(items, deadline);
  }

  export_core core_;
};

// One signal's exporter interface over the shared part.
template <class Interface>
class signal_exporter : public Interface, public exporter_base {
 public:
  using exporter_base::exporter_base;
  sdk_result shutdown(steady_time) noexcept override { return core_.shutdown(); }
};

class span_exporter_impl final : public signal_exporter<span_exporter> {
 public:
  explicit span_exporter_impl(const otlp_exporter_options& o)
      : signal_exporter(o, otlp::signal::traces) {}

  export_result export_spans(std::span<const trace::span_ptr> batch,
                             steady_time deadline) noexcept override {
    return export_batch(batch, batch.size(), deadline, otlp::encode_traces_protobuf,
                        otlp::encode_traces_json);
  }
};

// Data points in a collection: what the metric exporter counts as items.
uint64_t count_points(const metrics::resource_metrics& batch) noexcept {
  uint64_t n = 0;
  for (const auto& scope : batch.scopes)
    for (const auto& metric : scope.metrics)
      std::visit([&n](const auto& data) { n += data.points.size(); }, metric.data);
  return n;
}

class metric_exporter_impl final : public signal_exporter<metrics::metric_exporter> {
 public:
  metric_exporter_impl(const otlp_exporter_options& o, metrics::temporality_selector t)
      : signal_exporter(o, otlp::signal::metrics),
        temporality_(t ? t : metrics::cumulative_temporality) {}

  export_result export_metrics(const metrics::resource_metrics& batch,
                               steady_time deadline) noexcept override {
    return export_batch(batch, count_points(batch), deadline, otlp::encode_metrics_protobuf,
                        otlp::encode_metrics_json);
  }
  metrics::aggregation_temporality preferred_temporality(
      metrics::instrument_kind kind) const noexcept override {
    return temporality_(kind);
  }

 private:
  metrics::temporality_selector temporality_;
};

class log_exporter_impl final : public signal_exporter<logs::log_record_exporter> {
 public:
  explicit log_exporter_impl(const otlp_exporter_options& o)
      : signal_exporter(o, otlp::signal::logs) {}

  export_result export_logs(std::span<const logs::log_record_ptr> batch,
                            steady_time deadline) noexcept override {
    return export_batch(batch, batch.size(), deadline, otlp::encode_logs_protobuf,
                        otlp::encode_logs_json);
  }
};

template <class Exporter>
std::shared_ptr<const otlp_exporter_stats_source> find_stats(const Exporter& e) noexcept {
  const auto* s = dynamic_cast<const has_stats*>(&e);
  return s ? s->stats_source() : nullptr;
}

}  // namespace
}  // namespace otlp_detail

std::unique_ptr<span_exporter> make_otlp_span_exporter(const otlp_exporter_options& options) {
  return std::make_unique<otlp_detail::span_exporter_impl>(options);
}

std::unique_ptr<metrics::metric_exporter> make_otlp_metric_exporter(
    const otlp_exporter_options& options, metrics::temporality_selector temporality) {
  return std::make_unique<otlp_detail::metric_exporter_impl>(options, temporality);
}

std::unique_ptr<logs::log_record_exporter> make_otlp_log_exporter(
    const otlp_exporter_options& options) {
  return std::make_unique<otlp_detail::log_exporter_impl>(options);
}

std::shared_ptr<const otlp_exporter_stats_source> otlp_stats(const span_exporter& e) noexcept {
  return otlp_detail::find_stats(e);
}
std::shared_ptr<const otlp_exporter_stats_source> otlp_stats(
    const metrics::metric_exporter& e) noexcept {
  return otlp_detail::find_stats(e);
}
std::shared_ptr<const otlp_exporter_stats_source> otlp_stats(
    const logs::log_record_exporter& e) noexcept {
  return otlp_detail::find_stats(e);
}

}  // namespace agtel::exporter
