// Small conversions every part of the store uses.
#pragma once

#include <cstdint>
#include <limits>
#include <string_view>

namespace agtel::store {

// OTLP times are uint64 nanoseconds; SQLite integers are int64: times past 2262 are kept
// as the largest int64 rather than wrapping to negative.
inline int64_t to_i64(uint64_t v) noexcept {
  return v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
             ? std::numeric_limits<int64_t>::max()
             : static_cast<int64_t>(v);
}

// FNV-1a, 64 bits: the content hash of the deduplicated rows (resources, scopes, series),
// continued from `h` to hash several fields in turn.
inline uint64_t fnv1a(std::string_view a, uint64_t h = 1469598103934665603ull) noexcept {
  for (unsigned char c : a) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace agtel::store
