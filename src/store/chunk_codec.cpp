// The chunk format (chunk_codec.hpp has it byte by byte). Times and counts are handled as
// uint64_t so that every difference wraps instead of overflowing: the codec is exact for
// any input, and hostile bytes cannot cause undefined behaviour.
#include "store/chunk_codec.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>

namespace agtel::store::chunk {
namespace {

using query::exponential_histogram_sample;
using query::histogram_sample;
using query::number_sample;

uint64_t zigzag(uint64_t d) { return (d << 1) ^ (0 - (d >> 63)); }
uint64_t unzigzag(uint64_t z) { return (z >> 1) ^ (0 - (z & 1)); }
uint64_t bits_of(double v) { return std::bit_cast<uint64_t>(v); }
double double_of(uint64_t b) { return std::bit_cast<double>(b); }
uint64_t u(int64_t v) { return static_cast<uint64_t>(v); }
int64_t s(uint64_t v) { return static_cast<int64_t>(v); }  // modular since C++20

// The default quiet NaN marks an absent histogram sum/min/max (series.hpp).
const uint64_t absent_bits = bits_of(std::numeric_limits<double>::quiet_NaN());

// ---------------------------------------------------------------------------------------
// Byte level

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

void put_fixed64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}

// A double XOR'ed with the previous one: control byte (trailing zero bytes << 4 | length)
// then the non-zero middle bytes, low first. Slowly moving sums keep their high bytes.
void put_xor_bytes(std::string& out, uint64_t x) {
  if (x == 0) {
    out.push_back(0);
    return;
  }
  const unsigned trail = std::countr_zero(x) / 8, lead = std::countl_zero(x) / 8;
  const unsigned len = 8 - lead - trail;
  out.push_back(static_cast<char>(trail << 4 | len));
  x >>= 8 * trail;
  for (unsigned i = 0; i < len; ++i, x >>= 8) out.push_back(static_cast<char>(x));
}

// Why a read failed: the bytes ran out (a truncated chunk) or they make no sense.
enum class failure { none, truncated, corrupt };

class byte_reader {
 public:
  explicit byte_reader(std::string_view s)
      : p_(reinterpret_cast<const unsigned char*>(s.data())), left_(s.size()) {}

  size_t left() const { return left_; }
  failure why() const { return why_; }
  const char* what() const { return what_; }

  bool byte(uint8_t& v) {
    if (left_ == 0) return truncated();
    v = *p_++;
    --left_;
    return true;
  }
  bool varint(uint64_t& v) {
    v = 0;
    for (unsigned shift = 0;; shift += 7) {
      uint8_t b;
      if (!byte(b)) return false;
      if (shift == 63 && b > 1) return corrupt("varint longer than 64 bits");
      v |= uint64_t{b & 0x7fu} << shift;
      if (b < 0x80) return true;
    }
  }
  bool zz(uint64_t& v) {
    if (!varint(v)) return false;
    v = unzigzag(v);
    return true;
  }
  bool fixed64(uint64_t& v) {
    if (left_ < 8) return truncated();
    v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t{p_[i]} << (8 * i);
    p_ += 8;
    left_ -= 8;
    return true;
  }
  bool xor_bytes(uint64_t& x) {
    uint8_t c;
    if (!byte(c)) return false;
    x = 0;
    if (c == 0) return true;
    const unsigned trail = c >> 4, len = c & 15;
    if (len == 0 || trail + len > 8) return corrupt("bad XOR control byte");
    if (left_ < len) return truncated();
    for (unsigned i = 0; i < len; ++i) x |= uint64_t{p_[i]} << (8 * i);
    p_ += len;
    left_ -= len;
    x <<= 8 * trail;
    return true;
  }
  std::string_view rest() const {
    return {reinterpret_cast<const char*>(p_), left_};
  }

  bool truncated() {
    why_ = failure::truncated;
    return false;
  }
  bool corrupt(const char* what) {
    why_ = failure::corrupt;
    what_ = what;
    return false;
  }

 private:
  const unsigned char* p_;
  size_t left_;
  failure why_ = failure::none;
  const char* what_ = "";
};

// ---------------------------------------------------------------------------------------
// Bit level (numbers), most significant bit first

class bit_writer {
 public:
  explicit bit_writer(std::string& out) : out_(out) {}

  // Appends the low `n` bits of `v` (n ≤ 64).
  void put(uint64_t v, unsigned n) {
    while (n > 0) {
      const unsigned take = std::min(n, 64 - fill_);
      const uint64_t part = (v >> (n - take)) & mask(take);
      buf_ |= part << (64 - fill_ - take);
      fill_ += take;
      n -= take;
      if (fill_ == 64) flush(8);
    }
  }
  void finish() { flush((fill_ + 7) / 8); }

