#include "sdk/common/detail/batch_engine.hpp"

#include <new>

#include "agtel/diagnostics.hpp"
#include "sdk/common/detail/fork_registry.hpp"

namespace agtel::detail {

using clock = std::chrono::steady_clock;

// What fork() does to every live engine (sdk/common/detail/fork_registry.hpp).
struct fork_handlers {
  static void prepare(const std::vector<batch_engine*>& engines) {
    for (auto* e : engines) e->mutex_.lock();
  }
  static void parent(const std::vector<batch_engine*>& engines) {
    for (auto* e : engines) e->mutex_.unlock();
  }
  static void child(const std::vector<batch_engine*>& engines) {
    for (auto* e : engines) {
      // A condition variable may have recorded the vanished export thread as a waiter:
      // start the child's copy afresh.
      new (&e->wake_cv_) std::condition_variable;
      new (&e->done_cv_) std::condition_variable;
      e->worker_waiting_.store(false, std::memory_order_relaxed);
      e->needs_restart_.store(true, std::memory_order_relaxed);
      e->mutex_.unlock();
    }
  }
};

namespace {
using engines = fork_registry<batch_engine, fork_handlers>;
}  // namespace

batch_options corrected(batch_options o, std::string_view component) {
  auto fix = [&](const char* what, size_t& v, size_t fallback) {
    if (v == 0) {
      diag(diag_level::warning, component,
           std::string(what) + " must be positive; using " + std::to_string(fallback));
      v = fallback;
    }
  };
  fix("max_queue_size", o.max_queue_size, 2048);
  fix("max_export_batch_size", o.max_export_batch_size, 512);
  if (o.max_export_batch_size > o.max_queue_size) {
    diag(diag_level::warning, component,
         "max_export_batch_size exceeds max_queue_size; using max_queue_size");
    o.max_export_batch_size = o.max_queue_size;
  }
  if (o.schedule_delay.count() <= 0) o.schedule_delay = std::chrono::milliseconds(1);
  if (o.export_timeout.count() < 0) o.export_timeout = std::chrono::milliseconds(0);
  return o;
}

batch_engine::batch_engine(batch_options options, std::string_view component, std::string_view noun)
    : opts_(options), component_(component), noun_(noun) {}

batch_engine::~batch_engine() = default;

void batch_engine::start() {
  // The thread holds its own reference, so it can outlive a processor whose shutdown
  // timed out.
  engines::add(this, [&] { worker_ = std::thread([self = shared_from_this()] { self->run(); }); });
}

void batch_engine::close() noexcept {
  if (!stopping_.load()) shutdown(std::chrono::seconds(5));
  engines::remove(this);
  std::unique_lock lock(mutex_);
  bool exited = worker_exited_;
  lock.unlock();
  if (!worker_.joinable()) return;
  if (exited) {
    worker_.join();
  } else {
    // A hung export: leave the thread to finish; it holds its own reference.
    worker_.detach();
  }
}

void batch_engine::wake() noexcept {
  // exchange: only the first producer to see the worker asleep pays for the notify.
  if (worker_waiting_.load(std::memory_order_relaxed) && worker_waiting_.exchange(false)) {
    {
      std::lock_guard lock(mutex_);
      wake_requested_ = true;
    }
    wake_cv_.notify_one();
  }
}

// `timeout` from now, saturating (a caller may pass milliseconds::max()).
static steady_time deadline_in(std::chrono::milliseconds timeout) noexcept {
  const auto now = clock::now();
  const auto room =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock::time_point::max() - now);
  return timeout >= room ? clock::time_point::max() : now + timeout;
}

// Exports everything in the queue, batch by batch, each by its export_timeout but never
// past `limit` (the deadline of the flush or shutdown that waits). Returns false if any
// batch failed; `left` is how many records the limit left in the queue.
bool batch_engine::drain(steady_time limit, size_t& left) noexcept {
  bool ok = true;
  left = 0;
  for (;;) {
    const auto now = clock::now();
    if (now >= limit) {
      left = queued();
      return ok && left == 0;
    }
    export_result r = export_result::success;
    const size_t n = export_one_batch(std::min(limit, now + opts_.export_timeout), r);
    if (n == 0) return ok;
    if (r == export_result::success) {
      exported_.fetch_add(n, std::memory_order_relaxed);
    } else {
      ok = false;
      export_failed_.fetch_add(n, std::memory_order_relaxed);
      diag(diag_level::warning, component_,
           "export " + std::string(to_string(r)) + ": " + std::to_string(n) + " " + noun_ +
               " dropped");
    }
  }
}

