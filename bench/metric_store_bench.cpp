// The metric store (issue 7) without HTTP: decoded OTLP metric batches into the writer,
// compaction into chunks, and queries read back from the SQLite file.
//
//   BM_metric_store_ingest/series:N   samples/s into the store (one batch = one collection
//                                     of N series, one point each, as an SDK sends them)
//   BM_metric_bytes_per_sample        disk per sample once compacted, for regular 15 s
//                                     counters and gauges, and for histograms
//   BM_metric_query_p95               p95 of a histogram metric over 1 hour × 1,000 series
//                                     at 15 s, read from the store and evaluated
//   BM_metric_query_1m_points         an aggregation over 1,000,000 raw points from the store
//
// Budgets (issue 7): ≤ 2 bytes per sample for regular counters and gauges; p95 over 1 h ×
// 1,000 series ≤ 20 ms; a function over 1M raw points ≤ 100 ms. (The OTLP ingest budget,
// ≥ 500,000 samples/s, is measured end to end in serve_bench.)
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <filesystem>
#include <future>
#include <random>
#include <string>
#include <thread>

#include "otlp/codec.hpp"
#include "query/query.hpp"
#include "store/store.hpp"

namespace {

using namespace agtel;
namespace fs = std::filesystem;

constexpr int64_t second = 1'000'000'000;
constexpr int64_t t0 = 1'700'000'000 * second;
const char* const models[] = {"gpt-4o", "gpt-4o-mini", "claude-sonnet-4", "llama-3.1-70b"};

struct temp_store {
  fs::path dir = fs::temp_directory_path() /
                 ("agtel-metric-bench-" + std::to_string(std::random_device{}()));
  std::string path = (dir / "agtel.db").string();
  temp_store() { fs::create_directories(dir); }
  ~temp_store() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  uint64_t bytes() const {
    std::error_code ec;
    uint64_t n = fs::file_size(path, ec);
    const uint64_t wal = fs::file_size(path + "-wal", ec);
    return ec ? n : n + wal;
  }
};

enum class shape { counter, gauge, histogram };

// The next point of `points`, cleared, as series `i` at time t: its model and agent
// labels, and the start time every series shares.
template <class Points>
auto& series_point(Points& points, size_t i, int64_t t) {
  auto& p = points.next();
  p = {};
  p.attributes.set("gen_ai.request.model", models[i % 4]);
  p.attributes.set("gen_ai.agent.name", "agent-" + std::to_string(i / 4));
  p.start_time = static_cast<timestamp_ns>(t0);
  p.time = static_cast<timestamp_ns>(t);
  return p;
}

// One collection: `series` series of `what`, one point each at time t. Counters grow by
// 0..7 a point; gauges are a queue length; histograms have 12 buckets.
otlp::metric_batch collection(size_t series, shape what, int64_t t, uint64_t step,
                              std::mt19937_64& rng) {
  otlp::metric_batch b;
  b.resources.emplace_back().attributes.set("service.name", "bench-agent");
  b.scopes.emplace_back().name = "agtel.agent";
  auto& rm = b.resource_metrics.emplace_back();
  rm.resource = &b.resources.back();
  auto& sm = rm.scopes.next();
  sm.scope = &b.scopes.back();
  sm.metrics.clear();
  metrics::metric_data& m = sm.metrics.next();
  m.description.clear();
  if (what == shape::histogram) {
    m.name = "gen_ai.client.operation.duration";
    m.unit = "s";
    metrics::histogram_data h;
    for (size_t i = 0; i < series; ++i) {
      auto& p = series_point(h.points, i, t);
      p.bounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
      p.bucket_counts.assign(12, 0);
      for (size_t k = 0; k < 12; ++k) p.bucket_counts[k] = step * (k + 1) + (rng() % 3) * step / 4;
      p.count = 0;
      for (uint64_t c : p.bucket_counts) p.count += c;
      p.sum = static_cast<double>(p.count) * 0.731;
    }
    m.data = std::move(h);
  } else {
    m.name = what == shape::counter ? "gen_ai.client.token.count" : "task.queue.size";
    m.unit = what == shape::counter ? "{token}" : "{task}";
    metrics::sum_data d;
    d.monotonic = what == shape::counter;
    for (size_t i = 0; i < series; ++i) {
      auto& p = series_point(d.points, i, t);
      p.value = what == shape::counter ? static_cast<int64_t>(step * 4 + rng() % 8 * step / 8)
                                       : static_cast<int64_t>(rng() % 20);
    }
    m.data = std::move(d);
  }
  return b;
}

// Fills a store with `points` collections of `series` series, 15 s apart, compacted.
std::unique_ptr<store::writer> fill(const std::string& path, size_t series, size_t points,
                                    shape what) {
  store::writer_options o;
  o.path = path;
  o.metric_head_points = 1;  // compact after every transaction
  std::string error;
  auto w = store::writer::open(o, error);
  if (!w) return nullptr;
  std::mt19937_64 rng(42);
  std::vector<std::future<bool>> pending;
  for (size_t i = 0; i < points; ++i) {
    auto b = collection(series, what, t0 + static_cast<int64_t>(i) * 15 * second, i, rng);
    auto p = std::make_shared<std::promise<bool>>();
    pending.push_back(p->get_future());
    w->submit(std::move(b), [p](bool ok, std::string_view) { p->set_value(ok); });
    if (pending.size() >= 16) {
      pending.front().get();
      pending.erase(pending.begin());
    }
  }
  for (auto& f : pending) f.get();
  const uint64_t total = series * points;
  while (w->stats().metric_points_compacted < total)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return w;
}

void BM_metric_store_ingest(benchmark::State& state) {
  const auto series = static_cast<size_t>(state.range(0));
  temp_store dir;
  store::writer_options o;
  o.path = dir.path;
  std::string error;
  auto w = store::writer::open(o, error);
  if (!w) {
    state.SkipWithError(error.c_str());
    return;
  }
  std::mt19937_64 rng(1);
  // Prepared outside the timing: decoding is the receiver's cost, measured in serve_bench.
  int64_t t = t0;
  uint64_t samples = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<otlp::metric_batch> batches;
    for (int i = 0; i < 8; ++i, t += 15 * second)
      batches.push_back(collection(series, shape::counter, t, static_cast<uint64_t>(i), rng));
    state.ResumeTiming();
    std::vector<std::future<bool>> done;
    for (auto& b : batches) {
      auto p = std::make_shared<std::promise<bool>>();
      done.push_back(p->get_future());
      w->submit(std::move(b), [p](bool ok, std::string_view) { p->set_value(ok); });
    }
    for (auto& f : done) f.get();
    samples += 8 * series;
  }
  state.counters["samples_per_s"] =
      benchmark::Counter(static_cast<double>(samples), benchmark::Counter::kIsRate);
  const auto st = w->stats();
  state.counters["compacted"] = static_cast<double>(st.metric_points_compacted);
}
BENCHMARK(BM_metric_store_ingest)
    ->ArgName("series")
    ->Arg(1000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_metric_bytes_per_sample(benchmark::State& state) {
  const auto what = static_cast<shape>(state.range(0));
  double bytes = 0, chunk_bytes = 0, samples = 0;
  for (auto _ : state) {
    temp_store dir;
    constexpr size_t series = 1000, points = 240;  // 1 hour at 15 s
    auto w = fill(dir.path, series, points, what);
    if (!w) {
      state.SkipWithError("cannot open the store");
      return;
    }
    w.reset();
    // The file as a whole (checkpointed: the WAL folded in), and the chunks' payload.
    sqlite3* db = nullptr;
    sqlite3_open(dir.path.c_str(), &db);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE); VACUUM", nullptr, nullptr, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT sum(length(data)) FROM metric_chunks", -1, &st, nullptr);
    if (sqlite3_step(st) == SQLITE_ROW) chunk_bytes = static_cast<double>(sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    bytes = static_cast<double>(dir.bytes());
    samples = static_cast<double>(series * points);
  }
  state.counters["file_bytes_per_sample"] = bytes / samples;
  state.counters["chunk_bytes_per_sample"] = chunk_bytes / samples;
}
BENCHMARK(BM_metric_bytes_per_sample)
    ->ArgName("counter0_gauge1_histogram2")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// One store per shape, filled once for the query benchmarks.