 private:
  static uint64_t mask(unsigned n) { return n == 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1; }
  void flush(unsigned bytes) {
    for (unsigned i = 0; i < bytes; ++i) out_.push_back(static_cast<char>(buf_ >> (56 - 8 * i)));
    buf_ = 0;
    fill_ = 0;
  }

  std::string& out_;
  uint64_t buf_ = 0;   // the pending bits, from the top
  unsigned fill_ = 0;  // how many, < 64 between calls
};

class bit_reader {
 public:
  explicit bit_reader(std::string_view s)
      : p_(reinterpret_cast<const unsigned char*>(s.data())), bytes_(s.size()) {}

  size_t left() const { return bytes_ * 8 - pos_; }

  bool get(unsigned n, uint64_t& v) {
    if (n > left()) return false;
    v = 0;
    if (n == 0) return true;
    size_t byte = pos_ >> 3;
    unsigned off = pos_ & 7;
    if (n <= 56 && byte + 8 <= bytes_) {  // one load does it
      uint64_t w = 0;
      for (int i = 0; i < 8; ++i) w = w << 8 | p_[byte + i];
      v = (w << off) >> (64 - n);
      pos_ += n;
      return true;
    }
    while (n > 0) {
      const unsigned avail = 8 - off, take = std::min(n, avail);
      v = v << take | ((p_[byte] >> (avail - take)) & ((1u << take) - 1));
      pos_ += take;
      n -= take;
      byte = pos_ >> 3;
      off = pos_ & 7;
    }
    return true;
  }
  bool bit(bool& b) {
    if (pos_ >= bytes_ * 8) return false;
    b = (p_[pos_ >> 3] >> (7 - (pos_ & 7))) & 1;
    ++pos_;
    return true;
  }

 private:
  const unsigned char* p_;
  size_t bytes_;
  size_t pos_ = 0;
};

// Class codes (header comment): a unary class prefix, then the value in that class's width.
using widths = std::span<const uint8_t>;
// Two tables for time delta-of-deltas: nanosecond clocks with µs–ms jitter, and coarse
// units (times on a millisecond or second grid) where the deltas are small numbers.
constexpr std::array<uint8_t, 5> jitter_widths = {0, 20, 24, 32, 64};
constexpr std::array<uint8_t, 7> grid_widths = {0, 4, 8, 14, 20, 32, 64};
constexpr std::array<widths, 2> time_tables = {widths(jitter_widths), widths(grid_widths)};
constexpr std::array<uint8_t, 4> start_widths = {0, 32, 48, 64};
constexpr std::array<uint8_t, 8> int_widths = {0, 3, 6, 10, 16, 24, 32, 64};

size_t class_of(uint64_t z, widths w) {
  size_t c = 0;
  while (c + 1 < w.size() && (z >> w[c]) != 0) ++c;  // only the last width is 64
  return c;
}

unsigned class_cost(uint64_t z, widths w) {
  const size_t c = class_of(z, w);
  return static_cast<unsigned>(c + (c + 1 < w.size() ? 1 : 0) + w[c]);
}

void put_classed(bit_writer& out, uint64_t z, widths w) {
  const size_t c = class_of(z, w);
  if (c + 1 < w.size())
    out.put((uint64_t{1} << (c + 1)) - 2, static_cast<unsigned>(c + 1));  // c ones, a zero
  else
    out.put((uint64_t{1} << c) - 1, static_cast<unsigned>(c));
  out.put(z, w[c]);
}

bool get_classed(bit_reader& in, uint64_t& z, widths w) {
  size_t c = 0;
  for (bool one = true; c + 1 < w.size(); ++c) {
    if (!in.bit(one)) return false;
    if (!one) break;
  }
  return in.get(w[c], z);
}

// ---------------------------------------------------------------------------------------
// Shared pieces

struct header {
  kind k = kind::number;
  uint32_t count = 0;
  uint64_t first = 0, last = 0;
};

template <class Sample>
void put_header(std::string& out, kind k, std::span<const Sample> points) {
  out.push_back(static_cast<char>(format_version));
  out.push_back(static_cast<char>(k));
  put_varint(out, points.size());
  const uint64_t first = points.empty() ? 0 : u(points.front().time_ns);
  const uint64_t last = points.empty() ? 0 : u(points.back().time_ns);
  put_fixed64(out, first);
  put_varint(out, last - first);
}

// Reads the header; "" or what is wrong.
std::string read_header(byte_reader& in, header& h) {
  uint8_t version, k;
  uint64_t count, span;
  if (!in.byte(version) || !in.byte(k)) return "chunk too short for its header";
  if (version != format_version)
    return "unsupported chunk format version " + std::to_string(version);
  if (k < 1 || k > 3) return "unknown chunk kind " + std::to_string(k);
  if (!in.varint(count) || !in.fixed64(h.first) || !in.varint(span))
    return "chunk too short for its header";
  if (count > std::numeric_limits<uint32_t>::max())
    return "chunk claims " + std::to_string(count) + " points, more than a chunk can hold";
  h.k = static_cast<kind>(k);
  h.count = static_cast<uint32_t>(count);
  h.last = h.first + span;
  return {};
}

const char* kind_name(kind k) {
  switch (k) {
    case kind::number: return "numbers";
    case kind::histogram: return "histograms";
    case kind::exponential_histogram: return "exponential histograms";
  }
  return "?";
}

std::string wrong_kind(const char* wanted, kind got) {
  return std::string("not ") + wanted + " chunk (it holds " + kind_name(got) + ")";
}

std::string at_point(const byte_reader& in, size_t i) {
  if (in.why() == failure::corrupt)
    return "corrupt chunk at point " + std::to_string(i) + ": " + in.what();
  return "chunk truncated at point " + std::to_string(i);
}

// The start code's state: the previous point's start and time (0 and 0 before point 0).
struct start_state {
  uint64_t start = 0, time = 0;

