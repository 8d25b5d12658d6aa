// writer: the bounded queue and the thread that commits it (row_writer.cpp writes the
// rows). Group commit: the thread takes every batch queued (up to max_transaction_items),
// writes them in one transaction, and calls their `done` after COMMIT: one fsync covers
// many requests, which is what makes synchronous=FULL affordable.
//
// Deletes (retention, submit_delete) run on the same thread, one chunk of at most
// max_delete_rows rows between each two ingest transactions: a long delete slows ingest
// down a little instead of stopping it.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>

#include "agtel/common/time.hpp"
#include "store/numbers.hpp"
#include "store/row_writer.hpp"
#include "store/store.hpp"

namespace agtel::store {

namespace {

uint64_t now_ns() noexcept {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

struct pending {
  std::variant<otlp::trace_batch, otlp::log_batch, otlp::metric_batch> batch;
  commit_callback done;
  size_t items = 0;
};

// A delete being run: per signal, whether it is wanted, its cutoff (0: every row) and
// how far it got.
struct delete_job {
  bool spans = false, logs = false, metrics = false;
  int64_t spans_before = 0, logs_before = 0, metrics_before = 0;
  int64_t spans_cursor = 0, logs_cursor = 0;
  bool retention = false;  // ours: failures go to on_retention_error, no callback
  delete_callback done;
  delete_result result;
};

}  // namespace

size_t count_points(const otlp::metric_batch& batch) noexcept {
  size_t n = 0;
  for (const metrics::resource_metrics& rm : batch.resource_metrics)
    for (const metrics::scope_metrics& sm : rm.scopes)
      for (const metrics::metric_data& m : sm.metrics)
        std::visit([&](const auto& d) { n += d.points.size(); }, m.data);
  return n;
}

struct writer::impl {
  writer_options options;
  row_writer rows;

  mutable std::mutex mu;
  std::condition_variable wake;  // the thread: work or stop
  std::condition_variable idle;  // drain(): the queue emptied
  std::deque<pending> queue;
  std::deque<delete_job> deletes;  // submitted, not started
  size_t queued_items = 0;  // queued plus being written
  size_t in_flight = 0;     // batches taken by the thread, `done` not yet called
  bool closed = false;      // submit answers `closed`
  bool stopping = false;    // the thread exits once the queue is empty

  std::atomic<uint64_t> spans_stored{0}, logs_stored{0}, batches_failed{0}, refused_full{0},
      transactions{0}, last_commit_ns{0}, total_commit_ns{0}, spans_deleted{0}, logs_deleted{0},
      deletes_failed{0}, metric_points_stored{0}, metric_points_compacted{0},
      metric_points_corrupt{0}, compactions_failed{0}, metric_points_deleted{0};

  std::thread thread;

  template <class Batch>
  submit_result enqueue(Batch&& batch, size_t items, commit_callback done) noexcept {
    try {
      pending p;
      p.items = items;
      p.batch = std::move(batch);
      p.done = std::move(done);
      return enqueue(std::move(p));
    } catch (...) {  // out of memory: refuse like a full queue
      refused_full.fetch_add(1, std::memory_order_relaxed);
      return submit_result::queue_full;
    }
  }

  submit_result enqueue(pending&& p) {
    std::lock_guard lock(mu);
    if (closed) return submit_result::closed;
    // A batch larger than the whole queue still goes in when the queue is empty (it is
    // already in memory; refusing it would refuse it forever).
    if (queued_items > 0 && queued_items + p.items > options.max_queued_items) {
      refused_full.fetch_add(1, std::memory_order_relaxed);
      return submit_result::queue_full;
    }
    queued_items += p.items;
    queue.push_back(std::move(p));
    wake.notify_one();
    return submit_result::queued;
  }

  submit_result enqueue(delete_job&& job) {
    std::lock_guard lock(mu);
    if (closed) return submit_result::closed;
    deletes.push_back(std::move(job));
    wake.notify_one();
    return submit_result::queued;
  }

