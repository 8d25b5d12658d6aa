// The metric store's chunk format (src/store/chunk_codec.hpp): exact round trips of every
// kind, edge values and shapes, the sizes the disk budget depends on, and hostile input
// (truncations, random and mutated bytes, lying headers) that must give a message and leave
// the output as it was.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <algorithm>
#include <limits>
#include <random>

#include "store/chunk_codec.hpp"

namespace agtel::test {
namespace {

using query::exponential_histogram_sample;
using query::histogram_sample;
using query::number_sample;
namespace chunk = store::chunk;

constexpr int64_t sec = 1'000'000'000;
constexpr int64_t t0 = 1'700'000'000 * sec;
const double nan = std::numeric_limits<double>::quiet_NaN();
const double inf = std::numeric_limits<double>::infinity();

uint64_t bits(double v) { return std::bit_cast<uint64_t>(v); }
double from_bits(uint64_t b) { return std::bit_cast<double>(b); }

bool same(double a, double b) { return bits(a) == bits(b); }
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](double x, double y) { return same(x, y); });
}
bool same(const number_sample& a, const number_sample& b) {
  return a.time_ns == b.time_ns && a.start_ns == b.start_ns && same(a.value, b.value);
}
bool same(const histogram_sample& a, const histogram_sample& b) {
  return a.time_ns == b.time_ns && a.start_ns == b.start_ns && a.count == b.count &&
         same(a.sum, b.sum) && same(a.min, b.min) && same(a.max, b.max) &&
         same(a.bounds, b.bounds) && a.counts == b.counts;
}
bool same(const exponential_histogram_sample& a, const exponential_histogram_sample& b) {
  return a.time_ns == b.time_ns && a.start_ns == b.start_ns && a.count == b.count &&
         same(a.sum, b.sum) && same(a.min, b.min) && same(a.max, b.max) &&
         a.scale == b.scale && a.zero_count == b.zero_count &&
         same(a.zero_threshold, b.zero_threshold) && a.positive_offset == b.positive_offset &&
         a.negative_offset == b.negative_offset && a.positive == b.positive &&
         a.negative == b.negative;
}

// Encodes, decodes (after a sentinel element already in `out`) and compares; also checks
// peek and that encode appends after what the string held.
template <class Sample>
testing::AssertionResult round_trips(const std::vector<Sample>& points, size_t* size = nullptr) {
  std::string blob = "prefix";
  chunk::encode(std::span<const Sample>(points), blob);
  const std::string_view body = std::string_view(blob).substr(6);
  if (size) *size = body.size();
  std::vector<Sample> out(1);
  if (auto e = chunk::decode(body, out); !e.empty())
    return testing::AssertionFailure() << "decode: " << e;
  if (out.size() != points.size() + 1)
    return testing::AssertionFailure() << out.size() - 1 << " points, " << points.size()
                                       << " written";
  for (size_t i = 0; i < points.size(); ++i)
    if (!same(points[i], out[i + 1])) return testing::AssertionFailure() << "point " << i;
  uint32_t count;
  int64_t first, last;
  if (!chunk::peek(body, count, first, last) || count != points.size() ||
      (!points.empty() && (first != points.front().time_ns || last != points.back().time_ns)))
    return testing::AssertionFailure() << "peek";
  return testing::AssertionSuccess();
}

// Every proper prefix of a valid chunk fails with a message and leaves `out` alone.
template <class Sample>
void expect_truncations_fail(const std::vector<Sample>& points) {
  std::string blob;
  chunk::encode(std::span<const Sample>(points), blob);
  for (size_t n = 0; n < blob.size(); ++n) {
    std::vector<Sample> out(2);
    out[1].time_ns = 42;
    const std::string e = chunk::decode(std::string_view(blob).substr(0, n), out);
    EXPECT_FALSE(e.empty()) << "prefix of " << n << " of " << blob.size() << " bytes";
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[1].time_ns, 42);
  }
}

// Flipped bytes and random blobs never crash; an error leaves `out` alone.
template <class Sample>
void expect_mutations_safe(const std::vector<Sample>& points, uint32_t seed) {
  std::string blob;
  chunk::encode(std::span<const Sample>(points), blob);
  std::mt19937 rng(seed);
  for (int round = 0; round < 3000; ++round) {
    std::string bad = blob;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
    std::vector<Sample> out(1);
    out[0].time_ns = 7;
    if (!chunk::decode(bad, out).empty()) {
      ASSERT_EQ(out.size(), 1u);
      EXPECT_EQ(out[0].time_ns, 7);
    }
  }
  for (int round = 0; round < 3000; ++round) {
    std::string bad(rng() % 64, '\0');
    for (char& c : bad) c = static_cast<char>(rng());
    if (rng() % 2 && bad.size() >= 2) {  // past the version and kind checks
      bad[0] = 1;
      bad[1] = static_cast<char>(1 + rng() % 3);
    }
    std::vector<Sample> out(1);
    if (!chunk::decode(bad, out).empty()) {
      ASSERT_EQ(out.size(), 1u);
    }
  }
}

