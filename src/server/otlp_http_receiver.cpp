#include "server/otlp_http_receiver.hpp"

// cpp-httplib is a compiled library whose classes depend on the -D flags it was built
// with; pkg-config `cpp-httplib` supplies them (see export/prometheus/http_server.cpp).
#if !defined(CPPHTTPLIB_ZLIB_SUPPORT)
#error "compile with cpp-httplib's pkg-config flags (CMake: link PkgConfig::HTTPLIB)"
#endif
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "sdk/common/detail/ascii.hpp"
#include "server/otlp_ingest.hpp"
#include "server/otlp_responses.hpp"
#include "server/server_metrics.hpp"

namespace agtel::server {
namespace {

using clock = std::chrono::steady_clock;

using agtel::detail::iequals;
using agtel::detail::trim;

// The media type of Content-Type, without parameters (`application/json; charset=utf-8`).
std::optional<body_encoding> encoding_of(const httplib::Request& req, std::string& media) {
  const std::string& value = req.get_header_value("Content-Type");
  media = trim(std::string_view(value).substr(0, value.find(';')));
  if (iequals(media, "application/x-protobuf")) return body_encoding::protobuf;
  if (iequals(media, "application/json")) return body_encoding::json;
  return std::nullopt;
}

}  // namespace

struct otlp_http_receiver::impl {
  receiver_options options;
  store::writer& writer;
  server_metrics metrics;
  httplib::Server server;
  std::thread thread;
  std::atomic<uint16_t> port{0};
  std::atomic<bool> started{false};
  std::atomic<bool> listen_done{false};

  impl(receiver_options o, store::writer& w) : options(std::move(o)), writer(w), metrics(w) {}

  // A refused request's body is still read (and thrown away) up to this many bytes, so
  // that the connection stays in step and the client reads the answer instead of a reset
  // (closing a socket with unread input sends RST, which can destroy the answer in the
  // client's buffer). Past it, the connection is closed.
  size_t drain_limit() const {
    const size_t m = options.max_body_bytes;
    return m > SIZE_MAX / 4 ? SIZE_MAX : m * 4;
  }

  bool authorized(const httplib::Request& req) const {
    if (options.bearer_token.empty()) return true;
    return bearer_authorized(req.get_header_value("Authorization"), options.bearer_token);
  }

  void answer_unauthorized(httplib::Response& res, std::optional<body_encoding> e) const {
    res.status = 401;
    res.set_header("WWW-Authenticate", "Bearer");
    const std::string message =
        "missing or wrong bearer token: send 'Authorization: Bearer <token>' with the token of "
        "the server's --auth-token-file";
    if (e) {
      res.set_content(status_body(*e, rpc_code::unauthenticated, message),
                      std::string(content_type_of(*e)));
    } else {
      res.set_content(message + "\n", "text/plain; charset=utf-8");
    }
  }

  // Reads and discards the rest of a refused request's body (see drain_limit), or marks the
  // connection to be closed.
  void drain(const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader& content_reader) const {
    const bool chunked =
        req.get_header_value("Transfer-Encoding").find("chunked") != std::string::npos;
    const uint64_t declared = req.get_header_value<uint64_t>("Content-Length");
    if (!chunked && declared == 0) return;
    if (!chunked && declared > drain_limit()) {
      res.set_header("Connection", "close");
      return;
    }
    size_t seen = 0;
    const auto deadline = clock::now() + options.body_timeout;
    const int status = res.status;  // httplib sets its own (400, 415) when reading fails
    const bool read_all = content_reader([&](const char*, size_t n) {
      seen += n;
      return seen <= drain_limit() && clock::now() < deadline;
    });
    res.status = status;
    if (!read_all) res.set_header("Connection", "close");
  }

  void error(httplib::Response& res, int http_status, body_encoding e, rpc_code code,
             const std::string& message) const {
    res.status = http_status;
    if (http_status == 429 || http_status == 503)
      res.set_header("Retry-After", std::to_string(options.retry_after.count()));
    res.set_content(status_body(e, code, message), std::string(content_type_of(e)));
  }

