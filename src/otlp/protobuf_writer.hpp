// A small protobuf wire-format writer for the OTLP encoders: tags, varints, fixed-width
// numbers, strings and nested messages appended to a caller-owned std::string.
//
// Nested messages are written in one pass. `begin()` writes the field's tag and reserves
// room for the length (one byte unless the caller hints more); `end()` writes the length
// and, when the reserved room was the wrong size, moves the body once by the difference.
// Lengths are always the minimal varint, as protobuf itself writes them. The hint matters
// only for speed: a span (about 200 bytes) reserves 2, a scope of many spans 3, so the
// common case moves nothing. (Computing every size first, as protobuf's ByteSize does,
// would walk the data twice.)
//
// Strings are checked for well-formed UTF-8 (protobuf 3 `string` fields must be; parsers
// such as protobuf's C++ and Go ones reject the whole message otherwise): ill-formed bytes
// are written as U+FFFD, one per maximal ill-formed subsequence, as the JSON writer does.
// ASCII is checked eight bytes at a time, so the check costs little.
//
// The writer grows the string geometrically and never shrinks its capacity; `finish()`
// trims the string to what was written. Not thread-safe; one writer per string at a time.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>

#include "export/console/text.hpp"

namespace agtel::otlp {

// The wire types of the protobuf encoding.
enum class wire_type : uint8_t { varint = 0, fixed64 = 1, len = 2, fixed32 = 5 };

class protobuf_writer {
 public:
  // Starts writing at the beginning of `out` (its contents are discarded, its capacity kept).
  explicit protobuf_writer(std::string& out) : out_(out) {
    if (out_.size() < out_.capacity()) out_.resize(out_.capacity());
    pos_ = 0;
  }
  // Trims `out` to the bytes written. Call once, after the last write.
  void finish() { out_.resize(pos_); }

  size_t size() const noexcept { return pos_; }

  // A nested message (or any length-delimited field built piece by piece).
  struct mark {
    size_t body;       // offset of the first body byte
    uint32_t reserved;  // bytes reserved for the length
  };
  mark begin(uint32_t field, uint32_t length_hint_bytes = 1) {
    tag(field, wire_type::len);
    ensure(length_hint_bytes);
    pos_ += length_hint_bytes;
    return {pos_, length_hint_bytes};
  }
  void end(mark m) {
    size_t len = pos_ - m.body;
    uint32_t need = varint_size(len);
    if (need != m.reserved) {
      if (need > m.reserved) ensure(need - m.reserved);
      char* base = out_.data();
      std::memmove(base + m.body - m.reserved + need, base + m.body, len);
      pos_ = pos_ - m.reserved + need;
    }
    char* p = out_.data() + (m.body - m.reserved);
    put_varint(p, len);
  }

  // ---- fields ---------------------------------------------------------------------------

  void tag(uint32_t field, wire_type t) { varint((uint64_t{field} << 3) | static_cast<uint8_t>(t)); }

  void varint_field(uint32_t field, uint64_t v) {
    tag(field, wire_type::varint);
    varint(v);
  }
  // int32/int64/enum fields: negative values take ten bytes (two's complement).
  void int_field(uint32_t field, int64_t v) { varint_field(field, static_cast<uint64_t>(v)); }
  void bool_field(uint32_t field, bool v) { varint_field(field, v ? 1 : 0); }
  // sint32 (zigzag).
  void sint32_field(uint32_t field, int32_t v) {
    varint_field(field, (static_cast<uint32_t>(v) << 1) ^ static_cast<uint32_t>(v >> 31));
  }
  void fixed64_field(uint32_t field, uint64_t v) {
    tag(field, wire_type::fixed64);
    fixed64(v);
  }
  void fixed32_field(uint32_t field, uint32_t v) {
    tag(field, wire_type::fixed32);
    fixed32(v);
  }
  void double_field(uint32_t field, double v) { fixed64_field(field, std::bit_cast<uint64_t>(v)); }
  void sfixed64_field(uint32_t field, int64_t v) { fixed64_field(field, static_cast<uint64_t>(v)); }

