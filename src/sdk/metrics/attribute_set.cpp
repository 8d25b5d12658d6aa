#include "sdk/metrics/detail/attribute_set.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>

namespace agtel::metrics::detail {
namespace {

// wyhash-style mixing (Wang Yi's wyhash, public domain): a 64x64->128 multiply folded to
// 64 bits. Short strings are read with at most four overlapping loads, no loop, no memcpy
// call.
__extension__ typedef unsigned __int128 u128;
constexpr uint64_t s0 = 0xa0761d6478bd642fULL, s1 = 0xe7037ed1a0b428dbULL,
                   s2 = 0x8ebc6af09c88c6e3ULL;

inline uint64_t mix(uint64_t a, uint64_t b) noexcept {
  const u128 r = static_cast<u128>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}
inline uint64_t r8(const char* p) noexcept {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t r4(const char* p) noexcept {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
inline uint64_t r3(const char* p, size_t n) noexcept {
  return (static_cast<uint64_t>(static_cast<uint8_t>(p[0])) << 16) |
         (static_cast<uint64_t>(static_cast<uint8_t>(p[n >> 1])) << 8) |
         static_cast<uint8_t>(p[n - 1]);
}

inline uint64_t bytes(uint64_t seed, std::string_view s) noexcept {
  const char* p = s.data();
  const size_t n = s.size();
  uint64_t a, b;
  if (n <= 16) {
    if (n >= 4) {
      const size_t q = (n >> 3) << 2;
      a = (r4(p) << 32) | r4(p + q);
      b = (r4(p + n - 4) << 32) | r4(p + n - 4 - q);
    } else if (n > 0) {
      a = r3(p, n);
      b = 0;
    } else {
      a = b = 0;
    }
  } else {
    size_t i = n;
    while (i > 16) {
      seed = mix(r8(p) ^ s1, r8(p + 8) ^ seed);
      p += 16;
      i -= 16;
    }
    a = r8(p + i - 16);
    b = r8(p + i - 8);
  }
  return mix(s1 ^ n, mix(a ^ s1, b ^ seed));
}

inline uint64_t word(uint64_t seed, uint64_t w) noexcept {
  return mix(w ^ s1, seed ^ s2);
}

inline uint64_t dbl(double d) noexcept {
  if (d == 0) return 0;  // -0.0 and 0.0
  return std::bit_cast<uint64_t>(d);
}

inline bool same_double(double a, double b) noexcept {
  return dbl(a) == dbl(b);
}

// String equality without a libc call: attribute keys and values are short.
inline bool same_bytes(std::string_view a, std::string_view b) noexcept {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8)
      if (r8(p + i) != r8(q + i)) return false;
    return r8(p + n - 8) == r8(q + n - 8);
  }
  if (n >= 4) return r4(p) == r4(q) && r4(p + n - 4) == r4(q + n - 4);
  for (size_t i = 0; i < n; ++i)
    if (p[i] != q[i]) return false;
  return true;
}

// Type tags, shared by views and owned values so that both hash alike.
enum tag : uint64_t {
  t_bool = 1,
  t_int,
  t_double,
  t_string,
  t_bools,
  t_ints,
  t_doubles,
  t_strings
};

}  // namespace

uint64_t hash_attribute(std::string_view key, const attribute_value_view& value) noexcept {
  const uint64_t h = bytes(s0, key);
  const auto& v = value.get();
  // The common types first, without std::visit.
  if (const auto* s = std::get_if<std::string_view>(&v)) return bytes(h ^ t_string, *s);
  if (const auto* i = std::get_if<int64_t>(&v)) return word(h ^ t_int, static_cast<uint64_t>(*i));
  if (const auto* b = std::get_if<bool>(&v)) return word(h ^ t_bool, *b ? 1 : 0);
  if (const auto* d = std::get_if<double>(&v)) return word(h ^ t_double, dbl(*d));
  uint64_t x = h;
  std::visit(
      [&](const auto& arr) {
        using T = std::decay_t<decltype(arr)>;
        if constexpr (std::is_same_v<T, std::span<const bool>>) {
          x = word(x ^ t_bools, arr.size());
          for (bool b : arr) x = word(x, b ? 1 : 0);
        } else if constexpr (std::is_same_v<T, std::span<const int64_t>>) {
          x = word(x ^ t_ints, arr.size());
          for (int64_t i : arr) x = word(x, static_cast<uint64_t>(i));
        } else if constexpr (std::is_same_v<T, std::span<const double>>) {
          x = word(x ^ t_doubles, arr.size());
          for (double d : arr) x = word(x, dbl(d));
        } else if constexpr (std::is_same_v<T, std::span<const std::string_view>> ||
                             std::is_same_v<T, std::span<const std::string>>) {
          x = word(x ^ t_strings, arr.size());
          for (const auto& s : arr) x = bytes(x, std::string_view(s));
        }
      },
      v);
  return x;
}

uint64_t hash_attribute(const attribute& a) noexcept {
  if (const auto* bools = std::get_if<std::vector<bool>>(&a.value)) {
    uint64_t x = word(bytes(s0, a.key) ^ t_bools, bools->size());
    for (bool b : *bools) x = word(x, b ? 1 : 0);
    return x;
  }
  return std::visit(
      [&](const auto& v) -> uint64_t {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::vector<bool>>) {
          return 0;  // handled above
        } else if constexpr (std::is_same_v<T, std::string>) {
          return hash_attribute(a.key, attribute_value_view(std::string_view(v)));
        } else {
          return hash_attribute(a.key, attribute_value_view(v));
        }
      },
      a.value);
}

