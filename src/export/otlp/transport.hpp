// One OTLP request on the wire: the part of an OTLP exporter that differs between
// HTTP (libcurl) and gRPC. The exporter (otlp_exporter.cpp) encodes the batch, asks the
// transport to send it, and decides about retries from the outcome (retry_policy.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "agtel/common/time.hpp"
#include "agtel/export/otlp_exporter.hpp"
#include "otlp/codec.hpp"

namespace agtel::exporter::otlp_detail {

struct send_outcome {
  enum class kind : uint8_t {
    success,    // 2xx / gRPC OK; `response` holds the body (may carry a partial success)
    retryable,  // 429/502/503/504, connection refused or reset, gRPC UNAVAILABLE, ...
    permanent,  // any other answer (400, 413, ...): do not retry this batch
    timeout,    // the deadline passed before an answer
  };
  kind result = kind::permanent;
  int status = 0;  // HTTP status, or the gRPC status code; 0 when no answer arrived
  // The server's requested delay (Retry-After / RetryInfo); negative when it sent none.
  std::chrono::milliseconds retry_after{-1};
  std::string response;     // the response body (protobuf or JSON, as the protocol says)
  std::string error;        // what went wrong, for diagnostics ("HTTP 400: <body excerpt>")
  uint64_t bytes_sent = 0;  // request bytes that went out (after compression); for the stats
};

class transport {
 public:
  virtual ~transport() = default;
  // One attempt, returning by `deadline`. Called from one thread at a time. `body` is the
  // encoded Export*ServiceRequest (uncompressed: the transport compresses when asked).
  virtual send_outcome send(std::string_view body, steady_time deadline) noexcept = 0;
};

// `options.endpoint` is never empty here: the exporter has filled in the protocol's and
// signal's default. nullptr (with a diagnostic) when the options cannot work (a malformed
// endpoint URL, an unreadable certificate file); the exporter then fails every export.
std::unique_ptr<transport> make_http_transport(const otlp_exporter_options& options,
                                               otlp::signal signal);
std::unique_ptr<transport> make_grpc_transport(const otlp_exporter_options& options,
                                               otlp::signal signal);

}  // namespace agtel::exporter::otlp_detail
