#include "otlp/protobuf_writer.hpp"

#include <algorithm>

#include "export/console/text.hpp"

namespace agtel::otlp {

void protobuf_writer::grow(size_t n) {
  size_t want = std::max({out_.size() * 2, pos_ + n, size_t{256}});
  out_.resize(want);
}

void protobuf_writer::sanitized_string_field(uint32_t field, std::string_view s) {
  std::string clean;
  clean.reserve(s.size() + 8);
  exporter::console::append_valid_utf8(clean, s);
  bytes_field(field, clean.data(), clean.size());
}

}  // namespace agtel::otlp