  // 0 same, 1 prev, 2 explicit.
  unsigned code(uint64_t start_ns) const {
    return start_ns == start ? 0 : start_ns == time ? 1 : 2;
  }
  uint64_t resolve(unsigned code, uint64_t explicit_start) const {
    return code == 0 ? start : code == 1 ? time : explicit_start;
  }
  void advance(uint64_t time_ns, uint64_t start_ns) {
    time = time_ns;
    start = start_ns;
  }
};

// The time delta-of-delta state (the delta before point 1 is 0), deltas counted in `unit`
// nanoseconds (number chunks; the encoder checked that every delta is a multiple of it).
struct time_state {
  uint64_t time = 0, delta = 0, unit = 1;
  uint64_t dod(uint64_t t) {
    const uint64_t d = u(s(t - time) / s(unit)), r = d - delta;
    time = t;
    delta = d;
    return r;
  }
  uint64_t undod(uint64_t dod) {
    delta += dod;
    time += delta * unit;  // unsigned: wraps like the encoder's arithmetic, never overflows
    return time;
  }
};

// Cleans up after a failed decode: `out` goes back to its first `size` elements.
template <class Sample>
std::string rollback(std::vector<Sample>& out, size_t size, std::string message) {
  out.erase(out.begin() + static_cast<std::ptrdiff_t>(size), out.end());
  return message;
}

// ---------------------------------------------------------------------------------------
// Numbers

enum value_mode : uint8_t { xor_mode = 0, decimal_delta = 1, decimal_dod = 2 };

constexpr std::array<double, 19> pow10 = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,
                                          1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13,
                                          1e14, 1e15, 1e16, 1e17, 1e18};
constexpr double max_exact_int = 9007199254740992.0;  // 2^53

// m with double(m) / 10^k == v bit for bit, if there is one (found by rounding v·10^k).
bool decimal_at(double v, unsigned k, int64_t& m) {
  const double x = std::nearbyint(v * pow10[k]);
  if (!(std::fabs(x) <= max_exact_int)) return false;  // also NaN and ±Inf
  m = static_cast<int64_t>(x);
  return bits_of(static_cast<double>(m) / pow10[k]) == bits_of(v);
}

// The Gorilla XOR value coder; `cost` mode counts bits without writing them.
struct xor_coder {
  uint64_t prev = 0;
  unsigned lead = 0, trail = 0;
  bool window = false, started = false;

  template <class Put>
  void code(uint64_t bits, Put&& put) {
    if (!started) {
      started = true;
      prev = bits;
      put(bits, 64);
      return;
    }
    const uint64_t x = bits ^ prev;
    prev = bits;
    if (x == 0) {
      put(0, 1);
      return;
    }
    const unsigned lz = std::min(31u, static_cast<unsigned>(std::countl_zero(x)));
    const unsigned tz = static_cast<unsigned>(std::countr_zero(x));
    if (window && lz >= lead && tz >= trail) {
      put(0b10, 2);
      put(x >> trail, 64 - lead - trail);
      return;
    }
    window = true;
    lead = lz;
    trail = tz;
    const unsigned sig = 64 - lz - tz;
    put(0b11, 2);
    put(lz, 5);
    put(sig & 63, 6);
    put(x >> tz, sig);
  }
};

// How the values of a chunk are written: the cheapest of XOR and the two decimal modes.
struct value_plan {
  value_mode mode = xor_mode;
  unsigned k = 0;
};

