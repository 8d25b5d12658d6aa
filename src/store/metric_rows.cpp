#include "store/numbers.hpp"
#include "store/metric_rows.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "agtel/common/time.hpp"
#include "store/attributes.hpp"
#include "store/metric_head.hpp"
#include "store/metric_labels.hpp"
#include "store/row_writer.hpp"

namespace agtel::store {
namespace {

// Bounds the series cache: a client sending endless distinct label values costs at most
// this many entries in memory (the database still has them all).
constexpr size_t max_cached_series = 200000;

double or_nan(const std::optional<double>& v) noexcept {
  return v ? *v : std::numeric_limits<double>::quiet_NaN();
}

query::temporality temporality_of(metrics::aggregation_temporality t) noexcept {
  // A sum or histogram without a temporality is malformed OTLP; cumulative is what such
  // senders mean in practice (and what Prometheus-style data is).
  return t == metrics::aggregation_temporality::delta ? query::temporality::delta
                                                      : query::temporality::cumulative;
}

query::number_sample to_sample(const metrics::number_point& p) {
  return {to_i64(p.time), to_i64(p.start_time), metrics::to_double(p.value)};
}

query::histogram_sample to_sample(const metrics::histogram_point& p) {
  query::histogram_sample s;
  s.time_ns = to_i64(p.time);
  s.start_ns = to_i64(p.start_time);
  s.count = p.count;
  s.sum = or_nan(p.sum);
  s.min = or_nan(p.min);
  s.max = or_nan(p.max);
  s.bounds = p.bounds;
  s.counts = p.bucket_counts;
  return s;
}

query::exponential_histogram_sample to_sample(const metrics::exponential_histogram_point& p) {
  query::exponential_histogram_sample s;
  s.time_ns = to_i64(p.time);
  s.start_ns = to_i64(p.start_time);
  s.count = p.count;
  s.sum = or_nan(p.sum);
  s.min = or_nan(p.min);
  s.max = or_nan(p.max);
  s.scale = p.scale;
  s.zero_count = p.zero_count;
  s.zero_threshold = p.zero_threshold;
  s.positive_offset = p.positive.offset;
  s.positive = p.positive.counts;
  s.negative_offset = p.negative.offset;
  s.negative = p.negative.counts;
  return s;
}

void push(series_points& s, query::number_sample&& p) { s.numbers.push_back(std::move(p)); }
void push(series_points& s, query::histogram_sample&& p) { s.histograms.push_back(std::move(p)); }
void push(series_points& s, query::exponential_histogram_sample&& p) {
  s.exponential_histograms.push_back(std::move(p));
}

}  // namespace

std::string metric_rows::fail(std::string_view what) const {
  return std::string(what) + " in " + path_ + ": " + sqlite3_errmsg(db_);
}

bool metric_rows::prepare(sqlite3* db, const std::string& path, std::string& error) {
  db_ = db;
  path_ = path;
  struct {
    sql::statement& s;
    const char* sql;
  } statements[] = {
      {find_series_,
       "SELECT id, name, unit, kind, temporality, resource_id, scope_id, labels "
       "FROM metric_series WHERE hash=?"},
      {insert_series_,
       "INSERT INTO metric_series(hash, name, kind, temporality, unit, description, "
       "resource_id, scope_id, labels) VALUES(?,?,?,?,?,?,?,?,?)"},
      {insert_head_,
       "INSERT INTO metric_head(written_ns, min_ns, max_ns, points, data) VALUES(?,?,?,?,?)"},
      {insert_exemplar_,
       "INSERT INTO metric_exemplars(series_id, time_ns, value, trace_id, span_id, attributes) "
       "VALUES(?,?,?,?,?,?)"},
      {read_head_, "SELECT id, points, data FROM metric_head ORDER BY id"},
      {delete_head_, "DELETE FROM metric_head WHERE id <= ?"},
      {last_chunk_,
       "SELECT rowid, last_ns, points, data FROM metric_chunks WHERE series_id=? "
       "ORDER BY last_ns DESC LIMIT 1"},
      {update_chunk_,
       "UPDATE metric_chunks SET first_ns=?, last_ns=?, points=?, data=? WHERE rowid=?"},
      {insert_chunk_,
       "INSERT INTO metric_chunks(series_id, first_ns, last_ns, points, data) VALUES(?,?,?,?,?)"},
      {series_last_,
       "UPDATE metric_series SET last_ns=max(coalesce(last_ns, 0), ?) WHERE id=?"},
      {oldest_head_, "SELECT coalesce(min(written_ns), 0), coalesce(sum(points), 0) FROM metric_head"},
  };
  for (auto& s : statements)
    if (!s.s.prepare(db, s.sql, error)) return false;
  if (oldest_head_.step() != SQLITE_ROW) {
    error = fail("reading the metric head");
    oldest_head_.reset();
    return false;
  }
  oldest_head_ns_ = oldest_head_.int64(0);
  head_points_ = static_cast<uint64_t>(oldest_head_.int64(1));
  oldest_head_.reset();
  return true;
}

namespace {

void mix(uint64_t& h, uint64_t v) noexcept { h = (h ^ v) * 1099511628211ull; }

uint64_t hash_value(const attribute_value& v) noexcept {
  uint64_t h = 1469598103934665603ull;
  mix(h, v.index());
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) {
          h = fnv1a(x, h);
        } else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, int64_t>) {
          mix(h, static_cast<uint64_t>(x));
        } else if constexpr (std::is_same_v<T, double>) {
          uint64_t bits;
          std::memcpy(&bits, &x, 8);
          mix(h, bits);
        } else {
          for (const auto& e : x) {
            if constexpr (std::is_same_v<typename T::value_type, std::string>) h = fnv1a(e, h);
            else if constexpr (std::is_same_v<typename T::value_type, double>) mix(h, std::hash<double>{}(e));
            else mix(h, static_cast<uint64_t>(e));
          }
        }
      },
      v);
  return h;
}

