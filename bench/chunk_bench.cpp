// The metric store's chunk format (src/store/chunk_codec.hpp): encode and decode of one
// 240-point chunk (an hour at 15 s), and its size.
//
//   BM_chunk_{encode,decode}_<series>/<jitter ns>
//     counter   cumulative, +0..7 per point (an agent's tool calls)
//     queue     gauge, integer random walk (a queue length)
//     util      gauge, 3 significant digits (0.730, 0.745: a utilization)
//     float     gauge, full-precision doubles (a latency average): the XOR fallback
//     Timestamps every 15 s, each moved by a uniform ±jitter (0, 100 µs, 2 ms: scrape and
//     SDK timer noise at nanosecond resolution; only a multiple of ~22 bits of it is
//     information, so no coder can hide it).
//   BM_chunk_{encode,decode}_histogram      12 buckets, counts growing by 0..4 per point
//   BM_chunk_{encode,decode}_exponential    scale 3, 20 positive + 3 negative buckets
//
// Counters: points/s, and bytes_per_sample (chunk bytes / points).
// Budget (issue 7): ≤ 2 bytes per sample for regular-interval counters and gauges.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "store/chunk_codec.hpp"

namespace {

using namespace agtel;
using query::exponential_histogram_sample;
using query::histogram_sample;
using query::number_sample;

constexpr size_t points_per_chunk = 240;
constexpr int64_t sec = 1'000'000'000;
constexpr int64_t t0 = 1'700'000'000 * sec;

enum class shape { counter, queue, util, real };

std::vector<number_sample> numbers(shape kind, int64_t jitter_ns) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<int64_t> jitter(-jitter_ns, jitter_ns);
  std::vector<number_sample> v;
  double counter = 12345;
  int queue = 20, util = 730;
  for (size_t i = 0; i < points_per_chunk; ++i) {
    const int64_t t = t0 + static_cast<int64_t>(i) * 15 * sec + jitter(rng);
    double value = 0;
    switch (kind) {
      case shape::counter: value = counter += static_cast<double>(rng() % 8); break;
      case shape::queue:
        queue = std::max(0, queue + static_cast<int>(rng() % 7) - 3);
        value = queue;
        break;
      case shape::util:
        util = std::clamp(util + static_cast<int>(rng() % 41) - 20, 0, 1000);
        value = util / 1000.0;
        break;
      case shape::real: value = 0.2 + static_cast<double>(rng() % 1000000) / 3.7e6; break;
    }
    v.push_back({t, kind == shape::counter ? t0 - 3600 * sec : 0, value});
  }
  return v;
}

std::vector<histogram_sample> histograms() {
  std::mt19937 rng(43);
  const std::vector<double> bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                      0.5,   1,    2.5,   5,    10};
  histogram_sample h;
  h.start_ns = t0 - 3600 * sec;
  h.bounds = bounds;
  h.counts.assign(bounds.size() + 1, 0);
  h.min = 0.0031;
  h.max = 7.2;
  std::vector<histogram_sample> v;
  for (size_t i = 0; i < points_per_chunk; ++i) {
    h.time_ns = t0 + static_cast<int64_t>(i) * 15 * sec;
    for (size_t b = 0; b < h.counts.size(); ++b) {
      const uint64_t add = rng() % 5;
      h.counts[b] += add;
      h.count += add;
      h.sum += static_cast<double>(add) * (b < bounds.size() ? bounds[b] : 20) * 0.7;
    }
    v.push_back(h);
  }
  return v;
}

std::vector<exponential_histogram_sample> exponentials() {
  std::mt19937 rng(44);
  exponential_histogram_sample e;
  e.start_ns = t0 - 3600 * sec;
  e.scale = 3;
  e.positive_offset = -4;
  e.positive.assign(20, 0);
  e.negative_offset = 2;
  e.negative.assign(3, 0);
  e.min = -3;
  e.max = 80;
  std::vector<exponential_histogram_sample> v;
  for (size_t i = 0; i < points_per_chunk; ++i) {
    e.time_ns = t0 + static_cast<int64_t>(i) * 15 * sec;
    for (auto& c : e.positive) c += rng() % 3;
    e.negative[rng() % 3] += 1;
    e.count = 0;
    for (auto c : e.positive) e.count += c;
    for (auto c : e.negative) e.count += c;
    e.sum += 12.5 * static_cast<double>(rng() % 100);
    v.push_back(e);
  }
  return v;
}

template <class Sample>
void encode_loop(benchmark::State& state, const std::vector<Sample>& points) {
  std::string blob;
  for (auto _ : state) {
    blob.clear();
    store::chunk::encode(std::span<const Sample>(points), blob);
    benchmark::DoNotOptimize(blob.data());
  }
  state.counters["points/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * points.size()), benchmark::Counter::kIsRate);
  state.counters["bytes_per_sample"] =
      static_cast<double>(blob.size()) / static_cast<double>(points.size());
}

template <class Sample>
void decode_loop(benchmark::State& state, const std::vector<Sample>& points) {
  std::string blob;
  store::chunk::encode(std::span<const Sample>(points), blob);
  std::vector<Sample> out;  // reused, as the store's reader does
  for (auto _ : state) {
    out.clear();
    if (!store::chunk::decode(blob, out).empty()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["points/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * points.size()), benchmark::Counter::kIsRate);
  state.counters["bytes_per_sample"] =
      static_cast<double>(blob.size()) / static_cast<double>(points.size());
}

template <shape kind>
void BM_chunk_encode(benchmark::State& state) {
  encode_loop(state, numbers(kind, state.range(0)));
}
template <shape kind>
void BM_chunk_decode(benchmark::State& state) {
  decode_loop(state, numbers(kind, state.range(0)));
}

#define AGTEL_CHUNK_BENCH(kind, name)                                           \
  BENCHMARK(BM_chunk_encode<shape::kind>)->Name("BM_chunk_encode_" name)->Arg(0) \
      ->Arg(100'000)->Arg(2'000'000);                                           \
  BENCHMARK(BM_chunk_decode<shape::kind>)->Name("BM_chunk_decode_" name)->Arg(0) \
      ->Arg(100'000)->Arg(2'000'000)

AGTEL_CHUNK_BENCH(counter, "counter");
AGTEL_CHUNK_BENCH(queue, "queue");
AGTEL_CHUNK_BENCH(util, "util");
AGTEL_CHUNK_BENCH(real, "float");

void BM_chunk_encode_histogram(benchmark::State& state) { encode_loop(state, histograms()); }
void BM_chunk_decode_histogram(benchmark::State& state) { decode_loop(state, histograms()); }
void BM_chunk_encode_exponential(benchmark::State& state) { encode_loop(state, exponentials()); }
void BM_chunk_decode_exponential(benchmark::State& state) { decode_loop(state, exponentials()); }
BENCHMARK(BM_chunk_encode_histogram);
BENCHMARK(BM_chunk_decode_histogram);
BENCHMARK(BM_chunk_encode_exponential);
BENCHMARK(BM_chunk_decode_exponential);

}  // namespace

BENCHMARK_MAIN();
