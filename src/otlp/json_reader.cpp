#include "otlp/json_reader.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <memory>

#include "export/console/text.hpp"

namespace agtel::otlp::json {
namespace {

// A parser keeps buffers sized for the largest document it has seen (several times the
// document's size); after a document larger than this, the thread's parser is released
// so that one huge request does not pin its memory for the life of the thread. Typical
// export batches (512 spans, about 300 KB) stay far below it; reallocating for every
// document would cost more than the parse itself.
constexpr size_t keep_capacity = size_t{8} << 20;

std::unique_ptr<simdjson::dom::parser>& thread_parser() {
  thread_local std::unique_ptr<simdjson::dom::parser> parser;
  return parser;
}

// Offset of the first byte that is not part of well-formed UTF-8 (for the error message).
size_t first_invalid_utf8(std::string_view s) noexcept {
  size_t i = 0;
  while (i < s.size()) {
    const auto seq = exporter::console::next_utf8_sequence(s.substr(i));
    if (!seq.valid) return i;
    i += seq.length;
  }
  return i;
}

bool integral_double(double d, double lo, double hi) noexcept {
  return std::isfinite(d) && d == std::trunc(d) && d >= lo && d <= hi;
}

template <class Int>
bool parse_decimal(std::string_view s, Int& out) noexcept {
  if (s.empty()) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

document::document(std::string_view text) : size_(text.size()) {
  // simdjson copies the input with memcpy, which must not be given the null pointer of an
  // empty string_view (UBSan reports it).
  if (text.empty()) throw json_error("empty document");
  auto& parser = thread_parser();
  if (!parser) {
    parser = std::make_unique<simdjson::dom::parser>();
    if (parser->allocate(4096, max_depth)) throw json_error("out of memory");
  }
  simdjson::error_code err = parser->parse(text.data(), text.size()).get(root_);
  if (err && size_ > keep_capacity) parser.reset();  // (the destructor does not run)
  switch (err) {
    case simdjson::SUCCESS:
      return;
    case simdjson::DEPTH_ERROR:
      throw json_error("nesting deeper than " + std::to_string(max_depth) + " levels");
    case simdjson::UTF8_ERROR:
      throw json_error("invalid UTF-8 at byte " + std::to_string(first_invalid_utf8(text)));
    case simdjson::NUMBER_ERROR:
      throw json_error("a number that fits neither a 64-bit integer nor a double");
    case simdjson::EMPTY:
      throw json_error("empty document");
    case simdjson::MEMALLOC:
    case simdjson::CAPACITY:
      throw json_error("document too large");
    default:
      throw json_error(std::string("not valid JSON (") + simdjson::error_message(err) + ")");
  }
}

document::~document() {
  if (size_ > keep_capacity) thread_parser().reset();
}

void reader::fail(std::string_view what) const {
  std::string msg;
  for (const frame& f : path_) {
    if (f.index == npos) {
      if (!msg.empty()) msg += '.';
      msg += f.key;
    } else {
      msg += '[';
      msg += std::to_string(f.index);
      msg += ']';
    }
  }
  if (msg.empty()) msg = "(document)";
  msg += ": ";
  msg += what;
  throw json_error(msg);
}

std::string_view reader::string(element e) {
  std::string_view s;
  if (e.get_string().get(s)) fail("expected a string");
  return s;
}

bool reader::boolean(element e) {
  bool b = false;
  if (e.get_bool().get(b)) fail("expected true or false");
  return b;
}

uint64_t reader::u64(element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::UINT64: return e.get_uint64().value_unsafe();
    case simdjson::dom::element_type::INT64: {
      int64_t v = e.get_int64().value_unsafe();
      if (v < 0) fail("expected a non-negative integer");
      return static_cast<uint64_t>(v);
    }
    case simdjson::dom::element_type::DOUBLE: {
      double d = e.get_double().value_unsafe();
      // 2^64 itself is not representable; the largest double below it is.
      if (!integral_double(d, 0, 18446744073709549568.0)) fail("expected an unsigned 64-bit integer");
      return static_cast<uint64_t>(d);
    }
    case simdjson::dom::element_type::STRING: {
      uint64_t v;
      if (!parse_decimal(e.get_string().value_unsafe(), v))
        fail("expected an unsigned 64-bit integer as a decimal string");
      return v;
    }
    default: fail("expected an unsigned 64-bit integer (a decimal string or a number)");
  }
}

int64_t reader::i64(element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::INT64: return e.get_int64().value_unsafe();
    case simdjson::dom::element_type::UINT64: fail("integer out of the int64 range");
    case simdjson::dom::element_type::DOUBLE: {
      double d = e.get_double().value_unsafe();
      if (!integral_double(d, -9223372036854775808.0, 9223372036854774784.0))
        fail("expected a 64-bit integer");
      return static_cast<int64_t>(d);
    }
    case simdjson::dom::element_type::STRING: {
      int64_t v;
      if (!parse_decimal(e.get_string().value_unsafe(), v))
        fail("expected a 64-bit integer as a decimal string");
      return v;
    }
    default: fail("expected a 64-bit integer (a decimal string or a number)");
  }
}

uint32_t reader::u32(element e) {
  uint64_t v = u64(e);
  if (v > std::numeric_limits<uint32_t>::max()) fail("integer out of the uint32 range");
  return static_cast<uint32_t>(v);
}

int32_t reader::i32(element e) {
  int64_t v = i64(e);
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())
    fail("integer out of the int32 range");
  return static_cast<int32_t>(v);
}

double reader::f64(element e) {
  switch (e.type()) {
    case simdjson::dom::element_type::DOUBLE: return e.get_double().value_unsafe();
    case simdjson::dom::element_type::INT64: return static_cast<double>(e.get_int64().value_unsafe());
    case simdjson::dom::element_type::UINT64: return static_cast<double>(e.get_uint64().value_unsafe());
    case simdjson::dom::element_type::STRING: {
      std::string_view s = e.get_string().value_unsafe();
      if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
      if (s == "Infinity") return std::numeric_limits<double>::infinity();
      if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
      // A number in a string: digits only (from_chars alone would also take "inf", "nan").
      const size_t digit = !s.empty() && s[0] == '-' ? 1 : 0;
      double d;
      if (s.size() <= digit || s[digit] < '0' || s[digit] > '9' || !parse_decimal(s, d) ||
          !std::isfinite(d))
        fail("expected a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
      return d;
    }
    default: fail("expected a number");
  }
}

}  // namespace agtel::otlp::json
