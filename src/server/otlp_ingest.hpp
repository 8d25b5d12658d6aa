// What the OTLP/HTTP and OTLP/gRPC receivers share: one decoded export request handed to
// the store's writer, waiting for its COMMIT, and counted in server_metrics. Each receiver
// maps the outcome to its transport's answer (HTTP status or gRPC status code).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "otlp/codec.hpp"
#include "server/otlp_responses.hpp"
#include "server/server_metrics.hpp"
#include "store/store.hpp"

namespace agtel::server {

enum class ingest_outcome : uint8_t {
  accepted,     // durable; `partial` says what was not stored (metric summaries)
  bad_request,  // undecodable: HTTP 400, gRPC INVALID_ARGUMENT
  throttled,    // the write queue is full: HTTP 429, gRPC RESOURCE_EXHAUSTED
  unavailable,  // closing, failing store or no COMMIT in time: HTTP 503, gRPC UNAVAILABLE
};

struct ingest_result {
  ingest_outcome outcome = ingest_outcome::accepted;
  std::string message;  // for everything but accepted: what to tell the client
  otlp::partial_success partial;
};

struct ingest_options {
  std::chrono::milliseconds commit_timeout{30000};
  std::chrono::seconds retry_after{1};  // only quoted in the throttled message
};

// Decodes `body` (an Export*ServiceRequest in encoding `e`), submits it and waits for the
// COMMIT (at most commit_timeout). Counts the request's outcome, its items and (accepted)
// its duration since `started_at` in `metrics`. May throw std::bad_alloc.
ingest_result ingest_export(otlp::signal s, body_encoding e, std::string_view body,
                            store::writer& writer, server_metrics& metrics,
                            const ingest_options& options,
                            std::chrono::steady_clock::time_point started_at);

// `value` of an Authorization header (metadata) is "Bearer <token>" (the scheme in any
// case). Compares in time independent of how much of a guess was right.
bool bearer_authorized(std::string_view value, std::string_view token) noexcept;

}  // namespace agtel::server
