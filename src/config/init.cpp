// agtel::sdk::init and shutdown: from an sdk_config to an installed tracer_provider and
// propagator.
#include "agtel/sdk/init.hpp"

#include <mutex>
#include <string>

#include "agtel/diagnostics.hpp"
#include "agtel/export/console_span_exporter.hpp"
#include "agtel/propagation/composite.hpp"
#include "agtel/trace/batch_span_processor.hpp"

namespace agtel::sdk {
namespace {

constexpr std::string_view component = "sdk";

struct sdk_state {
  std::mutex mutex;
  std::shared_ptr<trace::tracer_provider> provider;  // null: not initialized
};

sdk_state& state() {
  static sdk_state* s = new sdk_state;  // leaked: shutdown may run from static destructors
  return *s;
}

std::shared_ptr<trace::sampler> make_sampler(const sdk_config& c) {
  using k = sdk_config::sampler_kind;
  switch (c.sampler) {
    case k::always_on:
      return trace::always_on_sampler();
    case k::always_off:
      return trace::always_off_sampler();
    case k::traceidratio:
      return trace::trace_id_ratio_sampler(c.sampler_ratio);
    case k::parentbased_always_on:
      break;
    case k::parentbased_always_off:
      return trace::parent_based_sampler(trace::always_off_sampler());
    case k::parentbased_traceidratio:
      return trace::parent_based_sampler(trace::trace_id_ratio_sampler(c.sampler_ratio));
  }
  return trace::parent_based_sampler(trace::always_on_sampler());
}

// The SDK default, then the configured attributes, then the service name: each layer wins
// over the one before it where both set a key.
agtel::resource make_resource(const sdk_config& c) {
  agtel::resource configured;
  configured.attributes = c.resource_attributes;
  agtel::resource r = agtel::resource::sdk_default().merge(configured);
  if (!c.service_name.empty()) {
    agtel::resource service;
    service.attributes.set("service.name", c.service_name);
    r = r.merge(service);
  }
  return r;
}

void add_processors(const sdk_config& c, trace::tracer_provider_options& opts) {
  bool has_otlp = false;
  std::string others;
  for (auto kind : c.traces_exporters) {
    switch (kind) {
      case sdk_config::exporter_kind::console: {
        exporter::console_exporter_options o;
        o.format = c.console == sdk_config::console_format::json ? exporter::console_format::json
                                                                 : exporter::console_format::tree;
        opts.processors.push_back(std::make_unique<trace::batch_span_processor>(
            exporter::make_console_span_exporter(o), c.batch));
        others += others.empty() ? "console" : ", console";
        break;
      }
      case sdk_config::exporter_kind::otlp:
        has_otlp = true;
        break;
    }
  }
  if (has_otlp) {
    // Never pretend: the setting is accepted, and the missing exporter is said out loud.
    std::string msg =
        "OTEL_TRACES_EXPORTER=otlp: the OTLP exporter is not available in this build; ";
    msg += others.empty() ? "spans are not exported" : "spans go only to: " + others;
    detail::diag(diag_level::warning, component, msg);
  }
}

void install_propagator(const sdk_config& c) {
  // An empty list means "none" here; make_propagator reads an empty string as the default.
  std::string names;
  for (const auto& n : c.propagators) {
    if (!names.empty()) names += ',';
    names += n;
  }
  propagation::set_global_propagator(
      propagation::make_propagator(names.empty() ? std::string_view("none") : names));
}

}  // namespace

std::shared_ptr<trace::tracer_provider> init() noexcept {
  {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    if (s.provider) {
      detail::diag(diag_level::debug, component, "init: already initialized; nothing to do");
      return s.provider;
    }
  }
  return init(load_config());
}

std::shared_ptr<trace::tracer_provider> init(const sdk_config& config) noexcept {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  if (s.provider) {
    detail::diag(diag_level::debug, component,
                 "init: already initialized; the new configuration is ignored (call "
                 "agtel::sdk::shutdown() first to re-initialize)");
    return s.provider;
  }
  try {
    install_propagator(config);
    if (config.disabled) {
      detail::diag(diag_level::info, component,
                   "the SDK is disabled (OTEL_SDK_DISABLED); telemetry is not recorded");
      return nullptr;
    }
    trace::tracer_provider_options opts;
    opts.resource = make_resource(config);
    opts.sampler = make_sampler(config);
    opts.limits = config.limits;
    add_processors(config, opts);
    auto provider = std::make_shared<trace::tracer_provider>(std::move(opts));
    trace::set_global_tracer_provider(provider);
    s.provider = provider;
    return provider;
  } catch (...) {
    // Only allocation can fail here; the message is a literal so that reporting cannot.
    detail::diag(diag_level::error, component,
                 "init failed (out of memory); telemetry stays disabled");
  }
  return nullptr;
}

sdk_result shutdown(std::chrono::milliseconds timeout) noexcept {
  std::shared_ptr<trace::tracer_provider> provider;
  {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    provider = std::move(s.provider);
  }
  if (!provider) return sdk_result::already_shutdown;
  return provider->shutdown(timeout);
}

}  // namespace agtel::sdk
