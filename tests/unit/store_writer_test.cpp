// The writer's contract: `done` once per batch and only after COMMIT, the bounded queue,
// drain and its timeout, failed transactions, stats; and readers that run beside a busy
// writer without ever seeing "database is locked".
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <thread>

#include "store_fixture.hpp"

namespace agtel::test {
namespace {

using StoreWriter = store_test;

otlp::trace_batch one_trace(uint8_t t, size_t spans, timestamp_ns start = 1'000'000) {
  otlp::trace_batch b;
  for (size_t i = 0; i < spans; ++i)
    store_test::add_span(b, "svc", store_test::tid(t), i + 1, i ? 1 : 0, "s", start + i, 10);
  return b;
}

TEST_F(StoreWriter, DoneOncePerBatchAfterCommitVisibleToAnotherConnection) {
  auto w = open_writer();
  ASSERT_TRUE(w);
  constexpr int batches = 20;
  std::atomic<int> calls[batches] = {};
  std::atomic<int> seen{0};
  for (int i = 0; i < batches; ++i) {
    auto r = w->submit(one_trace(static_cast<uint8_t>(i + 1), 3),
                       [&, i](bool ok, std::string_view error) {
                         EXPECT_TRUE(ok) << error;
                         calls[i]++;
                         // Inside the callback, a separate read connection sees the rows.
                         std::string e;
                         auto rd = store::reader::open(path_, e);
                         ASSERT_TRUE(rd) << e;
                         otlp::trace_batch out;
                         ASSERT_TRUE(rd->read_trace(tid(static_cast<uint8_t>(i + 1)), out, e)) << e;
                         if (out.spans.size() == 3) seen++;
                       });
    ASSERT_EQ(r, store::submit_result::queued);
  }
  ASSERT_TRUE(w->drain(std::chrono::seconds(30)));
  for (int i = 0; i < batches; ++i) EXPECT_EQ(calls[i].load(), 1) << i;
  EXPECT_EQ(seen.load(), batches);
  auto st = w->stats();
  EXPECT_EQ(st.spans_stored, 3u * batches);
  EXPECT_EQ(st.queued_items, 0u);
  EXPECT_GE(st.transactions, 1u);
  EXPECT_LE(st.transactions, static_cast<uint64_t>(batches));
  EXPECT_GT(st.total_commit_ns, 0u);
  EXPECT_EQ(st.batches_failed, 0u);
}

TEST_F(StoreWriter, SubmitAfterDrainIsClosedAndDoneNotCalled) {
  auto w = open_writer();
  ASSERT_TRUE(store_batch(*w, one_trace(1, 2)));
  ASSERT_TRUE(w->drain(std::chrono::seconds(10)));
  bool called = false;
  EXPECT_EQ(w->submit(one_trace(2, 2), [&](bool, std::string_view) { called = true; }),
            store::submit_result::closed);
  EXPECT_EQ(w->submit(otlp::log_batch{}, [&](bool, std::string_view) { called = true; }),
            store::submit_result::closed);
  w.reset();
  EXPECT_FALSE(called);
}

TEST_F(StoreWriter, QueueFullRefusesAtOnceAndDoesNotCallDone) {
  store::writer_options o;
  o.max_queued_items = 10;
  auto w = open_writer(o);
  std::latch entered(1), release(1);
  std::atomic<int> a_calls{0}, b_calls{0}, c_calls{0};
  // A's callback holds the writer thread, so B stays queued.
  ASSERT_EQ(w->submit(one_trace(1, 8),
                      [&](bool, std::string_view) {
                        a_calls++;
                        entered.count_down();
                        release.wait();
                      }),
            store::submit_result::queued);
  entered.wait();
  ASSERT_EQ(w->submit(one_trace(2, 8), [&](bool ok, std::string_view) { b_calls += ok; }),
            store::submit_result::queued);
  EXPECT_EQ(w->stats().queued_items, 8u);
  EXPECT_EQ(w->submit(one_trace(3, 8), [&](bool, std::string_view) { c_calls++; }),
            store::submit_result::queue_full);
  EXPECT_EQ(w->stats().refused_full, 1u);
  release.count_down();
  ASSERT_TRUE(w->drain(std::chrono::seconds(10)));
  EXPECT_EQ(a_calls.load(), 1);
  EXPECT_EQ(b_calls.load(), 1);
  EXPECT_EQ(c_calls.load(), 0);
  EXPECT_EQ(w->stats().spans_stored, 16u);
}

TEST_F(StoreWriter, DrainHonoursItsTimeout) {
  auto w = open_writer();
  std::latch release(1);
  ASSERT_EQ(w->submit(one_trace(1, 1), [&](bool, std::string_view) { release.wait(); }),
            store::submit_result::queued);
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(w->drain(std::chrono::milliseconds(100)));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  release.count_down();
  EXPECT_TRUE(w->drain(std::chrono::seconds(10)));
}

TEST_F(StoreWriter, EmptyBatchesAreAcknowledged) {
  auto w = open_writer();
  EXPECT_TRUE(store_batch(*w, otlp::trace_batch{}));
  EXPECT_TRUE(store_batch(*w, otlp::log_batch{}));
}

TEST_F(StoreWriter, FailedTransactionFailsItsBatchesAndStoresNothing) {
  auto w = open_writer();
  ASSERT_TRUE(store_batch(*w, one_trace(1, 2)));
  // Another process breaks the schema under the writer: its next transaction fails.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  ASSERT_EQ(sqlite3_exec(db, "DROP TABLE span_blocks", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  std::promise<std::pair<bool, std::string>> p;
  ASSERT_EQ(w->submit(one_trace(2, 2),
                      [&](bool ok, std::string_view e) { p.set_value({ok, std::string(e)}); }),
            store::submit_result::queued);
  auto [ok, error] = p.get_future().get();
  EXPECT_FALSE(ok);
  EXPECT_NE(error.find("span_blocks"), std::string::npos) << error;
  EXPECT_NE(error.find(path_), std::string::npos) << error;
  EXPECT_EQ(w->stats().batches_failed, 1u);
  EXPECT_EQ(w->stats().spans_stored, 2u);
  // The spans of the failed batch were rolled back.
  sqlite3_open(path_.c_str(), &db);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM spans", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(s, 0), 2);
  sqlite3_finalize(s);
  sqlite3_close(db);
}

TEST_F(StoreWriter, ReadersNeverSeeLockedWhileTheWriterCommits) {
  auto w = open_writer();
  ASSERT_TRUE(store_batch(*w, one_trace(1, 5)));
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0}, failures{0};
  std::mutex mu;
  std::string first_error;
  auto read_loop = [&] {
    std::string e;
    auto rd = store::reader::open(path_, e);
    if (!rd) {
      failures++;
      std::lock_guard l(mu);
      first_error = e;
      return;
    }
    while (!stop) {
      store::store_status st;
      otlp::trace_batch t;
      std::vector<store::trace_summary> found;
      store::trace_query q;
      q.limit = 5;
      if (!rd->status(st, e) || !rd->read_trace(tid(1), t, e) || !rd->find_traces(q, found, e)) {
        failures++;
        std::lock_guard l(mu);
        if (first_error.empty()) first_error = e;
      }
      reads++;
    }
  };
  std::thread r1(read_loop), r2(read_loop);
  // Many small transactions: one batch at a time, each waited for.
  for (int i = 0; i < 150; ++i) ASSERT_TRUE(store_batch(*w, one_trace(static_cast<uint8_t>(i + 2), 20)));
  stop = true;
  r1.join();
  r2.join();
  EXPECT_EQ(failures.load(), 0) << first_error;
  EXPECT_GT(reads.load(), 0);
}

}  // namespace
}  // namespace agtel::test
