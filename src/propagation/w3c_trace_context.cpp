// traceparent/tracestate parsing, formatting and the `tracecontext` propagator.
#include "agtel/propagation/w3c_trace_context.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

#include "propagation/detail/text.hpp"

namespace agtel::propagation {
namespace {

// Lower-case hex digit values; 0xff marks every other byte (upper case included, see the
// header for why).
constexpr std::array<uint8_t, 256> make_hex_table() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) v = 0xff;
  for (int c = '0'; c <= '9'; ++c) t[c] = static_cast<uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[c] = static_cast<uint8_t>(c - 'a' + 10);
  return t;
}
constexpr std::array<uint8_t, 256> hex_table = make_hex_table();

// Decodes 2*n hex characters into n bytes; false on any non-lower-case-hex character.
inline bool decode_hex(const char* in, uint8_t* out, size_t n) noexcept {
  uint8_t bad = 0;
  for (size_t i = 0; i < n; ++i) {
    uint8_t hi = hex_table[static_cast<unsigned char>(in[2 * i])];
    uint8_t lo = hex_table[static_cast<unsigned char>(in[2 * i + 1])];
    bad |= (hi | lo) & 0xf0;  // 0xff for invalid digits
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return bad == 0;
}

// SWAR ("SIMD within a register") hex: 8 characters per 64-bit word, which is what keeps
// the id fields of traceparent at a few nanoseconds. Little-endian only; other targets use
// the table loop above.
constexpr uint64_t repeat(uint8_t b) noexcept {
  return 0x0101010101010101ull * b;
}

// Decodes 8 lower-case hex characters into 4 bytes; false if any character is not one.
inline bool decode_hex8(const char* in, uint8_t* out) noexcept {
  uint64_t x;
  std::memcpy(&x, in, 8);
  // Per byte b < 0x80: (b + (0x7f - hi)) has bit 7 clear iff b <= hi, and
  // (b + (0x80 - lo)) has bit 7 set iff b >= lo; no carry crosses a byte.
  const uint64_t high = repeat(0x80);
  uint64_t digit = ~(x + repeat(0x7f - '9')) & (x + repeat(0x80 - '0'));
  uint64_t letter = ~(x + repeat(0x7f - 'f')) & (x + repeat(0x80 - 'a'));
  if ((x & high) != 0 || ((digit | letter) & high) != high) return false;
  // Nibble values: low 4 bits, plus 9 for letters (bit 6 set).
  uint64_t v = (x & repeat(0x0f)) + ((x >> 6) & repeat(0x01)) * 9;
  // Pair up nibbles: each 16-bit lane holds one byte (first character = high nibble).
  v = ((v << 4) & 0x00f000f000f000f0ull) | ((v >> 8) & 0x000f000f000f000full);
  v = (v | (v >> 8)) & 0x0000ffff0000ffffull;
  v = (v | (v >> 16)) & 0x00000000ffffffffull;
  auto w = static_cast<uint32_t>(v);
  std::memcpy(out, &w, 4);
  return true;
}

inline bool decode_id(const char* in, uint8_t* out, size_t bytes) noexcept {
  if constexpr (std::endian::native != std::endian::little) return decode_hex(in, out, bytes);
  for (size_t i = 0; i < bytes; i += 4)
    if (!decode_hex8(in + 2 * i, out + i)) return false;
  return true;
}

// Encodes 4 bytes as 8 lower-case hex characters.
inline void encode_hex8(const uint8_t* in, char* out) noexcept {
  uint32_t b;
  std::memcpy(&b, in, 4);
  uint64_t t = b;
  t = (t | (t << 16)) & 0x0000ffff0000ffffull;
  t = (t | (t << 8)) & 0x00ff00ff00ff00ffull;  // one input byte per 16-bit lane
  uint64_t n = ((t >> 4) & 0x000f000f000f000full) | ((t & 0x000f000f000f000full) << 8);
  uint64_t letters = ((n + repeat(0x06)) >> 4) & repeat(0x01);  // 1 where nibble >= 10
  uint64_t c = n + repeat('0') + letters * ('a' - '0' - 10);
  std::memcpy(out, &c, 8);
}

template <size_t N>
inline void encode_id(const trace::basic_id<N>& id, char* out) noexcept {
  if constexpr (std::endian::native != std::endian::little) {
    id.write_hex(out);
  } else {
    for (size_t i = 0; i < N; i += 4) encode_hex8(id.bytes().data() + i, out + 2 * i);
  }
}

constexpr char hex_digits[] = "0123456789abcdef";

constexpr std::array<std::string_view, 2> trace_context_fields = {
    w3c_trace_context_propagator::traceparent_field,
    w3c_trace_context_propagator::tracestate_field};

}  // namespace

