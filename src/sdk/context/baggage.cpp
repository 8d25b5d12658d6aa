// The immutable baggage value: lookup and copy-on-write mutation.
#include "agtel/context/baggage.hpp"

#include <algorithm>
#include <new>

#include "propagation/detail/text.hpp"

namespace agtel {
namespace {

const std::vector<baggage::entry>& empty_list() noexcept {
  static const std::vector<baggage::entry> empty;
  return empty;
}

}  // namespace

bool baggage::is_valid_key(std::string_view key) noexcept {
  return propagation::detail::is_token(key);
}

baggage baggage::from_entries(std::vector<entry> entries) noexcept {
  try {
    // Compacts in place: no second vector, the buffer moves into the result.
    size_t kept = 0;
    for (size_t i = 0; i < entries.size(); ++i) {
      entry& e = entries[i];
      if (!is_valid_key(e.key)) continue;
      size_t same = 0;
      while (same < kept && entries[same].key != e.key) ++same;
      if (same < kept) {
        entries[same].value = std::move(e.value);
        entries[same].metadata = std::move(e.metadata);
      } else if (kept < max_entries) {
        if (kept != i) entries[kept] = std::move(e);
        ++kept;
      }
    }
    if (kept == 0) return {};
    entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(kept), entries.end());
    return baggage(std::make_shared<const std::vector<entry>>(std::move(entries)));
  } catch (const std::bad_alloc&) {
    return {};
  }
}

std::optional<std::string_view> baggage::get(std::string_view key) const noexcept {
  for (const auto& e : entries())
    if (e.key == key) return std::string_view(e.value);
  return std::nullopt;
}

baggage baggage::set(std::string_view key, std::string_view value,
                     std::string_view metadata) const noexcept {
  if (!is_valid_key(key)) return *this;
  try {
    std::vector<entry> copy = entries();
    for (auto& e : copy) {
      if (e.key == key) {
        e.value.assign(value);
        e.metadata.assign(metadata);
        return baggage(std::make_shared<const std::vector<entry>>(std::move(copy)));
      }
    }
    if (copy.size() >= max_entries) return *this;
    copy.push_back(entry{std::string(key), std::string(value), std::string(metadata)});
    return baggage(std::make_shared<const std::vector<entry>>(std::move(copy)));
  } catch (const std::bad_alloc&) {
    return *this;
  }
}

baggage baggage::remove(std::string_view key) const noexcept {
  if (!get(key)) return *this;
  if (size() == 1) return {};
  try {
    auto copy = std::make_shared<std::vector<entry>>();
    copy->reserve(size() - 1);
    for (const auto& e : entries())
      if (e.key != key) copy->push_back(e);
    return baggage(std::move(copy));
  } catch (const std::bad_alloc&) {
    return *this;
  }
}

const std::vector<baggage::entry>& baggage::entries() const noexcept {
  return entries_ ? *entries_ : empty_list();
}

}  // namespace agtel
