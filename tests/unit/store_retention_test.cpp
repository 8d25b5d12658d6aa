// Retention and `agtel clear`'s deletes on real SQLite files: old rows go, new rows stay,
// per signal; the time blocks keep pruning right; deletes run in chunks between ingest
// transactions; a max age of 0 keeps everything; the file stays consistent.
#include <sqlite3.h>

#include <atomic>
#include <thread>

#include "store_fixture.hpp"

namespace agtel::test {
namespace {

constexpr uint64_t s = 1'000'000'000;  // one second in ns

class StoreRetention : public store_test {
 protected:
  // One transaction of `n` spans (each its own trace `t`, span ids from `first`), all
  // starting at `start`.
  static otlp::trace_batch spans_at(timestamp_ns start, size_t n, uint8_t t, uint64_t first = 1) {
    otlp::trace_batch b;
    for (size_t i = 0; i < n; ++i) {
      add_span(b, "svc", tid(t, static_cast<uint8_t>(i)), first + i, 0, "op", start, s);
    }
    return b;
  }
  static otlp::log_batch logs_at(timestamp_ns time, size_t n) {
    otlp::log_batch b;
    b.resources.emplace_back().attributes.set("service.name", "svc");
    b.scopes.emplace_back().name = "test";
    for (size_t i = 0; i < n; ++i) {
      logs::log_record_ptr r = logs::log_record_ptr::make();
      r->time = time;
      r->observed_time = time + 1;
      r->body = std::string("at ") + std::to_string(time / s);
      r->has_body = true;
      r->resource = &b.resources.back();
      r->scope = &b.scopes.back();
      b.records.push_back(r);
    }
    return b;
  }

  // Submits the delete and waits for its answer.
  static bool run_delete(store::writer& w, const store::delete_request& req,
                         store::delete_result& out) {
    std::promise<bool> p;
    auto f = p.get_future();
    auto r = w.submit_delete(req, [&](bool ok, const store::delete_result& n, std::string_view e) {
      EXPECT_TRUE(ok) << e;
      out = n;
      p.set_value(ok);
    });
    EXPECT_EQ(r, store::submit_result::queued);
    return r == store::submit_result::queued &&
           f.wait_for(std::chrono::seconds(60)) == std::future_status::ready && f.get();
  }

  store::store_status status() {
    store::store_status st;
    std::string e;
    auto r = open_reader();
    EXPECT_TRUE(r->status(st, e)) << e;
    return st;
  }

  std::vector<store::trace_summary> traces(timestamp_ns since, timestamp_ns until) {
    store::trace_query q;
    q.since_ns = since;
    q.until_ns = until;
    q.limit = 100000;
    std::vector<store::trace_summary> out;
    std::string e;
    EXPECT_TRUE(open_reader()->find_traces(q, out, e)) << e;
    return out;
  }

