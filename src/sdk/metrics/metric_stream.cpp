#include <cstddef>
#include <new>
#include <type_traits>

#include "agtel/context/context.hpp"
#include "agtel/diagnostics.hpp"
#include "sdk/metrics/detail/aggregators.hpp"
#include "sdk/metrics/detail/metric_stream.hpp"

namespace agtel::metrics::detail {
namespace {

constexpr std::string_view overflow_key = "otel.metric.overflow";

// Per-thread scratch for the slow paths (normalizing, filtering more attributes than fit
// on the stack, exemplar attributes): reused, so steady state allocates nothing.
std::vector<attribute_view>& scratch(int which) {
  static thread_local std::vector<attribute_view> v[3];
  return v[which];
}

template <class P>
class stream_impl final : public metric_stream {
 public:
  explicit stream_impl(stream_config cfg) : metric_stream(std::move(cfg)) { P::init(snap_, cfg_); }

  void record(int64_t v, attribute_views attrs) noexcept override { record_any(v, attrs); }
  void record(double v, attribute_views attrs) noexcept override { record_any(v, attrs); }

  series_base* resolve(attribute_views attrs) noexcept override {
    return with_key(attrs, [&](attribute_views key) { return lookup(key); });
  }

  void record_series(series_base* s, int64_t v) noexcept override { record_into(as(s), v, {}); }
  void record_series(series_base* s, double v) noexcept override { record_into(as(s), v, {}); }

  void offer_exemplar(series_base* s, number_value v) noexcept override {
    if constexpr (!P::is_async) {
      if (std::holds_alternative<int64_t>(v))
        maybe_offer(as(s), 0, std::get<int64_t>(v), {});
      else
        maybe_offer(as(s), 0, std::get<double>(v), {});
    }
  }

  void* sum_cell_of(series_base* s) noexcept override {
    if constexpr (std::is_same_v<P, sum_policy<int64_t>> || std::is_same_v<P, sum_policy<double>>)
      return s->overflow ? nullptr : &as(s)->cell.c;
    return nullptr;
  }

  series_base* observe(int64_t v, attribute_views attrs) noexcept override {
    return observe_any(v, attrs);
  }
  series_base* observe(double v, attribute_views attrs) noexcept override {
    return observe_any(v, attrs);
  }
  void commit(series_base* s) noexcept override {
    if constexpr (P::is_async) P::commit(as(s)->cell);
  }
  void rollback(series_base* s) noexcept override {
    if constexpr (P::is_async) P::rollback(as(s)->cell);
  }

  bool collect(size_t reader, aggregation_temporality t, timestamp_ns now,
               metric_data& out) noexcept override {
    std::lock_guard lock(collect_mutex_);
    try {
      return collect_locked(reader, t, now, out);
    } catch (...) {  // out of memory while building points: report, export nothing
      agtel::detail::diag(diag_level::error, "metrics", "collection of " + cfg_.name + " failed");
      return false;
    }
  }

 private:
  struct series : series_base {
    typename P::cell cell;
    std::vector<typename P::state> states;              // one per reader
    std::vector<std::vector<exemplar_slot>> exemplars;  // one per reader, when any
  };
  static series* as(series_base* s) noexcept { return static_cast<series*>(s); }

  // Applies the view's key filter, then calls f(key attributes).
  template <class F>
  series* with_key(attribute_views attrs, F&& f) noexcept {
    if (!cfg_.keys) return f(attrs);
    // Raw storage: attribute_view has no default constructor; filter_keys constructs them.
    alignas(attribute_view) std::byte raw[sizeof(attribute_view) * max_inline_attributes];
    auto* buf = reinterpret_cast<attribute_view*>(raw);
    const size_t n = filter_keys(attrs, *cfg_.keys, buf, max_inline_attributes);
    if (n != SIZE_MAX) return f(attribute_views{std::launder(buf), n});
    try {
      auto& big = scratch(1);
      big.clear();
      for (const attribute_view& a : attrs)
        if (std::binary_search(cfg_.keys->begin(), cfg_.keys->end(), a.key,
                               [](const auto& x, const auto& y) {
                                 return std::string_view(x) < std::string_view(y);
                               }))
          big.push_back(a);
      return f(attribute_views{big});
    } catch (...) {
      return nullptr;
    }
  }

  series* lookup(attribute_views key) noexcept {
    if (key.size() <= max_inline_attributes) {
      if (series_base* s = table_.find(hash_set(key), key)) return as(s);
    }
    return slow_lookup(key);
  }