// Same attributes in the same order (what one sender repeats from request to request).
bool same_in_order(const attribute_list& a, const attribute_list& b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].key != b[i].key || !(a[i].value == b[i].value)) return false;
  return true;
}

}  // namespace

bool metric_rows::series_id(const std::string& name, const std::string& unit,
                            const std::string& description, query::metric_kind kind,
                            query::temporality temporality, int64_t resource_id,
                            int64_t scope_id, const agtel::resource* resource,
                            const attribute_list& attributes, int64_t& out,
                            std::string& error) {
  // The fast path: the cache is keyed by the point as received (no labels built), and a
  // hit is confirmed field by field, attributes in order.
  uint64_t key = fnv1a(unit, fnv1a(name));
  mix(key, static_cast<uint64_t>(kind) << 8 | static_cast<uint64_t>(temporality));
  mix(key, static_cast<uint64_t>(resource_id));
  mix(key, static_cast<uint64_t>(scope_id));
  for (const attribute& a : attributes) {
    key = fnv1a(a.key, key);
    mix(key, hash_value(a.value));
  }
  if (auto it = series_.find(key); it != series_.end()) {
    for (const cached_series& c : it->second) {
      if (c.resource_id == resource_id && c.scope_id == scope_id && c.kind == kind &&
          c.temporality == temporality && c.name == name && c.unit == unit &&
          same_in_order(c.attributes, attributes)) {
        out = c.id;
        return true;
      }
    }
  }
  // The slow path: the series' identity in the table (labels sorted, as JSON).
  make_labels(resource, attributes, labels_);
  labels_json_.clear();
  write_labels_json(labels_, labels_json_);
  content_.clear();
  content_.append(name).push_back('\x1f');
  content_.append(unit).push_back('\x1f');
  content_.append(std::to_string(static_cast<int>(kind)) + ' ' +
                  std::to_string(static_cast<int>(temporality)) + ' ' +
                  std::to_string(resource_id) + ' ' + std::to_string(scope_id) + '\x1f');
  content_.append(labels_json_);
  const uint64_t hash = fnv1a(content_);
  int64_t id = 0;
  find_series_.bind(1, static_cast<int64_t>(hash));
  int rc;
  while ((rc = find_series_.step()) == SQLITE_ROW) {
    if (find_series_.text(1) == name && find_series_.text(2) == unit &&
        find_series_.int64(3) == static_cast<int64_t>(kind) &&
        find_series_.int64(4) == static_cast<int64_t>(temporality) &&
        find_series_.int64(5) == resource_id && find_series_.int64(6) == scope_id &&
        find_series_.text(7) == labels_json_) {
      id = find_series_.int64(0);
      break;
    }
  }
  find_series_.reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    error = fail("looking up a metric series");
    return false;
  }
  if (id == 0) {
    sql::statement& q = insert_series_;
    q.bind(1, static_cast<int64_t>(hash));
    q.bind_text(2, name);
    q.bind(3, static_cast<int64_t>(kind));
    q.bind(4, static_cast<int64_t>(temporality));
    q.bind_text_or_null(5, unit);
    q.bind_text_or_null(6, description);
    q.bind(7, resource_id);
    q.bind(8, scope_id);
    q.bind_text(9, labels_json_);
    rc = q.step();
    q.reset();
    if (rc != SQLITE_DONE) {
      error = fail("storing the metric series of '" + name.substr(0, 64) + "'");
      return false;
    }
    id = sqlite3_last_insert_rowid(db_);
  }
  if (cached_series_ >= max_cached_series) {
    series_.clear();
    cached_series_ = 0;
  }
  cached_series& c = series_[key].emplace_back();
  c.id = id;
  c.name = name;
  c.unit = unit;
  c.kind = kind;
  c.temporality = temporality;
  c.resource_id = resource_id;
  c.scope_id = scope_id;
  for (const attribute& a : attributes) c.attributes.set_value(a.key, a.value);
  ++cached_series_;
  out = id;
  return true;
}

