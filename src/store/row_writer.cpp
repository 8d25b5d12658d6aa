#include "store/numbers.hpp"
#include "store/row_writer.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <optional>

#include "agtel/agent/semconv.hpp"
#include "store/json_text.hpp"
#include "store/schema.hpp"

namespace agtel::store {
namespace {

namespace attr = agent::semconv::attr;

// Bounds the in-memory caches: a client that sends endless distinct keys or resources
// costs at most this many entries (the database still has them all).
constexpr size_t max_cached_keys = 100000;
constexpr size_t max_cached_rows = 10000;

const std::string* string_attribute(const attribute_list& a, std::string_view key) noexcept {
  const attribute_value* v = a.find(key);
  return v ? std::get_if<std::string>(v) : nullptr;
}

// The lifted values of one span, found in one pass over its attributes (instead of a
// find() per candidate key: 14 lookups a span showed in the ingest profile).
struct lifted_values {
  const std::string* operation = nullptr;
  const std::string* agent = nullptr;
  const std::string* tool = nullptr;
  const std::string* request_model = nullptr;
  const std::string* response_model = nullptr;
  // Token counts by the rank of the key they came from (0 = the current name).
  std::optional<int64_t> input[3], output[3];

  explicit lifted_values(const attribute_list& a) noexcept {
    for (const attribute& x : a) {
      std::string_view k = x.key;
      if (!k.starts_with("gen_ai.") && !k.starts_with("llm.")) continue;
      if (auto* s = std::get_if<std::string>(&x.value)) {
        if (k == attr::operation_name) operation = s;
        else if (k == attr::agent_name) agent = s;
        else if (k == attr::tool_name) tool = s;
        else if (k == attr::request_model) request_model = s;
        else if (k == attr::response_model) response_model = s;
        continue;
      }
      int64_t n;
      if (auto* i = std::get_if<int64_t>(&x.value)) n = *i;
      else if (auto* d = std::get_if<double>(&x.value); d && *d >= 0 && *d < 9.0e18)
        n = static_cast<int64_t>(*d);  // JSON-minded SDKs send counts as doubles
      else continue;
      if (k == attr::usage_input_tokens) input[0] = n;
      else if (k == "gen_ai.usage.prompt_tokens") input[1] = n;
      else if (k == "llm.token_count.prompt") input[2] = n;
      else if (k == attr::usage_output_tokens) output[0] = n;
      else if (k == "gen_ai.usage.completion_tokens") output[1] = n;
      else if (k == "llm.token_count.completion") output[2] = n;
    }
  }
};

void bind_string_or_null(sql::statement& s, int col, const std::string* v) {
  if (v) s.bind_text(col, *v);
  else s.bind_null(col);
}

void bind_first_int(sql::statement& s, int col, const std::optional<int64_t> (&v)[3]) {
  for (const auto& x : v) {
    if (x) {
      s.bind(col, *x);
      return;
    }
  }
  s.bind_null(col);
}

template <class Id>
void bind_id_or_null(sql::statement& s, int col, const Id& id) {
  if (id.is_valid()) s.bind_blob(col, id.bytes().data(), Id::size);
  else s.bind_null(col);
}

void extend(int64_t& first, int64_t& last, int64_t id) noexcept {
  if (first == 0) first = id;
  last = id;
}

void extend_time(int64_t& lo, int64_t& hi, int64_t t, bool first) noexcept {
  if (first) {
    lo = hi = t;
    return;
  }
  lo = std::min(lo, t);
  hi = std::max(hi, t);
}

}  // namespace

std::string row_writer::fail(std::string_view what) const {
  return std::string(what) + " in " + path_ + ": " + db_.message();
}

bool row_writer::open(const std::string& path, std::string& error) {
  path_ = path;
  std::error_code ec;
  std::filesystem::path p(path);
  if (std::filesystem::is_directory(p, ec)) {
    error = path + " is a directory; --db wants a file path (e.g. " + path + "/agtel.db)";
    return false;
  }
  if (p.has_parent_path() && !std::filesystem::exists(p.parent_path(), ec)) {
    std::filesystem::create_directories(p.parent_path(), ec);
    if (ec) {
      error = "cannot create the directory " + p.parent_path().string() + " for the store: " +
              ec.message();
      return false;
    }
  }
  if (!db_.open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error)) return false;
  sqlite3_busy_timeout(db_.get(), 5000);
  // The schema check first: it is the first read, so a file that is not SQLite fails here
  // with a clear message, before journal_mode tries to write to it.
  if (!schema::create_or_migrate(db_, path, error)) return false;
  sql::statement mode;
  if (!mode.prepare(db_.get(), "PRAGMA journal_mode=WAL", error)) return false;
  if (mode.step() != SQLITE_ROW || mode.text(0) != "wal") {
    error = "cannot switch " + path + " to WAL mode: " + db_.message();
    return false;
  }
  // FULL: every COMMIT fsyncs the WAL, so an acknowledged batch survives a power cut.
  if (!db_.exec("PRAGMA synchronous=FULL", error, "setting synchronous=FULL on " + path))
    return false;
  // A larger page cache keeps the trace index's pages (random inserts) in memory: 64 MiB
  // at most, enough for ~4 million spans' index.
  if (!db_.exec("PRAGMA cache_size=-65536", error, "setting the cache size of " + path))
    return false;
  struct {
    sql::statement& s;
    const char* sql;
  } statements[] = {
      {begin_, "BEGIN IMMEDIATE"},
      {commit_, "COMMIT"},
      {rollback_, "ROLLBACK"},
      {insert_span_,
       "INSERT INTO spans(trace_id, span_id, parent_span_id, trace_state, flags, "
       "name, kind, start_ns, duration_ns, status_code, status_message, resource_id, "
       "scope_id, attributes, events, links, dropped_attributes, dropped_events, "
       "dropped_links, operation, agent_name, tool_name, model, input_tokens, output_tokens) "
       "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"},
      {insert_log_,
       "INSERT INTO logs(time_ns, observed_ns, severity, severity_text, body, event_name, "
       "trace_id, span_id, flags, resource_id, scope_id, attributes, dropped_attributes) "
       "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)"},
      {insert_span_block_, "INSERT INTO span_blocks VALUES(?,?,?,?)"},
      {insert_log_block_, "INSERT INTO log_blocks VALUES(?,?,?,?)"},
      {find_key_, "SELECT id FROM attribute_keys WHERE key=?"},
      {insert_key_, "INSERT INTO attribute_keys(key) VALUES(?)"},
      {find_resource_,
       "SELECT id, coalesce(schema_url,'') || ' ' || attributes FROM resources WHERE hash=?"},
      {insert_resource_,
       "INSERT INTO resources(hash, service_name, schema_url, attributes) VALUES(?,?,?,?)"},
      {find_scope_,
       "SELECT id, coalesce(name,'') || ' ' || coalesce(version,'') || ' ' || "
       "coalesce(schema_url,'') || ' ' || attributes FROM scopes WHERE hash=?"},
      {insert_scope_,
       "INSERT INTO scopes(hash, name, version, schema_url, attributes) VALUES(?,?,?,?,?)"},
  };
  for (auto& s : statements)
    if (!s.s.prepare(db_.get(), s.sql, error)) return false;
  return metrics_.prepare(db_.get(), path, error);
}