// --- numbers --------------------------------------------------------------------------

std::vector<number_sample> counter(size_t n, int64_t jitter_ns, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int64_t> jitter(-jitter_ns, jitter_ns);
  std::vector<number_sample> v;
  double value = 1000;
  for (size_t i = 0; i < n; ++i) {
    v.push_back({t0 + static_cast<int64_t>(i) * 15 * sec + jitter(rng), t0 - 3600 * sec, value});
    value += static_cast<double>(rng() % 8);
  }
  return v;
}

TEST(StoreChunk, NumbersEmptyAndOnePoint) {
  EXPECT_TRUE(round_trips(std::vector<number_sample>{}));
  EXPECT_TRUE(round_trips(std::vector<number_sample>{{t0, 0, 1.5}}));
  EXPECT_TRUE(round_trips(std::vector<number_sample>{{t0, t0, -0.0}}));
  EXPECT_TRUE(round_trips(std::vector<number_sample>{{-5, t0, nan}}));
  EXPECT_TRUE(round_trips(std::vector<number_sample>{{0, 0, 0}}));
}

TEST(StoreChunk, NumbersRegularCounterUnderTwoBytesPerSample) {
  const auto points = counter(240, 0, 1);
  size_t size = 0;
  ASSERT_TRUE(round_trips(points, &size));
  EXPECT_LT(static_cast<double>(size) / 240, 2.0) << size << " bytes";
  EXPECT_TRUE(round_trips(counter(240, 2'000'000, 2)));  // ±2 ms on each timestamp
  EXPECT_TRUE(round_trips(counter(240, 100'000, 3)));
}

TEST(StoreChunk, NumbersOnMillisecondAndSecondGrids) {
  std::mt19937 rng(23);
  std::vector<number_sample> ms, s;
  for (int i = 0; i < 240; ++i) {
    ms.push_back({t0 + i * 15 * sec + static_cast<int64_t>(rng() % 5) * 1'000'000, 0, 1.0 * i});
    s.push_back({t0 + i * 60 * sec + (i % 2) * sec, 0, 1.0 * i});
  }
  size_t size = 0;
  ASSERT_TRUE(round_trips(ms, &size));
  EXPECT_LT(static_cast<double>(size) / 240, 1.5) << size << " bytes";
  ASSERT_TRUE(round_trips(s, &size));
  EXPECT_LT(static_cast<double>(size) / 240, 1.25) << size << " bytes";
}

TEST(StoreChunk, NumbersGaugesWithFewDigitsUnderTwoBytesPerSample) {
  std::mt19937 rng(4);
  std::vector<number_sample> util, queue;
  int u = 730, q = 20;
  for (int i = 0; i < 240; ++i) {
    u = std::clamp(u + static_cast<int>(rng() % 41) - 20, 0, 1000);
    q = std::max(0, q + static_cast<int>(rng() % 7) - 3);
    util.push_back({t0 + i * 15 * sec, 0, u / 1000.0});
    queue.push_back({t0 + i * 15 * sec, 0, static_cast<double>(q)});
  }
  size_t size = 0;
  ASSERT_TRUE(round_trips(util, &size));
  EXPECT_LT(static_cast<double>(size) / 240, 2.0) << size << " bytes";
  ASSERT_TRUE(round_trips(queue, &size));
  EXPECT_LT(static_cast<double>(size) / 240, 2.0) << size << " bytes";
}

TEST(StoreChunk, NumbersSpecialValuesBitExact) {
  const double values[] = {0.0,
                           -0.0,
                           inf,
                           -inf,
                           nan,
                           -nan,
                           from_bits(0x7ff0000000000001),  // signalling NaN payload
                           from_bits(0x7ff8dead0000beef),
                           from_bits(0xfff0000000000abc),
                           std::numeric_limits<double>::denorm_min(),
                           std::numeric_limits<double>::max(),
                           std::numeric_limits<double>::lowest(),
                           9007199254740992.0,  // 2^53
                           -9007199254740992.0,
                           9007199254740993.0,  // rounds to 2^53
                           18014398509481984.0,
                           0.1 + 0.2,
                           1e-300,
                           3.0};
  std::vector<number_sample> points;
  for (size_t i = 0; i < std::size(values); ++i)
    points.push_back({t0 + static_cast<int64_t>(i), 0, values[i]});
  EXPECT_TRUE(round_trips(points));
  // Each alone and in pairs, so that every value is also a chunk's first and a delta.
  for (double a : values)
    for (double b : values)
      ASSERT_TRUE(round_trips(std::vector<number_sample>{{1, 0, a}, {2, 0, b}, {3, 0, a}}))
          << a << " " << b;
}

TEST(StoreChunk, NumbersIntegersUpTo2To53AndDecreasing) {
  std::vector<number_sample> points;
  double v = 9007199254740992.0;
  for (int i = 0; i < 240; ++i) {
    points.push_back({t0 + i * sec, 0, v});
    v = i % 2 ? -v / 3 : std::floor(v / 7);
  }
  EXPECT_TRUE(round_trips(points));
  points.clear();
  for (int i = 0; i < 240; ++i) points.push_back({t0 + i * sec, 0, 1e6 - i * 0.25});
  EXPECT_TRUE(round_trips(points));
  // A decimal chunk whose last value is -0.0 must fall back to XOR and keep its sign.
  points.push_back({t0 + 1000 * sec, 0, -0.0});
  EXPECT_TRUE(round_trips(points));
}

TEST(StoreChunk, NumbersExtremeTimes) {
  constexpr int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  EXPECT_TRUE(round_trips(std::vector<number_sample>{{lo, hi, 1}, {hi, lo, 2}}));
  EXPECT_TRUE(round_trips(std::vector<number_sample>{{lo, 0, 1}, {lo + 1, 0, 2}, {hi, 0, 3}}));
  EXPECT_TRUE(round_trips(std::vector<number_sample>{
      {-3 * sec, -4 * sec, 1}, {-1, -3 * sec, 2}, {0, -1, 3}, {5, 0, 4}}));
  // Jumps of every size, forwards and (against the contract, still exact) backwards.
  std::vector<number_sample> points;
  int64_t t = t0;
  for (int i = 0; i < 62; ++i) {
    t += int64_t{1} << i;
    points.push_back({t, 0, static_cast<double>(i)});
  }
  for (int i = 0; i < 62; ++i) points.push_back({t -= int64_t{3} << i, t, 1.0 / (i + 1)});
  EXPECT_TRUE(round_trips(points));
}

TEST(StoreChunk, NumbersStartPatterns) {
  std::vector<number_sample> cumulative, delta, mixed;
  for (int i = 0; i < 240; ++i) {
    const int64_t t = t0 + i * 10 * sec;
    // A restart every 50 points: the start jumps to just before the point.
    cumulative.push_back({t, t0 - sec + (i / 50) * 500 * sec, static_cast<double>(i % 50)});
    delta.push_back({t, i ? t - 10 * sec : t - 10 * sec, static_cast<double>(i % 3)});
    mixed.push_back({t, i % 4 == 0 ? 0 : i % 4 == 1 ? t : i % 4 == 2 ? t + 7 : t - (int64_t{1} << 40), 1.25});
  }
  EXPECT_TRUE(round_trips(cumulative));
  EXPECT_TRUE(round_trips(delta));
  EXPECT_TRUE(round_trips(mixed));
}

TEST(StoreChunk, NumbersRandom) {
  std::mt19937_64 rng(5);
  for (int round = 0; round < 300; ++round) {
    std::vector<number_sample> points;
    const size_t n = 1 + rng() % 240;
    int64_t t = static_cast<int64_t>(rng() >> 2) - (int64_t{1} << 61), start = 0;
    for (size_t i = 0; i < n; ++i) {
      t += 1 + static_cast<int64_t>(rng() % (round % 3 == 0 ? 1000 : uint64_t{1} << (rng() % 50)));
      switch (rng() % 4) {
        case 0: break;
        case 1: start = i ? points.back().time_ns : 0; break;
        case 2: start = t - static_cast<int64_t>(rng() % 1'000'000); break;
        default: start = static_cast<int64_t>(rng());
      }
      double v;
      switch (round % 4) {
        case 0: v = from_bits(rng()); break;
        case 1: v = static_cast<double>(static_cast<int64_t>(rng() % 2001) - 1000) / 100; break;
        case 2: v = static_cast<double>(rng() >> (rng() % 64)); break;
        default: v = i % 7 ? 42.0 : from_bits(rng());
      }
      points.push_back({t, start, v});
    }
    ASSERT_TRUE(round_trips(points)) << "round " << round;
  }
}

// --- histograms -----------------------------------------------------------------------

std::vector<histogram_sample> histograms(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  const std::vector<double> bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                      0.5,   1,    2.5,   5,    10};
  histogram_sample h;
  h.start_ns = t0 - 3600 * sec;
  h.bounds = bounds;
  h.counts.assign(bounds.size() + 1, 0);
  h.min = 0.0031;
  h.max = 7.2;
  std::vector<histogram_sample> v;
  for (size_t i = 0; i < n; ++i) {
    h.time_ns = t0 + static_cast<int64_t>(i) * 15 * sec;
    for (size_t b = 2; b < 9; ++b) {
      const uint64_t add = rng() % 5;
      h.counts[b] += add;
      h.count += add;
      h.sum += static_cast<double>(add) * bounds[b] * 0.7;
    }
    v.push_back(h);
  }
  return v;
}

TEST(StoreChunk, HistogramsRoundTrip) {
  EXPECT_TRUE(round_trips(std::vector<histogram_sample>{}));
  auto points = histograms(240, 6);
  size_t size = 0;
  EXPECT_TRUE(round_trips(points, &size));
  EXPECT_LT(size, 240u * 28);  // ≈ 25 B: 12 one-byte bucket deltas, ≈ 8 for the sum
  points.resize(1);
  EXPECT_TRUE(round_trips(points));
}

TEST(StoreChunk, HistogramsBoundChangesAbsentStatsAndResets) {
  auto points = histograms(60, 7);
  points[10].bounds = {1, 2, 3};
  points[10].counts = {0, 0, 0, 0};  // empty buckets
  points[11].bounds = {1, 2, 3};
  points[11].counts = {5, 0, 0, 1};
  points[12].bounds = {1, 2, -0.0};  // bits differ from 0.0: a change
  points[12].counts = {1, 2, 3, 4};
  points[13].bounds = {};
  points[13].counts = {};
  points[14].bounds = {};
  points[14].counts = {7};
  points[20].sum = nan;  // absent
  points[21].min = nan;
  points[21].max = nan;
  points[22].sum = from_bits(0x7ff8000000000123);  // present, a NaN with a payload
  points[23].count = 0;                            // reset: counts fall
  std::fill(points[23].counts.begin(), points[23].counts.end(), 0);
  points[30].start_ns = points[29].time_ns;
  points[31].start_ns = points[31].time_ns;
  points[32].start_ns = 0;
  points[33].time_ns = points[32].time_ns + 1;
  points[33].counts.back() = std::numeric_limits<uint64_t>::max();
  EXPECT_TRUE(round_trips(points));
  expect_truncations_fail(points);
}

// --- exponential histograms -----------------------------------------------------------

std::vector<exponential_histogram_sample> exponentials(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  exponential_histogram_sample e;
  e.start_ns = t0;
  e.scale = 3;
  e.positive_offset = -4;
  e.positive.assign(20, 0);
  e.negative_offset = 2;
  e.negative.assign(3, 0);
  e.zero_threshold = 1e-9;
  e.min = -3;
  e.max = 80;
  std::vector<exponential_histogram_sample> v;
  for (size_t i = 0; i < n; ++i) {
    e.time_ns = t0 + static_cast<int64_t>(i) * 15 * sec;
    for (auto& c : e.positive) c += rng() % 3;
    e.negative[rng() % 3] += 1;
    e.zero_count += rng() % 2;
    e.count = e.zero_count;
    for (auto c : e.positive) e.count += c;
    for (auto c : e.negative) e.count += c;
    e.sum += 12.5 * static_cast<double>(rng() % 100);
    v.push_back(e);
  }
  return v;
}

TEST(StoreChunk, ExponentialHistogramsRoundTrip) {
  EXPECT_TRUE(round_trips(std::vector<exponential_histogram_sample>{}));
  auto points = exponentials(240, 8);
  EXPECT_TRUE(round_trips(points));
  points.resize(1);
  EXPECT_TRUE(round_trips(points));
}

TEST(StoreChunk, ExponentialHistogramsScaleOffsetAndLengthChanges) {
  auto points = exponentials(40, 9);
  points[5].positive_offset -= 3;  // grew downwards
  points[5].positive.insert(points[5].positive.begin(), {1, 2, 3});
  points[6] = points[5];
  points[6].time_ns = points[5].time_ns + sec;
  points[6].positive.push_back(9);  // grew upwards
  points[7].scale = 2;              // downscaled
  points[7].positive.resize(10);
  points[8].scale = -10;
  points[8].positive.clear();
  points[8].negative.clear();
  points[9].positive_offset = std::numeric_limits<int32_t>::min();
  points[9].negative_offset = std::numeric_limits<int32_t>::max();
  points[10].zero_threshold = 0;
  points[11].zero_threshold = -0.0;
  points[12].sum = nan;
  points[12].min = nan;
  points[13].max = inf;
  points[14].zero_count = 0;  // reset
  EXPECT_TRUE(round_trips(points));
  expect_truncations_fail(points);
}

// --- hostile input --------------------------------------------------------------------

TEST(StoreChunk, EveryTruncationFails) {
  expect_truncations_fail(counter(240, 0, 10));
  expect_truncations_fail(counter(240, 2'000'000, 11));
  expect_truncations_fail(std::vector<number_sample>{{t0, 0, 0.1 + 0.2}});
  expect_truncations_fail(std::vector<number_sample>{});
  expect_truncations_fail(histograms(30, 12));
  expect_truncations_fail(exponentials(30, 13));
}

TEST(StoreChunk, MutatedAndRandomBytesAreSafe) {
  expect_mutations_safe(counter(50, 1000, 14), 15);
  auto gauges = counter(50, 0, 16);
  for (auto& p : gauges) p.value = std::sqrt(p.value);  // XOR mode
  expect_mutations_safe(gauges, 17);
  expect_mutations_safe(histograms(20, 18), 19);
  expect_mutations_safe(exponentials(20, 20), 21);
}

std::string header(uint8_t kind, uint64_t count) {
  std::string b = {1, static_cast<char>(kind)};
  for (; count >= 0x80; count >>= 7) b.push_back(static_cast<char>(count | 0x80));
  b.push_back(static_cast<char>(count));
  b.append(8, '\0');  // first time
  b.push_back(0);     // last − first
  return b;
}

TEST(StoreChunk, LyingHeaders) {
  std::vector<number_sample> numbers(1);
  std::vector<histogram_sample> hists(1);
  std::vector<exponential_histogram_sample> exps(1);
  const std::string zeros(64, '\0');
  for (uint64_t count : {uint64_t{1} << 32, uint64_t{0xffffffff}, uint64_t{1000}}) {
    EXPECT_NE(chunk::decode(header(1, count) + zeros, numbers), "") << count;
    EXPECT_NE(chunk::decode(header(2, count) + zeros, hists), "") << count;
    EXPECT_NE(chunk::decode(header(3, count) + zeros, exps), "") << count;
  }
  EXPECT_EQ(chunk::decode(header(1, 1ull << 32), numbers),
            "chunk claims 4294967296 points, more than a chunk can hold");
  EXPECT_EQ(numbers.size(), 1u);
  EXPECT_EQ(hists.size(), 1u);
  EXPECT_EQ(exps.size(), 1u);

  uint32_t count;
  int64_t first, last;
  EXPECT_FALSE(chunk::peek(header(1, 1ull << 32), count, first, last));
  EXPECT_TRUE(chunk::peek(header(1, 0xffffffff), count, first, last));
  EXPECT_EQ(count, 0xffffffffu);
  EXPECT_FALSE(chunk::peek("", count, first, last));
  EXPECT_FALSE(chunk::peek(header(4, 1), count, first, last));
}

TEST(StoreChunk, WrongKindAndVersion) {
  std::string blob;
  chunk::encode(std::span<const number_sample>(counter(10, 0, 22)), blob);
  std::vector<histogram_sample> hists(1);
  EXPECT_EQ(chunk::decode(blob, hists), "not a histogram chunk (it holds numbers)");
  std::vector<exponential_histogram_sample> exps;
  EXPECT_EQ(chunk::decode(blob, exps), "not an exponential histogram chunk (it holds numbers)");
  EXPECT_EQ(hists.size(), 1u);
  EXPECT_TRUE(exps.empty());

  std::vector<number_sample> numbers;
  std::string bad = blob;
  bad[0] = 2;
  EXPECT_EQ(chunk::decode(bad, numbers), "unsupported chunk format version 2");
  bad = blob;
  bad[1] = 9;
  EXPECT_EQ(chunk::decode(bad, numbers), "unknown chunk kind 9");
  EXPECT_EQ(chunk::decode(blob + std::string(1, '\0'), numbers),
            "corrupt chunk: bytes after its last point");
  EXPECT_TRUE(numbers.empty());
  EXPECT_EQ(chunk::decode(blob.substr(0, blob.size() - 1), numbers).rfind("chunk truncated at point ", 0), 0u);
}

}  // namespace
}  // namespace agtel::test
