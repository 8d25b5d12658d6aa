// The time buckets of a range query: [start + i·step, start + (i+1)·step), the last one
// clipped at end; step 0 is one bucket [start, end).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

namespace agtel::query {

struct time_grid {
  int64_t start = 0, end = 0, step = 0;  // step > 0 after make()
  size_t size = 0;

  // Checks the range and sizes the grid; `limit` caps the number of buckets.
  static bool make(int64_t start, int64_t end, int64_t step, size_t limit, time_grid& out,
                   std::string& error) {
    if (step < 0) {
      error = "the step must not be negative";
      return false;
    }
    if (end < start) {
      error = "the range ends before it starts";
      return false;
    }
    // Unsigned arithmetic: end − start may not fit in int64 for extreme inputs.
    const uint64_t span = static_cast<uint64_t>(end) - static_cast<uint64_t>(start);
    const uint64_t width = step == 0 ? std::max<uint64_t>(span, 1) : static_cast<uint64_t>(step);
    const uint64_t n = span / width + (span % width != 0);
    if (n > limit) {
      error = "too many buckets (" + std::to_string(n) + ", at most " + std::to_string(limit) +
              "): use a larger step";
      return false;
    }
    out = time_grid{start, end, static_cast<int64_t>(width), static_cast<size_t>(n)};
    return true;
  }

  bool contains(int64_t t) const { return t >= start && t < end; }
  // For t in [start, end).
  size_t index_of(int64_t t) const {
    return static_cast<size_t>((static_cast<uint64_t>(t) - static_cast<uint64_t>(start)) /
                               static_cast<uint64_t>(step));
  }
  int64_t bucket_start(size_t i) const {
    return static_cast<int64_t>(static_cast<uint64_t>(start) + i * static_cast<uint64_t>(step));
  }
  int64_t bucket_end(size_t i) const {
    const uint64_t e = static_cast<uint64_t>(start) + (i + 1) * static_cast<uint64_t>(step);
    const uint64_t span_end = static_cast<uint64_t>(end) - static_cast<uint64_t>(start);
    return (i + 1) * static_cast<uint64_t>(step) >= span_end ? end : static_cast<int64_t>(e);
  }
  double bucket_seconds(size_t i) const {
    return static_cast<double>(bucket_end(i) - bucket_start(i)) / 1e9;
  }
};

}  // namespace agtel::query