  std::string integrity() {
    sqlite3* db = nullptr;
    std::string result;
    if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK &&
          sqlite3_step(st) == SQLITE_ROW) {
        result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      }
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return result;
  }
};

TEST_F(StoreRetention, DeletesOldRowsPerSignalAndKeepsNewOnes) {
  auto w = open_writer();
  ASSERT_TRUE(store_batch(*w, spans_at(1000 * s, 3, 1)));
  ASSERT_TRUE(store_batch(*w, spans_at(5000 * s, 2, 2)));
  ASSERT_TRUE(store_batch(*w, logs_at(1000 * s, 4)));
  ASSERT_TRUE(store_batch(*w, logs_at(5000 * s, 1)));

  store::delete_request spans_only{true, false, false, 3000 * s};
  store::delete_result n;
  {
    auto r = open_reader();
    std::string e;
    ASSERT_TRUE(r->count(spans_only, n, e)) << e;
    EXPECT_EQ(n.spans, 3u);
    EXPECT_EQ(n.logs, 0u);  // not asked for
  }
  ASSERT_TRUE(run_delete(*w, spans_only, n));
  EXPECT_EQ(n.spans, 3u);
  EXPECT_EQ(n.logs, 0u);
  auto st = status();
  EXPECT_EQ(st.spans, 2u);
  EXPECT_EQ(st.logs, 5u);  // logs untouched

  ASSERT_TRUE(run_delete(*w, {false, true, false, 3000 * s}, n));
  EXPECT_EQ(n.logs, 4u);
  st = status();
  EXPECT_EQ(st.spans, 2u);
  EXPECT_EQ(st.logs, 1u);
  otlp::log_batch left;
  std::string e;
  ASSERT_TRUE(open_reader()->find_logs({}, left, e)) << e;
  ASSERT_EQ(left.records.size(), 1u);
  EXPECT_EQ(left.records[0]->time, 5000 * s);
  EXPECT_EQ(w->stats().spans_deleted, 3u);
  EXPECT_EQ(w->stats().logs_deleted, 4u);

  // Again: nothing older is left.
  ASSERT_TRUE(run_delete(*w, {true, true, false, 3000 * s}, n));
  EXPECT_EQ(n.spans + n.logs, 0u);
  EXPECT_EQ(integrity(), "ok");
}

TEST_F(StoreRetention, TimeBlocksStillPruneRightAfterADelete) {
  auto w = open_writer();
  // One transaction straddles the cutoff: its block keeps the new span and must then
  // cover only its time.
  otlp::trace_batch mixed = spans_at(1000 * s, 2, 1);
  add_span(mixed, "svc", tid(9), 50, 0, "late", 4000 * s, s);
  ASSERT_TRUE(store_batch(*w, std::move(mixed)));
  ASSERT_TRUE(store_batch(*w, spans_at(2000 * s, 2, 2)));
  ASSERT_TRUE(store_batch(*w, spans_at(6000 * s, 1, 3)));

  store::delete_result n;
  ASSERT_TRUE(run_delete(*w, {true, true, false, 3000 * s}, n));
  EXPECT_EQ(n.spans, 4u);

  auto st = status();
  EXPECT_EQ(st.spans, 2u);
  EXPECT_EQ(st.first_ns, 4000 * s);  // recomputed from what is left, not the old block min
  EXPECT_EQ(st.last_ns, 6000 * s);
  EXPECT_TRUE(traces(0, 3500 * s).empty());
  auto mid = traces(3500 * s, 5000 * s);
  ASSERT_EQ(mid.size(), 1u);
  EXPECT_EQ(mid[0].id, tid(9));
  EXPECT_EQ(traces(5000 * s, 0).size(), 1u);
  EXPECT_EQ(traces(0, 0).size(), 2u);

  // New rows after the delete are found by time too.
  ASSERT_TRUE(store_batch(*w, spans_at(1500 * s, 1, 4)));
  auto old = traces(1000 * s, 2000 * s);
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].id, tid(4, 0));
  EXPECT_EQ(integrity(), "ok");
}

TEST_F(StoreRetention, DeletesInChunksWhileIngestKeepsBeingAnswered) {
  store::writer_options o;
  o.max_delete_rows = 100;
  auto w = open_writer(o);
  constexpr size_t old_spans = 20000;
  for (size_t i = 0; i < old_spans / 1000; ++i) {
    ASSERT_TRUE(store_batch(*w, spans_at(1000 * s, 1000, static_cast<uint8_t>(i + 1), i * 1000)));
  }
  std::atomic<bool> delete_done{false};
  std::promise<store::delete_result> deleted;
  ASSERT_EQ(w->submit_delete({true, true, false, 3000 * s},
                             [&](bool ok, const store::delete_result& n, std::string_view e) {
                               EXPECT_TRUE(ok) << e;
                               delete_done = true;
                               deleted.set_value(n);
                             }),
            store::submit_result::queued);
  // New spans, one batch at a time, while the delete runs: each is committed, and some
  // are committed before the delete finished (they do not wait behind it).
  size_t new_spans = 0, committed_during_delete = 0;
  for (uint8_t t = 100; t < 200 && (!delete_done || new_spans < 50); ++t) {
    const bool running = !delete_done;
    ASSERT_TRUE(store_batch(*w, spans_at(9000 * s, 5, t)));
    new_spans += 5;
    if (running && !delete_done) ++committed_during_delete;
  }
  auto f = deleted.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(60)), std::future_status::ready);
  EXPECT_EQ(f.get().spans, old_spans);
  EXPECT_GT(committed_during_delete, 0u);
  EXPECT_GE(w->stats().transactions, old_spans / 1000 + new_spans / 5);
  auto st = status();
  EXPECT_EQ(st.spans, new_spans);  // nothing new lost
  EXPECT_EQ(st.first_ns, 9000 * s);
  EXPECT_EQ(w->stats().spans_deleted, old_spans);
  EXPECT_EQ(integrity(), "ok");
}

