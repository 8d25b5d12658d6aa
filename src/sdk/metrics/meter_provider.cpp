#include "agtel/metrics/meter_provider.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>

#include "agtel/diagnostics.hpp"
#include "agtel/metrics/buckets.hpp"
#include "agtel/version.hpp"
#include "sdk/common/detail/for_each_within.hpp"
#include "sdk/common/detail/global_slot.hpp"
#include "sdk/metrics/detail/exponential_histogram.hpp"
#include "sdk/metrics/detail/provider_impl.hpp"

namespace agtel::metrics {
namespace {

using detail::aggregation_kind;
using detail::stream_config;

constexpr std::string_view self_scope = "agtel.sdk";

void report(const std::string& message) {
  agtel::detail::diag(diag_level::error, "metrics", message);
}

bool valid_bounds(const std::vector<double>& b) {
  for (size_t i = 0; i < b.size(); ++i) {
    if (!std::isfinite(b[i])) return false;
    if (i > 0 && !(b[i - 1] < b[i])) return false;
  }
  return true;
}

bool has_wildcard(std::string_view s) {
  return s.find_first_of("*?") != std::string_view::npos;
}

// Drops views that cannot work, and normalizes the rest (sorted keys, sane limits).
std::vector<view> checked_views(std::vector<view> views) {
  std::vector<view> out;
  for (auto& v : views) {
    if (!v.name.empty() && (v.selector.name.empty() || has_wildcard(v.selector.name))) {
      report("view renaming to '" + v.name +
             "' has a selector that can match several instruments; view ignored");
      continue;
    }
    if (auto* h = std::get_if<explicit_bucket_histogram_aggregation>(&v.aggregation)) {
      if (!valid_bounds(h->bounds)) {
        report("view for '" + v.selector.name +
               "': bucket bounds must be finite and strictly increasing; using the default bounds");
        h->bounds.clear();
      }
    }
    if (auto* e = std::get_if<exponential_histogram_aggregation>(&v.aggregation)) {
      if (e->max_size < 2 || e->max_scale < detail::exp_min_scale ||
          e->max_scale > detail::exp_max_scale) {
        report(
            "view for '" + v.selector.name +
            "': exponential histogram needs max_size >= 2 and max_scale in [-10, 20]; corrected");
        e->max_size = std::max(e->max_size, 2);
        e->max_scale = std::clamp(e->max_scale, detail::exp_min_scale, detail::exp_max_scale);
      }
    }
    if (v.attribute_keys) {
      auto& k = *v.attribute_keys;
      std::sort(k.begin(), k.end());
      k.erase(std::unique(k.begin(), k.end()), k.end());
    }
    out.push_back(std::move(v));
  }
  return out;
}

bool matches(const instrument_selector& s, std::string_view name, instrument_kind kind,
             std::string_view unit, const instrumentation_scope& scope) {
  if (!s.name.empty() && !wildcard_match(s.name, name)) return false;
  if (s.kind && *s.kind != kind) return false;
  if (!s.meter_name.empty() && s.meter_name != scope.name) return false;
  if (!s.meter_version.empty() && s.meter_version != scope.version) return false;
  if (!s.unit.empty() && s.unit != unit) return false;
  return true;
}

bool is_async_kind(instrument_kind k) {
  return k == instrument_kind::observable_counter ||
         k == instrument_kind::observable_up_down_counter || k == instrument_kind::observable_gauge;
}

// Sets cfg.aggregation (and bounds) from the view's aggregation; false to drop the stream.
bool resolve_aggregation(const aggregation& a, const instrument_options& o, stream_config& cfg) {
  const instrument_kind k = cfg.kind;
  auto default_bounds = [&] {
    if (!o.buckets.empty() && valid_bounds(o.buckets))
      cfg.bounds = o.buckets;
    else
      cfg.bounds.assign(buckets::otel_default.begin(), buckets::otel_default.end());
  };
  auto by_default = [&] {
    switch (k) {
      case instrument_kind::counter:
      case instrument_kind::up_down_counter:
        cfg.aggregation = aggregation_kind::sum;
        break;
      case instrument_kind::gauge:
        cfg.aggregation = aggregation_kind::last_value;
        break;
      case instrument_kind::histogram:
        cfg.aggregation = aggregation_kind::histogram;
        default_bounds();
        break;
      case instrument_kind::observable_counter:
      case instrument_kind::observable_up_down_counter:
        cfg.aggregation = aggregation_kind::async_sum;
        break;
      case instrument_kind::observable_gauge:
        cfg.aggregation = aggregation_kind::async_last_value;
        break;
    }
  };
  auto unsupported = [&](std::string_view what) {
    report("view asks for " + std::string(what) + " on observable instrument '" + cfg.name +
           "'; using its default aggregation");
    by_default();
  };
  if (std::holds_alternative<drop_aggregation>(a)) return false;
  if (std::holds_alternative<default_aggregation>(a)) {
    by_default();
  } else if (std::holds_alternative<sum_aggregation>(a)) {
    if (k == instrument_kind::observable_gauge) {
      unsupported("a sum");
    } else {
      cfg.aggregation = is_async_kind(k) ? aggregation_kind::async_sum : aggregation_kind::sum;
    }
  } else if (std::holds_alternative<last_value_aggregation>(a)) {
    cfg.aggregation =
        is_async_kind(k) ? aggregation_kind::async_last_value : aggregation_kind::last_value;
  } else if (auto* h = std::get_if<explicit_bucket_histogram_aggregation>(&a)) {
    if (is_async_kind(k)) {
      unsupported("a histogram");
    } else {
      cfg.aggregation = aggregation_kind::histogram;
      if (!h->bounds.empty())
        cfg.bounds = h->bounds;
      else
        default_bounds();
      cfg.record_min_max = h->record_min_max;
    }
  } else if (auto* e = std::get_if<exponential_histogram_aggregation>(&a)) {
    if (is_async_kind(k)) {
      unsupported("an exponential histogram");
    } else {
      cfg.aggregation = aggregation_kind::exponential_histogram;
      cfg.exp_max_size = e->max_size;
      cfg.exp_max_scale = e->max_scale;
      cfg.record_min_max = e->record_min_max;
    }
  }
  return true;
}

agtel::detail::global_slot<meter_provider>& global() {
  static auto* g = new agtel::detail::global_slot<meter_provider>;  // see global_slot.hpp
  return *g;
}

}  // namespace

meter_provider::impl::impl(meter_provider_options o) : options(std::move(o)) {
  options.views = checked_views(std::move(options.views));
  if (options.cardinality_limit == 0) {
    report("cardinality_limit must be positive; using 2000");
    options.cardinality_limit = 2000;
  }
  if (options.callback_budget.count() <= 0)
    options.callback_budget = std::chrono::milliseconds(100);
}

std::vector<stream_config> meter_provider::impl::streams_for(const detail::meter_core& m,
                                                             std::string_view name,
                                                             instrument_kind kind, bool is_double,
                                                             const instrument_options& o) const {
  stream_config base;
  base.name = std::string(name);
  base.description = o.description;
  base.unit = o.unit;
  base.kind = kind;
  base.is_double = is_double;
  base.monotonic = kind == instrument_kind::counter || kind == instrument_kind::histogram ||
                   kind == instrument_kind::observable_counter;
  base.cardinality_limit = options.cardinality_limit;
  base.exemplars = options.exemplars;
  base.reader_count = readers.size();

  std::vector<stream_config> out;
  bool matched = false;
  for (const view& v : options.views) {
    if (!matches(v.selector, name, kind, o.unit, m.scope)) continue;
    matched = true;
    stream_config cfg = base;
    if (!v.name.empty()) cfg.name = v.name;
    if (!v.description.empty()) cfg.description = v.description;
    if (v.attribute_keys) cfg.keys = v.attribute_keys;
    if (v.cardinality_limit > 0) cfg.cardinality_limit = v.cardinality_limit;
    if (resolve_aggregation(v.aggregation, o, cfg)) out.push_back(std::move(cfg));
  }
  if (!matched) {
    stream_config cfg = base;
    resolve_aggregation(default_aggregation{}, o, cfg);
    out.push_back(std::move(cfg));
  }
  return out;
}

detail::meter_core* meter_provider::impl::get_meter(std::string_view name, std::string_view version,
                                                    std::string_view schema_url) {
  std::lock_guard lock(mutex);
  for (auto& m : meters)
    if (m->scope.name == name && m->scope.version == version && m->scope.schema_url == schema_url)
      return m.get();
  if (name.empty())
    agtel::detail::diag(diag_level::warning, "metrics", "meter requested with an empty name");
  auto m = std::make_unique<detail::meter_core>();
  m->provider = this;
  m->scope.name = std::string(name);
  m->scope.version = std::string(version);
  m->scope.schema_url = std::string(schema_url);
  meters.push_back(std::move(m));
  return meters.back().get();
}

void meter_provider::impl::snapshot_meters(std::vector<detail::meter_core*>& out, bool with_self) {
  out.clear();
  std::lock_guard lock(mutex);
  for (auto& m : meters) out.push_back(m.get());
  if (with_self && self_meter) out.push_back(self_meter.get());
}

bool meter_provider::impl::collect(size_t reader, const detail::temporality_table& t,
                                   resource_metrics& out) noexcept {
  out.resource = &options.resource;
  out.scopes.clear();
  try {
    const timestamp_ns now = now_ns();
    std::vector<detail::meter_core*> list;
    snapshot_meters(list, true);
    std::vector<detail::instrument_base*> instruments;
    for (detail::meter_core* m : list) {
      {
        std::lock_guard lock(m->mutex);
        instruments.clear();
        for (auto& i : m->instruments) instruments.push_back(i.get());
      }
      scope_metrics& sm = out.scopes.next();
      sm.scope = &m->scope;
      sm.metrics.clear();
      for (auto* i : instruments) i->collect(reader, t, now, sm);
      if (sm.metrics.empty()) out.scopes.pop_back();
    }
  } catch (...) {
    report("out of memory during a collection; part of it is missing");
  }
  return true;
}

// The SDK's own metrics (see meter_provider.hpp), as observable counters on "agtel.sdk".
void meter_provider::impl::register_self_metrics() {
  self_meter = std::make_unique<detail::meter_core>();
  self_meter->provider = this;
  self_meter->scope.name = std::string(self_scope);
  self_meter->scope.version = agtel::version;
  metrics::meter m(self_meter.get());
  auto for_each_instrument = [this](auto&& f) {
    std::vector<detail::meter_core*> list;
    snapshot_meters(list, false);
    for (auto* mc : list) {
      std::lock_guard lock(mc->mutex);
      for (auto& i : mc->instruments) f(*i);
    }
  };
  m.create_observable_counter<int64_t>(
      "agtel.sdk.metrics.overflow_measurements",
      [for_each_instrument](observer<int64_t>& o) {
        for_each_instrument([&](detail::instrument_base& i) {
          for (const auto& s : i.streams())
            if (uint64_t n = s->overflowed())
              o.observe(static_cast<int64_t>(n), {{"otel.metric.name", s->config().name}});
        });
      },
      {.description = "Measurements aggregated into a metric stream's overflow series "
                      "(otel.metric.overflow=true) because its cardinality limit was reached",
       .unit = "{measurement}"});
  m.create_observable_counter<int64_t>(
      "agtel.sdk.metrics.dropped_measurements",
      [for_each_instrument](observer<int64_t>& o) {
        for_each_instrument([&](detail::instrument_base& i) {
          if (uint64_t n = i.invalid_values.load())
            o.observe(static_cast<int64_t>(n),
                      {{"otel.metric.name", i.name()}, {"reason", "invalid_value"}});
          if (uint64_t n = i.callback_dropped.load(std::memory_order_relaxed))
            o.observe(static_cast<int64_t>(n),
                      {{"otel.metric.name", i.name()}, {"reason", "callback_error"}});
        });
      },
      {.description = "Measurements the SDK dropped: invalid values (negative counter "
                      "increments, NaN, infinities) and observations of callbacks that threw",
       .unit = "{measurement}"});
}

// ---- meter_provider ----------------------------------------------------------------------

meter_provider::meter_provider(meter_provider_options options)
    : impl_(std::make_shared<impl>(std::move(options))) {
  auto readers = std::move(impl_->options.readers);
  impl_->options.readers.clear();
  for (auto& r : readers) {
    if (!r) continue;
    detail::reader_link& link = r->link();
    std::lock_guard lock(link.mutex);
    if (link.registered) {
      report("a metric reader can be registered with one meter provider only; ignored");
      continue;
    }
    link.registered = true;
    link.provider = impl_;
    link.index = impl_->readers.size();
    impl_->readers.push_back(r);
  }
  if (impl_->options.self_metrics) impl_->register_self_metrics();
}

meter_provider::~meter_provider() {
  if (!impl_->shut_down.load()) shutdown(std::chrono::seconds(5));
}

metrics::meter meter_provider::get_meter(std::string_view name, std::string_view version,
                                         std::string_view schema_url) {
  if (impl_->shut_down.load(std::memory_order_acquire)) return metrics::meter();
  try {
    return metrics::meter(impl_->get_meter(name, version, schema_url));
  } catch (...) {
    return metrics::meter();
  }
}

sdk_result meter_provider::force_flush(std::chrono::milliseconds timeout) noexcept {
  if (impl_->shut_down.load()) return sdk_result::already_shutdown;
  return agtel::detail::for_each_within(
      impl_->readers, timeout,
      [](metric_reader& r, std::chrono::milliseconds left) { return r.force_flush(left); });
}

sdk_result meter_provider::shutdown(std::chrono::milliseconds timeout) noexcept {
  if (impl_->shut_down.exchange(true)) return sdk_result::already_shutdown;
  // A reader shut down on its own is no failure of the provider's shutdown.
  return agtel::detail::for_each_within(
      impl_->readers, timeout, [](metric_reader& r, std::chrono::milliseconds left) {
        sdk_result x = r.shutdown(left);
        return x == sdk_result::already_shutdown ? sdk_result::ok : x;
      });
}

const agtel::resource& meter_provider::resource() const noexcept {
  return impl_->options.resource;
}

meter_provider_stats meter_provider::stats() const noexcept {
  meter_provider_stats s;
  s.callback_errors = impl_->callback_errors.load();
  s.slow_callbacks = impl_->slow_callbacks.load();
  std::vector<detail::meter_core*> list;
  try {
    impl_->snapshot_meters(list, false);
  } catch (...) {
    return s;
  }
  for (auto* m : list) {
    std::lock_guard lock(m->mutex);
    for (auto& i : m->instruments) {
      s.invalid_measurements += i->invalid_values.load();
      for (const auto& st : i->streams()) s.overflow_measurements += st->overflowed();
    }
  }
  return s;
}

void set_global_meter_provider(std::shared_ptr<meter_provider> provider) noexcept {
  if (!global().set(std::move(provider)))
    agtel::detail::diag(diag_level::error, "metrics",
                        "out of memory replacing the global provider");
}

uint64_t global_meter_provider_generation() noexcept {
  return global().generation();
}

std::shared_ptr<meter_provider> global_meter_provider() noexcept {
  return global().get();
}

metrics::meter get_meter(std::string_view name, std::string_view version,
                         std::string_view schema_url) {
  auto p = global_meter_provider();
  return p ? p->get_meter(name, version, schema_url) : metrics::meter();
}

}  // namespace agtel::metrics
