// libFuzzer target for the OTLP/JSON decoders (traces, metrics, logs, responses).
//
// Every input goes to all decoders. Invariants checked:
//  - a failed decode returns a message and leaves the batch empty;
//  - a successful decode re-encodes to JSON that decodes again, and that second encoding
//    is identical to the first (encode ∘ decode is idempotent: nothing the decoder accepts
//    is lost or changed by a second trip).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "otlp/codec.hpp"

#define FUZZ_CHECK(cond)                                                            \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

using namespace agtel;
using namespace agtel::otlp;

namespace {

void check_traces(std::string_view input) {
  trace_batch batch;
  std::string err = decode_traces_json(input, batch);
  if (!err.empty()) {
    FUZZ_CHECK(batch.spans.empty() && batch.resources.empty() && batch.scopes.empty());
    return;
  }
  std::string first, second;
  encode_traces_json(batch.spans, first);
  trace_batch again;
  FUZZ_CHECK(decode_traces_json(first, again).empty());
  FUZZ_CHECK(again.spans.size() == batch.spans.size());
  encode_traces_json(again.spans, second);
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

void check_logs(std::string_view input) {
  log_batch batch;
  std::string err = decode_logs_json(input, batch);
  if (!err.empty()) {
    FUZZ_CHECK(batch.records.empty() && batch.resources.empty() && batch.scopes.empty());
    return;
  }
  std::string first, second;
  encode_logs_json(batch.records, first);
  log_batch again;
  FUZZ_CHECK(decode_logs_json(first, again).empty());
  FUZZ_CHECK(again.records.size() == batch.records.size());
  encode_logs_json(again.records, second);
  FUZZ_CHECK(first == second);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_traces(input);
  check_metrics(input);
  check_logs(input);
  partial_success p;
  if (!decode_response_json(input, p)) FUZZ_CHECK(p.rejected == 0 && p.error_message.empty());
  return 0;
}
