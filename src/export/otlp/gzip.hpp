// gzip (RFC 1952) of OTLP request bodies ("Content-Encoding: gzip"), with zlib.
//
// One compressor per exporter, reused for every request: deflateReset keeps zlib's
// ~270 KB of state and the output buffer's capacity, so a steady exporter allocates
// nothing here. Level 1 (fastest): OTLP bodies repeat their keys and resource so much that
// level 1 already shrinks them several-fold, and the export thread's CPU is the budget.
#pragma once

#include <string>
#include <string_view>

typedef struct z_stream_s z_stream;

namespace agtel::exporter::otlp_detail {

class gzip_compressor {
 public:
  gzip_compressor() noexcept = default;
  ~gzip_compressor();
  gzip_compressor(const gzip_compressor&) = delete;
  gzip_compressor& operator=(const gzip_compressor&) = delete;

  // Replaces `out` with `in` compressed. False (out empty) when zlib or memory fails.
  bool compress(std::string_view in, std::string& out) noexcept;

 private:
  z_stream* zs_ = nullptr;  // created on first use
};

}  // namespace agtel::exporter::otlp_detail
