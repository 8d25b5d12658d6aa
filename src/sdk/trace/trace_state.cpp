// W3C tracestate parsing, validation and mutation (Trace Context level 1, §3.3).
#include "agtel/trace/trace_state.hpp"

#include <algorithm>
#include <new>

#include "propagation/detail/text.hpp"

namespace agtel::trace {
namespace {

using propagation::detail::for_each_member;
using propagation::detail::trim_ows;

constexpr bool is_lcalpha(char c) noexcept {
  return c >= 'a' && c <= 'z';
}
constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr bool is_key_char(char c) noexcept {
  return is_lcalpha(c) || is_digit(c) || c == '_' || c == '-' || c == '*' || c == '/';
}

// `first` matches the first character, the rest must be key characters; length 1..max.
template <class First>
constexpr bool is_key_part(std::string_view s, size_t max, First first) noexcept {
  if (s.empty() || s.size() > max || !first(s[0])) return false;
  for (size_t i = 1; i < s.size(); ++i)
    if (!is_key_char(s[i])) return false;
  return true;
}

const std::vector<std::pair<std::string, std::string>>& empty_list() noexcept {
  static const std::vector<std::pair<std::string, std::string>> empty;
  return empty;
}

}  // namespace

bool trace_state::is_valid_key(std::string_view key) noexcept {
  size_t at = key.find('@');
  if (at == std::string_view::npos) return is_key_part(key, 256, is_lcalpha);
  auto tenant_first = [](char c) { return is_lcalpha(c) || is_digit(c); };
  return is_key_part(key.substr(0, at), 241, tenant_first) &&
         is_key_part(key.substr(at + 1), 14, is_lcalpha);  // a second '@' fails here
}

bool trace_state::is_valid_value(std::string_view value) noexcept {
  if (value.empty() || value.size() > 256 || value.back() == ' ') return false;
  for (char c : value)
    if (c < 0x20 || c > 0x7e || c == ',' || c == '=') return false;
  return true;
}

trace_state trace_state::parse(std::string_view header) noexcept {
  if (header.size() > max_header_bytes) return {};
  // Validate into views first: an invalid header (the hostile case) costs no allocation.
  // A trivial struct, so the array is not zeroed on every call (the common header is empty
  // or short).
  struct member_view {
    const char* key;
    size_t key_size;
    const char* value;
    size_t value_size;
  };
  member_view members[max_entries];
  size_t count = 0;
  bool ok = for_each_member(header, ',', [&](std::string_view member) {
    member = trim_ows(member);
    if (member.empty()) return true;
    size_t eq = member.find('=');
    if (eq == std::string_view::npos || count == max_entries) return false;
    std::string_view key = member.substr(0, eq), value = member.substr(eq + 1);
    if (!is_valid_key(key) || !is_valid_value(value)) return false;
    for (size_t i = 0; i < count; ++i)
      if (std::string_view(members[i].key, members[i].key_size) == key)
        return false;  // duplicate keys make the header invalid
    members[count++] = {key.data(), key.size(), value.data(), value.size()};
    return true;
  });
  if (!ok || count == 0) return {};
  try {
    auto entries = std::make_shared<list>();
    entries->reserve(count);
    for (size_t i = 0; i < count; ++i)
      entries->emplace_back(std::string_view(members[i].key, members[i].key_size),
                            std::string_view(members[i].value, members[i].value_size));
    return trace_state(std::move(entries));
  } catch (const std::bad_alloc&) {
    return {};
  }
}

void trace_state::serialize_to(std::string& out) const {
  if (empty()) return;
  size_t n = entries_->size() - 1;  // commas
  for (const auto& [k, v] : *entries_) n += k.size() + 1 + v.size();
  out.reserve(out.size() + n);
  bool first = true;
  for (const auto& [k, v] : *entries_) {
    if (!first) out += ',';
    first = false;
    out.append(k).append(1, '=').append(v);
  }
}

std::string trace_state::serialize() const {
  std::string out;
  serialize_to(out);
  return out;
}

std::optional<std::string_view> trace_state::get(std::string_view key) const noexcept {
  for (const auto& [k, v] : entries())
    if (k == key) return std::string_view(v);
  return std::nullopt;
}

trace_state trace_state::set(std::string_view key, std::string_view value) const noexcept {
  if (!is_valid_key(key) || !is_valid_value(value)) return *this;
  try {
    auto entries = std::make_shared<list>();
    entries->reserve(std::min(size() + 1, max_entries));
    entries->emplace_back(key, value);
    for (const auto& e : this->entries()) {
      if (entries->size() == max_entries) break;  // drop the right-most entries
      if (e.first != key) entries->push_back(e);
    }
    return trace_state(std::move(entries));
  } catch (const std::bad_alloc&) {
    return *this;
  }
}

trace_state trace_state::remove(std::string_view key) const noexcept {
  if (!get(key)) return *this;
  if (size() == 1) return {};
  try {
    auto entries = std::make_shared<list>();
    entries->reserve(size() - 1);
    for (const auto& e : this->entries())
      if (e.first != key) entries->push_back(e);
    return trace_state(std::move(entries));
  } catch (const std::bad_alloc&) {
    return *this;
  }
}

const std::vector<std::pair<std::string, std::string>>& trace_state::entries() const noexcept {
  return entries_ ? *entries_ : empty_list();
}

}  // namespace agtel::trace