bool row_writer::begin(std::string& error) {
  first_span_ = last_span_ = first_log_ = last_log_ = 0;
  int rc = begin_.step();
  begin_.reset();
  if (rc != SQLITE_DONE) {
    error = fail("starting a transaction");
    return false;
  }
  return true;
}

bool row_writer::commit(std::string& error) {
  auto block = [&](sql::statement& s, int64_t first, int64_t last, int64_t lo, int64_t hi) {
    if (first == 0) return true;
    s.bind(1, first);
    s.bind(2, last);
    s.bind(3, lo);
    s.bind(4, hi);
    int rc = s.step();
    s.reset();
    return rc == SQLITE_DONE;
  };
  if (!metrics_.flush(error)) return false;
  if (!block(insert_span_block_, first_span_, last_span_, span_min_ns_, span_max_ns_) ||
      !block(insert_log_block_, first_log_, last_log_, log_min_ns_, log_max_ns_)) {
    error = fail("recording the transaction's id range");
    return false;
  }
  int rc = commit_.step();
  commit_.reset();
  if (rc != SQLITE_DONE) {
    error = fail("committing");
    return false;
  }
  metrics_.committed();
  return true;
}

bool row_writer::write(const otlp::metric_batch& batch, metric_add_result& result,
                       std::string& error) {
  return metrics_.add(batch, *this, result, error);
}