struct filled {
  temp_store dir;
  std::unique_ptr<store::writer> writer;
  filled(size_t series, size_t points, shape what)
      : writer(fill(dir.path, series, points, what)) {}
};

filled& histogram_store() {
  static filled data(1000, 241, shape::histogram);
  return data;
}

// A reader of `data`'s store; null, with the benchmark skipped, when it cannot be opened.
std::unique_ptr<store::reader> open_reader(benchmark::State& state, const filled& data) {
  std::string error;
  auto r = store::reader::open(data.dir.path, error);
  if (!r) state.SkipWithError(error.c_str());
  return r;
}

// Times `q` on `metric`: each iteration reads the metric's series over the query's range
// from `data`'s store and evaluates the query on them.
void time_query(benchmark::State& state, const filled& data, const char* metric,
                const query::range_query& q) {
  auto r = open_reader(state, data);
  if (!r) return;
  std::string error;
  for (auto _ : state) {
    query::series_set s;
    std::vector<query::result_series> out;
    if (!r->read_series(metric, {}, q.start_ns, q.end_ns, s, error) ||
        !query::evaluate(s, q, out, error) || out.empty()) {
      state.SkipWithError(error.empty() ? "no result" : error.c_str());
      return;
    }
    benchmark::DoNotOptimize(out);
  }
}

void BM_metric_query_p95(benchmark::State& state) {
  query::range_query q;
  q.start_ns = t0 + 15 * second;
  q.end_ns = q.start_ns + 3600 * second;
  q.step_ns = 0;
  q.agg = {query::aggregation::quantile, 0.95};
  time_query(state, histogram_store(), "gen_ai.client.operation.duration", q);
}
BENCHMARK(BM_metric_query_p95)->Unit(benchmark::kMillisecond)->UseRealTime();

// The store's share of the above: reading and decoding the 1,000 series.
void BM_metric_read_histograms(benchmark::State& state) {
  auto r = open_reader(state, histogram_store());
  if (!r) return;
  std::string error;
  for (auto _ : state) {
    query::series_set s;
    if (!r->read_series("gen_ai.client.operation.duration", {}, t0 + 15 * second,
                        t0 + 3615 * second, s, error)) {
      state.SkipWithError(error.c_str());
      return;
    }
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_metric_read_histograms)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_metric_query_1m_points(benchmark::State& state) {
  static filled data(1000, 1000, shape::gauge);  // 1,000,000 points
  query::range_query q;
  q.start_ns = t0;
  q.end_ns = t0 + 1000 * 15 * second;
  q.step_ns = 300 * second;
  q.agg = {query::aggregation::avg, 0};
  q.by = {"gen_ai.request.model"};
  time_query(state, data, "task.queue.size", q);
}
BENCHMARK(BM_metric_query_1m_points)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
