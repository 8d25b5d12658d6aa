#include "store/schema.hpp"

namespace agtel::store::schema {
namespace {

// Version 1. Column comments are in store.hpp. Ids and times are integers; the
// attributes are the codec's JSON (attributes.hpp). The only per-row index is the trace
// prefix: time ranges are pruned with span_blocks/log_blocks, one row per transaction, which
// costs ~nothing on disk. The trace index holds the trace id's first 4 bytes only (random
// bytes: with a million traces stored, about one lookup in 4,000 also meets another
// trace's rows, which the reader skips by comparing the whole id), 4 bytes per span less
// than an 8-byte key; the disk budget is 150 bytes a span.
constexpr const char* create_v1 = R"sql(
CREATE TABLE resources(id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, service_name TEXT,
                       schema_url TEXT, attributes TEXT);
CREATE INDEX resources_hash ON resources(hash);
CREATE TABLE scopes(id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, name TEXT, version TEXT,
                    schema_url TEXT, attributes TEXT);
CREATE INDEX scopes_hash ON scopes(hash);
CREATE TABLE attribute_keys(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE);
CREATE TABLE spans(id INTEGER PRIMARY KEY, trace_id BLOB NOT NULL,
                   span_id BLOB NOT NULL, parent_span_id BLOB, trace_state TEXT, flags INTEGER,
                   name TEXT, kind INTEGER, start_ns INTEGER, duration_ns INTEGER,
                   status_code INTEGER, status_message TEXT, resource_id INTEGER,
                   scope_id INTEGER, attributes TEXT, events TEXT, links TEXT,
                   dropped_attributes INTEGER, dropped_events INTEGER, dropped_links INTEGER,
                   operation TEXT, agent_name TEXT, tool_name TEXT, model TEXT,
                   input_tokens INTEGER, output_tokens INTEGER);
CREATE INDEX spans_trace ON spans(substr(trace_id, 1, 4));
CREATE TABLE logs(id INTEGER PRIMARY KEY, time_ns INTEGER, observed_ns INTEGER,
                  severity INTEGER, severity_text TEXT, body, event_name TEXT, trace_id BLOB,
                  span_id BLOB, flags INTEGER, resource_id INTEGER, scope_id INTEGER,
                  attributes TEXT, dropped_attributes INTEGER);
CREATE INDEX logs_trace_id ON logs(trace_id) WHERE trace_id IS NOT NULL;
CREATE TABLE span_blocks(first_id INTEGER, last_id INTEGER, min_ns INTEGER, max_ns INTEGER);
CREATE TABLE log_blocks(first_id INTEGER, last_id INTEGER, min_ns INTEGER, max_ns INTEGER);
CREATE TABLE imports(id INTEGER PRIMARY KEY, time_ns INTEGER, source TEXT, spans INTEGER,
                     logs INTEGER);
)sql";

// Version 2: the metric store (store.hpp). Points reach metric_head first, one row per
// transaction (one insert however many series it holds: ingest speed), and are compacted
// into per-series chunks in the background. A chunk is found by its series and end time.
constexpr const char* migrate_1_to_2 = R"sql(
CREATE TABLE metric_series(id INTEGER PRIMARY KEY, hash INTEGER NOT NULL, name TEXT NOT NULL,
                           kind INTEGER NOT NULL, temporality INTEGER NOT NULL, unit TEXT,
                           description TEXT, resource_id INTEGER, scope_id INTEGER,
                           labels TEXT NOT NULL, last_ns INTEGER);
CREATE INDEX metric_series_name ON metric_series(name);
CREATE INDEX metric_series_hash ON metric_series(hash);
CREATE TABLE metric_head(id INTEGER PRIMARY KEY, written_ns INTEGER NOT NULL,
                         min_ns INTEGER NOT NULL, max_ns INTEGER NOT NULL,
                         points INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE metric_chunks(series_id INTEGER NOT NULL, first_ns INTEGER NOT NULL,
                           last_ns INTEGER NOT NULL, points INTEGER NOT NULL,
                           data BLOB NOT NULL);
CREATE INDEX metric_chunks_series ON metric_chunks(series_id, last_ns);
CREATE INDEX metric_chunks_time ON metric_chunks(last_ns);
CREATE TABLE metric_exemplars(series_id INTEGER NOT NULL, time_ns INTEGER, value REAL,
                              trace_id BLOB, span_id BLOB, attributes TEXT);
CREATE INDEX metric_exemplars_time ON metric_exemplars(time_ns);
)sql";

// Reads application_id, user_version and whether the file has any table. The first read
// of a file that is not SQLite fails here ("file is not a database").
bool identify(sql::connection& db, const std::string& path, int64_t& app, int64_t& ver,
              int64_t& tables, std::string& error) {
  std::string e;
  if (!db.query_int("PRAGMA application_id", app, e) ||
      !db.query_int("PRAGMA user_version", ver, e) ||
      !db.query_int("SELECT count(*) FROM sqlite_schema", tables, e)) {
    error = path + " is not a readable SQLite database (" + e + ")";
    return false;
  }
  return true;
}

bool refuse_foreign(const std::string& path, int64_t app, int64_t tables, std::string& error) {
  if (app == application_id) return false;
  if (app == 0 && tables == 0) return false;  // new, empty file
  error = path + " is an SQLite database of another application (application_id " +
          std::to_string(app) + ", " + std::to_string(tables) +
          " schema objects), not an agtel store; choose another --db path";
  return true;
}

bool refuse_newer(const std::string& path, int64_t ver, std::string& error) {
  if (ver <= version) return false;
  error = path + " has store schema version " + std::to_string(ver) + ", newer than the " +
          std::to_string(version) + " this agtel knows; use a newer agtel";
  return true;
}

}  // namespace

