#include "agtel/trace/tracer_provider.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <tuple>

#include "agtel/diagnostics.hpp"
#include "sdk/trace/detail/tracer_core.hpp"

namespace agtel::trace {

struct tracer_provider::impl {
  detail::provider_state state;
  std::mutex mutex;  // guards tracers
  // unique_ptr keeps each core at a stable address for the handles that point at it.
  std::map<std::tuple<std::string, std::string, std::string>, std::unique_ptr<detail::tracer_core>,
           std::less<>>
      tracers;
};

tracer_provider::tracer_provider(tracer_provider_options options) : impl_(std::make_unique<impl>()) {
  auto& s = impl_->state;
  s.resource = std::move(options.resource);
  s.sampler = options.sampler ? std::move(options.sampler) : parent_based_sampler(always_on_sampler());
  s.limits = options.limits;
  for (auto& p : options.processors)
    if (p) s.processors.push_back(std::move(p));
}

tracer_provider::~tracer_provider() {
  if (!impl_->state.shut_down.load()) shutdown(std::chrono::seconds(5));
}

tracer tracer_provider::get_tracer(std::string_view name, std::string_view version,
                                   std::string_view schema_url) {
  if (name.empty())
    agtel::detail::diag(diag_level::warning, "trace",
                        "get_tracer called with an empty name; using it as is");
  std::lock_guard lock(impl_->mutex);
  auto key = std::make_tuple(std::string(name), std::string(version), std::string(schema_url));
  auto it = impl_->tracers.find(key);
  if (it == impl_->tracers.end()) {
    instrumentation_scope scope{std::get<0>(key), std::get<1>(key), std::get<2>(key), {}};
    it = impl_->tracers
             .emplace(std::move(key), std::make_unique<detail::tracer_core>(&impl_->state, std::move(scope)))
             .first;
  }
  return tracer(it->second.get());
}

namespace {

// Runs `step` for each processor with what is left of one overall deadline.
template <class Step>
sdk_result for_each_within(std::vector<std::unique_ptr<span_processor>>& procs,
                           std::chrono::milliseconds timeout, Step step) noexcept {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  sdk_result worst = sdk_result::ok;
  for (auto& p : procs) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    sdk_result r = step(*p, std::max(left, std::chrono::milliseconds(0)));
    if (r != sdk_result::ok && worst == sdk_result::ok) worst = r;
  }
  return worst;
}

}  // namespace

sdk_result tracer_provider::force_flush(std::chrono::milliseconds timeout) noexcept {
  if (impl_->state.shut_down.load()) return sdk_result::already_shutdown;
  return for_each_within(impl_->state.processors, timeout,
                         [](span_processor& p, std::chrono::milliseconds t) { return p.force_flush(t); });
}

sdk_result tracer_provider::shutdown(std::chrono::milliseconds timeout) noexcept {
  if (impl_->state.shut_down.exchange(true)) return sdk_result::already_shutdown;
  return for_each_within(impl_->state.processors, timeout,
                         [](span_processor& p, std::chrono::milliseconds t) { return p.shutdown(t); });
}

const agtel::resource& tracer_provider::resource() const noexcept { return impl_->state.resource; }
const span_limits& tracer_provider::limits() const noexcept { return impl_->state.limits; }

namespace {

struct global_slot {
  std::mutex mutex;
  std::shared_ptr<tracer_provider> current;
  // Providers that were replaced stay alive so tracers taken from them never dangle.
  std::vector<std::shared_ptr<tracer_provider>> retired;
  std::atomic<uint64_t> generation{0};
};

global_slot& slot() {
  static global_slot* s = new global_slot;  // leaked: used until the very end of the process
  return *s;
}

}  // namespace

void set_global_tracer_provider(std::shared_ptr<tracer_provider> provider) noexcept {
  auto& s = slot();
  std::lock_guard lock(s.mutex);
  try {
    if (s.current) s.retired.push_back(std::move(s.current));
  } catch (...) {
    agtel::detail::diag(diag_level::error, "trace", "out of memory replacing the global provider");
    return;
  }
  s.current = std::move(provider);
  s.generation.fetch_add(1, std::memory_order_release);
}

uint64_t global_tracer_provider_generation() noexcept {
  return slot().generation.load(std::memory_order_acquire);
}

std::shared_ptr<tracer_provider> global_tracer_provider() noexcept {
  auto& s = slot();
  std::lock_guard lock(s.mutex);
  return s.current;
}

tracer get_tracer(std::string_view name, std::string_view version, std::string_view schema_url) {
  auto p = global_tracer_provider();
  return p ? p->get_tracer(name, version, schema_url) : tracer();
}

}  // namespace agtel::trace
