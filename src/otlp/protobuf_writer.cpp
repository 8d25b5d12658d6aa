#include "otlp/protobuf_writer.hpp"

#include <algorithm>

namespace agtel::otlp {

namespace {

// The length of the well-formed UTF-8 sequence at s[i] (1-4), or 0 when the bytes there
// start an ill-formed one; `*bad` then receives the length of the maximal ill-formed
// subsequence (the bytes that a single U+FFFD replaces, per Unicode's "best practice").
size_t utf8_sequence(const unsigned char* s, size_t n, size_t i, size_t* bad) noexcept {
  unsigned char c = s[i];
  if (c < 0x80) return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlongs
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;  // no overlongs
    if (c == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
  } else {
    *bad = 1;
    return 0;
  }
  for (size_t k = 1; k < len; ++k) {
    if (i + k >= n) {
      *bad = k;
      return 0;
    }
    unsigned char b = s[i + k];
    bool ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    if (!ok) {
      *bad = k;
      return 0;
    }
  }
  return len;
}

}  // namespace

void protobuf_writer::grow(size_t n) {
  size_t want = std::max({out_.size() * 2, pos_ + n, size_t{256}});
  out_.resize(want);
}

bool protobuf_writer::is_valid_utf8(std::string_view s) noexcept {
  auto p = reinterpret_cast<const unsigned char*>(s.data());
  size_t bad = 0;
  for (size_t i = 0; i < s.size();) {
    size_t len = utf8_sequence(p, s.size(), i, &bad);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

void protobuf_writer::append_sanitized_utf8(std::string& out, std::string_view s) {
  auto p = reinterpret_cast<const unsigned char*>(s.data());
  size_t bad = 0;
  for (size_t i = 0; i < s.size();) {
    size_t len = utf8_sequence(p, s.size(), i, &bad);
    if (len) {
      out.append(s.data() + i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      i += bad;
    }
  }
}

void protobuf_writer::sanitized_string_field(uint32_t field, std::string_view s) {
  std::string clean;
  clean.reserve(s.size() + 8);
  append_sanitized_utf8(clean, s);
  bytes_field(field, clean.data(), clean.size());
}

}  // namespace agtel::otlp
