// Appending a batch to a store that keeps only the newest `capacity` items, for the
// in-memory exporters.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace agtel::exporter::detail {

// Keeps the newest `capacity` items of `stored` + `batch`; adds the number discarded to
// `discarded`. Drops what does not fit from the front of the batch first, then makes room
// by erasing the oldest stored items in one step.
template <class T>
void append_bounded(std::vector<T>& stored, std::span<const T> batch, size_t capacity,
                    size_t& discarded) {
  if (batch.size() > capacity) {
    discarded += batch.size() - capacity;
    batch = batch.last(capacity);
  }
  const size_t room = capacity > stored.size() ? capacity - stored.size() : 0;
  if (batch.size() > room) {
    const size_t evict = batch.size() - room;
    stored.erase(stored.begin(), stored.begin() + static_cast<std::ptrdiff_t>(evict));
    discarded += evict;
  }
  stored.insert(stored.end(), batch.begin(), batch.end());
}

}  // namespace agtel::exporter::detail