// The integers of the decimal modes, as written: point 0 m itself, later points the delta or
// the delta of deltas (with the delta before point 1 taken as 0).
struct decimal_state {
  uint64_t m = 0, delta = 0;
  uint64_t next(size_t i, uint64_t mi, value_mode mode) {
    if (i == 0) {
      m = mi;
      return zigzag(mi);
    }
    const uint64_t d = mi - m;
    const uint64_t r = mode == decimal_delta ? d : d - delta;
    m = mi;
    delta = d;
    return zigzag(r);
  }
  uint64_t undo(size_t i, uint64_t z, value_mode mode) {
    const uint64_t r = unzigzag(z);
    if (i == 0) return m = r;
    delta = mode == decimal_delta ? r : delta + r;
    return m += delta;
  }
};

value_plan plan_values(std::span<const number_sample> points) {
  value_plan best;
  uint64_t xor_bits = 0;
  xor_coder x;
  for (const auto& p : points) x.code(bits_of(p.value), [&](uint64_t, unsigned n) { xor_bits += n; });

  // The smallest k at which every value is a decimal (a value exact at k is exact at any
  // larger k too, as long as m stays within 2^53: both are the rounding of the same number).
  unsigned k = 0;
  int64_t m;
  for (const auto& p : points) {
    while (!decimal_at(p.value, k, m))
      if (++k == pow10.size()) return best;
  }
  uint64_t cost[3] = {xor_bits, 0, 0};
  for (value_mode mode : {decimal_delta, decimal_dod}) {
    decimal_state st;
    for (size_t i = 0; i < points.size(); ++i) {
      if (!decimal_at(points[i].value, k, m)) return best;
      cost[mode] += class_cost(st.next(i, u(m), mode), int_widths);
    }
  }
  if (cost[decimal_delta] < cost[best.mode]) best = {decimal_delta, k};
  if (cost[decimal_dod] < cost[best.mode]) best = {decimal_dod, k};
  return best;
}

constexpr std::array<int64_t, 10> pow10i = {1,         10,         100,         1000,
                                            10000,     100000,     1000000,     10000000,
                                            100000000, 1000000000};

// How the times of a chunk are written: the coarsest unit 10^e ns (e ≤ 9) dividing every
// delta, and the cheaper of the two class tables.
struct time_plan {
  unsigned e = 0, table = 0;
};

time_plan plan_times(std::span<const number_sample> points) {
  time_plan plan{9, 0};
  for (size_t i = 1; i < points.size(); ++i) {
    const int64_t d = s(u(points[i].time_ns) - u(points[i - 1].time_ns));
    while (plan.e > 0 && d % pow10i[plan.e] != 0) --plan.e;
  }
  uint64_t cost[2] = {0, 0};
  for (unsigned t = 0; t < 2; ++t) {
    time_state times{points.empty() ? 0 : u(points.front().time_ns), 0, u(pow10i[plan.e])};
    for (size_t i = 1; i < points.size(); ++i)
      cost[t] += class_cost(zigzag(times.dod(u(points[i].time_ns))), time_tables[t]);
  }
  plan.table = cost[1] < cost[0] ? 1 : 0;
  return plan;
}

}  // namespace

void encode(std::span<const number_sample> points, std::string& out) {
  put_header(out, kind::number, points);
  const time_plan tp = plan_times(points);
  const value_plan plan = plan_values(points);
  out.push_back(static_cast<char>(tp.e | tp.table << 4));
  out.push_back(static_cast<char>(plan.mode | plan.k << 2));

  bit_writer w(out);
  time_state times{points.empty() ? 0 : u(points.front().time_ns), 0, u(pow10i[tp.e])};
  start_state starts;
  xor_coder values;
  decimal_state decimals;
  for (size_t i = 0; i < points.size(); ++i) {
    const auto& p = points[i];
    const uint64_t t = u(p.time_ns), st = u(p.start_ns);
    if (i > 0) put_classed(w, zigzag(times.dod(t)), time_tables[tp.table]);

    const unsigned code = starts.code(st);
    if (code == 0) {
      w.put(0, 1);
    } else if (code == 1) {
      w.put(0b10, 2);
    } else {
      w.put(0b11, 2);
      put_classed(w, zigzag(t - st), start_widths);
    }
    starts.advance(t, st);

    if (plan.mode == xor_mode) {
      values.code(bits_of(p.value), [&](uint64_t v, unsigned n) { w.put(v, n); });
    } else {
      int64_t m = 0;
      decimal_at(p.value, plan.k, m);  // checked by plan_values
      put_classed(w, decimals.next(i, u(m), plan.mode), int_widths);
    }
  }
  w.finish();
}

