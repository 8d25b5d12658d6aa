// Shared by the store tests: a fresh temporary directory per test, spans and log records
// to store, and a writer helper that submits a batch and waits for its commit.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <random>
#include <string>

#include "otlp/codec.hpp"
#include "store/store.hpp"

namespace agtel::test {

// Runs SQL on the file directly (a test's way to age, corrupt or inspect rows).
inline void run_sql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* msg = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, &msg), SQLITE_OK) << (msg ? msg : "");
  sqlite3_free(msg);
  sqlite3_close(db);
}

// The first column of the first row of `query`, read-only; -1 when there is none.
inline int64_t sql_int(const std::string& path, const char* query) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  int64_t v = -1;
  if (sqlite3_prepare_v2(db, query, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return v;
}

class store_test : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("agtel-store-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "agtel.db").string();
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::unique_ptr<store::writer> open_writer(store::writer_options o = {}) {
    if (o.path.empty()) o.path = path_;
    std::string error;
    auto w = store::writer::open(o, error);
    EXPECT_TRUE(w) << error;
    return w;
  }
  std::unique_ptr<store::reader> open_reader() {
    std::string error;
    auto r = store::reader::open(path_, error);
    EXPECT_TRUE(r) << error;
    return r;
  }

  // (public: the tests' free helper functions use them too)
 public:
  // Submits and waits for the commit; returns the `ok` the callback got.
  template <class Batch>
  static bool store_batch(store::writer& w, Batch&& b) {
    std::promise<bool> done;
    auto f = done.get_future();
    auto r = w.submit(std::forward<Batch>(b), [&](bool ok, std::string_view error) {
      EXPECT_TRUE(ok) << error;
      done.set_value(ok);
    });
    EXPECT_EQ(r, store::submit_result::queued);
    if (r != store::submit_result::queued) return false;
    return f.wait_for(std::chrono::seconds(30)) == std::future_status::ready && f.get();
  }

  static trace::trace_id tid(uint8_t a, uint8_t b = 0) {
    trace::trace_id t;
    t.bytes()[0] = a;
    t.bytes()[15] = b;
    t.bytes()[7] = 1;
    return t;
  }
  static trace::span_id sid(uint64_t n) {
    trace::span_id s;
    for (size_t i = 0; i < 8; ++i) s.bytes()[i] = static_cast<uint8_t>(n >> (56 - 8 * i));
    return s;
  }

  // A span of `batch` with its resource (service.name = service) and scope.
  static trace::span_data& add_span(otlp::trace_batch& batch, const std::string& service,
                                    const trace::trace_id& t, uint64_t span, uint64_t parent,
                                    std::string name, timestamp_ns start, uint64_t duration) {
    if (batch.resources.empty() ||
        *std::get_if<std::string>(batch.resources.back().attributes.find("service.name")) !=
            service) {
      batch.resources.emplace_back().attributes.set("service.name", service);
    }
    if (batch.scopes.empty()) batch.scopes.emplace_back().name = "test";
    trace::span_ptr p = trace::span_ptr::make();
    p->context = trace::span_context(t, sid(span), {1}, false);
    if (parent) p->parent_span_id = sid(parent);
    p->name = std::move(name);
    p->start_time = start;
    p->end_time = start + duration;
    p->resource = &batch.resources.back();
    p->scope = &batch.scopes.back();
    batch.spans.push_back(p);
    return *p;
  }

 protected:
  std::filesystem::path dir_;
  std::string path_;
};

}  // namespace agtel::test
