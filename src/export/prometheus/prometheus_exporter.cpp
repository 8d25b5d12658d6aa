// prometheus_exporter: a cumulative pull reader, a serializer and the scrape server, glued.
#include "agtel/export/prometheus_exporter.hpp"

#include <charconv>
#include <cstdlib>
#include <mutex>

#include "agtel/diagnostics.hpp"
#include "export/prometheus/http_server.hpp"
#include "sdk/common/detail/ascii.hpp"

namespace agtel::exporter {
namespace {

using agtel::detail::trim;

constexpr std::string_view diag_component = "prometheus";

}  // namespace

prometheus_exporter_options prometheus_exporter_options_from_env(prometheus_exporter_options base) {
  if (const char* host = std::getenv("OTEL_EXPORTER_PROMETHEUS_HOST")) {
    std::string_view h = trim(host);
    if (h.empty()) {
      detail::diag(diag_level::warning, "config",
                   "OTEL_EXPORTER_PROMETHEUS_HOST is empty; using " + base.host);
    } else {
      base.host = std::string(h);
    }
  }
  if (const char* port = std::getenv("OTEL_EXPORTER_PROMETHEUS_PORT")) {
    std::string_view p = trim(port);
    unsigned value = 0;
    auto r = std::from_chars(p.data(), p.data() + p.size(), value);
    if (p.empty() || r.ec != std::errc() || r.ptr != p.data() + p.size() || value > 65535) {
      detail::diag(diag_level::warning, "config",
                   "OTEL_EXPORTER_PROMETHEUS_PORT='" + std::string(port) +
                       "' is not a port number (0-65535); using " + std::to_string(base.port));
    } else {
      base.port = static_cast<uint16_t>(value);
    }
  }
  return base;
}

struct prometheus_exporter::impl {
  prometheus_exporter_options options;
  std::shared_ptr<metrics::pull_metric_reader> reader =
      std::make_shared<metrics::pull_metric_reader>(metrics::cumulative_temporality);
  std::mutex mutex;  // guards collection, serializer and batch
  prometheus_serializer serializer;
  metrics::resource_metrics batch;
  std::unique_ptr<prometheus::scrape_server> server;
  std::atomic<uint64_t> direct_scrapes{0};

  explicit impl(prometheus_exporter_options o)
      : options(std::move(o)), serializer(options.exposition) {}

  bool render(prometheus_format format, std::string& out) {
    std::lock_guard lock(mutex);
    if (!reader->collect(batch)) return false;
    serializer.serialize(batch, format, out);
    return true;
  }
};

prometheus_exporter::prometheus_exporter(prometheus_exporter_options options)
    : impl_(std::make_unique<impl>(std::move(options))) {}

prometheus_exporter::~prometheus_exporter() {
  stop();
}

std::shared_ptr<metrics::metric_reader> prometheus_exporter::reader() const noexcept {
  return impl_->reader;
}

bool prometheus_exporter::start() noexcept {
  if (impl_->server) {
    detail::diag(diag_level::warning, diag_component, "start: the endpoint already runs");
    return false;
  }
  try {
    prometheus::server_config c;
    c.host = impl_->options.host;
    c.port = impl_->options.port;
    c.path = impl_->options.path.empty() ? "/metrics" : impl_->options.path;
    c.openmetrics = impl_->options.openmetrics;
    c.gzip = impl_->options.gzip;
    c.worker_threads = impl_->options.worker_threads;
    c.io_timeout = impl_->options.io_timeout;
    impl* d = impl_.get();
    auto server = std::make_unique<prometheus::scrape_server>(
        std::move(c),
        [d](prometheus_format format, std::string& out) { return d->render(format, out); });
    if (!server->start()) return false;
    impl_->server = std::move(server);
    return true;
  } catch (const std::exception& e) {
    detail::diag(diag_level::error, diag_component,
                 std::string("cannot start the metrics endpoint: ") + e.what());
    return false;
  }
}

uint16_t prometheus_exporter::port() const noexcept {
  return impl_->server ? impl_->server->port() : 0;
}

void prometheus_exporter::stop() noexcept {
  if (impl_->server) {
    impl_->server->stop();
    impl_->server.reset();
  }
}

bool prometheus_exporter::scrape(prometheus_format format, std::string& out) noexcept {
  try {
    if (!impl_->render(format, out)) return false;
    impl_->direct_scrapes.fetch_add(1, std::memory_order_relaxed);
    return true;
  } catch (...) {
    detail::diag(diag_level::error, diag_component, "scrape: out of memory while rendering");
    return false;
  }
}

prometheus_exporter_stats prometheus_exporter::stats() const noexcept {
  prometheus_exporter_stats s;
  if (impl_->server) {
    const auto& c = impl_->server->counters();
    s.scrapes = c.scrapes.load();
    s.failed_scrapes = c.failed.load();
    s.rejected = c.rejected.load();
  }
  return s;
}

const prometheus_exporter_options& prometheus_exporter::options() const noexcept {
  return impl_->options;
}

}  // namespace agtel::exporter