std::string decode(std::string_view blob, std::vector<number_sample>& out) {
  byte_reader hr(blob);
  header h;
  if (auto e = read_header(hr, h); !e.empty()) return e;
  if (h.k != kind::number) return wrong_kind("a number", h.k);
  uint8_t time_coding, coding;
  if (!hr.byte(time_coding) || !hr.byte(coding)) return "chunk truncated before its codings";
  const unsigned e = time_coding & 15, table = time_coding >> 4;
  const auto mode = static_cast<value_mode>(coding & 3);
  const unsigned k = coding >> 2;
  if (e >= pow10i.size() || table >= time_tables.size())
    return "corrupt chunk: unknown time coding";
  if (mode > decimal_dod || k >= pow10.size()) return "corrupt chunk: unknown value coding";
  // Every point takes at least two bits (a start code and a value).
  if (h.count > hr.left() * 4)
    return "chunk claims " + std::to_string(h.count) + " points, more than its " +
           std::to_string(blob.size()) + " bytes can hold";

  bit_reader in(hr.rest());
  const size_t old_size = out.size();
  out.reserve(old_size + h.count);
  time_state times{h.first, 0, u(pow10i[e])};
  start_state starts;
  uint64_t prev_bits = 0;
  unsigned lead = 0, trail = 0;
  bool window = false;
  decimal_state decimals;
  for (size_t i = 0; i < h.count; ++i) {
    const auto truncated = [&] {
      return rollback(out, old_size, "chunk truncated at point " + std::to_string(i));
    };
    const auto corrupt = [&](const char* what) {
      return rollback(out, old_size,
                      "corrupt chunk at point " + std::to_string(i) + ": " + what);
    };
    uint64_t t = h.first, z, v;
    if (i > 0) {
      if (!get_classed(in, z, time_tables[table])) return truncated();
      t = times.undod(unzigzag(z));
    }

    bool b;
    unsigned code = 0;
    uint64_t explicit_start = 0;
    if (!in.bit(b)) return truncated();
    if (b) {
      if (!in.bit(b)) return truncated();
      code = b ? 2 : 1;
      if (code == 2) {
        if (!get_classed(in, z, start_widths)) return truncated();
        explicit_start = t - unzigzag(z);
      }
    }
    const uint64_t st = starts.resolve(code, explicit_start);
    starts.advance(t, st);

    double value;
    if (mode == xor_mode) {
      if (i == 0) {
        if (!in.get(64, prev_bits)) return truncated();
      } else {
        if (!in.bit(b)) return truncated();
        if (b) {
          if (!in.bit(b)) return truncated();
          if (b) {  // a new window
            uint64_t lz, sig;
            if (!in.get(5, lz) || !in.get(6, sig)) return truncated();
            if (sig == 0) sig = 64;
            if (lz + sig > 64) return corrupt("XOR window wider than 64 bits");
            lead = static_cast<unsigned>(lz);
            trail = static_cast<unsigned>(64 - lz - sig);
            window = true;
          } else if (!window) {
            return corrupt("XOR window reused before one was set");
          }
          if (!in.get(64 - lead - trail, v)) return truncated();
          prev_bits ^= v << trail;
        }
      }
      value = double_of(prev_bits);
    } else {
      if (!get_classed(in, z, int_widths)) return truncated();
      value = static_cast<double>(s(decimals.undo(i, z, mode))) / pow10[k];
    }
    out.push_back({s(t), s(st), value});
  }
  if (h.count > 0 && times.time != h.last)
    return rollback(out, old_size, "corrupt chunk: last time differs from its header");
  uint64_t pad;
  if (in.left() >= 8 || !in.get(static_cast<unsigned>(in.left()), pad) || pad != 0)
    return rollback(out, old_size, "corrupt chunk: bytes after its last point");
  return {};
}

// ---------------------------------------------------------------------------------------
// Histograms

namespace {

enum hist_flags : uint8_t {
  start_mask = 3,
  h_layout = 1 << 2,
  h_sum = 1 << 3,
  h_min = 1 << 4,
  h_max = 1 << 5,
  h_reserved = 0xc0,
  e_sum = 1 << 2,
  e_min = 1 << 3,
  e_max = 1 << 4,
  e_layout = 1 << 5,
  e_zero_threshold = 1 << 6,
  e_reserved = 0x80,
};

// sum, min and max: presence flags and XOR against the previous present value.
struct stats_state {
  uint64_t prev[3] = {0, 0, 0};

