#include "agtel/trace/batch_span_processor.hpp"

#include <pthread.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "sdk/common/detail/mpmc_queue.hpp"
#include "sdk/common/detail/striped_counter.hpp"

namespace agtel::trace {

using clock = std::chrono::steady_clock;

// Shared by the processor and its export thread, so that a thread left behind by a
// shutdown that timed out still has valid state to finish with.
struct batch_span_processor::state : std::enable_shared_from_this<state> {
  state(std::unique_ptr<exporter::span_exporter> e, batch_span_processor_options o)
      : opts(o), exporter(std::move(e)), queue(o.max_queue_size),
        wake_threshold(std::max<size_t>(1, std::min(o.max_export_batch_size,
                                                    queue.capacity() / queue.shard_count() / 2))) {}
  ~state() {
    span_data* p;
    while (queue.try_pop(p)) span_ptr::adopt(p);  // release what nobody exported
  }

  const batch_span_processor_options opts;
  const std::unique_ptr<exporter::span_exporter> exporter;
  agtel::detail::sharded_queue<span_data*> queue;
  const size_t wake_threshold;  // a push that leaves its shard this full wakes the exporter

  // Read on every on_end; written rarely.
  std::atomic<bool> stopping{false};
  std::atomic<bool> worker_waiting{false};
  std::atomic<bool> needs_restart{false};  // set in a fork() child

  std::mutex mutex;
  std::condition_variable wake_cv;  // the export thread waits here
  std::condition_variable done_cv;  // flush and shutdown callers wait here
  bool wake_requested = false;
  uint64_t flush_requested = 0;
  uint64_t flush_done = 0;
  bool flush_failed = false;
  bool shutdown_requested = false;
  bool worker_exited = false;
  clock::time_point shutdown_deadline;
  sdk_result shutdown_result = sdk_result::ok;
  std::thread worker;

  agtel::detail::striped_counter dropped_full;
  std::atomic<uint64_t> dropped_after_shutdown{0};
  std::atomic<uint64_t> exported{0};
  std::atomic<uint64_t> export_failed{0};

  void wake() noexcept {
    // exchange: only the first producer to see the worker asleep pays for the notify.
    if (worker_waiting.load(std::memory_order_relaxed) && worker_waiting.exchange(false)) {
      {
        std::lock_guard lock(mutex);
        wake_requested = true;
      }
      wake_cv.notify_one();
    }
  }

  // The thread holds its own reference, so it can outlive a processor whose shutdown timed out.
  void start_worker() {
    worker = std::thread([self = shared_from_this()] { self->run(); });
  }

  // Exports everything in the queue, in batches of at most max_export_batch_size.
  // Returns false if any batch failed.
  bool drain(std::vector<span_ptr>& batch) noexcept {
    bool ok = true;
    for (;;) {
      span_data* p;
      while (batch.size() < opts.max_export_batch_size && queue.try_pop(p))
        batch.push_back(span_ptr::adopt(p));
      if (batch.empty()) return ok;
      export_result r = exporter->export_spans(batch, clock::now() + opts.export_timeout);
      if (r == export_result::success) {
        exported.fetch_add(batch.size(), std::memory_order_relaxed);
      } else {
        ok = false;
        export_failed.fetch_add(batch.size(), std::memory_order_relaxed);
        agtel::detail::diag(diag_level::warning, "batch_span_processor",
                            "export " + std::string(to_string(r)) + ": " +
                                std::to_string(batch.size()) + " spans dropped");
      }
      batch.clear();  // the last references go back to the pool
    }
  }

