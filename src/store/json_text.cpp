#include "store/json_text.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

#include "export/console/text.hpp"
#include "otlp/json_writer.hpp"

namespace agtel::store::json {
namespace {

constexpr char hex_digits[] = "0123456789abcdef";

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

void write_string(std::string& out, std::string_view s) {
  if (!exporter::console::is_valid_utf8(s)) {
    out += "{\"x\":\"";
    for (unsigned char c : s) {
      out += hex_digits[c >> 4];
      out += hex_digits[c & 0xF];
    }
    out += "\"}";
    return;
  }
  otlp::json_writer::append_escaped(out, s);  // valid UTF-8: escapes only
}

void write_int(std::string& out, int64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void write_double(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "{\"f\":\"nan\"}";
    return;
  }
  if (std::isinf(v)) {
    out += v > 0 ? "{\"f\":\"inf\"}" : "{\"f\":\"-inf\"}";
    return;
  }
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  std::string_view t(buf, static_cast<size_t>(r.ptr - buf));
  out += t;
  if (t.find_first_of(".eE") == std::string_view::npos) out += ".0";
}

bool cursor::read_hex_string(std::string& out) {
  // After '{': "x":"<hex>"}
  std::string key;
  if (!read_plain_string(key) || key != "x" || !eat(':') || !eat('"')) return false;
  out.clear();
  while (peek() != '"') {
    if (i_ + 1 >= s_.size()) return false;
    int hi = hex_value(s_[i_]), lo = hex_value(s_[i_ + 1]);
    if (hi < 0 || lo < 0) return false;
    out += static_cast<char>(hi << 4 | lo);
    i_ += 2;
  }
  return eat('"') && eat('}');
}

bool cursor::read_string(std::string& out) {
  if (eat('{')) return read_hex_string(out);
  return read_plain_string(out);
}

bool cursor::read_plain_string(std::string& out) {
  if (!eat('"')) return false;
  out.clear();
  size_t run = i_;
  while (i_ < s_.size()) {
    char c = s_[i_];
    if (c == '"') {
      out.append(s_.data() + run, i_ - run);
      ++i_;
      return true;
    }
    if (c != '\\') {
      ++i_;
      continue;
    }
    out.append(s_.data() + run, i_ - run);
    if (++i_ >= s_.size()) return false;
    char e = s_[i_++];
    switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        auto read4 = [&](uint32_t& v) {
          if (i_ + 4 > s_.size()) return false;
          v = 0;
          for (int k = 0; k < 4; ++k) {
            int h = hex_value(s_[i_++]);
            if (h < 0) return false;
            v = v << 4 | static_cast<uint32_t>(h);
          }
          return true;
        };
        uint32_t cp;
        if (!read4(cp)) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
          uint32_t lo;
          if (!eat('\\') || !eat('u') || !read4(lo) || lo < 0xDC00 || lo > 0xDFFF) return false;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return false;
        }
        append_utf8(out, cp);
        break;
      }
      default: return false;
    }
    run = i_;
  }
  return false;
}

bool cursor::read_number(int64_t& iv, double& dv, bool& is_double) noexcept {
  size_t start = i_;
  is_double = false;
  while (i_ < s_.size()) {
    char c = s_[i_];
    if (c == '.' || c == 'e' || c == 'E') is_double = true;
    else if (!(c == '-' || c == '+' || (c >= '0' && c <= '9'))) break;
    ++i_;
  }
  if (i_ == start) return false;
  const char* b = s_.data() + start;
  const char* e = s_.data() + i_;
  if (is_double) {
    auto r = std::from_chars(b, e, dv);
    return r.ec == std::errc() && r.ptr == e;
  }
  auto r = std::from_chars(b, e, iv);
  return r.ec == std::errc() && r.ptr == e;
}

bool cursor::read_int(int64_t& v) noexcept {
  double d;
  bool is_double;
  return read_number(v, d, is_double) && !is_double;
}

bool cursor::read_double(double& v) noexcept {
  if (eat('{')) {
    std::string key, val;
    if (!read_plain_string(key) || key != "f" || !eat(':') || !read_plain_string(val) ||
        !eat('}'))
      return false;
    if (val == "nan") v = std::nan("");
    else if (val == "inf") v = HUGE_VAL;
    else if (val == "-inf") v = -HUGE_VAL;
    else return false;
    return true;
  }
  int64_t i;
  bool is_double;
  if (!read_number(i, v, is_double)) return false;
  if (!is_double) v = static_cast<double>(i);
  return true;
}

bool cursor::read_bool(bool& v) noexcept {
  if (s_.substr(i_, 4) == "true") {
    i_ += 4;
    v = true;
    return true;
  }
  if (s_.substr(i_, 5) == "false") {
    i_ += 5;
    v = false;
    return true;
  }
  return false;
}

bool cursor::skip_value(int depth) noexcept {
  if (depth > 8) return false;  // the codec nests at most 4 deep
  char c = peek();
  if (c == '"') {
    ++i_;
    while (i_ < s_.size() && s_[i_] != '"') i_ += s_[i_] == '\\' ? 2 : 1;
    return eat('"');
  }
  if (c == '{' || c == '[') {
    char close = c == '{' ? '}' : ']';
    ++i_;
    if (eat(close)) return true;
    for (;;) {
      if (c == '{' && (!skip_value(depth + 1) || !eat(':'))) return false;
      if (!skip_value(depth + 1)) return false;
      if (eat(close)) return true;
      if (!eat(',')) return false;
    }
  }
  if (c == 't' || c == 'f') {
    bool b;
    return read_bool(b);
  }
  int64_t i;
  double d;
  bool is_double;
  return read_number(i, d, is_double);
}

}  // namespace agtel::store::json