  static uint8_t presence(const double (&v)[3], const uint8_t (&flag)[3]) {
    uint8_t f = 0;
    for (int j = 0; j < 3; ++j)
      if (bits_of(v[j]) != absent_bits) f |= flag[j];
    return f;
  }
  void put(std::string& out, const double (&v)[3]) {
    for (int j = 0; j < 3; ++j) {
      const uint64_t b = bits_of(v[j]);
      if (b == absent_bits) continue;
      put_xor_bytes(out, b ^ prev[j]);
      prev[j] = b;
    }
  }
  bool get(byte_reader& in, uint8_t flags, const uint8_t (&flag)[3], double* (&v)[3]) {
    for (int j = 0; j < 3; ++j) {
      if (!(flags & flag[j])) {
        *v[j] = double_of(absent_bits);
        continue;
      }
      uint64_t x;
      if (!in.xor_bytes(x)) return false;
      prev[j] ^= x;
      *v[j] = double_of(prev[j]);
    }
    return true;
  }
};

void put_start(std::string& out, unsigned code, uint64_t t, uint64_t st) {
  if (code == 2) put_varint(out, zigzag(t - st));
}

bool get_start(byte_reader& in, unsigned code, uint64_t t, const start_state& starts,
               uint64_t& st) {
  uint64_t z = 0;
  if (code == 3) return in.corrupt("unknown start code");
  if (code == 2 && !in.varint(z)) return false;
  st = starts.resolve(code, t - unzigzag(z));
  return true;
}

bool same_bits(std::span<const double> a, std::span<const double> b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](double x, double y) { return bits_of(x) == bits_of(y); });
}

// Reads `n` bucket counts as zigzag deltas against `prev(j)`; each takes at least one byte,
// which bounds `n` before anything is allocated.
template <class Prev>
bool get_counts(byte_reader& in, uint64_t n, std::vector<uint64_t>& counts, Prev&& prev) {
  if (n > in.left()) return in.truncated();
  counts.resize(n);
  for (size_t j = 0; j < n; ++j) {
    uint64_t z;
    if (!in.zz(z)) return false;
    counts[j] = prev(j) + z;
  }
  return true;
}

constexpr uint8_t h_stat_flags[3] = {h_sum, h_min, h_max};
constexpr uint8_t e_stat_flags[3] = {e_sum, e_min, e_max};

}  // namespace

void encode(std::span<const histogram_sample> points, std::string& out) {
  put_header(out, kind::histogram, points);
  time_state times{points.empty() ? 0 : u(points.front().time_ns), 0};
  start_state starts;
  stats_state stats;
  uint64_t prev_count = 0;
  const histogram_sample* prev = nullptr;
  for (const auto& p : points) {
    const uint64_t t = u(p.time_ns), st = u(p.start_ns);
    const double v[3] = {p.sum, p.min, p.max};
    const bool layout = !prev || prev->counts.size() != p.counts.size() ||
                        !same_bits(prev->bounds, p.bounds);
    const unsigned code = starts.code(st);
    out.push_back(static_cast<char>(code | (layout ? h_layout : 0) |
                                    stats_state::presence(v, h_stat_flags)));
    if (prev) put_varint(out, zigzag(times.dod(t)));
    put_start(out, code, t, st);
    starts.advance(t, st);
    if (layout) {
      put_varint(out, p.bounds.size());
      put_varint(out, p.counts.size());
      for (double b : p.bounds) put_fixed64(out, bits_of(b));
    }
    put_varint(out, zigzag(p.count - prev_count));
    prev_count = p.count;
    for (size_t j = 0; j < p.counts.size(); ++j)
      put_varint(out, zigzag(p.counts[j] - (layout ? 0 : prev->counts[j])));
    stats.put(out, v);
    prev = &p;
  }
}

