#include "agtel/trace/span.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <typeinfo>

#include "sdk/trace/detail/tracer_core.hpp"

namespace agtel::trace {
namespace {

std::string demangled_name(const std::type_info& t) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(t.name(), nullptr, nullptr, &status),
                                              std::free);
  return status == 0 && name ? std::string(name.get()) : std::string(t.name());
}

}  // namespace

span& span::operator=(span&& o) noexcept {
  if (this != &o) {
    end();
    data_ = std::exchange(o.data_, nullptr);
    tracer_ = o.tracer_;
    context_ = std::move(o.context_);
  }
  return *this;
}

span& span::set_attribute(std::string_view key, attribute_value_view value) noexcept {
  if (!data_) return *this;
  const span_limits& lim = tracer_->limits();
  try {
    data_->attributes.set(key, value, lim.attribute_count, lim.attribute_value_length);
  } catch (...) {
    data_->attributes.add_dropped(1);
  }
  return *this;
}

span& span::set_attributes(std::initializer_list<attribute_view> attrs) noexcept {
  for (const auto& a : attrs) set_attribute(a.key, a.value);
  return *this;
}

span& span::add_event(std::string_view name, std::initializer_list<attribute_view> attrs,
                      timestamp_ns time) noexcept {
  if (!data_) return *this;
  const span_limits& lim = tracer_->limits();
  if (data_->events.size() >= lim.event_count) {
    ++data_->dropped_events;
    return *this;
  }
  try {
    span_event& e = data_->events.next();
    e.name.assign(name);
    e.time = time ? time : now_ns();
    e.attributes.clear();
    e.attributes.set_all(attrs, lim.attributes_per_event, lim.attribute_value_length);
  } catch (...) {
    data_->events.pop_back();
    ++data_->dropped_events;
  }
  return *this;
}

span& span::add_link(const span_context& linked, std::initializer_list<attribute_view> attrs) noexcept {
  if (!data_) return *this;
  const span_limits& lim = tracer_->limits();
  if (data_->links.size() >= lim.link_count) {
    ++data_->dropped_links;
    return *this;
  }
  try {
    span_link& l = data_->links.next();
    l.context = linked;
    l.attributes.clear();
    l.attributes.set_all(attrs, lim.attributes_per_link, lim.attribute_value_length);
  } catch (...) {
    data_->links.pop_back();
    ++data_->dropped_links;
  }
  return *this;
}

span& span::set_status(status_code code, std::string_view message) noexcept {
  if (!data_ || code == status_code::unset || data_->status.code == status_code::ok) return *this;
  data_->status.code = code;
  try {
    if (code == status_code::error)
      data_->status.message.assign(message);
    else
      data_->status.message.clear();
  } catch (...) {
    data_->status.message.clear();
  }
  return *this;
}

span& span::update_name(std::string_view name) noexcept {
  if (!data_) return *this;
  try {
    data_->name.assign(name);
  } catch (...) {
  }
  return *this;
}

span& span::record_exception(std::string_view type, std::string_view message,
                             std::string_view stacktrace,
                             std::initializer_list<attribute_view> attrs) noexcept {
  if (!data_) return *this;
  const size_t before = data_->events.size();
  add_event("exception", {{"exception.type", type}, {"exception.message", message}});
  if (data_->events.size() == before) return *this;  // dropped at the event limit
  span_event& e = data_->events.back();
  const span_limits& lim = tracer_->limits();
  try {
    if (!stacktrace.empty())
      e.attributes.set("exception.stacktrace", stacktrace, lim.attributes_per_event,
                       lim.attribute_value_length);
    e.attributes.set_all(attrs, lim.attributes_per_event, lim.attribute_value_length);
  } catch (...) {
    e.attributes.add_dropped(1);
  }
  return *this;
}

span& span::record_exception(const std::exception& e, std::initializer_list<attribute_view> attrs) noexcept {
  if (!data_) return *this;
  try {
    std::string type = demangled_name(typeid(e));
    return record_exception(type, e.what(), {}, attrs);
  } catch (...) {
    return record_exception("std::exception", e.what(), {}, attrs);
  }
}

span& span::record_exception(std::exception_ptr e, std::initializer_list<attribute_view> attrs) noexcept {
  if (!data_ || !e) return *this;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return record_exception(ex, attrs);
  } catch (...) {
    return record_exception("unknown", "non-standard exception", {}, attrs);
  }
}

void span::end_recording(timestamp_ns end_time) noexcept {
  span_data* d = std::exchange(data_, nullptr);
  timestamp_ns t = end_time ? end_time : now_ns();
  d->end_time = t < d->start_time ? d->start_time : t;  // a stepped-back clock never makes a negative duration
  tracer_->end_span(d);
}

context_scope span::activate() const noexcept {
  return agtel::detail::current_context().with_span(context_).attach();
}

}  // namespace agtel::trace
