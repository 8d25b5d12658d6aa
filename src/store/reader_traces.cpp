// reader: `agtel traces` (find_traces) and `agtel trace <id>` (read_trace).
//
// find_traces walks spans newest first (by row id, i.e. by arrival) over the id range that
// span_blocks gives for the time range, keeps the spans that match the span conditions,
// and summarises each new trace they belong to (through the trace id index) until
// `limit` traces passed the trace conditions. A selective filter therefore scans more rows
// than a broad one; there is no per-row time index to keep the file small.
#include <algorithm>
#include <cstring>
#include <limits>
#include <unordered_set>

#include "store/numbers.hpp"
#include "store/lifted.hpp"
#include "store/reader_impl.hpp"

namespace agtel::store {
namespace {

// The indexed prefix of a trace id (schema.cpp: spans_trace).
void bind_trace_prefix(sql::statement& s, int col, const trace::trace_id& id) {
  s.bind_blob(col, id.bytes().data(), 4);
}

bool same_id(std::span<const uint8_t> blob, const trace::trace_id& id) noexcept {
  return blob.size() == 16 && std::memcmp(blob.data(), id.bytes().data(), 16) == 0;
}

// Summarises the trace `id`; false in `found` when no span of it is stored.
bool summarise(reader::impl& m, sql::statement& s, const trace::trace_id& id, trace_summary& out,
               bool& found, std::string& error) {
  bind_trace_prefix(s, 1, id);
  out = trace_summary{};
  out.id = id;
  found = false;
  uint64_t end = 0;
  bool have_root = false;
  int64_t named_resource = 0;
  timestamp_ns named_start = 0;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    if (!same_id(s.blob(0), id)) continue;  // another trace with the same first 8 bytes
    bool root = s.is_null(1);
    auto start = static_cast<timestamp_ns>(s.int64(3));
    auto duration = static_cast<uint64_t>(s.int64(4));
    if (!found || start < out.start_ns) out.start_ns = start;
    end = std::max<uint64_t>(end, start + duration);
    // The root's name; without a root (a partial trace), the earliest span's.
    if ((root && (!have_root || start < named_start)) ||
        (!have_root && (!found || start < named_start))) {
      out.root_name.assign(s.text(2));
      named_resource = s.int64(5);
      named_start = start;
      have_root = have_root || root;
    }
    found = true;
    ++out.spans;
    if (s.int64(6) == static_cast<int64_t>(trace::status_code::error)) ++out.errors;
    out.input_tokens += s.int64(7);
    out.output_tokens += s.int64(8);
  }
  s.reset();
  if (rc != SQLITE_DONE) {
    error = m.fail("summarising trace " + id.to_hex());
    return false;
  }
  if (!found) return true;
  out.duration_ns = end - out.start_ns;
  sql::statement r;
  if (!r.prepare(m.db.get(), "SELECT service_name FROM resources WHERE id=?", error)) return false;
  r.bind(1, named_resource);
  if (r.step() == SQLITE_ROW) out.service.assign(r.text(0));
  return true;
}

bool trace_matches(const trace_query& q, const trace_summary& t) {
  if (q.min_duration_ns && t.duration_ns < *q.min_duration_ns) return false;
  if (q.max_duration_ns && t.duration_ns > *q.max_duration_ns) return false;
  if (q.status) {
    bool failed = t.errors > 0;
    if (failed != (*q.status == trace::status_code::error)) return false;
  }
  if (q.since_ns && t.start_ns < q.since_ns) return false;
  if (q.until_ns && t.start_ns > q.until_ns) return false;
  return true;
}

}  // namespace

bool reader::find_traces(const trace_query& q, std::vector<trace_summary>& out,
                         std::string& error) {
  out.clear();
  impl& m = *impl_;
  return m.in_read("searching traces", error, [&] {
    if (q.limit == 0) return true;
    std::string service;
    bool any = true;
    if (!m.service_condition(q.service, service, any, error)) return false;
    if (!any) return true;
    // Each key=value: on its lifted column (a string value) or in the attributes text (any
    // other value); a key never stored and not lifted cannot match.
    std::string attribute_conditions;
    for (size_t i = 0; i < q.attributes.size(); ++i) {
      const std::string& key = q.attributes[i].first;
      std::string param = "?" + std::to_string(10 + i);
      sql::statement k;
      if (!k.prepare(m.db.get(), "SELECT id FROM attribute_keys WHERE key=?", error)) return false;
      k.bind_text(1, key);
      bool interned = k.step() == SQLITE_ROW;
      const char* column = lifted_column_of(key);
      if (!interned && !column) return true;
      std::string c;
      if (column) c = std::string(column) + " = " + param;
      if (interned) {
        if (!c.empty()) c += " OR ";
        c += "agtel_attr_eq(attributes, " + std::to_string(k.int64(0)) + ", " + param + ")";
      }
      attribute_conditions += " AND (" + c + ")";
    }
    int64_t first = 0, last = 0;
    if (!m.id_range("span_blocks", q.since_ns, q.until_ns, first, last, any, error)) return false;
    if (!any) return true;

    bool span_conditions = !service.empty() || !q.span_name.empty() || !q.attributes.empty();
    std::string sql = "SELECT trace_id FROM spans WHERE id BETWEEN ?1 AND ?2";
    if (!service.empty()) sql += " AND " + service;
    if (!q.span_name.empty()) sql += " AND name = ?3";
    sql += attribute_conditions;
    // With no other span condition, "failed" drives the scan itself (errors are rare:
    // scanning for them beats summarising every trace).
    if (!span_conditions && q.status == trace::status_code::error) sql += " AND status_code = 2";
    if (q.since_ns) sql += " AND start_ns >= ?4";
    if (q.until_ns) sql += " AND start_ns <= ?5";
    sql += " ORDER BY id DESC";
    sql::statement s;
    if (!s.prepare(m.db.get(), sql, error)) return false;
    s.bind(1, first);
    s.bind(2, last);
    if (!q.span_name.empty()) s.bind_text(3, q.span_name);
    s.bind(4, to_i64(q.since_ns));
    s.bind(5, to_i64(q.until_ns));
    for (size_t i = 0; i < q.attributes.size(); ++i)
      s.bind_text(static_cast<int>(10 + i), q.attributes[i].second);

    sql::statement spans_of;
    if (!spans_of.prepare(m.db.get(),
                          "SELECT trace_id, parent_span_id, name, start_ns, duration_ns, "
                          "resource_id, status_code, input_tokens, output_tokens "
                          "FROM spans WHERE substr(trace_id, 1, 4)=?",
                          error))
      return false;
    std::unordered_set<trace::trace_id> seen;
    int rc;
    while (out.size() < q.limit && (rc = s.step()) == SQLITE_ROW) {
      trace::trace_id id;
      auto b = s.blob(0);
      if (b.size() != 16) continue;
      std::memcpy(id.bytes().data(), b.data(), 16);
      if (!seen.insert(id).second) continue;
      trace_summary t;
      bool found;
      if (!summarise(m, spans_of, id, t, found, error)) return false;
      if (found && trace_matches(q, t)) out.push_back(std::move(t));
    }
    if (out.size() < q.limit && rc != SQLITE_DONE) {
      error = m.fail("searching traces");
      return false;
    }
    std::stable_sort(out.begin(), out.end(), [](const trace_summary& a, const trace_summary& b) {
      return a.start_ns > b.start_ns;
    });
    return true;
  });
}

