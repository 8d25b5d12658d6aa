// The metric side of the writer thread (row_writer owns the connection and the
// transaction; this class owns the metric statements and caches).
//
// Ingest: `add` resolves each point's series (metric_series, cached) and keeps the
// points in memory until `flush`, which writes them as ONE metric_head row, grouped by
// series (metric_head.hpp) — one insert per transaction however many series it touched.
// Exemplars go to metric_exemplars as they come.
//
// Compaction (`compact`, its own transaction, run by the writer thread between ingest
// transactions): the oldest head rows, up to a number of points, are decoded, grouped by
// series and appended to each series' last chunk (until it holds `chunk_points`), or to
// new chunks; then the head rows are deleted. Work per call is bounded, so ingest waits
// at most one compaction step.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "otlp/codec.hpp"
#include "store/metric_points.hpp"
#include "store/sqlite.hpp"

namespace agtel::store {

class row_writer;

struct metric_add_result {
  uint64_t stored = 0;    // points kept
  uint64_t rejected = 0;  // points not kept (summaries; see the receiver's message)
};

class metric_rows {
 public:
  // The most points a compacted chunk holds.
  static constexpr size_t chunk_points = 240;

  bool prepare(sqlite3* db, const std::string& path, std::string& error);
  // Points in metric_head now (read at open, kept up to date).
  uint64_t head_points() const noexcept { return head_points_; }
  // When the oldest head row was written (0: the head is empty).
  int64_t oldest_head_ns() const noexcept { return oldest_head_ns_; }

  // Inside row_writer's transaction.
  bool add(const otlp::metric_batch& batch, row_writer& ids, metric_add_result& result,
           std::string& error);
  bool flush(std::string& error);
  // The transaction that `flush` wrote into committed.
  void committed() noexcept;
  // The transaction was rolled back: pending points and series ids handed out are gone.
  void rollback() noexcept;

  // Inside a transaction of its own (row_writer::compact_metrics): moves head rows
  // holding up to `max_points` points (at least one row) into chunks. `moved` counts the
  // points; `corrupt` the head groups that did not decode (dropped, they can never be read).
  bool compact(size_t max_points, uint64_t& moved, uint64_t& corrupt, std::string& error);
  // Inside a transaction of its own (row_writer::delete_metrics_chunk): deletes at most
  // `max_rows` chunks ending before `before_ns` (0: all), the head rows before it, at most
  // `max_rows` exemplars before it, and, when before_ns is 0 and nothing else is left, the
  // series. Adds the points deleted to `deleted`; `finished` when nothing old is left.
  bool delete_before(int64_t before_ns, size_t max_rows, uint64_t& deleted, bool& finished,
                     std::string& error);
  // After a compaction's transaction ended (either way): re-reads the head's size and age.
  bool refresh_head(std::string& error);

 private:
  // A series as last received: what the fast path of series_id compares.
  struct cached_series {
    int64_t id = 0;
    std::string name, unit;
    query::metric_kind kind{};
    query::temporality temporality{};
    int64_t resource_id = 0, scope_id = 0;
    attribute_list attributes;
  };
  bool series_id(const std::string& name, const std::string& unit,
                 const std::string& description, query::metric_kind kind,
                 query::temporality temporality, int64_t resource_id, int64_t scope_id,
                 const agtel::resource* resource, const attribute_list& attributes,
                 int64_t& out, std::string& error);
  bool add_exemplars(int64_t series, const reuse_vector<metrics::exemplar>& exemplars,
                     std::string& error);
  bool append_to_chunks(int64_t series, series_points& points, std::string& error);
  std::string fail(std::string_view what) const;

  sqlite3* db_ = nullptr;
  std::string path_;
  sql::statement find_series_, insert_series_, insert_head_, insert_exemplar_;
  sql::statement read_head_, delete_head_, last_chunk_, update_chunk_, insert_chunk_,
      series_last_, oldest_head_;

  std::unordered_map<uint64_t, std::vector<cached_series>> series_;
  size_t cached_series_ = 0;
  std::unordered_map<int64_t, series_points> pending_;  // this transaction's points
  int64_t pending_min_ns_ = 0, pending_max_ns_ = 0;
  uint64_t pending_count_ = 0;
  uint64_t flushed_points_ = 0;
  int64_t flushed_ns_ = 0;
  uint64_t head_points_ = 0;
  int64_t oldest_head_ns_ = 0;

  // Buffers reused.
  query::label_set labels_;  // (the slow path of series_id)
  std::string labels_json_, content_, head_data_, chunk_, exemplar_attrs_;
};

}  // namespace agtel::store
