// Opening what is not a store, and storing hostile data: every refusal says what and
// where; every odd value that is accepted comes back safely.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <fstream>
#include <random>

#include "store_fixture.hpp"
#include "support/otlp_compare.hpp"

namespace agtel::test {
namespace {

using StoreOpen = store_test;

std::string writer_error(const std::string& path) {
  std::string error;
  store::writer_options o;
  o.path = path;
  auto w = store::writer::open(o, error);
  EXPECT_FALSE(w);
  return error;
}

std::string reader_error(const std::string& path) {
  std::string error;
  auto r = store::reader::open(path, error);
  EXPECT_FALSE(r);
  return error;
}

TEST_F(StoreOpen, CreatesTheDirectoryAndReopens) {
  std::string nested = (dir_ / "a" / "b" / "agtel.db").string();
  std::string error;
  store::writer_options o;
  o.path = nested;
  { ASSERT_TRUE(store::writer::open(o, error)) << error; }
  { ASSERT_TRUE(store::writer::open(o, error)) << error; }  // an existing store reopens
  auto r = store::reader::open(nested, error);
  ASSERT_TRUE(r) << error;
  store::store_status st;
  ASSERT_TRUE(r->status(st, error)) << error;
  EXPECT_EQ(st.schema_version, 2);
  EXPECT_EQ(st.spans, 0u);
  EXPECT_GT(st.file_bytes, 0u);
}

TEST_F(StoreOpen, DirectoryPathIsRefused) {
  std::string e = writer_error(dir_.string());
  EXPECT_NE(e.find("is a directory"), std::string::npos) << e;
  e = reader_error(dir_.string());
  EXPECT_NE(e.find("is a directory"), std::string::npos) << e;
}

TEST_F(StoreOpen, UnwritableDirectoryIsRefused) {
  // Tests may run as root, for whom permission bits do not count: /proc refuses everyone.
  std::string e = writer_error("/proc/agtel-no-such-dir/agtel.db");
  EXPECT_NE(e.find("cannot create the directory /proc/agtel-no-such-dir"), std::string::npos) << e;
  // A parent that is a file.
  std::ofstream(dir_ / "file") << "x";
  e = writer_error((dir_ / "file" / "agtel.db").string());
  EXPECT_NE(e.find((dir_ / "file").string()), std::string::npos) << e;
}

TEST_F(StoreOpen, RandomBytesAreNotAStore) {
  std::mt19937 rng(7);
  {
    std::ofstream f(path_, std::ios::binary);
    for (int i = 0; i < 8192; ++i) f.put(static_cast<char>(rng()));
  }
  std::string e = writer_error(path_);
  EXPECT_NE(e.find("not a readable SQLite database"), std::string::npos) << e;
  EXPECT_NE(e.find(path_), std::string::npos) << e;
  e = reader_error(path_);
  EXPECT_NE(e.find("not a readable SQLite database"), std::string::npos) << e;
  // The file was not touched.
  EXPECT_EQ(std::filesystem::file_size(path_), 8192u);
}

TEST_F(StoreOpen, AnotherApplicationsDatabaseIsRefused) {
  run_sql(path_, "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT)");
  std::string e = writer_error(path_);
  EXPECT_NE(e.find("another application"), std::string::npos) << e;
  e = reader_error(path_);
  EXPECT_NE(e.find("another application"), std::string::npos) << e;
  run_sql(path_, "PRAGMA application_id=12345");
  e = writer_error(path_);
  EXPECT_NE(e.find("application_id 12345"), std::string::npos) << e;
}

TEST_F(StoreOpen, NewerSchemaIsRefused) {
  { ASSERT_TRUE(open_writer()); }
  run_sql(path_, "PRAGMA user_version=99");
  std::string e = writer_error(path_);
  EXPECT_NE(e.find("version 99"), std::string::npos) << e;
  EXPECT_NE(e.find("newer agtel"), std::string::npos) << e;
  e = reader_error(path_);
  EXPECT_NE(e.find("version 99"), std::string::npos) << e;
}

TEST_F(StoreOpen, ReaderOnAMissingFileSaysSo) {
  std::string e = reader_error((dir_ / "none.db").string());
  EXPECT_NE(e.find("no store at"), std::string::npos) << e;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "none.db"));  // and did not create it
}

