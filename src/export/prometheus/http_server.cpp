#include "export/prometheus/http_server.hpp"

// cpp-httplib is a compiled library whose classes depend on the -D flags it was built with;
// pkg-config `cpp-httplib` supplies them (CPPHTTPLIB_ZLIB_SUPPORT among them). Compiling
// without them would mix two layouts of httplib::Server, so it is an error.
#if !defined(CPPHTTPLIB_ZLIB_SUPPORT)
#error "compile with cpp-httplib's pkg-config flags (CMake: link PkgConfig::HTTPLIB)"
#endif
#include <httplib.h>

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "export/prometheus/gzip.hpp"
#include "export/prometheus/negotiation.hpp"

namespace agtel::exporter::prometheus {
namespace {

constexpr std::string_view diag_component = "prometheus";

}  // namespace

namespace {

// The text and the gzip form of one answer. Buffers are pooled: an answer keeps its buffer
// until httplib has written it, then returns it, so steady scrapes reuse the capacity.
struct scrape_buffer {
  std::string text;
  std::string gz;
};

}  // namespace

struct scrape_server::impl {
  server_config config;
  render_fn render;
  server_counters counters;
  httplib::Server server;
  std::thread thread;
  std::atomic<uint16_t> port{0};
  std::atomic<bool> started{false};
  std::atomic<bool> listen_done{false};  // listen_after_bind returned
  std::mutex pool_mutex;
  std::vector<std::unique_ptr<scrape_buffer>> pool;

  std::unique_ptr<scrape_buffer> acquire() {
    std::lock_guard lock(pool_mutex);
    if (pool.empty()) return std::make_unique<scrape_buffer>();
    auto b = std::move(pool.back());
    pool.pop_back();
    return b;
  }
  void release(std::unique_ptr<scrape_buffer> b) {
    std::lock_guard lock(pool_mutex);
    if (pool.size() < config.worker_threads) pool.push_back(std::move(b));
  }