  // Normalizes the set (repeated keys, any size), then finds or creates its series.
  series* slow_lookup(attribute_views key) noexcept {
    try {
      auto& norm = scratch(0);
      normalize(key, norm);
      const uint64_t h = hash_set(norm);
      if (series_base* s = table_.find(h, norm)) return as(s);
      if (full_.load(std::memory_order_acquire)) return overflow();
      std::lock_guard lock(table_.mutex());
      if (series_base* s = table_.find(h, norm)) return as(s);
      if (table_.size() >= cfg_.cardinality_limit) {
        full_.store(true, std::memory_order_release);
        return overflow_locked();
      }
      auto s = new_series();
      to_list(norm, s->attributes);
      s->hash = h;
      series* raw = s.get();
      table_.insert(std::move(s));
      return raw;
    } catch (...) {
      agtel::detail::diag(
          diag_level::error, "metrics",
          "out of memory creating a series of " + cfg_.name + "; measurement dropped");
      return nullptr;
    }
  }

  std::unique_ptr<series> new_series() {
    auto s = std::make_unique<series>();
    P::init(s->cell, cfg_);
    s->states.resize(cfg_.reader_count);
    for (auto& st : s->states) {
      P::init(st, cfg_);
    }
    s->created = now_ns();
    for (auto& st : s->states) st.start = s->created;
    return s;
  }

  series* overflow() noexcept {
    if (series* s = overflow_.load(std::memory_order_acquire)) return s;
    try {
      std::lock_guard lock(table_.mutex());
      return overflow_locked();
    } catch (...) {
      return nullptr;
    }
  }
  series* overflow_locked() {
    if (series* s = overflow_.load(std::memory_order_relaxed)) return s;
    auto s = new_series();
    s->attributes.set(overflow_key, true);
    s->hash = hash_set(s->attributes);
    s->overflow = true;
    series* raw = s.get();
    table_.adopt(std::move(s));
    overflow_.store(raw, std::memory_order_release);
    agtel::detail::diag(diag_level::warning, "metrics",
                        "cardinality limit (" + std::to_string(cfg_.cardinality_limit) +
                            ") reached for " + cfg_.name + "; further attribute sets go to the " +
                            "otel.metric.overflow series");
    return raw;
  }

  template <class V>
  void record_any(V v, attribute_views attrs) noexcept {
    if constexpr (!P::is_async) {
      series* s = with_key(attrs, [&](attribute_views key) { return lookup(key); });
      if (s != nullptr) record_into(s, v, attrs);
    }
  }

  template <class V>
  void record_into(series* s, V v, attribute_views original) noexcept {
    if constexpr (!P::is_async) {
      const size_t b = P::record(s->cell, v, cfg_);
      if (s->overflow) overflowed_.add();
      if (cfg_.exemplars != exemplar_filter::always_off) maybe_offer(s, b, v, original);
    }
  }

  template <class V>
  void maybe_offer(series* s, size_t bucket, V v, attribute_views original) noexcept {
    if (cfg_.exemplars == exemplar_filter::trace_based && !in_sampled_span()) return;
    const trace::span_context& span = agtel::detail::current_context().span();
    if (cfg_.exemplars == exemplar_filter::trace_based && !span.is_valid()) return;
    exemplar_reservoir* r = s->reservoir.load(std::memory_order_acquire);
    if (r == nullptr && (r = make_reservoir(s)) == nullptr) return;
    attribute_views dropped;
    if (cfg_.keys && !original.empty()) {
      try {
        auto& d = scratch(2);
        dropped_attributes(original, *cfg_.keys, d);
        dropped = d;
      } catch (...) {
      }
    }
    r->offer(bucket, number_value(v), span, dropped);
  }

  exemplar_reservoir* make_reservoir(series* s) noexcept {
    try {
      std::lock_guard lock(table_.mutex());
      if (exemplar_reservoir* r = s->reservoir.load(std::memory_order_relaxed)) return r;
      const bool aligned = P::aligned_exemplars;
      s->reservoir_owner = std::make_unique<exemplar_reservoir>(
          aligned ? cfg_.bounds.size() + 1 : fixed_reservoir_size, aligned);
      s->reservoir.store(s->reservoir_owner.get(), std::memory_order_release);
      return s->reservoir_owner.get();
    } catch (...) {
      return nullptr;
    }
  }

