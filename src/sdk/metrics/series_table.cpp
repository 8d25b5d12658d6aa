#include "sdk/metrics/detail/metric_stream.hpp"

namespace agtel::metrics::detail {
namespace {
constexpr size_t initial_slots = 16;
}

series_table::series_table() {
  auto a = std::make_unique<array>();
  a->mask = initial_slots - 1;
  a->slots = std::make_unique<std::atomic<series_base*>[]>(initial_slots);
  current_.store(a.get(), std::memory_order_release);
  arrays_.push_back(std::move(a));
}

series_table::~series_table() = default;

series_base* series_table::find(uint64_t hash, attribute_views attrs) const noexcept {
  const array* a = current_.load(std::memory_order_acquire);
  for (size_t i = hash & a->mask;; i = (i + 1) & a->mask) {
    series_base* s = a->slots[i].load(std::memory_order_acquire);
    if (s == nullptr) return nullptr;
    if (s->hash == hash && same_set(s->attributes, attrs)) return s;
  }
}

void series_table::insert(std::unique_ptr<series_base> s) {
  array* a = current_.load(std::memory_order_relaxed);
  const size_t in_table = count_.load(std::memory_order_relaxed) + 1;
  if (in_table * 2 > a->mask + 1) {
    // Grow: copy into an array twice the size and publish it. Readers still probing the
    // old array find what it had; the new series is only in the new one.
    auto bigger = std::make_unique<array>();
    const size_t n = (a->mask + 1) * 2;
    bigger->mask = n - 1;
    bigger->slots = std::make_unique<std::atomic<series_base*>[]>(n);
    for (size_t i = 0; i <= a->mask; ++i) {
      series_base* old = a->slots[i].load(std::memory_order_relaxed);
      if (old == nullptr) continue;
      size_t j = old->hash & bigger->mask;
      while (bigger->slots[j].load(std::memory_order_relaxed) != nullptr)
        j = (j + 1) & bigger->mask;
      bigger->slots[j].store(old, std::memory_order_relaxed);
    }
    a = bigger.get();
    arrays_.push_back(std::move(bigger));
  }
  size_t j = s->hash & a->mask;
  while (a->slots[j].load(std::memory_order_relaxed) != nullptr) j = (j + 1) & a->mask;
  a->slots[j].store(s.get(), std::memory_order_release);
  current_.store(a, std::memory_order_release);
  series_.push_back(std::move(s));
  count_.fetch_add(1, std::memory_order_release);
}

void series_table::adopt(std::unique_ptr<series_base> s) {
  series_.push_back(std::move(s));
}

void series_table::snapshot(std::vector<series_base*>& out) const {
  out.clear();
  std::lock_guard lock(mutex_);
  for (const auto& s : series_) out.push_back(s.get());
}

}  // namespace agtel::metrics::detail
