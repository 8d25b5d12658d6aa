// The invocation middleware.
#include "agtel/agent/invocation.hpp"

#include "agent/emit.hpp"
#include "agtel/agent/semconv.hpp"

namespace agtel::agent {

namespace a = semconv::attr;

std::string_view invocation::root_of(std::string_view path) noexcept {
  while (!path.empty() && (path.front() == '.' || path.front() == '/')) path.remove_prefix(1);
  return path.substr(0, path.find_first_of("./"));
}

invocation::invocation(std::string_view path, const invocation_options& options) noexcept {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  try {
    root_.assign(root_of(path));
  } catch (...) {
  }
  begin(detail::start_span(*ins_, semconv::op::invoke, path, trace::span_kind::internal,
                           {{a::invocation_path, path}, {a::invocation_root, root_}},
                           options.parent, start_));
  if (!options.observer.empty()) span_.set_attribute(a::invocation_observer, options.observer);
}

invocation::~invocation() {
  if (!ins_->enabled) return;  // no provider installed: nothing to record
  end_activation();
  const timestamp_ns end = detail::now();
  const failure_info f{error_type_, error_message_};
  span_.set_attribute(a::invocation_result, f.error_type.empty() ? semconv::value::result_ok
                                                                 : semconv::value::result_error);
  detail::record_failure(*ins_, span_, "invocation", f);
  ins_->invocation_duration.record(detail::seconds(start_, end),
                                   detail::metric_attrs()
                                       .add(a::invocation_root, root_)
                                       .add(a::error_type, f.error_type)
                                       .view());
  span_.end(end);
}

}  // namespace agtel::agent