  // The retention pass due now, if a signal has a max age (cutoffs in wall-clock time).
  std::optional<delete_job> retention_job() const {
    delete_job j;
    j.retention = true;
    const int64_t now = to_i64(realtime_ns());
    auto cutoff = [&](std::chrono::nanoseconds age, bool& on, int64_t& before) {
      if (age.count() <= 0 || age.count() >= now) return;  // forever, or before 1970
      on = true;
      before = now - age.count();
    };
    cutoff(options.traces_max_age, j.spans, j.spans_before);
    cutoff(options.logs_max_age, j.logs, j.logs_before);
    cutoff(options.metrics_max_age, j.metrics, j.metrics_before);
    if (!j.spans && !j.logs && !j.metrics) return std::nullopt;
    return j;
  }

  // One chunk of `job`; true when the job is over (done, or failed: `error` set).
  bool delete_step(delete_job& job, bool& ok, std::string& error) {
    const bool spans = job.spans;
    if (!spans && !job.logs) {
      if (!job.metrics) return true;
      const uint64_t before = job.result.metric_points;
      bool finished = false;
      ok = rows.delete_metrics_chunk(job.metrics_before, options.max_delete_rows,
                                     job.result.metric_points, finished, error);
      metric_points_deleted.fetch_add(job.result.metric_points - before,
                                      std::memory_order_relaxed);
      if (!ok) deletes_failed.fetch_add(1, std::memory_order_relaxed);
      if (!ok || finished) job.metrics = false;
      return !job.metrics;
    }
    uint64_t& count = spans ? job.result.spans : job.result.logs;
    const uint64_t before = count;
    bool finished = false;
    ok = rows.delete_chunk(spans, spans ? job.spans_before : job.logs_before,
                           options.max_delete_rows, spans ? job.spans_cursor : job.logs_cursor,
                           count, finished, error);
    (spans ? spans_deleted : logs_deleted).fetch_add(count - before, std::memory_order_relaxed);
    if (!ok) {
      deletes_failed.fetch_add(1, std::memory_order_relaxed);
      return true;
    }
    if (finished) (spans ? job.spans : job.logs) = false;
    return !job.spans && !job.logs && !job.metrics;
  }

  void finish(delete_job& job, bool ok, std::string_view error) {
    try {
      if (job.retention) {
        if (!ok && options.on_retention_error) options.on_retention_error(error);
      } else if (job.done) {
        job.done(ok, job.result, error);
      }
    } catch (...) {
      // A callback that throws must not stop the writer.
    }
  }

  void run() {
    // A deque: growing it never moves a batch (std::vector would copy them, as moving a
    // std::deque may throw, and the spans point into the batch's own resource deque).
    std::deque<pending> work;
    std::string error;
    std::optional<delete_job> job;  // the delete being run, one chunk per turn
    const bool retention = options.traces_max_age.count() > 0 ||
                           options.logs_max_age.count() > 0 ||
                           options.metrics_max_age.count() > 0;
    auto next_retention = std::chrono::steady_clock::now();  // a first pass at open
    for (;;) {
      size_t items = 0;
      {
        std::unique_lock lock(mu);
        auto ready = [&] {
          return !queue.empty() || stopping || !deletes.empty() || job || compaction_due();
        };
        auto deadline = std::chrono::steady_clock::time_point::max();
        if (retention) deadline = next_retention;
        if (rows.metrics().head_points() > 0)
          deadline = std::min(deadline, std::chrono::steady_clock::now() + options.metric_head_age);
        if (deadline == std::chrono::steady_clock::time_point::max()) wake.wait(lock, ready);
        else wake.wait_until(lock, deadline, ready);
        if (stopping && queue.empty()) break;  // nothing left to write
        if (!job && !deletes.empty()) {
          job = std::move(deletes.front());
          deletes.pop_front();
        }
        while (!queue.empty() &&
               (work.empty() || items + queue.front().items <= options.max_transaction_items)) {
          items += queue.front().items;
          work.push_back(std::move(queue.front()));
          queue.pop_front();
        }
        in_flight = work.size();
      }
      if (!job && retention && std::chrono::steady_clock::now() >= next_retention) {
        job = retention_job();
        next_retention = std::chrono::steady_clock::now() + options.retention_interval;
      }
      if (!work.empty()) write_and_answer(work, items, error);
      if (compaction_due()) compact_step(error);
      if (job) {
        bool ok = true;
        error.clear();
        if (delete_step(*job, ok, error)) {
          finish(*job, ok, error);
          job.reset();
        }
      }
    }
    // Closing: deletes not finished are answered, not run (ingest is what must not be lost).
    std::deque<delete_job> left;
    {
      std::lock_guard lock(mu);
      left.swap(deletes);
    }
    if (job) left.push_front(std::move(*job));
    for (delete_job& j : left) finish(j, false, "the store was closed before the delete finished");
  }

