#include "agtel/metrics/metric_reader.hpp"

#include <cerrno>
#include <cstdlib>
#include <string>

#include "agtel/diagnostics.hpp"
#include "sdk/metrics/detail/provider_impl.hpp"

namespace agtel::metrics {

namespace detail {
bool collect(reader_link& link, resource_metrics& out) noexcept {
  std::lock_guard lock(link.mutex);
  std::shared_ptr<meter_provider::impl> p;
  if (!link.shut_down.load(std::memory_order_acquire)) p = link.provider.lock();
  if (!p) {
    out.clear();
    out.resource = nullptr;
    return false;
  }
  return p->collect(link.index, link.temporality, out);
}
}  // namespace detail

metric_reader::metric_reader(temporality_selector temporality)
    : link_(std::make_shared<detail::reader_link>()) {
  for (int k = 0; k < instrument_kind_count; ++k)
    link_->temporality[static_cast<size_t>(k)] = temporality
                                                     ? temporality(static_cast<instrument_kind>(k))
                                                     : aggregation_temporality::cumulative;
}

metric_reader::~metric_reader() = default;

void metric_reader::set_temporality(instrument_kind kind, aggregation_temporality t) noexcept {
  if (t != aggregation_temporality::delta) t = aggregation_temporality::cumulative;
  link_->temporality[static_cast<size_t>(kind)] = t;
}

bool metric_reader::collect(resource_metrics& out) noexcept {
  return detail::collect(*link_, out);
}

aggregation_temporality metric_reader::temporality(instrument_kind kind) const noexcept {
  return link_->temporality[static_cast<size_t>(kind)];
}

sdk_result metric_reader::force_flush(std::chrono::milliseconds) noexcept {
  return is_shutdown() ? sdk_result::already_shutdown : sdk_result::ok;
}

sdk_result metric_reader::shutdown(std::chrono::milliseconds) noexcept {
  std::lock_guard lock(link_->mutex);  // waits for a collection in progress
  if (link_->shut_down.exchange(true)) return sdk_result::already_shutdown;
  return sdk_result::ok;
}

bool metric_reader::is_shutdown() const noexcept {
  return link_->shut_down.load();
}

namespace {
// A positive integer of milliseconds, or nullopt (reported) for anything else.
void read_ms(const char* var, std::chrono::milliseconds& out) {
  const char* v = std::getenv(var);
  if (v == nullptr || *v == '\0') return;
  std::string_view s(v);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  bool digits =
      !s.empty() && s.size() <= 12 && s.find_first_not_of("0123456789") == std::string_view::npos;
  long long ms = digits ? std::stoll(std::string(s)) : 0;
  if (!digits || ms <= 0) {
    agtel::detail::diag(diag_level::warning, "config",
                        std::string(var) + "='" + std::string(s.substr(0, 64)) +
                            "' is not a positive integer of milliseconds; using " +
                            std::to_string(out.count()));
    return;
  }
  out = std::chrono::milliseconds(ms);
}
}  // namespace

periodic_metric_reader_options periodic_metric_reader_options_from_env() {
  periodic_metric_reader_options o;
  read_ms("OTEL_METRIC_EXPORT_INTERVAL", o.interval);
  read_ms("OTEL_METRIC_EXPORT_TIMEOUT", o.timeout);
  return o;
}

}  // namespace agtel::metrics
