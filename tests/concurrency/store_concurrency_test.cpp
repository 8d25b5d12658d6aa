// The store under concurrent use (also run under TSan): several threads submit spans,
// log records and metric points while readers, each with its own connection, search and
// read, and the writer thread compacts metrics and runs retention in between. Every
// acknowledged item is there at the end, readers never fail ("database is locked"), and
// the metric points a reader sees for a series only ever grow.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <random>
#include <thread>
#include <vector>

#include "otlp/codec.hpp"
#include "store/store.hpp"

namespace agtel::store {
namespace {

constexpr int64_t second = 1'000'000'000;

struct temp_dir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("agtel-store-conc-" + std::to_string(std::random_device{}()));
  temp_dir() { std::filesystem::create_directories(path); }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

otlp::trace_batch spans(int producer, int i) {
  otlp::trace_batch b;
  b.resources.emplace_back().attributes.set("service.name", "svc-" + std::to_string(producer));
  b.scopes.emplace_back().name = "test";
  for (int k = 0; k < 4; ++k) {
    trace::span_ptr p = trace::span_ptr::make();
    trace::trace_id t;
    t.bytes()[0] = static_cast<uint8_t>(producer + 1);
    t.bytes()[1] = static_cast<uint8_t>(i);
    t.bytes()[2] = static_cast<uint8_t>(i >> 8);
    trace::span_id s;
    s.bytes()[7] = static_cast<uint8_t>(k + 1);
    p->context = trace::span_context(t, s, {1}, false);
    p->name = "op";
    p->start_time = realtime_ns();
    p->end_time = p->start_time + 1000;
    p->resource = &b.resources.back();
    p->scope = &b.scopes.back();
    b.spans.push_back(p);
  }
  return b;
}

otlp::log_batch logs(int producer, int i) {
  otlp::log_batch b;
  b.resources.emplace_back().attributes.set("service.name", "svc-" + std::to_string(producer));
  b.scopes.emplace_back().name = "test";
  logs::log_record_ptr r = logs::log_record_ptr::make();
  r->time = realtime_ns();
  r->body = "record " + std::to_string(i);
  r->has_body = true;
  r->resource = &b.resources.back();
  r->scope = &b.scopes.back();
  b.records.push_back(r);
  return b;
}

// One point of the counter "requests" for this producer, value i at time t0 + i s.
otlp::metric_batch counter(int producer, int i, int64_t t0) {
  otlp::metric_batch b;
  b.resources.emplace_back().attributes.set("service.name", "svc-" + std::to_string(producer));
  b.scopes.emplace_back().name = "test";
  auto& rm = b.resource_metrics.emplace_back();
  rm.resource = &b.resources.back();
  auto& sm = rm.scopes.next();
  sm.scope = &b.scopes.back();
  sm.metrics.clear();
  auto& m = sm.metrics.next();
  m.name = "requests";
  m.description.clear();
  m.unit = "{request}";
  metrics::sum_data d;
  d.monotonic = true;
  auto& p = d.points.next();
  p = {};
  p.start_time = static_cast<timestamp_ns>(t0);
  p.time = static_cast<timestamp_ns>(t0 + i * second);
  p.value = int64_t{i};
  m.data = std::move(d);
  return b;
}

template <class Batch>
bool store_and_wait(writer& w, Batch&& b) {
  std::promise<bool> done;
  auto f = done.get_future();
  for (;;) {
    const submit_result r =
        w.submit(std::forward<Batch>(b), [&](bool ok, std::string_view) { done.set_value(ok); });
    if (r == submit_result::queued) return f.get();
    if (r == submit_result::closed) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // queue full: retry later
  }
}

TEST(StoreConcurrency, WritersReadersCompactionAndRetentionTogether) {
  temp_dir dir;
  writer_options o;
  o.path = (dir.path / "agtel.db").string();
  o.metric_head_points = 8;  // compact often
  o.metric_head_age = std::chrono::milliseconds(20);
  o.traces_max_age = std::chrono::hours(24);  // retention passes run, and delete nothing
  o.metrics_max_age = std::chrono::hours(24 * 365 * 100);
  o.retention_interval = std::chrono::milliseconds(15);
  std::string error;
  auto w = writer::open(o, error);
  ASSERT_TRUE(w) << error;

  constexpr int producers = 3, rounds = 60;
  const int64_t t0 = static_cast<int64_t>(realtime_ns()) - 3600 * second;
  std::atomic<int> failed_writes{0}, failed_reads{0}, shrank{0};
  std::atomic<bool> writing{true};

  std::vector<std::thread> threads;
  for (int p = 0; p < producers; ++p) {
    threads.emplace_back([&, p] {
      for (int i = 0; i < rounds; ++i) {
        if (!store_and_wait(*w, spans(p, i)) || !store_and_wait(*w, logs(p, i)) ||
            !store_and_wait(*w, counter(p, i, t0)))
          ++failed_writes;
      }
    });
  }
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      std::string e;
      auto reader = reader::open(o.path, e);
      if (!reader) {
        ++failed_reads;
        return;
      }
      size_t seen = 0;
      while (writing) {
        store_status st;
        std::vector<trace_summary> found;
        query::series_set s;
        trace_query q;
        q.limit = 5;
        if (!reader->status(st, e) || !reader->find_traces(q, found, e) ||
            !reader->read_series("requests", {}, 0, INT64_MAX, s, e)) {
          ++failed_reads;
          ADD_FAILURE() << e;
          return;
        }
        size_t points = 0;
        for (const auto& series : s.series) points += series.numbers.size();
        if (points < seen) ++shrank;  // compaction must never hide committed points
        seen = points;
      }
    });
  }
  for (int p = 0; p < producers; ++p) threads[static_cast<size_t>(p)].join();
  writing = false;
  for (size_t t = producers; t < threads.size(); ++t) threads[t].join();

  EXPECT_EQ(failed_writes, 0);
  EXPECT_EQ(failed_reads, 0);
  EXPECT_EQ(shrank, 0);
  const writer_stats ws = w->stats();
  EXPECT_EQ(ws.spans_stored, uint64_t{producers * rounds * 4});
  EXPECT_EQ(ws.logs_stored, uint64_t{producers * rounds});
  EXPECT_EQ(ws.metric_points_stored, uint64_t{producers * rounds});
  EXPECT_EQ(ws.spans_deleted, 0u);
  EXPECT_EQ(ws.compactions_failed, 0u);
  EXPECT_GT(ws.metric_points_compacted, 0u);

  auto reader = reader::open(o.path, error);
  ASSERT_TRUE(reader) << error;
  query::series_set s;
  ASSERT_TRUE(reader->read_series("requests", {}, 0, INT64_MAX, s, error)) << error;
  ASSERT_EQ(s.series.size(), size_t{producers});
  for (const query::series& series : s.series) {
    ASSERT_EQ(series.numbers.size(), size_t{rounds});
    for (int i = 0; i < rounds; ++i) EXPECT_EQ(series.numbers[static_cast<size_t>(i)].value, i);
  }
}

}  // namespace
}  // namespace agtel::store