  void write_and_answer(std::deque<pending>& work, size_t items, std::string& error) {
    error.clear();
    uint64_t t0 = now_ns();
    bool ok = write(work, error);
    uint64_t took = now_ns() - t0;
    transactions.fetch_add(1, std::memory_order_relaxed);
    last_commit_ns.store(took, std::memory_order_relaxed);
    total_commit_ns.fetch_add(took, std::memory_order_relaxed);
    if (!ok) batches_failed.fetch_add(work.size(), std::memory_order_relaxed);
    {
      std::lock_guard lock(mu);
      queued_items -= items;
    }
    for (pending& p : work) {
      try {
        if (p.done) p.done(ok, error);
      } catch (...) {
        // A receiver's callback that throws must not stop the writer.
      }
    }
    work.clear();  // releases the spans (back to their pool) outside the lock
    {
      std::lock_guard lock(mu);
      in_flight = 0;
    }
    idle.notify_all();
  }

  // Whether the metric head should be compacted now: it holds many points, or its oldest
  // row waited long enough (readers of recent data decode the whole head: keep it small).
  bool compaction_due() const noexcept {
    const metric_rows& m = rows.metrics();
    if (m.head_points() == 0) return false;
    if (m.head_points() >= options.metric_head_points) return true;
    const int64_t age_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(options.metric_head_age).count();
    return m.oldest_head_ns() != 0 && to_i64(realtime_ns()) - m.oldest_head_ns() >= age_ns;
  }

  void compact_step(std::string& error) {
    error.clear();
    uint64_t moved = 0, corrupt = 0;
    if (rows.compact_metrics(options.metric_compaction_points, moved, corrupt, error)) {
      metric_points_compacted.fetch_add(moved, std::memory_order_relaxed);
      metric_points_corrupt.fetch_add(corrupt, std::memory_order_relaxed);
      return;
    }
    compactions_failed.fetch_add(1, std::memory_order_relaxed);
    try {
      if (options.on_retention_error) options.on_retention_error(error);
    } catch (...) {
    }
  }

