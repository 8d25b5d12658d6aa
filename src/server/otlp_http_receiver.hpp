// The OTLP/HTTP receiver of `agtel serve` (cpp-httplib, kept out of this header).
//
//   POST /v1/traces, /v1/logs, /v1/metrics
//     Content-Type application/x-protobuf or application/json (else 415, text/plain);
//     Content-Encoding gzip or identity (else 415). The body, and for gzip the inflated
//     body too, may be at most max_body_bytes (else 413: a gzip bomb is stopped as soon as
//     its output passes the limit, never inflated whole).
//     Undecodable → 400 with a google.rpc.Status carrying the decoder's message; a body
//     that does not arrive within body_timeout → 408.
//     Every signal is handed to the store's writer; the answer waits for the COMMIT:
//     200 (an empty Export*ServiceResponse) only once the batch is durable. A full write
//     queue → 429, a closing or failing store or no commit within commit_timeout → 503,
//     both with Retry-After. Metric summary points are not stored: the 200 then carries a
//     partial_success counting them, with a message saying why.
//     Every 4xx/5xx body is a Status in the request's encoding (OTLP/HTTP spec).
//   GET /healthz → "ok";  GET /metrics → server_metrics.hpp, Prometheus text.
//   With a bearer token set, every path needs `Authorization: Bearer <token>` (401 else).
//
// Connections are served by a pool of worker_threads, one connection per worker at a time
// (httplib's model). Each read waits at most read_timeout, and a request body must arrive
// within body_timeout as a whole, so a slow client holds one worker for a bounded time;
// many slow clients at once can still occupy every worker until their timeouts pass.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "store/store.hpp"

namespace agtel::server {

class server_metrics;

struct receiver_options {
  std::string host = "127.0.0.1";
  uint16_t port = 4318;               // 0: any free port (see port())
  size_t max_body_bytes = 16u << 20;  // as received and after inflating
  std::string bearer_token;           // empty: no authentication
  unsigned worker_threads = 16;       // requests wait for COMMIT: several in flight batch up
  std::chrono::milliseconds read_timeout{10000};    // one read on a connection
  std::chrono::milliseconds body_timeout{30000};    // the whole request body
  std::chrono::milliseconds commit_timeout{30000};  // submit to done(); then 503
  std::chrono::seconds retry_after{1};              // on 429 and 503
};

class otlp_http_receiver {
 public:
  // `writer` must outlive the receiver.
  otlp_http_receiver(receiver_options options, store::writer& writer);
  ~otlp_http_receiver();  // stops
  otlp_http_receiver(const otlp_http_receiver&) = delete;
  otlp_http_receiver& operator=(const otlp_http_receiver&) = delete;

  // Binds and serves on threads of its own. False, with `error` saying why (the address is
  // in use or not available), when binding fails or the receiver already ran.
  bool start(std::string& error);
  // The bound port (the chosen one when options.port was 0); 0 before start.
  uint16_t port() const noexcept;
  // The counters served on /metrics; the gRPC receiver records into them too.
  server_metrics& metrics() noexcept;
  // Stops accepting connections, lets the requests in flight finish (they wait for their
  // COMMIT, at most commit_timeout) and joins the workers.
  void stop() noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace agtel::server
