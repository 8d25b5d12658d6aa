#include "agtel/trace/tracer_provider.hpp"

#include <map>
#include <mutex>
#include <tuple>

#include "agtel/diagnostics.hpp"
#include "sdk/common/detail/for_each_within.hpp"
#include "sdk/common/detail/global_slot.hpp"
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

tracer_provider::tracer_provider(tracer_provider_options options)
    : impl_(std::make_unique<impl>()) {
  auto& s = impl_->state;
  s.resource = std::move(options.resource);
  s.sampler =
      options.sampler ? std::move(options.sampler) : parent_based_sampler(always_on_sampler());
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
             .emplace(std::move(key),
                      std::make_unique<detail::tracer_core>(&impl_->state, std::move(scope)))
             .first;
  }
  return tracer(it->second.get());
}

sdk_result tracer_provider::force_flush(std::chrono::milliseconds timeout) noexcept {
  if (impl_->state.shut_down.load()) return sdk_result::already_shutdown;
  return agtel::detail::for_each_within(
      impl_->state.processors, timeout,
      [](span_processor& p, std::chrono::milliseconds t) { return p.force_flush(t); });
}

sdk_result tracer_provider::shutdown(std::chrono::milliseconds timeout) noexcept {
  if (impl_->state.shut_down.exchange(true)) return sdk_result::already_shutdown;
  return agtel::detail::for_each_within(
      impl_->state.processors, timeout,
      [](span_processor& p, std::chrono::milliseconds t) { return p.shutdown(t); });
}

const agtel::resource& tracer_provider::resource() const noexcept {
  return impl_->state.resource;
}
const span_limits& tracer_provider::limits() const noexcept {
  return impl_->state.limits;
}

namespace {

agtel::detail::global_slot<tracer_provider>& slot() {
  static auto* s = new agtel::detail::global_slot<tracer_provider>;  // see global_slot.hpp
  return *s;
}

}  // namespace

void set_global_tracer_provider(std::shared_ptr<tracer_provider> provider) noexcept {
  if (!slot().set(std::move(provider)))
    agtel::detail::diag(diag_level::error, "trace", "out of memory replacing the global provider");
}

uint64_t global_tracer_provider_generation() noexcept {
  return slot().generation();
}

std::shared_ptr<tracer_provider> global_tracer_provider() noexcept {
  return slot().get();
}

tracer get_tracer(std::string_view name, std::string_view version, std::string_view schema_url) {
  auto p = global_tracer_provider();
  return p ? p->get_tracer(name, version, schema_url) : tracer();
}

}  // namespace agtel::trace
