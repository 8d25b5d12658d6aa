// reader: open, status and log search (traces are in reader_traces.cpp).
#include <cstring>
#include <filesystem>
#include <limits>

#include "store/numbers.hpp"
#include "store/reader_impl.hpp"
#include "store/schema.hpp"

namespace agtel::store {
namespace {

// agtel_attr_eq(attributes, key_id, value): the `key=value` filter of find_traces, in C++
// over the codec's text (attributes.hpp says how values compare as text).
void attr_eq(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const auto* value = reinterpret_cast<const char*>(sqlite3_value_text(argv[2]));
  if (!text || !value) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  std::string_view t(text, static_cast<size_t>(sqlite3_value_bytes(argv[0])));
  std::string_view v(value, static_cast<size_t>(sqlite3_value_bytes(argv[2])));
  bool eq = false;
  try {
    // The probe is built once per statement: SQLite keeps it with the constant argument.
    auto* probe = static_cast<attribute_probe*>(sqlite3_get_auxdata(ctx, 2));
    int64_t key = sqlite3_value_int64(argv[1]);
    if (!probe || probe->key_id != key || probe->value != v) {
      probe = new attribute_probe(make_attribute_probe(key, v));
      sqlite3_set_auxdata(ctx, 2, probe, [](void* p) { delete static_cast<attribute_probe*>(p); });
      probe = static_cast<attribute_probe*>(sqlite3_get_auxdata(ctx, 2));
    }
    eq = probe ? attribute_equals(t, *probe) : attribute_equals(t, key, v);
  } catch (...) {
  }
  sqlite3_result_int(ctx, eq ? 1 : 0);
}

uint64_t file_size(const std::string& p) {
  std::error_code ec;
  auto n = std::filesystem::file_size(p, ec);
  return ec ? 0 : static_cast<uint64_t>(n);
}

}  // namespace

bool reader::impl::key_of(int64_t id, std::string& key) {
  if (auto it = keys.find(id); it != keys.end()) {
    key = it->second;
    return true;
  }
  find_key.bind(1, id);
  bool ok = find_key.step() == SQLITE_ROW;
  if (ok) key.assign(find_key.text(0));
  find_key.reset();
  if (ok) keys.emplace(id, key);
  return ok;
}

std::string reader::impl::fail(std::string_view what) const {
  return std::string(what) + " in " + path + ": " + db.message();
}

bool reader::impl::begin(std::string& error) {
  return db.exec("BEGIN", error, "starting a read of " + path);
}

void reader::impl::end() noexcept {
  if (!sqlite3_get_autocommit(db.get())) {
    std::string ignored;
    db.exec("COMMIT", ignored);
  }
}

bool reader::impl::load_resource(int64_t id, std::deque<agtel::resource>& out,
                                 std::unordered_map<int64_t, const agtel::resource*>& ids,
                                 const agtel::resource*& result, std::string& error) {
  if (auto it = ids.find(id); it != ids.end()) {
    result = it->second;
    return true;
  }
  sql::statement s;
  if (!s.prepare(db.get(), "SELECT schema_url, attributes FROM resources WHERE id=?", error))
    return false;
  s.bind(1, id);
  if (s.step() != SQLITE_ROW) {
    error = "resource " + std::to_string(id) + " is missing in " + path;
    return false;
  }
  agtel::resource& r = out.emplace_back();
  r.schema_url.assign(s.text(0));
  if (!decode_named_attributes(s.text(1), r.attributes)) {
    error = "resource " + std::to_string(id) + " has corrupt attributes in " + path;
    return false;
  }
  ids.emplace(id, &r);
  result = &r;
  return true;
}

bool reader::impl::load_scope(int64_t id, std::deque<instrumentation_scope>& out,
                              std::unordered_map<int64_t, const instrumentation_scope*>& ids,
                              const instrumentation_scope*& result, std::string& error) {
  if (auto it = ids.find(id); it != ids.end()) {
    result = it->second;
    return true;
  }
  sql::statement s;
  if (!s.prepare(db.get(), "SELECT name, version, schema_url, attributes FROM scopes WHERE id=?",
                 error))
    return false;
  s.bind(1, id);
  if (s.step() != SQLITE_ROW) {
    error = "scope " + std::to_string(id) + " is missing in " + path;
    return false;
  }
  instrumentation_scope& sc = out.emplace_back();
  sc.name.assign(s.text(0));
  sc.version.assign(s.text(1));
  sc.schema_url.assign(s.text(2));
  if (!decode_named_attributes(s.text(3), sc.attributes)) {
    error = "scope " + std::to_string(id) + " has corrupt attributes in " + path;
    return false;
  }
  ids.emplace(id, &sc);
  result = &sc;
  return true;
}

bool reader::impl::service_condition(const std::string& service, std::string& condition, bool& any,
                                     std::string& error) {
  condition.clear();
  any = true;
  if (service.empty()) return true;
  sql::statement s;
  if (!s.prepare(db.get(), "SELECT id FROM resources WHERE service_name=?", error)) return false;
  s.bind_text(1, service);
  int rc;
  condition = "resource_id IN (";
  bool first = true;
  while ((rc = s.step()) == SQLITE_ROW) {
    if (!first) condition += ',';
    first = false;
    condition += std::to_string(s.int64(0));
  }
  if (rc != SQLITE_DONE) {
    error = fail("looking up the service");
    return false;
  }
  condition += ')';
  any = !first;
  return true;
}

bool reader::impl::id_range(const char* blocks, timestamp_ns since, timestamp_ns until,
                            int64_t& first, int64_t& last, bool& any, std::string& error) {
  sql::statement s;
  std::string q = std::string("SELECT min(first_id), max(last_id) FROM ") + blocks +
                  " WHERE max_ns >= ?1 AND (?2 = 0 OR min_ns <= ?2)";
  if (!s.prepare(db.get(), q, error)) return false;
  s.bind(1, to_i64(since));
  s.bind(2, to_i64(until));
  if (s.step() != SQLITE_ROW) {
    error = fail("reading the time blocks");
    return false;
  }
  any = !s.is_null(0);
  first = s.int64(0);
  last = s.int64(1);
  return true;
}

reader::reader(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
reader::~reader() = default;

std::unique_ptr<reader> reader::open(const std::string& path, std::string& error) {
  try {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      error = "no store at " + path + " (`agtel serve --db " + path + "` creates one)";
      return nullptr;
    }
    if (std::filesystem::is_directory(path, ec)) {
      error = path + " is a directory, not a store file";
      return nullptr;
    }
    auto p = std::make_unique<impl>();
    p->path = path;
    if (!p->db.open(path, SQLITE_OPEN_READONLY, error)) return nullptr;
    // Readers wait out the writer's checkpoints and WAL recovery instead of failing.
    sqlite3_busy_timeout(p->db.get(), 5000);
    if (!schema::check(p->db, path, p->version, error)) return nullptr;
    // Reads map the file instead of copying pages through pread (metric queries read
    // megabytes of chunks), and keep more pages between the calls of one command.
    std::string ignored;
    p->db.exec("PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32768", ignored);
    if (sqlite3_create_function_v2(p->db.get(), "agtel_attr_eq", 3,
                                   SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, attr_eq, nullptr,
                                   nullptr, nullptr) != SQLITE_OK) {
      error = p->fail("registering agtel_attr_eq");
      return nullptr;
    }
    if (!p->find_key.prepare(p->db.get(), "SELECT key FROM attribute_keys WHERE id=?", error))
      return nullptr;
    return std::make_unique<reader>(std::move(p));
  } catch (const std::exception& e) {
    error = "opening the store " + path + ": " + e.what();
    return nullptr;
  }
}

bool reader::status(store_status& out, std::string& error) {
  impl& m = *impl_;
  return m.in_read("reading the status", error, [&] {
    out = store_status{};
    out.path = m.path;
    out.schema_version = m.version;
    out.file_bytes = file_size(m.path) + file_size(m.path + "-wal");
    int64_t v = 0;
    bool ok = m.db.query_int("SELECT count(*) FROM spans", v, error);
    out.spans = static_cast<uint64_t>(v);
    // Distinct 4-byte trace id prefixes, counted on the index: approximate past ~100,000
    // traces (two traces share a prefix once in ~4 billion pairs), and fast.
    ok = ok && m.db.query_int("SELECT count(DISTINCT substr(trace_id, 1, 4)) FROM spans", v, error);
    out.traces = static_cast<uint64_t>(v);
    ok = ok && m.db.query_int("SELECT count(*) FROM logs", v, error);
    out.logs = static_cast<uint64_t>(v);
    ok = ok && m.db.query_int(
                   "SELECT coalesce(min(m), 0) FROM (SELECT min(min_ns) AS m FROM span_blocks "
                   "UNION ALL SELECT min(min_ns) FROM log_blocks)",
                   v, error);
    out.first_ns = static_cast<timestamp_ns>(v);
    ok = ok && m.db.query_int(
                   "SELECT coalesce(max(m), 0) FROM (SELECT max(max_ns) AS m FROM span_blocks "
                   "UNION ALL SELECT max(max_ns) FROM log_blocks)",
                   v, error);
    out.last_ns = static_cast<timestamp_ns>(v);
    ok = ok && m.db.query_int("SELECT count(DISTINCT name) FROM metric_series", v, error);
    out.metrics = static_cast<uint64_t>(v);
    ok = ok && m.db.query_int("SELECT count(*) FROM metric_series", v, error);
    out.metric_series = static_cast<uint64_t>(v);
    ok = ok && m.db.query_int(
                   "SELECT (SELECT coalesce(sum(points), 0) FROM metric_chunks) + "
                   "(SELECT coalesce(sum(points), 0) FROM metric_head)",
                   v, error);
    out.metric_points = static_cast<uint64_t>(v);
    if (!ok) error = "reading the status of " + m.path + ": " + error;
    return ok;
  });
}

bool reader::find_logs(const log_query& q, otlp::log_batch& out, std::string& error) {
  out = otlp::log_batch{};
  impl& m = *impl_;
  return m.in_read("reading log records", error, [&] {
    std::string service;
    bool any = true;
    int64_t first = 0, last = 0;
    if (!m.service_condition(q.service, service, any, error)) return false;
    if (!any || q.limit == 0) return true;
    if (!m.id_range("log_blocks", q.since_ns, q.until_ns, first, last, any, error)) return false;
    if (!any) return true;
    std::string sql =
        "SELECT id, time_ns, observed_ns, severity, severity_text, body, event_name, trace_id, "
        "span_id, flags, resource_id, scope_id, attributes, dropped_attributes FROM logs "
        "WHERE id BETWEEN ?1 AND ?2";
    if (q.min_severity) sql += " AND severity >= ?3";
    if (q.trace) sql += " AND trace_id = ?4";
    if (!q.text.empty()) sql += " AND typeof(body) = 'text' AND instr(body, ?5) > 0";
    if (!service.empty()) sql += " AND " + service;
    if (q.since_ns) sql += " AND iif(time_ns <> 0, time_ns, observed_ns) >= ?6";
    if (q.until_ns) sql += " AND iif(time_ns <> 0, time_ns, observed_ns) <= ?7";
    sql += " ORDER BY id DESC LIMIT ?8";
    sql::statement s;
    if (!s.prepare(m.db.get(), sql, error)) return false;
    s.bind(1, first);
    s.bind(2, last);
    if (q.min_severity) s.bind(3, static_cast<int64_t>(*q.min_severity));
    if (q.trace) s.bind_blob(4, q.trace->bytes().data(), 16);
    if (!q.text.empty()) s.bind_text(5, q.text);
    s.bind(6, to_i64(q.since_ns));
    s.bind(7, to_i64(q.until_ns));
    s.bind(8, to_i64(q.limit));
    std::unordered_map<int64_t, const agtel::resource*> resources;
    std::unordered_map<int64_t, const instrumentation_scope*> scopes;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      std::string where = "log record " + std::to_string(s.int64(0)) + " of " + m.path;
      logs::log_record_ptr rp = logs::log_record_ptr::make();
      logs::log_record_data& r = *rp;
      r.time = static_cast<timestamp_ns>(s.int64(1));
      r.observed_time = static_cast<timestamp_ns>(s.int64(2));
      r.severity_number = static_cast<logs::severity>(s.int64(3) & 0xFF);
      r.severity_text.assign(s.text(4));
      if (s.type(5) == SQLITE_TEXT) {
        r.has_body = true;
        r.body = std::string(s.text(5));
      } else if (s.type(5) == SQLITE_BLOB) {
        auto b = s.blob(5);
        r.has_body = true;
        if (!decode_value(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()),
                          r.body)) {
          error = where + ": corrupt body";
          return false;
        }
      }
      r.event_name.assign(s.text(6));
      if (auto b = s.blob(7); b.size() == 16) std::memcpy(r.trace_id.bytes().data(), b.data(), 16);
      if (auto b = s.blob(8); b.size() == 8) std::memcpy(r.span_id.bytes().data(), b.data(), 8);
      r.trace_flags.bits = static_cast<uint8_t>(s.int64(9) & 0xFF);
      if (!m.load_resource(s.int64(10), out.resources, resources, r.resource, error) ||
          !m.load_scope(s.int64(11), out.scopes, scopes, r.scope, error))
        return false;
      if (!decode_attributes(s.text(12), m, r.attributes)) {
        error = where + ": corrupt attributes";
        return false;
      }
      r.attributes.add_dropped(static_cast<uint32_t>(s.int64(13)));
      out.records.push_back(std::move(rp));
    }
    if (rc != SQLITE_DONE) {
      error = m.fail("reading log records");
      return false;
    }
    return true;
  });
}

}  // namespace agtel::store
