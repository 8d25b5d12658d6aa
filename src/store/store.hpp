// The embedded store of `agtel serve`: one SQLite file in WAL mode that keeps the spans
// and log records the receiver decoded (metrics come with issue 7), and answers the CLI's
// questions about them.
//
// Writing: `writer` owns the only write connection and one thread. Receivers hand it
// decoded batches (otlp::trace_batch / otlp::log_batch, the codec's own types, so a
// received span is the SDK's span type) with `submit`, which never blocks on I/O: the
// batch is queued, or refused at once when the queue is full (the receiver answers
// 429/503). The thread takes everything queued, writes it in one transaction and calls
// each batch's `done` after COMMIT returned: an acknowledged request is on disk
// (synchronous=FULL in WAL mode: the commit is fsynced).
//
// Reading: `reader` opens its own read-only connection; any number of readers, in any
// process, run beside the writer and never see "database is locked" (WAL readers do not
// block the writer, and a busy timeout covers checkpoints).
//
// Schema (version 1, kept in PRAGMA user_version; `writer::open` creates or migrates):
//
//   resources(id INTEGER PRIMARY KEY, hash INTEGER, service_name TEXT, schema_url TEXT,
//             attributes TEXT)                -- JSON object, full keys; deduplicated by hash
//   scopes(id INTEGER PRIMARY KEY, hash INTEGER, name TEXT, version TEXT, schema_url TEXT,
//          attributes TEXT)                   -- deduplicated by hash
//   attribute_keys(id INTEGER PRIMARY KEY, key TEXT UNIQUE)
//   spans(id INTEGER PRIMARY KEY,             -- insertion order
//         trace_id BLOB,                      -- indexed on its first 4 bytes only
//         span_id BLOB, parent_span_id BLOB,  -- NULL parent: a root
//         trace_state TEXT,                   -- NULL when empty
//         flags INTEGER,                      -- W3C flags | 0x300 parent remote | 0x400 remote
//         name TEXT, kind INTEGER,
//         start_ns INTEGER, duration_ns INTEGER, status_code INTEGER, status_message TEXT,
//         resource_id INTEGER, scope_id INTEGER,
//         attributes TEXT,                    -- JSON [key id, value, ...] (attributes.hpp)
//         events TEXT, links TEXT,            -- JSON arrays, NULL when none
//         dropped_attributes INTEGER, dropped_events INTEGER, dropped_links INTEGER,
//         -- GenAI attributes lifted into typed columns (NULL when absent), from
//         -- gen_ai.* and their older aliases; string operation/agent/tool values are kept
//         -- in their column only (lifted.hpp):
//         operation TEXT, agent_name TEXT, tool_name TEXT, model TEXT,
//         input_tokens INTEGER, output_tokens INTEGER)
//   logs(id INTEGER PRIMARY KEY, time_ns INTEGER, observed_ns INTEGER, severity INTEGER,
//        severity_text TEXT, body TEXT, event_name TEXT, trace_id BLOB, span_id BLOB,
//        flags INTEGER, resource_id INTEGER, scope_id INTEGER, attributes TEXT,
//        dropped_attributes INTEGER)          -- body: TEXT for a string, a BLOB holding
//                                             -- the value's JSON otherwise, NULL for none;
//                                             -- trace_id indexed (when not NULL)
//   span_blocks / log_blocks(first_id, last_id, min_ns, max_ns)  -- one row per committed
//        transaction: a time range prunes the scan to the blocks it overlaps, without a
//        per-row time index
//   imports(id INTEGER PRIMARY KEY, time_ns INTEGER, source TEXT, spans INTEGER,
//           logs INTEGER)                     -- the export/import log
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agtel/logs/log_record_data.hpp"
#include "agtel/trace/ids.hpp"
#include "otlp/codec.hpp"
#include "query/series.hpp"