bool reader::read_trace(const trace::trace_id& id, otlp::trace_batch& out, std::string& error) {
  out = otlp::trace_batch{};
  impl& m = *impl_;
  return m.in_read("reading trace " + id.to_hex(), error, [&] {
    sql::statement s;
    if (!s.prepare(m.db.get(),
                   "SELECT trace_id, span_id, parent_span_id, trace_state, flags, name, kind, "
                   "start_ns, duration_ns, status_code, status_message, resource_id, scope_id, "
                   "attributes, events, links, dropped_attributes, dropped_events, "
                   "dropped_links, id, operation, agent_name, tool_name FROM spans WHERE "
                   "substr(trace_id, 1, 4)=? ORDER BY start_ns, id",
                   error))
      return false;
    bind_trace_prefix(s, 1, id);
    std::unordered_map<int64_t, const agtel::resource*> resources;
    std::unordered_map<int64_t, const instrumentation_scope*> scopes;
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) {
      if (!same_id(s.blob(0), id)) continue;
      std::string where = "span row " + std::to_string(s.int64(19)) + " of " + m.path;
      trace::span_ptr sp = trace::span_ptr::make();
      trace::span_data& d = *sp;
      trace::span_id sid, parent;
      auto b = s.blob(1);
      if (b.size() != 8) {
        error = where + ": corrupt span id";
        return false;
      }
      std::memcpy(sid.bytes().data(), b.data(), 8);
      if (auto p = s.blob(2); p.size() == 8) std::memcpy(parent.bytes().data(), p.data(), 8);
      int64_t flags = s.int64(4);
      d.context = trace::span_context(id, sid, {static_cast<uint8_t>(flags & 0xFF)},
                                      (flags & 0x400) != 0, trace::trace_state::parse(s.text(3)));
      d.parent_span_id = parent;
      d.parent_is_remote = (flags & 0x200) != 0;
      d.name.assign(s.text(5));
      int64_t kind = s.int64(6);
      d.kind =
          kind >= 1 && kind <= 5 ? static_cast<trace::span_kind>(kind) : trace::span_kind::internal;
      d.start_time = static_cast<timestamp_ns>(s.int64(7));
      d.end_time = d.start_time + static_cast<uint64_t>(s.int64(8));
      int64_t code = s.int64(9);
      d.status.code = code >= 0 && code <= 2 ? static_cast<trace::status_code>(code)
                                             : trace::status_code::unset;
      d.status.message.assign(s.text(10));
      if (!m.load_resource(s.int64(11), out.resources, resources, d.resource, error) ||
          !m.load_scope(s.int64(12), out.scopes, scopes, d.scope, error))
        return false;
      if (!decode_attributes(s.text(13), m, d.attributes)) {
        error = where + ": corrupt attributes";
        return false;
      }
      if (!s.is_null(14) && !decode_events(s.text(14), m, d.events)) {
        error = where + ": corrupt events";
        return false;
      }
      if (!s.is_null(15) && !decode_links(s.text(15), m, d.links)) {
        error = where + ": corrupt links";
        return false;
      }
      // The values kept only in their lifted column (lifted.hpp) go back.
      for (int c = 0; c < 3; ++c) {
        if (!s.is_null(20 + c)) d.attributes.set(lifted_string_columns[c].key, s.text(20 + c));
      }
      d.attributes.add_dropped(static_cast<uint32_t>(s.int64(16)));
      d.dropped_events = static_cast<uint32_t>(s.int64(17));
      d.dropped_links = static_cast<uint32_t>(s.int64(18));
      out.spans.push_back(std::move(sp));
    }
    if (rc != SQLITE_DONE) {
      error = m.fail("reading trace " + id.to_hex());
      return false;
    }
    return true;
  });
}

}  // namespace agtel::store