std::string decode(std::string_view blob, std::vector<histogram_sample>& out) {
  byte_reader in(blob);
  header h;
  if (auto e = read_header(in, h); !e.empty()) return e;
  if (h.k != kind::histogram) return wrong_kind("a histogram", h.k);
  if (h.count > in.left())  // a point takes at least a flags byte
    return "chunk claims " + std::to_string(h.count) + " points, more than its " +
           std::to_string(blob.size()) + " bytes can hold";

  // Unchanged bounds are copied into every point without costing bytes: cap what the
  // copies may add up to (a valid chunk has more bucket counts, one byte each, than bounds).
  uint64_t budget = 8 * uint64_t{blob.size()} + 4096;
  const size_t old_size = out.size();
  out.reserve(old_size + h.count);
  time_state times{h.first, 0};
  start_state starts;
  stats_state stats;
  uint64_t prev_count = 0;
  std::vector<double> bounds;
  std::vector<uint64_t> prev_counts;
  for (size_t i = 0; i < h.count; ++i) {
    histogram_sample p;
    uint8_t flags;
    uint64_t t = h.first, z, st, nb = 0, nc = prev_counts.size();
    if (!in.byte(flags)) return rollback(out, old_size, at_point(in, i));
    if (flags & h_reserved) in.corrupt("unknown flags");
    else if (i == 0 && !(flags & h_layout)) in.corrupt("first point without bounds");
    if (in.why() != failure::none) return rollback(out, old_size, at_point(in, i));
    if (i > 0) {
      if (!in.zz(z)) return rollback(out, old_size, at_point(in, i));
      t = times.undod(z);
    }
    if (!get_start(in, flags & start_mask, t, starts, st))
      return rollback(out, old_size, at_point(in, i));
    starts.advance(t, st);
    const bool layout = flags & h_layout;
    if (layout) {
      if (!in.varint(nb) || !in.varint(nc)) return rollback(out, old_size, at_point(in, i));
      if (nb > in.left() / 8) in.truncated();
      else bounds.resize(nb);
      for (size_t j = 0; j < nb && in.why() == failure::none; ++j) {
        uint64_t b;
        if (in.fixed64(b)) bounds[j] = double_of(b);
      }
      if (in.why() != failure::none) return rollback(out, old_size, at_point(in, i));
      prev_counts.clear();
    }
    const uint64_t cost = bounds.size() + nc;
    if (cost > budget) in.corrupt("more buckets than the chunk's size can hold");
    budget -= std::min(cost, budget);
    if (in.why() != failure::none || !in.zz(z) ||
        !get_counts(in, nc, p.counts, [&](size_t j) {
          return j < prev_counts.size() ? prev_counts[j] : 0;
        }))
      return rollback(out, old_size, at_point(in, i));
    p.count = prev_count += z;
    double* v[3] = {&p.sum, &p.min, &p.max};
    if (!stats.get(in, flags, h_stat_flags, v)) return rollback(out, old_size, at_point(in, i));
    p.time_ns = s(t);
    p.start_ns = s(st);
    p.bounds = bounds;
    prev_counts = p.counts;
    out.push_back(std::move(p));
  }
  if (h.count > 0 && times.time != h.last)
    return rollback(out, old_size, "corrupt chunk: last time differs from its header");
  if (in.left() != 0) return rollback(out, old_size, "corrupt chunk: bytes after its last point");
  return {};
}

// ---------------------------------------------------------------------------------------
// Exponential histograms

namespace {

// The count of absolute bucket index `index` in the previous point's bucket list (0 when
// the list did not reach it).
uint64_t count_at(const std::vector<uint64_t>& counts, int64_t offset, int64_t index) {
  const int64_t j = index - offset;
  return j >= 0 && j < static_cast<int64_t>(counts.size()) ? counts[static_cast<size_t>(j)] : 0;
}

void put_buckets(std::string& out, const std::vector<uint64_t>& counts, int32_t offset,
                 const std::vector<uint64_t>* prev, int32_t prev_offset) {
  for (size_t j = 0; j < counts.size(); ++j) {
    const int64_t index = int64_t{offset} + static_cast<int64_t>(j);
    put_varint(out, zigzag(counts[j] - (prev ? count_at(*prev, prev_offset, index) : 0)));
  }
}

bool get_int32(byte_reader& in, int32_t& v) {
  uint64_t z;
  if (!in.zz(z)) return false;
  const int64_t x = s(z);
  if (x < std::numeric_limits<int32_t>::min() || x > std::numeric_limits<int32_t>::max())
    return in.corrupt("scale or offset out of range");
  v = static_cast<int32_t>(x);
  return true;
}

}  // namespace

void encode(std::span<const exponential_histogram_sample> points, std::string& out) {
  put_header(out, kind::exponential_histogram, points);
  time_state times{points.empty() ? 0 : u(points.front().time_ns), 0};
  start_state starts;
  stats_state stats;
  uint64_t prev_count = 0, prev_zero = 0, prev_threshold = 0;
  const exponential_histogram_sample* prev = nullptr;
  for (const auto& p : points) {
    const uint64_t t = u(p.time_ns), st = u(p.start_ns);
    const double v[3] = {p.sum, p.min, p.max};
    const bool layout = !prev || prev->scale != p.scale ||
                        prev->positive_offset != p.positive_offset ||
                        prev->negative_offset != p.negative_offset ||
                        prev->positive.size() != p.positive.size() ||
                        prev->negative.size() != p.negative.size();
    const bool threshold = bits_of(p.zero_threshold) != prev_threshold;
    const unsigned code = starts.code(st);
    out.push_back(static_cast<char>(code | (layout ? e_layout : 0) |
                                    (threshold ? e_zero_threshold : 0) |
                                    stats_state::presence(v, e_stat_flags)));
    if (prev) put_varint(out, zigzag(times.dod(t)));
    put_start(out, code, t, st);
    starts.advance(t, st);
    if (layout) {
      put_varint(out, zigzag(u(p.scale)));
      put_varint(out, zigzag(u(p.positive_offset)));
      put_varint(out, p.positive.size());
      put_varint(out, zigzag(u(p.negative_offset)));
      put_varint(out, p.negative.size());
    }
    if (threshold) put_fixed64(out, prev_threshold = bits_of(p.zero_threshold));
    put_varint(out, zigzag(p.count - prev_count));
    put_varint(out, zigzag(p.zero_count - prev_zero));
    prev_count = p.count;
    prev_zero = p.zero_count;
    // Deltas against the same bucket index only make sense at the same scale.
    const bool aligned = prev && prev->scale == p.scale;
    put_buckets(out, p.positive, p.positive_offset, aligned ? &prev->positive : nullptr,
                aligned ? prev->positive_offset : 0);
    put_buckets(out, p.negative, p.negative_offset, aligned ? &prev->negative : nullptr,
                aligned ? prev->negative_offset : 0);
    stats.put(out, v);
    prev = &p;
  }
}