TEST_F(StoreOpen, OddSpansAreStoredAndComeBackSafely) {
  std::deque<agtel::resource> resources(1);
  std::deque<instrumentation_scope> scopes(1);
  resources[0].attributes.set("service.name", "bad\xff\xfe");
  resources[0].attributes.set("key\xc0", "v");
  scopes[0].name = "\xe2\x82";  // a truncated UTF-8 sequence
  std::string huge(1 << 20, 'h');
  huge[12345] = '"';
  otlp::trace_batch in;
  auto add = [&](trace::trace_id t, trace::span_id s, std::string name) {
    trace::span_ptr p = trace::span_ptr::make();
    p->context = trace::span_context(t, s, {0}, false);
    p->name = std::move(name);
    p->start_time = 5;
    p->end_time = 9;
    p->resource = &resources[0];
    p->scope = &scopes[0];
    in.spans.push_back(p);
    return p;
  };
  auto a = add(tid(1), sid(1), "");
  a->attributes.set("huge", huge);
  a->attributes.set("bad\xff", "value\xed\xa0\x80");
  auto b = add(trace::trace_id(), trace::span_id(), "zero ids \x80");
  b->status = {trace::status_code::error, "\xff"};
  b->end_time = 3;  // ends before it starts: stored with duration 0
  std::vector<trace::span_ptr> expected = in.spans;
  in.spans.push_back(trace::span_ptr());  // a null entry is skipped, not a crash

  auto w = open_writer();
  ASSERT_TRUE(store_batch(*w, std::move(in)));
  w.reset();
  auto r = open_reader();
  std::string error;
  otlp::trace_batch out;
  ASSERT_TRUE(r->read_trace(tid(1), out, error)) << error;
  ASSERT_EQ(out.spans.size(), 1u);
  expect_same_span(*expected[0], *out.spans[0]);
  ASSERT_TRUE(r->read_trace(trace::trace_id(), out, error)) << error;
  ASSERT_EQ(out.spans.size(), 1u);
  EXPECT_EQ(out.spans[0]->name, "zero ids \x80");
  EXPECT_EQ(out.spans[0]->status.message, "\xff");
  EXPECT_EQ(out.spans[0]->end_time, out.spans[0]->start_time);
  expect_same_resource(&resources[0], out.spans[0]->resource);
  store::trace_query q;
  q.service = "bad\xff\xfe";
  std::vector<store::trace_summary> found;
  ASSERT_TRUE(r->find_traces(q, found, error)) << error;
  EXPECT_EQ(found.size(), 2u);
}

TEST_F(StoreOpen, CorruptRowsAreReportedNotTrusted) {
  {
    auto w = open_writer();
    otlp::trace_batch b;
    add_span(b, "svc", tid(1), 1, 0, "root", 100, 10).attributes.set("k", "v");
    ASSERT_TRUE(store_batch(*w, std::move(b)));
  }
  auto r = open_reader();
  std::string error;
  otlp::trace_batch out;
  for (const char* bad : {"[1,", "[999,1]", "{}", "[1,{\"x\":\"4\"}]", "[1,{\"f\":\"zzz\"}]",
                          "[1,{\"q\":[]}]", "[1,1e999999]", "[1,\"v\",]", "[0,1]", ""}) {
    std::string sql = std::string("UPDATE spans SET attributes='") + bad + "'";
    run_sql(path_, sql.c_str());
    EXPECT_FALSE(r->read_trace(tid(1), out, error)) << bad;
    EXPECT_NE(error.find("corrupt attributes"), std::string::npos) << bad << ": " << error;
  }
  run_sql(path_, "UPDATE spans SET attributes='[]', events='[{\"n\":1}]'");
  EXPECT_FALSE(r->read_trace(tid(1), out, error));
  EXPECT_NE(error.find("corrupt events"), std::string::npos) << error;
}

TEST_F(StoreOpen, Sqlite3CliFindsTheFileIntact) {
  {
    auto w = open_writer();
    for (int i = 0; i < 5; ++i) {
      otlp::trace_batch b;
      for (uint64_t s = 1; s <= 50; ++s)
        add_span(b, "svc", tid(static_cast<uint8_t>(i + 1)), s, s > 1 ? 1 : 0, "x", s, 1)
            .attributes.set("n", static_cast<int64_t>(s));
      ASSERT_TRUE(store_batch(*w, std::move(b)));
    }
    // While the writer is open (WAL not yet checkpointed) ...
    std::string cmd = "sqlite3 '" + path_ + "' 'PRAGMA integrity_check' 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    char buf[256] = {};
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    EXPECT_EQ(pclose(p), 0);
    EXPECT_EQ(std::string(buf, n), "ok\n");
  }
  // ... and after it closed.
  std::string cmd = "sqlite3 '" + path_ + "' 'PRAGMA integrity_check; SELECT count(*) FROM spans' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[256] = {};
  size_t n = fread(buf, 1, sizeof buf - 1, p);
  EXPECT_EQ(pclose(p), 0);
  EXPECT_EQ(std::string(buf, n), "ok\n250\n");
}

}  // namespace
}  // namespace agtel::test
