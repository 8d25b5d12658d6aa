// The periodic reader: a thread that collects and exports every interval.
//
// fork(): the child inherits the reader's memory but not its thread. Every live reader is
// registered for pthread_atfork handlers, as the batch processors are
// (sdk/common/detail/fork_registry.hpp): `prepare` takes the reader's collection lock and state
// lock, so no collection or flush is half-way at the fork; in the child the condition
// variables are made afresh, pending flushes are forgotten (their waiters stayed in the
// parent), and a fresh export thread is started.
// What was recorded before the fork is the parent's to export. For a reader with any
// delta temporality, `prepare` first collects into a stash (in the parent, where every
// thread and lock is alive): the parent's thread exports the stash with its next
// collection, the child drops it, so the child's delta points hold only its own
// measurements. (A cumulative reader in the child continues from the totals it inherited,
// as cumulative data must; its points are the child's series from then on.)

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/metrics/metric_reader.hpp"
#include "sdk/common/detail/fork_registry.hpp"
#include "sdk/metrics/detail/provider_impl.hpp"

namespace agtel::metrics {

using clock = std::chrono::steady_clock;

// Shared by the reader and its thread, so that a thread left behind by a shutdown that
// timed out (a hung exporter or callback) still has valid state to finish with.
struct periodic_metric_reader::state : std::enable_shared_from_this<state> {
  state(std::unique_ptr<metric_exporter> e, periodic_metric_reader_options o,
        std::shared_ptr<detail::reader_link> l)
      : exporter(std::move(e)), opts(o), link(std::move(l)) {}

  const std::unique_ptr<metric_exporter> exporter;
  const periodic_metric_reader_options opts;
  const std::shared_ptr<detail::reader_link> link;

  std::mutex mutex;
  std::condition_variable wake_cv;  // the thread waits here
  std::condition_variable done_cv;  // flush and shutdown callers wait here
  uint64_t flush_requested = 0;
  uint64_t flush_done = 0;
  bool flush_ok = true;
  bool shutdown_requested = false;
  bool exited = false;
  clock::time_point shutdown_deadline;
  sdk_result shutdown_result = sdk_result::ok;
  std::thread worker;

  std::atomic<uint64_t> exports_ok{0};
  std::atomic<uint64_t> exports_failed{0};
  resource_metrics batch;  // the thread's; refilled on every collection

  // Collected at a fork (see above); written by `prepare` while !stash_pending, read by
  // the thread while stash_pending.
  resource_metrics fork_stash;
  std::atomic<bool> stash_pending{false};

  bool has_delta() const noexcept {
    for (aggregation_temporality t : link->temporality)
      if (t == aggregation_temporality::delta) return true;
    return false;
  }

  // Collects and exports once (after a stash left by a fork); false if an export failed.
  bool collect_and_export() noexcept {
    bool ok = true;
    if (stash_pending.load(std::memory_order_acquire)) {
      if (!fork_stash.scopes.empty()) ok = export_batch(fork_stash);
      stash_pending.store(false, std::memory_order_release);
    }
    if (!detail::collect(*link, batch) || batch.scopes.empty()) return ok;
    return export_batch(batch) && ok;
  }

  bool export_batch(const resource_metrics& b) noexcept {
    export_result r = exporter->export_metrics(b, clock::now() + opts.timeout);
    if (r == export_result::success) {
      exports_ok.fetch_add(1, std::memory_order_relaxed);
      return true;
    }
    exports_failed.fetch_add(1, std::memory_order_relaxed);
    agtel::detail::diag(diag_level::warning, "periodic_metric_reader",
                        "export " + std::string(to_string(r)) + "; this collection is dropped");
    return false;
  }