bool metric_rows::add_exemplars(int64_t series, const reuse_vector<metrics::exemplar>& exemplars,
                                std::string& error) {
  for (const metrics::exemplar& e : exemplars) {
    sql::statement& q = insert_exemplar_;
    q.bind(1, series);
    q.bind(2, to_i64(e.time));
    q.bind_double(3, metrics::to_double(e.value));  // SQLite stores a NaN as NULL
    if (e.trace_id.is_valid()) q.bind_blob(4, e.trace_id.bytes().data(), 16);
    if (e.span_id.is_valid()) q.bind_blob(5, e.span_id.bytes().data(), 8);
    exemplar_attrs_.clear();
    if (!e.filtered_attributes.empty()) {
      encode_named_attributes(e.filtered_attributes, exemplar_attrs_);
      q.bind_text(6, exemplar_attrs_);
    }
    const int rc = q.step();
    q.reset();
    if (rc != SQLITE_DONE) {
      error = fail("storing an exemplar");
      return false;
    }
  }
  return true;
}

bool metric_rows::add(const otlp::metric_batch& batch, row_writer& ids, metric_add_result& result,
                      std::string& error) {
  for (const metrics::resource_metrics& rm : batch.resource_metrics) {
    int64_t rid = 0;
    if (!ids.resource_id(rm.resource, rid, error)) return false;
    for (const metrics::scope_metrics& sm : rm.scopes) {
      int64_t sid = 0;
      if (!ids.scope_id(sm.scope, sid, error)) return false;
      for (const metrics::metric_data& m : sm.metrics) {
        // Stores each point of `points` in the series of its attributes.
        auto store = [&](const auto& points, query::metric_kind kind, query::temporality t) {
          for (const auto& p : points) {
            // "No recorded value" marks the absence of a point (a stream that ended).
            if (p.flags & metrics::point_flag_no_recorded_value) continue;
            int64_t id = 0;
            if (!series_id(m.name, m.unit, m.description, kind, t, rid, sid, rm.resource,
                           p.attributes, id, error))
              return false;
            series_points& s = pending_[id];
            s.kind = kind;
            auto sample = to_sample(p);
            const int64_t time = sample.time_ns;
            push(s, std::move(sample));
            if (pending_count_++ == 0) pending_min_ns_ = pending_max_ns_ = time;
            pending_min_ns_ = std::min(pending_min_ns_, time);
            pending_max_ns_ = std::max(pending_max_ns_, time);
            ++result.stored;
            if (!p.exemplars.empty() && !add_exemplars(id, p.exemplars, error)) return false;
          }
          return true;
        };
        bool ok = true;
        if (auto* g = std::get_if<metrics::gauge_data>(&m.data)) {
          ok = store(g->points, query::metric_kind::gauge, query::temporality::unspecified);
        } else if (auto* s = std::get_if<metrics::sum_data>(&m.data)) {
          ok = store(s->points,
                     s->monotonic ? query::metric_kind::counter : query::metric_kind::up_down,
                     temporality_of(s->temporality));
        } else if (auto* h = std::get_if<metrics::histogram_data>(&m.data)) {
          ok = store(h->points, query::metric_kind::histogram, temporality_of(h->temporality));
        } else if (auto* e = std::get_if<metrics::exponential_histogram_data>(&m.data)) {
          ok = store(e->points, query::metric_kind::exponential_histogram,
                     temporality_of(e->temporality));
        } else if (auto* q = std::get_if<metrics::summary_data>(&m.data)) {
          result.rejected += q->points.size();
        }
        if (!ok) return false;
      }
    }
  }
  return true;
}