  void run() noexcept {
    std::vector<span_ptr> batch;
    batch.reserve(opts.max_export_batch_size);
    auto next_export = clock::now() + opts.schedule_delay;
    for (;;) {
      uint64_t flush_target, flush_seen;  // flush_done is written only by this thread
      bool stop;
      {
        std::unique_lock lock(mutex);
        worker_waiting.store(true);
        wake_cv.wait_until(lock, next_export, [&] {
          return wake_requested || flush_requested != flush_done || shutdown_requested ||
                 queue.approx_size() >= wake_threshold;
        });
        worker_waiting.store(false, std::memory_order_relaxed);
        wake_requested = false;
        flush_target = flush_requested;
        flush_seen = flush_done;
        stop = shutdown_requested;
      }
      bool ok = drain(batch);
      if (clock::now() >= next_export) next_export = clock::now() + opts.schedule_delay;

      if (stop) {
        sdk_result r = exporter->shutdown(shutdown_deadline);
        // Spans that raced in past the stopping flag are counted, not exported.
        span_data* p;
        while (queue.try_pop(p)) {
          span_ptr::adopt(p);
          dropped_after_shutdown.fetch_add(1, std::memory_order_relaxed);
        }
        std::lock_guard lock(mutex);
        shutdown_result = !ok ? sdk_result::failure : r;
        flush_done = flush_requested;
        worker_exited = true;
        done_cv.notify_all();
        return;
      }
      if (flush_target != flush_seen) {
        sdk_result r = exporter->force_flush(clock::now() + opts.export_timeout);
        std::lock_guard lock(mutex);
        flush_failed = !ok || r != sdk_result::ok;
        flush_done = flush_target;
        done_cv.notify_all();
      }
    }
  }