bool row_writer::delete_metrics_chunk(int64_t before_ns, size_t max_rows, uint64_t& deleted,
                                      bool& finished, std::string& error) {
  uint64_t n = 0;
  bool ok = begin(error) && metrics_.delete_before(before_ns, max_rows, n, finished, error) &&
            commit(error);
  if (ok) deleted += n;
  else rollback();
  std::string e;
  if (!metrics_.refresh_head(e) && ok) {
    error = e;
    ok = false;
  }
  return ok;
}

bool row_writer::compact_metrics(size_t max_points, uint64_t& moved, uint64_t& corrupt,
                                 std::string& error) {
  bool ok = begin(error) && metrics_.compact(max_points, moved, corrupt, error) && commit(error);
  if (!ok) rollback();
  std::string e;
  if (!metrics_.refresh_head(e) && ok) {
    error = e;
    ok = false;
  }
  return ok;
}

void row_writer::rollback() noexcept {
  if (!sqlite3_get_autocommit(db_.get())) {
    rollback_.step();
    rollback_.reset();
  }
  // Ids handed out inside the rolled-back transaction no longer exist.
  forget_caches();
  metrics_.rollback();
}

void row_writer::forget_caches() noexcept {
  key_ids_.clear();
  resources_.clear();
  scopes_.clear();
  cached_rows_ = 0;
}

bool row_writer::id_of(std::string_view key, int64_t& id) {
  if (auto it = key_ids_.find(key); it != key_ids_.end()) {
    id = it->second;
    return true;
  }
  find_key_.bind_text(1, key);
  int rc = find_key_.step();
  if (rc == SQLITE_ROW) {
    id = find_key_.int64(0);
  } else if (rc == SQLITE_DONE) {
    insert_key_.bind_text(1, key);
    rc = insert_key_.step();
    insert_key_.reset();
    if (rc != SQLITE_DONE) {
      find_key_.reset();
      key_error_ = fail("storing the attribute key");
      return false;
    }
    id = sqlite3_last_insert_rowid(db_.get());
  } else {
    find_key_.reset();
    key_error_ = fail("looking up the attribute key");
    return false;
  }
  find_key_.reset();
  if (key_ids_.size() >= max_cached_keys) key_ids_.clear();
  key_ids_.emplace(std::string(key), id);
  return true;
}

bool row_writer::find_or_insert(sql::statement& find, sql::statement& insert, uint64_t hash,
                                const std::string& content, int64_t& id, std::string& error,
                                const std::function<void(sql::statement&)>& bind_insert) {
  auto& cache = &find == &find_resource_ ? resources_ : scopes_;
  if (auto it = cache.find(hash); it != cache.end()) {
    for (const cached_row& r : it->second) {
      if (r.content == content) {
        id = r.id;
        return true;
      }
    }
  }
  find.bind(1, static_cast<int64_t>(hash));
  int rc;
  id = 0;
  while ((rc = find.step()) == SQLITE_ROW) {
    if (find.text(1) == content) {
      id = find.int64(0);
      break;
    }
  }
  find.reset();
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
    error = fail("looking up a resource or scope");
    return false;
  }
  if (id == 0) {
    insert.bind(1, static_cast<int64_t>(hash));
    bind_insert(insert);
    rc = insert.step();
    insert.reset();
    if (rc != SQLITE_DONE) {
      error = fail("storing a resource or scope");
      return false;
    }
    id = sqlite3_last_insert_rowid(db_.get());
  }
  if (cached_rows_ >= max_cached_rows) {
    resources_.clear();
    scopes_.clear();
    cached_rows_ = 0;
  }
  cache[hash].push_back({id, content});
  ++cached_rows_;
  return true;
}

