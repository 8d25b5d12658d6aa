// agtel::sdk::init and shutdown: from an sdk_config to an installed tracer_provider, meter
// provider, logger provider and propagator.
#include "agtel/sdk/init.hpp"

#include <mutex>
#include <string>
#include <vector>

#include "agtel/diagnostics.hpp"
#include "agtel/export/console_span_exporter.hpp"
#include "agtel/export/jsonl_exporter.hpp"
#include "agtel/export/otlp_exporter.hpp"
#include "agtel/export/prometheus_exporter.hpp"
#include "agtel/logs/batch_log_record_processor.hpp"
#include "agtel/logs/logger_provider.hpp"
#include "agtel/metrics/metric_reader.hpp"
#include "agtel/propagation/composite.hpp"
#include "agtel/trace/batch_span_processor.hpp"

namespace agtel::sdk {
namespace {

constexpr std::string_view component = "sdk";

struct sdk_state {
  std::mutex mutex;
  std::shared_ptr<trace::tracer_provider> provider;  // null: not initialized
  std::shared_ptr<metrics::meter_provider> meters;   // null: no metrics exporter
  std::shared_ptr<logs::logger_provider> loggers;    // null: no logs exporter
  std::shared_ptr<exporter::prometheus_exporter> prometheus;
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

// The OTLP exporters' own counts, exported as metrics once the meter provider exists
// (exporter::observe_otlp_exporter).
using stats_sources = std::vector<std::shared_ptr<const exporter::otlp_exporter_stats_source>>;

template <class Exporter>
std::unique_ptr<Exporter> keeping_stats(std::unique_ptr<Exporter> e, stats_sources& sources) {
  if (e) {
    if (auto source = exporter::otlp_stats(*e)) sources.push_back(std::move(source));
  }
  return e;
}

void add_processors(const sdk_config& c, trace::tracer_provider_options& opts,
                    stats_sources& sources) {
  auto add = [&](std::unique_ptr<exporter::span_exporter> e) {
    opts.processors.push_back(std::make_unique<trace::batch_span_processor>(std::move(e), c.batch));
  };
  for (auto kind : c.traces_exporters) {
    switch (kind) {
      case sdk_config::exporter_kind::console: {
        exporter::console_exporter_options o;
        o.format = c.console == sdk_config::console_format::json ? exporter::console_format::json
                                                                 : exporter::console_format::tree;
        add(exporter::make_console_span_exporter(o));
        break;
      }
      case sdk_config::exporter_kind::otlp:
        add(keeping_stats(
            exporter::make_otlp_span_exporter(otlp_options_for(c, telemetry_signal::traces)),
            sources));
        break;
      case sdk_config::exporter_kind::jsonl:
        add(exporter::make_jsonl_span_exporter(c.jsonl));
        break;
      case sdk_config::exporter_kind::prometheus:
        break;  // not a span exporter (the config readers refuse it for traces)
    }
  }
}

// The meter provider with one reader per metrics exporter; nullptr when there is none.
std::shared_ptr<metrics::meter_provider> make_meter_provider(
    const sdk_config& c, const agtel::resource& resource,
    std::shared_ptr<exporter::prometheus_exporter>& prometheus, stats_sources& sources) {
  metrics::meter_provider_options opts;
  opts.resource = resource;
  opts.exemplars = c.exemplar_filter;
  const metrics::periodic_metric_reader_options periodic{.interval = c.metric_export_interval,
                                                         .timeout = c.metric_export_timeout};
  for (auto kind : c.metrics_exporters) {
    switch (kind) {
      case sdk_config::exporter_kind::otlp:
        opts.readers.push_back(std::make_shared<metrics::periodic_metric_reader>(
            keeping_stats(
                exporter::make_otlp_metric_exporter(otlp_options_for(c, telemetry_signal::metrics),
                                                    temporality_for(c.metrics_temporality)),
                sources),
            periodic));
        break;
      case sdk_config::exporter_kind::jsonl:
        opts.readers.push_back(std::make_shared<metrics::periodic_metric_reader>(
            exporter::make_jsonl_metric_exporter(c.jsonl, temporality_for(c.metrics_temporality)),
            periodic));
        break;
      case sdk_config::exporter_kind::prometheus: {
        exporter::prometheus_exporter_options o;
        o.host = c.prometheus_host;
        o.port = c.prometheus_port;
        prometheus = std::make_shared<exporter::prometheus_exporter>(o);
        opts.readers.push_back(prometheus->reader());
        break;
      }
      case sdk_config::exporter_kind::console:
        // Never pretend: the setting is accepted, and the missing exporter is said out loud.
        detail::diag(diag_level::warning, component,
                     "OTEL_METRICS_EXPORTER=console: agtel has no console metric exporter "
                     "yet; metrics are not printed");
        break;
    }
  }
  if (opts.readers.empty()) return nullptr;
  auto provider = std::make_shared<metrics::meter_provider>(std::move(opts));
  if (prometheus && !prometheus->start())
    detail::diag(diag_level::error, component,
                 "the Prometheus endpoint could not start on " + c.prometheus_host + ":" +
                     std::to_string(c.prometheus_port) + "; /metrics is not served");
  return provider;
}

// The logger provider with one batch processor per logs exporter; nullptr when there is
// none (loggers then stay disabled, and cost one load per call).
std::shared_ptr<logs::logger_provider> make_logger_provider(const sdk_config& c,
                                                            const agtel::resource& resource,
                                                            stats_sources& sources) {
  logs::logger_provider_options opts;
  opts.resource = resource;
  opts.limits = c.log_limits;
  auto add = [&](std::unique_ptr<logs::log_record_exporter> e) {
    opts.processors.push_back(
        std::make_unique<logs::batch_log_record_processor>(std::move(e), c.log_batch));
  };
  for (auto kind : c.logs_exporters) {
    switch (kind) {
      case sdk_config::exporter_kind::otlp:
        add(keeping_stats(
            exporter::make_otlp_log_exporter(otlp_options_for(c, telemetry_signal::logs)),
            sources));
        break;
      case sdk_config::exporter_kind::jsonl:
        add(exporter::make_jsonl_log_exporter(c.jsonl));
        break;
      case sdk_config::exporter_kind::console:
        detail::diag(diag_level::warning, component,
                     "OTEL_LOGS_EXPORTER=console: agtel has no console log exporter yet; log "
                     "records are not printed");
        break;
      case sdk_config::exporter_kind::prometheus:
        break;  // not a log exporter (the config readers refuse it for logs)
    }
  }
  if (opts.processors.empty()) return nullptr;
  return std::make_shared<logs::logger_provider>(std::move(opts));
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
    stats_sources sources;
    s.meters = make_meter_provider(config, opts.resource, s.prometheus, sources);
    if (s.meters) metrics::set_global_meter_provider(s.meters);
    s.loggers = make_logger_provider(config, opts.resource, sources);
    if (s.loggers) logs::set_global_logger_provider(s.loggers);
    opts.sampler = make_sampler(config);
    opts.limits = config.limits;
    add_processors(config, opts, sources);
    // With a metrics exporter, the OTLP exporters' counts (otel.sdk.exporter.*) are
    // exported like any other metric.
    if (s.meters)
      for (auto& source : sources) exporter::observe_otlp_exporter(*s.meters, std::move(source));
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
  std::shared_ptr<metrics::meter_provider> meters;
  std::shared_ptr<logs::logger_provider> loggers;
  std::shared_ptr<exporter::prometheus_exporter> prometheus;
  {
    auto& s = state();
    std::lock_guard lock(s.mutex);
    provider = std::move(s.provider);
    meters = std::move(s.meters);
    loggers = std::move(s.loggers);
    prometheus = std::move(s.prometheus);
  }
  if (!provider) return sdk_result::already_shutdown;
  // One deadline for all three providers: traces first (spans queue up), then logs, then
  // metrics (their final collection and export), each with the time the others left.
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const auto left = [&] {
    return std::max(std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now()),
                    std::chrono::milliseconds(0));
  };
  sdk_result r = provider->shutdown(timeout);
  if (loggers) {
    sdk_result l = loggers->shutdown(left());
    if (logs::global_logger_provider() == loggers) logs::set_global_logger_provider(nullptr);
    if (r == sdk_result::ok) r = l;
  }
  if (meters) {
    sdk_result m = meters->shutdown(left());
    if (metrics::global_meter_provider() == meters) metrics::set_global_meter_provider(nullptr);
    if (r == sdk_result::ok) r = m;
  }
  if (prometheus) prometheus->stop();
  return r;
}

}  // namespace agtel::sdk