namespace agtel::store {

// ---- writing --------------------------------------------------------------------------

struct writer_options {
  std::string path;  // the database file; its directory is created when missing
  // Items (spans + log records) queued and not yet committed, past which submit refuses.
  size_t max_queued_items = 200000;
  // The most items written in one transaction (the rest wait for the next one).
  size_t max_transaction_items = 50000;
  // Retention, enforced by the writer thread once at open and every `retention_interval`
  // after: spans that started, and log records whose time (else observed time) is, more
  // than this long ago are deleted. 0 keeps them forever (the default here; `agtel serve`
  // passes its --retain-* values, 7 days unless told).
  std::chrono::nanoseconds traces_max_age{0};
  std::chrono::nanoseconds logs_max_age{0};
  // Metric chunks whose last point, and exemplars whose time, is older than this are
  // deleted (a chunk goes whole: up to one chunk's span, ~240 points, outlives the cutoff).
  std::chrono::nanoseconds metrics_max_age{0};
  std::chrono::milliseconds retention_interval{60000};
  // The most rows one delete transaction removes: ingest waits at most that long.
  size_t max_delete_rows = 10000;
  // The metric head (metric_rows.hpp) is compacted into per-series chunks when it holds
  // this many points or its oldest row is this old, at most `metric_compaction_points`
  // points per transaction (ingest waits at most one such step).
  size_t metric_head_points = 50000;
  std::chrono::milliseconds metric_head_age{60000};
  size_t metric_compaction_points = 100000;
  // Called on the writer thread when a retention pass or a compaction fails (it is rolled
  // back and tried again later); may be empty.
  std::function<void(std::string_view error)> on_retention_error;
};

enum class submit_result : uint8_t {
  queued,      // `done` will be called once, from the writer thread
  queue_full,  // refused at once; `done` is not called (answer 429/503, retry later)
  closed,      // the writer is shutting down; `done` is not called
};

// A batch's spans and records point at its own resources and scopes: move a batch, never
// copy it (a std::vector of batches copies them when it grows, since moving a std::deque
// may throw; keep batches in a std::deque or behind a pointer).
//
// Called once per queued batch, on the writer thread, after its transaction ended:
// ok = committed and durable; otherwise `error` says why (the batch is not stored).
using commit_callback = std::function<void(bool ok, std::string_view error)>;

// What to delete (`writer::submit_delete`, `agtel clear`). Resources, scopes and
// attribute keys that no row uses any more stay: they are small and deduplicated.
struct delete_request {
  bool spans = true, logs = true, metrics = true;
  // Spans that started before, log records whose time (else observed time) is before, and
  // metric chunks that end before this time (with the exemplars before it); 0 deletes
  // every row of the chosen signals (for metrics, the series catalogue too).
  timestamp_ns before_ns = 0;
};

struct delete_result {
  uint64_t spans = 0, logs = 0;  // rows deleted (also when a later chunk failed)
  uint64_t metric_points = 0;    // points in the metric chunks and head rows deleted
};

// Called once, on the writer thread, after the last chunk: ok, or `error` says why the
// delete stopped (the failing chunk is rolled back; the chunks before it stay deleted).
using delete_callback =
    std::function<void(bool ok, const delete_result& deleted, std::string_view error)>;

struct writer_stats {
  uint64_t spans_stored = 0;
  uint64_t logs_stored = 0;
  uint64_t batches_failed = 0;    // transactions that did not commit, counted per batch
  uint64_t refused_full = 0;      // submits refused: queue full
  uint64_t queued_items = 0;      // now
  uint64_t transactions = 0;
  uint64_t last_commit_ns = 0;    // duration of the latest transaction, BEGIN to COMMIT
  uint64_t total_commit_ns = 0;   // summed over all transactions
  uint64_t spans_deleted = 0;     // by retention and submit_delete
  uint64_t logs_deleted = 0;
  uint64_t deletes_failed = 0;    // delete transactions rolled back
  uint64_t metric_points_stored = 0;     // committed to the metric head
  uint64_t metric_points_compacted = 0;  // moved from the head into chunks
  uint64_t metric_points_corrupt = 0;    // head groups that did not decode (dropped)
  uint64_t compactions_failed = 0;
  uint64_t metric_points_deleted = 0;
};

// The data points of a decoded metrics request (every kind, summaries included).
size_t count_points(const otlp::metric_batch& batch) noexcept;

class writer {
 public:
  // Opens (creating or migrating) the database; nullptr and `error` on failure (an
  // unwritable directory, a file that is not an agtel store, a newer schema version).
  static std::unique_ptr<writer> open(const writer_options& options, std::string& error);
  // Writes what is queued, calls every pending `done`, stops the thread, closes.
  ~writer();

  // Thread-safe; never blocks on I/O (a short lock to queue the batch).
  submit_result submit(otlp::trace_batch&& batch, commit_callback done);
  submit_result submit(otlp::log_batch&& batch, commit_callback done);
  // Metric points are stored in their series (summaries are not stored: the receiver
  // reports them as rejected). Acknowledged points are in metric_head, durable.
  submit_result submit(otlp::metric_batch&& batch, commit_callback done);
  // Queues a delete (never queue_full). The writer thread runs it in transactions of at
  // most max_delete_rows rows, one between each two ingest transactions, so ingest keeps
  // going meanwhile. Pending deletes are answered with an error when the writer closes.
  submit_result submit_delete(const delete_request& request, delete_callback done);

