#include "agtel/common/attribute.hpp"

#include <algorithm>

namespace agtel {
namespace {

// The longest prefix of `s` of at most `max` bytes that does not split a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view s, size_t max) noexcept {
  if (s.size() <= max) return s;
  size_t n = max;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

template <class T, class Span>
void assign_vector(attribute_value& out, Span in) {
  auto* v = std::get_if<std::vector<T>>(&out);
  if (!v) v = &out.emplace<std::vector<T>>();
  v->assign(in.begin(), in.end());
}

template <class Span>
void assign_strings(attribute_value& out, Span in, size_t max_length) {
  auto* v = std::get_if<std::vector<std::string>>(&out);
  if (!v) v = &out.emplace<std::vector<std::string>>();
  v->resize(in.size());
  for (size_t i = 0; i < in.size(); ++i) (*v)[i].assign(utf8_prefix(in[i], max_length));
}

}  // namespace

void assign_attribute_value(attribute_value& out, attribute_value_view in, size_t max_length) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          auto s = utf8_prefix(x, max_length);
          if (auto* str = std::get_if<std::string>(&out))
            str->assign(s);
          else
            out.emplace<std::string>(s);
        } else if constexpr (std::is_same_v<T, std::span<const bool>>) {
          assign_vector<bool>(out, x);
        } else if constexpr (std::is_same_v<T, std::span<const int64_t>>) {
          assign_vector<int64_t>(out, x);
        } else if constexpr (std::is_same_v<T, std::span<const double>>) {
          assign_vector<double>(out, x);
        } else if constexpr (std::is_same_v<T, std::span<const std::string_view>> ||
                             std::is_same_v<T, std::span<const std::string>>) {
          assign_strings(out, x, max_length);
        } else {
          out = x;  // bool, int64_t, double
        }
      },
      in.get());
}

attribute_value to_owned(attribute_value_view in) {
  attribute_value out;
  assign_attribute_value(out, in);
  return out;
}

bool operator==(const attribute_value& a, attribute_value_view b) noexcept {
  return std::visit(
      [&](const auto& y) -> bool {
        using T = std::decay_t<decltype(y)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          auto* s = std::get_if<std::string>(&a);
          return s && *s == y;
        } else if constexpr (std::is_same_v<T, std::span<const bool>>) {
          auto* v = std::get_if<std::vector<bool>>(&a);
          return v && std::equal(v->begin(), v->end(), y.begin(), y.end());
        } else if constexpr (std::is_same_v<T, std::span<const int64_t>>) {
          auto* v = std::get_if<std::vector<int64_t>>(&a);
          return v && std::equal(v->begin(), v->end(), y.begin(), y.end());
        } else if constexpr (std::is_same_v<T, std::span<const double>>) {
          auto* v = std::get_if<std::vector<double>>(&a);
          return v && std::equal(v->begin(), v->end(), y.begin(), y.end());
        } else if constexpr (std::is_same_v<T, std::span<const std::string_view>> ||
                             std::is_same_v<T, std::span<const std::string>>) {
          auto* v = std::get_if<std::vector<std::string>>(&a);
          return v && std::equal(v->begin(), v->end(), y.begin(), y.end());
        } else {
          auto* v = std::get_if<T>(&a);
          return v && *v == y;
        }
      },
      b.get());
}

attribute_list::attribute_list(std::initializer_list<attribute_view> init) { set_all(init); }

attribute* attribute_list::slot_for(std::string_view key, size_t count_limit) {
  for (size_t i = 0; i < size_; ++i)
    if (items_[i].key == key) return &items_[i];
  if (size_ >= count_limit) {
    ++dropped_;
    return nullptr;
  }
  if (size_ == items_.size()) items_.emplace_back();
  attribute& slot = items_[size_++];
  slot.key.assign(key);
  return &slot;
}

bool attribute_list::set(std::string_view key, attribute_value_view value, size_t count_limit,
                         size_t value_length_limit) {
  attribute* slot = slot_for(key, count_limit);
  if (slot) assign_attribute_value(slot->value, value, value_length_limit);
  return slot != nullptr;
}

bool attribute_list::set_value(std::string_view key, const attribute_value& value,
                               size_t count_limit) {
  attribute* slot = slot_for(key, count_limit);
  if (slot) slot->value = value;
  return slot != nullptr;
}

void attribute_list::set_all(std::span<const attribute_view> attrs, size_t count_limit,
                             size_t value_length_limit) {
  for (const auto& a : attrs) set(a.key, a.value, count_limit, value_length_limit);
}

const attribute_value* attribute_list::find(std::string_view key) const noexcept {
  for (size_t i = 0; i < size_; ++i)
    if (items_[i].key == key) return &items_[i].value;
  return nullptr;
}

bool operator==(const attribute_list& a, const attribute_list& b) noexcept {
  if (a.size_ != b.size_) return false;
  for (const auto& x : a) {
    const attribute_value* y = b.find(x.key);
    if (!y || *y != x.value) return false;
  }
  return true;
}

}  // namespace agtel
