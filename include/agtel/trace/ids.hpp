// Trace and span identifiers (W3C Trace Context): 16 and 8 random bytes, never all zero.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace agtel::trace {

template <size_t N>
class basic_id {
 public:
  static constexpr size_t size = N;

  constexpr basic_id() noexcept = default;
  explicit constexpr basic_id(const std::array<uint8_t, N>& bytes) noexcept : bytes_(bytes) {}

  // All-zero ids are the "invalid" id of the W3C and OpenTelemetry specs.
  constexpr bool is_valid() const noexcept {
    for (uint8_t b : bytes_)
      if (b != 0) return true;
    return false;
  }
  constexpr const std::array<uint8_t, N>& bytes() const noexcept { return bytes_; }
  constexpr std::array<uint8_t, N>& bytes() noexcept { return bytes_; }

  // Lower-case hex, 2*N characters.
  std::string to_hex() const {
    std::string s(2 * N, '0');
    write_hex(s.data());
    return s;
  }
  // Writes exactly 2*N lower-case hex characters to `out`.
  void write_hex(char* out) const noexcept {
    constexpr char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < N; ++i) {
      out[2 * i] = digits[bytes_[i] >> 4];
      out[2 * i + 1] = digits[bytes_[i] & 0xf];
    }
  }
  // Parses exactly 2*N hex characters (either case). The all-zero id parses (it is
  // well-formed); callers check is_valid() where the spec forbids it.
  static std::optional<basic_id> from_hex(std::string_view hex) noexcept {
    if (hex.size() != 2 * N) return std::nullopt;
    basic_id id;
    for (size_t i = 0; i < N; ++i) {
      int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
      if (hi < 0 || lo < 0) return std::nullopt;
      id.bytes_[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return id;
  }

  friend constexpr bool operator==(const basic_id&, const basic_id&) noexcept = default;
  friend constexpr auto operator<=>(const basic_id&, const basic_id&) noexcept = default;

 private:
  static constexpr int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  std::array<uint8_t, N> bytes_{};
};

using trace_id = basic_id<16>;
using span_id = basic_id<8>;

// W3C trace-flags. Only bit 0 (sampled) is defined; others are kept and propagated.
struct trace_flags {
  static constexpr uint8_t sampled_bit = 0x01;
  uint8_t bits = 0;

  constexpr bool sampled() const noexcept { return bits & sampled_bit; }
  friend constexpr bool operator==(trace_flags, trace_flags) noexcept = default;
};

}  // namespace agtel::trace

template <size_t N>
struct std::hash<agtel::trace::basic_id<N>> {
  size_t operator()(const agtel::trace::basic_id<N>& id) const noexcept {
    size_t h;
    std::memcpy(&h, id.bytes().data() + (N - sizeof(size_t)), sizeof h);  // random bytes
    return h;
  }
};
