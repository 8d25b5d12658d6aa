#include "agtel/trace/tracer.hpp"

#include "agtel/diagnostics.hpp"
#include "sdk/trace/detail/random.hpp"
#include "sdk/trace/detail/tracer_core.hpp"

namespace agtel::trace {
namespace detail {
namespace {

const span_context& parent_of(const span_options& o) noexcept {
  static const span_context none;
  if (o.root) return none;
  return o.parent ? *o.parent : agtel::detail::current_context().span();
}

}  // namespace

span tracer_core::non_recording(const span_options& options) noexcept {
  const span_context& parent = parent_of(options);
  return parent.is_valid() ? span(nullptr, nullptr, parent) : span();
}

span tracer_core::start_span(std::string_view name, const span_options& o) const noexcept {
  if (!enabled()) return non_recording(o);
  try {
    const span_context& parent = parent_of(o);
    const bool has_parent = parent.is_valid();
    const trace_id tid = has_parent ? parent.trace_id() : random_trace_id();
    const span_id sid = random_span_id();

    std::span<const attribute_view> start_attrs(o.attributes.begin(), o.attributes.size());
    sampling_result r =
        provider_->sampler->should_sample({parent, tid, name, o.kind, start_attrs});
    const bool sampled = r.decision == sampling_decision::record_and_sample;
    span_context ctx(tid, sid, trace_flags{sampled ? trace_flags::sampled_bit : uint8_t{0}},
                     false, std::move(r.state));
    if (r.decision == sampling_decision::drop) return span(nullptr, this, std::move(ctx));

    span_data* d = span_ptr::make().release();
    const span_limits& lim = provider_->limits;
    d->context = ctx;
    if (has_parent) {
      d->parent_span_id = parent.span_id();
      d->parent_is_remote = parent.is_remote();
    }
    d->name.assign(name);
    d->kind = o.kind;
    d->start_time = o.start_time ? o.start_time : now_ns();
    d->attributes.set_all(start_attrs, lim.attribute_count, lim.attribute_value_length);
    for (const link_view& l : o.links) {
      if (d->links.size() >= lim.link_count) {
        ++d->dropped_links;
        continue;
      }
      span_link& slot = d->links.next();
      slot.context = l.context;
      slot.attributes.clear();
      slot.attributes.set_all(l.attributes, lim.attributes_per_link, lim.attribute_value_length);
    }
    d->resource = &provider_->resource;
    d->scope = &scope_;
    for (const auto& p : provider_->processors) p->on_start(*d, parent);
    return span(d, this, std::move(ctx));
  } catch (...) {
    agtel::detail::diag(diag_level::error, "trace", "start_span failed (out of memory?); span not recorded");
    return non_recording(o);
  }
}

void tracer_core::end_span(span_data* d) const noexcept {
  span_ptr ref = span_ptr::adopt(d);
  const auto& procs = provider_->processors;
  if (procs.empty()) return;
  for (size_t i = 0; i + 1 < procs.size(); ++i) procs[i]->on_end(ref);
  procs.back()->on_end(std::move(ref));
}

}  // namespace detail

span tracer::start_span(std::string_view name, const span_options& options) const noexcept {
  return core_ ? core_->start_span(name, options) : detail::tracer_core::non_recording(options);
}

bool tracer::enabled() const noexcept { return core_ && core_->enabled(); }

}  // namespace agtel::trace