  // In a fork() child the export thread is gone: start a new one, with an empty queue
  // (the spans queued before fork are the parent's to export).
  void restart_after_fork() noexcept {
    std::lock_guard lock(mutex);
    if (!needs_restart.load(std::memory_order_relaxed)) return;
    span_data* p;
    while (queue.try_pop(p)) span_ptr::adopt(p);
    // The old std::thread names a thread that does not exist here: overwrite it, never join.
    new (&worker) std::thread();
    flush_done = flush_requested;
    wake_requested = false;
    if (!worker_exited && !shutdown_requested) {
      try {
        start_worker();
      } catch (...) {
        worker_exited = true;
        stopping.store(true);
      }
    }
    needs_restart.store(false, std::memory_order_release);
  }
};

namespace {

// Every live processor state, so fork() can keep their locks consistent.
struct fork_registry {
  std::mutex mutex;
  std::vector<batch_span_processor::state*> states;
};

fork_registry& registry() {
  static fork_registry* r = [] {
    auto* reg = new fork_registry;  // leaked: fork handlers may run during exit
    pthread_atfork(
        [] {
          registry().mutex.lock();
          for (auto* s : registry().states) s->mutex.lock();
        },
        [] {
          for (auto* s : registry().states) s->mutex.unlock();
          registry().mutex.unlock();
        },
        [] {
          for (auto* s : registry().states) {
            // A condition variable may have recorded the vanished export thread as a
            // waiter: start the child's copy afresh.
            new (&s->wake_cv) std::condition_variable;
            new (&s->done_cv) std::condition_variable;
            s->worker_waiting.store(false, std::memory_order_relaxed);
            s->needs_restart.store(true, std::memory_order_relaxed);
            s->mutex.unlock();
          }
          registry().mutex.unlock();
        });
    return reg;
  }();
  return *r;
}

batch_span_processor_options corrected(batch_span_processor_options o) {
  auto fix = [](const char* what, size_t& v, size_t fallback) {
    if (v == 0) {
      agtel::detail::diag(diag_level::warning, "batch_span_processor",
                          std::string(what) + " must be positive; using " + std::to_string(fallback));
      v = fallback;
    }
  };
  fix("max_queue_size", o.max_queue_size, 2048);
  fix("max_export_batch_size", o.max_export_batch_size, 512);
  if (o.max_export_batch_size > o.max_queue_size) {
    agtel::detail::diag(diag_level::warning, "batch_span_processor",
                        "max_export_batch_size exceeds max_queue_size; using max_queue_size");
    o.max_export_batch_size = o.max_queue_size;
  }
  if (o.schedule_delay.count() <= 0) o.schedule_delay = std::chrono::milliseconds(1);
  if (o.export_timeout.count() < 0) o.export_timeout = std::chrono::milliseconds(0);
  return o;
}

}  // namespace

batch_span_processor::batch_span_processor(std::unique_ptr<exporter::span_exporter> exporter,
                                           batch_span_processor_options options)
    : state_(std::make_shared<state>(std::move(exporter), corrected(options))) {
  auto& reg = registry();
  std::lock_guard lock(reg.mutex);
  reg.states.push_back(state_.get());
  state_->start_worker();
}

batch_span_processor::~batch_span_processor() {
  if (!state_->stopping.load()) shutdown(std::chrono::seconds(5));
  {
    auto& reg = registry();
    std::lock_guard lock(reg.mutex);
    std::erase(reg.states, state_.get());
  }
  std::unique_lock lock(state_->mutex);
  bool exited = state_->worker_exited;
  lock.unlock();
  if (!state_->worker.joinable()) return;
  if (exited) {
    state_->worker.join();
  } else {
    // A hung export: leave the thread to finish; it holds its own reference to the state.
    state_->worker.detach();
  }
}

void batch_span_processor::on_end(span_ptr span) noexcept {
  state& s = *state_;
  if (!span->context.sampled()) return;  // recorded for processors, not for export
  if (s.needs_restart.load(std::memory_order_relaxed)) [[unlikely]]
    s.restart_after_fork();
  if (s.stopping.load(std::memory_order_relaxed)) [[unlikely]] {
    s.dropped_after_shutdown.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  span_data* raw = span.release();
  size_t fill = s.queue.try_push(raw);
  if (fill == 0) [[unlikely]] {
    span_ptr::adopt(raw);  // back to the pool
    s.dropped_full.add();
    s.wake();
    return;
  }
  if (fill >= s.wake_threshold) s.wake();
}

sdk_result batch_span_processor::force_flush(std::chrono::milliseconds timeout) noexcept {
  state& s = *state_;
  if (s.needs_restart.load(std::memory_order_relaxed)) s.restart_after_fork();
  std::unique_lock lock(s.mutex);
  if (s.shutdown_requested) return sdk_result::already_shutdown;
  uint64_t ticket = ++s.flush_requested;
  s.wake_requested = true;
  s.wake_cv.notify_one();
  bool done = s.done_cv.wait_for(lock, timeout, [&] { return s.flush_done >= ticket || s.worker_exited; });
  if (!done) return sdk_result::timeout;
  return s.flush_failed ? sdk_result::failure : sdk_result::ok;
}

sdk_result batch_span_processor::shutdown(std::chrono::milliseconds timeout) noexcept {
  state& s = *state_;
  if (s.needs_restart.load(std::memory_order_relaxed)) s.restart_after_fork();
  if (s.stopping.exchange(true)) return sdk_result::already_shutdown;
  std::unique_lock lock(s.mutex);
  s.shutdown_requested = true;
  s.shutdown_deadline = clock::now() + timeout;
  s.wake_cv.notify_one();
  bool exited = s.done_cv.wait_for(lock, timeout, [&] { return s.worker_exited; });
  if (!exited) {
    agtel::detail::diag(diag_level::warning, "batch_span_processor",
                        "shutdown timed out; the export thread is left to finish in the background");
    return sdk_result::timeout;
  }
  sdk_result r = s.shutdown_result;
  lock.unlock();
  if (s.worker.joinable()) s.worker.join();
  return r;
}

batch_span_processor_stats batch_span_processor::stats() const noexcept {
  state& s = *state_;
  batch_span_processor_stats st;
  st.exported = s.exported.load(std::memory_order_relaxed);
  st.export_failed = s.export_failed.load(std::memory_order_relaxed);
  st.dropped_queue_full = s.dropped_full.load();
  st.dropped_after_shutdown = s.dropped_after_shutdown.load(std::memory_order_relaxed);
  st.queue_depth = s.queue.approx_size();
  // A span that passed on_end's shutdown check just before shutdown began can land in the
  // queue after the export thread's last sweep: once that thread is gone, such a span will
  // never be exported, so it counts as dropped after shutdown.
  std::lock_guard lock(s.mutex);
  if (s.worker_exited) {
    st.dropped_after_shutdown += st.queue_depth;
    st.queue_depth = 0;
  }
  return st;
}

const batch_span_processor_options& batch_span_processor::options() const noexcept {
  return state_->opts;
}

}  // namespace agtel::trace
