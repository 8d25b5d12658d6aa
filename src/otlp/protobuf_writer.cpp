#include "otlp/protobuf_writer.hpp"

#include <algorithm>

#include "export/console/text.hpp"

namespace agtel::otlp {

void protobuf_writer::grow(size_t n) {
  size_t want = std::max({out_.size() * 2, pos_ + n, size_t{256}});
  out_.resize(want);
}

bool protobuf_writer::is_valid_utf8(std::string_view s) noexcept {
  while (!s.empty()) {
    if (static_cast<unsigned char>(s[0]) < 0x80) {  // the common case, without a call
      s.remove_prefix(1);
      continue;
    }
    const auto seq = exporter::console::next_utf8_sequence(s);
    if (!seq.valid) return false;
    s.remove_prefix(seq.length);
  }
  return true;
}

void protobuf_writer::sanitized_string_field(uint32_t field, std::string_view s) {
  std::string clean;
  clean.reserve(s.size() + 8);
  exporter::console::append_valid_utf8(clean, s);
  bytes_field(field, clean.data(), clean.size());
}

}  // namespace agtel::otlp
