#include "agtel/logs/logger_provider.hpp"

#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/logs/bridge.hpp"
#include "sdk/common/detail/for_each_within.hpp"
#include "sdk/common/detail/global_slot.hpp"
#include "sdk/logs/detail/logger_core.hpp"

namespace agtel::logs {

struct logger_provider::impl {
  detail::provider_state state;
  std::mutex mutex;  // guards loggers
  // unique_ptr keeps each core at a stable address for the handles that point at it.
  std::map<std::tuple<std::string, std::string, std::string>, std::unique_ptr<detail::logger_core>,
           std::less<>>
      loggers;
};

logger_provider::logger_provider(logger_provider_options options)
    : impl_(std::make_unique<impl>()) {
  auto& s = impl_->state;
  s.resource = std::move(options.resource);
  s.limits = options.limits;
  for (auto& p : options.processors)
    if (p) s.processors.push_back(std::move(p));
  s.minimum.store(static_cast<uint8_t>(options.minimum_severity));
  s.update_threshold();
}

logger_provider::~logger_provider() {
  if (!impl_->state.shut_down.load()) shutdown(std::chrono::seconds(5));
}

logger logger_provider::get_logger(std::string_view name, std::string_view version,
                                   std::string_view schema_url) {
  if (name.empty())
    agtel::detail::diag(diag_level::warning, "logs",
                        "get_logger called with an empty name; using it as is");
  std::lock_guard lock(impl_->mutex);
  auto key = std::make_tuple(std::string(name), std::string(version), std::string(schema_url));
  auto it = impl_->loggers.find(key);
  if (it == impl_->loggers.end()) {
    instrumentation_scope scope{std::get<0>(key), std::get<1>(key), std::get<2>(key), {}};
    it = impl_->loggers
             .emplace(std::move(key),
                      std::make_unique<detail::logger_core>(&impl_->state, std::move(scope)))
             .first;
  }
  return it->second->handle();
}

void logger_provider::set_minimum_severity(severity minimum) noexcept {
  impl_->state.minimum.store(static_cast<uint8_t>(minimum));
  impl_->state.update_threshold();
}

severity logger_provider::minimum_severity() const noexcept {
  return static_cast<severity>(impl_->state.minimum.load());
}

sdk_result logger_provider::force_flush(std::chrono::milliseconds timeout) noexcept {
  if (impl_->state.shut_down.load()) return sdk_result::already_shutdown;
  return agtel::detail::for_each_within(
      impl_->state.processors, timeout,
      [](log_record_processor& p, std::chrono::milliseconds t) { return p.force_flush(t); });
}

sdk_result logger_provider::shutdown(std::chrono::milliseconds timeout) noexcept {
  auto& s = impl_->state;
  if (s.shut_down.exchange(true)) return sdk_result::already_shutdown;
  s.update_threshold();  // loggers stop before the processors do
  return agtel::detail::for_each_within(
      s.processors, timeout,
      [](log_record_processor& p, std::chrono::milliseconds t) { return p.shutdown(t); });
}

const agtel::resource& logger_provider::resource() const noexcept {
  return impl_->state.resource;
}
const log_record_limits& logger_provider::limits() const noexcept {
  return impl_->state.limits;
}

namespace {

struct global_state {
  agtel::detail::global_slot<logger_provider> slot;
  // The global provider's bridge logger, resolved once per provider (bridge_log's path
  // is one atomic load, not a map lookup).
  // Every bridge logger ever installed stays allocated (like its provider, which the slot
  // keeps alive), so a thread that loaded an older pointer can still use it.
  std::atomic<const logger*> bridge{nullptr};
  std::vector<std::unique_ptr<logger>> bridges;  // guarded by set_mutex
  std::mutex set_mutex;                          // orders set_global_logger_provider calls
};

global_state& global() {
  static auto* g = new global_state;  // leaked: used until the very end of the process
  return *g;
}

}  // namespace

void set_global_logger_provider(std::shared_ptr<logger_provider> provider) noexcept {
  auto& g = global();
  std::lock_guard lock(g.set_mutex);
  const logger* bridge = nullptr;
  try {
    if (provider) {
      g.bridges.push_back(std::make_unique<logger>(provider->get_logger(bridge_scope_name)));
      bridge = g.bridges.back().get();
    }
  } catch (...) {
    agtel::detail::diag(diag_level::error, "logs", "out of memory installing the global provider");
    return;
  }
  if (!g.slot.set(std::move(provider))) {
    agtel::detail::diag(diag_level::error, "logs", "out of memory replacing the global provider");
    return;
  }
  g.bridge.store(bridge, std::memory_order_release);
}

std::shared_ptr<logger_provider> global_logger_provider() noexcept {
  return global().slot.get();
}

logger get_logger(std::string_view name, std::string_view version, std::string_view schema_url) {
  auto p = global_logger_provider();
  return p ? p->get_logger(name, version, schema_url) : logger();
}

logger bridge_logger() noexcept {
  const logger* l = global().bridge.load(std::memory_order_acquire);
  return l ? *l : logger();
}

}  // namespace agtel::logs
