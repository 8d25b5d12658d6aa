// The bodies of the receiver's answers, in the encoding of the request (OTLP/HTTP spec,
// "OTLP/HTTP Response"): an Export*ServiceResponse on success, a google.rpc.Status on
// every 4xx and 5xx. Protobuf bodies are written with the codec's wire writer, JSON ones
// with its JSON writer (the proto3 JSON mapping: lowerCamelCase names, int64 as a string).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "otlp/codec.hpp"

namespace agtel::server {

enum class body_encoding : uint8_t { protobuf, json };

// "application/x-protobuf" or "application/json".
std::string_view content_type_of(body_encoding e) noexcept;

// google.rpc.Code values the receiver puts in Status.code (the gRPC code that matches the
// HTTP status, as the OpenTelemetry Collector does).
enum class rpc_code : int32_t {
  invalid_argument = 3,
  deadline_exceeded = 4,
  resource_exhausted = 8,
  internal = 13,
  unavailable = 14,
  unauthenticated = 16,
};

// google.rpc.Status{code, message} (no details).
std::string status_body(body_encoding e, rpc_code code, std::string_view message);

// A protobuf google.rpc.Status{code, message, details: [google.rpc.RetryInfo{retry_delay}]}:
// what gRPC carries as a status's binary details. The OTLP/gRPC spec has clients retry
// RESOURCE_EXHAUSTED only when the server sends RetryInfo (the load will pass).
std::string status_with_retry_info(int32_t code, std::string_view message,
                                   std::chrono::seconds retry_delay);

// Export{Trace,Metrics,Logs}ServiceResponse. Full success (nothing rejected, no message)
// is the empty message: zero bytes in protobuf, "{}" in JSON. Otherwise partial_success
// carries `rejected` in the signal's field (rejected_spans, rejected_data_points,
// rejected_log_records) and the message.
std::string export_response_body(body_encoding e, otlp::signal s, const otlp::partial_success& p);

}  // namespace agtel::server
