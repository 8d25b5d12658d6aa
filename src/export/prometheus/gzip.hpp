// gzip (RFC 1952) compression of a scrape answer, with zlib.
#pragma once

#include <string>
#include <string_view>

namespace agtel::exporter::prometheus {

// Replaces `out` with `in` gzip-compressed at `level` (1 = fastest; an exposition is very
// repetitive, so even level 1 shrinks it about tenfold). Reuses `out`'s capacity. False
// (and `out` empty) when zlib fails.
bool gzip_compress(std::string_view in, std::string& out, int level = 1) noexcept;

}  // namespace agtel::exporter::prometheus