  bool write(std::deque<pending>& work, std::string& error) {
    uint64_t spans = 0, logs = 0;
    metric_add_result points;
    bool ok = rows.begin(error);
    for (size_t i = 0; ok && i < work.size(); ++i) {
      if (auto* t = std::get_if<otlp::trace_batch>(&work[i].batch)) {
        ok = rows.write(*t, error);
        spans += work[i].items;
      } else if (auto* l = std::get_if<otlp::log_batch>(&work[i].batch)) {
        ok = rows.write(*l, error);
        logs += work[i].items;
      } else {
        ok = rows.write(std::get<otlp::metric_batch>(work[i].batch), points, error);
      }
    }
    if (ok) ok = rows.commit(error);
    if (!ok) {
      rows.rollback();
      return false;
    }
    spans_stored.fetch_add(spans, std::memory_order_relaxed);
    logs_stored.fetch_add(logs, std::memory_order_relaxed);
    metric_points_stored.fetch_add(points.stored, std::memory_order_relaxed);
    return true;
  }
};

writer::writer(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

std::unique_ptr<writer> writer::open(const writer_options& options, std::string& error) {
  try {
    auto p = std::make_unique<impl>();
    p->options = options;
    if (p->options.max_transaction_items == 0) p->options.max_transaction_items = 1;
    if (p->options.max_delete_rows == 0) p->options.max_delete_rows = 1;
    if (p->options.retention_interval.count() <= 0)
      p->options.retention_interval = std::chrono::milliseconds(1000);
    if (!p->rows.open(options.path, error)) return nullptr;
    impl* raw = p.get();
    auto w = std::make_unique<writer>(std::move(p));
    raw->thread = std::thread([raw] { raw->run(); });
    return w;
  } catch (const std::exception& e) {
    error = "opening the store " + options.path + ": " + e.what();
    return nullptr;
  }
}

writer::~writer() {
  if (!impl_) return;
  try {
    {
      std::lock_guard lock(impl_->mu);
      impl_->closed = true;
      impl_->stopping = true;
    }
    impl_->wake.notify_all();
    if (impl_->thread.joinable()) impl_->thread.join();
  } catch (...) {
  }
}

submit_result writer::submit(otlp::trace_batch&& batch, commit_callback done) {
  const size_t items = batch.spans.size();
  return impl_->enqueue(std::move(batch), items, std::move(done));
}

submit_result writer::submit(otlp::log_batch&& batch, commit_callback done) {
  const size_t items = batch.records.size();
  return impl_->enqueue(std::move(batch), items, std::move(done));
}

submit_result writer::submit(otlp::metric_batch&& batch, commit_callback done) {
  const size_t items = count_points(batch);
  return impl_->enqueue(std::move(batch), items, std::move(done));
}

submit_result writer::submit_delete(const delete_request& request, delete_callback done) {
  try {
    delete_job j;
    j.spans = request.spans;
    j.logs = request.logs;
    j.metrics = request.metrics;
    j.spans_before = j.logs_before = j.metrics_before = to_i64(request.before_ns);
    j.done = std::move(done);
    return impl_->enqueue(std::move(j));
  } catch (...) {  // out of memory
    return submit_result::queue_full;
  }
}

bool writer::drain(std::chrono::milliseconds timeout) {
  try {
    std::unique_lock lock(impl_->mu);
    impl_->closed = true;
    impl_->wake.notify_all();
    return impl_->idle.wait_for(lock, timeout, [&] {
      return impl_->queue.empty() && impl_->in_flight == 0;
    });
  } catch (...) {  // std::system_error from the mutex: nothing sensible is left to do
    return false;
  }
}

writer_stats writer::stats() const noexcept {
  writer_stats s;
  const impl& i = *impl_;
  s.spans_stored = i.spans_stored.load(std::memory_order_relaxed);
  s.logs_stored = i.logs_stored.load(std::memory_order_relaxed);
  s.batches_failed = i.batches_failed.load(std::memory_order_relaxed);
  s.refused_full = i.refused_full.load(std::memory_order_relaxed);
  s.transactions = i.transactions.load(std::memory_order_relaxed);
  s.last_commit_ns = i.last_commit_ns.load(std::memory_order_relaxed);
  s.total_commit_ns = i.total_commit_ns.load(std::memory_order_relaxed);
  s.spans_deleted = i.spans_deleted.load(std::memory_order_relaxed);
  s.logs_deleted = i.logs_deleted.load(std::memory_order_relaxed);
  s.deletes_failed = i.deletes_failed.load(std::memory_order_relaxed);
  s.metric_points_stored = i.metric_points_stored.load(std::memory_order_relaxed);
  s.metric_points_compacted = i.metric_points_compacted.load(std::memory_order_relaxed);
  s.metric_points_corrupt = i.metric_points_corrupt.load(std::memory_order_relaxed);
  s.compactions_failed = i.compactions_failed.load(std::memory_order_relaxed);
  s.metric_points_deleted = i.metric_points_deleted.load(std::memory_order_relaxed);
  {
    // std::mutex::lock does not fail in practice; the try keeps this noexcept honest.
    try {
      std::lock_guard lock(i.mu);
      s.queued_items = i.queued_items;
    } catch (...) {
    }
  }
  return s;
}

const std::string& writer::path() const noexcept { return impl_->options.path; }

}  // namespace agtel::store
