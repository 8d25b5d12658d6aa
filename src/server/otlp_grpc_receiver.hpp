// The OTLP/gRPC receiver of `agtel serve` (grpc++, kept out of this header).
//
//   opentelemetry.proto.collector.{trace,metrics,logs}.v1.{Trace,Metrics,Logs}Service/Export
//     Unary calls served by a generic service over raw bytes (no generated service code):
//     the request is decoded with the codec's protobuf decoders and handed to the store's
//     writer like an OTLP/HTTP one (otlp_ingest.hpp); the answer waits for the COMMIT.
//     OK with the Export*ServiceResponse (partial_success for metric summaries) once the
//     batch is durable; undecodable → INVALID_ARGUMENT with the decoder's message; full
//     write queue → RESOURCE_EXHAUSTED; closing or failing store, or no COMMIT within
//     commit_timeout → UNAVAILABLE (both retryable per the OTLP/gRPC spec); any other
//     method → UNIMPLEMENTED; with a bearer token set, no or a wrong `authorization:
//     Bearer <token>` metadata → UNAUTHENTICATED. Messages past max_message_bytes (also
//     after gzip decompression, which gRPC does) are refused by gRPC (RESOURCE_EXHAUSTED).
//
// worker_threads threads poll one completion queue; a call being stored holds its thread
// until the COMMIT (as an HTTP worker does), so up to worker_threads calls are in flight
// and batch up in the writer.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "store/store.hpp"

namespace agtel::server {

class server_metrics;

struct grpc_receiver_options {
  std::string host = "127.0.0.1";
  uint16_t port = 4317;                   // 0: any free port (see port())
  size_t max_message_bytes = 16u << 20;   // received, after decompression
  std::string bearer_token;               // empty: no authentication
  unsigned worker_threads = 16;
  std::chrono::milliseconds commit_timeout{30000};  // submit to done(); then UNAVAILABLE
  std::chrono::seconds retry_after{1};              // quoted in RESOURCE_EXHAUSTED
};

class otlp_grpc_receiver {
 public:
  // `writer` (and `metrics`, when given: the HTTP receiver's, so /metrics counts both)
  // must outlive the receiver. Without `metrics` the receiver keeps counters of its own.
  otlp_grpc_receiver(grpc_receiver_options options, store::writer& writer,
                     server_metrics* metrics = nullptr);
  ~otlp_grpc_receiver();  // stops
  otlp_grpc_receiver(const otlp_grpc_receiver&) = delete;
  otlp_grpc_receiver& operator=(const otlp_grpc_receiver&) = delete;

  // Binds and serves on threads of its own. False, with `error` saying why, when binding
  // fails or the receiver already ran.
  bool start(std::string& error);
  // The bound port (the chosen one when options.port was 0); 0 before start.
  uint16_t port() const noexcept;
  // Stops accepting calls, lets the calls in flight finish (each waits for its COMMIT, at
  // most commit_timeout) and joins the threads.
  void stop() noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace agtel::server
