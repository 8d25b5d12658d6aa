// OTLP codecs: the SDK's data types to and from the two OTLP encodings, protobuf
// (opentelemetry/proto/collector/*/v1/*_service.proto, written for this project under
// proto/) and OTLP/JSON (the spec's JSON mapping: lowerCamelCase field names, hex trace
// and span ids, enums as integers, 64-bit integers as strings).
//
// Encoding is hand-written against the wire format: the exporters' hot loop builds no
// protobuf message objects. Decoding (the receiver's side, and the tests') parses with the
// protobuf-generated classes, which are hardened against hostile input, and with our own
// JSON reader; both convert to the same SDK types, so a decoded span is the same type as
// one the SDK made.
//
// Every encode function overwrites `out` (keeping its capacity) with one complete
// Export*ServiceRequest. Items are grouped by their resource and scope pointers.
// Every decode function fills `out` and returns "" on success, or a message that says
// what was wrong and where (a field path), in which case `out` holds nothing partial.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agtel/common/resource.hpp"
#include "agtel/logs/log_record_data.hpp"
#include "agtel/metrics/metric_data.hpp"
#include "agtel/trace/span_data.hpp"

namespace agtel::otlp {

enum class signal : uint8_t { traces, metrics, logs };

// ---- encoding -------------------------------------------------------------------------

void encode_traces_protobuf(std::span<const trace::span_ptr> spans, std::string& out);
void encode_metrics_protobuf(const metrics::resource_metrics& batch, std::string& out);
void encode_logs_protobuf(std::span<const logs::log_record_ptr> records, std::string& out);

void encode_traces_json(std::span<const trace::span_ptr> spans, std::string& out);
void encode_metrics_json(const metrics::resource_metrics& batch, std::string& out);
void encode_logs_json(std::span<const logs::log_record_ptr> records, std::string& out);

// ---- decoding -------------------------------------------------------------------------

// A decoded request owns the resources and scopes its items point at: keep the batch alive
// as long as its items are used (std::deque keeps the addresses stable).
struct trace_batch {
  std::deque<agtel::resource> resources;
  std::deque<instrumentation_scope> scopes;
  std::vector<trace::span_ptr> spans;
};
struct metric_batch {
  std::deque<agtel::resource> resources;
  std::deque<instrumentation_scope> scopes;
  std::vector<metrics::resource_metrics> resource_metrics;  // one per ResourceMetrics
};
struct log_batch {
  std::deque<agtel::resource> resources;
  std::deque<instrumentation_scope> scopes;
  std::vector<logs::log_record_ptr> records;
};

std::string decode_traces_protobuf(std::string_view bytes, trace_batch& out);
std::string decode_metrics_protobuf(std::string_view bytes, metric_batch& out);
std::string decode_logs_protobuf(std::string_view bytes, log_batch& out);

std::string decode_traces_json(std::string_view json, trace_batch& out);
std::string decode_metrics_json(std::string_view json, metric_batch& out);
std::string decode_logs_json(std::string_view json, log_batch& out);

// ---- export responses -----------------------------------------------------------------

// Export*ServiceResponse.partial_success: the count of rejected items (spans, data points
// or log records) and the server's message. Both empty means full success.
struct partial_success {
  int64_t rejected = 0;
  std::string error_message;
};
// false when `body` is not a valid response (the caller treats the export as delivered:
// the server answered 2xx). An empty body is a valid, fully successful response.
bool decode_response_protobuf(std::string_view body, partial_success& out);
bool decode_response_json(std::string_view body, partial_success& out);

}  // namespace agtel::otlp
