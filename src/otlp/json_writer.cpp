#include "otlp/json_writer.hpp"

#include <charconv>
#include <cmath>

#include "export/console/text.hpp"

namespace agtel::otlp {
namespace {

// Bytes that need no escaping: printable ASCII other than '"' and '\\'.
constexpr bool plain(unsigned char c) noexcept { return c >= 0x20 && c < 0x80 && c != '"' && c != '\\'; }

// Appends `v` in decimal, in double quotes when `quoted`.
template <class Int>
void append_integer(std::string& out, Int v, bool quoted) {
  char buf[24];  // a quote, 20 digits or a sign and 19, a quote
  char* p = buf;
  if (quoted) *p++ = '"';
  p = std::to_chars(p, buf + sizeof buf - 1, v).ptr;
  if (quoted) *p++ = '"';
  out.append(buf, p);
}

}  // namespace

void json_writer::append_escaped(std::string& out, std::string_view s) {
  static constexpr char hex_digits[] = "0123456789abcdef";
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  out.reserve(out.size() + n + 2);
  out += '"';
  size_t i = 0;
  while (i < n) {
    size_t run = i;
    while (run < n && plain(p[run])) ++run;
    if (run > i) {
      out.append(s.data() + i, run - i);
      i = run;
      if (i == n) break;
    }
    const unsigned char c = p[i];
    if (c >= 0x80) {
      const auto seq = exporter::console::next_utf8_sequence(s.substr(i));
      if (seq.valid)
        out.append(s.data() + i, seq.length);
      else
        out += "\xEF\xBF\xBD";  // U+FFFD
      i += seq.length;
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', hex_digits[c >> 4], hex_digits[c & 0xf]};
        out.append(esc, sizeof esc);
      }
    }
    ++i;
  }
  out += '"';
}

void json_writer::number(int64_t v) {
  separate();
  append_integer(out_, v, false);
  comma_ = true;
}

void json_writer::quoted(uint64_t v) {
  separate();
  append_integer(out_, v, true);
  comma_ = true;
}

void json_writer::quoted(int64_t v) {
  separate();
  append_integer(out_, v, true);
  comma_ = true;
}

void json_writer::number(double v) {
  separate();
  if (std::isnan(v)) {
    out_ += "\"NaN\"";
  } else if (std::isinf(v)) {
    out_ += v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else if (v == 0 && std::signbit(v)) {
    out_ += "-0.0";  // "-0" would read back as the integer 0 in many parsers
  } else {
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
    out_.append(buf, r.ptr);
  }
  comma_ = true;
}

void json_writer::hex(const uint8_t* bytes, size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  separate();
  const size_t at = out_.size();
  out_.resize(at + 2 * n + 2);
  char* o = out_.data() + at;
  *o++ = '"';
  for (size_t i = 0; i < n; ++i) {
    *o++ = digits[bytes[i] >> 4];
    *o++ = digits[bytes[i] & 0xf];
  }
  *o = '"';
  comma_ = true;
}

}  // namespace agtel::otlp
