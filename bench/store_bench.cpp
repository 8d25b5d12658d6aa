// The store of `agtel serve` (issue 6), on a real SQLite file in a temporary directory.
//
//   BM_store_ingest        4-attribute spans (gen_ai.tool.name, session.id, attempt int,
//                          ok bool) in batches of 512 through writer::submit, up to 64
//                          batches in flight (concurrent receiver requests), each
//                          acknowledged by its `done` after COMMIT (synchronous=FULL).
//                          Counters: spans/s, and bytes per span on disk (file + WAL after
//                          a checkpoint).
//   BM_store_read_trace    read_trace of a 1,000-span trace (among 100,000 other spans).
//   BM_store_find_traces_* find_traces by service + attribute over AGTEL_BENCH_SPANS
//                          (default 1,000,000) spans, all started in the last hour; built
//                          once per run. "common": the attribute is on 1 span in 8, so the
//                          newest-first scan stops early; "rare": it matches one trace, so
//                          the whole hour is scanned.
//
// Budgets (issue 6): ingest ≥ 100,000 spans/s, ≤ 150 B/span, read_trace ≤ 20 ms,
// find_traces ≤ 100 ms.
#include <benchmark/benchmark.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>

#include "store/store.hpp"

namespace {

using namespace agtel;
namespace fs = std::filesystem;

constexpr size_t batch_spans = 512;
constexpr size_t spans_per_trace = 8;
const char* const tools[] = {"search", "fetch", "shell", "edit",
                             "read", "write", "browse", "calc"};
const char* const services[] = {"api", "worker", "planner", "coder"};

fs::path temp_dir(const char* name) {
  fs::path d = fs::temp_directory_path() / (std::string("agtel-store-bench-") + name + "-" +
                                            std::to_string(std::random_device{}()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

uint64_t now_ns() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// One batch of 512 spans: 64 traces of 8, numbered from `first_trace`, starting at `start`.
otlp::trace_batch make_batch(uint64_t first_trace, timestamp_ns start, uint64_t step_ns,
                             const char* service) {
  otlp::trace_batch b;
  b.resources.emplace_back().attributes.set("service.name", service);
  b.scopes.emplace_back().name = "agtel.agent";
  b.spans.reserve(batch_spans);
  for (size_t i = 0; i < batch_spans; ++i) {
    uint64_t t = first_trace + i / spans_per_trace;
    trace::trace_id tid;
    for (size_t k = 0; k < 8; ++k) tid.bytes()[k] = static_cast<uint8_t>((t * 0x9E3779B97F4A7C15ull) >> (8 * k));
    tid.bytes()[15] = 1;
    trace::span_id sid;
    for (size_t k = 0; k < 8; ++k) sid.bytes()[k] = static_cast<uint8_t>((t * 8 + i % 8 + 1) >> (8 * k));
    trace::span_ptr p = trace::span_ptr::make();
    p->context = trace::span_context(tid, sid, {1}, false);
    if (i % spans_per_trace) {
      trace::span_id parent;
      for (size_t k = 0; k < 8; ++k) parent.bytes()[k] = static_cast<uint8_t>((t * 8 + 1) >> (8 * k));
      p->parent_span_id = parent;
    }
    const char* tool = tools[i % 8];
    p->name = std::string("execute_tool ") + tool;
    p->kind = trace::span_kind::internal;
    p->start_time = start + i * step_ns;
    p->end_time = p->start_time + 1'500'000 + (i % 7) * 100'000;
    p->attributes.set("gen_ai.tool.name", tool);
    p->attributes.set("session.id", "session-" + std::to_string(t));
    p->attributes.set("attempt", static_cast<int64_t>(i % 3));
    p->attributes.set("ok", i % 11 != 0);
    p->resource = &b.resources.back();
    p->scope = &b.scopes.back();
    b.spans.push_back(std::move(p));
  }
  return b;
}

// Submits `batches` with at most `in_flight` outstanding; returns when all were committed.
// false if any was refused or failed.
bool ingest(store::writer& w, std::deque<otlp::trace_batch>& batches, size_t in_flight) {
  std::mutex mu;
  std::condition_variable cv;
  size_t outstanding = 0;
  bool ok = true;
  while (!batches.empty()) {
    {
      std::unique_lock l(mu);
      cv.wait(l, [&] { return outstanding < in_flight; });
      ++outstanding;
    }
    auto r = w.submit(std::move(batches.front()), [&](bool good, std::string_view) {
      std::lock_guard l(mu);
      ok = ok && good;
      --outstanding;
      cv.notify_all();
    });
    batches.pop_front();
    if (r != store::submit_result::queued) {
      std::lock_guard l(mu);
      --outstanding;
      ok = false;
    }
  }
  std::unique_lock l(mu);
  cv.wait(l, [&] { return outstanding == 0; });
  return ok;
}

uint64_t checkpointed_bytes(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_busy_timeout(db, 10000);
  sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
  sqlite3_close(db);
  std::error_code ec;
  uint64_t n = fs::file_size(path, ec);
  auto wal = fs::file_size(path + "-wal", ec);
  if (!ec) n += wal;
  return n;
}

void BM_store_ingest(benchmark::State& state) {
  fs::path dir = temp_dir("ingest");
  std::string path = (dir / "agtel.db").string();
  std::string error;
  store::writer_options o;
  o.path = path;
  auto w = store::writer::open(o, error);
  if (!w) {
    state.SkipWithError(error.c_str());
    return;
  }
  const size_t batches_per_iteration = 200;  // 102,400 spans
  uint64_t trace_no = 1, spans = 0;
  timestamp_ns t = now_ns() - 3600ull * 1'000'000'000;
  for (auto _ : state) {
    state.PauseTiming();
    std::deque<otlp::trace_batch> batches;
    for (size_t i = 0; i < batches_per_iteration; ++i) {
      batches.push_back(make_batch(trace_no, t, 1000, services[i % 4]));
      trace_no += batch_spans / spans_per_trace;
      t += batch_spans * 1000;
    }
    state.ResumeTiming();
    if (!ingest(*w, batches, 64)) {
      state.SkipWithError("a batch was refused or failed");
      return;
    }
    spans += batches_per_iteration * batch_spans;
  }
  auto st = w->stats();
  w.reset();
  state.SetItemsProcessed(static_cast<int64_t>(spans));
  state.counters["spans_per_s"] = benchmark::Counter(static_cast<double>(spans), benchmark::Counter::kIsRate);
  state.counters["bytes_per_span"] = static_cast<double>(checkpointed_bytes(path)) / static_cast<double>(spans);
  state.counters["transactions"] = static_cast<double>(st.transactions);
  state.counters["mean_commit_ms"] = st.transactions ? static_cast<double>(st.total_commit_ns) / static_cast<double>(st.transactions) / 1e6 : 0;
  fs::remove_all(dir);
}
BENCHMARK(BM_store_ingest)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(3);

// ---- reads ----------------------------------------------------------------------------

struct read_store {
  fs::path dir;
  std::string path;
  trace::trace_id big_trace;
  std::string rare_session;
  bool ok = false;
  std::string error;
};

// Writes `spans` spans spread over the last hour, plus one trace of 1,000 spans.
read_store build(const char* name, size_t spans) {
  read_store s;
  s.dir = temp_dir(name);
  s.path = (s.dir / "agtel.db").string();
  store::writer_options o;
  o.path = s.path;
  auto w = store::writer::open(o, s.error);
  if (!w) return s;
  size_t batches = (spans + batch_spans - 1) / batch_spans;
  timestamp_ns start = now_ns() - 3500ull * 1'000'000'000;
  uint64_t step = 3400ull * 1'000'000'000 / (batches * batch_spans);
  uint64_t trace_no = 1;
  std::deque<otlp::trace_batch> q;
  for (size_t i = 0; i < batches; ++i) {
    q.push_back(make_batch(trace_no, start + i * batch_spans * step, step, services[i % 4]));
    trace_no += batch_spans / spans_per_trace;
    if (q.size() == 64 || i + 1 == batches) {
      if (!ingest(*w, q, 64)) {
        s.error = "building the store failed";
        return s;
      }
    }
  }
  s.rare_session = "session-" + std::to_string(trace_no / 2);
  // The 1,000-span trace, in the middle of the hour.
  otlp::trace_batch big;
  big.resources.emplace_back().attributes.set("service.name", "api");
  big.scopes.emplace_back().name = "agtel.agent";
  for (size_t k = 0; k < 16; ++k) s.big_trace.bytes()[k] = static_cast<uint8_t>(0xB0 + k);
  for (uint64_t i = 0; i < 1000; ++i) {
    trace::span_ptr p = trace::span_ptr::make();
    trace::span_id sid;
    for (size_t k = 0; k < 8; ++k) sid.bytes()[k] = static_cast<uint8_t>((i + 1) >> (8 * k));
    p->context = trace::span_context(s.big_trace, sid, {1}, false);
    if (i) p->parent_span_id = trace::span_id(std::array<uint8_t, 8>{1});
    p->name = "execute_tool search";
    p->start_time = start + 1800ull * 1'000'000'000 + i * 1000;
    p->end_time = p->start_time + 5000;
    p->attributes.set("gen_ai.tool.name", "search");
    p->attributes.set("session.id", "big");
    p->attributes.set("attempt", static_cast<int64_t>(i));
    p->attributes.set("ok", true);
    p->resource = &big.resources.back();
    p->scope = &big.scopes.back();
    big.spans.push_back(std::move(p));
  }
  q.push_back(std::move(big));
  if (!ingest(*w, q, 1)) {
    s.error = "writing the big trace failed";
    return s;
  }
  w.reset();
  checkpointed_bytes(s.path);
  s.ok = true;
  return s;
}

size_t bench_spans() {
  const char* v = std::getenv("AGTEL_BENCH_SPANS");
  return v ? static_cast<size_t>(std::strtoull(v, nullptr, 10)) : 1'000'000;
}

read_store* built = nullptr;  // for the clean-up in main()

read_store& big_store() {
  static read_store s = build("find", bench_spans());
  built = &s;
  return s;
}

void BM_store_read_trace(benchmark::State& state) {
  read_store& s = big_store();
  if (!s.ok) {
    state.SkipWithError(s.error.c_str());
    return;
  }
  std::string error;
  auto r = store::reader::open(s.path, error);
  if (!r) {
    state.SkipWithError(error.c_str());
    return;
  }
  otlp::trace_batch out;
  for (auto _ : state) {
    if (!r->read_trace(s.big_trace, out, error) || out.spans.size() != 1000) {
      state.SkipWithError(("read_trace: " + error).c_str());
      return;
    }
  }
}
BENCHMARK(BM_store_read_trace)->Unit(benchmark::kMillisecond)->UseRealTime();

void find(benchmark::State& state, const char* key, std::string value, size_t expect_min) {
  read_store& s = big_store();
  if (!s.ok) {
    state.SkipWithError(s.error.c_str());
    return;
  }
  std::string error;
  auto r = store::reader::open(s.path, error);
  if (!r) {
    state.SkipWithError(error.c_str());
    return;
  }
  store::trace_query q;
  q.service = "worker";
  q.attributes = {{key, value}};
  q.since_ns = now_ns() - 3600ull * 1'000'000'000;
  std::vector<store::trace_summary> out;
  for (auto _ : state) {
    if (!r->find_traces(q, out, error) || out.size() < expect_min) {
      state.SkipWithError(("find_traces: " + error + " found " + std::to_string(out.size())).c_str());
      return;
    }
  }
  state.counters["stored_spans"] = static_cast<double>(bench_spans());
}

void BM_store_find_traces_common(benchmark::State& state) { find(state, "gen_ai.tool.name", "fetch", 20); }
BENCHMARK(BM_store_find_traces_common)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_store_find_traces_rare(benchmark::State& state) {
  find(state, "session.id", big_store().rare_session, 0);
}
BENCHMARK(BM_store_find_traces_rare)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // AGTEL_BENCH_KEEP=1 keeps the 1M-span file for inspection (its path is printed).
  if (built && std::getenv("AGTEL_BENCH_KEEP")) std::printf("kept %s\n", built->path.c_str());
  else if (built) fs::remove_all(built->dir);
  return 0;
}
