// libFuzzer target for `tracestate` parsing, serialization and mutation.
//
// Invariants checked: a parsed state has at most 32 entries with valid, distinct keys and
// valid values; serialize -> parse gives the same state and is never longer than the
// input; set/remove keep the state valid and follow the W3C mutation rules; the key and
// value validators agree with set().
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "agtel/trace/trace_state.hpp"
#include "fuzz_check.hpp"

using agtel::trace::trace_state;

namespace {

void check_valid(const trace_state& ts) {
  FUZZ_CHECK(ts.size() <= trace_state::max_entries);
  const auto& e = ts.entries();
  for (size_t i = 0; i < e.size(); ++i) {
    FUZZ_CHECK(trace_state::is_valid_key(e[i].first));
    FUZZ_CHECK(trace_state::is_valid_value(e[i].second));
    for (size_t j = 0; j < i; ++j) FUZZ_CHECK(e[i].first != e[j].first);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  trace_state ts = trace_state::parse(input);
  check_valid(ts);
  std::string text = ts.serialize();
  FUZZ_CHECK(text.size() <= input.size());
  FUZZ_CHECK(trace_state::parse(text) == ts);
  FUZZ_CHECK(ts.empty() == text.empty());

  // Use the input as a key and as a value.
  trace_state with_key = ts.set(input, "v");
  check_valid(with_key);
  if (trace_state::is_valid_key(input)) {
    FUZZ_CHECK(with_key.entries().front().first == input);
    FUZZ_CHECK(with_key.get(input) == "v");
    FUZZ_CHECK(!with_key.remove(input).get(input));
  } else {
    FUZZ_CHECK(with_key == ts);
  }
  trace_state with_value = ts.set("fuzz@agtel", input);
  check_valid(with_value);
  FUZZ_CHECK(with_value.get("fuzz@agtel").has_value() == trace_state::is_valid_value(input) ||
             ts.get("fuzz@agtel").has_value());
  if (!ts.empty()) {
    const std::string& first = ts.entries().front().first;
    FUZZ_CHECK(ts.remove(first).size() == ts.size() - 1);
  }
  return 0;
}