bool metric_rows::flush(std::string& error) {
  if (pending_count_ == 0) return true;
  // Series in id order: the same input always makes the same row.
  std::vector<int64_t> order;
  order.reserve(pending_.size());
  for (auto& [id, points] : pending_)
    if (points.size() > 0) order.push_back(id);
  std::sort(order.begin(), order.end());
  head_data_.clear();
  for (int64_t id : order) {
    series_points& p = pending_[id];
    p.sort_unique();
    chunk_.clear();
    p.encode(0, p.size(), chunk_);
    head::append_group(id, p.kind, chunk_, head_data_);
  }
  const int64_t now = to_i64(realtime_ns());
  sql::statement& q = insert_head_;
  q.bind(1, now);
  q.bind(2, pending_min_ns_);
  q.bind(3, pending_max_ns_);
  q.bind(4, static_cast<int64_t>(pending_count_));
  q.bind_blob(5, head_data_.data(), head_data_.size());
  const int rc = q.step();
  q.reset();
  if (rc != SQLITE_DONE) {
    error = fail("storing metric points");
    return false;
  }
  flushed_points_ = pending_count_;
  flushed_ns_ = now;
  for (auto& [id, points] : pending_) points.clear();
  if (pending_.size() > 4 * order.size() + 1024) pending_.clear();  // bounded when series churn
  pending_count_ = 0;
  return true;
}

void metric_rows::committed() noexcept {
  head_points_ += flushed_points_;
  if (flushed_points_ > 0 && oldest_head_ns_ == 0) oldest_head_ns_ = flushed_ns_;
  flushed_points_ = 0;
}

void metric_rows::rollback() noexcept {
  flushed_points_ = 0;
  for (auto& [id, points] : pending_) points.clear();
  pending_count_ = 0;
  series_.clear();
  cached_series_ = 0;
}

bool metric_rows::append_to_chunks(int64_t series, series_points& points, std::string& error) {
  points.sort_unique();
  const size_t n = points.size();
  if (n == 0) return true;
  size_t from = 0;
  auto step_done = [&](sql::statement& q, std::string_view what) {
    const int rc = q.step();
    q.reset();
    if (rc != SQLITE_DONE) error = fail(what);
    return rc == SQLITE_DONE;
  };
  // Extend the series' latest chunk when it has room and these points come after it
  // (points that arrive late start a chunk of their own; readers merge by time).
  last_chunk_.bind(1, series);
  int rc = last_chunk_.step();
  if (rc == SQLITE_ROW) {
    const int64_t rowid = last_chunk_.int64(0), last_ns = last_chunk_.int64(1),
                  count = last_chunk_.int64(2);
    if (count > 0 && static_cast<size_t>(count) < chunk_points && points.time_at(0) > last_ns) {
      auto blob = last_chunk_.blob(3);
      series_points merged;
      merged.kind = points.kind;
      if (merged.decode({reinterpret_cast<const char*>(blob.data()), blob.size()}).empty()) {
        const size_t take = std::min(chunk_points - static_cast<size_t>(count), n);
        merged.append(points, 0, take);
        chunk_.clear();
        merged.encode(0, merged.size(), chunk_);
        last_chunk_.reset();
        sql::statement& q = update_chunk_;
        q.bind(1, merged.time_at(0));
        q.bind(2, merged.time_at(merged.size() - 1));
        q.bind(3, static_cast<int64_t>(merged.size()));
        q.bind_blob(4, chunk_.data(), chunk_.size());
        q.bind(5, rowid);
        if (!step_done(q, "updating a metric chunk")) return false;
        from = take;
      }
    }
  } else if (rc != SQLITE_DONE) {
    last_chunk_.reset();
    error = fail("reading a metric chunk");
    return false;
  }
  last_chunk_.reset();
  while (from < n) {
    const size_t take = std::min(chunk_points, n - from);
    chunk_.clear();
    points.encode(from, take, chunk_);
    sql::statement& q = insert_chunk_;
    q.bind(1, series);
    q.bind(2, points.time_at(from));
    q.bind(3, points.time_at(from + take - 1));
    q.bind(4, static_cast<int64_t>(take));
    q.bind_blob(5, chunk_.data(), chunk_.size());
    if (!step_done(q, "storing a metric chunk")) return false;
    from += take;
  }
  series_last_.bind(1, points.time_at(n - 1));
  series_last_.bind(2, series);
  return step_done(series_last_, "updating a metric series");
}

