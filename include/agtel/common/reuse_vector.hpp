// A vector whose `clear()` keeps its elements alive for reuse.
//
// Pooled objects (spans, log records) are refilled many times; keeping the elements (and
// so their strings' and vectors' capacity) means a refill allocates nothing. `next()`
// hands out a slot that may hold stale data from an earlier use: the caller overwrites
// every field it reads later.
#pragma once

#include <cstddef>
#include <vector>

namespace agtel {

template <class T>
class reuse_vector {
 public:
  // The next slot, possibly with stale contents.
  T& next() {
    if (size_ == items_.size()) items_.emplace_back();
    return items_[size_++];
  }
  void pop_back() noexcept { --size_; }
  void clear() noexcept { size_ = 0; }

  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  T* begin() noexcept { return items_.data(); }
  T* end() noexcept { return items_.data() + size_; }
  const T* begin() const noexcept { return items_.data(); }
  const T* end() const noexcept { return items_.data() + size_; }
  T& operator[](size_t i) noexcept { return items_[i]; }
  const T& operator[](size_t i) const noexcept { return items_[i]; }
  T& back() noexcept { return items_[size_ - 1]; }

 private:
  std::vector<T> items_;  // items_[0, size_) are live
  size_t size_ = 0;
};

}  // namespace agtel
