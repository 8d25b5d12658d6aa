// A thin RAII layer over the SQLite C API for the store: a connection that closes itself,
// statements that finalize themselves, and a few helpers that turn return codes into
// messages ("what failed: SQLite's words"). Nothing here throws.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace agtel::store::sql {

// One prepared statement. Reset after each use with `reset()` (keeps the compiled plan:
// the writer prepares its statements once and binds new values for every row).
class statement {
 public:
  statement() noexcept = default;
  statement(statement&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  statement& operator=(statement&& o) noexcept {
    std::swap(s_, o.s_);
    return *this;
  }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement() { sqlite3_finalize(s_); }

  // Compiles `sql` on `db`; false and `error` on failure.
  bool prepare(sqlite3* db, std::string_view sql, std::string& error) noexcept {
    sqlite3_finalize(s_);
    s_ = nullptr;
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &s_, nullptr);
    if (rc != SQLITE_OK) {
      error = "preparing \"" + std::string(sql.substr(0, 60)) + "\": " + sqlite3_errmsg(db);
      return false;
    }
    return true;
  }

  sqlite3_stmt* get() const noexcept { return s_; }
  explicit operator bool() const noexcept { return s_ != nullptr; }

  // Binding, 1-based like SQLite. Text and blobs are copied only when SQLite needs to
  // (SQLITE_STATIC: the caller keeps them alive until step() returned).
  void bind_null(int i) noexcept { sqlite3_bind_null(s_, i); }
  void bind(int i, int64_t v) noexcept { sqlite3_bind_int64(s_, i, v); }
  void bind_double(int i, double v) noexcept { sqlite3_bind_double(s_, i, v); }
  void bind_text(int i, std::string_view v) noexcept {
    sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void bind_text_or_null(int i, std::string_view v) noexcept {
    if (v.empty()) bind_null(i);
    else bind_text(i, v);
  }
  void bind_blob(int i, const void* p, size_t n) noexcept {
    sqlite3_bind_blob(s_, i, p, static_cast<int>(n), SQLITE_STATIC);
  }

  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int step() noexcept { return sqlite3_step(s_); }
  void reset() noexcept {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }

  bool is_null(int col) const noexcept { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  int type(int col) const noexcept { return sqlite3_column_type(s_, col); }
  int64_t int64(int col) const noexcept { return sqlite3_column_int64(s_, col); }
  // Text and blobs are valid until the next step() or reset().
  std::string_view text(int col) const noexcept {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    int n = sqlite3_column_bytes(s_, col);
    return p ? std::string_view(p, static_cast<size_t>(n)) : std::string_view();
  }
  std::span<const uint8_t> blob(int col) const noexcept {
    const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(s_, col));
    int n = sqlite3_column_bytes(s_, col);
    return p ? std::span<const uint8_t>(p, static_cast<size_t>(n)) : std::span<const uint8_t>();
  }

 private:
  sqlite3_stmt* s_ = nullptr;
};

// A connection; closes on destruction (after every statement of it is gone: declare
// statements after the connection that they use, so that they are destroyed first).
class connection {
 public:
  connection() noexcept = default;
  connection(connection&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}
  connection& operator=(connection&& o) noexcept {
    std::swap(db_, o.db_);
    return *this;
  }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() { sqlite3_close_v2(db_); }

  // `flags`: SQLITE_OPEN_READONLY, or SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE.
  bool open(const std::string& path, int flags, std::string& error) noexcept {
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      error = "cannot open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
      sqlite3_close_v2(db_);
      db_ = nullptr;
      return false;
    }
    sqlite3_extended_result_codes(db_, 1);
    return true;
  }

  sqlite3* get() const noexcept { return db_; }

  // Runs statements that return no rows we need; false and `error` ("<what>: <SQLite's
  // message>") on failure.
  bool exec(const char* sql, std::string& error, std::string_view what = {}) noexcept {
    char* msg = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &msg);
    if (rc != SQLITE_OK) {
      error = std::string(what.empty() ? std::string_view(sql) : what) + ": " +
              (msg ? msg : sqlite3_errstr(rc));
      sqlite3_free(msg);
      return false;
    }
    return true;
  }

  // A single integer from `sql` (e.g. a PRAGMA); false on failure or no row.
  bool query_int(const char* sql, int64_t& out, std::string& error) noexcept {
    statement s;
    if (!s.prepare(db_, sql, error)) return false;
    int rc = s.step();
    if (rc != SQLITE_ROW) {
      error = std::string(sql) + ": " + (rc == SQLITE_DONE ? "no result" : sqlite3_errmsg(db_));
      return false;
    }
    out = s.int64(0);
    return true;
  }

  std::string message() const { return sqlite3_errmsg(db_); }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace agtel::store::sql