  void run() noexcept {
    auto next = clock::now() + opts.interval;
    uint64_t done = 0;
    for (;;) {
      uint64_t target;
      bool stop;
      {
        std::unique_lock lock(mutex);
        wake_cv.wait_until(lock, next,
                           [&] { return flush_requested != done || shutdown_requested; });
        target = flush_requested;
        stop = shutdown_requested;
      }
      const bool due = clock::now() >= next;
      bool ok = true;
      if (due || stop || target != done) ok = collect_and_export();
      if (due) next = clock::now() + opts.interval;

      if (stop) {
        link->shut_down.store(true, std::memory_order_release);
        sdk_result r = exporter->shutdown(shutdown_deadline);
        std::lock_guard lock(mutex);
        shutdown_result = ok ? r : sdk_result::failure;
        flush_done = flush_requested;
        exited = true;
        done_cv.notify_all();
        return;
      }
      if (target != done) {
        sdk_result r = exporter->force_flush(clock::now() + opts.timeout);
        std::lock_guard lock(mutex);
        flush_ok = ok && r == sdk_result::ok;
        flush_done = done = target;
        done_cv.notify_all();
      }
    }
  }
};

namespace {

using reader_state = periodic_metric_reader::state;

// What fork() does to every live periodic reader (sdk/common/detail/fork_registry.hpp).
struct fork_hooks {
  static void prepare(const std::vector<reader_state*>& readers) {
    for (auto* s : readers) {
      if (s->has_delta() && !s->stash_pending.load(std::memory_order_acquire) &&
          !s->link->shut_down.load(std::memory_order_acquire)) {
        detail::collect(*s->link, s->fork_stash);
        s->stash_pending.store(true, std::memory_order_release);
      }
    }
    for (auto* s : readers) {
      s->link->mutex.lock();  // the worker takes it alone (collect), never under s->mutex
      s->mutex.lock();
    }
  }
  static void parent(const std::vector<reader_state*>& readers) {
    for (auto* s : readers) {
      s->mutex.unlock();
      s->link->mutex.unlock();
    }
  }
  static void child(const std::vector<reader_state*>& readers) {
    for (auto* s : readers) {
      // The waiters recorded in the condition variables and the std::thread name threads
      // that do not exist here: start afresh, never join.
      new (&s->wake_cv) std::condition_variable;
      new (&s->done_cv) std::condition_variable;
      new (&s->worker) std::thread();
      s->flush_done = s->flush_requested;
      s->stash_pending.store(false, std::memory_order_relaxed);  // the parent's to export
      const bool restart = !s->shutdown_requested && !s->exited;
      s->mutex.unlock();
      s->link->mutex.unlock();
      if (!restart) continue;
      try {
        s->worker = std::thread([self = s->shared_from_this()] { self->run(); });
      } catch (...) {
        std::lock_guard lock(s->mutex);
        s->shutdown_requested = true;
        s->exited = true;
      }
    }
  }
};

using reader_registry = agtel::detail::fork_registry<reader_state, fork_hooks>;

periodic_metric_reader_options corrected(periodic_metric_reader_options o) {
  if (o.interval.count() <= 0) {
    agtel::detail::diag(diag_level::warning, "periodic_metric_reader",
                        "interval must be positive; using 60000 ms");
    o.interval = std::chrono::milliseconds(60000);
  }
  if (o.timeout.count() <= 0) {
    agtel::detail::diag(diag_level::warning, "periodic_metric_reader",
                        "timeout must be positive; using 30000 ms");
    o.timeout = std::chrono::milliseconds(30000);
  }
  return o;
}

// Stands in for a missing exporter: drops everything, says so once.
class null_exporter final : public metric_exporter {
 public:
  export_result export_metrics(const resource_metrics&, steady_time) noexcept override {
    return export_result::failure;
  }
  sdk_result shutdown(steady_time) noexcept override { return sdk_result::ok; }
};
}  // namespace

periodic_metric_reader::periodic_metric_reader(std::unique_ptr<metric_exporter> exporter,
                                               periodic_metric_reader_options options)
    : metric_reader(cumulative_temporality) {
  if (!exporter) {
    agtel::detail::diag(diag_level::error, "periodic_metric_reader",
                        "no exporter given; collections are dropped");
    exporter = std::make_unique<null_exporter>();
  }
  for (int k = 0; k < instrument_kind_count; ++k) {
    auto kind = static_cast<instrument_kind>(k);
    set_temporality(kind, exporter->preferred_temporality(kind));
  }
  state_ = std::make_shared<state>(std::move(exporter), corrected(options), shared_link());
  reader_registry::add(state_.get(),
                       [&] { state_->worker = std::thread([s = state_] { s->run(); }); });
}

periodic_metric_reader::~periodic_metric_reader() {
  reader_registry::remove(state_.get());
  if (state_->worker.get_id() == std::this_thread::get_id()) {
    // Destroyed on its own thread (it dropped the last reference to the provider): let the
    // loop end after this iteration.
    std::lock_guard lock(state_->mutex);
    state_->shutdown_requested = true;
    state_->shutdown_deadline = clock::now() + std::chrono::seconds(5);
    state_->worker.detach();
    return;
  }
  bool requested;
  {
    std::lock_guard lock(state_->mutex);
    requested = state_->shutdown_requested;
  }
  if (!requested) shutdown(std::chrono::seconds(5));
  std::unique_lock lock(state_->mutex);
  const bool exited = state_->exited;
  lock.unlock();
  if (!state_->worker.joinable()) return;
  if (exited)
    state_->worker.join();
  else
    state_->worker.detach();  // a hung export or callback: the thread holds its own state
}

sdk_result periodic_metric_reader::force_flush(std::chrono::milliseconds timeout) noexcept {
  std::unique_lock lock(state_->mutex);
  if (state_->shutdown_requested) return sdk_result::already_shutdown;
  const uint64_t target = ++state_->flush_requested;
  state_->wake_cv.notify_one();
  if (!state_->done_cv.wait_for(lock, timeout, [&] { return state_->flush_done >= target; }))
    return sdk_result::timeout;
  return state_->flush_ok ? sdk_result::ok : sdk_result::failure;
}

sdk_result periodic_metric_reader::shutdown(std::chrono::milliseconds timeout) noexcept {
  std::unique_lock lock(state_->mutex);
  if (state_->shutdown_requested) return sdk_result::already_shutdown;
  state_->shutdown_requested = true;
  state_->shutdown_deadline = clock::now() + timeout;
  state_->wake_cv.notify_one();
  if (!state_->done_cv.wait_for(lock, timeout, [&] { return state_->exited; })) {
    state_->link->shut_down.store(true, std::memory_order_release);
    return sdk_result::timeout;
  }
  return state_->shutdown_result;
}

periodic_metric_reader::stats periodic_metric_reader::export_stats() const noexcept {
  return {state_->exports_ok.load(), state_->exports_failed.load()};
}

const periodic_metric_reader_options& periodic_metric_reader::options() const noexcept {
  return state_->opts;
}

}  // namespace agtel::metrics
