// Instruments: what application code records with. Get them from a meter (meter.hpp).
//
//   auto tokens = meter.create_counter<int64_t>("gen_ai.client.token.usage.total", {.unit =
//   "{token}"}); tokens.add(512, {{"gen_ai.request.model", "gpt-4o"}, {"gen_ai.token.type",
//   "input"}});
//
// One record call: the attribute set (in any order: {a, b} and {b, a} are one series) is
// hashed without allocating and looked up in the instrument's series table, which takes
// no lock when the series exists; the value is then added to the series with one relaxed
// atomic operation (a short spin lock for histograms). A new attribute set takes a mutex
// and allocates its series once.
//
// For the hottest paths, `bind` resolves an attribute set once and returns a handle to
// that series, whose add/record skips the lookup.
//
// Instruments are small copyable handles; a default-constructed one (or one from an
// invalid name, a no-op meter, or a dropped view) records nothing. They point into their
// meter provider: keep the provider alive while they are used. All methods are
// thread-safe and noexcept.
//
// Value rules: counters drop negative values; floating instruments drop NaN and
// infinities; each dropped value is counted (meter_provider::stats()).
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <span>

#include "agtel/common/attribute.hpp"
#include "agtel/metrics/detail/sampled_span.hpp"
#include "agtel/metrics/detail/sum_cell.hpp"

namespace agtel::metrics {

// The value types instruments come in.
template <class T>
concept instrument_value = std::same_as<T, int64_t> || std::same_as<T, double>;

using attribute_views = std::span<const attribute_view>;

namespace detail {
class sync_instrument;  // SDK internals (src/sdk/metrics)
struct binding;

// What a bound handle points at: the series of each stream the instrument feeds.
struct bound_target {
  // Set when the instrument has one sum stream: the handle adds to this cell inline.
  void* sum_cell = nullptr;
  // The exemplar filter: 0 always off, 1 trace-based (inside a sampled span), 2 always on.
  uint8_t exemplars = 0;
  binding* slow = nullptr;  // everything else
};

void record(sync_instrument* i, int64_t v, attribute_views attrs) noexcept;
void record(sync_instrument* i, double v, attribute_views attrs) noexcept;
bound_target* bind(sync_instrument* i, attribute_views attrs) noexcept;
void record_bound(bound_target* b, int64_t v) noexcept;
void record_bound(bound_target* b, double v) noexcept;
void offer_sum_exemplar(bound_target* b, int64_t v) noexcept;
void offer_sum_exemplar(bound_target* b, double v) noexcept;
void count_invalid(bound_target* b) noexcept;
}  // namespace detail

// Shared shape of the synchronous instruments.
template <instrument_value T>
class sync_instrument_base {
 public:
  sync_instrument_base() noexcept = default;
  explicit sync_instrument_base(detail::sync_instrument* core) noexcept : core_(core) {}
  // False for a no-op instrument.
  bool enabled() const noexcept { return core_ != nullptr; }

 protected:
  void record_(T v, attribute_views attrs) const noexcept {
    if (core_) detail::record(core_, v, attrs);
  }
  detail::sync_instrument* core_ = nullptr;
};

// A handle to one series of a counter or up-down counter.
template <instrument_value T>
class bound_sum {
 public:
  bound_sum() noexcept = default;
  explicit bound_sum(detail::bound_target* t, bool monotonic) noexcept
      : t_(t), monotonic_(monotonic) {}

  void add(T v) noexcept {
    if (t_ == nullptr) return;
    if (t_->sum_cell != nullptr && (!monotonic_ || v >= 0)) [[likely]] {
      if constexpr (std::same_as<T, double>) {
        if (v - v != 0) return detail::count_invalid(t_);  // NaN or infinite
      }
      static_cast<detail::sum_cell<T>*>(t_->sum_cell)->add(v);
      if (t_->exemplars != 0 && (t_->exemplars == 2 || detail::in_sampled_span())) [[unlikely]]
        detail::offer_sum_exemplar(t_, v);
      return;
    }
    detail::record_bound(t_, v);
  }
  bool enabled() const noexcept { return t_ != nullptr; }

 private:
  detail::bound_target* t_ = nullptr;
  bool monotonic_ = true;
};

template <instrument_value T>
using bound_counter = bound_sum<T>;
template <instrument_value T>
using bound_up_down_counter = bound_sum<T>;

// A handle to one series of a histogram.
template <instrument_value T>
class bound_histogram {
 public:
  bound_histogram() noexcept = default;
  explicit bound_histogram(detail::bound_target* t) noexcept : t_(t) {}
  void record(T v) noexcept {
    if (t_) detail::record_bound(t_, v);
  }
  bool enabled() const noexcept { return t_ != nullptr; }

