// A span exporter whose behaviour a test controls: record, fail, or hang until released.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "agtel/export/span_exporter.hpp"

namespace agtel::test {

struct exporter_control {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<trace::span_ptr> spans;
  std::atomic<int> export_calls{0};
  std::atomic<int> shutdown_calls{0};
  std::atomic<int> flush_calls{0};
  bool fail = false;
  bool hang = false;   // export_spans blocks until release() (ignoring its deadline)
  std::atomic<bool> inside_export{false};

  void release() {
    std::lock_guard lock(mutex);
    hang = false;
    cv.notify_all();
  }
  size_t size() {
    std::lock_guard lock(mutex);
    return spans.size();
  }
};

class test_exporter final : public exporter::span_exporter {
 public:
  explicit test_exporter(std::shared_ptr<exporter_control> c) : c_(std::move(c)) {}

  export_result export_spans(std::span<const trace::span_ptr> batch, steady_time) noexcept override {
    c_->export_calls++;
    std::unique_lock lock(c_->mutex);
    c_->inside_export = true;
    c_->cv.wait(lock, [&] { return !c_->hang; });
    c_->inside_export = false;
    if (c_->fail) return export_result::failure;
    c_->spans.insert(c_->spans.end(), batch.begin(), batch.end());
    return export_result::success;
  }
  sdk_result force_flush(steady_time) noexcept override {
    c_->flush_calls++;
    return sdk_result::ok;
  }
  sdk_result shutdown(steady_time) noexcept override {
    c_->shutdown_calls++;
    return sdk_result::ok;
  }

 private:
  std::shared_ptr<exporter_control> c_;
};

}  // namespace agtel::test
