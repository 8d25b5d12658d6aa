// row_writer::delete_chunk: retention and `agtel clear`, in transactions of bounded size so
// that the writer thread goes back to ingest between them.
//
// There is no per-row time index; the blocks tables bound where old rows can be (ids are
// handed out in arrival order, so old rows sit in the blocks written long ago): the chunk
// looks only at the ids of blocks whose min_ns is before the cutoff.
#include <algorithm>
#include <string>

#include "store/row_writer.hpp"

namespace agtel::store {

namespace {

struct table_names {
  const char* rows;
  const char* blocks;
  const char* time;  // the row's time, as row_writer puts it into the blocks rows
};

constexpr table_names span_tables{"spans", "span_blocks", "start_ns"};
constexpr table_names log_tables{"logs", "log_blocks",
                                 "iif(time_ns <> 0, time_ns, observed_ns)"};

}  // namespace

bool row_writer::delete_chunk(bool spans, int64_t before_ns, size_t max_rows, int64_t& cursor,
                              uint64_t& deleted, bool& finished, std::string& error) {
  const table_names& t = spans ? span_tables : log_tables;
  const std::string what = std::string("deleting old ") + (spans ? "spans" : "log records");
  const std::string older = "(?2 = 0 OR " + std::string(t.time) + " < ?2)";
  finished = false;

  // Outside a transaction: when nothing is old enough, the write lock is never taken.
  int64_t lo = 0, hi = 0;
  {
    sql::statement s;
    std::string q = std::string("SELECT min(first_id), max(last_id) FROM ") + t.blocks +
                    " WHERE ?2 = 0 OR min_ns < ?2";
    if (!s.prepare(db_.get(), q, error)) return false;
    s.bind(2, before_ns);
    int rc = s.step();
    if (rc != SQLITE_ROW) {
      error = fail(what + ": reading the time blocks");
      return false;
    }
    if (s.is_null(0)) {
      finished = true;
      return true;
    }
    lo = std::max(cursor, s.int64(0));
    hi = s.int64(1);
  }
  if (lo > hi) {
    finished = true;
    return true;
  }

  if (!begin(error)) return false;
  auto abort = [&](const std::string& step) {
    error = fail(what + ": " + step);
    rollback();
    return false;
  };

  int64_t last = 0, count = 0;
  {
    sql::statement s;
    std::string q = std::string("SELECT max(id), count(*) FROM (SELECT id FROM ") + t.rows +
                    " WHERE id BETWEEN ?1 AND ?3 AND " + older + " ORDER BY id LIMIT ?4)";
    if (!s.prepare(db_.get(), q, error)) {
      rollback();
      return false;
    }
    s.bind(1, lo);
    s.bind(2, before_ns);
    s.bind(3, hi);
    s.bind(4, static_cast<int64_t>(max_rows));
    if (s.step() != SQLITE_ROW) return abort("choosing the rows");
    count = s.int64(1);
    last = s.int64(0);
  }
  if (count == 0) {  // the old blocks hold no old row past the cursor
    int rc = commit_.step();
    commit_.reset();
    if (rc != SQLITE_DONE) return abort("committing");
    finished = true;
    return true;
  }

  // Every statement below binds ?1 = first id, ?2 = cutoff, ?3 = last id of the chunk.
  const std::string steps[] = {
      std::string("DELETE FROM ") + t.rows + " WHERE id BETWEEN ?1 AND ?3 AND " + older,
      // The blocks the chunk reached: their time range from what is left, NULL when empty.
      std::string("UPDATE ") + t.blocks + " SET min_ns = (SELECT min(" + t.time + ") FROM " +
          t.rows + " WHERE id BETWEEN first_id AND last_id), max_ns = (SELECT max(" + t.time +
          ") FROM " + t.rows + " WHERE id BETWEEN first_id AND last_id) WHERE first_id <= ?3 " +
          "AND last_id >= ?1",
      std::string("DELETE FROM ") + t.blocks + " WHERE min_ns IS NULL",
  };
  int64_t removed = 0;
  for (const std::string& q : steps) {
    sql::statement s;
    if (!s.prepare(db_.get(), q, error)) {
      rollback();
      return false;
    }
    // (A statement that does not use a parameter answers SQLITE_RANGE, harmlessly.)
    s.bind(1, lo);
    s.bind(2, before_ns);
    s.bind(3, last);
    if (s.step() != SQLITE_DONE) return abort("\"" + q.substr(0, 40) + "...\"");
    if (&q == &steps[0]) removed = sqlite3_changes(db_.get());
  }
  int rc = commit_.step();
  commit_.reset();
  if (rc != SQLITE_DONE) return abort("committing");
  deleted += static_cast<uint64_t>(removed);
  cursor = last + 1;
  finished = count < static_cast<int64_t>(max_rows);
  return true;
}

}  // namespace agtel::store
