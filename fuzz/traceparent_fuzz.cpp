// libFuzzer target for `traceparent` parsing and the tracecontext propagator.
//
// The input is split at the first '\n': the part before is the traceparent value, the part
// after the tracestate value. Invariants checked:
//  - the parser accepts exactly what a slow reference implementation of the rules accepts;
//  - a parsed traceparent is valid and remote, and formats to 55 characters that parse
//    back to the same ids and flags; for version 00 the formatted text is the input itself
//    (trimmed), for later versions it matches the input's first 55 characters after the
//    version;
//  - extract through a header carrier, inject the result, extract again: same context.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agtel/propagation/carriers.hpp"
#include "agtel/propagation/w3c_trace_context.hpp"
#include "fuzz_check.hpp"

using namespace agtel;
using namespace agtel::propagation;

namespace {

// The spec's rules written the slow, obvious way: the optimized parser must agree with it
// on every input (accept/reject and the fields).
bool is_lower_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool reference_accepts(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  if (v.size() < 55 || !is_lower_hex(v.substr(0, 2)) || v.substr(0, 2) == "ff") return false;
  if (v.substr(0, 2) == "00" ? v.size() != 55 : (v.size() > 55 && v[55] != '-')) return false;
  if (v[2] != '-' || v[35] != '-' || v[52] != '-') return false;
  std::string_view tid = v.substr(3, 32), sid = v.substr(36, 16), flags = v.substr(53, 2);
  if (!is_lower_hex(tid) || !is_lower_hex(sid) || !is_lower_hex(flags)) return false;
  return tid != std::string(32, '0') && sid != std::string(16, '0');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nl = input.find('\n');
  std::string_view tp = input.substr(0, nl);
  std::string_view ts = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);

  auto parsed = parse_traceparent(tp);
  FUZZ_CHECK(parsed.has_value() == reference_accepts(tp));
  if (parsed) {
    FUZZ_CHECK(parsed->is_valid());
    FUZZ_CHECK(parsed->is_remote());
    FUZZ_CHECK(parsed->state().empty());
    char buf[traceparent_size];
    FUZZ_CHECK(format_traceparent(*parsed, buf) == traceparent_size);
    std::string_view text(buf, sizeof buf);
    size_t b = tp.find_first_not_of(" \t");
    std::string_view trimmed = tp.substr(b, tp.find_last_not_of(" \t") + 1 - b);
    if (trimmed.substr(0, 2) == "00")
      FUZZ_CHECK(trimmed == text);
    else
      FUZZ_CHECK(trimmed.substr(2, traceparent_size - 2) == text.substr(2));
    auto again = parse_traceparent(text);
    FUZZ_CHECK(again && *again == *parsed);
  }

  using headers = std::vector<std::pair<std::string, std::string>>;
  headers in = {{"TraceParent", std::string(tp)}, {"tracestate", std::string(ts)}};
  w3c_trace_context_propagator p;
  context ctx = p.extract(header_reader(in), context());
  FUZZ_CHECK(ctx.span().is_valid() == parsed.has_value());
  if (!parsed) return 0;
  FUZZ_CHECK(ctx.span().trace_id() == parsed->trace_id());
  FUZZ_CHECK(ctx.span().state() == trace::trace_state::parse(ts));

  headers out;
  header_writer writer(out);
  p.inject(ctx, writer);
  FUZZ_CHECK(out.size() == (ctx.span().state().empty() ? 1u : 2u));
  context back = p.extract(header_reader(out), context());
  FUZZ_CHECK(back == ctx);
  return 0;
}
