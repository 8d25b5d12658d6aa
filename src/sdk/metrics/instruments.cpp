// The record, bind and observe entry points of the instrument handles, and the
// instruments' collection.
#include <chrono>
#include <string>
#include <thread>

#include "agtel/diagnostics.hpp"
#include "sdk/metrics/detail/provider_impl.hpp"

namespace agtel::metrics::detail {
namespace {
std::atomic<unsigned> next_stripe{0};

// The async instrument whose callbacks the calling thread is running, if any.
thread_local async_instrument* running_callbacks = nullptr;
}  // namespace

unsigned assign_stripe() noexcept {
  return next_stripe.fetch_add(1, std::memory_order_relaxed) % sum_stripes;
}

bool instrument_base::invalid() noexcept {
  invalid_values.add();
  return false;
}

// ---- synchronous -------------------------------------------------------------------

template <class V>
static void record_impl(sync_instrument* i, V v, attribute_views attrs) noexcept {
  if (!i->valid(v)) return;
  for (const auto& s : i->streams()) s->record(v, attrs);
}
void record(sync_instrument* i, int64_t v, attribute_views attrs) noexcept {
  record_impl(i, v, attrs);
}
void record(sync_instrument* i, double v, attribute_views attrs) noexcept {
  record_impl(i, v, attrs);
}

bound_target* sync_instrument::bind(attribute_views attrs) noexcept {
  if (streams_.empty()) return nullptr;
  series_base* first = streams_[0]->resolve(attrs);
  if (first == nullptr) return nullptr;
  if (binding* b = first->bound.load(std::memory_order_acquire)) return &b->target;
  try {
    std::lock_guard lock(bind_mutex_);
    if (binding* b = first->bound.load(std::memory_order_relaxed)) return &b->target;
    auto b = std::make_unique<binding>();
    b->instrument = this;
    b->entries.emplace_back(streams_[0].get(), first);
    for (size_t k = 1; k < streams_.size(); ++k) {
      series_base* s = streams_[k]->resolve(attrs);
      if (s != nullptr) b->entries.emplace_back(streams_[k].get(), s);
    }
    if (streams_.size() == 1) b->target.sum_cell = streams_[0]->sum_cell_of(first);
    switch (streams_[0]->config().exemplars) {
      case exemplar_filter::always_off:
        b->target.exemplars = 0;
        break;
      case exemplar_filter::trace_based:
        b->target.exemplars = 1;
        break;
      case exemplar_filter::always_on:
        b->target.exemplars = 2;
        break;
    }
    b->target.slow = b.get();
    binding* raw = b.get();
    bindings_.push_back(std::move(b));
    first->bound.store(raw, std::memory_order_release);
    return &raw->target;
  } catch (...) {
    agtel::detail::diag(diag_level::error, "metrics", "out of memory binding " + name_);
    return nullptr;
  }
}

bound_target* bind(sync_instrument* i, attribute_views attrs) noexcept {
  return i->bind(attrs);
}

template <class V>
static void record_bound_impl(bound_target* t, V v) noexcept {
  binding* b = t->slow;
  if (!b->instrument->valid(v)) return;
  for (auto& [stream, series] : b->entries) stream->record_series(series, v);
}
void record_bound(bound_target* b, int64_t v) noexcept {
  record_bound_impl(b, v);
}
void record_bound(bound_target* b, double v) noexcept {
  record_bound_impl(b, v);
}

void offer_sum_exemplar(bound_target* t, int64_t v) noexcept {
  auto& e = t->slow->entries.front();
  e.first->offer_exemplar(e.second, v);
}
void offer_sum_exemplar(bound_target* t, double v) noexcept {
  auto& e = t->slow->entries.front();
  e.first->offer_exemplar(e.second, v);
}
void count_invalid(bound_target* t) noexcept {
  t->slow->instrument->invalid();
}

// ---- collection ----------------------------------------------------------------------

void instrument_base::collect_streams(size_t reader, const temporality_table& t, timestamp_ns now,
                                      scope_metrics& out) noexcept {
  const aggregation_temporality temporality = t[static_cast<size_t>(kind_)];
  for (const auto& s : streams_) {
    metric_data* md;
    try {
      md = &out.metrics.next();
    } catch (...) {
      return;
    }
    if (!s->collect(reader, temporality, now, *md)) out.metrics.pop_back();
  }
}

void instrument_base::collect(size_t reader, const temporality_table& t, timestamp_ns now,
                              scope_metrics& out) noexcept {
  collect_streams(reader, t, now, out);
}

// ---- observable ----------------------------------------------------------------------

template <class V>
void observation_sink::observe(V v, attribute_views attrs) noexcept {
  if (!instrument->valid(v)) return;
  ++observations;
  for (const auto& s : instrument->streams()) {
    if (series_base* series = s->observe(v, attrs)) {
      try {
        touched.emplace_back(s.get(), series);
      } catch (...) {
        s->rollback(series);  // out of memory: lose this observation only
      }
    }
  }
}

void observation_sink::commit() noexcept {
  for (auto& [stream, series] : touched) stream->commit(series);
  touched.clear();
  observations = 0;
}

void observation_sink::rollback() noexcept {
  for (auto& [stream, series] : touched) stream->rollback(series);
  touched.clear();
  observations = 0;
}

void observe(observation_sink* sink, int64_t v, attribute_views attrs) noexcept {
  if (sink) sink->observe(v, attrs);
}
void observe(observation_sink* sink, double v, attribute_views attrs) noexcept {
  if (sink) sink->observe(v, attrs);
}

uint64_t async_instrument::add_callback(std::function<void(observation_sink*)> cb) noexcept {
  try {
    auto c = std::make_unique<callback>(callback{0, std::move(cb)});
    if (running_callbacks == this) {  // from inside one of its own callbacks: no deadlock
      c->id = next_id_++;
      callbacks_.push_back(std::move(c));
      return callbacks_.back()->id;
    }
    std::lock_guard lock(mutex_);
    c->id = next_id_++;
    callbacks_.push_back(std::move(c));
    return callbacks_.back()->id;
  } catch (...) {
    agtel::detail::diag(diag_level::error, "metrics",
                        "out of memory adding a callback to " + name_);
    return 0;
  }
}

void async_instrument::remove_callback(uint64_t id) noexcept {
  if (running_callbacks == this) {  // from inside a callback: removed after the loop
    for (auto& c : callbacks_)
      if (c->id == id) c->removed = true;
    return;
  }
  std::lock_guard lock(mutex_);
  std::erase_if(callbacks_, [id](const auto& c) { return c->id == id; });
}

void async_instrument::run_callbacks() noexcept {
  auto* provider = meter_->provider;
  const auto budget = provider->options.callback_budget;
  observation_sink sink(this);
  running_callbacks = this;
  // Index loop: a callback may add callbacks (appended; they run from the next collection).
  const size_t n = callbacks_.size();
  for (size_t i = 0; i < n; ++i) {
    callback& cb = *callbacks_[i];
    if (cb.removed) continue;
    const auto started = std::chrono::steady_clock::now();
    try {
      cb.fn(&sink);
      sink.commit();
    } catch (const std::exception& e) {
      callback_dropped.fetch_add(sink.observations, std::memory_order_relaxed);
      sink.rollback();
      provider->callback_errors.fetch_add(1, std::memory_order_relaxed);
      agtel::detail::diag(diag_level::error, "metrics",
                          "callback of " + name_ + " threw: " + e.what() +
                              "; its observations of this collection are discarded");
    } catch (...) {
      callback_dropped.fetch_add(sink.observations, std::memory_order_relaxed);
      sink.rollback();
      provider->callback_errors.fetch_add(1, std::memory_order_relaxed);
      agtel::detail::diag(diag_level::error, "metrics",
                          "callback of " + name_ +
                              " threw a non-standard exception; its observations of this "
                              "collection are discarded");
    }
    const auto took = std::chrono::steady_clock::now() - started;
    if (took > budget) {
      provider->slow_callbacks.fetch_add(1, std::memory_order_relaxed);
      agtel::detail::diag(
          diag_level::warning, "metrics",
          "callback of " + name_ + " took " +
              std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()) +
              " ms (budget " + std::to_string(budget.count()) + " ms)");
    }
  }
  running_callbacks = nullptr;
  std::erase_if(callbacks_, [](const auto& c) { return c->removed; });
}

void async_instrument::collect(size_t reader, const temporality_table& t, timestamp_ns now,
                               scope_metrics& out) noexcept {
  std::lock_guard lock(mutex_);
  run_callbacks();
  collect_streams(reader, t, now, out);
}

uint64_t add_callback(async_instrument* i, std::function<void(observation_sink*)> cb) noexcept {
  return i->add_callback(std::move(cb));
}
void remove_callback(async_instrument* i, uint64_t id) noexcept {
  i->remove_callback(id);
}

}  // namespace agtel::metrics::detail
