// libFuzzer target for the OTLP/JSON decoders (traces, metrics, logs, responses).
//
// Every input goes to all decoders. Invariants checked:
//  - a failed decode returns a message and leaves the batch empty;
//  - a successful decode re-encodes to JSON that decodes again, and that second encoding
//    is identical to the first (encode ∘ decode is idempotent: nothing the decoder accepts
//    is lost or changed by a second trip).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "otlp/codec.hpp"

using namespace agtel;
using namespace agtel::otlp;

namespace {

const std::vector<trace::span_ptr>& items(const trace_batch& b) {
  return b.spans;
}
const std::vector<logs::log_record_ptr>& items(const log_batch& b) {
  return b.records;
}
void encode_json(std::span<const trace::span_ptr> spans, std::string& out) {
  encode_traces_json(spans, out);
}
void encode_json(std::span<const logs::log_record_ptr> records, std::string& out) {
  encode_logs_json(records, out);
}

// Spans or log records.
template <class Batch>
void check_items(std::string_view input, std::string (*decode)(std::string_view, Batch&)) {
  Batch batch;
  std::string err = decode(input, batch);
  if (!err.empty()) {
    FUZZ_CHECK(items(batch).empty() && batch.resources.empty() && batch.scopes.empty());
    return;
  }
  std::string first, second;
  encode_json(items(batch), first);
  Batch again;
  FUZZ_CHECK(decode(first, again).empty());
  FUZZ_CHECK(items(again).size() == items(batch).size());
  encode_json(items(again), second);
  FUZZ_CHECK(first == second);
}

void check_metrics(std::string_view input) {
  metric_batch batch;
  std::string err = decode_metrics_json(input, batch);
  if (!err.empty()) {
    FUZZ_CHECK(batch.resource_metrics.empty() && batch.resources.empty() && batch.scopes.empty());
    return;
  }
  for (const metrics::resource_metrics& rm : batch.resource_metrics) {
    std::string first, second;
    encode_metrics_json(rm, first);
    metric_batch again;
    FUZZ_CHECK(decode_metrics_json(first, again).empty());
    if (rm.scopes.empty()) {
      FUZZ_CHECK(again.resource_metrics.empty());
      continue;
    }
    FUZZ_CHECK(again.resource_metrics.size() == 1);
    encode_metrics_json(again.resource_metrics[0], second);
    FUZZ_CHECK(first == second);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_items<trace_batch>(input, decode_traces_json);
  check_metrics(input);
  check_items<log_batch>(input, decode_logs_json);
  partial_success p;
  if (!decode_response_json(input, p)) FUZZ_CHECK(p.rejected == 0 && p.error_message.empty());
  return 0;
}