bool metric_rows::compact(size_t max_points, uint64_t& moved, uint64_t& corrupt,
                          std::string& error) {
  moved = corrupt = 0;
  std::unordered_map<int64_t, series_points> work;
  int64_t last_id = 0;
  int rc;
  while ((rc = read_head_.step()) == SQLITE_ROW) {
    if (last_id != 0 && moved >= max_points) break;
    last_id = read_head_.int64(0);
    moved += static_cast<uint64_t>(std::max<int64_t>(read_head_.int64(1), 0));
    auto blob = read_head_.blob(2);
    head::group_reader groups({reinterpret_cast<const char*>(blob.data()), blob.size()});
    head::group g;
    while (groups.next(g)) {
      series_points& s = work[g.series_id];
      if (s.size() == 0) s.kind = g.kind;
      if (s.kind != g.kind || !s.decode(g.chunk).empty()) ++corrupt;
    }
    if (groups.failed()) ++corrupt;
  }
  read_head_.reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    error = fail("reading the metric head");
    return false;
  }
  if (last_id == 0) return true;
  std::vector<int64_t> order;
  order.reserve(work.size());
  for (auto& [id, points] : work) order.push_back(id);
  std::sort(order.begin(), order.end());
  for (int64_t id : order)
    if (!append_to_chunks(id, work[id], error)) return false;
  delete_head_.bind(1, last_id);
  rc = delete_head_.step();
  delete_head_.reset();
  if (rc != SQLITE_DONE) {
    error = fail("deleting compacted metric head rows");
    return false;
  }
  return true;
}

bool metric_rows::delete_before(int64_t before_ns, size_t max_rows, uint64_t& deleted,
                                bool& finished, std::string& error) {
  // ?1 = cutoff (0: everything), ?2 = the most rows.
  struct step {
    const char* sql;
    bool counts_points;  // the statement before it sums the points it will delete
  };
  const char* chunk_points =
      "SELECT count(*), coalesce(sum(points), 0) FROM (SELECT points FROM metric_chunks "
      "WHERE ?1 = 0 OR last_ns < ?1 LIMIT ?2)";
  const char* delete_chunks =
      "DELETE FROM metric_chunks WHERE rowid IN (SELECT rowid FROM metric_chunks "
      "WHERE ?1 = 0 OR last_ns < ?1 LIMIT ?2)";
  const char* head_points =
      "SELECT count(*), coalesce(sum(points), 0) FROM metric_head WHERE ?1 = 0 OR max_ns < ?1";
  const char* delete_head = "DELETE FROM metric_head WHERE ?1 = 0 OR max_ns < ?1";
  const char* delete_exemplars =
      "DELETE FROM metric_exemplars WHERE rowid IN (SELECT rowid FROM metric_exemplars "
      "WHERE ?1 = 0 OR time_ns < ?1 LIMIT ?2)";
  auto run = [&](const char* q, int64_t& rows, int64_t& points) {
    sql::statement s;
    if (!s.prepare(db_, q, error)) return false;
    s.bind(1, before_ns);
    s.bind(2, static_cast<int64_t>(max_rows));
    const int rc = s.step();
    if (rc == SQLITE_ROW) {
      rows = s.int64(0);
      points = s.int64(1);
      return true;
    }
    if (rc != SQLITE_DONE) {
      error = fail("deleting old metric points");
      return false;
    }
    rows = sqlite3_changes(db_);
    return true;
  };
  int64_t chunks = 0, head_rows = 0, exemplars = 0, points = 0, head = 0, ignored = 0;
  if (!run(chunk_points, chunks, points) || !run(delete_chunks, chunks, ignored) ||
      !run(head_points, head_rows, head) || !run(delete_head, head_rows, ignored) ||
      !run(delete_exemplars, exemplars, ignored))
    return false;
  deleted += static_cast<uint64_t>(points + head);
  finished = chunks < static_cast<int64_t>(max_rows) && exemplars < static_cast<int64_t>(max_rows);
  if (finished && before_ns == 0) {
    if (!run("DELETE FROM metric_series", chunks, ignored)) return false;
    // Ids handed out are gone: the next point of a series makes it anew.
    series_.clear();
    cached_series_ = 0;
  }
  return true;
}

bool metric_rows::refresh_head(std::string& error) {
  if (oldest_head_.step() != SQLITE_ROW) {
    oldest_head_.reset();
    error = fail("reading the metric head");
    return false;
  }
  oldest_head_ns_ = oldest_head_.int64(0);
  head_points_ = static_cast<uint64_t>(oldest_head_.int64(1));
  oldest_head_.reset();
  return true;
}

}  // namespace agtel::store
