// Exporters whose behaviour a test controls, for spans and log records: they record each
// batch, fail, or hang until released; and `eventually`, for waiting on the export thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "agtel/export/span_exporter.hpp"
#include "agtel/logs/log_record_exporter.hpp"

namespace agtel::test {

// What the test sets and reads, shared with the exporter (which a processor owns).
template <class Ptr>
struct export_control {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<Ptr> items;              // every exported item, in export order
  std::vector<size_t> batch_sizes;     // of every successful export
  std::vector<steady_time> deadlines;  // of every export call
  std::atomic<int> export_calls{0};
  std::atomic<int> shutdown_calls{0};
  std::atomic<int> flush_calls{0};
  bool fail = false;
  bool hang = false;              // an export blocks until release() (ignoring its deadline)
  bool hang_to_deadline = false;  // with hang: gives up at its deadline, as a real exporter
  std::atomic<bool> inside_export{false};

  void release() {
    std::lock_guard lock(mutex);
    hang = false;
    cv.notify_all();
  }
  size_t size() {
    std::lock_guard lock(mutex);
    return items.size();
  }
  std::vector<Ptr> snapshot() {
    std::lock_guard lock(mutex);
    return items;
  }

  // The exporter's export call.
  export_result on_export(std::span<const Ptr> batch, steady_time deadline) {
    export_calls++;
    std::unique_lock lock(mutex);
    deadlines.push_back(deadline);
    inside_export = true;
    const bool released = hang_to_deadline ? cv.wait_until(lock, deadline, [&] { return !hang; })
                                           : (cv.wait(lock, [&] { return !hang; }), true);
    inside_export = false;
    if (!released) return export_result::timeout;
    if (fail) return export_result::failure;
    batch_sizes.push_back(batch.size());
    items.insert(items.end(), batch.begin(), batch.end());
    return export_result::success;
  }
};

using exporter_control = export_control<trace::span_ptr>;
using log_exporter_control = export_control<logs::log_record_ptr>;

// The calls other than export, for either signal's exporter interface.
template <class Base, class Ptr>
class controlled : public Base {
 public:
  explicit controlled(std::shared_ptr<export_control<Ptr>> c) : c_(std::move(c)) {}
  sdk_result force_flush(steady_time) noexcept override {
    c_->flush_calls++;
    return sdk_result::ok;
  }
  sdk_result shutdown(steady_time) noexcept override {
    c_->shutdown_calls++;
    return sdk_result::ok;
  }

 protected:
  std::shared_ptr<export_control<Ptr>> c_;
};

class test_exporter final : public controlled<exporter::span_exporter, trace::span_ptr> {
 public:
  using controlled::controlled;
  export_result export_spans(std::span<const trace::span_ptr> batch,
                             steady_time deadline) noexcept override {
    return c_->on_export(batch, deadline);
  }
};

class controlled_log_exporter final
    : public controlled<logs::log_record_exporter, logs::log_record_ptr> {
 public:
  using controlled::controlled;
  export_result export_logs(std::span<const logs::log_record_ptr> batch,
                            steady_time deadline) noexcept override {
    return c_->on_export(batch, deadline);
  }
};

// Polls `cond` every millisecond until it holds or `limit` passes; its last value.
inline bool eventually(const std::function<bool()>& cond,
                       std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return cond();
}

}  // namespace agtel::test
