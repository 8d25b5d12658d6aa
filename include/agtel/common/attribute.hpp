// Attributes: the key/value pairs that every signal carries.
//
// Two shapes of value exist on purpose:
//  - `attribute_value_view` borrows. The API takes it, so `span.set_attribute("k", "v")`
//    copies nothing until the SDK stores the value.
//  - `attribute_value` owns. Stored spans, events, resources and log records hold it.
//
// `attribute_list` stores owned attributes and keeps the storage of removed entries for
// reuse: a recycled span refills its strings and vectors in place, without allocating.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace agtel {

// The value types of the OpenTelemetry attribute model, in one variant.
// (Arrays of bool use `std::vector<bool>` for storage; the view borrows `std::span<const bool>`.)
using attribute_value =
    std::variant<bool, int64_t, double, std::string, std::vector<bool>, std::vector<int64_t>,
                 std::vector<double>, std::vector<std::string>>;

// A borrowed attribute value. Cheap to copy (two words and a tag); valid only as long as
// what it points to. Integral types widen to int64, floating types to double, string-like
// types become string_view; `bool` stays bool.
class attribute_value_view {
 public:
  using variant_type =
      std::variant<bool, int64_t, double, std::string_view, std::span<const bool>,
                   std::span<const int64_t>, std::span<const double>,
                   std::span<const std::string_view>, std::span<const std::string>>;

  constexpr attribute_value_view(bool v) noexcept : v_(v) {}
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char>)
  constexpr attribute_value_view(T v) noexcept : v_(static_cast<int64_t>(v)) {}
  template <std::floating_point T>
  constexpr attribute_value_view(T v) noexcept : v_(static_cast<double>(v)) {}
  constexpr attribute_value_view(std::string_view v) noexcept : v_(v) {}
  constexpr attribute_value_view(const char* v) noexcept : v_(std::string_view(v)) {}
  attribute_value_view(const std::string& v) noexcept : v_(std::string_view(v)) {}
  constexpr attribute_value_view(std::span<const bool> v) noexcept : v_(v) {}
  constexpr attribute_value_view(std::span<const int64_t> v) noexcept : v_(v) {}
  constexpr attribute_value_view(std::span<const double> v) noexcept : v_(v) {}
  constexpr attribute_value_view(std::span<const std::string_view> v) noexcept : v_(v) {}
  constexpr attribute_value_view(std::span<const std::string> v) noexcept : v_(v) {}
  attribute_value_view(const std::vector<int64_t>& v) noexcept : v_(std::span<const int64_t>(v)) {}
  attribute_value_view(const std::vector<double>& v) noexcept : v_(std::span<const double>(v)) {}
  attribute_value_view(const std::vector<std::string>& v) noexcept
      : v_(std::span<const std::string>(v)) {}
  attribute_value_view(const std::vector<std::string_view>& v) noexcept
      : v_(std::span<const std::string_view>(v)) {}
  const variant_type& get() const noexcept { return v_; }

 private:
  variant_type v_;
};

// An owned attribute. Keys are UTF-8; the SDK does not validate them on the hot path.
struct attribute {
  std::string key;
  attribute_value value;
};

// A borrowed key/value pair, for initializer lists at call sites:
//   tracer.start_span("plan", {.attributes = {{"gen_ai.agent.name", "coder"}}});
struct attribute_view {
  std::string_view key;
  attribute_value_view value;
};

// Overwrites `out` with `in`, reusing `out`'s string or vector storage when the type
// matches. Truncates strings (and each string of an array) to `max_length` bytes, cutting
// at a UTF-8 character boundary.
void assign_attribute_value(attribute_value& out, attribute_value_view in,
                            size_t max_length = SIZE_MAX);

// Makes an owned copy of a view.
attribute_value to_owned(attribute_value_view in);

// Equality of an owned value and a view (same type and same contents).
bool operator==(const attribute_value& a, attribute_value_view b) noexcept;

// An insertion-ordered set of attributes with unique keys and an optional count limit.
// Setting an existing key overwrites its value in place (the OpenTelemetry rule); a new
// key past the limit is dropped and counted in `dropped()`.
//
// `clear()` keeps the storage of every entry, so refilling a recycled list reuses the
// strings' and vectors' capacity. Not thread-safe: one owner at a time.
class attribute_list {
 public:
  attribute_list() = default;
  attribute_list(std::initializer_list<attribute_view> init);

  // Sets `key` to `value`. Returns false if the key was new and the list was full.
  bool set(std::string_view key, attribute_value_view value, size_t count_limit = SIZE_MAX,
           size_t value_length_limit = SIZE_MAX);
  // Sets `key` to a copy of an owned value (for copying stored attributes elsewhere).
  bool set_value(std::string_view key, const attribute_value& value,
                 size_t count_limit = SIZE_MAX);
  // Sets every attribute of `attrs`, in order, under the same limits.
  void set_all(std::span<const attribute_view> attrs, size_t count_limit = SIZE_MAX,
               size_t value_length_limit = SIZE_MAX);
  void set_all(std::initializer_list<attribute_view> attrs, size_t count_limit = SIZE_MAX,
               size_t value_length_limit = SIZE_MAX) {
    set_all(std::span<const attribute_view>(attrs.begin(), attrs.size()), count_limit,
            value_length_limit);
  }

  // The value stored under `key`, or nullptr.
  const attribute_value* find(std::string_view key) const noexcept;

  size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  uint32_t dropped() const noexcept { return dropped_; }
  void add_dropped(uint32_t n) noexcept { dropped_ += n; }

  const attribute* begin() const noexcept { return items_.data(); }
  const attribute* end() const noexcept { return items_.data() + size_; }
  const attribute& operator[](size_t i) const noexcept { return items_[i]; }

  // Empties the list and resets the dropped count; keeps every entry's storage.
  void clear() noexcept {
    size_ = 0;
    dropped_ = 0;
  }

  // Same attributes (by key and value) regardless of order.
  friend bool operator==(const attribute_list& a, const attribute_list& b) noexcept;

 private:
  // The entry for `key`: the existing one, a new one, or nullptr (dropped) past the limit.
  attribute* slot_for(std::string_view key, size_t count_limit);

  std::vector<attribute> items_;  // items_[0, size_) are live; the rest are kept for reuse
  size_t size_ = 0;
  uint32_t dropped_ = 0;
};

}  // namespace agtel
