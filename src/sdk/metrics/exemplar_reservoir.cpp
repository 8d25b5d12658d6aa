#include "sdk/metrics/detail/exemplar_reservoir.hpp"

#include <algorithm>
#include <mutex>

#include "agtel/common/time.hpp"

namespace agtel::metrics::detail {
namespace {

// A per-thread xorshift generator for reservoir sampling (quality is not critical).
uint64_t next_random() noexcept {
  static thread_local uint64_t x = 0;
  if (x == 0) x = (reinterpret_cast<uintptr_t>(&x) | 1) * 0x9E3779B97F4A7C15ULL;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return x;
}

}  // namespace

void exemplar_reservoir::offer(size_t bucket, number_value v, const trace::span_context& span,
                               std::span<const attribute_view> dropped) noexcept {
  const timestamp_ns t = now_ns();
  std::lock_guard lock(lock_);
  size_t slot;
  if (aligned_) {
    slot = std::min(bucket, slots_.size() - 1);
  } else {
    ++offered_;
    if (offered_ <= slots_.size()) {
      slot = offered_ - 1;
    } else {
      const uint64_t j = next_random() % offered_;
      if (j >= slots_.size()) return;
      slot = j;
    }
  }
  exemplar_slot& s = slots_[slot];
  s.set = true;
  any_ = true;
  s.value.time = t;
  s.value.value = v;
  s.value.trace_id = span.trace_id();
  s.value.span_id = span.span_id();
  s.value.filtered_attributes.clear();
  try {
    for (const attribute_view& a : dropped) s.value.filtered_attributes.set(a.key, a.value);
  } catch (...) {
    s.value.filtered_attributes.clear();  // out of memory: keep the exemplar without them
  }
}

bool exemplar_reservoir::take(std::vector<exemplar_slot>& out) noexcept {
  std::lock_guard lock(lock_);
  if (out.size() != slots_.size()) out.resize(slots_.size());
  for (auto& o : out) o.set = false;
  offered_ = 0;
  if (!any_) return false;
  any_ = false;
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (!slots_[i].set) continue;
    std::swap(out[i], slots_[i]);  // keeps both sides' storage
    slots_[i].set = false;
  }
  return true;
}

void dropped_attributes(std::span<const attribute_view> original,
                        const std::vector<std::string>& kept_keys,
                        std::vector<attribute_view>& out) {
  out.clear();
  for (const attribute_view& a : original) {
    bool kept = std::binary_search(
        kept_keys.begin(), kept_keys.end(), a.key,
        [](const auto& x, const auto& y) { return std::string_view(x) < std::string_view(y); });
    if (!kept) out.push_back(a);
  }
}

}  // namespace agtel::metrics::detail
