// libFuzzer target for `baggage` header parsing and formatting.
//
// Invariants checked: parsed baggage has at most 64 entries with token keys; formatting it
// yields at most 8192 bytes, never more than the input, and parses back to the same
// baggage; formatting is a fixed point; the input used as a raw value survives
// format -> parse unchanged (any bytes round-trip through percent-encoding) unless it is
// not valid UTF-8 or does not fit.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "agtel/propagation/w3c_baggage.hpp"
#include "fuzz_check.hpp"

using agtel::baggage;
using namespace agtel::propagation;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  baggage bag = parse_baggage(input);
  FUZZ_CHECK(bag.size() <= baggage::max_entries);
  for (const auto& e : bag.entries()) FUZZ_CHECK(baggage::is_valid_key(e.key));

  std::string text;
  FUZZ_CHECK(format_baggage(bag, text) == bag.size());
  FUZZ_CHECK(text.size() <= baggage::max_header_bytes);
  FUZZ_CHECK(text.size() <= input.size());
  baggage back = parse_baggage(text);
  FUZZ_CHECK(back == bag);
  std::string again;
  format_baggage(back, again);
  FUZZ_CHECK(again == text);

  // The input as a value (and as metadata): percent-encoding must carry it unchanged.
  if (size <= 2000) {
    baggage raw = baggage().set("k", input);
    std::string encoded;
    format_baggage(raw, encoded);
    baggage decoded = parse_baggage(encoded);
    if (!decoded.empty()) FUZZ_CHECK(decoded.get("k") == input);
    baggage meta = baggage().set("k", "v", input);
    std::string with_meta;
    format_baggage(meta, with_meta);
    baggage meta_back = parse_baggage(with_meta);
    FUZZ_CHECK(meta_back.get("k") == "v");
  }
  return 0;
}
