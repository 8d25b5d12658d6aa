// The compressed chunk format of the metric store: one series' points (up to a few hundred,
// sorted by time) in one BLOB. Pure functions, no I/O; the store appends to a chunk by
// decoding it, appending points and encoding again.
//
// Every encode is exact: times, start times, counts and the bits of every double (NaN
// payloads, ±Inf, -0.0) read back as written. The codec is total over its inputs: time
// arithmetic wraps modulo 2^64, so even unsorted or extreme times round-trip (sorted, unique
// times are what the store writes and what compresses well).
//
// Decoding is safe on hostile bytes: it never reads outside the blob, never allocates more
// than the blob's size can justify (a point costs at least two bits, a bucket count at
// least one byte), and on error returns a message and leaves `out` as it was.
//
// ## Format (version 1)
//
// Notation: u8 is one byte; varint is LEB128 (7 bits per byte, low first, at most 10
// bytes); zz(x) is zigzag (0,-1,1,-2.. → 0,1,2,3..) of x taken as int64; fixed64 is 8 bytes
// little-endian; all differences of times and counts are taken modulo 2^64.
//
//   header (all kinds, read by peek)
//     u8      format version (1)
//     u8      kind: 1 number, 2 histogram, 3 exponential histogram
//     varint  point count n (< 2^32)
//     fixed64 first time (Unix ns; 0 when n = 0)
//     varint  last time − first time
//
// "Start code", shared by all kinds: how a point's start_ns relates to what came before
// (before the first point, the previous start and the previous time are both 0):
//     same   start = previous point's start   (cumulative streams)
//     prev   start = previous point's time    (delta streams, contiguous)
//     explicit  zz(time − start) follows
//
// ### Numbers (kind 1): a bit stream after one byte, in the style of Gorilla
// (Pelkonen et al., VLDB 2015) and Prometheus's chunkenc/xor.go.
//     u8   time coding: bits 0-3 unit exponent e (0..9): every time delta is a multiple
//          of 10^e ns and is written divided by it (millisecond-aligned times: e = 6);
//          bits 4-7 class table: 0 "jitter" widths {0, 20, 24, 32, 64} for nanosecond
//          clocks (`0` D = 0, `10` + 20 bits ±2^19 ns ≈ ±0.5 ms, `110` + 24 bits ±8 ms,
//          `1110` + 32 bits ±2 s, `1111` + 64 bits), 1 "grid" widths {0, 4, 8, 14, 20,
//          32, 64} for small deltas in coarse units. The encoder picks the cheaper.
//     u8   value coding: bits 0-1 mode (0 XOR, 1 decimal delta, 2 decimal delta-of-delta),
//          bits 2-7 decimal exponent k (0..18)
//     then, MSB first, per point:
//       time   (not for point 0: it is in the header) delta-of-delta D = (t − t₋₁) −
//              (t₋₁ − t₋₂) in units of 10^e ns, the delta before point 1 taken as 0, as
//              the class code (below) of zz(D) with the chosen table.
//       start  `0` same, `10` prev, `11` + class code of zz(time − start) with widths
//              {0, 32, 48, 64}.
//       value  XOR mode (doubles as Gorilla): point 0 its 64 bits; then x = bits ^ previous
//              bits: `0` x = 0; `10` + the bits of x inside the previous window (leading
//              and trailing zero counts of the last `11`); `11` + 5 bits leading zeros
//              (max 31) + 6 bits significant length (64 written as 0) + the significant
//              bits. Decimal modes (chosen when every value is m / 10^k exactly, m an
//              integer with |m| ≤ 2^53 — counters, queue lengths, "0.73"): point 0 the class
//              code of zz(m); later points zz(m − m₋₁) (mode 1) or zz of the difference of
//              those deltas, the one before point 1 taken as 0 (mode 2), with widths
//              {0, 3, 6, 10, 16, 24, 32, 64}. Decoded as double(m) / 10^k, which the
//              encoder checked gives back the same bits. The encoder picks the smallest
//              of the three.
//     Class code with widths w₀..w_L: class c < L is c one-bits then a zero, class L is L
//     one-bits; then w_c bits of the value (the smallest class whose width holds it).
//     The stream ends zero-padded to a byte.
//
// ### Histograms (kind 2), byte-oriented, per point:
//     u8      flags: bits 0-1 start code (0 same, 1 prev, 2 explicit), bit 2 layout
//             follows (always on point 0; again whenever bounds or the number of buckets
//             change), bits 3/4/5 sum/min/max present; bits 6-7 zero
//     varint  zz(time delta-of-delta) (not for point 0)
//     varint  zz(time − start) when the start code is explicit
//     layout: varint number of bounds b, varint number of bucket counts c, b × fixed64
//             bounds (bits as given; OTLP has c = b + 1)
//     varint  zz(count − previous count)
//     c × varint zz(bucket count − the previous point's count of the same bucket), or of
//             the count itself when the layout was written for this point
//     sum, min, max when present, each XOR'ed with the field's previous present bits (0
//             at first): u8 control (bits 4-7 trailing zero bytes, bits 0-3 length in
//             bytes; 0 when the XOR is 0) + that many bytes, low first.
//     "Absent" is the default quiet NaN (std::numeric_limits<double>::quiet_NaN());
//     any other value, other NaNs included, is stored and reads back bit-exactly.
//
// ### Exponential histograms (kind 3), byte-oriented, per point:
//     u8      flags: bits 0-1 start code, bits 2/3/4 sum/min/max present, bit 5 layout
//             follows (always on point 0; again when scale, an offset or a length
//             changes), bit 6 zero threshold follows (when its bits differ from the
//             previous point's, +0.0 before point 0); bit 7 zero
//     varint  zz(time delta-of-delta) (not for point 0); varint zz(time − start) if explicit
//     layout: varint zz(scale), zz(positive offset), positive length, zz(negative offset),
//             negative length
//     fixed64 zero threshold, when flagged
//     varint  zz(count − previous), zz(zero_count − previous)
//     positive then negative bucket counts: varint zz(count − the previous point's count of
//             the same bucket index, 0 when the scale changed or the index was not there)
//     sum, min, max as for histograms.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "query/series.hpp"

namespace agtel::store::chunk {

inline constexpr uint8_t format_version = 1;

// The kind byte (second byte of every chunk).
enum class kind : uint8_t { number = 1, histogram = 2, exponential_histogram = 3 };

// Appends one encoded chunk of `points` (sorted by time, times unique, fewer than 2^32) to
// `out`. Never fails. `out` may already hold data: the chunk is appended after it.
void encode(std::span<const query::number_sample> points, std::string& out);
void encode(std::span<const query::histogram_sample> points, std::string& out);
void encode(std::span<const query::exponential_histogram_sample> points, std::string& out);

// Decodes one chunk (the whole of `blob`), appending its points to `out`. Returns "" or a
// message saying what is wrong ("chunk truncated at point 17", "not a number chunk (it
// holds histograms)"); on error `out` keeps its previous elements (its capacity may grow).
std::string decode(std::string_view blob, std::vector<query::number_sample>& out);
std::string decode(std::string_view blob, std::vector<query::histogram_sample>& out);
std::string decode(std::string_view blob, std::vector<query::exponential_histogram_sample>& out);

// The point count and time range of a chunk from its header alone (any kind). False when the
// header is unreadable or of an unknown version or kind; the points are not checked.
bool peek(std::string_view blob, uint32_t& count, int64_t& first_ns, int64_t& last_ns);

}  // namespace agtel::store::chunk
