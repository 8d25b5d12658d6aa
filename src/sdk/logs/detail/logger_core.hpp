// What a logger handle points at: its scope, and the provider state it shares with the
// other loggers of the same provider.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "agtel/common/resource.hpp"
#include "agtel/logs/log_record_limits.hpp"
#include "agtel/logs/log_record_processor.hpp"
#include "agtel/logs/logger.hpp"

namespace agtel::logs::detail {

// Above every severity number: nothing passes.
inline constexpr uint8_t disabled_threshold = 255;

struct provider_state {
  agtel::resource resource;
  log_record_limits limits;
  std::vector<std::unique_ptr<log_record_processor>> processors;
  std::atomic<uint8_t> minimum{0};  // as configured (a severity number)
  // What logger::enabled compares against: max(1, minimum), or disabled_threshold after
  // shutdown or without processors. One load answers every reason to skip a record.
  std::atomic<uint8_t> threshold{disabled_threshold};
  std::atomic<bool> shut_down{false};
  std::mutex update_mutex;  // a minimum set while shutdown runs must not re-enable loggers

  void update_threshold() noexcept {
    std::lock_guard lock(update_mutex);
    const uint8_t m = minimum.load(std::memory_order_relaxed);
    threshold.store(
        shut_down.load() || processors.empty() ? disabled_threshold : (m < 1 ? uint8_t{1} : m),
        std::memory_order_relaxed);
  }
};

class logger_core {
 public:
  logger_core(provider_state* provider, instrumentation_scope scope)
      : provider_(provider), scope_(std::move(scope)) {}

  // Fills a pooled record and hands it to the processors. The caller checked enabled().
  void emit(const log_record& r, std::span<const attribute_view> more) const noexcept;

  logs::logger handle() const noexcept;
  const std::atomic<uint8_t>* threshold() const noexcept { return &provider_->threshold; }

 private:
  provider_state* provider_;
  instrumentation_scope scope_;
};

}  // namespace agtel::logs::detail
