#include "export/prometheus/text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <variant>

#include "export/console/text.hpp"  // UTF-8 validation and JSON strings, shared with console

namespace agtel::exporter::prometheus {
namespace {

constexpr std::string_view replacement_character = "\xEF\xBF\xBD";  // U+FFFD

// Bytes that need attention in a label value: `\`, `"`, newline, and any non-ASCII byte
// (whose sequence must be validated). Everything else is copied as is.
constexpr std::array<bool, 256> make_special(bool quote) {
  std::array<bool, 256> t{};
  t['\\'] = true;
  t['\n'] = true;
  t['"'] = quote;
  for (int c = 0x80; c < 256; ++c) t[c] = true;
  return t;
}
constexpr auto special_with_quote = make_special(true);
constexpr auto special_without_quote = make_special(false);

void append_escaped(std::string& out, std::string_view s, const std::array<bool, 256>& special) {
  size_t run = 0;  // start of the pending run of plain bytes
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!special[c]) {
      ++i;
      continue;
    }
    out.append(s.data() + run, i - run);
    if (c < 0x80) {
      out += '\\';
      out += c == '\n' ? 'n' : static_cast<char>(c);
      ++i;
    } else {
      console::utf8_sequence seq = console::next_utf8_sequence(s.substr(i));
      if (seq.valid) {
        out.append(s.data() + i, seq.length);
      } else {
        out += replacement_character;
      }
      i += seq.length;
    }
    run = i;
  }
  out.append(s.data() + run, s.size() - run);
}

template <class T>
void append_integer(std::string& out, T v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(r.ptr - buf));
}

void append_json_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "Infinity" : "-Infinity";
  } else {
    append_double(out, v, false);
  }
}

}  // namespace

void append_double(std::string& out, double v, bool openmetrics) {
  if (std::isnan(v)) {
    out += "NaN";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
    return;
  }
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  const size_t n = static_cast<size_t>(r.ptr - buf);
  out.append(buf, n);
  if (openmetrics && std::memchr(buf, '.', n) == nullptr && std::memchr(buf, 'e', n) == nullptr)
    out += ".0";
}

void append_uint(std::string& out, uint64_t v) {
  append_integer(out, v);
}
void append_int(std::string& out, int64_t v) {
  append_integer(out, v);
}

void append_seconds(std::string& out, timestamp_ns t) {
  append_integer(out, t / 1'000'000'000u);
  uint64_t frac = t % 1'000'000'000u;
  if (frac == 0) return;
  char digits[9];
  for (int i = 8; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  size_t n = 9;
  while (digits[n - 1] == '0') --n;
  out += '.';
  out.append(digits, n);
}

void append_label_value(std::string& out, std::string_view v) {
  append_escaped(out, v, special_with_quote);
}

void append_help(std::string& out, std::string_view help, bool openmetrics) {
  append_escaped(out, help, openmetrics ? special_with_quote : special_without_quote);
}

void append_attribute_label_value(std::string& out, const attribute_value& v) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) {
          append_label_value(out, x);
        } else if constexpr (std::is_same_v<T, bool>) {
          out += x ? "true" : "false";
        } else if constexpr (std::is_same_v<T, int64_t>) {
          append_int(out, x);
        } else if constexpr (std::is_same_v<T, double>) {
          append_double(out, x, false);
        } else {
          // Arrays: a JSON array, then escaped as a label value.
          std::string json = "[";
          bool first = true;
          for (const auto& e : x) {
            if (!first) json += ',';
            first = false;
            using E = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<E, std::string>) {
              console::append_json_string(json, e);
            } else if constexpr (std::is_same_v<E, double>) {
              append_json_number(json, e);
            } else if constexpr (std::is_same_v<E, int64_t>) {
              append_int(json, e);
            } else {
              json += static_cast<bool>(e) ? "true" : "false";
            }
          }
          json += ']';
          append_label_value(out, json);
        }
      },
      v);
}

size_t utf8_length(std::string_view s) noexcept {
  size_t n = 0;
  while (!s.empty()) {
    const size_t len =
        static_cast<unsigned char>(s[0]) < 0x80 ? 1 : console::next_utf8_sequence(s).length;
    s.remove_prefix(len);
    ++n;
  }
  return n;
}

}  // namespace agtel::exporter::prometheus