bool row_writer::resource_id(const agtel::resource* r, int64_t& id, std::string& error) {
  static const agtel::resource empty;
  if (!r) r = &empty;
  attrs_.clear();
  encode_named_attributes(r->attributes, attrs_);
  content_ = r->schema_url + ' ' + attrs_;
  const std::string* service = string_attribute(r->attributes, "service.name");
  return find_or_insert(find_resource_, insert_resource_, fnv1a(content_), content_, id, error,
                        [&](sql::statement& s) {
                          s.bind_text_or_null(2, service ? std::string_view(*service) : "");
                          s.bind_text_or_null(3, r->schema_url);
                          s.bind_text(4, attrs_);
                        });
}

bool row_writer::scope_id(const instrumentation_scope* sc, int64_t& id, std::string& error) {
  static const instrumentation_scope empty;
  if (!sc) sc = &empty;
  attrs_.clear();
  encode_named_attributes(sc->attributes, attrs_);
  content_ = sc->name + ' ' + sc->version + ' ' + sc->schema_url + ' ' + attrs_;
  return find_or_insert(find_scope_, insert_scope_, fnv1a(content_), content_, id, error,
                        [&](sql::statement& s) {
                          s.bind_text_or_null(2, sc->name);
                          s.bind_text_or_null(3, sc->version);
                          s.bind_text_or_null(4, sc->schema_url);
                          s.bind_text(5, attrs_);
                        });
}

bool row_writer::write(const otlp::trace_batch& batch, std::string& error) {
  // Spans of one request share a few resources and scopes: resolve each pointer once.
  const void* last_resource = nullptr;
  const void* last_scope = nullptr;
  int64_t rid = 0, sid = 0;
  bool first_resource = true, first_scope = true;
  for (const trace::span_ptr& sp : batch.spans) {
    if (!sp) continue;
    const trace::span_data& s = *sp;
    if (first_resource || s.resource != last_resource) {
      if (!resource_id(s.resource, rid, error)) return false;
      last_resource = s.resource;
      first_resource = false;
    }
    if (first_scope || s.scope != last_scope) {
      if (!scope_id(s.scope, sid, error)) return false;
      last_scope = s.scope;
      first_scope = false;
    }
    attrs_.clear();
    events_.clear();
    links_.clear();
    // String values of the 1:1 lifted keys live only in their column (lifted.hpp).
    lifted_values lifted(s.attributes);
    std::string_view skip[3];
    size_t n_skip = 0;
    if (lifted.operation) skip[n_skip++] = attr::operation_name;
    if (lifted.agent) skip[n_skip++] = attr::agent_name;
    if (lifted.tool) skip[n_skip++] = attr::tool_name;
    if (!encode_attributes(s.attributes, *this, attrs_, {skip, n_skip}) ||
        !encode_events(s.events, *this, events_) || !encode_links(s.links, *this, links_)) {
      error = key_error_;
      return false;
    }
    sql::statement& q = insert_span_;
    const trace::trace_id& tid = s.context.trace_id();
    q.bind_blob(1, tid.bytes().data(), 16);
    q.bind_blob(2, s.context.span_id().bytes().data(), 8);
    bind_id_or_null(q, 3, s.parent_span_id);
    state_.clear();
    if (!s.context.state().empty()) s.context.state().serialize_to(state_);
    q.bind_text_or_null(4, state_);
    // The W3C flags, with OTLP's Span.flags bits 0x300 when the parent is remote, and
    // 0x400 when the span's own context is (kept for a faithful round trip).
    q.bind(5, s.context.flags().bits | (s.parent_is_remote ? 0x300 : 0) |
                  (s.context.is_remote() ? 0x400 : 0));
    q.bind_text(6, s.name);
    q.bind(7, static_cast<int64_t>(s.kind));
    q.bind(8, to_i64(s.start_time));
    q.bind(9, to_i64(s.duration_ns()));
    q.bind(10, static_cast<int64_t>(s.status.code));
    q.bind_text_or_null(11, s.status.message);
    q.bind(12, rid);
    q.bind(13, sid);
    q.bind_text(14, attrs_);
    q.bind_text_or_null(15, events_);
    q.bind_text_or_null(16, links_);
    q.bind(17, s.attributes.dropped());
    q.bind(18, s.dropped_events);
    q.bind(19, s.dropped_links);
    bind_string_or_null(q, 20, lifted.operation);
    bind_string_or_null(q, 21, lifted.agent);
    bind_string_or_null(q, 22, lifted.tool);
    bind_string_or_null(q, 23, lifted.request_model ? lifted.request_model : lifted.response_model);
    bind_first_int(q, 24, lifted.input);
    bind_first_int(q, 25, lifted.output);
    int rc = q.step();
    q.reset();
    if (rc != SQLITE_DONE) {
      error = fail("storing span '" + s.name.substr(0, 64) + "'");
      return false;
    }
    int64_t id = sqlite3_last_insert_rowid(db_.get());
    extend_time(span_min_ns_, span_max_ns_, to_i64(s.start_time), first_span_ == 0);
    extend(first_span_, last_span_, id);
  }
  return true;
}

