#include "export/otlp/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <new>

namespace agtel::exporter::otlp_detail {

namespace {
constexpr int gzip_window_bits = 15 + 16;  // 15: 32 KiB window; +16: gzip header/trailer
}

gzip_compressor::~gzip_compressor() {
  if (zs_) {
    deflateEnd(zs_);
    delete zs_;
  }
}

bool gzip_compressor::compress(std::string_view in, std::string& out) noexcept {
  out.clear();
  if (!zs_) {
    zs_ = new (std::nothrow) z_stream{};
    if (!zs_) return false;
    if (deflateInit2(zs_, Z_BEST_SPEED, Z_DEFLATED, gzip_window_bits, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      delete zs_;
      zs_ = nullptr;
      return false;
    }
  } else if (deflateReset(zs_) != Z_OK) {
    return false;
  }
  try {
    out.resize(deflateBound(zs_, static_cast<uLong>(in.size())));
  } catch (...) {  // std::bad_alloc, std::length_error
    out.clear();
    return false;
  }
  zs_->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs_->next_out = reinterpret_cast<Bytef*>(out.data());
  size_t in_left = in.size(), out_left = out.size();
  int rc = Z_OK;
  while (rc == Z_OK) {
    // zlib counts in uInt: at most UINT_MAX bytes per call.
    const auto in_chunk = static_cast<uInt>(std::min<size_t>(in_left, UINT_MAX));
    const auto out_chunk = static_cast<uInt>(std::min<size_t>(out_left, UINT_MAX));
    zs_->avail_in = in_chunk;
    zs_->avail_out = out_chunk;
    rc = deflate(zs_, in_chunk == in_left ? Z_FINISH : Z_NO_FLUSH);
    in_left -= in_chunk - zs_->avail_in;
    out_left -= out_chunk - zs_->avail_out;
    if (rc == Z_OK && out_left == 0) break;  // cannot happen within deflateBound
  }
  const bool ok = rc == Z_STREAM_END;
  out.resize(ok ? out.size() - out_left : 0);
  return ok;
}

}  // namespace agtel::exporter::otlp_detail
