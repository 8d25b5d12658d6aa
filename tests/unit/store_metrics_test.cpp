// The metric store on real SQLite files: every point kind is stored and read back exactly
// (through the head, and again after compaction into chunks), series identity and labels,
// selection, the baseline point before a range, later writes winning over earlier ones,
// late points, durability across a reopen, corrupt rows, and the schema migration.
#include <sqlite3.h>

#include <cmath>
#include <limits>

#include "store/metric_head.hpp"
#include "store_fixture.hpp"

namespace agtel::test {
namespace {

constexpr int64_t s = 1'000'000'000;  // one second in ns
constexpr int64_t t0 = 1'700'000'000 * s;

// A metrics request for one resource (service.name = service) and one scope.
struct metric_request {
  otlp::metric_batch batch;
  metrics::resource_metrics* rm;

  explicit metric_request(const std::string& service = "svc") {
    batch.resources.emplace_back().attributes.set("service.name", service);
    batch.scopes.emplace_back().name = "test";
    rm = &batch.resource_metrics.emplace_back();
    rm->resource = &batch.resources.back();
    rm->scopes.next().scope = &batch.scopes.back();
    rm->scopes[0].metrics.clear();
  }
  metrics::metric_data& metric(const std::string& name, const std::string& unit = "") {
    metrics::metric_data& m = rm->scopes[0].metrics.next();
    m.name = name;
    m.unit = unit;
    m.description = "about " + name;
    return m;
  }
  metric_request& gauge(const std::string& name, int64_t time, double v,
                        attribute_list attrs = {}) {
    metrics::gauge_data g;
    auto& p = g.points.next();
    p = {};
    p.attributes = std::move(attrs);
    p.time = static_cast<timestamp_ns>(time);
    p.value = v;
    metric(name).data = std::move(g);
    return *this;
  }
  metric_request& counter(const std::string& name, int64_t start, int64_t time, int64_t v,
                          attribute_list attrs = {},
                          metrics::aggregation_temporality t =
                              metrics::aggregation_temporality::cumulative) {
    metrics::sum_data d;
    d.monotonic = true;
    d.temporality = t;
    auto& p = d.points.next();
    p = {};
    p.attributes = std::move(attrs);
    p.start_time = static_cast<timestamp_ns>(start);
    p.time = static_cast<timestamp_ns>(time);
    p.value = v;
    metric(name, "{token}").data = std::move(d);
    return *this;
  }
};

std::unique_ptr<store::writer> open_with(const std::string& path, size_t head_points,
                                         std::chrono::milliseconds age = std::chrono::hours(1)) {
  store::writer_options o;
  o.path = path;
  o.metric_head_points = head_points;
  o.metric_head_age = age;
  std::string error;
  auto w = store::writer::open(o, error);
  EXPECT_TRUE(w) << error;
  return w;
}

// Waits until the writer compacted every point (the head is empty).
void wait_compacted(store::writer& w, uint64_t points) {
  for (int i = 0; i < 500 && w.stats().metric_points_compacted < points; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(w.stats().metric_points_compacted, points);
}

class StoreMetrics : public store_test {
 protected:
  query::series_set read(const std::string& name, int64_t start = 0,
                         int64_t end = std::numeric_limits<int64_t>::max(),
                         std::function<bool(const query::label_set&)> select = {}) {
    auto r = open_reader();
    query::series_set out;
    std::string error;
    EXPECT_TRUE(r && r->read_series(name, select, start, end, out, error)) << error;
    return out;
  }

  // A counter series of `n` points every 15 s from t0, value 10·i, in one request each.
  void write_counter(store::writer& w, int n, int first = 0) {
    for (int i = first; i < first + n; ++i) {
      metric_request req;
      req.counter("tokens", t0, t0 + i * 15 * s, 10 * i, {{"model", "m1"}});
      ASSERT_TRUE(store_batch(w, std::move(req.batch)));
    }
  }
};

TEST_F(StoreMetrics, EveryKindIsStoredAndReadBackExactly) {
  metric_request req;
  req.gauge("queue", t0, 2.5, {{"priority", "high"}});
  req.counter("tokens", t0 - 60 * s, t0, 1200, {{"model", "m1"}, {"dir", "in"}});
  req.counter("cost", t0 - 15 * s, t0, 3, {}, metrics::aggregation_temporality::delta);
  {
    metrics::histogram_data h;
    auto& p = h.points.next();
    p = {};
    p.attributes.set("tool", "search");
    p.start_time = static_cast<timestamp_ns>(t0 - 60 * s);
    p.time = static_cast<timestamp_ns>(t0);
    p.count = 6;
    p.sum = 4.5;
    p.min = 0.1;
    p.bounds = {0.5, 1, 2};
    p.bucket_counts = {2, 3, 1, 0};
    auto& e = p.exemplars.next();
    e = {};
    e.time = static_cast<timestamp_ns>(t0 - s);
    e.value = 1.5;
    e.trace_id = tid(9);
    req.metric("latency", "s").data = std::move(h);
  }
  {
    metrics::exponential_histogram_data h;
    h.temporality = metrics::aggregation_temporality::delta;
    auto& p = h.points.next();
    p = {};
    p.time = static_cast<timestamp_ns>(t0);
    p.start_time = static_cast<timestamp_ns>(t0 - 10 * s);
    p.count = 7;
    p.sum = -3;
    p.scale = 3;
    p.zero_count = 1;
    p.zero_threshold = 1e-9;
    p.positive = {-2, {1, 2}};
    p.negative = {5, {0, 3}};
    req.metric("sizes", "By").data = std::move(h);
  }
  {
    metrics::summary_data q;
    auto& p = q.points.next();
    p = {};
    p.time = static_cast<timestamp_ns>(t0);
    p.count = 1;
    req.metric("legacy").data = std::move(q);
  }
  auto w = open_writer();
  ASSERT_TRUE(store_batch(*w, std::move(req.batch)));
  EXPECT_EQ(w->stats().metric_points_stored, 5u);  // not the summary

  auto queue = read("queue");
  EXPECT_EQ(queue.metric.kind, query::metric_kind::gauge);
  EXPECT_EQ(queue.metric.description, "about queue");
  ASSERT_EQ(queue.series.size(), 1u);
  EXPECT_EQ(queue.series[0].labels,
            (query::label_set{{"priority", "high"}, {"service.name", "svc"}}));
  ASSERT_EQ(queue.series[0].numbers.size(), 1u);
  EXPECT_EQ(queue.series[0].numbers[0].time_ns, t0);
  EXPECT_EQ(queue.series[0].numbers[0].value, 2.5);

  auto tokens = read("tokens");
  EXPECT_EQ(tokens.metric.kind, query::metric_kind::counter);
  EXPECT_EQ(tokens.metric.temporality, query::temporality::cumulative);
  EXPECT_EQ(tokens.metric.unit, "{token}");
  ASSERT_EQ(tokens.series.size(), 1u);
  EXPECT_EQ(tokens.series[0].numbers[0].start_ns, t0 - 60 * s);
  EXPECT_EQ(tokens.series[0].numbers[0].value, 1200);

  EXPECT_EQ(read("cost").metric.temporality, query::temporality::delta);

  auto latency = read("latency");
  EXPECT_EQ(latency.metric.kind, query::metric_kind::histogram);
  ASSERT_EQ(latency.series.size(), 1u);
  ASSERT_EQ(latency.series[0].histograms.size(), 1u);
  const query::histogram_sample& h = latency.series[0].histograms[0];
  EXPECT_EQ(h.count, 6u);
  EXPECT_EQ(h.sum, 4.5);
  EXPECT_EQ(h.min, 0.1);
  EXPECT_TRUE(std::isnan(h.max));
  EXPECT_EQ(h.bounds, (std::vector<double>{0.5, 1, 2}));
  EXPECT_EQ(h.counts, (std::vector<uint64_t>{2, 3, 1, 0}));
  EXPECT_EQ(sql_int(path_, "SELECT count(*) FROM metric_exemplars WHERE value=1.5"), 1);

  auto sizes = read("sizes");
  ASSERT_EQ(sizes.series.size(), 1u);
  ASSERT_EQ(sizes.series[0].exponential_histograms.size(), 1u);
  const query::exponential_histogram_sample& e = sizes.series[0].exponential_histograms[0];
  EXPECT_EQ(e.scale, 3);
  EXPECT_EQ(e.zero_count, 1u);
  EXPECT_EQ(e.positive_offset, -2);
  EXPECT_EQ(e.positive, (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(e.negative_offset, 5);
  EXPECT_EQ(e.negative, (std::vector<uint64_t>{0, 3}));

  EXPECT_TRUE(read("legacy").metric.name.empty());
  EXPECT_TRUE(read("no_such_metric").metric.name.empty());

  std::vector<store::metric_entry> list;
  std::string error;
  ASSERT_TRUE(open_reader()->list_metrics(list, error)) << error;
  ASSERT_EQ(list.size(), 5u);
  EXPECT_EQ(list[0].info.name, "cost");
  EXPECT_EQ(list[4].info.name, "tokens");
  EXPECT_EQ(list[4].series, 1u);
}

TEST_F(StoreMetrics, SeriesAreTheirLabelsAndSelectionPicksThem) {
  auto w = open_writer();
  for (const char* model : {"m1", "m2", "m1"}) {
    metric_request req;
    req.counter("tokens", t0, t0 + (model[1] == '1' ? 0 : s), 5, {{"model", model}});
    ASSERT_TRUE(store_batch(*w, std::move(req.batch)));
  }
  metric_request other("other-service");
  other.counter("tokens", t0, t0, 7, {{"model", "m1"}});
  ASSERT_TRUE(store_batch(*w, std::move(other.batch)));
  EXPECT_EQ(sql_int(path_, "SELECT count(*) FROM metric_series"), 3);
  EXPECT_EQ(sql_int(path_,
                    "SELECT count(*) FROM metric_series WHERE "
                    "json_extract(labels, '$.model')='m1'"),
            2);
  auto all = read("tokens");
  EXPECT_EQ(all.series.size(), 3u);
  auto m2 = read("tokens", 0, std::numeric_limits<int64_t>::max(), [](const query::label_set& l) {
    return l[0].second == "m2";
  });
  ASSERT_EQ(m2.series.size(), 1u);
  EXPECT_EQ(m2.series[0].numbers[0].time_ns, t0 + s);
  auto none = read("tokens", 0, std::numeric_limits<int64_t>::max(),
                   [](const query::label_set&) { return false; });
  EXPECT_EQ(none.metric.name, "tokens");  // known metric, nothing selected
  EXPECT_TRUE(none.series.empty());
}

TEST_F(StoreMetrics, CompactionMovesTheHeadIntoChunksAndNothingChanges) {
  auto w = open_with(path_, 1);  // compact after every transaction
  write_counter(*w, 300);
  wait_compacted(*w, 300);
  EXPECT_EQ(sql_int(path_, "SELECT count(*) FROM metric_head"), 0);
  // 300 points of one series: a full chunk of 240 and one of 60, extended in place.
  EXPECT_EQ(sql_int(path_, "SELECT count(*) FROM metric_chunks"), 2);
  EXPECT_EQ(sql_int(path_, "SELECT max(points) FROM metric_chunks"), 240);
  auto got = read("tokens");
  ASSERT_EQ(got.series.size(), 1u);
  ASSERT_EQ(got.series[0].numbers.size(), 300u);
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(got.series[0].numbers[i].time_ns, t0 + i * 15 * s);
    EXPECT_EQ(got.series[0].numbers[i].value, 10 * i);
    EXPECT_EQ(got.series[0].numbers[i].start_ns, t0);
  }
  store::store_status st;
  std::string error;
  ASSERT_TRUE(open_reader()->status(st, error)) << error;
  EXPECT_EQ(st.metrics, 1u);
  EXPECT_EQ(st.metric_series, 1u);
  EXPECT_EQ(st.metric_points, 300u);
}

TEST_F(StoreMetrics, ARangeKeepsItsPointsAndTheBaselineBeforeIt) {
  auto w = open_with(path_, 50);  // some in chunks, the rest in the head
  write_counter(*w, 120);
  auto got = read("tokens", t0 + 600 * s, t0 + 900 * s);  // points 40..59, and 39
  ASSERT_EQ(got.series.size(), 1u);
  const auto& p = got.series[0].numbers;
  ASSERT_EQ(p.size(), 21u);
  EXPECT_EQ(p.front().time_ns, t0 + 39 * 15 * s);
  EXPECT_EQ(p.back().time_ns, t0 + 59 * 15 * s);
  // Past every point: each series' latest point only.
  auto latest = read("tokens", std::numeric_limits<int64_t>::max() - 1);
  ASSERT_EQ(latest.series[0].numbers.size(), 1u);
  EXPECT_EQ(latest.series[0].numbers[0].value, 1190);
}

TEST_F(StoreMetrics, TheLaterWriteOfAPointWinsAndLatePointsAreKept) {
  auto w = open_with(path_, 1);
  write_counter(*w, 10);
  wait_compacted(*w, 10);
  metric_request again;  // point 5 again, with another value; and one before every point
  again.counter("tokens", t0, t0 + 5 * 15 * s, 999, {{"model", "m1"}});
  ASSERT_TRUE(store_batch(*w, std::move(again.batch)));
  metric_request late;
  late.counter("tokens", t0 - 100 * s, t0 - 30 * s, 1, {{"model", "m1"}});
  ASSERT_TRUE(store_batch(*w, std::move(late.batch)));
  wait_compacted(*w, 12);
  auto got = read("tokens");
  const auto& p = got.series[0].numbers;
  ASSERT_EQ(p.size(), 11u);
  EXPECT_EQ(p[0].time_ns, t0 - 30 * s);
  EXPECT_EQ(p[6].value, 999);  // point 5
  EXPECT_EQ(p[10].value, 90);
}

TEST_F(StoreMetrics, AcknowledgedPointsSurviveAReopenAndAreCompactedLater) {
  {
    auto w = open_with(path_, 1000000);  // never compacts
    write_counter(*w, 20);
  }
  EXPECT_EQ(sql_int(path_, "SELECT sum(points) FROM metric_head"), 20);
  EXPECT_EQ(read("tokens").series[0].numbers.size(), 20u);
  auto w = open_with(path_, 10);  // the head is over the limit: compacted at once
  wait_compacted(*w, 20);
  EXPECT_EQ(read("tokens").series[0].numbers.size(), 20u);
}

TEST_F(StoreMetrics, OldHeadRowsAreCompactedByAge) {
  auto w = open_with(path_, 1000000, std::chrono::milliseconds(50));
  write_counter(*w, 3);
  wait_compacted(*w, 3);
  EXPECT_EQ(sql_int(path_, "SELECT count(*) FROM metric_chunks"), 1);
}

TEST_F(StoreMetrics, ACorruptHeadRowIsReportedAndCompactionGoesOn) {
  {
    auto w = open_with(path_, 1000000);
    write_counter(*w, 2);
  }
  run_sql(path_, "UPDATE metric_head SET data=x'01000599' WHERE id=1");  // cut short
  auto r = open_reader();
  query::series_set out;
  std::string error;
  EXPECT_FALSE(r->read_series("tokens", {}, 0, std::numeric_limits<int64_t>::max(), out, error));
  EXPECT_NE(error.find("corrupt"), std::string::npos) << error;
  auto w = open_with(path_, 1);
  wait_compacted(*w, 2);
  EXPECT_GE(w->stats().metric_points_corrupt, 1u);
  EXPECT_EQ(read("tokens").series[0].numbers.size(), 1u);  // the intact point
}

TEST_F(StoreMetrics, AVersion1StoreIsMigrated) {
  { auto w = open_writer(); }
  run_sql(path_,
          "DROP TABLE metric_series; DROP TABLE metric_head; DROP TABLE metric_chunks; "
          "DROP TABLE metric_exemplars; PRAGMA user_version=1");
  std::string error;
  EXPECT_FALSE(store::reader::open(path_, error));
  EXPECT_NE(error.find("older store schema version 1"), std::string::npos) << error;
  auto w = open_writer();
  write_counter(*w, 1);
  EXPECT_EQ(read("tokens").series.size(), 1u);
  EXPECT_EQ(sql_int(path_, "PRAGMA user_version"), 2);
}

// Submits a delete and waits for it.
store::delete_result delete_metrics(store::writer& w, int64_t before_ns) {
  store::delete_request req;
  req.spans = req.logs = false;
  req.before_ns = static_cast<timestamp_ns>(before_ns);
  std::promise<store::delete_result> p;
  auto f = p.get_future();
  EXPECT_EQ(w.submit_delete(req,
                            [&](bool ok, const store::delete_result& n, std::string_view e) {
                              EXPECT_TRUE(ok) << e;
                              p.set_value(n);
                            }),
            store::submit_result::queued);
  return f.get();
}

TEST_F(StoreMetrics, OldChunksAreDeletedWholeAndClearingAllEmptiesTheCatalogue) {
  store::writer_options o;
  o.path = path_;
  o.metric_head_points = 1;
  o.max_delete_rows = 1;  // one chunk per delete transaction
  auto w = open_writer(o);
  write_counter(*w, 500);  // chunks of 240, 240, 20 points
  wait_compacted(*w, 500);
  // The cutoff in the middle of the second chunk: only the first goes.
  auto r = open_reader();
  store::delete_request ask;
  ask.spans = ask.logs = false;
  ask.before_ns = static_cast<timestamp_ns>(t0 + 300 * 15 * s);
  store::delete_result would;
  std::string error;
  ASSERT_TRUE(r->count(ask, would, error)) << error;
  EXPECT_EQ(would.metric_points, 240u);
  EXPECT_EQ(delete_metrics(*w, t0 + 300 * 15 * s).metric_points, 240u);
  EXPECT_EQ(read("tokens").series[0].numbers.front().time_ns, t0 + 240 * 15 * s);
  EXPECT_EQ(w->stats().metric_points_deleted, 240u);
  // Everything, the series too; a new point makes its series anew.
  EXPECT_EQ(delete_metrics(*w, 0).metric_points, 260u);
  EXPECT_EQ(sql_int(path_, "SELECT count(*) FROM metric_series"), 0);
  EXPECT_TRUE(read("tokens").metric.name.empty());
  write_counter(*w, 1, 600);
  EXPECT_EQ(read("tokens").series[0].numbers.size(), 1u);
}

TEST_F(StoreMetrics, RetentionDeletesMetricsPastTheirMaxAge) {
  store::writer_options o;
  o.path = path_;
  o.metric_head_points = 1;
  o.metrics_max_age = std::chrono::hours(24);
  o.retention_interval = std::chrono::milliseconds(20);
  auto w = open_writer(o);
  const int64_t now = static_cast<int64_t>(realtime_ns());
  metric_request old_point, new_point;
  old_point.gauge("queue", now - 48 * 3600 * s, 1);
  new_point.gauge("queue", now, 2);
  ASSERT_TRUE(store_batch(*w, std::move(old_point.batch)));
  ASSERT_TRUE(store_batch(*w, std::move(new_point.batch)));
  for (int i = 0; i < 500 && w->stats().metric_points_deleted < 1; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto got = read("queue");
  ASSERT_EQ(got.series.size(), 1u);
  ASSERT_EQ(got.series[0].numbers.size(), 1u);
  EXPECT_EQ(got.series[0].numbers[0].value, 2);
}

TEST(StoreMetricHead, MalformedGroupsStopTheReader) {
  std::string data;
  store::head::append_group(300, query::metric_kind::histogram, "abc", data);
  store::head::group g;
  store::head::group_reader ok(data);
  ASSERT_TRUE(ok.next(g));
  EXPECT_EQ(g.series_id, 300);
  EXPECT_EQ(g.kind, query::metric_kind::histogram);
  EXPECT_EQ(g.chunk, "abc");
  EXPECT_FALSE(ok.next(g));
  EXPECT_FALSE(ok.failed());
  for (size_t cut = 1; cut < data.size(); ++cut) {
    store::head::group_reader r(std::string_view(data).substr(0, cut));
    EXPECT_FALSE(r.next(g)) << cut;
    EXPECT_TRUE(r.failed()) << cut;
  }
  std::string bad_kind = data;
  bad_kind[2] = 9;
  store::head::group_reader r(bad_kind);
  EXPECT_FALSE(r.next(g));
  EXPECT_TRUE(r.failed());
}

}  // namespace
}  // namespace agtel::test