bool row_writer::write(const otlp::log_batch& batch, std::string& error) {
  const void* last_resource = nullptr;
  const void* last_scope = nullptr;
  int64_t rid = 0, sid = 0;
  bool first_resource = true, first_scope = true;
  std::string body;
  for (const logs::log_record_ptr& rp : batch.records) {
    if (!rp) continue;
    const logs::log_record_data& r = *rp;
    if (first_resource || r.resource != last_resource) {
      if (!resource_id(r.resource, rid, error)) return false;
      last_resource = r.resource;
      first_resource = false;
    }
    if (first_scope || r.scope != last_scope) {
      if (!scope_id(r.scope, sid, error)) return false;
      last_scope = r.scope;
      first_scope = false;
    }
    attrs_.clear();
    if (!encode_attributes(r.attributes, *this, attrs_)) {
      error = key_error_;
      return false;
    }
    sql::statement& q = insert_log_;
    q.bind(1, to_i64(r.time));
    q.bind(2, to_i64(r.observed_time));
    q.bind(3, static_cast<int64_t>(r.severity_number));
    q.bind_text_or_null(4, r.severity_text);
    // A string body is TEXT (searchable as it is); any other value is a BLOB holding the
    // codec's JSON for it; no body is NULL.
    if (!r.has_body) {
      q.bind_null(5);
    } else if (auto* s = std::get_if<std::string>(&r.body)) {
      q.bind_text(5, *s);
    } else {
      body.clear();
      encode_value(r.body, body);
      q.bind_blob(5, body.data(), body.size());
    }
    q.bind_text_or_null(6, r.event_name);
    bind_id_or_null(q, 7, r.trace_id);
    bind_id_or_null(q, 8, r.span_id);
    q.bind(9, r.trace_flags.bits);
    q.bind(10, rid);
    q.bind(11, sid);
    q.bind_text(12, attrs_);
    q.bind(13, r.attributes.dropped());
    int rc = q.step();
    q.reset();
    if (rc != SQLITE_DONE) {
      error = fail("storing a log record");
      return false;
    }
    int64_t id = sqlite3_last_insert_rowid(db_.get());
    int64_t t = to_i64(r.time ? r.time : r.observed_time);
    extend_time(log_min_ns_, log_max_ns_, t, first_log_ == 0);
    extend(first_log_, last_log_, id);
  }
  return true;
}

}  // namespace agtel::store
