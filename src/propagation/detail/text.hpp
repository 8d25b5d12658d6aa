// Small character-level helpers shared by the W3C header parsers (trace context, trace
// state, baggage). Header-only and allocation-free; nothing here is public API.
#pragma once

#include <string_view>

namespace agtel::propagation::detail {

// OWS of RFC 7230 §3.2.3: spaces and horizontal tabs.
constexpr bool is_ows(char c) noexcept {
  return c == ' ' || c == '\t';
}

constexpr std::string_view trim_ows(std::string_view s) noexcept {
  size_t b = 0, e = s.size();
  while (b < e && is_ows(s[b])) ++b;
  while (e > b && is_ows(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// Character classes as one table lookup each (the parsers' inner loops).
enum char_class : unsigned char {
  tchar_class = 1,          // RFC 7230 tchar: the characters of a `token`
  baggage_octet_class = 2,  // W3C baggage-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
};

struct char_table {
  unsigned char bits[256] = {};
  constexpr char_table() {
    for (int c = '0'; c <= '9'; ++c) bits[c] |= tchar_class;
    for (int c = 'a'; c <= 'z'; ++c) bits[c] |= tchar_class;
    for (int c = 'A'; c <= 'Z'; ++c) bits[c] |= tchar_class;
    for (char c : std::string_view("!#$%&'*+-.^_`|~"))
      bits[static_cast<unsigned char>(c)] |= tchar_class;
    for (int c = 0x21; c <= 0x7e; ++c)
      if (c != 0x22 && c != 0x2c && c != 0x3b && c != 0x5c) bits[c] |= baggage_octet_class;
  }
};
inline constexpr char_table char_classes{};

constexpr bool has_class(char c, char_class k) noexcept {
  return char_classes.bits[static_cast<unsigned char>(c)] & k;
}
constexpr bool is_tchar(char c) noexcept {
  return has_class(c, tchar_class);
}

constexpr bool all_of_class(std::string_view s, char_class k) noexcept {
  unsigned char acc = k;
  for (char c : s) acc &= char_classes.bits[static_cast<unsigned char>(c)];
  return acc & k;
}

constexpr bool is_token(std::string_view s) noexcept {
  return !s.empty() && all_of_class(s, tchar_class);
}

// Splits `list` at `sep` and calls `f(member)` for each piece (pieces are not trimmed).
// `f` returns false to stop early. Returns false if stopped early.
template <class F>
constexpr bool for_each_member(std::string_view list, char sep, F&& f) {
  size_t start = 0;
  while (true) {
    size_t end = list.find(sep, start);
    if (end == std::string_view::npos) return f(list.substr(start));
    if (!f(list.substr(start, end - start))) return false;
    start = end + 1;
  }
}

}  // namespace agtel::propagation::detail
