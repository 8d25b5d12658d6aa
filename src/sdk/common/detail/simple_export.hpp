// The synchronous half of every signal's simple processor: exports one record at a time on
// the caller's thread, one export call at a time (the spec forbids concurrent calls), and
// nothing after shutdown. `Signal` is the same description batch_engine.hpp uses.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "agtel/common/result.hpp"
#include "agtel/common/time.hpp"
#include "agtel/diagnostics.hpp"

namespace agtel::detail {

template <class Signal>
class simple_export {
 public:
  using ptr = typename Signal::ptr;
  using exporter_type = typename Signal::exporter_type;

  simple_export(std::unique_ptr<exporter_type> e, std::chrono::milliseconds timeout,
                std::string_view component, std::string_view noun)
      : exporter_(std::move(e)), timeout_(timeout), component_(component), noun_(noun) {}

  void export_one(const ptr& record) noexcept {
    std::lock_guard lock(mutex_);
    if (shut_down_ || !exporter_) return;
    export_result r =
        Signal::export_batch(*exporter_, {&record, 1}, steady_time::clock::now() + timeout_);
    if (r != export_result::success)
      diag(diag_level::warning, component_,
           "export " + std::string(to_string(r)) + ": 1 " + noun_ + " dropped");
  }

  sdk_result force_flush(std::chrono::milliseconds timeout) noexcept {
    std::lock_guard lock(mutex_);
    if (shut_down_) return sdk_result::already_shutdown;
    return exporter_ ? exporter_->force_flush(steady_time::clock::now() + timeout) : sdk_result::ok;
  }

  sdk_result shutdown(std::chrono::milliseconds timeout) noexcept {
    std::lock_guard lock(mutex_);
    if (shut_down_) return sdk_result::already_shutdown;
    shut_down_ = true;
    return exporter_ ? exporter_->shutdown(steady_time::clock::now() + timeout) : sdk_result::ok;
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<exporter_type> exporter_;
  const std::chrono::milliseconds timeout_;
  const std::string component_;
  const std::string noun_;
  bool shut_down_ = false;
};

}  // namespace agtel::detail
