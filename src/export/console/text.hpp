// Text helpers of the console exporter: UTF-8 repair, JSON string escaping, and the
// escaped, truncated form of a string that the tree view prints.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace agtel::exporter::console {

// The length of the UTF-8 sequence at the start of `s` (non-empty) and whether it is well
// formed (Unicode Table 3-7: no overlong forms, no surrogates, nothing past U+10FFFF).
// When it is not, `length` is the maximal subpart to replace with one U+FFFD (the
// Unicode "maximal subpart" practice, also used by the WHATWG decoder), at least 1.
struct utf8_sequence {
  size_t length;
  bool valid;
};
utf8_sequence next_utf8_sequence(std::string_view s) noexcept;

// Whether all of `s` is well-formed UTF-8 (ASCII runs take the fast path).
bool is_valid_utf8(std::string_view s) noexcept;

// Appends `s` with every ill-formed sequence replaced by U+FFFD.
void append_valid_utf8(std::string& out, std::string_view s);

// Appends `s` as a JSON string literal, quotes included: `"` and `\` escaped, control
// characters (C0, DEL and C1) as \n, \t, ... or \u00XX, invalid UTF-8 as U+FFFD.
void append_json_string(std::string& out, std::string_view s);

// Appends `s` for a terminal: control characters as \n, \t, \r or \xNN (C1 as \u0080..),
// invalid UTF-8 as U+FFFD, and cut after `max_chars` characters with a trailing "…".
// `quoted` wraps the text in double quotes and escapes `"` and `\` inside.
void append_display_text(std::string& out, std::string_view s, size_t max_chars,
                         bool quoted = false);

}  // namespace agtel::exporter::console