  template <class V>
  series_base* observe_any(V v, attribute_views attrs) noexcept {
    if constexpr (P::is_async) {
      series* s = with_key(attrs, [&](attribute_views key) { return lookup(key); });
      if (s == nullptr) return nullptr;
      if (s->overflow) overflowed_.add();
      using T = std::remove_reference_t<decltype(s->cell.value)>;
      return P::observe(s->cell, static_cast<T>(v), cfg_.keys.has_value()) ? s : nullptr;
    } else {
      (void)v;
      (void)attrs;
      return nullptr;
    }
  }

  bool collect_locked(size_t reader, aggregation_temporality t, timestamp_ns now,
                      metric_data& out) {
    const bool delta = t == aggregation_temporality::delta;
    out.name = cfg_.name;
    out.description = cfg_.description;
    out.unit = cfg_.unit;
    using data_type = typename P::data_type;
    if (!std::holds_alternative<data_type>(out.data)) out.data.template emplace<data_type>();
    auto& data = std::get<data_type>(out.data);
    P::prepare(data, t, cfg_);
    data.points.clear();

    table_.snapshot(list_);
    for (series_base* b : list_) {
      series* s = as(b);
      const bool took = P::take(s->cell, snap_);
      bool took_exemplars = false;
      if constexpr (!P::is_async) {
        if (exemplar_reservoir* r = s->reservoir.load(std::memory_order_acquire))
          took_exemplars = r->take(ex_snap_);
      }
      if (took) {
        for (auto& st : s->states) P::merge(st, snap_);
      }
      if (took_exemplars) {
        if (s->exemplars.size() != s->states.size()) s->exemplars.resize(s->states.size());
        for (auto& slots : s->exemplars) {
          if (slots.size() != ex_snap_.size()) slots.resize(ex_snap_.size());
          for (size_t i = 0; i < ex_snap_.size(); ++i)
            if (ex_snap_[i].set) slots[i] = ex_snap_[i];  // the latest per slot wins
        }
      }
      auto& st = s->states[reader];
      const bool ready = P::is_async ? st.fresh : st.ready(delta);
      if (!ready) continue;
      auto& p = data.points.next();
      p.attributes = s->attributes;
      p.start_time = st.start;
      p.time = now;
      p.flags = 0;
      P::emit(st, delta, p, cfg_);
      st.emitted(delta, now);
      p.exemplars.clear();
      if (reader < s->exemplars.size()) {
        for (auto& slot : s->exemplars[reader]) {
          if (!slot.set) continue;
          p.exemplars.next() = slot.value;
          if (delta) slot.set = false;
        }
      }
    }
    return data.points.size() > 0;
  }

  std::atomic<bool> full_{false};
  std::atomic<series*> overflow_{nullptr};
  std::mutex collect_mutex_;
  // Collection scratch, guarded by collect_mutex_.
  std::vector<series_base*> list_;
  typename P::snapshot snap_;
  std::vector<exemplar_slot> ex_snap_;
};

}  // namespace

std::unique_ptr<metric_stream> make_stream(stream_config cfg) {
  const bool d = cfg.is_double;
  switch (cfg.aggregation) {
    case aggregation_kind::sum:
      if (d) return std::make_unique<stream_impl<sum_policy<double>>>(std::move(cfg));
      return std::make_unique<stream_impl<sum_policy<int64_t>>>(std::move(cfg));
    case aggregation_kind::last_value:
      if (d) return std::make_unique<stream_impl<last_value_policy<double>>>(std::move(cfg));
      return std::make_unique<stream_impl<last_value_policy<int64_t>>>(std::move(cfg));
    case aggregation_kind::histogram:
      return std::make_unique<stream_impl<histogram_policy>>(std::move(cfg));
    case aggregation_kind::exponential_histogram:
      return std::make_unique<stream_impl<exponential_histogram_policy>>(std::move(cfg));
    case aggregation_kind::async_sum:
      if (d) return std::make_unique<stream_impl<async_sum_policy<double>>>(std::move(cfg));
      return std::make_unique<stream_impl<async_sum_policy<int64_t>>>(std::move(cfg));
    case aggregation_kind::async_last_value:
      if (d) return std::make_unique<stream_impl<async_last_value_policy<double>>>(std::move(cfg));
      return std::make_unique<stream_impl<async_last_value_policy<int64_t>>>(std::move(cfg));
  }
  return nullptr;
}

}  // namespace agtel::metrics::detail