bool create_or_migrate(sql::connection& db, const std::string& path, std::string& error) {
  int64_t app = 0, ver = 0, tables = 0;
  if (!identify(db, path, app, ver, tables, error)) return false;
  if (refuse_foreign(path, app, tables, error) || refuse_newer(path, ver, error)) return false;
  if (ver == version) return true;
  // BEGIN IMMEDIATE: two servers starting on one new file must not both create tables.
  if (!db.exec("BEGIN IMMEDIATE", error, "creating the store in " + path)) return false;
  // Read again inside the transaction: another process may have created it meanwhile.
  if (!identify(db, path, app, ver, tables, error) || refuse_foreign(path, app, tables, error)) {
    db.exec("ROLLBACK", error);
    return false;
  }
  bool ok = true;
  if (ver == 0) ok = db.exec(create_v1, error, "creating the store tables in " + path);
  if (ok && ver < 2) ok = db.exec(migrate_1_to_2, error, "adding the metric tables to " + path);
  if (ok) {
    std::string set = "PRAGMA application_id=" + std::to_string(application_id) +
                      "; PRAGMA user_version=" + std::to_string(version);
    ok = db.exec(set.c_str(), error, "setting the store version in " + path);
  }
  if (ok) ok = db.exec("COMMIT", error, "creating the store in " + path);
  if (!ok) {
    std::string ignored;
    db.exec("ROLLBACK", ignored);
  }
  return ok;
}

bool check(sql::connection& db, const std::string& path, int& found_version, std::string& error) {
  int64_t app = 0, ver = 0, tables = 0;
  if (!identify(db, path, app, ver, tables, error)) return false;
  found_version = static_cast<int>(ver);
  if (app == 0 && tables == 0) {
    error = path + " is an empty database, not an agtel store yet (`agtel serve` creates it)";
    return false;
  }
  if (refuse_foreign(path, app, tables, error) || refuse_newer(path, ver, error)) return false;
  if (ver < version) {
    error = path + " has the older store schema version " + std::to_string(ver) +
            "; run `agtel serve --db " + path + "` once to migrate it";
    return false;
  }
  return true;
}

}  // namespace agtel::store::schema
