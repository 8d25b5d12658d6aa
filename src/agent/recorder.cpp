// The recorder functions that have no scope: context-window usage and stand-alone errors.
#include "agtel/agent/recorder.hpp"

#include "agent/emit.hpp"
#include "agtel/agent/semconv.hpp"

namespace agtel::agent {

namespace a = semconv::attr;

void track_context_usage(const context_usage& r) noexcept {
  const detail::instruments& ins = detail::current();
  const auto attrs = detail::metric_attrs().add(a::agent_name, r.agent_name);
  ins.context_window_size.record(r.size, attrs.view());
  ins.context_window_used.record(r.used, attrs.view());
  if (r.size > 0)
    ins.context_window_utilization.record(static_cast<double>(r.used) / static_cast<double>(r.size),
                                          attrs.view());
}

void track_error(const error_record& r) noexcept {
  const detail::instruments& ins = detail::current();
  const std::string_view type = r.error_type.empty() ? semconv::value::error_other : r.error_type;
  ins.errors.add(1, detail::metric_attrs()
                        .add(a::component, r.component)
                        .add(a::error_type, type)
                        .add(a::severity, r.severity)
                        .view());
  detail::log_failure(r.component, type, r.severity, r.message, nullptr);
}

}  // namespace agtel::agent
