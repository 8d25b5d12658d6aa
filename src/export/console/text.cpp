#include "export/console/text.hpp"

namespace agtel::exporter::console {
namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";  // U+FFFD
constexpr char hex_digits[] = "0123456789abcdef";

// The code point of a well-formed two-byte sequence in the C1 control range (U+0080 to
// U+009F), or 0. C1 controls are valid UTF-8 yet some terminals act on them (U+009B is
// a CSI), so both outputs escape them.
unsigned c1_control(std::string_view seq) noexcept {
  if (seq.size() == 2 && static_cast<unsigned char>(seq[0]) == 0xC2 &&
      static_cast<unsigned char>(seq[1]) <= 0x9F)
    return static_cast<unsigned char>(seq[1]);
  return 0;
}

void append_u00(std::string& out, unsigned c) {
  out += "\\u00";
  out += hex_digits[(c >> 4) & 0xF];
  out += hex_digits[c & 0xF];
}

// Calls `ascii(c)` for each single-byte character, `other(seq)` for each well-formed
// multi-byte sequence and `invalid()` for each maximal ill-formed subpart; stops early
// when a callback returns false.
template <class Ascii, class Other, class Invalid>
void for_each_sequence(std::string_view s, Ascii ascii, Other other, Invalid invalid) {
  while (!s.empty()) {
    utf8_sequence seq = next_utf8_sequence(s);
    bool go_on;
    if (!seq.valid)
      go_on = invalid();
    else if (seq.length == 1)
      go_on = ascii(static_cast<unsigned char>(s[0]));
    else
      go_on = other(s.substr(0, seq.length));
    if (!go_on) return;
    s.remove_prefix(seq.length);
  }
}

}  // namespace

utf8_sequence next_utf8_sequence(std::string_view s) noexcept {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char lead = byte(0);
  if (lead < 0x80) return {1, true};
  // Continuation bytes are 80..BF, except that the second byte narrows after E0, ED, F0
  // and F4 (which excludes overlong forms, surrogates and code points past U+10FFFF).
  size_t trailing;
  unsigned char second_lo = 0x80, second_hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    trailing = 1;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    trailing = 2;
    if (lead == 0xE0) second_lo = 0xA0;
    if (lead == 0xED) second_hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    trailing = 3;
    if (lead == 0xF0) second_lo = 0x90;
    if (lead == 0xF4) second_hi = 0x8F;
  } else {
    return {1, false};  // 80..C1 (a stray continuation or an overlong lead), F5..FF
  }
  for (size_t i = 1; i <= trailing; ++i) {
    if (i >= s.size()) return {i, false};  // truncated
    unsigned char lo = i == 1 ? second_lo : 0x80, hi = i == 1 ? second_hi : 0xBF;
    if (byte(i) < lo || byte(i) > hi) return {i, false};
  }
  return {trailing + 1, true};
}

bool is_valid_utf8(std::string_view s) noexcept {
  while (!s.empty()) {
    if (static_cast<unsigned char>(s[0]) < 0x80) {  // the common case, without a call
      s.remove_prefix(1);
      continue;
    }
    const auto seq = next_utf8_sequence(s);
    if (!seq.valid) return false;
    s.remove_prefix(seq.length);
  }
  return true;
}

void append_valid_utf8(std::string& out, std::string_view s) {
  out.reserve(out.size() + s.size());
  for_each_sequence(
      s,
      [&](unsigned char c) {
        out += static_cast<char>(c);
        return true;
      },
      [&](std::string_view seq) {
        out += seq;
        return true;
      },
      [&] {
        out += replacement_character;
        return true;
      });
}

void append_json_string(std::string& out, std::string_view s) {
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  for_each_sequence(
      s,
      [&](unsigned char c) {
        switch (c) {
          case '"':
            out += "\\\"";
            break;
          case '\\':
            out += "\\\\";
            break;
          case '\b':
            out += "\\b";
            break;
          case '\f':
            out += "\\f";
            break;
          case '\n':
            out += "\\n";
            break;
          case '\r':
            out += "\\r";
            break;
          case '\t':
            out += "\\t";
            break;
          default:
            if (c < 0x20 || c == 0x7F)
              append_u00(out, c);
            else
              out += static_cast<char>(c);
        }
        return true;
      },
      [&](std::string_view seq) {
        if (unsigned c = c1_control(seq))
          append_u00(out, c);
        else
          out += seq;
        return true;
      },
      [&] {
        out += replacement_character;
        return true;
      });
  out += '"';
}

void append_display_text(std::string& out, std::string_view s, size_t max_chars, bool quoted) {
  if (quoted) out += '"';
  size_t chars = 0;
  bool cut = false;
  // Each source character counts as one, however it is escaped.
  const auto room = [&] {
    if (chars < max_chars) {
      ++chars;
      return true;
    }
    cut = true;
    return false;
  };
  for_each_sequence(
      s,
      [&](unsigned char c) {
        if (!room()) return false;
        switch (c) {
          case '\n':
            out += "\\n";
            break;
          case '\r':
            out += "\\r";
            break;
          case '\t':
            out += "\\t";
            break;
          case '"':
          case '\\':
            if (quoted) out += '\\';
            out += static_cast<char>(c);
            break;
          default:
            if (c < 0x20 || c == 0x7F) {
              out += "\\x";
              out += hex_digits[c >> 4];
              out += hex_digits[c & 0xF];
            } else {
              out += static_cast<char>(c);
            }
        }
        return true;
      },
      [&](std::string_view seq) {
        if (!room()) return false;
        if (unsigned c = c1_control(seq))
          append_u00(out, c);
        else
          out += seq;
        return true;
      },
      [&] {
        if (!room()) return false;
        out += replacement_character;
        return true;
      });
  if (cut) out += "\xE2\x80\xA6";  // U+2026 …
  if (quoted) out += '"';
}

}  // namespace agtel::exporter::console
