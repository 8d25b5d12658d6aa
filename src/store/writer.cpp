// writer: the bounded queue and the thread that commits it (row_writer.cpp writes the
// rows). Group commit: the thread takes every batch queued (up to max_transaction_items),
// writes them in one transaction, and calls their `done` after COMMIT: one fsync covers
// many requests, which is what makes synchronous=FULL affordable.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <variant>

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
  std::variant<otlp::trace_batch, otlp::log_batch> batch;
  commit_callback done;
  size_t items = 0;
};

}  // namespace

struct writer::impl {
  writer_options options;
  row_writer rows;

  mutable std::mutex mu;
  std::condition_variable wake;  // the thread: work or stop
  std::condition_variable idle;  // drain(): the queue emptied
  std::deque<pending> queue;
  size_t queued_items = 0;  // queued plus being written
  size_t in_flight = 0;     // batches taken by the thread, `done` not yet called
  bool closed = false;      // submit answers `closed`
  bool stopping = false;    // the thread exits once the queue is empty

  std::atomic<uint64_t> spans_stored{0}, logs_stored{0}, batches_failed{0}, refused_full{0},
      transactions{0}, last_commit_ns{0}, total_commit_ns{0};

  std::thread thread;

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

  void run() {
    // A deque: growing it never moves a batch (std::vector would copy them, as moving a
    // std::deque may throw, and the spans point into the batch's own resource deque).
    std::deque<pending> work;
    std::string error;
    for (;;) {
      size_t items = 0;
      {
        std::unique_lock lock(mu);
        wake.wait(lock, [&] { return !queue.empty() || stopping; });
        if (queue.empty()) return;  // stopping, and nothing left
        while (!queue.empty() &&
               (work.empty() || items + queue.front().items <= options.max_transaction_items)) {
          items += queue.front().items;
          work.push_back(std::move(queue.front()));
          queue.pop_front();
        }
        in_flight = work.size();
      }
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
  }

  bool write(std::deque<pending>& work, std::string& error) {
    uint64_t spans = 0, logs = 0;
    bool ok = rows.begin(error);
    for (size_t i = 0; ok && i < work.size(); ++i) {
      if (auto* t = std::get_if<otlp::trace_batch>(&work[i].batch)) {
        ok = rows.write(*t, error);
        spans += work[i].items;
      } else {
        ok = rows.write(std::get<otlp::log_batch>(work[i].batch), error);
        logs += work[i].items;
      }
    }
    if (ok) ok = rows.commit(error);
    if (!ok) {
      rows.rollback();
      return false;
    }
    spans_stored.fetch_add(spans, std::memory_order_relaxed);
    logs_stored.fetch_add(logs, std::memory_order_relaxed);
    return true;
  }
};

writer::writer(std::unique_ptr<impl> p) : impl_(std::move(p)) {}

std::unique_ptr<writer> writer::open(const writer_options& options, std::string& error) {
  try {
    auto p = std::make_unique<impl>();
    p->options = options;
    if (p->options.max_transaction_items == 0) p->options.max_transaction_items = 1;
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
  try {
    pending p;
    p.items = batch.spans.size();
    p.batch = std::move(batch);
    p.done = std::move(done);
    return impl_->enqueue(std::move(p));
  } catch (...) {  // out of memory: refuse like a full queue
    impl_->refused_full.fetch_add(1, std::memory_order_relaxed);
    return submit_result::queue_full;
  }
}

submit_result writer::submit(otlp::log_batch&& batch, commit_callback done) {
  try {
    pending p;
    p.items = batch.records.size();
    p.batch = std::move(batch);
    p.done = std::move(done);
    return impl_->enqueue(std::move(p));
  } catch (...) {
    impl_->refused_full.fetch_add(1, std::memory_order_relaxed);
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