  void handle_export(otlp::signal s, const httplib::Request& req, httplib::Response& res,
                     const httplib::ContentReader& content_reader);
  void handle_export_checked(otlp::signal s, const httplib::Request& req, httplib::Response& res,
                             const httplib::ContentReader& content_reader);
};

void otlp_http_receiver::impl::handle_export(otlp::signal s, const httplib::Request& req,
                                             httplib::Response& res,
                                             const httplib::ContentReader& content_reader) {
  try {
    handle_export_checked(s, req, res, content_reader);
  } catch (const std::exception& ex) {  // std::bad_alloc while decoding or answering
    metrics.count_request(s, "unavailable");
    res.headers.erase("Retry-After");
    res.status = 500;
    res.set_header("Connection", "close");
    res.set_content(std::string("internal error: ") + ex.what() + "\n",
                    "text/plain; charset=utf-8");
  }
}

void otlp_http_receiver::impl::handle_export_checked(otlp::signal s, const httplib::Request& req,
                                                     httplib::Response& res,
                                                     const httplib::ContentReader& content_reader) {
  std::string media;
  const std::optional<body_encoding> encoding = encoding_of(req, media);
  if (!authorized(req)) {
    metrics.count_request(s, "unauthorized");
    answer_unauthorized(res, encoding);
    drain(req, res, content_reader);
    return;
  }
  if (!encoding) {
    metrics.count_request(s, "unsupported");
    res.status = 415;
    res.set_content("unsupported Content-Type '" + media +
                        "': OTLP/HTTP takes application/x-protobuf or application/json\n",
                    "text/plain; charset=utf-8");
    drain(req, res, content_reader);
    return;
  }
  const body_encoding e = *encoding;

  // httplib inflates a gzip body itself, in pieces, before our receiver sees it (and passes
  // other encodings through untouched): only gzip and identity may pass this point.
  const std::string& raw_coding = req.get_header_value("Content-Encoding");
  const std::string_view coding = trim(raw_coding);
  if (!(coding.empty() || iequals(coding, "identity") || raw_coding == "gzip")) {
    metrics.count_request(s, "unsupported");
    error(res, 415, e, rpc_code::invalid_argument,
          "unsupported Content-Encoding '" + raw_coding + "': send gzip or identity");
    drain(req, res, content_reader);
    return;
  }

  const size_t limit = options.max_body_bytes;
  const uint64_t declared = req.get_header_value<uint64_t>("Content-Length");
  if (declared > limit) {
    metrics.count_request(s, "too_large");
    error(res, 413, e, rpc_code::resource_exhausted,
          "request body of " + std::to_string(declared) + " bytes is larger than the limit of " +
              std::to_string(limit) + " bytes (--max-body-bytes)");
    drain(req, res, content_reader);
    return;
  }

  // The body, inflated when gzip: past `limit` bytes it is no longer kept (413), and past
  // drain_limit() or body_timeout no longer read.
  const auto started_at = clock::now();
  const auto deadline = started_at + options.body_timeout;
  std::string body;
  size_t seen = 0;
  bool too_large = false, too_slow = false;
  const bool complete = content_reader([&](const char* data, size_t n) {
    seen += n;
    if (clock::now() > deadline) {
      too_slow = true;
      return false;
    }
    if (seen > limit) {
      too_large = true;
      body.clear();
      body.shrink_to_fit();
      return seen <= drain_limit();
    }
    body.append(data, n);
    return true;
  });
  if (!complete) res.set_header("Connection", "close");
  if (too_large) {
    metrics.count_request(s, "too_large");
    error(res, 413, e, rpc_code::resource_exhausted,
          std::string(coding == "gzip" ? "inflated request body" : "request body") +
              " is larger than the limit of " + std::to_string(limit) +
              " bytes (--max-body-bytes)");
    return;
  }
  if (too_slow) {
    metrics.count_request(s, "timeout");
    error(res, 408, e, rpc_code::deadline_exceeded,
          "the request body did not arrive within " + std::to_string(options.body_timeout.count()) +
              " ms");
    return;
  }
  if (!complete) {
    metrics.count_request(s, "bad_request");
    error(res, 400, e, rpc_code::invalid_argument,
          coding == "gzip" ? "the request body could not be read: not a valid gzip stream, or "
                             "the connection failed"
                           : "the request body could not be read: malformed chunked encoding, "
                             "or the connection failed");
    return;
  }

  const ingest_result r =
      ingest_export(s, e, body, writer, metrics,
                    ingest_options{options.commit_timeout, options.retry_after}, started_at);
  switch (r.outcome) {
    case ingest_outcome::accepted:
      res.status = 200;
      res.set_content(export_response_body(e, s, r.partial), std::string(content_type_of(e)));
      return;
    case ingest_outcome::bad_request:
      return error(res, 400, e, rpc_code::invalid_argument, r.message);
    case ingest_outcome::throttled:
      return error(res, 429, e, rpc_code::resource_exhausted, r.message);
    case ingest_outcome::unavailable:
      return error(res, 503, e, rpc_code::unavailable, r.message);
  }
}

otlp_http_receiver::otlp_http_receiver(receiver_options options, store::writer& writer)
    : impl_(std::make_unique<impl>(std::move(options), writer)) {
  if (impl_->options.worker_threads == 0) impl_->options.worker_threads = 1;
}

otlp_http_receiver::~otlp_http_receiver() {
  stop();
}

bool otlp_http_receiver::start(std::string& error) {
  impl& d = *impl_;
  if (d.started.exchange(true)) {
    error = "the receiver was already started";
    return false;
  }
  try {
    const unsigned workers = d.options.worker_threads;
    d.server.new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
    d.server.set_read_timeout(d.options.read_timeout);
    d.server.set_write_timeout(d.options.read_timeout);
    // An idle keep-alive connection holds a worker while it waits: keep the wait short.
    d.server.set_keep_alive_timeout(5);
    d.server.set_keep_alive_max_count(1000);
    // Bodies of paths without a content reader (404s) are read into memory by httplib:
    // the same limit as ours. Our handlers check Content-Length before reading.
    d.server.set_payload_max_length(d.options.max_body_bytes);
    // SO_REUSEADDR only: httplib's default also sets SO_REUSEPORT, which would let a second
    // `agtel serve` bind the same port and silently take half of the requests.
    d.server.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, reinterpret_cast<const char*>(&yes), sizeof yes);
    });

    const std::pair<const char*, otlp::signal> paths[] = {{"/v1/traces", otlp::signal::traces},
                                                          {"/v1/logs", otlp::signal::logs},
                                                          {"/v1/metrics", otlp::signal::metrics}};
    for (const auto& [path, s] : paths) {
      d.server.Post(path, [&d, s = s](const httplib::Request& req, httplib::Response& res,
                                      const httplib::ContentReader& reader) {
        d.handle_export(s, req, res, reader);
      });
    }
    d.server.Get("/healthz", [&d](const httplib::Request& req, httplib::Response& res) {
      if (!d.authorized(req)) return d.answer_unauthorized(res, std::nullopt);
      res.set_content("ok\n", "text/plain; charset=utf-8");
    });
    d.server.Get("/metrics", [&d](const httplib::Request& req, httplib::Response& res) {
      if (!d.authorized(req)) return d.answer_unauthorized(res, std::nullopt);
      std::string out;
      if (!d.metrics.render(out)) {
        res.status = 503;
        res.set_content("metrics unavailable\n", "text/plain; charset=utf-8");
        return;
      }
      res.set_content(std::move(out), "text/plain; version=0.0.4; charset=utf-8");
    });

    int port = 0;
    if (d.options.port == 0) {
      port = d.server.bind_to_any_port(d.options.host);
      if (port <= 0) port = 0;
    } else if (d.server.bind_to_port(d.options.host, d.options.port)) {
      port = d.options.port;
    }
    if (port == 0) {
      error = "cannot listen on " + d.options.host + ":" + std::to_string(d.options.port) +
              ": the address is in use or not available here";
      return false;
    }
    d.port.store(static_cast<uint16_t>(port));
    d.thread = std::thread([&d] {
      d.server.listen_after_bind();
      d.listen_done.store(true);
    });
    // stop() is only safe once the accept loop runs (httplib ignores stop() before that).
    const auto give_up = clock::now() + std::chrono::seconds(5);
    while (!d.server.is_running() && !d.listen_done.load() && clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return true;
  } catch (const std::exception& ex) {
    error = std::string("cannot start the OTLP/HTTP receiver: ") + ex.what();
    return false;
  }
}

server_metrics& otlp_http_receiver::metrics() noexcept {
  return impl_->metrics;
}

uint16_t otlp_http_receiver::port() const noexcept {
  return impl_->port.load();
}

void otlp_http_receiver::stop() noexcept {
  impl& d = *impl_;
  if (!d.thread.joinable()) return;
  while (!d.server.is_running() && !d.listen_done.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // Closes the listening socket; listen_after_bind then joins the pool, whose workers
  // finish the requests in flight (each waits for its COMMIT) and close idle connections.
  d.server.stop();
  d.thread.join();
  d.port.store(0);
}

}  // namespace agtel::server
