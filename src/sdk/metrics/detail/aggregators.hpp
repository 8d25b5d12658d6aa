// The aggregations, as policies for stream_impl (metric_stream.cpp). Each policy has:
//   cell      what recorders update, concurrently (atomics or a spin lock);
//   snapshot  what one take() moves out of a cell (the measurements since the last take);
//   state     one reader's accumulation (cumulative total, or what it has not reported);
// and the functions record, take, merge and emit. A take empties the cell; the snapshot is
// merged into every reader's state; emit writes a reader's point and, for delta, resets
// that reader's state.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "agtel/metrics/detail/sum_cell.hpp"
#include "agtel/metrics/metric_data.hpp"
#include "sdk/metrics/detail/exponential_histogram.hpp"
#include "sdk/metrics/detail/metric_stream.hpp"
#include "sdk/metrics/detail/spin_lock.hpp"

namespace agtel::metrics::detail {

// Shared by the policies: whether a reader's state has something to emit now.
struct emit_flags {
  bool fresh = false;  // data since this reader's last emission
  bool seen = false;   // data ever
  timestamp_ns start = 0;

  bool ready(bool delta) const noexcept { return delta ? fresh : seen; }
  // After an emission: a delta interval restarts now.
  void emitted(bool delta, timestamp_ns now) noexcept {
    fresh = false;
    if (delta) start = now;
  }
};

template <class T>
struct sum_policy {
  static constexpr bool is_async = false;
  static constexpr bool aligned_exemplars = false;
  using data_type = sum_data;
  using point_type = number_point;
  struct cell {
    sum_cell<T> c;
  };
  struct snapshot {
    T value = 0;
    bool touched = false;
  };
  struct state : emit_flags {
    T total = 0;
  };
  static void init(cell&, const stream_config&) {}
  static void init(snapshot&, const stream_config&) {}
  static void init(state&, const stream_config&) {}
  template <class V>
  static size_t record(cell& c, V v, const stream_config&) noexcept {
    c.c.add(static_cast<T>(v));
    return 0;
  }
  static bool take(cell& c, snapshot& s) noexcept {
    s.value = c.c.take(s.touched);
    return s.touched;
  }
  static void merge(state& st, const snapshot& s) noexcept {
    st.total += s.value;
    st.fresh = st.seen = true;
  }
  static void prepare(data_type& d, aggregation_temporality t, const stream_config& c) {
    d.temporality = t;
    d.monotonic = c.monotonic;
  }
  static void emit(state& st, bool delta, point_type& p, const stream_config&) {
    p.value = st.total;
    if (delta) st.total = 0;
  }
};

template <class T>
struct last_value_policy {
  static constexpr bool is_async = false;
  static constexpr bool aligned_exemplars = false;
  using data_type = gauge_data;
  using point_type = number_point;
  struct cell {
    std::atomic<T> value{0};
    std::atomic<bool> updated{false};
  };
  struct snapshot {
    T value = 0;
  };
  struct state : emit_flags {
    T value = 0;
  };
  static void init(cell&, const stream_config&) {}
  static void init(snapshot&, const stream_config&) {}
  static void init(state&, const stream_config&) {}
  template <class V>
  static size_t record(cell& c, V v, const stream_config&) noexcept {
    c.value.store(static_cast<T>(v), std::memory_order_relaxed);
    c.updated.store(true, std::memory_order_release);
    return 0;
  }
  static bool take(cell& c, snapshot& s) noexcept {
    if (!c.updated.exchange(false, std::memory_order_acquire)) return false;
    s.value = c.value.load(std::memory_order_relaxed);
    return true;
  }
  static void merge(state& st, const snapshot& s) noexcept {
    st.value = s.value;
    st.fresh = st.seen = true;
  }
  static void prepare(data_type&, aggregation_temporality, const stream_config&) {}
  static void emit(state& st, bool, point_type& p, const stream_config&) { p.value = st.value; }
};

// Explicit-bucket histogram. Bucket i holds bounds[i-1] < v <= bounds[i].
struct histogram_policy {
  static constexpr bool is_async = false;
  static constexpr bool aligned_exemplars = true;
  using data_type = histogram_data;
  using point_type = histogram_point;
  struct counts {
    uint64_t count = 0;
    double sum = 0;
    double min = 0;
    double max = 0;
    std::vector<uint64_t> buckets;
  };
  struct cell {
    spin_lock lock;
    counts c;
  };
  using snapshot = counts;
  struct state : emit_flags {
    counts c;
  };
  static void init(counts& c, const stream_config& cfg) {
    c.buckets.assign(cfg.bounds.size() + 1, 0);
  }
  static void init(cell& c, const stream_config& cfg) { init(c.c, cfg); }
  static void init(state& s, const stream_config& cfg) { init(s.c, cfg); }
  static size_t bucket(const std::vector<double>& bounds, double v) noexcept {
    return static_cast<size_t>(std::lower_bound(bounds.begin(), bounds.end(), v) - bounds.begin());
  }
  template <class V>
  static size_t record(cell& c, V value, const stream_config& cfg) noexcept {
    const double v = static_cast<double>(value);
    const size_t b = bucket(cfg.bounds, v);
    std::lock_guard lock(c.lock);
    counts& k = c.c;
    ++k.buckets[b];
    if (k.count++ == 0) {
      k.min = k.max = v;
    } else {
      if (v < k.min) k.min = v;
      if (v > k.max) k.max = v;
    }
    k.sum += v;
    return b;
  }
  static bool take(cell& c, snapshot& s) noexcept {
    std::fill(s.buckets.begin(), s.buckets.end(), 0);
    std::lock_guard lock(c.lock);
    if (c.c.count == 0) return false;
    std::swap(s.buckets, c.c.buckets);  // O(1): the cell gets the zeroed vector
    s.count = c.c.count;
    s.sum = c.c.sum;
    s.min = c.c.min;
    s.max = c.c.max;
    c.c.count = 0;
    c.c.sum = 0;
    return true;
  }
  static void merge(state& st, const snapshot& s) noexcept {
    counts& k = st.c;
    if (k.count == 0) {
      k.min = s.min;
      k.max = s.max;
    } else {
      k.min = std::min(k.min, s.min);
      k.max = std::max(k.max, s.max);
    }
    k.count += s.count;
    k.sum += s.sum;
    for (size_t i = 0; i < k.buckets.size(); ++i) k.buckets[i] += s.buckets[i];
    st.fresh = st.seen = true;
  }
  static void prepare(data_type& d, aggregation_temporality t, const stream_config&) {
    d.temporality = t;
  }
  static void emit(state& st, bool delta, point_type& p, const stream_config& cfg) {
    counts& k = st.c;
    p.count = k.count;
    p.sum = k.sum;
    if (cfg.record_min_max && k.count > 0) {
      p.min = k.min;
      p.max = k.max;
    } else {
      p.min.reset();
      p.max.reset();
    }
    p.bounds.assign(cfg.bounds.begin(), cfg.bounds.end());
    p.bucket_counts.assign(k.buckets.begin(), k.buckets.end());
    if (delta) {
      k.count = 0;
      k.sum = 0;
      std::fill(k.buckets.begin(), k.buckets.end(), 0);
    }
  }
};

struct exponential_histogram_policy {
  static constexpr bool is_async = false;
  static constexpr bool aligned_exemplars = false;
  using data_type = exponential_histogram_data;
  using point_type = exponential_histogram_point;
  struct cell {
    spin_lock lock;
    exp_histogram_state h;
  };
  struct snapshot {
    exp_histogram_state h;
  };
  struct state : emit_flags {
    exp_histogram_state h;
  };
  static void init(cell& c, const stream_config& cfg) {
    c.h.configure(cfg.exp_max_size, cfg.exp_max_scale);
  }
  static void init(snapshot& s, const stream_config& cfg) {
    s.h.configure(cfg.exp_max_size, cfg.exp_max_scale);
  }
  static void init(state& s, const stream_config& cfg) {
    s.h.configure(cfg.exp_max_size, cfg.exp_max_scale);
  }
  template <class V>
  static size_t record(cell& c, V v, const stream_config&) noexcept {
    std::lock_guard lock(c.lock);
    c.h.record(static_cast<double>(v));
    return 0;
  }
  static bool take(cell& c, snapshot& s) noexcept {
    s.h.reset();
    std::lock_guard lock(c.lock);
    if (c.h.count() == 0) return false;
    std::swap(s.h, c.h);  // O(1): the cell gets the empty state
    return true;
  }
  static void merge(state& st, const snapshot& s) noexcept {
    st.h.merge(s.h);
    st.fresh = st.seen = true;
  }
  static void prepare(data_type& d, aggregation_temporality t, const stream_config&) {
    d.temporality = t;
  }
  static void emit(state& st, bool delta, point_type& p, const stream_config& cfg) {
    st.h.to_point(p, cfg.record_min_max);
    if (delta) st.h.reset();
  }
};

// Observable counters / up-down counters: callbacks report the current total.
template <class T>
struct async_sum_policy {
  static constexpr bool is_async = true;
  static constexpr bool aligned_exemplars = false;
  using data_type = sum_data;
  using point_type = number_point;
  struct cell {  // touched only by the collecting thread, under the instrument's lock
    T pending = 0;
    bool has_pending = false;
    T value = 0;
    bool observed = false;
  };
  struct snapshot {
    T value = 0;
  };
  struct state : emit_flags {
    T current = 0;
    T reported = 0;  // delta: the total at the last emission
  };
  static void init(cell&, const stream_config&) {}
  static void init(snapshot&, const stream_config&) {}
  static void init(state&, const stream_config&) {}
  // Returns true when this is the series' first observation of the callback. With a view
  // that removes attributes, observations that land in one series add up.
  static bool observe(cell& c, T v, bool additive) noexcept {
    if (!c.has_pending) {
      c.pending = v;
      c.has_pending = true;
      return true;
    }
    c.pending = additive ? c.pending + v : v;
    return false;
  }
  static void commit(cell& c) noexcept {
    c.value = c.pending;
    c.observed = true;
    c.has_pending = false;
  }
  static void rollback(cell& c) noexcept { c.has_pending = false; }
  static bool take(cell& c, snapshot& s) noexcept {
    if (!c.observed) return false;
    c.observed = false;
    s.value = c.value;
    return true;
  }
  static void merge(state& st, const snapshot& s) noexcept {
    st.current = s.value;
    st.fresh = st.seen = true;
  }
  static void prepare(data_type& d, aggregation_temporality t, const stream_config& c) {
    d.temporality = t;
    d.monotonic = c.monotonic;
  }
  static void emit(state& st, bool delta, point_type& p, const stream_config&) {
    if (delta) {
      p.value = st.current - st.reported;
      st.reported = st.current;
    } else {
      p.value = st.current;
    }
  }
};

template <class T>
struct async_last_value_policy : async_sum_policy<T> {
  using data_type = gauge_data;
  using point_type = number_point;
  using typename async_sum_policy<T>::state;
  static bool observe(typename async_sum_policy<T>::cell& c, T v, bool) noexcept {
    return async_sum_policy<T>::observe(c, v, false);
  }
  static void prepare(data_type&, aggregation_temporality, const stream_config&) {}
  static void emit(state& st, bool, point_type& p, const stream_config&) { p.value = st.current; }
};

}  // namespace agtel::metrics::detail
