// One batching mechanism for every signal's batch processor (spans, log records).
//
// The application thread never blocks: a record is placed in a bounded, lock-free queue;
// when the queue is full the record is dropped and counted. A background export thread
// wakes every `schedule_delay`, or as soon as enough records wait, and exports batches of
// at most `max_export_batch_size`, each bounded by `export_timeout` and, for a flush or
// shutdown, by that call's deadline: past it the thread starts no export for the call
// (what a flush leaves waits for the next cycle; what a shutdown leaves failed).
//
// force_flush and shutdown return by their deadline even while an export hangs (the hung
// export is left to finish on its thread, which holds its own reference to the engine).
// Records offered after shutdown began are counted as dropped_after_shutdown.
//
// Safe across fork(): the child gets a fresh, empty queue and its own export thread (the
// parent's queued records are the parent's to export).
//
// Split in two: `batch_engine` is everything that does not depend on the record type
// (thread, wake-ups, flush/shutdown, fork, counters; compiled once in batch_engine.cpp),
// and `batch_queue<Signal>` adds the typed queue and exporter. A `Signal` names its types
// and how to export one batch:
//
//   struct span_signal {
//     using data = span_data; using ptr = span_ptr; using exporter_type = span_exporter;
//     static export_result export_batch(exporter_type&, std::span<const ptr>, steady_time)
//     noexcept;
//   };
//
// where `ptr` is a counted reference with static adopt(data*) and release().
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "agtel/common/result.hpp"
#include "agtel/common/time.hpp"
#include "sdk/common/detail/mpmc_queue.hpp"
#include "sdk/common/detail/striped_counter.hpp"

namespace agtel::detail {

struct batch_options {
  size_t max_queue_size = 2048;
  std::chrono::milliseconds schedule_delay{5000};
  std::chrono::milliseconds export_timeout{30000};
  size_t max_export_batch_size = 512;
};

// Every record offered is in exactly one of these (queue_depth while waiting).
struct batch_counts {
  uint64_t exported = 0;
  uint64_t export_failed = 0;
  uint64_t dropped_queue_full = 0;
  uint64_t dropped_after_shutdown = 0;
  uint64_t queue_depth = 0;
};

// Invalid options (zero sizes, batch larger than the queue, negative times) corrected and
// reported under `component`, never thrown.
batch_options corrected(batch_options o, std::string_view component);

class batch_engine : public std::enable_shared_from_this<batch_engine> {
 public:
  // `component` names the processor in diagnostics; `noun` the records ("spans").
  batch_engine(batch_options options, std::string_view component, std::string_view noun);
  virtual ~batch_engine();
  batch_engine(const batch_engine&) = delete;
  batch_engine& operator=(const batch_engine&) = delete;

  // Registers for fork() handling and starts the export thread. Call once, after
  // construction (the thread calls the typed virtuals below).
  void start();
  // For the owning processor's destructor: shuts down (5 s) unless done, then joins the
  // export thread, or detaches it if an export hangs.
  void close() noexcept;

  sdk_result force_flush(std::chrono::milliseconds timeout) noexcept;
  sdk_result shutdown(std::chrono::milliseconds timeout) noexcept;
  batch_counts counts() const noexcept;
  const batch_options& options() const noexcept { return opts_; }