  // Stops taking batches (submit answers closed), writes what is queued, and returns
  // when every pending `done` was called or `timeout` passed (false then).
  bool drain(std::chrono::milliseconds timeout);

  writer_stats stats() const noexcept;
  const std::string& path() const noexcept;

  struct impl;
  explicit writer(std::unique_ptr<impl> p);

 private:
  std::unique_ptr<impl> impl_;
};

// ---- reading --------------------------------------------------------------------------

struct store_status {
  std::string path;
  uint64_t file_bytes = 0;  // the database file plus its -wal file
  uint64_t spans = 0, logs = 0;
  uint64_t traces = 0;  // distinct 4-byte trace id prefixes: may count a few less than
                        // the true number past ~100,000 traces
  timestamp_ns first_ns = 0, last_ns = 0;  // earliest span start / log time; 0 when empty
  uint64_t metrics = 0, metric_series = 0;  // distinct metric names; series
  uint64_t metric_points = 0;               // in chunks and in the head
  int schema_version = 0;
};

// `agtel metrics`: one entry per metric name and kind (a name sent with two kinds or units
// is listed twice).
struct metric_entry {
  query::metric_info info;
  uint64_t series = 0;
};

// `agtel traces`: every condition given must hold; newest first (the traces whose spans
// arrived last, ordered by start time).
//
// service, span_name and attributes are span conditions: one span of the trace meets all
// of those given. The others are conditions on the whole trace.
struct trace_query {
  std::string service;                            // resource service.name, exact
  std::string span_name;                          // exact
  std::vector<std::pair<std::string, std::string>> attributes;  // key=value, the value
                                                  // compared as text: "true", "42", "0.5"
  std::optional<uint64_t> min_duration_ns, max_duration_ns;  // of the trace (root to end)
  // error: a span of the trace failed; ok or unset: none failed.
  std::optional<trace::status_code> status;
  // The trace's start within (and, with span conditions, the matching span's); 0: unbounded.
  timestamp_ns since_ns = 0, until_ns = 0;
  size_t limit = 20;
};

struct trace_summary {
  trace::trace_id id;
  std::string root_name;  // the root span's name, or the earliest span's when no root
  std::string service;    // of that span
  timestamp_ns start_ns = 0;
  uint64_t duration_ns = 0;  // earliest start to latest end
  uint64_t spans = 0;
  uint64_t errors = 0;
  int64_t input_tokens = 0, output_tokens = 0;
};

// `agtel logs`: newest first.
struct log_query {
  std::optional<logs::severity> min_severity;
  std::optional<trace::trace_id> trace;
  std::string text;  // substring of the body, case-sensitive
  std::string service;
  timestamp_ns since_ns = 0, until_ns = 0;
  size_t limit = 100;
};

// One reader is used by one thread at a time; open one per thread.
class reader {
 public:
  // Opens the database read-only; nullptr and `error` when it is missing or not a store.
  static std::unique_ptr<reader> open(const std::string& path, std::string& error);
  ~reader();

  // Each returns false and sets `error` on an SQLite failure.
  bool status(store_status& out, std::string& error);
  bool find_traces(const trace_query& q, std::vector<trace_summary>& out, std::string& error);
  // Every span of the trace (with resources and scopes), ordered by start time; an empty
  // batch when the trace is not stored.
  bool read_trace(const trace::trace_id& id, otlp::trace_batch& out, std::string& error);
  bool find_logs(const log_query& q, otlp::log_batch& out, std::string& error);
  bool list_metrics(std::vector<metric_entry>& out, std::string& error);
  // The series of the metric `name` whose labels `select` accepts (every series when it is
  // empty), with their points in [start_ns, end_ns) and, for each series, its last point
  // before start_ns (a counter's baseline; with start_ns past every point, each series'
  // latest point). A name stored with several kinds: the series of the kind most of them
  // have. Unknown name: true, with out.metric.name empty.
  bool read_series(const std::string& name,
                   const std::function<bool(const query::label_set&)>& select,
                   int64_t start_ns, int64_t end_ns, query::series_set& out,
                   std::string& error);
  // How many rows `request` would delete now (`agtel clear` asks before it deletes).
  bool count(const delete_request& request, delete_result& out, std::string& error);

  struct impl;
  explicit reader(std::unique_ptr<impl> p);

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace agtel::store
