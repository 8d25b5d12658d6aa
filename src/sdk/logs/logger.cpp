#include "agtel/logs/logger.hpp"

#include "agtel/diagnostics.hpp"
#include "sdk/logs/detail/logger_core.hpp"

namespace agtel::logs {
namespace detail {

void logger_core::emit(const log_record& r, std::span<const attribute_view> more) const noexcept {
  try {
    log_record_ptr ref = log_record_ptr::make();
    log_record_data& d = *ref;
    d.observed_time = now_ns();
    d.time = r.time ? r.time : d.observed_time;
    d.severity_number = r.severity_number;
    d.severity_text.assign(r.severity_text);
    if (r.body) {
      assign_attribute_value(d.body, *r.body);
      d.has_body = true;
    }
    d.event_name.assign(r.event_name);
    const log_record_limits& lim = provider_->limits;
    d.attributes.set_all(std::span<const attribute_view>(r.attributes.begin(), r.attributes.size()),
                         lim.attribute_count, lim.attribute_value_length);
    d.attributes.set_all(more, lim.attribute_count, lim.attribute_value_length);
    const trace::span_context& span =
        r.context ? r.context->span() : agtel::detail::current_context().span();
    if (span.is_valid()) {
      d.trace_id = span.trace_id();
      d.span_id = span.span_id();
      d.trace_flags = span.flags();
    }
    d.resource = &provider_->resource;
    d.scope = &scope_;

    const auto& procs = provider_->processors;
    if (procs.empty()) return;
    for (size_t i = 0; i + 1 < procs.size(); ++i) procs[i]->on_emit(ref);
    procs.back()->on_emit(std::move(ref));
  } catch (...) {
    agtel::detail::diag(diag_level::error, "logs", "emit failed (out of memory?); record dropped");
  }
}

logs::logger logger_core::handle() const noexcept {
  return logs::logger(this, threshold());
}

}  // namespace detail

void logger::emit_enabled(const log_record& record,
                          std::span<const attribute_view> more) const noexcept {
  core_->emit(record, more);
}

}  // namespace agtel::logs