void batch_engine::run() noexcept {
  auto next_export = clock::now() + opts_.schedule_delay;
  for (;;) {
    uint64_t flush_target, flush_seen;  // flush_done_ is written only by this thread
    bool stop;
    steady_time limit = steady_time::max();  // a regular cycle has only export_timeout
    {
      std::unique_lock lock(mutex_);
      worker_waiting_.store(true);
      wake_cv_.wait_until(lock, next_export, [&] {
        return wake_requested_ || flush_requested_ != flush_done_ || shutdown_requested_ ||
               queued() >= wake_threshold_;
      });
      worker_waiting_.store(false, std::memory_order_relaxed);
      wake_requested_ = false;
      flush_target = flush_requested_;
      flush_seen = flush_done_;
      stop = shutdown_requested_;
      if (stop)
        limit = shutdown_deadline_;
      else if (flush_target != flush_seen)
        limit = flush_deadline_;
    }
    size_t left = 0;
    bool ok = drain(limit, left);
    if (clock::now() >= next_export) next_export = clock::now() + opts_.schedule_delay;

    if (stop) {
      sdk_result r = shutdown_exporter(shutdown_deadline_);
      // What the deadline left unexported failed; records that raced in past the stopping
      // flag later are counted as dropped after shutdown.
      if (left > 0) {
        const size_t failed = discard_queued();
        export_failed_.fetch_add(failed, std::memory_order_relaxed);
        diag(diag_level::warning, component_,
             "shutdown deadline passed: " + std::to_string(failed) + " " + noun_ + " dropped");
      }
      dropped_after_shutdown_.fetch_add(discard_queued(), std::memory_order_relaxed);
      std::lock_guard lock(mutex_);
      shutdown_result_ = !ok ? sdk_result::failure : r;
      flush_done_ = flush_requested_;
      worker_exited_ = true;
      done_cv_.notify_all();
      return;
    }
    if (flush_target != flush_seen) {
      sdk_result r = flush_exporter(std::min(limit, clock::now() + opts_.export_timeout));
      std::lock_guard lock(mutex_);
      flush_failed_ = !ok || r != sdk_result::ok;
      flush_done_ = flush_target;
      done_cv_.notify_all();
    }
  }
}

// In a fork() child the export thread is gone: start a new one, with an empty queue
// (the records queued before fork are the parent's to export).
void batch_engine::restart_after_fork() noexcept {
  std::lock_guard lock(mutex_);
  if (!needs_restart_.load(std::memory_order_relaxed)) return;
  discard_queued();
  // The old std::thread names a thread that does not exist here: overwrite it, never join.
  new (&worker_) std::thread();
  flush_done_ = flush_requested_;
  wake_requested_ = false;
  if (!worker_exited_ && !shutdown_requested_) {
    try {
      worker_ = std::thread([self = shared_from_this()] { self->run(); });
    } catch (...) {
      worker_exited_ = true;
      stopping_.store(true);
    }
  }
  needs_restart_.store(false, std::memory_order_release);
}

sdk_result batch_engine::force_flush(std::chrono::milliseconds timeout) noexcept {
  if (needs_restart_.load(std::memory_order_relaxed)) restart_after_fork();
  std::unique_lock lock(mutex_);
  if (shutdown_requested_) return sdk_result::already_shutdown;
  uint64_t ticket = ++flush_requested_;
  const steady_time deadline = deadline_in(timeout);
  // Waiting flushes are served together: by the latest of their deadlines.
  if (flush_done_ + 1 == ticket || deadline > flush_deadline_) flush_deadline_ = deadline;
  wake_requested_ = true;
  wake_cv_.notify_one();
  bool done =
      done_cv_.wait_for(lock, timeout, [&] { return flush_done_ >= ticket || worker_exited_; });
  if (!done) return sdk_result::timeout;
  return flush_failed_ ? sdk_result::failure : sdk_result::ok;
}

sdk_result batch_engine::shutdown(std::chrono::milliseconds timeout) noexcept {
  if (needs_restart_.load(std::memory_order_relaxed)) restart_after_fork();
  if (stopping_.exchange(true)) return sdk_result::already_shutdown;
  std::unique_lock lock(mutex_);
  shutdown_requested_ = true;
  shutdown_deadline_ = deadline_in(timeout);
  wake_cv_.notify_one();
  bool exited = done_cv_.wait_for(lock, timeout, [&] { return worker_exited_; });
  if (!exited) {
    diag(diag_level::warning, component_,
         "shutdown timed out; the export thread is left to finish in the background");
    return sdk_result::timeout;
  }
  sdk_result r = shutdown_result_;
  lock.unlock();
  if (worker_.joinable()) worker_.join();
  return r;
}

batch_counts batch_engine::counts() const noexcept {
  batch_counts c;
  c.exported = exported_.load(std::memory_order_relaxed);
  c.export_failed = export_failed_.load(std::memory_order_relaxed);
  c.dropped_queue_full = dropped_full_.load();
  c.dropped_after_shutdown = dropped_after_shutdown_.load(std::memory_order_relaxed);
  c.queue_depth = queued();
  // A record that passed offer's shutdown check just before shutdown began can land in
  // the queue after the export thread's last sweep: once that thread is gone, it will
  // never be exported, so it counts as dropped after shutdown.
  std::lock_guard lock(mutex_);
  if (worker_exited_) {
    c.dropped_after_shutdown += c.queue_depth;
    c.queue_depth = 0;
  }
  return c;
}

}  // namespace agtel::detail
