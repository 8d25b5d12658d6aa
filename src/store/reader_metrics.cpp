// The reader's metric side: the catalogue (`agtel metrics`) and series selection with
// their points, decoded from the chunks and from the head (points not compacted yet).
#include <map>
#include <unordered_map>

#include "store/metric_head.hpp"
#include "store/metric_labels.hpp"
#include "store/metric_points.hpp"
#include "store/reader_impl.hpp"

namespace agtel::store {
namespace {

std::string_view as_text(std::span<const uint8_t> b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

struct selected {
  query::label_set labels;
  series_points points;
};

}  // namespace

bool reader::list_metrics(std::vector<metric_entry>& out, std::string& error) {
  impl& m = *impl_;
  return m.in_read("listing metrics", error, [&] {
    out.clear();
    sql::statement q;
    if (!q.prepare(m.db.get(),
                   "SELECT name, kind, temporality, coalesce(unit, ''), "
                   "coalesce(max(description), ''), count(*) FROM metric_series "
                   "GROUP BY name, kind, temporality, unit ORDER BY name, kind",
                   error))
      return false;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      metric_entry e;
      e.info.name = q.text(0);
      e.info.kind = static_cast<query::metric_kind>(q.int64(1));
      e.info.temporality = static_cast<query::temporality>(q.int64(2));
      e.info.unit = q.text(3);
      e.info.description = q.text(4);
      e.series = static_cast<uint64_t>(q.int64(5));
      out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) {
      error = m.fail("listing metrics");
      return false;
    }
    return true;
  });
}

bool reader::read_series(const std::string& name,
                         const std::function<bool(const query::label_set&)>& select,
                         int64_t start_ns, int64_t end_ns, query::series_set& out,
                         std::string& error) {
  impl& m = *impl_;
  return m.in_read("reading metric " + name, error, [&] {
    out = query::series_set{};
    // The catalogue: which series, of which kind.
    sql::statement cat;
    if (!cat.prepare(m.db.get(),
                     "SELECT id, kind, temporality, coalesce(unit, ''), "
                     "coalesce(description, ''), labels FROM metric_series WHERE name=?",
                     error))
      return false;
    cat.bind_text(1, name);
    struct row {
      int64_t id;
      query::metric_info info;
      query::label_set labels;
    };
    std::vector<row> rows;
    std::map<std::pair<int, int>, size_t> kinds;  // (kind, temporality) → series
    int rc;
    while ((rc = cat.step()) == SQLITE_ROW) {
      row r;
      r.id = cat.int64(0);
      r.info.name = name;
      r.info.kind = static_cast<query::metric_kind>(cat.int64(1));
      r.info.temporality = static_cast<query::temporality>(cat.int64(2));
      r.info.unit = cat.text(3);
      r.info.description = cat.text(4);
      if (!read_labels_json(cat.text(5), r.labels)) {
        error = "metric series " + std::to_string(r.id) + " of " + name +
                " has corrupt labels in " + m.path;
        return false;
      }
      ++kinds[{static_cast<int>(r.info.kind), static_cast<int>(r.info.temporality)}];
      rows.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) {
      error = m.fail("reading the series of " + name);
      return false;
    }
    if (rows.empty()) return true;  // unknown metric
    std::pair<int, int> kind{};
    size_t most = 0;
    for (auto& [k, n] : kinds)
      if (n > most) kind = k, most = n;

    std::unordered_map<int64_t, selected> chosen;
    std::vector<int64_t> order;
    for (row& r : rows) {
      if (std::pair{static_cast<int>(r.info.kind), static_cast<int>(r.info.temporality)} != kind)
        continue;
      if (out.metric.name.empty()) out.metric = r.info;
      if (select && !select(r.labels)) continue;
      selected& s = chosen[r.id];
      s.labels = std::move(r.labels);
      s.points.kind = r.info.kind;
      order.push_back(r.id);
    }
    if (chosen.empty()) return true;

    // Chunks overlapping the range, and the one before it (the baseline), per series.
    sql::statement in_range, before;
    if (!in_range.prepare(m.db.get(),
                          "SELECT data FROM metric_chunks WHERE series_id=? AND last_ns>=? "
                          "AND first_ns<? ORDER BY rowid",
                          error) ||
        !before.prepare(m.db.get(),
                        "SELECT data FROM metric_chunks WHERE series_id=? AND last_ns<? "
                        "ORDER BY last_ns DESC LIMIT 1",
                        error))
      return false;
    auto decode_all = [&](sql::statement& q, int64_t id, selected& s) {
      int c;
      while ((c = q.step()) == SQLITE_ROW) {
        std::string e = s.points.decode(as_text(q.blob(0)));
        if (!e.empty()) {
          q.reset();
          error = "a metric chunk of series " + std::to_string(id) + " of " + name + " in " +
                  m.path + " is corrupt: " + e;
          return false;
        }
      }
      q.reset();
      if (c != SQLITE_DONE) {
        error = m.fail("reading the chunks of " + name);
        return false;
      }
      return true;
    };
    for (int64_t id : order) {
      selected& s = chosen[id];
      before.bind(1, id);
      before.bind(2, start_ns);
      if (!decode_all(before, id, s)) return false;
      in_range.bind(1, id);
      in_range.bind(2, start_ns);
      in_range.bind(3, end_ns);
      if (!decode_all(in_range, id, s)) return false;
    }
    // The head: points not compacted yet (written after every chunk: they win on ties).
    sql::statement head_rows;
    if (!head_rows.prepare(m.db.get(), "SELECT data FROM metric_head ORDER BY id", error))
      return false;
    while ((rc = head_rows.step()) == SQLITE_ROW) {
      head::group_reader groups(as_text(head_rows.blob(0)));
      head::group g;
      while (groups.next(g)) {
        auto it = chosen.find(g.series_id);
        if (it == chosen.end() || it->second.points.kind != g.kind) continue;
        std::string e = it->second.points.decode(g.chunk);
        if (!e.empty()) {
          error = "a metric head row of " + m.path + " is corrupt: " + e;
          return false;
        }
      }
      if (groups.failed()) {
        error = "a metric head row of " + m.path + " is corrupt";
        return false;
      }
    }
    if (rc != SQLITE_DONE) {
      error = m.fail("reading the metric head");
      return false;
    }
    for (int64_t id : order) {
      selected& s = chosen[id];
      s.points.sort_unique();
      s.points.trim(start_ns, end_ns);
      if (s.points.size() == 0) continue;
      query::series q;
      q.labels = std::move(s.labels);
      q.numbers = std::move(s.points.numbers);
      q.histograms = std::move(s.points.histograms);
      q.exponential_histograms = std::move(s.points.exponential_histograms);
      out.series.push_back(std::move(q));
    }
    return true;
  });
}

}  // namespace agtel::store
