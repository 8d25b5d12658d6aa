// What an OTLP/gRPC exporter does with a gRPC status: the OTLP specification's table of
// retryable codes, and the server's requested delay carried in the status details.
//
// Pure functions over plain values (no gRPC types), so that every code and every shape of
// hostile status details is tested without a server.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "export/otlp/transport.hpp"

namespace agtel::exporter::otlp_detail {

// The delay of the first google.rpc.RetryInfo found in `status_details`: the bytes of the
// `grpc-status-details-bin` trailer, a serialized google.rpc.Status
// (code = 1, message = 2, repeated google.protobuf.Any details = 3; RetryInfo's
// retry_delay = 1 is a google.protobuf.Duration with seconds = 1, nanos = 2).
//
// nullopt when there is no RetryInfo or the bytes are not a well-formed Status (truncated,
// wrong wire types, nesting that does not parse): a malformed trailer counts as no trailer.
// A RetryInfo without a delay, or with a negative one, means "retry, no particular delay"
// (0 ms); a delay is capped at one hour so that a hostile server cannot park the exporter
// (the exporter's own timeout bounds the wait anyway).
std::optional<std::chrono::milliseconds> retry_delay_from_status_details(
    std::string_view status_details) noexcept;

// The outcome for a call that ended with gRPC status `code` (0..16), per the OTLP spec
// (protocol/otlp.md, "OTLP/gRPC Response: Failures"):
//  - OK: success (the caller fills `response`);
//  - CANCELLED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS: retryable;
//  - DEADLINE_EXCEEDED: timeout when our own deadline has passed (`deadline_passed`),
//    otherwise retryable (a server that gave up on its own deadline);
//  - RESOURCE_EXHAUSTED: retryable only when the server sent RetryInfo, otherwise
//    permanent (the spec: "only if the server can recover");
//  - everything else (UNKNOWN, INVALID_ARGUMENT, UNAUTHENTICATED, INTERNAL, ... and codes
//    outside 0..16): permanent.
// `retry_after` is the RetryInfo delay whenever the details carry one. `error` reads
// "gRPC UNAVAILABLE: <message>".
send_outcome outcome_from_grpc_status(int code, std::string_view message,
                                      std::string_view status_details, bool deadline_passed);

// The code's name as the gRPC documentation spells it ("UNAVAILABLE"); "UNKNOWN_CODE"
// outside 0..16.
std::string_view grpc_code_name(int code) noexcept;

}  // namespace agtel::exporter::otlp_detail
