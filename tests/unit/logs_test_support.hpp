// For the logs tests: a log exporter whose behaviour a test controls (record, fail, or
// hang until released), and a provider wired to it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "agtel/logs/log_record_exporter.hpp"
#include "agtel/logs/logger_provider.hpp"

namespace agtel::test {

struct log_exporter_control {
  std::mutex mutex;
  std::condition_variable cv;
  std::vector<logs::log_record_ptr> records;
  std::vector<size_t> batch_sizes;
  std::atomic<int> shutdown_calls{0};
  std::atomic<int> flush_calls{0};
  bool fail = false;
  bool hang = false;  // export_logs blocks until release() (ignoring its deadline)

  void release() {
    std::lock_guard lock(mutex);
    hang = false;
    cv.notify_all();
  }
  size_t size() {
    std::lock_guard lock(mutex);
    return records.size();
  }
  std::vector<logs::log_record_ptr> snapshot() {
    std::lock_guard lock(mutex);
    return records;
  }
};

class controlled_log_exporter final : public logs::log_record_exporter {
 public:
  explicit controlled_log_exporter(std::shared_ptr<log_exporter_control> c) : c_(std::move(c)) {}

  export_result export_logs(std::span<const logs::log_record_ptr> batch,
                            steady_time) noexcept override {
    std::unique_lock lock(c_->mutex);
    c_->cv.wait(lock, [&] { return !c_->hang; });
    if (c_->fail) return export_result::failure;
    c_->batch_sizes.push_back(batch.size());
    c_->records.insert(c_->records.end(), batch.begin(), batch.end());
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
  std::shared_ptr<log_exporter_control> c_;
};

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
