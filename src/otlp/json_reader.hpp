// Reading OTLP/JSON: a parsed document (simdjson's DOM) walked with the proto3 JSON
// mapping's conversions and a field path for error messages.
//
// Why simdjson: it parses the whole document first (validating UTF-8 and bounding the
// nesting depth), and then the decoder walks a compact tape. Measured in
// bench/otlp_json_bench.cpp on the 10,000-span request (5.5 MB): simdjson's DOM parse
// takes 2-4 ms of CPU, nlohmann::json's 110-160 ms (it builds a tree of maps and strings),
// about 50 times more; most of a decode (15 ms in all) is then filling the span objects.
//
// The conversions accept what the proto3 JSON mapping says a parser accepts: 64-bit and
// 32-bit integers as numbers or decimal strings, doubles as numbers or strings (including
// "NaN", "Infinity", "-Infinity"), null as the field's default. Unknown keys are ignored
// (the OTLP rule), and with them the proto field names in snake_case, which OTLP/JSON
// does not allow as keys.
//
// Errors throw json_error (internal to the codec; the public decode functions catch it and
// return its message), whose message starts with the path of the offending field, e.g.
// "resourceSpans[0].scopeSpans[1].spans[3].traceId: expected 32 hex digits".
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "agtel/trace/ids.hpp"

namespace agtel::otlp::json {

using simdjson::dom::element;

struct json_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Deepest nesting a document may have. OTLP's own structure needs about 15 levels
// (request → resourceSpans → scopeSpans → spans → events → attributes → arrayValue …);
// the rest is headroom for structured log bodies. Deeper input is rejected by the parser
// before the decoder sees it, which bounds the decoder's recursion.
inline constexpr size_t max_depth = 128;

// A document parsed with this thread's parser, whose buffers are reused across calls (and
// given back after an unusually large document). The elements are valid while the
// document lives; one document per thread at a time.
class document {
 public:
  // Throws json_error with the parser's reason (for invalid UTF-8, with the byte offset).
  explicit document(std::string_view text);
  ~document();
  document(const document&) = delete;
  document& operator=(const document&) = delete;

  element root() const noexcept { return root_; }

 private:
  element root_;
  size_t size_;
};

// The path of the field being read, kept as a stack of keys and indexes and rendered only
// when an error is reported.
class reader {
 public:
  [[noreturn]] void fail(std::string_view what) const;

  // Calls f(key, value) for each member of an object; null is an empty object; a
  // non-object fails. Members whose value is null are skipped (they mean "default").
  template <class F>
  void fields(element e, F&& f) {
    if (e.is_null()) return;
    simdjson::dom::object obj;
    if (e.get_object().get(obj)) fail("expected an object");
    for (auto [key, value] : obj) {
      if (value.is_null()) continue;
      path_.push_back({key, npos});
      f(key, value);
      path_.pop_back();
    }
  }
  // Calls f(value) for each element of an array; null is an empty array.
  template <class F>
  void items(element e, F&& f) {
    if (e.is_null()) return;
    simdjson::dom::array arr;
    if (e.get_array().get(arr)) fail("expected an array");
    size_t i = 0;
    path_.push_back({{}, 0});
    for (element item : arr) {
      path_.back().index = i++;
      f(item);
    }
    path_.pop_back();
  }

  std::string_view string(element e);
  bool boolean(element e);
  uint64_t u64(element e);
  int64_t i64(element e);
  uint32_t u32(element e);
  int32_t i32(element e);
  double f64(element e);
  // Hex of exactly 2*N digits (either case, the spec says case-insensitive). With
  // `optional`, "" reads as the invalid (all-zero) id.
  template <size_t N>
  trace::basic_id<N> id(element e, bool optional) {
    std::string_view s = string(e);
    if (optional && s.empty()) return {};
    auto parsed = trace::basic_id<N>::from_hex(s);
    if (!parsed) fail(N == 16 ? "expected 32 hex digits" : "expected 16 hex digits");
    return *parsed;
  }

 private:
  static constexpr size_t npos = SIZE_MAX;
  struct frame {
    std::string_view key;  // empty for an array element
    size_t index;          // npos for an object member
  };
  std::vector<frame> path_;
};

}  // namespace agtel::otlp::json