 private:
  detail::bound_target* t_ = nullptr;
};

// A monotonic sum: requests, tokens, cost. Negative values are dropped.
template <instrument_value T>
class counter : public sync_instrument_base<T> {
 public:
  using sync_instrument_base<T>::sync_instrument_base;
  void add(T v, std::initializer_list<attribute_view> attrs = {}) const noexcept {
    this->record_(v, {attrs.begin(), attrs.size()});
  }
  void add(T v, attribute_views attrs) const noexcept { this->record_(v, attrs); }
  bound_counter<T> bind(std::initializer_list<attribute_view> attrs) const noexcept {
    return bind(attribute_views{attrs.begin(), attrs.size()});
  }
  bound_counter<T> bind(attribute_views attrs) const noexcept {
    return bound_counter<T>(this->core_ ? detail::bind(this->core_, attrs) : nullptr, true);
  }
};

// A sum that goes up and down: active agents, queue depth.
template <instrument_value T>
class up_down_counter : public sync_instrument_base<T> {
 public:
  using sync_instrument_base<T>::sync_instrument_base;
  void add(T v, std::initializer_list<attribute_view> attrs = {}) const noexcept {
    this->record_(v, {attrs.begin(), attrs.size()});
  }
  void add(T v, attribute_views attrs) const noexcept { this->record_(v, attrs); }
  bound_up_down_counter<T> bind(std::initializer_list<attribute_view> attrs) const noexcept {
    return bind(attribute_views{attrs.begin(), attrs.size()});
  }
  bound_up_down_counter<T> bind(attribute_views attrs) const noexcept {
    return bound_up_down_counter<T>(this->core_ ? detail::bind(this->core_, attrs) : nullptr,
                                    false);
  }
};

// A distribution: latencies, token counts per call.
template <instrument_value T>
class histogram : public sync_instrument_base<T> {
 public:
  using sync_instrument_base<T>::sync_instrument_base;
  void record(T v, std::initializer_list<attribute_view> attrs = {}) const noexcept {
    this->record_(v, {attrs.begin(), attrs.size()});
  }
  void record(T v, attribute_views attrs) const noexcept { this->record_(v, attrs); }
  bound_histogram<T> bind(std::initializer_list<attribute_view> attrs) const noexcept {
    return bind(attribute_views{attrs.begin(), attrs.size()});
  }
  bound_histogram<T> bind(attribute_views attrs) const noexcept {
    return bound_histogram<T>(this->core_ ? detail::bind(this->core_, attrs) : nullptr);
  }
};

// The current value of something, set when it changes: context window used, utilization.
template <instrument_value T>
class gauge : public sync_instrument_base<T> {
 public:
  using sync_instrument_base<T>::sync_instrument_base;
  void record(T v, std::initializer_list<attribute_view> attrs = {}) const noexcept {
    this->record_(v, {attrs.begin(), attrs.size()});
  }
  void record(T v, attribute_views attrs) const noexcept { this->record_(v, attrs); }
};

// ---- Observable (asynchronous) instruments -------------------------------------------

namespace detail {
class observation_sink;  // SDK internals
void observe(observation_sink* sink, int64_t v, attribute_views attrs) noexcept;
void observe(observation_sink* sink, double v, attribute_views attrs) noexcept;
}  // namespace detail

// Handed to a callback during a collection; each observe() reports one series' value
// (for observable counters and up-down counters: the cumulative total so far). Valid only
// during the callback. Observing one attribute set twice keeps the last value.
template <instrument_value T>
class observer {
 public:
  explicit observer(detail::observation_sink* sink) noexcept : sink_(sink) {}
  void observe(T v, std::initializer_list<attribute_view> attrs = {}) noexcept {
    detail::observe(sink_, v, attribute_views{attrs.begin(), attrs.size()});
  }
  void observe(T v, attribute_views attrs) noexcept { detail::observe(sink_, v, attrs); }

 private:
  detail::observation_sink* sink_;
};

template <instrument_value T>
using observable_callback = std::function<void(observer<T>&)>;

namespace detail {
class async_instrument;  // SDK internals
uint64_t add_callback(async_instrument* i, std::function<void(observation_sink*)> cb) noexcept;
void remove_callback(async_instrument* i, uint64_t id) noexcept;
}  // namespace detail

// An observable counter, up-down counter or gauge. Its callbacks run on the thread that
// collects (a periodic reader's thread, a Prometheus scrape), once per collection.
template <instrument_value T>
class observable_instrument {
 public:
  observable_instrument() noexcept = default;
  explicit observable_instrument(detail::async_instrument* core) noexcept : core_(core) {}

  // Registers another callback; returns an id for remove_callback (0 for a no-op instrument).
  uint64_t add_callback(observable_callback<T> cb) const noexcept {
    if (!core_ || !cb) return 0;
    return detail::add_callback(core_, [cb = std::move(cb)](detail::observation_sink* sink) {
      observer<T> obs(sink);
      cb(obs);
    });
  }
  // Unregisters; the callback is not called after this returns (waits for a running call).
  void remove_callback(uint64_t id) const noexcept {
    if (core_) detail::remove_callback(core_, id);
  }
  bool enabled() const noexcept { return core_ != nullptr; }

 private:
  detail::async_instrument* core_ = nullptr;
};

template <instrument_value T>
using observable_counter = observable_instrument<T>;
template <instrument_value T>
using observable_up_down_counter = observable_instrument<T>;
template <instrument_value T>
using observable_gauge = observable_instrument<T>;

}  // namespace agtel::metrics
