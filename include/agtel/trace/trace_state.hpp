// W3C `tracestate`: an ordered list of vendor key/value pairs, carried with a span context.
//
// Immutable: `set` and `remove` return a new value. The empty state (the common case) is
// a null pointer, so copying a span context with no trace state costs no atomic operation.
//
// Grammar (W3C Trace Context, level 1):
//   key   = simple key    [a-z][a-z0-9_-*/]{0,255}
//         | tenant@system [a-z0-9][a-z0-9_-*/]{0,240} "@" [a-z][a-z0-9_-*/]{0,13}
//   value = 1..256 printable ASCII characters (0x20-0x7E) except ',' and '=', the last one
//           not a space.
// Nothing here throws: on allocation failure the operations return an empty or unchanged
// state.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agtel::trace {

class trace_state {
 public:
  static constexpr size_t max_entries = 32;
  // Longer headers are rejected whole. This bounds the work hostile input can cause, and
  // matches the 8 KB header-line limit of common HTTP servers. (The largest legal value,
  // 32 members of 256-character keys and values, is about 16 KB; no real vendor sends that,
  // and the spec only asks that 512 characters be propagated.)
  static constexpr size_t max_header_bytes = 8192;

  trace_state() noexcept = default;

  // Parses a `tracestate` header value (several header lines are joined with ','
  // by the carrier before this call). Spaces and tabs around list members are ignored and
  // empty members are skipped; any invalid member, a duplicate key, more than 32 members
  // or more than `max_header_bytes` bytes makes the whole header invalid: the result is
  // then empty, as the W3C spec allows. Does not allocate when the result is empty.
  static trace_state parse(std::string_view header) noexcept;

  // `key=value,key=value` in list order; "" when empty.
  std::string serialize() const;
  // Appends the serialized form to `out` (lets a caller reuse one buffer).
  void serialize_to(std::string& out) const;

  std::optional<std::string_view> get(std::string_view key) const noexcept;

  // A copy with `key` set to `value` and moved to the front (the W3C mutation rule).
  // Returns an unchanged copy if the key or value is invalid. Adding a new key to a state
  // that already holds 32 entries drops the right-most entry, as the spec recommends.
  trace_state set(std::string_view key, std::string_view value) const noexcept;
  // A copy without `key` (unchanged if absent).
  trace_state remove(std::string_view key) const noexcept;

  bool empty() const noexcept { return !entries_ || entries_->empty(); }
  size_t size() const noexcept { return entries_ ? entries_->size() : 0; }
  const std::vector<std::pair<std::string, std::string>>& entries() const noexcept;

  static bool is_valid_key(std::string_view key) noexcept;
  static bool is_valid_value(std::string_view value) noexcept;

  friend bool operator==(const trace_state& a, const trace_state& b) noexcept {
    return a.entries_ == b.entries_ || a.entries() == b.entries();
  }

 private:
  using list = std::vector<std::pair<std::string, std::string>>;
  explicit trace_state(std::shared_ptr<const list> e) noexcept : entries_(std::move(e)) {}
  std::shared_ptr<const list> entries_;
};

}  // namespace agtel::trace
