// W3C Baggage: application-defined key/value pairs that travel with the context across
// process boundaries (a user id, a tenant, an experiment arm). Not attributes: nothing
// copies baggage onto spans unless the application does.
//
// Immutable: `set` and `remove` return a new value. Empty baggage is a null pointer, so
// copying a context without baggage costs no atomic operation. Nothing here throws: on
// allocation failure an operation returns an unchanged copy.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agtel {

class baggage {
 public:
  struct entry {
    std::string key;       // RFC 7230 token characters
    std::string value;     // decoded (percent-decoding is done by the propagator); any bytes
    std::string metadata;  // the ";property..." part without the leading ';' ("" if none)
    friend bool operator==(const entry&, const entry&) = default;
  };
  // The W3C limits: 64 list members and 8192 bytes per header.
  static constexpr size_t max_entries = 64;
  static constexpr size_t max_header_bytes = 8192;

  baggage() noexcept = default;

  // Builds baggage from a list in one step (what a propagator does after parsing): entries
  // whose key is not a token are dropped, a repeated key replaces the earlier value in the
  // earlier position (last value wins), and entries past the 64th distinct key are dropped.
  static baggage from_entries(std::vector<entry> entries) noexcept;

  std::optional<std::string_view> get(std::string_view key) const noexcept;
  // A copy with `key` set (replacing an existing entry in place, else appended). An empty
  // or non-token key, or a 65th entry, returns an unchanged copy.
  baggage set(std::string_view key, std::string_view value,
              std::string_view metadata = {}) const noexcept;
  baggage remove(std::string_view key) const noexcept;

  bool empty() const noexcept { return !entries_ || entries_->empty(); }
  size_t size() const noexcept { return entries_ ? entries_->size() : 0; }
  const std::vector<entry>& entries() const noexcept;

  // RFC 7230 token: 1 or more of A-Z a-z 0-9 ! # $ % & ' * + - . ^ _ ` | ~
  static bool is_valid_key(std::string_view key) noexcept;

  friend bool operator==(const baggage& a, const baggage& b) noexcept {
    return a.entries_ == b.entries_ || a.entries() == b.entries();
  }

 private:
  explicit baggage(std::shared_ptr<const std::vector<entry>> e) noexcept : entries_(std::move(e)) {}
  std::shared_ptr<const std::vector<entry>> entries_;
};

}  // namespace agtel
