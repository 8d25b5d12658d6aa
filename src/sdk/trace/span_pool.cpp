// The pool behind span_ptr: the shared object pool (sdk/common/detail/object_pool.hpp)
// instantiated for span_data, and what a recycled span clears.
#include "agtel/trace/span_data.hpp"
#include "sdk/common/detail/object_pool.hpp"

namespace agtel::trace {

struct span_pool_access {
  static uint8_t& home(span_data& s) noexcept { return s.home_; }
};

namespace {
using pool = agtel::detail::object_pool<span_data, span_pool_access>;
thread_local pool::thread_cache cache;
}  // namespace

void span_data::reset() noexcept {
  context = {};
  parent_span_id = {};
  parent_is_remote = false;
  name.clear();
  kind = span_kind::internal;
  start_time = end_time = 0;
  attributes.clear();
  events.clear();
  links.clear();
  dropped_events = dropped_links = 0;
  status.code = status_code::unset;
  status.message.clear();
  resource = nullptr;
  scope = nullptr;
}

span_ptr span_ptr::make() {
  span_data* s = pool::acquire(cache);
  s->refs_.store(1, std::memory_order_relaxed);
  return adopt(s);
}

void span_ptr::recycle(span_data* s) noexcept {
  pool::release(cache, s);
}

}  // namespace agtel::trace
