// The HTTP side of the Prometheus endpoint (cpp-httplib, kept out of every header): one
// path answers scrapes, everything else is refused. The exposition itself comes from a
// render callback, so the server can be tested without a meter provider.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "agtel/export/prometheus_exporter.hpp"

namespace agtel::exporter::prometheus {

struct server_config {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: any free port
  std::string path = "/metrics";
  bool openmetrics = true;
  bool gzip = true;
  unsigned worker_threads = 2;
  std::chrono::milliseconds io_timeout{5000};
};

// Appends one scrape's exposition in `format` to `out`; false answers 503. Called from the
// server's worker threads, possibly concurrently: the callback serializes what it must.
using render_fn = std::function<bool(prometheus_format format, std::string& out)>;

struct server_counters {
  std::atomic<uint64_t> scrapes{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> rejected{0};
};

// GET or HEAD on `path` (any query string) → 200 with the exposition, in OpenMetrics when
// the Accept header prefers it, gzip when Accept-Encoding allows it; another path → 404;
// another method on `path` → 405 with Allow: GET, HEAD. Requests run on a pool of
// `worker_threads`; each connection's reads and writes time out after `io_timeout`.
class scrape_server {
 public:
  scrape_server(server_config config, render_fn render);
  ~scrape_server();  // stops
  scrape_server(const scrape_server&) = delete;
  scrape_server& operator=(const scrape_server&) = delete;

  // Binds and serves on a thread of its own; false (reported) when binding fails or the
  // server already ran.
  bool start() noexcept;
  uint16_t port() const noexcept;
  void stop() noexcept;
  const server_counters& counters() const noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace agtel::exporter::prometheus
