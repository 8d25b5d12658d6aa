// Attribute sets as metric series keys.
//
// A series is keyed by its attribute set regardless of order: the hash of a set is the sum
// of its attributes' hashes (addition commutes), and a stored set is kept sorted by key.
// The hot path hashes the caller's views and compares them with a stored set without
// allocating. Sets with a repeated key (the later value wins) or more than
// `max_inline_attributes` attributes miss the fast path and are normalized on the slow
// path, which is still correct.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "agtel/common/attribute.hpp"

namespace agtel::metrics::detail {

inline constexpr size_t max_inline_attributes = 16;

// Hash of one key/value pair; equal for a view and an owned value with the same contents
// (-0.0 hashes as 0.0; doubles compare bit for bit otherwise, so NaN equals NaN).
uint64_t hash_attribute(std::string_view key, const attribute_value_view& value) noexcept;
uint64_t hash_attribute(const attribute& a) noexcept;

// Order-independent hash of a set of unique keys.
inline uint64_t hash_set(std::span<const attribute_view> attrs) noexcept {
  uint64_t h = 0x51ed270b27e3cf1dULL;  // the empty set
  for (const attribute_view& a : attrs) h += hash_attribute(a.key, a.value);
  return h;
}
uint64_t hash_set(const attribute_list& attrs) noexcept;

// Value equality with the hash's rules.
bool same_value(const attribute_value& a, const attribute_value_view& b) noexcept;

// True when the views (unique keys, any order) are exactly the stored set.
bool same_set(const attribute_list& stored, std::span<const attribute_view> views) noexcept;

// The views with repeated keys collapsed (the later value wins) and sorted by key, into
// `out` (cleared first). Views still borrow the caller's data.
void normalize(std::span<const attribute_view> in, std::vector<attribute_view>& out);

// Copies sorted, unique views into an owned list.
void to_list(std::span<const attribute_view> sorted, attribute_list& out);

// Keeps only attributes whose key is in `keys` (sorted). Constructs them in `out` (raw
// storage for `capacity` views); returns how many were kept, or SIZE_MAX when more than
// `capacity` would be.
size_t filter_keys(std::span<const attribute_view> in, const std::vector<std::string>& keys,
                   attribute_view* out, size_t capacity) noexcept;

}  // namespace agtel::metrics::detail