  httplib::Server::HandlerResponse handle(const httplib::Request& req, httplib::Response& res);
  void serve(const httplib::Request& req, httplib::Response& res);
};

httplib::Server::HandlerResponse scrape_server::impl::handle(const httplib::Request& req,
                                                             httplib::Response& res) {
  if (req.path != config.path) {
    counters.rejected.fetch_add(1, std::memory_order_relaxed);
    res.status = 404;
    res.set_content("not found: metrics are served at " + config.path + "\n",
                    "text/plain; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  }
  if (req.method != "GET" && req.method != "HEAD") {
    counters.rejected.fetch_add(1, std::memory_order_relaxed);
    res.status = 405;
    res.set_header("Allow", "GET, HEAD");
    res.set_content("method not allowed: use GET\n", "text/plain; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  }
  try {
    serve(req, res);
  } catch (...) {  // std::bad_alloc while rendering or compressing
    counters.failed.fetch_add(1, std::memory_order_relaxed);
    res.status = 500;
    res.set_content("internal error while rendering metrics\n", "text/plain; charset=utf-8");
  }
  return httplib::Server::HandlerResponse::Handled;
}

void scrape_server::impl::serve(const httplib::Request& req, httplib::Response& res) {
  const prometheus_format format =
      negotiate_format(req.get_header_value("Accept"), config.openmetrics);
  std::unique_ptr<scrape_buffer> buf = acquire();
  buf->text.clear();
  if (!render(format, buf->text)) {
    counters.failed.fetch_add(1, std::memory_order_relaxed);
    release(std::move(buf));
    res.status = 503;
    res.set_content(
        "metrics unavailable: the exporter's reader is not registered with a live meter "
        "provider (or was shut down)\n",
        "text/plain; charset=utf-8");
    return;
  }
  const std::string* body = &buf->text;
  if (config.gzip && accepts_gzip(req.get_header_value("Accept-Encoding")) &&
      gzip_compress(buf->text, buf->gz)) {
    body = &buf->gz;
    res.set_header("Content-Encoding", "gzip");
  }
  res.set_header("Vary", "Accept, Accept-Encoding");
  res.status = 200;
  counters.scrapes.fetch_add(1, std::memory_order_relaxed);
  // A content provider rather than set_content: the body is written from the pooled
  // buffer without a copy, and httplib does not re-compress provider output.
  auto shared = std::shared_ptr<scrape_buffer>(
      buf.release(), [this](scrape_buffer* b) { release(std::unique_ptr<scrape_buffer>(b)); });
  const size_t size = body->size();
  res.set_content_provider(
      size, std::string(prometheus_content_type(format)),
      [shared, body](size_t offset, size_t length, httplib::DataSink& sink) {
        return sink.write(body->data() + offset, length);
      },
      [](bool) {});
}

scrape_server::scrape_server(server_config config, render_fn render)
    : impl_(std::make_unique<impl>()) {
  impl_->config = std::move(config);
  if (impl_->config.worker_threads == 0) impl_->config.worker_threads = 1;
  impl_->render = std::move(render);
}

scrape_server::~scrape_server() {
  stop();
}

bool scrape_server::start() noexcept {
  impl& d = *impl_;
  if (d.started.exchange(true)) {
    detail::diag(diag_level::warning, diag_component, "start: the server was already started");
    return false;
  }
  try {
    const unsigned workers = d.config.worker_threads;
    d.server.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
    const auto secs = [](std::chrono::milliseconds ms) {
      return std::chrono::duration_cast<std::chrono::microseconds>(ms);
    };
    d.server.set_read_timeout(secs(d.config.io_timeout));
    d.server.set_write_timeout(secs(d.config.io_timeout));
    // An idle keep-alive connection holds a worker: keep it short (Prometheus scrapes every
    // 15 s by default and reconnects anyway), and never longer than io_timeout.
    const auto io_secs = std::chrono::duration_cast<std::chrono::seconds>(d.config.io_timeout);
    d.server.set_keep_alive_timeout(std::min<time_t>(io_secs.count(), 2));
    d.server.set_keep_alive_max_count(100);
    // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which would let a second
    // process bind the same port and silently receive half of the scrapes.
    d.server.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const char*>(&yes), sizeof yes);
    });
    d.server.set_payload_max_length(64 * 1024);  // scrapes carry no body
    d.server.set_pre_routing_handler(
        [&d](const httplib::Request& req, httplib::Response& res) { return d.handle(req, res); });

    int port = 0;
    if (d.config.port == 0) {
      port = d.server.bind_to_any_port(d.config.host);
      if (port <= 0) port = 0;
    } else if (d.server.bind_to_port(d.config.host, d.config.port)) {
      port = d.config.port;
    }
    if (port == 0) {
      detail::diag(diag_level::error, diag_component,
                   "cannot listen on " + d.config.host + ":" + std::to_string(d.config.port) +
                       " (address in use or not available); the metrics endpoint is off. Set "
                       "OTEL_EXPORTER_PROMETHEUS_HOST/OTEL_EXPORTER_PROMETHEUS_PORT to a free "
                       "address.");
      return false;
    }
    d.port.store(static_cast<uint16_t>(port));
    d.thread = std::thread([&d] {
      d.server.listen_after_bind();
      d.listen_done.store(true);
    });
    // stop() is only safe once the accept loop runs (httplib ignores stop() before that).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!d.server.is_running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return true;
  } catch (const std::exception& e) {
    detail::diag(diag_level::error, diag_component,
                 std::string("cannot start the metrics endpoint: ") + e.what());
    return false;
  }
}

uint16_t scrape_server::port() const noexcept {
  return impl_->port.load();
}

void scrape_server::stop() noexcept {
  impl& d = *impl_;
  if (!d.thread.joinable()) return;
  while (!d.server.is_running() && !d.listen_done.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  d.server.stop();
  d.thread.join();
  d.port.store(0);
}

const server_counters& scrape_server::counters() const noexcept {
  return impl_->counters;
}



}  // namespace agtel::exporter::prometheus
