// The points of one series while the store moves them around (a transaction's pending
// points, a compaction's, a reader's): one vector per point type, the one of the series'
// kind in use, and the chunk codec called for that type.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "query/series.hpp"
#include "store/chunk_codec.hpp"

namespace agtel::store {

struct series_points {
  query::metric_kind kind = query::metric_kind::gauge;
  std::vector<query::number_sample> numbers;
  std::vector<query::histogram_sample> histograms;
  std::vector<query::exponential_histogram_sample> exponential_histograms;

  static bool holds_numbers(query::metric_kind k) noexcept {
    return k == query::metric_kind::gauge || k == query::metric_kind::counter ||
           k == query::metric_kind::up_down;
  }

  size_t size() const noexcept {
    return numbers.size() + histograms.size() + exponential_histograms.size();
  }
  void clear() noexcept {
    numbers.clear();
    histograms.clear();
    exponential_histograms.clear();
  }

  // Sorts by time; of points with the same time the one added last stays (a later write
  // of the same point, e.g. a retried request, replaces the earlier one).
  void sort_unique() {
    sort_unique(numbers);
    sort_unique(histograms);
    sort_unique(exponential_histograms);
  }

  // Appends one chunk of the points [from, from + n) in time order (call sort_unique first).
  void encode(size_t from, size_t n, std::string& out) const {
    if (holds_numbers(kind)) chunk::encode(std::span(numbers).subspan(from, n), out);
    else if (kind == query::metric_kind::histogram)
      chunk::encode(std::span(histograms).subspan(from, n), out);
    else chunk::encode(std::span(exponential_histograms).subspan(from, n), out);
  }

  // Appends the points of a chunk of this series' kind; "" or what is wrong with it.
  std::string decode(std::string_view blob) {
    if (holds_numbers(kind)) return chunk::decode(blob, numbers);
    if (kind == query::metric_kind::histogram) return chunk::decode(blob, histograms);
    return chunk::decode(blob, exponential_histograms);
  }

  // Appends the points [from, from + n) of `o` (a series of the same kind).
  void append(const series_points& o, size_t from, size_t n) {
    auto copy = [&](auto& to, const auto& v) {
      to.insert(to.end(), v.begin() + static_cast<ptrdiff_t>(from),
                v.begin() + static_cast<ptrdiff_t>(from + n));
    };
    if (holds_numbers(kind)) copy(numbers, o.numbers);
    else if (kind == query::metric_kind::histogram) copy(histograms, o.histograms);
    else copy(exponential_histograms, o.exponential_histograms);
  }

  int64_t time_at(size_t i) const noexcept {
    if (holds_numbers(kind)) return numbers[i].time_ns;
    if (kind == query::metric_kind::histogram) return histograms[i].time_ns;
    return exponential_histograms[i].time_ns;
  }

  // Keeps the points with start_ns <= time < end_ns, and the last one before start_ns
  // (a counter's baseline).
  void trim(int64_t start_ns, int64_t end_ns) {
    trim(numbers, start_ns, end_ns);
    trim(histograms, start_ns, end_ns);
    trim(exponential_histograms, start_ns, end_ns);
  }

 private:
  template <class T>
  static void sort_unique(std::vector<T>& v) {
    if (v.size() < 2) return;
    // The usual case (points arrive in order) costs one pass, not a sort.
    if (std::adjacent_find(v.begin(), v.end(), [](const T& a, const T& b) {
          return a.time_ns >= b.time_ns;
        }) == v.end())
      return;
    std::stable_sort(v.begin(), v.end(),
                     [](const T& a, const T& b) { return a.time_ns < b.time_ns; });
    // Keep the last of each run of equal times.
    size_t out = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      if (i + 1 < v.size() && v[i + 1].time_ns == v[i].time_ns) continue;
      if (out != i) v[out] = std::move(v[i]);
      ++out;
    }
    v.resize(out);
  }

  template <class T>
  static void trim(std::vector<T>& v, int64_t start_ns, int64_t end_ns) {
    auto by_time = [](const T& p, int64_t t) { return p.time_ns < t; };
    auto first = std::lower_bound(v.begin(), v.end(), start_ns, by_time);
    if (first != v.begin()) --first;  // the baseline
    auto last = std::lower_bound(first, v.end(), end_ns, by_time);
    v.erase(last, v.end());
    v.erase(v.begin(), first);
  }
};

}  // namespace agtel::store