  // A `string` field, with ill-formed UTF-8 replaced (see the file comment).
  void string_field(uint32_t field, std::string_view s) {
    if (is_ascii(s) || exporter::console::is_valid_utf8(s))
      bytes_field(field, s.data(), s.size());
    else
      sanitized_string_field(field, s);
  }
  // A `bytes` field, written as is.
  void bytes_field(uint32_t field, const void* data, size_t n) {
    tag(field, wire_type::len);
    varint(n);
    raw(data, n);
  }

  // Packed repeated fixed64 / double fields (histogram buckets and bounds).
  void packed_fixed64_field(uint32_t field, std::span<const uint64_t> v) {
    if (v.empty()) return;
    tag(field, wire_type::len);
    varint(v.size() * 8);
    ensure(v.size() * 8);
    for (uint64_t x : v) put_fixed64(x);
  }
  void packed_double_field(uint32_t field, std::span<const double> v) {
    if (v.empty()) return;
    tag(field, wire_type::len);
    varint(v.size() * 8);
    ensure(v.size() * 8);
    for (double x : v) put_fixed64(std::bit_cast<uint64_t>(x));
  }
  // Packed repeated uint64 varints (exponential histogram buckets).
  void packed_varint_field(uint32_t field, std::span<const uint64_t> v) {
    if (v.empty()) return;
    size_t n = 0;
    for (uint64_t x : v) n += varint_size(x);
    tag(field, wire_type::len);
    varint(n);
    ensure(n);
    for (uint64_t x : v) pos_ += put_varint(out_.data() + pos_, x);
  }

  // ---- primitives -----------------------------------------------------------------------

  void varint(uint64_t v) {
    ensure(10);
    pos_ += put_varint(out_.data() + pos_, v);
  }
  void fixed64(uint64_t v) {
    ensure(8);
    put_fixed64(v);
  }
  void fixed32(uint32_t v) {
    ensure(4);
    if constexpr (std::endian::native == std::endian::big) v = byteswap32(v);
    std::memcpy(out_.data() + pos_, &v, 4);
    pos_ += 4;
  }
  void raw(const void* data, size_t n) {
    ensure(n);
    if (n) std::memcpy(out_.data() + pos_, data, n);
    pos_ += n;
  }

  static uint32_t varint_size(uint64_t v) noexcept {
    // 1 + floor(bit_width / 7), with 0 taking one byte.
    return 1 + static_cast<uint32_t>((std::bit_width(v | 1) - 1) / 7);
  }

  // True when every byte is below 0x80.
  static bool is_ascii(std::string_view s) noexcept {
    const char* p = s.data();
    size_t n = s.size();
    for (; n >= 8; p += 8, n -= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (w & 0x8080808080808080ULL) return false;
    }
    for (; n; ++p, --n)
      if (static_cast<unsigned char>(*p) & 0x80) return false;
    return true;
  }

 private:
  void ensure(size_t n) {
    if (out_.size() - pos_ < n) grow(n);
  }
  void grow(size_t n);
  void sanitized_string_field(uint32_t field, std::string_view s);

  void put_fixed64(uint64_t v) {
    if constexpr (std::endian::native == std::endian::big) v = byteswap64(v);
    std::memcpy(out_.data() + pos_, &v, 8);
    pos_ += 8;
  }
  static size_t put_varint(char* p, uint64_t v) noexcept {
    size_t i = 0;
    while (v >= 0x80) {
      p[i++] = static_cast<char>(v | 0x80);
      v >>= 7;
    }
    p[i++] = static_cast<char>(v);
    return i;
  }
  static uint32_t byteswap32(uint32_t v) noexcept {
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
  }
  static uint64_t byteswap64(uint64_t v) noexcept {
    return (uint64_t{byteswap32(static_cast<uint32_t>(v))} << 32) | byteswap32(static_cast<uint32_t>(v >> 32));
  }

  std::string& out_;
  size_t pos_ = 0;  // bytes written; out_.size() is the room available
};

}  // namespace agtel::otlp