TEST_F(StoreRetention, MaxAgeZeroKeepsEverything) {
  store::writer_options o;
  o.retention_interval = std::chrono::milliseconds(10);  // many passes in the wait below
  auto w = open_writer(o);
  ASSERT_TRUE(store_batch(*w, spans_at(1 * s, 3, 1)));  // 1970: older than any max age
  ASSERT_TRUE(store_batch(*w, logs_at(1 * s, 3)));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(w->stats().spans_deleted + w->stats().logs_deleted, 0u);
  auto st = status();
  EXPECT_EQ(st.spans, 3u);
  EXPECT_EQ(st.logs, 3u);
}

TEST_F(StoreRetention, MaxAgeDeletesOnTheTimerPerSignal) {
  store::writer_options o;
  o.traces_max_age = std::chrono::hours(1);
  o.logs_max_age = std::chrono::nanoseconds(0);  // logs kept forever
  o.retention_interval = std::chrono::milliseconds(20);
  auto w = open_writer(o);
  const timestamp_ns now = realtime_ns();
  ASSERT_TRUE(store_batch(*w, spans_at(now - 2 * 3600 * s, 4, 1)));
  ASSERT_TRUE(store_batch(*w, spans_at(now - 60 * s, 2, 2)));
  ASSERT_TRUE(store_batch(*w, logs_at(now - 2 * 3600 * s, 3)));
  for (int i = 0; i < 500 && w->stats().spans_deleted < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(w->stats().spans_deleted, 4u);
  EXPECT_EQ(w->stats().logs_deleted, 0u);
  auto st = status();
  EXPECT_EQ(st.spans, 2u);
  EXPECT_EQ(st.logs, 3u);
}

TEST_F(StoreRetention, RetentionRunsAtOpenOnAnExistingStore) {
  {
    auto w = open_writer();
    ASSERT_TRUE(store_batch(*w, spans_at(1000 * s, 5, 1)));
    ASSERT_TRUE(store_batch(*w, logs_at(1000 * s, 5)));
  }
  store::writer_options o;
  o.traces_max_age = o.logs_max_age = std::chrono::hours(24 * 7);  // the serve default
  auto w = open_writer(o);  // interval: a minute; only the pass at open can do this
  for (int i = 0; i < 500 && w->stats().spans_deleted + w->stats().logs_deleted < 10; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto st = status();
  EXPECT_EQ(st.spans, 0u);
  EXPECT_EQ(st.logs, 0u);
  EXPECT_EQ(st.first_ns, 0u);  // no block left
}

TEST_F(StoreRetention, DeleteEverythingThenStoreAgain) {
  auto w = open_writer();
  for (uint8_t t = 1; t <= 5; ++t) ASSERT_TRUE(store_batch(*w, spans_at(t * 1000 * s, 10, t)));
  ASSERT_TRUE(store_batch(*w, logs_at(7000 * s, 10)));
  store::delete_result n;
  ASSERT_TRUE(run_delete(*w, {true, true, 0}, n));
  EXPECT_EQ(n.spans, 50u);
  EXPECT_EQ(n.logs, 10u);
  auto st = status();
  EXPECT_EQ(st.spans + st.logs, 0u);
  EXPECT_EQ(st.first_ns, 0u);
  EXPECT_TRUE(traces(0, 0).empty());
  // Ids may be handed out again after everything went: the blocks must still be right.
  ASSERT_TRUE(store_batch(*w, spans_at(2000 * s, 3, 7)));
  EXPECT_EQ(traces(1500 * s, 2500 * s).size(), 3u);
  EXPECT_TRUE(traces(3000 * s, 0).empty());
  EXPECT_EQ(integrity(), "ok");
}

TEST_F(StoreRetention, PendingDeleteIsAnsweredWhenTheWriterCloses) {
  store::writer_options o;
  o.max_delete_rows = 1;
  auto w = open_writer(o);
  ASSERT_TRUE(store_batch(*w, spans_at(1000 * s, 300, 1)));
  std::promise<bool> p;
  ASSERT_EQ(w->submit_delete({}, [&](bool ok, const store::delete_result&, std::string_view) {
    p.set_value(ok);
  }), store::submit_result::queued);
  auto f = p.get_future();
  w.reset();  // answered either way: finished, or "closed before the delete finished"
  ASSERT_EQ(f.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  f.get();
  EXPECT_EQ(integrity(), "ok");
}

}  // namespace
}  // namespace agtel::test
