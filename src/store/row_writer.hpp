// The writer thread's SQL side: owns the write connection, its prepared statements and
// the caches (attribute key ids, resource and scope ids), and writes decoded batches as
// rows. Used by one thread only (writer.cpp's).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "otlp/codec.hpp"
#include "store/attributes.hpp"
#include "store/metric_rows.hpp"
#include "store/sqlite.hpp"

namespace agtel::store {

class row_writer final : public key_interner {
 public:
  // Opens the file (creating its directory), sets WAL, synchronous=FULL and the busy
  // timeout, creates or migrates the schema and prepares the statements.
  bool open(const std::string& path, std::string& error);

  // One transaction: BEGIN IMMEDIATE, the rows of every batch, one span_blocks and one
  // log_blocks row, COMMIT. On failure everything is rolled back and `error` says why.
  bool begin(std::string& error);
  bool write(const otlp::trace_batch& batch, std::string& error);
  bool write(const otlp::log_batch& batch, std::string& error);
  bool write(const otlp::metric_batch& batch, metric_add_result& result, std::string& error);
  bool commit(std::string& error);
  void rollback() noexcept;

  bool id_of(std::string_view key, int64_t& id) override;

  // The ids of a resource and a scope row (deduplicated: inserted when new).
  bool resource_id(const agtel::resource* r, int64_t& id, std::string& error);
  bool scope_id(const instrumentation_scope* s, int64_t& id, std::string& error);

  // One compaction transaction of the metric head (metric_rows.hpp); rolled back on failure.
  bool compact_metrics(size_t max_points, uint64_t& moved, uint64_t& corrupt,
                       std::string& error);
  // One delete transaction of metric data (metric_rows::delete_before); rolled back on failure.
  bool delete_metrics_chunk(int64_t before_ns, size_t max_rows, uint64_t& deleted,
                            bool& finished, std::string& error);
  const metric_rows& metrics() const noexcept { return metrics_; }

  // One delete transaction (row_deleter.cpp): at most `max_rows` spans (or log records)
  // older than `before_ns` (every row when it is 0) with ids from `cursor` on. Only the
  // id range of the span_blocks/log_blocks rows that reach before `before_ns` is looked
  // at; the blocks rows the delete touched get their time range recomputed (dropped when
  // emptied), so time pruning stays exact. Advances `cursor` past the last row deleted,
  // adds to `deleted`, sets `finished` when no such row is left. Rolled back on failure.
  bool delete_chunk(bool spans, int64_t before_ns, size_t max_rows, int64_t& cursor,
                    uint64_t& deleted, bool& finished, std::string& error);

 private:
  // Rows of the table `resources` or `scopes`, deduplicated: `hash` of the row's content,
  // the cache maps it to ids and their content (checked on a hit: no silent collision).
  struct cached_row {
    int64_t id;
    std::string content;
  };
  bool find_or_insert(sql::statement& find, sql::statement& insert, uint64_t hash,
                      const std::string& content, int64_t& id, std::string& error,
                      const std::function<void(sql::statement&)>& bind_insert);
  std::string fail(std::string_view what) const;
  void forget_caches() noexcept;

  std::string path_;
  sql::connection db_;
  sql::statement begin_, commit_, rollback_;
  sql::statement insert_span_, insert_log_, insert_span_block_, insert_log_block_;
  sql::statement find_key_, insert_key_;
  sql::statement find_resource_, insert_resource_, find_scope_, insert_scope_;
  metric_rows metrics_;

  struct string_hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, int64_t, string_hash, std::equal_to<>> key_ids_;
  std::unordered_map<uint64_t, std::vector<cached_row>> resources_, scopes_;
  size_t cached_rows_ = 0;
  std::string key_error_;  // why id_of failed

  // The open transaction's span and log id ranges and time ranges.
  int64_t first_span_ = 0, last_span_ = 0, first_log_ = 0, last_log_ = 0;
  int64_t span_min_ns_ = 0, span_max_ns_ = 0, log_min_ns_ = 0, log_max_ns_ = 0;

  // Buffers reused for every row.
  std::string attrs_, events_, links_, state_, content_;
};

}  // namespace agtel::store
