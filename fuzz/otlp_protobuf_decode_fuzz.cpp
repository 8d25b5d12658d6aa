// libFuzzer target for the OTLP/protobuf decoders (what agtel serve reads from the network).
//
// The input is read as an ExportTraceServiceRequest, an ExportMetricsServiceRequest, an
// ExportLogsServiceRequest and an Export*ServiceResponse. Invariants checked:
//  - a rejected request leaves the batch empty and says why;
//  - an accepted one re-encodes to a request that decodes again, and encoding that second
//    decoding gives the same bytes: decode and encode agree on everything they keep
//    (what the first decoding normalizes, such as unknown enum values or duplicate keys,
//    stays normalized);
//  - a rejected response reads as "no partial success".
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "otlp/codec.hpp"

using namespace agtel;
using namespace agtel::otlp;

namespace {

std::string encode(const trace_batch& b) {
  std::string out;
  encode_traces_protobuf(b.spans, out);
  return out;
}
std::string encode(const log_batch& b) {
  std::string out;
  encode_logs_protobuf(b.records, out);
  return out;
}
// One ResourceMetrics per decoded one; serialized requests concatenate into one request.
std::string encode(const metric_batch& b) {
  std::string all, one;
  for (const auto& rm : b.resource_metrics) {
    encode_metrics_protobuf(rm, one);
    all += one;
  }
  return all;
}

bool empty(const trace_batch& b) { return b.spans.empty() && b.resources.empty() && b.scopes.empty(); }
bool empty(const metric_batch& b) { return b.resource_metrics.empty() && b.resources.empty() && b.scopes.empty(); }
bool empty(const log_batch& b) { return b.records.empty() && b.resources.empty() && b.scopes.empty(); }

template <class Batch>
void check(std::string_view input, std::string (*decode)(std::string_view, Batch&)) {
  Batch first;
  std::string error = decode(input, first);
  if (!error.empty()) {
    FUZZ_CHECK(empty(first));
    return;
  }
  std::string once = encode(first);
  Batch second;
  FUZZ_CHECK(decode(once, second).empty());
  FUZZ_CHECK(encode(second) == once);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check<trace_batch>(input, decode_traces_protobuf);
  check<metric_batch>(input, decode_metrics_protobuf);
  check<log_batch>(input, decode_logs_protobuf);
  partial_success p;
  if (!decode_response_protobuf(input, p)) FUZZ_CHECK(p.rejected == 0 && p.error_message.empty());
  return 0;
}