std::optional<trace::span_context> parse_traceparent(std::string_view value) noexcept {
  value = detail::trim_ows(value);
  if (value.size() < traceparent_size) return std::nullopt;
  const char* s = value.data();
  uint8_t version;
  if (!decode_hex(s, &version, 1) || version == 0xff) return std::nullopt;
  if (version == 0) {
    if (value.size() != traceparent_size) return std::nullopt;
  } else if (value.size() > traceparent_size && s[traceparent_size] != '-') {
    return std::nullopt;  // a future version may only add '-'-separated fields
  }
  if (s[2] != '-' || s[35] != '-' || s[52] != '-') return std::nullopt;

  trace::trace_id tid;
  trace::span_id sid;
  uint8_t flags;
  if (!decode_id(s + 3, tid.bytes().data(), trace::trace_id::size) ||
      !decode_id(s + 36, sid.bytes().data(), trace::span_id::size) ||
      !decode_hex(s + 53, &flags, 1))
    return std::nullopt;
  uint64_t t0, t1, p0;
  std::memcpy(&t0, tid.bytes().data(), 8);
  std::memcpy(&t1, tid.bytes().data() + 8, 8);
  std::memcpy(&p0, sid.bytes().data(), 8);
  if ((t0 | t1) == 0 || p0 == 0) return std::nullopt;  // all-zero ids are invalid
  return trace::span_context(tid, sid, trace::trace_flags{flags}, /*is_remote=*/true);
}

size_t format_traceparent(const trace::span_context& span,
                          std::span<char, traceparent_size> out) noexcept {
  if (!span.is_valid()) return 0;
  char* p = out.data();
  p[0] = '0';
  p[1] = '0';
  p[2] = '-';
  encode_id(span.trace_id(), p + 3);
  p[35] = '-';
  encode_id(span.span_id(), p + 36);
  p[52] = '-';
  p[53] = hex_digits[span.flags().bits >> 4];
  p[54] = hex_digits[span.flags().bits & 0xf];
  return traceparent_size;
}

void w3c_trace_context_propagator::inject(const context& ctx,
                                          text_map_writer& carrier) const noexcept {
  const trace::span_context& span = ctx.span();
  char buf[traceparent_size];
  if (format_traceparent(span, buf) == 0) return;
  carrier.set(traceparent_field, std::string_view(buf, sizeof buf));
  if (span.state().empty()) return;
  // One scratch buffer per thread keeps inject free of allocations of its own: its
  // capacity stays at the largest state serialized on this thread (at most ~16 KiB).
  thread_local std::string scratch;
  try {
    scratch.clear();
    span.state().serialize_to(scratch);
  } catch (...) {
    return;  // out of memory: send the trace without its vendor state
  }
  carrier.set(tracestate_field, scratch);
}

context w3c_trace_context_propagator::extract(const text_map_reader& carrier,
                                              const context& base) const noexcept {
  auto parsed = parse_traceparent(carrier.get(traceparent_field));
  if (!parsed) return base;
  // The traceparent view is dead from here on: get() may reuse the reader's buffer.
  trace::trace_state state = trace::trace_state::parse(carrier.get(tracestate_field));
  return context(trace::span_context(parsed->trace_id(), parsed->span_id(), parsed->flags(),
                                     /*is_remote=*/true, std::move(state)),
                 base.baggage());
}

std::span<const std::string_view> w3c_trace_context_propagator::fields() const noexcept {
  return trace_context_fields;
}

}  // namespace agtel::propagation
