#include "export/prometheus/gzip.hpp"

#include <zlib.h>

#include <climits>

namespace agtel::exporter::prometheus {

bool gzip_compress(std::string_view in, std::string& out, int level) noexcept {
  out.clear();
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return false;
  bool ok = false;
  try {
    out.resize(deflateBound(&zs, static_cast<uLong>(in.size())));
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    size_t in_left = in.size(), out_left = out.size();
    int rc = Z_OK;
    while (rc == Z_OK) {
      // zlib counts in uInt: feed at most UINT_MAX bytes per call.
      const auto in_chunk = static_cast<uInt>(in_left < UINT_MAX ? in_left : UINT_MAX);
      const auto out_chunk = static_cast<uInt>(out_left < UINT_MAX ? out_left : UINT_MAX);
      zs.avail_in = in_chunk;
      zs.avail_out = out_chunk;
      rc = deflate(&zs, in_chunk == in_left ? Z_FINISH : Z_NO_FLUSH);
      in_left -= in_chunk - zs.avail_in;
      out_left -= out_chunk - zs.avail_out;
      if (rc == Z_OK && zs.avail_out == 0 && out_left == 0)
        break;  // cannot happen with deflateBound
    }
    ok = rc == Z_STREAM_END;
    out.resize(ok ? zs.total_out : 0);
  } catch (...) {  // std::bad_alloc
    out.clear();
    ok = false;
  }
  deflateEnd(&zs);
  return ok;
}


}  // namespace agtel::exporter::prometheus
