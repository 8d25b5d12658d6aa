// A small JSON writer that appends compact JSON (no whitespace, no newlines) to a
// caller-owned std::string, for the OTLP/JSON encoder.
//
// The output is always valid JSON (RFC 8259): strings are escaped ('"', '\\' and control
// characters; U+007F and everything above pass through as UTF-8), and bytes that are not
// well-formed UTF-8 (stray continuation bytes, overlongs, surrogates, truncated sequences)
// become U+FFFD, one replacement per maximal ill-formed subsequence as the Unicode
// standard recommends. Non-finite doubles, which JSON cannot represent as numbers, are
// written as the strings "NaN", "Infinity" and "-Infinity" (the protobuf JSON mapping).
//
// The writer places commas itself: each value, key or container start after the first
// one in a container gets a comma. It does not check that keys and values alternate; the
// encoder's structure guarantees that. Keys are written as given (the encoder's keys are
// ASCII literals); values are escaped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace agtel::otlp {

class json_writer {
 public:
  explicit json_writer(std::string& out) noexcept : out_(out) {}

  void begin_object() {
    separate();
    out_ += '{';
    comma_ = false;
  }
  void end_object() {
    out_ += '}';
    comma_ = true;
  }
  void begin_array() {
    separate();
    out_ += '[';
    comma_ = false;
  }
  void end_array() {
    out_ += ']';
    comma_ = true;
  }
  // `"k":` — `k` must not need escaping.
  void key(std::string_view k) {
    separate();
    out_ += '"';
    out_ += k;
    out_ += "\":";
    comma_ = false;
  }

  void string(std::string_view s) {
    separate();
    append_escaped(out_, s);
    comma_ = true;
  }
  void boolean(bool v) {
    separate();
    out_ += v ? "true" : "false";
    comma_ = true;
  }
  // A JSON number (for 32-bit integers and enums).
  void number(int64_t v);
  // A decimal string: the protobuf JSON mapping's form of 64-bit integers (a JavaScript
  // number would lose precision above 2^53).
  void quoted(uint64_t v);
  void quoted(int64_t v);
  // The shortest decimal that reads back exactly; "NaN"/"Infinity"/"-Infinity" strings
  // for non-finite values.
  void number(double v);
  // Lower-case hex of `bytes` in quotes (OTLP/JSON trace and span ids).
  void hex(const uint8_t* bytes, size_t n);
  // Already valid JSON, written as is (a value the caller produced with this writer).
  void raw_value(std::string_view json) {
    separate();
    out_ += json;
    comma_ = true;
  }

  // `"s"` with JSON escaping and U+FFFD for ill-formed UTF-8, appended to `out`.
  static void append_escaped(std::string& out, std::string_view s);

 private:
  void separate() {
    if (comma_) out_ += ',';
  }
  std::string& out_;
  bool comma_ = false;
};

}  // namespace agtel::otlp
