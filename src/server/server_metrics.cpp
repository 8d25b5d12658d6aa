#include "server/server_metrics.hpp"

#include <mutex>

#include "agtel/export/prometheus_exporter.hpp"
#include "agtel/metrics/meter_provider.hpp"
#include "agtel/version.hpp"

namespace agtel::server {

std::string_view signal_name(otlp::signal s) noexcept {
  switch (s) {
    case otlp::signal::traces:
      return "traces";
    case otlp::signal::metrics:
      return "metrics";
    case otlp::signal::logs:
      return "logs";
  }
  return "traces";
}

struct server_metrics::impl {
  const store::writer& writer;
  std::shared_ptr<metrics::pull_metric_reader> reader;
  std::shared_ptr<metrics::meter_provider> provider;
  metrics::counter<int64_t> requests, received, rejected;
  metrics::histogram<double> duration;
  metrics::observable_gauge<int64_t> queued;
  metrics::observable_counter<int64_t> stored, transactions, failed, refused;
  metrics::observable_counter<double> commit_time;
  metrics::observable_gauge<double> last_commit;

  std::mutex render_mutex;  // the serializer and the collected batch are reused
  exporter::prometheus_serializer serializer;
  metrics::resource_metrics collected;

  explicit impl(const store::writer& w) : writer(w) {}
};

namespace {

metrics::meter_provider_options provider_options(std::shared_ptr<metrics::metric_reader> reader) {
  metrics::meter_provider_options o;
  o.resource = resource::sdk_default();
  o.resource.attributes.set("service.name", "agtel-serve");
  o.readers.push_back(std::move(reader));
  o.self_metrics = false;
  return o;
}

}  // namespace

server_metrics::server_metrics(const store::writer& writer)
    : impl_(std::make_unique<impl>(writer)) {
  impl& d = *impl_;
  d.reader = std::make_shared<metrics::pull_metric_reader>();
  d.provider = std::make_shared<metrics::meter_provider>(provider_options(d.reader));
  metrics::meter m = d.provider->get_meter("agtel.server", agtel::version);
  d.requests = m.create_counter<int64_t>(
      "agtel.server.requests",
      {.description = "OTLP/HTTP requests answered, by signal and outcome"});
  d.received = m.create_counter<int64_t>(
      "agtel.server.items.received",
      {.description = "Spans, metric data points and log records decoded from requests"});
  d.rejected = m.create_counter<int64_t>(
      "agtel.server.items.rejected",
      {.description = "Decoded items not stored (reported as partial success or an error)"});
  d.duration = m.create_histogram<double>(
      "agtel.server.request.duration",
      {.description = "Time from the body read to the answer of accepted requests, including "
                      "the wait for the store's commit",
       .unit = "s",
       .buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}});

  const store::writer* w = &writer;
  d.queued = m.create_observable_gauge<int64_t>(
      "agtel.store.queued_items",
      [w](metrics::observer<int64_t>& o) {
        o.observe(static_cast<int64_t>(w->stats().queued_items));
      },
      {.description = "Items queued for the store's writer and not yet committed"});
  d.stored = m.create_observable_counter<int64_t>(
      "agtel.store.items.stored",
      [w](metrics::observer<int64_t>& o) {
        const store::writer_stats s = w->stats();
        o.observe(static_cast<int64_t>(s.spans_stored), {{"signal", "traces"}});
        o.observe(static_cast<int64_t>(s.logs_stored), {{"signal", "logs"}});
      },
      {.description = "Items committed to the store"});
  d.transactions = m.create_observable_counter<int64_t>(
      "agtel.store.transactions",
      [w](metrics::observer<int64_t>& o) {
        o.observe(static_cast<int64_t>(w->stats().transactions));
      },
      {.description = "Write transactions of the store"});
  d.failed = m.create_observable_counter<int64_t>(
      "agtel.store.batches.failed",
      [w](metrics::observer<int64_t>& o) {
        o.observe(static_cast<int64_t>(w->stats().batches_failed));
      },
      {.description = "Batches whose transaction did not commit"});
  d.refused = m.create_observable_counter<int64_t>(
      "agtel.store.submits.refused",
      [w](metrics::observer<int64_t>& o) {
        o.observe(static_cast<int64_t>(w->stats().refused_full));
      },
      {.description = "Batches refused because the write queue was full"});
  d.commit_time = m.create_observable_counter<double>(
      "agtel.store.commit.time",
      [w](metrics::observer<double>& o) {
        o.observe(static_cast<double>(w->stats().total_commit_ns) / 1e9);
      },
      {.description = "Time spent in write transactions, BEGIN to COMMIT, summed", .unit = "s"});
  d.last_commit = m.create_observable_gauge<double>(
      "agtel.store.last_commit.duration",
      [w](metrics::observer<double>& o) {
        o.observe(static_cast<double>(w->stats().last_commit_ns) / 1e9);
      },
      {.description = "Duration of the latest write transaction, BEGIN to COMMIT", .unit = "s"});
}

server_metrics::~server_metrics() {
  impl_->provider->shutdown(std::chrono::seconds(1));
}

void server_metrics::count_request(otlp::signal s, std::string_view outcome) noexcept {
  impl_->requests.add(1, {{"signal", signal_name(s)}, {"outcome", outcome}});
}

void server_metrics::count_items(otlp::signal s, uint64_t received, uint64_t rejected) noexcept {
  if (received) impl_->received.add(static_cast<int64_t>(received), {{"signal", signal_name(s)}});
  if (rejected) impl_->rejected.add(static_cast<int64_t>(rejected), {{"signal", signal_name(s)}});
}

void server_metrics::record_duration(otlp::signal s, std::chrono::nanoseconds d) noexcept {
  impl_->duration.record(static_cast<double>(d.count()) / 1e9, {{"signal", signal_name(s)}});
}

bool server_metrics::render(std::string& out) {
  impl& d = *impl_;
  std::lock_guard lock(d.render_mutex);
  if (!d.reader->collect(d.collected)) return false;
  d.serializer.serialize(d.collected, exporter::prometheus_format::text, out);
  return true;
}

}  // namespace agtel::server