std::string decode(std::string_view blob, std::vector<exponential_histogram_sample>& out) {
  byte_reader in(blob);
  header h;
  if (auto e = read_header(in, h); !e.empty()) return e;
  if (h.k != kind::exponential_histogram) return wrong_kind("an exponential histogram", h.k);
  if (h.count > in.left())  // a point takes at least a flags byte
    return "chunk claims " + std::to_string(h.count) + " points, more than its " +
           std::to_string(blob.size()) + " bytes can hold";

  const size_t old_size = out.size();
  out.reserve(old_size + h.count);
  time_state times{h.first, 0};
  start_state starts;
  stats_state stats;
  uint64_t prev_count = 0, prev_zero = 0, threshold = 0;
  exponential_histogram_sample prev;  // the layout and buckets of the previous point
  for (size_t i = 0; i < h.count; ++i) {
    exponential_histogram_sample p;
    uint8_t flags;
    uint64_t t = h.first, z, st, npos = prev.positive.size(), nneg = prev.negative.size();
    const auto fail = [&] { return rollback(out, old_size, at_point(in, i)); };
    if (!in.byte(flags)) return fail();
    if (flags & e_reserved) in.corrupt("unknown flags");
    else if (i == 0 && !(flags & e_layout)) in.corrupt("first point without a layout");
    if (in.why() != failure::none) return fail();
    if (i > 0) {
      if (!in.zz(z)) return fail();
      t = times.undod(z);
    }
    if (!get_start(in, flags & start_mask, t, starts, st)) return fail();
    starts.advance(t, st);
    p.scale = prev.scale;
    p.positive_offset = prev.positive_offset;
    p.negative_offset = prev.negative_offset;
    if ((flags & e_layout) &&
        (!get_int32(in, p.scale) || !get_int32(in, p.positive_offset) || !in.varint(npos) ||
         !get_int32(in, p.negative_offset) || !in.varint(nneg)))
      return fail();
    if ((flags & e_zero_threshold) && !in.fixed64(threshold)) return fail();
    p.zero_threshold = double_of(threshold);
    uint64_t dz;
    if (!in.zz(z) || !in.zz(dz)) return fail();
    p.count = prev_count += z;
    p.zero_count = prev_zero += dz;
    const bool aligned = i > 0 && prev.scale == p.scale;
    const auto from = [&](const std::vector<uint64_t>& counts, int32_t offset,
                          int32_t new_offset) {
      return [&counts, offset, new_offset, aligned](size_t j) {
        return aligned ? count_at(counts, offset, int64_t{new_offset} + static_cast<int64_t>(j))
                       : 0;
      };
    };
    if (!get_counts(in, npos, p.positive, from(prev.positive, prev.positive_offset,
                                                p.positive_offset)) ||
        !get_counts(in, nneg, p.negative, from(prev.negative, prev.negative_offset,
                                                p.negative_offset)))
      return fail();
    double* v[3] = {&p.sum, &p.min, &p.max};
    if (!stats.get(in, flags, e_stat_flags, v)) return fail();
    p.time_ns = s(t);
    p.start_ns = s(st);
    prev.scale = p.scale;
    prev.positive_offset = p.positive_offset;
    prev.negative_offset = p.negative_offset;
    prev.positive = p.positive;
    prev.negative = p.negative;
    out.push_back(std::move(p));
  }
  if (h.count > 0 && times.time != h.last)
    return rollback(out, old_size, "corrupt chunk: last time differs from its header");
  if (in.left() != 0) return rollback(out, old_size, "corrupt chunk: bytes after its last point");
  return {};
}

bool peek(std::string_view blob, uint32_t& count, int64_t& first_ns, int64_t& last_ns) {
  byte_reader in(blob);
  header h;
  if (!read_header(in, h).empty()) return false;
  count = h.count;
  first_ns = s(h.first);
  last_ns = s(h.last);
  return true;
}

}  // namespace agtel::store::chunk