uint64_t hash_set(const attribute_list& attrs) noexcept {
  uint64_t h = 0x51ed270b27e3cf1dULL;
  for (const attribute& a : attrs) h += hash_attribute(a);
  return h;
}

bool same_value(const attribute_value& a, const attribute_value_view& b) noexcept {
  const auto& bv = b.get();
  // The common types first, without std::visit.
  if (const auto* x = std::get_if<std::string>(&a)) {
    const auto* y = std::get_if<std::string_view>(&bv);
    return y && same_bytes(*x, *y);
  }
  if (const auto* x = std::get_if<int64_t>(&a)) {
    const auto* y = std::get_if<int64_t>(&bv);
    return y && *x == *y;
  }
  return std::visit(
      [&](const auto& x) -> bool {
        using A = std::decay_t<decltype(x)>;
        const auto& bv = b.get();
        if constexpr (std::is_same_v<A, bool>) {
          const bool* y = std::get_if<bool>(&bv);
          return y && *y == x;
        } else if constexpr (std::is_same_v<A, int64_t>) {
          const int64_t* y = std::get_if<int64_t>(&bv);
          return y && *y == x;
        } else if constexpr (std::is_same_v<A, double>) {
          const double* y = std::get_if<double>(&bv);
          return y && same_double(*y, x);
        } else if constexpr (std::is_same_v<A, std::string>) {
          const std::string_view* y = std::get_if<std::string_view>(&bv);
          return y && *y == x;
        } else if constexpr (std::is_same_v<A, std::vector<bool>>) {
          const auto* y = std::get_if<std::span<const bool>>(&bv);
          return y && std::equal(x.begin(), x.end(), y->begin(), y->end());
        } else if constexpr (std::is_same_v<A, std::vector<int64_t>>) {
          const auto* y = std::get_if<std::span<const int64_t>>(&bv);
          return y && std::equal(x.begin(), x.end(), y->begin(), y->end());
        } else if constexpr (std::is_same_v<A, std::vector<double>>) {
          const auto* y = std::get_if<std::span<const double>>(&bv);
          return y && std::equal(x.begin(), x.end(), y->begin(), y->end(), same_double);
        } else {  // vector<string>
          if (const auto* y = std::get_if<std::span<const std::string_view>>(&bv))
            return std::equal(x.begin(), x.end(), y->begin(), y->end(),
                              [](const std::string& s, std::string_view t) { return s == t; });
          if (const auto* y = std::get_if<std::span<const std::string>>(&bv))
            return std::equal(x.begin(), x.end(), y->begin(), y->end());
          return false;
        }
      },
      a);
}

bool same_set(const attribute_list& stored, std::span<const attribute_view> views) noexcept {
  const size_t n = views.size();
  if (stored.size() != n) return false;
  if (n > 64) return false;  // the slow path compares normalized sets
  uint64_t matched = 0;
  for (size_t i = 0; i < n; ++i) {
    const attribute_view& v = views[i];
    size_t j = i;
    if (!same_bytes(stored[j].key, v.key)) {
      for (j = 0; j < n; ++j)
        if (j != i && same_bytes(stored[j].key, v.key)) break;
      if (j == n) return false;
    }
    const uint64_t bit = uint64_t{1} << j;
    if ((matched & bit) || !same_value(stored[j].value, v.value)) return false;
    matched |= bit;
  }
  return true;
}

void normalize(std::span<const attribute_view> in, std::vector<attribute_view>& out) {
  out.assign(in.begin(), in.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const attribute_view& a, const attribute_view& b) { return a.key < b.key; });
  // Keep the last of each run of equal keys (the later value wins).
  size_t w = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    if (i + 1 < out.size() && out[i + 1].key == out[i].key) continue;
    out[w++] = out[i];
  }
  out.resize(w, attribute_view{{}, false});
}

void to_list(std::span<const attribute_view> sorted, attribute_list& out) {
  out.clear();
  for (const attribute_view& a : sorted) out.set(a.key, a.value);
}

size_t filter_keys(std::span<const attribute_view> in, const std::vector<std::string>& keys,
                   attribute_view* out, size_t capacity) noexcept {
  size_t n = 0;
  for (const attribute_view& a : in) {
    if (!std::binary_search(keys.begin(), keys.end(), a.key, [](const auto& x, const auto& y) {
          return std::string_view(x) < std::string_view(y);
        }))
      continue;
    if (n == capacity) return SIZE_MAX;
    std::construct_at(out + n, a);
    ++n;
  }
  return n;
}

}  // namespace agtel::metrics::detail