 protected:
  // The producer's path, in batch_queue::offer: false (and counted) once shutdown began.
  bool admit() noexcept {
    if (needs_restart_.load(std::memory_order_relaxed)) [[unlikely]]
      restart_after_fork();
    if (stopping_.load(std::memory_order_relaxed)) [[unlikely]] {
      dropped_after_shutdown_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    return true;
  }
  // After a push: `fill` is the shard's fill, 0 when the queue was full (record dropped).
  void pushed(size_t fill) noexcept {
    if (fill == 0) [[unlikely]] {
      dropped_full_.add();
      wake();
    } else if (fill >= wake_threshold_) {
      wake();
    }
  }

  // The typed part, called on the export thread (and by restart_after_fork).
  // Pops up to max_export_batch_size records and exports them by `deadline`; returns
  // how many (0 when the queue was empty) and sets `result`.
  virtual size_t export_one_batch(steady_time deadline, export_result& result) noexcept = 0;
  // Releases every queued record; returns how many.
  virtual size_t discard_queued() noexcept = 0;
  virtual size_t queued() const noexcept = 0;
  virtual sdk_result flush_exporter(steady_time deadline) noexcept = 0;
  virtual sdk_result shutdown_exporter(steady_time deadline) noexcept = 0;

  // A push that leaves its shard this full wakes the exporter (set by the typed queue).
  size_t wake_threshold_ = 1;

 private:
  friend struct fork_handlers;
  void wake() noexcept;
  bool drain(steady_time limit, size_t& left) noexcept;
  void run() noexcept;
  void restart_after_fork() noexcept;

  const batch_options opts_;
  const std::string component_;
  const std::string noun_;

  // Read on every offer, written rarely: on a cache line of their own, away from what
  // the export thread writes on every cycle.
  alignas(64) std::atomic<bool> stopping_{false};
  std::atomic<bool> needs_restart_{false};  // set in a fork() child
  alignas(64) std::atomic<bool> worker_waiting_{false};

  mutable std::mutex mutex_;
  std::condition_variable wake_cv_;  // the export thread waits here
  std::condition_variable done_cv_;  // flush and shutdown callers wait here
  bool wake_requested_ = false;
  uint64_t flush_requested_ = 0;
  uint64_t flush_done_ = 0;
  bool flush_failed_ = false;
  steady_time flush_deadline_;  // the latest deadline of the flushes waiting
  bool shutdown_requested_ = false;
  bool worker_exited_ = false;
  std::chrono::steady_clock::time_point shutdown_deadline_;
  sdk_result shutdown_result_ = sdk_result::ok;
  std::thread worker_;

  striped_counter dropped_full_;
  std::atomic<uint64_t> dropped_after_shutdown_{0};
  std::atomic<uint64_t> exported_{0};
  std::atomic<uint64_t> export_failed_{0};
};

template <class Signal>
class batch_queue : public batch_engine {
 public:
  using data = typename Signal::data;
  using ptr = typename Signal::ptr;
  using exporter_type = typename Signal::exporter_type;

  batch_queue(std::unique_ptr<exporter_type> exporter, batch_options options,
              std::string_view component, std::string_view noun)
      : batch_engine(corrected(options, component), component, noun),
        exporter_(std::move(exporter)),
        queue_(this->options().max_queue_size) {
    wake_threshold_ = std::max<size_t>(1, std::min(this->options().max_export_batch_size,
                                                   queue_.capacity() / queue_.shard_count() / 2));
    batch_.reserve(this->options().max_export_batch_size);
  }
  ~batch_queue() override { discard_queued(); }

  // The application thread's whole path: never blocks, never throws.
  void offer(ptr record) noexcept {
    if (!admit()) return;
    data* raw = record.release();
    size_t fill = queue_.try_push(raw);
    if (fill == 0) [[unlikely]]
      ptr::adopt(raw);  // back to the pool
    pushed(fill);
  }

 private:
  size_t export_one_batch(steady_time deadline, export_result& result) noexcept override {
    data* p;
    while (batch_.size() < options().max_export_batch_size && queue_.try_pop(p))
      batch_.push_back(ptr::adopt(p));  // within the reserved capacity: no allocation
    const size_t n = batch_.size();
    if (n > 0)
      result =
          exporter_ ? Signal::export_batch(*exporter_, batch_, deadline) : export_result::failure;
    batch_.clear();  // the last references go back to the pool
    return n;
  }
  size_t discard_queued() noexcept override {
    size_t n = 0;
    data* p;
    while (queue_.try_pop(p)) {
      ptr::adopt(p);
      ++n;
    }
    return n;
  }
  size_t queued() const noexcept override { return queue_.approx_size(); }
  sdk_result flush_exporter(steady_time deadline) noexcept override {
    return exporter_ ? exporter_->force_flush(deadline) : sdk_result::ok;
  }
  sdk_result shutdown_exporter(steady_time deadline) noexcept override {
    return exporter_ ? exporter_->shutdown(deadline) : sdk_result::ok;
  }

  const std::unique_ptr<exporter_type> exporter_;
  sharded_queue<data*> queue_;
  // Used by the export thread only; its own cache line, so that filling it does not
  // invalidate the queue's line that producers read.
  alignas(64) std::vector<ptr> batch_;
};

}  // namespace agtel::detail
