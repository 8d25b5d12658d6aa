// What a logger handle points at: its scope, and the provider state it shares with the
// other loggers of the same provider.
#pragma once

#include <algorithm>
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

// Above every severity number, even an out-of-range byte such as severity(255): nothing
// passes.
inline constexpr uint16_t disabled_threshold = 256;

struct provider_state {
  agtel::resource resource;
  log_record_limits limits;
  std::vector<std::unique_ptr<log_record_processor>> processors;
  std::atomic<uint8_t> minimum{0};  // as configured (a severity number)
  // What logger::enabled compares against: max(1, minimum), or disabled_threshold after
  // shutdown or without processors. One load answers every reason to skip a record.
  std::atomic<uint16_t> threshold{disabled_threshold};
  std::atomic<bool> shut_down{false};
  std::mutex update_mutex;  // a minimum set while shutdown runs must not re-enable loggers

  void update_threshold() noexcept {
    std::lock_guard lock(update_mutex);
    const uint16_t m = std::max<uint8_t>(minimum.load(std::memory_order_relaxed), 1);
    threshold.store(shut_down.load() || processors.empty() ? disabled_threshold : m,
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
  const std::atomic<uint16_t>* threshold() const noexcept { return &provider_->threshold; }

 private:
  provider_state* provider_;
  instrumentation_scope scope_;
};

}  // namespace agtel::logs::detail
